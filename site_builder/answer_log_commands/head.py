"""The answer log's tree, read from the database, and its head signed as a checkpoint
(``parole log checkpoint``, and the collector's periodic one).

The leaves' hashes are read once, in index order, and checked to be dense (0, 1, 2…) and to
be the hash of their entry: a tree made of anything else would be signed, then refused by
every verifier. A million leaves are 32 MB of hashes and about a second of hashing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from site_builder.answer_log.checkpoint import Checkpoint, open_checkpoint, sign_checkpoint
from site_builder.answer_log.errors import LogError
from site_builder.answer_log.merkle import MemoryTree, leaf_hash
from site_builder.answer_log.note import SignerKey, VerifierKey
from site_builder.answer_log_commands.errors import LogCommandError
from site_builder.storage.answer_log import LogLeaf, StoredCheckpoint
from site_builder.storage.base import Storage


@dataclass(frozen=True)
class LogContents:
    """The first ``size`` leaves of the log: their hashes and entries, in order."""

    leaf_hashes: list[bytes]
    entries: list[bytes]

    @property
    def size(self) -> int:
        return len(self.leaf_hashes)

    def tree(self) -> MemoryTree:
        return MemoryTree(self.leaf_hashes)


def read_contents(leaves: Iterable[LogLeaf], size: int) -> LogContents:
    """The hashes and entries of ``leaves`` (the log's first ``size``), each checked."""
    hashes: list[bytes] = []
    entries: list[bytes] = []
    for leaf in leaves:
        if leaf.index != len(hashes):
            raise LogCommandError("log.leaves.gap", expected=len(hashes), found=leaf.index)
        if leaf_hash(leaf.entry) != leaf.leaf_hash:
            raise LogCommandError("log.leaves.bad_hash", index=leaf.index)
        hashes.append(leaf.leaf_hash)
        entries.append(leaf.entry)
    if len(hashes) != size:
        raise LogCommandError("log.leaves.gap", expected=len(hashes), found=size)
    return LogContents(hashes, entries)


def log_contents(storage: Storage, size: int) -> LogContents:
    return read_contents(storage.log_leaves(0, size), size)


def opened(stored: StoredCheckpoint, key: VerifierKey) -> Checkpoint:
    """The checkpoint in ``stored``'s note, its signature by ``key`` checked and its size and
    root those stored beside it."""
    try:
        checkpoint = open_checkpoint(stored.note.encode("utf-8"), key)
    except LogError:
        raise LogCommandError("log.checkpoint.not_signed_by_key", size=stored.size,
                              key=key.text) from None
    if (checkpoint.size, checkpoint.root) != (stored.size, stored.root):
        raise LogCommandError("log.checkpoint.note_disagrees", size=stored.size)
    return checkpoint


def check_roots(tree: MemoryTree, checkpoints: Sequence[StoredCheckpoint]) -> None:
    """Each checkpoint's root is the tree head of the log's first ``size`` leaves."""
    for stored in checkpoints:
        if stored.size > tree.size:
            raise LogCommandError("log.checkpoint.beyond_log", size=stored.size,
                                  leaves=tree.size)
        if tree.root(stored.size) != stored.root:
            raise LogCommandError("log.checkpoint.root_differs", size=stored.size)


@dataclass(frozen=True)
class SignedHead:
    checkpoint: StoredCheckpoint
    new: bool
    """False: the log had not grown since the newest checkpoint, which is returned."""


def sign_head(storage: Storage, signer: SignerKey, now: datetime) -> SignedHead:
    """Sign the log's current tree head with ``signer`` and store it. The key must be the one
    that signed the checkpoints already stored (another would make every verifier that has
    the published key refuse the journal from then on)."""
    stored = storage.checkpoints()
    newest = stored[-1] if stored else None
    if newest is not None:
        checkpoint = opened(newest, signer.verifier)
        if checkpoint.origin != signer.name:
            raise LogCommandError("log.checkpoint.other_origin", origin=signer.name,
                                  journal=checkpoint.origin)
    size = storage.log_size()
    if size == 0:  # a tree of nothing proves nothing, and nothing can be checked against it
        raise LogCommandError("log.checkpoint.empty_log")
    if newest is not None and size < newest.size:
        raise LogCommandError("log.checkpoint.log_shrank", size=size, signed=newest.size)
    if newest is not None and size == newest.size:
        return SignedHead(newest, new=False)
    tree_root = log_contents(storage, size).tree().root()
    note = sign_checkpoint(Checkpoint(signer.name, size, tree_root), signer)
    signed = StoredCheckpoint(size=size, root=tree_root, note=note, signed_at=now)
    storage.add_checkpoint(signed)
    return SignedHead(signed, new=True)
