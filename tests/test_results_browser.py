"""A built results page as citizens get it: pa11y finds 0 errors and the Nu checker none, a
320 px phone without JavaScript reads it without scrolling sideways (tables opened too), and it
prints with every figure readable on the charts themselves (their direct labels), black on
white."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from site_builder.results.file import write_results
from tests import pa11y_support
from tests import results_page_support as samples
from tests.support import build_site, serve_site
from tests.test_html_validity import check_html, describe

pytestmark = pytest.mark.browser

PAGE = "resultats/"

FIGURES = """() => [...document.querySelectorAll("figure")].map((figure) => ({
  id: figure.id,
  svg: [...figure.querySelectorAll("svg text")].map((text) => text.textContent),
  counts: [...figure.querySelectorAll("tbody tr")].map(
    (row) => [row.cells[0].textContent, row.cells[1].textContent]),
  chartShown: figure.querySelector("svg").checkVisibility(),
  ink: getComputedStyle(figure.querySelector("svg text")).fill,
}))"""
WIDTHS = """() => ({scroll: document.documentElement.scrollWidth,
  client: document.documentElement.clientWidth,
  wider: [...document.querySelectorAll("main *")]
    .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                    || el.getBoundingClientRect().left < -1)
    .map((el) => el.tagName + (el.id ? "#" + el.id : "")).slice(0, 5)})"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 10-question form's results page (themes, quotes, protected counts), built after
    closing."""
    folder = tmp_path_factory.mktemp("results-site")
    saved = os.environ.get("PAROLE_BUILD_DATE")
    os.environ["PAROLE_BUILD_DATE"] = samples.AFTER
    try:
        config = samples.results_site(folder, samples.ten_questions(),
                                      pages={"petite-ville.md": samples.RESULTS_PAGE.format(
                                          form="petite", answers=47)})
        write_results(replace(samples.protected(), form_id="petite"), folder / "docs")
        return build_site(config, folder / "site")
    finally:
        if saved is None:
            os.environ.pop("PAROLE_BUILD_DATE", None)
        else:
            os.environ["PAROLE_BUILD_DATE"] = saved


@pytest.fixture(scope="module")
def arabic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The protected sample's page on an Arabic site (right to left)."""
    folder = tmp_path_factory.mktemp("results-ar")
    saved = os.environ.get("PAROLE_BUILD_DATE")
    os.environ["PAROLE_BUILD_DATE"] = samples.AFTER
    try:
        config = samples.results_site(folder, samples.protected(),
                                      theme={"name": "parole", "language": "ar"})
        return build_site(config, folder / "site")
    finally:
        if saved is None:
            os.environ.pop("PAROLE_BUILD_DATE", None)
        else:
            os.environ["PAROLE_BUILD_DATE"] = saved


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve_site(site) as url:
        yield url


def _open_every_table(page: Page) -> None:
    """Click each "Voir les chiffres (tableau)": a <details> opens without JavaScript."""
    for summary in page.locator("figure summary").all():
        summary.click()


@pytest.mark.parametrize("path", [PAGE, "petite-ville/"])
def test_a_phone_without_javascript_reads_it_without_scrolling_sideways(
        browser: Browser, base_url: str, path: str) -> None:
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto(base_url + path)
        closed = page.evaluate(WIDTHS)
        _open_every_table(page)
        opened = page.evaluate(WIDTHS)
        tables = page.locator("figure table").all()
        shown = [table.is_visible() for table in tables]
    finally:
        context.close()
    assert closed["scroll"] <= 320 and closed["wider"] == [], closed
    assert opened["scroll"] <= 320 and opened["wider"] == [], opened
    assert shown and all(shown), "a table stayed closed"


def test_a_right_to_left_page_fits_a_phone_too(browser: Browser, arabic_site: Path) -> None:
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        with serve_site(arabic_site) as url:
            page.goto(url + PAGE)
            _open_every_table(page)
            widths = page.evaluate(WIDTHS)
            direction = page.evaluate("document.documentElement.dir")
    finally:
        context.close()
    assert direction == "rtl"
    assert widths["scroll"] <= 320 and widths["wider"] == [], widths


def test_the_summary_is_a_44_px_target(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto(base_url + PAGE)
        heights = page.evaluate("""() => [...document.querySelectorAll("figure summary")]
            .map((s) => s.getBoundingClientRect().height)""")
    finally:
        context.close()
    assert heights and min(heights) >= 44


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_printed_every_figure_is_on_its_chart_in_black(
        browser: Browser, base_url: str, tmp_path: Path, javascript: bool) -> None:
    context = browser.new_context(java_script_enabled=javascript, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(base_url + "petite-ville/")
        page.emulate_media(media="print")
        figures: list[dict[str, Any]] = page.evaluate(FIGURES)
        pdf = page.pdf(format="A4")
    finally:
        context.close()
    assert len(figures) == 4
    for figure in figures:
        assert figure["chartShown"] and figure["ink"] == "rgb(0, 0, 0)", figure["id"]
        if figure["id"] == "participation-jours":
            continue  # a line: its table has the days; the chart names its axis ends
        words = " ".join(figure["svg"])
        for label, count in figure["counts"]:
            assert count in words, f"{figure['id']}: {label} = {count} not on the chart"
    assert pdf.startswith(b"%PDF")
    (tmp_path / "resultats.pdf").write_bytes(pdf)


@pytest.mark.pa11y
def test_results_pages_pass_pa11y(base_url: str, tmp_path: Path) -> None:
    urls = {base_url + PAGE: "resultats/index.html",
            base_url + "petite-ville/": "petite-ville/index.html",
            base_url: "index.html"}
    reports = pa11y_support.run_pa11y_ci(list(urls), tmp_path)
    failed = [report for report in reports.values() if report.failed]
    assert not failed, pa11y_support.describe_failures(list(reports.values()),
                                                       lambda url: urls[url])


@pytest.mark.nu
def test_results_pages_are_valid_html(site: Path) -> None:
    files = [site / "resultats" / "index.html", site / "petite-ville" / "index.html"]
    findings = check_html(files)
    assert findings == [], describe(findings, len(files), site)
