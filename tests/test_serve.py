"""``parole serve`` (the README's first command) on the example: the site and its form on one
port, so a new user can fill the form in and get a receipt; answers go to a preview database."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from site_builder.storage import open_storage
from tests.collector_support import PAROLE, VALID_ANSWER, RunningCollector
from tests.support import REPO, free_port

BEFORE_OPENING = "2026-12-01"
"""The example consultation opens on 2027-01-04: a preview takes answers before that."""


@pytest.fixture(scope="module")
def serving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningCollector, Path]]:
    folder = tmp_path_factory.mktemp("serve")
    port = free_port()
    log_path = folder / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(PAROLE), "serve", "-f", str(REPO / "mkdocs.yml"), "--port", str(port)],
            cwd=folder, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, "PAROLE_BUILD_DATE": BEFORE_OPENING, "PYTHONUNBUFFERED": "1"},
        )
    running = RunningCollector(f"http://127.0.0.1:{port}", port, process, log_path)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert process.poll() is None, f"parole serve exited:\n{running.log()}"
            try:
                if running.request("GET", "/").status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"parole serve did not answer within 90 s:\n{running.log()}")
        yield running, folder
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_example_form_can_be_filled_in_and_sent(
    serving: tuple[RunningCollector, Path],
) -> None:
    server, folder = serving
    page = server.request("GET", "/donner-mon-avis/")
    assert page.status == 200
    assert 'action="/collect"' in page.text
    version = page.text.split('name="_version" value="', 1)[1].split('"', 1)[0]

    body = urlencode([("_form", "avis-place"), ("_version", version), *VALID_ANSWER])
    reply = server.request("POST", "/collect", body.encode("ascii"), {
        "Content-Type": "application/x-www-form-urlencoded", "Origin": server.url})
    assert reply.status == 303, server.log()
    receipt = server.request("GET", reply.headers["location"])
    assert receipt.status == 200
    assert "Les Tilleuls" in receipt.text

    database = folder / "parole-data" / "preview.db"
    assert database.is_file(), "answers of a preview go to parole-data/preview.db"
    assert not (folder / "parole-data" / "answers.db").exists()
    storage = open_storage(f"sqlite:///{database}")
    try:
        assert len(list(storage.answers("avis-place"))) == 1
    finally:
        storage.close()


def test_the_site_s_own_files_are_served(serving: tuple[RunningCollector, Path]) -> None:
    server, _ = serving
    assert server.request("GET", "/faq/").status == 200
    # a folder without its final "/" is redirected, to a path: never to the host the request
    # named (Starlette builds the address from the Host header, which anyone may set)
    folder = server.request("GET", "/faq", headers={"Host": "evil.example"})
    assert folder.status in (301, 307, 308)
    assert folder.headers["location"] == "/faq/"
    missing = server.request("GET", "/pas-de-page/")
    assert missing.status == 404
    assert "Page introuvable" in missing.text
