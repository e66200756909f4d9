"""Helpers for the accessibility tests: the sites to check, the pages of a built site, and
pa11y-ci driven from pytest with readable failures.

Pages always come from the build output (every ``*.html``, the 404 page included), never from a
hand-written list, so a new page cannot escape the checks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.collector_support import Reply
from tests.support import CHROMIUM, REPO, build_site, sample_sites, serve_site

EXAMPLE_CONFIG = REPO / "mkdocs.yml"
PA11Y_CI = REPO / "node_modules" / ".bin" / "pa11y-ci"
PA11YCI_JSON = REPO / ".pa11yci.json"
INSTALL_HINT = (
    "Install the accessibility tools (scripts/check does both):\n"
    "  command -v chromium >/dev/null || { apt-get update && apt-get install -y chromium; }\n"
    "  PUPPETEER_SKIP_DOWNLOAD=1 npm ci      # in the repository root: pa11y, pa11y-ci\n"
    "A skipped accessibility check is a hidden one, so these tests fail instead of skipping."
)


# --- sites and pages ----------------------------------------------------------------------------

def site_params() -> list[Any]:
    """``pytest.param`` for the example (root mkdocs.yml) and each sample site in tests/sites/."""
    params = [pytest.param(EXAMPLE_CONFIG, id="example")]
    params += [pytest.param(site / "mkdocs.yml", id=site.name) for site in sample_sites()]
    return params


def built_site(request: pytest.FixtureRequest, config_file: Path) -> Path:
    """The site of ``config_file``, built once per test session in strict mode.

    The example reuses conftest's ``example_site``; sample sites are built under the session's
    base temporary folder, so every test module of the session shares one build.
    """
    if config_file == EXAMPLE_CONFIG:
        site: Path = request.getfixturevalue("example_site")
        return site
    factory: pytest.TempPathFactory = request.getfixturevalue("tmp_path_factory")
    root = factory.getbasetemp() / "accessibility-sites"
    site_dir = root / config_file.parent.name / "site"
    done = root / f"{config_file.parent.name}.built"
    if not done.exists():
        if site_dir.exists():
            shutil.rmtree(site_dir)
        build_site(config_file, site_dir)
        done.touch()
    return site_dir


@dataclass(frozen=True)
class Page:
    """One built HTML page: ``file`` is relative to the site root (``faq/index.html``),
    ``url_path`` is how citizens ask for it (``faq/``)."""

    file: str
    url_path: str

    def url(self, base_url: str) -> str:
        return base_url + self.url_path


def built_pages(site_dir: Path) -> list[Page]:
    """Every ``*.html`` of a built site; ``x/index.html`` is asked for as ``x/``."""
    pages = []
    for path in sorted(site_dir.rglob("*.html")):
        file = path.relative_to(site_dir).as_posix()
        url_path = file.removesuffix("index.html") if path.name == "index.html" else file
        pages.append(Page(file, url_path))
    return pages


def require_tools(*, pa11y: bool) -> None:
    """Fail (never skip) when Chromium, or pa11y-ci and Node, are missing."""
    missing = []
    if not Path(CHROMIUM).is_file():
        missing.append(f"Chromium at {CHROMIUM}")
    if pa11y and not PA11Y_CI.exists():
        missing.append(f"pa11y-ci at {PA11Y_CI.relative_to(REPO)}")
    if pa11y and shutil.which("node") is None:
        missing.append("Node.js (node on PATH)")
    if missing:
        pytest.fail(f"missing: {', '.join(missing)}.\n{INSTALL_HINT}", pytrace=False)


# --- pa11y-ci -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Issue:
    """One finding of pa11y (a runner's rule that failed on one element)."""

    runner: str
    type: str
    code: str
    message: str
    selector: str
    context: str


@dataclass
class PageReport:
    """What pa11y found on one URL; ``failure`` is set when it could not test the page at all."""

    url: str
    issues: list[Issue] = field(default_factory=list)
    failure: str | None = None

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.type == "error"]

    @property
    def failed(self) -> bool:
        return self.failure is not None or bool(self.errors)


def pa11yci_defaults() -> dict[str, Any]:
    """The ``defaults`` of the repository's ``.pa11yci.json`` (humans run pa11y-ci with it)."""
    config = json.loads(PA11YCI_JSON.read_text(encoding="utf-8"))
    defaults: dict[str, Any] = config["defaults"]
    return defaults


def run_pa11y_ci(urls: Sequence[str], workdir: Path) -> dict[str, PageReport]:
    """Run pa11y-ci once (one browser) over ``urls`` with ``.pa11yci.json``'s defaults.

    Returns a report per URL. Fails the test, with pa11y-ci's stderr, when pa11y-ci did not run
    (exit code other than 0 and 2, or no JSON report): that is a broken harness, not a finding.
    """
    require_tools(pa11y=True)
    config_file = workdir / "pa11yci.json"
    config_file.write_text(
        json.dumps({"defaults": pa11yci_defaults(), "urls": list(urls)}, indent=2),
        encoding="utf-8",
    )
    env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    command = [str(PA11Y_CI), "--config", str(config_file), "--reporter", "json"]
    try:
        done = subprocess.run(
            command, cwd=REPO, env=env, capture_output=True, text=True, check=False,
            timeout=60 + 30 * len(urls),
        )
    except subprocess.TimeoutExpired as error:
        pytest.fail(f"pa11y-ci timed out after {error.timeout:.0f} s on {len(urls)} pages:\n"
                    f"{error.stderr!r}", pytrace=False)
    report = _json_report(done.stdout)
    if done.returncode not in (0, 2) or report is None:
        pytest.fail(
            f"pa11y-ci did not run (exit code {done.returncode}): `{' '.join(command)}`\n"
            f"--- stderr ---\n{done.stderr.strip()}\n--- stdout ---\n{done.stdout.strip()[:2000]}",
            pytrace=False,
        )
    results: dict[str, list[dict[str, Any]]] = report.get("results", {})
    pages = {url: _page_report(url, results.get(url)) for url in urls}
    if done.returncode == 2 and not any(page.failed for page in pages.values()):
        pytest.fail(f"pa11y-ci exited with 2 but its report lists no error:\n{done.stdout}",
                    pytrace=False)
    return pages


def _json_report(stdout: str) -> dict[str, Any] | None:
    for line in reversed(stdout.splitlines()):
        if line.startswith("{"):
            try:
                report = json.loads(line)
            except json.JSONDecodeError:
                return None
            return report if isinstance(report, dict) else None
    return None


def _page_report(url: str, items: list[dict[str, Any]] | None) -> PageReport:
    if items is None:
        return PageReport(url, failure="pa11y-ci's report does not mention this page")
    page = PageReport(url)
    for item in items:
        if "code" not in item:  # pa11y could not load or test the page
            page.failure = str(item.get("message", item))
            continue
        page.issues.append(Issue(
            runner=str(item.get("runner", "?")), type=str(item.get("type", "error")),
            code=str(item["code"]), message=str(item.get("message", "")),
            selector=str(item.get("selector", "")), context=str(item.get("context", "")),
        ))
    return page


def describe_failures(reports: Sequence[PageReport], name: Callable[[str], str]) -> str:
    """A readable list, page by page, of each error's runner, code, message and selector.

    ``name`` turns a URL into what a reader recognises (the built file, not a random port).
    """
    lines = []
    failed = [report for report in reports if report.failed]
    errors = sum(len(report.errors) for report in failed)
    lines.append(f"pa11y: {errors} error(s) on {len(failed)} of {len(reports)} page(s)")
    for report in failed:
        lines.append("")
        lines.append(f"{name(report.url)}  ({len(report.errors)} error(s))")
        if report.failure:
            lines.append(f"  ! pa11y could not test this page: {report.failure}")
        for issue in report.errors:
            lines.append(f"  - [{issue.runner}] {issue.code}")
            lines.append(f"      {issue.message}")
            lines.append(f"      selector: {issue.selector}")
            context = " ".join(issue.context.split())
            lines.append(f"      element:  {context[:200]}")
    return "\n".join(lines)


# --- collector pages ----------------------------------------------------------------------------

def save_pages(pages: Iterable[tuple[str, int, Reply]], folder: Path) -> list[Path]:
    """Write each ``(file name, expected status, reply)`` of a collector's pages into ``folder``
    and return the files; fails the test, listing every status, when a page came with another
    status than expected (the page saved would not be the one meant)."""
    statuses = {}
    for name, expected, reply in pages:
        statuses[name] = (expected, reply.status)
        (folder / name).write_text(reply.text, encoding="utf-8")
    assert all(expected == got for expected, got in statuses.values()), statuses
    return [folder / name for name in statuses]


def assert_pages_pass_pa11y(site_dir: Path, pages: Iterable[tuple[str, int, Reply]],
                            folder_name: str, workdir: Path) -> None:
    """pa11y-ci (both runners, ``.pa11yci.json``'s defaults) over a collector's pages: 0 errors.

    ``pages`` is read only once the tools are known to be there (a generator serving the pages
    starts its collector then). The pages are saved into ``folder_name`` of a copy of the built
    ``site_dir``, so that everything they link to (``/…`` paths are absolute) resolves when the
    copy is served; pa11y-ci then runs once over them all.
    """
    require_tools(pa11y=True)
    site_copy = workdir / "served"
    shutil.copytree(site_dir, site_copy)
    folder = site_copy / folder_name
    folder.mkdir()
    files = save_pages(pages, folder)
    with serve_site(site_copy) as base_url:
        urls = {f"{base_url}{folder_name}/{file.name}": file.name for file in files}
        reports = run_pa11y_ci(list(urls), workdir)
    failed = [report for report in reports.values() if report.failed]
    assert not failed, describe_failures(list(reports.values()), lambda url: urls[url])
