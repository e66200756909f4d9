"""The entry screen of a batch's sheets over HTTP (site_builder/collector/entry/batch_sheet.py).

- With a real ``parole collect`` (SQLite and PostgreSQL): sheets typed one after the other,
  their receipts and marks stored as paper answers of the batch, the status line after each
  save, the screen saying when every sheet is in, a screen posted again storing nothing twice.
- Closed, unknown, foreign and imported batches; what only a signed-in mediator with the CSRF
  token may do; posts the screen cannot send.
- Double entry's status lines, the batch pages in the form's language (English, Arabic), and a
  sheet's expiry and receipt time.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from site_builder.forms.manifest import read_manifest
from site_builder.i18n import Catalogue
from site_builder.storage import open_storage
from site_builder.storage.base import Storage
from site_builder.storage.entry import NewBatch
from site_builder.storage.receipts import format_receipt
from tests import batch_support
from tests.batch_support import (
    AREA,
    DAY,
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
    shown_sheet,
    site_with,
    status_line,
    type_on_screen,
)
from tests.collector_support import running_collector

# the fixtures every batch module shares (tests/batch_support.py): pytest finds them here
site, database, storage = batch_support.site, batch_support.database, batch_support.storage


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
        batch = post_new_batch(alice, sheets="3")
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
            lines.append(status_line(alice.follow(saved).text))
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
    assert "Feuilles saisies : 3 sur 3 comptées à la main." in main_text(done)
    assert f'href="{AREA}/"' in main_html(done)
    # Alice does not coordinate: she reads the batch's page, from her home or her last
    # sheet, and is told who acts on it
    assert f'href="{AREA}/batches/{batch}"' in main_html(done)
    assert f'href="{AREA}/batches/{batch}"' in main_html(home)
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
                           "courriel": "blank", "citation": "blank", "accord": "blank"}
    assert second.values == {"frequence": ["mois"]} and second.marks["ombre"] == "spoiled"
    assert third.values == {} and set(third.marks.values()) == {"blank"}


def test_closed_unknown_and_foreign_batches_take_no_sheet(
    site: Path, storage: Storage, database: str
) -> None:
    alice_code = add_mediator(database, "Alice")
    with collector_in_process(site, storage) as up:
        alice = MediatorSession(up)
        alice.sign_in(alice_code)
        batch = post_new_batch(alice, sheets="1")
        screen = alice.get(f"{AREA}/batches/{batch}/sheet").text
        type_on_screen(alice, batch, SHEET_ONE)
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
    assert f'href="{AREA}/batches/{batch}"' in main_html(closed_get.text)  # to read its sheets


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
        batch = post_new_batch(alice)
        saved, _ = type_on_screen(alice, batch, SHEET_ONE)
        theirs = bob.get(saved.headers["location"])
    assert refused.status == 409 and "Ce lot vient d\u2019un fichier" in refused.text
    assert f'href="{AREA}/batches/{imported.id}/sheet"' not in home
    assert theirs.status == 200 and 'role="status"' not in theirs.text
    assert "Vous saisissez la feuille 2 sur 3" in theirs.text  # one stack, numbered whoever types


def test_only_a_signed_in_mediator_with_the_token_opens_or_types(
    site: Path, storage: Storage, database: str
) -> None:
    with alice_signed_in(database, site, storage) as alice:
        batch = post_new_batch(alice)
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
    with alice_signed_in(database, site, storage) as alice:
        batch = post_new_batch(alice)
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


@pytest.mark.parametrize("case", [
    ("en", "Sheet 1 of 3 saved, answer code {code}: write it on the sheet."),
    ("ar", "\u062d\u064f\u0641\u0638\u062a \u0627\u0644\u0648\u0631\u0642\u0629 1 \u0645\u0646 3"),
])
def test_the_batch_pages_speak_the_language_of_the_form(
    site: Path, tmp_path: Path, storage: Storage, database: str, case: tuple[str, str]
) -> None:
    language, saved = case
    area = "/collect/data-entry"  # every language but French
    translated = site_with(site, tmp_path / "site", language=language)
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
    assert status_line(after).startswith(saved.format(code=format_receipt(sheet.receipt)))



def test_the_expiry_and_fingerprint_of_a_sheet_follow_online_answers(
    site: Path, storage: Storage, database: str
) -> None:
    with alice_signed_in(database, site, storage) as alice:
        batch = post_new_batch(alice)
        type_on_screen(alice, batch, SHEET_ONE)
    [answer] = storage.answers("avis-place")
    manifest = read_manifest(site / "forms" / "avis-place.json")
    deletion = date(2027, 2, 28).toordinal() + manifest.retention_days
    assert answer.expires_at == datetime.combine(date.fromordinal(deletion),
                                                 datetime.min.time(), UTC)
    assert answer.received_at == NOON


# --- double entry --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def double_site(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site with ``paper_entry: {double: true}`` in its manifest."""
    return site_with(site, tmp_path_factory.mktemp("double") / "site", double_entry=True)


def test_double_entry_says_what_each_typing_did(
    double_site: Path, storage: Storage, database: str
) -> None:
    alice_code = add_mediator(database, "Alice")
    bob_code = add_mediator(database, "Bob")
    with collector_in_process(double_site, storage) as up:
        alice, bob = MediatorSession(up), MediatorSession(up)
        alice.sign_in(alice_code)
        bob.sign_in(bob_code)
        batch = post_new_batch(alice, sheets="2")
        _, first = type_on_screen(alice, batch, SHEET_ONE)
        type_on_screen(alice, batch, [("frequence", "jour")])
        bob_screen = bob.get(f"{AREA}/batches/{batch}/sheet").text
        _, agrees = type_on_screen(bob, batch, SHEET_ONE)
        _, differs = type_on_screen(bob, batch, [("frequence", "mois")])
        home = bob.get(f"{AREA}/").text
    receipts = [sheet.receipt for sheet in storage.sheets(batch)]
    one, two = (format_receipt(receipt) for receipt in receipts)
    assert status_line(first.text) == (
        f"Feuille 1 sur 2 enregistrée, code de réponse {one} : écrivez-le sur la feuille. "
        "Elle comptera quand une autre personne l\u2019aura saisie à son tour.")
    assert "Seconde saisie : le code écrit sur cette feuille est" in main_text(bob_screen)
    assert '<strong dir="ltr">' + one.replace("-", "\u2011") + "</strong>" in bob_screen
    assert status_line(agrees.text) == (
        f"Feuille 1 sur 2, code {one} : votre saisie est identique à la première. "
        "La feuille compte.")
    assert status_line(differs.text).startswith(
        f"Feuille 2 sur 2, code {two} : votre saisie diffère de la première.")
    assert [sheet.state for sheet in storage.sheets(batch)] == ["counted", "differs"]
    assert ("Feuilles qui comptent : 1. En attente de la seconde saisie : 0. "
            "Saisies différentes : 1. À saisir de nouveau : 0.") in main_text(home)
    assert "État : toutes les feuilles sont saisies, mais certaines ne comptent pas" in main_text(
        home)
