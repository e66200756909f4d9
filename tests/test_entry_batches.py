"""Opening a batch of paper sheets in the mediators' area (site_builder/collector/entry/
batches.py and its batch_* modules), and the golden pages of the area.

- Golden HTML of the home, the batch form (fresh and with errors) and the entry screen (fresh,
  with errors, after a save), from a collector in this process on fixed days.
- The batch form's rules (form, place, day collected, hand count), drop-off places, the days a
  form takes batches, a closed consultation's late sheets, and the next sheet to type.

The entry screen over HTTP is test_entry_batches_sheets.py's; a database that does not take a
sheet, test_entry_batches_failures.py's.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest

from site_builder.collector.entry.batch_common import dropoff_places, next_sheet, takes_batches
from site_builder.collector.entry.batch_new import read_day
from site_builder.collector.settings import Collector, Settings
from site_builder.forms.manifest import read_manifest
from site_builder.storage import open_storage
from site_builder.storage.base import Storage
from site_builder.storage.entry import Batch, Sheet, StoredEntry
from site_builder.storage.receipts import format_receipt
from tests import batch_support
from tests.batch_support import (
    AREA,
    DAY,
    MEDIATHEQUE,
    NOON,
    SHEET_ONE,
    MediatorSession,
    add_mediator,
    alice_signed_in,
    collector_in_process,
    main_html,
    main_text,
    new_batch_pairs,
    post_new_batch,
    sheet_form_fields,
    site_with,
    status_line,
    type_on_screen,
)
from tests.support import assert_golden

# the fixtures every batch module shares (tests/batch_support.py): pytest finds them here
site, database, storage = batch_support.site, batch_support.database, batch_support.storage
THEME_STYLE = re.compile(r"<style>\s*/\* parole\..*?</style>", re.DOTALL)
CSRF_VALUE = re.compile(r'(name="_csrf" value=")[^"]+"')
TYPING_VALUE = re.compile(r'(name="_typing" value=")[^"]+"')


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
            batch = post_new_batch(alice)
            path = f"{AREA}/batches/{batch}/sheet"
            fresh = alice.get(path)
            pages["entry-sheet.html"] = fresh.text
            slips = alice.post(path, [*sheet_form_fields(fresh.text), *SHEET_ONE[:4],
                                      ("age", "quarante-deux"), ("idee", "Des bancs"),
                                      ("_spoiled", "idee")])
            assert slips.status == 400
            pages["entry-sheet-errors.html"] = slips.text
            _, after = type_on_screen(alice, batch, SHEET_ONE)
            pages["entry-sheet-saved.html"] = after.text

            chloe = MediatorSession(up)
            chloe.sign_in(chloe_code)
            small = post_new_batch(chloe, place="_other", other="Marché de Noël", sheets="1")
            type_on_screen(chloe, small, [("frequence", "jour")])
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
    text = main_text(golden_pages["entry-home.html"])
    assert "Session ouverte : Chloé." in text and "Se déconnecter" in text
    open_part, closed_part = text.split("Lots fermés")
    assert "Lot n° 1 : Votre avis sur la place du Marché, Médiathèque" in open_part
    assert "Feuilles saisies : 1 sur 3 comptées à la main." in open_part
    assert "État : saisie en cours." in open_part
    assert "Lot n° 2 : Votre avis sur la place du Marché, Marché de Noël" in closed_part
    assert "État : fermé le dimanche 10 janvier 2027." in closed_part
    main = main_html(golden_pages["entry-home.html"])
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
    assert "Lot n° 1 : Votre avis sur la place du Marché. Lieu : Médiathèque" in main_text(fresh)
    assert fresh.count("autofocus") == 1
    assert re.search(r'id="f-avis-place-frequence-1"[^>]*autofocus', fresh)
    assert 'role="status"' not in fresh
    saved = golden_pages["entry-sheet-saved.html"]
    assert "<h1>Vous saisissez la feuille 2 sur 3</h1>" in saved
    assert status_line(saved) == ("Feuille 1 sur 3 enregistrée, code de réponse CODE-0001 : "
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
    assert 'name="language"' not in fresh  # a form in one language: no language to choose
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
    with alice_signed_in(database, site, storage) as alice:
        reply = alice.post(f"{AREA}/batches/new", pairs)
    assert reply.status == 400
    error = re.search(rf'id="f-batch-{field}-error">(.*?)</p>', reply.text, re.DOTALL)
    assert error, f"no error at {field}"
    assert message in " ".join(error.group(1).replace("\u202f", " ").split())
    assert storage.batches() == []


def test_a_batch_is_stored_as_typed_and_a_place_may_be_typed(
    site: Path, storage: Storage, database: str
) -> None:
    with alice_signed_in(database, site, storage) as alice:
        first = post_new_batch(alice, day="2027-01-09", sheets="1 200")
        second = post_new_batch(alice, place="_other", other="  Gymnase Jean-Moulin ")
        third = post_new_batch(alice, place="", other="Bus de la consultation")
        odd = alice.post(f"{AREA}/batches/new", [*new_batch_pairs(), ("extra", "1")])
    batches = {one.batch.id: one.batch for one in storage.batches()}
    assert (batches[first].place, batches[first].collected_on, batches[first].sheets_counted,
            batches[first].created_by) == (MEDIATHEQUE, date(2027, 1, 9), 1200, "Alice")
    # a form in one language: the page asks none, the batch is in the form's own (issue #18)
    assert {batch.language for batch in batches.values()} == {"fr"}
    assert batches[second].place == "Gymnase Jean-Moulin"
    assert batches[third].place == "Bus de la consultation"
    assert odd.status == 400 and len(batches) == 3


def test_a_closed_consultation_takes_its_late_sheets_collected_by_its_last_day(
    site: Path, storage: Storage, database: str
) -> None:
    """Ballot boxes are emptied on the last day and typed in during the days after."""
    with alice_signed_in(database, site, storage, today=date(2027, 3, 5)) as alice:
        form = alice.get(f"{AREA}/batches/new").text
        assert "Votre avis sur la place du Marché (fermé le dimanche 28 février 2027)" in main_text(
            form)
        late = alice.post(f"{AREA}/batches/new", new_batch_pairs(day="01/03/2027"))
        assert late.status == 400
        assert "Les feuilles collectées après le dimanche 28 février 2027" in main_text(late.text)
        batch = post_new_batch(alice, day="28/02/2027", sheets="1")
        saved, after = type_on_screen(alice, batch, SHEET_ONE)
        home = alice.get(f"{AREA}/").text
    assert saved.status == 303 and "Toutes les feuilles de ce lot sont saisies" in after.text
    assert "Aider quelqu\u2019un à répondre en ligne" not in home  # nobody answers a closed form
    [answer] = storage.answers("avis-place")
    assert (answer.channel, answer.batch_id) == ("paper", batch)


@pytest.fixture(scope="module")
def no_dropoff_site(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site without drop-off places (no ``paper_dropoff``)."""
    return site_with(site, tmp_path_factory.mktemp("no-dropoff") / "site", paper_dropoff=[])



def test_without_drop_off_places_the_place_is_typed(
    no_dropoff_site: Path, storage: Storage, database: str
) -> None:
    with alice_signed_in(database, no_dropoff_site, storage) as alice:
        home = main_text(alice.pages[-1].text)
        form = alice.get(f"{AREA}/batches/new").text
        missing = alice.post(f"{AREA}/batches/new", new_batch_pairs(place=""))
        batch = post_new_batch(alice, place="", other="Salle des fêtes")
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
    with alice_signed_in(database, site, storage, today=date(2027, 1, 3)) as alice:
        form = alice.get(f"{AREA}/batches/new")
        sent = alice.post(f"{AREA}/batches/new", new_batch_pairs(day="03/01/2027"))
    assert form.status == 200
    assert "Aucun questionnaire ne prend de feuilles papier aujourd\u2019hui." in form.text
    assert "<form" not in main_html(form.text).split("</div>", 1)[1]  # only the sign-out form
    assert sent.status == 400 and storage.batches() == []
