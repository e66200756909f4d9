"""The answer log's Merkle tree (issue #19): RFC 9162 hashing, tree heads, inclusion and
consistency proofs, checked against the reference test vectors of transparency-dev/merkle
(the library Certificate Transparency and sigstore's logs use) and against a naive recursive
reading of RFC 9162 §2.1."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from functools import cache
from typing import Any

import pytest

from site_builder.answer_log.errors import ProofError
from site_builder.answer_log.merkle import (
    EMPTY_ROOT,
    MemoryTree,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    range_hash,
    root,
    verify_consistency,
    verify_inclusion,
)
from tests.support import REPO

VECTORS = json.loads((REPO / "tests/data/answer_log/transparency_dev_vectors.json")
                     .read_text(encoding="utf-8"))

# transparency-dev/merkle testonly/constants.go: LeafInputs, NodeHashes, RootHashes.
REFERENCE_LEAVES = [bytes.fromhex(text) for text in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f")]
REFERENCE_LEAF_HASHES = [bytes.fromhex(text) for text in (
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1")]
REFERENCE_ROOTS = [bytes.fromhex(text) for text in (
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")]


def naive_mth(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH as RFC 9162 §2.1.1 writes it, recursively: the reference the fast code must equal."""
    if not leaf_hashes:
        return hashlib.sha256(b"").digest()
    if len(leaf_hashes) == 1:
        return leaf_hashes[0]
    k = 1
    while k * 2 < len(leaf_hashes):
        k *= 2
    return node_hash(naive_mth(leaf_hashes[:k]), naive_mth(leaf_hashes[k:]))


@cache
def numbered_leaf_hashes(count: int) -> tuple[bytes, ...]:
    return tuple(leaf_hash(f"answer {number}".encode()) for number in range(count))


def _b64(text: str | None) -> bytes:
    return base64.b64decode(text or "")


def _proof(vector: dict[str, Any]) -> list[bytes]:
    return [_b64(element) for element in vector["proof"] or []]


def test_hashes_are_rfc_9162_domain_separated() -> None:
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    left, right = b"l" * 32, b"r" * 32
    assert node_hash(left, right) == hashlib.sha256(b"\x01" + left + right).digest()
    assert [leaf_hash(leaf) for leaf in REFERENCE_LEAVES] == REFERENCE_LEAF_HASHES
    assert REFERENCE_ROOTS[0] == EMPTY_ROOT


def test_tree_heads_match_the_reference_roots() -> None:
    for size, expected in enumerate(REFERENCE_ROOTS):
        assert root(REFERENCE_LEAF_HASHES[:size]) == expected, size
        assert MemoryTree(REFERENCE_LEAF_HASHES).root(size) == expected, size


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4, 5, 7, 8, 9, 255, 256, 257, 1000])
def test_tree_heads_match_a_naive_recursive_mth(size: int) -> None:
    leaves = numbered_leaf_hashes(size)
    assert root(leaves) == naive_mth(leaves)
    assert MemoryTree(leaves).root() == naive_mth(leaves)


def test_range_hash_reproduces_the_subtree_hash_vector() -> None:
    """transparency-dev/merkle testonly/vectors_test.go, TestSubtreeHashVectors (from the draft
    draft-ietf-plants-merkle-tree-certs): every valid subtree [start, end) of a 130-leaf tree,
    folded into one SHA-256."""
    tree = MemoryTree([leaf_hash(bytes([number])) for number in range(130)])
    rolling = hashlib.sha256()
    for end in range(131):
        for start in range(end + 1):
            if start and start != end and start % (1 << (end - start - 1).bit_length()):
                continue  # isSubtreeValid: start a multiple of bit_ceil(end - start)
            rolling.update(f"[{start}, {end}) {range_hash(start, end, tree.hash_at).hex()}\n"
                           .encode())
    assert rolling.hexdigest() == "b82806ad4265bb151c1119c0f4db437bb4d1a1f887b3a7fba1cd4ebf552e3e81"


def test_a_range_that_is_no_subtree_is_refused() -> None:
    tree = MemoryTree(numbered_leaf_hashes(8))
    with pytest.raises(ValueError, match="not a subtree"):
        range_hash(1, 3, tree.hash_at)


@pytest.mark.parametrize("vector", VECTORS["inclusion"], ids=lambda vector: vector["file"])
def test_inclusion_vectors(vector: dict[str, Any]) -> None:
    check = (_b64(vector["leafHash"]), vector["leafIdx"], vector["treeSize"], _proof(vector),
             _b64(vector["root"]))
    if vector["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*check)
    else:
        verify_inclusion(*check)


@pytest.mark.parametrize("vector", VECTORS["consistency"], ids=lambda vector: vector["file"])
def test_consistency_vectors(vector: dict[str, Any]) -> None:
    check = (vector["size1"], vector["size2"], _b64(vector["root1"]), _b64(vector["root2"]),
             _proof(vector))
    if vector["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*check)
    else:
        verify_consistency(*check)


def test_proofs_match_the_reference_proofs() -> None:
    """The happy-path vectors were made from the reference tree: ours must be the same bytes."""
    tree = MemoryTree(REFERENCE_LEAF_HASHES)
    inclusions = [v for v in VECTORS["inclusion"] if v["desc"] == "happy path"]
    consistencies = [v for v in VECTORS["consistency"]
                     if v["desc"] == "happy path" and v["size1"] > 0]
    assert len(inclusions) >= 4 and len(consistencies) >= 4
    for vector in inclusions:
        assert inclusion_proof(vector["leafIdx"], vector["treeSize"], tree.hash_at) \
            == _proof(vector)
    for vector in consistencies:
        assert consistency_proof(vector["size1"], vector["size2"], tree.hash_at) \
            == _proof(vector)


def test_every_inclusion_proof_of_small_trees_verifies_and_tampering_is_refused() -> None:
    leaves = numbered_leaf_hashes(40)
    tree = MemoryTree(leaves)
    for size in range(1, 41):
        head = tree.root(size)
        for index in range(size):
            proof = inclusion_proof(index, size, tree.hash_at)
            verify_inclusion(leaves[index], index, size, proof, head)
            for position in range(len(proof)):
                tampered = [*proof]
                tampered[position] = bytes([proof[position][0] ^ 1]) + proof[position][1:]
                with pytest.raises(ProofError) as refused:
                    verify_inclusion(leaves[index], index, size, tampered, head)
                assert refused.value.key == "answer_log.proof.root_mismatch"
            if size > 1:
                with pytest.raises(ProofError):
                    verify_inclusion(leaves[(index + 1) % size], index, size, proof, head)


@pytest.mark.parametrize("size", [255, 256, 257, 1000])
def test_inclusion_proofs_of_larger_trees_verify(size: int) -> None:
    leaves = numbered_leaf_hashes(size)
    tree = MemoryTree(leaves)
    head = naive_mth(leaves)
    for index in (0, 1, 127, 128, size // 2, size - 2, size - 1):
        verify_inclusion(leaves[index], index, size, inclusion_proof(index, size, tree.hash_at),
                         head)


def test_every_consistency_proof_up_to_40_leaves_verifies_and_tampering_is_refused() -> None:
    tree = MemoryTree(numbered_leaf_hashes(40))
    heads = [tree.root(size) for size in range(41)]
    for new in range(1, 41):
        for old in range(1, new + 1):
            proof = consistency_proof(old, new, tree.hash_at)
            verify_consistency(old, new, heads[old], heads[new], proof)
            for position in range(len(proof)):
                tampered = [*proof]
                tampered[position] = bytes([proof[position][0] ^ 1]) + proof[position][1:]
                with pytest.raises(ProofError):
                    verify_consistency(old, new, heads[old], heads[new], tampered)
            if old < new:
                with pytest.raises(ProofError) as refused:
                    verify_consistency(old, new, heads[old], heads[old + 1 if old + 1 < new
                                                                   else 0], proof)
                assert refused.value.key in {"answer_log.consistency.new_root_mismatch",
                                             "answer_log.consistency.old_root_mismatch"}


@pytest.mark.parametrize(("check", "key"), [
    (lambda h, p: verify_inclusion(h, 8, 8, p, h), "answer_log.proof.index_out_of_range"),
    (lambda h, p: verify_inclusion(h, 0, 8, [*p, h], h), "answer_log.proof.too_long"),
    (lambda h, p: verify_inclusion(h, 0, 8, p[:-1], h), "answer_log.proof.too_short"),
    (lambda h, p: verify_inclusion(h[:31], 0, 8, p, h), "answer_log.proof.hash_length"),
    (lambda h, p: verify_consistency(5, 4, h, h, p), "answer_log.consistency.sizes_reversed"),
    (lambda h, p: verify_consistency(0, 4, h, h, p), "answer_log.consistency.from_empty"),
    (lambda h, p: verify_consistency(4, 4, h, h, p), "answer_log.consistency.same_size_proof"),
    (lambda h, p: verify_consistency(4, 4, h, p[0], []),
     "answer_log.consistency.same_size_roots"),
    (lambda h, p: verify_consistency(3, 8, h, h, []), "answer_log.consistency.empty"),
])
def test_each_refusal_names_what_failed(check: Any, key: str) -> None:
    tree = MemoryTree(REFERENCE_LEAF_HASHES)
    with pytest.raises(ProofError) as refused:
        check(REFERENCE_LEAF_HASHES[0], inclusion_proof(0, 8, tree.hash_at))
    assert refused.value.key == key


def test_a_refusal_says_where_in_words() -> None:
    tree = MemoryTree(REFERENCE_LEAF_HASHES)
    proof = inclusion_proof(3, 8, tree.hash_at)
    with pytest.raises(ProofError, match=r"leaf 3 leads to the tree head [0-9a-f]{64}, but the "
                       r"checkpoint of 7 leaves says [0-9a-f]{64}") as refused:
        verify_inclusion(REFERENCE_LEAF_HASHES[3], 3, 7, [*proof[:2], REFERENCE_ROOTS[4]],
                         REFERENCE_ROOTS[7])
    assert refused.value.values["index"] == 3


def test_consistency_proofs_read_only_the_hashes_they_need() -> None:
    """Proving from hash_at alone: a tree of a million leaves answers from a few dozen
    subtree hashes (here a fake hash_at that makes them up and counts the calls)."""
    asked: list[tuple[int, int]] = []

    def hash_at(level: int, index: int) -> bytes:
        asked.append((level, index))
        return hashlib.sha256(f"{level}/{index}".encode()).digest()

    size = 1_000_003
    proof = consistency_proof(999_999, size, hash_at)
    assert len(proof) < 40 and len(asked) < 100
    assert all(index << level < size for level, index in asked)
    inclusion = inclusion_proof(123_456, size, hash_at)
    assert len(inclusion) == 20
