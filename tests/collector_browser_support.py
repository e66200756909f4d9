"""The collector in a browser: one origin for the site and the collector, and what a person does.

In production nginx serves the static site and passes ``/collect`` and ``/collect/…`` to the
collector (issue #5 ships that configuration). ``front_server`` mimics it in the test process
with the standard library: a threaded HTTP server on 127.0.0.1 that serves files from the site
folder and forwards the collector's paths as they came (method, path, headers, body), relaying
the collector's status, headers and body untouched. It follows no redirect: the browser must see
the 303 and follow it itself, as it would behind nginx.

``site_and_collector`` starts both; ``Browsing`` opens browser pages that record every request
and block those leaving 127.0.0.1; ``fill_the_form`` and ``send`` answer the example's form
``avis-place`` as a person would; ``watch_csp`` records Content-Security-Policy violations.
"""

from __future__ import annotations

import functools
import http.client
import http.server
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Response,
    Route,
)
from playwright.sync_api import Request as PlaywrightRequest

from site_builder.storage import open_storage
from site_builder.storage.base import StoredAnswer
from tests.collector_support import (
    OPEN_DAY,
    VALID_ANSWER,
    RunningCollector,
    hidden_fields,
    running_collector,
)
from tests.support import http_server
from tests.test_browser import is_local

COLLECTOR_PATH = "/collect"
FORM_PAGE = "/donner-mon-avis/"
RECEIPT_PATH = re.compile(r"/collect/([0-9A-Z]{8})/[A-Za-z0-9_-]{22}$")
"""A receipt's address: its code, then the key that opens it."""
IDEA = "Des bancs à l'ombre.\nEt <script>alert(1)</script>"
"""Typed in the free-text question: two lines, and markup that must show as text."""
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "transfer-encoding",
                        "te", "trailer", "upgrade", "proxy-authorization", "proxy-authenticate"})
"""Headers about one connection, never forwarded by a proxy (RFC 9110, section 7.6.1)."""


def is_collector_path(path: str) -> bool:
    """Whether nginx would pass ``path`` (its query string aside) to the collector."""
    route = path.split("?", 1)[0]
    return route == COLLECTOR_PATH or route.startswith(COLLECTOR_PATH + "/")


class _FrontHandler(http.server.SimpleHTTPRequestHandler):
    """Files of the site for every path but the collector's, which go to ``collector_port``."""

    collector_port: ClassVar[int]

    def do_GET(self) -> None:
        if is_collector_path(self.path):
            self._forward()
        else:
            super().do_GET()

    def do_HEAD(self) -> None:
        if is_collector_path(self.path):
            self._forward()
        else:
            super().do_HEAD()

    def do_POST(self) -> None:
        if is_collector_path(self.path):
            self._forward()
        else:
            self.send_error(405)  # a static file cannot take a post (nginx says 405 too)

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        upstream = http.client.HTTPConnection("127.0.0.1", self.collector_port, timeout=30)
        try:
            # Headers go one by one, in order, repeats kept; Host is the one the browser sent,
            # so the collector compares Origin with the address people see (nginx:
            # `proxy_set_header Host $host`, and X-Forwarded-For as
            # `$proxy_add_x_forwarded_for` makes it).
            upstream.putrequest(self.command, self.path, skip_host=True,
                                skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    upstream.putheader(name, value)
            upstream.putheader("X-Forwarded-For", self.client_address[0])
            upstream.endheaders(body or None)
            response = upstream.getresponse()
            content = response.read()
        finally:
            upstream.close()
        self.send_response_only(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP | {"content-length"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def front_server(site_dir: Path, collector_port: int) -> Iterator[str]:
    """Serve ``site_dir`` and pass ``/collect…`` to the collector on ``collector_port``, both on
    one free port of 127.0.0.1; yields the base URL (``http://127.0.0.1:PORT``, no slash)."""
    handler = type("FrontHandler", (_FrontHandler,), {"collector_port": collector_port})
    with http_server(functools.partial(handler, directory=str(site_dir))) as url:
        yield url


# --- the site and its collector, a browser --------------------------------------------------------

@dataclass
class Site:
    """The example site and a collector on one origin (``url``, no trailing slash)."""

    url: str
    collector: RunningCollector
    database_url: str
    site_dir: Path

    def stored(self) -> list[StoredAnswer]:
        storage = open_storage(self.database_url)
        try:
            return list(storage.answers("avis-place"))
        finally:
            storage.close()


@contextmanager
def site_and_collector(
    site_dir: Path, database_url: str, log_dir: Path, *, day: str = OPEN_DAY
) -> Iterator[Site]:
    with running_collector(site_dir, database_url, log_dir, day=day,
                           args=["--rate-limit", "0"]) as collector, \
            front_server(site_dir, collector.port) as url:
        yield Site(url, collector, database_url, site_dir)


def a_receipt(site: Site, quartier: str) -> str:
    """The path of the receipt of an answer sent straight to the collector."""
    pairs = [pair for pair in VALID_ANSWER if pair[0] != "quartier"]
    reply = site.collector.post([*hidden_fields(site.site_dir), *pairs, ("quartier", quartier)])
    assert reply.status == 303, reply.text
    return reply.headers["location"]


@dataclass
class Browsing:
    """Browser contexts for one test, each recording every request and aborting any that
    would leave 127.0.0.1 (fonts, analytics, CDNs)."""

    browser: Browser
    contexts: list[BrowserContext] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    leaving: list[str] = field(default_factory=list)

    def page(self, *, javascript: bool = False) -> Page:
        context = self.browser.new_context(java_script_enabled=javascript)
        self.contexts.append(context)
        context.on("request", self._record)
        context.route("**/*", self._route)
        return context.new_page()

    def _record(self, request: PlaywrightRequest) -> None:
        self.requests.append(f"{request.method} {request.url}")

    def _route(self, route: Route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            self.leaving.append(route.request.url)
            route.abort("blockedbyclient")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


# --- what a person does -------------------------------------------------------------------------

def question(page: Page, words: str) -> Locator:
    """The group (fieldset) of the question whose legend holds ``words``."""
    return page.get_by_role("group", name=re.compile(re.escape(words)))


def fill_the_form(
    page: Page,
    *,
    frequence: str | None = "Chaque semaine",
    age: str = "42",
    courriel: str = "nom@exemple.fr",
    quartier: str = "Les Tilleuls",
) -> None:
    """Answer every question of ``avis-place`` with a pointer and a keyboard; ``frequence``
    None leaves the required question unanswered."""
    if frequence is not None:
        question(page, "À quelle fréquence").get_by_text(frequence, exact=True).click()
    page.get_by_text("Je vais au marché du samedi", exact=True).click()
    page.get_by_text("Mes enfants ou petits-enfants y jouent", exact=True).click()
    question(page, "plus d'arbres").get_by_text("4", exact=True).click()
    page.get_by_label(re.compile("^Combien de places")).select_option(label="Environ 40 places")
    question(page, "aire de jeux").get_by_text("Près de la fontaine", exact=True).click()
    page.get_by_label(re.compile("^Avez-vous une autre idée")).press_sequentially(IDEA)
    page.get_by_label(re.compile("^Quel âge")).press_sequentially(age)
    page.get_by_label(re.compile("^Dans quel quartier")).press_sequentially(quartier)
    page.get_by_label(re.compile("^Votre adresse e-mail")).press_sequentially(courriel)
    page.get_by_role("checkbox", name=re.compile("^J'ai lu")).check()


def send(page: Page) -> Response:
    """Press the form's button; the response the browser ends on (after any redirect)."""
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Envoyer mon avis").click()
    response = navigation.value
    assert response is not None
    return response


def receipt_code(page: Page) -> str:
    match = RECEIPT_PATH.search(page.url)
    assert match, f"not a receipt page: {page.url}"
    return match.group(1)


def answers_shown(page: Page) -> dict[str, str]:
    """The receipt's summary: each question as shown, then the answer as shown."""
    pairs: list[list[str]] = page.locator("dl.p-answers").evaluate(
        "(dl) => Array.from(dl.querySelectorAll('dt'))"
        ".map((dt) => [dt.innerText, dt.nextElementSibling.innerText])")
    return {" ".join(term.split()): answer.strip() for term, answer in pairs}


# --- Content-Security-Policy ----------------------------------------------------------------------

RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI}`);
});
"""


def watch_csp(page: Page) -> list[str]:
    """Record, from the next page load on, the CSP violations the page reports; the returned
    list fills with the console's messages about the Content Security Policy. Read the
    reported ones with ``csp_violations(page)``."""
    console: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            console.append(message.text)

    page.add_init_script(RECORD_CSP_VIOLATIONS)
    page.on("console", on_console)
    return console


def csp_violations(page: Page) -> list[str]:
    reported: list[str] = page.evaluate("() => window.__cspViolations")
    return reported
