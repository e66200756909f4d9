"""Shared test helpers: building sites, comparing goldens, serving a site like nginx would."""

from __future__ import annotations

import email.utils
import functools
import gzip
import http.server
import json
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from site_builder.audit import browser as audit_browser
from site_builder.cli import build

REPO = Path(__file__).resolve().parent.parent
SITES = REPO / "tests" / "sites"
GOLDENS = REPO / "tests" / "goldens"
CHROMIUM = str(audit_browser.CHROMIUM)
NO_OTHER_HOSTS = audit_browser.NO_OTHER_HOSTS
CHROMIUM_ARGS = audit_browser.CHROMIUM_ARGS
"""The tests start Chromium as ``parole audit`` does (``site_builder.audit.browser``)."""


TEST_DAY = "2027-01-10"
"""The day the suite runs as (``PAROLE_BUILD_DATE``): an open day of the example's consultation
(4 January to 28 February 2027), so what the tests see does not change with the day they run.
Run on the real day, two tests would have failed once the example opened, and at least twenty
once it closed. Tests about other days set their own; ``PAROLE_BUILD_DATE=… pytest`` runs
the suite as of another day."""

BUILD_DATE_FILE = "build-date"
"""A sample site's folder may hold this file: the day (YYYY-MM-DD) it is built for, as
``PAROLE_BUILD_DATE`` says it (``tests/sites/multilingual-closed``: after closing)."""


def build_site(config_file: Path, site_dir: Path, *, strict: bool = True) -> Path:
    """Build ``config_file`` into ``site_dir`` exactly as ``parole build`` does, for the day
    its folder's ``build-date`` file says, if it has one."""
    dated = config_file.parent / BUILD_DATE_FILE
    with pytest.MonkeyPatch.context() as patch:
        if dated.is_file():
            patch.setenv("PAROLE_BUILD_DATE", dated.read_text(encoding="utf-8").strip())
        build(str(config_file), site_dir=str(site_dir), strict=strict)
    return site_dir


def form_site(example_site: Path, folder: Path, *, language: str = "en") -> Path:
    """A built site in ``folder`` with the example's form ``avis-place`` alone, its manifest
    saying ``language`` (not part of the form's version): ``parole collect`` speaks it to
    organizers, English unless a test is about French."""
    manifest = json.loads((example_site / "forms" / "avis-place.json").read_text(encoding="utf-8"))
    (folder / "forms").mkdir(parents=True)
    (folder / "forms" / "avis-place.json").write_text(
        json.dumps({**manifest, "language": language}, ensure_ascii=False), encoding="utf-8")
    return folder


FOOTER_PAGES = {
    "aide.md": "# Se faire aider\n\nÀ la mairie, du lundi au vendredi.\n",
    "accessibilite.md": "# Accessibilité\n\nCe site est en cours d'audit.\n",
    "confidentialite.md": "# Vos données\n\nNous ne gardons que vos réponses.\n",
}


def write_site(folder: Path, pages: dict[str, str], **config: Any) -> Path:
    """Write a consultation (``mkdocs.yml`` + ``docs/``) into ``folder``; returns the config file.

    ``config`` is merged over a minimal parole configuration, and ``pages`` over the three footer
    pages, so a test states only what it is about.
    """
    settings: dict[str, Any] = {
        "site_name": "Consultation de test",
        "theme": {"name": "parole"},
        "plugins": ["parole"],
        **config,
    }
    docs = folder / "docs"
    for name, text in {**FOOTER_PAGES, **pages}.items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config_file = folder / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return config_file


def sample_sites() -> list[Path]:
    """Every sample site under tests/sites/ (a folder with an mkdocs.yml)."""
    return sorted(path.parent for path in SITES.glob("*/mkdocs.yml"))


def assert_golden(name: str, actual: str, request: pytest.FixtureRequest) -> None:
    """Compare ``actual`` with ``tests/goldens/<name>``; ``--update-goldens`` rewrites it."""
    path = GOLDENS / name
    if request.config.getoption("--update-goldens"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"no golden file {path}: run pytest with --update-goldens and review it")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from its golden; review, then --update-goldens"


def assert_bytes_golden(name: str, actual: bytes, request: pytest.FixtureRequest) -> None:
    """``actual`` equals ``tests/goldens/<name>`` byte for byte (a BOM, CRLF line ends: what a
    spreadsheet or a CSV reader gets); ``--update-goldens`` rewrites it."""
    path = GOLDENS / name
    if request.config.getoption("--update-goldens"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
        return
    if not path.exists():
        pytest.fail(f"no golden file {path}: run pytest with --update-goldens and review it")
    with path.open(encoding="utf-8", newline="") as golden:  # a readable diff first
        assert actual.decode("utf-8") == golden.read(), \
            f"{name} differs from its golden; review, then --update-goldens"
    assert actual == path.read_bytes()


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site as nginx does with ``gzip_static on`` and no caching directive: the
    precompressed ``.gz`` beside a file when the client accepts gzip (so transfer sizes are what
    citizens get), with ``Last-Modified`` and 304 answers to ``If-Modified-Since`` (so a browser
    keeps a linked stylesheet between pages, as it would in production)."""

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        compressed = path.with_name(path.name + ".gz")
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not compressed.is_file():
            return super().send_head()  # sends Last-Modified and answers 304 itself
        modified = int(compressed.stat().st_mtime)
        since = self.headers.get("If-Modified-Since")
        if since:
            parsed = email.utils.parsedate_to_datetime(since)
            if parsed is not None and int(parsed.timestamp()) >= modified:
                self.send_response(304)
                self.end_headers()
                return None
        body = compressed.open("rb")
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(compressed.stat().st_size))
        self.send_header("Last-Modified", self.date_time_string(modified))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return body

    def log_message(self, format: str, *args: object) -> None:
        pass


def free_port() -> int:
    """A TCP port of 127.0.0.1 free right now, for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], name: str,
                  output: Callable[[], str], timeout: float = 20.0) -> None:
    """Wait until ``process`` (a server a test started, called ``name`` in messages) accepts
    connections on ``port`` of 127.0.0.1; fail with its ``output()`` if it exits or never
    listens."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{name} exited ({process.returncode}):\n{output()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"{name} did not listen on port {port} within {timeout} s:\n{output()}")


def stop_process(process: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    """SIGTERM, as systemd would stop a server; SIGKILL if it is still there after
    ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def http_server(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """``handler`` served by a threaded HTTP server on a free port of 127.0.0.1; yields its base
    URL (``http://127.0.0.1:PORT``, no final slash)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_site(site_dir: Path) -> Iterator[str]:
    """Serve ``site_dir`` on 127.0.0.1 (a free port); yields the base URL ending in ``/``."""
    with http_server(functools.partial(_SiteHandler, directory=str(site_dir))) as url:
        yield url + "/"


def gunzip(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())
