"""Load (issue #5, point 1): at least 50 citizens answer at once, for 60 s in the full run, while
an organizer reads exports and statistics, on SQLite then on PostgreSQL.

What it proves, for each backend: the collector answers every valid answer with a 303 (no 5xx,
no other status, never "database is locked"); every answer it acknowledged is in the database
exactly once and nothing else is; and every export and statistics read made meanwhile, over
HTTP and with the ``parole`` command, succeeded and was well formed. Answers per second and the
latencies are recorded as figures, never asserted.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.collector_support import ADMIN_TOKEN, PAROLE, RunningCollector, running_collector
from tests.log_support import database_log_problems
from tests.postgres_support import PostgresServer
from tests.reliability.figures import Figures, Scale
from tests.reliability.load_driver import (
    CLIENTS,
    FORM_ID,
    NO_RATE_LIMIT,
    LoadRun,
    Reconciliation,
    reconcile,
    run_load,
    stored_markers,
)

LOCKED = "database is locked"
HTTP_READS = (f"/admin/export/{FORM_ID}.csv", f"/admin/export/{FORM_ID}.json", "/admin/stats")
COMMAND_READS = (("export", FORM_ID, "--format", "json"), ("stats",))
READ_PAUSE = 0.25
"""Seconds between two reads of the organizer: someone refreshing a dashboard, not a flood
that would measure the exports instead of the answers."""
COMMAND_PAUSE = 1.0


@dataclass
class Reads:
    """What the organizer's reads got: counts per kind, and every failure in words."""

    counts: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    locked: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, failure: str | None) -> None:
        with self.lock:
            self.counts[kind] += 1
            if failure is not None:
                self.failures.append(f"{kind}: {failure}")
                self.locked += failure.count(LOCKED)


class Organizer:
    """Reads exports and statistics while citizens answer: one thread over HTTP (the admin
    routes), one running ``parole export`` and ``parole stats`` against the same database."""

    def __init__(self, collector: RunningCollector, database_url: str) -> None:
        self.collector = collector
        self.database_url = database_url
        self.reads = Reads()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._read_over_http, name="organizer-http"),
                         threading.Thread(target=self._run_commands, name="organizer-cli")]

    def __enter__(self) -> Organizer:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def _read_over_http(self) -> None:
        while not self._stop.is_set():
            for path in HTTP_READS:
                self.reads.record(path, self._http_failure(path))
            self._stop.wait(READ_PAUSE)

    def _http_failure(self, path: str) -> str | None:
        try:
            reply = self.collector.request(
                "GET", path, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        except (OSError, http.client.HTTPException) as error:
            return f"no response: {error!r}"
        if reply.status != 200:
            return f"HTTP {reply.status}: {reply.body[:300]!r}"
        return None if path.endswith(".csv") else _json_failure(reply.body)

    def _run_commands(self) -> None:
        while not self._stop.is_set():
            for command in COMMAND_READS:
                self.reads.record(f"parole {command[0]}", self._command_failure(command))
            self._stop.wait(COMMAND_PAUSE)

    def _command_failure(self, command: tuple[str, ...]) -> str | None:
        result = subprocess.run([str(PAROLE), *command, "--db", self.database_url],
                                capture_output=True, check=False, timeout=120)
        if result.returncode != 0:
            return f"exit {result.returncode}: {result.stderr.decode(errors='replace')}"
        return _json_failure(result.stdout) if command[0] == "export" else None


def _json_failure(body: bytes) -> str | None:
    """None when ``body`` is one whole JSON document (an export streamed while answers were
    being written must still be well formed)."""
    try:
        json.loads(body)
    except ValueError as error:
        return f"not valid JSON ({error}): ...{body[-200:]!r}"
    return None


@pytest.fixture(params=["SQLite", "PostgreSQL"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """The backend's name and the URL of an empty database on it."""
    if request.param == "SQLite":
        return "SQLite", f"sqlite:///{tmp_path / 'answers.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return "PostgreSQL", server.new_database()


def test_concurrent_citizens_are_each_stored_once(
    database: tuple[str, str], example_site: Path, tmp_path: Path, scale: Scale,
    figures: Figures,
) -> None:
    backend, database_url = database
    seconds = scale.pick(5.0, 60.0)
    with running_collector(example_site, database_url, tmp_path,
                           args=NO_RATE_LIMIT) as collector:
        with Organizer(collector, database_url) as organizer:
            load = run_load(collector.port, example_site, clients=CLIENTS, seconds=seconds,
                            label=backend.lower())
        log = collector.log()
    stored = stored_markers(database_url)
    markers = [answer.marker for answer in load.acknowledged]
    found = reconcile(markers, [attempt.answer.marker for attempt in load.attempts], stored)
    reads = organizer.reads
    locked = log.count(LOCKED) + reads.locked + sum(
        attempt.detail.count(LOCKED) for attempt in load.attempts)
    figures.add("load", _figures_row(backend, load, found, stored=stored, locked=locked,
                                     reads=reads))

    assert not load.unexpected(), (
        f"every answer should get a 303; {len(load.unexpected())} of {len(load.attempts)} did "
        f"not ({dict(load.statuses())}), e.g.:\n"
        + "\n".join(attempt.describe() for attempt in load.unexpected()[:5]))
    assert found.ok, f"acknowledged answers against the database: {found.describe()}"
    assert sum(stored.values()) == len(markers), (
        f"{len(markers)} answers were acknowledged but the database holds {sum(stored.values())}")
    assert not reads.failures, (
        f"{len(reads.failures)} of {sum(reads.counts.values())} reads failed:\n"
        + "\n".join(reads.failures[:5]))
    assert all(reads.counts[kind] > 0 for kind in (*HTTP_READS, "parole export", "parole stats")), (
        f"every kind of read should have run during the load; counts: {dict(reads.counts)}")
    assert locked == 0, f"{LOCKED!r} appeared {locked} times (responses, reads, collector log)"
    assert "Traceback" not in log, f"the collector logged an unexpected error:\n{log[-3000:]}"
    assert database_log_problems(database_url) == [], "the answer log disagrees with the answers"


def _figures_row(backend: str, load: LoadRun, found: Reconciliation, *, stored: Counter[str],
                 locked: int, reads: Reads) -> dict[str, str | int | float]:
    http_reads = sum(reads.counts[path] for path in HTTP_READS)
    return {
        "backend": backend,
        "clients": load.clients,
        "seconds": round(load.seconds, 1),
        "answers acknowledged (303)": len(load.acknowledged),
        "answers stored": sum(stored.values()),
        "lost": len(found.lost),
        "doubled": len(found.doubled),
        "server errors (5xx)": load.server_errors,
        '"database is locked"': locked,
        "answers/s": round(load.answers_per_second, 1),
        "p50 latency (ms)": round(load.latency_ms(0.50), 1),
        "p99 latency (ms)": round(load.latency_ms(0.99), 1),
        "exports and stats read over HTTP meanwhile": http_reads,
        "parole export/stats runs meanwhile": sum(reads.counts.values()) - http_reads,
    }
