"""Behind a real front server (issue #5, point 8): the shipped ``deploy/nginx.conf``, run by
Debian's nginx in front of a real ``parole collect`` on the example consultation.

It proves that the configuration an organizer's IT person copies works as its comments say:
nginx accepts it (``nginx -t``); pages go out as their precompressed ``.gz`` to browsers that
accept gzip and plain to the others, the site's 404 page included; an answer posted through
nginx gets its receipt, and the receipt page works; a body over the collector's 64 KB limit
gets the collector's own, accessible 413 page, while a body far bigger is refused by nginx
before the collector sees it; slow clients are cut off by nginx's timeouts; the collector tells
clients apart by the address nginx passes (its rate limit counts each separately, and a client
cannot pick another address by writing its own X-Forwarded-For). HTTPS and the rate limits
nginx shares between collectors are in test_probe_nginx.py. The systemd units shipped
beside it are checked too: systemd accepts them, and they call parole with real options and the
port and site folder the nginx configuration expects.

The short run shortens the client timeouts to 1 s (after checking the shipped ones are present
and sane); the full run keeps the shipped values, so the figure it publishes is real.
"""

from __future__ import annotations

import contextlib
import gzip
import re
import shlex
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

from site_builder.cli import _parser
from site_builder.collector.server import KEEP_ALIVE_SECONDS
from tests.collector_support import (
    PAROLE,
    VALID_ANSWER,
    RunningCollector,
    hidden_fields,
    running_collector,
)
from tests.reliability.figures import Figures, Scale
from tests.reliability.nginx_support import (
    SHIPPED_CONFIG,
    TIMEOUTS,
    RunningNginx,
    debian_main_config,
    nginx_command,
    nginx_version,
    running_nginx,
    shipped_timeouts,
    write_config,
)
from tests.storage_support import raw_sql
from tests.support import REPO, free_port

RATE_LIMIT = 2
"""Answers per minute per client for this module's collector: small, so that the rate limit
shows whether the collector tells clients apart."""
SHORT_TIMEOUT = 1
"""Seconds, for the client header and body timeouts in the short run."""
COLLECTOR_LIMIT = 64 * 1024
FORM_BODY = {"Content-Type": "application/x-www-form-urlencoded"}
PAGES = ("/", "/donner-mon-avis/", "/faq/", "/consultation-hors-ligne.html")
UNITS = REPO / "deploy"


@dataclass
class Front:
    site: Path
    database: str
    collector: RunningCollector
    nginx: RunningNginx
    client_timeout: int
    """The header and body timeouts nginx runs with, in seconds."""
    row: dict[str, int | float | str] = field(default_factory=dict)
    """This module's figures, filled by the tests."""

    def post(self, pairs: list[tuple[str, str]], *, client: str,
             headers: dict[str, str] | None = None) -> tuple[int, str]:
        reply = self.nginx.request("POST", "/collect", urlencode(pairs).encode(),
                                   {**FORM_BODY, **(headers or {})}, source=client)
        return reply.status, reply.headers.get("location", "")

    def answer(self, text: str) -> list[tuple[str, str]]:
        """A complete answer whose free text is ``text`` (distinct answers: no duplicates)."""
        return [*hidden_fields(self.site),
                *[(name, text if name == "idee" else value) for name, value in VALID_ANSWER]]

    def stored(self) -> int:
        return int(raw_sql(self.database, "SELECT count(*) FROM answers")[0][0])


@pytest.fixture(scope="module")
def front(example_site: Path, tmp_path_factory: pytest.TempPathFactory, scale: Scale,
          figures: Figures) -> Iterator[Front]:
    folder = tmp_path_factory.mktemp("nginx")
    database = f"sqlite:///{folder / 'answers.db'}"
    shipped = shipped_timeouts(_shipped())
    timeout = scale.pick(SHORT_TIMEOUT, max(shipped["client_header_timeout"],
                                            shipped["client_body_timeout"]))
    timeouts = scale.pick({"client_header_timeout": SHORT_TIMEOUT,
                           "client_body_timeout": SHORT_TIMEOUT}, None)
    with (running_collector(example_site, database, folder,
                            args=["--rate-limit", str(RATE_LIMIT)]) as collector,
          running_nginx(example_site, collector.port, folder / "nginx",
                        timeouts=timeouts) as nginx):
        front = Front(example_site, database, collector, nginx, timeout,
                      {"nginx": nginx_version(), "checks passed": 0})
        yield front
    figures.add("nginx", front.row)


def _passed(front: Front) -> None:
    front.row["checks passed"] = int(front.row["checks passed"]) + 1


def _shipped() -> str:
    return SHIPPED_CONFIG.read_text(encoding="utf-8")


# -- the configuration ---------------------------------------------------------------------------

@pytest.mark.parametrize("main", ["the tests' own", "Debian's"])
def test_nginx_accepts_the_shipped_configuration(front: Front, tmp_path: Path, main: str) -> None:
    config = write_config(tmp_path, port=free_port(), site_dir=front.site,
                          collector_port=front.collector.port)
    if main == "Debian's":  # where the IT person's copy will really be included
        config.write_text(debian_main_config(tmp_path, tmp_path / "parole.conf"))
    result = subprocess.run(nginx_command(tmp_path, config, "-t"), capture_output=True,
                            text=True, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"nginx -t refused deploy/nginx.conf in {main}:\n{output}"
    assert "test is successful" in output, output
    assert not re.search(r"\[(warn|emerg|alert|crit)\]", output), f"nginx -t warned:\n{output}"
    _passed(front)


def test_the_shipped_timeouts_are_present_and_sane(front: Front) -> None:
    timeouts = shipped_timeouts(_shipped())
    assert set(timeouts) == set(TIMEOUTS), f"deploy/nginx.conf sets {timeouts}, expected {TIMEOUTS}"
    # Long enough for a phone on 2G (a packet every second or so), short enough that a stalled
    # client does not hold a connection for minutes.
    insane = {name: seconds for name, seconds in timeouts.items() if not 5 <= seconds <= 60}
    assert insane == {}, f"timeouts outside 5-60 s in deploy/nginx.conf: {insane}"
    assert f"client_body_timeout {front.client_timeout}s;" in front.nginx.config_text
    front.row["client timeouts (s)"] = front.client_timeout
    _passed(front)


def test_nginx_drops_idle_collector_connections_before_the_collector_does() -> None:
    # Were the collector to close an idle connection as nginx reuses it for a post, nginx
    # could not retry the post (not idempotent) and would answer 502.
    upstream = re.search(r"upstream parole_collector \{(.*?)\}", _shipped(), re.S)
    assert upstream, "deploy/nginx.conf has no upstream parole_collector"
    idle = re.search(r"keepalive_timeout (\d+)s;", upstream.group(1))
    assert idle, "the upstream sets no keepalive_timeout (nginx's default is 60 s)"
    assert int(idle.group(1)) < KEEP_ALIVE_SECONDS, (
        f"nginx keeps idle connections to the collector {idle.group(1)} s, the collector "
        f"{KEEP_ALIVE_SECONDS} s: nginx's must be shorter")


# -- the static site -----------------------------------------------------------------------------

def test_pages_go_out_precompressed_when_asked_and_plain_otherwise(front: Front) -> None:
    for path in PAGES:
        file = front.site / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
        compressed = front.nginx.request("GET", path, headers={"Accept-Encoding": "gzip"})
        plain = front.nginx.request("GET", path)

        assert compressed.status == plain.status == 200, (path, compressed.status, plain.status)
        assert compressed.headers.get("content-encoding") == "gzip", (path, compressed.headers)
        # Byte for byte the build's .gz: served as it is, not compressed again on the fly.
        assert compressed.body == file.with_name(file.name + ".gz").read_bytes(), path
        assert "content-encoding" not in plain.headers, (path, plain.headers)
        assert plain.body == file.read_bytes(), path
        for reply in (compressed, plain):
            assert reply.headers.get("vary") == "Accept-Encoding", (path, reply.headers)
            assert reply.headers.get("cache-control") == "max-age=300", (path, reply.headers)
            assert "last-modified" in reply.headers, (path, reply.headers)
            assert reply.headers.get("x-content-type-options") == "nosniff", path
    front.row["pages served from .gz"] = len(PAGES)
    _passed(front)


def test_unknown_addresses_get_the_sites_404_page(front: Front) -> None:
    plain = front.nginx.request("GET", "/cette-page-n-existe-pas/")
    compressed = front.nginx.request("GET", "/nulle-part.html",
                                     headers={"Accept-Encoding": "gzip"})
    assert plain.status == compressed.status == 404
    assert plain.body == (front.site / "404.html").read_bytes()
    assert compressed.body == (front.site / "404.html.gz").read_bytes()
    _passed(front)


# -- answers -------------------------------------------------------------------------------------

def test_an_answer_through_nginx_gets_its_receipt(front: Front) -> None:
    before = front.stored()
    # Browsers send the page's origin with a post: nginx must pass the Host with its port for
    # the collector to recognise its own site.
    origin = {"Origin": f"http://127.0.0.1:{front.nginx.port}"}
    status, location = front.post(front.answer("Par nginx."), client="127.0.0.2", headers=origin)
    assert status == 303, f"an answer through nginx got {status}, expected 303"
    assert re.fullmatch(r"/collect/[0-9A-Z]{8}/[A-Za-z0-9_-]{22}", location), location
    assert front.stored() == before + 1

    receipt = front.nginx.request("GET", location, source="127.0.0.2")
    code = location.rsplit("/", 2)[1]
    assert receipt.status == 200, f"the receipt page through nginx: {receipt.status}"
    assert f"{code[:4]}-{code[4:]}" in receipt.text, "the receipt page does not show its code"
    assert receipt.headers.get("cache-control") == "private, no-store", receipt.headers
    assert "content-security-policy" in receipt.headers, receipt.headers
    # The collector's pages are compressed by nginx on the fly.
    compressed = front.nginx.request("GET", location, headers={"Accept-Encoding": "gzip"},
                                     source="127.0.0.2")
    assert compressed.headers.get("content-encoding") == "gzip", compressed.headers
    assert gzip.decompress(compressed.body) == receipt.body

    foreign = {"Origin": "https://ailleurs.example"}
    status, _ = front.post(front.answer("D'ailleurs."), client="127.0.0.2", headers=foreign)
    assert status == 403, f"a post from another site through nginx got {status}, expected 403"
    front.row["answers through nginx"] = int(front.row.get("answers through nginx", 0)) + 1
    _passed(front)


def test_a_body_over_the_collectors_limit_gets_its_accessible_413(front: Front) -> None:
    answer = front.answer("x" * (COLLECTOR_LIMIT + 1000))
    reply = front.nginx.request("POST", "/collect", urlencode(answer).encode(), FORM_BODY,
                                source="127.0.0.3")
    assert reply.status == 413, f"a {COLLECTOR_LIMIT // 1024} KB+ body got {reply.status}"
    # The collector's page: in the site's language and layout, saying what to do.
    assert '<html lang="fr"' in reply.text, reply.text[:300]
    assert "Votre réponse est trop longue" in reply.text, reply.text[:300]
    _passed(front)


def test_a_body_far_over_nginxs_limit_never_reaches_the_collector(front: Front) -> None:
    log_before = front.collector.log()
    body = b"idee=" + b"x" * (2 * 1024 * 1024)
    reply = _post_raw(front.nginx.port, body, source="127.0.0.3")
    assert reply.startswith(b"HTTP/1.1 413 "), reply[:200]
    assert b"<center>nginx</center>" in reply, f"not nginx's own page: {reply[:300]!r}"
    assert front.collector.log() == log_before, "the collector saw the 2 MB body"
    _passed(front)


def _post_raw(port: int, body: bytes, *, source: str) -> bytes:
    """POST ``body`` whole, however early the server answers; the response's bytes."""
    with socket.create_connection(("127.0.0.1", port), timeout=30,
                                  source_address=(source, 0)) as connection:
        connection.sendall(b"POST /collect HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                           b"Content-Type: application/x-www-form-urlencoded\r\n"
                           b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        # Refused before the end, the answer is already waiting: read it anyway.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.sendall(body)
        return _read_all(connection)


def _read_all(connection: socket.socket) -> bytes:
    chunks = []
    while chunk := connection.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_the_collector_tells_clients_apart_by_the_address_nginx_passes(front: Front) -> None:
    # Were the collector to see nginx's own address, every client would share one limit.
    first, second = "127.0.0.4", "127.0.0.5"
    statuses = [front.post(front.answer(f"Réponse {n}"), client=first)[0] for n in range(3)]
    assert statuses == [303] * RATE_LIMIT + [429], (
        f"{RATE_LIMIT + 1} answers in a minute from one client got {statuses}, "
        f"expected {RATE_LIMIT} receipts then 429")
    other, _ = front.post(front.answer("Une autre personne"), client=second)
    assert other == 303, f"another client, under the limit, got {other}: limited together"
    # nginx writes the address it sees, whatever the client claims.
    forged, _ = front.post(front.answer("Déguisé"), client=first,
                           headers={"X-Forwarded-For": "127.0.0.99"})
    assert forged == 429, f"a client naming another address in X-Forwarded-For got {forged}"
    front.row["answers through nginx"] = (int(front.row.get("answers through nginx", 0))
                                          + RATE_LIMIT + 1)
    _passed(front)


# -- slow clients --------------------------------------------------------------------------------

def test_slow_clients_are_cut_off_by_nginx(front: Front) -> None:
    log_before = front.collector.log()
    with ThreadPoolExecutor(max_workers=2) as pool:
        headers = pool.submit(_cut_after_slow_headers, front)
        body = pool.submit(_cut_after_stalled_body, front)
        header_seconds, body_seconds = headers.result(), body.result()
    assert front.collector.log() == log_before, "a slow client's request reached the collector"
    front.row["slow headers cut after (s)"] = round(header_seconds, 1)
    front.row["stalled body cut after (s)"] = round(body_seconds, 1)
    _passed(front)


def _cut_after_slow_headers(front: Front) -> float:
    """Send a request's headers a byte every ``timeout / 4`` seconds, never finishing: nginx
    must close the connection (client_header_timeout counts for the whole header). Returns
    the seconds from the first byte to the close."""
    trickle = iter(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: s\r\n" * 10_000)
    with socket.create_connection(("127.0.0.1", front.nginx.port),
                                  source_address=("127.0.0.6", 0)) as connection:
        start = time.monotonic()
        # A generous bound, not a speed test: were nginx not to cut, this fails.
        while time.monotonic() < start + front.client_timeout + 30:
            try:
                connection.sendall(bytes([next(trickle)]))
            except (BrokenPipeError, ConnectionResetError):
                return time.monotonic() - start
            if _closed_within(connection, front.client_timeout / 4):
                return time.monotonic() - start
    pytest.fail(f"nginx still read slow headers after {front.client_timeout + 30} s; expected "
                f"it to close the connection after {front.client_timeout} s")


def _cut_after_stalled_body(front: Front) -> float:
    """Send complete headers and the start of a body, then nothing: nginx must close the
    connection after client_body_timeout. Returns the seconds from the last byte sent."""
    with socket.create_connection(("127.0.0.1", front.nginx.port),
                                  source_address=("127.0.0.7", 0)) as connection:
        connection.sendall(b"POST /collect HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           b"Content-Type: application/x-www-form-urlencoded\r\n"
                           b"Content-Length: 1000\r\n\r\n_form=avis")
        start = time.monotonic()
        # A generous bound, not a speed test: were nginx not to cut, this fails.
        assert _closed_within(connection, front.client_timeout + 30), (
            f"nginx kept a stalled upload open over {front.client_timeout + 30} s")
        return time.monotonic() - start


def _closed_within(connection: socket.socket, seconds: float) -> bool:
    """Whether the server closes the connection within ``seconds`` (whatever it sent first:
    nginx may answer 408, or just close)."""
    connection.settimeout(seconds)
    try:
        while connection.recv(4096):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True
    return True


# -- the systemd units ---------------------------------------------------------------------------

def test_the_systemd_units_are_valid_and_match_nginx(front: Front, tmp_path: Path) -> None:
    venv_parole = "/opt/parole/venv/bin/parole"
    units = sorted(UNITS.glob("parole-*"))
    assert [unit.name for unit in units] == [
        "parole-collect.service", "parole-purge.service", "parole-purge.timer"]
    for unit in units:
        text = unit.read_text(encoding="utf-8")
        # systemd checks that the command exists: point it at this checkout's parole.
        (tmp_path / unit.name).write_text(text.replace(venv_parole, str(PAROLE)))
    verify = shutil.which("systemd-analyze")
    if verify:  # absent on machines without systemd: the checks below still run
        result = subprocess.run([verify, "verify", *sorted(tmp_path.iterdir())],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0 and result.stderr == "", (
            f"systemd-analyze verify: {result.returncode}\n{result.stdout}{result.stderr}")
    front.row["systemd units verified"] = "yes" if verify else "no systemd-analyze"

    collect = _exec_start(UNITS / "parole-collect.service")
    purge = _exec_start(UNITS / "parole-purge.service")
    assert collect[0] == purge[0] == venv_parole
    options = _parser().parse_args(collect[1:])  # exits (fails the test) on an unknown option
    assert options.command == "collect" and options.host == "127.0.0.1"
    assert f"server 127.0.0.1:{options.port};" in _shipped(), (
        f"the unit's --port {options.port} is not the collector nginx passes answers to")
    assert f"root {options.site};" in _shipped(), (
        f"the unit's --site {options.site} is not the root nginx serves")
    assert _parser().parse_args(purge[1:]).db == options.db, "purge and collect: other databases"
    _passed(front)


def _exec_start(unit: Path) -> list[str]:
    match = re.search(r"^ExecStart=(.+)$", unit.read_text(encoding="utf-8"), re.M)
    assert match, f"{unit.name} has no ExecStart"
    return shlex.split(match.group(1))

