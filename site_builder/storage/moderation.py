"""What moderation stores (issue #16): a moderator's verdict on one free-text answer.

Verdicts are only ever added: a new verdict on the same answer's question supersedes the
earlier one, which stays, so that who decided what, when and why is never lost. A verdict is
tied to the text it was made on (``text_digest``): once a coordinator corrects a paper answer,
the decision no longer applies and the answer goes back to the moderation queue. Only the
deletion of the answer itself (its author asked, or its retention period ended) deletes its
decisions with it. Redactions are spans of the text (character offsets), never a copy of it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

OUTCOMES = ("approved", "rejected")
REJECT_REASONS = ("off-topic", "personal data", "insulting", "duplicate")
"""The reasons a moderator picks from; any other reason is written in their own words, kept in
the database, and published only as ``OTHER_REASON``."""
OTHER_REASON = "other"
REDACTION_REASONS = ("personal data", "insulting")
"""The usual reasons to hide a span of an approved answer (a moderator may write another)."""
REDACTED = "[…]"
"""What a redacted span is replaced with in a published quote."""


@dataclass(frozen=True)
class Redaction:
    """A span of an answer's text hidden when it is quoted: ``text[start:end]`` → "[…]"."""

    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class NewVerdict:
    form_id: str
    receipt: str
    """The answer's receipt code (normalised, as stored)."""
    field_id: str
    """The free-text question decided on."""
    outcome: str
    """One of ``OUTCOMES``."""
    text_digest: str
    """``text_digest`` of the text decided on."""
    decided_by: str
    decided_at: datetime
    reason: str = ""
    """``rejected``: one of ``REJECT_REASONS`` or the moderator's own words; else ""."""
    redactions: tuple[Redaction, ...] = ()
    """``approved``: the spans to hide, in text order, not overlapping."""
    theme: str | None = None
    """``approved``: the theme the quote is grouped under on the results page."""


@dataclass(frozen=True)
class Verdict(NewVerdict):
    id: int = 0
    """Its order among every decision: a later one supersedes an earlier one on the same
    answer and question."""


def text_digest(text: str) -> str:
    """The SHA-256 of the text decided on, hex: tells whether the answer changed since."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def redacted(text: str, redactions: tuple[Redaction, ...]) -> str:
    """``text`` with each redacted span replaced by ``REDACTED``."""
    parts, last = [], 0
    for redaction in sorted(redactions, key=lambda span: span.start):
        parts += [text[last:redaction.start], REDACTED]
        last = max(last, redaction.end)
    return "".join([*parts, text[last:]])


class ModerationError(ValueError):
    """A decision that cannot be stored (no such answer, no such question, a redaction outside
    the text): the message says why, in words."""


class StaleVerdictError(ModerationError):
    """Someone else decided on the answer's question after the moderator read it: nothing was
    stored, the moderator reads what is there now."""
