"""A real collector for tests: ``parole collect`` in its own process (uvicorn on 127.0.0.1), and a
plain HTTP client that shows every status code (no redirect followed)."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

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
