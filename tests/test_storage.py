"""The storage contract (site_builder/storage/base.py), checked on SQLite and on PostgreSQL:
every test here runs once per backend through the ``storage_url`` fixture (conftest.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import pytest

from site_builder.storage import migrations, open_storage, receipts
from site_builder.storage.base import (
    CHANNELS,
    DUPLICATE_WINDOW,
    Duplicates,
    Storage,
    StorageError,
    StoreResult,
)
from site_builder.storage.receipts import format_receipt
from tests.storage_support import LATEST, SAME_CLIENT, T0, new_answer, raw_sql


def row_count(url: str, table: str = "answers") -> int:
    count: int = raw_sql(url, f"SELECT count(*) FROM {table}")[0][0]
    return count


# Migrations

def test_a_fresh_database_gets_every_migration(storage: Storage, storage_url: str) -> None:
    assert len(migrations.SQLITE) == len(migrations.POSTGRES)
    assert storage.schema_version() == LATEST
    versions = raw_sql(storage_url, "SELECT version FROM schema_migrations ORDER BY version")
    assert [version for (version,) in versions] == list(range(1, LATEST + 1))
    for table in ("answers", "forms", "secret_check"):
        assert row_count(storage_url, table) == 0


def test_reopening_applies_nothing_twice(storage_url: str,
                                         open_collector: Callable[[], Storage]) -> None:
    open_collector().close()
    applied = raw_sql(storage_url, "SELECT version, applied_at FROM schema_migrations")
    open_collector()
    assert raw_sql(storage_url, "SELECT version, applied_at FROM schema_migrations") == applied


def test_only_the_new_migrations_are_applied(storage_url: str, monkeypatch: pytest.MonkeyPatch,
                                             open_collector: Callable[[], Storage]) -> None:
    open_collector().close()
    extra = ("CREATE TABLE extra (x integer)",)  # would fail if applied a second time
    monkeypatch.setattr(migrations, "SQLITE", [*migrations.SQLITE, extra])
    monkeypatch.setattr(migrations, "POSTGRES", [*migrations.POSTGRES, extra])
    assert open_collector().schema_version() == LATEST + 1
    assert open_collector().schema_version() == LATEST + 1
    assert row_count(storage_url, "extra") == 0


def test_a_database_of_a_newer_parole_is_refused(storage_url: str,
                                                 open_collector: Callable[[], Storage]) -> None:
    open_collector().close()
    raw_sql(storage_url, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
            (LATEST + 1, T0.isoformat()))
    with pytest.raises(StorageError, match=r"newer parole.*[Uu]pgrade parole"):
        open_storage(storage_url)


def test_collectors_starting_at_once_migrate_once(storage_url: str) -> None:
    start = threading.Barrier(4)

    def open_at_once(_: int) -> int:
        start.wait()
        opened = open_storage(storage_url)
        try:
            return opened.schema_version()
        finally:
            opened.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(open_at_once, range(4))) == [LATEST] * 4
    assert row_count(storage_url, "schema_migrations") == LATEST


# Storing and reading back

def test_an_answer_comes_back_as_stored(storage: Storage) -> None:
    # Keys neither alphabetical nor by length (PostgreSQL's jsonb would sort them that way).
    values = {
        "zz_avis": ["Élodie — « très bien » 你好 مرحبا 🎉\nligne 2"],
        "a": ["<script>alert('x')</script>"],
        "mmm": ['=HYPERLINK("http://evil.example","clic")', "+1", "-2", "@3"],
        "vide": [],
    }
    paris = timezone(timedelta(hours=1))
    answer = new_answer(values=values, received_at=T0.astimezone(paris),
                        expires_at=T0 + timedelta(days=30), channel="paper")
    result = storage.store(answer, Duplicates())
    assert result.created
    stored = storage.get(result.answer.receipt)
    assert stored == result.answer
    assert stored is not None
    assert list(stored.values) == list(values)
    assert stored.values == values
    assert stored.received_at == T0
    assert stored.received_at.tzinfo == UTC
    assert stored.expires_at == T0 + timedelta(days=30)
    assert (stored.form_id, stored.form_version, stored.channel) == ("budget", "v1", "paper")


def test_get_accepts_a_code_as_people_type_it(storage: Storage) -> None:
    receipt = storage.store(new_answer(), Duplicates()).answer.receipt
    typed = f" {format_receipt(receipt).lower()} "
    found = storage.get(typed)
    assert found is not None
    assert found.receipt == receipt
    assert storage.get("not a code") is None
    assert storage.get("0000-0000" if receipt != "00000000" else "1111-1111") is None


def test_every_channel_is_accepted_and_others_refused(storage: Storage) -> None:
    for index, channel in enumerate(CHANNELS):
        assert storage.store(new_answer(channel=channel, fingerprint=str(index)),
                             Duplicates()).created
    with pytest.raises(ValueError, match="channel"):
        storage.store(new_answer(channel="fax"), Duplicates())


def test_naive_datetimes_are_refused(storage: Storage) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        storage.store(new_answer(received_at=datetime(2025, 3, 1, 9, 30)), Duplicates())


def test_a_receipt_collision_draws_another_code(storage: Storage,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    codes = iter(["AAAAAAAA", "AAAAAAAA", "BBBBBBBB"])
    monkeypatch.setattr(receipts, "new_receipt", lambda: next(codes))
    first = storage.store(new_answer(fingerprint="1"), Duplicates())
    second = storage.store(new_answer(fingerprint="2"), Duplicates())
    assert (first.answer.receipt, second.answer.receipt) == ("AAAAAAAA", "BBBBBBBB")


# Duplicates

def test_a_resubmission_returns_the_original_receipt(storage: Storage, storage_url: str) -> None:
    first = storage.store(new_answer(client="client-a-yesterday"), SAME_CLIENT)
    again = storage.store(new_answer(received_at=T0 + timedelta(minutes=5)), SAME_CLIENT)
    assert first.created
    assert not again.created
    assert again.answer == first.answer
    assert row_count(storage_url) == 1


@pytest.mark.parametrize(("changes", "duplicates"), [
    ({"client": "client-b"}, Duplicates(clients=("client-b",), since=T0 - DUPLICATE_WINDOW)),
    ({"fingerprint": "fingerprint-2"}, SAME_CLIENT),
    ({"received_at": T0 + DUPLICATE_WINDOW + timedelta(seconds=1)},
     Duplicates(clients=("client-a",), since=T0 + timedelta(seconds=1))),
    ({"client": None}, SAME_CLIENT),
    ({"quarantined": True}, SAME_CLIENT),
    ({}, Duplicates()),
], ids=["other-client", "other-values", "outside-window", "mediator", "quarantined",
        "no-duplicate-rule"])
def test_what_is_not_a_resubmission(storage: Storage, storage_url: str,
                                    changes: dict[str, object], duplicates: Duplicates) -> None:
    first = storage.store(new_answer(), SAME_CLIENT)
    second = storage.store(new_answer(**changes), duplicates)
    assert second.created
    assert second.answer.receipt != first.answer.receipt
    assert row_count(storage_url) == 2


def test_a_mediators_answer_is_never_a_duplicate(storage: Storage, storage_url: str) -> None:
    for _ in range(2):
        assert storage.store(new_answer(client=None), SAME_CLIENT).created
    assert row_count(storage_url) == 2


def test_without_since_any_earlier_answer_counts(storage: Storage) -> None:
    first = storage.store(new_answer(received_at=T0 - timedelta(days=400)), Duplicates())
    again = storage.store(new_answer(), Duplicates(clients=("client-a",)))
    assert again.answer.receipt == first.answer.receipt


# Concurrency

def test_many_threads_store_at_once(storage: Storage, storage_url: str) -> None:
    def store(number: int) -> str:
        answer = new_answer(fingerprint=f"f{number}", client=f"c{number}")
        return storage.store(answer, Duplicates(clients=(f"c{number}",))).answer.receipt

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(store, range(200)))
    assert len(set(codes)) == 200
    assert row_count(storage_url) == 200


def test_the_same_answer_sent_at_once_to_two_collectors_is_stored_once(
        storage_url: str, open_collector: Callable[[], Storage]) -> None:
    collectors = [open_collector(), open_collector()]
    start = threading.Barrier(8)

    def store(number: int) -> StoreResult:
        start.wait()
        return collectors[number % 2].store(new_answer(), SAME_CLIENT)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(store, range(8)))
    assert len({result.answer.receipt for result in results}) == 1
    assert sum(result.created for result in results) == 1
    assert row_count(storage_url) == 1


# Deleting

def test_purge_deletes_the_expired_answers(storage: Storage) -> None:
    for days in (0, 10):
        storage.store(new_answer(fingerprint=str(days), expires_at=T0 + timedelta(days=days)),
                      Duplicates())
    kept = storage.store(new_answer(fingerprint="forever"), Duplicates()).answer
    assert storage.purge(T0 - timedelta(seconds=1)) == 0
    assert storage.purge(T0) == 1
    assert storage.purge(T0 + timedelta(days=365)) == 1
    assert list(storage.answers("budget")) == [kept]


def test_delete_removes_one_answer(storage: Storage) -> None:
    receipt = storage.store(new_answer(), Duplicates()).answer.receipt
    other = storage.store(new_answer(fingerprint="2"), Duplicates()).answer
    assert storage.delete(format_receipt(receipt).lower())
    assert storage.get(receipt) is None
    assert not storage.delete(receipt)
    assert not storage.delete("not a code")
    assert storage.get(other.receipt) == other


# Listing

def test_answers_are_streamed_oldest_first_per_form(storage: Storage) -> None:
    stored = {}
    for name, minutes in (("third", 60), ("first", 0), ("second", 30), ("also-second", 30)):
        answer = new_answer(fingerprint=name, received_at=T0 + timedelta(minutes=minutes))
        stored[name] = storage.store(answer, Duplicates()).answer
    storage.store(new_answer(form_id="autre"), Duplicates())
    streamed = storage.answers("budget")
    assert isinstance(streamed, Iterator)
    order = ["first", "second", "also-second", "third"]  # equal times: in the order stored
    assert list(streamed) == [stored[name] for name in order]
    assert list(storage.answers("inconnu")) == []


def test_quarantined_answers_are_kept_apart(storage: Storage) -> None:
    normal = storage.store(new_answer(), Duplicates()).answer
    bot = storage.store(new_answer(fingerprint="bot", quarantined=True), Duplicates()).answer
    assert bot.quarantined
    assert storage.get(bot.receipt) == bot
    assert list(storage.answers("budget")) == [normal]
    assert list(storage.answers("budget", quarantined=True)) == [bot]


def test_an_abandoned_stream_frees_its_connection(storage: Storage) -> None:
    for number in range(3):
        storage.store(new_answer(fingerprint=str(number)), Duplicates())
    for _ in range(15):  # more than the PostgreSQL pool's 10 connections
        stream = storage.answers("budget")
        assert isinstance(stream, Generator)  # what both backends return
        next(stream)
        stream.close()
    assert len(list(storage.answers("budget"))) == 3


def test_form_ids_lists_forms_with_answers_or_schemas(storage: Storage) -> None:
    storage.store(new_answer(form_id="velo"), Duplicates())
    storage.store(new_answer(form_id="budget"), Duplicates())
    storage.register_form("budget", "v1", "{}")
    storage.register_form("arbres", "v1", "{}")
    assert storage.form_ids() == ["arbres", "budget", "velo"]


def test_register_form_keeps_each_version_once(storage: Storage) -> None:
    storage.register_form("budget", "v1", '{"version": "v1"}')
    storage.register_form("budget", "v1", '{"changed": true}')
    storage.register_form("budget", "v2", '{"version": "v2"}')
    schemas = storage.form_schemas("budget")
    assert [(schema.version, schema.manifest) for schema in schemas] == [
        ("v1", '{"version": "v1"}'), ("v2", '{"version": "v2"}')]
    assert all(schema.registered_at.tzinfo == UTC for schema in schemas)
    assert storage.form_schemas("inconnu") == []
