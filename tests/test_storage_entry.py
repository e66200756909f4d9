"""Paper and mediator entry in the storage (issue #15), on SQLite and on PostgreSQL: mediators
and sessions, batches, single and double entry, and a coordinator's decisions on sheets whose
typings differ. The rest (corrections, closing, imports, migration) is in
test_storage_entry_changes.py."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from site_builder.storage import sheet_rules
from site_builder.storage.base import Storage
from site_builder.storage.entry import Batch, EntryError, StoredEntry
from tests.storage_support import (
    LATER,
    OTHER,
    T0,
    differing_sheet,
    new_batch,
    raw_sql,
    sheet_entry,
    with_mediators,
)

# Mediators and sessions

def test_mediators_are_added_listed_and_revoked(storage: Storage) -> None:
    storage.add_mediator("zoé", "mediator", "digest-z", T0)
    storage.add_mediator("alice", "coordinator", "digest-a", T0)
    with pytest.raises(EntryError, match="zoé already exists"):
        storage.add_mediator("zoé", "coordinator", "digest-other", T0)
    with pytest.raises(ValueError, match="role"):
        storage.add_mediator("bob", "admin", "digest-b", T0)
    assert [(each.name, each.coordinator) for each in storage.mediators()] == [
        ("alice", True), ("zoé", False)]
    assert [(code.name, code.digest) for code in storage.mediator_codes()] == [
        ("zoé", "digest-z"), ("alice", "digest-a")]
    assert storage.revoke_mediator("zoé", LATER)
    assert not storage.revoke_mediator("zoé", LATER)
    assert not storage.revoke_mediator("nobody", LATER)
    assert [code.name for code in storage.mediator_codes()] == ["alice"]
    revoked = storage.mediators()[1]
    assert (revoked.name, revoked.revoked_at) == ("zoé", LATER)
    with pytest.raises(EntryError, match="zoé already exists"):  # names are never reused
        storage.add_mediator("zoé", "mediator", "digest-z2", LATER)


def test_a_session_lasts_until_it_expires_is_closed_or_its_mediator_revoked(
        storage: Storage) -> None:
    with_mediators(storage, "alice", "bob")
    storage.open_session("token-a", "alice", T0, T0 + timedelta(hours=12))
    storage.open_session("token-b", "bob", T0, T0 + timedelta(hours=12))
    found = storage.session_mediator("token-a", T0 + timedelta(hours=11))
    assert found is not None
    assert (found.name, found.role, found.created_at) == ("alice", "mediator", T0)
    assert storage.session_mediator("token-a", T0 + timedelta(hours=12)) is None
    assert storage.session_mediator("unknown", T0) is None
    storage.close_session("token-b")
    storage.close_session("token-b")
    assert storage.session_mediator("token-b", T0) is None
    storage.revoke_mediator("alice", T0)
    assert storage.session_mediator("token-a", T0) is None
    with pytest.raises(EntryError, match="no active mediator named alice"):
        storage.open_session("token-a2", "alice", T0, LATER)
    with pytest.raises(EntryError, match="nobody"):
        storage.open_session("token-n", "nobody", T0, LATER)


def test_revoking_deletes_the_sessions_and_sign_ins_clear_expired_ones(
        storage: Storage, storage_url: str) -> None:
    with_mediators(storage, "alice", "bob")
    storage.open_session("old", "bob", T0, T0 + timedelta(hours=1))
    storage.open_session("a1", "alice", T0, T0 + timedelta(hours=12))
    storage.revoke_mediator("alice", T0)
    assert raw_sql(storage_url, "SELECT token_digest FROM mediator_sessions") == [("old",)]
    storage.open_session("new", "bob", T0 + timedelta(hours=2), T0 + timedelta(hours=14))
    assert raw_sql(storage_url, "SELECT token_digest FROM mediator_sessions") == [("new",)]


# Batches

def test_batches_are_created_and_listed_with_their_progress(storage: Storage) -> None:
    first = storage.create_batch(new_batch())
    other = storage.create_batch(new_batch(form_id="velo", place="Vélo cargo",
                                           created_at=LATER, collected_on=date(2025, 3, 2)))
    assert storage.batch(first.id) == first
    assert (first.place, first.collected_on, first.sheets_counted, first.created_at) == (
        "Mairie annexe", date(2025, 3, 1), 3, T0)
    assert first.closed_at is None
    assert storage.batch(other.id + 1000) is None
    listed = storage.batches()
    assert [progress.batch for progress in listed] == [first, other]
    assert listed[0].sheets == dict.fromkeys(
        ("counted", "awaiting_second", "differs", "awaiting_third"), 0)
    assert (listed[0].entered, listed[0].difference, listed[0].complete) == (0, 3, False)
    assert [progress.batch for progress in storage.batches("velo")] == [other]
    with pytest.raises(EntryError, match="0 or more"):
        storage.create_batch(new_batch(sheets_counted=-1))


# Single entry

def test_single_entry_numbers_the_sheets_of_a_batch_and_counts_them_at_once(
        storage: Storage) -> None:
    batch = storage.create_batch(new_batch())
    marks = {"quartiers": "spoiled"}
    first = storage.enter_sheet(sheet_entry(batch.id, values={"priorite": ["ecoles"]},
                                            marks=marks), double=False)
    second = storage.enter_sheet(sheet_entry(batch.id, "bob", values=OTHER), double=False)
    assert (first.sheet.number, second.sheet.number) == (1, 2)
    assert (first.sheet.state, second.sheet.state) == ("counted", "counted")
    assert [entry.entered_by for entry in first.sheet.entries] == ["alice"]
    answer = storage.get(first.sheet.receipt)
    assert answer is not None
    assert (answer.channel, answer.entered_by, answer.batch_id, answer.sheet) == (
        "paper", "alice", batch.id, 1)
    assert (answer.values, answer.marks, answer.pending) == ({"priorite": ["ecoles"]}, marks,
                                                             False)
    assert list(storage.answers("budget")) == [answer, storage.get(second.sheet.receipt)]
    storage.enter_sheet(sheet_entry(batch.id), double=False)
    with pytest.raises(EntryError, match=r"3 sheets counted by hand in batch .* all entered"):
        storage.enter_sheet(sheet_entry(batch.id, "carol"), double=False)
    assert [sheet.number for sheet in storage.sheets(batch.id)] == [1, 2, 3]
    assert storage.batches()[0].complete


def test_an_unknown_batch_is_refused(storage: Storage) -> None:
    with pytest.raises(EntryError, match="no batch number 42"):
        storage.enter_sheet(sheet_entry(42), double=False)


# Double entry

def test_double_entry_counts_a_sheet_when_two_mediators_agree(storage: Storage) -> None:
    batch = storage.create_batch(new_batch())
    first = storage.enter_sheet(sheet_entry(batch.id), double=True).sheet
    assert (first.number, first.state) == (1, "awaiting_second")
    pending = storage.get(first.receipt)
    assert pending is not None
    assert pending.pending
    assert list(storage.answers("budget")) == []
    # alice goes on through her stack: her next typing is sheet 2, never sheet 1 again.
    assert storage.enter_sheet(sheet_entry(batch.id), double=True).sheet.number == 2
    # bob's values with an empty list for a question alice left out: the same sheet.
    values = {**sheet_entry(batch.id).values, "autre": []}
    second = storage.enter_sheet(sheet_entry(batch.id, "bob", values=values), double=True)
    assert (second.sheet.receipt, second.sheet.state) == (first.receipt, "counted")
    assert [entry.entered_by for entry in second.sheet.entries] == ["alice", "bob"]
    assert [answer.receipt for answer in storage.answers("budget")] == [first.receipt]
    progress = storage.batches()[0]
    assert (progress.counted, progress.sheets["awaiting_second"], progress.entered) == (1, 1, 2)


def test_double_entry_holds_back_a_sheet_whose_entries_differ(storage: Storage) -> None:
    batch, receipt = differing_sheet(storage)
    sheet = storage.sheet(receipt)
    assert sheet is not None
    assert [(entry.entered_by, entry.values) for entry in sheet.entries] == [
        ("alice", sheet_entry(batch.id).values), ("bob", OTHER)]
    answer = storage.get(receipt)
    assert answer is not None
    assert answer.pending
    assert answer.values == sheet_entry(batch.id).values  # the first typing's, until decided
    assert list(storage.answers("budget")) == []
    with pytest.raises(EntryError, match="already been entered by two other mediators"):
        storage.enter_sheet(sheet_entry(batch.id, "carol"), double=True)


def test_a_mediator_never_confirms_their_own_typing() -> None:
    batch = Batch(1, "budget", "Mairie", date(2025, 3, 1), 3, "alice", T0)
    typed = StoredEntry(1, "alice", T0, {"q": ["a"]}, {})
    with pytest.raises(EntryError, match="already entered sheet 1 of batch 1"):
        sheet_rules.next_typing(batch, 1, [typed], sheet_entry(1, values={"q": ["a"]}))


def test_every_mediator_stops_at_the_hand_count(storage: Storage) -> None:
    batch = storage.create_batch(new_batch(sheets_counted=1))
    storage.enter_sheet(sheet_entry(batch.id), double=True)
    with pytest.raises(EntryError, match="You have entered the 1 sheets"):
        storage.enter_sheet(sheet_entry(batch.id), double=True)
    assert storage.enter_sheet(sheet_entry(batch.id, "bob"), double=True).sheet.number == 1


def test_a_coordinator_resolves_a_difference(storage: Storage) -> None:
    batch, receipt = differing_sheet(storage)
    chosen, marks = {"priorite": ["parcs"]}, {"quartiers": "blank"}
    sheet = storage.resolve_sheet(receipt, chosen, marks, "carol", LATER, "read again")
    assert sheet.state == "counted"
    answer = storage.get(receipt)
    assert answer is not None
    assert (answer.values, answer.marks, answer.pending) == (chosen, marks, False)
    assert list(storage.answers("budget")) == [answer]
    [change] = storage.changes(receipt=receipt)
    assert (change.action, change.changed_by, change.changed_at, change.batch_id,
            change.reason) == ("resolved", "carol", LATER, batch.id, "read again")
    assert change.before == {"values": sheet_entry(batch.id).values, "marks": {}}
    assert change.after == {"values": chosen, "marks": marks}
    with pytest.raises(EntryError, match="do not differ"):
        storage.resolve_sheet(receipt, chosen, marks, "carol", LATER)
    with pytest.raises(EntryError, match="do not differ"):
        storage.send_back_sheet(receipt, "carol", LATER)


def test_a_sheet_sent_back_counts_when_a_third_typing_agrees_with_another_mediator(
        storage: Storage) -> None:
    batch, receipt = differing_sheet(storage)
    with pytest.raises(EntryError, match="not waiting for a new entry"):
        storage.enter_sheet_again(receipt, sheet_entry(batch.id, "carol"))
    sheet = storage.send_back_sheet(receipt, "carol", LATER, "ink smudge")
    assert sheet.state == "awaiting_third"
    assert all(entry.discarded for entry in sheet.entries)
    assert storage.batches()[0].sheets["awaiting_third"] == 1
    third = storage.enter_sheet_again(receipt, sheet_entry(batch.id, "carol", values=OTHER))
    assert third.sheet.state == "counted"
    assert [(e.entered_by, e.discarded, e.again) for e in third.sheet.entries] == [
        ("alice", True, False), ("bob", True, False), ("carol", False, True)]
    answer = storage.get(receipt)
    assert answer is not None
    assert (answer.values, answer.pending) == (OTHER, False)
    assert [change.action for change in storage.changes(batch_id=batch.id)] == ["sent_back"]
    # The third typing is outside carol's run through the stack, which skips sheet 1.
    assert storage.enter_sheet(sheet_entry(batch.id, "carol"), double=True).sheet.number == 2


def test_a_third_typing_that_agrees_with_no_other_mediator_differs_again(
        storage: Storage) -> None:
    batch, receipt = differing_sheet(storage)
    storage.send_back_sheet(receipt, "carol", LATER)
    # alice types what she typed before: agreeing with herself proves nothing.
    again = storage.enter_sheet_again(receipt, sheet_entry(batch.id))
    assert again.sheet.state == "differs"
    answer = storage.get(receipt)
    assert answer is not None
    assert answer.pending
    assert storage.send_back_sheet(receipt, "carol", LATER).state == "awaiting_third"
    assert storage.enter_sheet_again(receipt, sheet_entry(batch.id, "dan")).sheet.state == \
        "counted"
