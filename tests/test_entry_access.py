"""Signing in to the mediators' area of a real ``parole collect`` (the example site, French:
``/collect/saisie/``): the area hidden without mediators, the code and its wrong guesses, the
session cookie, revocation and expiry, signing out, and the CSRF and origin checks."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from urllib.parse import urlencode

import pytest

from site_builder.collector.entry import codes
from site_builder.collector.entry.access import SESSION_COOKIE, SESSION_HOURS
from site_builder.collector.settings import CODE_MISS_LIMIT
from site_builder.storage import open_storage
from tests.collector_support import PAROLE, Reply, RunningCollector, running_collector
from tests.storage_support import raw_sql
from tests.support import form_site

AREA = "/collect/saisie"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CSRF = re.compile(r'name="_csrf" value="([0-9a-f]+)"')
ADDRESSES = count(1)


def add_mediator(url: str, name: str, *, role: str = "mediator") -> str:
    """A mediator added to the database; their code as ``parole mediators add`` prints it."""
    code = codes.new_code()
    storage = open_storage(url)
    try:
        storage.add_mediator(name, role, codes.digest(code), datetime.now(UTC))
    finally:
        storage.close()
    return codes.format_code(code)


@dataclass
class Browser:
    """One client (its own address: wrong codes count per client) and its session cookie."""

    collector: RunningCollector
    address: str = field(default_factory=lambda: f"198.51.100.{next(ADDRESSES)}")
    cookie: str | None = None
    set_cookie: str = ""
    """The last ``Set-Cookie`` header received."""

    def send(self, method: str, path: str, pairs: list[tuple[str, str]] | None = None,
             headers: dict[str, str] | None = None) -> Reply:
        sent = {"X-Forwarded-For": self.address, **(FORM if pairs is not None else {}),
                **({"Cookie": f"{SESSION_COOKIE}={self.cookie}"} if self.cookie else {}),
                **(headers or {})}
        body = urlencode(pairs).encode("ascii") if pairs is not None else b""
        reply = self.collector.request(method, path, body, sent)
        self.set_cookie = reply.headers.get("set-cookie", "")
        if self.set_cookie.startswith(f"{SESSION_COOKIE}="):
            value = self.set_cookie.split(";")[0].partition("=")[2].strip('"')
            self.cookie = value or None
        return reply

    def sign_in(self, code: str, headers: dict[str, str] | None = None) -> Reply:
        return self.send("POST", f"{AREA}/sign-in", [("code", code)], headers)

    def home(self, headers: dict[str, str] | None = None) -> Reply:
        return self.send("GET", f"{AREA}/", headers=headers)

    def csrf(self) -> str:
        found = CSRF.search(self.home().text)
        assert found, "no CSRF token in the signed-in home"
        return found.group(1)


@dataclass
class Area:
    collector: RunningCollector
    url: str
    codes: dict[str, str]


@pytest.fixture(scope="module")
def area(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Area]:
    folder = tmp_path_factory.mktemp("entry-access")
    url = f"sqlite:///{folder / 'answers.db'}"
    known = {name: add_mediator(url, name) for name in ("Awa", "Bruno", "Chloé", "Dina")}
    with running_collector(example_site, url, folder) as up:
        yield Area(up, url, known)


def is_sign_in_form(reply: Reply) -> bool:
    return reply.status == 200 and f'action="{AREA}/sign-in"' in reply.text \
        and "_csrf" not in reply.text


def test_the_area_is_404_until_there_is_a_mediator(example_site: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    with running_collector(example_site, url, tmp_path) as up:
        visitor = Browser(up)
        for method, path in [("GET", f"{AREA}/"), ("GET", AREA), ("HEAD", f"{AREA}/"),
                             ("GET", f"{AREA}/sign-in"), ("GET", f"{AREA}/sign-out")]:
            assert visitor.send(method, path).status == 404, (method, path)
        assert visitor.sign_in("0" * 26).status == 404
        assert visitor.send("POST", f"{AREA}/sign-out", []).status == 404
        code = add_mediator(url, "Awa")
        assert is_sign_in_form(visitor.home())
        assert visitor.send("GET", AREA).headers["location"] == f"{AREA}/"
        assert visitor.sign_in(code).status == 303
        assert "Awa" in visitor.home().text
        revoked = subprocess.run([str(PAROLE), "mediators", "revoke", "Awa", "--db", url],
                                 capture_output=True, text=True, timeout=60, check=False)
        assert revoked.returncode == 0, revoked.stderr
        assert visitor.home().status == 404  # the only mediator revoked: no area any more
        assert visitor.sign_in(code).status == 404


def test_the_right_code_in_any_spelling_opens_a_session(area: Area) -> None:
    code = area.codes["Awa"]
    for typed in (code, code.lower(), code.replace("-", " "), code.replace("-", ""),
                  f"  {code.lower().replace('-', '')}  ".replace("0", "o").replace("1", "l")):
        browser = Browser(area.collector)
        signed = browser.sign_in(typed)
        assert signed.status == 303, (typed, signed.text)
        assert signed.headers["location"] == f"{AREA}/"
        assert signed.headers["cache-control"] == "private, no-store"
        home = browser.home()
        assert home.status == 200 and re.search(r"Session ouverte\s: Awa\.", home.text)
        assert f'action="{AREA}/sign-out"' in home.text and CSRF.search(home.text)


def test_the_cookie_is_http_only_strict_for_the_area_and_secure_over_https(area: Area) -> None:
    browser = Browser(area.collector)
    browser.sign_in(area.codes["Bruno"])
    flags = [part.strip().lower() for part in browser.set_cookie.split(";")]
    assert "httponly" in flags and "samesite=strict" in flags, flags
    assert f"path={AREA}".lower() in flags and f"max-age={SESSION_HOURS * 3600}" in flags
    assert "secure" not in flags, "Secure over plain HTTP: the cookie would never come back"
    assert browser.cookie and len(browser.cookie) >= 43  # 256 random bits
    # behind nginx, uvicorn trusts X-Forwarded-Proto from 127.0.0.1
    https = Browser(area.collector)
    https.sign_in(area.codes["Bruno"], headers={"X-Forwarded-Proto": "https"})
    assert "secure" in [part.strip().lower() for part in https.set_cookie.split(";")]
    assert https.home(headers={"X-Forwarded-Proto": "https"}).status == 200
    # the session is kept by its digest only
    stored = [digest for (digest,) in raw_sql(area.url, "SELECT token_digest FROM "
                                              "mediator_sessions")]
    assert codes.digest(browser.cookie) in stored and browser.cookie not in stored


def test_a_session_lasts_twelve_hours_from_signing_in(area: Area) -> None:
    browser = Browser(area.collector)
    browser.sign_in(area.codes["Chloé"])
    assert browser.cookie
    created, expires = raw_sql(area.url, "SELECT created_at, expires_at FROM mediator_sessions "
                               "WHERE token_digest = ?", (codes.digest(browser.cookie),))[0]
    lasted = datetime.fromisoformat(expires) - datetime.fromisoformat(created)
    assert lasted.total_seconds() == SESSION_HOURS * 3600
    token = browser.csrf()
    # its end, come: the cookie (still in the browser) opens nothing
    raw_sql(area.url, "UPDATE mediator_sessions SET expires_at = created_at "
            "WHERE token_digest = ?", (codes.digest(browser.cookie),))
    assert is_sign_in_form(browser.home())
    out = browser.send("POST", f"{AREA}/sign-out", [("_csrf", token)])
    assert out.status == 303 and out.headers["location"] == f"{AREA}/"


def test_a_wrong_code_shows_the_form_again_then_429(area: Area) -> None:
    browser = Browser(area.collector)
    right = area.codes["Dina"]
    wrong = right[:-1] + ("X" if right[-1] != "X" else "Y")
    for number in range(CODE_MISS_LIMIT):
        reply = browser.sign_in(wrong if number % 2 else "not a code at all")
        assert reply.status == 400, (number, reply.status)
        assert browser.cookie is None
    text = reply.text
    assert '<div class="p-error-summary"' in text and 'href="#entry-code"' in text
    assert "Ce code ne fonctionne pas." in text and 'aria-invalid="true"' in text
    assert re.search(r"<title>Erreur\s*: Se connecter", text), text[:400]
    assert wrong not in text and 'value=""' in text  # the code typed is never shown again
    limited = browser.sign_in(right)  # past the limit: the right code too
    assert limited.status == 429 and browser.cookie is None
    assert int(limited.headers["retry-after"]) > 0
    assert "Trop de codes erronés" in limited.text
    assert Browser(area.collector).sign_in(right).status == 303, "another client is not limited"
    empty = Browser(area.collector).sign_in("  ")
    assert empty.status == 400 and "Saisissez votre code personnel" in empty.text


def test_revoking_a_code_ends_its_open_sessions(area: Area) -> None:
    url = area.url
    code = add_mediator(url, "Éva")
    browser = Browser(area.collector)
    assert browser.sign_in(code).status == 303
    token = browser.csrf()
    storage = open_storage(url)
    try:
        assert storage.revoke_mediator("Éva", datetime.now(UTC))
    finally:
        storage.close()
    assert is_sign_in_form(browser.home())
    assert browser.send("POST", f"{AREA}/sign-out", [("_csrf", token)]).status == 303
    assert browser.sign_in(code).status == 400


def test_signing_in_again_ends_the_browser_s_previous_session(area: Area) -> None:
    browser = Browser(area.collector)
    browser.sign_in(area.codes["Bruno"])
    first = browser.cookie
    assert browser.sign_in(area.codes["Chloé"]).status == 303
    assert browser.cookie != first and re.search(r"Session ouverte\s: Chloé", browser.home().text)
    browser.cookie = first
    assert is_sign_in_form(browser.home())


def test_signing_out_ends_the_session_on_the_server(area: Area) -> None:
    browser = Browser(area.collector)
    browser.sign_in(area.codes["Awa"])
    stolen = browser.cookie
    out = browser.send("POST", f"{AREA}/sign-out", [("_csrf", browser.csrf())])
    assert out.status == 303 and out.headers["location"] == f"{AREA}/"
    assert "max-age=0" in browser.set_cookie.lower() and browser.cookie is None
    browser.cookie = stolen  # a copy of the cookie kept: it opens nothing any more
    assert is_sign_in_form(browser.home())
    assert browser.send("GET", f"{AREA}/sign-out").headers["location"] == f"{AREA}/"


@pytest.mark.parametrize("sent", [
    [], [("_csrf", "")], [("_csrf", "0" * 64)], [("_csrf", "nope")], "other session's",
    "twice", "upper case"])
def test_a_post_without_its_csrf_token_is_refused(area: Area,
                                                  sent: list[tuple[str, str]] | str) -> None:
    browser = Browser(area.collector)
    browser.sign_in(area.codes["Bruno"])
    token = browser.csrf()
    if sent == "other session's":
        other = Browser(area.collector)
        other.sign_in(area.codes["Bruno"])
        sent = [("_csrf", other.csrf())]
    elif sent == "twice":
        sent = [("_csrf", token), ("_csrf", token)]
    elif sent == "upper case":
        sent = [("_csrf", token.upper())]
    assert isinstance(sent, list)
    refused = browser.send("POST", f"{AREA}/sign-out", sent)
    assert refused.status == 403, refused.status
    assert "Demande refusée" in refused.text and f'href="{AREA}/"' in refused.text
    assert browser.home().status == 200 and "Session ouverte" in browser.home().text


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
    {"Origin": "https://attaquant.example"}, {"Origin": "http://127.0.0.1.attaquant.example"}])
def test_a_post_from_another_site_is_refused_even_with_the_token(
        area: Area, headers: dict[str, str]) -> None:
    browser = Browser(area.collector)
    browser.sign_in(area.codes["Chloé"])
    token = browser.csrf()
    refused = browser.send("POST", f"{AREA}/sign-out", [("_csrf", token)], headers)
    assert refused.status == 403
    assert browser.home().status == 200 and "Session ouverte" in browser.home().text
    stranger = Browser(area.collector)
    assert stranger.sign_in(area.codes["Chloé"], headers=headers).status == 403
    assert stranger.cookie is None
    # the same post from the area's own page goes through
    own = {"Sec-Fetch-Site": "same-origin", "Origin": "null"}
    assert browser.send("POST", f"{AREA}/sign-out", [("_csrf", token)], own).status == 303


def test_a_session_cookie_sent_from_another_site_is_refused(area: Area) -> None:
    browser = Browser(area.collector)
    browser.sign_in(area.codes["Dina"])
    refused = browser.home(headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status == 403 and "Session ouverte" not in refused.text
    # a link from the consultation's site (same site) or typed in (none) opens the page
    for fetch_site in ("same-site", "none", "same-origin"):
        assert browser.home(headers={"Sec-Fetch-Site": fetch_site}).status == 200
    # without a cookie, a link from anywhere shows the sign-in form
    assert is_sign_in_form(Browser(area.collector).home(headers={"Sec-Fetch-Site":
                                                                 "cross-site"}))


def test_other_paths_of_the_area_are_not_receipts(area: Area) -> None:
    browser = Browser(area.collector)
    assert browser.send("GET", f"{AREA}/sign-in").headers.get("location") == f"{AREA}/"
    assert browser.send("GET", AREA).headers.get("location") == f"{AREA}/"
    assert browser.send("POST", f"{AREA}/sign-in", None).status == 415


@pytest.mark.parametrize(("language", "title", "direction"), [
    ("en", "Sign in to data entry", "ltr"), ("ar", "تسجيل الدخول إلى إدخال الإجابات", "rtl")])
def test_a_site_in_another_language_has_its_area_at_data_entry(
        example_site: Path, tmp_path: Path, language: str, title: str, direction: str) -> None:
    site = form_site(example_site, tmp_path / "site", language=language)
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    code = add_mediator(url, "Awa")
    with running_collector(site, url, tmp_path) as up:
        visitor = Browser(up)
        page = visitor.send("GET", "/collect/data-entry/")
        assert page.status == 200 and title in page.text
        assert f'lang="{language}" dir="{direction}"' in page.text
        assert 'action="/collect/data-entry/sign-in"' in page.text
        assert visitor.send("GET", AREA).status == 404  # no French area: a receipt code alone
        signed = visitor.send("POST", "/collect/data-entry/sign-in", [("code", code)])
        assert signed.status == 303 and signed.headers["location"] == "/collect/data-entry/"
        assert "path=/collect/data-entry" in signed.headers["set-cookie"].lower()
