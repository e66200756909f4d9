"""The citizen's first screen (issue #14): on a 360 x 640 phone, and at 320 px wide, every
page's ``<h1>`` and first words end above the fold, without JavaScript.

"First words" are the first paragraph, list item or FAQ question after the ``<h1>`` in
``<main>``; when they belong to a form, that form's first question (legend or label). Every
built page of the example and of each sample site is measured, the paper versions and the
low-data edition (whose first words are its table of contents) too.

Measured when the menu moved below the content (theme/partials/header.html): at 360 x 640 the
example's h1 ended at y ≤ 579 and its first paragraph at y ≤ 744 with the menu at the top (header
328 px), at y ≤ 351 and ≤ 516 after (header 100 px).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests import pa11y_support
from tests.support import serve_site

pytestmark = pytest.mark.browser

FOLD = 640
WIDTHS = (360, 320)

FIRST_SCREEN = """() => {
  const main = document.querySelector("main");
  const h1 = main && main.querySelector("h1");
  if (!h1) return null;
  const text = (el) => el.textContent.replace(/\\s+/g, " ").trim();
  const follows = (el) => h1.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING;
  let first = Array.from(main.querySelectorAll("p, li, dd, summary, legend, label"))
    .find((el) => follows(el) && !h1.contains(el) && text(el) && el.checkVisibility());
  let what = "first words";
  const form = first && first.closest(".p-form, form");
  const question = form && form.querySelector(".p-field__legend, .p-field__label");
  if (question) { first = question; what = "first question"; }
  const bottom = (el) => Math.round(el.getBoundingClientRect().bottom + window.scrollY);
  return {h1: bottom(h1), first: first ? bottom(first) : null, what,
          text: first ? text(first).slice(0, 40) : ""};
}"""


@pytest.fixture(scope="module", params=pa11y_support.site_params())
def site_dir(request: pytest.FixtureRequest) -> Path:
    return pa11y_support.built_site(request, request.param)


def below_the_fold(browser: Browser, site_dir: Path) -> list[str]:
    """One line for each page and width where the h1 or the first words end below the fold."""
    pages = pa11y_support.built_pages(site_dir)
    assert pages, f"no HTML page in {site_dir}"
    problems = []
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        with serve_site(site_dir) as base_url:
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": FOLD})
                for built in pages:
                    page.goto(built.url(base_url))
                    facts: dict[str, Any] | None = page.evaluate(FIRST_SCREEN)
                    where = f"{built.file} at {width} x {FOLD}"
                    if facts is None:
                        problems.append(f"{where}: no <h1> in <main>")
                    elif facts["first"] is None:
                        problems.append(f"{where}: no text after the <h1>")
                    elif max(facts["h1"], facts["first"]) > FOLD:
                        problems.append(f"{where}: h1 ends at y={facts['h1']}, {facts['what']} "
                                        f"({facts['text']!r}) at y={facts['first']}")
    finally:
        context.close()
    return problems


def test_the_title_and_first_words_are_on_the_first_screen(
    browser: Browser, site_dir: Path
) -> None:
    problems = below_the_fold(browser, site_dir)
    if problems:
        pytest.fail(f"past y={FOLD}:\n  " + "\n  ".join(problems), pytrace=False)


def test_the_measure_catches_a_page_whose_menu_pushes_the_text_down(
    browser: Browser, tmp_path: Path
) -> None:
    head = '<!doctype html><html lang="fr"><title>t</title><body style="margin:0">'
    pages = {
        "good.html": f"{head}<main><h1>Titre</h1><p>Le texte.</p></main>",
        "tall-menu.html": f'{head}<nav style="height:600px">Menu</nav>'
                          "<main><h1>Titre</h1><p>Le texte.</p></main>",
        "late-question.html": f'{head}<main><h1>Titre</h1><section class="p-form">'
                              '<p>Intro.</p><div style="height:700px"></div><form>'
                              '<label class="p-field__label">Votre nom</label></form>'
                              "</section></main>",
        "no-text.html": f"{head}<main><h1>Titre</h1></main>",
    }
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    problems = below_the_fold(browser, tmp_path)
    assert [line.split(":")[0] for line in problems] == [
        f"{name} at {width} x {FOLD}" for width in WIDTHS
        for name in ("late-question.html", "no-text.html", "tall-menu.html")
    ]
    assert "first question ('Votre nom') at y=" in problems[0]
