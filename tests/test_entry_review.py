"""The review of batches and sheets and the assisted answers, over HTTP, against a real
``parole collect`` on both storage backends (issue #15, sections 2, 3 and 5): every action of
``entry.review``, ``entry.review_sheets`` and ``entry.assisted``, and every refusal (not a
coordinator, no CSRF token, closed batch, incomplete batch)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.storage import open_storage
from site_builder.storage.base import StoredAnswer
from site_builder.storage.entry import Batch, Sheet
from tests.batch_support import add_mediator
from tests.collector_support import (
    ADMIN_TOKEN,
    Reply,
    RunningCollector,
    answer,
    running_collector,
)
from tests.review_support import (
    AREA,
    FORM,
    MediatorSession,
    double_entry_site,
    open_batch,
    page_text,
    site_manifest,
    type_sheet,
)

SHEET = {"frequence": ["semaine"], "quartier": ["Les Tilleuls"]}
"""A paper sheet that answers two questions and leaves the others blank."""


@pytest.fixture(scope="module")
def site(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return double_entry_site(example_site, tmp_path_factory.mktemp("review") / "site")


@pytest.fixture(scope="module")
def database(module_storage_url: str) -> str:
    return module_storage_url


@pytest.fixture(scope="module")
def codes(database: str) -> dict[str, str]:
    """Awa coordinates; Bruno and Chloé type sheets in."""
    return {"Awa": add_mediator(database, "Awa", coordinator=True),
            "Bruno": add_mediator(database, "Bruno"),
            "Chloé": add_mediator(database, "Chloé")}


@pytest.fixture(scope="module")
def collector(site: Path, database: str, codes: dict[str, str],
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCollector]:
    with running_collector(site, database, tmp_path_factory.mktemp("logs"),
                           args=["--rate-limit", "0"]) as running:
        yield running


@pytest.fixture(scope="module")
def awa(collector: RunningCollector, codes: dict[str, str]) -> MediatorSession:
    return MediatorSession.sign_in(collector, codes["Awa"])


@pytest.fixture(scope="module")
def bruno(collector: RunningCollector, codes: dict[str, str]) -> MediatorSession:
    return MediatorSession.sign_in(collector, codes["Bruno"])


@pytest.fixture(scope="module")
def chloe(collector: RunningCollector, codes: dict[str, str]) -> MediatorSession:
    return MediatorSession.sign_in(collector, codes["Chloé"])


def batch_of(database: str, batch_id: int) -> Batch:
    storage = open_storage(database)
    try:
        found = storage.batch(batch_id)
        assert found is not None
        return found
    finally:
        storage.close()


def sheet_of(database: str, receipt: str) -> Sheet:
    storage = open_storage(database)
    try:
        found = storage.sheet(receipt)
        assert found is not None
        return found
    finally:
        storage.close()


def answer_of(database: str, receipt: str) -> StoredAnswer | None:
    storage = open_storage(database)
    try:
        return storage.get(receipt)
    finally:
        storage.close()


def differing_sheet(database: str, site: Path) -> Sheet:
    """A double-entry sheet whose two typings (Awa's, then Bruno's) differ on frequence."""
    batch = open_batch(database, 1)
    first = type_sheet(database, site, batch.id, "Awa", SHEET, double=True)
    assert first.sheet.state == "awaiting_second"
    second = type_sheet(database, site, batch.id, "Bruno",
                        {**SHEET, "frequence": ["mois"]}, double=True)
    assert second.sheet.state == "differs"
    return second.sheet


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


# --- the batch page ------------------------------------------------------------------------------

def test_the_batch_page_shows_counts_states_sheets_and_the_difference_in_words(
    database: str, site: Path, bruno: MediatorSession
) -> None:
    batch = open_batch(database, 3, place="Marché du samedi")
    typed = type_sheet(database, site, batch.id, "Awa", SHEET)
    reply = bruno.get(f"{AREA}/batches/{batch.id}")
    assert reply.status == 200, reply.text
    shown = page_text(reply)
    assert f"Lot n°\u00a0{batch.id}\u00a0: Marché du samedi" in shown
    assert "Feuilles comptées à la main 3" in shown
    assert "Feuilles saisies 1" in shown
    assert "Différence 2\u00a0feuilles manquantes" in shown
    assert f"1 {typed.sheet.receipt[:4]}-{typed.sheet.receipt[4:]} Comptée Awa" in shown
    # a mediator sees the batch, but not a coordinator's forms
    assert "Seule une personne qui coordonne" in shown
    assert f'action="{AREA}/batches/{batch.id}/close"' not in reply.text


def test_without_a_session_the_review_pages_send_to_sign_in(
    collector: RunningCollector, database: str, site: Path
) -> None:
    batch = open_batch(database, 1)
    receipt = type_sheet(database, site, batch.id, "Awa", SHEET).sheet.receipt
    for path in (f"{AREA}/batches/{batch.id}", f"{AREA}/sheets/{receipt}",
                 f"{AREA}/assisted/{FORM}"):
        reply = collector.request("GET", path)
        assert (reply.status, reply.headers.get("location")) == (303, f"{AREA}/"), path


def test_every_action_is_refused_to_a_mediator_who_does_not_coordinate(
    database: str, site: Path, bruno: MediatorSession
) -> None:
    sheet = differing_sheet(database, site)
    batch = f"{AREA}/batches/{sheet.batch_id}"
    for path in (f"{batch}/recount", f"{batch}/close"):
        assert bruno.post(path, [("sheets_counted", "5"), ("reason", "x")]).status == 403
    for action in ("resolve", "send-back", "correct", "delete"):
        reply = bruno.post(f"{AREA}/sheets/{sheet.receipt}/{action}",
                           [("confirm", "yes"), ("reason", "x")])
        assert reply.status == 403, action
        assert "Réservé à la coordination" in reply.text
    assert batch_of(database, sheet.batch_id).sheets_counted == 1
    assert sheet_of(database, sheet.receipt).state == "differs"


def test_a_post_without_its_csrf_token_changes_nothing(
    database: str, site: Path, awa: MediatorSession
) -> None:
    batch = open_batch(database, 1)
    type_sheet(database, site, batch.id, "Awa", SHEET)
    assert awa.post(f"{AREA}/batches/{batch.id}/close", [], csrf=False).status == 403
    assert batch_of(database, batch.id).closed_at is None


def test_a_coordinator_counts_a_stack_again_with_a_reason(
    database: str, awa: MediatorSession
) -> None:
    batch = open_batch(database, 3)
    path = f"{AREA}/batches/{batch.id}"
    awa.get(path)
    wrong = awa.post(f"{path}/recount", [("sheets_counted", "deux"), ("reason", "")])
    assert wrong.status == 400
    assert "Tapez le nombre de feuilles de la pile en chiffres" in page_text(wrong)
    assert "Écrivez pourquoi le compte change" in page_text(wrong)
    assert 'value="deux"' in wrong.text
    done = awa.post(f"{path}/recount", [("sheets_counted", "2"), ("reason", "pile recomptée")])
    assert (done.status, done.headers["location"]) == (303, f"{path}?done=recounted")
    assert batch_of(database, batch.id).sheets_counted == 2
    shown = page_text(awa.get(done.headers["location"]))
    assert "Le nouveau compte est enregistré." in shown
    assert "Compte à la main corrigé 3 → 2\u00a0feuilles pile recomptée" in shown


def test_a_batch_closes_only_when_complete_and_says_why_not(
    database: str, site: Path, awa: MediatorSession
) -> None:
    batch = open_batch(database, 3)
    receipt = type_sheet(database, site, batch.id, "Awa", SHEET).sheet.receipt
    path = f"{AREA}/batches/{batch.id}"
    missing = awa.post(f"{path}/close", [])
    assert missing.status == 409
    assert "Ce lot ne peut pas encore être fermé\u00a0: 2\u00a0feuilles manquantes" in (
        page_text(missing))
    awa.post(f"{path}/recount", [("sheets_counted", "0"), ("reason", "compte faux")])
    extra = awa.post(f"{path}/close", [])
    assert extra.status == 409
    assert "1 feuille de plus que le compte à la main" in page_text(extra)
    awa.post(f"{path}/recount", [("sheets_counted", "1"), ("reason", "bon compte")])
    closed = awa.post(f"{path}/close", [])
    assert (closed.status, closed.headers["location"]) == (303, f"{path}?done=closed")
    assert batch_of(database, batch.id).closed_by == "Awa"
    page = awa.get(closed.headers["location"])
    assert "Le lot est fermé." in page_text(page)
    assert f'action="{path}/close"' not in page.text
    # nothing changes in a closed batch any more
    assert awa.post(f"{path}/recount", [("sheets_counted", "2"), ("reason", "x")]).status == 409
    for action in ("correct", "delete"):
        refused = awa.post(f"{AREA}/sheets/{receipt}/{action}",
                           [("confirm", "yes"), ("reason", "x")])
        assert refused.status == 409, action
        assert "Le lot de cette feuille est fermé" in page_text(refused)
    assert answer_of(database, receipt) is not None


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


# --- assisted answers ----------------------------------------------------------------------------

def test_an_assisted_answer_is_checked_as_online_and_recorded_with_its_mediator(
    collector: RunningCollector, database: str, site: Path, bruno: MediatorSession
) -> None:
    path = f"{AREA}/assisted/{FORM}"
    form = bruno.get(path)
    assert form.status == 200
    assert "Réponse accompagnée, enregistrée par Bruno." in page_text(form)
    assert f'action="{path}"' in form.text
    pairs = answer(site, ("quartier", "Accompagnée"))
    mistake = bruno.post(path, answer(site, ("age", "deux cents")))
    assert mistake.status == 400
    assert "Réponse accompagnée, enregistrée par Bruno." in page_text(mistake)
    assert "p-error-summary" in mistake.text
    receipts = []
    for _ in range(2):  # two people giving the same answers: two answers
        stored = bruno.post(path, pairs)
        assert stored.status == 303, stored.text
        assert "parole_sent" not in stored.headers.get("set-cookie", "")
        found = re.fullmatch(r"/collect/([0-9A-Z]{8})/[A-Za-z0-9_-]{22}",
                             stored.headers["location"])
        assert found, stored.headers["location"]
        receipts.append(found.group(1))
        receipt_page = collector.request("GET", stored.headers["location"])
        assert "Merci, votre réponse est enregistrée" in receipt_page.text
    assert receipts[0] != receipts[1]
    for receipt in receipts:
        kept = answer_of(database, receipt)
        assert kept is not None
        assert (kept.channel, kept.entered_by) == ("assisted", "Bruno")
    export = collector.request("GET", f"/admin/export/{FORM}.csv",
                               headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    rows = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
    assisted = [row for row in rows
                if row["receipt"].replace("-", "") in receipts]
    assert [(row["channel"], row["entered_by"]) for row in assisted] == [("assisted", "Bruno")] * 2


def test_an_assisted_answer_needs_a_session_and_its_token(
    collector: RunningCollector, site: Path, bruno: MediatorSession, database: str
) -> None:
    path = f"{AREA}/assisted/{FORM}"
    pairs = answer(site, ("quartier", "Sans jeton"))
    bruno.get(path)
    assert bruno.post(path, pairs, csrf=False).status == 403
    anonymous = collector.post(pairs, path=path)
    assert (anonymous.status, anonymous.headers.get("location")) == (303, f"{AREA}/")
    assert bruno.get(f"{AREA}/assisted/no-such-form").status == 404


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
