"""pa11y (WCAG2AA, runners htmlcs and axe) over every built page of the example and of each
sample site in tests/sites/, against the system Chromium: 0 errors.

One pa11y-ci run per site (one browser, concurrency 1), configured from ``.pa11yci.json``'s
defaults plus the URLs the build produced. Run one site by hand with
``parole serve`` then ``npx pa11y-ci`` (it reads ``.pa11yci.json``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pa11y_support import (
    PA11YCI_JSON,
    built_pages,
    built_site,
    describe_failures,
    pa11yci_defaults,
    require_tools,
    run_pa11y_ci,
    site_params,
)
from tests.support import CHROMIUM, CHROMIUM_ARGS, serve_site

pytestmark = pytest.mark.pa11y


def test_pa11yci_defaults_are_what_the_issue_asks() -> None:
    """Weakening ``.pa11yci.json`` (another standard, one runner, warnings) would weaken CI."""
    defaults = pa11yci_defaults()
    assert defaults["standard"] == "WCAG2AA", PA11YCI_JSON
    assert sorted(defaults["runners"]) == ["axe", "htmlcs"], PA11YCI_JSON
    assert defaults["concurrency"] == 1, "concurrency > 1 is flaky on 2 cores (recipe)"
    assert defaults.get("includeWarnings") is False
    assert not defaults.get("ignore"), "no pa11y rule may be ignored"
    assert not defaults.get("hideElements"), "no element may be hidden from pa11y"
    assert "threshold" not in defaults, "0 errors: no threshold"
    launch = defaults["chromeLaunchConfig"]
    assert launch["executablePath"] == CHROMIUM
    assert launch["args"] == CHROMIUM_ARGS, "keep .pa11yci.json and tests/support.py in step"


@pytest.mark.parametrize("config_file", site_params())
def test_every_page_passes_pa11y(
    config_file: Path, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    require_tools(pa11y=True)
    site_dir = built_site(request, config_file)
    pages = built_pages(site_dir)
    files = [page.file for page in pages]
    assert "index.html" in files, f"no index.html in {site_dir}"
    assert "404.html" in files, f"no 404.html in {site_dir}: the theme must build a 404 page"
    with serve_site(site_dir) as base_url:
        urls = {page.url(base_url): page.file for page in pages}
        reports = run_pa11y_ci(list(urls), tmp_path)
    failed = [report for report in reports.values() if report.failed]
    assert not failed, describe_failures(list(reports.values()), lambda url: urls[url])


# --- the harness itself: proof that the check can fail -----------------------------------------

ACCESSIBLE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>An accessible page</title></head>
<body><header><p>Harness</p></header>
<main id="main"><h1>Accessible</h1><p>Nothing wrong here.</p>
<form action="/s"><label for="q">Search</label> <input id="q" name="q"> <button>Go</button></form>
</main><footer><p>Footer</p></footer></body></html>
"""

BROKEN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A broken page</title></head>
<body><main><h1>Broken</h1><img src="photo.png">
<form action="/s"><input type="text" name="q"> <button>Go</button></form></main></body></html>
"""


def test_the_harness_reports_errors_and_passes_a_clean_page(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(ACCESSIBLE_PAGE, encoding="utf-8")
    (site / "broken.html").write_text(BROKEN_PAGE, encoding="utf-8")
    with serve_site(site) as base_url:
        urls = {page.url(base_url): page.file for page in built_pages(site)}
        reports = run_pa11y_ci(list(urls), tmp_path)
    clean, broken = reports[base_url], reports[base_url + "broken.html"]
    assert not clean.failed, describe_failures([clean], lambda url: urls[url])

    found = {(issue.runner, issue.code) for issue in broken.errors}
    assert ("axe", "image-alt") in found, found
    assert ("axe", "label") in found, found
    assert ("htmlcs", "WCAG2AA.Principle1.Guideline1_1.1_1_1.H37") in found, found
    assert any(runner == "htmlcs" and "F68" in code for runner, code in found), found

    message = describe_failures(list(reports.values()), lambda url: urls[url])
    assert "broken.html  (" in message
    assert "index.html" not in message
    assert "[axe] image-alt" in message
    assert "selector: html > body > main > img" in message
    assert "Images must have alternative text" in message


def test_the_harness_reports_a_page_it_could_not_load(tmp_path: Path) -> None:
    with serve_site(tmp_path) as base_url:
        pass  # the server is closed: the page cannot load
    url = base_url + "gone.html"
    reports = run_pa11y_ci([url], tmp_path)
    assert reports[url].failed
    assert "ERR_CONNECTION_REFUSED" in describe_failures([reports[url]], str)
