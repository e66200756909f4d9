"""kill -9 (issue #5, point 2): the collector, or the PostgreSQL server under it, dies at a random
moment while citizens are answering, and starts again.

What it proves: every answer the collector acknowledged with a 303 is in the database exactly
once after the crash; an answer sent without a 303 coming back (cut off in flight, or refused
with a 503) is there at most once; SQLite's ``PRAGMA integrity_check`` says ``ok`` after every
crash; and a person who presses Send again after the restart ends up with their answer stored
exactly once (the collector recognises an answer it had committed without being able to say so).

- SQLite: each round starts ``parole collect`` on the same database file, lets 10 citizens
  answer, sends the collector ``SIGKILL`` after a random delay, and checks the file read-only
  while nothing runs. The next round's collector first takes the resubmissions.
- PostgreSQL: a throwaway server of its own is stopped with ``pg_ctl stop -m immediate`` (every
  connection cut, no checkpoint, crash recovery at the next start) at a random moment, left down
  a random while, and started again. The collector keeps running throughout, as it would in
  production when the database restarts under it: answers during the outage must get a 503
  (never a 303 for an answer then lost), and the collector must recover by itself.

The delays come from a seeded random generator: the seed is printed and recorded in the
figures, and ``PAROLE_KILL_SEED=<seed>`` replays the same delays (the scheduling of threads
still varies from run to run).
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

from tests.collector_support import RunningCollector, running_collector
from tests.postgres_support import PostgresServer, postgres_server
from tests.reliability.figures import Figures, Scale
from tests.reliability.load_driver import (
    NO_RATE_LIMIT,
    Answer,
    LoadRun,
    Reconciliation,
    answer_template,
    post_answer,
    reconcile,
    run_load,
    stored_markers,
)

SEED_ENVIRONMENT = "PAROLE_KILL_SEED"
CLIENTS = 10
KILL_AFTER = (0.2, 1.5)
"""Seconds of load before the kill, drawn uniformly: from the first answers to a busy file."""
OUTAGE = (0.5, 3.0)
"""Seconds the PostgreSQL server stays down."""
AFTER_RESTART = 1.5
"""Seconds of load once PostgreSQL is back, so that the collector must have reconnected."""
LONGEST_ROUND = 120.0
"""A cap on a round's load, stopped long before by the test."""


@pytest.fixture(scope="module")
def seed() -> int:
    given = os.environ.get(SEED_ENVIRONMENT)
    chosen = int(given) if given else random.SystemRandom().randrange(2**32)
    print(f"kill -9 suite: random delays from seed {chosen} (replay: {SEED_ENVIRONMENT}={chosen})")
    return chosen


@dataclass
class Ledger:
    """What the database must hold, by marker, across the rounds of one backend."""

    acknowledged: set[str] = field(default_factory=set)
    """Answered 303 (first time or when sent again): must be stored exactly once."""
    sent: set[str] = field(default_factory=set)
    """Every marker sent: may be stored at most once."""
    pending: list[Answer] = field(default_factory=list)
    """Sent without a 303, not yet sent again."""
    unacknowledged: int = 0
    sent_again: int = 0
    stored_unacknowledged: int = 0
    """Answers committed although their sender never got the 303 (found when checking)."""
    statuses: Counter[int | None] = field(default_factory=Counter)

    def record(self, run: LoadRun) -> None:
        self.statuses.update(run.statuses())
        self.acknowledged.update(answer.marker for answer in run.acknowledged)
        self.sent.update(attempt.answer.marker for attempt in run.attempts)
        self.pending = run.unacknowledged
        self.unacknowledged += len(self.pending)

    def check(self, stored: Counter[str]) -> Reconciliation:
        """The database's markers against the ledger; also counts how many of the pending
        answers were committed although their 303 never came back."""
        self.stored_unacknowledged += sum(1 for answer in self.pending if stored[answer.marker])
        return reconcile(sorted(self.acknowledged), sorted(self.sent), stored)

    def resubmit(self, port: int) -> None:
        """Send every pending answer again, from the same address, as its author would: each
        must now be acknowledged (and stored once, which the next check verifies). An answer
        committed before the crash gets 409 instead, "an identical answer was sent from your
        connection: if it was you, it is saved": this script's client kept no cookie of the
        303 it never received, exactly like a browser whose response was lost."""
        for answer in self.pending:
            attempt = post_answer(port, answer)
            assert attempt.acknowledged or attempt.status == 409, (
                f"an answer sent again after the restart should get a 303 (or 409 if it was "
                f"stored before the crash): {attempt.describe()}")
            self.acknowledged.add(answer.marker)
        self.sent_again += len(self.pending)
        self.pending = []


class BackgroundLoad:
    """``run_load`` in a thread, so that the test can crash something while it runs."""

    def __init__(self, port: int, site_dir: Path, label: str) -> None:
        self.stop = threading.Event()
        self._result: list[LoadRun] = []
        self._thread = threading.Thread(target=lambda: self._result.append(run_load(
            port, site_dir, clients=CLIENTS, seconds=LONGEST_ROUND, label=label,
            stop=self.stop)), name=f"load-{label}")
        self._thread.start()

    def finish(self) -> LoadRun:
        """Stop the clients (each finishes the request it is in) and return what they got."""
        self.stop.set()
        self._thread.join()
        return self._result[0]


def integrity_check(path: Path) -> str:
    """``PRAGMA integrity_check`` on the file opened read-only: nothing repairs it first."""
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return "; ".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
    finally:
        connection.close()


def postgres_integrity_check(database_url: str) -> str:
    """PostgreSQL's own checks (the ``amcheck`` extension, shipped with the server): every
    table's heap (``verify_heapam``) and every B-tree index against its table
    (``bt_index_check`` with ``heapallindexed``). "ok", or what they found."""
    problems: list[str] = []
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        tables = connection.execute(
            "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n"
            " ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public'"
        ).fetchall()
        for (table,) in tables:
            problems += [f"{table} block {block} item {item}: {message}" for block, item, _, message
                         in connection.execute("SELECT * FROM verify_heapam(%s)", (table,))]
        indexes = connection.execute(
            "SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c"
            " ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n"
            " ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = 'public'"
        ).fetchall()
        for (index,) in indexes:
            try:
                connection.execute("SELECT bt_index_check(%s::regclass, true)", (index,))
            except psycopg.Error as error:
                problems.append(f"{index}: {error}")
    if not tables or not indexes:
        problems.append(f"nothing to check: {len(tables)} tables, {len(indexes)} indexes")
    return "; ".join(problems) or "ok"


def test_sqlite_survives_kill_9(example_site: Path, tmp_path: Path, scale: Scale,
                                figures: Figures, seed: int) -> None:
    path = tmp_path / "answers.db"
    database_url = f"sqlite:///{path}"
    delays = random.Random(seed)
    ledger = Ledger()
    rounds = scale.pick(3, 20)
    for number in range(1, rounds + 1):
        with running_collector(example_site, database_url, tmp_path,
                               args=NO_RATE_LIMIT) as collector:
            ledger.resubmit(collector.port)
            run = _kill_collector_under_load(collector, example_site, f"sqlite{number:02d}",
                                             delays)
            log = collector.log()
        ledger.record(run)
        # Before the kill, nothing but 303; the requests it cut off got no response at all.
        wrong = run.unexpected(allowed=(303, None))
        assert not wrong, (f"round {number} (seed {seed}): {len(wrong)} answers got neither a "
                           "303 nor a cut connection, e.g.:\n"
                           + "\n".join(attempt.describe() for attempt in wrong[:5]))
        assert "Traceback" not in log, f"round {number}: the collector logged an error:\n{log}"
        integrity = integrity_check(path)
        assert integrity == "ok", (
            f"round {number} (seed {seed}): PRAGMA integrity_check says {integrity!r}, not 'ok'")
        found = ledger.check(stored_markers(database_url))
        assert found.ok, f"round {number} (seed {seed}), after kill -9: {found.describe()}"
    with running_collector(example_site, database_url, tmp_path,
                           args=NO_RATE_LIMIT) as collector:
        ledger.resubmit(collector.port)
    final = ledger.check(stored_markers(database_url))
    figures.add("kill", _figures_row("SQLite (kill -9 of the collector)", rounds, ledger, final,
                                     integrity=f"ok in {rounds} of {rounds} rounds", seed=seed))
    assert final.ok, f"after the last resubmissions (seed {seed}): {final.describe()}"


def _kill_collector_under_load(collector: RunningCollector, site_dir: Path, label: str,
                               delays: random.Random) -> LoadRun:
    """Citizens answer; after a random delay the collector gets SIGKILL; the requests it was
    serving are cut off."""
    assert collector.process is not None
    load = BackgroundLoad(collector.port, site_dir, label)
    time.sleep(delays.uniform(*KILL_AFTER))
    load.stop.set()  # no new request: those in flight now are the ones cut off
    collector.process.kill()
    collector.process.wait()
    return load.finish()


@pytest.fixture(scope="module")
def crashable_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this module's own: the shared one must never be crashed."""
    with postgres_server() as server:
        yield server


@dataclass(frozen=True)
class PostgresCollector:
    server: PostgresServer
    database_url: str
    collector: RunningCollector


@pytest.fixture
def postgres_collector(example_site: Path, tmp_path: Path,
                       crashable_postgres: PostgresServer) -> Iterator[PostgresCollector]:
    """A collector on a new database of the crashable server, started while the server is up;
    it keeps running whatever happens to the server, as in production."""
    database_url = crashable_postgres.new_database()
    with running_collector(example_site, database_url, tmp_path,
                           args=NO_RATE_LIMIT) as collector:
        yield PostgresCollector(crashable_postgres, database_url, collector)


def test_first_answer_during_a_postgresql_outage_gets_503(
    example_site: Path, postgres_collector: PostgresCollector,
) -> None:
    """A collector that has taken no answer yet (just started; or each day's first answer)
    reads the day's pseudonym key from the database: when the database is down then, the
    citizen must be told the answer was not saved (503), not shown an error page (500). The
    collector waits 10 s for a connection before saying so."""
    server, collector = postgres_collector.server, postgres_collector.collector
    pairs = answer_template(example_site)
    server.crash()
    try:
        during = collector.post(pairs)
    finally:
        server.restart()
    after = collector.post(pairs)
    assert (during.status, during.headers.get("retry-after")) == (503, "60"), (
        f"an answer while the database is down should get 503 with Retry-After: 60, got "
        f"{during.status}: {during.text[:500]}")
    assert after.status == 303, f"sent again once the database is back: {after.status}"
    stored = sum(stored_markers(postgres_collector.database_url).values())
    assert stored == 1, f"the answer should be stored once, found {stored}"
    log = collector.log()
    assert "Traceback" not in log, f"the collector logged an unexpected error:\n{log[-3000:]}"


def test_postgresql_survives_immediate_shutdown(
    example_site: Path, postgres_collector: PostgresCollector, scale: Scale, figures: Figures,
    seed: int,
) -> None:
    delays = random.Random(seed + 1)  # not the SQLite test's delays again
    ledger = Ledger()
    rounds = scale.pick(1, 5)
    server, collector = postgres_collector.server, postgres_collector.collector
    database_url = postgres_collector.database_url
    for number in range(1, rounds + 1):
        ledger.resubmit(collector.port)
        run = _crash_postgres_under_load(server, collector.port, example_site,
                                         f"postgresql{number:02d}", delays)
        ledger.record(run)
        wrong = run.unexpected(allowed=(303, 503))
        assert not wrong, (
            f"round {number} (seed {seed}): during and around the outage every answer "
            f"should get a 303 or a 503; {len(wrong)} did not, e.g.:\n"
            + "\n".join(attempt.describe() for attempt in wrong[:5]))
        integrity = postgres_integrity_check(database_url)
        assert integrity == "ok", f"round {number} (seed {seed}): amcheck found {integrity!r}"
        found = ledger.check(stored_markers(database_url))
        assert found.ok, (f"round {number} (seed {seed}), after the immediate shutdown: "
                          f"{found.describe()}")
    ledger.resubmit(collector.port)
    final = ledger.check(stored_markers(database_url))
    figures.add("kill", _figures_row(
        "PostgreSQL (immediate shutdown of the server)", rounds, ledger, final,
        integrity=f"ok in {rounds} of {rounds} rounds (amcheck)", seed=seed))
    assert final.ok, f"after the last resubmissions (seed {seed}): {final.describe()}"
    log = collector.log()
    assert "Traceback" not in log, f"the collector logged an unexpected error:\n{log[-3000:]}"


def _crash_postgres_under_load(server: PostgresServer, port: int, site_dir: Path, label: str,
                               delays: random.Random) -> LoadRun:
    """Citizens answer; the server stops at once, stays down a while, starts again; they go
    on answering until the collector has had time to reconnect."""
    load = BackgroundLoad(port, site_dir, label)
    time.sleep(delays.uniform(*KILL_AFTER))
    server.crash()
    time.sleep(delays.uniform(*OUTAGE))
    server.restart()
    time.sleep(AFTER_RESTART)
    return load.finish()


def _figures_row(backend: str, rounds: int, ledger: Ledger, final: Reconciliation, *,
                 integrity: str, seed: int) -> dict[str, str | int | float]:
    return {
        "backend": backend,
        "rounds": rounds,
        "answers acknowledged (303)": ledger.statuses[303],
        "unacknowledged": ledger.unacknowledged,
        "refused with 503": ledger.statuses[503],
        "stored though unacknowledged": ledger.stored_unacknowledged,
        "sent again after the restart": ledger.sent_again,
        "lost": len(final.lost),
        "doubled": len(final.doubled),
        "integrity check": integrity,
        "seed": str(seed),  # an identifier to replay, not a quantity
    }
