"""What both backends share, so that they behave identically: argument checks, the JSON form
of answer values, and how many receipt collisions are tolerated."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

from site_builder.messages import say
from site_builder.storage.base import CHANNELS, NewAnswer, Values

RECEIPT_ATTEMPTS = 20
"""Codes drawn before giving up on a store. With 2**40 codes, even a billion stored answers
make one collision a 1-in-1000 event, so running out means the random source is broken."""
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}")
"""What ``NewAnswer.language`` may hold: a language tag as manifests write them (``fr``,
``ar``, ``pt-BR``). The collector only stores one of the form's languages; the check keeps
anything else (a posted value taken as is by a future caller) out of the database."""


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive datetime is a programming error (whose clock would it be?)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"storage needs timezone-aware datetimes, got naive {moment!r}")
    return moment.astimezone(UTC)


def check_new_answer(answer: NewAnswer) -> None:
    """Reject what the database would reject, with a message a developer understands."""
    if answer.channel not in CHANNELS:
        raise ValueError(f"unknown channel {answer.channel!r}: expected one of {CHANNELS}")
    utc(answer.received_at)
    if answer.expires_at is not None:
        utc(answer.expires_at)
    check_language(answer.language)


def check_language(language: str | None) -> None:
    """Reject a language (an answer's, a batch's) that is no language tag."""
    if language is not None and not LANGUAGE_TAG.fullmatch(language):
        raise ValueError(f"not a language tag: {language!r} (expected fr, ar, pt-BR…)")


def values_to_json(values: Values) -> str:
    """The values as a JSON object in the form's order (dicts keep insertion order)."""
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def values_from_json(text: str) -> Values:
    loaded: dict[str, list[str]] = json.loads(text)
    return loaded


def redact_url(url: str) -> str:
    """``url`` with its password (if any) replaced by ``***``, fit for a message or a log."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        user = parts.username or ""
        host = parts.hostname or ""
        host = f"[{host}]" if ":" in host else host
        port = f":{parts.port}" if parts.port else ""
        return urlunsplit(parts._replace(netloc=f"{user}:***@{host}{port}"))
    except ValueError:
        return say("storage.unparsable_url")
