"""Every raw measurement of a comparison run, written to a file as soon as it is taken.

A full run lasts about an hour. If it stops half way (a crash, a stopped session), what it had
measured stays in the file, each line a JSON object, with the settings of the run first. A run
that finishes computes its page from this file only (:func:`bench.comparison_results.
results_from`), so the page's medians and the raw numbers behind them cannot disagree; the file
is committed next to ``docs/PERFORMANCE.md`` as the evidence for every median.

Each line has a ``kind``: ``run`` (the settings: date, versions, machine, runs, sizes, command),
``build`` (one timed build), ``browser`` (the Chromium version), ``load`` (one first visit),
``collector`` (one storage backend's answers/s).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

Record = dict[str, Any]


class RawLog:
    """Appends records to ``path`` (a new file: a run never mixes with an earlier one)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._file: IO[str] = path.open("w", encoding="utf-8")

    def add(self, kind: str, **fields: Any) -> None:
        self._file.write(json.dumps({"kind": kind, **fields}, ensure_ascii=False) + "\n")
        self._file.flush()  # on disk now: a crash later keeps it

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> RawLog:
        return self

    def __exit__(self, *_exception: object) -> None:
        self.close()


def read(path: Path) -> list[Record]:
    """The records of a log, in order; a half-written last line (a run killed while writing
    it) is left out."""
    lines = path.read_text(encoding="utf-8").splitlines()
    records = []
    for number, line in enumerate(lines, start=1):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as error:
            if number < len(lines):
                raise ValueError(f"{path}, line {number}: not a JSON record ({error})") from None
    return records
