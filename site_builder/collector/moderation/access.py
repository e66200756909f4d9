"""Who may moderate: signing in with the admin token and a name, the session cookie, CSRF
tokens, signing out.

The mediators' area's mechanisms (``entry.access``) are used as they are: the same check that
a request comes from the collector's own pages (``from_elsewhere``: ``Sec-Fetch-Site``,
``Origin``), the same reading of a form within the collector's limits (``form_pairs``), the
same CSRF check (``csrf_checked``, an HMAC of the session under the collector's secret,
compared in constant time). What differs is the key and the session:

- **Sign in** (``POST /admin/moderation/sign-in``): ``PAROLE_ADMIN_TOKEN`` typed into a password
  field, compared by ``hmac.compare_digest``; a wrong one counts against the client with the
  admin routes' own limiter (``Collector.admin_misses``, ``settings.ADMIN_MISS_LIMIT`` a minute,
  shared with the ``Bearer`` routes): past it, 429 for the rest of the minute, the right token
  too. And "Votre nom", which every verdict records as who decided.
- **Session**: a cookie signed by the collector (``session``), ``HttpOnly``, ``SameSite=Strict``,
  ``Secure`` over HTTPS, path ``/admin/moderation/``, ending ``SESSION_HOURS`` after signing in.
- Without ``PAROLE_ADMIN_TOKEN`` these routes are not registered: every path answers 404.
"""

from __future__ import annotations

import hmac
import logging

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from site_builder.collector.entry.access import FormBody, csrf_checked, form_pairs, from_elsewhere
from site_builder.collector.lookup import client_pseudonyms
from site_builder.collector.moderation import pages
from site_builder.collector.moderation.pages import HOME, MODERATION_PATH, NAME_ID, TOKEN_ID
from site_builder.collector.moderation.session import (
    NAME_MAX_LENGTH,
    SESSION_COOKIE,
    SESSION_HOURS,
    Moderator,
    new_cookie,
    read_cookie,
)
from site_builder.collector.moderation.verdict_form import said
from site_builder.collector.responses import private
from site_builder.collector.settings import Collector
from site_builder.messages import say

log = logging.getLogger("parole.collector")

TOKEN_FIELD = "token"
NAME_FIELD = "name"
COOKIE_PATH = HOME
"""The cookie goes back with the moderation pages' requests only."""


def routes() -> list[BaseRoute]:
    """The door: the path without ``/`` leads to the home; signing in and out. The home itself
    (``HOME``) is ``views``': the sign-in form, or the forms to moderate."""
    return [
        Route(MODERATION_PATH, to_home, methods=["GET"]),
        Route(f"{MODERATION_PATH}/sign-in", sign_in, methods=["GET", "POST"]),
        Route(f"{MODERATION_PATH}/sign-out", sign_out, methods=["GET", "POST"]),
    ]


def see_other(path: str) -> Response:
    return private(RedirectResponse(path, status_code=303))


def refused(collector: Collector, request: Request, *,
            moderator: Moderator | None = None) -> Response:
    """403: a request the moderation pages do not take (another site, no or a wrong token)."""
    log.warning("%s", say("moderation.web.log.refused", path=request.url.path))
    return pages.message_page(collector, "refused", 403, moderator=moderator)


def visitor(request: Request) -> Moderator | Response | None:
    """The signed-in moderator; None without a valid session; 403 when a session cookie comes
    with a request from another site."""
    collector: Collector = request.app.state.collector
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    if from_elsewhere(request, posting=request.method not in ("GET", "HEAD")):
        return refused(collector, request)
    return read_cookie(collector, cookie)


async def signed_request(request: Request) -> tuple[Moderator, FormBody | None] | Response:
    """A page asked for (GET: no form) or a form sent (POST: read, its CSRF token checked) by
    a signed-in moderator; else the answer: 303 to sign in, 403 (another site, no or a wrong
    CSRF token), or the body's refusal (400, 413, 415)."""
    collector: Collector = request.app.state.collector
    posting = request.method == "POST"
    if posting and from_elsewhere(request, posting=True):
        return refused(collector, request)
    found = visitor(request)
    if not isinstance(found, Moderator):
        return found or see_other(HOME)
    if not posting:
        return found, None
    pairs = await form_pairs(request, collector)
    if isinstance(pairs, Response):
        return pairs
    with_token = csrf_checked(pairs, found.csrf)
    return (found, with_token) if with_token is not None else \
        refused(collector, request, moderator=found)


async def to_home(request: Request) -> Response:
    """The path without its final ``/``, and a GET of signing in or out: 303 to the home
    (403 for a session cookie sent from another site)."""
    found = visitor(request)
    return found if isinstance(found, Response) else see_other(HOME)


async def sign_in(request: Request) -> Response:
    """``POST /admin/moderation/sign-in``: the token and the name, checked; right, a session
    cookie and 303 to the home; else the form again (400), 429, or the body's refusal."""
    if request.method != "POST":
        return await to_home(request)
    collector: Collector = request.app.state.collector
    name = await _signing_in(request, collector)
    if isinstance(name, Response):
        return name
    log.info("%s", say("moderation.web.log.signed_in"))
    response = see_other(HOME)
    response.set_cookie(SESSION_COOKIE, new_cookie(collector, name),
                        max_age=SESSION_HOURS * 3600, path=COOKIE_PATH,
                        # behind nginx, uvicorn takes the scheme from X-Forwarded-Proto
                        secure=request.url.scheme == "https", httponly=True, samesite="strict")
    return response


async def _signing_in(request: Request, collector: Collector) -> str | Response:
    """The name of a moderator whose form holds the right token, or the answer to give."""
    if from_elsewhere(request, posting=True):
        return refused(collector, request)
    client = client_pseudonyms(request, collector)[0]
    wait = collector.admin_misses.waiting(client)
    if wait is not None:
        return _too_many(collector, wait)
    pairs = await form_pairs(request, collector)
    if isinstance(pairs, Response):
        return pairs
    body = FormBody(tuple(pairs))
    name = said(body.get(NAME_FIELD))
    errors = _mistakes(collector, client, body.get(TOKEN_FIELD).strip(), name)
    if isinstance(errors, Response):
        return errors
    if errors:
        words = pages.words_of(collector)
        return pages.sign_in_page(
            collector, errors={control: words(key, max=NAME_MAX_LENGTH)
                               for control, key in errors.items()},
            name=name, status=400)
    return name


def _mistakes(collector: Collector, client: str, typed: str,
              name: str) -> dict[str, str] | Response:
    """What is wrong with the sign-in form (control id → catalogue key), or 429 once this
    wrong token is one too many. Only a wrong token counts against the client."""
    errors = {}
    if not typed:
        errors[TOKEN_ID] = "moderation.sign_in.no_token"
    elif not _right_token(collector, typed):
        log.warning("%s", say("moderation.web.log.wrong_token"))
        wait = collector.admin_misses.retry_after(client)
        if wait is not None:
            return _too_many(collector, wait)
        errors[TOKEN_ID] = "moderation.sign_in.wrong"
    if not name:
        errors[NAME_ID] = "moderation.sign_in.no_name"
    elif len(name) > NAME_MAX_LENGTH:
        errors[NAME_ID] = "moderation.sign_in.long_name"
    return errors


def _right_token(collector: Collector, typed: str) -> bool:
    """Whether ``typed`` is the admin token, compared in constant time."""
    token = collector.settings.admin_token
    if token is None:  # the routes exist only with a token; never open without one
        return False
    return hmac.compare_digest(typed.encode("utf-8"), token.encode("utf-8"))


def _too_many(collector: Collector, wait: int) -> Response:
    return pages.message_page(collector, "too_many", 429, headers={"Retry-After": str(wait)},
                              minutes=max(1, -(-wait // 60)))


async def sign_out(request: Request) -> Response:
    """``POST /admin/moderation/sign-out``: the cookie deleted, back to sign in. Nothing is
    stored to revoke: a copy of the cookie lasts until its end (``session``)."""
    if request.method != "POST":
        return await to_home(request)
    checked = await signed_request(request)
    if isinstance(checked, Response):
        return checked
    response = see_other(HOME)
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH,
                           secure=request.url.scheme == "https", httponly=True,
                           samesite="strict")
    return response
