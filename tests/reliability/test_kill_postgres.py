"""kill -9 on PostgreSQL (issue #5, point 2): the PostgreSQL server under a running collector
dies at a random moment while citizens answer and mediators type sheets, and starts again.
``test_kill.py`` does the same to the collector on SQLite; its promises hold here too: every
answer and sheet acknowledged with a 303 is stored exactly once, one sent without a 303 coming
back at most once, and once again when sent again; the answer log agrees with the answers, every
stored checkpoint's root is the tree head of its first ``size`` leaves, and the journal
``parole log publish`` writes after every round has the newest stored checkpoint.

A throwaway server of this module's own is stopped with ``pg_ctl stop -m immediate`` (every
connection cut, no checkpoint, crash recovery at the next start) at a random moment, left down a
random while, and started again. The collector keeps running throughout, as it would in
production when the database restarts under it: answers during the outage must get a 503 (never
a 303 for an answer then lost), and the collector must recover by itself. After every round
PostgreSQL's ``amcheck`` checks every table and index. Two single cases make the outage's
first answer and a sheet saved during it certain.

The delays come from ``kill_support``'s seeded generator (``PAROLE_KILL_SEED`` replays them).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.collector_support import RunningCollector, running_collector
from tests.log_command_support import keygen
from tests.log_support import database_log_problems
from tests.postgres_support import PostgresServer, postgres_server
from tests.reliability.figures import Figures, Scale
from tests.reliability.kill_support import (
    AFTER_RESTART,
    CLIENTS,
    KILL_AFTER,
    LONGEST_ROUND,
    OUTAGE,
    chosen_seed,
    figures_row,
    postgres_integrity_check,
)
from tests.reliability.load_driver import (
    NO_RATE_LIMIT,
    BackgroundLoad,
    Ledger,
    LoadRun,
    answer_template,
    stored_markers,
)
from tests.reliability.log_rounds import Signing, publish, start_signing, stop_signing
from tests.reliability.paper_driver import Typists, mediators_at_work
from tests.reliability.paper_ledger import PaperLedger, check_sheets, open_shared_batch


@pytest.fixture(scope="module")
def seed() -> int:
    return chosen_seed("kill -9 suite, PostgreSQL")


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
    folder: Path
    """The test's own folder (the journal's key, the journal, ``parole log``'s output)."""


@pytest.fixture
def postgres_collector(example_site: Path, tmp_path: Path,
                       crashable_postgres: PostgresServer) -> Iterator[PostgresCollector]:
    """A collector on a new database of the crashable server, started while the server is up;
    it keeps running whatever happens to the server, as in production."""
    database_url = crashable_postgres.new_database()
    with running_collector(example_site, database_url, tmp_path,
                           args=NO_RATE_LIMIT) as collector:
        yield PostgresCollector(crashable_postgres, database_url, collector, tmp_path)


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


def test_a_sheet_saved_during_a_postgresql_outage_gets_503(
    example_site: Path, postgres_collector: PostgresCollector,
) -> None:
    """A mediator's Save while the database is down gets 503 with Retry-After (never a 500,
    never a 303 for a sheet not stored); saved again once the database is back, the sheet is
    stored once."""
    server, collector = postgres_collector.server, postgres_collector.collector
    database_url = postgres_collector.database_url
    paper = open_shared_batch(mediators_at_work(example_site, database_url), collector.port)
    desk = paper.desks[0]
    assert desk.fill(collector.port, paper.batch_id, "paper-during-outage") == 200
    server.crash()
    try:
        during = desk.save(collector.port, paper.batch_id)
    finally:
        server.restart()
    after = desk.save(collector.port, paper.batch_id)
    paper.record()
    assert (during.reply.status, during.reply.retry_after) == (503, "60"), (
        f"a sheet saved while the database is down should get 503 with Retry-After: 60: "
        f"{during.describe()}")
    assert after.acknowledged, f"saved again once the database is back: {after.describe()}"
    assert not paper.problems(database_url), paper.problems(database_url)
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
    paper = open_shared_batch(mediators_at_work(example_site, database_url), collector.port)
    folder = postgres_collector.folder
    key, _public = keygen(folder)
    for number in range(1, rounds + 1):
        ledger.resubmit(collector.port)
        paper.resume(collector.port)
        run = _crash_postgres_under_load(server, collector.port, example_site,
                                         f"postgresql{number:02d}", delays, paper=paper,
                                         sign=lambda: start_signing(database_url, key, folder))
        ledger.record(run)
        saves = paper.record()
        wrong = run.unexpected(allowed=(303, 503))
        assert not wrong, (
            f"round {number} (seed {seed}): during and around the outage every answer "
            f"should get a 303 or a 503; {len(wrong)} did not, e.g.:\n"
            + "\n".join(attempt.describe() for attempt in wrong[:5]))
        integrity = postgres_integrity_check(database_url)
        assert integrity == "ok", f"round {number} (seed {seed}): amcheck found {integrity!r}"
        when = f"round {number} (seed {seed}), after the immediate shutdown"
        found = ledger.check(stored_markers(database_url))
        assert found.ok, f"{when}: {found.describe()}"
        check_sheets(paper, saves, database_url, allowed=(303, 503), when=when)
        published = publish(database_url, key, folder)
        assert not (problems := database_log_problems(database_url, published)), \
            f"{when}: {problems}"
    ledger.resubmit(collector.port)
    paper.resume(collector.port)
    final = ledger.check(stored_markers(database_url))
    final_sheets = paper.problems(database_url)
    figures.add("kill", figures_row(
        "PostgreSQL (immediate shutdown of the server)", rounds, ledger, final, paper,
        integrity=f"ok in {rounds} of {rounds} rounds (amcheck)", seed=seed))
    assert final.ok, f"after the last resubmissions (seed {seed}): {final.describe()}"
    assert not final_sheets, (f"after the sheets were saved again (seed {seed}): "
                              + "; ".join(final_sheets))
    log = collector.log()
    assert "Traceback" not in log, f"the collector logged an unexpected error:\n{log[-3000:]}"


def _crash_postgres_under_load(server: PostgresServer, port: int, site_dir: Path, label: str,
                               delays: random.Random, *, paper: PaperLedger,
                               sign: Callable[[], Signing]) -> LoadRun:
    """Citizens answer and mediators type sheets while ``sign`` signs a checkpoint; the server
    stops at once (cutting the signing off if it is still at work), stays down a while, starts
    again, and ``sign`` signs again; they go on until the collector has had time to
    reconnect."""
    load = BackgroundLoad(port, site_dir, label, clients=CLIENTS, longest=LONGEST_ROUND)
    typists = Typists(paper.desks, port, paper.batch_id, label)
    signing = sign()  # about half a second to sign: finished in most rounds, cut off in some
    time.sleep(delays.uniform(*KILL_AFTER))
    server.crash()
    time.sleep(delays.uniform(*OUTAGE))
    server.restart()
    stop_signing(signing)
    again = sign()  # once the server is back, signed while answers are written again
    time.sleep(AFTER_RESTART)
    stop_signing(again)
    typists.finish()
    return load.finish()
