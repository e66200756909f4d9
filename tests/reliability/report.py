"""``docs/RELIABILITY.md``: a hand-written explanation, kept, then the figures of the last full
run, rewritten by ``python -m tests.reliability`` from what the suites recorded.

Everything below :data:`MARKER` is generated; the text above it is edited by hand. Each suite
of :data:`SUITES` becomes one table whose columns are the keys its rows were recorded with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tests.reliability.figures import Cell, Row

MARKER = ("<!-- Everything below this line is written by `.venv/bin/python -m tests.reliability`"
          " (tests/reliability/report.py): edit the text above it, never below. -->")


@dataclass(frozen=True)
class Suite:
    key: str
    """The name its tests record rows under."""
    title: str
    test: str
    """The test module, or a pattern of modules, from the repository root."""


SUITES = (
    Suite("load", "Load: concurrent citizens, exports and stats meanwhile",
          "tests/reliability/test_load.py"),
    Suite("kill", "kill -9 and immediate shutdowns", "tests/reliability/test_kill*.py"),
    Suite("disk-full", "A full disk", "tests/reliability/test_disk_full.py"),
    Suite("hostile", "Hostile structure: written cases", "tests/reliability/test_hostile*.py"),
    Suite("properties", "Hostile structure: property tests (Hypothesis)",
          "tests/reliability/test_properties.py"),
    Suite("spreadsheet", "Dangerous content in a real spreadsheet (LibreOffice)",
          "tests/reliability/test_spreadsheet.py"),
    Suite("access", "Access: every route", "tests/reliability/test_access*.py"),
    Suite("privacy", "Privacy", "tests/reliability/test_privacy.py"),
    Suite("nginx", "Behind nginx (deploy/nginx.conf)", "tests/reliability/test_nginx.py"),
    Suite("probe", "Probed from outside: what an attacker or an unlucky citizen tried",
          "tests/reliability/test_probe_*.py"),
)


class MissingFiguresError(Exception):
    """A suite recorded nothing: the page would silently lose its table."""


def intro_of(existing: str | None, default: str) -> str:
    """The hand-written part of an existing page: above :data:`MARKER`, or the whole page when
    it has no figures yet (never lose what someone wrote); ``default`` when there is no page."""
    if not existing:
        return default
    return existing.split(MARKER, 1)[0].rstrip()


def page(intro: str, figures: Mapping[str, Sequence[Row]], *, date: str,
         environment: Sequence[tuple[str, str]]) -> str:
    """The whole page: ``intro``, the marker, then the run's environment and one table per
    suite. Raises :class:`MissingFiguresError` when a suite has no row."""
    missing = [suite.key for suite in SUITES if not figures.get(suite.key)]
    if missing:
        raise MissingFiguresError(f"no figures recorded for: {', '.join(missing)}")
    lines = [intro, "", MARKER, "", "## Figures of the last full run", "",
             f"Run on {date} by `.venv/bin/python -m tests.reliability`.", ""]
    lines += [f"- {name}: {value}" for name, value in environment]
    for suite in SUITES:
        lines += ["", f"### {suite.title}", "", f"From `{suite.test}`.", ""]
        lines += table(figures[suite.key])
    return "\n".join(lines) + "\n"


def table(rows: Sequence[Row]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        columns += [name for name in row if name not in columns]
    numeric = [all(isinstance(row.get(name, 0), int | float) and
                   not isinstance(row.get(name, 0), bool) for row in rows)
               for name in columns]
    lines = ["| " + " | ".join(columns) + " |",
             "|" + "|".join("---:" if right else "---" for right in numeric) + "|"]
    lines += ["| " + " | ".join(cell(row.get(name, "")) for name in columns) + " |"
              for row in rows]
    return lines


def cell(value: Cell) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return value.replace("|", "\\|").replace("\n", " ")
