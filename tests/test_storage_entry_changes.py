"""Paper entry in the storage (issue #15), on SQLite and on PostgreSQL, continued: a
coordinator's corrections and deletions and their audit trail, recounting and closing a
batch, imports, the migration that brings paper entry in, and collectors racing on a batch."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from site_builder.storage import migrations, open_storage, receipts
from site_builder.storage.base import Duplicates, Storage
from site_builder.storage.entry import EntryError
from tests.storage_support import (
    LATER,
    LATEST,
    OTHER,
    T0,
    count,
    differing_sheet,
    new_answer,
    new_batch,
    raw_sql,
    sheet_entry,
)

# Corrections, deletions and the audit trail

def test_a_correction_keeps_the_old_values_in_the_audit_trail(storage: Storage) -> None:
    batch = storage.create_batch(new_batch())
    receipt = storage.enter_sheet(sheet_entry(batch.id), double=False).sheet.receipt
    corrected = storage.correct_answer(receipts.format_receipt(receipt).lower(), OTHER,
                                       {"autre": "blank"}, "carol", LATER, "typo")
    assert (corrected.values, corrected.marks) == (OTHER, {"autre": "blank"})
    assert storage.get(receipt) == corrected
    [change] = storage.changes(receipt=receipt)
    assert (change.action, change.before, change.after) == (
        "corrected", {"values": sheet_entry(batch.id).values, "marks": {}},
        {"values": OTHER, "marks": {"autre": "blank"}})
    assert storage.changes(batch_id=batch.id) == [change]
    assert storage.changes(batch_id=batch.id + 1) == []


def test_only_counted_entered_answers_are_corrected(storage: Storage) -> None:
    online = storage.store(new_answer(), Duplicates()).answer.receipt
    with pytest.raises(EntryError, match="sent online"):
        storage.correct_answer(online, OTHER, {}, "carol", LATER)
    with pytest.raises(EntryError, match="sent online"):
        storage.delete_entered_answer(online, "carol", LATER)
    with pytest.raises(EntryError, match="no answer with receipt"):
        storage.correct_answer("AAAA-AAAA" if online != "AAAAAAAA" else "BBBBBBBB", OTHER, {},
                               "carol", LATER)
    batch = storage.create_batch(new_batch())
    pending = storage.enter_sheet(sheet_entry(batch.id), double=True).sheet.receipt
    with pytest.raises(EntryError, match="does not count yet"):
        storage.correct_answer(pending, OTHER, {}, "carol", LATER)
    assisted = storage.store(new_answer(channel="assisted", client=None, entered_by="bob"),
                             Duplicates()).answer
    assert assisted.entered_by == "bob"
    assert storage.correct_answer(assisted.receipt, OTHER, {}, "carol", LATER).values == OTHER


def test_a_deletion_keeps_who_when_and_why_but_nothing_the_sheet_said(
        storage: Storage, storage_url: str) -> None:
    batch = storage.create_batch(new_batch())
    receipt = storage.enter_sheet(sheet_entry(batch.id), double=False).sheet.receipt
    storage.correct_answer(receipt, OTHER, {}, "carol", LATER)
    assert storage.delete_entered_answer(receipt, "carol", LATER, "asked by its author")
    assert storage.get(receipt) is None
    assert storage.sheet(receipt) is None
    assert count(storage_url, "paper_entries") == 0
    changes = storage.changes(receipt=receipt)
    assert [(change.action, change.before, change.after) for change in changes] == [
        ("corrected", None, None), ("deleted", None, None)]
    assert changes[1].reason == "asked by its author"
    assert not storage.delete_entered_answer(receipt, "carol", LATER)
    stored = raw_sql(storage_url, "SELECT before_json, after_json FROM answer_changes")
    assert stored == [(None, None), (None, None)]


def test_a_citizen_deletes_a_paper_answer_with_its_receipt(storage: Storage,
                                                          storage_url: str) -> None:
    batch = storage.create_batch(new_batch())
    receipt = storage.enter_sheet(sheet_entry(batch.id), double=True).sheet.receipt
    storage.enter_sheet(sheet_entry(batch.id, "bob"), double=True)
    assert storage.delete(receipt)
    assert count(storage_url, "paper_entries") == 0
    [change] = storage.changes(batch_id=batch.id)
    assert (change.action, change.changed_by, change.receipt) == (
        "deleted", "parole delete", receipt)
    online = storage.store(new_answer(), Duplicates()).answer.receipt
    assert storage.delete(online)
    assert len(storage.changes()) == 1  # an online answer leaves no trace


def test_purge_deletes_expired_paper_answers_and_their_typings(
        storage: Storage, storage_url: str) -> None:
    batch = storage.create_batch(new_batch())
    storage.enter_sheet(sheet_entry(batch.id, expires_at=T0 + timedelta(days=1)), double=True)
    assert storage.purge(T0 + timedelta(days=2)) == 1
    assert count(storage_url, "paper_entries") == 0


# Recounting and closing

def test_a_batch_closes_only_when_every_sheet_counted_by_hand_counts(storage: Storage) -> None:
    batch, receipt = differing_sheet(storage)
    with pytest.raises(EntryError, match=r"1 of the 3 sheets .* 1 of them do not count yet"):
        storage.close_batch(batch.id, "carol", LATER)
    storage.resolve_sheet(receipt, OTHER, {}, "carol", LATER)
    with pytest.raises(EntryError, match="cannot be closed yet"):
        storage.close_batch(batch.id, "carol", LATER)
    recounted = storage.recount_batch(batch.id, 1, "carol", LATER, "two were blank paper")
    assert recounted.sheets_counted == 1
    closed = storage.close_batch(batch.id, "carol", LATER)
    assert (closed.closed_at, closed.closed_by) == (LATER, "carol")
    actions = [(c.action, c.before, c.after) for c in storage.changes(batch_id=batch.id)]
    assert actions == [
        ("resolved", {"values": sheet_entry(batch.id).values, "marks": {}},
         {"values": OTHER, "marks": {}}),
        ("recounted", {"sheets_counted": 3}, {"sheets_counted": 1}),
        ("closed", None, None)]


def test_a_closed_batch_refuses_every_change(storage: Storage) -> None:
    batch = storage.create_batch(new_batch(sheets_counted=1))
    receipt = storage.enter_sheet(sheet_entry(batch.id), double=False).sheet.receipt
    storage.close_batch(batch.id, "carol", LATER)
    closed = "is closed"
    with pytest.raises(EntryError, match=closed):
        storage.enter_sheet(sheet_entry(batch.id, "bob"), double=True)
    with pytest.raises(EntryError, match=closed):
        storage.recount_batch(batch.id, 2, "carol", LATER)
    with pytest.raises(EntryError, match=closed):
        storage.correct_answer(receipt, OTHER, {}, "carol", LATER)
    with pytest.raises(EntryError, match=closed):
        storage.delete_entered_answer(receipt, "carol", LATER)
    with pytest.raises(EntryError, match=closed):
        storage.close_batch(batch.id, "carol", LATER)
    assert storage.get(receipt) is not None


# Importing

def test_an_import_stores_every_answer_once(storage: Storage) -> None:
    batch = new_batch(created_by="import:urne.csv", sheets_counted=2, source_digest="sha-1")
    answers = [new_answer(channel="paper", client=None, marks={"quartiers": "blank"}),
               new_answer(channel="paper", client=None, entered_by="alice")]
    stored, created = storage.import_batch(batch, answers)
    assert created
    imported = list(storage.answers("budget"))
    assert [(a.sheet, a.entered_by, a.batch_id) for a in imported] == [
        (1, "import:urne.csv", stored.id), (2, "alice", stored.id)]
    assert imported[0].marks == {"quartiers": "blank"}
    assert [sheet.state for sheet in storage.sheets(stored.id)] == ["counted", "counted"]
    again, created = storage.import_batch(batch, answers)
    assert (again, created) == (stored, False)
    assert len(list(storage.answers("budget"))) == 2
    assert storage.batches()[0].complete


def test_an_import_stores_all_answers_or_none(storage: Storage, storage_url: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="velo"):
        storage.import_batch(new_batch(), [new_answer(), new_answer(form_id="velo")])
    codes = iter(["AAAAAAAA", "BBBBBBBB"])

    def two_codes_then_a_failure() -> str:
        code = next(codes, None)
        if code is None:  # the third answer fails after two were written: all roll back
            raise OSError("no more randomness")
        return code

    monkeypatch.setattr(receipts, "new_receipt", two_codes_then_a_failure)
    with pytest.raises(OSError, match="randomness"):
        storage.import_batch(new_batch(source_digest="sha-2"), [new_answer()] * 3)
    assert count(storage_url, "answers") == 0
    assert count(storage_url, "batches") == 0


# Answers and migrations

def test_an_assisted_answer_keeps_who_recorded_it(storage: Storage) -> None:
    stored = storage.store(new_answer(channel="assisted", client=None, entered_by="bob",
                                      marks={}), Duplicates()).answer
    assert storage.get(stored.receipt) == stored
    assert stored.entered_by == "bob"
    assert (stored.batch_id, stored.sheet, stored.pending) == (None, None, False)


def test_upgrading_a_version_2_database_keeps_its_answers(
        storage_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as second_release:
        second_release.setattr(migrations, "SQLITE", migrations.SQLITE[:2])
        second_release.setattr(migrations, "POSTGRES", migrations.POSTGRES[:2])
        open_storage(storage_url).close()
    # An answer as the version-2 parole wrote it (today's code writes the new columns).
    received = "2025-03-01T09:30:00.000000Z" if storage_url.startswith("sqlite") else T0
    raw_sql(storage_url, "INSERT INTO answers (receipt, form_id, form_version, channel,"
            " received_at, values_json, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ("ABCDEFGH", "budget", "v1", "paper", received, '{"priorite":["ecoles"]}', "f"))
    upgraded = open_storage(storage_url)
    try:
        assert upgraded.schema_version() == LATEST
        kept = upgraded.get("ABCDEFGH")
        assert kept is not None
        assert (kept.values, kept.channel, kept.received_at) == (
            {"priorite": ["ecoles"]}, "paper", T0)
        assert (kept.entered_by, kept.marks, kept.batch_id, kept.pending) == (
            None, {}, None, False)
        assert list(upgraded.answers("budget")) == [kept]
        batch = upgraded.create_batch(new_batch())
        assert upgraded.enter_sheet(sheet_entry(batch.id), double=False).sheet.number == 1
    finally:
        upgraded.close()


# Collectors racing

def test_two_collectors_entering_one_batch_take_turns(
        storage_url: str, open_collector: Callable[[], Storage]) -> None:
    collectors = [open_collector(), open_collector()]
    batch = collectors[0].create_batch(new_batch(sheets_counted=6))
    start = threading.Barrier(4)

    def type_stack(number: int) -> list[int]:
        start.wait()
        mediator = ("alice", "bob")[number % 2]
        storage = collectors[number // 2]
        return [storage.enter_sheet(sheet_entry(batch.id, mediator), double=True).sheet.number
                for _ in range(3)]

    # alice and bob each type from two collectors at once: 6 sheets each, numbered 1 to 6.
    with ThreadPoolExecutor(max_workers=4) as pool:
        typed = list(pool.map(type_stack, range(4)))
    assert sorted(typed[0] + typed[2]) == sorted(typed[1] + typed[3]) == list(range(1, 7))
    progress = collectors[0].batches()[0]
    assert (progress.counted, progress.entered, progress.complete) == (6, 6, True)
    assert count(storage_url, "paper_entries") == 12
