"""Benchmark: what the public journal of answers costs (issue #19), on SQLite logs of 1 000,
100 000 and 1 000 000 answers.

Measured, each as a child process (``bench.answer_log_child``) with its time on the clock, in
CPU time and its peak memory: ``parole log checkpoint`` (signing the whole log's head),
``parole log publish`` into an empty folder (the first publication) and over the journal of
the log 1 % smaller (a day's publication late in a consultation), ``parole log verify`` of the
whole journal, and what the proof page computes (``prove``: the collector's first proof, then
the next ones, and a proof made from the whole tree as before the kept hashes); then the
journal's files, bytes and space on disk.

The leaves are written straight into ``log_leaves`` (entries are random 32-byte commitments:
storing a million answers one by one, each committed, would take hours); the commands read
nothing else. Writes ``bench/results/answer-log.md``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.export import Context, _context
from site_builder.storage import open_storage
from site_builder.storage.receipts import ALPHABET, LENGTH

NAME = "answer-log"
SIZES = (1_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000)
GROWTH = 0.01
"""The incremental publication's new leaves, as a share of the log."""
PROOFS = 21
"""Receipts proven in a row by one process: the first, then the median of the others."""
ORIGIN = "bench.example.org/journal"
BATCH = 50_000
APPENDED = "2027-01-20T09:30:00.000000Z"
COMMANDS = ("checkpoint", "publish_first", "publish_next", "verify")


@dataclass(frozen=True)
class Measure:
    """A child's median time on the clock and in CPU time, and its highest peak memory."""

    seconds: float
    cpu_seconds: float
    peak_mib: float


@dataclass(frozen=True)
class Row:
    """One log size: each command's measure, the proofs' times, the journal's size."""

    answers: int
    commands: dict[str, Measure]
    proof_first: float
    proof_next: float
    proof_whole_tree: float
    files: int
    journal_bytes: int
    disk_bytes: int


def run(runs: int, quick: bool) -> str:
    rows = []
    started, load_before = time.monotonic(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="parole-bench-log-") as name:
        folder = Path(name)
        key = folder / "journal.key"
        _child(folder, "command", "keygen", "--origin", ORIGIN, "--key", str(key))
        for size in QUICK_SIZES if quick else SIZES:
            print(f"answer-log: {size:,} answers…", file=sys.stderr, flush=True)
            rows.append(measure(folder / str(size), size, key, runs))
            shutil.rmtree(folder / str(size))
    minutes = (time.monotonic() - started) / 60
    return page(rows, datetime.date.today().isoformat(), runs,
                context=Context(minutes, load_before, os.getloadavg()[0]))


def measure(folder: Path, size: int, key: Path, runs: int) -> Row:
    """The log of ``size`` leaves, signed and published 1 % smaller first, then grown."""
    folder.mkdir()
    url = f"sqlite:///{folder / 'answers.db'}"
    open_storage(url).close()  # the schema
    earlier = size - max(1, round(size * GROWTH))
    fill(folder / "answers.db", 0, earlier)
    public = ["--key", f"{key}.pub"]
    _child(folder, "command", "checkpoint", "--db", url, "--key", str(key))
    earlier_journal = folder / "earlier-journal"
    _child(folder, "command", "publish", "--db", url, *public, "--output", str(earlier_journal))
    fill(folder / "answers.db", earlier, size)
    figures: dict[str, list[dict[str, float]]] = {kind: [] for kind in COMMANDS}
    journal = folder / "journal"
    for turn in range(runs):
        if turn:  # sign the same head again: the newest checkpoint goes
            with sqlite3.connect(folder / "answers.db") as connection:
                connection.execute("DELETE FROM log_checkpoints WHERE size = ?", (size,))
        figures["checkpoint"].append(
            _child(folder, "command", "checkpoint", "--db", url, "--key", str(key)))
        shutil.rmtree(journal, ignore_errors=True)
        figures["publish_first"].append(
            _child(folder, "command", "publish", "--db", url, *public, "--output", str(journal)))
        grown = folder / f"grown-{turn}"
        shutil.copytree(earlier_journal, grown)
        figures["publish_next"].append(
            _child(folder, "command", "publish", "--db", url, *public, "--output", str(grown)))
        shutil.rmtree(grown)
        figures["verify"].append(_child(folder, "command", "verify", "--site", str(journal),
                                        *public))
    proofs = _child(folder, "proofs", url, *_receipts(size))
    files = [path for path in journal.rglob("*") if path.is_file()]
    return Row(size, {kind: _median(found) for kind, found in figures.items()},
               proofs["proof_first"], proofs["proof_next"], proofs["proof_whole_tree"],
               len(files), sum(path.stat().st_size for path in files),
               sum(path.stat().st_blocks * 512 for path in journal.rglob("*")))


def fill(database: Path, start: int, end: int) -> None:
    """Leaves ``start`` to ``end`` of a log, straight into ``log_leaves``."""
    with sqlite3.connect(database) as connection:
        for at in range(start, end, BATCH):
            connection.executemany(
                "INSERT INTO log_leaves (idx, receipt, entry, leaf_hash, salt, state,"
                " appended_at) VALUES (?, ?, ?, ?, ?, 'current', ?)",
                _leaves(at, min(end, at + BATCH)))
            connection.commit()


def _leaves(start: int, end: int) -> Iterator[tuple[int, str, bytes, bytes, bytes, str]]:
    for index in range(start, end):
        entry = hashlib.sha256(index.to_bytes(8, "big")).digest()
        yield (index, receipt(index), entry, hashlib.sha256(b"\x00" + entry).digest(),
               entry[:16], APPENDED)


def receipt(index: int) -> str:
    """Leaf ``index``'s receipt code: the index in the codes' alphabet."""
    digits = []
    for _ in range(LENGTH):
        index, digit = divmod(index, len(ALPHABET))
        digits.append(ALPHABET[digit])
    return "".join(reversed(digits))


def _receipts(size: int) -> list[str]:
    """Receipts spread over the log, the last leaf's first (in the tree's partial edge)."""
    return [receipt(size - 1)] + [receipt(size * turn // PROOFS) for turn in range(1, PROOFS)]


def _child(folder: Path, kind: str, *arguments: str) -> dict[str, float]:
    figures = folder / "figures.json"
    done = subprocess.run([sys.executable, "-m", "bench.answer_log_child", str(figures), kind,
                           *arguments], capture_output=True, text=True, check=False,
                          env={**os.environ, "LANG": "C.UTF-8"})
    if done.returncode != 0:
        raise RuntimeError(f"bench.answer_log_child {kind} {' '.join(arguments)} failed:\n"
                           f"{done.stderr}")
    found: dict[str, float] = json.loads(figures.read_text(encoding="ascii"))
    figures.unlink()
    return found


def _median(found: Sequence[dict[str, float]]) -> Measure:
    return Measure(statistics.median(figure["seconds"] for figure in found),
                   statistics.median(figure["cpu_seconds"] for figure in found),
                   max(figure["peak_kib"] for figure in found) / 1024)


HEADINGS = {"checkpoint": "`log checkpoint`", "publish_first": "`log publish`, first",
            "publish_next": "`log publish`, +1 %", "verify": "`log verify`"}


def page(rows: Sequence[Row], day: str, runs: int, context: Context | None = None) -> str:
    """The results page: the commands' times and memory, the proofs, the journal's size."""
    lines = [
        "# The answer log: what signing, publishing, verifying and proving cost",
        "",
        f"Measured on {day}, Python {platform.python_version()}, {platform.machine()}; SQLite "
        "logs whose leaves were written straight into the database (random entries). Each "
        "command runs alone in a child process (`bench/answer_log_child.py`) and is timed from "
        "its start (the interpreter's start-up and imports left out) on the clock and in CPU "
        "time (the child's own, which a busy machine disturbs less), the "
        f"median of {runs} run{'s' if runs > 1 else ''}; peak memory is that process's "
        "(`VmHWM`, Python and parole included), the highest of the runs. `+1 %`: publishing "
        "over the journal of the log 1 % smaller, as a daily publication does. Regenerate with "
        "`.venv/bin/python -m bench answer-log`.",
        "",
        *_context(context),
        "The machine is shared with other work: the clock times can be inflated by its load; "
        "the CPU times and the memory much less.",
        "",
        "| answers | " + " | ".join(HEADINGS[kind] for kind in COMMANDS) + " |",
        "|--:|" + "--:|" * len(COMMANDS),
        *(f"| {row.answers:,} | " + " | ".join(
            f"{row.commands[kind].seconds:.2f} s (CPU {row.commands[kind].cpu_seconds:.2f} s)"
            for kind in COMMANDS) + " |" for row in rows),
        "",
        "Peak memory (MiB):",
        "",
        "| answers | " + " | ".join(HEADINGS[kind] for kind in COMMANDS) + " |",
        "|--:|" + "--:|" * len(COMMANDS),
        *(f"| {row.answers:,} | " + " | ".join(
            f"{row.commands[kind].peak_mib:.0f}" for kind in COMMANDS) + " |" for row in rows),
    ]
    lines += [
        "",
        "**The proof page** (`prove`, what `/…/preuve` computes before rendering): the "
        "collector's first proof reads the log's complete groups of 256 leaves once; each "
        "later one reads at most two groups; before the kept hashes, every proof read the "
        "whole tree.",
        "",
        "| answers | first proof (ms) | each later proof (ms) "
        "| from the whole tree, as before (ms) |",
        "|--:|--:|--:|--:|",
        *(f"| {row.answers:,} | {row.proof_first * 1000:.1f} | {row.proof_next * 1000:.2f} | "
          f"{row.proof_whole_tree * 1000:.1f} |" for row in rows),
        "",
        "**The journal** (`parole log publish`'s folder: two checkpoints, hash tiles, entry "
        "bundles, key, verifier):",
        "",
        "| answers | files | bytes (MB) | on disk (MB) |",
        "|--:|--:|--:|--:|",
        *(f"| {row.answers:,} | {row.files:,} | {row.journal_bytes / 1e6:.2f} | "
          f"{row.disk_bytes / 1e6:.2f} |" for row in rows),
        "",
    ]
    return "\n".join(lines)
