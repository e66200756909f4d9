"""Which written answers may be quoted, and which still wait for a moderator (issue #16).

Two conditions, both needed, checked where a quote could leave the database (``parole
results``, ``parole moderate``, the moderation page):

- **consent** (``quotable``): the form names its consent question (``publish_consent``) and
  the answer's box is ticked. Without it nothing of the answer is ever shown to a moderator nor
  quoted, whatever any verdict says;
- **a verdict that applies** (``applies``): the newest decision on the answer's question,
  made on its current text (``text_digest``). A coordinator who corrects a paper answer changes
  its text, and the answer goes back to the queue.

Verdicts are few (one per decision a person made), answers may be a million: verdicts are read
whole (``newest_verdicts``), answers streamed once, oldest first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from site_builder.collector.columns import FormQuestions, form_questions
from site_builder.forms.posted import CONSENT_VALUE
from site_builder.results.file import FREE_TEXT_TYPES
from site_builder.storage.base import FormSchema, StoredAnswer
from site_builder.storage.entry import BatchProgress
from site_builder.storage.moderation import Verdict, redacted, text_digest
from site_builder.storage.verdict_store import written_text

VerdictKey = tuple[str, str]
"""(receipt, field id): what a verdict decides on."""


class ModerationReader(Protocol):
    """What moderation reads of a database: a part of ``Storage``."""

    def form_ids(self) -> list[str]: ...

    def form_schemas(self, form_id: str) -> list[FormSchema]: ...

    def answers(self, form_id: str, *, quarantined: bool = False) -> Iterator[StoredAnswer]: ...

    def batches(self, form_id: str | None = None) -> list[BatchProgress]: ...

    def verdicts(self, form_id: str) -> Iterator[Verdict]: ...


@dataclass(frozen=True)
class QueueItem:
    """One answer to one free-text question, waiting for a moderator's verdict."""

    receipt: str
    field_id: str
    label: str
    """The question, as the newest stored version of the form asks it."""
    text: str
    """The answer's current text (``text_digest(text)`` is what a verdict is made on)."""
    received_at: datetime
    channel: str
    newest_verdict: int | None = None
    """The id of the newest verdict on it (made on an earlier text), None when it has none:
    what a verdict made now supersedes (``Storage.record_verdict``)."""


def quotable(answer: StoredAnswer, publish_consent: str | None) -> bool:
    """Whether the answer's author agreed to be quoted: the form names a consent question
    and the answer holds that question's ticked value. Nothing else can make it True."""
    return (publish_consent is not None and not answer.quarantined
            and CONSENT_VALUE in answer.values.get(publish_consent, ()))


def answer_text(answer: StoredAnswer, field_id: str) -> str | None:
    """The answer's text to ``field_id``, or None when it wrote nothing there (no value, only
    blanks, or a paper sheet's box left blank or spoiled)."""
    if field_id in answer.marks:
        return None
    text = written_text(answer.values, field_id)
    return text if text.strip() else None


def applies(verdict: Verdict, text: str) -> bool:
    """Whether ``verdict`` was made on ``text`` (not on an earlier version of the answer)."""
    return verdict.text_digest == text_digest(text)


def newest_verdicts(storage: ModerationReader, form_id: str) -> dict[VerdictKey, Verdict]:
    """The newest verdict on each (receipt, field id) of the form, whether or not it still
    applies (``applies`` tells, given the answer's current text): verdicts come oldest first,
    so a later one replaces an earlier one."""
    return {(verdict.receipt, verdict.field_id): verdict for verdict in storage.verdicts(form_id)}


def current_verdicts(storage: ModerationReader, form_id: str) -> dict[VerdictKey, Verdict]:
    """The verdicts that apply: the newest on each (receipt, field id) of the form, kept only
    while the answer's current text is the one it was made on. Consent is not checked here: a
    quote needs ``quotable`` too."""
    walk = ModerationWalk(storage, form_id, queue=False)
    for _item in walk:
        pass
    return walk.current


def moderation_queue(storage: ModerationReader, form_id: str,
                     questions: FormQuestions | None = None) -> Iterator[QueueItem]:
    """The answers a moderator has to read, oldest first, streamed: for every answer whose
    author agreed to be quoted, each free-text question it wrote something to, unless a
    verdict applies to that text. ``questions`` (``columns.form_questions``, read when not
    given) says which questions are free text and which one is the consent; a form without
    ``publish_consent`` has nothing to moderate."""
    return iter(ModerationWalk(storage, form_id, questions))


class ModerationWalk:
    """One pass over a form's answers giving both the queue (iterate it, oldest first,
    streamed) and, once it has been gone through, ``current``: the verdicts that apply, as
    ``current_verdicts`` gives them. The moderation pages and ``parole moderate`` need both:
    reading the answers once halves what a page costs."""

    def __init__(self, storage: ModerationReader, form_id: str,
                 questions: FormQuestions | None = None, *, queue: bool = True) -> None:
        self.storage = storage
        self.form_id = form_id
        self.known = (questions if questions is not None or not queue
                      else form_questions(storage, form_id))
        self.current: dict[VerdictKey, Verdict] = {}

    def __iter__(self) -> Iterator[QueueItem]:
        newest = newest_verdicts(self.storage, self.form_id)
        fields_of: dict[str, list[str]] = {}
        for receipt, field_id in newest:
            fields_of.setdefault(receipt, []).append(field_id)
        consent = self.known.publish_consent if self.known is not None else None
        free_text = ([question for question in self.known.questions
                      if question.type in FREE_TEXT_TYPES]
                     if self.known is not None and consent is not None else [])
        if not free_text and not newest:
            return
        for answer in self.storage.answers(self.form_id):
            for field_id in fields_of.get(answer.receipt, ()):
                text = answer_text(answer, field_id)
                if text is not None and applies(newest[answer.receipt, field_id], text):
                    self.current[answer.receipt, field_id] = newest[answer.receipt, field_id]
            if not free_text or not quotable(answer, consent):
                continue
            for question in free_text:
                text = answer_text(answer, question.id)
                if text is None or (answer.receipt, question.id) in self.current:
                    continue
                verdict = newest.get((answer.receipt, question.id))
                yield QueueItem(answer.receipt, question.id, question.label, text,
                                answer.received_at, answer.channel,
                                None if verdict is None else verdict.id)


def quote_text(text: str, verdict: Verdict) -> str:
    """The text as it may be quoted under an approving ``verdict``: its redacted spans
    replaced by "[…]"."""
    return redacted(text, verdict.redactions)
