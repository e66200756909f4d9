"""What the collector needs from a database, and nothing more (DESIGN.md, convention 5).

Two backends implement ``Storage``: SQLite (``sqlite.py``, the default: one file, one writer)
and PostgreSQL (``postgres.py``, for several collectors sharing one database). The same test
suite runs against both. Every write is one transaction; a method returns only once its
transaction has committed, so the collector answers 303 only for an answer that is on disk.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from site_builder.errors import ParoleError

if TYPE_CHECKING:
    from site_builder.storage.answer_log import LogLeaf, StoredCheckpoint
    from site_builder.storage.entry import (
        Batch,
        BatchProgress,
        Change,
        EntryResult,
        Mediator,
        MediatorCode,
        NewBatch,
        Sheet,
        SheetEntry,
    )
    from site_builder.storage.moderation import NewVerdict, Verdict

CHANNELS = ("online", "paper", "assisted")
"""How an answer reached us: a citizen online, a paper form typed in by a mediator, or a
mediator filling the online form with a citizen. They count the same."""
DUPLICATE_WINDOW = timedelta(hours=24)
"""A resubmission of the same answer by the same client within this time returns the original
receipt instead of storing a second row."""

Values = dict[str, list[str]]
"""An answer's values: field id → the values submitted, in the form's order."""
MARKS = ("blank", "spoiled")
"""What a paper sheet may say instead of an answer to a question: nothing (``blank``), or
something that cannot be read or counted, such as two boxes ticked where one is asked
(``spoiled``). Stored as such, exported as such, counted apart (issue #15)."""
Marks = dict[str, str]
"""A paper answer's marks: field id → one of ``MARKS``, in the form's order. A marked question
has no value in ``Values``."""
ROLES = ("mediator", "coordinator")
"""A mediator types paper answers in and records assisted ones; a coordinator also reviews
batches: double-entry differences, corrections, deletions, closing."""


class StorageError(ParoleError):
    """The database cannot be opened or used as configured (bad URL, missing driver, newer
    schema than this parole knows): the message says what to fix."""


class StorageUnavailable(Exception):  # noqa: N818 (the name the collector uses)
    """A write did not happen for a reason that may pass (disk full, database unreachable or
    busy for too long). Nothing was stored; the citizen is asked to try again."""


@dataclass(frozen=True)
class NewAnswer:
    """An answer the collector validated, about to be stored."""

    form_id: str
    form_version: str
    values: Values
    channel: str
    received_at: datetime
    """When it arrived, timezone-aware UTC."""
    expires_at: datetime | None
    """When ``purge`` deletes it (end of the retention period); None keeps it."""
    fingerprint: str
    """A hash of form id, version and values: two submissions with the same fingerprint from
    the same client are one answer sent twice."""
    client: str | None = None
    """The client's pseudonym of the day (an HMAC of its IP address keyed by the collector's
    secret, never kept in the database), never the address itself; None for answers typed in by
    a mediator. Cleared once the answer is older than ``DUPLICATE_WINDOW``."""
    quarantined: bool = False
    """The honeypot was filled: kept apart from the answers, never exported as one."""
    entered_by: str | None = None
    """The mediator who recorded an ``assisted`` answer (or typed a ``paper`` one); None
    online."""
    marks: Marks = field(default_factory=dict)
    """``paper``: the questions the sheet left blank or spoiled."""
    language: str | None = None
    """The language the answer was given in (``ar``; issue #18): online, the ``_language`` of
    the page it was sent from, when the form has that language, else the form's own; assisted,
    the language of the conversation the mediator chose; paper, its batch's (the paper version
    typed in, ``Batch.language``) or the import's. None: the form's own language, whatever it
    is (``answer_language``)."""


@dataclass(frozen=True)
class StoredAnswer:
    """An answer as stored, with its receipt code."""

    receipt: str
    form_id: str
    form_version: str
    values: Values
    channel: str
    received_at: datetime
    expires_at: datetime | None
    quarantined: bool = False
    entered_by: str | None = None
    """Who recorded it (``assisted``) or typed it in (``paper``: the first entry's mediator,
    or the importing command's ``import:<file name>``); None online."""
    marks: Marks = field(default_factory=dict)
    batch_id: int | None = None
    """``paper``: the batch of sheets it came in."""
    sheet: int | None = None
    """``paper``: its sheet's number in the batch, from 1."""
    pending: bool = False
    """``paper`` with double entry: entered once, or its entries disagree. A pending answer
    does not count: ``answers`` leaves it out, ``get`` finds it."""
    language: str | None = None
    """As ``NewAnswer.language``. None for the answers stored before parole recorded languages
    (schema version 5, issue #18), when every page of a form was in the form's own language:
    read it with ``answer_language``."""


def answer_language(answer: StoredAnswer, form_language: str | None) -> str | None:
    """The language ``answer`` was given in: its own, or (None stored) ``form_language``, the
    language of the form's own strings (its manifest's ``language``)."""
    return answer.language or form_language


@dataclass(frozen=True)
class StoreResult:
    answer: StoredAnswer
    created: bool
    """False when the answer was a resubmission: ``answer`` is then the original."""


@dataclass(frozen=True)
class FormSchema:
    """A version of a form as the collector saw it in the site's manifests, kept so that
    ``parole export`` knows the questions without the site at hand."""

    form_id: str
    version: str
    manifest: str
    """The manifest's JSON text (``site_builder.forms.manifest``)."""
    registered_at: datetime


@dataclass(frozen=True)
class Duplicates:
    """Which earlier answers count as the same submission: same fingerprint, from one of
    ``clients`` (today's and yesterday's pseudonyms of the same address), received after
    ``since``. ``store`` clears the pseudonyms of the answers received before ``since``: that
    window is their only use."""

    clients: Sequence[str] = field(default_factory=tuple)
    since: datetime | None = None


class Storage(Protocol):
    """A place answers are kept. Methods are blocking (the collector calls them in a thread)."""

    def store(self, answer: NewAnswer, duplicates: Duplicates) -> StoreResult:
        """Store ``answer`` under a new receipt code and commit; or, when an earlier answer
        matches ``duplicates``, store nothing and return that one. Raises
        ``StorageUnavailable`` when the write could not be made durable."""
        ...

    def get(self, receipt: str) -> StoredAnswer | None:
        """The answer with this receipt code (quarantined ones too), or None."""
        ...

    def answers(self, form_id: str, *, quarantined: bool = False) -> Iterator[StoredAnswer]:
        """A form's answers (or its quarantined ones), oldest first, streamed."""
        ...

    def form_ids(self) -> list[str]:
        """Every form id that has answers or a registered schema, sorted."""
        ...

    def register_form(self, form_id: str, version: str, manifest: str) -> None:
        """Remember a form version's manifest (nothing happens if it is already known)."""
        ...

    def form_schemas(self, form_id: str) -> list[FormSchema]:
        """The versions of a form seen so far, oldest first."""
        ...

    def bind_secret(self, check: str, *, replace: bool = False) -> bool:
        """Tie this database to the collector secret whose digest is ``check``
        (``CollectorSecret.check``): the first call stores it and returns True; later calls
        return whether ``check`` is the stored one. ``replace=True`` stores ``check`` whatever
        was there (the old secret is lost) and returns True. Collectors starting at the same
        moment agree: one stores, the others compare."""
        ...

    def purge(self, now: datetime) -> int:
        """Delete the answers whose ``expires_at`` is past; return how many. Also clear the
        client pseudonym of the answers received before ``now - DUPLICATE_WINDOW`` (no longer
        needed to recognise a resubmission), so that even quiet days end with none kept."""
        ...

    def delete(self, receipt: str) -> bool:
        """Delete one answer (a citizen asked for it); True if it existed. Whatever the audit
        trail kept of its values goes too; a paper or assisted answer's deletion is recorded
        there (by ``parole delete``, without what it said), even in a closed batch."""
        ...

    # -- paper and mediator entry (issue #15; the types are in ``entry.py``) ---------------------
    # Refusals a person can act on raise ``entry.EntryError`` with the reason in words.

    def add_mediator(self, name: str, role: str, code_digest: str, now: datetime) -> None:
        """Add a mediator with the digest of their access code. ``EntryError`` when a mediator
        (revoked ones included: names attribute past entries) already has ``name``."""
        ...

    def mediators(self) -> list[Mediator]:
        """Every mediator, revoked ones included, by name."""
        ...

    def mediator_codes(self) -> list[MediatorCode]:
        """The code digests of the mediators not revoked (the sign-in compares a code's digest
        with each, in constant time)."""
        ...

    def revoke_mediator(self, name: str, now: datetime) -> bool:
        """Revoke ``name``'s code and end their sessions; False when no active mediator has
        that name."""
        ...

    def open_session(self, token_digest: str, name: str, now: datetime,
                     expires_at: datetime) -> None:
        """Remember a signed-in session of mediator ``name`` until ``expires_at``."""
        ...

    def session_mediator(self, token_digest: str, now: datetime) -> Mediator | None:
        """The mediator of an open session: None when it is unknown, expired, or its mediator
        was revoked."""
        ...

    def close_session(self, token_digest: str) -> None:
        """Sign out: forget the session (nothing happens if it is unknown)."""
        ...

    def create_batch(self, batch: NewBatch) -> Batch:
        """Open a batch of paper sheets."""
        ...

    def batch(self, batch_id: int) -> Batch | None:
        ...

    def batches(self, form_id: str | None = None) -> list[BatchProgress]:
        """Every batch (of one form, or of all), oldest first, with its sheets' states."""
        ...

    def enter_sheet(self, entry: SheetEntry, *, double: bool) -> EntryResult:
        """Store one typing of the next sheet of the batch (``storage.sheet_rules``: with
        ``double`` False the batch's next sheet, whoever types it, and it counts at once; with
        ``double`` True the next sheet of ``entry.entered_by``'s own run through the stack, and
        it counts when a second mediator's typing of the same sheet agrees). The sheet's
        answer (channel ``paper``) gets its receipt code at the first typing. ``EntryError``
        when the batch is closed, the hand count is reached (by the batch, or by this mediator
        with double entry), or the sheet was already typed twice. A typing whose
        ``typing_key`` this mediator already stored stores nothing: its sheet comes back as it
        stands, ``created`` False (the same screen posted twice)."""
        ...

    def enter_sheet_again(self, receipt: str, entry: SheetEntry) -> EntryResult:
        """The third typing of a sheet a coordinator sent back, by any mediator: it counts
        when it agrees with one of the set-aside typings made by ANOTHER mediator (agreeing
        with oneself proves nothing), else the sheet ``differs`` again. ``EntryError`` when
        the sheet is not waiting for it or its batch is closed. A ``typing_key`` already
        stored by this mediator stores nothing, as in ``enter_sheet``."""
        ...

    def sheet(self, receipt: str) -> Sheet | None:
        """A paper sheet by its answer's receipt code, with its typings."""
        ...

    def sheets(self, batch_id: int) -> list[Sheet]:
        """A batch's sheets in number order, with their typings."""
        ...

    def resolve_sheet(self, receipt: str, values: Values, marks: Marks, by: str,  # noqa: PLR0917
                      now: datetime, reason: str = "") -> Sheet:
        """A coordinator's decision on a sheet whose typings differ: these values count."""
        ...

    def send_back_sheet(self, receipt: str, by: str, now: datetime, reason: str = "") -> Sheet:
        """Set a differing sheet's typings aside: it waits for a third typing."""
        ...

    def correct_answer(self, receipt: str, values: Values, marks: Marks, by: str,  # noqa: PLR0917
                       now: datetime, reason: str = "") -> StoredAnswer:
        """Replace a counted paper or assisted answer's values, keeping the old ones in the
        audit trail. ``EntryError`` for an online answer, a sheet that does not count yet
        (``resolve_sheet`` decides those) or one in a closed batch."""
        ...

    def delete_entered_answer(self, receipt: str, by: str, now: datetime,
                              reason: str = "") -> bool:
        """Delete a paper or assisted answer (a wrong sheet, or its author asked), recording
        who, when and why (not what it said) in the audit trail, whose earlier values of it are
        erased; False when unknown. ``EntryError`` for an online answer or a closed batch."""
        ...

    def recount_batch(self, batch_id: int, sheets_counted: int, by: str, now: datetime,
                      reason: str = "") -> Batch:
        """Change an open batch's hand count (the stack was counted again)."""
        ...

    def close_batch(self, batch_id: int, by: str, now: datetime) -> Batch:
        """Close a batch: no entry, correction or deletion any more. ``EntryError`` unless it
        is ``BatchProgress.complete``."""
        ...

    def import_batch(self, batch: NewBatch, answers: Sequence[NewAnswer]) -> tuple[Batch, bool]:
        """Store an imported file's answers as one batch, all or none; when a batch with the
        same ``source_digest`` exists, store nothing and return it with False."""
        ...

    def changes(self, *, batch_id: int | None = None,
                receipt: str | None = None) -> list[Change]:
        """The audit trail (of one batch, one answer, or all), oldest first."""
        ...

    # -- moderation of free-text answers (issue #16; the types are in ``moderation.py``) -------

    def record_verdict(self, verdict: NewVerdict, *, supersedes: int | None) -> Verdict:
        """Add a moderator's decision (earlier ones on the same answer and question stay, and
        are superseded). ``supersedes`` is the id of the newest verdict on that answer's
        question when the moderator read it (None: there was none): the verdict is stored only
        while it still is, so that two moderators deciding at once, in two processes, do not
        both decide (``moderation.StaleVerdictError`` for the second).
        ``moderation.ModerationError`` when the form has no such answer, or its text changed
        since it was read."""
        ...

    def verdicts(self, form_id: str) -> Iterator[Verdict]:
        """Every decision on a form's answers, oldest first (superseded ones included)."""
        ...

    # -- the answer log (issue #19; written in ``log_rows``, read in ``log_store``) ------------
    # Leaves are appended by the writes above, in the transaction that makes an answer count
    # (``store``, ``enter_sheet``, ``resolve_sheet``, ``import_batch``...), replaced by
    # ``correct_answer``, marked deleted by ``delete``, ``purge`` and ``delete_entered_answer``.

    def log_size(self) -> int:
        """How many leaves the log has: the index the next leaf gets."""
        ...

    def log_leaves(self, start: int = 0, end: int | None = None) -> Iterator[LogLeaf]:
        """The leaves from index ``start`` up to ``end`` excluded (None, or beyond the log: the
        log's size when the call is made), by index, streamed."""
        ...

    def answer_leaves(self, receipt: str) -> list[LogLeaf]:
        """The leaves of the answer with this receipt code (deleted ones too), oldest first;
        empty for an unknown code, a pending or a quarantined answer."""
        ...

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        """Store a signed tree head. Nothing happens when one of the same size and root is
        stored already. ``AnswerLogError`` when its size is above ``log_size()``, its root is
        not the tree head of the log's first ``size`` leaves, its note does not say that size
        and root, or another root is stored at that size."""
        ...

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Every stored checkpoint, smallest size first."""
        ...

    def schema_version(self) -> int:
        """The number of the last migration applied."""
        ...

    def close(self) -> None: ...
