"""Benchmark: what the plain-language measure costs a build (issue #18).

Every build measures each page's readability (``plugins/parole/readability.py``). Does that
slow a big site's build? Measured on the example consultation and on the 200-page generated one
(``bench/sites.py``), each built as the comparison builds it (``bench/builds.py``: parole's theme
and plugin, a day the form is open) twice: as is, and with ``plain_language: {enabled: false}``.
A build is ``mkdocs build`` in a child process, timed from start to exit (imports included), as
an organizer waits for it. The two builds take turns, the first of each round alternating
(with, without; without, with; …), so that a machine busier for a while slows both alike; a
measure is the median of its runs.

Beside the builds, the measure alone: ``analyse_markdown`` over every page's markdown in this
process, as the plugin calls it, in CPU time (the median of as many passes, each starting cold):
the work the measure does, whichever core does it. The build measures its pages in batches on a
spare core while MkDocs reads the next ones (``plugins/parole/readability.py``), so on two cores
a build waits for much less than that work.

The aim: the measure makes the build longer by at most :data:`AIM_SHARE` (the difference between
the two builds' medians, as a share of the build with the measure), on the biggest site. Writes
``bench/results/readability.md``, the aim met or not at its top; the machine's cores and load
at the start and the end of the run are written beside the numbers (it is shared in
development).
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.builds import PAROLE, Build, run_build, write_config
from bench.sites import write_consultation
from site_builder.plain_language import (
    TARGETS,
    analyse_markdown,
    common_words,
    count_syllables,
    words,
)

NAME = "readability"
AIM_SHARE = 0.10
"""The measure's cost as a share of the whole build, at most."""
WITHOUT = Build("parole-without-plain-language", "parole, `plain_language: {enabled: false}`",
                PAROLE.theme, search=False, loaded=False,
                plugin_options={"plain_language": {"enabled": False}})
SITES: tuple[tuple[str, int | None], ...] = (("example", None), ("200 pages", 200))
QUICK_SITES: tuple[tuple[str, int | None], ...] = (("example", None), ("20 pages", 20))


@dataclass(frozen=True)
class Measure:
    """One site built with and without the measure: each build's runs (seconds, in the order
    they ran), the peak memory of the median runs (KiB), and the measure alone."""

    site: str
    pages: int
    with_runs: tuple[float, ...]
    without_runs: tuple[float, ...]
    with_peak_kib: int
    without_peak_kib: int
    measure_alone: float
    """CPU seconds: ``analyse_markdown`` over the site's pages, in this process (median)."""

    @property
    def with_measure(self) -> float:
        return statistics.median(self.with_runs)

    @property
    def without_measure(self) -> float:
        return statistics.median(self.without_runs)

    @property
    def difference(self) -> float:
        return self.with_measure - self.without_measure

    @property
    def share(self) -> float:
        """The difference as a share of the build with the measure."""
        return self.difference / self.with_measure

    @property
    def alone_share(self) -> float:
        """The measure alone as a share of the build with the measure."""
        return self.measure_alone / self.with_measure


@dataclass(frozen=True)
class Context:
    date: str
    cores: int
    load_before: float
    """The 1-minute load average when the run began, and when it ended."""
    load_after: float
    python: str


def run(runs: int, quick: bool) -> str:
    """Build each site ``runs`` times with and without the measure, interleaved (``--quick``:
    once each, the 200-page site replaced by a 20-page one)."""
    repeats = 1 if quick else max(1, runs)
    load_before = os.getloadavg()[0]
    measures = []
    with tempfile.TemporaryDirectory(prefix="parole-bench-readability-") as temporary:
        for label, size in QUICK_SITES if quick else SITES:
            folder = Path(temporary) / label.replace(" ", "-")
            folder.mkdir()
            measures.append(measure_site(label, folder, size, repeats))
    context = Context(datetime.date.today().isoformat(), os.cpu_count() or 1, load_before,
                      os.getloadavg()[0], platform.python_version())
    return page(measures, context)


def measure_site(label: str, folder: Path, size: int | None, repeats: int) -> Measure:
    """The consultation of ``size`` pages (the example: None) written in ``folder``, built
    ``repeats`` times each way, taking turns, then measured alone ``repeats`` times."""
    docs, nav = write_consultation(folder, size)
    configs = {build.name: write_config(folder, build, docs, nav) for build in (PAROLE, WITHOUT)}
    runs: dict[str, list[tuple[float, int]]] = {PAROLE.name: [], WITHOUT.name: []}
    for round_number in range(repeats):
        order = (PAROLE, WITHOUT) if round_number % 2 == 0 else (WITHOUT, PAROLE)
        for build in order:
            done = run_build(configs[build.name], folder / f"site-{build.name}")
            runs[build.name].append((done.seconds, done.max_rss_kib))
    pages = [path.read_text(encoding="utf-8") for path in sorted(docs.rglob("*.md"))]
    alone = statistics.median(_measure_alone(pages) for _ in range(repeats))
    return Measure(label, len(pages),
                   tuple(seconds for seconds, _ in runs[PAROLE.name]),
                   tuple(seconds for seconds, _ in runs[WITHOUT.name]),
                   _median_peak(runs[PAROLE.name]), _median_peak(runs[WITHOUT.name]), alone)


def _measure_alone(pages: Sequence[str]) -> float:
    """CPU seconds to measure ``pages`` (other processes on the machine do not count, as they
    would in wall time), starting cold as a build does: the syllables and common words
    remembered by an earlier pass forgotten."""
    count_syllables.cache_clear()
    common_words.cache_clear()
    words._ranks.cache_clear()
    start = time.process_time()
    for markdown in pages:
        analyse_markdown(markdown, "fr", TARGETS["default"])
    return time.process_time() - start


def _median_peak(runs: Sequence[tuple[float, int]]) -> int:
    """The peak memory of the median run (by time)."""
    ordered = sorted(runs)
    return ordered[(len(ordered) - 1) // 2][1]


def verdict(measures: Sequence[Measure]) -> str:
    """The aim against the biggest site measured: the difference between the builds at most
    ``AIM_SHARE`` of the build with the measure."""
    if not measures:
        return "**Aim not measured**: no site built."
    biggest = max(measures, key=lambda measure: measure.pages)
    said = (f"{biggest.site}: {biggest.difference:+.2f} s, {_percent(biggest.share)} of the "
            f"build; the measure's own work {biggest.measure_alone:.2f} s of CPU")
    met = "met" if biggest.share <= AIM_SHARE else "not met"
    return (f"**Aim {met}: the measure makes the build at most {_percent(AIM_SHARE)} longer** "
            f"({said}).")


def _percent(share: float) -> str:
    return f"{100 * share:.1f} %"


def page(measures: Sequence[Measure], context: Context) -> str:
    """The results page: the aim first, then one row per site, then every run."""
    lines = [
        "# The plain-language measure: its cost in a build",
        "",
        verdict(measures),
        "",
        f"Measured on {context.date}, {context.cores} cores (load {context.load_before:.2f} "
        f"when the run began, {context.load_after:.2f} when it ended), Python "
        f"{context.python}. Each build is `mkdocs build` of parole's theme and plugin in a "
        "child process, from start to exit; with and without `plain_language: {enabled: "
        "false}`, taking turns, the median of the runs. The measure alone is "
        "`analyse_markdown` over the site's pages in one process, in CPU time, the median of as "
        "many passes each starting cold (its share is of the build's wall time): the work, "
        "which a build does on a spare core, in batches of pages, while MkDocs reads the next "
        "ones. On a shared machine, the difference between two builds is noisy (it can even "
        "come out below zero); the measure alone much less. Regenerate with "
        "`.venv/bin/python -m bench readability`.",
        "",
        "| site | pages | build with the measure (s) | without (s) | difference (s) "
        "| share of the build | the measure alone (CPU s) | its share | peak memory with / "
        "without (MiB) |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    lines += [f"| {measure.site} | {measure.pages} | {measure.with_measure:.2f} "
              f"| {measure.without_measure:.2f} | {measure.difference:+.2f} "
              f"| {_percent(measure.share)} | {measure.measure_alone:.3f} "
              f"| {_percent(measure.alone_share)} | {measure.with_peak_kib / 1024:.0f} / "
              f"{measure.without_peak_kib / 1024:.0f} |"
              for measure in measures]
    lines += ["", "Every build, in the order it ran (seconds):", ""]
    lines += [f"- {measure.site}: with {_runs(measure.with_runs)}; without "
              f"{_runs(measure.without_runs)}" for measure in measures]
    return "\n".join(lines) + "\n"


def _runs(seconds: Sequence[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in seconds)
