"""The three-language sample site once closed (``tests/sites/multilingual-closed``: the files of
``tests/sites/multilingual``, built for the day after closing): its results page in French,
Arabic and English says which signed state of the public journal its figures count (issue #19)
and links that language's journal page.

pa11y, the HTML checker and ``parole audit`` read these pages with every other sample site
(``tests/pa11y_support.site_params``); this module checks that what they read holds the
paragraph.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from site_builder.calendar import format_date
from site_builder.i18n import Catalogue
from site_builder.results.figures import escape
from site_builder.results.file import read_results
from site_builder.results.words import number
from tests.pa11y_support import built_site, site_params
from tests.support import BUILD_DATE_FILE, SITES

CLOSED = SITES / "multilingual-closed"
RESULTS_FILE = SITES / "multilingual" / "docs" / "parole-results" / "jardin-oliviers.json"
LANGUAGES = {"": "fr", "ar/": "ar", "en/": "en"}
PAGE = "resultats/"
PARAGRAPH = re.compile(r'<p class="p-journal">(.*?)</p>', re.DOTALL)
LINK = re.compile(r'<a href="([^"]*)">([^<]*)</a>')
HTML_LANG = re.compile(r'<html lang="([^"]*)"')


@pytest.fixture(scope="module")
def site(request: pytest.FixtureRequest) -> Path:
    return built_site(request, CLOSED / "mkdocs.yml")


def test_the_closed_variant_is_the_multilingual_site_after_closing() -> None:
    """The same files (links, not copies that would drift), a day after ``closes``, and read
    by the sample sites' accessibility and validity runs."""
    assert (CLOSED / "mkdocs.yml").resolve() == (SITES / "multilingual" / "mkdocs.yml")
    assert (CLOSED / "docs").resolve() == (SITES / "multilingual" / "docs")
    config = (CLOSED / "mkdocs.yml").read_text(encoding="utf-8")
    assert "closes: 2027-02-28" in config and "results_page: resultats.md" in config
    assert (CLOSED / BUILD_DATE_FILE).read_text(encoding="utf-8").strip() == "2027-03-01"
    assert "multilingual-closed" in [param.id for param in site_params()]


@pytest.mark.parametrize("prefix", list(LANGUAGES))
def test_each_languages_results_page_names_the_signed_journal_and_links_its_page(
        site: Path, prefix: str) -> None:
    language = LANGUAGES[prefix]
    catalogue = Catalogue.for_language(language)
    results, problems = read_results(RESULTS_FILE)
    assert results is not None and results.checkpoint is not None, problems
    html = (site / prefix / PAGE / "index.html").read_text(encoding="utf-8")
    page_language = HTML_LANG.search(html)
    assert page_language and page_language.group(1) == language
    computed = catalogue("results.page.computed_signed",
                         date=format_date(results.computed_at.date(), catalogue))
    assert f"<li>{escape(computed)}</li>" in html

    paragraphs = PARAGRAPH.findall(html)
    assert len(paragraphs) == 1, f"{prefix}{PAGE}: {len(paragraphs)} journal paragraphs"
    paragraph = paragraphs[0]
    counted = catalogue.count("results.page.journal.counted", results.answers,
                              count=number(results.answers, catalogue))
    signed = catalogue.count("results.page.journal.signed", results.checkpoint.size,
                             count=number(results.checkpoint.size, catalogue))
    root = results.checkpoint.root.hex()
    assert counted in paragraph and signed in paragraph, paragraph
    assert catalogue("results.page.journal.root") in paragraph
    assert " ".join(root[start:start + 4] for start in range(0, 64, 4)) in paragraph

    links = LINK.findall(paragraph)
    assert [words for _, words in links] == [catalogue("collector.journal.explained_link")]
    target = urljoin(f"https://oliviers.example/{prefix}{PAGE}", links[0][0])
    assert target == f"https://oliviers.example/{prefix}journal/", target
    journal = site / prefix / "journal" / "index.html"
    assert journal.is_file(), f"{target}: no page at {journal}"
    found = HTML_LANG.search(journal.read_text(encoding="utf-8"))
    assert found and found.group(1) == language, f"{target} is not in {language}"
