"""Reading answers typed into a spreadsheet (``parole import``): a CSV file checked, every row
against its form, and every problem listed with its row and column (issue #15).

The file is the CSV export's (``export.py``, ``answer_table.py``): one column per question,
headed by its id (or, as ``--labels`` writes it, by its text), a checkbox group's values joined
by ``"; "``, the export's own columns after the questions. ``blank`` and ``spoiled`` list the
questions the sheet left blank or had spoiled (ids or texts joined by ``"; "``); ``language``,
the language of the paper version the row was typed from (issue #18), one of the form's
languages as the export writes them (``fr``, ``ar``), an empty cell leaving it to the command;
``receipt``, ``received_at``, ``channel``, ``form_version``, ``batch``, ``place`` and
``entered_by`` are recognised and ignored: an imported row is a new paper (or assisted) answer
of the batch the command names. What spreadsheets do to a CSV is undone: a byte order mark,
the ``;`` delimiter Excel writes where the decimal mark is a comma, and the ``'`` the export
puts before a cell a spreadsheet would run as a formula, so that the export's own file comes
back exactly.

Every question of the form must have its column: a cell left empty says the sheet left the
question blank, and a missing column would say that of every sheet without anyone having read
them (a misspelt header would turn a whole question blank). A question only older versions of
the form asked may keep its column, empty. Each row is checked as a typed paper sheet is
(``paper_check.check_sheet``): blanks are allowed, spoiled questions are marked, a value the
form does not offer or a number that is none is a problem. Nothing here touches the database.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from site_builder.collector.answer_table import MULTIPLE_SEPARATOR
from site_builder.collector.body import Refusal, shown
from site_builder.collector.export import BOM, FORMULA_STARTS
from site_builder.collector.paper_check import check_sheet
from site_builder.collector.validate import ONE_LINE, TYPED
from site_builder.forms.manifest import Manifest
from site_builder.forms.model import ANSWER_COLUMNS, Field
from site_builder.forms.posted import CONSENT_VALUE
from site_builder.i18n import Catalogue
from site_builder.messages import say, speaking
from site_builder.storage.base import Marks, Values

MARK_COLUMNS = ("blank", "spoiled")
"""The export's columns listing the questions a sheet left blank or had spoiled."""
LANGUAGE_COLUMN = "language"
"""The export's column saying the language each answer was given in."""
IGNORED_COLUMNS = tuple(name for name in ANSWER_COLUMNS
                        if name not in (*MARK_COLUMNS, LANGUAGE_COLUMN))
"""The export's other columns (``receipt``, ``received_at``, ``channel``, ``form_version``,
``batch``, ``place``, ``entered_by``): an imported answer gets its own receipt, time, channel,
version and batch."""
DELIMITERS = (",", ";", "\t")
"""What separates cells: the export's comma, the semicolon of spreadsheets set to a language
whose decimal mark is a comma (Excel in French), a tab (a copy from a spreadsheet)."""


@dataclass(frozen=True)
class Problem:
    """Something in the file to fix before anything is imported."""

    what: str
    """What is wrong, in the organizer's language."""
    fix: str
    """How to fix it."""
    row: int | None = None
    """The row as a spreadsheet numbers it (the header is row 1); None for the whole file."""
    column: str | None = None
    """The column's header as written in the file."""


@dataclass(frozen=True)
class Sheet:
    """A row that passed every check: a paper sheet's answer, ready to store."""

    row: int
    values: Values
    marks: Marks
    language: str | None = None
    """The row's ``language`` cell, one of the form's languages; None: no such column, or the
    cell empty (the command's ``--language``, else the form's own)."""


@dataclass(frozen=True)
class ReadFile:
    sheets: tuple[Sheet, ...] = ()
    problems: tuple[Problem, ...] = ()
    empty_rows: int = 0
    """Rows without a single character, left out (spreadsheets leave them at the end)."""


@dataclass
class _Columns:
    """What each column of the file holds, by position."""

    questions: dict[int, Field] = field(default_factory=dict)
    marks: dict[int, str] = field(default_factory=dict)
    language: int | None = None
    """The ``language`` column's position, if the file has one."""
    older: dict[int, str] = field(default_factory=dict)
    """Columns of questions only older versions of the form asked: their cells must be empty."""
    unnamed: list[int] = field(default_factory=list)
    """Columns without a header (a spreadsheet's trailing separators): their cells must be
    empty."""
    headers: list[str] = field(default_factory=list)


def read_answers(data: bytes, manifest: Manifest, words: Catalogue,
                 older_questions: Iterable[str] = ()) -> ReadFile:
    """The rows of the CSV file ``data`` checked against ``manifest``'s form; ``words`` says
    the form's mistakes (in the organizer's language); ``older_questions`` are the ids (and
    texts) of the questions only older stored versions had."""
    try:
        text = data.decode("utf-8").removeprefix(BOM)
    except UnicodeDecodeError as error:
        row = data[:error.start].count(b"\n") + 1
        return ReadFile(problems=(Problem(say("import.not_utf8"), say("import.not_utf8_fix"),
                                          row=row),))
    records = _records(text, manifest)
    if not records or not any(cell.strip() for cell in records[0]):
        return ReadFile(problems=(Problem(say("import.no_header"), say("import.no_header_fix"),
                                          row=1),))
    columns, problems = _read_header(records[0], manifest, set(older_questions))
    if not columns.questions:
        return ReadFile(problems=tuple(problems))
    sheets: list[Sheet] = []
    empty = 0
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            empty += 1
            continue
        read = _read_row(number, record, columns, manifest, words)
        if isinstance(read, Sheet):
            sheets.append(read)
        else:
            problems.extend(read)
    return ReadFile(tuple(sheets), tuple(problems), empty)


def _records(text: str, manifest: Manifest) -> list[list[str]]:
    """The file's rows, read with the delimiter under which its first row names the most
    columns this form has (a comma when none does)."""
    first_line = text.split("\n", 1)[0]
    known = {*(question.id for question in manifest.form.fields), *MARK_COLUMNS,
             LANGUAGE_COLUMN, *IGNORED_COLUMNS,
             *(question.label for question in manifest.form.fields)}

    def named(delimiter: str) -> int:
        header = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(unneutralised(cell).strip() in known for cell in header)

    delimiter = max(DELIMITERS, key=named)  # the first, the comma, on a tie
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def unneutralised(cell: str) -> str:
    """``cell`` without the ``'`` the export puts before a formula start
    (``export.neutralise_formula``)."""
    if cell[:1] == "'" and cell[1:2] in FORMULA_STARTS:
        return cell[1:]
    return cell


# -- the header ---------------------------------------------------------------------------------

def _read_header(header: Sequence[str], manifest: Manifest,
                 older: set[str]) -> tuple[_Columns, list[Problem]]:
    fields = manifest.form.fields
    by_name: dict[str, Field] = {question.id: question for question in fields}
    by_label = {question.label: question for question in fields}
    mark_names = _column_names(MARK_COLUMNS, manifest.language)
    language_names = _column_names((LANGUAGE_COLUMN,), manifest.language)
    ignored = _column_names(IGNORED_COLUMNS, manifest.language)
    columns = _Columns(headers=[unneutralised(cell).strip() for cell in header])
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for position, name in enumerate(columns.headers):
        question = by_name.get(name) or by_label.get(name)
        key = (question.id if question
               else mark_names.get(name) or language_names.get(name) or name)
        if not name:
            columns.unnamed.append(position)
            continue
        if key in seen:
            problems.append(Problem(say("import.column_twice", first=seen[key]),
                                    say("import.column_twice_fix"), row=1, column=name))
            continue
        seen[key] = name
        if question is not None:
            columns.questions[position] = question
        elif name in mark_names:
            columns.marks[position] = mark_names[name]
        elif name in language_names:
            columns.language = position
        elif name in older:
            columns.older[position] = name
        elif name not in ignored:
            problems.append(_unknown_column(name, manifest))
    present = {question.id for question in columns.questions.values()}
    for question in fields:
        if question.id not in present:
            problems.append(Problem(say("import.missing_column", question=question.id,
                                        label=question.label),
                                    say("import.missing_column_fix", question=question.id),
                                    row=1))
    return columns, problems


def _column_names(names: Sequence[str], language: str) -> dict[str, str]:
    """Each export column's name, and its header as ``--labels`` writes it in ``language``."""
    headers = {name: name for name in names}
    with speaking(language):
        for name in names:
            try:
                headers[say(f"export.column.{name}")] = name
            except KeyError:  # a column --labels does not head in words
                continue
    return headers


def _unknown_column(name: str, manifest: Manifest) -> Problem:
    ids = ", ".join(question.id for question in manifest.form.fields)
    question_id = name.split("/", maxsplit=1)[0].strip()
    if "/" in name and (manifest.form.get(question_id) is not None or any(
            name.startswith(f"{question.label} / ") for question in manifest.form.fields)):
        return Problem(say("import.wide_column"), say("import.wide_column_fix"),
                       row=1, column=name)
    return Problem(say("import.unknown_column", form=manifest.form.id, questions=ids),
                   say("import.unknown_column_fix"), row=1, column=name)


# -- a row --------------------------------------------------------------------------------------

@dataclass
class _Row:
    """One row being read: its cells (neutralisation undone) and the problems found so far."""

    number: int
    cells: list[str]
    columns: _Columns
    manifest: Manifest
    found: list[Problem] = field(default_factory=list)

    def problem(self, what: str, fix: str, column: str | None = None) -> None:
        self.found.append(Problem(what, fix, row=self.number, column=column))


def _read_row(number: int, record: Sequence[str], columns: _Columns, manifest: Manifest,
              words: Catalogue) -> Sheet | list[Problem]:
    """The row's sheet, or the problems that keep it out (every one: the cells that are sound
    are checked as a sheet even when others are not)."""
    width = len(columns.headers)
    cells = [unneutralised(cell) for cell in record[:width]]
    row = _Row(number, cells + [""] * (width - len(cells)), columns, manifest)
    if len(record) > width and any(cell.strip() for cell in record[width:]):
        row.problem(say("import.too_many_cells", count=len(record), columns=width),
                    say("import.too_many_cells_fix"))
    marked = {mark: _marked(row, position) for position, mark in columns.marks.items()}
    blank, spoiled = marked.get("blank", {}), marked.get("spoiled", {})
    answers: dict[str, list[str]] = {}
    for position, question in columns.questions.items():
        given = _cell_values(row, position, question)
        listed_in = next((mark for mark, listed in (("spoiled", spoiled), ("blank", blank))
                          if question.id in listed), None)
        if given and listed_in:
            row.problem(say(f"import.{listed_in}_and_answered", question=question.id),
                        say(f"import.{listed_in}_and_answered_fix", question=question.id),
                        columns.headers[position])
        elif given:
            answers[question.id] = given
    for question_id in blank.keys() & spoiled.keys():
        row.problem(say("import.blank_and_spoiled", question=question_id),
                    say("import.blank_and_spoiled_fix"))
    for position, name in columns.older.items():
        if row.cells[position].strip():
            row.problem(say("import.older_question", form=manifest.form.id),
                        say("import.older_question_fix"), name)
    for position in columns.unnamed:
        if row.cells[position].strip():
            row.problem(say("import.unnamed_column", number=position + 1),
                        say("import.unnamed_column_fix"))
    language = _language(row)
    sheet = _checked_sheet(row, answers, set(spoiled), words)
    if sheet is None or row.found:
        return row.found
    return dataclasses.replace(sheet, language=language)


def _language(row: _Row) -> str | None:
    """The row's ``language`` cell: one of the form's languages, written as the export writes
    it (``ar``; spaces around it ignored); None when empty or absent."""
    position = row.columns.language
    cell = "" if position is None else row.cells[position].strip()
    if position is None or not cell:
        return None
    languages = row.manifest.form.languages
    if cell not in languages:
        row.problem(say("import.not_a_language", value=shown(cell), form=row.manifest.form.id),
                    say("import.not_a_language_fix", languages=", ".join(languages)),
                    row.columns.headers[position])
        return None
    return cell


def _checked_sheet(row: _Row, answers: dict[str, list[str]], spoiled: set[str],
                   words: Catalogue) -> Sheet | None:
    """The sound cells checked as a paper sheet typed in is (letters in a number, too long an
    answer, more boxes than allowed); None when that found problems (added to ``row``)."""
    try:
        checked = check_sheet(row.manifest.form, answers, spoiled, words)
    except Refusal as refusal:  # the checks above leave nothing structural: a safety net
        row.problem(refusal.reason, say("import.refused_fix"))
        return None
    header_of = {question.id: row.columns.headers[position]
                 for position, question in row.columns.questions.items()}
    for question_id, message in checked.errors.items():
        row.problem(message, say("import.mistake_fix", question=question_id),
                    header_of.get(question_id))
    return None if checked.errors else Sheet(row.number, checked.values, checked.marks)


def _marked(row: _Row, position: int) -> dict[str, None]:
    """The question ids a ``blank`` or ``spoiled`` cell lists (ids or texts), in its order."""
    form = row.manifest.form
    by_label = {question.label: question.id for question in form.fields}
    listed: dict[str, None] = {}
    for part in _parts(row.cells[position]):
        question_id = part if form.get(part) is not None else by_label.get(part)
        if question_id is None:
            row.problem(say("import.mark_unknown", name=part, form=form.id),
                        say("import.mark_unknown_fix", questions=", ".join(
                            question.id for question in form.fields)),
                        row.columns.headers[position])
        else:
            listed[question_id] = None
    return listed


def _parts(cell: str) -> list[str]:
    """A list cell's items: split at ``;`` (the export writes ``"; "``; people type ``a;b``)."""
    return [part.strip() for part in cell.split(MULTIPLE_SEPARATOR.strip()) if part.strip()]


def _cell_values(row: _Row, position: int, question: Field) -> list[str]:
    """What the cell answers: [] for an empty cell, the values to check otherwise."""
    cell, header = row.cells[position], row.columns.headers[position]
    if question.type in TYPED:
        if not cell.strip():
            return []
        if question.type in ONE_LINE and ("\n" in cell or "\r" in cell):
            row.problem(say("import.line_break"), say("import.line_break_fix"), header)
            return []
        return [cell]  # verbatim, spaces included, as the online form stores it
    offered = _offered(question)
    labelled = {label: value for value, label in offered.items()}
    items = _parts(cell) if question.multiple else [cell.strip()] if cell.strip() else []
    values: list[str] = []
    for item in items:
        value = item if item in offered else labelled.get(item)
        if value is None:
            _not_an_option(row, header, question, item, offered)
        elif value in values:
            row.problem(say("import.same_option_twice", value=value),
                        say("import.same_option_twice_fix"), header)
        else:
            values.append(value)
    return values


def _not_an_option(row: _Row, header: str, question: Field, item: str,
                   offered: dict[str, str]) -> None:
    parts = _parts(item)
    if not question.multiple and len(parts) > 1 and all(
            part in offered or part in offered.values() for part in parts):
        row.problem(say("import.several_answers", count=len(parts)),
                    say("import.several_answers_fix", question=question.id), header)
        return
    listed = ", ".join(value if label == value else f"{value} ({label})"
                       for value, label in offered.items())
    row.problem(say("import.not_an_option", value=item),
                say("import.not_an_option_fix", options=listed), header)


def _offered(question: Field) -> dict[str, str]:
    """The values a chosen answer may take, with the label ``--labels`` writes for each."""
    if question.type == "scale":
        return {str(step): str(step) for step in question.steps}
    if question.type == "consent":
        return {CONSENT_VALUE: CONSENT_VALUE}
    return {option.value: option.label for option in question.options}
