"""Who may reach the moderation pages of a real ``parole collect``: the admin token and its
wrong guesses (the admin routes' limiter, 429 past it), the signed session cookie (its flags,
its end, a forged or altered one, another token), signing out, CSRF tokens and other sites'
requests, two collectors sharing one database, and no page at all without
``PAROLE_ADMIN_TOKEN``."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import pytest

from site_builder.collector.moderation import session
from site_builder.collector.secret import CollectorSecret
from site_builder.collector.settings import ADMIN_MISS_LIMIT, Collector, Settings
from site_builder.storage.base import Storage
from tests.collector_support import ADMIN_TOKEN, RunningCollector, running_collector
from tests.moderation_support import (
    HOME,
    PAGE,
    Moderator,
    main_text,
    moderation_site,
    quoted,
    send_answer,
    signed_in,
    verdicts,
)

SECRET = secrets.token_urlsafe(32)
"""``PAROLE_SECRET`` of the collectors here: the tests sign cookies with it too."""


@dataclass
class Running:
    collector: RunningCollector
    site: Path
    url: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return moderation_site(tmp_path_factory.mktemp("moderation-access-site"))


@pytest.fixture(scope="module")
def running(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    folder = tmp_path_factory.mktemp("moderation-access")
    url = f"sqlite:///{folder / 'answers.db'}"
    with running_collector(site, url, folder, env={"PAROLE_SECRET": SECRET}) as up:
        send_answer(up, site, quoted("Des arbres, beaucoup d'arbres."))
        yield Running(up, site, url)


def cookie_for(site: Path, name: str, *, token: str = ADMIN_TOKEN,
               secret: CollectorSecret | None = None, now: datetime | None = None) -> str:
    """A session cookie signed as the running collector signs them (its secret, ``token``), at
    ``now``, or with another ``secret``."""
    key = secret or CollectorSecret(hashlib.sha256(SECRET.encode("ascii")).digest())
    settings = Settings(site_dir=site, admin_token=token, secret=key)
    if now is not None:
        settings = replace(settings, now=lambda: now)
    # signing reads the settings alone: no database
    return session.new_cookie(Collector(settings, cast(Storage, None)), name)


def flags(set_cookie: str) -> list[str]:
    return [part.strip().lower() for part in set_cookie.split(";")]


def is_sign_in_form(reply_text: str) -> bool:
    return 'action="/admin/moderation/sign-in"' in reply_text and "_csrf" not in reply_text


def test_the_cookie_is_http_only_strict_for_the_pages_and_secure_over_https(
    running: Running
) -> None:
    awa = Moderator(running.collector)
    signed = awa.sign_in(name="Awa")
    assert signed.status == 303 and signed.headers["location"] == HOME
    assert signed.headers["cache-control"] == "private, no-store"
    cookie_flags = flags(awa.set_cookie)
    assert "httponly" in cookie_flags and "samesite=strict" in cookie_flags, cookie_flags
    assert "path=/admin/moderation/" in cookie_flags
    assert f"max-age={session.SESSION_HOURS * 3600}" in cookie_flags
    assert "secure" not in cookie_flags, "Secure over plain HTTP: the cookie never comes back"
    assert awa.cookie and ADMIN_TOKEN not in awa.cookie
    assert ADMIN_TOKEN.encode() not in repr(awa.cookie).encode()
    https = Moderator(running.collector)
    https.sign_in(headers={"X-Forwarded-Proto": "https"})
    assert "secure" in flags(https.set_cookie)
    home = awa.send("GET", HOME)
    assert home.status == 200 and "Session de modération : Awa." in main_text(home)
    for header, value in (("cache-control", "private, no-store"),
                          ("x-robots-tag", "noindex, nofollow")):
        assert home.headers[header] == value
    assert "default-src 'none'" in home.headers["content-security-policy"]
    assert '<html lang="fr"' in home.text


def test_a_session_ends_twelve_hours_after_signing_in(running: Running) -> None:
    now = datetime.now(UTC)
    visitor = Moderator(running.collector)
    for moment, opens in ((now, True), (now - timedelta(hours=11, minutes=59), True),
                          (now - timedelta(hours=12, seconds=1), False),
                          (now + timedelta(minutes=5), False)):  # would last past 12 h
        visitor.cookie = cookie_for(running.site, "Chloé", now=moment)
        home = visitor.send("GET", HOME)
        assert home.status == 200
        assert ("Session de modération : Chloé." in main_text(home)) == opens, moment
        assert is_sign_in_form(home.text) != opens


@pytest.mark.parametrize("forged", ["altered name", "altered expiry", "another token",
                                    "another secret", "made up", "empty mac", "no dots"])
def test_a_forged_or_altered_cookie_opens_nothing(running: Running, forged: str) -> None:
    cookie = cookie_for(running.site, "Awa")
    nonce, expires, name, mac = cookie.split(".")
    later = str(int(expires) - 60)
    cookie = {
        "altered name": f"{nonce}.{expires}.QnJ1bm8.{mac}",
        "altered expiry": f"{nonce}.{later}.{name}.{mac}",
        "another token": cookie_for(running.site, "Awa", token="another-" + ADMIN_TOKEN),
        "another secret": cookie_for(running.site, "Awa", secret=CollectorSecret()),
        "made up": f"{nonce}.{expires}.{name}.{'0' * 64}",
        "empty mac": f"{nonce}.{expires}.{name}.",
        "no dots": mac,
    }[forged]
    visitor = Moderator(running.collector, cookie=cookie)
    assert is_sign_in_form(visitor.send("GET", HOME).text)
    refused = visitor.send("GET", PAGE)
    assert refused.status == 303 and refused.headers["location"] == HOME
    assert visitor.send("POST", PAGE, [("_csrf", "0" * 64), ("verdict", "approve")]).status \
        in (303, 403)
    assert verdicts(running.url) == []


def test_a_wrong_token_shows_the_form_again_then_429_even_for_the_right_one(
    running: Running
) -> None:
    guesser = Moderator(running.collector)
    wrong = ADMIN_TOKEN[:-1] + ("x" if ADMIN_TOKEN[-1] != "x" else "y")
    for number in range(ADMIN_MISS_LIMIT):
        reply = guesser.sign_in(token=wrong if number % 2 else "devine", name="Awa")
        assert reply.status == 400, (number, reply.status)
        assert guesser.cookie is None
    text = reply.text
    assert "Ce jeton ne fonctionne pas." in main_text(reply)
    assert re.search(r"<title>Erreur\s*: Se connecter à la modération", text)
    assert 'href="#moderation-token"' in text and wrong not in text
    assert 'value="Awa"' in text, "the name is kept, the token never shown again"
    limited = guesser.sign_in(name="Awa")
    assert limited.status == 429 and guesser.cookie is None
    assert int(limited.headers["retry-after"]) > 0
    assert "Trop de jetons erronés" in main_text(limited)
    # the same limiter as the admin routes: the right Bearer token is refused too
    assert guesser.send("GET", "/admin/stats",
                        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).status == 429
    assert Moderator(running.collector).sign_in().status == 303, "another client is not limited"


def test_a_missing_token_or_name_is_said_and_not_counted(running: Running) -> None:
    visitor = Moderator(running.collector)
    for _ in range(ADMIN_MISS_LIMIT + 1):
        empty = visitor.sign_in(token="  ", name="")
        assert empty.status == 400
    shown = main_text(empty)
    assert "Saisissez le jeton d\u2019administration" in shown and "Saisissez votre nom" in shown
    nameless = visitor.sign_in(name=" \u202e\u202c ")  # bidi controls alone: no name
    assert nameless.status == 400 and visitor.cookie is None
    assert "Saisissez votre nom" in main_text(nameless)
    assert "Saisissez le jeton" not in main_text(nameless)
    assert "Raccourcissez votre nom" in main_text(visitor.sign_in(name="A" * 81))
    assert visitor.sign_in(name="  Awa   Diallo ").status == 303
    assert "Session de modération : Awa Diallo." in main_text(visitor.send("GET", HOME))


def test_signing_out_deletes_the_cookie(running: Running) -> None:
    with signed_in(running.collector) as awa:
        out = awa.send("POST", f"{HOME}sign-out", [("_csrf", awa.csrf())])
        assert out.status == 303 and out.headers["location"] == HOME
        assert "max-age=0" in awa.set_cookie.lower() and "path=/admin/moderation/" in \
            awa.set_cookie.lower()
        assert awa.cookie is None and is_sign_in_form(awa.send("GET", HOME).text)
    for path in ("/admin/moderation", f"{HOME}sign-in", f"{HOME}sign-out"):
        reply = Moderator(running.collector).send("GET", path)
        assert reply.status == 303 and reply.headers["location"] == HOME, path


@pytest.mark.parametrize("sent", ["none", "empty", "zeros", "other session's", "twice",
                                  "upper case", "in the query"])
def test_a_post_without_its_csrf_token_is_refused(running: Running, sent: str) -> None:
    with signed_in(running.collector) as awa, signed_in(running.collector) as other:
        fields = awa.shown()
        token = fields.pop("_csrf")
        tokens = {"none": [], "empty": [("_csrf", "")], "zeros": [("_csrf", "0" * 64)],
                  "other session's": [("_csrf", other.csrf())],
                  "twice": [("_csrf", token), ("_csrf", "0" * 64)],
                  "upper case": [("_csrf", token.upper())], "in the query": []}[sent]
        path = f"{PAGE}?_csrf={token}" if sent == "in the query" else PAGE
        verdict = [*tokens, *fields.items(), ("verdict", "approve")]
        refused = awa.send("POST", path, verdict)
        assert refused.status == 403, refused.status
        assert "Demande refusée" in main_text(refused)
        assert awa.send("POST", f"{HOME}sign-out", tokens).status == 403
        assert awa.send("GET", HOME).status == 200 and awa.cookie
    assert verdicts(running.url) == []


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
    {"Origin": "https://attaquant.example"}, {"Origin": "http://127.0.0.1.attaquant.example"}])
def test_a_post_from_another_site_is_refused_even_with_the_token(
    running: Running, headers: dict[str, str]
) -> None:
    with signed_in(running.collector) as awa:
        fields = [*awa.shown().items(), ("verdict", "approve")]
        assert awa.send("POST", PAGE, fields, headers).status == 403
        assert awa.send("POST", f"{HOME}sign-out", fields[:1], headers).status == 403
        stranger = Moderator(running.collector)
        assert stranger.sign_in(headers=headers).status == 403 and stranger.cookie is None
        assert verdicts(running.url) == []
        if "Sec-Fetch-Site" in headers and headers["Sec-Fetch-Site"] == "cross-site":
            assert awa.send("GET", PAGE, headers=headers).status == 403
        own = {"Sec-Fetch-Site": "same-origin", "Origin": "null"}
        assert awa.send("GET", PAGE, headers={"Sec-Fetch-Site": "none"}).status == 200
        assert awa.send("POST", f"{HOME}sign-out", fields[:1], own).status == 303


def test_two_collectors_on_one_database_read_the_same_session(
    site: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    env = {"PAROLE_SECRET": SECRET}
    with running_collector(site, url, tmp_path, env=env) as first, \
            running_collector(site, url, tmp_path, env=env) as second:
        send_answer(first, site, quoted("Un kiosque à musique."))
        awa = Moderator(first)
        assert awa.sign_in(name="Awa").status == 303
        shown = awa.shown()
        awa.collector = second  # behind nginx, the next request may reach another collector
        assert awa.send("POST", PAGE, [*shown.items(), ("verdict", "approve")]).status == 303
    assert [verdict.decided_by for verdict in verdicts(url)] == ["Awa"]


def test_a_new_admin_token_ends_every_session(site: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    with running_collector(site, url, tmp_path, env={"PAROLE_SECRET": SECRET}) as up:
        awa = Moderator(up)
        awa.sign_in()
    new_token = "another-token-" + secrets.token_hex(16)
    with running_collector(site, url, tmp_path,
                           env={"PAROLE_SECRET": SECRET, "PAROLE_ADMIN_TOKEN": new_token}) as up:
        awa.collector = up
        assert is_sign_in_form(awa.send("GET", HOME).text)
        assert awa.sign_in(token=new_token).status == 303


def test_without_an_admin_token_there_are_no_moderation_pages(site: Path,
                                                              tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    with running_collector(site, url, tmp_path, env={"PAROLE_ADMIN_TOKEN": ""}) as up:
        visitor = Moderator(up)
        for method, path in (("GET", "/admin/moderation"), ("GET", HOME), ("HEAD", HOME),
                             ("GET", f"{HOME}sign-in"), ("GET", f"{HOME}sign-out"),
                             ("GET", PAGE)):
            assert visitor.send(method, path).status == 404, (method, path)
        assert visitor.sign_in().status == 404
        assert visitor.send("POST", PAGE, [("verdict", "approve")]).status == 404
