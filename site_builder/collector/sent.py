"""Which receipts this browser was given: the ``parole_sent`` cookie.

An identical answer from the same address within ``DUPLICATE_WINDOW`` is either the same
person sending again (a double click, Back then Send, a slow link that lost the first
response) or another person behind the same address (a shared wifi, a mobile operator's shared
addresses) who gave the same answers, which is common in a vote with few options. Only the
browser that was sent a receipt may be sent there again, so with each receipt the collector
sets a cookie holding that receipt's link (``CODE.key``: the key proves the browser was given
it, and cannot be made without the collector's secret). A duplicate whose original is in the
cookie goes back to that receipt; any other is answered without revealing anything of it.

The cookie is first-party, ``HttpOnly``, ``SameSite=Strict``, ``Secure`` over HTTPS, limited
to the forms' address, and short-lived (``SENT_MAX_AGE``): a tablet shared at a town hall is
one browser, and the next person there should not be taken for the previous one. It holds the
browser's own receipts and nothing else (no identifier), so it needs no consent.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from site_builder.collector.secret import CollectorSecret
from site_builder.storage.receipts import normalise_receipt

SENT_COOKIE = "parole_sent"
SENT_MAX_AGE = 15 * 60
"""Seconds the browser keeps the cookie: long enough for a resend on a slow link or Back then
Send; short enough that at a shared tablet the next person is rarely taken for the previous one
(who would then see their own, identical, answers instead of being counted)."""
MAX_SENT = 4
"""Receipts kept in the cookie, newest first: a person may answer several forms."""
_ENTRIES = ":"
_CODE_KEY = "."


def sent_receipts(request: Request, secret: CollectorSecret) -> list[str]:
    """The receipt codes whose link the cookie holds, newest first; entries whose key does not
    open their code (edited, or from a collector with another secret) are ignored."""
    codes: list[str] = []
    for entry in request.cookies.get(SENT_COOKIE, "").split(_ENTRIES)[:MAX_SENT]:
        code, _, key = entry.partition(_CODE_KEY)
        if normalise_receipt(code) == code and secret.opens(code, key) and code not in codes:
            codes.append(code)
    return codes


def remember_sent(
    response: Response, request: Request, code: str, secret: CollectorSecret, path: str
) -> Response:
    """``response`` setting the cookie with ``code`` first, then the receipts it held already
    (``MAX_SENT`` at most), for the forms' address ``path``."""
    codes = [code, *(earlier for earlier in sent_receipts(request, secret) if earlier != code)]
    value = _ENTRIES.join(f"{each}{_CODE_KEY}{secret.receipt_key(each)}"
                          for each in codes[:MAX_SENT])
    # behind nginx, uvicorn takes the scheme from X-Forwarded-Proto (it trusts 127.0.0.1)
    response.set_cookie(SENT_COOKIE, value, max_age=SENT_MAX_AGE, path=path,
                        secure=request.url.scheme == "https", httponly=True, samesite="strict")
    return response
