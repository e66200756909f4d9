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
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urljoin, urlsplit

import site_builder
from site_builder.audit.model import AuditedPage, Environment, PageResult
from site_builder.audit.page_checks import PageCheck, check_page, inject
from site_builder.errors import ParoleError
from site_builder.messages import say

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Page, Request, Route

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
    """Time for one page, from loading it to its last check."""

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
        """Takes the next page until none is left; a context that saw a page fail is replaced
        (a hung or crashed renderer must not slow the next page down)."""
        context: BrowserContext | None = None
        try:
            for index, audited in queue:
                if context is None:
                    context = await browser.new_context(
                        viewport={"width": WIDTH, "height": HEIGHT}, color_scheme="light",
                        service_workers="block")
                result = await self.one(context, audited)
                if result.failure is not None:
                    await _close(context)
                    context = None
                results[index] = result
                if self.on_page is not None:
                    self.on_page(result)
        finally:
            if context is not None:
                await _close(context)

    async def one(self, context: BrowserContext, audited: AuditedPage) -> PageResult:
        from playwright.async_api import Error  # noqa: PLC0415 - optional extra

        start = time.monotonic()
        failure: str
        try:
            page = await context.new_page()
        except Error as error:
            return PageResult(page=audited, seconds=time.monotonic() - start,
                              failure=f"The browser could not open a tab: {_first(error)}.")
        timeout = self.options.timeout_s
        try:
            check = await asyncio.wait_for(self.load_and_check(page, audited), timeout)
        except TimeoutError:
            failure = (f"The page was not checked within {timeout:g} s: it did not finish "
                       "loading, or a script kept the browser busy.")
        except _NotLoadedError as error:
            failure = str(error)
        except Error as error:
            failure = f"The browser could not check the page: {_first(error)}."
        else:
            return PageResult(page=audited, findings=tuple(check.findings),
                              applicable=frozenset(check.applicable),
                              present=frozenset(check.present), seconds=time.monotonic() - start)
        finally:
            await _close(page)
        return PageResult(page=audited, failure=failure, seconds=time.monotonic() - start)

    async def load_and_check(self, page: Page, audited: AuditedPage) -> PageCheck:
        """Loads the page with its guards on, then checks it."""
        from playwright.async_api import Error  # noqa: PLC0415 - optional extra

        url = urljoin(self.base_url, audited.path.lstrip("/"))
        page.on("dialog", lambda dialog: dialog.dismiss())
        page.on("popup", lambda popup: popup.close())
        wanted = urlsplit(url)._replace(fragment="").geturl()
        started = False

        async def stay(route: Route, request: Request) -> None:
            """The page's own address loads once; any other navigation of the tab gets "204 No
            Content", which leaves the page where it is (an aborted one would show an error
            page instead)."""
            nonlocal started
            if request.is_navigation_request() and request.frame == page.main_frame:
                if started or urlsplit(request.url)._replace(fragment="").geturl() != wanted:
                    await route.fulfill(status=204)
                    return
                started = True
            await route.continue_()

        await page.route("**/*", stay)
        try:
            # Not goto's own wait for "load": a script that navigates away before the load
            # event makes goto wait for that other navigation, which "204" never completes.
            # The page's own document is the one to wait for.
            response = await page.goto(url, wait_until="commit",
                                       timeout=self.options.timeout_s * 1000)
            await page.wait_for_function("() => document.readyState === 'complete'",
                                         timeout=self.options.timeout_s * 1000)
        except Error as error:
            raise _NotLoadedError(f"The page did not load: {_first(error)}.") from error
        if response is not None and response.status >= 400 and \
                audited.kind not in ("not_found", "collector"):
            raise _NotLoadedError(f"The server answered {response.status} instead of the page.")
        await inject(page, self.axe_script)
        return await check_page(page, self.selectors)


async def _close(closable: BrowserContext | Page) -> None:
    """Closes a tab or a context; one that hangs or crashed is left to the browser's end."""
    with contextlib.suppress(Exception):
        await asyncio.wait_for(closable.close(), CLOSE_TIMEOUT_S)


class _NotLoadedError(Exception):
    """The page did not load: the sentence says why."""


def _first(error: BaseException) -> str:
    """The useful line of a Playwright error: ``Page.goto: net::ERR_… at URL`` → ``net::ERR_…``."""
    line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    line = line.split(": ", 1)[1] if ": " in line and line.split(": ", 1)[0].count(".") == 1 \
        else line
    return line.split(" at http", 1)[0].strip()
