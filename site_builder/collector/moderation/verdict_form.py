"""The verdict form: what a moderator may send about one answer, and what is wrong with it.

Its fields (the page draws exactly these, ``verdict_page``):

- ``verdict``: ``approve``, ``redact`` (approve with words hidden) or ``reject``;
- ``reason`` (one of ``REJECT_REASONS`` or ``other``) and ``reason_other`` (the moderator's
  own words): why it is rejected;
- ``hide_N``, ``hide_reason_N``, ``hide_other_N`` for N in 1..``MAX_REDACTIONS``: words to
  hide, copied from the answer, and why (``REDACTION_REASONS`` or ``other`` and own words).
  Every place the words appear is hidden; spaces and line breaks between them count as one;
- ``theme``: optional, groups the quote on the results page;
- hidden: ``receipt``, ``field`` and ``digest`` (which answer, which question, and the text
  as it was shown: a verdict applies only to the text it was made on).

A body the page cannot send (another name, a name twice, a value no radio has, a hidden field
missing) is refused as a whole (``Unreadable``): 400, nothing stored. Mistakes a person makes
come back GOV.UK-style, every value kept (``check``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from site_builder.storage.moderation import (
    OTHER_REASON,
    REDACTION_REASONS,
    REJECT_REASONS,
    Redaction,
)

VERDICT = "verdict"
APPROVE, REDACT, REJECT = "approve", "redact", "reject"
VERDICTS = (APPROVE, REDACT, REJECT)
REASON, REASON_OTHER, THEME = "reason", "reason_other", "theme"
RECEIPT, FIELD, DIGEST = "receipt", "field", "digest"
MAX_REDACTIONS = 3
REASON_MAX_LENGTH = 200
THEME_MAX_LENGTH = 80
WORDS_MAX_LENGTH = 1000


def hide(number: int) -> str:
    return f"hide_{number}"


def hide_reason(number: int) -> str:
    return f"hide_reason_{number}"


def hide_other(number: int) -> str:
    return f"hide_other_{number}"


SLOTS = range(1, MAX_REDACTIONS + 1)
NAMES = frozenset({VERDICT, REASON, REASON_OTHER, THEME, RECEIPT, FIELD, DIGEST,
                   *(name(number) for number in SLOTS
                     for name in (hide, hide_reason, hide_other))})
"""Every name the form sends (a browser sends every text input, empty ones too)."""
CHOICES = {VERDICT: VERDICTS, REASON: (*REJECT_REASONS, OTHER_REASON),
           **{hide_reason(number): (*REDACTION_REASONS, OTHER_REASON) for number in SLOTS}}
"""The values of the radios and selects; "" is none chosen."""
LIMITS = {REASON_OTHER: REASON_MAX_LENGTH, THEME: THEME_MAX_LENGTH,
          **{hide(number): WORDS_MAX_LENGTH for number in SLOTS},
          **{hide_other(number): REASON_MAX_LENGTH for number in SLOTS}}


class Unreadable(ValueError):  # noqa: N818 (a refusal, not a bug)
    """A body the verdict form cannot send."""


@dataclass(frozen=True)
class Decision:
    """A checked verdict, ready to be stored with who, when and on what."""

    outcome: str
    """``approved`` or ``rejected``."""
    reason: str = ""
    redactions: tuple[Redaction, ...] = ()
    theme: str | None = None


@dataclass
class Checked:
    """What was sent, and either its decision or its mistakes (field name → catalogue key)."""

    values: dict[str, str]
    decision: Decision | None = None
    errors: dict[str, str] = field(default_factory=dict)


def read(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """The form's values by name; ``Unreadable`` when the page could not have sent them."""
    values = dict(pairs)
    unknown = sorted({name for name, _ in pairs} - NAMES)
    if unknown or len(values) != len(pairs):
        raise Unreadable(f"fields {unknown} unknown, or one sent twice")
    missing = [name for name in (RECEIPT, FIELD, DIGEST) if not values.get(name)]
    if missing:
        raise Unreadable(f"hidden fields missing: {missing}")
    for name, allowed in CHOICES.items():
        if values.get(name, "") not in ("", *allowed):
            raise Unreadable(f"{name}: a value no radio has")
    return values


def check(values: Mapping[str, str], text: str) -> Checked:
    """The decision ``values`` say about ``text``, or their mistakes."""
    checked = Checked(dict(values))
    errors = checked.errors
    for name, limit in LIMITS.items():
        if len(values.get(name, "")) > limit:
            errors[name] = "moderation.error.too_long"
    verdict = values.get(VERDICT, "")
    theme = said(values.get(THEME, "")) or None
    redactions = _redactions(values, text, errors, wanted=verdict == REDACT)
    if not verdict:
        errors.setdefault(VERDICT, "moderation.error.no_verdict")
    elif verdict == REJECT:
        reason = values.get(REASON, "")
        own = said(values.get(REASON_OTHER, ""))
        if not reason:
            errors.setdefault(REASON, "moderation.error.no_reason")
        elif reason == OTHER_REASON and not own:
            errors.setdefault(REASON_OTHER, "moderation.error.no_reason_other")
        if not errors:
            checked.decision = Decision("rejected", own if reason == OTHER_REASON else reason)
    elif verdict == APPROVE and redactions:
        errors.setdefault(VERDICT, "moderation.error.words_not_redacting")
    elif verdict == REDACT and not redactions and not errors:
        errors[hide(1)] = "moderation.error.no_words"
    elif not errors:
        checked.decision = Decision("approved", "", redactions, theme)
    return checked


def _redactions(values: Mapping[str, str], text: str, errors: dict[str, str], *,
                wanted: bool) -> tuple[Redaction, ...]:
    """The spans the ``hide_N`` fields name, merged where they overlap. A reason missing, or
    words not in the text, is a mistake only when the verdict hides words (``wanted``): a
    rejection hides the whole answer anyway, and a plain approval says so itself."""
    spans: list[Redaction] = []
    for number in SLOTS:
        words = values.get(hide(number), "")
        if not words.strip():
            continue
        found = find(text, words)
        reason = values.get(hide_reason(number), "")
        own = said(values.get(hide_other(number), ""))
        if wanted and not found:
            errors.setdefault(hide(number), "moderation.error.not_found")
        if wanted and not reason:
            errors.setdefault(hide_reason(number), "moderation.error.no_hide_reason")
        elif wanted and reason == OTHER_REASON and not own:
            errors.setdefault(hide_other(number), "moderation.error.no_hide_other")
        why = own if reason == OTHER_REASON else reason
        spans += [Redaction(start, end, why) for start, end in found]
    return merged(spans)


def said(value: str) -> str:
    """What a moderator wrote, spaces collapsed; "" when nothing visible was (only spaces, or
    invisible format characters such as bidi controls: no reason at all)."""
    collapsed = " ".join(value.split())
    visible = any(unicodedata.category(character) != "Cf" for character in collapsed)
    return collapsed if visible else ""


def find(text: str, words: str) -> list[tuple[int, int]]:
    """Every place ``words`` appear in ``text``, exactly, any run of spaces or line breaks
    between two words matching any other (the answer may break a line where the moderator's
    copy has a space)."""
    pattern = r"\s+".join(re.escape(word) for word in words.split())
    return [(match.start(), match.end()) for match in re.finditer(pattern, text)] \
        if pattern else []


def merged(spans: Sequence[Redaction]) -> tuple[Redaction, ...]:
    """``spans`` in text order, overlapping or touching ones merged (the first one's reason)."""
    result: list[Redaction] = []
    for span in sorted(spans, key=lambda each: (each.start, each.end)):
        if result and span.start <= result[-1].end:
            last = result[-1]
            result[-1] = Redaction(last.start, max(last.end, span.end), last.reason)
        else:
            result.append(span)
    return tuple(result)
