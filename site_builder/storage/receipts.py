"""Receipt codes: what a citizen keeps to prove, find or withdraw an answer.

A code is 8 symbols of Crockford's base32 (digits and capitals without I, L, O and U), so it
holds exactly 40 random bits: guessing someone else's code is hopeless, yet it fits on a
phone screen and reads aloud over the phone. People copy codes by hand, so ``normalise_receipt``
forgives what Crockford designed the alphabet to forgive: case, spaces, hyphens, O for 0 and
I or L for 1. Codes are stored without the hyphen; ``format_receipt`` adds it for reading only.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base32 symbols: 32 of them, so each carries 5 bits."""
LENGTH = 8
"""Symbols in a code: 8 x 5 = 40 bits."""

_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = str.maketrans("", "", " -\t\u00a0\u2010\u2011\u2012\u2013\u2212")
"""Spaces (including the no-break space a phone may insert) and hyphens or dashes a
word processor may substitute for the hyphen."""


def new_receipt() -> str:
    """A fresh random code, as stored (``ABCDEFGH``, no hyphen)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_receipt(text: str) -> str | None:
    """The stored form of a code a person typed, or None if ``text`` cannot be a code."""
    code = text.translate(_IGNORED).upper().translate(_LOOK_ALIKES)
    if len(code) != LENGTH or any(symbol not in ALPHABET for symbol in code):
        return None
    return code


def format_receipt(code: str) -> str:
    """A stored code as people read it: ``ABCD-EFGH``."""
    half = LENGTH // 2
    return f"{code[:half]}-{code[half:]}"
