"""The answer log's core and the standalone verifier citizens download were written apart, from
the same specifications (issue #19): a journal written with ``site_builder.answer_log`` must be
accepted by ``parole_verifier.py``, and an altered one refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from site_builder.answer_log.checkpoint import Checkpoint, sign_checkpoint
from site_builder.answer_log.merkle import leaf_hash, root
from site_builder.answer_log.note import SignerKey, generate_key
from site_builder.answer_log.tiles import build_tiles, bundles_for_size, encode_bundle
from site_builder.journal_verifier.parole_verifier import main as verifier_main

ORIGIN = "consultation.example.org/journal"


def write_journal(folder: Path, entries: list[bytes], key: SignerKey) -> str:
    """The journal of ``entries`` as tlog-tiles files, its signed checkpoint and public key;
    returns the checkpoint."""
    leaves = [leaf_hash(entry) for entry in entries]
    files = {tile.path: data for tile, data in build_tiles(leaves).items()}
    for bundle in bundles_for_size(len(entries)):
        start = bundle.index * 256
        files[bundle.path] = encode_bundle(entries[start:start + bundle.width])
    checkpoint = sign_checkpoint(Checkpoint(ORIGIN, len(entries), root(leaves)), key)
    files["checkpoint"] = checkpoint.encode()
    files["key.txt"] = key.verifier.text.encode()
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    return checkpoint


def _entries(count: int) -> list[bytes]:
    return [hashlib.sha256(f"answer {number}".encode()).digest() for number in range(count)]


@pytest.mark.parametrize(("size", "index"), [(1, 0), (3, 2), (257, 256), (600, 300)])
def test_the_standalone_verifier_accepts_our_journal(tmp_path: Path, size: int,
                                                      index: int) -> None:
    key = generate_key(ORIGIN)
    entries = _entries(size)
    previous = tmp_path / "previous-checkpoint"
    previous.write_text(write_journal(tmp_path / "old", entries[:max(size // 2, 1)], key),
                        encoding="utf-8")
    write_journal(tmp_path / "journal", entries, key)
    assert verifier_main(["--journal", str(tmp_path / "journal"), "--key", key.verifier.text,
                          "--index", str(index), "--leaf-hash",
                          leaf_hash(entries[index]).hex(), "--previous", str(previous),
                          "--language", "en"]) == 0


def test_the_standalone_verifier_refuses_our_journal_altered(tmp_path: Path) -> None:
    key = generate_key(ORIGIN)
    entries = _entries(600)
    write_journal(tmp_path, entries, key)
    tile = tmp_path / "tile/0/001"
    data = tile.read_bytes()
    tile.write_bytes(data[:32] + bytes([data[32] ^ 1]) + data[33:])
    assert verifier_main(["--journal", str(tmp_path), "--key", key.verifier.text, "--index",
                          "300", "--leaf-hash", leaf_hash(entries[300]).hex(),
                          "--language", "en"]) == 1
