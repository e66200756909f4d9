"""Benchmark: do the exports stream? ``parole export`` as CSV and as an xlsx workbook, from a
SQLite database of 10 000, 100 000 and 1 000 000 answers.

Each export runs in a child process (``bench.export_child``) that writes its time and its own
peak memory (``VmHWM``, see ``bench.build_child``); memory that stays flat from 10 000 to
1 000 000 answers is the promise (``site_builder.collector.export``, ``export_xlsx``). The
answers are the sample form's (``tests.export_support``: every kind of text, a checkbox
group, a scale), copied with new receipts and times straight into the database, since storing a
million answers one by one, each committed, would take hours. Writes ``bench/results/export.md``.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from site_builder.storage import open_storage
from site_builder.storage.base import Duplicates, NewAnswer
from tests.export_support import FORM_ID, NEW_FORM, SAMPLE, manifest_text

NAME = "export"
SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000)
FORMATS = ("csv", "xlsx")
BATCH = 50_000
START = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Context:
    """How long the run took and how busy the machine was (1-minute load average)."""

    minutes: float
    load_before: float
    load_after: float


@dataclass(frozen=True)
class Row:
    """One export: its format, how many answers, how long, the child's peak memory and the
    file's size."""

    export_format: str
    answers: int
    seconds: float
    peak_mib: float
    output_mib: float


def run(runs: int, quick: bool) -> str:
    """Export each size in each format once (``runs`` is for loads, not for these long runs)."""
    rows = []
    started, load_before = time.monotonic(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="parole-bench-export-") as folder:
        for size in QUICK_SIZES if quick else SIZES:
            database = Path(folder) / f"answers-{size}.db"
            fill(database, size)
            for export_format in FORMATS:
                print(f"export: {size} answers as {export_format}…", file=sys.stderr, flush=True)
                rows.append(measure(database, size, export_format, Path(folder)))
            for path in Path(folder).glob(f"{database.name}*"):
                path.unlink()
    minutes = (time.monotonic() - started) / 60
    return page(rows, datetime.date.today().isoformat(),
                context=Context(minutes, load_before, os.getloadavg()[0]))


def fill(database: Path, size: int) -> None:
    """A SQLite database holding ``size`` answers to the sample form, one a minute."""
    storage = open_storage(f"sqlite:///{database}")
    try:
        storage.register_form(FORM_ID, NEW_FORM.version, manifest_text(NEW_FORM))
        storage.store(NewAnswer(FORM_ID, NEW_FORM.version, SAMPLE[1][3], "online", START, None,
                                "template"), Duplicates())
    finally:
        storage.close()
    with sqlite3.connect(database) as connection:
        template = connection.execute(
            "SELECT form_version, channel, expires_at, values_json FROM answers").fetchone()
        connection.execute("DELETE FROM answers")
        for batch in _batches(size):
            connection.executemany(
                "INSERT INTO answers (receipt, form_id, form_version, channel, received_at,"
                " expires_at, values_json, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                ((f"B{index:07d}", FORM_ID, template[0], channel, received, template[2],
                  values, f"bench-{index}") for index, channel, received, values in batch))
            connection.commit()


def _batches(size: int) -> Iterator[list[tuple[int, str, str, str]]]:
    values = [json.dumps(answer_values, ensure_ascii=False) for *_, answer_values in SAMPLE]
    channels = [channel for _, channel, _, _ in SAMPLE]
    for first in range(0, size, BATCH):
        yield [(index, channels[index % len(SAMPLE)],
                (START + datetime.timedelta(minutes=index)).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                values[index % len(SAMPLE)])
               for index in range(first, min(first + BATCH, size))]


def measure(database: Path, size: int, export_format: str, folder: Path) -> Row:
    output = folder / f"answers.{export_format}"
    figures = folder / "figures.json"
    subprocess.run([sys.executable, "-m", "bench.export_child", str(figures),
                    f"sqlite:///{database}", FORM_ID, export_format, str(output)], check=True)
    measured = json.loads(figures.read_text(encoding="utf-8"))
    row = Row(export_format, size, measured["seconds"], measured["peak_kib"] / 1024,
              output.stat().st_size / 1024 / 1024)
    output.unlink()
    return row


def page(rows: Sequence[Row], day: str, context: Context | None = None) -> str:
    """The results page: a table, then what it says about memory."""
    lines = [
        "# Exports: time and memory as the consultation grows",
        "",
        f"Measured on {day}, Python {platform.python_version()}, "
        f"{platform.machine()}; SQLite database, the sample form of `tests/export_support.py` "
        "(every kind of text, a checkbox group, a scale). Each export runs alone in a child "
        "process; peak memory is that process's (`VmHWM`): Python, parole and openpyxl "
        "included. Regenerate with `.venv/bin/python -m bench export`.",
        "",
        *_context(context),
        "| format | answers | time (s) | answers/s | peak memory (MiB) | file (MiB) |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        rate = row.answers / row.seconds if row.seconds else 0
        lines.append(f"| {row.export_format} | {row.answers:,} | {row.seconds:.1f} | "
                     f"{rate:,.0f} | {row.peak_mib:.0f} | {row.output_mib:.1f} |")
    lines += ["", *_memory_verdict(rows), ""]
    return "\n".join(lines)


def _context(context: Context | None) -> list[str]:
    if context is None:
        return []
    return [f"The run took {context.minutes:.0f} minutes; the machine's load average was "
            f"{context.load_before:.1f} at its start and {context.load_after:.1f} at its end "
            f"(on {os.cpu_count()} cores). On a busy machine the times grow, the memory does "
            "not.", ""]


def _memory_verdict(rows: Sequence[Row]) -> list[str]:
    verdict = []
    for export_format in FORMATS:
        measured = sorted((row for row in rows if row.export_format == export_format),
                          key=lambda row: row.answers)
        if len(measured) < 2:
            continue
        small, large = measured[0], measured[-1]
        growth = large.peak_mib - small.peak_mib
        flat = growth <= max(0.1 * small.peak_mib, 10)
        verdict.append(
            f"- {export_format}: from {small.answers:,} to {large.answers:,} answers, peak "
            f"memory {small.peak_mib:.0f} → {large.peak_mib:.0f} MiB "
            f"({'flat: it streams' if flat else f'grows by {growth:.0f} MiB: it does not stream'})."
        )
    return verdict
