"""When the database cannot take an answer, the person is told it was NOT saved (503), never
shown a receipt. The collector runs in uvicorn on 127.0.0.1, in a thread of the test, over a
storage whose writes fail as a full disk's do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from site_builder.collector.settings import Collector, Settings
from site_builder.storage import open_storage
from site_builder.storage.base import Duplicates, NewAnswer, Storage, StorageUnavailable
from tests.collector_support import (
    VALID_ANSWER,
    RunningCollector,
    collector_in_thread,
    hidden_fields,
)


class FullDisk:
    """A storage whose ``store`` fails like SQLite on a full disk; everything else works."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.failing = True

    def store(self, answer: NewAnswer, duplicates: Duplicates) -> Any:
        if self.failing:
            raise StorageUnavailable("database or disk is full")
        return self.storage.store(answer, duplicates)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.storage, name)


@pytest.fixture
def collector(
    example_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[RunningCollector, FullDisk]]:
    monkeypatch.setenv("PAROLE_BUILD_DATE", "2027-01-10")
    storage = FullDisk(open_storage(f"sqlite:///{tmp_path / 'answers.db'}"))
    app_collector = Collector(Settings(site_dir=example_site, rate_limit=0), storage)
    with collector_in_thread(app_collector, tmp_path / "log") as running:
        yield running, storage


def test_a_failed_write_is_a_503_saying_not_saved_and_it_recovers(
    collector: tuple[RunningCollector, FullDisk], example_site: Path
) -> None:
    up, storage = collector
    body = hidden_fields(example_site) + VALID_ANSWER
    reply = up.post(body)
    assert reply.status == 503
    assert reply.headers["retry-after"] == "60"
    assert "location" not in reply.headers
    assert "Votre réponse n\u2019a pas été enregistrée" in reply.text
    assert list(storage.answers("avis-place")) == []

    storage.failing = False  # space freed
    again = up.post(body)
    assert again.status == 303
    assert len(list(storage.answers("avis-place"))) == 1
