"""kill -9 (issue #5, point 2): the collector, or the PostgreSQL server under it, dies at a random
moment while citizens are answering, and starts again.

What it proves: every answer the collector acknowledged with a 303 is in the database exactly
once after the crash; an answer sent without a 303 coming back (cut off in flight, or refused
with a 503) is there at most once; SQLite's ``PRAGMA integrity_check`` says ``ok`` after every
crash; and a person who presses Send again after the restart ends up with their answer stored
exactly once (the collector recognises an answer it had committed without being able to say so).

Paper entry is mixed into the load (issue #15, ``paper_driver``, ``paper_ledger``): mediators,
added with ``parole mediators add`` and signed in over HTTP, type sheets of one shared batch
while the citizens answer (three sharing the stack with single entry; on SQLite also two each
typing the whole stack with double entry). The same promise holds for their typings (each
acknowledged with a 303 to the entry screen is stored exactly once, under the receipt the 303
named; one saved again after the crash with the same screen's form is recognised, not stored
twice), and the batch stays whole: its sheet numbers are 1, 2, 3… without a repeat or a gap,
its entered count is its number of sheets, each sheet's state follows from its typings. The
mediators' sessions, kept in the database, survive every restart. The answer log (issue #19)
agrees with the answers after every round (``tests.log_support.log_problems``): during each
round ``parole log checkpoint`` signs the log while answers are written (killed with the
collector, or cut off by the outage, if it has not finished; on PostgreSQL signed again once
the server is back; ``log_rounds``), and after it the tree head of the first ``size`` leaves is
every stored checkpoint's root; ``parole log publish`` then publishes the journal (every other
round on SQLite, every round on PostgreSQL), whose ``checkpoint`` must be the newest stored
one.

- SQLite: each round starts ``parole collect`` on the same database file, lets 10 citizens
  answer, sends the collector ``SIGKILL`` after a random delay, and checks the file read-only
  while nothing runs. The next round's collector first takes the resubmissions.
- PostgreSQL: ``test_kill_postgres.py``, with the same delays, helpers and figures
  (``kill_support``): the
  server crashes under a collector that keeps running.

The delays come from a seeded random generator: the seed is printed and recorded in the
figures, and ``PAROLE_KILL_SEED=<seed>`` replays the same delays (the scheduling of threads
still varies from run to run).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.collector_support import RunningCollector, running_collector
from tests.log_command_support import keygen
from tests.log_support import database_log_problems
from tests.reliability.figures import Figures, Scale
from tests.reliability.kill_support import (
    CLIENTS,
    KILL_AFTER,
    LONGEST_ROUND,
    chosen_seed,
    figures_row,
    integrity_check,
)
from tests.reliability.load_driver import (
    NO_RATE_LIMIT,
    BackgroundLoad,
    Ledger,
    LoadRun,
    stored_markers,
)
from tests.reliability.log_rounds import Signing, publish, start_signing, stop_signing
from tests.reliability.paper_driver import (
    MEDIATORS,
    Typists,
    double_entry_site,
    mediators_at_work,
)
from tests.reliability.paper_ledger import PaperLedger, check_sheets, open_shared_batch


@pytest.fixture(scope="module")
def seed() -> int:
    return chosen_seed("kill -9 suite")


@dataclass(frozen=True)
class EntrySite:
    site: Path
    double: bool


@pytest.fixture(params=[False, True], ids=["single-entry", "double-entry"])
def entry_site(request: pytest.FixtureRequest, example_site: Path,
               tmp_path: Path) -> EntrySite:
    """The example site, and a copy of it asking for double entry."""
    if request.param:
        return EntrySite(double_entry_site(example_site, tmp_path / "double"), True)
    return EntrySite(example_site, False)


def test_sqlite_survives_kill_9(entry_site: EntrySite, tmp_path: Path, scale: Scale,
                                figures: Figures, seed: int) -> None:
    """Single entry: three mediators share the stack. Double entry (``paper_entry: {double:
    true}``): two mediators each type the whole stack, so every sheet is typed twice."""
    path = tmp_path / "answers.db"
    database_url = f"sqlite:///{path}"
    site, double = entry_site.site, entry_site.double
    delays = random.Random(seed + 2 * double)  # not the other variant's delays again
    ledger = Ledger()
    desks = mediators_at_work(site, database_url,  # creates the database, as it may
                              names=MEDIATORS[:2] if double else MEDIATORS,
                              stack="paper-stack" if double else "")
    paper: PaperLedger | None = None
    rounds = scale.pick(2, 10) if double else scale.pick(3, 20)
    key, _public = keygen(tmp_path)
    for number in range(1, rounds + 1):
        with running_collector(site, database_url, tmp_path,
                               args=NO_RATE_LIMIT) as collector:
            if paper is None:
                paper = open_shared_batch(desks, collector.port, double=double)
            else:
                paper.resume(collector.port)
            ledger.resubmit(collector.port)
            run = _kill_collector_under_load(
                collector, site, f"sqlite{number:02d}", delays, paper=paper,
                sign=lambda: start_signing(database_url, key, tmp_path))
            log = collector.log()
        ledger.record(run)
        saves = paper.record()
        when = f"round {number} (seed {seed}), after kill -9"
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
        assert found.ok, f"{when}: {found.describe()}"
        check_sheets(paper, saves, database_url, allowed=(303, None), when=when)
        published = publish(database_url, key, tmp_path) if number % 2 == 0 else None
        assert not (problems := database_log_problems(database_url, published)), \
            f"{when}: {problems}"
    assert paper is not None
    with running_collector(site, database_url, tmp_path,
                           args=NO_RATE_LIMIT) as collector:
        ledger.resubmit(collector.port)
        paper.resume(collector.port)
    final = ledger.check(stored_markers(database_url))
    final_sheets = paper.problems(database_url)
    backend = "SQLite, double entry" if double else "SQLite"
    figures.add("kill", figures_row(f"{backend} (kill -9 of the collector)", rounds, ledger,
                                     final, paper, seed=seed,
                                     integrity=f"ok in {rounds} of {rounds} rounds"))
    assert final.ok, f"after the last resubmissions (seed {seed}): {final.describe()}"
    assert not final_sheets, (f"after the sheets were saved again (seed {seed}): "
                              + "; ".join(final_sheets))


def test_a_sheet_saved_again_after_its_303_was_lost_is_stored_once(
    example_site: Path, tmp_path: Path,
) -> None:
    """What a kill -9 does to a save, made certain: the sheet is stored, its 303 never comes
    back, the mediator presses Save again with the same form. Meanwhile another mediator took
    the sheet number the first one's screen showed (single entry numbers the stack, whoever
    types it): the collector must still recognise the sheet as stored, not store it twice."""
    database_url = f"sqlite:///{tmp_path / 'answers.db'}"
    desks = mediators_at_work(example_site, database_url)
    with running_collector(example_site, database_url, tmp_path) as collector:
        paper = open_shared_batch(desks, collector.port)
        first, other = desks[:2]
        assert first.fill(collector.port, paper.batch_id, "paper-lost-303") == 200
        assert other.fill(collector.port, paper.batch_id, "paper-meanwhile") == 200
        assert other.save(collector.port, paper.batch_id).acknowledged
        stored = first.save(collector.port, paper.batch_id)
        first.pending = stored.sheet  # as if the 303 had been lost
        again = first.save(collector.port, paper.batch_id)
    paper.record()
    assert stored.acknowledged and again.acknowledged, [stored.describe(), again.describe()]
    assert again.receipt == stored.receipt, (
        f"saved again, the sheet should be found under its receipt {stored.receipt}: "
        f"{again.describe()}")
    assert not paper.problems(database_url), paper.problems(database_url)


def _kill_collector_under_load(collector: RunningCollector, site_dir: Path, label: str,
                               delays: random.Random, *, paper: PaperLedger,
                               sign: Callable[[], Signing]) -> LoadRun:
    """Citizens answer and mediators type sheets while ``sign`` signs a checkpoint; after a
    random delay the collector gets SIGKILL, and so does the signing if it is still at work;
    the requests the collector was serving are cut off."""
    assert collector.process is not None
    load = BackgroundLoad(collector.port, site_dir, label, clients=CLIENTS,
                          longest=LONGEST_ROUND)
    typists = Typists(paper.desks, collector.port, paper.batch_id, label)
    signing = sign()  # about half a second to sign: finished in most rounds, cut off in some
    time.sleep(delays.uniform(*KILL_AFTER))
    load.stop.set()  # no new request: those in flight now are the ones cut off
    typists.stop.set()
    collector.process.kill()
    collector.process.wait()
    stop_signing(signing)
    typists.finish()
    return load.finish()
