"""Double entry with two real Chromium sessions (issue #15, section 7): two mediators, each in
their own browser context (own cookies, as two tablets), sign in and type the same stack of two
paper sheets with the keyboard on the entry screen, JavaScript off. They agree on the first
sheet and differ on one question of the second; the coordinator sees the difference on the
sheet's page, keeps one typing's value, and closes the batch, which then counts both sheets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from site_builder.storage import open_storage
from site_builder.storage.receipts import format_receipt
from tests.batch_support import add_mediator
from tests.collector_browser_support import (
    Browsing,
    Site,
    fill_the_form,
    receipt_code,
    send,
    site_and_collector,
)
from tests.entry_browser_support import sign_in
from tests.review_support import AREA, FORM, double_entry_site, open_batch

pytestmark = pytest.mark.browser


@pytest.fixture
def site(example_site: Path, tmp_path: Path) -> Iterator[Site]:
    site_dir = double_entry_site(example_site, tmp_path / "site")
    database = f"sqlite:///{tmp_path / 'answers.db'}"
    with site_and_collector(site_dir, database, tmp_path) as running:
        yield running


@pytest.fixture
def browsing(browser: Browser) -> Iterator[Browsing]:
    browsing = Browsing(browser)
    yield browsing
    browsing.close()


def type_sheet(page: Page, site: Site, batch_id: int, *, frequence_steps: int,
               quartier: str) -> str:
    """Type one sheet on the entry screen with the keyboard: the first question has focus
    when the screen opens; the arrow keys choose among its options; the district is typed,
    then Enter saves. Returns the status line the screen comes back with."""
    page.goto(f"{site.url}{AREA}/batches/{batch_id}/sheet")
    assert page.evaluate("document.activeElement.name") == "frequence"
    for _ in range(frequence_steps):
        page.keyboard.press("ArrowDown")
    page.get_by_label(re.compile("^Dans quel quartier")).press_sequentially(quartier)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "saved=" in page.url, page.url
    return page.get_by_role("status").inner_text()


def test_two_mediators_type_a_stack_twice_and_the_coordinator_settles_it(
    site: Site, browsing: Browsing
) -> None:
    awa_code = add_mediator(site.database_url, "Awa", coordinator=True)
    bruno_code = add_mediator(site.database_url, "Bruno")
    batch = open_batch(site.database_url, 2, place="Centre social des Tilleuls")
    awa, bruno = browsing.page(), browsing.page()
    sign_in(awa, site, awa_code)
    sign_in(bruno, site, bruno_code)

    type_sheet(awa, site, batch.id, frequence_steps=1, quartier="Les Tilleuls")
    type_sheet(bruno, site, batch.id, frequence_steps=1, quartier="Les Tilleuls")
    type_sheet(awa, site, batch.id, frequence_steps=1, quartier="La Gare")
    # Bruno reads "Chaque mois" where Awa read "Chaque semaine"
    type_sheet(bruno, site, batch.id, frequence_steps=2, quartier="La Gare")

    storage = open_storage(site.database_url)
    try:
        sheets = storage.sheets(batch.id)
    finally:
        storage.close()
    assert [sheet.state for sheet in sheets] == ["counted", "differs"]
    differing = sheets[1]

    awa.goto(f"{site.url}{AREA}/batches/{batch.id}")
    expect(awa.get_by_role("main")).to_contain_text("Saisies différentes")
    with awa.expect_navigation():
        awa.get_by_role("link", name=format_receipt(differing.receipt)).click()
    table = awa.get_by_role("table", name="Les saisies ne correspondent pas")
    expect(table.get_by_role("row", name=re.compile(
        "^À quelle fréquence.* Chaque semaine Chaque mois À trancher$"))).to_be_visible()
    for width in (320, 1280):  # a phone, a desktop: the table fits, the page never scrolls sideways
        awa.set_viewport_size({"width": width, "height": 800})
        assert awa.evaluate("document.documentElement.scrollWidth") <= width
    awa.get_by_label("Saisie A (Awa)\u00a0: Chaque semaine").check()
    with awa.expect_navigation():
        awa.get_by_role("button", name="Garder ces valeurs").click()
    expect(awa.get_by_role("status")).to_have_text(
        "Les valeurs choisies sont enregistrées. La feuille compte.")

    awa.goto(f"{site.url}{AREA}/batches/{batch.id}")
    with awa.expect_navigation():
        awa.get_by_role("button", name="Fermer le lot").click()
    expect(awa.get_by_role("status")).to_have_text("Le lot est fermé.")
    assert not browsing.leaving

    storage = open_storage(site.database_url)
    try:
        closed = storage.batch(batch.id)
        counted = [answer for answer in storage.answers(FORM) if answer.batch_id == batch.id]
    finally:
        storage.close()
    assert closed is not None and closed.closed_by == "Awa"
    assert [(answer.sheet, answer.values["frequence"], answer.values["quartier"], answer.channel)
            for answer in counted] == [(1, ["semaine"], ["Les Tilleuls"], "paper"),
                                       (2, ["semaine"], ["La Gare"], "paper")]


def test_a_mediator_records_an_assisted_answer_and_the_citizen_sees_the_receipt(
    site: Site, browsing: Browsing
) -> None:
    code = add_mediator(site.database_url, "Bruno")
    page = browsing.page()
    sign_in(page, site, code)
    with page.expect_navigation():
        page.get_by_role("link", name="Votre avis sur la place du Marché").click()
    expect(page.get_by_role("main")).to_contain_text(
        "Réponse accompagnée, enregistrée par Bruno.")
    fill_the_form(page, quartier="Centre")
    response = send(page)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Merci, votre réponse est enregistrée")
    receipt = receipt_code(page)
    expect(page.get_by_role("main")).to_contain_text(format_receipt(receipt))
    storage = open_storage(site.database_url)
    try:
        stored = storage.get(receipt)
    finally:
        storage.close()
    assert stored is not None
    assert (stored.channel, stored.entered_by, stored.values["quartier"]) == (
        "assisted", "Bruno", ["Centre"])
    assert not browsing.leaving
