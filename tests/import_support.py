"""What test_import.py and test_import_command.py share: a form of every question type (and an
older version of it) registered in a database as a collector leaves it, CSV files written as a
spreadsheet saves them, ``parole import`` run in this process or as a process, and what the
database then holds."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from site_builder.calendar import BUILD_DATE_VARIABLE, build_date
from site_builder.cli import main
from site_builder.collector import data_commands
from site_builder.forms.manifest import manifest_data
from site_builder.forms.model import Field, Form, Option
from site_builder.storage import open_storage
from site_builder.storage.base import Marks, Values

PAROLE = [sys.executable, "-m", "site_builder.cli"]
FRENCH = "fr_FR.UTF-8"
TODAY = build_date()
"""The day ``parole import`` compares a batch's day with (``PAROLE_BUILD_DATE``, which
``parole`` below passes on, or today)."""
BATCH = ["--batch-place", "Marché du samedi", "--batch-date", TODAY.isoformat()]


def _field(field_id: str, kind: str, label: str, **keys: Any) -> Field:
    return Field(id=field_id, type=kind, label=label, label_html=label, **keys)


def _options(*pairs: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(value, label) for value, label in pairs)


FORM = Form("avis", "Votre avis", (
    _field("nom", "text", "Votre nom"),
    _field("quartier", "choice", "Votre quartier", required=True,
           options=_options(("nord", "Nord"), ("sud", "Sud"), ("centre", "Centre-ville"))),
    _field("services", "choices", "Quels services ?", max=2,
           options=_options(("livres", "Livres"), ("jeux", "Jeux vidéo"), ("cafe", "Café"))),
    _field("accord", "scale", "D'accord ?", min=1, max=5),
    _field("age", "number", "Votre âge", min=0, max=10000, integer=False),
    _field("idees", "textarea", "Vos idées"),
    _field("accepte", "consent", "J'accepte"),
))
OLDER_FORM = Form("avis", "Votre avis", (*FORM.fields[:2], _field("horaires", "text", "Horaires")))
"""A version the database saw before ``FORM``: its question ``horaires`` is no longer asked."""
COLUMNS = [field.id for field in FORM.fields]


def manifest_text(form: Form, closes: date | None) -> str:
    return json.dumps(manifest_data(form, page_url="avis/", language="fr", closes=closes),
                      ensure_ascii=False)


def prepare(url: str, *, closes: date | None = TODAY + timedelta(days=30)) -> str:
    """The database at ``url`` as a collector leaves it: the form's versions registered."""
    storage = open_storage(url)
    try:
        storage.register_form("avis", OLDER_FORM.version, manifest_text(OLDER_FORM, closes))
        storage.register_form("avis", FORM.version, manifest_text(FORM, closes))
    finally:
        storage.close()
    return url


@pytest.fixture
def database(tmp_path: Path) -> str:
    return prepare(f"sqlite:///{tmp_path / 'answers.db'}")


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Messages in English unless a test says French; no database from the environment."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", data_commands.DATABASE_ENV):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def stored(url: str) -> list[tuple[Values, Marks, str, str | None, int | None, int | None]]:
    """Every counted answer to the form: values, marks, channel, who entered it, batch, sheet."""
    storage = open_storage(url)
    try:
        return [(answer.values, answer.marks, answer.channel, answer.entered_by,
                 answer.batch_id, answer.sheet) for answer in storage.answers("avis")]
    finally:
        storage.close()


def batches(url: str) -> list[tuple[str, str, date, int, str]]:
    storage = open_storage(url)
    try:
        return [(progress.batch.form_id, progress.batch.place, progress.batch.collected_on,
                 progress.batch.sheets_counted, progress.batch.created_by)
                for progress in storage.batches()]
    finally:
        storage.close()


def csv_file(path: Path, rows: list[list[str]], *, delimiter: str = ",",
             bom: bool = False) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))
    return path


def row_of(values: Values, *, blank: str = "", spoiled: str = "") -> list[str]:
    return [*("; ".join(values.get(field_id, [])) for field_id in COLUMNS), blank, spoiled]


HEADER = [*COLUMNS, "blank", "spoiled"]


def run_import(url: str, path: Path, *extra: str) -> int:
    return main(["import", "avis", str(path), *BATCH, "--db", url, *extra])


def parole(*args: str, cwd: Path, lang: str = "C.UTF-8") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PAROLE, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False,
                          env={"PATH": "/usr/bin:/bin", "LANG": lang,
                               BUILD_DATE_VARIABLE: TODAY.isoformat()})
