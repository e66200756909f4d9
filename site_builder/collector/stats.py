"""How many answers each form has: per day, per channel, and per option of its choice questions.

For ``parole stats`` (a plain text report) and the collector's ``/admin/stats`` (JSON). Counts
read the answers one at a time, like the export, so memory does not grow with the consultation.
Quarantined answers (the honeypot was filled) are counted apart and nowhere else.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

from site_builder.collector.columns import (
    COUNTED_TYPES,
    FormQuestions,
    Question,
    check_known,
    form_questions,
)
from site_builder.forms.model import Option
from site_builder.messages import say
from site_builder.storage.base import CHANNELS, Storage, StoredAnswer


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


class Tally:
    """Counts taken one answer at a time: in all, per day, per channel and per option of the
    ``questions`` (the xlsx export takes them while it writes the answers, in the same pass)."""

    def __init__(self, questions: Sequence[Question]) -> None:
        self.questions = tuple(questions)
        self.answers = 0
        self.days: Counter[date] = Counter()
        self.channels: Counter[str] = Counter(dict.fromkeys(CHANNELS, 0))
        self.chosen: dict[str, Counter[str]] = {question.id: Counter() for question in questions}

    def add(self, answer: StoredAnswer) -> None:
        self.answers += 1
        self.days[answer.received_at.astimezone(UTC).date()] += 1
        self.channels[answer.channel] += 1
        for field_id, counter in self.chosen.items():
            counter.update(answer.values.get(field_id, ()))

    def option_counts(self, question: Question,
                      offered: Sequence[Option]) -> tuple[OptionCount, ...]:
        """Every ``offered`` option in order (0 included), then any other value found in the
        answers, in order of first appearance, labelled None."""
        chosen = self.chosen[question.id]
        labels: dict[str, str | None] = {option.value: option.label for option in offered}
        labels.update((value, None) for value in chosen if value not in labels)
        return tuple(OptionCount(value, label, chosen[value]) for value, label in labels.items())


def counted_questions(known: FormQuestions) -> list[Question]:
    """The questions whose options are counted: choice, choices, select and scale ones."""
    return [question for question in known.questions if question.type in COUNTED_TYPES]


def form_stats(storage: Storage, form_id: str) -> FormStats:
    """Count the answers of ``form_id``; raises ``UnknownForm`` if the database lacks it."""
    check_known(storage, form_id)
    known = form_questions(storage, form_id)
    tally = Tally(counted_questions(known))
    for answer in storage.answers(form_id):
        tally.add(answer)
    quarantined = sum(1 for _ in storage.answers(form_id, quarantined=True))
    return FormStats(
        form_id=form_id,
        title=known.title,
        answers=tally.answers,
        quarantined=quarantined,
        per_day=dict(sorted(tally.days.items())),
        per_channel=dict(tally.channels),
        questions=tuple(
            QuestionStats(question.id, question.label, question.type,
                          tally.option_counts(question, question.options))
            for question in tally.questions
        ),
    )


def all_stats(storage: Storage) -> list[FormStats]:
    """The statistics of every form in the database, by form id."""
    return [form_stats(storage, form_id) for form_id in storage.form_ids()]


def _as_list(stats: FormStats | Sequence[FormStats]) -> list[FormStats]:
    return [stats] if isinstance(stats, FormStats) else list(stats)


def stats_text(stats: FormStats | Sequence[FormStats]) -> str:
    """A plain text report for the terminal, one block per form, numbers right-aligned."""
    forms = _as_list(stats)
    if not forms:
        return say("stats.empty") + "\n"
    return "\n".join(_form_text(form) for form in forms)


def _form_text(stats: FormStats) -> str:
    heading = (say("stats.form_titled", form=stats.form_id, title=stats.title) if stats.title
               else say("stats.form", form=stats.form_id))
    lines = [heading, *_table(
        [(say("stats.answers"), stats.answers), (say("stats.quarantined"), stats.quarantined)],
        indent=2)]
    lines += ["", "  " + say("stats.per_day"), *_table(
        [(day.isoformat(), count) for day, count in stats.per_day.items()])]
    lines += ["", "  " + say("stats.per_channel"), *_table(list(stats.per_channel.items()))]
    for question in stats.questions:
        line = say("stats.question", field=question.field_id, type=question.type,
                   label=question.label)
        lines += ["", f"  {line}", *_table(
            [(option.value, _label_text(option), option.count) for option in question.options])]
    return "\n".join(lines) + "\n"


def _label_text(option: OptionCount) -> str:
    if option.label is None:
        return say("stats.no_longer_offered")
    return "" if option.label == option.value else option.label


def _table(rows: Sequence[tuple[str | int, ...]], *, indent: int = 4) -> list[str]:
    """Rows of words then a count: words left-aligned, counts right-aligned, in columns."""
    if not rows:
        return [" " * indent + say("stats.none")]
    widths = [max(len(str(row[column])) for row in rows) for column in range(len(rows[0]))]
    return [
        " " * indent + "  ".join(
            f"{cell:>{width}}" if isinstance(cell, int) else f"{cell:<{width}}"
            for cell, width in zip(row, widths, strict=True)
        )
        for row in rows
    ]


def stats_json(stats: FormStats | Sequence[FormStats]) -> dict[str, Any]:
    """JSON-ready statistics: one form's object, or ``{"forms": [...]}`` for a list of them."""
    if not isinstance(stats, FormStats):
        return {"forms": [stats_json(form) for form in stats]}
    return {
        "form": stats.form_id,
        "title": stats.title,
        "answers": stats.answers,
        "quarantined": stats.quarantined,
        "per_day": {day.isoformat(): count for day, count in stats.per_day.items()},
        "per_channel": stats.per_channel,
        "questions": [
            {"id": question.field_id, "label": question.label, "type": question.type,
             "options": [{"value": option.value, "label": option.label, "count": option.count}
                         for option in question.options]}
            for question in stats.questions
        ],
    }
