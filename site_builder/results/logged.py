"""Which answers the results count when the answer log has a signed checkpoint (issue #19).

The figures count the answers whose leaf is ``current`` among the first ``size`` leaves of the
newest stored checkpoint: the answers that count now, in the very state the checkpoint signed.
Left out, and said to the organizer: an answer stored after it (its leaf comes later), an
answer corrected after it (its current leaf comes later; its signed state is ``replaced``),
and, were there one, an answer with no leaf at all (added to the database outside the log).
An answer deleted after the checkpoint is not counted either: its content is gone. So the
figures are exactly what an auditor recomputes from the database with the same rule
(``parole log audit --results``), as long as no signed answer is deleted or corrected in
between; the audit names those that were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from site_builder.answer_log.checkpoint import parse_checkpoint
from site_builder.results.model import CountedCheckpoint
from site_builder.storage.answer_log import StoredCheckpoint
from site_builder.storage.base import Storage


@dataclass(frozen=True)
class LoggedAnswers:
    checkpoint: CountedCheckpoint
    receipts: frozenset[str]
    """The receipts whose current leaf is among the checkpoint's first ``size`` leaves."""
    signed_at: datetime
    later_leaves: int
    """Leaves appended since the checkpoint (answers stored or corrected after it)."""


def newest_logged_answers(storage: Storage) -> LoggedAnswers | None:
    """The answers the newest stored checkpoint signed; None when the database has none."""
    stored = storage.checkpoints()
    return logged_answers(storage, stored[-1]) if stored else None


def logged_answers(storage: Storage, stored: StoredCheckpoint) -> LoggedAnswers:
    """The answers ``stored`` signed (the database keeps a checkpoint only if its root is the
    tree head of its first ``size`` leaves: ``Storage.add_checkpoint``)."""
    receipts = frozenset(leaf.receipt for leaf in storage.log_leaves(0, stored.size)
                         if leaf.state == "current")
    checkpoint = CountedCheckpoint(origin=checkpoint_origin(stored), size=stored.size,
                                   root=stored.root)
    return LoggedAnswers(checkpoint, receipts, stored.signed_at,
                         max(storage.log_size() - stored.size, 0))


def checkpoint_origin(stored: StoredCheckpoint) -> str:
    """The log's name, the signed note's first line (its signature was checked when it was
    stored)."""
    note = stored.note
    return parse_checkpoint(note[:note.rfind("\n\n") + 1]).origin
