"""One form's results, from its answers read once, one at a time (``parole results``).

The answers stream by: each goes through ``collector.stats.Tally`` (per channel, per day, per
option, blank and spoiled: what ``parole stats`` counts) and ``free_text.FreeTextTally``
(moderation figures, approved quotes), and is gone; memory holds counters, the form's few
batches and verdicts, and the approved quotes, never the answers. Then every breakdown is
protected (``protect``) and the whole becomes a ``ResultsFile``: nothing exact below
``min_count`` ever leaves this module.

The questions, the consultation's days and time zone come from the form versions stored in the
database (``Storage.form_schemas``), as ``parole export`` and ``parole stats`` take them: results
are computed wherever the database is, without the site.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from site_builder.collector.answer_table import consultation_zone
from site_builder.collector.columns import (
    AnswerReader,
    Question,
    check_known,
    form_questions,
)
from site_builder.collector.stats import Tally, counted_questions
from site_builder.results.file import (
    FREE_TEXT_TYPES,
    OptionResult,
    QuestionResult,
    ResultsFile,
)
from site_builder.results.free_text import FreeTextTally
from site_builder.results.labels import words_from_manifests
from site_builder.results.logged import LoggedAnswers
from site_builder.results.moderation import ModerationReader, newest_verdicts
from site_builder.results.protect import protect
from site_builder.storage.base import StoredAnswer


@dataclass(frozen=True)
class Computed:
    results: ResultsFile
    """What is published: protected."""
    channels: dict[str, int]
    """The exact answers per channel, for the organizer's own eyes (the command's report)."""
    left_out: int = 0
    """Counted answers of the form the checkpoint does not sign as they are (``logged``)."""


def form_results(storage: ModerationReader, form_id: str, *, min_count: int,
                 computed_at: datetime, today: date,
                 logged: LoggedAnswers | None = None) -> Computed:
    """``form_id``'s results, protected with ``min_count``. ``today`` (the consultation's
    date) ends the days counted of a consultation still open. With ``logged``, only the answers
    its checkpoint signed count (``logged``), and the file says which checkpoint. Raises
    ``UnknownForm`` when the database has no such form."""
    check_known(storage, form_id)
    known = form_questions(storage, form_id)
    opens, closes = consultation_days(storage, form_id)
    zone = consultation_zone(known)
    collected = {progress.batch.id: progress.batch.collected_on
                 for progress in storage.batches(form_id)}

    def day_of(answer: StoredAnswer) -> date:
        """A paper sheet counts on the day it was collected (its batch's), not the day it was
        typed in; any other answer on the day it arrived, in the consultation's time zone."""
        if answer.batch_id is not None and answer.batch_id in collected:
            return collected[answer.batch_id]
        return answer.received_at.astimezone(zone).date()

    publish_consent = known.publish_consent
    tally = Tally(counted_questions(known), day_of=day_of)
    texts = FreeTextTally(
        [question for question in known.questions if question.type in FREE_TEXT_TYPES],
        publish_consent,
        newest_verdicts(storage, form_id) if publish_consent else {})
    left_out = 0
    for answer in storage.answers(form_id):
        if logged is not None and answer.receipt not in logged.receipts:
            left_out += 1
            continue
        tally.add(answer)
        texts.add(answer)
    free_text, quotes = texts.results(min_count)
    return Computed(ResultsFile(
        form_id=form_id,
        title=known.title,
        computed_at=computed_at,
        min_count=min_count,
        answers=tally.answers,
        per_channel=protect(tally.channels, min_count),
        per_day=protect(_every_day(tally.days, opens, closes, today), min_count),
        questions=tuple(_question(tally, question, min_count)
                        for question in tally.questions),
        free_text=free_text,
        quotes=quotes,
        publish_consent=publish_consent,
        closes=closes,
        translations=words_from_manifests(storage.form_schemas(form_id)),
        checkpoint=logged.checkpoint if logged is not None else None,
    ), dict(tally.channels), left_out)


def consultation_days(storage: AnswerReader, form_id: str) -> tuple[date | None, date | None]:
    """``opens`` and ``closes`` as the newest stored version's manifest says them (None when it
    says nothing, or cannot be read: the answers' own days are used then)."""
    schemas = storage.form_schemas(form_id)
    if not schemas:
        return None, None
    try:
        data: Any = json.loads(schemas[-1].manifest)
    except json.JSONDecodeError:
        return None, None
    if not isinstance(data, dict):
        return None, None
    return _day(data.get("opens")), _day(data.get("closes"))


def _day(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _every_day(counted: Mapping[date, int], opens: date | None, closes: date | None,
               today: date) -> dict[date, int]:
    """Every day from ``opens`` (or the first answer's day) to ``closes`` (or the last
    answer's), zeros included, in order. A consultation still open ends today, not on days to
    come; a day with answers outside the consultation's dates (a paper batch collected the day
    before it opened) stretches the range, so that the days add up to every answer."""
    first, last = min(counted, default=None), max(counted, default=None)
    start = opens or first
    end = closes or last
    if end is not None and end > today:
        end = today
    if first is not None and last is not None:
        start = min(start or first, first)
        end = max(end or last, last)
    if start is None or end is None or start > end:
        return {}
    return {start + timedelta(days=offset): counted.get(start + timedelta(days=offset), 0)
            for offset in range((end - start).days + 1)}


def _question(tally: Tally, question: Question, min_count: int) -> QuestionResult:
    """A closed question: its options (offered ones in form order, 0 included, then values
    only older versions offered, labelled None), skipped, blank and spoiled, protected as one
    breakdown. When no answer of the form marked any question blank or spoiled (no paper
    answers), those are 0 for every question, which anyone may know: they are then protected
    apart, so that two counts known to be 0 do not pass for the company a single small count
    needs, and it gets its secondary suppression (protecting apart never hides less)."""
    options = tally.option_counts(question, question.options)
    marked = tally.marked.get(question.id, Counter())
    counts: dict[tuple[str, str], int] = {("option", option.value): option.count
                                          for option in options}
    counts["skipped", ""] = tally.skipped(question.id)
    marks = {("blank", ""): marked["blank"], ("spoiled", ""): marked["spoiled"]}
    if tally.marked:
        protected = protect(counts | marks, min_count)
    else:
        protected = protect(counts, min_count) | protect(marks, min_count)
    return QuestionResult(
        id=question.id, label=question.label, type=question.type,
        options=tuple(OptionResult(option.value, option.label,
                                   protected["option", option.value])
                      for option in options),
        skipped=protected["skipped", ""], blank=protected["blank", ""],
        spoiled=protected["spoiled", ""])
