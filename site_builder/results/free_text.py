"""The free-text questions' side of ``parole results``: moderation figures and approved quotes.

A free-text answer leaves the database only as a quote, and only when three things hold at
once: its author agreed to be quoted (the form's ``publish_consent`` question, whatever any
verdict says), a moderator's newest verdict on it approves it, and that verdict was made on
the text the answer holds now (a paper correction since sends it back to the queue). The quote
is the text with the moderator's redactions replaced by "[…]". Everything else is counted, never
copied: how many answered, consented or not, and per outcome of the moderation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from site_builder.collector.columns import Question
from site_builder.results.file import FreeTextResult, Quote
from site_builder.results.moderation import VerdictKey, answer_text, applies, quotable, quote_text
from site_builder.results.protect import Count, protect
from site_builder.storage.base import StoredAnswer
from site_builder.storage.moderation import OTHER_REASON, REJECT_REASONS, Verdict


@dataclass
class _Counts:
    """One free-text question's exact counts, while the answers stream by."""

    answered: int = 0
    consented: int = 0
    approved: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    to_moderate: int = 0
    quotes: list[Quote] = field(default_factory=list)


class FreeTextTally:
    """Counts the free-text ``questions`` of a form one answer at a time, keeping the quotes
    the moderation approved. ``verdicts``: the newest verdict on each (receipt, field id),
    read once before the answers (they are few: one per moderated answer)."""

    def __init__(self, questions: Sequence[Question], publish_consent: str | None,
                 verdicts: Mapping[VerdictKey, Verdict]) -> None:
        self.questions = tuple(questions)
        self.publish_consent = publish_consent
        self.verdicts = verdicts
        self.counts = {question.id: _Counts() for question in self.questions}

    def add(self, answer: StoredAnswer) -> None:
        consented: bool | None = None  # asked once per answer, and only if it has text
        values = answer.values
        for field_id, counts in self.counts.items():
            if field_id not in values:  # most answers leave most questions: the quick way out
                continue
            text = answer_text(answer, field_id)
            if text is None:
                continue
            counts.answered += 1
            if consented is None:
                consented = quotable(answer, self.publish_consent)
            if not consented:
                continue
            counts.consented += 1
            verdict = self.verdicts.get((answer.receipt, field_id))
            if verdict is None or not applies(verdict, text):
                counts.to_moderate += 1
            elif verdict.outcome == "approved":
                counts.approved += 1
                counts.quotes.append(Quote(field_id, quote_text(text, verdict),
                                           verdict.theme or None))
            elif verdict.outcome == "rejected":
                counts.rejected[verdict.reason if verdict.reason in REJECT_REASONS
                                else OTHER_REASON] += 1
            else:  # an outcome this parole does not know: nobody decided, as far as it can tell
                counts.to_moderate += 1

    def results(self, min_count: int) -> tuple[tuple[FreeTextResult, ...], tuple[Quote, ...]]:
        """Every free-text question's figures, protected (``answered`` stays exact: it is a
        total), and the approved quotes, question by question in form order, each question's
        in the order its answers came."""
        figures = []
        for question in self.questions:
            counts = self.counts[question.id]
            exact = {
                ("approved", ""): counts.approved,
                **{("rejected", reason): counts.rejected[reason]
                   for reason in (*REJECT_REASONS, OTHER_REASON)},
                ("to_moderate", ""): counts.to_moderate,
            }
            consent: dict[str, Count]
            outcomes: dict[tuple[str, str], Count]
            if self.publish_consent is None:
                # Nobody could agree to be quoted, nor be moderated: these zeros, and every
                # answer as not consented, are known to anyone, so they stay exact.
                consent = {"consented": 0, "not_consented": counts.answered}
                outcomes = dict(exact)
            else:
                consent = protect({"consented": counts.consented,
                                   "not_consented": counts.answered - counts.consented},
                                  min_count)
                outcomes = protect(exact, min_count)
            figures.append(FreeTextResult(
                id=question.id, label=question.label, answered=counts.answered,
                consented=consent["consented"], not_consented=consent["not_consented"],
                approved=outcomes["approved", ""],
                rejected={reason: outcomes["rejected", reason]
                          for reason in (*REJECT_REASONS, OTHER_REASON)},
                to_moderate=outcomes["to_moderate", ""]))
        quotes = tuple(quote for question in self.questions
                       for quote in self.counts[question.id].quotes)
        return tuple(figures), quotes

