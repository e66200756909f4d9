"""Load pages in the system Chromium over a throttled network and measure what a citizen gets.

Shared by the benchmarks (see /work/shared/recipes/page-weight.md for why each choice):
throttling is *applied* with ``Network.emulateNetworkConditions`` (not simulated as Lighthouse
does), bytes are the ``encodedDataLength`` of ``Network.loadingFinished`` (what crossed the
network, after gzip), first contentful paint comes from ``performance.getEntriesByType('paint')``.
The DevTools session is attached to the page target, which sees every request of a parole page
(no web worker, no iframe); a site with workers would need a browser-level session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Browser, BrowserContext, CDPSession, Page

FCP_SCRIPT = """() => new Promise(resolve => {
  const find = () => performance.getEntriesByType('paint')
    .find(entry => entry.name === 'first-contentful-paint');
  const poll = () => {
    const entry = find();
    entry ? resolve(entry.startTime) : setTimeout(poll, 20);
  };
  poll();
})"""


@dataclass(frozen=True)
class Network:
    """A throttling profile; throughputs in kbit/s, as operators quote them."""

    name: str
    latency_ms: int
    download_kbps: int
    upload_kbps: int

    def describe(self) -> str:
        return (f"{self.name} ({self.latency_ms} ms, {self.download_kbps}/{self.upload_kbps} "
                "kbit/s)")

    def conditions(self) -> dict[str, Any]:
        return {
            "offline": False,
            "latency": self.latency_ms,
            "downloadThroughput": self.download_kbps * 1000 / 8,  # bytes per second
            "uploadThroughput": self.upload_kbps * 1000 / 8,
        }


NETWORKS = (Network("2G", 300, 250, 50), Network("3G", 150, 1600, 750))


@dataclass(frozen=True)
class Load:
    """One page load: first contentful paint, bytes over the network, network requests."""

    fcp_ms: float
    bytes: int
    requests: int


@dataclass
class Meter:
    """Counts what crosses the network, from a DevTools session's Network events."""

    urls: dict[str, str] = field(default_factory=dict)
    cached: set[str] = field(default_factory=set)
    finished: dict[str, int] = field(default_factory=dict)

    def attach(self, session: CDPSession) -> None:
        session.on("Network.requestWillBeSent", self._sent)
        session.on("Network.requestServedFromCache", self._from_cache)
        session.on("Network.responseReceived", self._received)
        session.on("Network.loadingFinished", self._finished)

    def reset(self) -> None:
        self.urls.clear()
        self.cached.clear()
        self.finished.clear()

    def _sent(self, params: dict[str, Any]) -> None:
        self.urls[params["requestId"]] = params["request"]["url"]

    def _from_cache(self, params: dict[str, Any]) -> None:
        self.cached.add(params["requestId"])

    def _received(self, params: dict[str, Any]) -> None:
        response = params["response"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            self.cached.add(params["requestId"])

    def _finished(self, params: dict[str, Any]) -> None:
        self.finished[params["requestId"]] = int(params["encodedDataLength"])

    def network(self) -> dict[str, int]:
        """Bytes of each request that went over the network (not cache, not ``data:``)."""
        return {request: size for request, size in self.finished.items()
                if request not in self.cached
                and self.urls.get(request, "").startswith(("http:", "https:"))}


def open_page(browser: Browser, network: Network, *, cache: bool) -> tuple[BrowserContext, Page,
                                                                          Meter]:
    """A fresh context (empty cache) with one throttled page and its meter."""
    context = browser.new_context()
    page = context.new_page()
    session = context.new_cdp_session(page)
    meter = Meter()
    meter.attach(session)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", network.conditions())
    session.send("Network.setCacheDisabled", {"cacheDisabled": not cache})
    return context, page, meter


def load(page: Page, meter: Meter, url: str) -> Load:
    """Navigate ``page`` to ``url`` and measure that navigation only."""
    meter.reset()
    page.goto(url, wait_until="load", timeout=120_000)
    fcp = float(page.evaluate(FCP_SCRIPT))
    page.wait_for_load_state("networkidle")  # late loadingFinished events arrive
    sizes = meter.network()
    return Load(fcp_ms=fcp, bytes=sum(sizes.values()), requests=len(sizes))


def cold_load(browser: Browser, network: Network, url: str) -> Load:
    """First visit: empty cache, cache disabled."""
    context, page, meter = open_page(browser, network, cache=False)
    try:
        return load(page, meter, url)
    finally:
        context.close()


def warm_load(browser: Browser, network: Network, first_url: str, second_url: str) -> Load:
    """The second page of a visit: ``first_url`` loaded first in the same context, cache on."""
    context, page, meter = open_page(browser, network, cache=True)
    try:
        load(page, meter, first_url)
        return load(page, meter, second_url)
    finally:
        context.close()
