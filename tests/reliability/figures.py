"""The figures a reliability suite records for ``docs/RELIABILITY.md``.

A test asks for the ``figures`` fixture and adds rows: ``figures.add("load", {"backend":
"SQLite", "answers/s": 412.5, ...})``. Rows of one suite form one table, its columns the keys in
the order first seen, so a suite decides its own columns by writing them in plain words. The
rows are written as JSON at the end of the session when ``PAROLE_RELIABILITY_FIGURES`` names a
file (the full run, ``python -m tests.reliability``, sets it); the short run records them too
and throws them away, so the recording code is exercised on every test run.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

FULL_ENVIRONMENT = "PAROLE_RELIABILITY"
"""``PAROLE_RELIABILITY=full`` makes every suite run its full variant."""
FIGURES_ENVIRONMENT = "PAROLE_RELIABILITY_FIGURES"
"""Where the session writes the recorded figures (JSON), when set."""

Cell = str | int | float | bool
Row = dict[str, Cell]
T = TypeVar("T")


@dataclass(frozen=True)
class Scale:
    """How big a suite runs: ``scale.pick(short, full)`` gives the value for this run."""

    full: bool

    def pick(self, short: T, full: T) -> T:
        return full if self.full else short

    @property
    def name(self) -> str:
        return "full" if self.full else "short"


def scale_from_environment() -> Scale:
    return Scale(full=os.environ.get(FULL_ENVIRONMENT, "") == "full")


class Figures:
    """Rows recorded per suite during a test session (thread-safe: load tests add from
    threads)."""

    def __init__(self) -> None:
        self._rows: dict[str, list[Row]] = {}
        self._lock = threading.Lock()

    def add(self, suite: str, row: Row) -> None:
        if not row:
            raise ValueError(f"an empty row for suite {suite!r}")
        with self._lock:
            self._rows.setdefault(suite, []).append(dict(row))

    def rows(self, suite: str) -> list[Row]:
        with self._lock:
            return [dict(row) for row in self._rows.get(suite, [])]

    def as_json(self) -> str:
        with self._lock:
            return json.dumps(self._rows, ensure_ascii=False, indent=2)

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.as_json() + "\n", encoding="utf-8")


def load(path: Path) -> dict[str, list[Row]]:
    rows: dict[str, list[Row]] = json.loads(path.read_text(encoding="utf-8"))
    return rows
