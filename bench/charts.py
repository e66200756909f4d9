"""Benchmark: the results page's charts drawn by parole's own renderer
(``site_builder/results/charts.py``) or by a maintained library, pygal or matplotlib?

Issue #16 asks for accessible, light SVG: each chart is measured on the same two figures the
goldens draw (``tests/chart_support.py``: a closed question of five answers, one protected;
60 days of answers with protected days), as bytes raw and gzipped, render time, and what the
SVG needs or carries: a script, a stylesheet, a named font or glyph outlines, ids (several
charts share a page), colours of its own (a chart should take the page's text colour, for dark
mode and print), a title/description/ARIA, and whether the same data gives the same bytes twice
(goldens, reproducible builds). Then what each library installs.

The libraries are not parole's dependencies: the benchmark measures them only when they import,
and says so otherwise. To measure them, in a throwaway virtual environment::

    python3 -m venv /tmp/chartlibs && /tmp/chartlibs/bin/pip install pygal matplotlib
    PYTHONPATH=/tmp/chartlibs/lib/python3.11/site-packages .venv/bin/python -m bench charts

Writes ``bench/results/charts.md``, the decision at its top.
"""

from __future__ import annotations

import datetime
import gzip
import importlib
import io
import math
import platform
import re
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import Any

from site_builder.results import charts
from tests.chart_support import FIVE, FR, with_gaps

NAME = "charts"
CHARTS = ("5 bars", "60 days")
LIBRARIES = ("pygal", "matplotlib")
PAROLE_MODULE = Path(charts.__file__)


@dataclass(frozen=True)
class Output:
    """One renderer's SVG of one chart, and what it carries."""

    renderer: str
    chart: str
    raw: int
    gzipped: int
    milliseconds: float
    scripts: int
    external: int
    """References to other sites (a script, a stylesheet): a request to a third party."""
    stylesheets: int
    style_attributes: int
    fonts: str
    """"page's" (no font named: the page's system font), a named family, or "glyph outlines"."""
    ids: int
    fixed_colours: int
    current_color: bool
    accessibility: str
    """What the SVG says to assistive technologies: title, desc, role, aria-*."""
    same_twice: bool
    shared_ids: int = 0
    """Ids this chart has in common with the renderer's other chart: on one page, two charts
    would collide (set by ``run`` once both are drawn)."""


@dataclass(frozen=True)
class Install:
    """What a library brings into a virtual environment: itself and its dependencies."""

    library: str
    version: str
    megabytes: float
    distributions: tuple[str, ...]


@dataclass(frozen=True)
class Renderer:
    name: str
    library: str | None
    """The library it needs, None for parole's own."""
    setup: str
    """How it was configured, for the page."""
    draw: Callable[[str], str]


def run(runs: int, quick: bool) -> str:
    """Draw each chart ``runs`` times (at least 3) with every renderer that imports."""
    repeats = max(runs, 3)
    available = {library: _imports(library) for library in LIBRARIES}
    outputs = []
    for renderer in renderers():
        if renderer.library is None or available[renderer.library]:
            outputs += with_shared_ids([measure(renderer, chart, repeats) for chart in CHARTS],
                                       [renderer.draw(chart) for chart in CHARTS])
    installs = [install_size(library) for library in LIBRARIES if available[library]]
    missing = [library for library in LIBRARIES if not available[library]]
    return page(outputs, installs, missing, datetime.date.today().isoformat(),
                parole_bytes=PAROLE_MODULE.stat().st_size)


def _imports(library: str) -> bool:
    try:
        importlib.import_module(library)
    except ImportError:
        return False
    return True


def measure(renderer: Renderer, chart: str, repeats: int) -> Output:
    times, svg = [], ""
    for _ in range(repeats):
        started = time.perf_counter()
        svg = renderer.draw(chart)
        times.append((time.perf_counter() - started) * 1000)
    return inspect(renderer.name, chart, svg, statistics.median(times),
                   same_twice=renderer.draw(chart) == svg)


def with_shared_ids(outputs: list[Output], svgs: list[str]) -> list[Output]:
    """``outputs`` with ``shared_ids``: the ids each chart has in common with the others."""
    ids = [set(re.findall(r'\sid="([^"]+)"', svg)) for svg in svgs]
    return [replace(out, shared_ids=len(mine & set().union(*(ids[:at] + ids[at + 1:]))))
            for at, (out, mine) in enumerate(zip(outputs, ids, strict=True))]


def inspect(renderer: str, chart: str, svg: str, milliseconds: float, *,
            same_twice: bool) -> Output:
    """What one SVG weighs, needs and carries (counted in its text)."""
    raw = svg.encode()
    families = sorted(set(re.findall(r"font-family[:=]\s*\"?'?([^;\"',}]+)", svg)))
    glyphs = len(re.findall(r'<path id="[A-Za-z]+-[0-9a-f]+"', svg))
    fonts = ("glyph outlines" if glyphs else ", ".join(families) if families else "page's")
    said = [name for name, pattern in (("title", r"<title"), ("desc", r"<desc"),
                                       ("role", r"\srole="), ("aria", r"\saria-"))
            if re.search(pattern, svg)]
    return Output(
        renderer=renderer, chart=chart, raw=len(raw),
        gzipped=len(gzip.compress(raw, compresslevel=9, mtime=0)),
        milliseconds=milliseconds,
        scripts=svg.count("<script"),
        external=len(re.findall(r'(?:href|src)="(?:https?:)?//', svg)),
        stylesheets=svg.count("<style"),
        style_attributes=len(re.findall(r'\sstyle="', svg)), fonts=fonts,
        ids=len(re.findall(r'\sid="', svg)),
        fixed_colours=len(set(re.findall(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|rgba?\(", svg))),
        current_color="currentColor" in svg,
        accessibility=", ".join(said) or "nothing", same_twice=same_twice,
    )


def install_size(library: str) -> Install:
    """The bytes of ``library``'s installed files and of every distribution it requires
    (extras left out), as ``pip`` put them in site-packages."""
    seen: dict[str, metadata.Distribution] = {}
    for name in _closure(library):
        try:
            seen[name] = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
    total = 0
    for distribution in seen.values():
        for file in distribution.files or ():
            path = Path(str(file.locate()))
            if path.is_file():
                total += path.stat().st_size
    return Install(library, metadata.version(library), total / 1024 / 1024,
                   tuple(sorted(seen)))


def _closure(library: str) -> Iterator[str]:
    pending, done = [library], set()
    while pending:
        name = _normalise(pending.pop())
        if name in done:
            continue
        done.add(name)
        yield name
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        pending += [re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0]
                    for requirement in requires if "extra ==" not in requirement]


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# --- the renderers ------------------------------------------------------------------------------

DAYS = with_gaps()


def renderers() -> list[Renderer]:
    return [
        Renderer("parole", None, "`bar_chart`, `day_chart` (French axis)", _parole),
        Renderer("pygal defaults", "pygal", "`HorizontalBar()`, `Line()`, one series each",
                 lambda chart: _pygal(chart, light=False)),
        Renderer("pygal lightest", "pygal",
                 "`js=[]`, `css=[]`, no legend, no XML declaration, 300 x 200 px, values printed "
                 "on the bars, `allow_interruptions` (a gap at a protected day)",
                 lambda chart: _pygal(chart, light=True)),
        Renderer("matplotlib defaults", "matplotlib", "SVG backend, `barh` / `plot`, 3 x 2 in",
                 lambda chart: _matplotlib(chart, light=False)),
        Renderer("matplotlib lightest", "matplotlib",
                 "`svg.fonttype: none` (text as text), `svg.hashsalt` fixed, no metadata, no "
                 "frame, `bar_label` with parole's texts, NaN at protected days",
                 lambda chart: _matplotlib(chart, light=True)),
    ]


def _parole(chart: str) -> str:
    if chart == "5 bars":
        return charts.bar_chart(FIVE)
    return charts.day_chart(DAYS, catalogue=FR)


def _pygal(chart: str, *, light: bool) -> str:
    pygal: Any = importlib.import_module("pygal")
    options: dict[str, Any] = {}
    if light:
        options = {"js": [], "css": [], "show_legend": False, "disable_xml_declaration": True,
                   "width": 300, "height": 200, "print_values": True,
                   "allow_interruptions": True}
    if chart == "5 bars":
        figure = pygal.HorizontalBar(**options)
        figure.x_labels = [bar.label for bar in FIVE]
        figure.add("réponses", [bar.value for bar in FIVE])
    else:
        figure = pygal.Line(**options, show_minor_x_labels=False, x_labels_major_count=4)
        figure.x_labels = [charts.short_date(item.day, FR) for item in DAYS]
        figure.add("réponses", [item.value for item in DAYS])
    return str(figure.render(is_unicode=True))


def _matplotlib(chart: str, *, light: bool) -> str:
    matplotlib: Any = importlib.import_module("matplotlib")
    matplotlib.use("svg")
    pyplot: Any = importlib.import_module("matplotlib.pyplot")
    settings = {"svg.fonttype": "none", "svg.hashsalt": "parole"} if light else {}
    with matplotlib.rc_context(settings):
        figure, axes = pyplot.subplots(figsize=(3.125, 2.083))
        try:
            if chart == "5 bars":
                drawn = axes.barh([bar.label for bar in FIVE], [bar.value or 0 for bar in FIVE])
                if light:
                    axes.bar_label(drawn, labels=[bar.text for bar in FIVE])
            else:
                axes.plot([item.day for item in DAYS],
                          [math.nan if item.value is None else item.value for item in DAYS])
            if light:
                for side in ("top", "right"):
                    axes.spines[side].set_visible(False)
            buffer = io.StringIO()
            figure.savefig(buffer, format="svg",
                           metadata={"Date": None, "Creator": None} if light else None)
        finally:
            pyplot.close(figure)
    return buffer.getvalue()


# --- the page -----------------------------------------------------------------------------------

def page(outputs: Sequence[Output], installs: Sequence[Install], missing: Sequence[str],
         day: str, *, parole_bytes: int) -> str:
    """The results page: the decision from the numbers, then the table, then installs."""
    lines = [
        "# Charts: parole's own SVG or a library?",
        "",
        *decision(outputs, installs, missing, parole_bytes),
        "",
        f"Measured on {day}, Python {platform.python_version()}, {platform.machine()}"
        + "".join(f", {install.library} {install.version}" for install in installs)
        + ". The charts are the goldens' (`tests/chart_support.py`): a closed question of five "
        "answers, one protected (`moins de 5`), and 60 days of answers with protected days. "
        "Regenerate with `.venv/bin/python -m bench charts` (the libraries only if they "
        "import: see `bench/charts.py`).",
        "",
        "| renderer | chart | bytes | gzip | ms | scripts | external | `<style>` | style= "
        "| font | ids | shared ids | own colours | currentColor | says to AT | same twice |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|---|---|---|",
    ]
    for out in outputs:
        lines.append(
            f"| {out.renderer} | {out.chart} | {out.raw:,} | {out.gzipped:,} | "
            f"{out.milliseconds:.1f} | {out.scripts} | {out.external} | {out.stylesheets} | "
            f"{out.style_attributes} | {out.fonts} | {out.ids} | {out.shared_ids} | "
            f"{out.fixed_colours} | "
            f"{_yes(out.current_color)} | {out.accessibility} | {_yes(out.same_twice)} |")
    lines += ["", "How each was configured:", ""]
    lines += [f"- {renderer.name}: {renderer.setup}" for renderer in renderers()
              if renderer.library not in missing]
    lines += ["", "## What each installs", "",
              "| renderer | installed (MB) | distributions |", "|---|--:|---|",
              f"| parole | {parole_bytes / 1024 / 1024:.2f} | `site_builder/results/charts.py` "
              "alone, no dependency |"]
    lines += [f"| {install.library} {install.version} | {install.megabytes:.1f} | "
              f"{', '.join(install.distributions)} |" for install in installs]
    lines += [f"| {library} | not measured | not importable in this run |"
              for library in missing]
    lines += ["", "Columns: *scripts*, `<style>` and *style=* count `<script>` and `<style>` "
              "elements and style attributes (a page's Content-Security-Policy without "
              "'unsafe-inline' blocks the last two); *external*: references to another site "
              "(a request to a third party, which parole's pages never make); *font*: the "
              "font the text asks for, or *glyph outlines* when the text is drawn as paths "
              "(not text at all); *ids*: "
              "`id` attributes; *shared ids*: those the same renderer's other chart has too "
              "(two charts on one page would collide); *own colours*: "
              "distinct colour values written in the SVG (they do not follow the page into "
              "dark mode or print); *says to AT*: title, desc, role or aria attributes; "
              "*same twice*: the same data drawn twice gives the same bytes.", ""]
    return "\n".join(lines)


def decision(outputs: Sequence[Output], installs: Sequence[Install], missing: Sequence[str],
             parole_bytes: int) -> list[str]:
    """Why parole draws its own charts, in numbers from this run."""
    ours = {out.chart: out for out in outputs if out.renderer == "parole"}
    others = [out for out in outputs if out.renderer != "parole"]
    lines = ["**Decision: parole draws its charts itself** (`site_builder/results/charts.py`, "
             f"{parole_bytes / 1024:.0f} KB of Python, no dependency)."]
    for chart, own in ours.items():
        rivals = [out for out in others if out.chart == chart]
        lightest = min(rivals, key=lambda out: out.gzipped, default=None)
        text = (f"- {chart}: {own.raw:,} bytes, {own.gzipped:,} gzipped, "
                f"{own.milliseconds:.2f} ms")
        if lightest is not None:
            text += (f"; the lightest library output ({lightest.renderer}) is "
                     f"{lightest.gzipped:,} bytes gzipped, "
                     f"{lightest.gzipped / own.gzipped:.1f} times as many")
        lines.append(text + ".")
    if others:
        scripted = sorted({out.renderer for out in others if out.scripts})
        external = sorted({out.renderer for out in others if out.external})
        coloured = sorted({out.renderer for out in others if out.fixed_colours})
        with_ids = sorted({out.renderer for out in others if out.shared_ids})
        random_ids = sorted({out.renderer for out in others
                             if out.ids and not out.shared_ids and not out.same_twice})
        unstable = sorted({out.renderer for out in others if not out.same_twice})
        hidden = [out.renderer for out in others if "aria" in out.accessibility]
        lines += [
            f"- Scripts in the SVG: {_names(scripted)}; a request to another site: "
            f"{_names(external)}; colours of its own, which neither "
            f"dark mode nor print can change: {_names(coloured)}; ids that two charts on one "
            f"page share: {_names(with_ids)}; random ids instead: {_names(random_ids)}; "
            f"different bytes for the same data (no golden test, no reproducible build): "
            f"{_names(unstable)}.",
            "- Neither library marks its chart `aria-hidden` beside a table that says the "
            "same, which is what the results page needs"
            + ("" if not hidden else f" (except {_names(sorted(set(hidden)))})")
            + ": their output would have to be rewritten afterwards (hidden, ids and scripts "
            "out, colours to `currentColor`) and would still weigh more. parole's is hidden, "
            "in `currentColor`, without id, script or style, the same bytes every build. "
            "The libraries draw more (tick marks, grid lines, a frame): parole's charts draw "
            "only what the direct labels need, which is what this page weighs.",
        ]
        if installs:
            lines.append("- Installed: " + "; ".join(
                f"{install.library} {install.megabytes:.1f} MB "
                f"({len(install.distributions)} distributions)" for install in installs)
                + ", against none for parole's renderer.")
    lines += [f"- {library} was not importable in this run, so it is not measured here "
              "(see the module's docstring to measure it)." for library in missing]
    return lines


def _names(names: Sequence[str]) -> str:
    return ", ".join(names) if names else "none"


def _yes(value: bool) -> str:
    return "yes" if value else "no"
