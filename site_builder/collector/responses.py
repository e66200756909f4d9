"""How the collector's answers leave: security headers on every response, and HTML pages with a
Content-Security-Policy made for that page.

Collector pages are personal (a receipt, someone's answers with errors): never stored by a shared
cache, never indexed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from site_builder.collector.pages import content_security_policy

PRIVATE = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow"}
"""Headers of every collector page: personal, so neither cached by a proxy nor indexed."""
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
"""Added to every response that does not set them itself."""
DATA_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"
"""The policy of a response that is data (CSV, JSON, plain text): nothing may run or load."""
_LEADING_SLASHES = re.compile(r"^[/\\]+")


def html_page(
    html: str,
    status: int,
    *,
    form_origins: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """An HTML page of the collector, with the Content-Security-Policy that allows exactly its
    own inline style and scripts (by hash) and posting to ``form_origins``."""
    all_headers = {
        **SECURITY_HEADERS,
        **PRIVATE,
        "Content-Security-Policy": content_security_policy(html, form_origins=form_origins),
        **(headers or {}),
    }
    return HTMLResponse(html, status_code=status, headers=all_headers)


def private(response: Response) -> Response:
    """``response`` marked personal (a redirect to a receipt, an export)."""
    response.headers.update(PRIVATE)
    return response


class SecurityHeaders:
    """ASGI middleware: ``SECURITY_HEADERS`` on every response, ``DATA_CSP`` on every response
    that is not HTML and has no policy (HTML pages of the collector set their own; the static
    site ``parole serve`` shows is served as built), and every ``Location`` a path on this host
    (``relative_location``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": _secured(message.get("headers", []))}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secured(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    secured = [(name, relative_location(value.decode("latin-1")).encode("latin-1")
                if name.lower() == b"location" else value) for name, value in headers]
    present = {name.lower() for name, _ in secured}
    for name, value in SECURITY_HEADERS.items():
        if name.lower().encode() not in present:
            secured.append((name.lower().encode(), value.encode()))
    content_type = next((value for name, value in secured if name.lower() == b"content-type"),
                        b"")
    if b"content-security-policy" not in present and not content_type.startswith(b"text/html"):
        secured.append((b"content-security-policy", DATA_CSP.encode()))
    return secured


def relative_location(location: str) -> str:
    """``location`` as a path on this host: ``http://any.host/a/?b`` → ``/a/?b``. The only
    absolute redirects the collector makes are Starlette's (a missing or extra final ``/``,
    a folder of the site in ``parole serve``), built from the request's ``Host`` header, which
    anyone can set: left absolute, they would send people to any host. Leading slashes and
    backslashes are collapsed, since ``//host/`` and ``/\\host/`` leave the site too."""
    parts = urlsplit(location)
    path = _LEADING_SLASHES.sub("/", parts.path) or "/"
    if not path.startswith("/"):
        path = f"/{path}"
    return urlunsplit(("", "", path, parts.query, parts.fragment))
