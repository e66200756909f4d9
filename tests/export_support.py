"""Sample answers for the export, stats and data command tests, and an in-memory storage.

The answers hold every kind of text an export must survive: accents, emoji, markup, SQL,
spreadsheet formulas (ASCII and full-width), tabs, carriage returns, line breaks, commas and
quotes; a checkbox group, unanswered fields, and two versions of the form (the newest drops a
question, adds one and changes an option). ``fill`` stores them through the ``Storage`` protocol,
so the same data goes into ``MemoryStorage`` (fixed receipts, for golden files) and into the real
SQLite storage (for the commands). ``fill_paper`` adds to a ``MemoryStorage`` what paper entry
makes (issue #15): two batches of sheets, paper answers with blank and spoiled questions, a
pending one, and an assisted answer.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

import pytest

from site_builder.collector.columns import AnswerReader
from site_builder.collector.export import iter_csv
from site_builder.forms.manifest import manifest_data
from site_builder.forms.model import Field, Form, Option
from site_builder.storage import open_storage
from site_builder.storage.base import (
    Duplicates,
    FormSchema,
    Marks,
    NewAnswer,
    Storage,
    StoredAnswer,
    StoreResult,
    Values,
)
from site_builder.storage.entry import SHEET_STATES, Batch, BatchProgress, NewBatch, SheetEntry
from tests import support

FORM_ID = "avis"
OTHER_FORM_ID = "atelier"


def _field(field_id: str, kind: str, label: str, **keys: Any) -> Field:
    return Field(id=field_id, type=kind, label=label, label_html=label, **keys)


def _options(*pairs: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(value, label) for value, label in pairs)


SCALE = _field("accord", "scale", "Êtes-vous d'accord avec le projet ?", min=1, max=5,
               min_label="Pas du tout d'accord", max_label="Tout à fait d'accord")
SERVICES = _field("services", "choices", "Quels services voulez-vous ?",
                  options=_options(("livres", "Livres"), ("jeux", "Jeux vidéo"), ("cafe", "Café")))
OLD_FORM = Form(FORM_ID, "Votre avis", (
    _field("nom", "text", "Votre nom"),
    _field("quartier", "choice", "Votre quartier",
           options=_options(("nord", "Nord"), ("sud", "Sud"), ("est", "Est"))),
    SERVICES,
    SCALE,
    _field("horaires", "text", "Quels horaires ?"),
    _field("idees", "textarea", "Vos idées"),
    _field("accepte", "consent", "J'accepte"),
))
NEW_FORM = Form(FORM_ID, "Votre avis sur la médiathèque", (
    _field("nom", "text", "Votre nom"),
    _field("quartier", "choice", "Votre quartier",
           options=_options(("nord", "Nord"), ("sud", "Sud"), ("centre", "Centre-ville"))),
    SERVICES,
    SCALE,
    _field("idees", "textarea", "Vos idées"),
    _field("telephone", "text", "Votre téléphone"),
    _field("accepte", "consent", "J'accepte"),
))
OTHER_FORM = Form(OTHER_FORM_ID, "Inscription à l'atelier", (_field("prenom", "text", "Prénom"),))


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, second, tzinfo=UTC)


SAMPLE: list[tuple[Form, str, datetime, Values]] = [
    (OLD_FORM, "online", at(14, 9, 26, 53), {
        "nom": ["Élodie Müller 😀"], "quartier": ["est"], "services": ["livres", "jeux"],
        "accord": ["5"], "horaires": ["le soir, après 18 h"],
        "idees": ['Première ligne\nDeuxième ligne, avec « guillemets » et "doubles"'],
        "accepte": ["yes"],
    }),
    (NEW_FORM, "paper", at(14, 17, 5), {
        "nom": ["<script>alert('x')</script>"], "quartier": ["sud"], "services": [],
        "idees": ["' OR 1=1 --"], "telephone": ["+33 6 12 34 56 78"], "accepte": ["yes"],
    }),
    (NEW_FORM, "assisted", at(15, 8), {
        "nom": ['=HYPERLINK("http://x")'], "quartier": ["nord"], "services": ["cafe"],
        "accord": ["1"], "idees": ["-5 %"], "telephone": ["@SUM(A1)"],
    }),
    (NEW_FORM, "online", at(15, 21, 45, 10), {
        "nom": ["\tTabulation"], "quartier": ["centre"], "services": ["livres", "cafe"],
        "accord": ["3"], "idees": ["\rRetour chariot"], "telephone": ["\uff1d1+1"],
    }),
]
"""The form's answers, oldest first: (version answered, channel, received at, values)."""
QUARANTINED: tuple[Form, str, datetime, Values] = (
    NEW_FORM, "online", at(15, 22), {"nom": ["spam"], "quartier": ["nord"]})
OTHER_ANSWER: tuple[Form, str, datetime, Values] = (
    OTHER_FORM, "online", at(16, 10), {"prenom": ["Zoé"]})
EXPIRED_AT = at(31, 0)
"""When every sample answer expires; the other form's answer never does."""


def manifest_text(form: Form) -> str:
    return json.dumps(manifest_data(form, page_url=f"{form.id}/", language="fr",
                                    closes=date(2025, 3, 30)), ensure_ascii=False)


class Fillable(Protocol):
    """What ``fill`` writes with: a ``Storage``, or a ``MemoryStorage``."""

    def store(self, answer: NewAnswer, duplicates: Duplicates) -> StoreResult: ...

    def register_form(self, form_id: str, version: str, manifest: str) -> None: ...


def fill(target: Fillable) -> None:
    """Store the sample forms and answers in ``target``."""
    for form in (OLD_FORM, NEW_FORM, OTHER_FORM):
        target.register_form(form.id, form.version, manifest_text(form))
    for form, channel, received_at, values in [*SAMPLE, QUARANTINED, OTHER_ANSWER]:
        target.store(NewAnswer(
            form_id=form.id, form_version=form.version, values=values, channel=channel,
            received_at=received_at, expires_at=None if form is OTHER_FORM else EXPIRED_AT,
            fingerprint=f"{form.id}-{received_at.isoformat()}",
            quarantined=(form, channel, received_at, values) == QUARANTINED,
        ), Duplicates())


class MemoryStorage:
    """Just enough of a ``Storage`` for export and stats: fixed receipts (``ANSW0001``, …), a
    count of the answers read, to see that exports stream, and of the times the batches were
    read."""

    def __init__(self) -> None:
        self.rows: list[StoredAnswer] = []
        self.schemas: list[FormSchema] = []
        self.progress: list[BatchProgress] = []
        self.answers_read = 0
        self.batches_read = 0

    def store(self, answer: NewAnswer, duplicates: Duplicates) -> StoreResult:
        stored = StoredAnswer(
            receipt=f"ANSW{len(self.rows) + 1:04d}", form_id=answer.form_id,
            form_version=answer.form_version, values=answer.values, channel=answer.channel,
            received_at=answer.received_at, expires_at=answer.expires_at,
            quarantined=answer.quarantined, entered_by=answer.entered_by, marks=answer.marks,
            language=answer.language)
        self.rows.append(stored)
        return StoreResult(stored, created=True)

    def get(self, receipt: str) -> StoredAnswer | None:
        return next((row for row in self.rows if row.receipt == receipt), None)

    def answers(self, form_id: str, *, quarantined: bool = False) -> Iterator[StoredAnswer]:
        for row in sorted(self.rows, key=lambda row: row.received_at):
            if row.form_id == form_id and row.quarantined == quarantined and not row.pending:
                self.answers_read += 1
                yield row

    def batches(self, form_id: str | None = None) -> list[BatchProgress]:
        self.batches_read += 1
        return [progress for progress in self.progress
                if form_id is None or progress.batch.form_id == form_id]

    def form_ids(self) -> list[str]:
        return sorted({row.form_id for row in self.rows} | {s.form_id for s in self.schemas})

    def register_form(self, form_id: str, version: str, manifest: str) -> None:
        if not any(s.form_id == form_id and s.version == version for s in self.schemas):
            self.schemas.append(FormSchema(form_id, version, manifest, at(1, 0)))

    def form_schemas(self, form_id: str) -> list[FormSchema]:
        return [schema for schema in self.schemas if schema.form_id == form_id]

    def bind_secret(self, check: str, *, replace: bool = False) -> bool:
        return True

    def purge(self, now: datetime) -> int:
        kept = [row for row in self.rows if row.expires_at is None or row.expires_at > now]
        purged, self.rows = len(self.rows) - len(kept), kept
        return purged

    def delete(self, receipt: str) -> bool:
        kept = [row for row in self.rows if row.receipt != receipt]
        deleted, self.rows = len(kept) < len(self.rows), kept
        return deleted

    def schema_version(self) -> int:
        return 1

    def close(self) -> None:
        pass


BATCH_PLACES = ("Mairie annexe", "Marché couvert")


def _batch(number: int, collected: date, counted: int, sheets: dict[str, int],
           closed_at: datetime | None = None) -> BatchProgress:
    batch = Batch(number, FORM_ID, BATCH_PLACES[number - 1], collected, counted, "Chloé",
                  at(16, 8), closed_at, "Chloé" if closed_at else None)
    return BatchProgress(batch, {state: sheets.get(state, 0) for state in SHEET_STATES})


PAPER_BATCHES = (
    _batch(1, date(2025, 3, 13), 2, {"counted": 2}, closed_at=at(16, 18)),
    _batch(2, date(2025, 3, 15), 4, {"counted": 1, "awaiting_second": 1}),
)
"""Batch 1: two sheets counted by hand, both entered and counted, closed. Batch 2: four counted
by hand, two entered (one counted, one waiting for its second entry): a difference of 2."""


def _paper(receipt: str, received: datetime, values: Values, marks: dict[str, str], *,
           batch: int | None, sheet: int | None, by: str, pending: bool = False,
           channel: str = "paper") -> StoredAnswer:
    return StoredAnswer(receipt, FORM_ID, NEW_FORM.version, values, channel, received,
                        EXPIRED_AT, entered_by=by, marks=marks, batch_id=batch, sheet=sheet,
                        pending=pending)


PAPER_ANSWERS = (
    _paper("PAPR0001", at(16, 10), {
        "nom": ["Jeanne"], "quartier": ["nord"], "services": ["livres"], "idees": ["Des bancs"],
        "accepte": ["yes"]}, {"telephone": "blank", "accord": "blank"},
        batch=1, sheet=1, by="Awa"),
    _paper("PAPR0002", at(16, 10, 5), {
        "nom": ["Marc"], "services": [], "idees": ["=1+1"], "telephone": ["0102030405"],
        "accepte": ["yes"]}, {"quartier": "spoiled", "services": "spoiled", "accord": "blank"},
        batch=1, sheet=2, by="Awa"),
    _paper("PAPR0003", at(16, 11), {
        "quartier": ["sud"], "services": ["cafe"], "accord": ["4"], "telephone": ["-"],
        "accepte": ["yes"]}, {"nom": "blank", "idees": "spoiled"},
        batch=2, sheet=1, by="Bruno"),
    _paper("PAPR0004", at(16, 11, 5), {"quartier": ["centre"], "accepte": ["yes"]},
           {"nom": "blank", "services": "spoiled"}, batch=2, sheet=2, by="Bruno", pending=True),
    _paper("ASST0001", at(16, 12), {
        "nom": ["Lucie"], "quartier": ["centre"], "services": ["jeux"], "accord": ["2"],
        "accepte": ["yes"]}, {}, batch=None, sheet=None, by="Chloé", channel="assisted"),
)
"""Three paper sheets that count (the second with an empty list for its spoiled checkbox
group, as a store may keep it), one pending (entered once with double entry: exported and
counted nowhere), and an assisted answer."""


def fill_paper(memory: MemoryStorage) -> None:
    """Add the batches and the paper and assisted answers to ``memory`` (after ``fill``)."""
    memory.progress.extend(PAPER_BATCHES)
    memory.rows.extend(PAPER_ANSWERS)


def _typing(batch_id: int, by: str, values: Values, marks: Marks, minute: int) -> SheetEntry:
    return SheetEntry(batch_id, by, values, marks, NEW_FORM.version, at(16, 10, minute),
                      EXPIRED_AT, f"sheet-{values}-{marks}")


def enter_paper(storage: Storage) -> Batch:
    """What mediators do, through the real storage: a double-entry batch of 3 sheets counted by
    hand at the Marché couvert; sheet 1 typed by Awa then Bruno alike (it counts: ``quartier``
    spoiled, ``accord`` blank), sheet 2 typed by Awa alone (pending); an assisted answer Chloé
    recorded. Registers ``NEW_FORM``; returns the batch."""
    storage.register_form(FORM_ID, NEW_FORM.version, manifest_text(NEW_FORM))
    for name in ("Awa", "Bruno", "Chloé"):
        storage.add_mediator(name, "mediator", f"digest-of-{name}", at(16, 8))
    batch = storage.create_batch(NewBatch(FORM_ID, "Marché couvert", date(2025, 3, 15), 3,
                                          "Awa", at(16, 9)))
    first: Values = {"nom": ["Jeanne"], "services": ["livres"], "accepte": ["yes"]}
    marks: Marks = {"quartier": "spoiled", "accord": "blank"}
    storage.enter_sheet(_typing(batch.id, "Awa", first, marks, 0), double=True)
    storage.enter_sheet(_typing(batch.id, "Bruno", first, marks, 1), double=True)
    storage.enter_sheet(_typing(batch.id, "Awa", {"nom": ["En attente"]}, {}, 2), double=True)
    storage.store(NewAnswer(FORM_ID, NEW_FORM.version, {"nom": ["Lucie"], "quartier": ["nord"]},
                            "assisted", at(16, 11), EXPIRED_AT, "assisted-1",
                            entered_by="Chloé"), Duplicates())
    return batch


@contextmanager
def paper_entered(storage_url: str) -> Iterator[tuple[Storage, Batch]]:
    """The real storage at ``storage_url`` once ``enter_paper`` has run on it, and the batch;
    closed at the end."""
    storage = open_storage(storage_url)
    try:
        yield storage, enter_paper(storage)
    finally:
        storage.close()


def filled_database(path: Path) -> str:
    """The URL of a new SQLite database at ``path`` holding the sample forms and answers."""
    url = f"sqlite:///{path}"
    storage = open_storage(url)
    try:
        fill(storage)
    finally:
        storage.close()
    return url


# -- reading exports in tests ------------------------------------------------------------------

"""Where the exports' golden files are."""


def assert_bytes_golden(name: str, actual: bytes, request: pytest.FixtureRequest) -> None:
    """``actual`` equals ``tests/goldens/export/<name>`` byte for byte."""
    support.assert_bytes_golden(f"export/{name}", actual, request)


def csv_bytes(storage: AnswerReader, form_id: str = FORM_ID, **options: Any) -> bytes:
    return "".join(iter_csv(storage, form_id, **options)).encode("utf-8")


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no byte order mark"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
