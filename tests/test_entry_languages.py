"""Paper sheets typed in the language of their paper version (issue #18), in the mediators'
area of the three-language sample site (tests/sites/multilingual, built strict): the batch form
asks which language's paper version the stack is (each language named in itself, with its
``lang`` and ``dir``), the batch's pages say it, and each sheet typed in the batch is stored,
exported and counted in it — on SQLite and on PostgreSQL. The mediators' pages stay in the
collector's language (French). A one-language form asks nothing: test_entry_batches.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from site_builder.collector.entry.languages import shown_batch_language
from site_builder.collector.export import iter_csv
from site_builder.collector.stats import form_stats
from site_builder.forms.manifest import manifest_data, manifest_from_text
from site_builder.storage import open_storage
from site_builder.storage.base import Storage
from site_builder.storage.entry import Batch
from tests.batch_support import (
    AREA,
    MediatorSession,
    add_mediator,
    collector_in_process,
    main_html,
    new_batch_pairs,
    type_on_screen,
)
from tests.collector_language_support import the_form
from tests.support import REPO, assert_golden, build_site

FORM = "jardin-oliviers"
DAY = date(2027, 1, 10)
"""An open day of the sample consultation (2027-01-04 → 2027-02-28)."""
ARABIC = '<span lang="ar" dir="rtl">العربية</span>'
THEME_STYLE = re.compile(r"<style>\s*/\* parole\..*?</style>", re.DOTALL)
CSRF_VALUE = re.compile(r'(name="_csrf" value=")[^"]+"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAROLE_BUILD_DATE", DAY.isoformat())
        return build_site(REPO / "tests/sites/multilingual/mkdocs.yml",
                          tmp_path_factory.mktemp("multilingual") / "site")


@pytest.fixture
def storage(storage_url: str) -> Iterator[Storage]:
    """A database on each backend, for what reads and writes it."""
    opened = open_storage(storage_url)
    yield opened
    opened.close()


@pytest.fixture
def local_url(tmp_path: Path) -> str:
    """An SQLite database, for the pages' checks: they do not depend on the backend."""
    return f"sqlite:///{tmp_path / 'answers.db'}"


@pytest.fixture
def local(local_url: str) -> Iterator[Storage]:
    opened = open_storage(local_url)
    yield opened
    opened.close()


def batch_pairs(language: str | None, **changes: str) -> list[tuple[str, str]]:
    """The batch form as a mediator fills it for the sample site (no drop-off place: typed)."""
    pairs = new_batch_pairs(form=FORM, place="", other="Marché des Oliviers", **changes)
    return pairs if language is None else [*pairs, ("language", language)]


def test_the_batch_form_asks_the_language_of_the_paper_version(
        site: Path, local: Storage, local_url: str, request: pytest.FixtureRequest) -> None:
    with collector_in_process(site, local) as up:
        alice = MediatorSession(up)
        alice.sign_in(add_mediator(local_url, "Alice"))
        page = alice.get(f"{AREA}/batches/new").text
    main = main_html(page)
    radios = re.findall(r'<input class="p-field__check" type="radio" id="f-batch-language-\d"'
                        r' name="language" value="(\w+)"( checked)?', main)
    assert radios == [("fr", " checked"), ("ar", ""), ("en", "")]
    for label in ('<span lang="fr" dir="ltr">Français</span>', ARABIC,
                  '<span lang="en" dir="ltr">English</span>'):
        assert label in main
    assert '<html lang="fr"' in page  # the mediators' page itself stays in French
    page = CSRF_VALUE.sub(r'\1CSRF-TOKEN"', THEME_STYLE.sub(
        "<style>/* theme/assets/parole.css */</style>", page))
    assert_golden("collector/entry-new-batch-languages.html", page, request)


def test_sheets_of_an_arabic_batch_are_stored_exported_and_counted_in_arabic(
        site: Path, storage: Storage, storage_url: str) -> None:
    with collector_in_process(site, storage) as up:
        alice = MediatorSession(up)
        alice.sign_in(add_mediator(storage_url, "Alice"))
        opened = alice.post(f"{AREA}/batches/new", batch_pairs("ar", sheets="2"))
        assert opened.status == 303, opened.text
        [progress] = storage.batches(FORM)
        arabic = progress.batch
        assert arabic.language == "ar"
        _, screen = type_on_screen(alice, arabic.id, [("envie", "oui"), ("idees", "Un puits")])
        assert f"Version papier : {ARABIC}." in screen.text.replace("\u00a0", " ")
        type_on_screen(alice, arabic.id, [("envie", "non")])
        french = alice.post(f"{AREA}/batches/new", batch_pairs("fr", sheets="1"))
        assert french.status == 303, french.text
        french_id = max(each.batch.id for each in storage.batches(FORM))
        type_on_screen(alice, french_id, [("envie", "oui")])
        batch_page = alice.get(f"{AREA}/batches/{arabic.id}").text
        home = alice.get(f"{AREA}/").text
    assert re.search(rf"<dt>Version papier</dt>\s*<dd>{ARABIC}</dd>", batch_page)
    listed = main_html(home).replace("\u00a0", " ")
    assert f"Version papier : {ARABIC}." in listed
    assert 'Version papier : <span lang="fr" dir="ltr">Français</span>.' in listed
    stored = sorted((answer.batch_id, answer.language) for answer in storage.answers(FORM))
    assert stored == [(arabic.id, "ar"), (arabic.id, "ar"), (french_id, "fr")]
    rows = list(csv.DictReader(io.StringIO("".join(iter_csv(storage, FORM)).lstrip("\ufeff"))))
    assert sorted((row["batch"], row["channel"], row["language"]) for row in rows) == [
        (str(arabic.id), "paper", "ar"), (str(arabic.id), "paper", "ar"),
        (str(french_id), "paper", "fr")]
    assert form_stats(storage, FORM).per_language == {"fr": 1, "ar": 2}


@pytest.mark.parametrize("language", ["de", "", "AR", "ar-MA", "a" * 300])
def test_a_language_the_form_is_not_printed_in_is_said_at_its_question(
        site: Path, local: Storage, local_url: str, language: str) -> None:
    with collector_in_process(site, local) as up:
        alice = MediatorSession(up)
        alice.sign_in(add_mediator(local_url, "Alice"))
        reply = alice.post(f"{AREA}/batches/new", batch_pairs(language))
    assert reply.status == 400
    error = re.search(r'id="f-batch-language-error">(.*?)</p>', reply.text, re.DOTALL)
    assert error, "no error at the language question"
    assert "Choisissez la langue des feuilles" in error.group(1)
    assert 'value="Marché des Oliviers"' in reply.text  # the other answers kept
    assert local.batches() == []


def test_a_batch_form_without_language_takes_the_form_s_own(
        site: Path, storage: Storage, storage_url: str) -> None:
    """A post that says no language (a page from before, a script) opens a batch in the form's
    own language, said explicitly, as the online form's answers are."""
    with collector_in_process(site, storage) as up:
        alice = MediatorSession(up)
        alice.sign_in(add_mediator(storage_url, "Alice"))
        reply = alice.post(f"{AREA}/batches/new", batch_pairs(None))
    assert reply.status == 303, reply.text
    assert [progress.batch.language for progress in storage.batches()] == ["fr"]


# --- assisted answers: the language of the conversation ------------------------------------------

ASSISTED = f"{AREA}/assisted/{FORM}"
HIDDEN = re.compile(r'<input type="hidden" name="(_form|_version|_language)" value="([^"]*)">')


def test_the_assisted_form_offers_the_conversation_s_language(
        site: Path, local: Storage, local_url: str, request: pytest.FixtureRequest) -> None:
    with collector_in_process(site, local) as up:
        bruno = MediatorSession(up)
        bruno.sign_in(add_mediator(local_url, "Bruno"))
        french = bruno.get(ASSISTED).text
        arabic = bruno.get(f"{ASSISTED}?language=ar").text
        unknown = bruno.get(f"{ASSISTED}?language=de").text
    assert dict(HIDDEN.findall(french))["_language"] == "fr"
    assert dict(HIDDEN.findall(arabic))["_language"] == "ar"
    assert dict(HIDDEN.findall(unknown))["_language"] == "fr"  # none of the form's: its own
    assert '<span class="p-nav__link" lang="ar" dir="rtl" aria-current="true">العربية</span>' \
        in arabic
    assert (f'<a class="p-nav__link" href="{ASSISTED}?language=fr" lang="fr" dir="ltr"'
            ' hreflang="fr">Français</a>') in arabic
    assert '<html lang="fr"' in arabic and "Voulez-vous jardiner ?" in arabic  # French words
    page = CSRF_VALUE.sub(r'\1CSRF-TOKEN"', THEME_STYLE.sub(
        "<style>/* theme/assets/parole.css */</style>", arabic))
    assert_golden("collector/entry-assisted-languages.html", page, request)


def test_an_assisted_answer_is_stored_in_the_conversation_s_language(
        site: Path, storage: Storage, storage_url: str) -> None:
    with collector_in_process(site, storage) as up:
        bruno = MediatorSession(up)
        bruno.sign_in(add_mediator(storage_url, "Bruno"))
        hidden = HIDDEN.findall(bruno.get(f"{ASSISTED}?language=ar").text)
        mistake = bruno.post(ASSISTED, [*hidden, ("idees", "Un puits")])  # envie is required
        assert mistake.status == 400
        assert dict(HIDDEN.findall(mistake.text))["_language"] == "ar"  # kept for the retry
        assert f"Langue de la conversation : {ARABIC}." in mistake.text.replace("\u00a0", " ")
        stored = bruno.post(ASSISTED, [*hidden, ("envie", "oui")])
        assert stored.status == 303, stored.text
        receipt = up.request("GET", stored.headers["location"])
        other = [(name, "de" if name == "_language" else value) for name, value in hidden]
        assert bruno.post(ASSISTED, [*other, ("envie", "non")]).status == 303
    assert receipt.status == 200
    assert '<html lang="ar" dir="rtl"' in receipt.text  # the citizen's receipt, in Arabic
    answers = sorted((answer.values["envie"][0], answer.channel, answer.language)
                     for answer in storage.answers(FORM))
    assert answers == [("non", "assisted", "fr"), ("oui", "assisted", "ar")]


# --- what a batch's pages say ---------------------------------------------------------------------

def test_a_batch_s_pages_say_its_language_only_when_there_is_a_choice() -> None:
    """Said for a form in several languages (a batch opened before schema 6: the form's own);
    not for a form in one, nor for an import whose rows are in several (each answer keeps its
    own language: the batch has none to say)."""
    form = the_form()
    bilingual = manifest_from_text(json.dumps(manifest_data(
        form, page_url="avis/", language="fr", closes=None)), "avis.json")
    french_only = replace(bilingual, form=replace(form, translations=()))
    typed = Batch(1, "avis", "Mairie", DAY, 3, "Alice", datetime(2027, 1, 10, tzinfo=UTC))
    arabic, imported = replace(typed, language="ar"), replace(typed, source_digest="d" * 64)
    assert shown_batch_language(arabic, bilingual) == "ar"
    assert shown_batch_language(typed, bilingual) == "fr"
    assert shown_batch_language(replace(typed, language="fr"), french_only) is None
    assert shown_batch_language(imported, bilingual) is None
    assert shown_batch_language(replace(imported, language="ar"), bilingual) == "ar"
