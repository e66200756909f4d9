"""One ``parole export`` in this process, then its time and peak memory written to a file.

    python -m bench.export_child FIGURES_FILE DATABASE_URL FORM_ID FORMAT OUTPUT

A process of its own, so that its peak memory (``VmHWM``, see ``bench.build_child``) is the
export's alone.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.build_child import peak_kib
from site_builder.cli import main as parole


def main(argv: Sequence[str]) -> int:
    figures, database, form_id, export_format, output = argv
    started = time.perf_counter()
    status = parole(["export", form_id, "--format", export_format, "--db", database,
                     "-o", output])
    seconds = time.perf_counter() - started
    Path(figures).write_text(json.dumps({"seconds": seconds, "peak_kib": peak_kib()}),
                             encoding="ascii")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
