"""Access to the moderation pages (issue #16), route by route, as ``test_access.py`` checks the
admin routes and the mediators' area.

What it proves, for every route the router holds whose endpoint ``access_moderation.
MODERATION_ENDPOINTS`` names (enumerated from ``create_app``, never listed by hand):

- **closed without credentials**: by each method, a visitor without a cookie, with a made-up
  one, an ended one, one altered, one signed under another admin token or another secret, is
  sent to the sign-in form (303 to ``/admin/moderation/``, or the form itself), shown nothing;
- **every post needs its session's CSRF token** (none, empty, wrong, another session's, in
  capitals, twice, in the query: 403), and **other sites are refused** (403) even with it;
- **nothing without the token setting**: every route answers 404 with ``PAROLE_ADMIN_TOKEN``
  unset, in ``parole collect`` and ``parole serve``;
- **the token is compared in constant time**: every token typed at sign-in reaches
  ``hmac.compare_digest`` (a spy), and no ``==``, ``in`` or ``startswith`` touches the token,
  a CSRF token or a cookie's MAC in the pages' code (read from its syntax tree).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast
from urllib.parse import urlencode

import pytest

from site_builder.collector.moderation import session
from site_builder.collector.secret import CollectorSecret
from site_builder.collector.settings import Collector, Settings
from site_builder.storage.base import Storage
from tests.collector_support import ADMIN_TOKEN, Reply, RunningCollector, running_collector
from tests.reliability.access_area import concrete
from tests.reliability.access_moderation import (
    CSRF,
    MODERATION,
    MODERATION_DOOR,
    MODERATION_KINDS,
    MODERATION_PATH_EXAMPLES,
    MODERATION_SIGNED,
    PRIVATE_MARKS,
)
from tests.reliability.test_access import (
    ComparisonSpy,
    InProcess,
    asgi_request,
    csrf_attempts,
    in_process,
    secret_comparisons,
)
from tests.support import REPO

__all__ = ["in_process"]  # the fixture, shared with test_access.py

HOME = f"{MODERATION}/"
SECRET = secrets.token_urlsafe(32)
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass(frozen=True)
class PageRoute:
    kind: str
    method: str
    path: str


def moderation_routes(in_process: Callable[[bool, bool], InProcess],
                      serve_site: bool = False) -> list[PageRoute]:
    """Every moderation route by every method it answers (the admin token set)."""
    routes = [PageRoute(route.kind, method, concrete(route.path, MODERATION_PATH_EXAMPLES))
              for route in in_process(serve_site, True).routes if route.kind in MODERATION_KINDS
              for method in route.methods]
    assert {route.kind for route in routes} == set(MODERATION_KINDS), routes
    assert all(route.path.startswith(MODERATION) for route in routes), routes
    return routes


def cookie(name: str = "Awa", *, token: str = ADMIN_TOKEN, secret: str = SECRET,
           at: datetime | None = None) -> str:
    """A session cookie signed as a collector with ``secret`` and ``token`` signs them."""
    key = CollectorSecret(hashlib.sha256(secret.encode("ascii")).digest())
    settings = Settings(site_dir=REPO, admin_token=token, secret=key)
    if at is not None:
        settings = replace(settings, now=lambda: at)
    return session.new_cookie(Collector(settings, cast(Storage, None)), name)


@dataclass
class Client:
    collector: RunningCollector
    address: str
    cookie: str | None = None
    csrf: str = ""

    def send(self, method: str, path: str, pairs: list[tuple[str, str]] | None = None,
             headers: dict[str, str] | None = None) -> Reply:
        sent = {"X-Forwarded-For": self.address, **(FORM if pairs is not None else {}),
                **({"Cookie": f"{session.SESSION_COOKIE}={self.cookie}"} if self.cookie
                   else {}), **(headers or {})}
        body = urlencode(pairs).encode("utf-8") if pairs is not None else b""
        return self.collector.request(method, path, body, sent)


def shows_private(reply: Reply) -> bool:
    text = reply.body.decode("utf-8", "replace")
    return any(mark in text for mark in PRIVATE_MARKS)


@pytest.fixture(scope="module")
def collector(example_site: Path,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCollector]:
    folder = tmp_path_factory.mktemp("access-moderation")
    with running_collector(example_site, f"sqlite:///{folder / 'answers.db'}", folder,
                           args=["--rate-limit", "0"], env={"PAROLE_SECRET": SECRET}) as up:
        yield up


def signed_in(collector: RunningCollector, address: str) -> Client:
    client = Client(collector, address)
    reply = client.send("POST", f"{HOME}sign-in", [("token", ADMIN_TOKEN), ("name", "Awa")])
    assert reply.status == 303, reply.status
    client.cookie = reply.headers["set-cookie"].split(";")[0].partition("=")[2]
    found = CSRF.search(client.send("GET", HOME).text)
    assert found, "no CSRF token on the signed-in home"
    client.csrf = found[1]
    return client


def test_the_pages_send_visitors_without_a_valid_session_to_sign_in(
    collector: RunningCollector, in_process: Callable[[bool, bool], InProcess]
) -> None:
    now = datetime.now(UTC)
    cookies = {
        "no cookie": None, "a made-up cookie": "A" * 43,
        "a cookie ended a second ago": cookie(at=now - timedelta(hours=12, seconds=1)),
        "a cookie altered (name)": ".".join(
            [*cookie().split(".")[:2], "QnJ1bm8", cookie().split(".")[3]]),
        "another token's cookie": cookie(token="another-" + ADMIN_TOKEN),
        "another secret's cookie": cookie(secret=secrets.token_urlsafe(32)),
    }
    failures = []
    for number, route in enumerate(moderation_routes(in_process)):
        for case, (what, value) in enumerate(cookies.items()):
            visitor = Client(collector, f"203.0.113.{number * 10 + case + 1}", value)
            posting = route.method == "POST"
            if route.kind == MODERATION_DOOR and posting:  # signing in, with a wrong token
                reply = visitor.send("POST", route.path, [("token", "devine"), ("name", "X")])
                refused = reply.status == 400 and "set-cookie" not in reply.headers
            elif route.path == HOME:  # the sign-in form
                reply = visitor.send(route.method, route.path)
                refused = reply.status == 200 and (route.method == "HEAD" or
                                                   f'action="{HOME}sign-in"' in reply.text)
            else:
                reply = visitor.send(route.method, route.path,
                                     [("_csrf", "0" * 64)] if posting else None)
                refused = reply.status == 303 and reply.headers.get("location") == HOME
            if not refused or shows_private(reply):
                failures.append(f"{route.method} {route.path} with {what}: {reply.status}")
    assert not failures, "\n".join(failures)


def test_every_post_needs_its_session_csrf_token_and_its_own_site(
    collector: RunningCollector, in_process: Callable[[bool, bool], InProcess]
) -> None:
    own, other = signed_in(collector, "203.0.114.1"), signed_in(collector, "203.0.114.2")
    posts = [route for route in moderation_routes(in_process)
             if route.kind == MODERATION_SIGNED and route.method == "POST"]
    assert posts
    failures = []
    for route in posts:
        for what, (path, pairs) in csrf_attempts(route.path, own.csrf, other.csrf).items():
            reply = own.send("POST", path, pairs)
            if reply.status != 403:
                failures.append(f"POST {route.path} with {what}: {reply.status}")
        for what, headers in {"Sec-Fetch-Site: cross-site": {"Sec-Fetch-Site": "cross-site"},
                              "Sec-Fetch-Site: same-site": {"Sec-Fetch-Site": "same-site"},
                              "another site's Origin": {"Origin": "https://evil.example"}
                              }.items():
            reply = own.send("POST", route.path, [("_csrf", own.csrf)], headers)
            if reply.status != 403:
                failures.append(f"POST {route.path} from {what}: {reply.status}")
    for route in moderation_routes(in_process):
        if route.kind == MODERATION_SIGNED and route.method == "GET":
            reply = own.send("GET", route.path, headers={"Sec-Fetch-Site": "cross-site"})
            if reply.status != 403 or shows_private(reply):
                failures.append(f"GET {route.path} from another site: {reply.status}")
    assert not failures, "\n".join(failures)
    assert shows_private(own.send("GET", HOME)), "the session is still open"


def test_no_route_exists_without_the_token_setting(
    example_site: Path, tmp_path: Path, in_process: Callable[[bool, bool], InProcess]
) -> None:
    routes = moderation_routes(in_process)
    failures = []
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    with running_collector(example_site, url, tmp_path, env={"PAROLE_ADMIN_TOKEN": ""}) as up:
        for route in routes:
            reply = Client(up, "203.0.115.1", cookie()).send(
                route.method, route.path, [("token", ADMIN_TOKEN)] if route.method == "POST"
                else None)
            if reply.status != 404:
                failures.append(f"parole collect, {route.method} {route.path}: {reply.status}")
    served = in_process(True, False)
    assert not any(route.kind in MODERATION_KINDS for route in served.routes)
    for route in routes:
        # parole serve: the paths fall through to the site's files, which have none (and take
        # no post: 405)
        reply = asgi_request(served.app, route.method, route.path)
        if reply.status != (404 if route.method != "POST" else 405):
            failures.append(f"parole serve, {route.method} {route.path}: {reply.status}")
    assert not failures, "\n".join(failures)


def test_every_typed_token_goes_through_compare_digest(
    in_process: Callable[[bool, bool], InProcess], monkeypatch: pytest.MonkeyPatch
) -> None:
    built = in_process(False, True)
    spy = ComparisonSpy()
    monkeypatch.setattr("hmac.compare_digest", spy)
    token = ADMIN_TOKEN.encode("utf-8")
    for number, typed in enumerate((ADMIN_TOKEN, ADMIN_TOKEN[:-1], ADMIN_TOKEN + "x",
                                    ADMIN_TOKEN.upper(), "x")):
        spy.calls.clear()
        reply = asgi_request(built.app, "POST", f"{HOME}sign-in", FORM,
                             client=f"127.0.8.{number + 1}",
                             body=urlencode({"token": typed, "name": "Awa"}).encode("ascii"))
        assert reply.status == (303 if typed == ADMIN_TOKEN else 400), (typed, reply.status)
        compared = [sorted([_bytes(a), _bytes(b)]) for a, b in spy.calls]
        assert sorted([typed.encode("utf-8"), token]) in compared, typed


def _bytes(value: bytes | str) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8")


MODERATION_SECRETS = frozenset({"admin_token", "csrf", "mac", "cookie"})
"""What the pages compare: the admin token, CSRF tokens, a cookie and its MAC."""


def test_the_pages_compare_tokens_without_an_early_exit() -> None:
    sources = sorted((REPO / "site_builder" / "collector" / "moderation").glob("*.py"))
    assert len(sources) >= 5, sources
    found = [f"{path.relative_to(REPO)} {finding}" for path in sources
             for finding in secret_comparisons(path.read_text("utf-8"), MODERATION_SECRETS)]
    assert not found, "a token compared with an early exit:\n" + "\n".join(found)
