"""Answers per second a real collector stores, on SQLite and on PostgreSQL.

A small stand-in for issue #5's load test: ``parole collect`` runs in its own process (as in
``tests/collector_support.py``, rate limit off) over the example site built by parole, and
:data:`CLIENTS` threads post complete, valid answers to the example form for :data:`SECONDS`,
each on a new connection as separate citizens would, each answer different (the collector
returns the first receipt for a resubmission). An answer counts when the collector answered
303, that is after ``COMMIT`` returned. The client threads share the machine with the
collector, so the figure is a floor.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

from bench.comparison_results import CollectorRow
from tests.collector_support import (
    VALID_ANSWER,
    RunningCollector,
    hidden_fields,
    running_collector,
)
from tests.postgres_support import postgres_server

CLIENTS = 8
SECONDS = 10.0


def _post_until(collector: RunningCollector, *, deadline: float, pairs: list[tuple[str, str]],
                client: int, counts: dict[str, int], lock: threading.Lock) -> None:
    """Post answers one after the other until ``deadline``; count them in ``counts``."""
    number = 0
    while time.monotonic() < deadline:
        number += 1
        answer = [(name, f"Idée {client}-{number}" if name == "idee" else value)
                  for name, value in pairs]
        status = collector.post(answer).status
        with lock:
            counts["stored" if status == 303 else "refused"] += 1


def measure_backend(site_dir: Path, backend: str, database_url: str, log_dir: Path,
                    *, clients: int = CLIENTS, seconds: float = SECONDS) -> CollectorRow:
    pairs = [*hidden_fields(site_dir), *VALID_ANSWER]
    counts = {"stored": 0, "refused": 0}
    lock = threading.Lock()
    with running_collector(site_dir, database_url, log_dir, args=["--rate-limit", "0"]) as run:
        run.post(pairs)  # not counted: the first answer creates the tables and warms up
        start = time.monotonic()
        threads = [threading.Thread(target=_post_until,
                                    args=(run,), kwargs={
                                        "deadline": start + seconds, "pairs": pairs,
                                        "client": client, "counts": counts, "lock": lock})
                   for client in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - start
    return CollectorRow(backend, counts["stored"], elapsed, clients, counts["refused"])


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
