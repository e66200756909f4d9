"""How many answers each form has: per day, per channel, per language of the page they came from,
per option of its choice questions, and what the paper sheets say besides: their batches, and the
questions they left blank or spoiled.

For ``parole stats`` (a plain text report, ``stats_report``) and the collector's ``/admin/stats``
(JSON, ``stats_json``). Counts read the answers one at a time, like the export, so memory does
not grow with the consultation. Quarantined answers (the honeypot was filled) are counted apart
and nowhere else; pending ones (a paper sheet whose double entry does not agree yet) are not
answers yet (``Storage.answers`` leaves them out): their batch's sheet states count them. A
question a paper sheet left blank or spoiled is counted as such, apart, never in an option.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Any

from site_builder.collector.columns import (
    COUNTED_TYPES,
    AnswerReader,
    FormQuestions,
    Question,
    check_known,
    form_questions,
)
from site_builder.forms.model import Option
from site_builder.storage.base import CHANNELS, StoredAnswer
from site_builder.storage.entry import SHEET_STATES, BatchProgress


@dataclass(frozen=True)
class OptionCount:
    value: str
    """What the form submits for this option."""
    label: str | None
    """What the newest version of the form shows; None for a value it no longer offers."""
    count: int


@dataclass(frozen=True)
class QuestionStats:
    """How often each option of a choice, choices, select or scale question was chosen."""

    field_id: str
    label: str
    type: str
    options: tuple[OptionCount, ...]
    """Every option in form order (never chosen ones with 0), then values the form no longer
    offers, in order of first appearance."""


@dataclass(frozen=True)
class QuestionMarks:
    """How many paper sheets left a question blank, and how many spoiled it (unreadable, or two
    boxes ticked where one is asked): counted apart from its options."""

    field_id: str
    label: str
    blank: int
    spoiled: int


@dataclass(frozen=True)
class FormStats:
    form_id: str
    title: str | None
    answers: int
    """Answers kept, quarantined ones aside."""
    quarantined: int
    per_day: dict[date, int]
    """Answers per day of arrival (UTC), in date order; days without answers are absent."""
    per_channel: dict[str, int]
    """Answers per channel: every known channel (0 included), then any other, as stored."""
    questions: tuple[QuestionStats, ...]
    marks: tuple[QuestionMarks, ...] = ()
    """Every question in form order (0 included), with its blank and spoiled counts."""
    batches: tuple[BatchProgress, ...] = ()
    """The form's batches of paper sheets, oldest first, with their sheets' states."""
    per_language: dict[str, int] = field(default_factory=dict)
    """Answers per language of the page they came from (issue #18: one form published in
    several languages, its answers counted together): the form's own language first, then
    the others by tag (``Tally.per_language``)."""

    @property
    def paper(self) -> bool:
        """Whether paper sheets came in: paper answers, or batches (entered or not)."""
        return bool(self.per_channel.get("paper") or self.batches)


def arrival_day(answer: StoredAnswer) -> date:
    """The day (UTC) an answer reached the database: ``parole stats``' days."""
    return answer.received_at.astimezone(UTC).date()


class Tally:
    """Counts taken one answer at a time: in all, per day, per channel, per option of the
    ``questions``, and per question left blank or spoiled (the xlsx export takes them while it
    writes the answers, in the same pass; ``parole results`` too, with its own ``day_of``: the
    consultation's days, a paper sheet on the day it was collected)."""

    def __init__(self, questions: Sequence[Question], *, language: str | None = None,
                 day_of: Callable[[StoredAnswer], date] = arrival_day) -> None:
        self.questions = tuple(questions)
        self.day_of = day_of
        self.answers = 0
        self.days: Counter[date] = Counter()
        self.channels: Counter[str] = Counter(dict.fromkeys(CHANNELS, 0))
        self.language = language
        """The form's own language: that of the answers stored without one."""
        self.languages: Counter[str] = Counter()
        """Answers per language of the page they came from (``StoredAnswer.language``)."""
        self.chosen: dict[str, Counter[str]] = {question.id: Counter() for question in questions}
        self.answered: Counter[str] = Counter()
        """Field id of one of ``questions`` → how many answers chose at least one of its
        options (a ``choices`` question's options may add up to more)."""
        self.marked: dict[str, Counter[str]] = {}
        """Field id → how many answers marked it ``blank`` and ``spoiled``, any question."""

    def add(self, answer: StoredAnswer) -> None:
        # Called once per answer, a million times for a big consultation: plain loops and
        # item increments (Counter.update checks its argument's type at every call).
        self.answers += 1
        self.days[self.day_of(answer)] += 1
        self.channels[answer.channel] += 1
        self.languages[answer.language or self.language or ""] += 1
        values, marks, answered = answer.values, answer.marks, self.answered
        for field_id, counter in self.chosen.items():
            chosen = values.get(field_id)
            if chosen and field_id not in marks:
                for value in chosen:
                    counter[value] += 1
                answered[field_id] += 1
        for field_id, mark in marks.items():
            self.marked.setdefault(field_id, Counter())[mark] += 1

    def per_language(self) -> dict[str, int]:
        """Answers per language: the form's own first (0 included), then the others by tag.
        An answer whose form says no language at all (no stored version) counts under ""."""
        own = [self.language] if self.language else []
        others = sorted(language for language in self.languages if language not in own)
        return {language: self.languages[language] for language in own + others}

    def skipped(self, field_id: str) -> int:
        """Answers that neither chose an option of ``field_id`` nor marked it: left out online,
        or answered to a version of the form without it."""
        marked = self.marked.get(field_id, Counter())
        return self.answers - self.answered[field_id] - marked["blank"] - marked["spoiled"]

    def option_counts(self, question: Question,
                      offered: Sequence[Option]) -> tuple[OptionCount, ...]:
        """Every ``offered`` option in order (0 included), then any other value found in the
        answers, in order of first appearance, labelled None."""
        chosen = self.chosen[question.id]
        labels: dict[str, str | None] = {option.value: option.label for option in offered}
        labels.update((value, None) for value in chosen if value not in labels)
        return tuple(OptionCount(value, label, chosen[value]) for value, label in labels.items())

    def question_marks(self, questions: Sequence[Question]) -> tuple[QuestionMarks, ...]:
        """Every one of ``questions`` in order (0 included), then any other question an answer
        marked (a question no stored version has), in order of first appearance."""
        labels = {question.id: question.label for question in questions}
        labels.update((field_id, field_id) for field_id in self.marked if field_id not in labels)
        return tuple(QuestionMarks(field_id, label, self.marked.get(field_id, Counter())["blank"],
                                   self.marked.get(field_id, Counter())["spoiled"])
                     for field_id, label in labels.items())


def counted_questions(known: FormQuestions) -> list[Question]:
    """The questions whose options are counted: choice, choices, select and scale ones."""
    return [question for question in known.questions if question.type in COUNTED_TYPES]


def form_stats(storage: AnswerReader, form_id: str) -> FormStats:
    """Count the answers of ``form_id``; raises ``UnknownForm`` if the database lacks it."""
    check_known(storage, form_id)
    known = form_questions(storage, form_id)
    tally = Tally(counted_questions(known), language=known.language)
    for answer in storage.answers(form_id):
        tally.add(answer)
    quarantined = sum(1 for _ in storage.answers(form_id, quarantined=True))
    batches = tuple(storage.batches(form_id))
    return FormStats(
        form_id=form_id,
        title=known.title,
        answers=tally.answers,
        quarantined=quarantined,
        per_day=dict(sorted(tally.days.items())),
        per_channel=dict(tally.channels),
        per_language=tally.per_language(),
        questions=tuple(
            QuestionStats(question.id, question.label, question.type,
                          tally.option_counts(question, question.options))
            for question in tally.questions
        ),
        marks=tally.question_marks(known.questions),
        batches=batches,
    )


def all_stats(storage: AnswerReader) -> list[FormStats]:
    """The statistics of every form in the database, by form id."""
    return [form_stats(storage, form_id) for form_id in storage.form_ids()]


def stats_json(stats: FormStats | Sequence[FormStats]) -> dict[str, Any]:
    """JSON-ready statistics: one form's object, or ``{"forms": [...]}`` for a list of them.
    ``batches``: one object per batch of paper sheets (``batch_json``); ``marks``: every
    question's ``{"id", "label", "blank", "spoiled"}``; ``per_language``: language tag → answers."""
    if not isinstance(stats, FormStats):
        return {"forms": [stats_json(form) for form in stats]}
    return {
        "form": stats.form_id,
        "title": stats.title,
        "answers": stats.answers,
        "quarantined": stats.quarantined,
        "per_day": {day.isoformat(): count for day, count in stats.per_day.items()},
        "per_channel": stats.per_channel,
        "per_language": stats.per_language,
        "questions": [
            {"id": question.field_id, "label": question.label, "type": question.type,
             "options": [{"value": option.value, "label": option.label, "count": option.count}
                         for option in question.options]}
            for question in stats.questions
        ],
        "marks": [{"id": marks.field_id, "label": marks.label, "blank": marks.blank,
                   "spoiled": marks.spoiled} for marks in stats.marks],
        "batches": [batch_json(progress) for progress in stats.batches],
    }


def batch_json(progress: BatchProgress) -> dict[str, Any]:
    """A batch as ``/admin/stats`` gives it: ``{"batch", "place", "collected_on",
    "sheets_counted", "entered", "difference", "sheets": {state: count}, "closed",
    "closed_at"}``; ``difference`` is the sheets counted by hand minus those entered."""
    batch = progress.batch
    return {
        "batch": batch.id,
        "place": batch.place,
        "collected_on": batch.collected_on.isoformat(),
        "sheets_counted": batch.sheets_counted,
        "entered": progress.entered,
        "difference": progress.difference,
        "sheets": {state: progress.sheets.get(state, 0) for state in SHEET_STATES},
        "closed": batch.closed_at is not None,
        "closed_at": None if batch.closed_at is None else batch.closed_at.isoformat(),
    }
