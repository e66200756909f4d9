"""Benchmarks are run by hand (``python -m bench``), never timed in tests; this checks they load
and that a results page is written correctly from numbers."""

from __future__ import annotations

import pytest

from bench import __main__ as runner
from bench import css_delivery
from bench.browser import NETWORKS
from bench.css_delivery import Results, Row


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
    assert list(runner.BENCHMARKS) == ["css-delivery"]
    assert runner.BENCHMARKS["css-delivery"] is css_delivery.run
    with pytest.raises(SystemExit):
        runner.main(["no-such-benchmark"])
