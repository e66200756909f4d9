"""Sample answers for the export, stats and data command tests, and an in-memory storage.

The answers hold every kind of text an export must survive: accents, emoji, markup, SQL,
spreadsheet formulas (ASCII and full-width), tabs, carriage returns, line breaks, commas and
quotes; a checkbox group, unanswered fields, and two versions of the form (the newest drops a
question, adds one and changes an option). ``fill`` stores them through the ``Storage`` protocol,
so the same data goes into ``MemoryStorage`` (fixed receipts, for golden files) and into the real
SQLite storage (for the commands).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from site_builder.forms.manifest import manifest_data
from site_builder.forms.model import Field, Form, Option
from site_builder.storage import open_storage
from site_builder.storage.base import (
    Duplicates,
    FormSchema,
    NewAnswer,
    Storage,
    StoredAnswer,
    StoreResult,
    Values,
)

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


def fill(target: Storage) -> None:
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
    """Just enough of a ``Storage`` for export and stats: fixed receipts (``ANSW0001``, …) and a
    count of the answers read, to see that exports stream."""

    def __init__(self) -> None:
        self.rows: list[StoredAnswer] = []
        self.schemas: list[FormSchema] = []
        self.answers_read = 0

    def store(self, answer: NewAnswer, duplicates: Duplicates) -> StoreResult:
        stored = StoredAnswer(
            receipt=f"ANSW{len(self.rows) + 1:04d}", form_id=answer.form_id,
            form_version=answer.form_version, values=answer.values, channel=answer.channel,
            received_at=answer.received_at, expires_at=answer.expires_at,
            quarantined=answer.quarantined)
        self.rows.append(stored)
        return StoreResult(stored, created=True)

    def get(self, receipt: str) -> StoredAnswer | None:
        return next((row for row in self.rows if row.receipt == receipt), None)

    def answers(self, form_id: str, *, quarantined: bool = False) -> Iterator[StoredAnswer]:
        for row in sorted(self.rows, key=lambda row: row.received_at):
            if row.form_id == form_id and row.quarantined == quarantined:
                self.answers_read += 1
                yield row

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


def filled_database(path: Path) -> str:
    """The URL of a new SQLite database at ``path`` holding the sample forms and answers."""
    url = f"sqlite:///{path}"
    storage = open_storage(url)
    try:
        fill(storage)
    finally:
        storage.close()
    return url
