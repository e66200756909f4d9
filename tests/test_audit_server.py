"""The audit's server (``site_builder.audit.server``), a new set of routes given the access
suite's treatment: every kind of route with every method, only 127.0.0.1, and the hostile
paths (``..`` written and encoded, NUL, symbolic links out, absolute URLs, the reliability
suite's paths and HTTP framing) never serve anything outside the site folder."""

from __future__ import annotations

import http.client
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from site_builder.audit.server import serve
from tests.reliability.hostile_cases import RawRequest, framing, methods_and_paths
from tests.reliability.test_hostile import exchange

SECRET = "SECRET-OUTSIDE-THE-SITE"
"""Written in every file outside the site folder: no answer may ever hold it."""
NOT_FOUND = "<h1>Page introuvable</h1>"
RECEIPT = "<!doctype html><title>Reçu</title><h1>Votre réponse est enregistrée</h1>"
METHODS = ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "FOO")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small built site, with secrets beside it and symbolic links pointing at them."""
    root = tmp_path_factory.mktemp("served")
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    (root / "outside").mkdir()
    (root / "outside" / "index.html").write_text(SECRET, encoding="utf-8")
    site = root / "site"
    files = {
        "index.html": "<!doctype html><title>Accueil</title>",
        "faq/index.html": "<!doctype html><title>FAQ</title>",
        "404.html": f"<!doctype html><title>Introuvable</title>{NOT_FOUND}",
        "assets/parole.css": "body{color:#222}",
        "forms/avis.json": '{"id": "avis"}',
        "consultation-hors-ligne.html": "<!doctype html><title>Hors ligne</title>",
        "pictures/place.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "empty/readme.txt": "a folder without index.html",
        ".partial": SECRET,
        ".git/config": SECRET,
    }
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    (site / "escape").symlink_to(root / "outside")
    (site / "leak.txt").symlink_to(root / "secret.txt")
    (site / "inside.txt").symlink_to(site / "assets" / "parole.css")
    return site


@pytest.fixture(scope="module")
def port(site: Path) -> Iterator[int]:
    with serve(site, {"/collect/avis/receipt.html": RECEIPT}) as base_url:
        parts = urlsplit(base_url)
        assert parts.hostname == "127.0.0.1" and parts.path == "/", base_url
        assert parts.port is not None
        yield parts.port


def request(port: int, method: str, target: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return (response.status, {k.lower(): v for k, v in response.getheaders()},
                response.read())
    finally:
        connection.close()


def raw(port: int, target: str, method: str = "GET") -> tuple[int, bytes]:
    """A request sent byte for byte (no client tidies the target up)."""
    reply = exchange(port, [RawRequest(b"", method=method, target=target, headers=()).wire()])
    return reply.status, reply.body


# --- every route, every method -----------------------------------------------------------------

ROUTES = {
    "/": (200, "text/html; charset=utf-8", "<title>Accueil</title>"),
    "/index.html": (200, "text/html; charset=utf-8", "<title>Accueil</title>"),
    "/faq/": (200, "text/html; charset=utf-8", "<title>FAQ</title>"),
    "/faq/index.html": (200, "text/html; charset=utf-8", "<title>FAQ</title>"),
    "/consultation-hors-ligne.html": (200, "text/html; charset=utf-8", "Hors ligne"),
    "/assets/parole.css": (200, "text/css; charset=utf-8", "body{color:#222}"),
    "/forms/avis.json": (200, "application/json; charset=utf-8", '"avis"'),
    "/pictures/place.svg": (200, "image/svg+xml; charset=utf-8", "<svg"),
    "/inside.txt": (200, "text/plain; charset=utf-8", "body{color:#222}"),
    "/collect/avis/receipt.html": (200, "text/html; charset=utf-8", "Votre réponse"),
    "/faq/?x=1": (200, "text/html; charset=utf-8", "<title>FAQ</title>"),
    "/nowhere/": (404, "text/html; charset=utf-8", NOT_FOUND),
    "/nowhere.html": (404, "text/html; charset=utf-8", NOT_FOUND),
    "/empty/": (404, "text/html; charset=utf-8", NOT_FOUND),
    "/collect/avis/": (404, "text/html; charset=utf-8", NOT_FOUND),
    "/collect/avis/receipt.html/": (404, "text/html; charset=utf-8", NOT_FOUND),
}


@pytest.mark.parametrize("path", ROUTES)
def test_every_kind_of_route_answers_get_and_head(port: int, path: str) -> None:
    status, kind, content = ROUTES[path]
    got, headers, body = request(port, "GET", path)
    assert (got, headers["content-type"]) == (status, kind)
    assert content in body.decode("utf-8")
    assert headers["content-length"] == str(len(body))
    assert headers["x-content-type-options"] == "nosniff"
    head_status, head_headers, head_body = request(port, "HEAD", path)
    assert (head_status, head_body) == (status, b"")
    assert head_headers["content-length"] == headers["content-length"]


def test_a_folder_asked_without_its_slash_is_redirected_to_it(port: int) -> None:
    for method in ("GET", "HEAD"):
        status, headers, body = request(port, method, "/faq")
        assert (status, headers["location"], body) == (301, "/faq/", b"")


@pytest.mark.parametrize("path", [*ROUTES, "/faq", "/leak.txt", "/../secret.txt"])
@pytest.mark.parametrize("method", METHODS)
def test_every_other_method_is_refused_everywhere(port: int, path: str, method: str) -> None:
    if method == "CONNECT":  # http.client sends CONNECT only to a proxy: raw bytes instead
        status, body = raw(port, path, method)
        assert status == 405 and SECRET.encode() not in body
        return
    status, headers, body = request(port, method, path)
    assert (status, headers["allow"]) == (405, "GET, HEAD")
    assert SECRET.encode() not in body


# --- only 127.0.0.1 ----------------------------------------------------------------------------

@pytest.mark.parametrize("address", ["127.0.0.2", "::1"])
def test_it_listens_on_127_0_0_1_alone(port: int, address: str) -> None:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.settimeout(2)
        with pytest.raises(OSError):
            probe.connect((address, port))


def test_it_listens_on_no_other_address_of_the_machine(port: int) -> None:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None,
                                                                 socket.AF_INET)}
    except OSError:
        addresses = set()
    for address in addresses - {"127.0.0.1"}:
        with socket.socket() as probe, pytest.raises(OSError):
            probe.settimeout(2)
            probe.connect((address, port))


def test_each_run_takes_a_free_port_and_gives_it_back(site: Path) -> None:
    with serve(site, {}) as first, serve(site, {}) as second:
        assert first != second
        assert request(int(urlsplit(first).port or 0), "GET", "/")[0] == 200
    with socket.socket() as again:
        again.bind(("127.0.0.1", int(urlsplit(first).port or 0)))  # released


# --- hostile paths -----------------------------------------------------------------------------

HOSTILE = [
    "/../secret.txt", "/faq/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
    "/.%2e/secret.txt", "/%2e./secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt",
    "/faq/%2e%2e/%2e%2e/secret.txt", "/..%5csecret.txt", "/%5c..%5csecret.txt",
    "/faq\\..\\..\\secret.txt", "/%252e%252e/secret.txt", "/%c0%ae%c0%ae/secret.txt",
    "/%C0%AE%C0%AE/secret.txt", "/%e0%80%ae%e0%80%ae/secret.txt", "/./index.html",
    "/faq/./", "/escape/", "/escape/index.html", "/escape", "/leak.txt", "/%6ceak.txt",
    "/.partial", "/%2epartial", "/.git/config", "/.git/", "/index.html%00", "/%00",
    "/index.html%00.txt", "/faq/%00/", "/%0d%0aX-Injected:%20yes", "/%ff", "/%fe%ff",
    "//secret.txt", "//etc/passwd", "/etc/passwd", "/proc/self/environ",
    "http://evil.example/index.html", "http://127.0.0.1/../secret.txt", "*", "secret.txt",
    "/faq//", "/empty", "/empty/readme.txt/..",
]


def _secret_path(site: Path) -> str:
    return str(site.parent / "secret.txt")


@pytest.mark.parametrize("target", HOSTILE)
def test_no_hostile_path_reaches_outside_the_site(port: int, target: str) -> None:
    for method in ("GET", "HEAD"):
        status, body = raw(port, target, method)
        assert status in (301, 400, 404), (target, status)
        assert SECRET.encode() not in body, target


def test_the_absolute_path_of_a_secret_is_not_found(port: int, site: Path) -> None:
    for target in (_secret_path(site), "/" + _secret_path(site), os.fspath(site / "index.html")):
        status, body = raw(port, target if target.startswith("/") else "/" + target)
        assert status in (400, 404) and SECRET.encode() not in body


def test_a_redirect_never_leaves_the_site(port: int) -> None:
    """The one redirect (a folder without its slash) points at the same path on this server."""
    for target in ("/faq", "/assets"):
        status, headers, _body = request(port, "GET", target)
        assert status == 301 and headers["location"] == f"{target}/"


def test_a_folder_is_never_listed(port: int) -> None:
    for target in ("/assets/", "/pictures/", "/empty/", "/forms/"):
        status, body = raw(port, target)
        assert status == 404 and b"parole.css" not in body and b"avis.json" not in body


CORPUS = [case.request for case in methods_and_paths("v") + framing("v")]
"""The reliability suite's requests at the collector (every method, paths that are not the
forms' address, smuggling-style framing), sent to the audit's server as they are."""


@pytest.mark.parametrize("sent", CORPUS, ids=[f"{r.method} {r.target}"[:60] for r in CORPUS])
def test_the_reliability_corpus_gets_nothing_from_outside(port: int, sent: RawRequest) -> None:
    reply = exchange(port, [sent.wire()])
    assert reply.status in (400, 404, 405), (sent, reply.status)
    assert SECRET.encode() not in reply.body


def test_the_server_still_answers_after_the_hostile_corpus(port: int) -> None:
    for target in HOSTILE:
        raw(port, target)
    assert request(port, "GET", "/")[0] == 200


def test_the_prefix_of_a_site_published_under_a_path_serves_the_same_files(site: Path) -> None:
    with serve(site, {}, prefix="/consultation/") as base_url:
        served = int(urlsplit(base_url).port or 0)
        for path in ("/faq/", "/consultation/faq/", "/consultation/assets/parole.css"):
            assert request(served, "GET", path)[0] == 200, path
        for target in ("/consultation/../secret.txt", "/consultation/%2e%2e/secret.txt",
                       "/consultation/escape/", "/consultation/.partial"):
            status, body = raw(served, target)
            assert status in (400, 404) and SECRET.encode() not in body, target
