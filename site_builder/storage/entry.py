"""What paper and mediator entry keeps besides answers (issue #15): mediators and their
sessions, batches of paper sheets, each sheet's entries (twice with double entry), and the audit
trail of every change a coordinator makes.

The storage backends keep these (``Storage``'s methods in ``base.py``); what to do when a sheet
is entered is decided once, in ``sheet_rules``, for both backends. Access codes and session
tokens are never stored: only their SHA-256 digest (``digest``), which is enough for random
secrets of 128 bits or more (nothing to guess from, so no slow hash is needed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from site_builder.errors import ParoleError
from site_builder.storage.base import Marks, Values

SHEET_STATES = ("counted", "awaiting_second", "differs", "awaiting_third")
"""Where a sheet stands. ``counted``: its answer counts (single entry, two entries that agree,
or a coordinator's decision). With double entry: ``awaiting_second`` (entered once),
``differs`` (two entries disagree: a coordinator decides), ``awaiting_third`` (a coordinator
sent it back to be entered again)."""
CHANGE_ACTIONS = ("corrected", "deleted", "resolved", "sent_back", "recounted", "closed")
"""What an audit-trail row records: a sheet's values corrected, a sheet deleted, a double-entry
difference resolved, a sheet sent back for a third entry, a batch's hand count changed, a
batch closed."""


class EntryError(ParoleError):
    """A paper-entry request the database refuses for a reason a person can act on (a name
    already taken, a batch already closed, a sheet not in that state…): the message says it."""


@dataclass(frozen=True)
class Mediator:
    name: str
    role: str
    """One of ``base.ROLES``."""
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def coordinator(self) -> bool:
        return self.role == "coordinator"


@dataclass(frozen=True)
class MediatorCode:
    """An active mediator's access code digest, for the sign-in's constant-time comparison."""

    name: str
    digest: str


@dataclass(frozen=True)
class NewBatch:
    form_id: str
    place: str
    collected_on: date
    sheets_counted: int
    """Sheets in the stack, counted by hand before entry."""
    created_by: str
    """The mediator who opened it, or ``import:<file name>``."""
    created_at: datetime
    source_digest: str | None = None
    """An imported file's SHA-256: the same file imported again finds this batch."""
    language: str | None = None
    """The language of the paper version its sheets were written on (``ar``; issue #18), a
    language tag as the form's manifest writes it: each sheet typed in the batch is stored in
    it. None: the form's own language. An imported batch: the file's language, when all its
    rows share one (each imported answer keeps its own, ``NewAnswer.language``)."""


@dataclass(frozen=True)
class Batch:
    id: int
    form_id: str
    place: str
    collected_on: date
    sheets_counted: int
    created_by: str
    created_at: datetime
    closed_at: datetime | None = None
    closed_by: str | None = None
    source_digest: str | None = None
    language: str | None = None
    """As ``NewBatch.language``; None also for the batches opened before parole recorded it
    (schema version 6, issue #18), when a form had one paper version: read it with
    ``batch_language``."""


def batch_language(batch: Batch, form_language: str | None) -> str | None:
    """The language of ``batch``'s paper version: its own, or (None stored) ``form_language``,
    the form's own (its manifest's ``language``)."""
    return batch.language or form_language


@dataclass(frozen=True)
class BatchProgress:
    """A batch and where its sheets stand."""

    batch: Batch
    sheets: dict[str, int] = field(default_factory=dict)
    """Sheets per state (``SHEET_STATES``, every state present, 0 included)."""

    @property
    def entered(self) -> int:
        """Sheets entered at least once."""
        return sum(self.sheets.values())

    @property
    def counted(self) -> int:
        return self.sheets.get("counted", 0)

    @property
    def difference(self) -> int:
        """Sheets counted by hand minus sheets entered: 0 when every sheet is in."""
        return self.batch.sheets_counted - self.entered

    @property
    def complete(self) -> bool:
        """Every sheet counted by hand is entered and counts: the batch can be closed."""
        return self.difference == 0 and self.counted == self.entered


@dataclass(frozen=True)
class SheetEntry:
    """One typing of one paper sheet, about to be stored."""

    batch_id: int
    entered_by: str
    values: Values
    marks: Marks
    form_version: str
    entered_at: datetime
    expires_at: datetime | None
    fingerprint: str
    """As ``NewAnswer.fingerprint``; two entries agree when their values and marks match."""
    typing_key: str | None = None
    """The random key of the screen this typing was made on (unique per mediator): the same
    key entered again stores nothing and finds the sheet it was stored in. None: no key (an
    import, a script), stored every time. A typing has no language of its own: its sheet is
    stored in its batch's (``Batch.language``), so that one stack is never stored in two."""


@dataclass(frozen=True)
class StoredEntry:
    """A typing of a sheet as stored."""

    id: int
    entered_by: str
    entered_at: datetime
    values: Values
    marks: Marks
    discarded: bool = False
    """Set aside when the sheet was sent back for a third entry."""
    again: bool = False
    """Typed at a coordinator's request (``Storage.enter_sheet_again``), not in the typist's
    run through the stack."""
    typing_key: str | None = None
    """``SheetEntry.typing_key``."""


@dataclass(frozen=True)
class Sheet:
    """A paper sheet of a batch: its number, receipt code, state and entries."""

    batch_id: int
    number: int
    receipt: str
    state: str
    """One of ``SHEET_STATES``."""
    entries: tuple[StoredEntry, ...] = ()
    """Oldest first, discarded ones included."""


@dataclass(frozen=True)
class EntryResult:
    sheet: Sheet
    """The sheet as it now stands: ``state`` says whether this entry made it count."""
    created: bool = True
    """False: a typing with the entry's key was stored before (the same screen posted again),
    nothing was stored and ``sheet`` is the sheet it went into, as it now stands."""


@dataclass(frozen=True)
class Change:
    """A row of the audit trail: who changed what, when, and the values before and after."""

    id: int
    action: str
    """One of ``CHANGE_ACTIONS``."""
    changed_by: str
    changed_at: datetime
    batch_id: int | None = None
    receipt: str | None = None
    before: dict[str, object] | None = None
    """For a sheet: ``{"values": …, "marks": …}``; for a recount: ``{"sheets_counted": n}``.
    None for a deletion: a sheet deleted at its author's request keeps no trace of what it
    said."""
    after: dict[str, object] | None = None
    reason: str = ""
