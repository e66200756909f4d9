"""Probed from outside (issue #13, "smaller doors"): each finding of the probe reproduced
against real processes, as the prober did it, and what happens now recorded as a row of the
``probe`` table of docs/RELIABILITY.md.

- Without nginx, idle, slow and stalled connections were never dropped, and running out of file
  descriptors wrote tens of thousands of tracebacks a second: ``parole collect`` now drops them
  on deadlines like nginx's, answers 503 past its connection limit, and says once that it is
  out of files (a collector started with a low ``RLIMIT_NOFILE``).
- Wrong admin tokens were free to try: they now count against the client, and past the limit
  even the right token waits.
- Control characters reached the database, the CSV export and the organizer's terminal; a
  robot filling the honeypot had 60 000 characters stored in quarantine.
- ``parole serve`` left its build folder behind after SIGTERM.

nginx's own findings (HSTS, the rate limit shared by several collectors) are in test_nginx.py.
"""

from __future__ import annotations

import os
import resource
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from site_builder.collector.server import BODY_SECONDS, HEAD_SECONDS, KEEP_ALIVE_SECONDS
from site_builder.collector.settings import ADMIN_MISS_LIMIT
from site_builder.storage import open_storage
from tests.collector_support import (
    ADMIN_TOKEN,
    OPEN_DAY,
    PAROLE,
    VALID_ANSWER,
    RunningCollector,
    hidden_fields,
    running_collector,
)
from tests.reliability.figures import Figures, Scale
from tests.reliability.nginx_support import send
from tests.support import REPO, free_port, stop_process, wait_for_port

MARGIN = 5.0
"""Seconds a deadline may be late by on a busy machine; a deadline never met fails anyway."""
FILE_LIMIT = 64
"""RLIMIT_NOFILE of the collector that runs out of files: its connection limit is half."""
FORM_BODY = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def collector(example_site: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[RunningCollector]:
    folder = tmp_path_factory.mktemp("probe")
    with running_collector(example_site, f"sqlite:///{folder / 'answers.db'}", folder,
                           args=["--rate-limit", "0"]) as up:
        yield up


def _seconds_until_closed(port: int, start: bytes = b"", trickle: bytes = b"",
                          every: float = 1.0) -> float:
    """Connect, send ``start``, then a byte of ``trickle`` every ``every`` seconds; the seconds
    from the last full send (``start``) until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        connection.sendall(start)
        began = time.monotonic()
        remaining = iter(trickle)
        connection.settimeout(every if trickle else 60)
        while time.monotonic() < began + 60:
            try:
                if not connection.recv(4096):
                    return time.monotonic() - began
            except TimeoutError:
                byte = next(remaining, None)
                if byte is not None:
                    try:
                        connection.sendall(bytes([byte]))
                    except (BrokenPipeError, ConnectionResetError):
                        return time.monotonic() - began
            except ConnectionResetError:
                return time.monotonic() - began
    pytest.fail("the collector kept the connection over 60 s")


def test_idle_slow_and_stalled_connections_are_dropped_without_nginx(
    collector: RunningCollector, figures: Figures
) -> None:
    port = collector.port
    head = b"POST /collect HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    probes = {
        "idle": lambda: _seconds_until_closed(port),
        "slow headers": lambda: _seconds_until_closed(
            port, b"G", b"ET / HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: s\r\n" * 100, every=0.5),
        "stalled body": lambda: _seconds_until_closed(
            port, head + FORM_BODY_HEADER + b"Content-Length: 1000\r\n\r\n_form=avis"),
        "idle after an answer": lambda: _seconds_until_closed(
            port, b"GET /collect/ZZZZZZZZ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
    }
    seconds: dict[str, float] = {}
    threads = [threading.Thread(target=lambda name=name, probe=probe: seconds.__setitem__(
        name, probe())) for name, probe in probes.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = {"idle": HEAD_SECONDS, "slow headers": HEAD_SECONDS,
                "stalled body": BODY_SECONDS, "idle after an answer": KEEP_ALIVE_SECONDS}
    for name, deadline in expected.items():
        assert name in seconds, f"the {name} probe failed"
        assert deadline - 1 <= seconds[name] <= deadline + MARGIN, (
            f"{name}: closed after {seconds[name]:.1f} s, expected {deadline} s")
    assert collector.request("GET", "/collect/ZZZZZZZZ").status == 404, "still serving"
    figures.add("probe", {
        "finding": "slow and idle connections without nginx",
        "probe": "connections to parole collect that send nothing, send headers a byte every "
                 "half second, or stop in the middle of a body",
        "result": ", ".join(f"{name} closed after {seconds[name]:.0f} s"
                            for name in expected),
    })


FORM_BODY_HEADER = b"Content-Type: application/x-www-form-urlencoded\r\n"


def test_running_out_of_files_is_said_once_and_the_collector_goes_on(
    example_site: Path, tmp_path: Path, scale: Scale, figures: Figures,
) -> None:
    port = free_port()
    log_path = tmp_path / "collector.log"
    environment = {**os.environ, "PAROLE_BUILD_DATE": OPEN_DAY,
                   "PAROLE_SECRET_FILE": str(tmp_path / "secret")}
    environment.pop("PAROLE_ADMIN_TOKEN", None)
    flood = scale.pick(100, 2000)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(PAROLE), "collect", "--site", str(example_site), "--db",
             f"sqlite:///{tmp_path / 'answers.db'}", "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT, env=environment)
    # Lowered from outside, as `prlimit` would, while Python starts: what counts is the
    # limit once it listens.
    resource.prlimit(process.pid, resource.RLIMIT_NOFILE, (FILE_LIMIT, FILE_LIMIT))
    connections: list[socket.socket] = []
    try:
        wait_for_port(port, process, "parole collect", log_path.read_text)
        # Past its connection limit (half its files), a request gets 503 at once, not a wait.
        for _ in range(FILE_LIMIT // 2):
            connections.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        time.sleep(0.5)
        assert send(port, "GET", "/collect/ZZZZZZZZ").status == 503
        # Then more connections than it has files: the kernel queues them, accept() fails.
        started = time.monotonic()
        for _ in range(flood):
            connections.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        time.sleep(2)
        flooded = time.monotonic() - started
        for connection in connections:
            connection.close()
        connections.clear()
        closed = time.monotonic()
        # asyncio tries to accept again every second, and the queued connections (closed by
        # now) come first: a few seconds for the collector to be through them.
        status = _first_status(port, within=30)
        recovered = time.monotonic() - closed
    finally:
        for connection in connections:
            connection.close()
        stop_process(process)
    log_text = log_path.read_text(encoding="utf-8", errors="replace")
    # The example site is French, and so is its collector's log (issue #14).
    said = log_text.count("Le collecteur n'a plus de descripteurs de fichiers")
    assert said == 1, f"said {said} times:\n{log_text[-3000:]}"
    assert "Traceback" not in log_text, log_text[-3000:]
    assert "Pour corriger : placez nginx devant" in log_text and "LimitNOFILE=" in log_text
    assert status == 404, f"once connections closed, a request got {status}"
    figures.add("probe", {
        "finding": "too many open files",
        "probe": f"{flood + FILE_LIMIT // 2} connections in {flooded:.0f} s to a collector "
                 f"allowed {FILE_LIMIT} files",
        "result": f"503 past {FILE_LIMIT // 2} connections; one log line saying what to do "
                  f"({len(log_text.splitlines())} lines in all, no traceback); requests "
                  f"served again {recovered:.0f} s after the connections closed",
    })


def _first_status(port: int, *, within: float) -> int:
    """The status of the first request the collector on ``port`` serves within ``within``
    seconds, trying every 0.3 s: a connection still waiting to be accepted times out, and 503
    (still over its connection limit) means not yet."""
    deadline = time.monotonic() + within
    status = 0
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
                connection.sendall(b"GET /collect/ZZZZZZZZ HTTP/1.1\r\nHost: x\r\n\r\n")
                status = int(connection.recv(64).split(b" ")[1])
        except (OSError, IndexError, ValueError):
            pass
        if status not in (0, 503):
            return status
        time.sleep(0.3)
    pytest.fail(f"the collector served no request within {within} s (last status {status})")


def test_wrong_admin_tokens_count_against_the_client(
    collector: RunningCollector, figures: Figures
) -> None:
    def stats(token: str, client: str) -> tuple[int, str | None]:
        reply = send(collector.port, "GET", "/admin/stats",
                     headers={"Authorization": f"Bearer {token}"}, source=client)
        return reply.status, reply.headers.get("retry-after")

    guesser, other = "127.0.0.20", "127.0.0.21"
    wrong = [stats(f"guess-{n:04d}-0123456789abcdef", guesser)[0]
             for n in range(ADMIN_MISS_LIMIT)]
    assert wrong == [401] * ADMIN_MISS_LIMIT, wrong
    status, wait = stats("one-guess-too-many-0123456789", guesser)
    assert status == 429 and wait is not None and 1 <= int(wait) <= 60, (status, wait)
    # The right token waits too: a guess cannot be confirmed during the wait.
    assert stats(ADMIN_TOKEN, guesser)[0] == 429
    assert stats(ADMIN_TOKEN, other)[0] == 200, "another client was held back"
    assert "trop de jetons erronés" in collector.log()  # the example site is French
    figures.add("probe", {
        "finding": "admin token guessing",
        "probe": f"{ADMIN_MISS_LIMIT + 1} wrong tokens then the right one, from one address",
        "result": f"401 for the first {ADMIN_MISS_LIMIT}, then 429 with Retry-After for the "
                  "rest of the minute, the right token too; other addresses unaffected",
    })


def test_control_characters_and_long_robot_answers_are_kept_out(
    collector: RunningCollector, example_site: Path, figures: Figures
) -> None:
    def post(*changes: tuple[str, str]) -> tuple[int, str]:
        names = {name for name, _ in changes}
        pairs = [*hidden_fields(example_site),
                 *[pair for pair in VALID_ANSWER if pair[0] not in names], *changes]
        reply = collector.post(pairs)
        return reply.status, reply.headers.get("location", "")

    refused = {
        "CR in a one-line field": post(("quartier", "Centre\rFaux")),
        "LF in a one-line field": post(("quartier", "Centre\nFaux")),
        "DEL": post(("idee", "a\x7f")),
        "U+009B (CSI)": post(("idee", "\x9b2J")),
        "U+0085 (NEL)": post(("idee", "a\x85b")),
        "60 000 characters with the honeypot filled": post(("idee", "x" * 60_000),
                                                           ("_website", "x")),
    }
    assert {name: status for name, (status, _) in refused.items()} == dict.fromkeys(refused, 400)
    status, location = post(("idee", "Ligne 1\r\nLigne 2\rLigne 3"))
    assert status == 303, status
    code = location.split("/")[2]
    storage = open_storage(_database(collector))
    try:
        answer = storage.get(code)
    finally:
        storage.close()
    assert answer is not None and answer.values["idee"] == ["Ligne 1\nLigne 2\nLigne 3"]
    figures.add("probe", {
        "finding": "control characters",
        "probe": "CR or LF in a one-line field, DEL, U+009B, U+0085 in any field",
        "result": "400, the collector's page for what a browser cannot send; a textarea's "
                  "CRLF and CR stored as LF; what was stored before is escaped in parole "
                  "stats and parole export to a terminal (tests/test_terminal.py)",
    })
    figures.add("probe", {
        "finding": "honeypot skips the length checks",
        "probe": "60 000 characters in a text answer with the honeypot filled",
        "result": "400 with the form again, as for a person; nothing kept in quarantine",
    })


def _database(collector: RunningCollector) -> str:
    """The --db of the running collector, read from its command line."""
    assert collector.process is not None
    arguments = collector.process.args
    assert isinstance(arguments, list)
    return str(arguments[arguments.index("--db") + 1])


def test_parole_serve_removes_its_build_folder_on_sigterm(tmp_path: Path,
                                                           figures: Figures) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    port = free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(PAROLE), "serve", "-f", str(REPO / "tests" / "sites" / "minimal" / "mkdocs.yml"),
             "--port", str(port), "--db", f"sqlite:///{tmp_path / 'preview.db'}"],
            cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, "TMPDIR": str(temporary),
                 "PAROLE_SECRET_FILE": str(tmp_path / "secret")})
    try:
        wait_for_port(port, process, "parole serve", log_path.read_text, timeout=90)
        built = list(temporary.glob("parole-site-*"))
        assert len(built) == 1, built
        process.send_signal(signal.SIGTERM)  # as systemd, docker or a process manager would
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    left = list(temporary.glob("parole-site-*"))
    assert left == [], f"parole serve left {left} after SIGTERM:\n{log_path.read_text()}"
    assert code == 128 + signal.SIGTERM, f"exit status {code}"
    figures.add("probe", {
        "finding": "parole serve and SIGTERM",
        "probe": "SIGTERM to a running parole serve",
        "result": f"its build folder removed, exit status {code} (128 + SIGTERM), as after "
                  "Ctrl-C",
    })


def test_a_normal_answer_still_goes_through(collector: RunningCollector,
                                            example_site: Path) -> None:
    # The deadlines and the connection limit leave an ordinary answer alone.
    reply = send(collector.port, "POST", "/collect",
                 urlencode([*hidden_fields(example_site), *VALID_ANSWER]).encode(), FORM_BODY)
    assert reply.status == 303, reply.status
