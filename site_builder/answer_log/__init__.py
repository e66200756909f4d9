"""The answer log (issue #19): an append-only Merkle tree of answer commitments, published as
C2SP tlog-tiles with signed checkpoints (docs/answer-log.md).

``merkle``: RFC 9162 hashing, tree heads, proofs and their verification. ``tiles`` and
``tile_reader``: the C2SP tlog-tiles layout, made and read back. ``note`` and ``checkpoint``:
C2SP signed notes, Ed25519 keys, checkpoints. ``entry``: what a leaf commits to. No storage,
no web framework: the collector and the commands build on these.
"""
