"""Every built page of the example and of each sample site, in the real (system) Chromium.

- No request leaves 127.0.0.1 while a page loads, scripts on (no fonts, analytics, CDNs).
- With JavaScript off, ``<main>`` holds the page's text, its ``<h1>`` included.
- Evidence beyond pa11y, scripts on and off: ``<html lang>``, exactly one ``<h1>`` and no skipped
  heading level, one main / banner / contentinfo landmark, and a skip link to ``<main>`` as the
  first element Tab reaches, visible when focused.

Each site's pages are visited once per mode (module-scoped fixture); each test then asserts one
promise and lists every page that breaks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Final, Literal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route
from playwright.sync_api import Request as PlaywrightRequest

from tests import pa11y_support
from tests.support import serve_site

pytestmark = pytest.mark.browser

JS_ON, JS_OFF = "JavaScript on", "JavaScript off"
LOCAL_SCHEMES = {"data", "blob", "about"}
LANDMARKS: Final[tuple[Literal["main", "banner", "contentinfo"], ...]] = (
    "main", "banner", "contentinfo",
)

# One evaluate per page: what the accessibility tree will be built from.
DOM_FACTS = """() => {
  const norm = (text) => (text || "").replace(/\\s+/g, " ").trim();
  const exposed = (el) => el.checkVisibility() && !el.closest("[aria-hidden='true']");
  const level = (el) => {
    const role = el.getAttribute("role");
    if (role && role !== "heading") return 0;
    if (el.hasAttribute("aria-level")) return parseInt(el.getAttribute("aria-level"), 10) || 0;
    return /^H[1-6]$/.test(el.tagName) ? parseInt(el.tagName[1], 10) : 2;
  };
  const headings = Array.from(document.querySelectorAll("h1,h2,h3,h4,h5,h6,[role='heading']"))
    .filter(exposed).map((el) => [level(el), norm(el.textContent).slice(0, 60)])
    .filter(([lvl]) => lvl > 0);
  return {lang: document.documentElement.getAttribute("lang") || "", headings};
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const box = el.getBoundingClientRect();
  return {tag: el.tagName.toLowerCase(), href: el.getAttribute("href"),
          text: (el.textContent || "").replace(/\\s+/g, " ").trim().slice(0, 60),
          width: box.width, height: box.height};
}"""


# --- expected values, read from the built HTML (not from the browser) ---------------------------

class _H1Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.h1s: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h1":
            if self._depth == 0:
                self.h1s.append("")
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1" and self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.h1s[-1] += data


def built_h1(html_file: Path) -> str | None:
    """The text of the first ``<h1>`` of a built page, whitespace collapsed."""
    parser = _H1Text()
    parser.feed(html_file.read_text(encoding="utf-8"))
    parser.close()
    return " ".join(parser.h1s[0].split()) if parser.h1s else None


# --- one visit of every page, per mode ----------------------------------------------------------

@dataclass
class PageFacts:
    file: str
    mode: str
    status: int | None
    lang: str
    headings: list[tuple[int, str]]
    landmarks: dict[str, int]
    main_id: str | None
    main_text: str
    first_focus: dict[str, Any] | None
    first_focus_visible: bool

    @property
    def where(self) -> str:
        return f"{self.file} [{self.mode}]"


@dataclass
class SiteVisit:
    pages: list[pa11y_support.Page]
    expected_h1: dict[str, str | None]
    facts: list[PageFacts] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # "page [mode]: url" for every request
    blocked: list[str] = field(default_factory=list)  # the same, for those leaving 127.0.0.1
    service_workers: list[str] = field(default_factory=list)  # their fetches escape routing


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (
        parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname == "127.0.0.1"
    )


@pytest.fixture(scope="module", params=pa11y_support.site_params())
def visit(request: pytest.FixtureRequest, browser: Browser) -> SiteVisit:
    config_file: Path = request.param
    site_dir = pa11y_support.built_site(request, config_file)
    return visit_site(browser, site_dir)


def visit_site(browser: Browser, site_dir: Path) -> SiteVisit:
    """Load every built page of ``site_dir``, scripts on then off, and record what matters."""
    pages = pa11y_support.built_pages(site_dir)
    assert pages, f"no HTML page in {site_dir}"
    result = SiteVisit(
        pages=pages, expected_h1={page.file: built_h1(site_dir / page.file) for page in pages},
    )
    with serve_site(site_dir) as base_url:
        for mode in (JS_ON, JS_OFF):
            context = browser.new_context(java_script_enabled=mode == JS_ON)
            try:
                _visit_pages(context, mode, base_url, result)
            finally:
                context.close()
    return result


def _visit_pages(context: BrowserContext, mode: str, base_url: str, result: SiteVisit) -> None:
    current = ["(start)"]

    def record(url: str) -> None:
        result.requests.append(f"{current[0]} [{mode}]: {url}")

    def on_request(request: PlaywrightRequest) -> None:
        record(request.url)

    def on_route(route: Route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            result.blocked.append(f"{current[0]} [{mode}]: {route.request.url}")
            route.abort("blockedbyclient")

    context.on("request", on_request)
    context.route("**/*", on_route)
    page = context.new_page()
    page.on("websocket", lambda socket: record(socket.url))
    for built in result.pages:
        current[0] = built.file
        # Scripts on: wait for the network to stay idle, to catch anything scripts fetch late.
        response = page.goto(built.url(base_url),
                             wait_until="networkidle" if mode == JS_ON else "load")
        status = response.status if response else None
        result.facts.append(page_facts(page, built.file, mode, status))
    result.service_workers += [f"[{mode}] service worker {worker.url}"
                               for worker in context.service_workers]


def page_facts(page: Page, file: str, mode: str, status: int | None) -> PageFacts:
    dom: dict[str, Any] = page.evaluate(DOM_FACTS)
    landmarks: dict[str, int] = {role: page.get_by_role(role).count() for role in LANDMARKS}
    main = page.get_by_role("main").first
    has_main = landmarks["main"] > 0
    page.keyboard.press("Tab")
    focused: dict[str, Any] | None = page.evaluate(FOCUSED)
    return PageFacts(
        file=file, mode=mode, status=status, lang=dom["lang"],
        headings=[(int(level), str(text)) for level, text in dom["headings"]],
        landmarks=landmarks,
        main_id=main.get_attribute("id") if has_main else None,
        main_text=" ".join((main.text_content() or "").split()) if has_main else "",
        first_focus=focused,
        first_focus_visible=focused is not None and page.locator(":focus").is_visible(),
    )


# --- the promises: each returns the problems it finds, one line per page ----------------------

def pages_not_loaded(visit: SiteVisit) -> list[str]:
    return [f"{facts.where}: HTTP {facts.status}" for facts in visit.facts if facts.status != 200]


def requests_leaving(visit: SiteVisit) -> list[str]:
    leaving = set(visit.blocked)
    leaving |= {line for line in visit.requests if not is_local(line.split(": ", 1)[1])}
    return sorted(leaving) + visit.service_workers


def text_missing_without_javascript(visit: SiteVisit) -> list[str]:
    problems = []
    for facts in visit.facts:
        if facts.mode != JS_OFF:
            continue
        h1 = visit.expected_h1[facts.file]
        if not facts.main_text:
            problems.append(f"{facts.where}: <main> is missing or has no text")
        elif h1 is None:
            problems.append(f"{facts.where}: the built HTML has no <h1>")
        elif h1 not in facts.main_text:
            problems.append(f"{facts.where}: <main> lacks the h1 {h1!r}; "
                            f"it reads {facts.main_text[:120]!r}")
    return problems


def lang_missing(visit: SiteVisit) -> list[str]:
    return [f"{facts.where}: lang={facts.lang!r}" for facts in visit.facts
            if not facts.lang.strip()]


def heading_problems(visit: SiteVisit) -> list[str]:
    problems = []
    for facts in visit.facts:
        h1s = [text for level, text in facts.headings if level == 1]
        if len(h1s) != 1:
            problems.append(f"{facts.where}: {len(h1s)} <h1> {h1s}")
        previous = 1
        for level, text in facts.headings:
            if level > previous + 1:
                problems.append(f"{facts.where}: h{previous} then h{level} ({text!r})")
            previous = level
    return problems


def landmark_problems(visit: SiteVisit) -> list[str]:
    return [f"{facts.where}: {count} {role} landmark(s)" for facts in visit.facts
            for role, count in facts.landmarks.items() if count != 1]


def skip_link_problems(visit: SiteVisit) -> list[str]:
    problems = []
    for facts in visit.facts:
        focus = facts.first_focus
        target = f"#{facts.main_id}" if facts.main_id else None
        if target is None:
            problems.append(f"{facts.where}: <main> has no id for a skip link to point to")
        elif focus is None:
            problems.append(f"{facts.where}: Tab focuses nothing")
        elif focus["tag"] != "a" or focus["href"] != target:
            problems.append(f"{facts.where}: Tab first reaches <{focus['tag']} "
                            f"href={focus['href']!r}> {focus['text']!r}, not a link to {target}")
        elif not facts.first_focus_visible or focus["width"] < 2 or focus["height"] < 2:
            problems.append(f"{facts.where}: the skip link stays invisible when focused "
                            f"({focus['width']:.0f}x{focus['height']:.0f} px)")
    return problems


def _fail_if(problems: list[str], promise: str) -> None:
    if problems:
        pytest.fail(f"{promise}:\n  " + "\n  ".join(problems), pytrace=False)


def test_every_page_loads(visit: SiteVisit) -> None:
    _fail_if(pages_not_loaded(visit), "pages that did not load with HTTP 200")


def test_no_request_leaves_127_0_0_1(visit: SiteVisit) -> None:
    _fail_if(requests_leaving(visit), "requests leaving 127.0.0.1 (fonts, analytics, CDNs)")
    assert visit.requests, "no request recorded at all: the recorder is broken"


def test_main_holds_the_text_without_javascript(visit: SiteVisit) -> None:
    _fail_if(text_missing_without_javascript(visit),
             "pages whose text is not in <main> with JavaScript off")


def test_html_lang_is_set(visit: SiteVisit) -> None:
    _fail_if(lang_missing(visit), "pages without <html lang>")


def test_one_h1_and_no_skipped_heading_level(visit: SiteVisit) -> None:
    _fail_if(heading_problems(visit), "heading problems")


def test_main_banner_and_contentinfo_landmarks(visit: SiteVisit) -> None:
    _fail_if(landmark_problems(visit),
             "pages without exactly one main, banner (header) and contentinfo (footer)")


def test_skip_link_is_first_focusable_and_targets_main(visit: SiteVisit) -> None:
    _fail_if(skip_link_problems(visit), "skip link problems")


# --- the harness itself: each check passes a good page and catches a broken one -----------------

GOOD_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Good</title>
<style>.skip{position:absolute;left:-9999px}.skip:focus{left:0;top:0}</style></head>
<body><a class="skip" href="#content">Skip to content</a>
<header><p>Harness</p></header>
<main id="content"><h1>Good page</h1><h2>Part</h2><p>Text.</p></main>
<footer><p>Footer</p></footer></body></html>
"""

BROKEN_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Broken</title>
<link rel="stylesheet" href="https://fonts.example.invalid/font.css">
<script>fetch("http://192.0.2.1/beacon").catch(() => {});</script>
<style>.skip{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}</style>
</head><body><a class="skip" href="#content">Skip</a>
<div><h1>Broken page</h1><h3>Skipped a level</h3><h1>Second h1</h1></div>
<main id="content"><p>Only this.</p></main></body></html>
"""


def test_the_checks_pass_a_good_page_and_catch_a_broken_one(
    browser: Browser, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text(GOOD_PAGE, encoding="utf-8")
    (tmp_path / "broken.html").write_text(BROKEN_PAGE, encoding="utf-8")
    result = visit_site(browser, tmp_path)
    checks = [pages_not_loaded, requests_leaving, text_missing_without_javascript, lang_missing,
              heading_problems, landmark_problems, skip_link_problems]
    for check in checks:
        problems = check(result)
        assert all(line.startswith("broken.html") for line in problems), (check, problems)
        if check is not pages_not_loaded:
            assert problems, f"{check.__name__} missed the broken page"
    leaving = " ".join(requests_leaving(result))
    assert "fonts.example.invalid" in leaving
    assert "http://192.0.2.1/beacon" in leaving
    assert "invisible when focused" in " ".join(skip_link_problems(result))
    assert "h1 then h3" in " ".join(heading_problems(result))
