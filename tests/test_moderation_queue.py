"""``results.moderation``: who may be quoted, which verdicts apply, and the moderation queue
(issue #16). An answer without consent is never shown to a moderator nor quotable, whatever
any verdict says; a corrected answer goes back to the queue."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from site_builder.results.moderation import (
    QueueItem,
    answer_text,
    applies,
    current_verdicts,
    moderation_queue,
    newest_verdicts,
    quotable,
    quote_text,
)
from site_builder.storage import open_storage
from site_builder.storage.base import Duplicates, NewAnswer, Storage
from site_builder.storage.entry import NewBatch, SheetEntry
from site_builder.storage.moderation import NewVerdict, Redaction, Verdict, text_digest
from tests.moderate_support import FORM, T0, answer, register
from tests.storage_support import record_over_newest


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    opened = open_storage(f"sqlite:///{tmp_path / 'answers.db'}")
    register(opened)
    yield opened
    opened.close()


def decide(storage: Storage, receipt: str, text: str, field_id: str = "idees",
           **changes: object) -> Verdict:
    fields: dict[str, object] = {
        "form_id": FORM.id, "receipt": receipt, "field_id": field_id, "outcome": "approved",
        "text_digest": text_digest(text), "decided_by": "claire", "decided_at": T0}
    return record_over_newest(storage, NewVerdict(**{**fields, **changes}))  # type: ignore[arg-type]


def queue(storage: Storage) -> list[tuple[str, str, str]]:
    return [(item.receipt, item.field_id, item.text)
            for item in moderation_queue(storage, FORM.id)]


def test_the_queue_holds_consented_written_answers_oldest_first(storage: Storage) -> None:
    later = answer(storage, 5, idees="Des bancs.", titre="Bancs", age="41")
    first = answer(storage, 1, idees="Plus d'arbres.")
    answer(storage, 2, consent=False, idees="Je ne veux pas être cité.")
    answer(storage, 3, idees="   ", titre="")  # nothing written
    answer(storage, 4, age="12")  # nothing written either: a number is not quoted
    items = list(moderation_queue(storage, FORM.id))
    assert items[0] == QueueItem(first, "idees", "Que changeriez-vous dans le parc ?",
                                 "Plus d'arbres.", T0 + timedelta(minutes=1), "online")
    assert [(item.receipt, item.field_id, item.label) for item in items[1:]] == [
        (later, "idees", "Que changeriez-vous dans le parc ?"),
        (later, "titre", "Votre idée en un mot")]


def test_an_answer_without_consent_is_never_quotable_nor_queued_whatever_its_verdict(
    storage: Storage,
) -> None:
    receipt = answer(storage, consent=False, idees="Mon voisin, M. Martin, ...")
    decide(storage, receipt, "Mon voisin, M. Martin, ...")  # storage keeps any decision made
    [stored] = storage.answers(FORM.id)
    assert not quotable(stored, "citation")
    assert queue(storage) == []
    # Another consent question ticked is not the consent to be quoted.
    ticked_other = dataclasses.replace(stored, values={**stored.values, "donnees": ["yes"]})
    assert not quotable(ticked_other, "citation")
    # A form that names no consent question quotes nobody, even one who ticked every box.
    agreed = dataclasses.replace(stored, values={**stored.values, "citation": ["yes"]})
    assert quotable(agreed, "citation")
    assert not quotable(agreed, None)
    assert not quotable(dataclasses.replace(agreed, quarantined=True), "citation")


def test_a_form_without_publish_consent_has_nothing_to_moderate(tmp_path: Path) -> None:
    storage = open_storage(f"sqlite:///{tmp_path / 'answers.db'}")
    try:
        register(storage, dataclasses.replace(FORM, publish_consent=None))
        answer(storage, idees="Des bancs.")
        assert queue(storage) == []
    finally:
        storage.close()


def test_a_verdict_takes_an_answer_out_of_the_queue_and_the_newest_wins(
    storage: Storage,
) -> None:
    receipt = answer(storage, idees="Des bancs.", titre="Bancs")
    approved = decide(storage, receipt, "Des bancs.")
    assert queue(storage) == [(receipt, "titre", "Bancs")]
    rejected = decide(storage, receipt, "Des bancs.", outcome="rejected", reason="duplicate")
    assert newest_verdicts(storage, FORM.id) == {(receipt, "idees"): rejected}
    assert current_verdicts(storage, FORM.id) == {(receipt, "idees"): rejected}
    assert approved.id < rejected.id
    assert queue(storage) == [(receipt, "titre", "Bancs")]


def test_a_corrected_answer_returns_to_the_queue(storage: Storage) -> None:
    batch = storage.create_batch(NewBatch(form_id=FORM.id, place="Mairie",
                                          collected_on=T0.date(), sheets_counted=1,
                                          created_by="alice", created_at=T0))
    values = {"idees": ["Des bancs pres du lac."], "citation": ["yes"]}
    receipt = storage.enter_sheet(SheetEntry(
        batch_id=batch.id, entered_by="alice", values=values, marks={},
        form_version=FORM.version, entered_at=T0, expires_at=None, fingerprint="p"),
        double=False).sheet.receipt
    verdict = decide(storage, receipt, "Des bancs pres du lac.")
    assert queue(storage) == []
    corrected = "Des bancs près du lac."
    storage.correct_answer(receipt, {**values, "idees": [corrected]}, {}, "carol", T0)
    assert queue(storage) == [(receipt, "idees", corrected)]
    assert current_verdicts(storage, FORM.id) == {}  # made on the text before the correction
    assert newest_verdicts(storage, FORM.id) == {(receipt, "idees"): verdict}
    assert not applies(verdict, corrected)
    decide(storage, receipt, corrected)
    assert queue(storage) == []


def test_a_paper_question_left_blank_or_spoiled_has_no_text(storage: Storage) -> None:
    [stored] = [storage.store(NewAnswer(
        form_id=FORM.id, form_version=FORM.version, values={"citation": ["yes"]},
        channel="paper", received_at=T0, expires_at=None, fingerprint="x",
        marks={"idees": "spoiled", "titre": "blank"}), Duplicates()).answer]
    assert answer_text(stored, "idees") is None
    assert answer_text(stored, "titre") is None
    assert queue(storage) == []


def test_verdicts_on_deleted_answers_are_gone_and_others_stay(storage: Storage) -> None:
    kept, gone = answer(storage, 1, idees="Des bancs."), answer(storage, 2, idees="Des arbres.")
    kept_verdict = decide(storage, kept, "Des bancs.")
    decide(storage, gone, "Des arbres.")
    storage.delete(gone)
    assert current_verdicts(storage, FORM.id) == {(kept, "idees"): kept_verdict}


def test_a_quote_hides_its_redacted_spans() -> None:
    text = "Mon voisin M. Martin est un idiot, mais il faut des bancs."
    verdict = Verdict(form_id=FORM.id, receipt="R", field_id="idees", outcome="approved",
                      text_digest=text_digest(text), decided_by="claire", decided_at=T0,
                      redactions=(Redaction(11, 20, "personal data"),
                                  Redaction(21, 33, "insulting")))
    assert quote_text(text, verdict) == "Mon voisin […] […], mais il faut des bancs."
    assert quote_text(text, dataclasses.replace(verdict, redactions=())) == text


class CountingReader:
    """A database seen through ``ModerationReader``, counting the answers read."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.read = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.storage, name)

    def answers(self, form_id: str, *, quarantined: bool = False) -> Iterator[object]:
        for each in self.storage.answers(form_id, quarantined=quarantined):
            self.read += 1
            yield each


def test_the_queue_is_streamed(storage: Storage) -> None:
    for minute in range(50):
        answer(storage, minute, idees=f"Idée {minute}")
    reader = CountingReader(storage)
    items = moderation_queue(reader, FORM.id)  # type: ignore[arg-type]
    assert next(items).text == "Idée 0"
    assert reader.read == 1
