"""Benchmark: parole side by side with mkdocs-material and MkDocs' theme (issue #6, §1-2).

Builds the example consultation and generated ones of :data:`bench.sites.SIZES` pages in the
ways of ``bench/builds.py``, times the builds of each size (median of ``build_runs``,
interleaved), serves every loaded build like nginx with ``gzip_static``, loads the brief, the
FAQ and the form page of each on a first visit over 2G and 3G (median of ``runs``, interleaved),
measures a real collector on SQLite and PostgreSQL, and writes ``docs/PERFORMANCE.md``
(``bench/performance_page.py``) with the targets computed from the numbers. Every raw number is
written to :data:`RAW_LOG` as soon as it is measured (``bench/raw_log.py``), and the page is
computed from that file.

    .venv/bin/python -m bench comparison                  # the full run (long)
    .venv/bin/python -m bench comparison --quick --runs 1 # a rough one; printed, not written
    .venv/bin/python -m bench comparison --from-raw       # the page again from the raw numbers
"""

from __future__ import annotations

import datetime
import os
import platform
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench import collector_load, raw_log
from bench.browser import NETWORKS
from bench.builds import BUILDS, PAROLE, run_build, write_config
from bench.comparison_results import EXAMPLE, FORM_PAGE, PAGES, Results, results_from
from bench.page_loads import first_visit
from bench.performance_page import RAW_NUMBERS, intro_of, markdown
from bench.raw_log import RawLog
from bench.sites import SIZES, write_consultation
from site_builder.precompress import precompress_site
from tests.support import CHROMIUM, CHROMIUM_ARGS, serve_site

NAME = "comparison"
REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "docs" / "PERFORMANCE.md"
RAW_LOG = REPO / RAW_NUMBERS
BUILD_RUNS = 5  # the issue asks for 3; on a shared virtual machine 3 were too few to be stable
QUICK_SIZES = (10, 40)


def _say(message: str) -> None:
    print(f"{NAME}: {message}", file=sys.stderr, flush=True)


def time_builds(root: Path, sizes: tuple[int, ...], build_runs: int, log: RawLog
                ) -> dict[str, dict[str, Path]]:
    """Build every size in every way ``build_runs`` times (the order of the builds rotates
    from one run to the next), logging each; returns the last site of each loaded build."""
    sites: dict[str, dict[str, Path]] = {}
    for pages in sizes:
        folder = root / str(pages)
        docs, nav = write_consultation(folder, pages)
        configs = {build.name: write_config(folder, build, docs, nav) for build in BUILDS}
        for run in range(build_runs):
            order = BUILDS[run % len(BUILDS):] + BUILDS[:run % len(BUILDS)]
            for build in order:
                _say(f"build {pages} pages, {build.name}, run {run + 1}/{build_runs}")
                built = run_build(configs[build.name], folder / f"site-{build.name}")
                log.add("build", pages=pages, build=build.name, run=run + 1, **asdict(built))
        sites[str(pages)] = {build.name: folder / f"site-{build.name}" for build in BUILDS
                             if build.loaded}
    return sites


def build_example(root: Path) -> dict[str, Path]:
    folder = root / EXAMPLE
    docs, nav = write_consultation(folder, None)
    sites = {}
    for build in BUILDS:
        if build.loaded:
            _say(f"build the example, {build.name}")
            site = folder / f"site-{build.name}"
            run_build(write_config(folder, build, docs, nav), site)
            sites[build.name] = site
    return sites


def _targets(urls: dict[str, dict[str, str]]) -> Iterator[tuple[str, str, str, str]]:
    """(site, build, page, URL) of every page to load, in a fixed interleaved order."""
    for page, path in PAGES.items():
        for site, builds in urls.items():
            for build, base in builds.items():
                yield site, build, page, base + path


def load_pages(sites: dict[str, dict[str, Path]], runs: int, log: RawLog) -> None:
    """First visits of every page of every loaded build, ``runs`` times per network, each
    logged with the Chromium version."""
    with ExitStack() as stack, sync_playwright() as playwright:
        for built in sites.values():
            for folder in built.values():
                precompress_site(folder)  # the same serving policy for every build
        urls = {site: {build: stack.enter_context(serve_site(path))
                       for build, path in built.items()} for site, built in sites.items()}
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=CHROMIUM_ARGS)
        log.add("browser", chromium=browser.version)
        for _site, _build, page, url in _targets({EXAMPLE: urls[EXAMPLE]}):  # warm-up
            first_visit(browser, NETWORKS[-1], url, form=page == FORM_PAGE)
        for network in NETWORKS:
            for run in range(runs):
                _say(f"loads on {network.name}, run {run + 1}/{runs}")
                for site, build, page, url in _targets(urls):
                    visit = first_visit(browser, network, url, form=page == FORM_PAGE)
                    log.add("load", site=site, build=build, page=page, network=network.name,
                            run=run + 1, **asdict(visit))
        browser.close()


def _versions() -> str:
    packages = ", ".join(f"{name} {metadata.version(name)}"
                         for name in ("mkdocs", "mkdocs-material", "playwright"))
    return f"Python {platform.python_version()}, {packages}"


def _machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        model = next((line.split(":", 1)[1].strip() for line in
                      cpuinfo.read_text(encoding="utf-8").splitlines()
                      if line.startswith("model name")), "")
    return f"{os.cpu_count()} CPUs{', ' + model if model else ''}"


def command_line(runs: int, *, quick: bool) -> str:
    """The command that measures again what a run with these settings measured."""
    return (f".venv/bin/python -m bench {NAME}" + (" --quick" if quick else "")
            + ("" if runs == 5 else f" --runs {runs}"))


def measure(runs: int, *, quick: bool = False, collector: bool = True,
            raw_file: Path = RAW_LOG) -> Results:
    """Everything the page shows, each raw number written to ``raw_file`` as it is measured,
    then computed from that file. ``quick``: small sites and one build each, for development."""
    sizes = QUICK_SIZES if quick else SIZES
    build_runs = 1 if quick else BUILD_RUNS
    command = command_line(runs, quick=quick)
    with RawLog(raw_file) as log, tempfile.TemporaryDirectory(
            prefix="parole-bench-comparison-") as temporary:
        log.add("run", date=datetime.date.today().isoformat(), versions=_versions(),
                machine=_machine(), runs=runs, build_runs=build_runs, sizes=list(sizes),
                command=command)
        root = Path(temporary)
        sites = time_builds(root, sizes, build_runs, log)
        sites = {EXAMPLE: build_example(root), **sites}
        load_pages(sites, runs, log)
        if collector:
            _say("collector: SQLite and PostgreSQL")
            for row in collector_load.measure(sites[EXAMPLE][PAROLE.name],
                                              seconds=3.0 if quick else 10.0):
                log.add("collector", **asdict(row))
    return results_from(raw_log.read(raw_file))


def run(runs: int, quick: bool = False) -> str:
    """Measure and return the page."""
    if not quick:
        return page(measure(runs))
    with tempfile.TemporaryDirectory(prefix="parole-bench-quick-") as temporary:
        # a rough run leaves the committed raw numbers alone
        return page(measure(runs, quick=True, raw_file=Path(temporary) / RAW_LOG.name))


def page_from_raw() -> str:
    """The page computed again from the last run's raw numbers (:data:`RAW_LOG`), measuring
    nothing: after a change to how the page is written."""
    if not RAW_LOG.is_file():
        raise FileNotFoundError(f"{RAW_LOG} does not exist: run the benchmark first "
                                f"(.venv/bin/python -m bench {NAME})")
    return page(results_from(raw_log.read(RAW_LOG)))


def page(results: Results) -> str:
    """The page of ``results``, keeping the hand-written introduction of ``OUTPUT``."""
    existing = OUTPUT.read_text(encoding="utf-8") if OUTPUT.is_file() else None
    return markdown(results, intro_of(existing))
