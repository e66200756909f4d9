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
from typing import Protocol

from site_builder.errors import ParoleError

CHANNELS = ("online", "paper", "assisted")
"""How an answer reached us: a citizen online, a paper form typed in by a mediator, or a
mediator filling the online form with a citizen. They count the same."""
DUPLICATE_WINDOW = timedelta(hours=24)
"""A resubmission of the same answer by the same client within this time returns the original
receipt instead of storing a second row."""

Values = dict[str, list[str]]
"""An answer's values: field id → the values submitted, in the form's order."""


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
        """Delete one answer (a citizen asked for it); True if it existed."""
        ...

    def schema_version(self) -> int:
        """The number of the last migration applied."""
        ...

    def close(self) -> None: ...
