"""Benchmark: is ``parole audit`` fast enough to run on every build of a big site?

Issue #17 aims at under 2 seconds a page on 2 cores. Measured on the example consultation and
on the 200-page generated one (``bench/sites.py``: the example's pages and 191 explainers made
from its prose), each built as the comparison builds it (``bench/builds.py``, parole's theme and
plugin, a day the form is open), with ``--jobs 1`` and ``--jobs 2`` (pages checked at once, one
browser context each). A measure is ``parole audit`` run as organizers run it, a real process
from start to exit (Python and Chromium starting included): its wall time, the pages it audited
(from its ``audit.json``: the site's pages and the collector's), and so pages per minute and
seconds per page; the median of the runs.

The machine is shared in development: the page says its cores and its load when the run began.
Writes ``bench/results/audit.md``, the aim met or not at its top.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.builds import PAROLE, run_build, write_config
from bench.sites import write_consultation
from tests.audit_run_support import run_audit

NAME = "audit"
AIM_SECONDS = 2.0
"""Seconds a page, on 2 cores, with the jobs that use them (``--jobs 2``)."""
JOBS = (1, 2)
SITES: tuple[tuple[str, int | None], ...] = (("example", None), ("200 pages", 200))
QUICK_SITES: tuple[tuple[str, int | None], ...] = (("example", None), ("20 pages", 20))
MAX_RUNS = 3
"""Runs per measure at most: one run of the 200-page site takes minutes."""


@dataclass(frozen=True)
class Measure:
    """``parole audit`` on one site with ``jobs`` pages at once: the median run."""

    site: str
    jobs: int
    pages: int
    seconds: float
    runs: int
    errors: int
    """Error findings of the last run (the audit's work grows with what it reports)."""
    not_checked: int = 0
    """Pages of the last run that could not be checked (a time limit reached, a crash): a run
    that skips pages is quick for a bad reason, so it cannot meet the aim."""

    @property
    def pages_per_minute(self) -> float:
        return 60 * self.pages / self.seconds

    @property
    def seconds_per_page(self) -> float:
        return self.seconds / self.pages


@dataclass(frozen=True)
class Context:
    date: str
    cores: int
    load: float
    """The 1-minute load average when the run began."""
    browser: str
    axe_core: str
    python: str


def run(runs: int, quick: bool) -> str:
    """Build each site once, then audit it ``min(runs, MAX_RUNS)`` times with each of ``JOBS``
    (``--quick``: once, the 200-page site replaced by a 20-page one)."""
    repeats = 1 if quick else max(1, min(runs, MAX_RUNS))
    load = os.getloadavg()[0]
    measures: list[Measure] = []
    environment: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="parole-bench-audit-") as temporary:
        for label, size in QUICK_SITES if quick else SITES:
            folder = Path(temporary) / label.replace(" ", "-")
            folder.mkdir()
            docs, nav = write_consultation(folder, size)
            config = write_config(folder, PAROLE, docs, nav)
            site = folder / "site"
            run_build(config, site)
            for jobs in JOBS:
                measure, environment = audit_site(label, config, site, jobs, repeats)
                measures.append(measure)
    context = Context(datetime.date.today().isoformat(), os.cpu_count() or 1, load,
                      environment.get("browser", "?"), environment.get("axe_core", "?"),
                      platform.python_version())
    return page(measures, context)


def audit_site(label: str, config: Path, site: Path, jobs: int,
               repeats: int) -> tuple[Measure, dict[str, str]]:
    """``parole audit --jobs N`` on the built ``site`` (its configuration ``config``),
    ``repeats`` times; the median run, and the run's environment (browser, axe-core)."""
    seconds, pages, errors, not_checked = [], 0, 0, 0
    environment: dict[str, str] = {}
    for number in range(repeats):
        output = site.parent / f"report-{jobs}-{number}"
        outcome = run_audit(site, output, "--config", str(config), "--jobs", str(jobs),
                            cwd=config.parent)
        if not outcome.document:
            raise RuntimeError(f"parole audit on {label} wrote no report (exit {outcome.code}):"
                               f"\n{outcome.stderr[-3000:]}")
        seconds.append(outcome.seconds)
        pages = outcome.document["totals"]["pages"]
        errors = outcome.document["totals"]["errors"]
        not_checked = outcome.document["totals"]["pages_failed"]
        environment = outcome.document["run"]["environment"]
    return (Measure(label, jobs, pages, statistics.median(seconds), repeats, errors, not_checked),
            environment)


def verdict(measures: Sequence[Measure]) -> str:
    """The aim against the measures: every site with ``--jobs 2`` under ``AIM_SECONDS``, every
    page checked."""
    two = [measure for measure in measures if measure.jobs == 2]
    slow = [measure for measure in two
            if measure.seconds_per_page >= AIM_SECONDS or measure.not_checked]
    said = "; ".join(f"{measure.site} {measure.seconds_per_page:.2f} s a page"
                     for measure in two)
    if not two:
        return "**Aim not measured**: no run with `--jobs 2`."
    skipped = "; ".join(f"{measure.site}: {measure.not_checked} pages not checked"
                        for measure in two if measure.not_checked)
    if slow:
        return (f"**Aim not met: under {AIM_SECONDS:g} s a page on 2 cores, every page "
                f"checked** (`--jobs 2`: {said}{'; ' + skipped if skipped else ''}).")
    return f"**Aim met: under {AIM_SECONDS:g} s a page on 2 cores** (`--jobs 2`: {said})."


def page(measures: Sequence[Measure], context: Context) -> str:
    """The results page: the aim first, then one row per site and jobs."""
    lines = [
        "# `parole audit`: pages per minute",
        "",
        verdict(measures),
        "",
        f"Measured on {context.date}, {context.cores} cores (load {context.load:.2f} when the "
        f"run began), {context.browser}, axe-core {context.axe_core}, Python {context.python}. "
        "Each measure is `parole audit` run as a process from start to exit (Python and "
        "Chromium starting, the pages served and checked in every condition, the report "
        "written): the median of its runs. Pages are those in its `audit.json`: the site's and "
        "the collector's. Regenerate with `.venv/bin/python -m bench audit`.",
        "",
        "| site | jobs | pages | seconds | pages per minute | seconds a page | runs "
        "| errors found | pages not checked |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    lines += [f"| {measure.site} | {measure.jobs} | {measure.pages} | {measure.seconds:.1f} "
              f"| {measure.pages_per_minute:.1f} | {measure.seconds_per_page:.2f} "
              f"| {measure.runs} | {measure.errors} | {measure.not_checked} |"
              for measure in measures]
    return "\n".join(lines) + "\n"
