"""A moderator's session: a cookie that says who signed in and until when, signed by the
collector.

The moderation pages are opened by organizers with the admin token, and any collector behind
the same nginx may receive the next request: a session kept in one process's memory would be
lost half the time, and the database is not written for it. So the cookie carries the session
itself, ``<nonce>.<expires>.<name>.<mac>``:

- ``nonce``: 128 random bits, so that two sessions of the same person differ (their CSRF
  tokens too);
- ``expires``: when it ends, in seconds since 1970 (UTC), ``SESSION_HOURS`` after signing in,
  whatever happens meanwhile (working does not extend it);
- ``name``: the name typed at sign-in (base64url), recorded with every verdict;
- ``mac``: HMAC-SHA256 of the rest under a key derived from the collector's secret *and* the
  admin token's digest. Every collector sharing the secret and the token reads the cookie;
  nobody can forge or alter one without the secret; changing ``PAROLE_ADMIN_TOKEN`` ends every
  session at once. The admin token itself is never in the cookie.

Signing out deletes the cookie from the browser; a copy of it taken before stays valid until
its end (nothing is stored to revoke it): changing the token is how to end every session.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from site_builder.collector.entry.access import csrf_token
from site_builder.collector.settings import Collector

SESSION_COOKIE = "parole_moderation"
SESSION_HOURS = 12
"""A session ends this long after signing in: a working day; a forgotten browser opens nothing
the next day."""
NAME_MAX_LENGTH = 80
"""The longest name a moderator may give (it is stored with every verdict)."""
_KEY_PURPOSE = b"parole moderation session "
_CSRF_PURPOSE = b"parole moderation csrf "


@dataclass(frozen=True)
class Moderator:
    """A signed-in moderator, read from a valid cookie."""

    name: str
    expires: datetime
    cookie: str
    """The cookie's value (what the CSRF token is derived from)."""
    csrf: str
    """The session's CSRF token: every form of the moderation pages sends it."""


def _key(collector: Collector) -> bytes:
    token = collector.settings.admin_token or ""
    digest = hashlib.sha256(token.encode("utf-8")).digest()
    return hmac.new(collector.settings.secret.key, _KEY_PURPOSE + digest,
                    hashlib.sha256).digest()


def _mac(collector: Collector, signed: str) -> str:
    return hmac.new(_key(collector), signed.encode("ascii"), hashlib.sha256).hexdigest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def new_cookie(collector: Collector, name: str) -> str:
    """The cookie of a session opened now by ``name``."""
    expires = collector.settings.now() + timedelta(hours=SESSION_HOURS)
    signed = f"{_b64(secrets.token_bytes(16))}.{int(expires.timestamp())}." \
        f"{_b64(name.encode('utf-8'))}"
    return f"{signed}.{_mac(collector, signed)}"


def read_cookie(collector: Collector, cookie: str) -> Moderator | None:
    """The moderator of ``cookie``, or None when it is not one the collector signed, has been
    altered, or has ended."""
    parts = cookie.split(".")
    if len(parts) != 4 or not cookie.isascii():
        return None
    signed, mac = ".".join(parts[:3]), parts[3]
    if not hmac.compare_digest(_mac(collector, signed).encode("ascii"), mac.encode("ascii")):
        return None
    _, expires_text, name_text = parts[:3]
    try:
        expires = datetime.fromtimestamp(int(expires_text), UTC)
        name = base64.urlsafe_b64decode(name_text + "=" * (-len(name_text) % 4)).decode("utf-8")
    except (ValueError, OverflowError, binascii.Error):
        return None
    now = collector.settings.now()
    if not now < expires <= now + timedelta(hours=SESSION_HOURS):
        return None
    return Moderator(name, expires, cookie, csrf_token(collector, cookie, purpose=_CSRF_PURPOSE))
