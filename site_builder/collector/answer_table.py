"""A form's answers as a table: which columns, and what each holds for one answer. Shared by the
CSV, JSON and xlsx exports, so that they agree on every column.

The questions come from the stored form versions (``columns.form_questions``). A table is
``plain`` by default, the CSV as it always was: one column per question headed by its id
(the question codes of the paper form), holding the values as submitted (a checkbox group's
joined by ``"; "``). Two choices change it:

- ``labels``: a question's column is headed by its text and holds its options' labels
  ("Centre-ville" rather than ``centre``), the four answer columns are headed and their channels
  named in the form's language; a scale keeps its step numbers (its ends' words are in the
  column's description).
- ``wide``: a multi-choice question (a checkbox group) becomes one column per option, holding
  1 when the option was ticked, 0 when it was not, and nothing when the answer's version of the
  form did not ask the question. Named ``services/livres`` (question id, option value), or
  ``Quels services ? / Livres`` with ``labels``. Every option any stored version offered has
  its column (the newest version's first), and the collector accepted no other value.

After the questions come ``receipt``, ``received_at`` (a time in the consultation's zone, see
``site_builder.time_zones``), ``channel``, ``language`` (the language of the page the answer
came from, a tag such as ``ar``: answers in every language count together; an answer stored
before parole recorded it has its form's own language) and ``form_version``, then what says
where a paper or assisted answer came from: ``batch`` (the number of its batch of paper
sheets), ``place`` (that batch's place), ``entered_by`` (the mediator who typed it in or
recorded it; empty online), and ``blank`` and ``spoiled``: the ids of the questions the paper
sheet left blank, or answered in a way that cannot be read or counted, joined by ``"; "``. A
question so marked has an empty cell (and, ``wide``, empty flags rather than 0s): a mark is
never turned into an option.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from site_builder.collector.columns import (
    AnswerReader,
    FormQuestions,
    Question,
    check_known,
    form_questions,
)
from site_builder.errors import ParoleError
from site_builder.forms.model import ANSWER_COLUMNS, Option
from site_builder.messages import say, speaking
from site_builder.storage.base import CHANNELS, StoredAnswer, answer_language
from site_builder.storage.entry import Batch
from site_builder.storage.receipts import format_receipt
from site_builder.time_zones import default_time_zone, time_zone, time_zone_fix

MULTIPLE_SEPARATOR = "; "
"""Joins the values (or labels) of a checkbox group in one cell."""
WIDE_SEPARATOR = "/"
"""Between a question's id and an option's value in a ``wide`` column's name."""
LABELLED_WIDE_SEPARATOR = " / "
"""Between a question's text and an option's label in a ``wide`` column's name with labels."""
MULTIPLE_CHOICE = "choices"

Cell = str | int | datetime
"""Text, a 0/1 flag, or a time (aware, in the consultation's zone)."""


class UnknownTimeZone(ParoleError):  # noqa: N818 (named like UnknownForm)
    """``--time-zone`` names no zone this machine knows."""


@dataclass(frozen=True)
class Column:
    """One column of the table."""

    header: str
    field: str
    """The question id, or the answer column's name (``receipt``…)."""
    read: Callable[[StoredAnswer], Cell]
    question: Question | None = None
    """None for the answer columns (``ANSWER_COLUMNS``)."""
    option: Option | None = None
    """A ``wide`` column's option."""


@dataclass(frozen=True)
class AnswerTable:
    """The columns of a form's export, and what the stored versions say about it."""

    known: FormQuestions
    columns: tuple[Column, ...]
    zone: ZoneInfo
    batches: Mapping[int, Batch]
    """The form's batches of paper sheets by id, read once for the whole export."""

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def row(self, answer: StoredAnswer) -> list[Cell]:
        return [column.read(answer) for column in self.columns]


def answer_table(storage: AnswerReader, form_id: str, *, labels: bool = False, wide: bool = False,
                 zone_name: str | None = None) -> AnswerTable:
    """The table of ``form_id``. Raises ``UnknownForm`` when the database lacks it, and
    ``UnknownTimeZone`` when ``zone_name`` (``--time-zone``) is no zone."""
    check_known(storage, form_id)
    known = form_questions(storage, form_id)
    zone = consultation_zone(known, zone_name)
    batches = {progress.batch.id: progress.batch for progress in storage.batches(form_id)}
    with speaking(known.language if labels else "en"):
        columns = [column for question in known.questions
                   for column in _question_columns(question, labels=labels, wide=wide)]
        columns += _answer_columns(zone, batches, known.ids, labels=labels,
                                   language=known.language)
    return AnswerTable(known, tuple(columns), zone, batches)


def consultation_zone(known: FormQuestions, zone_name: str | None = None) -> ZoneInfo:
    """``zone_name`` if given, else the zone the form's manifest names, else the default for its
    language (``Europe/Paris`` for French)."""
    name = zone_name or known.time_zone or default_time_zone(known.language)
    zone = time_zone(name)
    if zone is None:
        raise UnknownTimeZone(say("export.time_zone_unknown", name=name) + "\n    "
                              + say("problem.how_to_fix", fix=time_zone_fix(name)))
    return zone


def received_at(answer: StoredAnswer, zone: ZoneInfo) -> datetime:
    """When the answer arrived, in ``zone``, to the second."""
    return answer.received_at.astimezone(zone).replace(microsecond=0)


def time_text(moment: datetime) -> str:
    """ISO 8601 with the offset: ``2025-03-14T10:26:53+01:00``."""
    return moment.isoformat(timespec="seconds")


def _question_columns(question: Question, *, labels: bool, wide: bool) -> list[Column]:
    header = question.label if labels else question.id
    if wide and question.type == MULTIPLE_CHOICE:
        return [Column(_wide_header(question, option, labels), question.id,
                       _flag(question.id, option.value), question, option)
                for option in question.every_option]
    shown = ({option.value: option.label for option in question.every_option}
             if labels and question.type != "scale" else {})
    return [Column(header, question.id, _joined(question.id, shown), question)]


def _wide_header(question: Question, option: Option, labels: bool) -> str:
    if labels:
        return f"{question.label}{LABELLED_WIDE_SEPARATOR}{option.label}"
    return f"{question.id}{WIDE_SEPARATOR}{option.value}"


def _joined(field_id: str, shown: dict[str, str]) -> Callable[[StoredAnswer], Cell]:
    def read(answer: StoredAnswer) -> Cell:
        if field_id in answer.marks:
            return ""
        values = answer.values.get(field_id, ())
        return MULTIPLE_SEPARATOR.join(shown.get(value, value) for value in values)
    return read


def _flag(field_id: str, value: str) -> Callable[[StoredAnswer], Cell]:
    def read(answer: StoredAnswer) -> Cell:
        if field_id not in answer.values or field_id in answer.marks:
            return ""
        return int(value in answer.values[field_id])
    return read


def marked(answer: StoredAnswer, mark: str, order: Sequence[str]) -> list[str]:
    """The ids of the questions ``answer`` marks ``mark`` (``blank`` or ``spoiled``): in
    ``order`` (the form's), then any other in the order stored."""
    ids = [field_id for field_id, given in answer.marks.items() if given == mark]
    if len(ids) < 2:  # most answers: online ones have no marks
        return ids
    rank = {field_id: index for index, field_id in enumerate(order)}
    return sorted(ids, key=lambda field_id: rank.get(field_id, len(rank)))


def batch_place(answer: StoredAnswer, batches: Mapping[int, Batch]) -> str | None:
    """The place of the answer's batch of paper sheets; None when it came in no batch."""
    batch = batches.get(answer.batch_id) if answer.batch_id is not None else None
    return batch.place if batch is not None else None


def _answer_columns(zone: ZoneInfo, batches: Mapping[int, Batch], order: Sequence[str], *,
                    labels: bool, language: str | None = None) -> list[Column]:
    """The answer columns (``ANSWER_COLUMNS``); ``language`` is the form's own, the language
    of the answers that have none stored."""
    channel_names = {channel: say(f"export.channel.{channel}") for channel in CHANNELS}
    readers: dict[str, Callable[[StoredAnswer], Cell]] = {
        "receipt": lambda answer: format_receipt(answer.receipt),
        "received_at": lambda answer: received_at(answer, zone),
        "channel": (lambda answer: channel_names.get(answer.channel, answer.channel)) if labels
        else (lambda answer: answer.channel),
        "language": lambda answer: answer_language(answer, language) or "",
        "form_version": lambda answer: answer.form_version,
        "batch": lambda answer: "" if answer.batch_id is None else answer.batch_id,
        "place": lambda answer: batch_place(answer, batches) or "",
        "entered_by": lambda answer: answer.entered_by or "",
        "blank": lambda answer: MULTIPLE_SEPARATOR.join(marked(answer, "blank", order)),
        "spoiled": lambda answer: MULTIPLE_SEPARATOR.join(marked(answer, "spoiled", order)),
    }
    return [Column(say(f"export.column.{name}") if labels else name, name, readers[name])
            for name in ANSWER_COLUMNS]


def describe(column: Column, zone: ZoneInfo) -> str:
    """What a column holds, in a sentence, for the xlsx sheet that describes the columns."""
    question = column.question
    if question is None:
        return say(f"export.about.{column.field}", zone=zone.key)
    if column.option is not None:
        return (say("export.about.flag", question=question.label, option=column.option.label)
                + say("export.about.flag_marked"))
    if question.type == "scale" and question.options:
        first, last = question.options[0], question.options[-1]
        return say("export.about.scale", question=question.label, low=first.value,
                   low_label=first.label, high=last.value, high_label=last.label)
    return question.label
