"""Helpers shared by the storage tests: answers to store, and SQL run behind the storage's back
(to check what is really in the database, or to plant what a test needs)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg

from site_builder.storage import migrations, receipts
from site_builder.storage.base import DUPLICATE_WINDOW, Duplicates, NewAnswer, Storage
from site_builder.storage.entry import Batch, NewBatch, SheetEntry
from site_builder.storage.moderation import NewVerdict, Verdict

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
SAME_CLIENT = Duplicates(clients=("client-a", "client-a-yesterday"), since=T0 - DUPLICATE_WINDOW)
"""Today's and yesterday's pseudonyms of ``new_answer``'s client, over the duplicate window."""
LATEST = len(migrations.SQLITE)
"""The schema version this parole migrates to."""


def new_answer(**changes: Any) -> NewAnswer:
    """A valid answer to the form ``budget``; keyword arguments override any field."""
    fields: dict[str, Any] = {
        "form_id": "budget", "form_version": "v1",
        "values": {"priorite": ["ecoles"], "quartiers": ["nord", "centre"]},
        "channel": "online", "received_at": T0, "expires_at": None,
        "fingerprint": "fingerprint-1", "client": "client-a", "quarantined": False,
    }
    return NewAnswer(**{**fields, **changes})


def raw_sql(url: str, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Run one statement directly on the database at ``url`` (committed); its rows, if any.
    ``statement`` uses ``?`` placeholders for both backends."""
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        with closing(sqlite3.connect(path)) as connection, connection:
            cursor = connection.execute(statement, params)
            return cursor.fetchall() if cursor.description else []
    with psycopg.connect(url, autocommit=True) as server:
        result = server.execute(statement.replace("?", "%s"), params)
        return result.fetchall() if result.description else []


def new_batch(**changes: Any) -> NewBatch:
    """A batch of 3 sheets of the form ``budget``; keyword arguments override any field."""
    fields: dict[str, Any] = {
        "form_id": "budget", "place": "Mairie annexe", "collected_on": date(2025, 3, 1),
        "sheets_counted": 3, "created_by": "alice", "created_at": T0,
    }
    return NewBatch(**{**fields, **changes})


def sheet_entry(batch_id: int, entered_by: str = "alice", **changes: Any) -> SheetEntry:
    """One typing of a sheet of ``batch_id`` by ``entered_by``: the values of ``new_answer``
    unless overridden."""
    fields: dict[str, Any] = {
        "values": {"priorite": ["ecoles"], "quartiers": ["nord", "centre"]},
        "marks": {}, "form_version": "v1", "entered_at": T0, "expires_at": None,
        "fingerprint": "fingerprint-1",
    }
    return SheetEntry(batch_id=batch_id, entered_by=entered_by, **{**fields, **changes})


# Paper entry (tests/test_storage_entry*.py)

OTHER = {"priorite": ["parcs"], "quartiers": ["nord"]}
"""Values that differ from ``sheet_entry``'s."""
LATER = T0 + timedelta(hours=1)


def count(url: str, table: str) -> int:
    """Rows in ``table``, counted behind the storage's back."""
    found: int = raw_sql(url, f"SELECT count(*) FROM {table}")[0][0]
    return found


def with_mediators(storage: Storage, *names: str) -> None:
    """Add mediators (not coordinators) named ``names``."""
    for name in names:
        storage.add_mediator(name, "mediator", f"digest-of-{name}", T0)


def differing_sheet(storage: Storage) -> tuple[Batch, str]:
    """A double-entry batch whose sheet 1 alice and bob typed differently."""
    batch = storage.create_batch(new_batch())
    receipt = storage.enter_sheet(sheet_entry(batch.id), double=True).sheet.receipt
    result = storage.enter_sheet(sheet_entry(batch.id, "bob", values=OTHER), double=True)
    assert result.sheet.state == "differs"
    return batch, receipt


def record_over_newest(storage: Storage, verdict: NewVerdict) -> Verdict:
    """Store ``verdict`` as a moderator who read the newest verdict on its answer's question
    (``Storage.record_verdict``'s ``supersedes``) would."""
    receipt = receipts.normalise_receipt(verdict.receipt) or verdict.receipt
    newest = None
    for earlier in storage.verdicts(verdict.form_id):
        if (earlier.receipt, earlier.field_id) == (receipt, verdict.field_id):
            newest = earlier.id
    return storage.record_verdict(verdict, supersedes=newest)


# Databases of older releases (tests/test_storage_language.py, test_storage_verdicts.py)

def plant_batch(url: str, place: str = "Mairie annexe") -> Batch:
    """A batch of 3 sheets of ``budget`` as parole wrote it before schema version 6 (issue
    #18), behind the storage's back: today's ``create_batch`` writes ``language`` too, a column
    older schemas lack. The batch as today's storage reads it back (no language)."""
    sqlite = url.startswith("sqlite")
    created = "2025-03-01T09:30:00.000000Z" if sqlite else T0
    [(batch_id,)] = raw_sql(
        url, "INSERT INTO batches (form_id, place, collected_on, sheets_counted, created_by,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        ("budget", place, "2025-03-01" if sqlite else date(2025, 3, 1), 3, "alice", created))
    return Batch(id=batch_id, form_id="budget", place=place, collected_on=date(2025, 3, 1),
                 sheets_counted=3, created_by="alice", created_at=T0)


def plant_answer(url: str, receipt: str, values: dict[str, list[str]], *,
                 channel: str = "online", entered_by: str | None = None,
                 batch_id: int | None = None, sheet: int | None = None,
                 fingerprint: str = "fingerprint-1") -> None:
    """An answer to ``budget`` as parole wrote it before schema version 5 (issue #18), behind
    the storage's back: today's ``store`` writes ``language`` too, a column older schemas lack.
    Received at ``T0``."""
    received = "2025-03-01T09:30:00.000000Z" if url.startswith("sqlite") else T0
    raw_sql(url, "INSERT INTO answers (receipt, form_id, form_version, channel, received_at,"
            " values_json, fingerprint, entered_by, batch_id, sheet)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (receipt, "budget", "v1", channel, received,
             json.dumps(values, ensure_ascii=False, separators=(",", ":")), fingerprint,
             entered_by, batch_id, sheet))
