"""A typing's key (issue #15), on SQLite and on PostgreSQL: the same entry screen posted twice
(Save pressed twice, or again after a lost response, to one collector or another sharing the
database) stores one typing, enforced by the database inside the write transaction."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from site_builder.storage.base import Storage
from site_builder.storage.entry import EntryResult
from tests.storage_support import (
    LATER,
    OTHER,
    count,
    differing_sheet,
    new_batch,
    raw_sql,
    sheet_entry,
)

KEY = "k" * 22
"""A screen's key, as ``secrets.token_urlsafe(16)`` draws them (22 characters)."""


@pytest.mark.parametrize("double", [False, True])
def test_the_same_key_twice_stores_one_typing(storage: Storage, double: bool) -> None:
    batch = storage.create_batch(new_batch())
    first = storage.enter_sheet(sheet_entry(batch.id, typing_key=KEY), double=double)
    # Posted again, even with other values (the screen edited after a lost response): the
    # screen's sheet is the one already stored, unchanged.
    again = storage.enter_sheet(sheet_entry(batch.id, values=OTHER, typing_key=KEY),
                                double=double)
    assert (first.created, again.created) == (True, False)
    assert again.sheet == first.sheet
    assert [sheet.number for sheet in storage.sheets(batch.id)] == [1]
    assert count_entries(storage, batch.id) == 1


def test_the_same_key_by_another_mediator_or_no_key_stores_a_new_typing(
        storage: Storage) -> None:
    batch = storage.create_batch(new_batch(sheets_counted=4))
    alice = storage.enter_sheet(sheet_entry(batch.id, typing_key=KEY), double=False)
    bob = storage.enter_sheet(sheet_entry(batch.id, "bob", typing_key=KEY), double=False)
    unkeyed = [storage.enter_sheet(sheet_entry(batch.id), double=False) for _ in range(2)]
    assert [result.created for result in (alice, bob, *unkeyed)] == [True] * 4
    assert [result.sheet.number for result in (alice, bob, *unkeyed)] == [1, 2, 3, 4]
    assert [entry.typing_key for sheet in storage.sheets(batch.id)
            for entry in sheet.entries] == [KEY, KEY, None, None]


def test_a_key_posted_again_once_the_hand_count_is_reached_finds_its_sheet(
        storage: Storage) -> None:
    """The last sheet's response lost: saving it again is no "batch full" refusal."""
    batch = storage.create_batch(new_batch(sheets_counted=1))
    first = storage.enter_sheet(sheet_entry(batch.id, typing_key=KEY), double=False)
    again = storage.enter_sheet(sheet_entry(batch.id, typing_key=KEY), double=False)
    assert (again.created, again.sheet.receipt) == (False, first.sheet.receipt)


def test_a_third_typing_posted_again_stores_nothing(storage: Storage) -> None:
    batch, receipt = differing_sheet(storage)
    storage.send_back_sheet(receipt, "carol", LATER, "ink smudge")
    third = storage.enter_sheet_again(
        receipt, sheet_entry(batch.id, "carol", values=OTHER, typing_key=KEY))
    # The sheet counts now, so a new third typing would be refused: the same key is not.
    again = storage.enter_sheet_again(
        receipt, sheet_entry(batch.id, "carol", values=OTHER, typing_key=KEY))
    assert (third.created, again.created) == (True, False)
    assert again.sheet == third.sheet and again.sheet.state == "counted"
    assert [entry.typing_key for entry in again.sheet.entries] == [None, None, KEY]


def test_the_database_refuses_a_second_typing_with_the_same_key(
        storage: Storage, storage_url: str) -> None:
    """The key's uniqueness is the database's, whatever code writes there."""
    batch = storage.create_batch(new_batch())
    storage.enter_sheet(sheet_entry(batch.id, typing_key=KEY), double=False)
    answer_id = raw_sql(storage_url, "SELECT answer_id FROM paper_entries")[0][0]
    with pytest.raises(Exception, match=r"(?i)unique"):
        raw_sql(storage_url, "INSERT INTO paper_entries (answer_id, entered_by, entered_at,"
                " values_json, marks_json, typing_key) VALUES (?, 'alice',"
                " '2025-03-01T09:30:00+00:00', '{}', '{}', ?)", (answer_id, KEY))


def test_the_same_key_from_two_collectors_at_once_stores_one_typing(
        storage_url: str, open_collector: Callable[[], Storage]) -> None:
    """A double press of Save whose two posts reach two collectors (behind nginx) at once."""
    collectors = [open_collector() for _ in range(4)]
    batch = collectors[0].create_batch(new_batch(sheets_counted=4))
    start = threading.Barrier(len(collectors))

    def save(storage: Storage) -> EntryResult:
        start.wait()
        return storage.enter_sheet(sheet_entry(batch.id, typing_key=KEY), double=False)

    with ThreadPoolExecutor(max_workers=len(collectors)) as pool:
        results = list(pool.map(save, collectors))
    assert sorted(result.created for result in results) == [False, False, False, True]
    assert {result.sheet.receipt for result in results} == {results[0].sheet.receipt}
    assert count(storage_url, "paper_entries") == 1
    assert count(storage_url, "answers") == 1


def count_entries(storage: Storage, batch_id: int) -> int:
    return sum(len(sheet.entries) for sheet in storage.sheets(batch_id))

