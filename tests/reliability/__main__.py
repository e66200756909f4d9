"""Run the reliability suites in full and rewrite the figures of ``docs/RELIABILITY.md``.

    .venv/bin/python -m tests.reliability            # every suite, full (about half an hour)
    .venv/bin/python -m tests.reliability -k load    # extra arguments go to pytest

The page is rewritten only when every suite passed and recorded its figures, so it always shows
one complete, passing run. With ``-k`` or ``-x`` it is left alone when a suite did not run.
"""

from __future__ import annotations

import datetime
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.reliability import figures, report

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "docs" / "RELIABILITY.md"
DEFAULT_INTRO = """# Reliability

What the collector held under load, crashes, a full disk and hostile input, measured by the
project's own suites."""


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="parole-reliability-") as temporary:
        recorded = Path(temporary) / "figures.json"
        environment = {**os.environ, figures.FULL_ENVIRONMENT: "full",
                       figures.FIGURES_ENVIRONMENT: str(recorded)}
        status = subprocess.call(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/reliability",
             *argv], cwd=REPO, env=environment)
        if status != 0:
            print(f"The suites failed (pytest exit {status}): {PAGE} is left as it was.",
                  file=sys.stderr)
            return status
        existing = PAGE.read_text(encoding="utf-8") if PAGE.exists() else None
        try:
            text = report.page(report.intro_of(existing, DEFAULT_INTRO),
                               figures.load(recorded), date=datetime.date.today().isoformat(),
                               environment=_environment())
        except report.MissingFiguresError as error:
            print(f"{error}: {PAGE} is left as it was (run every suite to rewrite it).",
                  file=sys.stderr)
            return 1
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE}", file=sys.stderr)
    return 0


def _environment() -> list[tuple[str, str]]:
    return [
        ("machine", f"{os.cpu_count()} cores, {platform.system()} {platform.release()}"),
        ("Python", platform.python_version()),
        ("SQLite", sqlite3.sqlite_version),
    ]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
