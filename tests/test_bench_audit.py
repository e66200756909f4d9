"""The ``parole audit`` benchmark (bench/audit.py), never timed here: its page from made-up
measures says whether the aim is met, and a tiny real run (a small sample site, one job) fills
a row of the table with the pages its ``audit.json`` counted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import audit as bench
from tests.support import SITES, build_site

CONTEXT = bench.Context("2026-12-05", 2, 1.5, "Chromium 140.0", "4.12.1", "3.11.7")
HEADER = ("| site | jobs | pages | seconds | pages per minute | seconds a page | runs "
          "| errors found | pages not checked |")
ROW = re.compile(r"^\| (?P<site>[^|]+) \| (?P<jobs>\d+) \| (?P<pages>\d+) \| (?P<seconds>[\d.]+) "
                 r"\| (?P<per_minute>[\d.]+) \| (?P<per_page>[\d.]+) \| (?P<runs>\d+) "
                 r"\| (?P<errors>\d+) \| (?P<not_checked>\d+) \|$")


def _rows(page: str) -> list[dict[str, str]]:
    return [found.groupdict() for line in page.splitlines() if (found := ROW.match(line))]


def test_the_page_states_the_aim_against_the_measures() -> None:
    measures = [bench.Measure("example", 1, 30, 90.0, 3, 0),
                bench.Measure("example", 2, 30, 45.0, 3, 0),
                bench.Measure("200 pages", 2, 220, 330.0, 3, 0)]
    page = bench.page(measures, CONTEXT)
    lines = page.splitlines()
    assert lines[0] == "# `parole audit`: pages per minute"
    assert lines[2] == ("**Aim met: under 2 s a page on 2 cores** (`--jobs 2`: example 1.50 s "
                        "a page; 200 pages 1.50 s a page).")
    assert "2 cores (load 1.50 when the run began), Chromium 140.0, axe-core 4.12.1" in page
    assert HEADER in lines
    assert _rows(page)[0] == {"site": "example", "jobs": "1", "pages": "30", "seconds": "90.0",
                              "per_minute": "20.0", "per_page": "3.00", "runs": "3",
                              "errors": "0", "not_checked": "0"}
    assert len(_rows(page)) == 3


def test_a_page_slower_than_the_aim_says_so() -> None:
    slow = [bench.Measure("200 pages", 2, 200, 500.0, 1, 4)]
    assert bench.verdict(slow).startswith("**Aim not met: under 2 s a page on 2 cores, every "
                                          "page checked**")
    assert bench.verdict([bench.Measure("example", 1, 10, 5.0, 1, 0)]).startswith(
        "**Aim not measured**")


@pytest.mark.browser
def test_a_quick_run_that_skipped_pages_does_not_meet_the_aim() -> None:
    """Pages not checked (a time limit reached) make a run quick for a bad reason."""
    skipping = [bench.Measure("200 pages", 2, 200, 200.0, 1, 0, not_checked=12)]
    assert bench.verdict(skipping) == (
        "**Aim not met: under 2 s a page on 2 cores, every page checked** (`--jobs 2`: "
        "200 pages 1.00 s a page; 200 pages: 12 pages not checked).")
    assert _rows(bench.page(skipping, CONTEXT))[0]["not_checked"] == "12"


def test_a_tiny_real_run_fills_a_row(tmp_path: Path) -> None:
    config = SITES / "minimal" / "mkdocs.yml"
    site = build_site(config, tmp_path / "site")
    measure, environment = bench.audit_site("minimal", config, site, 1, 1)
    assert measure.pages >= len(list(site.rglob("*.html")))
    assert measure.seconds > 0 and measure.runs == 1
    assert environment["browser"] and environment["axe_core"]
    rows = _rows(bench.page([measure], CONTEXT))
    assert [(row["site"], row["jobs"], row["pages"]) for row in rows] == [
        ("minimal", "1", str(measure.pages))]
