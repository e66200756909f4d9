"""Mediators' personal access codes and session tokens: made, written for reading aloud,
normalised as typed, and digested for storage.

A code is 26 symbols of Crockford's base32 (the receipts' alphabet, ``storage.receipts``), so
it holds 130 random bits: far past guessing, even with the wrong-code limit off. It is shown
once (``parole mediators add``) in groups of four, ``7KQ2-M9XD-…``, read aloud or copied by
hand; so signing in forgives what a receipt code's lookup forgives: case, spaces, hyphens, O
for 0 and I or L for 1. Only ``digest`` of the normalised code is stored, never the code; a
random secret of 130 bits needs no slow hash (there is no dictionary to try).
"""

from __future__ import annotations

import hashlib
import secrets

from site_builder.storage.receipts import ALPHABET

CODE_LENGTH = 26
"""Symbols in a code: 26 x 5 = 130 bits (at least 128, issue #15)."""
GROUP = 4
"""Symbols per group when a code is shown: short enough to read aloud and type without
losing one's place."""
TOKEN_BYTES = 32
"""Random bytes in a session token (the cookie's value): 256 bits."""

_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = str.maketrans("", "", " -_.\t\u00a0\u202f\u2010\u2011\u2012\u2013\u2212")
"""Spaces (no-break ones too: a phone or a word processor may put them), hyphens, dashes and
the dots or underscores some people read a separator as."""


def new_code() -> str:
    """A fresh random code, normalised (``7KQ2M9XD…``, no hyphen)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """A normalised code as people read it: ``7KQ2-M9XD-…-4F`` (groups of ``GROUP``)."""
    return "-".join(code[start:start + GROUP] for start in range(0, len(code), GROUP))


def normalise_code(typed: str) -> str | None:
    """The normalised form of a code as a person typed it, or None when ``typed`` cannot be a
    code (wrong length, a symbol outside the alphabet)."""
    code = typed.translate(_IGNORED).upper().translate(_LOOK_ALIKES)
    if len(code) != CODE_LENGTH or any(symbol not in ALPHABET for symbol in code):
        return None
    return code


def digest(secret: str) -> str:
    """What the database keeps of a code (normalised) or a session token: its SHA-256, in
    hexadecimal (``storage.entry``)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh session token, URL-safe (a cookie's value)."""
    return secrets.token_urlsafe(TOKEN_BYTES)
