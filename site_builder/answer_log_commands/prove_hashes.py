"""The subtree hashes an inclusion proof needs, without reading the whole log for each proof
(the collector's proof page, ``parole log prove``).

A proof of leaf ``i`` in a tree of ``n`` leaves is about ``log2(n)`` hashes of complete
subtrees, but the largest of them covers half the log: computed from the leaves, every proof
reads every leaf (about a second per million answers). So the hashes of the log's complete
groups of 256 leaves (its *chunks*, the leaf tiles' width) are kept in memory, with every
subtree above them: 64 bytes and a little per 256 answers, about 0.6 MB for a million. A proof
then reads at most two chunks from the database (the leaf's own, and the tree's last, partial
one), and the kept hashes grow by reading only the leaves added since they were last read.

The log only grows and a leaf's hash never changes (a deleted answer's leaf stays), so kept
hashes stay true for every later tree. A proof is still checked against the signed root before
it is shown (``prove``): hashes kept from another log (a database restored from a backup under
a running collector) give a proof that fails that check, and ``prove`` then reads them again.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Iterator
from typing import Protocol

from site_builder.answer_log.merkle import HashAt, MemoryTree, root
from site_builder.answer_log_commands.errors import LogCommandError
from site_builder.storage.answer_log import LogLeaf

CHUNK_LEVEL = 8
CHUNK = 1 << CHUNK_LEVEL
"""Leaves per chunk: 256, as a full tile (C2SP tlog-tiles), so the same groups."""


class LeafSource(Protocol):
    """What is read: ``Storage.log_leaves``."""

    def log_leaves(self, start: int = 0, end: int | None = None) -> Iterator[LogLeaf]: ...


class ProofHashes:
    """The hashes of a log's complete chunks and of every subtree above them (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._chunks: list[bytes] = []
        self._upper = MemoryTree([])
        self.leaves_read = 0
        """Leaves read from the database so far (to measure, and for the tests)."""

    def hash_at(self, source: LeafSource, size: int) -> HashAt:
        """``hash_at`` over the tree of the log's first ``size`` leaves: kept hashes for
        subtrees of 256 leaves or more, the leaves of one chunk for anything smaller (each chunk
        read once per ``HashAt``)."""
        upper = self._grown(source, size // CHUNK)
        chunks: dict[int, MemoryTree] = {}

        def hash_at(level: int, index: int) -> bytes:
            if level >= CHUNK_LEVEL:
                return upper.hash_at(level - CHUNK_LEVEL, index)
            chunk = (index << level) >> CHUNK_LEVEL
            if chunk not in chunks:
                start = chunk * CHUNK
                chunks[chunk] = MemoryTree(self._read(source, start, min(size, start + CHUNK)))
            return chunks[chunk].hash_at(level, index - (chunk << (CHUNK_LEVEL - level)))

        return hash_at

    def forget(self) -> None:
        """Drop every kept hash: the next proof reads the log again."""
        with self._lock:
            self._chunks = []
            self._upper = MemoryTree([])

    def _grown(self, source: LeafSource, chunks: int) -> MemoryTree:
        """The subtrees above the first ``chunks`` chunks (and maybe more), read if need be."""
        with self._lock:
            if len(self._chunks) < chunks:
                start, end = len(self._chunks) * CHUNK, chunks * CHUNK
                group: list[bytes] = []  # one chunk at a time: a million hashes would be 65 MB
                for leaf_hash in _dense_hashes(source.log_leaves(start, end), start, end):
                    group.append(leaf_hash)
                    if len(group) == CHUNK:
                        self._chunks.append(root(group))
                        group = []
                self.leaves_read += end - start
                self._upper = MemoryTree(self._chunks)
            return self._upper

    def _read(self, source: LeafSource, start: int, end: int) -> list[bytes]:
        hashes = list(_dense_hashes(source.log_leaves(start, end), start, end))
        self.leaves_read += len(hashes)
        return hashes


def _dense_hashes(leaves: Iterable[LogLeaf], start: int, end: int) -> Iterator[bytes]:
    """The leaf hashes from ``start`` to ``end``, which must all be there, in order."""
    expected = start
    for leaf in leaves:
        if leaf.index != expected:
            raise LogCommandError("log.leaves.gap", expected=expected, found=leaf.index)
        yield leaf.leaf_hash
        expected += 1
    if expected != end:
        raise LogCommandError("log.leaves.gap", expected=expected, found=end)


_KEPT: weakref.WeakKeyDictionary[object, ProofHashes] = weakref.WeakKeyDictionary()
_KEPT_LOCK = threading.Lock()


def proof_hashes(storage: object) -> ProofHashes:
    """The hashes kept for ``storage``'s log, for as long as that storage object lives (the
    collector's, for its whole run; a command's, for its one proof)."""
    with _KEPT_LOCK:
        kept = _KEPT.get(storage)
        if kept is None:
            kept = _KEPT[storage] = ProofHashes()
        return kept
