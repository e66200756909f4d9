"""The moderation pages in a real Chromium, JavaScript off, 320 px wide, with the keyboard
alone: signing in, opening a form from the home, a mistake (focus on the error summary), a
verdict hiding words (focus on the heading, the status line read out), the next answer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from site_builder.storage.moderation import redacted
from tests.collector_browser_support import Browsing
from tests.collector_support import ADMIN_TOKEN, running_collector
from tests.entry_browser_support import focused, tab_to, wider_than_the_screen
from tests.moderation_support import (
    HOME,
    PAGE,
    moderation_site,
    quoted,
    send_answer,
    verdicts,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def browsing(browser: Browser) -> Iterator[Browsing]:
    browsing = Browsing(browser)
    yield browsing
    browsing.close()


def press_enter(page: Page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_an_organizer_moderates_with_the_keyboard_on_a_phone(browsing: Browsing,
                                                             tmp_path: Path) -> None:
    site = moderation_site(tmp_path / "consultation")
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    with running_collector(site, url, tmp_path) as up:
        send_answer(up, site, quoted("Des bancs. Demandez à Jean Dupont, au marché."))
        send_answer(up, site, quoted("Une fontaine."))
        page = browsing.page()
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(f"{up.url}{HOME}")
        tab_to(page, "#moderation-token")
        page.keyboard.type(ADMIN_TOKEN)
        page.keyboard.press("Tab")
        page.keyboard.type("Awa Diallo")
        press_enter(page)
        assert page.get_by_role("heading", level=1).inner_text() == "Modération des réponses"
        assert not wider_than_the_screen(page)
        tab_to(page, f'a[href="{PAGE}"]')
        press_enter(page)
        assert "Réponse 1 sur 2" in page.inner_text("main")
        assert not wider_than_the_screen(page)

        # Enter from the theme's box without a decision: the mistake, focused first
        tab_to(page, "#moderation-theme")
        page.keyboard.type("Bancs")
        press_enter(page)
        assert focused(page) == "moderation-errors"
        assert page.title().startswith("Erreur")
        assert page.input_value("#moderation-theme") == "Bancs"

        # the decision by arrow keys, the words to hide, their reason from the list
        tab_to(page, "#moderation-verdict-1")
        page.keyboard.press("ArrowDown")  # "Approuver en masquant des mots"
        tab_to(page, "#moderation-hide-1")
        page.keyboard.type("Jean Dupont")
        page.keyboard.press("Tab")
        page.keyboard.press("ArrowDown")  # "Données personnelles"
        tab_to(page, "#moderation-theme")
        press_enter(page)
        assert focused(page).startswith("h1:Modérer"), focused(page)
        status = " ".join(page.get_by_role("status").inner_text().split())
        assert status == "Réponse enregistrée : approuvée, des mots masqués."
        assert re.search(r"Réponse 2 sur 2\s+Quelle idée", page.inner_text("main"))
        assert not wider_than_the_screen(page)
    assert browsing.leaving == []
    (verdict,) = verdicts(url)
    assert (verdict.decided_by, verdict.outcome, verdict.theme) == ("Awa Diallo", "approved",
                                                                    "Bancs")
    assert redacted("Des bancs. Demandez à Jean Dupont, au marché.", verdict.redactions) == \
        "Des bancs. Demandez à […], au marché."
    assert [span.reason for span in verdict.redactions] == ["personal data"]
