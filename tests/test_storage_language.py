"""The language of the page each answer came from and of each batch's paper version (issue #18),
in the storage, on SQLite and on PostgreSQL: stored and read back for every channel, each sheet
in its batch's language, and NULL — the form's own language — for the answers and batches of a
database made before parole recorded them (schema versions 5 and 6)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from site_builder.storage import migrations, open_storage
from site_builder.storage.base import Duplicates, Storage, answer_language
from site_builder.storage.entry import batch_language
from tests.storage_support import (
    LATER,
    LATEST,
    T0,
    new_answer,
    new_batch,
    plant_answer,
    plant_batch,
    raw_sql,
    sheet_entry,
)


def test_an_answer_keeps_the_language_of_its_page(storage: Storage, storage_url: str) -> None:
    arabic = storage.store(new_answer(language="ar"), Duplicates()).answer
    french = storage.store(new_answer(language="fr", fingerprint="fingerprint-2",
                                      received_at=LATER), Duplicates()).answer
    assert (arabic.language, french.language) == ("ar", "fr")
    assert [(answer.receipt, answer.language) for answer in storage.answers("budget")] == [
        (arabic.receipt, "ar"), (french.receipt, "fr")]
    assert storage.get(arabic.receipt) == arabic
    assert sorted(raw_sql(storage_url, "SELECT language FROM answers")) == [("ar",), ("fr",)]


def test_an_answer_that_says_no_language_has_its_form_s_own(storage: Storage,
                                                           storage_url: str) -> None:
    stored = storage.store(new_answer(), Duplicates()).answer
    assert stored.language is None
    assert raw_sql(storage_url, "SELECT language FROM answers") == [(None,)]
    [read] = storage.answers("budget")
    assert read.language is None
    assert answer_language(read, "fr") == "fr"
    assert answer_language(replace(read, language="ar"), "fr") == "ar"


def test_the_same_answer_sent_twice_from_two_languages_is_one_answer(storage: Storage) -> None:
    """The language is where the answer was typed, not what it says: the same values sent
    again from the other language's page within the window are the answer sent twice."""
    same = Duplicates(clients=("client-a",), since=T0)
    first = storage.store(new_answer(language="ar"), same)
    again = storage.store(new_answer(language="fr", received_at=LATER), same)
    assert (first.created, again.created) == (True, False)
    assert again.answer == first.answer


@pytest.mark.parametrize("language", ["", "AR", "ar\n", "../ar", "<b>", "a" * 40, "fr_FR"])
def test_a_language_that_is_no_tag_is_a_programming_error(storage: Storage,
                                                          language: str) -> None:
    with pytest.raises(ValueError, match="not a language tag"):
        storage.store(new_answer(language=language), Duplicates())
    assert list(storage.answers("budget")) == []


def test_a_batch_keeps_the_language_of_its_paper_version(storage: Storage,
                                                        storage_url: str) -> None:
    arabic = storage.create_batch(new_batch(language="ar"))
    unsaid = storage.create_batch(new_batch(place="Médiathèque"))
    assert (arabic.language, unsaid.language) == ("ar", None)
    assert storage.batch(arabic.id) == arabic
    assert [progress.batch for progress in storage.batches("budget")] == [arabic, unsaid]
    assert sorted(raw_sql(storage_url, "SELECT language FROM batches"),
                  key=repr) == [("ar",), (None,)]
    assert (batch_language(arabic, "fr"), batch_language(unsaid, "fr")) == ("ar", "fr")


@pytest.mark.parametrize("double", [False, True])
def test_paper_sheets_are_stored_in_their_batch_s_language(storage: Storage,
                                                           double: bool) -> None:
    """Every typing of a sheet of an Arabic batch (both typings with double entry) stores the
    answer in Arabic; the sheets of a batch that says no language have the form's own."""
    arabic = storage.create_batch(new_batch(language="ar"))
    unsaid = storage.create_batch(new_batch(place="Médiathèque"))
    for typist in ("alice", "bob") if double else ("alice",):
        storage.enter_sheet(sheet_entry(arabic.id, typist), double=double)
        storage.enter_sheet(sheet_entry(unsaid.id, typist), double=double)
    stored = {(answer.batch_id, answer.language) for answer in storage.answers("budget")}
    assert stored == {(arabic.id, "ar"), (unsaid.id, None)}


@pytest.mark.parametrize("language", ["", "AR", "ar\x00", "../ar", "a" * 40])
def test_a_batch_language_that_is_no_tag_is_a_programming_error(storage: Storage,
                                                                language: str) -> None:
    with pytest.raises(ValueError, match="not a language tag"):
        storage.create_batch(new_batch(language=language))
    assert storage.batches() == []


def test_imported_answers_keep_their_languages(storage: Storage) -> None:
    batch = new_batch(source_digest="digest-of-the-file")
    answers = [new_answer(channel="paper", client=None, language="ar"),
               new_answer(channel="paper", client=None, fingerprint="fingerprint-2")]
    _batch, created = storage.import_batch(batch, answers)
    assert created
    assert [answer.language for answer in storage.answers("budget")] == ["ar", None]


@pytest.mark.parametrize("release", [3, 4, 5])
def test_upgrading_keeps_every_answer_and_batch_in_its_form_s_language(
        storage_url: str, monkeypatch: pytest.MonkeyPatch, release: int) -> None:
    """A database of the release before (schema 5) or older ones (4, 3): every answer and
    batch is kept, with no language stored, which reads as the form's own; the sheets typed
    since in a batch opened before are too, and a new batch keeps its language."""
    with monkeypatch.context() as older:
        older.setattr(migrations, "SQLITE", migrations.SQLITE[:release])
        older.setattr(migrations, "POSTGRES", migrations.POSTGRES[:release])
        before = open_storage(storage_url)
        assert before.schema_version() == release
        before.close()
    batch = plant_batch(storage_url)
    plant_answer(storage_url, "ABCDEFGH", {"priorite": ["ecoles"]})
    plant_answer(storage_url, "ABCDEFGJ", {"priorite": ["parcs"]}, channel="paper",
                 entered_by="alice", batch_id=batch.id, sheet=1, fingerprint="fingerprint-2")
    upgraded = open_storage(storage_url)
    try:
        assert upgraded.schema_version() == LATEST >= 6
        kept = list(upgraded.answers("budget"))
        assert [(answer.receipt, answer.channel, answer.values, answer.language)
                for answer in kept] == [
            ("ABCDEFGH", "online", {"priorite": ["ecoles"]}, None),
            ("ABCDEFGJ", "paper", {"priorite": ["parcs"]}, None)]
        assert [answer_language(answer, "fr") for answer in kept] == ["fr", "fr"]
        assert [progress.batch for progress in upgraded.batches()] == [batch]
        assert batch_language(batch, "fr") == "fr"
        typed = upgraded.enter_sheet(sheet_entry(batch.id, fingerprint="fingerprint-3"),
                                     double=False)
        assert (upgraded.get(typed.sheet.receipt) or new_answer()).language is None
        arabic = upgraded.create_batch(new_batch(language="ar"))
        assert upgraded.batch(arabic.id) == arabic
        new = upgraded.store(new_answer(language="ar", fingerprint="fingerprint-4"),
                             Duplicates()).answer
        assert upgraded.get(new.receipt) == new
    finally:
        upgraded.close()


def test_collectors_sharing_a_database_read_each_other_s_languages(
        storage: Storage, open_collector: Callable[[], Storage]) -> None:
    stored = storage.store(new_answer(language="ar"), Duplicates()).answer
    other = open_collector()
    assert other.get(stored.receipt) == stored
