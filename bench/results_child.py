"""A plain scan of a form's answers, or one ``parole results``, in this process; then its time
and peak memory written to a file.

    python -m bench.results_child FIGURES_FILE scan DATABASE_URL FORM_ID
    python -m bench.results_child FIGURES_FILE results DATABASE_URL FORM_ID DOCS_DIR

A process of its own, so that its peak memory (``VmHWM``, see ``bench.build_child``) is the
measured work's alone. Its time is measured twice: on the clock, and in CPU time (this
process's, user and system), which a busy machine disturbs less. The scan is what any reading
of the answers costs at least: the storage opened, ``for answer in storage.answers(form_id)``,
closed.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.build_child import peak_kib
from site_builder.cli import main as parole
from site_builder.storage import open_storage


def scan(database: str, form_id: str) -> int:
    storage = open_storage(database)
    try:
        return sum(1 for _answer in storage.answers(form_id))
    finally:
        storage.close()


def main(argv: Sequence[str]) -> int:
    figures, kind, database, form_id, *rest = argv
    started, cpu = time.perf_counter(), time.process_time()
    if kind == "scan":
        status = 0 if scan(database, form_id) else 1
    else:
        status = parole(["results", "--db", database, "--docs", rest[0], "--form", form_id])
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    Path(figures).write_text(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds,
                                         "peak_kib": peak_kib()}), encoding="ascii")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
