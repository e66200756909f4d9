"""Moderators' verdicts in the storage (issue #16), on SQLite and on PostgreSQL: added only,
the newest wins, checked against the answer's current text, and deleted with their answer."""

from __future__ import annotations

import json
import re
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from site_builder.messages import speaking
from site_builder.storage import migrations, open_storage, receipts
from site_builder.storage.base import Duplicates, Storage
from site_builder.storage.moderation import (
    ModerationError,
    NewVerdict,
    Redaction,
    StaleVerdictError,
    Verdict,
    text_digest,
)
from tests.storage_support import (
    LATEST,
    T0,
    count,
    new_answer,
    new_batch,
    plant_answer,
    plant_batch,
    raw_sql,
    record_over_newest,
    sheet_entry,
)

TEXT = "Plus de bancs près de chez M. Martin, 12 rue des Lilas."
VALUES = {"idees": [TEXT], "citation": ["yes"]}


def answered(storage: Storage, values: dict[str, list[str]] = VALUES, **changes: Any) -> str:
    """Store an online answer to ``budget``; its receipt code."""
    return storage.store(new_answer(values=values, **changes), Duplicates()).answer.receipt


def verdict(receipt: str, **changes: Any) -> NewVerdict:
    fields: dict[str, Any] = {
        "form_id": "budget", "receipt": receipt, "field_id": "idees", "outcome": "approved",
        "text_digest": text_digest(TEXT), "decided_by": "claire", "decided_at": T0,
    }
    return NewVerdict(**{**fields, **changes})


def test_a_verdict_is_stored_with_who_when_and_why(storage: Storage) -> None:
    receipt = answered(storage)
    redactions = (Redaction(37, 55, "personal data"), Redaction(23, 35, "personal data"))
    stored = record_over_newest(storage, verdict(receipt, redactions=redactions, theme=" Bancs "))
    invisible = record_over_newest(storage, verdict(receipt, theme="\u2066\u2069"))
    assert invisible.theme is None  # a theme of invisible characters is none
    assert stored == Verdict(
        form_id="budget", receipt=receipt, field_id="idees", outcome="approved",
        text_digest=text_digest(TEXT), decided_by="claire", decided_at=T0,
        redactions=tuple(sorted(redactions, key=lambda span: span.start)), theme="Bancs",
        id=stored.id)
    assert list(storage.verdicts("budget")) == [stored, invisible]
    assert list(storage.verdicts("autre")) == []
    rejected = record_over_newest(storage, verdict(receipt, outcome="rejected", reason="duplicate",
                                              decided_at=T0 + timedelta(minutes=1)))
    assert (rejected.outcome, rejected.reason, rejected.redactions, rejected.theme) == (
        "rejected", "duplicate", (), None)
    assert rejected.id > stored.id


def test_verdicts_are_only_added_oldest_first_and_keep_a_moderator_s_own_words(
    storage: Storage,
) -> None:
    first, second = answered(storage), answered(storage, fingerprint="other")
    made = [
        record_over_newest(storage, verdict(first)),
        record_over_newest(storage, verdict(second, outcome="rejected", reason="off-topic")),
        record_over_newest(storage, verdict(first, outcome="rejected",
                                       reason="Parle d'un autre projet, celui de la gare")),
    ]
    assert list(storage.verdicts("budget")) == made
    newest = {(each.receipt, each.field_id): each for each in storage.verdicts("budget")}
    assert newest[first, "idees"].reason == "Parle d'un autre projet, celui de la gare"
    assert count_rows(storage, "budget") == 3


def count_rows(storage: Storage, form_id: str) -> int:
    return len(list(storage.verdicts(form_id)))


def test_a_receipt_as_people_write_it_is_accepted(storage: Storage) -> None:
    receipt = answered(storage)
    stored = record_over_newest(storage, verdict(receipts.format_receipt(receipt).lower()))
    assert stored.receipt == receipt


@pytest.mark.parametrize(("change", "message"), [
    ({"receipt": "ZZZZZZZZ"}, "form 'budget' has no counted answer with the receipt code "
                              "ZZZZ-ZZZZ: it may have been deleted, or belong to another form"),
    ({"form_id": "autre"}, "form 'autre' has no counted answer with the receipt code"),
    ({"field_id": "age"}, "has no written answer to question 'age': there is nothing to decide"),
    ({"text_digest": text_digest("Plus de bancs.")},
     "to question 'idees' was corrected since it was shown: read it again before deciding"),
    ({"outcome": "rejected", "reason": "  "}, "a rejection needs a reason"),
    ({"outcome": "rejected", "reason": "\u202e\u2066 \u200b"}, "a rejection needs a reason"),
    ({"redactions": (Redaction(50, 56, "personal data"),)},
     "a part to hide (characters 50 to 56) is not within the text, which has 55 characters"),
    ({"redactions": (Redaction(3, 3, "personal data"),)}, "(characters 3 to 3) is not within"),
    ({"redactions": (Redaction(-1, 3, "personal data"),)}, "(characters -1 to 3) is not within"),
    ({"redactions": (Redaction(0, 4, "\u202e "),)},
     "the part to hide at characters 0 to 4 needs a reason"),
    ({"redactions": (Redaction(20, 30, "insulting"), Redaction(0, 21, "insulting"))},
     "the part to hide at characters 20 to 30 overlaps another one"),
])
def test_a_verdict_that_cannot_be_stored_says_why(
    storage: Storage, change: dict[str, Any], message: str
) -> None:
    receipt = answered(storage)
    with pytest.raises(ModerationError, match=re.escape(message)):
        record_over_newest(storage, verdict(**{"receipt": receipt, **change}))
    assert list(storage.verdicts("budget")) == []
    assert list(storage.verdicts("autre")) == []


def test_a_refusal_is_said_in_the_organizer_s_language(storage: Storage) -> None:
    receipt = answered(storage)
    with speaking("fr"), pytest.raises(ModerationError) as raised:
        record_over_newest(storage, verdict(receipt, text_digest="0" * 64))
    assert str(raised.value) == (f"la réponse {receipts.format_receipt(receipt)} à la question "
                                 "« idees » a été corrigée depuis qu'elle a été affichée : "
                                 "relisez-la avant de décider")


@pytest.mark.parametrize("change", [
    {"outcome": "published"},
    {"outcome": "approved", "reason": "off-topic"},
    {"outcome": "rejected", "reason": "duplicate", "theme": "Bancs"},
    {"outcome": "rejected", "reason": "duplicate",
     "redactions": (Redaction(0, 4, "insulting"),)},
    {"decided_by": " "},
    {"decided_at": datetime(2025, 3, 1, 9, 30)},  # naive: the mistake under test
])
def test_a_call_no_caller_should_make_is_a_programming_error(
    storage: Storage, change: dict[str, Any]
) -> None:
    receipt = answered(storage)
    with pytest.raises(ValueError) as raised:
        record_over_newest(storage, verdict(receipt, **change))
    assert not isinstance(raised.value, ModerationError)


def test_quarantined_and_pending_answers_take_no_verdict(storage: Storage) -> None:
    quarantined = answered(storage, quarantined=True)
    batch = storage.create_batch(new_batch())
    pending = storage.enter_sheet(sheet_entry(batch.id, values=VALUES),
                                  double=True).sheet.receipt
    for receipt in (quarantined, pending):
        with pytest.raises(ModerationError, match="no counted answer"):
            record_over_newest(storage, verdict(receipt))


def test_deleting_an_answer_deletes_its_verdicts(storage: Storage, storage_url: str) -> None:
    kept, deleted = answered(storage), answered(storage, fingerprint="other")
    record_over_newest(storage, verdict(kept))
    record_over_newest(storage, verdict(deleted))
    record_over_newest(storage, verdict(deleted, outcome="rejected", reason="insulting"))
    assert storage.delete(deleted)
    assert [each.receipt for each in storage.verdicts("budget")] == [kept]
    assert raw_sql(storage_url, "SELECT receipt FROM moderation_verdicts") == [(kept,)]


def test_a_coordinator_deleting_a_paper_answer_deletes_its_verdicts(storage: Storage) -> None:
    batch = storage.create_batch(new_batch())
    receipt = storage.enter_sheet(sheet_entry(batch.id, values=VALUES),
                                  double=False).sheet.receipt
    record_over_newest(storage, verdict(receipt))
    assert storage.delete_entered_answer(receipt, "carol", T0, "wrong sheet")
    assert list(storage.verdicts("budget")) == []


def test_purge_deletes_the_verdicts_of_expired_answers(storage: Storage,
                                                       storage_url: str) -> None:
    expired = answered(storage, expires_at=T0 + timedelta(days=1))
    kept = answered(storage, fingerprint="other", expires_at=T0 + timedelta(days=400))
    for receipt in (expired, kept):
        record_over_newest(storage, verdict(receipt))
    assert storage.purge(T0 + timedelta(days=2)) == 1
    assert [each.receipt for each in storage.verdicts("budget")] == [kept]
    assert count(storage_url, "moderation_verdicts") == 1


def test_a_corrected_answer_s_old_verdicts_stay_but_a_new_one_needs_the_new_text(
    storage: Storage,
) -> None:
    batch = storage.create_batch(new_batch())
    receipt = storage.enter_sheet(sheet_entry(batch.id, values=VALUES),
                                  double=False).sheet.receipt
    first = record_over_newest(storage, verdict(receipt))
    corrected = "Plus de bancs."
    storage.correct_answer(receipt, {**VALUES, "idees": [corrected]}, {}, "carol", T0)
    assert list(storage.verdicts("budget")) == [first]  # nothing is deleted by moderation
    with pytest.raises(ModerationError, match="was corrected since it was shown"):
        record_over_newest(storage, verdict(receipt))
    again = record_over_newest(storage, verdict(receipt, text_digest=text_digest(corrected)))
    assert list(storage.verdicts("budget")) == [first, again]


def test_the_database_refuses_a_rejection_without_reason_whoever_writes_it(
    storage: Storage, storage_url: str,
) -> None:
    receipt = answered(storage)
    moment = "2025-03-01T09:30:00.000000Z" if storage_url.startswith("sqlite") else T0
    with pytest.raises(Exception, match=r"(?i)check"):
        raw_sql(storage_url, "INSERT INTO moderation_verdicts (form_id, receipt, field_id,"
                " outcome, text_digest, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                ("budget", receipt, "idees", "rejected", "d", "claire", moment))


def test_upgrading_a_version_3_database_keeps_its_data(
        storage_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as third_release:
        third_release.setattr(migrations, "SQLITE", migrations.SQLITE[:3])
        third_release.setattr(migrations, "POSTGRES", migrations.POSTGRES[:3])
        before = open_storage(storage_url)
        assert before.schema_version() == 3
        before.close()
    # A batch and answers as the version-3 parole wrote them (today's code writes later
    # columns too).
    batch = plant_batch(storage_url)
    plant_answer(storage_url, "ABCDEFGH", VALUES)
    plant_answer(storage_url, "ABCDEFGJ", VALUES, channel="paper", entered_by="alice",
                 batch_id=batch.id, sheet=1, fingerprint="fingerprint-2")
    upgraded = open_storage(storage_url)
    try:
        assert upgraded.schema_version() == LATEST
        assert [answer.receipt for answer in upgraded.answers("budget")] == [
            "ABCDEFGH", "ABCDEFGJ"]
        assert [progress.batch for progress in upgraded.batches()] == [batch]
        assert upgraded.get("ABCDEFGJ") is not None
        assert list(upgraded.verdicts("budget")) == []
        stored = record_over_newest(upgraded, verdict("ABCDEFGH"))
        assert list(upgraded.verdicts("budget")) == [stored]
    finally:
        upgraded.close()


def test_verdicts_read_back_exactly_across_collectors(
    storage: Storage, storage_url: str, open_collector: Any,
) -> None:
    receipt = answered(storage)
    stored = record_over_newest(storage, verdict(
        receipt, decided_at=datetime(2025, 3, 1, 10, 0, 0, 123456, tzinfo=UTC),
        redactions=(Redaction(23, 35, "une raison à moi"),), theme="Bancs « publics »"))
    other = open_collector()
    assert list(other.verdicts("budget")) == [stored]
    # Spans, never a copy of the text: [start, end, reason] in JSON.
    [(spans,)] = raw_sql(storage_url, "SELECT redactions_json FROM moderation_verdicts")
    assert (json.loads(spans) if isinstance(spans, str) else spans) == [
        [23, 35, "une raison à moi"]]


def test_a_verdict_stands_only_on_the_newest_verdict_its_moderator_read(storage: Storage) -> None:
    receipt = answered(storage)
    first = storage.record_verdict(verdict(receipt), supersedes=None)
    # A second moderator read the answer before the first decided: told, nothing stored.
    with pytest.raises(StaleVerdictError, match="after you read it"):
        storage.record_verdict(verdict(receipt, outcome="rejected", reason="duplicate"),
                               supersedes=None)
    with pytest.raises(StaleVerdictError):
        storage.record_verdict(verdict(receipt), supersedes=first.id + 1000)
    again = storage.record_verdict(verdict(receipt, theme="Bancs"), supersedes=first.id)
    assert list(storage.verdicts("budget")) == [first, again]


def _decide_at_once(moderators: list[tuple[Storage, str]], receipt: str) -> list[str]:
    """Each moderator sends a verdict on ``receipt`` at the same moment, having read no
    verdict on it: what happened to each, sorted."""
    start = threading.Barrier(len(moderators))
    outcomes: list[str] = []

    def decide(moderator: Storage, name: str) -> None:
        start.wait()
        try:
            moderator.record_verdict(verdict(receipt, decided_by=name), supersedes=None)
            outcomes.append("stored")
        except StaleVerdictError:
            outcomes.append("stale")

    threads = [threading.Thread(target=decide, args=pair) for pair in moderators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_two_moderators_deciding_at_the_same_moment_store_one_verdict(
    storage: Storage, storage_url: str,
) -> None:
    """Two processes (two collectors, or a collector and ``parole moderate``): their own
    connections, the same database, both sending a verdict on the answer they both read."""
    other = open_storage(storage_url)
    try:
        for round_number in range(8):
            receipt = answered(storage, fingerprint=f"round {round_number}")
            assert _decide_at_once([(storage, "claire"), (other, "malik")],
                                   receipt) == ["stale", "stored"]
            assert len([each for each in storage.verdicts("budget")
                        if each.receipt == receipt]) == 1
    finally:
        other.close()
