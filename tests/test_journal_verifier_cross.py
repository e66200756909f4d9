"""Two implementations written apart from the same specifications agree: tiles, entry bundles
and a checkpoint made by parole's library (``site_builder.answer_log``) are verified by the
standalone verifier, which shares no code with it; and what one refuses, the other does."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.answer_log.checkpoint import Checkpoint, sign_checkpoint
from site_builder.answer_log.entry import AnswerFields, answer_entry
from site_builder.answer_log.merkle import leaf_hash, root
from site_builder.answer_log.note import generate_key
from site_builder.answer_log.tiles import build_tiles, bundles_for_size, encode_bundle
from site_builder.journal_verifier import VERIFIER_FILE

ORIGIN = "consultation.example.org/journal"
RECEIVED = datetime.datetime(2026, 3, 1, 10, 15, tzinfo=datetime.UTC)


def _answers(count: int) -> list[bytes]:
    """Real entries: salted commitments of answers, as the collector will log them."""
    return [answer_entry(AnswerFields(
        form="avis-parc", version="3f9a1c2e", channel=("online", "paper", "assisted")[i % 3],
        values={"avis": [f"Réponse {i}"], "usage": ["promenade", "jeux"][: i % 3]},
        received=RECEIVED + datetime.timedelta(seconds=i), language="fr"),
        i.to_bytes(16, "big")) for i in range(count)]


def _publish(folder: Path, entries: list[bytes], size: int, key_seed: bytes) -> str:
    """The journal of the first ``size`` entries, every file made by parole's library; the
    verifier key text."""
    signer = generate_key(ORIGIN, key_seed)
    leaves = [leaf_hash(e) for e in entries[:size]]
    files: dict[str, bytes] = {tile.path: data for tile, data in build_tiles(leaves).items()}
    for bundle in bundles_for_size(size):
        start = bundle.index * 256
        files[bundle.path] = encode_bundle(entries[start : start + bundle.width])
    checkpoint = sign_checkpoint(Checkpoint(ORIGIN, size, root(leaves)), signer)
    files["checkpoint"] = checkpoint.encode()
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    return signer.verifier.text


def _verify(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-I", "-S", str(VERIFIER_FILE), "--language", "en",
                           *args], capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("size", [1, 2, 3, 255, 256, 257, 1000])
def test_the_verifier_accepts_what_the_library_publishes(tmp_path: Path, size: int) -> None:
    entries = _answers(size)
    key = _publish(tmp_path, entries, size, bytes(range(32)))
    for index in sorted({0, size // 2, size - 1}):
        result = _verify("--journal", str(tmp_path), "--key", key, "--index", str(index),
                         "--leaf-hash", leaf_hash(entries[index]).hex())
        assert result.returncode == 0, result.stderr
        assert f"Your answer no. {index} is in the journal published on " in result.stdout


def test_the_verifier_follows_the_library_s_journal_as_it_grows(tmp_path: Path) -> None:
    entries = _answers(1000)
    key = _publish(tmp_path, entries, 300, bytes(32))
    saved = tmp_path / "checkpoint-300"
    shutil.copy(tmp_path / "checkpoint", saved)
    _publish(tmp_path, entries, 1000, bytes(32))
    result = _verify("--journal", str(tmp_path), "--key", key, "--previous", str(saved))
    assert result.returncode == 0, result.stderr
    assert "Nothing was removed or rewritten since your copy of the journal (300 answers)" in (
        result.stdout)
    rewritten = tmp_path / "rewritten"
    _publish(rewritten, [*entries[:10], entries[11], *entries[11:]], 1000, bytes(32))
    result = _verify("--journal", str(rewritten), "--key", key, "--previous", str(saved))
    assert result.returncode == 1
    assert result.stderr.startswith("The journal was rewritten since your copy (300 answers)")


def test_a_key_from_the_library_that_did_not_sign_is_refused(tmp_path: Path) -> None:
    entries = _answers(3)
    _publish(tmp_path, entries, 3, bytes(32))
    other = generate_key(ORIGIN, bytes([1]) * 32).verifier.text
    result = _verify("--journal", str(tmp_path), "--key", other, "--index", "1",
                     "--leaf-hash", leaf_hash(entries[1]).hex())
    assert result.returncode == 1
    assert result.stderr.startswith("The journal is not signed by the key")
