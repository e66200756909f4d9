"""``docs/PERFORMANCE.md``: a hand-written introduction, kept, then the comparison's results.

The benchmark rewrites everything below :data:`MARKER` and keeps what is above it, so the
introduction is edited by hand and the numbers never are.
"""

from __future__ import annotations

from collections.abc import Sequence

from bench.browser import NETWORKS
from bench.builds import BUILDS
from bench.comparison_results import (
    EXAMPLE,
    FORM_PAGE,
    GROWTH_TOLERANCE,
    PAGES,
    Results,
    Target,
    plugin_breakdown,
    targets,
)

MARKER = ("<!-- Everything below this line is written by `.venv/bin/python -m bench comparison`"
          " (bench/comparison.py): edit the text above it, never below. -->")
DEFAULT_INTRO = """# Performance

How parole compares with the usual ways of publishing the same consultation with MkDocs: what a
citizen's phone downloads, how soon it shows something on 2G and 3G, how soon the form can be
used, and what a build costs the organizer. Every figure below comes from one run of the
benchmark on one machine; the targets are ratios between builds of that same run, so they hold
on a faster or slower machine too."""


NONE = "n/a"
RAW_NUMBERS = "bench/results/comparison-raw.jsonl"
"""Where ``bench/comparison.py`` writes the raw numbers, from the repository's root."""


def intro_of(existing: str | None) -> str:
    """The hand-written part of an existing page (above :data:`MARKER`), or the default one."""
    if existing and MARKER in existing:
        return existing.split(MARKER, 1)[0].rstrip()
    return DEFAULT_INTRO


def _ms(value: float | None) -> str:
    return NONE if value is None else f"{value:,.0f} ms"


def _site_title(site: str, results: Results) -> str:
    if site == EXAMPLE:
        return "the example consultation (`content/`, 8 pages)"
    return f"a generated consultation of {int(site):,} pages"


def _label(build: str) -> str:
    return next(item.label for item in BUILDS if item.name == build)


def targets_table(found: Sequence[Target]) -> list[str]:
    lines = ["| target | worst case measured | ratio | limit | |", "|---|---|---:|---:|---|"]
    for target in found:
        ratio = NONE if target.ratio is None else f"{target.ratio:.3f}"
        verdict = "met" if target.met else "**NOT met**"
        lines.append(f"| {target.name} | {target.worst} | {ratio} | {target.limit:.3f} "
                     f"| {verdict} |")
    return lines


def builds_table() -> list[str]:
    lines = ["| build | configuration | loaded in the browser |", "|---|---|---|"]
    lines += [f"| {build.label} | {build.note} | {'yes' if build.loaded else 'no'} |"
              for build in BUILDS]
    return lines


def loads_table(results: Results, site: str) -> list[str]:
    headers = ["page", "build"]
    for network in NETWORKS:
        headers += [f"{network.name} first paint", f"{network.name} usable form"]
    headers += ["bytes", "requests", "third-party attempted"]
    lines = ["| " + " | ".join(headers) + " |",
             "|---|---|" + "---:|" * (len(headers) - 2)]
    for page in PAGES:
        for build in (item.name for item in BUILDS if item.loaded):
            rows = [results.load(site, build, page, network.name) for network in NETWORKS]
            present = [row for row in rows if row is not None]
            if not present:
                continue
            cells = [page, _label(build)]
            for row in rows:
                cells += [NONE, NONE] if row is None else [
                    _ms(row.fcp_ms), _ms(row.usable_form_ms if page == FORM_PAGE else None)]
            first = present[0]
            cells += [f"{first.bytes:,}", str(first.requests), str(first.third_party)]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def build_times_table(results: Results) -> list[str]:
    lines = ["| pages | build | time (median) | ratio to parole | every run | peak memory |",
             "|---:|---|---:|---:|---|---:|"]
    for pages in results.sizes:
        reference = results.build_row(pages, "parole")
        for build in BUILDS:
            row = results.build_row(pages, build.name)
            if row is None:
                continue
            times = ", ".join(f"{run:.2f}" for run in row.runs)
            ratio = f"{row.seconds / reference.seconds:.2f}" if reference else NONE
            lines.append(f"| {pages:,} | {build.label} | {row.seconds:.2f} s | {ratio} | "
                         f"{times} | {row.max_rss_kib / 1024:.0f} MiB |")
    return lines


def collector_lines(results: Results) -> list[str]:
    if not results.collector:
        return ["Not measured in this run (issue #5's load test will measure it)."]
    lines = ["| storage | answers stored per second | answers | seconds | clients at once "
             "| refused |", "|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {row.backend} | {row.per_second:.0f} | {row.answers:,} | {row.seconds:.1f} | "
              f"{row.clients} | {row.refused} |" for row in results.collector]
    return lines


def decisions(results: Results) -> list[str]:
    tolerance = f"{GROWTH_TOLERANCE:.0%}"
    return [
        "- **The same markdown in every build.** The example's `content/`, and generated "
        "consultations made from it (`bench/sites.py`: its eight pages plus explainer pages in "
        "sections of 20, listed in `nav:`); the brief, the FAQ and the form page are the same "
        "files at every size. The generated pages reuse the example's prose, so gzip "
        "compresses them, and the search indexes, better than varied real text would: that "
        "flatters the builds whose pages and indexes grow with the site.",
        "- **parole's plugin runs in the mkdocs-material and `mkdocs` builds** too: the "
        "```` ```form ```` block and `type: faq` need it, so every loaded build has the same "
        "pages and a form that works. Its defaults stay on there (page-weight report, `.gz` "
        "files), so those builds pay for it like parole's. Two more builds are only timed: "
        "MkDocs' theme without the plugin, the reference for what the plugin adds, and with "
        "the plugin but without its page-weight report and `.gz` files, to show where its "
        "time goes.",
        "- **Themes as a new user gets them**, in French like the content: mkdocs-material's "
        "defaults load Google Fonts and run its search; lean is `font: false` without search; "
        "MkDocs' theme comes with MkDocs' default `search` plugin (and loads highlight.js "
        "from a CDN).",
        "- **Served like a static host.** Every build is served from 127.0.0.1 with the same "
        "policy, nginx's `gzip_static on`: each HTML, CSS, JS, JSON, SVG and XML file has a "
        "gzip -9 copy made after the build (`site_builder.precompress`, which parole's plugin "
        "runs in every build that has it), sent to browsers that accept gzip; other files "
        "(fonts, images) are sent as they are.",
        "- **Third-party requests** (Google Fonts, the CDN) are attempted by the page and fail "
        "at once: Chromium resolves no host but 127.0.0.1, so the timings do not depend on DNS. "
        "They are counted as attempted; on a real phone they would cost more time, so the "
        "other themes' timings here are flattering.",
        "- **Bytes and requests** are what crossed the network for the page and everything it "
        "downloaded until the network was idle (a search index too), web workers included, "
        "gzip as sent, headers included; they do not depend on the network.",
        "- **Usable form**: the first rendering frame where `DOMContentLoaded` has fired (every "
        "parser-blocking script, and the stylesheets before it, are done) and the form's submit "
        "button is in the DOM with a non-empty box and visible (`checkVisibility`), and never "
        "before the first contentful paint; measured by an init script polling on animation "
        "frames, the same for every build.",
        f"- **Cold cache, median of {results.runs} loads** in a new browser context each, "
        "loads interleaved across builds so that drift hits all alike; throttling applied by "
        "Chromium over the DevTools protocol (2G: 300 ms, 250/50 kbit/s; 3G: 150 ms, "
        "1.6 Mbit/s/750 kbit/s).",
        f"- **Builds**: `mkdocs build` in a child process (`bench/build_child.py`; imports "
        f"included, as an organizer waits), the median of {results.build_runs}, builds "
        "interleaved; peak memory is the child's own peak resident set size (`VmHWM`), without "
        "the processes parole forks for a big site (the low-data edition, the page-weight "
        "scan: they share its memory). All in the same run, so the ratios compare like with "
        f"like. A page's weight \"does not grow\" within {tolerance}.",
    ]


def markdown(results: Results, intro: str = DEFAULT_INTRO) -> str:
    """The whole page: the kept introduction, the marker, then the results."""
    lines = [
        intro, "", MARKER, "",
        "## Targets", "",
        f"Measured on {results.date} with Chromium {results.chromium} ({results.versions}; "
        f"{results.machine}), regenerated by:", "",
        f"```sh\n{results.command}\n```", "",
        "Every build and page load behind the medians below, as measured: "
        f"[`{RAW_NUMBERS}`](../{RAW_NUMBERS}).", "",
        *targets_table(targets(results)), "",
        "## How it is measured", "",
        *builds_table(), "",
        *decisions(results), "",
    ]
    for site in results.sites:
        lines += [f"## First visits: {_site_title(site, results)}", "", *loads_table(results,
                                                                                         site), ""]
    breakdown = plugin_breakdown(results)
    lines += ["## Build time and memory", "", *build_times_table(results), "",
              *([breakdown, ""] if breakdown else []),
              "## Collector", "", *collector_lines(results), ""]
    return "\n".join(lines)
