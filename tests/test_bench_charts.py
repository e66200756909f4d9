"""The charts benchmark (bench/charts.py): what it reads in an SVG, the page it writes from
numbers, that it runs without the libraries (saying so), and that the committed page holds the
decision and the libraries' numbers."""

from __future__ import annotations

import importlib.util

from bench import charts as bench
from tests.support import REPO

LIBRARY_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" id="chart-1"><title>Votes</title>'
    '<style>text{font-family:Consolas,monospace}</style>'
    '<script xlink:href="https://cdn.example/tooltips.js"></script><script>var a;</script>'
    '<rect id="patch_1" style="fill:#1f77b4" aria-label="x"/><text fill="#000">Oui</text></svg>'
)


def test_it_reads_what_an_svg_needs_and_carries() -> None:
    out = bench.inspect("lib", "5 bars", LIBRARY_SVG, 1.5, same_twice=False)
    assert (out.scripts, out.external, out.stylesheets, out.style_attributes) == (2, 1, 1, 1)
    assert (out.fonts, out.ids, out.fixed_colours, out.current_color) == ("Consolas", 2, 2,
                                                                          False)
    assert out.accessibility == "title, aria"
    glyphs = '<svg><defs><path id="DejaVuSans-4f" d="M0 0"/></defs></svg>'
    assert bench.inspect("lib", "5 bars", glyphs, 1, same_twice=True).fonts == "glyph outlines"


def test_parole_charts_carry_nothing_but_the_drawing() -> None:
    svgs = [bench._parole(chart) for chart in bench.CHARTS]
    outs = bench.with_shared_ids(
        [bench.inspect("parole", chart, svg, 0.1, same_twice=True)
         for chart, svg in zip(bench.CHARTS, svgs, strict=True)], svgs)
    for out in outs:
        assert (out.scripts, out.external, out.stylesheets, out.style_attributes, out.ids,
                out.shared_ids, out.fixed_colours) == (0, 0, 0, 0, 0, 0, 0)
        assert (out.fonts, out.current_color, out.accessibility) == ("page's", True, "aria")


def test_shared_ids_are_those_two_charts_of_one_renderer_have_in_common() -> None:
    first = bench.inspect("lib", "5 bars", '<svg id="a"><g id="b"/></svg>', 1, same_twice=True)
    second = bench.inspect("lib", "60 days", '<svg id="c"><g id="b"/></svg>', 1, same_twice=True)
    shared = bench.with_shared_ids([first, second], ['<svg id="a"><g id="b"/></svg>',
                                                     '<svg id="c"><g id="b"/></svg>'])
    assert [out.shared_ids for out in shared] == [1, 1]


def test_the_page_puts_the_decision_first_with_the_ratio() -> None:
    ours = bench.inspect("parole", "5 bars", "<svg/>", 0.1, same_twice=True)
    ours = bench.Output(**{**ours.__dict__, "gzipped": 400})
    theirs = bench.Output(**{**bench.inspect("pygal lightest", "5 bars", LIBRARY_SVG, 20,
                                             same_twice=False).__dict__, "gzipped": 2600})
    install = bench.Install("pygal", "3.1.3", 1.2, ("pygal", "zipp"))
    page = bench.page([ours, theirs], [install], ["matplotlib"], "2026-12-04",
                      parole_bytes=11_000)
    lines = page.splitlines()
    assert lines[0] == "# Charts: parole's own SVG or a library?"
    assert lines[2].startswith("**Decision: parole draws its charts itself**")
    assert "pygal lightest) is 2,600 bytes gzipped, 6.5 times as many" in page
    assert "a request to another site: pygal lightest" in page
    assert "- Installed: pygal 1.2 MB (2 distributions)" in page
    assert "- matplotlib was not importable in this run" in page
    assert "| matplotlib | not measured | not importable in this run |" in page


def test_it_runs_with_or_without_the_libraries() -> None:
    page = bench.run(1, True)
    assert "| parole | 5 bars |" in page and "| parole | 60 days |" in page
    for library in bench.LIBRARIES:
        importable = importlib.util.find_spec(library) is not None
        assert (f"{library} was not importable" in page) is not importable


def test_the_committed_page_measured_both_libraries() -> None:
    page = (REPO / "bench" / "results" / "charts.md").read_text(encoding="utf-8")
    assert page.splitlines()[2].startswith("**Decision: parole draws its charts itself**")
    for renderer in ("parole", "pygal defaults", "pygal lightest", "matplotlib defaults",
                     "matplotlib lightest"):
        assert f"| {renderer} | 5 bars |" in page and f"| {renderer} | 60 days |" in page
    assert "not importable" not in page
