"""The ``parole results`` benchmark (bench/results_command.py), never timed here: it runs for
real on a few dozen answers, its database holds every kind of answer, and its page says what
its numbers say."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import results_command as results_bench
from site_builder.results.compute import form_results
from site_builder.storage import open_storage


def test_the_results_benchmark_scans_and_counts_in_child_processes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A real run, tiny: the databases filled, each measure a child process, its figures
    read."""
    monkeypatch.setattr(results_bench, "QUICK_SIZES", (30, 90))
    page = results_bench.run(1, True)
    rows = [line.strip("| ").split(" | ") for line in page.splitlines()
            if line.startswith(("| 30 |", "| 90 |"))]
    assert [row[0] for row in rows] == ["30", "90"]
    for row in rows:
        assert all(float(cell) >= 0 for cell in row[1:7]), "times and ratios"
        assert float(row[7]) > 0 and float(row[8]) > 0, "each child's peak memory"
    assert "- Memory: from 30 to 90 answers, `parole results`' peak" in page
    assert "- Time: on 90 answers, `parole results` takes" in page
    assert "the machine's load average was" in page


def test_the_benchmark_database_holds_every_kind_of_answer(tmp_path: Path) -> None:
    database = tmp_path / "answers.db"
    results_bench.fill(database, 400)
    storage = open_storage(f"sqlite:///{database}")
    try:
        computed = form_results(storage, results_bench.FORM_ID, min_count=1,
                                computed_at=results_bench.START,
                                today=results_bench.START.date())
    finally:
        storage.close()
    results = computed.results
    assert results.answers == 400 and all(computed.channels.values())
    assert (len(results.questions), len(results.free_text)) == (6, 3)
    assert any(question.blank for question in results.questions)
    assert any(question.spoiled for question in results.questions)
    assert any("[…]" in quote.text for quote in results.quotes)
    assert any(quote.theme for quote in results.quotes)
    assert any(text.rejected["off-topic"] for text in results.free_text)
    assert len(results.per_day) == results_bench.DAYS


def _rows(scan: tuple[float, float, float],
          results: tuple[float, float, float]) -> list[results_bench.Row]:
    return [results_bench.Row("scan", 10_000, 1.0, 0.9, 55.0),
            results_bench.Row("results", 10_000, 1.5, 1.4, 57.0),
            results_bench.Row("scan", 1_000_000, *scan),
            results_bench.Row("results", 1_000_000, *results)]


def test_the_page_says_whether_memory_stays_flat_and_time_within_twice_the_scan() -> None:
    page = results_bench.page(_rows((40.0, 30.0, 56.0), (70.0, 54.0, 60.0)), "2026-12-05", 3)
    assert "| 1,000,000 | 40.00 | 70.00 | 1.75 | 30.00 | 54.00 | 1.80 | 56 | 60 |" in page
    assert "median of 3 runs" in page
    assert "peak 57 → 60 MiB (flat: it streams)" in page
    assert ("takes 1.75 times the plain scan's time on the clock and 1.80 times its CPU time "
            "(both within the 2 times issue #16 allows)") in page
    busy = results_bench.page(_rows((40.0, 30.0, 56.0), (90.0, 54.0, 60.0)), "2026-12-05", 1)
    assert "(the CPU time within, the clock NOT within the 2 times" in busy
    slow = results_bench.page(_rows((40.0, 30.0, 56.0), (90.0, 70.0, 400.0)), "2026-12-05", 1)
    assert "(NOT within the 2 times" in slow
    assert "peak 57 → 400 MiB (grows by 343 MiB: it does not stream)" in slow
