"""The organizer's commands killed (``test_kill_commands.py``): a database of many answers for
``parole results``, the command as a process killed at a chosen moment, and what the results
file is afterwards.

The database is the ``parole results`` benchmark's consultation (``bench/results_command.py``:
a 10-question form, online answers, paper sheets with blanks and spoiled answers, assisted
ones, half agreeing to be quoted, a thousand verdicts), filled here with the form's version
computed once (the benchmark's ``fill`` computes it for every answer).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.results_command import (
    BATCHES,
    DAYS,
    FORM,
    FORM_ID,
    POOL,
    START,
    TEXTS,
    VERDICTS,
    answer_pool,
    manifest_text,
)
from site_builder.results.file import read_results, results_data, results_path
from site_builder.safe_files import PARTIAL
from site_builder.storage import open_storage
from site_builder.storage.entry import NewBatch
from site_builder.storage.moderation import REJECT_REASONS, text_digest
from tests.collector_support import PAROLE

ABSENT, PREVIOUS, NEW = "absent", "previous", "new"
"""What a results file may be after a kill: not there (none before), the one before the run,
the one the run wrote: whole, either way."""
POLL = 0.00002
"""Seconds between two looks at the partial file while waiting for the command to write."""


def answers_database(path: Path, size: int) -> str:
    """A SQLite database of ``size`` answers to the benchmark's form and ``VERDICTS``
    verdicts (approved, some hiding words or with a theme; rejected for each reason); its
    URL."""
    url = f"sqlite:///{path}"
    storage = open_storage(url)
    try:
        storage.register_form(FORM_ID, FORM.version, manifest_text())
        batches = [storage.create_batch(NewBatch(
            FORM_ID, f"Point de dépôt {number}", (START + timedelta(days=5 * number)).date(),
            size, "kill", START)).id for number in range(1, BATCHES + 1)]
    finally:
        storage.close()
    pool = answer_pool(random.Random(16))
    version, step = FORM.version, timedelta(days=DAYS - 1) / size
    rows: list[tuple[Any, ...]] = []
    verdicts: list[tuple[Any, ...]] = []
    for index in range(size):
        channel, values, marks = pool[index % POOL]
        paper = channel == "paper"
        rows.append((f"K{index:07d}", FORM_ID, version, channel,
                     (START + step * index).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                     json.dumps(values, ensure_ascii=False), f"kill-{index}", json.dumps(marks),
                     batches[index % BATCHES] if paper else None, index if paper else None))
        written = [field.id for field in TEXTS if field.id in values]
        if len(verdicts) < VERDICTS and "citation" in values and written:
            verdicts.append(_verdict(len(verdicts), f"K{index:07d}", written[0],
                                     values[written[0]][0]))
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.executemany(
            "INSERT INTO answers (receipt, form_id, form_version, channel, received_at,"
            " expires_at, values_json, fingerprint, marks_json, batch_id, sheet)"
            " VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)", rows)
        connection.executemany(
            "INSERT INTO moderation_verdicts (form_id, receipt, field_id, outcome, reason,"
            " redactions_json, theme, text_digest, decided_by, decided_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'Claire', ?)", verdicts)
    return url


def _verdict(made: int, receipt: str, field_id: str, text: str) -> tuple[Any, ...]:
    rejected = made % 4 == 3
    return (FORM_ID, receipt, field_id, "rejected" if rejected else "approved",
            REJECT_REASONS[made // 4 % len(REJECT_REASONS)] if rejected else "",
            json.dumps([[0, 7, "personal data"]] if made % 4 == 1 else []),
            "Ombre" if made % 4 == 2 else None, text_digest(text),
            START.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))


def parole_results(database_url: str, site: Path) -> subprocess.Popen[bytes]:
    """``parole results --db URL`` started in ``site`` (its mkdocs.yml names the docs)."""
    return subprocess.Popen([str(PAROLE), "results", "--db", database_url], cwd=site,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "LANG": "C.UTF-8"})


def partial_files(docs: Path) -> list[Path]:
    """The files ``write_results`` writes before putting one in place (a name of their own
    each: ``.<form>.json.<random>.partial``)."""
    path = results_path(docs, FORM_ID)
    return sorted(path.parent.glob(f".{path.name}.*{PARTIAL}"))


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return (found.st_ino, found.st_mtime_ns, found.st_size)


def kill_while_writing(process: subprocess.Popen[bytes], docs: Path) -> bool:
    """SIGKILL ``process`` the moment a partial file appears or changes (it is writing the
    results file); True when it was killed then, False when it ended first."""
    before = [_stat(partial) for partial in partial_files(docs)]
    while process.poll() is None:
        if [_stat(partial) for partial in partial_files(docs)] != before:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(POLL)
    return False


def kill_after(process: subprocess.Popen[bytes], seconds: float) -> bool:
    """SIGKILL ``process`` after ``seconds``; True when it was still running."""
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True
    return False


def comparable(data: Mapping[str, Any]) -> dict[str, Any]:
    """A results file's data without when it was computed (the only thing two runs on the
    same answers write differently)."""
    return {key: value for key, value in data.items() if key != "computed_at"}


def file_state(docs: Path, previous: bytes | None, reference: Mapping[str, Any]) -> str:
    """What the results file is: ``ABSENT``, ``PREVIOUS`` (byte for byte) or ``NEW`` (read by
    ``read_results`` without a problem, the same figures as ``reference``); AssertionError
    for anything else (a file cut short, another file)."""
    path = results_path(docs, FORM_ID)
    if not path.exists():
        assert previous is None, "the results file written before the run is gone"
        return ABSENT
    content = path.read_bytes()
    if content == previous:
        return PREVIOUS
    results, problems = read_results(path, str(path))
    assert results is not None and not problems, (
        f"the results file is neither the one before the run nor a whole new one: "
        f"{[problem.message for problem in problems][:3]}")
    assert comparable(results_data(results)) == reference, (
        "a new results file with other figures than a complete run's")
    return NEW


def every_results_file(docs: Path) -> Iterator[str]:
    """The docs folder's results folder, each name (partial files included)."""
    folder = results_path(docs, FORM_ID).parent
    yield from sorted(path.name for path in folder.iterdir()) if folder.is_dir() else ()
