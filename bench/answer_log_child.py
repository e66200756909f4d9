"""One ``parole log`` command, or the proofs a proof page computes, in this process; then its
time and peak memory written to a file (``bench.answer_log``).

    python -m bench.answer_log_child FIGURES_FILE command ARGUMENT...   # parole log ARGUMENT...
    python -m bench.answer_log_child FIGURES_FILE proofs DATABASE_URL RECEIPT...

A process of its own, so that its peak memory (``VmHWM``, see ``bench.build_child``) is the
measured work's alone. ``proofs`` times what ``/…/preuve`` computes (``prove``): the collector's
first proof (it reads the log's complete chunks once), the next ones (each receipt after the
first; the median), and, for comparison, one proof made as before the kept hashes (the whole
tree read from the database).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.build_child import peak_kib
from site_builder.answer_log.merkle import inclusion_proof
from site_builder.answer_log_commands.head import log_contents
from site_builder.answer_log_commands.prove import prove
from site_builder.cli import main as parole
from site_builder.storage import open_storage


def proofs(database: str, receipts: Sequence[str]) -> dict[str, float]:
    storage = open_storage(database)
    try:
        started = time.perf_counter()
        first = prove(storage, receipts[0])
        cold = time.perf_counter() - started
        warm = []
        for receipt in receipts[1:]:
            started = time.perf_counter()
            prove(storage, receipt)
            warm.append(time.perf_counter() - started)
        assert first.checkpoint is not None, "the bench's log has a checkpoint"
        size = first.checkpoint.size
        started = time.perf_counter()
        tree = log_contents(storage, size).tree()
        whole = inclusion_proof(first.leaf.index, size, tree.hash_at)
        whole_seconds = time.perf_counter() - started
        assert tuple(whole) == first.proof, "the kept hashes give the whole tree's proof"
        return {"proof_first": cold, "proof_next": statistics.median(warm),
                "proof_whole_tree": whole_seconds}
    finally:
        storage.close()


def main(argv: Sequence[str]) -> int:
    figures, kind, *rest = argv
    started, cpu = time.perf_counter(), time.process_time()
    extra: dict[str, float] = {}
    if kind == "command":
        status = parole(["log", *rest])
    else:
        extra, status = proofs(rest[0], rest[1:]), 0
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    Path(figures).write_text(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds,
                                         "peak_kib": peak_kib(), **extra}), encoding="ascii")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
