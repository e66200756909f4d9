"""The collector's secret: the one key, kept outside the database, from which it derives what
must not be computable from a copy of the database.

- Client pseudonyms (``client_key``): ``HMAC(key of the day, address)``. With the key of the
  day in the database, trying every address of a range against a stolen copy would find who
  sent what; without the secret, a copy holds nothing to try them with.
- Receipt links (``receipt_key``): the address of a receipt page carries 128 bits derived from
  the receipt code, so the short code alone (read out, written on paper) shows nothing, and a
  guessed link is refused without even asking the database.

The secret comes from ``PAROLE_SECRET`` (the deployment's environment file, like the admin
token), or else from a file (``PAROLE_SECRET_FILE``, by default ``~/.config/parole/secret``),
created with 256 random bits the first time a collector starts. Collectors sharing one database
need the same secret; the database keeps a digest of it (``check``) so that a collector started
with another one is refused, saying so, instead of breaking every receipt link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import os
import secrets
import string
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from site_builder.errors import ParoleError
from site_builder.messages import say

SECRET_VARIABLE = "PAROLE_SECRET"
SECRET_FILE_VARIABLE = "PAROLE_SECRET_FILE"
MIN_SECRET_BITS = 128
"""What a token or secret typed by a person must be worth, estimated (``weakness``)."""
RECEIPT_KEY_BYTES = 16
"""128 bits in every receipt link: guessing one is hopeless, from any number of addresses."""
GENERATE_HINT = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"

_ALPHABETS = (
    string.digits,
    string.hexdigits.lower(),
    string.hexdigits.upper(),
    string.ascii_lowercase,
    string.ascii_uppercase,
    string.ascii_lowercase + string.digits,
    string.ascii_uppercase + string.digits,
    string.ascii_letters + string.digits,
    string.ascii_letters + string.digits + "-_",
    string.ascii_letters + string.digits + "+/=",
)
"""The alphabets random tokens are usually drawn from, smallest first: a token is credited with
log2(size) bits a character of the smallest one that holds all its characters."""
_PRINTABLE = frozenset(string.ascii_letters + string.digits + string.punctuation)


class SecretError(ParoleError):
    """The secret cannot be read, made or used: the message says what to fix."""


def weakness(value: str, name: str) -> str | None:
    """Why ``value`` (a token or secret a person set in ``name``) is too weak to guard answers,
    or None. Only visible ASCII is accepted (an HTTP header carries nothing else intact), and
    the value must be worth ``MIN_SECRET_BITS`` by its length and alphabet, with no character
    repeated over and over (``aaaa…``, ``abab…``)."""
    odd = sorted({character for character in value if character not in _PRINTABLE})
    if odd:
        shown = ", ".join(f"U+{ord(character):04X}" for character in odd[:3])
        return say("secret.not_ascii", name=name, shown=shown, generate=GENERATE_HINT)
    size = next((len(alphabet) for alphabet in _ALPHABETS if set(value) <= set(alphabet)), 94)
    # A value that repeats a shorter one ("abcdefgh" five times) is worth that shorter one.
    bits = _period(value) * math.log2(size)
    distinct = len(set(value))
    if bits < MIN_SECRET_BITS or distinct < min(8, len(value) // 2):
        return say("secret.too_easy", name=name, length=len(value), distinct=distinct,
                   generate=GENERATE_HINT)
    return None


def _period(value: str) -> int:
    """The length of the shortest string that ``value`` repeats at least twice (the last
    repetition may be cut short), or ``len(value)``. Only whole repetitions count: a random
    token often ends with the character it starts with, which says nothing of its worth."""
    return next((size for size in range(1, len(value) // 2 + 1)
                 if value[size:] == value[:-size]), len(value))


@dataclass(frozen=True, repr=False)
class CollectorSecret:
    """The secret's key (never printed: ``repr`` hides it)."""

    key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    """A fresh random key by default: right for tests and throwaway collectors."""

    def __repr__(self) -> str:
        return "CollectorSecret(…)"

    def _derive(self, purpose: str) -> bytes:
        return hmac.new(self.key, f"parole {purpose}".encode(), hashlib.sha256).digest()

    def client_key(self, day: date) -> bytes:
        """The key of the client pseudonyms of ``day`` (UTC)."""
        return self._derive(f"client pseudonyms {day.isoformat()}")

    def receipt_key(self, code: str) -> str:
        """The key in the link to the receipt ``code`` (as stored, ``ABCDEFGH``): 22
        URL-safe characters."""
        digest = self._derive(f"receipt {code}")[:RECEIPT_KEY_BYTES]
        return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")

    def opens(self, code: str, key: str) -> bool:
        """Whether ``key`` is the key of receipt ``code`` (compared in constant time)."""
        return hmac.compare_digest(self.receipt_key(code).encode("ascii"),
                                   key.encode("utf-8", "replace"))

    @property
    def check(self) -> str:
        """A digest that tells secrets apart and reveals nothing of them (kept in the
        database so that collectors sharing it notice a different secret)."""
        return self._derive("secret check").hex()


def default_secret_file(environ: Mapping[str, str]) -> Path:
    """``$XDG_CONFIG_HOME/parole/secret``, or ``~/.config/parole/secret``."""
    config = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "parole" / "secret"


def load_secret(environ: Mapping[str, str] | None = None) -> tuple[CollectorSecret, str]:
    """The collector's secret, and where it came from (for the start-up log line): from
    ``PAROLE_SECRET``, else read from (or, the first time, written to) the secret file.
    Raises ``SecretError``."""
    environ = os.environ if environ is None else environ
    given = environ.get(SECRET_VARIABLE, "").strip()
    if given:
        problem = weakness(given, SECRET_VARIABLE)
        if problem:
            raise SecretError(problem)
        return CollectorSecret(hashlib.sha256(given.encode("ascii")).digest()), SECRET_VARIABLE
    path = Path(environ.get(SECRET_FILE_VARIABLE) or default_secret_file(environ))
    return CollectorSecret(hashlib.sha256(_read_or_create(path).encode("ascii")).digest()), \
        str(path)


def _read_or_create(path: Path) -> str:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # O_EXCL: two collectors starting together never both write one; the loser reads it.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if not path.is_file():  # mkdir's: a file stands where a folder of the path should be
            raise _file_error("secret.cannot_create", path, say("secret.in_the_way")) from None
    except OSError as error:
        raise _file_error("secret.cannot_create", path, error.strerror) from error
    else:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(32) + "\n")
            file.flush()
            os.fsync(file.fileno())
    value = ""
    for _attempt in range(20):  # another collector may be writing the file it just created
        try:
            value = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as error:
            raise _file_error("secret.cannot_read", path, str(error)) from error
        if value:
            break
        time.sleep(0.05)
    problem = weakness(value, say("secret.the_file", path=path))
    if problem:
        raise SecretError(problem)
    return value


def _file_error(key: str, path: Path, reason: str | None) -> SecretError:
    """``key`` is ``secret.cannot_create`` or ``secret.cannot_read``."""
    return SecretError(say(key, path=path, reason=reason, variable=SECRET_VARIABLE,
                           generate=GENERATE_HINT, file_variable=SECRET_FILE_VARIABLE))
