"""The golden charts (tests/goldens/charts/) on one page, as a citizen's phone and printer show
them, and as pa11y and the Nu checker read them: the page does not scroll sideways at 320 px,
no chart's text runs past its drawing (in DejaVu Sans, a wide system font), a chart is at most
24rem wide (theme/assets/parole.css), its ink is the page's text colour (black in print, light
in dark mode), and the page prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests import pa11y_support
from tests.chart_support import CASES, charts_page
from tests.support import serve_site
from tests.test_html_validity import check_html, describe

pytestmark = pytest.mark.browser

FIVE_BARS = next(case for case in CASES if case.name == "bars-five")

MEASURE = """() => {
  const html = document.documentElement;
  const charts = [...document.querySelectorAll("svg.p-chart")].map((svg) => {
    const box = svg.viewBox.baseVal;
    const texts = [...svg.querySelectorAll("text")].map((text) => text.getBBox());
    const shapes = [...svg.querySelectorAll("rect, path, circle")].map((shape) => shape.getBBox());
    const all = texts.concat(shapes);
    return {
      marks: all.length,
      width: svg.getBoundingClientRect().width,
      left: Math.min(box.width, ...all.map((b) => b.x)),
      right: Math.max(0, ...all.map((b) => b.x + b.width)),
      bottom: Math.max(0, ...all.map((b) => b.y + b.height)),
      viewWidth: box.width, viewHeight: box.height,
      ink: getComputedStyle(svg.querySelector("text, rect, path") || svg).fill,
      text: getComputedStyle(document.body).color,
    };
  });
  return {scrollWidth: html.scrollWidth, clientWidth: html.clientWidth, charts};
}"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("charts")
    (folder / "index.html").write_text(charts_page(), encoding="utf-8")
    (folder / "ar.html").write_text(charts_page(language="ar", direction="rtl"),
                                    encoding="utf-8")
    # One chart: pa11y-ci's report of every chart's texts would pass 64 KiB, and pa11y-ci
    # exits before a pipe takes more.
    (folder / "bare.html").write_text(charts_page(wrapped=False, cases=(FIVE_BARS,)),
                                      encoding="utf-8")
    with serve_site(folder) as url:
        yield url


def measure(page: Page) -> dict[str, Any]:
    facts: dict[str, Any] = page.evaluate(MEASURE)
    assert len(facts["charts"]) == len(CASES)
    return facts


@pytest.mark.parametrize("path", ["", "ar.html"], ids=["fr", "ar-rtl"])
def test_charts_fit_a_320_px_phone(browser: Browser, base_url: str, path: str) -> None:
    context = browser.new_context(java_script_enabled=True,
                                  viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto(base_url + path)
        facts = measure(page)
    finally:
        context.close()
    assert facts["scrollWidth"] <= facts["clientWidth"], "the page scrolls sideways"
    for case, chart in zip(CASES, facts["charts"], strict=True):
        # 320 less 2 x 1rem; a chart without a mark is 1 unit high, its width rounded
        assert chart["width"] == pytest.approx(288, abs=1 if chart["marks"] else 10), case.name
        assert chart["left"] >= -0.5 and chart["right"] <= chart["viewWidth"] + 0.5, (
            f"{case.name}: drawn from x={chart['left']:.1f} to {chart['right']:.1f}, "
            f"outside 0-{chart['viewWidth']}")
        assert chart["bottom"] <= chart["viewHeight"] + 0.5, case.name


def test_charts_are_at_most_24rem_wide_on_a_wide_screen(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(base_url)
        charts = measure(page)["charts"]
    finally:
        context.close()
    assert {round(chart["width"]) for chart in charts if chart["marks"]} == {384}
    assert max(chart["width"] for chart in charts) <= 384


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_ink_is_the_page_text_colour(browser: Browser, base_url: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(base_url)
        charts = measure(page)["charts"]
    finally:
        context.close()
    inks = {(chart["ink"], chart["text"]) for chart in charts}
    assert len(inks) == 1
    ((ink, text),) = inks
    assert ink == text
    assert ink == ("rgb(27, 27, 27)" if scheme == "light" else "rgb(233, 234, 236)")


def test_the_charts_print_black_on_white(browser: Browser, base_url: str,
                                         tmp_path: Path) -> None:
    context = browser.new_context(color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(base_url)
        page.emulate_media(media="print")
        charts = measure(page)["charts"]
        pdf = page.pdf(format="A4")
    finally:
        context.close()
    assert {chart["ink"] for chart in charts} == {"rgb(0, 0, 0)"}
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    (tmp_path / "charts.pdf").write_bytes(pdf)


@pytest.mark.pa11y
def test_the_page_of_charts_passes_pa11y_and_needs_inert_for_it(base_url: str,
                                                                 tmp_path: Path) -> None:
    """0 errors with every chart in ``charts.inert``'s wrapper; without it, axe's contrast rule
    cannot read SVG text (dequelabs/axe-core#1819) and pa11y counts each text as an error: the
    day axe learns to, the second half of this test says the wrapper can go."""
    urls = {base_url: "index.html", base_url + "ar.html": "ar.html",
            base_url + "bare.html": "bare.html"}
    reports = pa11y_support.run_pa11y_ci(list(urls), tmp_path)
    pages = [reports[base_url], reports[base_url + "ar.html"]]
    failed = [report for report in pages if report.failed]
    assert not failed, pa11y_support.describe_failures(pages, lambda url: urls[url])
    bare = reports[base_url + "bare.html"]
    assert bare.failure is None
    assert {(issue.runner, issue.code) for issue in bare.errors} == {("axe", "color-contrast")}
    assert len(bare.errors) == 10  # 5 labels, 5 figures
    assert all(re.search(r" > svg > (g > )?text", issue.selector) for issue in bare.errors)


@pytest.mark.nu
def test_the_page_of_charts_is_valid_html(tmp_path: Path) -> None:
    """The Nu checker accepts every attribute a chart carries in an HTML page (``inert`` sits
    on its ``<div>``: the checker refuses it on ``<svg>``)."""
    page = tmp_path / "charts.html"
    page.write_text(charts_page(), encoding="utf-8")
    findings = check_html([page])
    assert not findings, describe(findings, 1, tmp_path)
