"""Benchmark: the parole stylesheet inlined in every page, or linked once and cached?

Builds the example consultation twice (``theme.stylesheet: inline`` and ``link``), serves each
like nginx (precompressed gzip, ``Last-Modified``; files a day old), and loads it in Chromium over
throttled 2G and 3G: (a) the home page on a first visit (cold cache), (b) a second page (FAQ)
reached after the home page in the same browser (warm cache). Median of ``runs`` loads each.
Writes ``bench/results/css-delivery.md``; the decision paragraph is computed from the numbers.
"""

from __future__ import annotations

import datetime
import logging
import math
import os
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.utils.yaml import yaml_load
from playwright.sync_api import sync_playwright

from bench.browser import NETWORKS, Load, Network, cold_load, warm_load
from tests.support import CHROMIUM, CHROMIUM_ARGS, serve_site

NAME = "css-delivery"
REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "mkdocs.yml"
MODES = ("inline", "link")
SECOND_PAGE = "faq/"
VISITS = {"first": "first visit: home, cold cache",
          "second": f"second page: {SECOND_PAGE}, warm cache"}


@dataclass(frozen=True)
class Row:
    """The median of the loads of one mode, for one network and one kind of visit."""

    network: Network
    visit: str  # a key of VISITS
    mode: str  # one of MODES
    fcp_ms: float
    bytes: int
    requests: int
    fcp_range: tuple[float, float] = (0.0, 0.0)  # fastest and slowest load, to show the spread


@dataclass(frozen=True)
class Results:
    date: str
    chromium: str
    runs: int
    rows: tuple[Row, ...]

    def row(self, network: Network, visit: str, mode: str) -> Row:
        return next(row for row in self.rows
                    if (row.network, row.visit, row.mode) == (network, visit, mode))


ONE_DAY = 24 * 3600


def age_site(site_dir: Path, seconds: int = ONE_DAY) -> None:
    """Set every file's modification time ``seconds`` in the past."""
    when = time.time() - seconds
    for file in site_dir.rglob("*"):
        os.utime(file, (when, when))


def build(mode: str, site_dir: Path) -> Path:
    """Build the example consultation with ``theme.stylesheet: <mode>`` into ``site_dir``."""
    with CONFIG.open(encoding="utf-8") as source:
        theme = yaml_load(source)["theme"]
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    config = load_config(str(CONFIG), site_dir=str(site_dir), strict=False,
                         theme={**theme, "stylesheet": mode})
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    mkdocs_build(config)
    if not (site_dir / SECOND_PAGE / "index.html").is_file():
        raise SystemExit(f"css-delivery: the example has no {SECOND_PAGE} page; set SECOND_PAGE "
                         f"in {Path(__file__).name} to a page of {CONFIG}")
    age_site(site_dir)
    return site_dir


def median_row(network: Network, visit: str, mode: str, loads: Sequence[Load]) -> Row:
    paints = [load.fcp_ms for load in loads]
    return Row(network, visit, mode, statistics.median(paints),
               round(statistics.median(load.bytes for load in loads)),
               round(statistics.median(load.requests for load in loads)),
               (min(paints), max(paints)))


def measure(runs: int) -> Results:
    """Build both variants and load each ``runs`` times per network and visit (interleaved)."""
    loads: dict[tuple[Network, str, str], list[Load]] = {}
    with tempfile.TemporaryDirectory(prefix="parole-bench-") as temporary, \
            serve_site(build("inline", Path(temporary) / "inline")) as inline_url, \
            serve_site(build("link", Path(temporary) / "link")) as link_url, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        urls = {"inline": inline_url, "link": link_url}
        for base in urls.values():  # not counted: the first loads of a browser are slower
            warm_load(browser, NETWORKS[-1], base, base + SECOND_PAGE)
        for network in NETWORKS:
            for _ in range(runs):
                for mode, base in urls.items():  # interleaved, so drift hits both modes alike
                    loads.setdefault((network, "first", mode), []).append(
                        cold_load(browser, network, base))
                    loads.setdefault((network, "second", mode), []).append(
                        warm_load(browser, network, base, base + SECOND_PAGE))
        version = browser.version
        browser.close()
    rows = tuple(median_row(*key, values) for key, values in loads.items())
    return Results(datetime.date.today().isoformat(), version, runs, rows)


NOISE_MS = 20  # paint times are coarsened by the browser; closer than this is a tie


def _count(difference: int, unit: str) -> str:
    if difference == 0:
        return f"the same number of {unit}s"
    plural = "s" if abs(difference) > 1 else ""
    return f"{abs(difference):,} {unit}{plural} {'fewer' if difference < 0 else 'more'}"


def _compare(results: Results, network: Network, visit: str) -> str:
    inline, link = (results.row(network, visit, mode) for mode in MODES)
    faster, slower = (inline, link) if inline.fcp_ms <= link.fcp_ms else (link, inline)
    gap = slower.fcp_ms - faster.fcp_ms
    costs = (f"{_count(faster.bytes - slower.bytes, 'byte')} and "
             f"{_count(faster.requests - slower.requests, 'request')}")
    if gap < NOISE_MS:
        return f"on {network.name}, no measurable difference ({gap:.0f} ms); {faster.mode}: {costs}"
    return (f"on {network.name}, **{faster.mode}** paints {gap:.0f} ms sooner "
            f"({100 * gap / slower.fcp_ms:.0f} %), with {costs}")


def _fastest(results: Results, network: Network, visit: str) -> str:
    return min(MODES, key=lambda mode: results.row(network, visit, mode).fcp_ms)


def decision(results: Results) -> str:
    """Which mode wins each visit, and the default that follows (the first visit counts most)."""
    target = NETWORKS[0]  # 2G: the network parole is designed for
    default = _fastest(results, target, "first")
    other = next(mode for mode in MODES if mode != default)
    lines = [
        "First visit: " + "; ".join(_compare(results, n, "first") for n in NETWORKS) + ".",
        "Second page: " + "; ".join(_compare(results, n, "second") for n in NETWORKS) + ".",
        f"Decision: **{default}** is the default, because it paints the first page sooner on "
        f"{target.name}, and the first visit is the one every citizen makes (many read one "
        "page, reached from a letter, a text message or a QR code).",
    ]
    loss = (results.row(target, "first", other).fcp_ms
            - results.row(target, "first", default).fcp_ms)
    gain = (results.row(target, "second", default).fcp_ms
            - results.row(target, "second", other).fcp_ms)
    if gain >= NOISE_MS:
        pages = 1 + math.ceil(loss / gain)
        lines.append(
            f"`{other}` gains {gain:.0f} ms on {target.name} on each later page of a visit, so it "
            f"catches up only after {pages} pages read in one visit; a site whose readers "
            f"usually read that many can set `theme: {{stylesheet: {other}}}`.")
    return "\n\n".join(lines)


def markdown(results: Results) -> str:
    """The results page: context, one table, the decision."""
    lines = [
        "# CSS delivery: inline `<style>` or linked stylesheet",
        "",
        f"Measured on {results.date} with Chromium {results.chromium}, median of "
        f"{results.runs} loads, by `.venv/bin/python -m bench {NAME}` "
        "(`bench/css_delivery.py`). The example consultation, built with "
        "`theme: {stylesheet: inline}` and `{stylesheet: link}`, served with precompressed gzip "
        "and nginx's default headers (files a day old), network throttled over the DevTools "
        "protocol. Bytes are what crossed the network (gzip), headers included.",
        "",
        "| network | visit | stylesheet | first contentful paint (fastest-slowest) | bytes "
        "| requests |",
        "|---|---|---|---:|---:|---:|",
    ]
    for network in NETWORKS:
        for visit, label in VISITS.items():
            for mode in MODES:
                row = results.row(network, visit, mode)
                low, high = row.fcp_range
                lines.append(f"| {network.describe()} | {label} | {mode} | {row.fcp_ms:.0f} ms "
                             f"({low:.0f}-{high:.0f}) | {row.bytes:,} | {row.requests} |")
    return "\n".join([*lines, "", "## Decision", "", decision(results), ""])


def run(runs: int, quick: bool = False) -> str:
    """Measure and return the results page (``bench/__main__.py`` writes it); ``quick`` changes
    nothing here: the benchmark is short already."""
    return markdown(measure(runs))
