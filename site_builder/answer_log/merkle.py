"""The Merkle tree of the answer log, exactly as RFC 9162 §2.1 defines it (Certificate
Transparency v2; the same tree as RFC 6962): hashes, tree heads, inclusion and consistency
proofs, and their verification.

Proofs are computed from ``hash_at(level, index)``: the hash of the complete subtree of
``2**level`` leaves that starts at leaf ``index * 2**level``. Anything that can answer that
question (an in-memory tree, tiles, a database table) can prove; nothing here needs every leaf.
Verification needs no tree at all: only the proof, the sizes and the tree heads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from site_builder.answer_log.errors import ProofError
from site_builder.messages import say

HASH_SIZE = 32
"""Bytes in a SHA-256 hash: every leaf hash, node hash, tree head and proof element."""
EMPTY_ROOT = hashlib.sha256(b"").digest()
"""The tree head of the empty tree: SHA-256 of no bytes (RFC 9162 §2.1.1)."""
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"

HashAt = Callable[[int, int], bytes]
"""``hash_at(level, index)``: the hash of the complete subtree of ``2**level`` leaves starting at
leaf ``index * 2**level`` (level 0: the leaf hashes)."""


def leaf_hash(entry: bytes) -> bytes:
    """The hash of a leaf: SHA-256(0x00 ‖ entry)."""
    return hashlib.sha256(LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node: SHA-256(0x01 ‖ left ‖ right)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def parent_hashes(hashes: Sequence[bytes]) -> list[bytes]:
    """The level above ``hashes``: the node hash of each pair, an odd last hash left out (it
    has no complete parent yet). One list comprehension: a million leaves take about a second."""
    sha256 = hashlib.sha256
    return [sha256(NODE_PREFIX + hashes[i] + hashes[i + 1]).digest()
            for i in range(0, len(hashes) - 1, 2)]


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """The tree head MTH(D[0:n]) of the leaves whose hashes are ``leaf_hashes`` (any number,
    0 included). Built level by level; a level's odd last node is carried up unchanged, which is
    the same tree as RFC 9162's split at the largest power of two below n."""
    if not leaf_hashes:
        return EMPTY_ROOT
    level = list(leaf_hashes)
    while len(level) > 1:
        carried = [level[-1]] if len(level) % 2 else []
        level = parent_hashes(level) + carried
    return level[0]


class MemoryTree:
    """Every complete subtree's hash of a tree held in memory: ``levels[k]`` lists the hashes of
    the complete subtrees of ``2**k`` leaves, left to right. For tests, small logs and
    publishing; a large log answers ``hash_at`` from its database or its tiles instead."""

    def __init__(self, leaf_hashes: Sequence[bytes]) -> None:
        self.levels: list[list[bytes]] = [list(leaf_hashes)]
        while len(self.levels[-1]) > 1:
            self.levels.append(parent_hashes(self.levels[-1]))

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def hash_at(self, level: int, index: int) -> bytes:
        """The hash of complete subtree ``index`` at ``level`` (see ``HashAt``)."""
        return self.levels[level][index]

    def root(self, size: int | None = None) -> bytes:
        """The tree head of the first ``size`` leaves (all of them by default)."""
        return range_hash(0, self.size if size is None else size, self.hash_at)


def range_hash(start: int, end: int, hash_at: HashAt) -> bytes:
    """MTH(D[start:end]): the hash of the tree over leaves ``start`` to ``end - 1``, folded from
    the complete subtrees it decomposes into, largest first. ``start`` must be a multiple of the
    largest of them, as every node of a Merkle tree's (and of a proof's) is; an empty range
    hashes to ``EMPTY_ROOT``."""
    if not 0 <= start <= end:
        raise ValueError(f"range_hash: no range of leaves from {start} to {end}")
    if start == end:
        return EMPTY_ROOT
    parts: list[bytes] = []
    position, count = start, end - start
    for level in range(count.bit_length() - 1, -1, -1):
        if count >> level & 1:
            if position % (1 << level):
                raise ValueError(f"range_hash: leaves {start} to {end} are not a subtree of a "
                                 f"Merkle tree (leaf {position} does not start one of 2**{level})")
            parts.append(hash_at(level, position >> level))
            position += 1 << level
    folded = parts[-1]
    for part in reversed(parts[:-1]):
        folded = node_hash(part, folded)
    return folded


def _largest_power_of_two_below(count: int) -> int:
    """k in RFC 9162: the largest power of two smaller than ``count`` (``count`` ≥ 2)."""
    return 1 << ((count - 1).bit_length() - 1)


def inclusion_proof(index: int, size: int, hash_at: HashAt) -> list[bytes]:
    """PATH(index, D[0:size]) (RFC 9162 §2.1.3.1): the hashes that lead from leaf ``index`` to
    the tree head of the first ``size`` leaves, nearest the leaf first."""
    if not 0 <= index < size:
        raise ValueError(f"inclusion_proof: leaf {index} is not in a tree of {size} leaves")
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        split = start + _largest_power_of_two_below(end - start)
        if index < split:
            path.append(range_hash(split, end, hash_at))
            end = split
        else:
            path.append(range_hash(start, split, hash_at))
            start = split
    path.reverse()
    return path


def consistency_proof(old_size: int, new_size: int, hash_at: HashAt) -> list[bytes]:
    """PROOF(old_size, D[0:new_size]) (RFC 9162 §2.1.4.1): the hashes showing that the tree of
    ``new_size`` leaves extends the tree of ``old_size`` leaves, nothing changed or removed."""
    if not 0 < old_size <= new_size:
        raise ValueError(f"consistency_proof: no proof from {old_size} to {new_size} leaves")
    proof: list[bytes] = []
    start, end, old_end = 0, new_size, old_size
    old_is_whole_head = True  # SUBPROOF's b: the old head is known to the verifier
    while old_end != end:
        split = start + _largest_power_of_two_below(end - start)
        if old_end <= split:
            proof.append(range_hash(split, end, hash_at))
            end = split
        else:
            proof.append(range_hash(start, split, hash_at))
            start = split
            old_is_whole_head = False
    if not old_is_whole_head:
        proof.append(range_hash(start, old_end, hash_at))
    proof.reverse()
    return proof


def _check_hash(value: bytes, what: str) -> None:
    """Refuse a hash of the wrong length; ``what`` says which one, in the reader's language.
    Tree heads are only compared, never hashed, so a wrong one is a mismatch (as RFC 9162 and
    transparency-dev/merkle treat it: two equal-size heads are consistent when equal)."""
    if len(value) != HASH_SIZE:
        raise ProofError("answer_log.proof.hash_length", what=what, length=len(value))


def _check_proof(proof: Sequence[bytes]) -> None:
    for position, element in enumerate(proof, 1):
        _check_hash(element, say("answer_log.hash.proof", position=position))


def verify_inclusion(entry_hash: bytes, index: int, size: int, proof: Sequence[bytes],
                     tree_root: bytes) -> None:
    """Check that ``proof`` leads from the leaf hash ``entry_hash`` at ``index`` to
    ``tree_root``, the head of a tree of ``size`` leaves (RFC 9162 §2.1.3.2, step by step).
    Raise ``ProofError`` naming what failed; return None when the leaf is in the tree."""
    _check_hash(entry_hash, say("answer_log.hash.leaf"))
    _check_proof(proof)
    if not 0 <= index < size:
        raise ProofError("answer_log.proof.index_out_of_range", index=index, size=size)
    fn, sn = index, size - 1
    computed = entry_hash
    for element in proof:
        if sn == 0:
            raise ProofError("answer_log.proof.too_long", index=index, size=size,
                             count=len(proof))
        if fn & 1 or fn == sn:
            computed = node_hash(element, computed)
            while fn and not fn & 1:  # fn == sn, a left child: climb to where it is a right one
                fn >>= 1
                sn >>= 1
        else:
            computed = node_hash(computed, element)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("answer_log.proof.too_short", index=index, size=size, count=len(proof))
    if computed != tree_root:
        raise ProofError("answer_log.proof.root_mismatch", index=index, size=size,
                         computed=computed.hex(), expected=tree_root.hex())


def _same_tree(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
               proof: Sequence[bytes]) -> bool:
    """The cases RFC 9162's algorithm leaves out (0 < old < new): True when both heads are of
    one size and equal, a ``ProofError`` when no proof can hold, False to run the algorithm."""
    _check_proof(proof)
    if old_size > new_size:
        raise ProofError("answer_log.consistency.sizes_reversed", old=old_size, new=new_size)
    if old_size == 0:
        raise ProofError("answer_log.consistency.from_empty", new=new_size)
    if old_size == new_size:
        if proof:
            raise ProofError("answer_log.consistency.same_size_proof", size=new_size)
        if old_root != new_root:
            raise ProofError("answer_log.consistency.same_size_roots", size=new_size,
                             old_root=old_root.hex(), new_root=new_root.hex())
        return True
    if not proof:
        raise ProofError("answer_log.consistency.empty", old=old_size, new=new_size)
    return False


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       proof: Sequence[bytes]) -> None:
    """Check that ``proof`` shows the tree of ``new_size`` leaves headed by ``new_root``
    extends the tree of ``old_size`` leaves headed by ``old_root`` (RFC 9162 §2.1.4.2, step by
    step). Raise ``ProofError`` naming what failed; return None when it does."""
    if _same_tree(old_size, new_size, old_root, new_root, proof):
        return
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old head is itself a node
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    first = second = path[0]
    for element in path[1:]:
        if sn == 0:
            raise ProofError("answer_log.consistency.too_long", old=old_size, new=new_size,
                             count=len(proof))
        if fn & 1 or fn == sn:
            first = node_hash(element, first)
            second = node_hash(element, second)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            second = node_hash(second, element)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("answer_log.consistency.too_short", old=old_size, new=new_size,
                         count=len(proof))
    if first != old_root:
        raise ProofError("answer_log.consistency.old_root_mismatch", old=old_size,
                         new=new_size, computed=first.hex(), expected=old_root.hex())
    if second != new_root:
        raise ProofError("answer_log.consistency.new_root_mismatch", old=old_size,
                         new=new_size, computed=second.hex(), expected=new_root.hex())
