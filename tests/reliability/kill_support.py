"""What every kill -9 module shares (``test_kill``, ``test_kill_postgres``,
``test_kill_moderation``, ``test_kill_commands``, ``test_kill_audit``): the seeded random delays,
the load's shape, the databases' own integrity checks, and the figures' row."""

from __future__ import annotations

import os
import random
import sqlite3
from pathlib import Path

import psycopg

from tests.reliability.load_driver import Ledger, Reconciliation
from tests.reliability.paper_ledger import PaperLedger

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


def chosen_seed(what: str) -> int:
    """``PAROLE_KILL_SEED``, or a new random seed, printed (every kill module's)."""
    chosen = int(os.environ.get(SEED_ENVIRONMENT) or random.SystemRandom().randrange(2**32))
    print(f"{what}: random delays from seed {chosen} (replay: {SEED_ENVIRONMENT}={chosen})")
    return chosen


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


def figures_row(backend: str, rounds: int, ledger: Ledger, final: Reconciliation,
                 paper: PaperLedger, *, integrity: str,
                 seed: int) -> dict[str, str | int | float]:
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
        "paper sheet typings acknowledged (303)": paper.statuses[303],
        "typings unacknowledged": paper.unacknowledged,
        "typings stored though unacknowledged": paper.stored_unacknowledged,
        "typings saved again after the restart": paper.sent_again,
        "typings lost": len(paper.lost),
        "typings doubled": len(paper.doubled),
        "mediators' sessions kept across restarts": paper.sessions_kept,
        "integrity check": integrity,
        "seed": str(seed),  # an identifier to replay, not a quantity
    }
