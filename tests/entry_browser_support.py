"""What the mediators' browser tests share (the entry screen's, the review's, the assisted
form's, the data-entry form's and the paper guide's): moving with the keyboard in a real
Chromium page, reading its status line, and signing in to the mediators' area (with the
keyboard, then opening a batch; or by the code's label)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.batch_support import AREA
from tests.collector_browser_support import Site

SAVE = "#form-avis-place button[type=submit]"
"""The entry screen's "save the sheet" button (the example site's form)."""


def focused(page: Page) -> str:
    """What has focus: its id, else its tag and text."""
    described: str = page.evaluate(
        "() => { const e = document.activeElement;"
        " return e.id || `${e.tagName.toLowerCase()}:${e.textContent.trim()}`; }")
    return described


def tab_to(page: Page, selector: str, *, limit: int = 80) -> int:
    """Press Tab until the element ``selector`` has focus; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return presses
    raise AssertionError(f"{selector} never had focus after {limit} presses of Tab "
                         f"(ends on {focused(page)})")


def wider_than_the_screen(page: Page) -> bool:
    wider: bool = page.evaluate(
        "() => document.documentElement.scrollWidth > window.innerWidth")
    return wider


def status_line(page: Page) -> str:
    # the receipt's hyphen is one that never breaks the line
    return " ".join(page.locator('[role="status"]').inner_text().replace("\u2011", "-").split())


def sign_in_and_open_a_batch(page: Page, up: Site, code: str, sheets: int) -> None:
    """With the keyboard: the code, then a new batch of ``sheets`` sheets from the first
    drop-off place, collected today (the day already in the field)."""
    page.goto(up.url + AREA + "/")
    tab_to(page, "#entry-code")
    page.keyboard.type(code)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Saisie des réponses"
    assert not wider_than_the_screen(page)
    tab_to(page, f'a[href="{AREA}/batches/new"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert not wider_than_the_screen(page)
    tab_to(page, "#f-batch-place-1")
    page.keyboard.press("Space")
    tab_to(page, "#f-batch-sheets_counted")
    page.keyboard.type(str(sheets))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def sign_in(page: Page, site: Site, code: str) -> None:
    """The code typed into its field (found by its label), then Enter: signed in."""
    page.goto(f"{site.url}{AREA}/")
    page.get_by_label(re.compile("^Votre code personnel")).press_sequentially(code)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
