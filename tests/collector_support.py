"""A real collector for tests: ``parole collect`` in its own process (uvicorn on 127.0.0.1), and a
plain HTTP client that shows every status code (no redirect followed)."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import uvicorn

from site_builder.answer_log.note import generate_key
from site_builder.answer_log_commands.head import sign_head
from site_builder.collector.app import create_app
from site_builder.collector.settings import DEFAULT_RECEIPT_MISS_LIMIT, Collector
from site_builder.storage import open_storage
from tests.support import free_port, stop_process, wait_for_port

PAROLE = Path(sys.executable).with_name("parole")
OPEN_DAY = "2027-01-10"
"""A day the example consultation (2027-01-04 → 2027-02-28) takes answers."""
ADMIN_TOKEN = "test-token-0123456789abcdef"

VALID_ANSWER: list[tuple[str, str]] = [
    ("frequence", "semaine"), ("usages", "marche"), ("usages", "enfants"), ("ombre", "4"),
    ("stationnement", "40"), ("jeux", "fontaine"),
    ("idee", "Des bancs à l'ombre.\r\nEt <script>alert(1)</script> =HYPERLINK(\"x\")"),
    ("age", "42"), ("quartier", "Les Tilleuls"), ("courriel", "nom@exemple.fr"),
    ("accord", "yes"),
]
"""A complete answer to the example form ``avis-place`` (without the hidden fields)."""



@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass
class RunningCollector:
    url: str
    port: int
    process: subprocess.Popen[bytes] | None
    """None for a collector running inside the test process."""
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def request(self, method: str, path: str, body: bytes = b"",
                headers: dict[str, str] | None = None) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body or None, headers=headers or {})
            response = connection.getresponse()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()},
                         response.read())
        finally:
            connection.close()

    def post(self, pairs: Sequence[tuple[str, str]], *, path: str = "/collect",
             headers: dict[str, str] | None = None) -> Reply:
        body = urlencode(list(pairs)).encode("ascii")
        return self.request("POST", path, body, {
            "Content-Type": "application/x-www-form-urlencoded", **(headers or {})})


def hidden_fields(site_dir: Path, form_id: str = "avis-place") -> list[tuple[str, str]]:
    """``_form`` and ``_version`` as the built form sends them."""
    manifest = json.loads((site_dir / "forms" / f"{form_id}.json").read_text(encoding="utf-8"))
    return [("_form", form_id), ("_version", manifest["version"])]


@contextmanager
def running_collector(
    site_dir: Path,
    database_url: str,
    log_dir: Path,
    *,
    day: str | None = OPEN_DAY,
    args: Sequence[str] = (),
    env: dict[str, str] | None = None,
) -> Iterator[RunningCollector]:
    """``parole collect`` on a free port of 127.0.0.1, its output in ``log_dir/collector.log``;
    stopped (SIGTERM, as systemd would) at the end."""
    port = free_port()
    log_path = log_dir / f"collector-{port}.log"
    environment = {**os.environ, "PAROLE_ADMIN_TOKEN": ADMIN_TOKEN, **(env or {})}
    if day is not None:
        environment["PAROLE_BUILD_DATE"] = day
    command = [str(PAROLE), "collect", "--site", str(site_dir), "--db", database_url,
               "--host", "127.0.0.1", "--port", str(port), *args]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT,
                                   env=environment)
    running = RunningCollector(f"http://127.0.0.1:{port}", port, process, log_path)
    try:
        wait_for_port(port, process, "parole collect", running.log)
        yield running
    finally:
        stop_process(process)


@contextmanager
def collector_in_thread(app_collector: Collector, log_dir: Path) -> Iterator[RunningCollector]:
    """``app_collector`` (its site loaded here) served by uvicorn on a free port of 127.0.0.1,
    in a thread of the test process: for a storage the test wraps (a failing disk, a stopped
    clock), which a ``parole collect`` process cannot be given. Stopped at the end."""
    app_collector.load_site()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(app_collector), host="127.0.0.1",
                                           port=port, access_log=False, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield RunningCollector(f"http://127.0.0.1:{port}", port, None, log_dir)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


# --- every kind of page the collector sends (pa11y and the HTML checker read them) -----------

WRONG_LINK = "/collect/ZZZZZZZZ/" + "A" * 22
"""A receipt link whose key opens nothing."""
FORM_BODY = {"Content-Type": "application/x-www-form-urlencoded"}


def answer(site_dir: Path, *changes: tuple[str, str],
           drop: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The example's valid answer with ``changes`` in place of the fields they name."""
    replaced = set(drop) | {name for name, _ in changes}
    kept = [pair for pair in VALID_ANSWER if pair[0] not in replaced]
    return [*hidden_fields(site_dir), *kept, *changes]


def collector_pages(site_dir: Path, log_dir: Path) -> Iterator[tuple[str, int, Reply]]:
    """``(file name, expected status, reply)`` for every kind of page the collector sends:
    the receipt, its proof in the journal before and after a checkpoint, the form again with
    errors, the form again after an identical answer from the
    same connection, a receipt code alone, an unknown receipt, the form closed, the form not
    yet open, and message pages (answer too large, too many answers, too many wrong links from
    one client or from all of them)."""
    database = f"sqlite:///{log_dir / 'answers.db'}"
    with ExitStack() as stack:
        def collector(day: str | None = None, rate_limit: int = 0) -> RunningCollector:
            args = ["--rate-limit", str(rate_limit)]
            if day is None:
                return stack.enter_context(running_collector(site_dir, database, log_dir,
                                                             args=args))
            return stack.enter_context(running_collector(site_dir, database, log_dir,
                                                         day=day, args=args))

        open_ = collector()
        stored = open_.post(answer(site_dir, ("quartier", "pa11y")))
        assert stored.status == 303, stored.text
        yield "receipt.html", 200, open_.request("GET", stored.headers["location"])
        proof = stored.headers["location"] + "/preuve"
        yield "proof-unsigned.html", 200, open_.request("GET", proof)
        _sign_the_log(database)
        yield "proof.html", 200, open_.request("GET", proof)
        mistakes = answer(site_dir, ("age", "deux cents"), ("courriel", "pas-un-mail"),
                          drop=("frequence",))
        yield "errors.html", 400, open_.post(mistakes)
        yield "sent-already.html", 409, open_.post(answer(site_dir, ("quartier", "pa11y")))
        yield "code-alone.html", 404, open_.request("GET", "/collect/ZZZZZZZZ")
        yield "unknown-receipt.html", 404, open_.request("GET", WRONG_LINK)
        yield "too-large.html", 413, open_.request("POST", "/collect", b"idee=" + b"a" * 70_000,
                                                   FORM_BODY)
        yield "closed.html", 410, collector("2027-03-05").post(answer(site_dir))
        yield "not-open.html", 403, collector("2026-12-01").post(answer(site_dir))
        limited = collector(rate_limit=1)
        assert limited.post(answer(site_dir, ("quartier", "une"))).status == 303
        yield "too-many-answers.html", 429, limited.post(answer(site_dir, ("quartier", "deux")))
        assert limited.request("GET", WRONG_LINK).status == 404
        yield "too-many-codes.html", 429, limited.request("GET", WRONG_LINK)
        # the limit every client shares (120 a minute): many addresses, one page past it
        for number in range(DEFAULT_RECEIPT_MISS_LIMIT):
            open_.request("GET", WRONG_LINK, headers={"X-Forwarded-For": f"198.51.100.{number}"})
        yield "too-many-links.html", 429, open_.request("GET", WRONG_LINK)


def _sign_the_log(database: str) -> None:
    """A checkpoint of the answer log as it is, as ``parole log checkpoint`` signs one."""
    storage = open_storage(database)
    try:
        sign_head(storage, generate_key("consultation.example.org/journal", seed=bytes(32)),
                  datetime.now(UTC))
    finally:
        storage.close()
