"""Benchmarks are run by hand (``python -m bench``), never timed in tests; this checks they load,
that a results page is written correctly from numbers, that the comparison keeps its raw numbers
as it goes, and that the committed page is what its committed raw numbers give."""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pytest

from bench import __main__ as runner
from bench import comparison, css_delivery, performance_page, raw_log
from bench import export as export_bench
from bench.browser import NETWORKS
from bench.builds import BUILDS, BuildRun
from bench.comparison_results import (
    PAGES,
    BuildRow,
    CollectorRow,
    LoadRow,
    results_from,
    targets,
)
from bench.comparison_results import Results as ComparisonResults
from bench.css_delivery import Results, Row
from bench.page_loads import PageLoad
from bench.raw_log import RawLog
from tests.support import REPO


def fake_results() -> Results:
    rows = []
    for network, slow in zip(NETWORKS, (2, 1), strict=True):
        rows += [
            Row(network, "first", "inline", 500.0 * slow, 4547, 1, (450.0, 612.4)),
            Row(network, "first", "link", 1000.0 * slow, 4831, 2),
            Row(network, "second", "inline", 480.0 * slow, 5913, 1),
            Row(network, "second", "link", 400.0 * slow, 4069, 1),
        ]
    return Results("2026-11-21", "156.0.8078.79", 5, tuple(rows))


def test_css_delivery_page_from_fake_results() -> None:
    page = css_delivery.markdown(fake_results())
    lines = page.splitlines()
    assert lines[0] == "# CSS delivery: inline `<style>` or linked stylesheet"
    assert "2026-11-21 with Chromium 156.0.8078.79, median of 5 loads" in lines[2]
    table = [line for line in lines if line.startswith("| 2G")]
    assert table == [
        "| 2G (300 ms, 250/50 kbit/s) | first visit: home, cold cache | inline | 1000 ms "
        "(450-612) | 4,547 | 1 |",
        "| 2G (300 ms, 250/50 kbit/s) | first visit: home, cold cache | link | 2000 ms (0-0) | "
        "4,831 | 2 |",
        "| 2G (300 ms, 250/50 kbit/s) | second page: faq/, warm cache | inline | 960 ms (0-0) | "
        "5,913 | 1 |",
        "| 2G (300 ms, 250/50 kbit/s) | second page: faq/, warm cache | link | 800 ms (0-0) | "
        "4,069 | 1 |",
    ]
    assert len([line for line in lines if line.startswith("| 3G")]) == 4
    assert ("First visit: on 2G, **inline** paints 1000 ms sooner (50 %), with 284 bytes fewer "
            "and 1 request fewer; on 3G, **inline** paints 500 ms sooner (50 %)") in page
    assert ("Second page: on 2G, **link** paints 160 ms sooner (17 %), with 1,844 bytes fewer "
            "and the same number of requests") in page
    assert "Decision: **inline** is the default" in page
    assert "catches up only after 8 pages read in one visit" in page  # 1 + ceil(1000 / 160)
    assert "`theme: {stylesheet: link}`" in page


def test_runner_knows_every_benchmark_and_rejects_others() -> None:
    assert list(runner.BENCHMARKS) == ["css-delivery", "comparison", "export", "results",
                                       "charts", "audit", "readability", "answer-log"]
    assert runner.BENCHMARKS["export"] is export_bench.run
    assert runner.output_path("export") == runner.RESULTS / "export.md"
    assert runner.BENCHMARKS["css-delivery"] is css_delivery.run
    assert runner.BENCHMARKS["comparison"] is comparison.run
    assert runner.output_path("css-delivery") == runner.RESULTS / "css-delivery.md"
    assert runner.output_path("comparison") == REPO / "docs" / "PERFORMANCE.md"
    with pytest.raises(SystemExit):
        runner.main(["no-such-benchmark"])


def test_quick_runs_print_the_page_and_write_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[tuple[int, bool]] = []

    def fake(runs: int, quick: bool) -> str:
        calls.append((runs, quick))
        return "# Fake page"

    monkeypatch.setattr(runner, "BENCHMARKS", {"fake": fake})
    monkeypatch.setattr(runner, "RESULTS", tmp_path)
    assert runner.main(["fake", "--quick", "--runs", "1"]) == 0
    assert calls == [(1, True)]
    assert "# Fake page" in capsys.readouterr().out
    assert not list(tmp_path.iterdir())
    assert runner.main(["fake"]) == 0
    assert calls[-1] == (5, False)
    assert (tmp_path / "fake.md").read_text(encoding="utf-8") == "# Fake page"


# -- the exports (bench/results/export.md) ---------------------------------------------------------

def test_the_export_benchmark_exports_both_formats_in_child_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A real run, tiny: the databases filled, each export a child process, its figures read."""
    monkeypatch.setattr(export_bench, "QUICK_SIZES", (20, 60))
    page = export_bench.run(1, True)
    rows = [line.split(" | ") for line in page.splitlines() if line.startswith(("| csv", "| xlsx"))]
    assert [(row[0], row[1]) for row in rows] == [("| csv", "20"), ("| xlsx", "20"),
                                                  ("| csv", "60"), ("| xlsx", "60")]
    assert all(float(row[4]) > 0 for row in rows), "each child's peak memory"
    assert "- csv: from 20 to 60 answers, peak memory" in page
    assert "- xlsx: from 20 to 60 answers, peak memory" in page
    assert "the machine's load average was" in page


def test_the_export_page_says_whether_memory_stays_flat() -> None:
    rows = [export_bench.Row("csv", 10_000, 1.0, 50.0, 1.2),
            export_bench.Row("csv", 1_000_000, 100.0, 53.0, 120.0),
            export_bench.Row("xlsx", 10_000, 4.0, 60.0, 0.5),
            export_bench.Row("xlsx", 1_000_000, 400.0, 400.0, 50.0)]
    page = export_bench.page(rows, "2026-12-04")
    assert "| csv | 1,000,000 | 100.0 | 10,000 | 53 | 120.0 |" in page
    assert "peak memory 50 → 53 MiB (flat: it streams)" in page
    assert "peak memory 60 → 400 MiB (grows by 340 MiB: it does not stream)" in page


# -- the comparison (docs/PERFORMANCE.md) -----------------------------------------------------

def fake_comparison(*, plugin_seconds: float = 12.0) -> ComparisonResults:
    """Made-up numbers: parole's pages are 1/10 of material's bytes and 1/4 of its paint time;
    the plugin adds ``plugin_seconds`` - 10 s to a 10 s build."""
    loads = []
    for site in ("example", "10", "1000"):
        for page in PAGES:
            for network, slow in (("2G", 4.0), ("3G", 1.0)):
                form = 500.0 * slow if page == "form" else None
                grown = 20 if site == "1000" and page == "faq" else 0
                loads += [
                    LoadRow(site, "parole", page, network, 100.0 * slow, form and form / 4,
                            5_000 + grown, 1, 0),
                    LoadRow(site, "material", page, network, 400.0 * slow, form, 50_000, 8, 1),
                    LoadRow(site, "material-lean", page, network, 380.0 * slow, form, 40_000,
                            4, 0),
                    LoadRow(site, "mkdocs", page, network, 600.0 * slow, form, 280_000, 15, 2),
                ]
    builds = []
    for pages, scale in ((10, 1.0), (1000, 10.0)):
        builds += [
            BuildRow(pages, "parole", 0.8 * scale, (0.8 * scale,) * 3, 40_960),
            BuildRow(pages, "material", 9.0 * scale, (9.0 * scale,) * 3, 61_440),
            BuildRow(pages, "material-lean", 8.0 * scale, (8.0 * scale,) * 3, 59_392),
            BuildRow(pages, "mkdocs", plugin_seconds / 10 * scale,
                     (plugin_seconds / 10 * scale,) * 3, 51_200),
            BuildRow(pages, "mkdocs-bare", 1.0 * scale, (1.0 * scale,) * 3, 40_000),
            BuildRow(pages, "mkdocs-no-checks", 1.05 * scale, (1.05 * scale,) * 3, 40_000),
        ]
    collector = (CollectorRow("SQLite", 5_000, 10.0, 8), CollectorRow("PostgreSQL", 3_000, 10.0, 8))
    return ComparisonResults(
        date="2026-11-22", chromium="156.0.8078.79", versions="Python 3.11.7", machine="2 CPUs",
        runs=5, build_runs=3, sizes=(10, 1000), loads=tuple(loads), builds=tuple(builds),
        collector=collector, command=".venv/bin/python -m bench comparison")


def test_targets_are_the_worst_ratios_of_the_run() -> None:
    found = {target.name.split(":")[0]: target for target in targets(fake_comparison())}
    assert len(found) == 5
    first_visit = found["First visit of any page"]
    assert first_visit.ratio == pytest.approx(5_020 / 50_000)  # the heaviest parole page
    assert first_visit.met
    assert first_visit.worst == "faq, 1000 pages: 5,020 B against 50,000 B"
    paint = found["First contentful paint on emulated 2G"]
    assert paint.ratio == pytest.approx(0.25)
    assert paint.met
    growth = next(target for name, target in found.items() if name.startswith("A page's"))
    assert growth.ratio == pytest.approx(5_020 / 5_000)  # +0.4 %: within the 1 % allowed
    assert growth.met
    assert growth.worst == "faq: 5,000 B at 10 pages, 5,020 B at 1000"
    speed = found["Build of 1000 pages"]
    assert speed.ratio == pytest.approx(0.1)
    assert speed.met
    plugin = found["parole's plugin adds ≤ 25 % to a build with MkDocs' own theme"]
    assert plugin.ratio == pytest.approx(1.2)
    assert plugin.met


def test_a_target_missed_says_so() -> None:
    plugin = targets(fake_comparison(plugin_seconds=14.0))[-1]
    assert plugin.ratio == pytest.approx(1.4)
    assert not plugin.met
    assert plugin.worst == "1000 pages: with the plugin 14.0 s, without 10.0 s"
    page = performance_page.markdown(fake_comparison(plugin_seconds=14.0))
    assert ("| parole's plugin adds ≤ 25 % to a build with MkDocs' own theme | 1000 pages: "
            "with the plugin 14.0 s, without 10.0 s | 1.400 | 1.250 | **NOT met** |") in page


def test_a_target_without_numbers_is_not_met() -> None:
    results = replace(fake_comparison(), loads=(), builds=())
    assert all(target.ratio is None and not target.met for target in targets(results))
    assert "| not measured | n/a |" in performance_page.markdown(results)


def test_performance_page_from_fake_numbers() -> None:
    page = performance_page.markdown(fake_comparison(), intro="# Performance\n\nÀ la main.")
    assert page.startswith("# Performance\n\nÀ la main.\n\n" + performance_page.MARKER)
    assert "```sh\n.venv/bin/python -m bench comparison\n```" in page
    assert ("Every build and page load behind the medians below, as measured: "
            "[`bench/results/comparison-raw.jsonl`](../bench/results/comparison-raw.jsonl)."
            ) in page
    assert comparison.RAW_LOG == REPO / "bench" / "results" / "comparison-raw.jsonl"
    assert comparison.command_line(5, quick=False) == ".venv/bin/python -m bench comparison"
    assert (comparison.command_line(1, quick=True)
            == ".venv/bin/python -m bench comparison --quick --runs 1")
    assert ("| First contentful paint on emulated 2G: ≤ 1/3 of mkdocs-material's defaults | "
            "brief, the example: 400 ms against 1600 ms | 0.250 | 0.333 | met |") in page
    assert "## First visits: the example consultation (`content/`, 8 pages)" in page
    assert "## First visits: a generated consultation of 1,000 pages" in page
    assert ("| form | parole | 400 ms | 500 ms | 100 ms | 125 ms | 5,000 | 1 | 0 |"
            in page)  # usable form never before the paint: the fake is what was measured
    assert "| faq | mkdocs-material, defaults | 1,600 ms | n/a | 400 ms | n/a | 50,000 | 8 | 1 |" \
        in page
    assert ("| 1,000 | mkdocs-material, lean | 80.00 s | 10.00 | 80.00, 80.00, 80.00 | 58 MiB |"
            in page)
    assert "| SQLite | 500 | 5,000 | 10.0 | 8 | 0 |" in page
    assert ("Where the plugin's time goes with MkDocs' theme at 1,000 pages: it adds 2.0 s to "
            "10.0 s (+20%); the page-weight report and the `.gz` files take 1.5 s of it (+15%), "
            "everything else it does (forms, FAQ, navigation, calendar, site map) 0.5 s (+5%)."
            ) in page
    assert "- **Cold cache, median of 5 loads**" in page
    for build in BUILDS:
        assert f"| {build.label} | {build.note} |" in page


def test_the_hand_written_introduction_is_kept() -> None:
    written = performance_page.markdown(fake_comparison(), intro="# Perf\n\nMon texte.")
    assert performance_page.intro_of(written) == "# Perf\n\nMon texte."
    assert performance_page.intro_of(None) == performance_page.DEFAULT_INTRO
    assert performance_page.intro_of("# Sans marqueur") == performance_page.DEFAULT_INTRO


def test_the_committed_page_is_computed_from_the_committed_raw_numbers() -> None:
    """docs/PERFORMANCE.md below its marker is exactly what the benchmark computes from
    bench/results/comparison-raw.jsonl: no number edited by hand, none left from another run.
    After a change to how the page is written: ``python -m bench comparison --from-raw``."""
    page = comparison.OUTPUT.read_text(encoding="utf-8")
    assert page.count(performance_page.MARKER) == 1
    results = results_from(raw_log.read(comparison.RAW_LOG))
    assert performance_page.markdown(results, performance_page.intro_of(page)) == page
    assert (results.runs, results.build_runs, results.sizes) == (5, comparison.BUILD_RUNS,
                                                                 (10, 200, 1000))


# -- the raw numbers of a comparison run (bench/results/comparison-raw.jsonl) -----------------

def fake_records(results: ComparisonResults) -> list[dict[str, Any]]:
    """Raw records whose medians are ``results``: each median measured three times, with one
    lower and one higher run around it."""
    records: list[dict[str, Any]] = [{
        "kind": "run", "date": results.date, "versions": results.versions,
        "machine": results.machine, "runs": results.runs, "build_runs": results.build_runs,
        "sizes": list(results.sizes), "command": results.command}]
    for row in results.builds:
        for run, seconds in enumerate(row.runs, start=1):
            records.append({"kind": "build", "pages": row.pages, "build": row.build, "run": run,
                            "seconds": seconds, "max_rss_kib": row.max_rss_kib - run + 1})
    records.append({"kind": "browser", "chromium": results.chromium})
    for run, spread in enumerate((0.5, 1.0, 2.0), start=1):
        for load in results.loads:
            records.append({
                "kind": "load", "site": load.site, "build": load.build, "page": load.page,
                "network": load.network, "run": run, "fcp_ms": load.fcp_ms * spread,
                "usable_form_ms": None if load.usable_form_ms is None
                else load.usable_form_ms * spread,
                "bytes": load.bytes * spread, "requests": load.requests,
                "third_party": load.third_party})
    for collected in results.collector:
        records.append({"kind": "collector", **asdict(collected)})
    return records


def test_the_results_are_the_medians_of_the_raw_records() -> None:
    expected = fake_comparison()
    assert results_from(fake_records(expected)) == expected


def test_a_build_row_keeps_every_run_and_the_largest_peak() -> None:
    records = [record for record in fake_records(fake_comparison())
               if record["kind"] != "build"]
    records += [{"kind": "build", "pages": 1000, "build": "parole", "run": run,
                 "seconds": seconds, "max_rss_kib": peak}
                for run, (seconds, peak) in enumerate([(9.0, 10), (7.5, 30), (8.0, 20)], 1)]
    assert results_from(records).builds == (BuildRow(1000, "parole", 8.0, (9.0, 7.5, 8.0), 30),)


def test_the_raw_log_is_on_disk_as_soon_as_a_number_is_measured(tmp_path: Path) -> None:
    path = tmp_path / "results" / "raw.jsonl"
    records = fake_records(fake_comparison())
    with RawLog(path) as log:
        for record in records[:5]:
            log.add(**record)
        assert raw_log.read(path) == records[:5]  # before the run ends, say in a crash
    with RawLog(path) as log:  # a new run starts a new file
        log.add("run", date="2026-11-23")
    assert raw_log.read(path) == [{"kind": "run", "date": "2026-11-23"}]


def test_a_half_written_last_line_is_left_out_and_a_broken_one_named(tmp_path: Path) -> None:
    path = tmp_path / "raw.jsonl"
    path.write_text('{"kind": "browser", "chromium": "1"}\n{"kind": "lo', encoding="utf-8")
    assert raw_log.read(path) == [{"kind": "browser", "chromium": "1"}]
    path.write_text('{"kind": "lo\n{"kind": "browser", "chromium": "1"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"raw\.jsonl, line 1: not a JSON record"):
        raw_log.read(path)


def test_the_page_is_written_again_from_the_raw_numbers_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    output, raw = tmp_path / "PERFORMANCE.md", tmp_path / "raw.jsonl"
    output.write_text("# Perf\n\nÀ la main.\n\n" + performance_page.MARKER + "\nold numbers\n",
                      encoding="utf-8")
    monkeypatch.setattr(comparison, "OUTPUT", output)
    monkeypatch.setattr(runner, "OUTPUTS", {"comparison": output})
    monkeypatch.setattr(comparison, "RAW_LOG", raw)
    monkeypatch.setattr(comparison, "measure", None)  # measuring anything would fail
    with pytest.raises(SystemExit):
        runner.main(["--from-raw"])
    assert f"{raw} does not exist: run the benchmark first" in capsys.readouterr().err
    with RawLog(raw) as log:
        for record in fake_records(fake_comparison()):
            log.add(**record)
    assert runner.main(["--from-raw"]) == 0
    assert output.read_text(encoding="utf-8") == performance_page.markdown(
        fake_comparison(), intro="# Perf\n\nÀ la main.")
    for refused in (["css-delivery", "--from-raw"], ["--from-raw", "--quick"]):
        with pytest.raises(SystemExit):
            runner.main(refused)
    assert "css-delivery keeps no raw numbers" in capsys.readouterr().err


@pytest.mark.browser
def test_a_run_keeps_each_number_as_it_is_measured_and_its_page_comes_from_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole comparison with made-up builds and visits (Chromium starts, nothing is
    timed): stopped by a crash, the raw file keeps what came before it; finished, the results
    are the raw file's."""
    def fake_build(config_file: Path, site_dir: Path) -> BuildRun:
        site_dir.mkdir(parents=True, exist_ok=True)
        (site_dir / "index.html").write_text("<p>Bonjour</p>", encoding="utf-8")
        return BuildRun(1.5, 40_960)

    warm_up = len(PAGES) * sum(build.loaded for build in BUILDS)
    visits: list[str] = []

    def fake_visit(browser: object, network: object, url: str, *, form: bool) -> PageLoad:
        if len(visits) == crash_at:
            raise RuntimeError("Chromium crashed")
        visits.append(url)
        return PageLoad(100.0, 150.0 if form else None, 500, 1, 0)

    monkeypatch.setattr(comparison, "run_build", fake_build)
    monkeypatch.setattr(comparison, "first_visit", fake_visit)
    raw = tmp_path / "raw.jsonl"
    crash_at = warm_up + 2
    with pytest.raises(RuntimeError, match="Chromium crashed"):
        comparison.measure(1, quick=True, collector=False, raw_file=raw)
    builds = len(comparison.QUICK_SIZES) * len(BUILDS)
    assert [record["kind"] for record in raw_log.read(raw)] == [
        "run", *["build"] * builds, "browser", "load", "load"]

    visits.clear()
    crash_at = -1
    results = comparison.measure(1, quick=True, collector=False, raw_file=raw)
    assert results == results_from(raw_log.read(raw))
    assert len(results.builds) == builds
    assert len(results.loads) == (1 + len(comparison.QUICK_SIZES)) * len(PAGES) * len(
        NETWORKS) * sum(build.loaded for build in BUILDS)
