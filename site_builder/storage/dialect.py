"""How each backend spells values in SQL, so that the paper-entry queries (``entry_store``,
``entry_sheets``) and the reading of an answer row are written once for both.

The queries are written with ``?`` placeholders (SQLite's; PostgreSQL's driver wants ``%s``,
and ``Transaction`` swaps them, so they must not contain a literal ``?`` or ``%``). Booleans are
passed as Python booleans (SQLite stores them as 0/1) and read back with ``bool``. Times, dates
and JSON differ: see ``migrations``' docstring for the column types.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from site_builder.storage.base import StoredAnswer
from site_builder.storage.common import utc, values_to_json

ANSWER_COLUMNS = (
    "receipt, form_id, form_version, values_json, channel, received_at, expires_at,"
    " quarantined, entered_by, marks_json, batch_id, sheet, pending, language"
)
"""The columns ``Dialect.answer`` reads, in its order."""


class Dialect:
    """SQLite's way: times as fixed-width UTC text (so text order is time order), dates as
    ISO text, JSON as text."""

    placeholder = "?"
    lock = ""
    """Appended to the SELECT of a batch row that a write then changes or relies on. SQLite
    needs nothing: its writes already run one at a time (``BEGIN IMMEDIATE``)."""
    log_lock = ""
    """A statement run before appending to the answer log, to hold the log until commit (see
    ``log_rows``); none in SQLite, whose write transactions already run one at a time."""

    def moment(self, moment: datetime) -> Any:
        return utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def read_moment(self, stored: Any) -> datetime:
        return datetime.fromisoformat(stored).astimezone(UTC)

    def day(self, day: date) -> Any:
        return day.isoformat()

    def read_day(self, stored: Any) -> date:
        return date.fromisoformat(stored)

    def json(self, data: object) -> Any:
        return values_to_json(data)  # type: ignore[arg-type]  # any JSON, compact and in order

    def read_json(self, stored: Any) -> Any:
        return json.loads(stored) if isinstance(stored, str) else stored

    def answer(self, row: tuple[Any, ...]) -> StoredAnswer:
        """An answer from a row of ``ANSWER_COLUMNS``."""
        (receipt, form_id, version, values, channel, received_at, expires_at, quarantined,
         entered_by, marks, batch_id, sheet, pending, language) = row
        return StoredAnswer(
            receipt=receipt, form_id=form_id, form_version=version,
            values=self.read_json(values), channel=channel,
            received_at=self.read_moment(received_at),
            expires_at=self.read_moment(expires_at) if expires_at is not None else None,
            quarantined=bool(quarantined), entered_by=entered_by,
            marks=self.read_json(marks), batch_id=batch_id, sheet=sheet, pending=bool(pending),
            language=language,
        )


@dataclass
class Transaction:
    """An open transaction of either backend, for the queries written once."""

    connection: Any
    """``sqlite3.Connection`` or ``psycopg.Connection``: both have ``execute``."""
    dialect: Dialect

    def run(self, statement: str, params: tuple[Any, ...] = ()) -> Any:
        """Execute ``statement``; the cursor (``rowcount``, ``fetchone``, ``fetchall``)."""
        if self.dialect.placeholder != "?":
            statement = statement.replace("?", self.dialect.placeholder)
        return self.connection.execute(statement, params)

    def one(self, statement: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        rows: list[tuple[Any, ...]] = self.run(statement, params).fetchall()
        return rows[0] if rows else None

    def all(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self.run(statement, params).fetchall()
        return rows
