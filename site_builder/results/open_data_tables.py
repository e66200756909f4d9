"""The CSV tables of the open data (``open_data``): their columns, their rows from a results
file, and their bytes.

Four tables per form, each a column list (which ``open_data_package`` turns into the Table
Schema of ``datapackage.json``, so the files and their description cannot drift apart) and rows
built from the results file only: the counts in it are already protected (``protect``), so a
table never holds a count the results page does not show.

A protected count is an empty ``count`` cell, the reason as a machine value in ``protected``
(``small`` or ``hidden``) and in words in ``note`` ("moins de 5"): a program filters on the
first, a person reads the second, and the empty cell is a missing value in every tool (never a
0, which would be false, nor a word in a number column, which would make the column text).

CSV as the ``export`` writes it: UTF-8 with a byte order mark (spreadsheets then show accents),
RFC 4180, ``,``, CRLF, quotes only where needed. Text cells get the export's ``'`` before a
formula start (``=``, ``+``, ``-``, ``@``...) and, so that the rule can be undone exactly, before a
leading ``'`` too: a cell that starts with ``'`` had one added, and the text is the cell without
it. The exact texts are in the form's JSON file, which is data and is never prefixed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from site_builder.collector.export import BOM, FORMULA_STARTS
from site_builder.i18n import Catalogue
from site_builder.results.file import COUNTED_TYPES, ResultsFile
from site_builder.results.protect import HIDDEN, SMALL, Count
from site_builder.storage.moderation import OTHER_REASON, REJECT_REASONS

Cell = str | int | None
"""None is an empty cell (a missing value)."""
Row = tuple[Cell, ...]

PARTICIPATION_KINDS = ("total", "channel", "day")
QUESTION_ROWS = ("option", "skipped", "blank", "spoiled")
FIGURES = ("answered", "consented", "not_consented", "approved", "rejected", "to_moderate")
REASONS = (*REJECT_REASONS, OTHER_REASON)
PROTECTED = (SMALL, HIDDEN)


@dataclass(frozen=True)
class Column:
    """One column of a table, as the Table Schema describes it (its words are the catalogue's
    ``open_data.field.<name>``)."""

    name: str
    type: str = "string"
    """A Table Schema type: ``string``, ``integer`` or ``number``."""
    required: bool = False
    enum: tuple[str, ...] = ()
    minimum: int | None = None
    text: bool = False
    """Free words (labels, quotes): the formula rule applies. Other cells are ids, values from
    a fixed list, days and numbers, which never start with a formula character."""


KIND = Column("kind", required=True, enum=PARTICIPATION_KINDS)
KEY = Column("key", required=True)
LABEL = Column("label", text=True)
COUNT = Column("count", "integer", minimum=0)
PROTECTED_COLUMN = Column("protected", enum=PROTECTED)
NOTE = Column("note", text=True)
PERCENT = Column("percent", "number", minimum=0)
QUESTION_ID = Column("question_id", required=True)
QUESTION_LABEL = Column("question_label", text=True)
QUESTION_TYPE = Column("question_type", required=True, enum=COUNTED_TYPES)
ROW = Column("row", required=True, enum=QUESTION_ROWS)
OPTION_VALUE = Column("option_value", text=True)
OPTION_LABEL = Column("option_label", text=True)
FIGURE = Column("figure", required=True, enum=FIGURES)
REASON = Column("reason", enum=REASONS)
THEME = Column("theme", text=True)
TEXT = Column("text", required=True, text=True)


@dataclass(frozen=True)
class Table:
    """One CSV file of a form: ``<form id>-<name>.csv``."""

    name: str
    """``participation``, ``questions``, ``moderation`` or ``quotes``."""
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    primary_key: tuple[str, ...] = ()


TABLE_NAMES = ("participation", "questions", "moderation", "quotes")


def tables(results: ResultsFile, catalogue: Catalogue) -> tuple[Table, ...]:
    """The form's four tables, in ``TABLE_NAMES`` order."""
    return (participation(results, catalogue), questions(results, catalogue),
            moderation(results, catalogue), quotes(results))


def _protection(count: Count, min_count: int, catalogue: Catalogue) -> tuple[Cell, Cell, Cell]:
    """``count``, ``protected`` and ``note`` cells for a published count."""
    if count == SMALL:
        return None, SMALL, catalogue("open_data.small", count=min_count)
    if count == HIDDEN:
        return None, HIDDEN, catalogue("open_data.hidden")
    return count, None, None


def participation(results: ResultsFile, catalogue: Catalogue) -> Table:
    """Every answer, then per channel, then per day (every day of the consultation)."""
    rows: list[Row] = [("total", "answers", catalogue("open_data.total"), results.answers,
                        None, None)]
    for channel, count in results.per_channel.items():
        label = catalogue.strings.get(f"open_data.channel.{channel}", channel)
        rows.append(("channel", channel, label,
                     *_protection(count, results.min_count, catalogue)))
    for day, count in results.per_day.items():
        rows.append(("day", day.isoformat(), None,
                     *_protection(count, results.min_count, catalogue)))
    return Table("participation", (KIND, KEY, LABEL, COUNT, PROTECTED_COLUMN, NOTE),
                 tuple(rows), primary_key=("kind", "key"))


def percent(count: Count, answers: int) -> str | None:
    """``count`` as a percentage of every answer, one decimal, halves rounded up (computed in
    decimal, so the same numbers give the same text everywhere); None for a protected count
    or a form without answers."""
    if not isinstance(count, int) or answers == 0:
        return None
    value = (Decimal(count) * 100 / Decimal(answers)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return str(value)


def questions(results: ResultsFile, catalogue: Catalogue) -> Table:
    """Per closed question: each option, then the answers that did not choose any."""
    rows: list[Row] = []
    for question in results.questions:
        start = (question.id, question.label, question.type)
        cells: list[tuple[str, str | None, str | None, Count]] = [
            ("option", option.value, option.label, option.count)
            for option in question.options]
        cells += [(kind, None, catalogue(f"open_data.row.{kind}"), count)
                  for kind, count in (("skipped", question.skipped),
                                      ("blank", question.blank),
                                      ("spoiled", question.spoiled))]
        for kind, value, label, count in cells:
            number, protected, note = _protection(count, results.min_count, catalogue)
            rows.append((*start, kind, value, label, number,
                         percent(count, results.answers), protected, note))
    columns = (QUESTION_ID, QUESTION_LABEL, QUESTION_TYPE, ROW, OPTION_VALUE, OPTION_LABEL,
               COUNT, PERCENT, PROTECTED_COLUMN, NOTE)
    return Table("questions", columns, tuple(rows))


def _reason_key(reason: str) -> str:
    return reason.replace(" ", "_").replace("-", "_")


def moderation(results: ResultsFile, catalogue: Catalogue) -> Table:
    """Per free-text question: how many answers, how many may be quoted, what moderation
    decided (rejections per reason)."""
    rows: list[Row] = []
    for text in results.free_text:
        figures: list[tuple[str, str | None, Count]] = [
            ("answered", None, text.answered), ("consented", None, text.consented),
            ("not_consented", None, text.not_consented), ("approved", None, text.approved)]
        figures += [("rejected", reason, count) for reason, count in text.rejected.items()]
        figures.append(("to_moderate", None, text.to_moderate))
        for figure, reason, count in figures:
            if reason is None:
                label = catalogue(f"open_data.figure.{figure}")
            else:
                reason_words = catalogue.strings.get(
                    f"open_data.reason.{_reason_key(reason)}", reason)
                label = catalogue("open_data.figure.rejected", reason=reason_words)
            rows.append((text.id, text.label, figure, reason, label,
                         *_protection(count, results.min_count, catalogue)))
    columns = (QUESTION_ID, QUESTION_LABEL, FIGURE, REASON, LABEL, COUNT, PROTECTED_COLUMN,
               NOTE)
    return Table("moderation", columns, tuple(rows))


def quotes(results: ResultsFile) -> Table:
    """The approved quotes, as the results file has them (redactions already "[…]")."""
    labels = {text.id: text.label for text in results.free_text}
    rows = tuple((quote.question, labels.get(quote.question), quote.theme, quote.text)
                 for quote in results.quotes)
    return Table("quotes", (QUESTION_ID, QUESTION_LABEL, THEME, TEXT), rows)


# --- CSV ---------------------------------------------------------------------------------------

NEUTRALISED_STARTS = FORMULA_STARTS | {"'"}
"""The export's formula starts, and ``'`` itself, so that the ``'`` parole adds can always be
told from one the text had: a text cell starting with ``'`` had one added."""


def neutralised(text: str) -> str:
    """``text`` as a spreadsheet will show it, never run it."""
    return f"'{text}" if text[:1] in NEUTRALISED_STARTS else text


def csv_bytes(table: Table) -> bytes:
    """The table as CSV: BOM, header row, one row each, CRLF; empty cells for None."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([column.name for column in table.columns])
    for row in table.rows:
        writer.writerow([_cell(cell, column) for cell, column in zip(row, table.columns,
                                                                     strict=True)])
    return (BOM + buffer.getvalue()).encode("utf-8")


def _cell(cell: Cell, column: Column) -> str:
    if cell is None:
        return ""
    text = str(cell)
    return neutralised(text) if column.text else text
