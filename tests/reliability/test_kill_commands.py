"""kill -9 of the organizer's commands (issue #16): ``parole results`` while it counts and writes
the results file, ``parole moderate`` between two verdicts, ``parole log publish`` while it
writes the journal (issue #19). Both are real processes, killed with
``SIGKILL`` at random moments (``PAROLE_KILL_SEED`` replays them), several rounds in a row.

- ``parole results`` on a database of many answers (``command_kill.answers_database``): every
  other round is killed after a random delay, the others the moment the command starts writing
  its file (its ``.partial`` file appears or changes). After each, ``<docs>/parole-results/
  <form>.json`` is absent (there was none), the previous file byte for byte, or a whole new one
  (``read_results`` finds no problem, the figures of a complete run); ``load_results_folder``
  reads the folder without a problem (the partial file's name starts with a dot and does not end
  in ``.json``); ``parole build`` succeeds with a partial file left beside the results file, and
  publishes neither (MkDocs leaves out files whose name starts with a dot). The next run replaces
  the partial file.
- ``parole moderate``, fed its keys by a pipe, is killed a random moment after its k-th "saved":
  the verdicts stored are those said saved, plus at most the one in flight, each whole (who,
  when, what, why as typed), none twice; run again, it goes on with the answers left.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from site_builder.results.file import load_results_folder, results_path
from site_builder.storage import open_storage
from site_builder.storage.moderation import REJECT_REASONS, Redaction, Verdict, text_digest
from tests.collector_support import PAROLE
from tests.moderate_support import FORM, answer, register
from tests.reliability.command_kill import (
    ABSENT,
    NEW,
    answers_database,
    comparable,
    every_results_file,
    file_state,
    kill_after,
    kill_while_writing,
    parole_results,
    partial_files,
)
from tests.reliability.figures import Figures, Scale
from tests.reliability.journal_kill import (
    journal_state,
    kill_when_changed,
    served_files,
    start_publish,
    two_journals,
)
from tests.reliability.journal_kill import partial_files as journal_partials
from tests.reliability.kill_support import chosen_seed, integrity_check, postgres_integrity_check
from tests.results_page_support import AFTER, RESULTS_PAGE, results_site

FORM_ID = "equipements"


@pytest.fixture(scope="module")
def seed() -> int:
    return chosen_seed("kill -9 of parole results and parole moderate")


def test_parole_results_killed_leaves_the_previous_file_or_a_whole_new_one(
    tmp_path: Path, scale: Scale, figures: Figures, seed: int,
) -> None:
    delays = random.Random(seed + 5)
    site = tmp_path / "site"
    results_site(site, None, page=RESULTS_PAGE.format(form=FORM_ID, answers=0))
    docs, path = site / "docs", results_path(site / "docs", FORM_ID)
    database_url = answers_database(tmp_path / "answers.db", scale.pick(10_000, 50_000))
    seconds = time.monotonic()
    _complete(database_url, site)
    seconds = time.monotonic() - seconds
    reference = comparable(json.loads(path.read_text(encoding="utf-8")))
    path.unlink()  # the first round starts without a results file
    rounds = scale.pick(4, 16)
    states: Counter[str] = Counter()
    while_writing = left = 0
    built = False
    for number in range(1, rounds + 1):
        when = f"round {number} (seed {seed})"
        if number > 1 and not path.exists():  # the organizer runs it to the end once
            _complete(database_url, site)
        previous = path.read_bytes() if path.exists() else None
        process = parole_results(database_url, site)
        if number % 2 == 0:
            killed = kill_while_writing(process, docs)
            while_writing += killed
        else:
            killed = kill_after(process, delays.uniform(0.05, 1.5 * seconds))  # may end first
        errors = process.communicate()[1].decode()  # and its pipe closed
        assert killed or process.returncode == 0, (
            f"{when}: parole results ended with {process.returncode}: {errors}")
        states[file_state(docs, previous, reference)] += 1
        found, problems = load_results_folder(docs)
        assert not problems, f"{when}: {[problem.message for problem in problems]}"
        assert set(found) == ({FORM_ID} if path.exists() else set()), when
        stray = bool(partial_files(docs))
        left += stray
        if stray and path.exists() and not built:
            _build(site, when)
            built = True
    _complete(database_url, site)
    assert list(every_results_file(docs)) == [path.name], "the next run leaves one whole file"
    assert file_state(docs, None, reference) == NEW
    _build(site, "after the last run")
    figures.add("kill", {
        "backend": "parole results (kill -9 while counting or writing its file), SQLite",
        "rounds": rounds,
        "results file after the kill": ", ".join(f"{state} {states[state]}"
                                                 for state in (ABSENT, "previous", NEW)),
        "killed while writing its file": while_writing,
        "rounds ending beside a partial file": left,
        "integrity check": f"whole in {rounds} of {rounds} rounds; parole build ok",
        "seed": str(seed),
    })
    assert while_writing, "never killed while writing: the rounds proved nothing of that"


def _complete(database_url: str, site: Path) -> None:
    """``parole results`` run to its end."""
    complete = parole_results(database_url, site)
    errors = complete.communicate(timeout=600)[1].decode()
    assert complete.returncode == 0, errors


def _build(site: Path, when: str) -> None:
    """``parole build`` (strict) succeeds, and publishes neither the results file nor a
    partial one."""
    done = subprocess.run([str(PAROLE), "build"], cwd=site, capture_output=True, text=True,
                          timeout=300, check=False,
                          env={**os.environ, "LANG": "C.UTF-8", "PAROLE_BUILD_DATE": AFTER})
    assert done.returncode == 0, f"{when}: parole build failed:\n{done.stdout}{done.stderr}"
    published = [path.name for path in (site / "site").rglob("*")
                 if "partial" in path.name or path.name == "parole-results"]
    assert not published, f"{when}: published {published}"


# --- parole moderate --------------------------------------------------------------------------

MARTIN = "M. Martin"
STEPS: tuple[tuple[tuple[str, ...], tuple[str, str, str | None, str | None]], ...] = (
    (("a",), ("approved", "", None, None)),
    (("t", "Ombre"), ("approved", "", None, "Ombre")),
    (("e", MARTIN, "1", "", "a"), ("approved", "", "personal data", None)),
    (("e", MARTIN, "Nom d'un voisin", "", "t", "Voisins"),
     ("approved", "", "Nom d'un voisin", "Voisins")),
    *(((("r", str(number)), ("rejected", reason, None, None)))
      for number, reason in enumerate(REJECT_REASONS, 1)),
    (("r", "5", "Parle de la gare"), ("rejected", "Parle de la gare", None, None)),
)
"""What the moderator types for the n-th answer (``STEPS[n % 9]``), and what must be stored:
outcome, reason, the reason of hiding "M. Martin", theme."""
SAVED = ("Approved, and saved.", "Rejected, and saved.")


def idea(number: int) -> str:
    return f"Idée {number} : des bancs devant chez {MARTIN}, près du lac."


def test_parole_moderate_killed_between_verdicts_stores_each_whole_and_once(
    storage_url: str, scale: Scale, figures: Figures, seed: int,
) -> None:
    delays = random.Random(seed + 6)
    rounds = scale.pick(3, 10)
    storage = open_storage(storage_url)
    try:
        register(storage)
        receipts = [answer(storage, minute, idees=idea(minute))
                    for minute in range(len(STEPS) * (rounds + 1))]
    finally:
        storage.close()
    said = in_flight = 0
    for number in range(1, rounds + 2):
        when = f"round {number} (seed {seed})"
        before = {verdict.receipt for verdict in _verdicts(storage_url)}
        left = [index for index, receipt in enumerate(receipts) if receipt not in before]
        script = "".join(line + "\n" for index in left for line in STEPS[index % len(STEPS)][0])
        last = number > rounds  # the last run goes to the end
        started = datetime.now(UTC)
        saved, killed = _moderate(storage_url, script, None if last else delays.randint(1, 5),
                                  delays.uniform(0, 0.02))
        stored = _verdicts(storage_url)
        decided = [index for index in left if receipts[index] in
                   {verdict.receipt for verdict in stored}]
        assert decided == left[:len(decided)], f"{when}: not the first answers of the queue"
        assert saved <= len(decided) <= saved + killed, (
            f"{when}: {saved} said saved, {len(decided)} stored")
        said, in_flight = said + saved, in_flight + len(decided) - saved
        _check_verdicts(stored, receipts, when)
        assert all(started <= verdict.decided_at <= datetime.now(UTC) for verdict in stored
                   if verdict.receipt not in before), f"{when}: decided at another time"
        integrity = integrity_check(Path(storage_url.removeprefix("sqlite:///"))) \
            if storage_url.startswith("sqlite") else postgres_integrity_check(storage_url)
        assert integrity == "ok", f"{when}: {integrity}"
    assert len(_verdicts(storage_url)) == len(receipts), "the last run decides on every answer"
    backend = "SQLite" if storage_url.startswith("sqlite") else "PostgreSQL"
    figures.add("kill", {
        "backend": f"parole moderate (kill -9 between verdicts), {backend}",
        "rounds": rounds,
        "verdicts said saved in the terminal": said,
        "verdicts stored though unacknowledged": in_flight,
        "verdicts lost": 0,
        "verdicts doubled": 0,
        "integrity check": f"ok in {rounds + 1} of {rounds + 1} runs",
        "seed": str(seed),
    })


def _moderate(url: str, script: str, kill_after_saved: int | None,
              pause: float) -> tuple[int, int]:
    """``parole moderate`` fed ``script``; SIGKILLed ``pause`` seconds after its
    ``kill_after_saved``-th "saved" (None: left to end). How many "saved" it printed, and
    1 when it was killed (0 when it ended by itself, with 0)."""
    process = subprocess.Popen(
        [str(PAROLE), "moderate", FORM.id, "--db", url, "--by", "Claire"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1"})
    with process:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(script.encode("utf-8"))
        process.stdin.close()
        output = b""
        while chunk := os.read(process.stdout.fileno(), 65536):
            output += chunk
            text = output.decode("utf-8", errors="replace")
            if kill_after_saved is not None and sum(map(text.count, SAVED)) >= kill_after_saved:
                time.sleep(pause)
                process.send_signal(signal.SIGKILL)
                break
        output += process.stdout.read()
        code = process.wait()
    text = output.decode("utf-8", errors="replace")
    if code != -signal.SIGKILL:
        assert code == 0, f"parole moderate ended with {code}:\n{text[-2000:]}"
    return sum(map(text.count, SAVED)), int(code == -signal.SIGKILL)


def _verdicts(url: str) -> list[Verdict]:
    storage = open_storage(url)
    try:
        return list(storage.verdicts(FORM.id))
    finally:
        storage.close()


def _check_verdicts(stored: list[Verdict], receipts: list[str], when: str) -> None:
    """Each verdict once, whole: on the n-th answer, what ``STEPS`` typed for it."""
    counts = Counter(verdict.receipt for verdict in stored)
    assert all(count == 1 for count in counts.values()), f"{when}: decided twice: {counts}"
    for verdict in stored:
        index = receipts.index(verdict.receipt)
        text = idea(index)
        outcome, reason, hidden, theme = STEPS[index % len(STEPS)][1]
        start = text.index(MARTIN)
        redactions = (Redaction(start, start + len(MARTIN), hidden),) if hidden else ()
        assert (verdict.outcome, verdict.reason, verdict.redactions, verdict.theme,
                verdict.field_id, verdict.decided_by, verdict.text_digest) == (
            outcome, reason, redactions, theme, "idees", "Claire", text_digest(text)), (
            f"{when}: answer {index} stored as {verdict}")


# --- parole log publish -----------------------------------------------------------------------

def test_parole_log_publish_killed_leaves_the_old_journal_or_the_new_one(
    tmp_path: Path, scale: Scale, figures: Figures, seed: int,
) -> None:
    """Odd rounds publish into an empty folder (the first publication), even ones over the
    journal of the first checkpoint; half are killed the moment they start writing the leaf
    tiles, the others after a random delay (they may end first).
    After each kill every file a web server would serve is whole, ``checkpoint`` is the old
    journal's (every file it needs still there) or the new one's, and ``parole log verify``
    accepts the folder; run again, the publication completes to the new journal exactly."""
    delays = random.Random(seed + 19)
    journals = two_journals(tmp_path, scale.pick(3_000, 20_000), scale.pick(3_000, 20_000))
    output = tmp_path / "journal"
    seconds = time.monotonic()
    complete = start_publish(journals, output)
    errors = complete.communicate(timeout=600)[1].decode()
    assert complete.returncode == 0, errors
    seconds = time.monotonic() - seconds
    assert served_files(output) == served_files(journals.fresh)
    states: Counter[str] = Counter()
    while_writing = 0
    rounds = scale.pick(6, 24)
    for number in range(1, rounds + 1):
        when = f"round {number} (seed {seed})"
        shutil.rmtree(output)
        if number % 2 == 0:
            shutil.copytree(journals.old, output)
        process = start_publish(journals, output)
        if number // 2 % 2:
            killed = kill_after(process, delays.uniform(0.2, 1.2 * seconds))
        else:  # the moment it starts writing the leaf tiles
            killed = kill_when_changed(process, output / "tile" / "0")
            while_writing += killed
        errors = process.communicate()[1].decode()
        assert killed or process.returncode == 0, f"{when}: {errors}"
        state = journal_state(output, journals)
        states[state] += 1
        if state != "none":
            verified = subprocess.run(
                [str(PAROLE), "log", "verify", "--site", str(output), "--key",
                 str(journals.public_key), "--from", str(journals.old / "checkpoint")],
                capture_output=True, text=True, timeout=300, check=False,
                env={**os.environ, "LANG": "C.UTF-8"})
            assert verified.returncode == 0, f"{when}, {state}: {verified.stderr}"
        finished = start_publish(journals, output)
        errors = finished.communicate(timeout=600)[1].decode()
        assert finished.returncode == 0, f"{when}: {errors}"
        expected = journals.fresh if number % 2 else journals.new
        assert served_files(output) == served_files(expected), when
        assert not journal_partials(output), f"{when}: the next run leaves no partial file"
    figures.add("kill", {
        "backend": "parole log publish (kill -9 while writing the journal), SQLite",
        "rounds": rounds,
        "journal after the kill": ", ".join(f"{state} {states[state]}"
                                           for state in ("none", "old", "between", "new")),
        "killed while writing the tiles": while_writing,
        "integrity check": f"whole in {rounds} of {rounds} rounds; parole log verify ok",
        "seed": str(seed),
    })
    assert while_writing, "never killed while writing: the rounds proved nothing of that"
