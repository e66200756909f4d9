"""A form's answers as CSV (for spreadsheets) or JSON (for programs), streamed; the xlsx workbook
is ``export_xlsx``'s.

Columns: see ``answer_table`` (the questions, newest version first, then those only older
versions had, then ``receipt``, ``received_at``, ``channel``, ``language``, ``form_version``,
``batch``, ``place``, ``entered_by``, ``blank`` and ``spoiled``; ``labels`` and ``wide`` change
the questions' columns). One row per answer, oldest first; quarantined answers (the honeypot was
filled) and pending ones (a paper sheet whose double entry does not agree yet) are never
exported. ``received_at`` is written in the consultation's time zone with its offset
(``2025-03-14T10:26:53+01:00``, ISO 8601).

CSV follows RFC 4180 with what spreadsheets need: UTF-8 with a byte order mark (so Excel and
LibreOffice show accents), CRLF line ends, quotes only where needed. Values are verbatim except
for one thing: a cell that a spreadsheet would run as a formula gets a ``'`` in front (OWASP,
"CSV injection"; DESIGN.md, convention 7: dangerous text is accepted and neutralised where it is
shown). Such a cell starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, or with
the full-width equals, plus, minus or at sign (U+FF1D, U+FF0B, U+FF0D, U+FF20), which some
spreadsheets read as their ASCII twins. Harmless answers such as ``-5 %`` or
``+33 6 12 34 56 78`` are therefore exported as ``'-5 %`` and ``'+33 6 12 34 56 78``: that is
the accepted price, since a citizen's answer must never run in an organizer's spreadsheet. The
header row is treated the same way.

JSON is data, not a spreadsheet: values are raw, as stored, one list per field.

Both exports are generators that read one answer at a time from the database, so a large
consultation is exported in constant memory, and the collector can stream it over HTTP.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from datetime import datetime

from site_builder.collector.answer_table import (
    AnswerTable,
    Cell,
    answer_table,
    batch_place,
    marked,
    time_text,
)
from site_builder.collector.answer_table import received_at as received_in_zone
from site_builder.collector.columns import AnswerReader
from site_builder.storage.base import answer_language
from site_builder.storage.receipts import format_receipt

BOM = "\ufeff"
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
"""First characters that make a spreadsheet read a cell as a formula (ASCII and full-width)."""
FORMATS = ("csv", "json", "xlsx")
"""What ``parole export --format`` offers; ``iter_export`` streams the first two."""


def neutralise_formula(cell: str) -> str:
    """``cell`` as a spreadsheet will show it, never run it: ``'`` before a formula start."""
    return f"'{cell}" if cell[:1] in FORMULA_STARTS else cell


def cell_text(cell: Cell) -> str:
    """A table cell as CSV text: a flag as ``0``/``1``, a time as ISO 8601 with its offset."""
    if isinstance(cell, datetime):
        return time_text(cell)
    return str(cell)


def iter_csv(storage: AnswerReader, form_id: str, *, labels: bool = False, wide: bool = False,
             zone_name: str | None = None) -> Iterator[str]:
    """The CSV export of ``form_id`` in chunks (the header, then one row each); encode them as
    UTF-8. ``labels``, ``wide`` and ``zone_name`` as in ``answer_table``. Raises
    ``UnknownForm`` (or ``UnknownTimeZone``) at once, before the first chunk is asked for."""
    table = answer_table(storage, form_id, labels=labels, wide=wide, zone_name=zone_name)
    return _csv_chunks(storage, table)


def _csv_chunks(storage: AnswerReader, table: AnswerTable) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)

    def row(cells: Sequence[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([neutralise_formula(cell) for cell in cells])
        return buffer.getvalue()

    yield BOM + row(table.headers)
    for answer in storage.answers(table.known.form_id):
        yield row([cell_text(cell) for cell in table.row(answer)])


def iter_json(storage: AnswerReader, form_id: str, *,
              zone_name: str | None = None) -> Iterator[str]:
    """The JSON export of ``form_id`` in chunks (one answer each), together one JSON document:
    ``{"form", "columns", "answers": [{"receipt", "received_at", "channel", "language",
    "form_version", "batch", "place", "entered_by", "blank", "spoiled", "values": {field id:
    [values]}}]}``, ``language`` the tag of the page's language (``ar``; the form's own for an
    answer stored before parole recorded it),
    ``received_at`` in the consultation's time zone (or ``zone_name``); ``batch``, ``place``
    and ``entered_by`` null for an answer that has none (online); ``blank`` and ``spoiled``
    lists of question ids. Raises ``UnknownForm`` (or ``UnknownTimeZone``) at once."""
    table = answer_table(storage, form_id, zone_name=zone_name)
    return _json_chunks(storage, table)


def _json_chunks(storage: AnswerReader, table: AnswerTable) -> Iterator[str]:
    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    form_id = table.known.form_id
    order = table.known.ids
    yield f'{{"form": {dump(form_id)},\n "columns": {dump(order)},\n "answers": ['
    separator = "\n  "
    for answer in storage.answers(form_id):
        yield separator + dump({
            "receipt": format_receipt(answer.receipt),
            "received_at": time_text(received_in_zone(answer, table.zone)),
            "channel": answer.channel,
            "language": answer_language(answer, table.known.language),
            "form_version": answer.form_version,
            "batch": answer.batch_id,
            "place": batch_place(answer, table.batches),
            "entered_by": answer.entered_by,
            "blank": marked(answer, "blank", order),
            "spoiled": marked(answer, "spoiled", order),
            "values": answer.values,
        })
        separator = ",\n  "
    yield "\n]}\n"


def iter_export(storage: AnswerReader, form_id: str, export_format: str, *, labels: bool = False,
                wide: bool = False, zone_name: str | None = None) -> Iterator[str]:
    """``iter_csv`` or ``iter_json``, by name (``labels`` and ``wide`` are for CSV alone)."""
    if export_format == "json":
        return iter_json(storage, form_id, zone_name=zone_name)
    if export_format == "csv":
        return iter_csv(storage, form_id, labels=labels, wide=wide, zone_name=zone_name)
    raise ValueError(f"iter_export streams csv or json, not {export_format!r}")
