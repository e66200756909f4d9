"""A form's answers as an xlsx workbook an organizer uses as it is, opening on the tally.

Three sheets, named and headed in the form's language:

1. **Tally** (the sheet the workbook opens on): the form, when it was exported and in which time
   zone, the number of answers, per channel (and per language when the answers came in several),
   then one row per option of every choice, select and scale question: the question, the
   option's label and value, how many answers chose it and their share (what ``parole stats``
   counts). When paper answers came in, then one row per question: how many sheets left it
   blank and how many spoiled it, counted apart from the options.
2. **Answers**: one row per answer, oldest first, as ``answer_table`` lays it out with
   ``labels`` and ``wide``: questions' texts as headers, options' labels as values, one 0/1
   column per option of a checkbox group, scale steps as numbers, then the receipt, the time of
   arrival (a date cell in the consultation's time zone whose format writes the offset:
   ``2025-03-14 10:26:53+01:00``), the channel, the language, the form version, the batch of
   paper sheets, its place, who entered the answer, and the questions left blank or spoiled.
3. **Columns**: each column of the answers sheet, its question code, type, option value and what
   it holds.

Text stays text (a postal code ``01000`` keeps its zero; nothing is read as a number or a date),
and a cell a spreadsheet would run as a formula is neutralised as in CSV (``export``). Characters
XML cannot hold (control characters other than tab, line feed and carriage return) are written as
U+FFFD, the replacement character.

The workbook is write-only (openpyxl keeps each sheet's rows in a temporary file, not in memory)
and the answers are read once, one at a time, counted as they are written: memory stays flat
however many answers there are (see ``bench/export.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from site_builder.collector.answer_table import AnswerTable, Cell, answer_table, describe
from site_builder.collector.columns import AnswerReader
from site_builder.collector.export import neutralise_formula
from site_builder.collector.stats import Tally, counted_questions
from site_builder.messages import say, speaking
from site_builder.storage.base import CHANNELS

TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
SHARE_FORMAT = "0.0%"
REPLACEMENT = "\ufffd"
BOLD = Font(bold=True)
COLUMN_WIDTH = 22


def write_xlsx(storage: AnswerReader, form_id: str, target: Path | IO[bytes], *,
               zone_name: str | None = None, now: datetime | None = None) -> None:
    """Write the workbook of ``form_id`` to ``target``. ``zone_name`` overrides the
    consultation's time zone; ``now`` is when the tally says it was exported. Raises
    ``UnknownForm`` or ``UnknownTimeZone`` before writing anything."""
    table = answer_table(storage, form_id, labels=True, wide=True, zone_name=zone_name)
    with speaking(table.known.language):
        workbook = Workbook(write_only=True)
        tally_sheet = workbook.create_sheet(say("export.sheet.tally"))
        answers_sheet = workbook.create_sheet(say("export.sheet.answers"))
        columns_sheet = workbook.create_sheet(say("export.sheet.columns"))
        tally = Tally(counted_questions(table.known), language=table.known.language)
        _start(answers_sheet, len(table.columns))
        answers_sheet.append(_header_row(answers_sheet, table.headers))
        scales = [column.question is not None and column.question.type == "scale"
                  for column in table.columns]
        for answer in storage.answers(form_id):
            tally.add(answer)
            answers_sheet.append([_cell(answers_sheet, cell, scale)
                                  for cell, scale in zip(table.row(answer), scales, strict=True)])
        last = get_column_letter(max(len(table.columns), 1))
        answers_sheet.auto_filter.ref = f"A1:{last}{tally.answers + 1}"
        _write_tally(tally_sheet, table, tally, now or datetime.now(UTC))
        _write_columns(columns_sheet, table)
        workbook.save(target)


def _start(sheet: WriteOnlyWorksheet, width: int) -> None:
    """What must be set before a write-only sheet's first row: the frozen header and widths."""
    sheet.freeze_panes = "A2"
    # A write-only sheet has a normal sheet's column dimensions (Worksheet._setup makes them),
    # which openpyxl's type stubs do not declare.
    dimensions = sheet.column_dimensions  # type: ignore[attr-defined]
    for index in range(1, width + 1):
        dimensions[get_column_letter(index)].width = COLUMN_WIDTH


def _header_row(sheet: WriteOnlyWorksheet, headers: Sequence[str]) -> list[SheetCell]:
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, _text(header))
        cell.font = BOLD
        cells.append(cell)
    return cells


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, neutralise_formula(value))


def _cell(sheet: WriteOnlyWorksheet, cell: Cell, scale: bool = False) -> object:
    """A table cell as the workbook holds it: text as text, flags and scale steps as numbers,
    times as dates (in the consultation's zone) whose format writes their offset."""
    if isinstance(cell, datetime):
        written = WriteOnlyCell(sheet, cell.replace(tzinfo=None))
        written.number_format = f'{TIME_FORMAT}"{_offset(cell)}"'
        return written
    if isinstance(cell, int):
        return cell
    if scale and cell.isascii() and cell.lstrip("-").isdigit():
        return int(cell)
    return _text(cell)


def _offset(moment: datetime) -> str:
    """``+01:00``: the offset as ISO 8601 writes it (``isoformat`` ends with it)."""
    return moment.isoformat()[-6:]


def _write_tally(sheet: WriteOnlyWorksheet, table: AnswerTable, tally: Tally,
                 now: datetime) -> None:
    _start(sheet, 5)
    known = table.known
    title = WriteOnlyCell(sheet, _text(say("export.tally.form", form=known.form_id,
                                           title=known.title or known.form_id)))
    title.font = BOLD
    exported = now.astimezone(table.zone).replace(microsecond=0)
    sheet.append([title])
    sheet.append([_text(say("export.tally.exported", time=exported.isoformat(sep=" "),
                            zone=table.zone.key))])
    sheet.append([])
    sheet.append([_text(say("export.tally.answers")), tally.answers])
    for channel, count in tally.channels.items():
        name = say(f"export.channel.{channel}") if channel in CHANNELS else channel
        sheet.append([_text(say("export.tally.channel", channel=name)), count])
    languages = tally.per_language()
    if len(languages) > 1:  # a form published in several languages (issue #18)
        for language, count in languages.items():
            sheet.append([_text(say("export.tally.language", language=language)), count])
    sheet.append([])
    sheet.append(_header_row(sheet, [say(f"export.tally.{key}") for key in
                                     ("question", "option", "value", "count", "share")]))
    for question in tally.questions:
        # Every option any version offered, then any other value found (shown as stored).
        for option in tally.option_counts(question, question.every_option):
            share = WriteOnlyCell(sheet, option.count / tally.answers if tally.answers else 0)
            share.number_format = SHARE_FORMAT
            label = option.value if option.label is None else option.label
            sheet.append([_text(question.label), _text(label), _text(option.value), option.count,
                          share])
    if tally.channels["paper"] or table.batches:
        _write_marks(sheet, table, tally)


def _write_marks(sheet: WriteOnlyWorksheet, table: AnswerTable, tally: Tally) -> None:
    """Every question's blank and spoiled count on paper: apart, never in an option's."""
    sheet.append([])
    sheet.append(_header_row(sheet, [say(f"export.tally.{key}") for key in
                                     ("question", "code", "blank", "spoiled")]))
    for marks in tally.question_marks(table.known.questions):
        sheet.append([_text(marks.label), _text(marks.field_id), marks.blank, marks.spoiled])


def _write_columns(sheet: WriteOnlyWorksheet, table: AnswerTable) -> None:
    _start(sheet, 5)
    sheet.append(_header_row(sheet, [say(f"export.columns.{key}") for key in
                                      ("column", "field", "type", "option", "meaning")]))
    for column in table.columns:
        question = column.question
        sheet.append([_text(text) for text in (
            column.header, column.field, question.type if question else "",
            column.option.value if column.option else "", describe(column, table.zone))])
