"""The answer log in the storage (issue #19), on SQLite and on PostgreSQL: a leaf appended in the
answer's transaction on every path that makes an answer count, a new one when a counted answer
is corrected, leaves kept but marked deleted (salt erased) when it is deleted, none for
quarantined and pending answers; and each leaf's entry recomputes from the stored answer and its
salt, as the audit does. Upgrades, checkpoints and concurrent collectors:
test_log_storage_checkpoints.py."""

from __future__ import annotations

from datetime import timedelta

import pytest

from site_builder.answer_log import merkle
from site_builder.answer_log.entry import AnswerFields, answer_entry
from site_builder.storage.answer_log import LogLeaf
from site_builder.storage.base import Duplicates, Storage, StoredAnswer
from site_builder.storage.log_rows import answer_fields
from tests.log_support import assert_log_agrees, log_problems
from tests.storage_support import (
    LATER,
    OTHER,
    SAME_CLIENT,
    T0,
    differing_sheet,
    new_answer,
    new_batch,
    raw_sql,
    sheet_entry,
    with_mediators,
)


def only_leaf(storage: Storage, receipt: str) -> LogLeaf:
    [leaf] = storage.answer_leaves(receipt)
    return leaf


def commits_to(leaf: LogLeaf, answer: StoredAnswer) -> bool:
    """``leaf`` is the commitment to ``answer`` as stored now (what the audit recomputes)."""
    assert leaf.salt is not None
    return answer_entry(answer_fields(answer), leaf.salt) == leaf.entry


def stored(storage: Storage, receipt: str) -> StoredAnswer:
    found = storage.get(receipt)
    assert found is not None
    return found


# Answers that start to count

def test_an_online_answer_gets_its_leaf_when_stored(storage: Storage) -> None:
    assert storage.log_size() == 0
    answer = storage.store(new_answer(language="ar"), Duplicates()).answer
    leaf = only_leaf(storage, answer.receipt)
    assert (leaf.index, leaf.receipt, leaf.state) == (0, answer.receipt, "current")
    assert leaf.leaf_hash == merkle.leaf_hash(leaf.entry)
    assert leaf.salt is not None and len(leaf.salt) == 16
    assert commits_to(leaf, stored(storage, answer.receipt))
    # The entry is the one docs/answer-log.md describes, from the fields as they were sent.
    assert leaf.entry == answer_entry(AnswerFields(
        form="budget", version="v1", values={"priorite": ["ecoles"], "quartiers": ["nord",
                                                                                  "centre"]},
        channel="online", received=T0, language="ar"), leaf.salt)
    assert storage.log_size() == 1
    assert list(storage.log_leaves()) == [leaf]
    assert_log_agrees(storage)


def test_leaves_follow_the_order_answers_are_stored_in(storage: Storage) -> None:
    # Received times out of order: the log's order is the order of the commits.
    receipts = [storage.store(new_answer(fingerprint=f"f{number}",
                                         received_at=T0 - timedelta(minutes=number)),
                              Duplicates()).answer.receipt for number in range(5)]
    assert [leaf.receipt for leaf in storage.log_leaves()] == receipts
    assert [leaf.index for leaf in storage.log_leaves()] == [0, 1, 2, 3, 4]
    assert_log_agrees(storage)


def test_a_quarantined_answer_and_a_resubmission_get_no_leaf(storage: Storage) -> None:
    trapped = storage.store(new_answer(quarantined=True), Duplicates()).answer
    first = storage.store(new_answer(), SAME_CLIENT)
    again = storage.store(new_answer(received_at=LATER), SAME_CLIENT)
    assert not again.created
    assert storage.answer_leaves(trapped.receipt) == []
    assert [leaf.receipt for leaf in storage.log_leaves()] == [first.answer.receipt]
    assert_log_agrees(storage)


def test_an_assisted_answer_gets_its_leaf(storage: Storage) -> None:
    answer = storage.store(new_answer(channel="assisted", client=None, entered_by="alice"),
                           Duplicates()).answer
    leaf = only_leaf(storage, answer.receipt)
    assert commits_to(leaf, stored(storage, answer.receipt))
    assert_log_agrees(storage)


def test_a_sheet_typed_once_counts_with_its_leaf(storage: Storage) -> None:
    batch = storage.create_batch(new_batch(language="ar"))
    sheet = storage.enter_sheet(sheet_entry(batch.id, marks={"quartiers": "spoiled"},
                                            values={"priorite": ["ecoles"]}),
                                double=False).sheet
    answer = stored(storage, sheet.receipt)
    assert (answer.marks, answer.language) == ({"quartiers": "spoiled"}, "ar")
    assert commits_to(only_leaf(storage, sheet.receipt), answer)
    assert_log_agrees(storage)


def test_a_double_entry_sheet_gets_its_leaf_when_two_typings_agree(storage: Storage) -> None:
    with_mediators(storage, "alice", "bob")
    batch = storage.create_batch(new_batch())
    sheet = storage.enter_sheet(sheet_entry(batch.id), double=True).sheet
    assert storage.answer_leaves(sheet.receipt) == []  # pending: it does not count yet
    assert storage.log_size() == 0
    assert_log_agrees(storage)
    storage.enter_sheet(sheet_entry(batch.id, "bob"), double=True)
    assert commits_to(only_leaf(storage, sheet.receipt), stored(storage, sheet.receipt))
    assert_log_agrees(storage)


def test_differing_typings_get_a_leaf_only_once_resolved(storage: Storage) -> None:
    _batch, receipt = differing_sheet(storage)
    assert storage.answer_leaves(receipt) == []
    storage.resolve_sheet(receipt, OTHER, {}, "carol", LATER, "read the sheet again")
    leaf = only_leaf(storage, receipt)
    assert stored(storage, receipt).values == OTHER
    assert commits_to(leaf, stored(storage, receipt))
    assert_log_agrees(storage)


def test_a_sheet_sent_back_gets_its_leaf_when_a_third_typing_agrees(storage: Storage) -> None:
    batch, receipt = differing_sheet(storage)
    storage.send_back_sheet(receipt, "carol", LATER)
    assert storage.answer_leaves(receipt) == []
    storage.enter_sheet_again(receipt, sheet_entry(batch.id, "carol", values=OTHER))
    assert commits_to(only_leaf(storage, receipt), stored(storage, receipt))
    assert_log_agrees(storage)


def test_imported_answers_get_their_leaves_in_the_file_s_order(storage: Storage) -> None:
    answers = [new_answer(channel="paper", client=None, fingerprint=f"f{number}",
                          values={"priorite": [str(number)]}) for number in range(4)]
    batch, created = storage.import_batch(new_batch(source_digest="digest-1"), answers)
    assert created
    by_sheet = {sheet.number: sheet.receipt for sheet in storage.sheets(batch.id)}
    assert [leaf.receipt for leaf in storage.log_leaves()] == [by_sheet[n] for n in (1, 2, 3, 4)]
    _batch, again = storage.import_batch(new_batch(source_digest="digest-1"), answers)
    assert not again
    assert storage.log_size() == 4
    assert_log_agrees(storage)


# Answers that change or go

def test_a_correction_replaces_the_leaf(storage: Storage) -> None:
    batch = storage.create_batch(new_batch())
    receipt = storage.enter_sheet(sheet_entry(batch.id), double=False).sheet.receipt
    before = only_leaf(storage, receipt)
    corrected = storage.correct_answer(receipt, OTHER, {"quartiers": "blank"}, "carol", LATER)
    old, new = storage.answer_leaves(receipt)
    assert (old.index, old.state, old.entry, old.salt) == (before.index, "replaced",
                                                           before.entry, before.salt)
    assert (new.index, new.state) == (1, "current")
    assert new.salt != old.salt
    assert commits_to(new, corrected)
    assert not commits_to(old, corrected)
    assert_log_agrees(storage)


def test_a_correction_that_changes_nothing_appends_nothing(storage: Storage) -> None:
    answer = storage.store(new_answer(channel="assisted", client=None, entered_by="alice"),
                           Duplicates()).answer
    storage.correct_answer(answer.receipt, answer.values, {}, "carol", LATER, "checked")
    assert [leaf.state for leaf in storage.answer_leaves(answer.receipt)] == ["current"]
    assert storage.log_size() == 1


def check_deleted(storage: Storage, receipt: str, before: list[LogLeaf]) -> None:
    """Every leaf of ``receipt`` is kept where it was, same entry and hash, marked deleted,
    with no salt."""
    after = storage.answer_leaves(receipt)
    assert [(leaf.index, leaf.entry, leaf.leaf_hash) for leaf in after] == [
        (leaf.index, leaf.entry, leaf.leaf_hash) for leaf in before]
    assert {(leaf.state, leaf.salt) for leaf in after} == {("deleted", None)}
    assert_log_agrees(storage)


def test_a_deleted_answer_keeps_its_leaves_without_salt(storage: Storage,
                                                         storage_url: str) -> None:
    answer = storage.store(new_answer(), Duplicates()).answer
    other = storage.store(new_answer(fingerprint="f2"), Duplicates()).answer
    before = storage.answer_leaves(answer.receipt)
    assert storage.delete(answer.receipt)
    check_deleted(storage, answer.receipt, before)
    assert storage.log_size() == 2
    assert only_leaf(storage, other.receipt).state == "current"
    assert raw_sql(storage_url, "SELECT count(*) FROM log_leaves WHERE salt IS NOT NULL") == [
        (1,)]


def test_a_corrected_then_deleted_entered_answer_keeps_both_leaves(storage: Storage) -> None:
    batch = storage.create_batch(new_batch())
    receipt = storage.enter_sheet(sheet_entry(batch.id), double=False).sheet.receipt
    storage.correct_answer(receipt, OTHER, {}, "carol", LATER)
    before = storage.answer_leaves(receipt)
    assert len(before) == 2
    assert storage.delete_entered_answer(receipt, "carol", LATER, "wrong stack")
    check_deleted(storage, receipt, before)


def test_purge_marks_the_leaves_of_expired_answers_deleted(storage: Storage) -> None:
    expiring = storage.store(new_answer(expires_at=LATER), Duplicates()).answer
    kept = storage.store(new_answer(fingerprint="f2"), Duplicates()).answer
    pending_sheet = storage.enter_sheet(sheet_entry(storage.create_batch(new_batch()).id,
                                                    expires_at=LATER), double=True).sheet
    before = storage.answer_leaves(expiring.receipt)
    assert storage.purge(LATER) == 2
    check_deleted(storage, expiring.receipt, before)
    assert storage.answer_leaves(pending_sheet.receipt) == []
    assert only_leaf(storage, kept.receipt).state == "current"


# Reading the log

def test_leaves_are_read_by_range_in_steps(storage: Storage,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from site_builder.storage import log_store  # noqa: PLC0415 (patched for this test)

    monkeypatch.setattr(log_store, "LEAVES_PER_READ", 3)
    receipts = [storage.store(new_answer(fingerprint=f"f{number}"), Duplicates()).answer.receipt
                for number in range(8)]
    assert [leaf.receipt for leaf in storage.log_leaves()] == receipts
    assert [leaf.index for leaf in storage.log_leaves(2, 7)] == [2, 3, 4, 5, 6]
    assert [leaf.index for leaf in storage.log_leaves(6)] == [6, 7]
    assert list(storage.log_leaves(8)) == []
    assert [leaf.index for leaf in storage.log_leaves(5, 20)] == [5, 6, 7]
    with pytest.raises(ValueError, match="no leaves"):
        list(storage.log_leaves(-1))
    with pytest.raises(ValueError, match="no leaves"):
        list(storage.log_leaves(4, 3))


def test_an_answer_s_leaves_are_found_by_its_receipt_as_people_type_it(storage: Storage) -> None:
    answer = storage.store(new_answer(), Duplicates()).answer
    typed = answer.receipt.lower()
    assert storage.answer_leaves(typed) == storage.answer_leaves(answer.receipt) != []
    assert storage.answer_leaves("not a receipt") == []
    assert storage.answer_leaves("ABCD-EFGH") == []


def test_the_log_check_finds_each_disagreement(storage: Storage, storage_url: str) -> None:
    """``log_problems`` (the kill -9 rounds' check) on a database altered behind the storage's
    back: an answer's values changed, a leaf removed from the middle, the last one removed, a
    live leaf for no answer."""
    receipts = [storage.store(new_answer(fingerprint=f"f{number}"), Duplicates()).answer.receipt
                for number in range(4)]
    assert log_problems(storage) == []
    raw_sql(storage_url, "UPDATE answers SET values_json = ? WHERE receipt = ?",
            ('{"priorite":["parcs"]}', receipts[0]))
    raw_sql(storage_url, "DELETE FROM log_leaves WHERE idx IN (1, 3)")
    raw_sql(storage_url, "UPDATE log_leaves SET receipt = ? WHERE idx = 2", ("ZZZZZZZZ",))
    problems = "\n".join(log_problems(storage))
    assert f"leaf 0 does not commit to answer {receipts[0]}" in problems
    assert "indexes are not 0..2: [0, 2]" in problems
    for receipt in receipts[1:]:
        assert f"counted answer {receipt} has 0 current leaves" in problems
    assert "leaves [2] are not deleted but belong to no stored answer (ZZZZZZZZ)" in problems
