"""Paper and mediator entry in the storage (issue #15), on SQLite and on PostgreSQL: mediators
and sessions, batches, single and double entry, a coordinator's decisions and the audit trail,
imports, and the migration that brings it all in."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest

from site_builder.storage import migrations, open_storage, receipts, sheet_rules
from site_builder.storage.base import Duplicates, Storage
from site_builder.storage.entry import Batch, EntryError, StoredEntry
from tests.storage_support import LATEST, T0, new_answer, new_batch, raw_sql, sheet_entry

OTHER = {"priorite": ["parcs"], "quartiers": ["nord"]}
"""Values that differ from ``sheet_entry``'s."""
LATER = T0 + timedelta(hours=1)


def count(url: str, table: str) -> int:
    found: int = raw_sql(url, f"SELECT count(*) FROM {table}")[0][0]
    return found


def with_mediators(storage: Storage, *names: str, coordinator: str = "") -> None:
    for name in (*names, *([coordinator] if coordinator else [])):
        role = "coordinator" if name == coordinator else "mediator"
        storage.add_mediator(name, role, f"digest-of-{name}", T0)


def differing_sheet(storage: Storage) -> tuple[Batch, str]:
    """A double-entry batch whose sheet 1 alice and bob typed differently."""
    batch = storage.create_batch(new_batch())
    receipt = storage.enter_sheet(sheet_entry(batch.id), double=True).sheet.receipt
    result = storage.enter_sheet(sheet_entry(batch.id, "bob", values=OTHER), double=True)
    assert result.sheet.state == "differs"
    return batch, receipt


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
        assert upgraded.schema_version() == LATEST == 3
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
