"""A form's answers as CSV (for spreadsheets) or JSON (for programs), streamed.

Columns: the form's questions (field ids, which are the question codes printed on the paper
form), newest version first, then the questions only older versions had, then ``receipt``,
``received_at`` (ISO 8601, UTC, ``Z``), ``channel`` and ``form_version``. One row per answer,
oldest first; quarantined answers (the honeypot was filled) are never exported.

CSV follows RFC 4180 with what spreadsheets need: UTF-8 with a byte order mark (so Excel and
LibreOffice show accents), CRLF line ends, quotes only where needed. The values of a checkbox
group are joined by ``"; "``. Values are verbatim except for one thing: a cell that a spreadsheet
would run as a formula gets a ``'`` in front (OWASP, "CSV injection"; DESIGN.md, convention 7:
dangerous text is accepted and neutralised where it is shown). Such a cell starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return, or with the full-width equals, plus, minus or at
sign (U+FF1D, U+FF0B, U+FF0D, U+FF20), which some spreadsheets read as their ASCII twins.
Harmless answers such as ``-5 %`` or ``+33 6 12 34 56 78`` are therefore exported as ``'-5 %``
and ``'+33 6 12 34 56 78``: that is the accepted price, since a citizen's answer must never run
in an organizer's spreadsheet. The header row is treated the same way.

JSON is data, not a spreadsheet: values are raw, as stored, one list per field.

Both exports are generators that read one answer at a time from the database, so a large
consultation is exported in constant memory, and the collector can stream it over HTTP.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from datetime import UTC

from site_builder.collector.columns import check_known, form_questions
from site_builder.forms.model import ANSWER_COLUMNS
from site_builder.storage.base import Storage, StoredAnswer
from site_builder.storage.receipts import format_receipt

"""The columns after the questions, describing each answer."""
MULTIPLE_SEPARATOR = "; "
"""Joins the values of a checkbox group in one CSV cell."""
BOM = "\ufeff"
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
"""First characters that make a spreadsheet read a cell as a formula (ASCII and full-width)."""
FORMATS = ("csv", "json")


def neutralise_formula(cell: str) -> str:
    """``cell`` as a spreadsheet will show it, never run it: ``'`` before a formula start."""
    return f"'{cell}" if cell[:1] in FORMULA_STARTS else cell


def received_at_text(answer: StoredAnswer) -> str:
    """When the answer arrived, as ``2025-03-14T09:26:53Z`` (UTC, to the second)."""
    return answer.received_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def export_columns(storage: Storage, form_id: str) -> list[str]:
    """The field ids exported for ``form_id``, in column order (``ANSWER_COLUMNS`` follow).
    Raises ``UnknownForm`` when the database knows no such form."""
    check_known(storage, form_id)
    return form_questions(storage, form_id).ids


def iter_csv(storage: Storage, form_id: str) -> Iterator[str]:
    """The CSV export of ``form_id`` in chunks (the header, then one row each); encode them as
    UTF-8. Raises ``UnknownForm`` at once, before the first chunk is asked for."""
    columns = export_columns(storage, form_id)
    return _csv_chunks(storage, form_id, columns)


def _csv_chunks(storage: Storage, form_id: str, columns: Sequence[str]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)

    def row(cells: Sequence[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([neutralise_formula(cell) for cell in cells])
        return buffer.getvalue()

    yield BOM + row([*columns, *ANSWER_COLUMNS])
    for answer in storage.answers(form_id):
        cells = [MULTIPLE_SEPARATOR.join(answer.values.get(column, ())) for column in columns]
        yield row([*cells, format_receipt(answer.receipt), received_at_text(answer),
                   answer.channel, answer.form_version])


def iter_json(storage: Storage, form_id: str) -> Iterator[str]:
    """The JSON export of ``form_id`` in chunks (one answer each), together one JSON document:
    ``{"form", "columns", "answers": [{"receipt", "received_at", "channel", "form_version",
    "values": {field id: [values]}}]}``. Raises ``UnknownForm`` at once."""
    columns = export_columns(storage, form_id)
    return _json_chunks(storage, form_id, columns)


def _json_chunks(storage: Storage, form_id: str, columns: Sequence[str]) -> Iterator[str]:
    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    yield f'{{"form": {dump(form_id)},\n "columns": {dump(list(columns))},\n "answers": ['
    separator = "\n  "
    for answer in storage.answers(form_id):
        yield separator + dump({
            "receipt": format_receipt(answer.receipt),
            "received_at": received_at_text(answer),
            "channel": answer.channel,
            "form_version": answer.form_version,
            "values": answer.values,
        })
        separator = ",\n  "
    yield "\n]}\n"


def iter_export(storage: Storage, form_id: str, export_format: str) -> Iterator[str]:
    """``iter_csv`` or ``iter_json``, by name (one of ``FORMATS``)."""
    if export_format == "json":
        return iter_json(storage, form_id)
    if export_format == "csv":
        return iter_csv(storage, form_id)
    raise ValueError(f"unknown export format {export_format!r}; expected one of {FORMATS}")
