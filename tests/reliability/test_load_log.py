"""Several collectors on one PostgreSQL database make one answer log (issue #19, point 4).

Two ``parole collect`` processes share a database, as behind a load balancer, and citizens post
to both at once. Every acknowledged answer must have exactly one current leaf, the leaves must
be numbered 0 to n-1 without a gap or a repeat, and each leaf must recompute from its answer:
the log is one linear history even though two processes append to it.
"""

from __future__ import annotations

import threading
from pathlib import Path

from site_builder.storage import open_storage
from tests.collector_support import running_collector
from tests.log_support import database_log_problems
from tests.postgres_support import PostgresServer
from tests.reliability.figures import Scale
from tests.reliability.load_driver import CLIENTS, NO_RATE_LIMIT, LoadRun, run_load


def test_two_collectors_on_one_postgresql_make_one_linear_log(
    postgres: PostgresServer, example_site: Path, tmp_path: Path, scale: Scale,
) -> None:
    database_url = postgres.new_database()
    seconds = scale.pick(4.0, 30.0)
    runs: dict[str, LoadRun] = {}

    def load(label: str, port: int) -> None:
        runs[label] = run_load(port, example_site, clients=max(2, CLIENTS // 2),
                               seconds=seconds, label=label)

    with running_collector(example_site, database_url, tmp_path, args=NO_RATE_LIMIT) as first, \
            running_collector(example_site, database_url, tmp_path,
                              args=NO_RATE_LIMIT) as second:
        threads = [threading.Thread(target=load, args=(label, collector.port))
                   for label, collector in (("first", first), ("second", second))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    for label, run in runs.items():
        assert not run.unexpected(), (
            f"every answer to the {label} collector should get a 303 (two collectors appending "
            f"at once must wait for each other, not fail): {dict(run.statuses())}, e.g.:\n"
            + "\n".join(attempt.describe() for attempt in run.unexpected()[:3]))
    acknowledged = {label: len(run.acknowledged) for label, run in runs.items()}
    assert all(count > 0 for count in acknowledged.values()), (
        f"both collectors should have stored answers: {acknowledged}")
    assert database_log_problems(database_url) == []
    storage = open_storage(database_url)
    try:
        leaves = list(storage.log_leaves())
    finally:
        storage.close()
    assert [leaf.index for leaf in leaves] == list(range(sum(acknowledged.values()))), (
        "one leaf per acknowledged answer, numbered without a gap")
