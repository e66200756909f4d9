"""A mediator types a stack of paper sheets in, in the real (system) Chromium with JavaScript
off, with the keyboard alone: Tab to move, Space to tick or choose, Enter to send, the letters
of what the sheet says. The example site and a real ``parole collect`` (SQLite) are behind one
origin, as nginx puts them (``front_server``), on a 10-inch tablet held upright and on a 320 px
phone.

After each save the screen comes back empty with its status line naming the sheet saved and
its receipt code, and focus on the first question, in view: nothing to click, nothing to scroll
back to. No page is wider than the screen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route

from site_builder.storage import open_storage
from site_builder.storage.receipts import format_receipt
from tests.batch_support import AREA, add_mediator
from tests.collector_browser_support import Site, site_and_collector
from tests.entry_browser_support import (
    SAVE,
    focused,
    sign_in_and_open_a_batch,
    status_line,
    tab_to,
    wider_than_the_screen,
)
from tests.test_browser import is_local

pytestmark = pytest.mark.browser

FIRST_QUESTION = "f-avis-place-frequence-1"
TABLET = {"width": 800, "height": 1280}
"""A 10-inch tablet held upright, in CSS pixels."""
PHONE = {"width": 320, "height": 640}


@pytest.fixture
def site(example_site: Path, tmp_path: Path) -> Iterator[tuple[Site, str]]:
    database = f"sqlite:///{tmp_path / 'answers.db'}"
    code = add_mediator(database, "Alice")
    with site_and_collector(example_site, database, tmp_path) as up:
        yield up, code


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def _page(browser: Browser, contexts: list[BrowserContext], viewport: dict[str, int]) -> Page:
    context = browser.new_context(java_script_enabled=False, viewport=viewport)  # type: ignore[arg-type]
    contexts.append(context)
    leaving: list[str] = []

    def route(request: Route) -> None:
        if is_local(request.request.url):
            request.continue_()
        else:
            leaving.append(request.request.url)
            request.abort("blockedbyclient")

    context.route("**/*", route)
    return context.new_page()


def in_view(page: Page, element_id: str) -> bool:
    inside: bool = page.evaluate(
        "(id) => { const box = document.getElementById(id).getBoundingClientRect();"
        " return box.top >= 0 && box.bottom <= window.innerHeight; }", element_id)
    return inside


SHEETS: list[tuple[list[tuple[str, str]], str, dict[str, list[str]], dict[str, str]]] = [
    # each sheet: what to do (Space on a box or radio, or text to type), how to send, and
    # what must be stored: values, and the marks that are not "blank"
    ([("#f-avis-place-frequence-1", " "), ("#f-avis-place-usages-1", " "),
      ("#f-avis-place-usages-5", " "), ("#f-avis-place-ombre-1", " "),
      ("#f-avis-place-idee", "Des bancs"), ("#f-avis-place-age", "42")],
     "Tab to Save, Enter",
     {"frequence": ["jour"], "usages": ["marche", "enfants"], "ombre": ["1"],
      "idee": ["Des bancs"], "age": ["42"]}, {}),
    ([("#f-avis-place-frequence-1", " "), ("#f-avis-place-ombre-spoiled", " "),
      ("#f-avis-place-quartier", "Nord")],
     "Enter in the last text",
     {"frequence": ["jour"], "quartier": ["Nord"]}, {"ombre": "spoiled"}),
    ([], "Tab to Save, Space", {}, {}),
]


@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["10-inch tablet", "320 px"])
def test_a_batch_is_typed_in_with_the_keyboard_alone(
    browser: Browser, contexts: list[BrowserContext], site: tuple[Site, str],
    viewport: dict[str, int],
) -> None:
    up, code = site
    page = _page(browser, contexts, viewport)
    sign_in_and_open_a_batch(page, up, code, len(SHEETS))
    assert re.search(rf"{AREA}/batches/\d+/sheet$", page.url), page.url
    lines = []
    for number, (actions, send, _, _) in enumerate(SHEETS, 1):
        heading = page.get_by_role("heading", level=1).inner_text()
        assert heading == f"Vous saisissez la feuille {number} sur {len(SHEETS)}"
        # the screen opens with focus on the first question, in view
        assert focused(page) == FIRST_QUESTION
        assert in_view(page, FIRST_QUESTION)
        assert not wider_than_the_screen(page)
        for index, (selector, typed) in enumerate(actions):
            if not (index == 0 and selector == f"#{FIRST_QUESTION}"):
                tab_to(page, selector)
            if typed == " ":
                page.keyboard.press("Space")
            else:
                page.keyboard.type(typed)
        with page.expect_navigation():
            if send == "Enter in the last text":
                page.keyboard.press("Enter")
            else:
                tab_to(page, SAVE)
                page.keyboard.press("Space" if send.endswith("Space") else "Enter")
        lines.append(status_line(page))
        if number < len(SHEETS):
            assert focused(page) == FIRST_QUESTION
            assert in_view(page, FIRST_QUESTION)

    assert page.get_by_role("heading", level=1).inner_text() == (
        "Toutes les feuilles de ce lot sont saisies")
    storage = open_storage(up.database_url)
    try:
        [progress] = storage.batches()
        sheets = storage.sheets(progress.batch.id)
        answers = {answer.receipt: answer for answer in storage.answers("avis-place")}
    finally:
        storage.close()
    assert lines == [f"Feuille {sheet.number} sur {len(SHEETS)} enregistrée, code de réponse "
                     f"{format_receipt(sheet.receipt)} : écrivez-le sur la feuille."
                     for sheet in sheets]
    assert progress.batch.place == "Hôtel de ville, à l\u2019accueil, 1 place de la Mairie"
    for sheet, (_, _, values, marks) in zip(sheets, SHEETS, strict=True):
        answer = answers[sheet.receipt]
        assert (answer.channel, answer.entered_by) == ("paper", "Alice")
        assert answer.values == values
        assert {name: mark for name, mark in answer.marks.items() if mark != "blank"} == marks
