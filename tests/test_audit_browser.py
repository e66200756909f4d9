"""parole audit's browser stage in the real Chromium: each seeded page of tests/audit_pages/ (one
problem each) is found with its rule and condition, the clean page gives nothing, pages that
cannot be checked get a failure, hostile pages never stop the run, and the example consultation
has no error.

One run of ``check_pages`` over all the seeded pages (module-scoped), one over the pages that
cannot be checked (with a short time limit), one over the example; each test then asserts one
thing about them.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from site_builder.audit import browser
from site_builder.audit.browser import BrowserMissing, BrowserOptions, check_pages
from site_builder.audit.model import AuditedPage, Environment, Finding, PageResult
from site_builder.audit.rules import rule
from site_builder.messages import speaking
from tests.support import REPO, free_port, serve_site

pytestmark = pytest.mark.browser

PAGES = REPO / "tests" / "audit_pages"
SELECTORS = {"1.1": "img", "11.1": "input, select, textarea", "4.1": "video", "99": "[[["}
"""RGAA criteria with the selectors saying where they apply (an invalid one matches nothing)."""

SEEDED = {
    # page: (rule, condition) it must be found with
    "missing-alt": ("axe:image-alt", "default"),
    "heading-jump": ("parole:heading-order", "default"),
    "dark-contrast": ("axe:color-contrast", "dark"),
    "wide-table": ("parole:reflow", "narrow"),
    "focus-invisible": ("parole:focus-visible", "keyboard"),
    "wide-screen-menu": ("parole:focus-visible", "keyboard"),
    "empty-link": ("axe:link-name", "default"),
    "duplicate-links": ("parole:link-text-duplicate", "default"),
    "vague-link": ("parole:link-text-vague", "default"),
    "alt-file-name": ("parole:alt-file-name", "default"),
    "no-h1": ("parole:single-h1", "default"),
    "two-h1": ("parole:single-h1", "default"),
    "positive-tabindex": ("parole:focus-order", "keyboard"),
    "focus-trap": ("parole:focus-trap", "keyboard"),
    "broken-skip-link": ("parole:skip-link", "keyboard"),
    "small-targets": ("parole:target-size-minimum", "default"),
    "clipped-text": ("parole:text-clipped", "large_text"),
    "no-doctype": ("parole:doctype", "default"),
}
HOSTILE_BUT_CHECKED = ["hostile-dialogs", "hostile-navigation", "hostile-next-page",
                       "colour-transition"]
"""Pages that open dialogs (alert, confirm, prompt, print) or popups, go to another address, or
fade their colours when dark mode comes on: checked all the same, on their own address, as
they are once settled."""


def _page(name: str) -> AuditedPage:
    return AuditedPage(path=f"/{name}.html", kind="page", label=name)


class SeededRun:
    def __init__(self, environment: Environment, results: list[PageResult],
                 reported: list[str]) -> None:
        self.environment = environment
        self.results = {result.page.label: result for result in results}
        self.order = [result.page.label for result in results]
        self.reported = reported

    def findings(self, name: str) -> tuple[Finding, ...]:
        result = self.results[name]
        assert result.failure is None, (name, result.failure)
        return result.findings


@pytest.fixture(scope="module")
def seeded() -> SeededRun:
    names = ["clean", "autofocus", *SEEDED, *HOSTILE_BUT_CHECKED]
    reported: list[str] = []
    with serve_site(PAGES) as url:
        # A long limit: the machine's load must not turn a slow page into a failure here.
        environment, results = check_pages(
            url, [_page(name) for name in names], BrowserOptions(jobs=2, timeout_s=180),
            SELECTORS, on_page=lambda result: reported.append(result.page.label))
    return SeededRun(environment, results, reported)


@pytest.mark.parametrize("name", list(SEEDED))
def test_each_seeded_problem_is_found_with_its_rule_and_condition(seeded: SeededRun,
                                                                   name: str) -> None:
    expected = SEEDED[name]
    found = {(finding.rule, finding.condition) for finding in seeded.findings(name)}
    assert expected in found, (name, found)
    assert all(finding.selector and finding.message and finding.impact
               for finding in seeded.findings(name))


def test_the_clean_page_has_no_finding_at_all(seeded: SeededRun) -> None:
    assert seeded.findings("clean") == ()


def test_a_page_that_moves_the_focus_as_it_loads_is_walked_from_its_top(
        seeded: SeededRun) -> None:
    """An autofocus (the collector's error summary has one) moves the focus once the page is
    rendered; the keyboard is still walked from the top of the page, skip link first."""
    assert seeded.findings("autofocus") == ()
    assert {"parole:skip-link", "parole:focus-order"} <= seeded.results["autofocus"].applicable


def test_dark_mode_contrast_is_reported_in_dark_mode_only(seeded: SeededRun) -> None:
    contrast = [f for f in seeded.findings("dark-contrast") if f.rule == "axe:color-contrast"]
    assert contrast
    assert {finding.condition for finding in contrast} == {"dark"}
    assert "#555555" in contrast[0].message


def test_each_parole_finding_names_the_element(seeded: SeededRun) -> None:
    by_rule = {(name, f.rule): f for name in SEEDED for f in seeded.findings(name)}
    assert by_rule["wide-table", "parole:reflow"].html.startswith('<table class="wide">')
    assert by_rule["focus-trap", "parole:focus-trap"].selector == "#nom"
    assert by_rule["clipped-text", "parole:text-clipped"].html.startswith('<p class="box">')
    assert "cliquez ici" in by_rule["vague-link", "parole:link-text-vague"].message
    assert by_rule["two-h1", "parole:single-h1"].selector == "#projet"
    skip = by_rule["broken-skip-link", "parole:skip-link"]
    assert "#nulle-part" in skip.message
    assert 'href="#nulle-part"' in skip.html
    trap_rules = {f.rule for f in seeded.findings("focus-trap")}
    assert "parole:focus-order" not in trap_rules  # the trap, not every element after it


def test_alt_texts_that_are_file_names_are_found_and_only_those(seeded: SeededRun) -> None:
    """The clean page's "Photo 12 : la place vue du ciel" is a description, not a name."""
    alts = [f.html.split('alt="')[1].split('"')[0] for f in seeded.findings("alt-file-name")
            if f.rule == "parole:alt-file-name"]
    assert alts == ["IMG_1234.jpg", "place.svg", "DSC0001", "place-du-marche_02"]


def test_targets_under_24_px_are_errors_and_under_44_warnings(seeded: SeededRun) -> None:
    found = {(f.rule, f.html.split(">", 1)[0]) for f in seeded.findings("small-targets")}
    assert ("parole:target-size", '<button type="submit"') in found
    assert rule("parole:target-size-minimum").severity == "error"
    assert rule("parole:target-size").severity == "warning"
    assert all(f.rule.startswith("parole:target-size") for f in seeded.findings("small-targets"))


def test_duplicate_link_texts_say_where_each_link_goes_as_the_site_does(
        seeded: SeededRun) -> None:
    """The site's own addresses without the audit server's origin: its port changes from run
    to run, and means nothing to the person reading the report."""
    [finding] = [f for f in seeded.findings("duplicate-links")
                 if f.rule == "parole:link-text-duplicate"]
    assert finding.message == ('Another link on this page has the same text "le budget" but goes '
                               'to /clean.html#budget, this one to /clean.html#projet.')


def test_heading_findings_name_what_is_wrong(seeded: SeededRun) -> None:
    jump = [f for f in seeded.findings("heading-jump") if f.rule == "parole:heading-order"]
    assert [f.selector for f in jump] == ["#projet"]
    assert "level 3 follows a level 1" in jump[0].message
    none = [f for f in seeded.findings("no-h1") if f.rule == "parole:single-h1"]
    assert [f.selector for f in none] == ["html"]


def test_present_holds_the_criteria_whose_elements_are_on_the_page(seeded: SeededRun) -> None:
    assert seeded.results["clean"].present == {"1.1", "11.1"}


def test_applicable_holds_the_rules_that_found_something_to_check(seeded: SeededRun) -> None:
    applicable = seeded.results["clean"].applicable
    for rule_id in ("axe:image-alt", "axe:color-contrast", "axe:label", "axe:html-has-lang",
                    "parole:focus-order", "parole:focus-visible", "parole:focus-trap",
                    "parole:skip-link", "parole:reflow", "parole:text-clipped",
                    "parole:target-size-minimum", "parole:heading-order", "parole:single-h1",
                    "parole:link-text-vague", "parole:alt-file-name"):
        assert rule_id in applicable, rule_id
    assert "axe:video-caption" not in applicable  # no video: axe found nothing to check
    assert "axe:image-alt" in seeded.results["missing-alt"].applicable  # failed, so applicable


def test_results_come_in_the_order_of_the_pages_and_each_is_reported(seeded: SeededRun) -> None:
    assert seeded.order == ["clean", "autofocus", *SEEDED, *HOSTILE_BUT_CHECKED]
    assert sorted(seeded.reported) == sorted(seeded.order)
    assert all(result.seconds > 0 for result in seeded.results.values())


def test_the_environment_says_what_ran(seeded: SeededRun) -> None:
    environment = seeded.environment
    assert environment.browser.startswith("Chromium ")
    assert environment.axe_core == "4.12.1"
    assert environment.playwright[0].isdigit()
    assert environment.parole and environment.platform


@pytest.mark.parametrize("name", HOSTILE_BUT_CHECKED)
def test_dialogs_popups_and_navigation_away_do_not_stop_the_check(seeded: SeededRun,
                                                                  name: str) -> None:
    """Checked on its own address, as the clean page it otherwise is: no finding (an error page
    or another page would give some), and the keyboard and axe checks ran."""
    assert seeded.findings(name) == ()
    assert {"axe:image-alt", "parole:focus-visible"} <= seeded.results[name].applicable


@pytest.fixture(scope="module")
def unreachable() -> dict[str, PageResult]:
    refused = f"http://127.0.0.1:{free_port()}/"
    pages = [_page("hostile-loop"), _page("hostile-huge"),
             AuditedPage(path=refused, kind="page", label="refused"), _page("clean")]
    with serve_site(PAGES) as url:
        # One page at a time: the clean page comes in the tab the others failed in.
        _, results = check_pages(url, pages, BrowserOptions(jobs=1, timeout_s=5), SELECTORS)
    return {result.page.label: result for result in results}


def test_a_page_that_does_not_load_gets_a_failure(unreachable: dict[str, PageResult]) -> None:
    result = unreachable["refused"]
    assert result.failure == "The page did not load: net::ERR_CONNECTION_REFUSED."
    assert result.findings == ()


def test_a_script_that_never_ends_is_a_failure_not_a_hang(
        unreachable: dict[str, PageResult]) -> None:
    assert unreachable["hostile-loop"].failure == (
        "The page was not checked within 5 s: it did not finish loading, or a script kept the "
        "browser busy.")


def test_a_huge_page_ends_with_a_failure_or_findings(unreachable: dict[str, PageResult]) -> None:
    result = unreachable["hostile-huge"]
    assert result.failure or result.applicable


def test_a_page_after_failed_ones_is_checked_as_if_alone(
        unreachable: dict[str, PageResult], seeded: SeededRun) -> None:
    assert unreachable["clean"].failure is None
    assert unreachable["clean"].findings == ()
    assert unreachable["clean"].applicable == seeded.results["clean"].applicable


def test_pages_that_share_a_tab_do_not_change_each_others_results() -> None:
    """One tab checks the pages one after the other: what a page leaves behind (a narrow window,
    dark mode, larger text, focus, a dialog, a navigation held back, a page that keeps going to
    the next page's address) must not show on the next.
    Compared with each page checked alone, in a tab of its own (as many jobs as pages)."""
    names = ["wide-table", "wide-screen-menu", "hostile-navigation", "dark-contrast",
             "hostile-dialogs", "clipped-text", "hostile-next-page", "clean", "focus-invisible",
             "missing-alt"]
    pages = [_page(name) for name in names]
    with serve_site(PAGES) as url:
        _, in_turn = check_pages(url, pages, BrowserOptions(jobs=1, timeout_s=180), SELECTORS)
        _, alone = check_pages(url, pages, BrowserOptions(jobs=len(pages), timeout_s=180),
                               SELECTORS)

    def outcome(result: PageResult) -> tuple[object, ...]:
        findings = sorted((f.rule, f.condition, f.selector, f.message) for f in result.findings)
        return result.failure, findings, result.applicable, result.present

    assert [outcome(result) for result in in_turn] == [outcome(result) for result in alone]
    assert all(result.failure is None for result in in_turn)


def test_a_page_whose_navigation_aborts_in_a_used_tab_is_checked_in_a_new_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A page before can abort the tab's navigation to the next one (a script navigating as the
    tab leaves it: net::ERR_ABORTED, seen once in a full run on a loaded machine, after
    hostile-next-page). Simulated here: the second page's load fails in the tab the first page
    used. It is checked again in a new tab, as if alone, instead of "did not load"."""
    load = browser._Tab.load
    aborted: list[str] = []

    async def aborted_after_a_page(tab: browser._Tab, url: str, timeout_s: float) -> int:
        if tab.wanted and not aborted:  # the tab has loaded a page before
            aborted.append(url)
            raise browser._NotCheckedError(f"{browser._NOT_LOADED} net::ERR_ABORTED.")
        return await load(tab, url, timeout_s)

    monkeypatch.setattr(browser._Tab, "load", aborted_after_a_page)
    pages = [_page("clean"), _page("missing-alt")]
    with serve_site(PAGES) as url:
        _, in_turn = check_pages(url, pages, BrowserOptions(jobs=1, timeout_s=60), SELECTORS)
    assert [address.rsplit("/", 1)[-1] for address in aborted] == ["missing-alt.html"]
    assert [result.failure for result in in_turn] == [None, None]
    assert SEEDED["missing-alt"][0] in {finding.rule for finding in in_turn[1].findings}


def test_a_bigger_page_gets_more_time_to_be_checked_up_to_a_limit() -> None:
    options = BrowserOptions(timeout_s=30)
    assert options.check_limit(0) == options.check_limit(1000) == 30
    assert options.check_limit(2500) == 75
    assert options.check_limit(150_000) == 240


def test_a_missing_browser_says_what_to_install() -> None:
    with speaking("en"), pytest.raises(BrowserMissing) as raised:
        check_pages("http://127.0.0.1:1/", [_page("clean")],
                    BrowserOptions(executable=Path("/nonexistent/chromium")), {})
    message = str(raised.value)
    assert "/nonexistent/chromium" in message
    assert "`apt-get install chromium`" in message
    assert "`--browser PATH`" in message


@pytest.fixture
def _no_playwright(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(sys.modules, "playwright.async_api", None)
    yield


@pytest.mark.usefixtures("_no_playwright")
def test_a_missing_extra_says_what_to_install() -> None:
    with speaking("fr"), pytest.raises(BrowserMissing) as raised:
        check_pages("http://127.0.0.1:1/", [_page("clean")], BrowserOptions(), {})
    assert "pip install 'parole[audit]'" in str(raised.value)
    assert str(raised.value).startswith("parole audit a besoin de Playwright")


def test_the_example_consultation_has_no_error(example_site: Path) -> None:
    pages = [AuditedPage(path="/" + str(path.relative_to(example_site)).removesuffix("index.html"),
                         kind="page", label=str(path.relative_to(example_site)))
             for path in sorted(example_site.rglob("*.html"))]
    with serve_site(example_site) as url:
        _, results = check_pages(url, pages, BrowserOptions(jobs=2, timeout_s=180), {})
    assert [result.failure for result in results] == [None] * len(pages)
    errors = [(result.page.path, f.rule, f.condition, f.selector, f.message)
              for result in results for f in result.findings
              if rule(f.rule).severity == "error"]
    assert errors == []


def test_a_caller_inside_an_event_loop_is_served_from_a_thread_of_its_own() -> None:
    """Playwright's sync API (the test session's ``browser`` fixture), a notebook or a server
    keeps an event loop running in its thread; ``check_pages`` must work there too."""
    async def inside_a_loop(url: str) -> tuple[Environment, list[PageResult]]:
        return check_pages(url, [_page("clean")], BrowserOptions(jobs=1, timeout_s=180), {})

    # In a thread of the test's own, where no other loop runs (the session's may, here).
    with serve_site(PAGES) as url, ThreadPoolExecutor(max_workers=1) as pool:
        _environment, results = pool.submit(asyncio.run, inside_a_loop(url)).result()
    assert results[0].failure is None and results[0].findings == ()
