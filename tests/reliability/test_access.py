"""Access (issue #5, point 6): who can reach what, route by route.

What it proves:

- **every route is known**: the routes are enumerated from the router itself (``create_app``'s
  ``app.routes``, with and without the admin token, with and without ``serve_site``), and a
  route this suite does not know fails it, so a new route cannot escape these checks;
- **admin routes need the token**: each admin route, by each method it answers, refuses (401)
  a request without the token, with a wrong one, with the token but its last character, with
  ``Basic`` instead of ``Bearer``…; it answers 200 only to the right token; and it does not
  exist (404) when ``PAROLE_ADMIN_TOKEN`` is unset (docs/collector.md, "Over HTTP");
- **the comparison is constant-time**: every token a request offers reaches
  ``hmac.compare_digest`` (a spy records it), and no ``==``, ``in`` or ``startswith`` touches the
  secret anywhere in ``site_builder`` (read from the code's syntax tree); no timing is measured;
- **the mediators' area lets in signed-in mediators only**: each of its routes (the table is
  ``access_area.AREA_ENDPOINTS``), by each method, sends a visitor without a session, with a
  made-up one, or with the session of a code revoked since, to the sign-in form, showing
  nothing; every post needs its session's CSRF token (none, a wrong one, another session's:
  403), and a request from another site is refused (403) even with the token; a coordinator's
  route refuses a mediator;
- **receipts are reachable only by their link**: the link (code and key) finds the receipt with
  the code typed in any forgiven spelling; the code alone, a neighbouring code, a guessed code
  or key, or the bare ``/collect`` finds nothing (404, or 429 once failed lookups pass the
  limit every client shares), and a purged answer's link is 404.

The HTTP checks run against a real ``parole collect``; the router and the spy use the same app
in this process, called through ASGI.
"""

from __future__ import annotations

import ast
import asyncio
import base64
import hmac
import io
import secrets
import subprocess
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import openpyxl
import pytest
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route

from site_builder.collector import admin, answers, lookup
from site_builder.collector.app import SiteFiles, create_app
from site_builder.collector.entry import codes
from site_builder.collector.settings import Collector, Settings
from site_builder.storage import open_storage
from site_builder.storage.base import Storage
from site_builder.storage.receipts import ALPHABET
from tests.collector_support import (
    ADMIN_TOKEN,
    PAROLE,
    VALID_ANSWER,
    Reply,
    RunningCollector,
    hidden_fields,
    running_collector,
)
from tests.reliability.access_area import (
    AREA,
    AREA_COORDINATOR,
    AREA_DOOR,
    AREA_ENDPOINTS,
    AREA_KINDS,
    AREA_SIGNED,
    CSRF,
    Mediators,
    Visitor,
    concrete,
    mediators_of,
    sent_to_sign_in,
    shows_private,
)
from tests.reliability.access_moderation import MODERATION_ENDPOINTS
from tests.reliability.figures import Figures, Scale
from tests.reliability.nginx_support import send
from tests.storage_support import raw_sql
from tests.support import REPO

FORM_ID = "avis-place"
MARKER = "accès-marqueur"
"""Written in the stored answer: an export that leaks shows it."""
ADMIN = "admin"
ENDPOINT_KINDS: dict[Callable[..., Any], str] = {
    answers.receive_answer: "answer",
    lookup.show_receipt: "receipt",
    lookup.show_proof: "receipt proof",
    lookup.code_alone: "receipt code alone",
    admin.export_answers: ADMIN,
    admin.show_stats: ADMIN,
    **AREA_ENDPOINTS,
    **MODERATION_ENDPOINTS,
}
"""Every endpoint the router may hold, and what kind of access it is. A new one fails
``test_every_route_is_known`` until it is classified here and checked below."""
MOUNT_KINDS: dict[type, str] = {SiteFiles: "site files"}
PATH_EXAMPLES = {"name": [f"{FORM_ID}.csv", f"{FORM_ID}.xlsx", f"{FORM_ID}.json"]}
"""Real values for the admin routes' path parameters."""
CONFIGURATIONS = [pytest.param(serve, token, id=f"{'serve' if serve else 'collect'}-"
                               f"{'token' if token else 'no-token'}")
                  for serve in (False, True) for token in (True, False)]
"""``(serve_site, admin token set)``: ``parole collect`` and ``parole serve``, with and
without ``PAROLE_ADMIN_TOKEN``."""


# --- the tally recorded as figures ---------------------------------------------------------------

@dataclass
class Tally:
    """What the module's tests counted, written as one row of figures once they have run."""

    routes: set[tuple[str, str, str]] = field(default_factory=set)
    """(kind, path, methods) seen in any configuration."""
    refused: int = 0
    """Admin requests without the right token answered 401 (or 404 without the setting)."""
    let_through: int = 0
    guesses: int = 0
    found: int = 0
    area_refused: int = 0
    """Requests to the mediators' area without a valid session, token or origin, refused."""
    area_let_through: int = 0


@pytest.fixture(scope="module")
def tally(figures: Figures) -> Iterator[Tally]:
    counts = Tally()
    yield counts
    figures.add("access", {
        "routes enumerated": len(counts.routes),
        "admin routes": sum(kind == ADMIN for kind, _, _ in counts.routes),
        "admin requests without the right token": counts.refused + counts.let_through,
        "refused (401, or 404 without the setting)": counts.refused,
        "let through": counts.let_through,
        "receipt codes guessed": counts.guesses,
        "receipts found by guessing": counts.found,
        "mediators' area routes": sum(kind in AREA_KINDS for kind, _, _ in counts.routes),
        "area requests without a session, its token, or from another site":
            counts.area_refused + counts.area_let_through,
        "refused (to the sign-in form, or 403)": counts.area_refused,
        "area requests let through": counts.area_let_through,
    })


# --- the router ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class KnownRoute:
    kind: str
    path: str
    methods: tuple[str, ...]
    """Sorted; empty for a mount (every method)."""


def classify(route: BaseRoute) -> KnownRoute | None:
    if isinstance(route, Route) and route.endpoint in ENDPOINT_KINDS:
        return KnownRoute(ENDPOINT_KINDS[route.endpoint], route.path,
                          tuple(sorted(route.methods or ())))
    if isinstance(route, Mount) and type(route.app) in MOUNT_KINDS:
        return KnownRoute(MOUNT_KINDS[type(route.app)], route.path or "/", ())
    return None


@dataclass
class InProcess:
    """The collector's app built as ``parole collect`` (or ``parole serve``) builds it."""

    app: Starlette
    routes: list[KnownRoute]
    unknown: list[BaseRoute]


@pytest.fixture
def in_process(example_site: Path, tmp_path: Path) -> Iterator[Callable[[bool, bool], InProcess]]:
    storages: list[Storage] = []

    def build(serve_site: bool, with_token: bool) -> InProcess:
        storage = open_storage(f"sqlite:///{tmp_path / f'answers-{len(storages)}.db'}")
        storages.append(storage)
        settings = Settings(site_dir=example_site, admin_token=ADMIN_TOKEN if with_token else None,
                            serve_site=serve_site, preview=serve_site, rate_limit=0)
        collector = Collector(settings, storage)
        collector.load_site()
        app = create_app(collector)
        known = [(route, classify(route)) for route in app.routes]
        return InProcess(app, [kind for _, kind in known if kind is not None],
                         [route for route, kind in known if kind is None])

    yield build
    for storage in storages:
        storage.close()


def asgi_request(app: Starlette, method: str, path: str,
                 headers: Mapping[str, str] | None = None, *,
                 client: str = "127.0.0.1", body: bytes = b"") -> Reply:
    """One request through the app's ASGI interface, in this process (no server), from the
    address ``client``, with ``body``."""
    sent: list[dict[str, Any]] = []
    requested = False
    done = asyncio.Event()

    async def receive() -> dict[str, Any]:
        # The body once; then, as a server does, "disconnect" once the response is sent
        # (a streaming response listens for it meanwhile).
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": body, "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            done.set()

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode("ascii"), "root_path": "",
        "query_string": b"", "client": (client, 40000), "server": ("127.0.0.1", 80),
        "headers": [(b"host", b"127.0.0.1")] + [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in (headers or {}).items()],
    }
    async def call() -> None:
        await app(scope, receive, send)  # type: ignore[arg-type]

    # in a thread of its own: Playwright's sync API (the browser tests of the same session)
    # keeps an event loop running in this one, where asyncio.run refuses to start another
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, call()).result()
    start = next(message for message in sent if message["type"] == "http.response.start")
    body = b"".join(message.get("body", b"") for message in sent
                    if message["type"] == "http.response.body")
    return Reply(start["status"], {name.decode("latin-1"): value.decode("latin-1")
                                   for name, value in start["headers"]}, body)


def admin_paths(routes: Sequence[KnownRoute]) -> list[tuple[str, str]]:
    """``(method, concrete path)`` for every admin route and method it answers."""
    paths = []
    for route in routes:
        if route.kind != ADMIN:
            continue
        examples = [route.path]
        for parameter, values in PATH_EXAMPLES.items():
            placeholder = "{" + parameter + "}"
            if any(placeholder in path for path in examples):
                examples = [path.replace(placeholder, value) for path in examples
                            for value in values]
        assert not any("{" in path for path in examples), (
            f"give {route.path}'s parameters an example value in PATH_EXAMPLES")
        paths += [(method, path) for path in examples for method in route.methods]
    return paths


@pytest.mark.parametrize(("serve_site", "with_token"), CONFIGURATIONS)
def test_every_route_is_known(serve_site: bool, with_token: bool,
                              in_process: Callable[[bool, bool], InProcess],
                              tally: Tally) -> None:
    built = in_process(serve_site, with_token)
    assert not built.unknown, (
        "routes this suite does not know: "
        f"{[getattr(route, 'path', route) for route in built.unknown]}. Classify the new route "
        "in ENDPOINT_KINDS or MOUNT_KINDS (tests/reliability/test_access.py), or for the "
        "mediators' area in AREA_ENDPOINTS (tests/reliability/access_area.py), and check who "
        "may reach it.")
    kinds = {route.kind for route in built.routes}
    assert {"answer", "receipt"} <= kinds, kinds
    assert (ADMIN in kinds) == with_token, f"admin routes {'missing' if with_token else 'present'}"
    assert ("site files" in kinds) == serve_site, kinds
    assert all(route.path.startswith("/admin/") for route in built.routes if route.kind == ADMIN)
    assert AREA_DOOR in kinds, kinds
    assert all(route.path.startswith(AREA) for route in built.routes if route.kind in AREA_KINDS)
    tally.routes |= {(route.kind, route.path, ",".join(route.methods)) for route in built.routes}


# --- the token ------------------------------------------------------------------------------------

def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def wrong_credentials(token: str) -> dict[str, dict[str, str]]:
    """Headers that must not open an admin route, by what they try."""
    last = "x" if token[-1] != "x" else "y"
    return {
        "no Authorization header": {},
        "an empty Authorization header": {"Authorization": ""},
        "a wrong token": {"Authorization": "Bearer " + "w" * len(token)},
        "the token but its last character": {"Authorization": f"Bearer {token[:-1]}{last}"},
        "the token without its last character": {"Authorization": f"Bearer {token[:-1]}"},
        "the token and one more character": {"Authorization": f"Bearer {token}x"},
        "the token in capitals": {"Authorization": f"Bearer {token.upper()}"},
        "Basic instead of Bearer": {"Authorization": f"Basic {token}"},
        "Basic, the token as password": {"Authorization": _basic("parole", token)},
        "the token without a scheme": {"Authorization": token},
        "Bearer without a token": {"Authorization": "Bearer"},
        "Bearer and spaces": {"Authorization": "Bearer     "},
        "the token in a cookie": {"Cookie": f"token={token}; PAROLE_ADMIN_TOKEN={token}"},
        "the token in another header": {"X-Admin-Token": token, "X-Api-Key": token},
    }


RIGHT = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def offered_token(headers: Mapping[str, str]) -> str | None:
    """The token a request offers with the Bearer scheme (what must reach the comparison)."""
    scheme, _, given = headers.get("Authorization", "").partition(" ")
    return given.strip() if scheme.lower() == "bearer" else None


@dataclass
class Answered:
    collector: RunningCollector
    site_dir: Path
    database_url: str
    receipt: str
    """As stored (no hyphen)."""
    key: str
    """The key in its link."""


@pytest.fixture(scope="module")
def answered(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Answered]:
    """A real collector with PAROLE_ADMIN_TOKEN set and one stored answer."""
    folder = tmp_path_factory.mktemp("access")
    url = f"sqlite:///{folder / 'answers.db'}"
    with running_collector(example_site, url, folder, args=["--rate-limit", "0"]) as up:
        stored = up.post(answer_with(example_site, MARKER))
        assert stored.status == 303, stored.text
        code, key = stored.headers["location"].rsplit("/", 2)[1:]
        yield Answered(up, example_site, url, code, key)


def answer_with(site_dir: Path, marker: str) -> list[tuple[str, str]]:
    kept = [pair for pair in VALID_ANSWER if pair[0] != "quartier"]
    return [*hidden_fields(site_dir), *kept, ("quartier", marker)]


def admin_routes_of(in_process: Callable[[bool, bool], InProcess]) -> list[tuple[str, str]]:
    return admin_paths(in_process(False, True).routes)


def exported_text(path: str, body: bytes) -> str:
    """An export's text: a CSV's or JSON's body, an xlsx workbook's cells."""
    if not path.endswith(".xlsx"):
        return body.decode("utf-8")
    workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join(str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True)
                     for cell in row if cell is not None)


def test_admin_routes_refuse_every_wrong_credential(
    answered: Answered, in_process: Callable[[bool, bool], InProcess], tally: Tally
) -> None:
    paths = admin_routes_of(in_process)
    assert paths, "no admin route enumerated"
    failures = []
    for route, (method, path) in enumerate(paths):
        for number, (what, headers) in enumerate(wrong_credentials(ADMIN_TOKEN).items()):
            # Each from its own address: wrong tokens count against the client, and past
            # ADMIN_MISS_LIMIT the answer is 429 (test_probe_http.py checks that).
            reply = send(answered.collector.port, method, path, headers=headers,
                         source=f"127.0.{route + 10}.{number + 1}")
            if reply.status == 401 and MARKER not in reply.body.decode("utf-8", "replace"):
                tally.refused += 1
                assert reply.headers.get("www-authenticate", "").startswith("Bearer"), reply
                continue
            tally.let_through += 1
            failures.append(f"{method} {path} with {what}: {reply.status}")
        right = answered.collector.request(method, path, headers=RIGHT)
        if right.status != 200:
            failures.append(f"{method} {path} with the right token: {right.status}, not 200")
        if method == "GET" and "export" in path and MARKER not in exported_text(path, right.body):
            failures.append(f"GET {path} with the right token does not hold the answer")
    assert not failures, "\n".join(failures)


def test_admin_routes_do_not_exist_without_the_token_setting(
    example_site: Path, tmp_path: Path, in_process: Callable[[bool, bool], InProcess],
    tally: Tally
) -> None:
    paths = admin_routes_of(in_process)
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    failures = []
    with running_collector(example_site, url, tmp_path,
                           env={"PAROLE_ADMIN_TOKEN": ""}) as up:
        for method, path in paths:
            for headers in ({}, RIGHT):
                reply = up.request(method, path, headers=headers)
                if reply.status == 404:
                    tally.refused += 1
                else:
                    tally.let_through += 1
                    failures.append(f"{method} {path} without the setting: {reply.status}")
    # parole serve: the admin paths fall through to the site's files, which have none.
    served = in_process(True, False)
    for method, path in paths:
        reply = asgi_request(served.app, method, path, RIGHT)
        if reply.status != 404:
            failures.append(f"parole serve, {method} {path} without the setting: {reply.status}")
    assert not failures, "\n".join(failures)


# --- constant time ------------------------------------------------------------------------------

REAL_COMPARE_DIGEST = hmac.compare_digest
"""Kept before any test patches it: the spy answers as this one does."""


class ComparisonSpy:
    """Stands in for ``compare_digest``: records each call, answers as the real one."""

    def __init__(self) -> None:
        self.calls: list[tuple[bytes | str, bytes | str]] = []

    def __call__(self, a: Any, b: Any) -> bool:
        self.calls.append((a, b))
        return REAL_COMPARE_DIGEST(a, b)


@pytest.mark.parametrize("serve_site", [False, True], ids=["collect", "serve"])
def test_every_offered_token_goes_through_compare_digest(
    serve_site: bool, in_process: Callable[[bool, bool], InProcess],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    built = in_process(serve_site, True)
    spy = ComparisonSpy()
    # Wherever the admin module might take it from: hmac, secrets, or its own import.
    monkeypatch.setattr("hmac.compare_digest", spy)
    monkeypatch.setattr("secrets.compare_digest", spy)
    if hasattr(admin, "compare_digest"):
        monkeypatch.setattr(admin, "compare_digest", spy)
    token = ADMIN_TOKEN.encode("utf-8")
    failures = []
    for route, (method, path) in enumerate(admin_paths(built.routes)):
        credentials = [*wrong_credentials(ADMIN_TOKEN).items(), ("the token", RIGHT)]
        for number, (what, headers) in enumerate(credentials):
            spy.calls.clear()
            # Each from its own address, below the limit of wrong tokens per client.
            reply = asgi_request(built.app, method, path, headers,
                                 client=f"127.0.{route + 10}.{number + 1}")
            expected = 200 if headers is RIGHT else 401
            if reply.status != expected:
                failures.append(f"{method} {path} with {what}: {reply.status}, not {expected}")
            offered = offered_token(headers)
            if not offered:
                continue
            compared = [sorted([_bytes(a), _bytes(b)]) for a, b in spy.calls]
            if sorted([offered.encode("utf-8"), token]) not in compared:
                failures.append(f"{method} {path} with {what}: the offered token was not "
                                f"compared with compare_digest (calls: {spy.calls})")
    assert not failures, "\n".join(failures)


def _bytes(value: bytes | str) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8")


SECRET_ATTRIBUTE = "admin_token"
TIMING_METHODS = frozenset({"startswith", "endswith", "find", "index", "count", "__eq__",
                            "__ne__", "__contains__"})


def secret_comparisons(source: str,
                       attributes: frozenset[str] = frozenset({SECRET_ATTRIBUTE})) -> list[str]:
    """Comparisons in ``source`` that could end early on a secret: ``==``, ``!=``, ``in``,
    ``<``… or ``startswith`` and the like, where one side comes from one of ``attributes``
    (``.admin_token`` by default; directly or through names assigned from it). ``is None``
    tests are fine."""
    tree = ast.parse(source)
    tainted: set[str] = set()

    def secret(node: ast.AST) -> bool:
        return any((isinstance(sub, ast.Attribute) and sub.attr in attributes)
                   or (isinstance(sub, ast.Name) and sub.id in tainted) for sub in ast.walk(node))

    grew = True
    while grew:  # names assigned from the secret, from those names, …
        grew = False
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.NamedExpr) and \
                    node.value is not None and secret(node.value):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for name in (sub for target in targets for sub in ast.walk(target)):
                    if isinstance(name, ast.Name) and name.id not in tainted:
                        tainted.add(name.id)
                        grew = True
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and not all(
                isinstance(op, ast.Is | ast.IsNot) for op in node.ops):
            if any(secret(side) for side in [node.left, *node.comparators]):
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in TIMING_METHODS and secret(node):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_the_secret_check_finds_what_it_must() -> None:
    leaky = ("token = collector.settings.admin_token\n"
             "if given == token: pass\n"
             "if collector.settings.admin_token.startswith(given): pass\n"
             "clean = token.encode()\n"
             "ok = given in clean\n")
    assert len(secret_comparisons(leaky)) == 3, secret_comparisons(leaky)
    safe = ("token = collector.settings.admin_token\n"
            "if token is None: pass\n"
            "hmac.compare_digest(given.encode(), token.encode())\n"
            "if scheme.lower() != 'bearer': pass\n")
    assert secret_comparisons(safe) == []


def test_no_code_compares_the_token_with_an_early_exit() -> None:
    sources = sorted((REPO / "site_builder").rglob("*.py"))
    mentions = [path for path in sources if SECRET_ATTRIBUTE in path.read_text("utf-8")]
    assert REPO / "site_builder" / "collector" / "admin.py" in mentions, mentions
    found = [f"{path.relative_to(REPO)} {finding}" for path in mentions
             for finding in secret_comparisons(path.read_text("utf-8"))]
    assert not found, "the admin token compared with an early exit:\n" + "\n".join(found)


AREA_SECRETS = frozenset({"csrf", "digest", "code_digest", "token_digest"})
"""What the mediators' area compares: CSRF tokens (``SignedIn.csrf``), and digests of codes
and session tokens (``MediatorCode.digest``, ``codes.digest(…)``)."""


def test_the_area_compares_codes_and_tokens_without_an_early_exit() -> None:
    leaky = ("if given == each.digest: pass\n"
             "ok = sent[0] == signed.csrf\n"
             "expected = codes.digest(typed)\n"
             "if expected.startswith(given): pass\n")
    assert len(secret_comparisons(leaky, AREA_SECRETS)) == 3, secret_comparisons(leaky,
                                                                                  AREA_SECRETS)
    sources = [*sorted((REPO / "site_builder" / "collector" / "entry").glob("*.py")),
               REPO / "site_builder" / "collector" / "mediator_commands.py"]
    found = [f"{path.relative_to(REPO)} {finding}" for path in sources
             for finding in secret_comparisons(path.read_text("utf-8"), AREA_SECRETS)]
    assert not found, "a code or token compared with an early exit:\n" + "\n".join(found)


def test_every_offered_code_and_token_goes_through_compare_digest(
    in_process: Callable[[bool, bool], InProcess], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every code typed is compared with every active mediator's, all of them (no early exit
    once one matched); every CSRF token sent with the session's."""
    built = in_process(False, True)
    storage = built.app.state.collector.storage
    right, other = codes.new_code(), codes.new_code()
    now = datetime.now(UTC)
    storage.add_mediator("Awa", "mediator", codes.digest(right), now)
    storage.add_mediator("Bruno", "coordinator", codes.digest(other), now)
    stored = [codes.digest(right), codes.digest(other)]
    spy = ComparisonSpy()
    monkeypatch.setattr("hmac.compare_digest", spy)
    monkeypatch.setattr("secrets.compare_digest", spy)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    offered = {"the first mediator's code, as typed": codes.format_code(right).lower(),
               "a wrong code": codes.new_code(), "the code but its last symbol": right[:-1],
               "no code at all": "bonjour"}
    failures = []
    cookie = ""
    for number, (what, typed) in enumerate(offered.items()):
        spy.calls.clear()
        reply = asgi_request(built.app, "POST", f"{AREA}/sign-in", form,
                             client=f"127.0.9.{number + 1}",
                             body=urlencode({"code": typed}).encode("ascii"))
        expected = 303 if typed == offered["the first mediator's code, as typed"] else 400
        if reply.status != expected:
            failures.append(f"{what}: {reply.status}, not {expected}")
        if reply.status == 303:
            cookie = reply.headers["set-cookie"].split(";")[0]
        given = codes.digest(codes.normalise_code(typed) or typed).encode("ascii")
        compared = [sorted([_bytes(a), _bytes(b)]) for a, b in spy.calls]
        missing = [digest for digest in stored
                   if sorted([given, digest.encode("ascii")]) not in compared]
        if missing:
            failures.append(f"{what}: not compared with {len(missing)} mediator(s)' digest "
                            "with compare_digest")
    home = asgi_request(built.app, "GET", f"{AREA}/", {"Cookie": cookie}, client="127.0.9.9")
    found = CSRF.search(home.body.decode("utf-8"))
    assert found, f"no CSRF token in the signed-in home ({home.status})"
    for token in ("0" * 64, found[1][:-1] + "x", found[1]):
        spy.calls.clear()
        reply = asgi_request(built.app, "POST", f"{AREA}/sign-out", {**form, "Cookie": cookie},
                             client="127.0.9.9",
                             body=urlencode({"_csrf": token}).encode("ascii"))
        if sorted([token.encode(), found[1].encode()]) not in \
                [sorted([_bytes(a), _bytes(b)]) for a, b in spy.calls]:
            failures.append(f"the CSRF token {token[:8]}… was not compared with compare_digest")
        if reply.status != (303 if token == found[1] else 403):
            failures.append(f"the CSRF token {token[:8]}…: {reply.status}")
    assert not failures, "\n".join(failures)


# --- the mediators' area -------------------------------------------------------------------------

@dataclass(frozen=True)
class AreaRoute:
    kind: str
    method: str
    path: str
    """With an example for each parameter (``access_area.AREA_PATH_EXAMPLES``)."""


def area_routes(in_process: Callable[[bool, bool], InProcess]) -> list[AreaRoute]:
    """Every route of the area by every method it answers."""
    routes = [AreaRoute(route.kind, method, concrete(route.path))
              for route in in_process(False, True).routes if route.kind in AREA_KINDS
              for method in route.methods]
    assert any(route.kind == AREA_SIGNED for route in routes), routes
    return routes


@dataclass
class AreaSite:
    collector: RunningCollector
    people: Mediators


@pytest.fixture(scope="module")
def area_site(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AreaSite]:
    """A real collector whose database has a mediator, a coordinator and a revoked mediator,
    each signed in (the revoked one before the revocation)."""
    folder = tmp_path_factory.mktemp("access-area")
    url = f"sqlite:///{folder / 'answers.db'}"
    with running_collector(example_site, url, folder, args=["--rate-limit", "0"]) as up:
        yield AreaSite(up, mediators_of(up, url))


def _judged(tally: Tally, refused: bool, failures: list[str], what: str) -> None:
    if refused:
        tally.area_refused += 1
    else:
        tally.area_let_through += 1
        failures.append(what)


def test_the_area_sends_visitors_without_a_valid_session_to_sign_in(
    area_site: AreaSite, in_process: Callable[[bool, bool], InProcess], tally: Tally
) -> None:
    people = area_site.people
    visitors = {"no session": people.nobody, "a made-up session": people.made_up,
                "a revoked code's session": people.revoked}
    failures: list[str] = []
    for route in area_routes(in_process):
        for what, visitor in visitors.items():
            posting = route.method not in ("GET", "HEAD")
            if route.kind == AREA_DOOR and posting:  # signing in: with the revoked code
                reply = visitor.send(route.method, route.path, [("code", people.revoked_code)])
                refused = reply.status == 400 and "set-cookie" not in reply.headers
            elif route.kind == AREA_DOOR and route.path == f"{AREA}/":  # the sign-in form
                reply = visitor.send(route.method, route.path)
                refused = reply.status == 200 and (route.method == "HEAD" or
                                                   f'action="{AREA}/sign-in"' in reply.text)
            else:
                reply = visitor.send(route.method, route.path,
                                     [("_csrf", visitor.csrf)] if posting else None)
                refused = sent_to_sign_in(reply)
            _judged(tally, refused and not shows_private(reply), failures,
                    f"{route.method} {route.path} with {what}: {reply.status}")
    assert not failures, "\n".join(failures)


def test_every_area_post_needs_its_session_csrf_token(
    area_site: AreaSite, in_process: Callable[[bool, bool], InProcess], tally: Tally
) -> None:
    people = area_site.people
    failures: list[str] = []
    posts = [route for route in area_routes(in_process)
             if route.kind != AREA_DOOR and route.method == "POST"]
    for route in posts:
        # the coordinator may use every route: a refusal is the token's
        own, other = people.coordinator, people.mediator
        for what, (path, pairs) in csrf_attempts(route.path, own.csrf, other.csrf).items():
            reply = own.send("POST", path, pairs)
            _judged(tally, reply.status == 403, failures,
                    f"POST {route.path} with {what}: {reply.status}")
        if route.kind == AREA_COORDINATOR:
            reply = other.send("POST", route.path, [("_csrf", other.csrf)])
            _judged(tally, reply.status == 403, failures,
                    f"POST {route.path}, a mediator's session and token: {reply.status}")
    assert not failures, "\n".join(failures)
    for visitor in (people.coordinator, people.mediator):  # their sessions still open
        assert shows_private(visitor.send("GET", f"{AREA}/"))


def test_the_language_a_mediator_chooses_opens_nothing(area_site: AreaSite,
                                                       tally: Tally) -> None:
    """The conversation's language in the assisted page's address and the paper version's in
    the batch form (issue #18) are read only once the session and its token are: without
    them, the same refusals as on every route of the area."""
    people = area_site.people
    assisted, new_batch = f"{AREA}/assisted/avis-place?language=ar", f"{AREA}/batches/new"
    failures: list[str] = []
    for what, visitor in {"no session": people.nobody, "a made-up session": people.made_up,
                          "a revoked code's session": people.revoked}.items():
        for method, path, pairs in (("GET", assisted, None),
                                    ("POST", new_batch, [("_csrf", visitor.csrf),
                                                         ("language", "ar")])):
            reply = visitor.send(method, path, pairs)
            _judged(tally, sent_to_sign_in(reply) and not shows_private(reply), failures,
                    f"{method} {path} with {what}: {reply.status}")
    own, other = people.mediator, people.coordinator
    for what, (path, pairs) in csrf_attempts(new_batch, own.csrf, other.csrf).items():
        reply = own.send("POST", path, [*pairs, ("language", "ar")])
        _judged(tally, reply.status == 403, failures,
                f"POST {new_batch} with a language and {what}: {reply.status}")
    assert not failures, "\n".join(failures)


ANOTHER_SITE = {
    "Sec-Fetch-Site: cross-site": {"Sec-Fetch-Site": "cross-site"},
    "another site's Origin": {"Origin": "https://evil.example"},
    "a sibling site's Sec-Fetch-Site (post)": {"Sec-Fetch-Site": "same-site"},
}


def test_the_area_refuses_a_session_used_from_another_site(
    area_site: AreaSite, in_process: Callable[[bool, bool], InProcess], tally: Tally
) -> None:
    """A stolen cookie, or a browser tricked by another site: the right cookie and token are
    refused when the browser says the request comes from elsewhere."""
    own: Visitor = area_site.people.coordinator
    failures: list[str] = []
    for route in area_routes(in_process):
        if route.kind == AREA_DOOR:
            continue
        posting = route.method == "POST"
        for what, headers in ANOTHER_SITE.items():
            if not posting and what != "Sec-Fetch-Site: cross-site":
                continue  # a page may be opened from a link of the consultation's site
            reply = own.send(route.method, route.path,
                             [("_csrf", own.csrf)] if posting else None, headers)
            _judged(tally, reply.status == 403 and not shows_private(reply), failures,
                    f"{route.method} {route.path} with {what}: {reply.status}")
    assert not failures, "\n".join(failures)
    assert shows_private(own.send("GET", f"{AREA}/"))


# --- receipts -----------------------------------------------------------------------------------

def spellings(code: str) -> dict[str, str]:
    """How a person may type ``code`` (as stored) and still find the receipt (docs)."""
    dashed = f"{code[:4]}-{code[4:]}"
    found = {"as stored": code, "with its hyphen": dashed, "in small letters": dashed.lower(),
             "with a space": f"{code[:4]}%20{code[4:]}"}
    if "0" in code:
        found["O for 0"] = code.replace("0", "O")
    if "1" in code:
        found["I and l for 1"] = code.replace("1", "I", 1).replace("1", "l")
    return found


def neighbours(code: str) -> list[str]:
    """Codes one symbol away from ``code``, and one symbol shorter or longer."""
    near = []
    for position, symbol in enumerate(code):
        other = ALPHABET[(ALPHABET.index(symbol) + 1) % len(ALPHABET)]
        near.append(code[:position] + other + code[position + 1:])
    return [*near, code[:-1], code + "0", code[1:] + code[0]]


REFUSED = (404, 429)
"""A lookup that finds nothing: 404, or 429 once failed lookups pass the shared limit."""


def test_a_receipt_is_found_by_its_link_with_the_code_in_every_spelling(
    answered: Answered
) -> None:
    shown = f"{answered.receipt[:4]}-{answered.receipt[4:]}"
    for what, typed in spellings(answered.receipt).items():
        reply = answered.collector.request("GET", f"/collect/{typed}/{answered.key}")
        assert reply.status == 200, f"the code {what} ({typed}): {reply.status}"
        assert shown in reply.text and MARKER in reply.text, f"the code {what}: not its receipt"
        assert reply.headers["cache-control"] == "private, no-store", reply.headers
        assert "noindex" in reply.headers["x-robots-tag"], reply.headers
        for name in ("preuve", "proof"):  # its proof in the journal, by the same link
            proof = answered.collector.request("GET", f"/collect/{typed}/{answered.key}/{name}")
            assert proof.status == 200, f"the code {what}'s {name}: {proof.status}"
            assert shown in proof.text and MARKER not in proof.text, f"{what}'s {name}"
            assert proof.headers["cache-control"] == "private, no-store", proof.headers
            assert "noindex" in proof.headers["x-robots-tag"], proof.headers
        alone = answered.collector.request("GET", f"/collect/{typed}")
        assert alone.status == 404, f"the code {what} alone: {alone.status}"
        assert MARKER not in alone.text and shown not in alone.text, f"the code {what} alone"


def test_a_neighbouring_code_or_key_finds_nothing(answered: Answered, tally: Tally) -> None:
    key = answered.key
    wrong_keys = [key[:-1], key + "A", key.swapcase(), key[1:] + key[0], "A" * 22]
    paths = [f"/collect/{near}/{key}" for near in neighbours(answered.receipt)] + [
        f"/collect/{answered.receipt}/{wrong}" for wrong in wrong_keys]
    paths += [f"{path}/preuve" for path in paths] + [f"/collect/{answered.receipt}/preuve"]
    for path in paths:
        reply = answered.collector.request("GET", path)
        tally.guesses += 1
        tally.found += reply.status not in REFUSED
        assert reply.status in REFUSED, f"{path}, next to {answered.receipt}: {reply.status}"
        assert MARKER not in reply.text


def test_guessed_codes_find_nothing(answered: Answered, scale: Scale, tally: Tally) -> None:
    guesses = scale.pick(300, 5000)
    found = []
    for number in range(guesses):
        code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        if code == answered.receipt:
            code = answered.receipt  # its link with a guessed key: must find nothing either
        # half the guesses are a code alone, half a code with a guessed key
        path = f"/collect/{code}" if number % 2 else f"/collect/{code}/{secrets.token_urlsafe(16)}"
        reply = answered.collector.request("GET", path)
        tally.guesses += 1
        if reply.status not in REFUSED or MARKER in reply.text:
            tally.found += 1
            found.append(f"{path}: {reply.status}")
    assert not found, f"guesses answered other than 404 or 429: {found}"


def final_reply(collector: RunningCollector, method: str, path: str) -> tuple[Reply, list[str]]:
    """The reply after Starlette's trailing-slash redirects (307 to the same path without
    it), and the paths it went through."""
    reply, visited = collector.request(method, path), [path]
    while reply.status in (307, 308) and len(visited) < 3:
        location = urlsplit(reply.headers["location"])
        assert location.hostname in (None, "127.0.0.1"), f"{path} redirects away: {location}"
        visited.append(location.path)
        reply = collector.request(method, location.path)
    return reply, visited


def test_there_is_no_listing_and_no_other_way_in(answered: Answered) -> None:
    attempts = [("GET", "/collect"), ("GET", "/collect/"), ("HEAD", "/collect/"),
                ("GET", "/collect//"), ("GET", "/collect/*"), ("GET", "/collect/%2A"),
                ("GET", "/collect/.."), ("GET", "/collect/%2e%2e/admin/stats"),
                ("GET", "/collect/" + "0" * 64), ("GET", f"/collect/{answered.receipt}%00"),
                ("POST", f"/collect/{answered.receipt}"),
                ("DELETE", f"/collect/{answered.receipt}"), ("GET", f"/collect/{answered.receipt}"),
                ("GET", f"/collect/{answered.receipt}/"),
                ("POST", f"/collect/{answered.receipt}/{answered.key}"),
                ("DELETE", f"/collect/{answered.receipt}/{answered.key}"),
                ("GET", f"/collect/{answered.receipt}/{answered.key}/more"),
                ("GET", f"/collect/{answered.receipt}/{answered.key[:-1]}"), ("GET", "/admin"),
                ("GET", "/admin/"), ("GET", "/admin/export/"), ("GET", "/admin/answers")]
    failures = []
    for method, path in attempts:
        reply, visited = final_reply(answered.collector, method, path)
        shows = answered.receipt in reply.text or MARKER in reply.text
        if reply.status not in (401, 404, 405, 429) or shows:
            failures.append(f"{method} {' → '.join(visited)}: {reply.status}"
                            f"{', shows the answer' * shows}")
    assert not failures, "\n".join(failures)


def test_a_purged_answer_has_no_receipt_any_more(answered: Answered) -> None:
    stored = answered.collector.post(answer_with(answered.site_dir, "à purger"))
    assert stored.status == 303, stored.text
    location = stored.headers["location"]
    code = location.rsplit("/", 2)[1]
    assert answered.collector.request("GET", location).status == 200
    # Its retention ends in the past: what `parole purge`, run daily, deletes.
    raw_sql(answered.database_url, "UPDATE answers SET expires_at = ? WHERE receipt = ?",
            ("2000-01-01T00:00:00.000000Z", code))
    done = subprocess.run([str(PAROLE), "purge", "--db", answered.database_url],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    after = answered.collector.request("GET", location)
    assert after.status in REFUSED, f"the purged answer's receipt: {after.status}"
    assert "à purger" not in after.text
    kept = answered.collector.request("GET", f"/collect/{answered.receipt}/{answered.key}")
    assert kept.status == 200


def csrf_attempts(path: str, own: str, other: str) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Every wrong way to send a session's CSRF token with a POST to ``path``, by what it is:
    the path to post to and the body's pairs (the session's own token is ``own``, another
    session's ``other``)."""
    bodies: dict[str, list[tuple[str, str]]] = {
        "no token": [], "an empty token": [("_csrf", "")],
        "a wrong token": [("_csrf", "0" * 64)],
        "another session's token": [("_csrf", other)],
        "the token in capitals": [("_csrf", own.upper())],
        "the token twice, once wrong": [("_csrf", own), ("_csrf", "0" * 64)]}
    attempts = {what: (path, pairs) for what, pairs in bodies.items()}
    attempts["the token as a query"] = (f"{path}?_csrf={own}", [])
    return attempts
