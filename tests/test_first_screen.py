"""The citizen's first screen (issue #14): on a 360 x 640 phone, and at 320 px wide, every
page's ``<h1>``, its first words and, on a page holding a form (``.p-form``), that form's first
question (legend or label) end above the fold, without JavaScript.

"First words" are the first paragraph, list item, FAQ question, legend or label after the
``<h1>`` in ``<main>``. Every built page of the example and of each sample site is measured, the
paper versions and the low-data edition (whose first words are its table of contents) too;
tests/test_cli_new.py measures the same way the drafts of ``parole new``, filled in, in fr, en, ar.

Measured on the example, lowest bottom edge over its pages (y in CSS pixels, Chromium with this
machine's fonts; the low-data edition, with its own stylesheet, left out):

                                       360 x 640                 320 x 640
                                  h1   words  question      h1   words  question
  menu at the top                 579   744      -          667   860      -
  menu after the content (F)      351   516     932         423   615     989
  a phone's rhythm (F2)           261   406     587         305   455     614

The form page (donner-mon-avis/) was the last to fail: its first paragraph was up, but the form's
first question ended at y = 932 (360 px) and 989 (320 px). Below 30em (theme/assets/parole.css)
the breadcrumb leaves out its last crumb, the page itself, which the h1 just below repeats (one
44 px row instead of two when the trail wrapped); headings and the site's name are a step
smaller; lines are 1.5 apart instead of 1.6 and paragraphs .75em. The example's page now says in
one sentence what the form's intro does not (two paragraphs of 9 lines at 360 px became 2 lines;
the paper link already sits under the form's title).
"""

from __future__ import annotations

import re
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
  const first = Array.from(main.querySelectorAll("p, li, dd, summary, legend, label"))
    .find((el) => follows(el) && !h1.contains(el) && text(el) && el.checkVisibility());
  const form = main.querySelector(".p-form");
  const question = form && form.querySelector(".p-field__legend, .p-field__label");
  const bottom = (el) => Math.round(el.getBoundingClientRect().bottom + window.scrollY);
  const ends = (what, el) => ({what, y: bottom(el), text: text(el).slice(0, 40)});
  return {h1: bottom(h1), first: first ? ends("first words", first) : null,
          question: question ? ends("first question", question) : null};
}"""


@pytest.fixture(scope="module", params=pa11y_support.site_params())
def site_dir(request: pytest.FixtureRequest) -> Path:
    return pa11y_support.built_site(request, request.param)


def what_ends_late(facts: dict[str, Any] | None) -> str | None:
    """What of one measured page ends below the fold, said in words; None when nothing does."""
    if facts is None:
        return "no <h1> in <main>"
    if facts["first"] is None:
        return "no text after the <h1>"
    ends = [("h1", facts["h1"], "")] + [
        (end["what"], end["y"], f" ({end['text']!r})")
        for end in (facts["first"], facts["question"]) if end]
    late = [f"{what}{text} ends at y={y}" for what, y, text in ends if y > FOLD]
    return ", ".join(late) or None


def below_the_fold(browser: Browser, site_dir: Path) -> list[str]:
    """One line for each page and width where the h1, the first words or the first question of
    the page's form end below the fold."""
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
                    if late := what_ends_late(page.evaluate(FIRST_SCREEN)):
                        problems.append(f"{built.file} at {width} x {FOLD}: {late}")
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
    question = '<fieldset><legend class="p-field__legend">Votre avis</legend></fieldset>'
    pages = {
        "good.html": f"{head}<main><h1>Titre</h1><p>Le texte.</p></main>",
        "good-form.html": f'{head}<main><h1>Titre</h1><p>Le texte.</p><section class="p-form">'
                          f"<form>{question}</form></section></main>",
        "tall-menu.html": f'{head}<nav style="height:600px">Menu</nav>'
                          "<main><h1>Titre</h1><p>Le texte.</p></main>",
        # The example's form page as it was: its first words are up, its form far below.
        "late-form.html": f'{head}<main><h1>Titre</h1><p>Le texte.</p>'
                          '<div style="height:700px"></div><section class="p-form">'
                          f"<form>{question}</form></section></main>",
        "late-question.html": f'{head}<main><h1>Titre</h1><section class="p-form">'
                              '<p>Intro.</p><div style="height:700px"></div><form>'
                              '<label class="p-field__label">Votre nom</label></form>'
                              "</section></main>",
        "no-text.html": f"{head}<main><h1>Titre</h1></main>",
    }
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    problems = dict(line.split(": ", 1) for line in below_the_fold(browser, tmp_path))
    assert list(problems) == [
        f"{name} at {width} x {FOLD}" for width in WIDTHS
        for name in ("late-form.html", "late-question.html", "no-text.html", "tall-menu.html")
    ]
    assert re.fullmatch(r"first question \('Votre avis'\) ends at y=\d+",
                        problems[f"late-form.html at 320 x {FOLD}"])
    assert re.fullmatch(r"first question \('Votre nom'\) ends at y=\d+",
                        problems[f"late-question.html at 360 x {FOLD}"])
    assert re.fullmatch(r"h1 ends at y=\d+, first words \('Le texte.'\) ends at y=\d+",
                        problems[f"tall-menu.html at 360 x {FOLD}"])
