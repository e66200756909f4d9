"""What a leaf of the answer log commits to: a 32-byte hash of the answer and a random salt,
never the answer itself (docs/answer-log.md, "How a leaf is made", is the reference an auditor
reimplements; keep the two in step).

    entry = SHA-256(b"parole answer v1\\n" ‖ canonical JSON of
            {"channel", "form", "language", "marks", "received", "salt", "values", "version"})

Canonical JSON: keys sorted, no whitespace, UTF-8, non-ASCII characters as themselves (Python's
``json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)``). Only strings,
lists, objects and null appear: no numbers, whose spelling varies between languages.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from site_builder.answer_log.errors import EntryError

DOMAIN = b"parole answer v1\n"
"""Prefixed to the JSON before hashing: an entry cannot be mistaken for any other hash parole
(or anyone) makes, and a future encoding gets a new version line."""
SALT_SIZE = 16


@dataclass(frozen=True)
class AnswerFields:
    """The parts of a stored answer a leaf commits to (``storage.base.StoredAnswer``'s)."""

    form: str
    """The form's id."""
    version: str
    """The form's version hash (the manifest's)."""
    values: Mapping[str, Sequence[str]]
    """Question id → the values given, in the order stored."""
    channel: str
    """online, paper or assisted."""
    received: datetime
    """When it was received: timezone-aware; written in UTC to the microsecond."""
    language: str | None = None
    """The language it was given in, as stored (None: the form's own, unnamed)."""
    marks: Mapping[str, str] = field(default_factory=dict)
    """Paper answers: question id → blank or spoiled. Committed too, since results count
    them."""


def new_salt() -> bytes:
    """16 random bytes, kept beside the answer: without them nobody can test guesses of an
    answer against its public leaf; deleting them (with the answer) leaves a leaf that proves
    nothing about what it was."""
    return secrets.token_bytes(SALT_SIZE)


def received_text(received: datetime) -> str:
    """``2026-03-01T10:15:00.000000Z``: UTC, always six digits of microseconds, as the SQLite
    backend stores it and PostgreSQL's ``timestamptz`` keeps it."""
    if received.tzinfo is None or received.utcoffset() is None:
        raise EntryError("answer_log.entry.naive_time", value=received.isoformat())
    return received.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_answer(fields: AnswerFields, salt: bytes) -> bytes:
    """The exact bytes hashed into the entry: the domain line, then the canonical JSON."""
    if len(salt) != SALT_SIZE:
        raise EntryError("answer_log.entry.salt_length", length=len(salt))
    document = {
        "channel": fields.channel,
        "form": fields.form,
        "language": fields.language,
        "marks": dict(fields.marks),
        "received": received_text(fields.received),
        "salt": salt.hex(),
        "values": {question: list(values) for question, values in fields.values.items()},
        "version": fields.version,
    }
    encoded = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return DOMAIN + encoded.encode("utf-8")


def answer_entry(fields: AnswerFields, salt: bytes) -> bytes:
    """The log entry of an answer: SHA-256 of ``canonical_answer`` (32 bytes). Its leaf hash is
    ``merkle.leaf_hash(entry)``."""
    return hashlib.sha256(canonical_answer(fields, salt)).digest()
