"""Batches of paper sheets in the mediators' area (site_builder/collector/entry/batches.py and
its batch_* modules): the signed-in home, opening a batch, and the entry screen of its sheets.

- Golden HTML of the home, the batch form (fresh and with errors) and the entry screen (fresh,
  with errors, after a save), from a collector in this process on fixed days.
- Over HTTP with a real ``parole collect`` (SQLite and PostgreSQL): sheets typed one after
  the other, their receipts and marks stored as paper answers of the batch, the status line
  after each save, the screen saying when every sheet is in, a screen posted twice (one after
  the other, or at once) storing one sheet, closed and unknown batches, and what only a
  signed-in mediator with the CSRF token may do.
- The batch form's rules (form, place, day collected, hand count), a closed consultation's late
  sheets, double entry's status lines, and a database that does not take a sheet (503).
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from site_builder.collector.entry.batch_common import dropoff_places, next_sheet, takes_batches
from site_builder.collector.entry.batch_new import read_day
from site_builder.collector.settings import Collector, Settings
from site_builder.forms.manifest import read_manifest
from site_builder.i18n import Catalogue
from site_builder.storage import open_storage
from site_builder.storage.base import Storage, StorageUnavailable
from site_builder.storage.entry import Batch, NewBatch, Sheet, SheetEntry, StoredEntry
from site_builder.storage.receipts import format_receipt
from tests.batch_support import (
    AREA,
    DAY,
    NOON,
    MediatorSession,
    add_mediator,
    collector_in_process,
    new_batch_pairs,
    sheet_form_fields,
    shown_sheet,
)
from tests.collector_support import running_collector
from tests.support import REPO, assert_golden, build_site

FR = Catalogue.for_language("fr")
THEME_STYLE = re.compile(r"<style>\s*/\* parole\..*?</style>", re.DOTALL)
CSRF_VALUE = re.compile(r'(name="_csrf" value=")[^"]+"')
TYPING_VALUE = re.compile(r'(name="_typing" value=")[^"]+"')
SHEET_ONE = [("frequence", "semaine"), ("usages", "marche"), ("usages", "enfants"),
             ("ombre", "4"), ("age", "42"), ("quartier", "Les Tilleuls")]
"""A sheet's answers as typed: a few questions answered, the others left blank."""
MEDIATHEQUE = "Médiathèque, 12 rue des Écoles"


def _text(html: str) -> str:
    """A page's main text, tags removed and spaces collapsed (no-break spaces as spaces)."""
    main = html[html.index("<main"):html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).replace("\u00a0", " ").replace(
        "\u202f", " ").split())


def _main(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def _status_line(html: str) -> str:
    found = re.search(r'<p class="p-status" role="status">(.*?)</p>', html, re.DOTALL)
    assert found, "no status line"
    # the receipt code is bold, its hyphen one that does not break
    line = re.sub(r'<strong dir="ltr">([^<]*)</strong>', r"\1", found.group(1))
    return line.replace("\u00a0", " ").replace("\u2011", "-")


# --- fixtures ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example consultation built on an open day, so pages do not change with the date."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAROLE_BUILD_DATE", DAY.isoformat())
        return build_site(REPO / "mkdocs.yml", tmp_path_factory.mktemp("batches") / "site")


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'answers.db'}"


@pytest.fixture
def storage(database: str) -> Iterator[Storage]:
    opened = open_storage(database)
    yield opened
    opened.close()


def _sheet(session: MediatorSession, batch_id: int,
           answers: list[tuple[str, str]]) -> tuple[Any, Any]:
    """Type a sheet on the batch's entry screen; the reply to the post and the next screen."""
    path = f"{AREA}/batches/{batch_id}/sheet"
    screen = session.get(path)
    assert screen.status == 200, screen.text
    saved = session.post(path, [*sheet_form_fields(screen.text), *answers])
    return saved, session.follow(saved) if saved.status == 303 else None


def _open_batch(session: MediatorSession, **pairs: str) -> int:
    reply = session.post(f"{AREA}/batches/new", new_batch_pairs(**pairs))
    assert reply.status == 303, reply.text
    found = re.fullmatch(rf"{AREA}/batches/(\d+)/sheet", reply.headers["location"])
    assert found, reply.headers["location"]
    return int(found.group(1))


@contextmanager
def _alice_signed_in(database: str, site: Path, storage: Storage | Any,
                     **options: Any) -> Iterator[MediatorSession]:
    """Alice, a mediator added to ``database``, signed in to a collector of ``site`` running in
    this process on ``storage`` (``options`` as for ``collector_in_process``)."""
    code = add_mediator(database, "Alice")
    with collector_in_process(site, storage, **options) as up:
        alice = MediatorSession(up)
        alice.sign_in(code)
        yield alice


# --- goldens -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def golden_pages(site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every page with a golden, from one scripted session on 10 January 2027 at noon: Alice
    opens a batch (a mistake first) and types a sheet (a mistake first); Chloé, a coordinator,
    types and closes a batch of one sheet, then reads her home."""
    folder = tmp_path_factory.mktemp("batch-goldens")
    database = f"sqlite:///{folder / 'answers.db'}"
    alice_code = add_mediator(database, "Alice")
    chloe_code = add_mediator(database, "Chloé", coordinator=True)
    storage = open_storage(database)
    pages: dict[str, str] = {}
    try:
        with collector_in_process(site, storage) as up:
            alice = MediatorSession(up)
            alice.sign_in(alice_code)
            pages["entry-new-batch.html"] = alice.get(f"{AREA}/batches/new").text
            mistakes = alice.post(f"{AREA}/batches/new",
                                  new_batch_pairs(place="", day="31/13/2027", sheets="0"))
            assert mistakes.status == 400
            pages["entry-new-batch-errors.html"] = mistakes.text
            batch = _open_batch(alice)
            path = f"{AREA}/batches/{batch}/sheet"
            fresh = alice.get(path)
            pages["entry-sheet.html"] = fresh.text
            slips = alice.post(path, [*sheet_form_fields(fresh.text), *SHEET_ONE[:4],
                                      ("age", "quarante-deux"), ("idee", "Des bancs"),
                                      ("_spoiled", "idee")])
            assert slips.status == 400
            pages["entry-sheet-errors.html"] = slips.text
            _, after = _sheet(alice, batch, SHEET_ONE)
            pages["entry-sheet-saved.html"] = after.text

            chloe = MediatorSession(up)
            chloe.sign_in(chloe_code)
            small = _open_batch(chloe, place="_other", other="Marché de Noël", sheets="1")
            _sheet(chloe, small, [("frequence", "jour")])
            storage.close_batch(small, "Chloé", NOON)
            pages["entry-home.html"] = chloe.get(f"{AREA}/").text
        receipts = [sheet.receipt for one in (batch, small) for sheet in storage.sheets(one)]
    finally:
        storage.close()
    return {name: _stable(page, receipts) for name, page in pages.items()}


def _stable(page: str, receipts: list[str]) -> str:
    """``page`` without what changes at each run: the stylesheet (it has its own tests), the
    session's CSRF token and the random receipt codes (numbered instead)."""
    page = THEME_STYLE.sub("<style>/* theme/assets/parole.css */</style>", page)
    page = CSRF_VALUE.sub(r'\1CSRF-TOKEN"', page)
    page = TYPING_VALUE.sub(r'\1TYPING-KEY"', page)  # the typing's key, random too
    for number, receipt in enumerate(receipts, 1):
        shown = format_receipt(receipt).replace("-", "\u2011")  # a hyphen that never breaks
        page = page.replace(shown, f"CODE-000{number}")
    return page


@pytest.mark.parametrize("name", [
    "entry-home.html", "entry-new-batch.html", "entry-new-batch-errors.html",
    "entry-sheet.html", "entry-sheet-errors.html", "entry-sheet-saved.html",
])
def test_the_batch_pages_match_their_goldens(
    golden_pages: dict[str, str], name: str, request: pytest.FixtureRequest
) -> None:
    assert_golden(f"collector/{name}", golden_pages[name], request)


def test_the_home_lists_open_and_closed_batches_apart_with_their_progress(
    golden_pages: dict[str, str],
) -> None:
    text = _text(golden_pages["entry-home.html"])
    assert "Session ouverte : Chloé." in text and "Se déconnecter" in text
    open_part, closed_part = text.split("Lots fermés")
    assert "Lot n° 1 : Votre avis sur la place du Marché, Médiathèque" in open_part
    assert "Feuilles saisies : 1 sur 3 comptées à la main." in open_part
    assert "État : saisie en cours." in open_part
    assert "Lot n° 2 : Votre avis sur la place du Marché, Marché de Noël" in closed_part
    assert "État : fermé le dimanche 10 janvier 2027." in closed_part
    main = _main(golden_pages["entry-home.html"])
    assert f'href="{AREA}/batches/1/sheet"' in main and f'href="{AREA}/batches/2/sheet"' not in main
    # each batch's page, new batches and help online: for every mediator
    assert f'href="{AREA}/batches/1"' in main and f'href="{AREA}/batches/2"' in main
    assert f'href="{AREA}/batches/new"' in main
    assert f'href="{AREA}/assisted/avis-place"' in main


def test_the_entry_screen_names_the_sheet_and_focuses_the_first_question(
    golden_pages: dict[str, str],
) -> None:
    fresh = golden_pages["entry-sheet.html"]
    assert "<h1>Vous saisissez la feuille 1 sur 3</h1>" in fresh
    assert "Lot n° 1 : Votre avis sur la place du Marché. Lieu : Médiathèque" in _text(fresh)
    assert fresh.count("autofocus") == 1
    assert re.search(r'id="f-avis-place-frequence-1"[^>]*autofocus', fresh)
    assert 'role="status"' not in fresh
    saved = golden_pages["entry-sheet-saved.html"]
    assert "<h1>Vous saisissez la feuille 2 sur 3</h1>" in saved
    assert _status_line(saved) == ("Feuille 1 sur 3 enregistrée, code de réponse CODE-0001 : "
                                   "écrivez-le sur la feuille.")
    assert saved.count("autofocus") == 1
    assert re.search(r'id="f-avis-place-frequence-1"[^>]*autofocus', saved)
    assert 'name="_sheet" value="2"' in saved


def test_a_typing_with_slips_comes_back_with_its_errors_and_values(
    golden_pages: dict[str, str],
) -> None:
    page = golden_pages["entry-sheet-errors.html"]
    assert re.search(r"<title>Erreur\s: Feuille 1 sur 3 ", page)
    assert 'href="#f-avis-place-age"' in page and 'href="#f-avis-place-idee"' in page
    assert 'value="quarante-deux"' in page and ">\nDes bancs</textarea>" in page
    assert re.search(r'value="idee" checked', page)  # the spoiled box stays ticked
    assert re.search(r'value="semaine" checked', page)
    assert page.count("autofocus") == 1 and re.search(r'errors" tabindex="-1" autofocus', page)


def test_the_batch_form_with_mistakes_says_each_and_keeps_the_values(
    golden_pages: dict[str, str],
) -> None:
    page = golden_pages["entry-new-batch-errors.html"]
    assert re.search(r"<title>Erreur\s: Ouvrir un lot de feuilles ", page)
    links = re.findall(r'<li><a href="(#[^"]+)">', page)
    assert links == ["#f-batch-place-1", "#f-batch-collected_on", "#f-batch-sheets_counted"]
    assert 'value="31/13/2027"' in page and 'name="sheets_counted" value="0"' in page
    fresh = golden_pages["entry-new-batch.html"]
    assert 'name="collected_on" value="10/01/2027"' in fresh  # today by default
    assert re.search(r'name="form" value="avis-place" checked', fresh)  # the only form
    for place in ("Hôtel de ville, à l\u2019accueil, 1 place de la Mairie", MEDIATHEQUE,
                  "Un autre lieu"):
        assert f">{place}</label>" in fresh


# --- the rules of a batch ----------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "day"), [
    ("10/01/2027", date(2027, 1, 10)), ("1/2/2027", date(2027, 2, 1)),
    (" 10 / 01 / 27 ", date(2027, 1, 10)), ("10.01.2027", date(2027, 1, 10)),
    ("10-01-2027", date(2027, 1, 10)), ("2027-01-10", date(2027, 1, 10)),
    ("\u0662\u0660\u0662\u0667-\u0660\u0661-\u0661\u0660", date(2027, 1, 10)),
    ("31/02/2027", None), ("10/01", None), ("hier", None), ("2027/13/01", None), ("", None),
])
def test_a_day_is_read_as_people_type_it(typed: str, day: date | None) -> None:
    assert read_day(typed) == day


def test_a_drop_off_line_names_its_place_without_its_opening_hours(site: Path) -> None:
    manifest = read_manifest(site / "forms" / "avis-place.json")
    assert dropoff_places(manifest) == [
        "Hôtel de ville, à l\u2019accueil, 1 place de la Mairie", MEDIATHEQUE,
        "Centre social des Tilleuls, 3 allée des Tilleuls",
        "Stand de la consultation, place du Marché, devant la fontaine"]
    lines = ("Salle 10:30", "Mairie : lundi", "Mairie: mardi", " : ")
    assert dropoff_places(dataclasses.replace(manifest, paper_dropoff=lines)) == [
        "Salle 10:30", "Mairie", ":"]


def test_batches_are_taken_from_the_opening_day_until_the_deletion_day(site: Path) -> None:
    manifest = read_manifest(site / "forms" / "avis-place.json")
    collector = Collector(Settings(site_dir=site), storage=None)  # type: ignore[arg-type]
    assert manifest.opens == date(2027, 1, 4) and manifest.closes == date(2027, 2, 28)
    assert not takes_batches(collector, manifest, date(2027, 1, 3))
    assert takes_batches(collector, manifest, date(2027, 1, 4))
    assert takes_batches(collector, manifest, date(2027, 3, 5))  # late sheets of a closed form
    deletion = date(2027, 2, 28).toordinal() + manifest.retention_days
    assert takes_batches(collector, manifest, date.fromordinal(deletion - 1))
    assert not takes_batches(collector, manifest, date.fromordinal(deletion))
    preview = Collector(Settings(site_dir=site, preview=True), storage=None)  # type: ignore[arg-type]
    assert takes_batches(preview, manifest, date(2027, 1, 3))


def test_the_next_sheet_follows_the_storage_numbering() -> None:
    """Single entry numbers the stack whoever types it; double entry each mediator's run
    through it, a third typing at a coordinator's request skipped when the run gets there."""
    def typed(number: int, *names: str, again: str = "") -> Sheet:
        entries = tuple(StoredEntry(index, name, NOON, {}, {}, again=name == again)
                        for index, name in enumerate(names))
        return Sheet(1, number, f"R{number}", "counted", entries)

    batch = Batch(1, "avis-place", "Mairie", DAY, 5, "Alice", NOON)
    sheets = [typed(1, "Alice", "Bob"), typed(2, "Alice"), typed(3, "Bob", "Zoé", again="Zoé")]
    assert next_sheet(batch, sheets, "Alice", double=False) == 4
    assert next_sheet(batch, sheets, "Zoé", double=False) == 4
    assert next_sheet(batch, sheets, "Alice", double=True) == 3
    assert next_sheet(batch, sheets, "Bob", double=True) == 4
    assert next_sheet(batch, sheets, "Zoé", double=True) == 1
    assert next_sheet(batch, [*sheets, typed(4, "Bob"), typed(5, "Bob")], "Bob",
                      double=False) is None
    assert next_sheet(batch, sheets[:2], "Zoé", double=True) == 1
    two = [typed(1, "Zoé"), typed(2, "Alice", "Zoé", again="Zoé")]
    assert next_sheet(batch, two, "Zoé", double=True) == 3  # sheet 2 typed again already


@pytest.mark.parametrize("case", [
    (new_batch_pairs(form=""), "form", "Choisissez le questionnaire"),
    (new_batch_pairs(form="autre-form"), "form", "Choisissez le questionnaire"),
    (new_batch_pairs(place=""), "place", "Choisissez le lieu"),
    (new_batch_pairs(place="_other"), "place_other", "Écrivez le nom de l\u2019autre lieu."),
    (new_batch_pairs(other="Gymnase"), "place", "pas les deux"),
    (new_batch_pairs(place="Ailleurs"), "place", "Choisissez le lieu"),
    (new_batch_pairs(place="_other", other="x" * 201), "place_other", "200 caractères"),
    (new_batch_pairs(day=""), "collected_on", "Écrivez la date de collecte, par exemple"),
    (new_batch_pairs(day="11/01/2027"), "collected_on", "après aujourd\u2019hui"),
    (new_batch_pairs(day="03/01/2027"), "collected_on", "avant l\u2019ouverture"),
    (new_batch_pairs(sheets=""), "sheets_counted", "Écrivez le nombre de feuilles comptées"),
    (new_batch_pairs(sheets="douze"), "sheets_counted", "en chiffres, sans virgule"),
    (new_batch_pairs(sheets="2.0"), "sheets_counted", "en chiffres, sans virgule"),
    (new_batch_pairs(sheets="10001"), "sheets_counted", "de 1 à 10 000"),
])
def test_each_mistake_in_the_batch_form_is_said_at_its_question(
    site: Path, storage: Storage, database: str, case: tuple[list[tuple[str, str]], str, str]
) -> None:
    pairs, field, message = case
    with _alice_signed_in(database, site, storage) as alice:
        reply = alice.post(f"{AREA}/batches/new", pairs)
    assert reply.status == 400
    error = re.search(rf'id="f-batch-{field}-error">(.*?)</p>', reply.text, re.DOTALL)
    assert error, f"no error at {field}"
    assert message in " ".join(error.group(1).replace("\u202f", " ").split())
    assert storage.batches() == []


def test_a_batch_is_stored_as_typed_and_a_place_may_be_typed(
    site: Path, storage: Storage, database: str
) -> None:
    with _alice_signed_in(database, site, storage) as alice:
        first = _open_batch(alice, day="2027-01-09", sheets="1 200")
        second = _open_batch(alice, place="_other", other="  Gymnase Jean-Moulin ")
        third = _open_batch(alice, place="", other="Bus de la consultation")
        odd = alice.post(f"{AREA}/batches/new", [*new_batch_pairs(), ("extra", "1")])
    batches = {one.batch.id: one.batch for one in storage.batches()}
    assert (batches[first].place, batches[first].collected_on, batches[first].sheets_counted,
            batches[first].created_by) == (MEDIATHEQUE, date(2027, 1, 9), 1200, "Alice")
    assert batches[second].place == "Gymnase Jean-Moulin"
    assert batches[third].place == "Bus de la consultation"
    assert odd.status == 400 and len(batches) == 3


def test_a_closed_consultation_takes_its_late_sheets_collected_by_its_last_day(
    site: Path, storage: Storage, database: str
) -> None:
    """Ballot boxes are emptied on the last day and typed in during the days after."""
    with _alice_signed_in(database, site, storage, today=date(2027, 3, 5)) as alice:
        form = alice.get(f"{AREA}/batches/new").text
        assert "Votre avis sur la place du Marché (fermé le dimanche 28 février 2027)" in _text(
            form)
        late = alice.post(f"{AREA}/batches/new", new_batch_pairs(day="01/03/2027"))
        assert late.status == 400
        assert "Les feuilles collectées après le dimanche 28 février 2027" in _text(late.text)
        batch = _open_batch(alice, day="28/02/2027", sheets="1")
        saved, after = _sheet(alice, batch, SHEET_ONE)
        home = alice.get(f"{AREA}/").text
    assert saved.status == 303 and "Toutes les feuilles de ce lot sont saisies" in after.text
    assert "Aider quelqu\u2019un à répondre en ligne" not in home  # nobody answers a closed form
    [answer] = storage.answers("avis-place")
    assert (answer.channel, answer.batch_id) == ("paper", batch)


@pytest.fixture(scope="module")
def no_dropoff_site(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site without drop-off places (no ``paper_dropoff``)."""
    return _site_with(site, tmp_path_factory.mktemp("no-dropoff") / "site", paper_dropoff=[])


def _site_with(site: Path, copy: Path, **manifest_changes: Any) -> Path:
    """A copy of ``site`` whose form manifest has ``manifest_changes``."""
    shutil.copytree(site, copy)
    manifest_file = copy / "forms" / "avis-place.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest_file.write_text(json.dumps({**manifest, **manifest_changes}, ensure_ascii=False),
                             encoding="utf-8")
    (copy / "forms" / "avis-place.json.gz").unlink(missing_ok=True)
    return copy


def test_without_drop_off_places_the_place_is_typed(
    no_dropoff_site: Path, storage: Storage, database: str
) -> None:
    with _alice_signed_in(database, no_dropoff_site, storage) as alice:
        home = _text(alice.pages[-1].text)
        form = alice.get(f"{AREA}/batches/new").text
        missing = alice.post(f"{AREA}/batches/new", new_batch_pairs(place=""))
        batch = _open_batch(alice, place="", other="Salle des fêtes")
    assert "Aucun lot en cours." in home and "Lots fermés" not in home
    assert 'name="place"' not in form and 'type="radio" id="f-batch-place-' not in form
    assert re.search(r'<label class="p-field__label" for="f-batch-place_other">Lieu où les '
                     r"feuilles ont été collectées <span", form)
    assert missing.status == 400
    assert "Écrivez le lieu où les feuilles ont été collectées." in missing.text
    assert storage.batch(batch).place == "Salle des fêtes"  # type: ignore[union-attr]


def test_no_batch_is_opened_before_the_form_opens(
    site: Path, storage: Storage, database: str
) -> None:
    with _alice_signed_in(database, site, storage, today=date(2027, 1, 3)) as alice:
        form = alice.get(f"{AREA}/batches/new")
        sent = alice.post(f"{AREA}/batches/new", new_batch_pairs(day="03/01/2027"))
    assert form.status == 200
    assert "Aucun questionnaire ne prend de feuilles papier aujourd\u2019hui." in form.text
    assert "<form" not in _main(form.text).split("</div>", 1)[1]  # only the sign-out form
    assert sent.status == 400 and storage.batches() == []


@pytest.mark.parametrize("case", [
    ("en", "Sheet 1 of 3 saved, answer code {code}: write it on the sheet."),
    ("ar", "\u062d\u064f\u0641\u0638\u062a \u0627\u0644\u0648\u0631\u0642\u0629 1 \u0645\u0646 3"),
])
def test_the_batch_pages_speak_the_language_of_the_form(
    site: Path, tmp_path: Path, storage: Storage, database: str, case: tuple[str, str]
) -> None:
    language, saved = case
    area = "/collect/data-entry"  # every language but French
    translated = _site_with(site, tmp_path / "site", language=language)
    code = add_mediator(database, "Alice")
    with collector_in_process(translated, storage) as up:
        alice = MediatorSession(up, area=area)
        alice.sign_in(code)
        form = alice.get(f"{area}/batches/new").text
        opened = alice.post(f"{area}/batches/new", new_batch_pairs())
        screen = alice.follow(opened).text
        sent = alice.post(opened.headers["location"], [*sheet_form_fields(screen), *SHEET_ONE])
        after = alice.follow(sent).text
    words = Catalogue.for_language(language)
    assert f"<h1>{words('batches.new.title')}</h1>" in form
    assert words("batches.sheet.heading", number=2, count=3) in after
    [sheet] = storage.sheets(int(opened.headers["location"].split("/")[-2]))
    assert _status_line(after).startswith(saved.format(code=format_receipt(sheet.receipt)))


# --- entering sheets over HTTP, in a real ``parole collect`` -----------------------------------

def test_a_mediator_types_a_batch_sheet_after_sheet(
    site: Path, tmp_path: Path, storage_url: str
) -> None:
    """On both backends: ``parole collect`` on SQLite, and on PostgreSQL."""
    database = storage_url
    code = add_mediator(database, "Alice")
    with running_collector(site, database, tmp_path, args=["--rate-limit", "0"]) as up:
        alice = MediatorSession(up)
        alice.sign_in(code)
        batch = _open_batch(alice, sheets="3")
        path = f"{AREA}/batches/{batch}/sheet"
        lines, receipts = [], []
        for number, answers in enumerate(
                (SHEET_ONE, [("frequence", "mois"), ("_spoiled", "ombre")], []), 1):
            screen = alice.get(path)
            assert shown_sheet(screen.text) == number
            assert f"Vous saisissez la feuille {number} sur 3" in screen.text
            saved = alice.post(path, [*sheet_form_fields(screen.text), *answers])
            assert saved.status == 303, saved.text
            receipts.append(saved.headers["location"].split("?saved=")[1])
            lines.append(_status_line(alice.follow(saved).text))
        done = alice.pages[-1].text
        # the same screen posted again (a reload, Back then Save): nothing stored twice
        again = alice.post(path, [*sheet_form_fields(screen.text), *answers])
        home = alice.get(f"{AREA}/").text
        batch_page = alice.get(f"{AREA}/batches/{batch}")
        more = alice.post(path, [("_form", "avis-place"), *sheet_form_fields(screen.text)[1:2],
                                 ("frequence", "jour")])
    assert lines == [f"Feuille {n} sur 3 enregistrée, code de réponse "
                     f"{format_receipt(receipt)} : écrivez-le sur la feuille."
                     for n, receipt in enumerate(receipts, 1)]
    assert "<h1>Toutes les feuilles de ce lot sont saisies</h1>" in done
    assert "Feuilles saisies : 3 sur 3 comptées à la main." in _text(done)
    assert f'href="{AREA}/"' in _main(done)
    # Alice does not coordinate: she reads the batch's page, from her home or her last
    # sheet, and is told who acts on it
    assert f'href="{AREA}/batches/{batch}"' in _main(done)
    assert f'href="{AREA}/batches/{batch}"' in _main(home)
    assert batch_page.status == 200
    assert "Seule une personne qui coordonne la saisie peut fermer ce lot" in batch_page.text
    assert f'action="{AREA}/batches/{batch}/close"' not in batch_page.text
    assert again.status == 303 and again.headers["location"].endswith(f"?saved={receipts[2]}")
    assert more.status == 409 and "La feuille n\u2019a pas été enregistrée" in more.text
    storage = open_storage(database)
    try:
        stored = {answer.receipt: answer for answer in storage.answers("avis-place")}
        sheets = storage.sheets(batch)
    finally:
        storage.close()
    assert [sheet.number for sheet in sheets] == [1, 2, 3]
    assert [sheet.receipt for sheet in sheets] == receipts
    first, second, third = (stored[receipt] for receipt in receipts)
    assert (first.channel, first.entered_by, first.batch_id, first.sheet) == (
        "paper", "Alice", batch, 1)
    assert first.values == {"frequence": ["semaine"], "usages": ["marche", "enfants"],
                            "ombre": ["4"], "age": ["42"], "quartier": ["Les Tilleuls"]}
    assert first.marks == {"stationnement": "blank", "jeux": "blank", "idee": "blank",
                           "courriel": "blank", "accord": "blank"}
    assert second.values == {"frequence": ["mois"]} and second.marks["ombre"] == "spoiled"
    assert third.values == {} and set(third.marks.values()) == {"blank"}


def test_closed_unknown_and_foreign_batches_take_no_sheet(
    site: Path, storage: Storage, database: str
) -> None:
    alice_code = add_mediator(database, "Alice")
    with collector_in_process(site, storage) as up:
        alice = MediatorSession(up)
        alice.sign_in(alice_code)
        batch = _open_batch(alice, sheets="1")
        screen = alice.get(f"{AREA}/batches/{batch}/sheet").text
        _sheet(alice, batch, SHEET_ONE)
        storage.close_batch(batch, "Alice", NOON)
        closed_get = alice.get(f"{AREA}/batches/{batch}/sheet")
        closed_post = alice.post(f"{AREA}/batches/{batch}/sheet",
                                 [*sheet_form_fields(screen), ("frequence", "jour")])
        unknown = alice.get(f"{AREA}/batches/99/sheet")
        other_form = storage.create_batch(NewBatch("ailleurs", "Mairie", DAY, 2, "x", NOON))
        foreign = alice.get(f"{AREA}/batches/{other_form.id}/sheet")
    assert closed_get.status == 409 and closed_post.status == 409
    assert "<h1>Ce lot est fermé</h1>" in closed_get.text
    assert "Un lot fermé ne prend plus de feuilles." in closed_post.text
    assert len(storage.sheets(batch)) == 1
    assert unknown.status == 404 and foreign.status == 404
    assert "<h1>Lot introuvable</h1>" in unknown.text
    assert f'href="{AREA}/batches/{batch}"' in _main(closed_get.text)  # to read its sheets


def test_an_imported_batch_is_not_typed_in_and_a_status_line_is_only_ones_own(
    site: Path, storage: Storage, database: str
) -> None:
    alice_code = add_mediator(database, "Alice")
    bob_code = add_mediator(database, "Bob")
    imported, _ = storage.import_batch(
        dataclasses.replace(NewBatch("avis-place", "Mairie", DAY, 0, "import:avis.csv", NOON),
                            source_digest="0" * 64), [])
    with collector_in_process(site, storage) as up:
        alice, bob = MediatorSession(up), MediatorSession(up)
        alice.sign_in(alice_code)
        bob.sign_in(bob_code)
        refused = alice.get(f"{AREA}/batches/{imported.id}/sheet")
        home = alice.get(f"{AREA}/").text
        batch = _open_batch(alice)
        saved, _ = _sheet(alice, batch, SHEET_ONE)
        theirs = bob.get(saved.headers["location"])
    assert refused.status == 409 and "Ce lot vient d\u2019un fichier" in refused.text
    assert f'href="{AREA}/batches/{imported.id}/sheet"' not in home
    assert theirs.status == 200 and 'role="status"' not in theirs.text
    assert "Vous saisissez la feuille 2 sur 3" in theirs.text  # one stack, numbered whoever types


def test_only_a_signed_in_mediator_with_the_token_opens_or_types(
    site: Path, storage: Storage, database: str
) -> None:
    with _alice_signed_in(database, site, storage) as alice:
        batch = _open_batch(alice)
        screen = alice.get(f"{AREA}/batches/{batch}/sheet").text
        stranger = MediatorSession(alice.collector)
        replies = {
            "new, no session": stranger.get(f"{AREA}/batches/new"),
            "open, no session": stranger.post(f"{AREA}/batches/new", new_batch_pairs()),
            "screen, no session": stranger.get(f"{AREA}/batches/{batch}/sheet"),
            "open, no token": alice.post(f"{AREA}/batches/new", new_batch_pairs(), csrf=False),
            "type, no token": alice.post(f"{AREA}/batches/{batch}/sheet",
                                         [*sheet_form_fields(screen), *SHEET_ONE], csrf=False),
        }
    statuses = {what: reply.status for what, reply in replies.items()}
    assert statuses == {"new, no session": 303, "open, no session": 303,
                        "screen, no session": 303, "open, no token": 403,
                        "type, no token": 403}
    assert replies["new, no session"].headers["location"] == f"{AREA}/"
    assert len(storage.batches()) == 1 and storage.sheets(batch) == []


def test_a_post_the_entry_screen_cannot_send_is_refused(
    site: Path, storage: Storage, database: str
) -> None:
    with _alice_signed_in(database, site, storage) as alice:
        batch = _open_batch(alice)
        path = f"{AREA}/batches/{batch}/sheet"
        hidden = sheet_form_fields(alice.get(path).text)
        replies = [
            alice.post(path, [("_form", "autre"), *hidden[1:], *SHEET_ONE]),
            alice.post(path, [*hidden, ("inconnue", "1")]),
            alice.post(path, [*hidden, ("frequence", "pas-une-option")]),
            alice.post(path, [*hidden, ("_spoiled", "inconnue")]),
        ]
        changed = alice.post(path, [hidden[0], ("_version", "0000"), hidden[2], *SHEET_ONE])
    assert [reply.status for reply in replies] == [400, 400, 400, 400]
    assert "Nous n\u2019avons pas pu lire cette saisie" in replies[0].text
    assert changed.status == 409 and "Le questionnaire a changé" in changed.text
    assert 'value="Les Tilleuls"' in changed.text
    assert storage.sheets(batch) == []


# --- double entry --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def double_site(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site with ``paper_entry: {double: true}`` in its manifest."""
    return _site_with(site, tmp_path_factory.mktemp("double") / "site", double_entry=True)


def test_double_entry_says_what_each_typing_did(
    double_site: Path, storage: Storage, database: str
) -> None:
    alice_code = add_mediator(database, "Alice")
    bob_code = add_mediator(database, "Bob")
    with collector_in_process(double_site, storage) as up:
        alice, bob = MediatorSession(up), MediatorSession(up)
        alice.sign_in(alice_code)
        bob.sign_in(bob_code)
        batch = _open_batch(alice, sheets="2")
        _, first = _sheet(alice, batch, SHEET_ONE)
        _sheet(alice, batch, [("frequence", "jour")])
        bob_screen = bob.get(f"{AREA}/batches/{batch}/sheet").text
        _, agrees = _sheet(bob, batch, SHEET_ONE)
        _, differs = _sheet(bob, batch, [("frequence", "mois")])
        home = bob.get(f"{AREA}/").text
    receipts = [sheet.receipt for sheet in storage.sheets(batch)]
    one, two = (format_receipt(receipt) for receipt in receipts)
    assert _status_line(first.text) == (
        f"Feuille 1 sur 2 enregistrée, code de réponse {one} : écrivez-le sur la feuille. "
        "Elle comptera quand une autre personne l\u2019aura saisie à son tour.")
    assert "Seconde saisie : le code écrit sur cette feuille est" in _text(bob_screen)
    assert '<strong dir="ltr">' + one.replace("-", "\u2011") + "</strong>" in bob_screen
    assert _status_line(agrees.text) == (
        f"Feuille 1 sur 2, code {one} : votre saisie est identique à la première. "
        "La feuille compte.")
    assert _status_line(differs.text).startswith(
        f"Feuille 2 sur 2, code {two} : votre saisie diffère de la première.")
    assert [sheet.state for sheet in storage.sheets(batch)] == ["counted", "differs"]
    assert ("Feuilles qui comptent : 1. En attente de la seconde saisie : 0. "
            "Saisies différentes : 1. À saisir de nouveau : 0.") in _text(home)
    assert "État : toutes les feuilles sont saisies, mais certaines ne comptent pas" in _text(home)


# --- the database does not take a sheet --------------------------------------------------------

class Failing:
    """A storage whose batch and sheet writes fail as a full disk's do, until told."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.failing = False

    def create_batch(self, batch: NewBatch) -> Any:
        if self.failing:
            raise StorageUnavailable("database or disk is full")
        return self.storage.create_batch(batch)

    def enter_sheet(self, entry: SheetEntry, *, double: bool) -> Any:
        if self.failing:
            raise StorageUnavailable("database or disk is full")
        return self.storage.enter_sheet(entry, double=double)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.storage, name)


def test_a_sheet_the_database_did_not_take_is_said_not_saved_with_the_typing_kept(
    site: Path, storage: Storage, database: str, caplog: pytest.LogCaptureFixture
) -> None:
    failing = Failing(storage)
    with _alice_signed_in(database, site, failing) as alice:
        batch = _open_batch(alice)
        path = f"{AREA}/batches/{batch}/sheet"
        hidden = sheet_form_fields(alice.get(path).text)
        failing.failing = True
        lost = alice.post(path, [*hidden, *SHEET_ONE, ("_spoiled", "idee")])
        no_batch = alice.post(f"{AREA}/batches/new", new_batch_pairs(sheets="7"))
        failing.failing = False
        kept = alice.post(path, [*sheet_form_fields(lost.text), *SHEET_ONE])
    assert lost.status == 503 and lost.headers["retry-after"] == "60"
    assert "La feuille n\u2019a PAS été enregistrée" in lost.text
    assert 'value="Les Tilleuls"' in lost.text and re.search(r'value="idee" checked', lost.text)
    assert "<h1>La feuille n\u2019a pas été enregistrée</h1>" in lost.text
    assert 'name="_sheet" value="1"' in lost.text  # saved again, it is recognised
    assert no_batch.status == 503 and "Le lot n\u2019a pas été ouvert" in no_batch.text
    assert 'name="sheets_counted" value="7"' in no_batch.text
    assert kept.status == 303
    assert [sheet.number for sheet in storage.sheets(batch)] == [1]
    assert len(storage.batches()) == 1
    logged = [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]
    assert logged == [
        f"mediators' area: {AREA}/batches/{batch}/sheet NOT saved (503): database or disk is full",
        f"mediators' area: {AREA}/batches/new NOT saved (503): database or disk is full"]


class Slow:
    """A storage that takes its time to store a sheet, as a busy disk does."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def enter_sheet(self, entry: SheetEntry, *, double: bool) -> Any:
        time.sleep(0.5)
        return self.storage.enter_sheet(entry, double=double)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.storage, name)


def test_a_screen_posted_twice_at_once_stores_one_sheet(
    site: Path, storage: Storage, database: str
) -> None:
    """A double press of Save sends the screen twice before the first answer comes back."""
    with _alice_signed_in(database, site, Slow(storage)) as alice:
        batch = _open_batch(alice)
        path = f"{AREA}/batches/{batch}/sheet"
        pairs = [*sheet_form_fields(alice.get(path).text), *SHEET_ONE]
        with ThreadPoolExecutor(max_workers=2) as pool:
            replies = list(pool.map(lambda _: alice.post(path, pairs), range(2)))
    assert [reply.status for reply in replies] == [303, 303]
    assert replies[0].headers["location"] == replies[1].headers["location"]
    assert [sheet.number for sheet in storage.sheets(batch)] == [1]


def test_a_typing_saved_again_is_recognised_when_another_took_its_number(
    site: Path, storage: Storage, database: str
) -> None:
    """Single entry numbers one stack whoever types it: Alice's screen shows sheet 1, Bob
    saves first and his typing is sheet 1, Alice's becomes sheet 2 and its 303 is lost; Save
    again sends the same screen: it is found as sheet 2, not stored a third time."""
    alice_code = add_mediator(database, "Alice")
    bob_code = add_mediator(database, "Bob")
    with collector_in_process(site, storage) as up:
        alice, bob = MediatorSession(up), MediatorSession(up)
        alice.sign_in(alice_code)
        bob.sign_in(bob_code)
        batch = _open_batch(alice)
        path = f"{AREA}/batches/{batch}/sheet"
        alices = [*sheet_form_fields(alice.get(path).text), *SHEET_ONE]
        assert _sheet(bob, batch, [("frequence", "mois")])[0].status == 303
        first = alice.post(path, alices)
        again = alice.post(path, alices)
        other = alice.post(path, [*alices[:3], ("frequence", "jour")])  # another sheet, same screen
    sheets = storage.sheets(batch)
    assert [(sheet.number, sheet.entries[0].entered_by) for sheet in sheets] == [
        (1, "Bob"), (2, "Alice"), (3, "Alice")]
    assert first.headers["location"] == again.headers["location"] == (
        f"{path}?saved={sheets[1].receipt}")
    assert other.headers["location"] == f"{path}?saved={sheets[2].receipt}"


class Down:
    """A storage whose batch reads and writes fail, as during a database outage (sessions
    still found: the area's own door is not what this tests)."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.down = False

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.storage, name)
        if name not in ("batch", "batches", "sheets", "enter_sheet", "create_batch"):
            return method

        def failing(*args: Any, **kwargs: Any) -> Any:
            if self.down:
                raise StorageUnavailable("could not connect to server")
            return method(*args, **kwargs)
        return failing


def test_during_an_outage_pages_say_so_and_a_typing_is_kept(
    site: Path, storage: Storage, database: str, caplog: pytest.LogCaptureFixture
) -> None:
    failing = Down(storage)
    with _alice_signed_in(database, site, failing) as alice:
        batch = _open_batch(alice)
        path = f"{AREA}/batches/{batch}/sheet"
        hidden = sheet_form_fields(alice.get(path).text)
        failing.down = True
        home = alice.get(f"{AREA}/")
        screen = alice.get(path)
        lost = alice.post(path, [*hidden, *SHEET_ONE, ("_spoiled", "idee")])
        failing.down = False
        kept = alice.post(path, [*sheet_form_fields(lost.text), *SHEET_ONE, ("_spoiled", "idee")])
    for reply in (home, screen, lost):
        assert (reply.status, reply.headers.get("retry-after")) == (503, "60"), reply.text
    assert "<h1>Service momentanément indisponible</h1>" in home.text
    assert "<h1>Service momentanément indisponible</h1>" in screen.text
    assert "La feuille n\u2019a PAS été enregistrée" in lost.text
    assert 'value="Les Tilleuls"' in lost.text and re.search(r'value="idee" checked', lost.text)
    assert "Session ouverte : Alice." in _text(lost.text)
    assert kept.status == 303 and len(storage.sheets(batch)) == 1
    logged = [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]
    assert logged == [
        f"GET {AREA}/: the database could not be used, answered 503: could not connect to server",
        f"GET {path}: the database could not be used, answered 503: could not connect to server",
        f"mediators' area: {path} NOT saved (503): could not connect to server"]


def test_the_expiry_and_fingerprint_of_a_sheet_follow_online_answers(
    site: Path, storage: Storage, database: str
) -> None:
    with _alice_signed_in(database, site, storage) as alice:
        batch = _open_batch(alice)
        _sheet(alice, batch, SHEET_ONE)
    [answer] = storage.answers("avis-place")
    manifest = read_manifest(site / "forms" / "avis-place.json")
    deletion = date(2027, 2, 28).toordinal() + manifest.retention_days
    assert answer.expires_at == datetime.combine(date.fromordinal(deletion),
                                                 datetime.min.time(), UTC)
    assert answer.received_at == NOON
