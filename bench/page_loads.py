"""A first visit to one page, as the comparison benchmark measures it for every build.

Unlike ``bench.browser.cold_load`` (one DevTools session on the page, enough for parole's pages),
this counts at the browser-context level with Playwright's request events, which also see what
web workers download: mkdocs-material's search worker fetches its language files, MkDocs' theme's
worker the search index and lunr.js. Throttling is still applied over the DevTools protocol
(``Network.emulateNetworkConditions``, ``bench.browser.NETWORKS``); the cache is disabled and the
context is new, so every load is a first visit.

Third-party requests: the browser is started with a host-resolver rule that makes every host
but 127.0.0.1 unresolvable at once (``tests.support.NO_OTHER_HOSTS``, in ``CHROMIUM_ARGS``: no
DNS query leaves the machine), so a Google Fonts or CDN request fails immediately and the same
way on every load, while the site's own requests are untouched (Playwright's route interception
would pause every request, local ones too, in the driver). Such a request is counted as
*attempted*; on a real phone it would also cost time.

**Usable form**: the time, from navigation start, of the first rendering frame in which
``DOMContentLoaded`` has fired (every parser-blocking script, and the stylesheets before it, are
done) and the submit button of the page's form is in the DOM, laid out with a non-empty box and
visible (``checkVisibility``). An init script polls for it on every animation frame, which
runs only when the browser can render, so it is measured the same way for every build.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Browser, Request

from bench.browser import FCP_SCRIPT, Network
from site_builder.collector.paths import origin as origin_of

SUBMIT_BUTTON = "form button[type=submit], form input[type=submit]"
USABLE_FORM_INIT = """(() => {
  const usable = () => {
    if (document.readyState === 'loading') return false;
    const button = document.querySelector('SUBMIT_BUTTON');
    if (!button) return false;
    const box = button.getBoundingClientRect();
    return box.width > 0 && box.height > 0
      && button.checkVisibility({opacityProperty: true, visibilityProperty: true});
  };
  const frame = () => {
    if (usable()) window.__paroleUsableForm = performance.now();
    else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();""".replace("SUBMIT_BUTTON", SUBMIT_BUTTON)
USABLE_FORM_WAIT = """() => new Promise(resolve => {
  const poll = () => window.__paroleUsableForm !== undefined
    ? resolve(window.__paroleUsableForm) : setTimeout(poll, 20);
  poll();
})"""
TIMEOUT_MS = 300_000


@dataclass(frozen=True)
class PageLoad:
    """One first visit: paint and form times in ms, what crossed the network, and the requests
    to other hosts the page attempted."""

    fcp_ms: float
    usable_form_ms: float | None
    bytes: int
    requests: int
    third_party: int


class RequestLog:
    """Every request of a browser context (pages and their workers)."""

    def __init__(self) -> None:
        self.started: list[Request] = []
        self.finished: list[Request] = []

    def on_start(self, request: Request) -> None:
        self.started.append(request)

    def on_finish(self, request: Request) -> None:
        self.finished.append(request)

    def count(self, origin: str) -> tuple[int, int, int]:
        """Bytes and requests that crossed the network from ``origin`` (gzip as sent, headers
        included), and how many requests went to any other host."""
        total = 0
        local = 0
        for request in self.finished:
            if _origin(request.url) == origin:
                sizes = request.sizes()
                total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
                local += 1
        third_party = sum(1 for request in self.started
                          if request.url.startswith(("http:", "https:"))
                          and _origin(request.url) != origin)
        return total, local, third_party


def _origin(url: str) -> str:
    return origin_of(url) or ""


def first_visit(browser: Browser, network: Network, url: str, *, form: bool) -> PageLoad:
    """Load ``url`` in a new context, cache disabled, over ``network``; wait for the network
    to be idle so that late downloads (a search index) count. ``form``: the page has a form,
    measure when it becomes usable."""
    context = browser.new_context()
    try:
        if form:
            context.add_init_script(USABLE_FORM_INIT)
        requests = RequestLog()
        context.on("request", requests.on_start)
        context.on("requestfinished", requests.on_finish)
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", network.conditions())
        session.send("Network.setCacheDisabled", {"cacheDisabled": True})
        page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
        fcp = float(page.evaluate(FCP_SCRIPT))
        # a form is not usable before anything is painted (a frame starts before it shows)
        usable = max(fcp, float(page.evaluate(USABLE_FORM_WAIT))) if form else None
        page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
        total, local, third_party = requests.count(_origin(url))
        return PageLoad(fcp, usable, total, local, third_party)
    finally:
        context.close()
