"""Benchmark: does ``parole results`` stream? Its time and peak memory against a plain scan of
the same answers, on SQLite databases of 10 000, 100 000 and 1 000 000 answers.

Issue #16 promises that on a million answers ``parole results`` keeps its memory flat and takes
at most twice the time of a plain scan (``for answer in storage.answers(form_id)``: opening,
reading and decoding every answer, which any count must do). Each measure runs in a child
process (``bench.results_child``) that writes its time and its own peak memory (``VmHWM``).

The form has 10 questions: six closed ones (a choice, a checkbox group, two lists, a scale,
another choice), three free-text ones and the consent to be quoted (``publish_consent``). The
answers are drawn from a pool of varied ones (seeded, so every run has the same), copied with
new receipts and times straight into the database (storing a million answers one by one, each
committed, would take hours): 80 % online, 15 % paper in five batches (some questions left
blank or spoiled), 5 % assisted, over 30 days, half of them consenting to be quoted. A thousand
of the consenting answers have a moderator's verdict (as many for every size: moderation is
done by people, it does not grow with the answers), some approved with a redaction and a theme,
some rejected. Writes ``bench/results/results.md``.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.export import Context, _context
from site_builder.forms.manifest import manifest_data
from site_builder.forms.model import Field, Form, Option
from site_builder.storage import open_storage
from site_builder.storage.entry import NewBatch
from site_builder.storage.moderation import REJECT_REASONS, text_digest

NAME = "results"
SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000)
KINDS = ("scan", "results")
BATCH = 50_000
VERDICTS = 1_000
POOL = 997
"""Answers drawn, then repeated (a prime, so that channels and answers do not go in step)."""
FORM_ID = "equipements"
START = datetime.datetime(2026, 3, 1, 7, tzinfo=datetime.UTC)
DAYS = 30
BATCHES = 5
MAX_RATIO = 2.0


def _field(field_id: str, kind: str, label: str, *options: str, **keys: Any) -> Field:
    return Field(id=field_id, type=kind, label=label, label_html=label,
                 options=tuple(Option(value, value.capitalize()) for value in options), **keys)


FORM = Form(FORM_ID, "Les équipements du quartier", (
    _field("quartier", "choice", "Votre quartier", "nord", "sud", "est", "ouest", "centre"),
    _field("services", "choices", "Quels services ?", "livres", "jeux", "cafe", "ateliers"),
    _field("frequence", "select", "À quelle fréquence ?", "jamais", "parfois", "souvent"),
    _field("accord", "scale", "D'accord avec le projet ?", min=1, max=5),
    _field("horaires", "choice", "Quels horaires ?", "matin", "midi", "soir"),
    _field("age", "select", "Votre âge", "moins-18", "18-34", "35-59", "60-plus"),
    _field("idee", "textarea", "Votre idée"),
    _field("remarque", "text", "Une remarque"),
    _field("pourquoi", "textarea", "Pourquoi ?"),
    _field("citation", "consent", "J'accepte d'être cité"),
))
CLOSED = [field for field in FORM.fields if field.type in ("choice", "choices", "select", "scale")]
TEXTS = [field for field in FORM.fields if field.type in ("text", "textarea")]


@dataclass(frozen=True)
class Row:
    """One measure: a scan or ``parole results``, how many answers, the median time (on the
    clock, and in CPU time), the child's peak memory."""

    kind: str
    answers: int
    seconds: float
    cpu_seconds: float
    peak_mib: float


def run(runs: int, quick: bool) -> str:
    """Each size: the scan and the command, alternated ``runs`` times (median time, highest
    peak)."""
    rows = []
    started, load_before = time.monotonic(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="parole-bench-results-") as folder:
        for size in QUICK_SIZES if quick else SIZES:
            database = Path(folder) / f"answers-{size}.db"
            print(f"results: filling {size} answers…", file=sys.stderr, flush=True)
            fill(database, size)
            print(f"results: {size} answers, scan and parole results…", file=sys.stderr,
                  flush=True)
            rows += measure(database, size, Path(folder), runs)
            for path in Path(folder).glob(f"{database.name}*"):
                path.unlink()
    minutes = (time.monotonic() - started) / 60
    return page(rows, datetime.date.today().isoformat(), runs,
                context=Context(minutes, load_before, os.getloadavg()[0]))


def manifest_text() -> str:
    data = manifest_data(FORM, page_url=f"{FORM_ID}/", language="fr",
                         opens=START.date(), closes=(START + datetime.timedelta(DAYS - 1)).date())
    data["publish_consent"] = "citation"
    return json.dumps(data, ensure_ascii=False)


def fill(database: Path, size: int) -> None:
    """A SQLite database holding ``size`` answers to ``FORM``, their batches and verdicts."""
    storage = open_storage(f"sqlite:///{database}")
    try:
        storage.register_form(FORM_ID, FORM.version, manifest_text())
        batches = [storage.create_batch(NewBatch(
            FORM_ID, f"Point de dépôt {number}",
            (START + datetime.timedelta(days=5 * number)).date(), size, "bench", START)).id
            for number in range(1, BATCHES + 1)]
    finally:
        storage.close()
    pool = answer_pool(random.Random(16))
    with sqlite3.connect(database) as connection:
        for rows in _rows(size, pool, batches):
            connection.executemany(
                "INSERT INTO answers (receipt, form_id, form_version, channel, received_at,"
                " expires_at, values_json, fingerprint, marks_json, batch_id, sheet)"
                " VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)", rows)
            connection.commit()
        connection.executemany(
            "INSERT INTO moderation_verdicts (form_id, receipt, field_id, outcome, reason,"
            " redactions_json, theme, text_digest, decided_by, decided_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'bench', ?)", _verdicts(size, pool))
        connection.commit()


def answer_pool(draw: random.Random) -> list[tuple[str, dict[str, list[str]], dict[str, str]]]:
    """``POOL`` answers: (channel, values, marks); paper ones leave some questions blank or
    spoiled, and half of them consent to be quoted."""
    pool = []
    for _ in range(POOL):
        channel = draw.choices(("online", "paper", "assisted"), (80, 15, 5))[0]
        values: dict[str, list[str]] = {}
        marks: dict[str, str] = {}
        for question in CLOSED:
            offered = ([str(step) for step in range(1, 6)] if question.type == "scale"
                       else [option.value for option in question.options])
            if channel == "paper" and draw.random() < 0.1:
                marks[question.id] = draw.choice(("blank", "spoiled"))
            elif draw.random() < 0.9:
                values[question.id] = (sorted(draw.sample(offered, draw.randint(1, 3)))
                                       if question.type == "choices" else [draw.choice(offered)])
        for question in TEXTS:
            if draw.random() < 0.6:
                values[question.id] = [f"Réponse {draw.randint(1, 10**6)} : plus de bancs et "
                                       "d'ombre près de l'école, le soir surtout."]
        if draw.random() < 0.5:
            values["citation"] = ["yes"]
        pool.append((channel, values, marks))
    return pool


def _receipt(index: int) -> str:
    return f"B{index:07d}"


def _rows(size: int, pool: list[tuple[str, dict[str, list[str]], dict[str, str]]],
          batches: list[int]) -> Iterator[list[tuple[Any, ...]]]:
    texts = [(channel, json.dumps(values, ensure_ascii=False), json.dumps(marks))
             for channel, values, marks in pool]
    step = datetime.timedelta(days=DAYS - 1) / size  # every answer within the 30 days
    version = FORM.version  # a hash of the form: computed once, not for every row
    for first in range(0, size, BATCH):
        rows = []
        for index in range(first, min(first + BATCH, size)):
            channel, values, marks = texts[index % POOL]
            paper = channel == "paper"
            rows.append((_receipt(index), FORM_ID, version, channel,
                         (START + step * index).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), values,
                         f"bench-{index}", marks, batches[index % BATCHES] if paper else None,
                         index if paper else None))
        yield rows


def _verdicts(size: int, pool: list[tuple[str, dict[str, list[str]], dict[str, str]]],
              ) -> Iterator[tuple[Any, ...]]:
    """``VERDICTS`` verdicts on consenting answers' first free-text answer: three approved
    (one with a redaction and a theme) for one rejected."""
    made = 0
    for index in range(size):
        _channel, values, _marks = pool[index % POOL]
        texts = [field.id for field in TEXTS if field.id in values]
        if made >= VERDICTS or "citation" not in values or not texts:
            continue
        text = values[texts[0]][0]
        rejected = made % 4 == 3
        yield (FORM_ID, _receipt(index), texts[0], "rejected" if rejected else "approved",
               REJECT_REASONS[made // 4 % len(REJECT_REASONS)] if rejected else "",
               json.dumps([[0, 7, "personal data"]] if made % 4 == 1 else []),
               "Ombre" if made % 4 == 2 else None, text_digest(text),
               START.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
        made += 1


def measure(database: Path, size: int, folder: Path, runs: int) -> list[Row]:
    """The scan and ``parole results`` on ``database``, alternated ``runs`` times."""
    docs = folder / "docs"
    docs.mkdir(exist_ok=True)
    figures = folder / "figures.json"
    measured: dict[str, list[dict[str, float]]] = {kind: [] for kind in KINDS}
    for _ in range(runs):
        for kind in KINDS:
            extra = [str(docs)] if kind == "results" else []
            subprocess.run([sys.executable, "-m", "bench.results_child", str(figures), kind,
                            f"sqlite:///{database}", FORM_ID, *extra], check=True,
                           stdout=subprocess.DEVNULL)
            measured[kind].append(json.loads(figures.read_text(encoding="utf-8")))
    return [Row(kind, size, statistics.median(run["seconds"] for run in measured[kind]),
                statistics.median(run["cpu_seconds"] for run in measured[kind]),
                max(run["peak_kib"] for run in measured[kind]) / 1024) for kind in KINDS]


def page(rows: Sequence[Row], day: str, runs: int, context: Context | None = None) -> str:
    """The results page: a table, then whether memory stays flat and time within 2 scans."""
    lines = [
        "# `parole results`: time and memory against a plain scan of the answers",
        "",
        f"Measured on {day}, Python {platform.python_version()}, {platform.machine()}; SQLite "
        "database; a 10-question form (six closed questions, three free-text ones, the consent "
        "to be quoted), answers online, on paper in five batches (some questions blank or "
        f"spoiled) and assisted, up to {VERDICTS:,} moderators' verdicts. Each measure runs "
        "alone in a child process (`bench/results_child.py`); peak memory is that process's "
        "(`VmHWM`): Python and parole included. The scan is "
        "`for answer in storage.answers(form_id)`, which any count must do. Times are on the "
        "clock and in CPU time (the child's own, which a busy machine disturbs less), the "
        f"median of {runs} run{'s' if runs > 1 else ''} alternating scan and command. "
        "Regenerate with `.venv/bin/python -m bench results`.",
        "",
        *_context(context),
        "| answers | scan (s) | `parole results` (s) | ratio | scan CPU (s) | "
        "`parole results` CPU (s) | CPU ratio | scan peak (MiB) | `parole results` peak (MiB) |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for size in sorted({row.answers for row in rows}):
        scan, results = (_row(rows, kind, size) for kind in KINDS)
        if scan is None or results is None:
            continue
        clock, cpu = _ratios(scan, results)
        lines.append(f"| {size:,} | {scan.seconds:.2f} | {results.seconds:.2f} | {clock:.2f} | "
                     f"{scan.cpu_seconds:.2f} | {results.cpu_seconds:.2f} | {cpu:.2f} | "
                     f"{scan.peak_mib:.0f} | {results.peak_mib:.0f} |")
    lines += ["", *verdict(rows), ""]
    return "\n".join(lines)


def _row(rows: Sequence[Row], kind: str, size: int) -> Row | None:
    return next((row for row in rows if row.kind == kind and row.answers == size), None)


def _ratios(scan: Row, results: Row) -> tuple[float, float]:
    """``parole results``' time over the scan's: on the clock, in CPU time."""
    return (results.seconds / scan.seconds if scan.seconds else 0.0,
            results.cpu_seconds / scan.cpu_seconds if scan.cpu_seconds else 0.0)


def verdict(rows: Sequence[Row]) -> list[str]:
    """Whether memory stays flat from the smallest to the largest size, and whether
    ``parole results`` takes at most twice the scan's time at the largest."""
    measured = sorted((row for row in rows if row.kind == "results"), key=lambda row: row.answers)
    if len(measured) < 2:
        return []
    small, large = measured[0], measured[-1]
    growth = large.peak_mib - small.peak_mib
    flat = growth <= max(0.1 * small.peak_mib, 10)
    scan = _row(rows, "scan", large.answers)
    clock, cpu = _ratios(scan, large) if scan else (0.0, 0.0)
    return [
        f"- Memory: from {small.answers:,} to {large.answers:,} answers, `parole results`' "
        f"peak {small.peak_mib:.0f} → {large.peak_mib:.0f} MiB "
        f"({'flat: it streams' if flat else f'grows by {growth:.0f} MiB: it does not stream'}).",
        f"- Time: on {large.answers:,} answers, `parole results` takes {clock:.2f} times the "
        f"plain scan's time on the clock and {cpu:.2f} times its CPU time "
        f"({_within(clock, cpu)} the {MAX_RATIO:.0f} times issue #16 allows).",
    ]


def _within(clock: float, cpu: float) -> str:
    if clock <= MAX_RATIO and cpu <= MAX_RATIO:
        return "both within"
    if cpu <= MAX_RATIO:
        return "the CPU time within, the clock NOT within"
    return "NOT within"
