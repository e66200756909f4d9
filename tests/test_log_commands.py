"""``parole log checkpoint | publish | prove | verify``, run as processes against real SQLite and
PostgreSQL databases filled through the storage API: the whole life of a journal, from the key
to a citizen's check and an auditor's, and every forged checkpoint refused."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from site_builder.answer_log.checkpoint import Checkpoint, sign_checkpoint
from site_builder.answer_log.merkle import verify_inclusion
from site_builder.answer_log.note import SignerKey, generate_key
from site_builder.answer_log_commands.head import log_contents
from site_builder.journal_verifier import VERIFIER_FILE
from site_builder.storage import open_storage
from site_builder.storage.answer_log import AnswerLogError, StoredCheckpoint
from site_builder.storage.base import Storage
from tests.log_command_support import (
    ORIGIN,
    fails,
    keygen,
    run_verifier,
    store_answers,
    succeeds,
)
from tests.storage_support import T0


def test_a_journal_from_key_to_citizen_to_auditor(tmp_path: Path, storage_url: str) -> None:
    key, public = keygen(tmp_path)
    answers = store_answers(storage_url, 300)
    signed = succeeds("checkpoint", "--db", storage_url, "--key", key, cwd=tmp_path)
    assert "tree head of the log of 300 answers" in signed
    journal = tmp_path / "site" / "journal"
    journal.parent.mkdir()
    succeeds("publish", "--db", storage_url, "--key", public, "--output", journal, cwd=tmp_path)
    assert (journal / "key.txt").read_text() == public.read_text()
    assert (journal / "parole_verifier.py").read_bytes() == VERIFIER_FILE.read_bytes()
    assert (journal / "checkpoints" / "index").read_text() == "300\n"
    for path in ("checkpoint", "tile/0/000", "tile/0/001.p/44", "tile/1/000.p/1",
                 "tile/entries/000", "tile/entries/001.p/44", "checkpoints/300"):
        assert stat.S_IMODE((journal / path).stat().st_mode) & 0o044 == 0o044, path
    saved = tmp_path / "saved-checkpoint"
    saved.write_bytes((journal / "checkpoint").read_bytes())

    # A citizen checks a receipt with the published verifier, fed by `parole log prove`.
    receipt = answers[123].receipt
    proof = json.loads(succeeds("prove", receipt, "--db", storage_url, "--json", cwd=tmp_path))
    assert (proof["index"], proof["state"], proof["checkpoint"]["size"]) == (123, "current", 300)
    verify_inclusion(bytes.fromhex(proof["leaf_hash"]), 123, 300,
                     [bytes.fromhex(step) for step in proof["proof"]],
                     bytes.fromhex(proof["checkpoint"]["root"]))
    citizen = run_verifier(journal, "--key-file", public, "--index", "123",
                           "--leaf-hash", proof["leaf_hash"])
    assert citizen.returncode == 0, citizen.stderr
    assert "Your answer no. 123 is in the journal" in citizen.stdout

    # The log grows; signed and published again, it extends what was published.
    store_answers(storage_url, 200, first=300)
    succeeds("checkpoint", "--db", storage_url, "--key", key, cwd=tmp_path)
    published = succeeds("publish", "--db", storage_url, "--key", key, "--output", journal,
                         cwd=tmp_path)
    assert "Journal of 500 answers" in published
    assert (journal / "checkpoints" / "index").read_text() == "300\n500\n"
    assert (journal / "tile/0/001.p/44").is_file()  # kept: a verifier of 300 may need it
    audited = succeeds("verify", "--site", journal, "--key", public, "--from", saved,
                       cwd=tmp_path)
    assert "Each of the 2 published checkpoints extends the one before it" in audited
    assert "extends the checkpoint you saved" in audited
    assert "All 3 tiles and 500 entries hash up to the signed tree head of 500 answers" \
        in audited
    assert run_verifier(journal, "--key-file", public, "--previous", saved).returncode == 0
    assert "The log agrees with the database." in succeeds("audit", "--db", storage_url,
                                                           "--key", public, cwd=tmp_path)


def test_publishing_again_writes_nothing_and_a_changed_file_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    key, public = keygen(tmp_path)
    store_answers(url, 3)
    succeeds("checkpoint", "--db", url, "--key", key, cwd=tmp_path)
    assert "The log has not grown since its newest checkpoint, of 3 answers" in succeeds(
        "checkpoint", "--db", url, "--key", key, cwd=tmp_path)
    journal = tmp_path / "journal"
    first = succeeds("publish", "--db", url, "--key", public, "--output", journal, cwd=tmp_path)
    assert "7 files written, 0 already there" in first
    again = succeeds("publish", "--db", url, "--key", public, "--output", journal, cwd=tmp_path)
    assert "0 files written, 7 already there" in again
    tile = journal / "tile" / "0" / "000.p" / "3"
    tile.write_bytes(tile.read_bytes()[::-1])
    refusal = fails(1, "publish", "--db", url, "--key", public, "--output", journal,
                    cwd=tmp_path)
    assert f"{tile} is already published with other bytes" in refusal
    assert fails(1, "verify", "--site", journal, "--key", public, cwd=tmp_path)


def test_a_database_that_no_longer_extends_the_journal_is_not_published(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    key, public = keygen(tmp_path)
    store_answers(url, 5)
    succeeds("checkpoint", "--db", url, "--key", key, cwd=tmp_path)
    journal = tmp_path / "journal"
    succeeds("publish", "--db", url, "--key", public, "--output", journal, cwd=tmp_path)
    before = {path: path.read_bytes() for path in journal.rglob("*") if path.is_file()}
    elsewhere = tmp_path / "other.db"  # another database, signed with the same key
    store_answers(f"sqlite:///{elsewhere}", 9)
    succeeds("checkpoint", "--db", f"sqlite:///{elsewhere}", "--key", key, cwd=tmp_path)
    refusal = fails(1, "publish", "--db", f"sqlite:///{elsewhere}", "--key", public,
                    "--output", journal, cwd=tmp_path)
    assert "does not extend the journal already published" in refusal
    assert {path: path.read_bytes() for path in journal.rglob("*") if path.is_file()} == before


def _forge(journal: Path, note: str) -> None:
    (journal / "checkpoint").write_text(note, encoding="utf-8")


def test_forged_checkpoints_are_refused_by_verify(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    key, public = keygen(tmp_path)
    store_answers(url, 20)
    succeeds("checkpoint", "--db", url, "--key", key, cwd=tmp_path)
    journal = tmp_path / "journal"
    succeeds("publish", "--db", url, "--key", public, "--output", journal, cwd=tmp_path)
    genuine = (journal / "checkpoint").read_text(encoding="utf-8")
    signer = SignerKey.parse(key.read_text().strip())
    storage = open_storage(url)
    root = storage.checkpoints()[-1].root
    storage.close()
    forgeries = {  # what the checkpoint file says instead → why verify refuses it
        sign_checkpoint(Checkpoint(ORIGIN, 20, root), generate_key(ORIGIN)):
            "is not signed by the key you trust",
        genuine.replace(genuine.split("\n")[2], "A" * 43 + "="):
            "does not match the note's text",
        genuine.replace("\n20\n", "\n19\n", 1): "does not match the note's text",
        sign_checkpoint(Checkpoint(ORIGIN, 20, bytes(32)), signer):
            "two checkpoints of 20 answers with different tree heads",
        sign_checkpoint(Checkpoint(ORIGIN, 19, root), signer):
            "counts 20 answers, more than the journal's newest checkpoint (19)",
    }
    for note, why in forgeries.items():
        _forge(journal, note)
        assert why in fails(1, "verify", "--site", journal, "--key", public, cwd=tmp_path)
    (journal / "checkpoints" / "index").write_text("")  # the history hidden: the tiles speak
    _forge(journal, sign_checkpoint(Checkpoint(ORIGIN, 20, bytes(32)), signer))
    assert "do not hash up to the signed tree head" in fails(
        1, "verify", "--site", journal, "--key", public, cwd=tmp_path)
    (journal / "checkpoints" / "index").write_text("20\n")
    _forge(journal, genuine)
    succeeds("verify", "--site", journal, "--key", public, cwd=tmp_path)


def test_forged_checkpoints_are_refused_by_the_database_and_the_commands(
    tmp_path: Path, storage_url: str,
) -> None:
    key, public = keygen(tmp_path)
    store_answers(storage_url, 7)
    signer = SignerKey.parse(key.read_text().strip())
    storage = open_storage(storage_url)
    try:
        wrong_root = sign_checkpoint(Checkpoint(ORIGIN, 7, bytes(32)), signer)
        with pytest.raises(AnswerLogError):
            storage.add_checkpoint(StoredCheckpoint(7, bytes(32), wrong_root, T0))
        with pytest.raises(AnswerLogError):
            storage.add_checkpoint(StoredCheckpoint(8, bytes(32), wrong_root, T0))
        succeeds("checkpoint", "--db", storage_url, "--key", key, cwd=tmp_path)
        genuine = storage.checkpoints()[-1]
        with pytest.raises(AnswerLogError):  # another root at a size already signed
            storage.add_checkpoint(StoredCheckpoint(7, bytes(32), wrong_root, T0))
        store_answers(storage_url, 1, first=7)
        # A checkpoint of the right tree head, signed by a key that is not the journal's:
        # the database cannot know the key; publish and the next checkpoint refuse it.
        stranger = generate_key(ORIGIN)
        forged = sign_checkpoint(Checkpoint(ORIGIN, 8, _root_of(storage, 8)), stranger)
        storage.add_checkpoint(StoredCheckpoint(8, _root_of(storage, 8), forged, T0))
    finally:
        storage.close()
    assert genuine.size == 7
    refusal = fails(1, "publish", "--db", storage_url, "--key", public, "--output",
                    tmp_path / "journal", cwd=tmp_path)
    assert "checkpoint of 8 leaves stored in the database is not signed by the key" in refusal
    assert not (tmp_path / "journal" / "checkpoint").exists()
    assert "not signed by the key" in fails(1, "checkpoint", "--db", storage_url, "--key", key,
                                            cwd=tmp_path)
    assert "not signed by the key" in fails(1, "audit", "--db", storage_url, "--key", public,
                                            cwd=tmp_path)


def _root_of(storage: Storage, size: int) -> bytes:
    return log_contents(storage, size).tree().root()
