"""The figures recorder and ``docs/RELIABILITY.md``'s generated part, with fake numbers (the real
ones come from ``python -m tests.reliability``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability import report
from tests.reliability.figures import Figures, Row, Scale, load
from tests.support import REPO

ENVIRONMENT = [("machine", "2 cores"), ("Python", "3.11.7")]


def complete_figures() -> dict[str, list[Row]]:
    row: Row = {"cases": 3, "server errors (5xx)": 0}
    figures = {suite.key: [row] for suite in report.SUITES}
    figures["load"] = [
        {"backend": "SQLite", "clients": 50, "answers/s": 412.46, "p99 latency (ms)": 3.14159,
         "lost": 0, "integrity": True},
        {"backend": "Post|greSQL", "clients": 50, "answers/s": 398.0, "lost": 0},
    ]
    return figures


def test_scale_picks_the_short_or_full_value() -> None:
    assert Scale(full=False).pick(3, 20) == 3
    assert Scale(full=True).pick(3, 20) == 20
    assert (Scale(full=False).name, Scale(full=True).name) == ("short", "full")


def test_figures_round_trip_through_json(tmp_path: Path) -> None:
    figures = Figures()
    figures.add("load", {"backend": "SQLite", "answers/s": 1.5, "ok": True})
    figures.add("load", {"backend": "PostgreSQL", "answers/s": 2})
    figures.write(tmp_path / "figures.json")
    assert load(tmp_path / "figures.json") == {"load": figures.rows("load")}
    with pytest.raises(ValueError, match="empty row"):
        figures.add("load", {})


def test_page_keeps_the_intro_and_writes_one_table_per_suite() -> None:
    existing = "# Reliability\n\nHand-written.\n\n" + report.MARKER + "\n\nold numbers\n"
    page = report.page(report.intro_of(existing, "unused"), complete_figures(),
                       date="2026-11-22", environment=ENVIRONMENT)
    intro, generated = page.split(report.MARKER)
    assert intro == "# Reliability\n\nHand-written.\n\n"
    assert "old numbers" not in generated
    assert "Run on 2026-11-22" in generated and "- machine: 2 cores" in generated
    assert [line for line in generated.splitlines() if line.startswith("### ")] == [
        f"### {suite.title}" for suite in report.SUITES]
    load_table = generated.split("### " + report.SUITES[0].title)[1].split("###")[0]
    assert ("| backend | clients | answers/s | p99 latency (ms) | lost | integrity |"
            in load_table)
    assert "|---|---:|---:|---:|---:|---|" in load_table  # numbers right-aligned
    assert "| SQLite | 50 | 412.5 | 3.14 | 0 | yes |" in load_table
    assert "| Post\\|greSQL | 50 | 398.0 |  | 0 |  |" in load_table


def test_a_suite_without_figures_leaves_the_page_alone() -> None:
    figures = complete_figures()
    del figures["nginx"]
    with pytest.raises(report.MissingFiguresError, match="nginx"):
        report.page("# Reliability", figures, date="2026-11-22", environment=ENVIRONMENT)


def test_every_suite_has_its_test_module() -> None:
    for suite in report.SUITES:  # a suite's tests may be one module or a pattern of several
        assert list(REPO.glob(suite.test)), f"{suite.key}: no test module {suite.test}"


def test_a_hand_written_page_without_figures_is_kept_whole() -> None:
    assert report.intro_of("# Reliability\n\nWritten by hand.\n", "default") == (
        "# Reliability\n\nWritten by hand.")
    assert report.intro_of(None, "default") == "default"
