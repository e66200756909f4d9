"""The answer log's rows as the storage gives them (issue #19): leaves and checkpoints, and
the refusal of a write that would make the log lie. ``log_rows`` writes and reads them;
``log_store`` gives both backends their ``Storage`` methods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from site_builder.answer_log.errors import LogError


class AnswerLogError(LogError):
    """The answer log refuses a write that would make it lie: a checkpoint whose root is not
    the tree head of the leaves it counts, or that counts more leaves than the log has, or that
    contradicts one stored at the same size. ``key`` says which (``storage.log.*``)."""


LEAF_STATES = ("current", "replaced", "deleted")
"""What a leaf of the answer log (issue #19) stands for now: the answer's state that counts
(``current``: one per counted answer), a state a correction superseded (``replaced``), or an
answer deleted since (``deleted``: its salt is erased, so the leaf proves nothing about what it
said, and stays so that the log never shrinks)."""


@dataclass(frozen=True)
class LogLeaf:
    """A leaf of the answer log: the commitment to one state of one answer
    (``site_builder.answer_log.entry``), at its place in the append-only tree."""

    index: int
    """Its place in the log, from 0, dense: the order the answers' transactions committed."""
    receipt: str
    """The answer's receipt code (kept once the answer is deleted: the leaf outlives it)."""
    entry: bytes
    """``answer_entry(fields, salt)``: 32 bytes."""
    leaf_hash: bytes
    """``merkle.leaf_hash(entry)``: 32 bytes, what the tree and its tiles hold."""
    state: str
    """One of ``LEAF_STATES``."""
    salt: bytes | None
    """The 16 random bytes the entry was made with; None once the answer is deleted."""
    appended_at: datetime
    """When it was appended (UTC), for people; the log's order is ``index``."""


@dataclass(frozen=True)
class StoredCheckpoint:
    """A signed tree head of the answer log, as stored and published."""

    size: int
    """How many leaves it covers: the first ``size`` of the log."""
    root: bytes
    """Their RFC 9162 tree head (32 bytes)."""
    note: str
    """The signed note text (C2SP tlog-checkpoint), as published."""
    signed_at: datetime
