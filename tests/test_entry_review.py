"""The review of batches and the assisted answers, over HTTP, against a real ``parole collect``
on both storage backends (issue #15, sections 2, 3 and 5): every action of ``entry.review`` on a
batch (its page, counting the stack again, closing it) and of ``entry.assisted``, and every
refusal (no session, not a coordinator, no CSRF token, closed batch, incomplete batch).

A sheet's review (differences, a third typing, corrections, deletion) is
test_entry_review_sheets.py's."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from tests import review_support
from tests.collector_support import ADMIN_TOKEN, RunningCollector, answer
from tests.review_support import (
    AREA,
    FORM,
    SHEET,
    MediatorSession,
    answer_of,
    batch_of,
    differing_sheet,
    open_batch,
    page_text,
    sheet_of,
    type_sheet,
)

# the fixtures both review modules share (tests/review_support.py): pytest finds them here
site, database, codes = review_support.site, review_support.database, review_support.codes
collector, awa = review_support.collector, review_support.awa
bruno, chloe = review_support.bruno, review_support.chloe


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
        # the mediator's page shows the form in its own language (issue #18)
        assert (kept.channel, kept.entered_by, kept.language) == ("assisted", "Bruno", "fr")
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
