"""The plain-language measure's build benchmark (bench/readability.py), never timed here: its
page from made-up measures says whether the aim is met, and a tiny real run builds a small site
both ways, taking turns."""

from __future__ import annotations

import re
from pathlib import Path

from bench import readability as bench
from bench.builds import PAROLE, config

CONTEXT = bench.Context("2026-12-05", 2, 1.5, 2.5, "3.11.7")
ROW = re.compile(r"^\| (?P<site>[^|]+) \| (?P<pages>\d+) \| (?P<with>[\d.]+) "
                 r"\| (?P<without>[\d.]+) \| (?P<difference>[-+][\d.]+) \| (?P<share>-?[\d.]+) % "
                 r"\| (?P<alone>[\d.]+) "
                 r"\| (?P<alone_share>[\d.]+) % \| (?P<peak>\d+ / \d+) \|$")


def _rows(page: str) -> list[dict[str, str]]:
    return [found.groupdict() for line in page.splitlines() if (found := ROW.match(line))]


def test_the_page_states_the_aim_against_the_biggest_site() -> None:
    measures = [bench.Measure("example", 9, (1.0, 1.2, 1.1), (1.0, 0.9, 1.05), 48_000, 47_000,
                              0.04),
                bench.Measure("200 pages", 200, (4.0, 4.2, 4.1), (3.9, 3.8, 3.85), 56_320,
                              55_296, 0.25)]
    page = bench.page(measures, CONTEXT)
    lines = page.splitlines()
    assert lines[0] == "# The plain-language measure: its cost in a build"
    assert lines[2] == ("**Aim met: the measure makes the build at most 10.0 % longer** "
                        "(200 pages: +0.25 s, 6.1 % of the build; the measure's own work 0.25 s "
                        "of CPU).")
    assert "2 cores (load 1.50 when the run began, 2.50 when it ended)" in page
    assert _rows(page) == [
        {"site": "example", "pages": "9", "with": "1.10", "without": "1.00",
         "difference": "+0.10", "share": "9.1", "alone": "0.040", "alone_share": "3.6",
         "peak": "47 / 46"},
        {"site": "200 pages", "pages": "200", "with": "4.10", "without": "3.85",
         "difference": "+0.25", "share": "6.1", "alone": "0.250", "alone_share": "6.1",
         "peak": "55 / 54"}]
    assert "- 200 pages: with 4.00, 4.20, 4.10; without 3.90, 3.80, 3.85" in lines


def test_a_longer_build_fails_the_aim_and_the_work_on_a_spare_core_does_not() -> None:
    longer = bench.Measure("200 pages", 200, (4.0,), (3.0,), 1, 1, 0.2)
    assert bench.verdict([longer]).startswith("**Aim not met")
    spare_core = bench.Measure("200 pages", 200, (4.0,), (3.9,), 1, 1, 0.5)
    assert bench.verdict([spare_core]).startswith("**Aim met")
    small = bench.Measure("example", 9, (1.0,), (0.5,), 1, 1, 0.01)
    assert bench.verdict([small, spare_core]).startswith("**Aim met")  # the biggest site
    assert bench.verdict([]).startswith("**Aim not measured**")


def test_the_build_without_turns_the_measure_off_and_nothing_else(tmp_path: Path) -> None:
    with_measure = config(PAROLE, tmp_path, [])
    without = config(bench.WITHOUT, tmp_path, [])
    assert without["plugins"][0]["parole"].pop("plain_language") == {"enabled": False}
    assert "plain_language" not in with_measure["plugins"][0]["parole"]
    assert without == with_measure


def test_a_tiny_real_run_builds_both_ways_taking_turns(tmp_path: Path) -> None:
    measure = bench.measure_site("example", tmp_path, None, 2)
    assert measure.pages == 9 and len(measure.with_runs) == len(measure.without_runs) == 2
    assert measure.measure_alone > 0 and measure.with_peak_kib > 0
    assert (tmp_path / "site-parole" / "readability.json").is_file()
    assert not (tmp_path / f"site-{bench.WITHOUT.name}" / "readability.json").exists()
    assert len(_rows(bench.page([measure], CONTEXT))) == 1
