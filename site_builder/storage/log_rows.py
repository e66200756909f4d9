"""Writing and reading the answer log's rows (issue #19), inside a transaction of either backend.

Every leaf is written here, by the writes that change what counts (``answer_rows``,
``entry_sheets``, both backends' ``purge``), in their own transaction, so that an answer and its
leaf are committed together or not at all:

- ``append_leaf`` when an answer starts to count (``insert_answer`` of a counted answer, a
  pending sheet whose typings agree or that a coordinator resolves);
- ``replace_leaf`` when a counted answer's values or marks change: its leaf becomes
  ``replaced`` and a new ``current`` one is appended for the new state;
- ``forget_leaves`` when an answer is deleted: its leaves stay, ``deleted``, salts erased.

The log's order is the commit order. SQLite runs one write transaction at a time (``BEGIN
IMMEDIATE``), so ``MAX(idx) + 1`` read inside it is the next index. PostgreSQL runs them side by
side: ``Dialect.log_lock`` (a transaction-level advisory lock, held until commit) makes each
append wait for the previous appender's commit, and READ COMMITTED then lets it see that
commit's leaves. Quarantined and pending answers never get a leaf (they do not count).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from site_builder.answer_log import merkle
from site_builder.answer_log.checkpoint import parse_checkpoint
from site_builder.answer_log.entry import AnswerFields, answer_entry, new_salt
from site_builder.answer_log.errors import CheckpointError
from site_builder.storage.answer_log import AnswerLogError, LogLeaf, StoredCheckpoint
from site_builder.storage.base import StoredAnswer
from site_builder.storage.dialect import ANSWER_COLUMNS, Transaction

LEAF_COLUMNS = "idx, receipt, entry, leaf_hash, state, salt, appended_at"
"""The columns ``read_leaf`` reads, in its order."""
_CHECKPOINT_COLUMNS = "size, root, note, signed_at"


def answer_fields(answer: StoredAnswer) -> AnswerFields:
    """What a leaf of ``answer``'s present state commits to (the audit recomputes it so)."""
    return AnswerFields(form=answer.form_id, version=answer.form_version, values=answer.values,
                        channel=answer.channel, received=answer.received_at,
                        language=answer.language, marks=answer.marks)


def append_leaf(tx: Transaction, receipt: str, fields: AnswerFields) -> LogLeaf:
    """Append the leaf of ``fields`` (the state of the answer ``receipt`` that counts from now
    on) with a fresh salt, at the end of the log."""
    if tx.dialect.log_lock:
        tx.run(tx.dialect.log_lock)
    row = tx.one("SELECT COALESCE(MAX(idx) + 1, 0) FROM log_leaves")
    assert row is not None  # an aggregate always has a row
    salt = new_salt()
    entry = answer_entry(fields, salt)
    leaf = LogLeaf(index=int(row[0]), receipt=receipt, entry=entry,
                   leaf_hash=merkle.leaf_hash(entry), state="current", salt=salt,
                   appended_at=datetime.now(UTC))
    tx.run(f"INSERT INTO log_leaves ({LEAF_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
           (leaf.index, leaf.receipt, leaf.entry, leaf.leaf_hash, leaf.state, leaf.salt,
            tx.dialect.moment(leaf.appended_at)))
    return leaf


def replace_leaf(tx: Transaction, receipt: str, fields: AnswerFields) -> LogLeaf:
    """The counted answer ``receipt`` now says ``fields``: its current leaf (if any) becomes
    ``replaced``, and the new state's leaf is appended."""
    tx.run("UPDATE log_leaves SET state = 'replaced' WHERE receipt = ? AND state = 'current'",
           (receipt,))
    return append_leaf(tx, receipt, fields)


def forget_leaves(tx: Transaction, receipt: str) -> None:
    """The answer ``receipt`` is deleted: its leaves stay, marked ``deleted``, their salts
    erased (without the salt, the entry proves nothing about what the answer said)."""
    tx.run("UPDATE log_leaves SET state = 'deleted', salt = NULL WHERE receipt = ?",
           (receipt,))


def forget_expired_leaves(tx: Transaction, now: datetime) -> None:
    """``forget_leaves`` for every answer ``purge`` is about to delete (``expires_at`` past)."""
    tx.run("UPDATE log_leaves SET state = 'deleted', salt = NULL WHERE receipt IN"
           " (SELECT receipt FROM answers WHERE expires_at IS NOT NULL AND expires_at <= ?)",
           (tx.dialect.moment(now),))


def sync_answer_leaf(tx: Transaction, answer_id: int) -> None:
    """Bring the log in step with the answer row ``answer_id`` just written (a sheet typed
    again, resolved or corrected): a leaf appended when it starts to count, replaced when what
    counts changed, nothing when it still says what its current leaf commits to or does not
    count yet."""
    row = tx.one(f"SELECT {ANSWER_COLUMNS} FROM answers WHERE id = ?", (answer_id,))
    assert row is not None  # written in this very transaction
    answer = tx.dialect.answer(row)
    if answer.pending or answer.quarantined:
        # A counted answer never goes back to pending (sheet_rules): nothing to take back.
        return
    fields = answer_fields(answer)
    current = tx.one("SELECT entry, salt FROM log_leaves WHERE receipt = ? AND state = 'current'",
                     (answer.receipt,))
    if current is None:
        append_leaf(tx, answer.receipt, fields)
    elif answer_entry(fields, bytes(current[1])) != bytes(current[0]):
        replace_leaf(tx, answer.receipt, fields)


# -- reading ------------------------------------------------------------------------------------

def read_leaf(tx: Transaction, row: tuple[Any, ...]) -> LogLeaf:
    """A leaf from a row of ``LEAF_COLUMNS``."""
    index, receipt, entry, leaf_hash, state, salt, appended_at = row
    return LogLeaf(index=int(index), receipt=receipt, entry=bytes(entry),
                   leaf_hash=bytes(leaf_hash), state=state,
                   salt=None if salt is None else bytes(salt),
                   appended_at=tx.dialect.read_moment(appended_at))


def log_size(tx: Transaction) -> int:
    """The index the next leaf gets: the leaf count of a dense log, and, should leaves ever
    go missing, still the size that shows the gap (``log_leaves`` then skips an index)."""
    row = tx.one("SELECT COALESCE(MAX(idx) + 1, 0) FROM log_leaves")
    assert row is not None  # an aggregate always has a row
    return int(row[0])


def leaves(tx: Transaction, start: int, end: int) -> list[LogLeaf]:
    """The leaves of index ``start`` to ``end`` excluded."""
    rows = tx.all(f"SELECT {LEAF_COLUMNS} FROM log_leaves WHERE idx >= ? AND idx < ?"
                  " ORDER BY idx", (start, end))
    return [read_leaf(tx, row) for row in rows]


def answer_leaves(tx: Transaction, receipt: str) -> list[LogLeaf]:
    rows = tx.all(f"SELECT {LEAF_COLUMNS} FROM log_leaves WHERE receipt = ? ORDER BY idx",
                  (receipt,))
    return [read_leaf(tx, row) for row in rows]


def leaf_hashes(tx: Transaction, size: int) -> list[bytes]:
    """The leaf hashes of the log's first ``size`` leaves, in order."""
    rows = tx.all("SELECT leaf_hash FROM log_leaves WHERE idx < ? ORDER BY idx", (size,))
    return [bytes(leaf_hash) for (leaf_hash,) in rows]


def read_checkpoint(tx: Transaction, row: tuple[Any, ...]) -> StoredCheckpoint:
    size, root, note, signed_at = row
    return StoredCheckpoint(size=int(size), root=bytes(root), note=note,
                            signed_at=tx.dialect.read_moment(signed_at))


def checkpoints(tx: Transaction) -> list[StoredCheckpoint]:
    rows = tx.all(f"SELECT {_CHECKPOINT_COLUMNS} FROM log_checkpoints ORDER BY size")
    return [read_checkpoint(tx, row) for row in rows]


def add_checkpoint(tx: Transaction, checkpoint: StoredCheckpoint) -> None:
    """Store ``checkpoint`` once it is shown to be a tree head of this log (see
    ``Storage.add_checkpoint``)."""
    _check_note(checkpoint)
    stored = tx.one(f"SELECT {_CHECKPOINT_COLUMNS} FROM log_checkpoints WHERE size = ?",
                    (checkpoint.size,))
    if stored is not None:
        earlier = read_checkpoint(tx, stored)
        if earlier.root == checkpoint.root:
            return
        raise AnswerLogError("storage.log.checkpoint_conflict", size=checkpoint.size,
                             stored=earlier.root.hex(), root=checkpoint.root.hex())
    size = log_size(tx)
    if checkpoint.size > size:
        raise AnswerLogError("storage.log.checkpoint_too_big", size=checkpoint.size,
                             leaves=size)
    computed = merkle.root(leaf_hashes(tx, checkpoint.size))
    if computed != checkpoint.root:
        raise AnswerLogError("storage.log.checkpoint_wrong_root", size=checkpoint.size,
                             root=checkpoint.root.hex(), computed=computed.hex())
    tx.run(f"INSERT INTO log_checkpoints ({_CHECKPOINT_COLUMNS}) VALUES (?, ?, ?, ?)",
           (checkpoint.size, checkpoint.root, checkpoint.note,
            tx.dialect.moment(checkpoint.signed_at)))


def _check_note(checkpoint: StoredCheckpoint) -> None:
    """The note's text (before its signatures) must say the checkpoint's size and root: what
    is published is the note, and it must be what was checked."""
    text = checkpoint.note.partition("\n\n")[0] + "\n"
    try:
        said = parse_checkpoint(text)
    except CheckpointError as error:
        raise AnswerLogError("storage.log.checkpoint_note", size=checkpoint.size,
                             error=str(error)) from error
    if (said.size, said.root) != (checkpoint.size, checkpoint.root):
        raise AnswerLogError("storage.log.checkpoint_note_differs", size=checkpoint.size,
                             root=checkpoint.root.hex(), note_size=said.size,
                             note_root=said.root.hex())


def backfill(tx: Transaction) -> int:
    """Migration 7: a leaf for every answer that counts (neither quarantined nor pending), in
    the order they were received (``received_at``, then id); how many."""
    rows: Iterable[tuple[Any, ...]] = tx.all(
        f"SELECT {ANSWER_COLUMNS} FROM answers WHERE NOT quarantined AND NOT pending"
        " ORDER BY received_at, id")
    appended = 0
    for row in rows:
        answer = tx.dialect.answer(row)
        append_leaf(tx, answer.receipt, answer_fields(answer))
        appended += 1
    return appended
