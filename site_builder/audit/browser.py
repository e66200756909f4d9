"""The browser stage of ``parole audit``: the system Chromium, driven through Playwright, checks
every page (``page_checks``) and says what it ran with.

One browser for the whole run; ``jobs`` pages at once, each worker with its own browser context
reused from page to page and a fresh tab for each page. A page is guarded while it is checked:
its dialogs are dismissed, its popups closed, its attempts to go to another address stopped, and
the whole check has a time limit. A page that cannot be checked (it does not load, it keeps the
browser busy, its tab crashes) gets a ``failure``, a sentence in English like axe's messages;
the run goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.metadata
import os
import platform
import time
from collections.abc import Callable, Coroutine, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar
from urllib.parse import urljoin, urlsplit

import site_builder
from site_builder.audit.model import AuditedPage, Environment, PageResult
from site_builder.audit.page_checks import PageCheck, check_page, checks_script
from site_builder.errors import ParoleError
from site_builder.messages import say

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Dialog, Page, Request, Route

Checked = TypeVar("Checked")
CHROMIUM: Final = Path("/usr/bin/chromium")
NO_OTHER_HOSTS: Final = ("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, "
                         "EXCLUDE localhost")
"""Every host but this machine fails to resolve, at once: no DNS query leaves the machine, not
even Chromium's own (it looks up accounts.google.com despite --disable-background-networking,
which the reliability suites' network watch caught), and an audited page's third-party request
fails the same way on every run."""
CHROMIUM_ARGS: Final = [
    "--no-sandbox", "--disable-setuid-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-dev-shm-usage", NO_OTHER_HOSTS,
]
WIDTH: Final = 1280
HEIGHT: Final = 800
"""The window every page is checked in first (a laptop's); the reflow check narrows it."""
AFTER_TWO_FRAMES: Final = ("() => new Promise((done) => "
                           "requestAnimationFrame(() => requestAnimationFrame(() => done())))")
NO_POPUPS_OR_DIALOGS: Final = ("window.open = () => null; window.alert = () => undefined; "
                    "window.confirm = () => false; window.prompt = () => null; "
                    "window.print = () => undefined;")
"""What a popup blocker does, and each dialog answered as dismissing it would, before a page's
own scripts run: a popup takes the focus from the tab, and a dialog open while the keyboard is
checked swallows Tab presses (a page that kept opening dialogs looked trapped; one dialog at
the wrong moment made a field look out of Tab's reach). The "popup" and "dialog" guards stay
for what this misses (a frame's ``beforeunload``, say)."""
ELEMENTS_PER_LIMIT: Final = 1000
"""Elements a page may have to be checked within ``timeout_s``: checking takes about 4 ms an
element on a quiet machine with 2 cores (the example's published report: 6 s), so 30 s leave
room for a machine several times slower."""
MOST_LIMITS: Final = 8
COUNT_ELEMENTS: Final = "() => document.getElementsByTagName('*').length"
_NOT_LOADED: Final = "The page did not load:"
"""How the failure of a page whose navigation failed begins (the browser's reason follows)."""
CLOSE_TIMEOUT_S: Final = 5.0
"""How long closing a tab or a context may take before it is left behind (a hung page)."""


@dataclass(frozen=True)
class BrowserOptions:
    """How the browser stage runs."""

    executable: Path = CHROMIUM
    """The Chromium (or Chrome) program; ``--browser PATH``."""
    jobs: int = 0
    """Pages checked at once; 0 = one per core, at most 4."""
    timeout_s: float = 30.0
    """Time to load a page, and to check a page of up to ``ELEMENTS_PER_LIMIT`` elements."""

    def check_limit(self, elements: int) -> float:
        """Time to check a loaded page of ``elements`` elements: a bigger page gets more in
        proportion (the low-data edition holds every page of the site, a report is long), up
        to ``MOST_LIMITS`` times ``timeout_s``. The limit is there to stop a page that keeps
        the browser busy, not one that is long."""
        return self.timeout_s * min(MOST_LIMITS, max(1.0, elements / ELEMENTS_PER_LIMIT))

    def workers(self, pages: int) -> int:
        wanted = self.jobs if self.jobs > 0 else min(os.cpu_count() or 1, 4)
        return max(1, min(wanted, pages))


class BrowserMissing(ParoleError):  # noqa: N818 - the name DESIGN17.md gives
    """Chromium or the ``[audit]`` extra (Playwright, axe-core) is missing: what to install."""


def check_pages(base_url: str, pages: Sequence[AuditedPage], options: BrowserOptions,
                criteria_selectors: Mapping[str, str],
                on_page: Callable[[PageResult], None] | None = None,
                ) -> tuple[Environment, list[PageResult]]:
    """Checks ``pages`` (paths under ``base_url``) in Chromium; results in the order of ``pages``,
    ``on_page`` called with each as it finishes (for a progress line)."""
    try:
        from axe_playwright_python.base import (  # noqa: PLC0415
            AXE_SCRIPT,
        )
        from playwright.async_api import async_playwright  # noqa: PLC0415, F401 - optional extra
    except ImportError as error:
        raise BrowserMissing(say("audit.browser.no_extra", error=str(error))) from error
    run = _Run(base_url, options, dict(criteria_selectors), on_page, str(AXE_SCRIPT))
    return _in_own_loop(lambda: run.all(pages))


def _in_own_loop(
    coroutine: Callable[[], Coroutine[Any, Any, tuple[Environment, list[PageResult]]]],
) -> tuple[Environment, list[PageResult]]:
    """Runs ``coroutine()`` in an event loop of its own. A caller that already runs one (a
    notebook, a server, Playwright's sync API open in the same thread) cannot nest another:
    then the loop runs in a thread of its own and this one waits for it."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine())).result()


@dataclass(frozen=True)
class _Run:
    """One call of ``check_pages``: what every worker needs."""

    base_url: str
    options: BrowserOptions
    selectors: dict[str, str]
    on_page: Callable[[PageResult], None] | None
    axe_script: str

    async def all(self, pages: Sequence[AuditedPage]) -> tuple[Environment, list[PageResult]]:
        from playwright.async_api import Error, async_playwright  # noqa: PLC0415 - optional extra

        async with async_playwright() as playwright:
            try:
                browser = await playwright.chromium.launch(
                    executable_path=str(self.options.executable), args=CHROMIUM_ARGS)
            except Error as error:
                raise BrowserMissing(say("audit.browser.no_chromium",
                                         path=str(self.options.executable),
                                         error=_first(error))) from error
            try:
                environment = await self.environment(browser)
                results: list[PageResult | None] = [None] * len(pages)
                queue = iter(enumerate(pages))
                await asyncio.gather(*(self.worker(browser, queue, results)
                                       for _ in range(self.options.workers(len(pages)))))
            finally:
                await browser.close()
        return environment, [result for result in results if result is not None]

    async def environment(self, browser: Browser) -> Environment:
        context = await browser.new_context()
        try:
            page = await context.new_page()
            await page.evaluate(self.axe_script)
            axe_version = str(await page.evaluate("() => axe.version"))
        finally:
            await context.close()
        return Environment(parole=site_builder.__version__,
                           browser=f"Chromium {browser.version}", axe_core=axe_version,
                           playwright=importlib.metadata.version("playwright"),
                           platform=f"{platform.system()} {platform.machine()}")

    async def worker(self, browser: Browser, queue: Iterator[tuple[int, AuditedPage]],
                     results: list[PageResult | None]) -> None:
        """Takes the next page until none is left, in a tab of its own reused from page to page;
        a tab that saw a page fail is thrown away with its context (a hung or crashed renderer
        must not slow the next page down)."""
        tab: _Tab | None = None
        try:
            for index, audited in queue:
                start = time.monotonic()
                reused = tab is not None
                result, tab = await self.in_tab(browser, tab, audited, start)
                if reused and result.failure is not None and \
                        result.failure.startswith(_NOT_LOADED):
                    # The page before may have been navigating as this one was asked for (a
                    # script going to the next page's address), which aborts the tab's own
                    # navigation: the page gets one more try in a new tab, as if alone.
                    result, tab = await self.in_tab(browser, None, audited, start)
                results[index] = result
                if self.on_page is not None:
                    self.on_page(result)
        finally:
            if tab is not None:
                await tab.close()

    async def in_tab(self, browser: Browser, tab: _Tab | None, audited: AuditedPage,
                     start: float) -> tuple[PageResult, _Tab | None]:
        """Checks ``audited`` in ``tab`` (a new one when None); the result, and the tab to go on
        with: None after a failure, which throws the tab away with its context (a hung or
        crashed renderer must not slow the next page down)."""
        from playwright.async_api import Error  # noqa: PLC0415 - optional extra

        if tab is None:
            try:
                tab = await _Tab.open(browser, self.axe_script)
            except Error as error:
                return PageResult(page=audited, seconds=time.monotonic() - start,
                                  failure=f"The browser could not open a tab: "
                                          f"{_first(error)}."), None
        result = await self.one(tab, audited, start)
        if result.failure is not None:
            await tab.close()
            return result, None
        return result, tab

    async def one(self, tab: _Tab, audited: AuditedPage, start: float) -> PageResult:
        from playwright.async_api import Error  # noqa: PLC0415 - optional extra

        failure: str
        try:
            check = await self.load_and_check(tab, audited)
        except _NotCheckedError as error:
            failure = str(error)
        except Error as error:
            failure = f"The browser could not check the page: {_first(error)}."
        else:
            return PageResult(page=audited, findings=tuple(check.findings),
                              applicable=frozenset(check.applicable),
                              present=frozenset(check.present), seconds=time.monotonic() - start)
        return PageResult(page=audited, failure=failure, seconds=time.monotonic() - start)

    async def load_and_check(self, tab: _Tab, audited: AuditedPage) -> PageCheck:
        """Loads the page in the tab within ``timeout_s``, then checks it within the time its
        size gives (``BrowserOptions.check_limit``)."""
        url = urljoin(self.base_url, audited.path.lstrip("/"))
        limit = self.options.timeout_s
        status = await _within(tab.load(url, limit), limit)
        if status >= 400 and audited.kind not in ("not_found", "collector"):
            raise _NotCheckedError(f"The server answered {status} instead of the page.")
        elements = await _within(tab.page.evaluate(COUNT_ELEMENTS), limit)
        return await _within(check_page(tab.page, self.selectors),
                             self.options.check_limit(int(elements)))


async def _within(step: Coroutine[Any, Any, Checked], limit: float) -> Checked:
    """``step``'s result, or the page's failure when it takes longer than ``limit`` seconds."""
    try:
        return await asyncio.wait_for(step, limit)
    except TimeoutError as error:
        raise _NotCheckedError(f"The page was not checked within {limit:g} s: it did not finish "
                              "loading, or a script kept the browser busy.") from error


class _Tab:
    """A worker's tab, in a browser context of its own, guarded once for every page it loads:
    its dialogs are dismissed, its popups closed, and any navigation but the one to the page
    being checked is stopped.

    Pages follow one another in the same tab: a navigation within the site keeps its renderer
    process, where a new tab for each page started one (that cost as much as checking a small
    page). axe-core and parole's checks are added to every document the tab loads, its frames'
    included, before the document's own scripts run."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        self.context = context
        self.page = page
        self.wanted = ""
        """The address (without fragment) of the page being checked."""
        self.started = False
        """Whether the navigation to ``wanted`` has begun: the tab's only one allowed."""

    @classmethod
    async def open(cls, browser: Browser, axe_script: str) -> _Tab:
        context = await browser.new_context(
            viewport={"width": WIDTH, "height": HEIGHT}, color_scheme="light",
            service_workers="block")
        try:
            await context.add_init_script(
                script=f"{NO_POPUPS_OR_DIALOGS}\n{axe_script}\n{checks_script()}")
            tab = cls(context, await context.new_page())
            tab.page.on("dialog", _dismiss)
            tab.page.on("popup", lambda popup: popup.close())
            await tab.page.route("**/*", tab.stay)
        except BaseException:
            await _close(context)
            raise
        return tab

    async def stay(self, route: Route, request: Request) -> None:
        """The tab loads the page being checked once, when asked by ``load``; any other
        navigation gets "204 No Content", which leaves the page where it is (an aborted one would
        show an error page instead). ``load``'s navigation is the one without a referrer: one
        started by a page carries the page's address, so the page before cannot take the place
        of the next one by going to its address first."""
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            if self.started or "referer" in request.headers or \
                    _without_fragment(request.url) != self.wanted:
                await route.fulfill(status=204)
                return
            self.started = True
        await route.continue_()

    async def load(self, url: str, timeout_s: float) -> int:
        """Loads ``url`` in the window every page starts in; the HTTP status it came with."""
        from playwright.async_api import Error  # noqa: PLC0415 - optional extra

        if self.page.viewport_size != {"width": WIDTH, "height": HEIGHT}:
            await self.page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
        self.wanted, self.started = _without_fragment(url), False
        try:
            # Not goto's own wait for "load": a script that navigates away before the load
            # event makes goto wait for that other navigation, which "204" never completes.
            # The page's own document is the one to wait for.
            response = await self.page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
            await self.page.wait_for_function("() => document.readyState === 'complete'",
                                              timeout=timeout_s * 1000)
            # Checked as a person first sees it: once the browser has rendered it, which is
            # when an autofocus moves the focus (the collector's error page has one).
            await self.page.evaluate(AFTER_TWO_FRAMES)
        except Error as error:
            raise _NotCheckedError(f"{_NOT_LOADED} {_first(error)}.") from error
        return response.status if response is not None else 200

    async def close(self) -> None:
        """Closes the tab's context; one that hangs or crashed is left to the browser's end."""
        await _close(self.context)


async def _dismiss(dialog: Dialog) -> None:
    """Dismisses a dialog; one whose page was closed meanwhile needs nothing more."""
    from playwright.async_api import Error  # noqa: PLC0415 - optional extra

    with contextlib.suppress(Error):
        await dialog.dismiss()


def _without_fragment(url: str) -> str:
    return urlsplit(url)._replace(fragment="").geturl()


async def _close(closable: BrowserContext) -> None:
    """Closes a context; one that hangs or crashed is left to the browser's end."""
    with contextlib.suppress(Exception):
        await asyncio.wait_for(closable.close(), CLOSE_TIMEOUT_S)


class _NotCheckedError(Exception):
    """The page could not be checked (it did not load, or took too long): the sentence says why."""


def _first(error: BaseException) -> str:
    """The useful line of a Playwright error: ``Page.goto: net::ERR_… at URL`` → ``net::ERR_…``."""
    line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    line = line.split(": ", 1)[1] if ": " in line and line.split(": ", 1)[0].count(".") == 1 \
        else line
    return line.split(" at http", 1)[0].strip()
