"""kill -9 with moderators at work (issue #16): the rounds of ``test_kill.py`` (the collector
killed with ``SIGKILL`` on SQLite) and ``test_kill_postgres.py`` (the PostgreSQL server shut
down at once under it) while citizens answer, mediators type sheets and two moderators decide
on the written answers on the moderation pages (``/admin/moderation/``, ``moderation_driver``).

The form is the example's, naming a consent to be quoted (``publish_consent``) that every
citizen's answer and paper sheet ticks, so the answers the moderators read arrive during the
round. After every round, besides what ``test_kill.py`` checks of the answers and the sheets
(``Ledger``, ``check_sheets``): every verdict acknowledged with a 303 is stored exactly once,
with who decided, when and why as sent; none is stored that was not sent; every verdict's
answer is there, agreed to be quoted, with the text the verdict was made on; no answer's
question is decided twice; SQLite's ``PRAGMA foreign_key_check`` finds no verdict whose answer
is gone. The moderators' sessions, signed cookies with nothing kept by the collector, still
open the pages after the restart, and the verdict whose response was cut off is sent again with
the same form: stored then, or ``stale`` (already stored), never twice.

Two moments the rounds reach by chance are also made certain: two moderators sending a verdict
on one answer at the same moment (one stored, the other told ``stale``), and a verdict sent again
after its 303 was lost (``stale``, stored once).

Same scale and delays as ``test_kill.py`` (3 rounds on SQLite and 1 on PostgreSQL in the test
command, 20 and 5 under ``PAROLE_RELIABILITY=full``), ``PAROLE_KILL_SEED`` replays them.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest

from tests.collector_support import RunningCollector, running_collector
from tests.postgres_support import PostgresServer, postgres_server
from tests.reliability.figures import Cell, Figures, Scale
from tests.reliability.kill_support import (
    AFTER_RESTART,
    CLIENTS,
    KILL_AFTER,
    LONGEST_ROUND,
    OUTAGE,
    chosen_seed,
    figures_row,
    integrity_check,
    postgres_integrity_check,
)
from tests.reliability.load_driver import (
    CLIENT_ADDRESSES,
    NO_RATE_LIMIT,
    BackgroundLoad,
    Ledger,
    LoadRun,
    Reconciliation,
    answer_template,
    post_answer,
    stored_markers,
    with_marker,
)
from tests.reliability.moderation_driver import (
    MODERATORS,
    PLANS,
    STALE,
    STORED,
    Moderators,
    consent_site,
    moderators_at_work,
)
from tests.reliability.moderation_ledger import VerdictLedger, check_verdicts
from tests.reliability.paper_driver import Typists, mediators_at_work
from tests.reliability.paper_ledger import PaperLedger, check_sheets, open_shared_batch


@pytest.fixture(scope="module")
def seed() -> int:
    return chosen_seed("kill -9 with moderators")


@dataclass(frozen=True)
class ConsentSite:
    site: Path
    consent: str


@pytest.fixture(scope="module")
def consent(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> ConsentSite:
    return ConsentSite(*consent_site(example_site, tmp_path_factory.mktemp("consent") / "site"))


def foreign_key_check(path: Path) -> str:
    """SQLite's ``PRAGMA foreign_key_check`` on the file opened read-only: "ok", or the rows
    whose parent is gone (a verdict whose answer was deleted without it, a typing without
    its sheet)."""
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        rows = connection.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        connection.close()
    return "; ".join(f"{table} row {rowid} → {parent}" for table, rowid, parent, _ in rows) \
        or "ok"


@dataclass
class Crew:
    """Everyone at work on one database, and what each ledger expects of it."""

    answers: Ledger
    paper: PaperLedger
    verdicts: VerdictLedger

    def resume(self, port: int) -> None:
        self.answers.resubmit(port)
        self.paper.resume(port)
        self.verdicts.resume(port)

    def check(self, run: LoadRun, database_url: str, *, allowed: tuple[int | None, ...],
              when: str) -> None:
        self.answers.record(run)
        saves, decided = self.paper.record(), self.verdicts.record()
        wrong = run.unexpected(allowed=allowed)
        assert not wrong, (f"{when}: {len(wrong)} answers got none of {allowed}, e.g.:\n"
                           + "\n".join(attempt.describe() for attempt in wrong[:5]))
        found = self.answers.check(stored_markers(database_url))
        assert found.ok, f"{when}: {found.describe()}"
        check_sheets(self.paper, saves, database_url, allowed=allowed, when=when)
        check_verdicts(self.verdicts, decided, database_url, allowed=allowed, when=when)

    def final(self, database_url: str) -> tuple[Reconciliation, list[str], list[str]]:
        return (self.answers.check(stored_markers(database_url)),
                self.paper.problems(database_url), self.verdicts.problems(database_url))


def test_sqlite_moderation_survives_kill_9(consent: ConsentSite, tmp_path: Path, scale: Scale,
                                           figures: Figures, seed: int) -> None:
    path = tmp_path / "answers.db"
    database_url = f"sqlite:///{path}"
    delays = random.Random(seed + 3)  # not test_kill.py's delays again
    desks = mediators_at_work(consent.site, database_url)
    crew: Crew | None = None
    rounds = scale.pick(3, 20)
    for number in range(1, rounds + 1):
        with running_collector(consent.site, database_url, tmp_path,
                               args=NO_RATE_LIMIT) as collector:
            if crew is None:
                crew = Crew(Ledger(), open_shared_batch(desks, collector.port),
                            VerdictLedger(moderators_at_work(collector.port), consent.consent))
            else:
                crew.resume(collector.port)
            run = _kill_collector_under_load(collector, consent.site, f"mod-sqlite{number:02d}",
                                             delays, crew)
            log = collector.log()
        when = f"round {number} (seed {seed}), after kill -9"
        assert "Traceback" not in log, f"{when}: the collector logged an error:\n{log[-3000:]}"
        for check, found in (("PRAGMA integrity_check", integrity_check(path)),
                             ("PRAGMA foreign_key_check", foreign_key_check(path))):
            assert found == "ok", f"{when}: {check} says {found!r}, not 'ok'"
        crew.check(run, database_url, allowed=(303, None), when=when)
    assert crew is not None
    with running_collector(consent.site, database_url, tmp_path,
                           args=NO_RATE_LIMIT) as collector:
        crew.resume(collector.port)
    _record_and_check(crew, database_url, figures, "SQLite, moderators at work (kill -9 of the "
                      "collector)", rounds=rounds, seed=seed,
                      integrity=f"ok in {rounds} of {rounds} rounds (and foreign keys)")


def _kill_collector_under_load(collector: RunningCollector, site_dir: Path, label: str,
                               delays: random.Random, crew: Crew) -> LoadRun:
    """Citizens answer, mediators type sheets, moderators decide; after a random delay the
    collector gets SIGKILL; the requests it was serving are cut off."""
    assert collector.process is not None
    load = BackgroundLoad(collector.port, site_dir, label, clients=CLIENTS, longest=LONGEST_ROUND)
    typists = Typists(crew.paper.desks, collector.port, crew.paper.batch_id, label)
    moderators = Moderators(crew.verdicts.desks, collector.port)
    time.sleep(delays.uniform(*KILL_AFTER))
    for stop in (load.stop, typists.stop, moderators.stop):
        stop.set()  # no new request: those in flight now are the ones cut off
    collector.process.kill()
    collector.process.wait()
    typists.finish()
    moderators.finish()
    return load.finish()


RACES = 10
"""Times two moderators send a verdict on the same answer at the same moment."""


def test_two_moderators_deciding_on_one_answer_at_once_store_one_verdict(
    consent: ConsentSite, tmp_path: Path,
) -> None:
    """What the two moderators of the rounds keep doing, made certain: both read the same
    answer (the page shows the oldest waiting) and send their verdicts at the same moment. One
    is stored; the other is told someone decided meanwhile, nothing stored: never two
    decisions on one answer's question, each moderator told theirs was saved."""
    database_url = f"sqlite:///{tmp_path / 'answers.db'}"
    template = answer_template(consent.site)
    with running_collector(consent.site, database_url, tmp_path,
                           args=NO_RATE_LIMIT) as collector:
        for number in range(100):  # a queue to read before deciding, as in the rounds
            sent = post_answer(collector.port, with_marker(template, f"race-{number:03d}",
                                                           CLIENT_ADDRESSES[number % 5]))
            assert sent.acknowledged, sent.describe()
        desks = moderators_at_work(collector.port)
        ledger = VerdictLedger(desks, consent.consent)
        races: list[list[str]] = []
        for _ in range(RACES):
            for desk in desks:
                assert desk.read(collector.port) == 200 and desk.pending is not None
            assert len({desk.pending.key[1:] for desk in desks if desk.pending}) == 1
            threads = _at_once([partial(desk.send, collector.port) for desk in desks])
            for thread in threads:
                thread.join()
            races.append(sorted((desk.attempts[-1].done or "") for desk in desks))
    ledger.record()
    problems = ledger.problems(database_url)
    assert not problems, "; ".join(problems)
    assert all(done[-1] == STALE and done[0] in STORED for done in races), (
        f"each time, one verdict stored and the other told stale: {races}")


def test_a_verdict_sent_again_after_its_303_was_lost_is_stored_once(
    consent: ConsentSite, tmp_path: Path,
) -> None:
    """What a kill -9 between the commit and the 303 does, made certain (the rounds rarely
    hit that moment: a verdict's post spends most of its time reading the queue): the verdict
    is stored, its 303 never comes back, the moderator sends the same form again after the
    restart. The collector must say it is no longer waiting (``stale``), not store it twice."""
    database_url = f"sqlite:///{tmp_path / 'answers.db'}"
    with running_collector(consent.site, database_url, tmp_path,
                           args=NO_RATE_LIMIT) as collector:
        sent = post_answer(collector.port, with_marker(answer_template(consent.site),
                                                       "lost-303", CLIENT_ADDRESSES[0]))
        assert sent.acknowledged, sent.describe()
        desk = moderators_at_work(collector.port, names=MODERATORS[:1])[0]
        assert desk.read(collector.port) == 200 and desk.pending is not None
        shown = desk.pending
        first = desk.send(collector.port)
    ledger = VerdictLedger([desk], consent.consent)
    with running_collector(consent.site, database_url, tmp_path,
                           args=NO_RATE_LIMIT) as collector:
        desk.pending = shown  # as if the 303 had been lost
        again = desk.send(collector.port)
    ledger.record()
    assert first.acknowledged and again.done == STALE, [first.describe(), again.describe()]
    assert not ledger.problems(database_url), ledger.problems(database_url)


def _at_once(actions: list[Callable[[], object]]) -> list[threading.Thread]:
    """Threads, started, that run ``actions`` at the same moment (a barrier)."""
    start = threading.Barrier(len(actions))

    def run(action: Callable[[], object]) -> None:
        start.wait()
        action()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    return threads


@pytest.fixture(scope="module")
def crashable_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this module's own: the shared one must never be crashed."""
    with postgres_server() as server:
        yield server


def test_postgresql_moderation_survives_immediate_shutdown(
    consent: ConsentSite, tmp_path: Path, crashable_postgres: PostgresServer, *,
    scale: Scale, figures: Figures, seed: int,
) -> None:
    """The collector keeps running while the server under it stops at once and starts again:
    pages and verdicts during the outage get 503 (never a 500, never a 303 for a verdict then
    lost), and the moderators go on once it is back."""
    delays = random.Random(seed + 4)
    server = crashable_postgres
    database_url = server.new_database()
    rounds = scale.pick(1, 5)
    with running_collector(consent.site, database_url, tmp_path,
                           args=NO_RATE_LIMIT) as collector:
        crew = Crew(Ledger(),
                    open_shared_batch(mediators_at_work(consent.site, database_url),
                                      collector.port),
                    VerdictLedger(moderators_at_work(collector.port), consent.consent))
        for number in range(1, rounds + 1):
            crew.resume(collector.port)
            load = BackgroundLoad(collector.port, consent.site, f"mod-postgresql{number:02d}",
                                  clients=CLIENTS, longest=LONGEST_ROUND)
            typists = Typists(crew.paper.desks, collector.port, crew.paper.batch_id,
                              f"mod-postgresql{number:02d}")
            moderators = Moderators(crew.verdicts.desks, collector.port)
            time.sleep(delays.uniform(*KILL_AFTER))
            server.crash()
            time.sleep(delays.uniform(*OUTAGE))
            server.restart()
            time.sleep(AFTER_RESTART)
            typists.finish()
            moderators.finish()
            run = load.finish()
            when = f"round {number} (seed {seed}), after the immediate shutdown"
            integrity = postgres_integrity_check(database_url)
            assert integrity == "ok", f"{when}: amcheck found {integrity!r}"
            crew.check(run, database_url, allowed=(303, 503), when=when)
        crew.resume(collector.port)
        log = collector.log()
    _record_and_check(crew, database_url, figures, "PostgreSQL, moderators at work (immediate "
                      "shutdown of the server)", rounds=rounds, seed=seed,
                      integrity=f"ok in {rounds} of {rounds} rounds (amcheck)")
    assert "Traceback" not in log, f"the collector logged an unexpected error:\n{log[-3000:]}"


def _record_and_check(crew: Crew, database_url: str, figures: Figures, backend: str, *,
                      rounds: int, seed: int, integrity: str) -> None:
    """The figures of the last check (after the last verdicts were sent again), then its
    verdict."""
    final, sheets, verdicts = crew.final(database_url)
    ledger = crew.verdicts
    row: dict[str, Cell] = {
        **figures_row(backend, rounds, crew.answers, final, crew.paper, integrity=integrity,
                       seed=seed),
        "verdicts acknowledged (303)": len(ledger.acknowledged),
        "kinds of verdict acknowledged": f"{len(ledger.kinds)} of {len(PLANS)}",
        "verdicts unacknowledged": ledger.unacknowledged,
        "verdicts refused with 503": ledger.statuses[503],
        "verdicts stored though unacknowledged": ledger.stored_unacknowledged,
        "verdicts sent again after the restart": ledger.sent_again,
        "verdicts told stale (decided meanwhile)": ledger.stale,
        "verdicts lost": len(ledger.lost),
        "verdicts doubled": len(ledger.doubled),
        "moderators' sessions kept across restarts": ledger.sessions_kept,
    }
    figures.add("kill", row)
    assert final.ok, f"after the last resubmissions (seed {seed}): {final.describe()}"
    assert not sheets, f"after the sheets were saved again (seed {seed}): " + "; ".join(sheets)
    assert not verdicts, (f"after the verdicts were sent again (seed {seed}): "
                          + "; ".join(verdicts))
    assert ledger.acknowledged, "the moderators decided on nothing: the rounds proved nothing"
