"""The standalone verifier (issue #19, point 2): its own Ed25519, RFC 9162 proofs from C2SP
tiles, and the command a citizen or a mediator runs, on journals written by the independent
test writer of ``tests/journal_verifier_support.py``."""

from __future__ import annotations

import ast
import base64
import json
import os
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from site_builder.journal_verifier import parole_verifier as verifier
from tests.journal_verifier_support import (
    ORIGIN,
    VERIFIER,
    Signer,
    answer,
    leaf,
    mth,
    path,
    publish,
    subproof,
    tile_name,
)
from tests.support import REPO

SIZES = [1, 2, 3, 255, 256, 257, 1000]
VECTORS = json.loads((REPO / "tests" / "data" / "rfc8032_ed25519.json").read_text())["vectors"]
# The RFC 6962 reference tree (certificate-transparency's tests, reused by Go's tlog and
# transparency-dev/merkle): its eight entries and the roots of its first 1 to 8 leaves.
RFC6962_ENTRIES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                   "606162636465666768696a6b6c6d6e6f"]
RFC6962_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# golang.org/x/mod/sumdb/note's example: a verifier key and a note it signed.
GO_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = ("If you think cryptography is the answer to your problem,\n"
           "then you don't know what your problem is.\n")
GO_NOTE = (GO_TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgY"
           "N1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]


# --- Ed25519 (RFC 8032) -----------------------------------------------------------------

@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_rfc8032_vectors_verify_and_any_changed_bit_is_refused(vector: dict[str, str]) -> None:
    public, message, signature = (bytes.fromhex(vector[k])
                                  for k in ("public_key", "message", "signature"))
    assert verifier.ed25519_verify(public, message, signature)
    assert not verifier.ed25519_verify(public, message + b"!", signature)
    assert not verifier.ed25519_verify(public, message, _flip(signature, 5))  # R
    assert not verifier.ed25519_verify(public, message, _flip(signature, 40))  # S
    assert not verifier.ed25519_verify(_flip(public, 0), message, signature)
    other = bytes.fromhex(VECTORS[(VECTORS.index(vector) + 1) % len(VECTORS)]["public_key"])
    assert not verifier.ed25519_verify(other, message, signature)


def test_signatures_made_by_cryptography_verify() -> None:
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    for size in (0, 1, 31, 32, 33, 200, 5000):
        key = Ed25519PrivateKey.generate()
        public = key.public_key().public_bytes_raw()
        message = os.urandom(size)
        signature = key.sign(message)
        assert verifier.ed25519_verify(public, message, signature)
        assert not verifier.ed25519_verify(other, message, signature)
        assert not verifier.ed25519_verify(public, message + b"\n", signature)


def test_a_malleable_copy_of_a_signature_is_refused() -> None:
    """S + L verifies the same equation; RFC 8032 requires S < L."""
    vector = VECTORS[1]
    public, message, signature = (bytes.fromhex(vector[k])
                                  for k in ("public_key", "message", "signature"))
    s = int.from_bytes(signature[32:], "little") + verifier._L
    assert not verifier.ed25519_verify(public, message, signature[:32] + s.to_bytes(32, "little"))
    assert not verifier.ed25519_verify(public[:31], message, signature)
    assert not verifier.ed25519_verify(public, message, signature[:63])
    assert not verifier.ed25519_verify(b"\xff" * 32, message, signature)  # y >= p


# --- Signed notes and checkpoints (C2SP) ------------------------------------------------

def test_go_sumdb_note_example_opens_and_a_changed_letter_is_refused() -> None:
    key = verifier.parse_verifier_key(GO_KEY)
    assert verifier.open_note(GO_NOTE.encode(), key, "note") == GO_TEXT
    with pytest.raises(verifier.RefusedError) as refused:
        verifier.open_note(GO_NOTE.replace("answer", "Answer").encode(), key, "note")
    assert refused.value.message == "signature_mismatch"


def test_verifier_keys_are_read_with_a_plus_in_their_base64_and_typos_refused() -> None:
    # transparency-dev/formats' test key: its base64 holds a '+'.
    key = verifier.parse_verifier_key("TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6")
    assert key.name == "TEST"
    assert key.key_id == bytes.fromhex("7997405c")
    for typo, reason in [(GO_KEY.replace("ARpc", "ARpd"), "bad_key_id"),
                         (GO_KEY.replace("c74f20a3", "c74f20a4"), "bad_key_id"),
                         (GO_KEY.replace("+ARpc", "+Apc"), "bad_key_form"),
                         ("PeterNeumann", "bad_key_form"),
                         (GO_KEY.replace("+ARpc", "+AhpC"), "bad_key_type")]:
        with pytest.raises(verifier.CannotCheckError) as cannot:
            verifier.parse_verifier_key(typo)
        assert cannot.value.values["reason_key"] == reason, typo


def test_signatures_by_other_keys_are_ignored_and_one_by_the_key_is_needed() -> None:
    signer, witness = Signer(), Signer("witness.example/w1")
    text = f"{ORIGIN}\n3\n{base64.b64encode(bytes(32)).decode()}\n"
    witnessed = signer.note(text) + witness.note(text).split(b"\n\n")[-1]
    key = verifier.parse_verifier_key(signer.verifier_key)
    assert verifier.open_note(witnessed, key, "checkpoint") == text
    assert verifier.parse_checkpoint(text, "checkpoint") == (ORIGIN, 3, bytes(32))
    with pytest.raises(verifier.RefusedError) as refused:
        verifier.open_note(witness.note(text), key, "checkpoint")
    assert refused.value.message == "not_signed_by_key"


@pytest.mark.parametrize(("note", "reason"), [
    (b"\xff\xfe", "reason_utf8"),
    (b"origin\n1\nroot\n\x07\n\n\xe2\x80\x94 a b\n", "reason_control"),
    (b"origin\n1\nroot\n", "reason_no_signature"),
    ("origin\n1\nroot\n\n\u2014 name\n".encode(), "reason_signature_line"),
    (b"origin\n1\nroot\n\n- name AAAA\n", "reason_signature_line"),
])
def test_malformed_notes_are_refused_with_their_reason(note: bytes, reason: str) -> None:
    key = verifier.parse_verifier_key(GO_KEY)
    with pytest.raises(verifier.RefusedError) as refused:
        verifier.open_note(note, key, "checkpoint")
    assert refused.value.values["reason_key"] == reason


@pytest.mark.parametrize("text", [
    "origin\n1\n", "origin\n01\nAAAA\n", "\n1\nAAAA\n", "origin\n1\nAAAA\n",
    f"origin\n-1\n{base64.b64encode(bytes(32)).decode()}\n",
    f"origin\n1\n{base64.b64encode(bytes(32)).decode()}\n\n",
])
def test_malformed_checkpoints_are_refused(text: str) -> None:
    with pytest.raises(verifier.RefusedError) as refused:
        verifier.parse_checkpoint(text, "checkpoint")
    assert refused.value.values["reason_key"] == "reason_checkpoint"


# --- RFC 9162 proofs from tiles ---------------------------------------------------------

def _tree(folder: Path, entries: list[bytes]) -> verifier.TreeReader:
    publish(folder, entries, Signer())
    return verifier.TreeReader(verifier.Journal(str(folder), 5), len(entries))


def test_rfc6962_reference_tree(tmp_path: Path) -> None:
    entries = [bytes.fromhex(e) for e in RFC6962_ENTRIES]
    leaves = [leaf(e) for e in entries]
    for n in range(1, 9):
        assert mth(leaves[:n]).hex() == RFC6962_ROOTS[n - 1]  # the test writer is right
        tree = _tree(tmp_path / str(n), entries[:n])
        assert tree.range_hash(0, n).hex() == RFC6962_ROOTS[n - 1]
        assert tree.authentic(bytes.fromhex(RFC6962_ROOTS[n - 1]))
    assert tree.entries(0) == entries  # variable lengths, an empty entry among them
    proof = tree.inclusion_proof(5, 0, 8)
    assert [p.hex()[:8] for p in proof] == ["bc1a0643", "ca854ea1", "d37ee418"]
    root = bytes.fromhex(RFC6962_ROOTS[7])
    assert verifier.verify_inclusion(5, 8, leaves[5], proof, root)
    assert not verifier.verify_inclusion(4, 8, leaves[5], proof, root)
    consistency = tree.consistency_proof(6, 0, 8, True)
    assert [p.hex()[:8] for p in consistency] == ["0ebc5d34", "ca854ea1", "d37ee418"]
    assert verifier.verify_consistency(6, 8, consistency, bytes.fromhex(RFC6962_ROOTS[5]), root)
    assert not verifier.verify_consistency(6, 8, consistency, bytes.fromhex(RFC6962_ROOTS[4]),
                                           root)


@pytest.mark.parametrize("size", SIZES)
def test_inclusion_proofs_from_tiles_are_rfc9162s(tmp_path: Path, size: int) -> None:
    entries = [answer(i) for i in range(size)]
    leaves = [leaf(e) for e in entries]
    tree = _tree(tmp_path, entries)
    root = mth(leaves)
    assert tree.range_hash(0, size) == root
    indices = range(size) if size <= 257 else [0, 1, 255, 256, 511, 512, 767, 768, 998, 999]
    for index in indices:
        proof = tree.inclusion_proof(index, 0, size)
        assert proof == path(index, leaves), index
        assert verifier.verify_inclusion(index, size, leaves[index], proof, root)
        assert not verifier.verify_inclusion(index, size, leaves[index - 1], proof, root) or (
            size == 1)
        if proof:
            assert not verifier.verify_inclusion(index, size, leaves[index],
                                                 [_flip(proof[0], 0), *proof[1:]], root)
            assert not verifier.verify_inclusion(index, size, leaves[index], proof[:-1], root)
    assert not verifier.verify_inclusion(size, size, leaves[0], [], root)
    assert tree.authentic(root)


def test_consistency_proofs_from_tiles_for_every_pair_up_to_40(tmp_path: Path) -> None:
    entries = [answer(i) for i in range(40)]
    leaves = [leaf(e) for e in entries]
    for n in range(1, 41):
        tree = _tree(tmp_path / str(n), entries[:n])
        for m in range(n + 1):
            proof = tree.consistency_proof(m, 0, n, True) if 0 < m < n else []
            assert proof == (subproof(m, leaves[:n], True) if 0 < m < n else []), (m, n)
            assert verifier.verify_consistency(m, n, proof, mth(leaves[:m]), mth(leaves[:n]))
            if 0 < m < n:
                tampered = [*proof[:-1], _flip(proof[-1], 3)]
                assert not verifier.verify_consistency(m, n, tampered, mth(leaves[:m]),
                                                       mth(leaves[:n]))
                assert not verifier.verify_consistency(m, n, proof, mth(leaves[: m - 1]),
                                                       mth(leaves[:n]))


@pytest.mark.parametrize(("m", "n"), [(1, 1000), (255, 257), (256, 1000), (257, 1000),
                                      (999, 1000), (512, 1000)])
def test_consistency_proofs_across_tiles(tmp_path: Path, m: int, n: int) -> None:
    entries = [answer(i) for i in range(n)]
    leaves = [leaf(e) for e in entries]
    tree = _tree(tmp_path, entries)
    proof = tree.consistency_proof(m, 0, n, True)
    assert proof == subproof(m, leaves, True)
    assert verifier.verify_consistency(m, n, proof, mth(leaves[:m]), mth(leaves))


def test_tile_paths_group_digits_by_three() -> None:
    assert verifier.tile_path(0, 0, 256) == "tile/0/000"
    assert verifier.tile_path(1, 5, 17) == "tile/1/005.p/17"
    assert verifier.tile_path(2, 1234067, 256) == "tile/2/x001/x234/067"
    assert verifier.tile_path("entries", 1000, 3) == "tile/entries/x001/000.p/3"
    for number in (0, 7, 999, 1000, 1234067):
        assert verifier.tile_path(0, number, 1) == tile_name(0, number, 1)


def test_the_verifier_is_one_standard_library_file_for_python_3_8() -> None:
    source = VERIFIER.read_text(encoding="utf-8")
    tree = ast.parse(source, feature_version=(3, 8))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {str(node.module).split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom)}
    assert imported <= sys.stdlib_module_names, imported - sys.stdlib_module_names
    assert "from __future__ import annotations" in source  # 3.8 reads list[int] as text
