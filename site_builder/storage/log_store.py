"""The answer log's ``Storage`` methods (issue #19), written once for both backends: reading
the leaves and storing signed checkpoints. The leaves themselves are written by the answer
writes (``log_rows``).

A backend mixes ``LogStore`` in and provides its transactions (``entry_store.EntryTransactions``).
"""

from __future__ import annotations

from collections.abc import Iterator

from site_builder.storage import log_rows, receipts
from site_builder.storage.answer_log import LogLeaf, StoredCheckpoint
from site_builder.storage.common import utc
from site_builder.storage.entry_store import EntryTransactions

LEAVES_PER_READ = 1000
"""``log_leaves`` reads this many leaves per transaction: a stream of the whole log holds
neither every leaf in memory nor a snapshot open while its reader works (a leaf's index, entry
and hash never change once committed, so reading in steps loses nothing)."""


class LogStore(EntryTransactions):
    """The answer log: its leaves and checkpoints."""

    def log_size(self) -> int:
        with self._entry_read() as tx:
            return log_rows.log_size(tx)

    def log_leaves(self, start: int = 0, end: int | None = None) -> Iterator[LogLeaf]:
        if start < 0 or (end is not None and end < start):
            raise ValueError(f"no leaves from {start} to {end}")
        size = self.log_size()
        end = size if end is None else min(end, size)
        while start < end:
            stop = min(end, start + LEAVES_PER_READ)
            with self._entry_read() as tx:
                read = log_rows.leaves(tx, start, stop)
            yield from read
            start = stop

    def answer_leaves(self, receipt: str) -> list[LogLeaf]:
        code = receipts.normalise_receipt(receipt)
        if code is None:
            return []
        with self._entry_read() as tx:
            return log_rows.answer_leaves(tx, code)

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        utc(checkpoint.signed_at)
        with self._entry_write() as tx:
            log_rows.add_checkpoint(tx, checkpoint)

    def checkpoints(self) -> list[StoredCheckpoint]:
        with self._entry_read() as tx:
            return log_rows.checkpoints(tx)
