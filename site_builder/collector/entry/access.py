"""Who may use the mediators' area: signing in with a personal code, sessions, CSRF tokens,
signing out.

- **Sign in** (``POST {area}/sign-in``): the code typed is normalised (``codes``), digested,
  and compared with every active mediator's digest by ``hmac.compare_digest``, all of them,
  so the time taken says nothing of which or how much matched. A wrong code counts against
  the client (``Collector.code_misses``, ``settings.CODE_MISS_LIMIT`` a minute); past it,
  every sign-in from that client gets 429 for the rest of the minute, the right code too.
- **Session**: a random token in the cookie ``parole_entry`` (``HttpOnly``,
  ``SameSite=Strict``, ``Secure`` over HTTPS, path = the area), its digest in the database
  until ``SESSION_HOURS`` after signing in, whatever happens meanwhile; revoking the code
  (``parole mediators revoke``) ends it at once.
- **CSRF**: every form of the area carries ``_csrf``, an HMAC of the session token under the
  collector's secret, checked in constant time by ``checked_post``, which also refuses a post
  another site makes (``Sec-Fetch-Site``, ``Origin``).
- Without any active mediator the whole area answers 404, as if it did not exist.

The other modules of the area build on ``signed_in`` (a page) and ``checked_post`` (a form
sent).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from site_builder.collector import views
from site_builder.collector.answers import TooLargeError, is_form_body, read_body
from site_builder.collector.body import Refusal, parse_body
from site_builder.collector.entry import codes, page
from site_builder.collector.lookup import client_pseudonyms
from site_builder.collector.responses import private
from site_builder.collector.settings import Collector, catalogue
from site_builder.forms.manifest import Manifest
from site_builder.messages import say
from site_builder.storage.entry import EntryError, Mediator

log = logging.getLogger("parole.collector")

SESSION_COOKIE = "parole_entry"
SESSION_HOURS = 12
"""A session ends this long after signing in (absolute: working in it does not extend it):
one working day at a help desk; a tablet forgotten signed in opens nothing the next day."""
CSRF_FIELD = "_csrf"
CODE_FIELD = "code"
"""The sign-in form's input."""
_CSRF_PURPOSE = b"parole mediator csrf "


@dataclass(frozen=True)
class SignedIn:
    """A request from a signed-in mediator."""

    mediator: Mediator
    csrf: str
    """The session's CSRF token: every form of the area sends it (``page.csrf_input``)."""
    area: str
    """The area's path, without a final ``/`` (``/collect/saisie``)."""
    manifest: Manifest
    """A form of the site the area belongs to (its language, its shell)."""
    collector: Collector
    session: str
    """The session token's digest (what signing out forgets)."""


@dataclass(frozen=True)
class FormBody:
    """A form the area received, as ``(name, value)`` pairs in body order, ``_csrf`` left out."""

    pairs: tuple[tuple[str, str], ...]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.pairs)

    def get(self, name: str, default: str = "") -> str:
        """The first value sent under ``name``."""
        return next((value for key, value in self.pairs if key == name), default)

    def getall(self, name: str) -> list[str]:
        return [value for key, value in self.pairs if key == name]

    def answers(self) -> dict[str, list[str]]:
        """Every value by name, as ``validate`` and ``paper_check`` read a submission."""
        grouped: dict[str, list[str]] = {}
        for key, value in self.pairs:
            grouped.setdefault(key, []).append(value)
        return grouped


def routes(area: str) -> list[BaseRoute]:
    """The area's door: its path without ``/`` leads to its home; signing in and out. The home
    (``{area}/``) is ``routing``'s: it shows this module's sign-in form or the batches."""
    return [
        Route(area, to_home, methods=["GET"]),
        Route(f"{area}/sign-in", sign_in, methods=["GET", "POST"]),
        Route(f"{area}/sign-out", sign_out, methods=["GET", "POST"]),
    ]


# --- where a request is -------------------------------------------------------------------------

def _where(request: Request) -> tuple[Collector, str, Manifest]:
    collector: Collector = request.app.state.collector
    found = page.area_of(collector, request.url.path)
    if found is None:  # only the area's routes call this
        raise LookupError(f"{request.url.path} is not in a mediators' area")
    return collector, *found


async def _has_mediators(collector: Collector) -> bool:
    return bool(await run_in_threadpool(collector.storage.mediator_codes))


def from_elsewhere(request: Request, *, posting: bool) -> bool:
    """Whether the browser says the request comes from another site. Every form of the area is
    on the area's own pages, so a post must be same-origin; a page may be opened from a link
    of the consultation's site (same-site), never with its cookie from another site."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        allowed = ("same-origin",) if posting else ("same-origin", "same-site", "none")
        return fetch_site not in allowed
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        # Said by no browser recent enough to matter: the CSRF token still guards every post.
        return False
    try:
        return urlsplit(origin).netloc != request.headers.get("host")
    except ValueError:
        return True


# --- sessions -----------------------------------------------------------------------------------

def csrf_token(collector: Collector, token: str, *, purpose: bytes = _CSRF_PURPOSE) -> str:
    """The CSRF token of the session ``token``: an HMAC under the collector's secret, so it
    can be checked without storing it, and reveals nothing of the cookie. ``purpose`` keeps
    the tokens of another area (the moderation pages) apart from the mediators'."""
    key = collector.settings.secret.key
    return hmac.new(key, purpose + token.encode("utf-8"), hashlib.sha256).hexdigest()


def csrf_checked(pairs: list[tuple[str, str]], expected: str) -> FormBody | None:
    """The form without its ``_csrf``, when it carries exactly one, equal to ``expected``;
    else None. Compared in constant time, and even when none was sent, so the time taken says
    nothing either way."""
    sent = [value for name, value in pairs if name == CSRF_FIELD]
    right = hmac.compare_digest((sent[0] if sent else "").encode("utf-8"),
                                expected.encode("utf-8"))
    if len(sent) != 1 or not right:
        return None
    return FormBody(tuple(pair for pair in pairs if pair[0] != CSRF_FIELD))


async def visitor(request: Request) -> SignedIn | Response | None:
    """The signed-in mediator; None when the request has no open session; or the response to
    give instead: 404 when the area has no active mediator, 403 when a session cookie comes
    with a request from another site."""
    collector, area, manifest = _where(request)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        if from_elsewhere(request, posting=request.method not in ("GET", "HEAD")):
            log.warning("%s", say("collector.log.entry_other_site", path=request.url.path))
            return refused_page(collector, manifest, area)
        session = codes.digest(token)
        now = collector.settings.now()
        mediator = await run_in_threadpool(collector.storage.session_mediator, session, now)
        if mediator is not None:
            return SignedIn(mediator, csrf_token(collector, token), area, manifest, collector,
                            session)
    if not await _has_mediators(collector):
        return views.message(collector, "not_found", 404)
    return None


async def signed_in(request: Request) -> SignedIn | Response:
    """The signed-in mediator, or the response to return: 404 when the area has no active
    mediator at all, 403 for a session cookie sent from another site, else 303 to the area's
    home to sign in (the session is unknown, expired, or its code was revoked)."""
    found = await visitor(request)
    if found is None:
        _, area, _ = _where(request)
        return _see_other(f"{area}/")
    return found


async def checked_post(request: Request, *,
                       coordinator: bool = False) -> tuple[SignedIn, FormBody] | Response:
    """A form sent by a signed-in mediator (a coordinator, when asked), from the area's own
    page, with its CSRF token, read within the collector's limits; else the refusal:
    303 to sign in, 403 (another site, no or wrong token, not a coordinator), 404, 413, 415
    or 400."""
    collector, area, manifest = _where(request)
    if from_elsewhere(request, posting=True):
        log.warning("%s", say("collector.log.entry_other_site", path=request.url.path))
        return refused_page(collector, manifest, area)
    signed = await signed_in(request)
    if isinstance(signed, Response):
        return signed
    if coordinator and not signed.mediator.coordinator:
        return page.message_page(collector, manifest, "coordinator_only", 403, signed=signed)
    pairs = await form_pairs(request, collector)
    if isinstance(pairs, Response):
        return pairs
    body = csrf_checked(pairs, signed.csrf)
    if body is None:
        log.warning("%s", say("collector.log.entry_csrf", path=request.url.path))
        return refused_page(collector, manifest, area, signed=signed)
    return signed, body


async def signed_request(request: Request) -> tuple[SignedIn, FormBody | None] | Response:
    """A page of the area asked for (GET: no form, as ``signed_in``) or sent (POST: its form,
    as ``checked_post``) by a signed-in mediator; else the response to return."""
    if request.method == "POST":
        return await checked_post(request)
    signed = await signed_in(request)
    return signed if isinstance(signed, Response) else (signed, None)


async def form_pairs(request: Request,
                      collector: Collector) -> list[tuple[str, str]] | Response:
    """The body's pairs, or the page refusing it (415, 413, 400)."""
    if not is_form_body(request.headers.get("content-type", "")):
        return views.message(collector, "unsupported", 415)
    limits = collector.settings.limits
    try:
        return parse_body(await read_body(request, limits.max_body_bytes), limits)
    except TooLargeError:
        return views.message(collector, "too_large", 413)
    except ClientDisconnect:
        return Response(status_code=400)
    except Refusal as refusal:
        log.warning("%s", say("collector.log.refused", status=refusal.status,
                              reason=refusal.reason))
        kind = "too_large" if refusal.status == 413 else "refused"
        return views.message(collector, kind, refusal.status)


def refused_page(collector: Collector, manifest: Manifest, area: str, *,
                 signed: SignedIn | None = None) -> Response:
    """403: a request the area does not take (another site, a missing or wrong token)."""
    return page.message_page(collector, manifest, "refused", 403, signed=signed,
                             home_url=f"{area}/")


def _see_other(path: str) -> Response:
    return private(RedirectResponse(path, status_code=303))


# --- the routes ---------------------------------------------------------------------------------

async def to_home(request: Request) -> Response:
    """``{area}`` without its final ``/`` (else the receipt route would take it), and a
    ``GET`` of signing in or out (a bookmark, a reload): 303 to the home; 404 when the area
    has no active mediator, like the rest of it, and 403 for a session cookie sent from
    another site."""
    found = await visitor(request)
    if isinstance(found, Response):
        return found
    _, area, _ = _where(request)
    return _see_other(f"{area}/")


async def sign_in_form(request: Request) -> Response:
    """The sign-in page (the home of a visitor who is not signed in)."""
    collector, area, manifest = _where(request)
    return page.sign_in_page(collector, manifest, area)


async def sign_in(request: Request) -> Response:
    """``POST {area}/sign-in``: the code, checked; right, a session and 303 to the home."""
    if request.method != "POST":
        return await to_home(request)
    collector, area, manifest = _where(request)
    if from_elsewhere(request, posting=True):
        log.warning("%s", say("collector.log.entry_other_site", path=request.url.path))
        return refused_page(collector, manifest, area)
    name = await _mediator_of_code(request, collector, manifest, area)
    if isinstance(name, Response):
        return name
    if earlier := request.cookies.get(SESSION_COOKIE):  # this browser's previous session ends
        await run_in_threadpool(collector.storage.close_session, codes.digest(earlier))
    token = codes.new_token()
    now = collector.settings.now()
    try:
        await run_in_threadpool(collector.storage.open_session, codes.digest(token), name, now,
                                now + timedelta(hours=SESSION_HOURS))
    except EntryError:  # the code was revoked since it was checked, a moment ago
        return page.sign_in_page(collector, manifest, area,
                                 error=catalogue(manifest.language)("entry.sign_in.wrong"),
                                 status=400)
    log.info("%s", say("collector.log.entry_signed_in"))
    response = _see_other(f"{area}/")
    response.set_cookie(SESSION_COOKIE, token, max_age=SESSION_HOURS * 3600, path=area,
                        # behind nginx, uvicorn takes the scheme from X-Forwarded-Proto
                        secure=request.url.scheme == "https", httponly=True, samesite="strict")
    return response


async def _mediator_of_code(request: Request, collector: Collector, manifest: Manifest,
                            area: str) -> str | Response:
    """The name of the mediator whose code the form holds; else the answer: 404 (no active
    mediator), 429 (too many wrong codes from this client), 400 (the form again, saying the
    code is missing or wrong), or the body's refusal."""
    known = await run_in_threadpool(collector.storage.mediator_codes)
    if not known:
        return views.message(collector, "not_found", 404)
    client = client_pseudonyms(request, collector)[0]
    wait = collector.code_misses.waiting(client)
    if wait is not None:
        return _too_many(collector, manifest, wait)
    pairs = await form_pairs(request, collector)
    if isinstance(pairs, Response):
        return pairs
    words = catalogue(manifest.language)
    typed = FormBody(tuple(pairs)).get(CODE_FIELD)
    if not typed.strip():
        return page.sign_in_page(collector, manifest, area,
                                 error=words("entry.sign_in.missing"), status=400)
    given = codes.digest(codes.normalise_code(typed) or typed)
    name = None
    for each in known:  # every digest compared, without an early exit
        if hmac.compare_digest(given.encode("ascii"), each.digest.encode("ascii")):
            name = each.name
    if name is not None:
        return name
    return _wrong_code(collector, manifest, area, client)


def _wrong_code(collector: Collector, manifest: Manifest, area: str, client: str) -> Response:
    """A wrong code, counted against ``client``: the form again (400), or 429 past the limit."""
    wait = collector.code_misses.retry_after(client)
    log.warning("%s", say("collector.log.entry_wrong_code"))
    if wait is not None:
        return _too_many(collector, manifest, wait)
    return page.sign_in_page(collector, manifest, area,
                             error=catalogue(manifest.language)("entry.sign_in.wrong"),
                             status=400)


def _too_many(collector: Collector, manifest: Manifest, wait: int) -> Response:
    return page.message_page(collector, manifest, "too_many", 429,
                             headers={"Retry-After": str(wait)}, minutes=max(1, -(-wait // 60)))


async def sign_out(request: Request) -> Response:
    """``POST {area}/sign-out``: the session forgotten, its cookie deleted, back to sign in."""
    if request.method != "POST":
        return await to_home(request)
    collector, area, _ = _where(request)
    checked = await checked_post(request)
    if isinstance(checked, Response):
        return checked
    signed, _ = checked
    await run_in_threadpool(collector.storage.close_session, signed.session)
    response = _see_other(f"{area}/")
    response.delete_cookie(SESSION_COOKIE, path=area, secure=request.url.scheme == "https",
                           httponly=True, samesite="strict")
    return response
