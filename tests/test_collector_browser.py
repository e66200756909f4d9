"""The collector in the real (system) Chromium, as people use it: the example site and the
collector behind one origin (``front_server``, as nginx will put them), JavaScript off for the
main flows, since the form must work without it.

- A person fills the form (clicks labels, types, picks an option, ticks consent) and lands on
  the receipt: its code, the answers as the form showed them, one row in the database (SQLite
  and PostgreSQL); no request leaves 127.0.0.1.
- Mistakes give the form again (400): "Erreur :" title, error summary first with links to
  fields that exist, focus on it on load, every value kept; corrected, the answer goes through.
- Sent twice (Back, then Send again): the same receipt, one row. Two people behind one address
  with identical answers: the second never sees the first's receipt, confirms, and both count.
  A first post stored but whose response is lost: sent again, one row, "it is saved".
- The receipt's print button shows only where a script runs, without any CSP violation.
- The structural checks of test_browser.py on the receipt, error, 404 and 410 pages.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Response, Route, expect
from playwright.sync_api import Error as PlaywrightError

from site_builder.i18n import Catalogue
from tests.collector_browser_support import (
    FORM_PAGE,
    IDEA,
    Browsing,
    Site,
    a_receipt,
    answers_shown,
    csp_violations,
    fill_the_form,
    question,
    receipt_code,
    send,
    site_and_collector,
    watch_csp,
)
from tests.collector_support import VALID_ANSWER, hidden_fields
from tests.test_browser import (
    JS_OFF,
    JS_ON,
    SiteVisit,
    heading_problems,
    landmark_problems,
    lang_missing,
    page_facts,
    skip_link_problems,
)

pytestmark = pytest.mark.browser
FRENCH = Catalogue.for_language("fr")


@pytest.fixture(scope="module")
def site(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One collector (SQLite) for the module: each test sends answers no other test sends."""
    folder = tmp_path_factory.mktemp("browser-collector")
    with site_and_collector(example_site, f"sqlite:///{folder / 'answers.db'}", folder) as up:
        yield up


@pytest.fixture
def browse(browser: Browser) -> Iterator[Browsing]:
    browsing = Browsing(browser)
    yield browsing
    browsing.close()
    assert not browsing.leaving, f"requests left 127.0.0.1: {browsing.leaving}"


EXPECTED_SUMMARY = {
    "À quelle fréquence passez-vous sur la place du Marché ?": "Chaque semaine",
    "Que faites-vous sur la place ?":
        "Je vais au marché du samedi\nMes enfants ou petits-enfants y jouent",
    "« Il faut plus d'arbres et d'ombre sur la place. »": "4",
    "Combien de places de stationnement faut-il garder ?": "Environ 40 places",
    "Où mettre l'aire de jeux ?": "Près de la fontaine",
    "Avez-vous une autre idée pour la place ?": IDEA,
    "Quel âge avez-vous ?": "42",
    "Dans quel quartier de Belval habitez-vous ?": "Les Tilleuls",
    "Votre adresse e-mail, si vous voulez recevoir les résultats": "n\u2022\u2022\u2022@exemple.fr",
    "J'accepte que mon idée soit citée, sans mon nom, sur la page des résultats.":
        FRENCH("collector.receipt.no_answer"),
    "J'ai lu ce que la ville fait de mes réponses.": FRENCH("collector.receipt.yes"),
}


# --- 1. the whole way, on both backends ---------------------------------------------------------

def test_a_person_fills_the_form_and_lands_on_the_receipt(
    browser: Browser, example_site: Path, storage_url: str, tmp_path: Path
) -> None:
    browsing = Browsing(browser)
    try:
        with site_and_collector(example_site, storage_url, tmp_path) as up:
            page = browsing.page()
            page.goto(up.url + FORM_PAGE)
            fill_the_form(page)
            response = send(page)
            assert response.status == 200
            code = receipt_code(page)
            assert page.locator(".p-receipt").inner_text() == f"{code[:4]}-{code[4:]}"
            h1 = page.get_by_role("heading", level=1)
            assert h1.inner_text() == FRENCH("collector.receipt.heading")
            assert answers_shown(page) == EXPECTED_SUMMARY
            rows = up.stored()
    finally:
        browsing.close()
    assert [row.receipt for row in rows] == [code]
    assert rows[0].values["frequence"] == ["semaine"]
    assert rows[0].values["usages"] == ["marche", "enfants"]
    assert rows[0].values["idee"] == [IDEA]  # a textarea's line breaks are stored as LF
    assert f"POST {up.url}/collect" in browsing.requests
    assert f"GET {up.url}/collect/{code}/" in "\n".join(browsing.requests)
    assert not browsing.leaving, f"requests left 127.0.0.1: {browsing.leaving}"


# --- 2. mistakes --------------------------------------------------------------------------------

ERROR_SUMMARY = """() => {
  const section = document.getElementById("form-avis-place");
  const summary = section && section.querySelector(".p-error-summary");
  const follows = (later) => !!later && !!summary &&
    Boolean(summary.compareDocumentPosition(later) & Node.DOCUMENT_POSITION_FOLLOWING);
  const links = summary ? Array.from(summary.querySelectorAll("a[href]")) : [];
  return {
    found: !!summary,
    beforeTheForm: follows(section.querySelector("form")),
    beforeTheFirstField: follows(section.querySelector(".p-field")),
    links: links.map((a) => [a.getAttribute("href"),
                             !!document.getElementById(decodeURIComponent(a.hash.slice(1)))]),
  };
}"""


def test_mistakes_show_the_form_again_with_errors_first_and_every_value_kept(
    browse: Browsing, site: Site
) -> None:
    page = browse.page()
    page.goto(site.url + FORM_PAGE)
    fill_the_form(page, frequence=None, age="deux cents", courriel="pas-un-mail",
                  quartier="Erreurs corrigées")
    before = len(site.stored())
    response = send(page)
    assert response.status == 400
    assert page.url == site.url + "/collect"
    assert re.match(r"Erreur\s:\s", page.title()), page.title()
    summary = page.evaluate(ERROR_SUMMARY)
    assert summary["found"], "no error summary in the form's section"
    assert summary["beforeTheForm"] and summary["beforeTheFirstField"], summary
    assert [href for href, _ in summary["links"]] == [
        "#f-avis-place-frequence-1", "#f-avis-place-age", "#f-avis-place-courriel"]
    assert all(exists for _, exists in summary["links"]), summary["links"]

    assert page.get_by_label(re.compile("^Quel âge")).input_value() == "deux cents"
    assert page.get_by_label(re.compile("^Votre adresse e-mail")).input_value() == "pas-un-mail"
    assert page.get_by_label(re.compile("^Dans quel quartier")).input_value() == "Erreurs corrigées"
    assert page.get_by_label(re.compile("^Avez-vous une autre idée")).input_value() == IDEA
    assert page.get_by_label(re.compile("^Combien de places")).input_value() == "40"
    checked = page.locator("input:checked").evaluate_all(
        "(boxes) => boxes.map((box) => `${box.name}=${box.value}`)")
    assert checked == ["usages=marche", "usages=enfants", "ombre=4", "jeux=fontaine",
                       "accord=yes"]
    assert len(site.stored()) == before

    # The person corrects the three mistakes; everything else is still there.
    question(page, "À quelle fréquence").get_by_text("Chaque semaine", exact=True).click()
    page.get_by_label(re.compile("^Quel âge")).fill("42")
    page.get_by_label(re.compile("^Votre adresse e-mail")).fill("nom@exemple.fr")
    assert send(page).status == 200
    code = receipt_code(page)
    assert answers_shown(page) == {
        **EXPECTED_SUMMARY, "Dans quel quartier de Belval habitez-vous ?": "Erreurs corrigées"}
    assert [row.receipt for row in site.stored()][before:] == [code]


def test_a_post_from_our_own_page_with_origin_null_is_taken(site: Site) -> None:
    """Why the corrected answer above goes through: collector pages say Referrer-Policy:
    no-referrer, so Chromium posts their form with ``Origin: null``; ``Sec-Fetch-Site``, which a
    page cannot forge, tells our own pages from other sites."""
    pairs = [*hidden_fields(site.site_dir),
             *[pair for pair in VALID_ANSWER if pair[0] != "quartier"], ("quartier", "Origine")]
    ours = site.collector.post(pairs, headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"})
    assert ours.status == 303
    theirs = site.collector.post(pairs, headers={"Origin": "null", "Sec-Fetch-Site": "cross-site"})
    assert theirs.status == 403


@pytest.mark.parametrize("javascript", [True, False], ids=["JavaScript on", "JavaScript off"])
def test_the_error_summary_has_focus_when_the_page_loads(
    browse: Browsing, site: Site, javascript: bool
) -> None:
    """``autofocus``: a screen reader starts reading at the errors, with or without scripts."""
    page = browse.page(javascript=javascript)
    page.goto(site.url + FORM_PAGE)
    assert send(page).status == 400
    expect(page.locator(".p-error-summary")).to_be_focused()


# --- 3. sent twice ------------------------------------------------------------------------------

def test_the_same_form_sent_twice_gives_the_same_receipt_and_one_row(
    browse: Browsing, site: Site
) -> None:
    page = browse.page()
    page.goto(site.url + FORM_PAGE)
    fill_the_form(page, quartier="Envoyé deux fois")
    before = len(site.stored())
    assert send(page).status == 200
    first_receipt = page.url

    page.go_back()
    assert page.url == site.url + FORM_PAGE
    # The browser kept what the person typed: the same answer goes again.
    assert page.get_by_label(re.compile("^Dans quel quartier")).input_value() == (
        "Envoyé deux fois")
    assert send(page).status == 200
    assert page.url == first_receipt
    assert browse.requests.count(f"POST {site.url}/collect") == 2
    assert [row.receipt for row in site.stored()][before:] == [receipt_code(page)]


def _everything_received(page: Page) -> list[str]:
    """Record, from now on, every response ``page``'s browser receives: its status, URL and
    headers, and its body when it is a page."""
    received: list[str] = []

    def keep(response: Response) -> None:
        body = response.text() if response.status < 300 and "html" in (
            response.headers.get("content-type", "")) else ""
        received.append(f"{response.status} {response.url}\n{response.all_headers()}\n{body}")

    page.on("response", keep)
    return received


def test_two_people_behind_one_address_with_identical_answers_are_both_counted(
    browse: Browsing, site: Site
) -> None:
    """A shared wifi: the same answers from the same address in two browsers. The second
    person is never given the first one's receipt; asked to confirm, they are counted too."""
    first = browse.page()
    first.goto(site.url + FORM_PAGE)
    fill_the_form(first, quartier="Même wifi")
    before = len(site.stored())
    assert send(first).status == 200
    code = receipt_code(first)
    key = first.url.rsplit("/", 1)[1]

    second = browse.page()
    received = _everything_received(second)
    second.goto(site.url + FORM_PAGE)
    fill_the_form(second, quartier="Même wifi")
    response = send(second)
    assert response.status == 409
    assert second.url == site.url + "/collect"
    notice = second.get_by_role("region", name=FRENCH("collector.sent.heading"))
    expect(notice).to_be_visible()
    expect(notice).to_be_focused()  # autofocus: read first, no script needed
    assert FRENCH("collector.sent.other") in notice.inner_text()
    # every value is kept: sending is all the person has to do
    assert second.get_by_label(re.compile("^Dans quel quartier")).input_value() == "Même wifi"
    assert len(site.stored()) == before + 1

    assert send(second).status == 200
    own = receipt_code(second)
    assert own != code
    assert answers_shown(second) == {
        **EXPECTED_SUMMARY, "Dans quel quartier de Belval habitez-vous ?": "Même wifi"}
    assert len(site.stored()) == before + 2
    shown_to_second = "\n".join([*received, second.content(),
                                  repr(second.context.cookies())])
    for secret in (code, f"{code[:4]}-{code[4:]}", key):
        assert secret not in shown_to_second, f"the first person's {secret} reached the second"


def test_a_first_post_whose_response_is_lost_is_stored_once(
    browse: Browsing, site: Site
) -> None:
    """A slow link: the first post reaches the collector and is stored, but its response
    never reaches the browser; the person sends again. One row, and a page saying it is
    saved, without any receipt code."""
    page = browse.page()
    lost: list[int] = []

    def lose_the_first_response(route: Route) -> None:
        if route.request.method != "POST" or lost:
            route.continue_()
            return
        response = route.fetch(max_redirects=0)  # the collector stores it and answers 303
        lost.append(response.status)
        # Playwright's fetch keeps the reply's cookies in the browser's jar; this reply never
        # reached the browser, so neither did its cookie (the context held none before)
        page.context.clear_cookies()
        route.abort("connectionreset")

    page.route(site.url + "/collect", lose_the_first_response)
    received = _everything_received(page)
    page.goto(site.url + FORM_PAGE)
    fill_the_form(page, quartier="Réseau lent")
    before = len(site.stored())
    with contextlib.suppress(PlaywrightError):
        send(page)
    assert lost == [303]
    assert len(site.stored()) == before + 1
    (row,) = [row for row in site.stored() if row.values["quartier"] == ["Réseau lent"]]

    # The person opens the form again, in a new tab of the same browser (the first tab may
    # still be settling on Chromium's error page, which would race a navigation there), and
    # sends the same answers.
    again = page.context.new_page()
    received_again = _everything_received(again)
    again.goto(site.url + FORM_PAGE)
    fill_the_form(again, quartier="Réseau lent")
    assert send(again).status == 409
    assert FRENCH("collector.sent.yours") in again.get_by_role(
        "region", name=FRENCH("collector.sent.heading")).inner_text()
    assert len(site.stored()) == before + 1
    assert not RECEIPT_CODE_SHOWN.search(again.inner_text("main"))
    shown = "\n".join([*received, *received_again, again.content()])
    assert row.receipt not in shown and f"{row.receipt[:4]}-{row.receipt[4:]}" not in shown


RECEIPT_CODE_SHOWN = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}\b")


# --- 4. printing the receipt --------------------------------------------------------------------

def test_with_javascript_the_print_button_shows_and_breaks_no_csp_rule(
    browse: Browsing, site: Site
) -> None:
    page = browse.page(javascript=True)
    console = watch_csp(page)
    response = page.goto(site.url + a_receipt(site, "Imprimer avec script"))
    assert response is not None and response.status == 200
    assert "script-src 'sha256-" in response.headers["content-security-policy"]
    button = page.get_by_role("button", name=FRENCH("collector.receipt.print_button"))
    expect(button).to_be_visible()
    assert page.get_by_text(FRENCH("collector.receipt.print")).is_visible()
    assert csp_violations(page) == []
    assert console == []


def test_without_javascript_the_print_button_is_hidden_and_the_menu_is_named(
    browse: Browsing, site: Site
) -> None:
    page = browse.page(javascript=False)
    assert page.goto(site.url + a_receipt(site, "Imprimer sans script"))
    assert page.locator("#p-print").is_hidden()
    assert page.get_by_text(FRENCH("collector.receipt.print")).is_visible()


CSP_BREAKING_PAGE = """<!doctype html><html lang="en"><head><title>CSP</title></head>
<body><main><h1>CSP</h1><script>document.title = "ran";</script></main></body></html>"""


def test_the_csp_watch_catches_a_blocked_script(browse: Browsing, site: Site) -> None:
    """The harness itself: an inline script the policy does not allow is reported."""
    page = browse.page(javascript=True)
    console = watch_csp(page)
    page.route(site.url + "/csp-test", lambda route: route.fulfill(
        status=200, content_type="text/html", body=CSP_BREAKING_PAGE,
        headers={"Content-Security-Policy": "default-src 'none'"}))
    page.goto(site.url + "/csp-test")
    assert page.title() == "CSP"
    assert csp_violations(page) == ["script-src-elem blocked inline"]
    assert console, "the console said nothing about the blocked script"


# --- 5. the structure of every collector page ---------------------------------------------------

FOCUS_FROM_THE_TOP = """() => {
  const body = document.body;
  body.tabIndex = -1;
  body.focus();
  body.removeAttribute("tabindex");
}"""
"""Start keyboard navigation from the top of the page, as someone who has just arrived and has
not been moved on (the error page's autofocus moves focus to the error summary)."""


@pytest.fixture(scope="module")
def closed_site(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A collector on a day after the consultation closed."""
    folder = tmp_path_factory.mktemp("browser-collector-closed")
    with site_and_collector(example_site, f"sqlite:///{folder / 'answers.db'}", folder,
                            day="2027-03-05") as up:
        yield up


@pytest.fixture(scope="module")
def collector_pages(browser: Browser, site: Site, closed_site: Site) -> SiteVisit:
    """The receipt, error (400), unknown receipt and code alone (404), identical answer (409)
    and closed (410) pages, each seen scripts on then off, with the facts test_browser.py
    gathers on static pages."""
    receipt = a_receipt(site, "Structure")
    loads: list[tuple[str, Callable[[Page], Response | None]]] = [
        ("receipt (200)", lambda page: page.goto(site.url + receipt)),
        ("error (400)", lambda page: send_empty_form(page, site)),
        ("unknown receipt (404)",
         lambda page: page.goto(site.url + "/collect/ZZZZZZZZ/" + "A" * 22)),
        ("code alone (404)", lambda page: page.goto(site.url + "/collect/ZZZZZZZZ")),
        ("identical answer (409)", lambda page: send_twice_as_two_people(page, site)),
        ("closed (410)", lambda page: send_empty_form(page, closed_site)),
    ]
    visit = SiteVisit(pages=[], expected_h1={})
    for mode in (JS_ON, JS_OFF):
        context = browser.new_context(java_script_enabled=mode == JS_ON)
        page = context.new_page()
        try:
            for name, load in loads:
                response = load(page)
                page.evaluate(FOCUS_FROM_THE_TOP)
                visit.facts.append(page_facts(page, name, mode,
                                               response.status if response else None))
        finally:
            context.close()
    return visit


def send_twice_as_two_people(page: Page, site: Site) -> Response:
    """The page after sending an answer identical to one just sent from the same address by
    another browser (this one, its cookies forgotten)."""
    quartier = f"Structure {secrets.token_hex(4)}"
    for _ in range(2):
        page.context.clear_cookies()
        page.goto(site.url + FORM_PAGE)
        fill_the_form(page, quartier=quartier)
        response = send(page)
    return response


def send_empty_form(page: Page, site: Site) -> Response:
    page.goto(site.url + FORM_PAGE)
    return send(page)


def test_collector_pages_answer_with_their_status(collector_pages: SiteVisit) -> None:
    statuses = {(facts.file, facts.status) for facts in collector_pages.facts}
    assert statuses == {("receipt (200)", 200), ("error (400)", 400),
                        ("code alone (404)", 404), ("identical answer (409)", 409),
                        ("unknown receipt (404)", 404), ("closed (410)", 410)}


@pytest.mark.parametrize("promise", [lang_missing, heading_problems, landmark_problems,
                                     skip_link_problems],
                         ids=["lang", "headings", "landmarks", "skip link"])
def test_collector_pages_keep_the_structure_of_the_site(
    collector_pages: SiteVisit, promise: Callable[[SiteVisit], list[str]]
) -> None:
    """One <h1> and no skipped level, one main / banner / contentinfo, a skip link to <main>
    first, ``<html lang>``: what test_browser.py asks of every static page."""
    problems = promise(collector_pages)
    assert not problems, "\n".join(problems)
    assert len(collector_pages.facts) == 12
