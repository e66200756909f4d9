"""What the comparison benchmark measured, and the targets of issue #6 computed from it.

Plain data, so that ``bench/performance_page.py`` can be tested with made-up numbers. Every
target is a ratio between two figures of the same run (never an absolute time): a slower or
busier machine moves both sides alike.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

PAGES = {"brief": "", "faq": "faq/", "form": "donner-mon-avis/"}
"""The pages loaded in each build: their name and URL path."""
FORM_PAGE = "form"
EXAMPLE = "example"
"""The site key of the example consultation; generated ones are keyed by their page count."""
GROWTH_TOLERANCE = 0.01
"""A page "does not grow" when it weighs at most 1 % more at 1000 pages than at 10: the same
page may differ by a few bytes of gzip from one build to another."""


@dataclass(frozen=True)
class LoadRow:
    """The median of the first visits of one page of one build over one network."""

    site: str  # EXAMPLE or a page count ("10", "1000")
    build: str  # a Build name
    page: str  # a key of PAGES
    network: str  # "2G" or "3G"
    fcp_ms: float
    usable_form_ms: float | None
    bytes: int
    requests: int
    third_party: int


@dataclass(frozen=True)
class BuildRow:
    """The builds of one consultation size with one configuration."""

    pages: int
    build: str
    seconds: float  # the median
    runs: tuple[float, ...]
    max_rss_kib: int  # the largest of the runs


@dataclass(frozen=True)
class CollectorRow:
    """Answers per second a real ``parole collect`` stored, on one storage backend."""

    backend: str
    answers: int
    seconds: float
    clients: int
    refused: int = 0

    @property
    def per_second(self) -> float:
        return self.answers / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class Results:
    date: str
    chromium: str
    versions: str  # Python, MkDocs, mkdocs-material
    machine: str  # CPU count and model
    runs: int
    build_runs: int
    sizes: tuple[int, ...]
    loads: tuple[LoadRow, ...]
    builds: tuple[BuildRow, ...]
    collector: tuple[CollectorRow, ...]
    command: str

    def load(self, site: str, build: str, page: str, network: str) -> LoadRow | None:
        return next((row for row in self.loads if (row.site, row.build, row.page, row.network)
                     == (site, build, page, network)), None)

    def build_row(self, pages: int, build: str) -> BuildRow | None:
        return next((row for row in self.builds if (row.pages, row.build) == (pages, build)),
                    None)

    @property
    def sites(self) -> list[str]:
        return [site for site in [EXAMPLE, *map(str, self.sizes)]
                if any(row.site == site for row in self.loads)]


def results_from(records: Iterable[dict[str, Any]]) -> Results:
    """The medians of a run's raw records (``bench/raw_log.py``), in the order measured."""
    settings: dict[str, Any] = {}
    chromium = ""
    builds: dict[tuple[int, str], list[dict[str, Any]]] = {}
    loads: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
    collector = []
    for record in records:
        kind = record["kind"]
        if kind == "run":
            settings = _fields(record)
        elif kind == "browser":
            chromium = record["chromium"]
        elif kind == "build":
            builds.setdefault((record["pages"], record["build"]), []).append(record)
        elif kind == "load":
            key = (record["site"], record["build"], record["page"], record["network"])
            loads.setdefault(key, []).append(record)
        elif kind == "collector":
            collector.append(CollectorRow(**_fields(record)))
    return Results(
        **{**settings, "sizes": tuple(settings["sizes"])}, chromium=chromium,
        builds=tuple(_build_median(pages, build, runs) for (pages, build), runs in builds.items()),
        loads=tuple(_load_median(*key, runs) for key, runs in loads.items()),
        collector=tuple(collector))


def _fields(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key != "kind"}


def _build_median(pages: int, build: str, runs: list[dict[str, Any]]) -> BuildRow:
    seconds = tuple(run["seconds"] for run in runs)
    return BuildRow(pages, build, statistics.median(seconds), seconds,
                    max(run["max_rss_kib"] for run in runs))


def _load_median(site: str, build: str, page: str, network: str,
                 loads: list[dict[str, Any]]) -> LoadRow:
    def median(field: str) -> float:
        return float(statistics.median(load[field] for load in loads))

    usable = [load["usable_form_ms"] for load in loads if load["usable_form_ms"] is not None]
    return LoadRow(site, build, page, network, fcp_ms=median("fcp_ms"),
                   usable_form_ms=statistics.median(usable) if usable else None,
                   bytes=round(median("bytes")), requests=round(median("requests")),
                   third_party=round(median("third_party")))


@dataclass(frozen=True)
class Target:
    """One target of the issue: the worst ratio measured, the limit, and where it was."""

    name: str
    ratio: float | None  # None: not measured in this run
    limit: float
    worst: str  # the figures behind the worst ratio, in words

    @property
    def met(self) -> bool:
        return self.ratio is not None and self.ratio <= self.limit


def _pairs(results: Results, network: str | None) -> list[tuple[LoadRow, LoadRow]]:
    """(parole, material defaults) rows of the same site, page and network."""
    pairs = []
    for row in results.loads:
        if row.build != "parole" or (network and row.network != network):
            continue
        other = results.load(row.site, "material", row.page, row.network)
        if other is not None:
            pairs.append((row, other))
    return pairs


def _site_name(site: str) -> str:
    return "the example" if site == EXAMPLE else f"{site} pages"


def bytes_target(results: Results) -> Target:
    return _worst_ratio(
        results, None, "First visit of any page: ≤ 1/6 of the bytes of mkdocs-material's defaults",
        1 / 6, measure=lambda row: row.bytes, shown=lambda value: f"{value:,.0f} B")


def paint_target(results: Results) -> Target:
    return _worst_ratio(
        results, "2G",
        "First contentful paint on emulated 2G: ≤ 1/3 of mkdocs-material's defaults",
        1 / 3, measure=lambda row: row.fcp_ms, shown=lambda value: f"{value:.0f} ms")


def _worst_ratio(results: Results, network: str | None, name: str, limit: float, *,
                 measure: Callable[[LoadRow], float], shown: Callable[[float], str]) -> Target:
    """The target ``name``: the largest ratio of ``measure`` between parole and mkdocs-material's
    defaults on the same site, page (and ``network``)."""
    pairs = _pairs(results, network)
    if not pairs:
        return Target(name, None, limit, "not measured")
    ours, theirs = max(pairs, key=lambda pair: measure(pair[0]) / measure(pair[1]))
    return Target(name, measure(ours) / measure(theirs), limit,
                  f"{ours.page}, {_site_name(ours.site)}: {shown(measure(ours))} against "
                  f"{shown(measure(theirs))}")


def growth_target(results: Results) -> Target:
    small, large = str(min(results.sizes)), str(max(results.sizes))
    name = (f"A page's weight does not grow with the site (parole, {small} → {large} pages, "
            f"≤ +{GROWTH_TOLERANCE:.0%})")
    ratios = []
    for page in PAGES:
        before = results.load(small, "parole", page, "2G")
        after = results.load(large, "parole", page, "2G")
        if before and after:
            ratios.append((after.bytes / before.bytes, page, before.bytes, after.bytes))
    if not ratios or small == large:
        return Target(name, None, 1 + GROWTH_TOLERANCE, "not measured")
    ratio, page, before_bytes, after_bytes = max(ratios)
    return Target(name, ratio, 1 + GROWTH_TOLERANCE,
                  f"{page}: {before_bytes:,} B at {small} pages, {after_bytes:,} B at {large}")


def _build_ratio(results: Results, name: str, *, build: str, reference: str, limit: float,
                 labels: tuple[str, str]) -> Target:
    pages = max(results.sizes)
    ours, theirs = results.build_row(pages, build), results.build_row(pages, reference)
    if ours is None or theirs is None:
        return Target(name, None, limit, "not measured")
    return Target(name, ours.seconds / theirs.seconds, limit,
                  f"{pages} pages: {labels[0]} {ours.seconds:.1f} s, {labels[1]} "
                  f"{theirs.seconds:.1f} s")


def plugin_breakdown(results: Results) -> str | None:
    """Where parole's plugin spends its time in MkDocs' theme at the largest size, in words."""
    pages = max(results.sizes)
    rows = [results.build_row(pages, name) for name in ("mkdocs-bare", "mkdocs-no-checks",
                                                        "mkdocs")]
    if any(row is None for row in rows):
        return None
    bare, no_checks, full = (row.seconds for row in rows if row is not None)
    return (f"Where the plugin's time goes with MkDocs' theme at {pages:,} pages: it adds "
            f"{full - bare:.1f} s to {bare:.1f} s ({(full - bare) / bare:+.0%}); the page-weight "
            f"report and the `.gz` files take {full - no_checks:.1f} s of it "
            f"({(full - no_checks) / bare:+.0%}), everything else it does (forms, FAQ, "
            f"navigation, calendar, site map) {no_checks - bare:.1f} s "
            f"({(no_checks - bare) / bare:+.0%}).")


def targets(results: Results) -> list[Target]:
    """The five targets of issue #6, §2, in its order."""
    return [
        bytes_target(results),
        paint_target(results),
        growth_target(results),
        _build_ratio(results, f"Build of {max(results.sizes)} pages: no slower than "
                     "mkdocs-material lean", build="parole", reference="material-lean",
                     limit=1.0, labels=("parole", "material lean")),
        _build_ratio(results, "parole's plugin adds ≤ 25 % to a build with MkDocs' own theme",
                     build="mkdocs", reference="mkdocs-bare", limit=1.25,
                     labels=("with the plugin", "without")),
    ]
