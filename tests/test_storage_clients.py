"""The storage contract, continued (issue #13): the database keeps a digest of the collector's
secret (``bind_secret``), never a key, and clears client pseudonyms once past the duplicate
window. Every test runs once per backend through the ``storage_url`` fixture (conftest.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from site_builder.storage import migrations, open_storage
from site_builder.storage.base import DUPLICATE_WINDOW, Duplicates, Storage
from tests.storage_support import LATEST, SAME_CLIENT, T0, new_answer, raw_sql

# The collector's secret and client pseudonyms (issue #13)

def test_the_first_secret_is_kept_and_others_are_told_apart(
        open_collector: Callable[[], Storage]) -> None:
    one, other = open_collector(), open_collector()
    assert one.bind_secret("check-1")
    assert one.bind_secret("check-1")
    assert other.bind_secret("check-1")
    assert not other.bind_secret("check-2")
    assert not one.bind_secret("check-2")


def test_replacing_the_secret_makes_the_new_one_the_only_one(
        storage: Storage, storage_url: str) -> None:
    storage.bind_secret("old")
    assert storage.bind_secret("new", replace=True)
    assert storage.bind_secret("new")
    assert not storage.bind_secret("old")
    assert raw_sql(storage_url, "SELECT digest FROM secret_check") == [("new",)]


def test_collectors_starting_at_once_agree_on_one_secret(
        storage_url: str, open_collector: Callable[[], Storage]) -> None:
    collectors = [open_collector(), open_collector()]
    start = threading.Barrier(8)

    def bind(number: int) -> bool:
        start.wait()
        return collectors[number % 2].bind_secret(f"check-{number}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        accepted = [number for number, bound in enumerate(pool.map(bind, range(8))) if bound]
    assert len(accepted) == 1
    assert raw_sql(storage_url, "SELECT digest FROM secret_check") == [(f"check-{accepted[0]}",)]


def clients(url: str) -> dict[str, str | None]:
    """Each answer's fingerprint → its client pseudonym, as stored."""
    return dict(raw_sql(url, "SELECT fingerprint, client FROM answers"))


def test_storing_clears_the_pseudonyms_past_the_duplicate_window(
        storage: Storage, storage_url: str) -> None:
    storage.store(new_answer(fingerprint="old", received_at=T0), SAME_CLIENT)
    storage.store(new_answer(fingerprint="recent", received_at=T0 + timedelta(hours=2)),
                  SAME_CLIENT)
    later = T0 + DUPLICATE_WINDOW + timedelta(hours=1)
    window = Duplicates(clients=("client-a",), since=later - DUPLICATE_WINDOW)
    storage.store(new_answer(fingerprint="new", received_at=later), window)
    assert clients(storage_url) == {"old": None, "recent": "client-a", "new": "client-a"}
    # The answer still within the window is still recognised when sent again.
    again = storage.store(new_answer(fingerprint="recent", received_at=later), window)
    assert not again.created


def test_a_resubmission_clears_the_old_pseudonyms_too(storage: Storage, storage_url: str) -> None:
    storage.store(new_answer(fingerprint="old", received_at=T0 - DUPLICATE_WINDOW * 2),
                  Duplicates())
    storage.store(new_answer(), SAME_CLIENT)
    assert not storage.store(new_answer(), SAME_CLIENT).created
    assert clients(storage_url)["old"] is None


def test_purge_clears_the_pseudonyms_past_the_duplicate_window(
        storage: Storage, storage_url: str) -> None:
    for hours in (0, 23, 25):
        storage.store(new_answer(fingerprint=f"{hours}h", client=f"client-{hours}",
                                 received_at=T0 - timedelta(hours=hours)), Duplicates())
    assert storage.purge(T0) == 0  # cleared, not deleted
    assert clients(storage_url) == {"0h": "client-0", "23h": "client-23", "25h": None}
    assert storage.purge(T0 + DUPLICATE_WINDOW + timedelta(seconds=1)) == 0
    assert clients(storage_url) == {"0h": None, "23h": None, "25h": None}
    assert len(list(storage.answers("budget"))) == 3


def test_upgrading_drops_the_client_keys_and_their_pseudonyms(
        storage_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as first_release:
        first_release.setattr(migrations, "SQLITE", migrations.SQLITE[:1])
        first_release.setattr(migrations, "POSTGRES", migrations.POSTGRES[:1])
        open_storage(storage_url).close()
    # An answer as the first release wrote it (today's store() writes later columns too).
    received = "2025-03-01T09:30:00.000000Z" if storage_url.startswith("sqlite") else T0
    raw_sql(storage_url, "INSERT INTO answers (receipt, form_id, form_version, channel,"
            " received_at, values_json, fingerprint, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ("ABCDEFGH", "budget", "v1", "online", received, "{}", "fingerprint-1",
             "made-with-a-stored-key"))
    raw_sql(storage_url, "INSERT INTO client_keys (day, key) VALUES (?, ?)",
            ("2025-03-01", b"k" * 32))
    upgraded = open_storage(storage_url)
    try:
        assert upgraded.schema_version() == LATEST
        tables = raw_sql(storage_url, "SELECT name FROM sqlite_master WHERE type = 'table'"
                         if storage_url.startswith("sqlite") else
                         "SELECT table_name FROM information_schema.tables"
                         " WHERE table_schema = 'public'")
        assert "client_keys" not in {name for (name,) in tables}
        assert clients(storage_url) == {"fingerprint-1": None}
    finally:
        upgraded.close()
