"""The subtree hashes kept for inclusion proofs (``answer_log_commands.prove_hashes``): every
proof identical to the one made from the whole tree, at the sizes where chunks begin and end;
a proof of a log already read costs at most two chunks; the kept hashes grow by the new leaves
only; hashes kept from another log are read again by ``prove``."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from site_builder.answer_log.merkle import MemoryTree, inclusion_proof
from site_builder.answer_log.note import generate_key
from site_builder.answer_log_commands.errors import LogCommandError
from site_builder.answer_log_commands.head import log_contents, sign_head
from site_builder.answer_log_commands.prove import prove
from site_builder.answer_log_commands.prove_hashes import CHUNK, ProofHashes, proof_hashes
from site_builder.storage import open_storage
from site_builder.storage.answer_log import LogLeaf
from tests.log_command_support import ORIGIN, store_answers

NOW = datetime(2027, 1, 20, 9, 30, tzinfo=UTC)


class Leaves:
    """A log of ``count`` leaves, read as ``Storage.log_leaves`` reads it."""

    def __init__(self, count: int, *, missing: int | None = None) -> None:
        self.hashes = [hashlib.sha256(b"\x00" + str(index).encode()).digest()
                       for index in range(count)]
        self.missing = missing

    def log_leaves(self, start: int = 0, end: int | None = None) -> Iterator[LogLeaf]:
        for index in range(start, min(len(self.hashes), len(self.hashes) if end is None
                                      else end)):
            if index != self.missing:
                yield LogLeaf(index, "CODE", b"", self.hashes[index], "current", None, NOW)


SIZES = [1, 2, 3, 255, 256, 257, 511, 512, 513, 767, 1000, 1024, 1025, 2049]


@pytest.mark.parametrize("size", SIZES)
def test_every_proof_is_the_whole_trees(size: int) -> None:
    log = Leaves(size)
    whole = MemoryTree(log.hashes)
    hash_at = ProofHashes().hash_at(log, size)
    for index in range(size):
        assert inclusion_proof(index, size, hash_at) == inclusion_proof(index, size,
                                                                        whole.hash_at), index


def test_kept_hashes_serve_smaller_and_larger_trees_reading_only_what_is_new() -> None:
    log = Leaves(6000)
    hashes = ProofHashes()

    def same_proofs(size: int, indexes: list[int]) -> None:
        whole = MemoryTree(log.hashes[:size])
        for index in indexes:
            read = hashes.leaves_read
            proof = inclusion_proof(index, size, hashes.hash_at(log, size))
            assert proof == inclusion_proof(index, size, whole.hash_at), (size, index)
            assert hashes.leaves_read - read <= 2 * CHUNK, (size, index)

    hashes.hash_at(log, 5000)
    assert hashes.leaves_read == 5000 // CHUNK * CHUNK  # the complete chunks, once
    same_proofs(5000, [0, 255, 256, 4095, 4096, 4863, 4864, 4999])
    same_proofs(300, [0, 5, 256, 299])  # an older checkpoint's tree, from the same hashes
    before = hashes.leaves_read
    hashes.hash_at(log, 6000)
    assert hashes.leaves_read - before == (6000 // CHUNK - 5000 // CHUNK) * CHUNK
    same_proofs(6000, [0, 4999, 5000, 5887, 5888, 5999])


def test_a_leaf_missing_from_the_log_is_said() -> None:
    with pytest.raises(LogCommandError, match="leaf 301 where 300 was expected"):
        ProofHashes().hash_at(Leaves(600, missing=300), 600)
    short = ProofHashes().hash_at(Leaves(599), 600)  # a checkpoint beyond the leaves
    with pytest.raises(LogCommandError, match="leaf 600 where 599 was expected"):
        inclusion_proof(598, 600, short)
    log = Leaves(600, missing=590)
    hash_at = ProofHashes().hash_at(log, 600)  # the complete chunks are whole
    with pytest.raises(LogCommandError, match="leaf 591 where 590 was expected"):
        inclusion_proof(599, 600, hash_at)


def test_prove_gives_the_whole_trees_proof_and_reads_kept_hashes_again_when_wrong(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    answers = store_answers(url, 600)
    storage = open_storage(url)
    try:
        sign_head(storage, generate_key(ORIGIN, seed=bytes(range(32))), NOW)
        whole = log_contents(storage, 600).tree()
        for number in (0, 255, 256, 511, 599):
            found = prove(storage, answers[number].receipt)
            assert list(found.proof) == inclusion_proof(number, 600, whole.hash_at)
        kept = proof_hashes(storage)
        assert kept.leaves_read < 600 + 5 * 2 * CHUNK
        # hashes kept from another log (as if the database had been restored under a collector)
        kept.forget()
        kept.hash_at(Leaves(600), 600)
        found = prove(storage, answers[10].receipt)
        assert list(found.proof) == inclusion_proof(10, 600, whole.hash_at)
    finally:
        storage.close()
