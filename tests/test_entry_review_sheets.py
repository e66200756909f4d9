"""The review of a sheet over HTTP, against a real ``parole collect`` on both storage backends
(issue #15, sections 2 and 3): every action of ``entry.review_sheets``: a difference settled by
keeping one typing, a sheet sent back for a third typing (agreeing or matching neither), a
correction and a deletion with their reasons in the trail.

The review of batches and the assisted answers are test_entry_review.py's."""

from __future__ import annotations

import re
from pathlib import Path

from tests import review_support
from tests.collector_support import Reply
from tests.review_support import (
    AREA,
    FORM,
    SHEET,
    MediatorSession,
    answer_of,
    differing_sheet,
    open_batch,
    page_text,
    sheet_of,
    site_manifest,
    type_sheet,
)

# the fixtures both review modules share (tests/review_support.py): pytest finds them here
site, database, codes = review_support.site, review_support.database, review_support.codes
collector, awa = review_support.collector, review_support.awa
bruno, chloe = review_support.bruno, review_support.chloe


def entry_form(site: Path, values: dict[str, list[str]],
               spoiled: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The entry form's body: its hidden fields, the values typed, the spoiled boxes ticked."""
    manifest = site_manifest(site)
    pairs = [("_form", FORM), ("_version", manifest.version)]
    pairs += [(name, value) for name, given in values.items() for value in given]
    return pairs + [("_spoiled", name) for name in spoiled]


def home_batch_text(home: Reply, batch_id: int) -> str:
    """What the area's home says of one batch: the text of its item in the list."""
    found = re.search(rf"<li>\s*<h3>Lot n°\u00a0{batch_id}\u00a0:.*?</li>", home.text, re.DOTALL)
    assert found, f"batch {batch_id} is not on the home"
    return page_text(Reply(home.status, home.headers, found.group(0).encode("utf-8")))


# --- double entry ------------------------------------------------------------------------------

def test_a_coordinator_keeps_one_typing_for_each_difference(
    database: str, site: Path, awa: MediatorSession, bruno: MediatorSession
) -> None:
    sheet = differing_sheet(database, site)
    path = f"{AREA}/sheets/{sheet.receipt}"
    seen = bruno.get(path)
    assert "Saisie A (Awa)" in page_text(seen) and "Saisie B (Bruno)" in page_text(seen)
    assert f'action="{path}/resolve"' not in seen.text
    page = awa.get(path)
    shown = page_text(page)
    assert "Les saisies ne correspondent pas" in shown
    assert "Chaque semaine Chaque mois À trancher" in shown
    assert "Les Tilleuls Les Tilleuls —" in shown
    unchosen = awa.post(f"{path}/resolve", [("reason", "")])
    assert unchosen.status == 400
    assert "Choisissez la saisie à garder pour «\u00a0À quelle fréquence" in page_text(unchosen)
    assert 'href="#keep-frequence-1"' in unchosen.text
    brunos = next(entry for entry in sheet.entries if entry.entered_by == "Bruno")
    done = awa.post(f"{path}/resolve", [("keep-frequence", str(brunos.id)),
                                        ("reason", "lu sur la feuille")])
    assert (done.status, done.headers["location"]) == (303, f"{path}?done=resolved")
    assert sheet_of(database, sheet.receipt).state == "counted"
    stored = answer_of(database, sheet.receipt)
    assert stored is not None and not stored.pending
    assert stored.values == {"frequence": ["mois"], "quartier": ["Les Tilleuls"]}
    after = page_text(awa.get(done.headers["location"]))
    assert "Les valeurs choisies sont enregistrées. La feuille compte." in after
    assert "Différence tranchée" in after and "lu sur la feuille" in after
    batch = f"{AREA}/batches/{sheet.batch_id}"
    assert awa.post(f"{batch}/close", []).status == 303


def test_a_sheet_sent_back_counts_when_a_third_typing_agrees(
    database: str, site: Path, awa: MediatorSession, chloe: MediatorSession
) -> None:
    sheet = differing_sheet(database, site)
    path = f"{AREA}/sheets/{sheet.receipt}"
    awa.get(path)
    sent = awa.post(f"{path}/send-back", [("reason", "illisible de loin")])
    assert (sent.status, sent.headers["location"]) == (303, f"{path}?done=sent_back")
    assert sheet_of(database, sheet.receipt).state == "awaiting_third"
    # Chloé does not coordinate: her home leads her to the batch, which leads her to the
    # sheet's third typing; no address to type
    batch = f"{AREA}/batches/{sheet.batch_id}"
    home = chloe.get(f"{AREA}/")
    assert f'href="{batch}"' in home.text
    assert "À saisir de nouveau\u00a0: 1." in home_batch_text(home, sheet.batch_id)
    batch_page = chloe.get(batch)
    again_link = (f'<a href="{path}/again">'
                  f"Faire la troisième saisie de la feuille {sheet.number}</a>")
    assert batch_page.status == 200 and again_link in batch_page.text
    assert f'href="{path}/again"' in chloe.get(path).text
    form = chloe.get(f"{path}/again")
    assert form.status == 200 and "autofocus" in form.text
    assert f'action="{path}/again"' in form.text
    mistake = chloe.post(f"{path}/again", entry_form(site, {**SHEET, "age": ["quarante"]}))
    assert mistake.status == 400 and 'value="quarante"' in mistake.text
    typed = chloe.post(f"{path}/again", entry_form(site, SHEET))
    assert (typed.status, typed.headers["location"]) == (303, f"{path}?done=counted")
    assert sheet_of(database, sheet.receipt).state == "counted"
    assert chloe.post(f"{path}/again", entry_form(site, SHEET)).status == 409


def test_a_coordinator_corrects_a_sheet_and_the_trail_keeps_the_old_values(
    database: str, site: Path, awa: MediatorSession
) -> None:
    batch = open_batch(database, 1)
    receipt = type_sheet(database, site, batch.id, "Bruno", SHEET).sheet.receipt
    path = f"{AREA}/sheets/{receipt}"
    page = awa.get(path)
    assert f'action="{path}/correct"' in page.text and 'value="Les Tilleuls"' in page.text
    corrected = {**SHEET, "quartier": ["La Gare"]}
    unexplained = awa.post(f"{path}/correct", entry_form(site, corrected, ("idee",)))
    assert unexplained.status == 400
    assert "Écrivez pourquoi vous corrigez cette feuille" in page_text(unexplained)
    assert 'value="La Gare"' in unexplained.text
    done = awa.post(f"{path}/correct", [*entry_form(site, corrected, ("idee",)),
                                        ("reason", "erreur de frappe")])
    assert (done.status, done.headers["location"]) == (303, f"{path}?done=corrected")
    stored = answer_of(database, receipt)
    assert stored is not None and stored.values["quartier"] == ["La Gare"]
    assert stored.marks["idee"] == "spoiled"
    shown = page_text(awa.get(done.headers["location"]))
    assert "La correction est enregistrée." in shown
    assert re.search(r"«\u00a0Dans quel quartier[^»]*»\u00a0: Les Tilleuls → La Gare", shown), shown
    assert "illisible ou nul" in shown and "erreur de frappe" in shown


def test_a_coordinator_deletes_a_sheet_once_confirmed_with_a_reason(
    database: str, site: Path, awa: MediatorSession
) -> None:
    batch = open_batch(database, 1)
    receipt = type_sheet(database, site, batch.id, "Bruno", SHEET).sheet.receipt
    path = f"{AREA}/sheets/{receipt}"
    awa.get(path)
    unconfirmed = awa.post(f"{path}/delete", [("reason", "saisie en double")])
    assert unconfirmed.status == 400
    assert "Cochez la case pour confirmer la suppression." in page_text(unconfirmed)
    assert answer_of(database, receipt) is not None
    done = awa.post(f"{path}/delete", [("confirm", "yes"), ("reason", "saisie en double")])
    batch_path = f"{AREA}/batches/{batch.id}"
    assert (done.status, done.headers["location"]) == (303, f"{batch_path}?done=deleted")
    assert answer_of(database, receipt) is None
    assert awa.get(path).status == 404
    shown = page_text(awa.get(done.headers["location"]))
    assert "La feuille est supprimée." in shown
    assert "Feuille supprimée" in shown and "saisie en double" in shown


def test_a_third_typing_that_matches_neither_is_settled_among_all_three(
    database: str, site: Path, awa: MediatorSession, chloe: MediatorSession
) -> None:
    sheet = differing_sheet(database, site)
    path = f"{AREA}/sheets/{sheet.receipt}"
    awa.get(path)
    assert awa.post(f"{path}/send-back", []).status == 303
    chloe.get(f"{path}/again")
    typed = chloe.post(f"{path}/again", entry_form(site, {**SHEET, "frequence": ["jour"]}))
    assert (typed.status, typed.headers["location"]) == (303, f"{path}?done=differs")
    page = page_text(awa.get(typed.headers["location"]))
    assert "ne correspond à aucune saisie précédente" in page
    assert "Saisie A (Awa, mise de côté)" in page and "Saisie C (Chloé)" in page
    assert "Chaque semaine Chaque mois Tous les jours À trancher" in page
    chloes = next(entry for entry in sheet_of(database, sheet.receipt).entries
                  if entry.entered_by == "Chloé")
    done = awa.post(f"{path}/resolve", [("keep-frequence", str(chloes.id))])
    assert done.status == 303
    stored = answer_of(database, sheet.receipt)
    assert stored is not None and stored.values["frequence"] == ["jour"] and not stored.pending


def test_the_third_typing_form_of_a_sheet_that_waits_for_none_leads_to_the_sheet(
    database: str, site: Path, chloe: MediatorSession
) -> None:
    batch = open_batch(database, 1)
    receipt = type_sheet(database, site, batch.id, "Awa", SHEET).sheet.receipt
    reply = chloe.get(f"{AREA}/sheets/{receipt}/again")
    assert (reply.status, reply.headers["location"]) == (303, f"{AREA}/sheets/{receipt}")
