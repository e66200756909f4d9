"""Answers per second a real collector stores, on SQLite and on PostgreSQL.

Measured with the reliability suite's load generator (``tests/reliability/load_driver.py``, the
one ``tests/reliability/test_load.py`` runs for issue #5): ``parole collect`` runs in its own
process (rate limit off) over the example site built by parole, and :data:`CLIENTS` citizens
(threads, each from its own loopback address) post complete, valid answers to the example form
for :data:`SECONDS`, each on a new connection, each answer different (the collector returns the
first receipt for a resubmission). An answer counts when the collector answered 303, that is
after ``COMMIT`` returned. The client threads share the machine with the collector, so the
figure is a floor. The load suite also checks that each of those answers is stored exactly once;
this benchmark only counts them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.comparison_results import CollectorRow
from tests.collector_support import running_collector
from tests.postgres_support import postgres_server
from tests.reliability import load_driver

CLIENTS = load_driver.CLIENTS
"""As many citizens at once as the load suite, so that both report the same kind of figure."""
SECONDS = 10.0


def measure_backend(site_dir: Path, backend: str, database_url: str, log_dir: Path,
                    *, clients: int = CLIENTS, seconds: float = SECONDS) -> CollectorRow:
    with running_collector(site_dir, database_url, log_dir, args=load_driver.NO_RATE_LIMIT) as run:
        load = load_driver.run_load(run.port, site_dir, clients=clients, seconds=seconds,
                                    label="bench")
    acknowledged = len(load.acknowledged)
    return CollectorRow(backend, acknowledged, load.seconds, clients,
                        len(load.attempts) - acknowledged)


def measure(site_dir: Path, *, seconds: float = SECONDS) -> tuple[CollectorRow, ...]:
    """Answers per second on SQLite (a file in a temporary folder) and on a throwaway
    PostgreSQL server (``tests/postgres_support.py``)."""
    with tempfile.TemporaryDirectory(prefix="parole-bench-collector-") as temporary:
        folder = Path(temporary)
        rows = [measure_backend(site_dir, "SQLite", f"sqlite:///{folder / 'answers.db'}",
                                folder, seconds=seconds)]
        with postgres_server() as server:
            rows.append(measure_backend(site_dir, "PostgreSQL", server.new_database(), folder,
                                        seconds=seconds))
    return tuple(rows)
