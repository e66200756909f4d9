"""The results count a signed state of the answer log (issue #19): ``parole results`` counts the
answers of the newest stored checkpoint and records it in the results file; ``parole log audit
--results FILE`` recomputes the file from exactly those answers and names every difference (a
figure edited, an answer counted that is not in the log, a logged one left out, another
checkpoint), and which answers were deleted or corrected since the checkpoint. SQLite and
PostgreSQL, the commands run as processes."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from site_builder.answer_log.note import generate_key
from site_builder.answer_log_commands.head import sign_head
from site_builder.results.compute import form_results
from site_builder.results.file import write_results
from site_builder.results.logged import newest_logged_answers
from site_builder.storage import open_storage
from site_builder.storage.answer_log import StoredCheckpoint
from site_builder.storage.receipts import format_receipt
from tests.log_command_support import ORIGIN, fails, parole_log, succeeds
from tests.results_command_support import (
    FORM_ID,
    TYPED,
    fill,
    online,
    results,
    site_folder,
    written,
)
from tests.storage_support import raw_sql

SIGNED = datetime(2025, 3, 11, 8, tzinfo=UTC)
LATER = datetime(2025, 3, 12, 10, tzinfo=UTC)
SIGNED_ANSWERS = 26 + 25
"""``fill``: budget's 20 online, 1 assisted and 5 paper answers, atelier's 25."""
KEY = generate_key(ORIGIN)


def _sign(url: str) -> StoredCheckpoint:
    """A checkpoint of the log as it is, signed as ``parole log checkpoint`` signs it."""
    storage = open_storage(url)
    try:
        return sign_head(storage, KEY, SIGNED).checkpoint
    finally:
        storage.close()


def _after_the_checkpoint(url: str, paper: list[str]) -> None:
    """Two answers stored and a paper answer corrected once the checkpoint is signed."""
    storage = open_storage(url)
    try:
        for minute in range(2):
            online(storage, {"quartier": ["nord"]}, datetime(2025, 3, 9, 12, minute, tzinfo=UTC))
        storage.correct_answer(paper[0], {"quartier": ["nord"], "accord": ["2"]},
                               {"services": "blank"}, "Awa", LATER, "misread")
    finally:
        storage.close()


@pytest.fixture
def counted(storage_url: str, tmp_path: Path) -> tuple[str, Path, StoredCheckpoint,
                                                      dict[str, list[str]]]:
    """A consultation signed, then changed; ``parole results`` run: the database, the site,
    the checkpoint, the receipts."""
    receipts = fill(storage_url)
    checkpoint = _sign(storage_url)
    _after_the_checkpoint(storage_url, receipts["paper"])
    site = site_folder(tmp_path / "site", min_count=1)
    done = results(storage_url, site, "--form", FORM_ID)
    assert (done.returncode, done.stderr) == (0, ""), done
    return storage_url, site, checkpoint, receipts


def _file(site: Path) -> Path:
    return site / "docs" / "parole-results" / f"{FORM_ID}.json"


def _audit(url: str, site: Path) -> tuple[int, str, str]:
    done = parole_log("audit", "--db", url, "--results", _file(site), cwd=site)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr


def test_results_count_the_answers_the_newest_checkpoint_signed(
        counted: tuple[str, Path, StoredCheckpoint, dict[str, list[str]]]) -> None:
    url, site, checkpoint, _receipts = counted
    assert checkpoint.size == SIGNED_ANSWERS
    data = written(site)
    assert data["format"] == 2
    assert data["checkpoint"] == {"origin": ORIGIN, "size": SIGNED_ANSWERS,
                                  "root": checkpoint.root.hex()}
    # The two answers stored after it and the one corrected after it are not counted.
    assert data["answers"] == 25
    assert data["per_channel"] == {"online": 20, "paper": 4, "assisted": 1}
    said = results(url, site, "--form", FORM_ID).stdout.splitlines()
    assert said == [
        f"Counting the answers of the answer log's checkpoint of {SIGNED_ANSWERS} leaves "
        f"({ORIGIN}, signed 2025-03-11 08:00 UTC, root {checkpoint.root.hex()}).",
        "    3 leaves were added to the log after it (answers stored or corrected since): "
        "not counted.",
        "    How to fix: sign the log first (parole log checkpoint --key FILE; parole collect "
        "--log-key FILE signs it at the close), then run parole results again",
        "budget: 25 answers counted (online 20, paper 4, assisted 1); results written to "
        "docs/parole-results/budget.json",
        "    3 answers of this form are not counted: stored or corrected after the checkpoint "
        "(or missing from the log: parole log audit says so)"]
    # The organizer's workflow: sign, then count; everything counts, the file names the new one.
    newest = _sign(url)
    assert results(url, site, "--form", FORM_ID).stdout.splitlines()[1] == (
        "budget: 28 answers counted (online 22, paper 5, assisted 1); results written to "
        "docs/parole-results/budget.json")
    assert written(site)["checkpoint"]["size"] == newest.size == SIGNED_ANSWERS + 3


def test_the_audit_recomputes_the_file_exactly(
        counted: tuple[str, Path, StoredCheckpoint, dict[str, list[str]]]) -> None:
    url, site, _checkpoint, _receipts = counted
    status, said, errors = _audit(url, site)
    assert (status, errors) == (0, ""), errors
    assert said.endswith(f"The results file {_file(site)} (budget): its figures are exactly "
                         f"those of the 25 logged answers of the checkpoint of "
                         f"{SIGNED_ANSWERS} leaves.\n")


def _edit(site: Path, change: Any) -> None:
    path = _file(site)
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _differences(url: str, site: Path) -> list[str]:
    status, _said, errors = _audit(url, site)
    assert status == 1, errors
    return [line.split(". ", 1)[1] for line in errors.splitlines()
            if line.startswith("  ") and line.strip()[:1].isdigit()]


def test_a_figure_edited_in_the_file_is_named(
        counted: tuple[str, Path, StoredCheckpoint, dict[str, list[str]]]) -> None:
    url, site, _checkpoint, _receipts = counted

    def edit(data: dict[str, Any]) -> None:
        data["questions"][0]["options"][0]["count"] += 1  # quartier: nord
        data["per_day"]["2025-03-03"] = 9

    _edit(site, edit)
    assert _differences(url, site) == [
        "per_day.2025-03-03: the file says 9, the logged answers give 6",
        "questions[quartier].options[nord].count: the file says 14, the logged answers give 13"]


def _forged(url: str, site: Path, receipts: frozenset[str] | None) -> None:
    """A results file that says it counted the newest checkpoint's answers, but counted
    ``receipts`` (None: every answer of the database)."""
    storage = open_storage(url)
    try:
        logged = newest_logged_answers(storage)
        assert logged is not None
        counted = form_results(storage, FORM_ID, min_count=1, computed_at=SIGNED,
                               today=TYPED.date(),
                               logged=replace(logged, receipts=receipts)
                               if receipts is not None else None).results
        write_results(replace(counted, checkpoint=logged.checkpoint), site / "docs")
    finally:
        storage.close()


def test_an_answer_counted_outside_the_log_is_caught(
        counted: tuple[str, Path, StoredCheckpoint, dict[str, list[str]]]) -> None:
    url, site, checkpoint, _receipts = counted
    # An answer whose leaf was taken out of the log, then counted by a file of every answer.
    storage = open_storage(url)
    try:
        outside = online(storage, {"quartier": ["sud"]}, datetime(2025, 3, 9, 13, tzinfo=UTC))
    finally:
        storage.close()
    raw_sql(url, "DELETE FROM log_leaves WHERE receipt = ?", (outside,))
    _forged(url, site, None)
    status, _said, errors = _audit(url, site)
    assert status == 1
    assert f"the counted answer {format_receipt(outside)} has 0 current leaves" in errors
    assert "answers: the file says 29, the logged answers give 25" in errors
    assert f"{checkpoint.size} leaves:" in errors


def test_a_logged_answer_left_out_is_caught(
        counted: tuple[str, Path, StoredCheckpoint, dict[str, list[str]]]) -> None:
    url, site, _checkpoint, receipts = counted
    storage = open_storage(url)
    try:
        logged = newest_logged_answers(storage)
    finally:
        storage.close()
    assert logged is not None
    _forged(url, site, logged.receipts - {receipts["ideas"][3]})
    differences = _differences(url, site)
    assert "answers: the file says 24, the logged answers give 25" in differences
    assert "per_channel.online: the file says 19, the logged answers give 20" in differences


@pytest.mark.parametrize(("key", "value", "said"), [
    ("size", 12, "the results file counts the answers of a checkpoint of 12 leaves, which "
                 "this database does not have"),
    ("root", "ab" * 32, "is not this database's"),
    ("origin", "ailleurs.example/journal", "is not this database's"),
])
def test_another_checkpoint_is_refused(
        counted: tuple[str, Path, StoredCheckpoint, dict[str, list[str]]], key: str,
        value: object, said: str) -> None:
    url, site, _checkpoint, _receipts = counted
    _edit(site, lambda data: data["checkpoint"].__setitem__(key, value))
    differences = _differences(url, site)
    assert len(differences) == 1
    assert said in differences[0]


def test_answers_deleted_or_corrected_since_are_named(
        counted: tuple[str, Path, StoredCheckpoint, dict[str, list[str]]]) -> None:
    url, site, _checkpoint, receipts = counted
    storage = open_storage(url)
    try:
        assert storage.delete(receipts["paper"][1])
        storage.correct_answer(receipts["paper"][2], {"quartier": ["centre"], "accord": ["2"]},
                               {"services": "blank"}, "Awa", LATER, "misread")
        leaves = {receipt: storage.answer_leaves(receipt)
                  for receipt in receipts["paper"][:3]}
    finally:
        storage.close()
    status, _said, errors = _audit(url, site)
    assert status == 1
    assert "answers: the file says 25, the logged answers give 23" in errors
    assert "Since the checkpoint was signed, 3 of its answers no longer count" in errors
    first, deleted, corrected = (leaves[receipt] for receipt in receipts["paper"][:3])
    assert (f"leaf {first[0].index} ({format_receipt(receipts['paper'][0])}): corrected since,"
            f" now leaf {first[-1].index}") in errors
    assert f"leaf {deleted[0].index} ({format_receipt(receipts['paper'][1])}): deleted on " \
        in errors
    assert (f"leaf {corrected[0].index} ({format_receipt(receipts['paper'][2])}): corrected "
            f"since, now leaf {corrected[-1].index}") in errors


def test_a_file_without_checkpoint_cannot_be_audited(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    fill(url)
    site = site_folder(tmp_path / "site", min_count=1)
    assert results(url, site, "--form", FORM_ID).returncode == 0
    assert written(site)["checkpoint"] is None
    said = fails(1, "audit", "--db", url, "--results", _file(site), cwd=tmp_path)
    assert "names no checkpoint of the answer log" in said
    assert "How to fix: sign the log (parole log checkpoint --key FILE)" in said
    _edit(site, lambda data: data.update(format=1, checkpoint="ignored"))
    assert "names no checkpoint" in fails(1, "audit", "--db", url, "--results", _file(site),
                                          cwd=tmp_path)
    _edit(site, lambda data: data.update(format=2, checkpoint={"size": -1}))
    unreadable = fails(1, "audit", "--db", url, "--results", _file(site), cwd=tmp_path)
    assert "[checkpoint.size]" in unreadable and "[checkpoint.root]" in unreadable
    assert succeeds("audit", "--db", url, cwd=tmp_path).endswith(
        "The log agrees with the database.\n")
