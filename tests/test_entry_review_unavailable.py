"""When the database cannot take a coordinator's change, the page says nothing was saved (503,
Retry-After), never that it was done. The collector runs in uvicorn on 127.0.0.1, in a thread of
the test, over a storage whose review writes fail as a full disk's do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from site_builder.collector.settings import Collector, Settings
from site_builder.storage import open_storage
from site_builder.storage.base import Storage, StorageUnavailable
from tests.batch_support import add_mediator
from tests.collector_support import RunningCollector, collector_in_thread
from tests.review_support import (
    AREA,
    MediatorSession,
    open_batch,
    page_text,
    type_sheet,
)

FAILING = frozenset({"close_batch", "recount_batch", "delete_entered_answer"})
"""The writes that fail."""


class FullDisk:
    """A storage whose review writes fail like SQLite on a full disk; the rest works."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def __getattr__(self, name: str) -> Any:
        if name in FAILING:
            def fail(*args: object, **kwargs: object) -> None:
                raise StorageUnavailable("database or disk is full")
            return fail
        return getattr(self.storage, name)


@pytest.fixture
def collector(example_site: Path, tmp_path: Path,
              monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[RunningCollector, str]]:
    monkeypatch.setenv("PAROLE_BUILD_DATE", "2027-01-10")
    database = f"sqlite:///{tmp_path / 'answers.db'}"
    storage = FullDisk(open_storage(database))
    app_collector = Collector(Settings(site_dir=example_site, rate_limit=0), storage)
    with collector_in_thread(app_collector, tmp_path / "log") as running:
        yield running, database


def test_a_change_the_database_cannot_write_is_a_503_saying_nothing_was_saved(
    collector: tuple[RunningCollector, str], example_site: Path
) -> None:
    running, database = collector
    awa = MediatorSession.sign_in(running, add_mediator(database, "Awa", coordinator=True))
    batch = open_batch(database, 1)
    receipt = type_sheet(database, example_site, batch.id, "Awa",
                         {"quartier": ["Les Tilleuls"]}).sheet.receipt
    awa.get(f"{AREA}/batches/{batch.id}")
    for path, pairs in ((f"{AREA}/batches/{batch.id}/close", []),
                        (f"{AREA}/batches/{batch.id}/recount",
                         [("sheets_counted", "2"), ("reason", "recompté")]),
                        (f"{AREA}/sheets/{receipt}/delete",
                         [("confirm", "yes"), ("reason", "en double")])):
        reply = awa.post(path, pairs)
        assert reply.status == 503, path
        assert reply.headers["retry-after"] == "60"
        assert "Rien n\u2019a été enregistré" in page_text(reply)
