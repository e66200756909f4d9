"""Receipt links and what a browser keeps of them, in this process: the ``parole_sent`` cookie
(``collector.sent``) and the limits on failed lookups, among them the one every client shares
(``Collector.everyones_receipt_misses``), whose refusals are logged quietly
(``clients.QuietWarning``). Over HTTP: tests/test_collector_http.py."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from starlette.requests import Request
from starlette.responses import Response

from site_builder.collector.app import create_app
from site_builder.collector.clients import RateLimiter
from site_builder.collector.lookup import EVERYONE, receipt_path, show_receipt
from site_builder.collector.secret import CollectorSecret
from site_builder.collector.sent import MAX_SENT, SENT_COOKIE, remember_sent, sent_receipts
from site_builder.collector.settings import Collector, Settings
from site_builder.forms.manifest import read_manifest
from site_builder.storage import open_storage
from site_builder.storage.base import Storage

SECRET = CollectorSecret(b"k" * 32)
CODES = ["ABCD2345", "BCDE3456", "CDEF4567", "DEFG5678", "EFGH6789", "FGHJ7890"]


def request(cookie: str | None = None, scheme: str = "http") -> Request:
    headers = [(b"cookie", cookie.encode("latin-1"))] if cookie is not None else []
    return Request({"type": "http", "method": "POST", "path": "/collect", "scheme": scheme,
                    "headers": headers, "server": ("127.0.0.1", 80), "query_string": b""})


def entry(code: str, secret: CollectorSecret = SECRET) -> str:
    return f"{code}.{secret.receipt_key(code)}"


def cookie_value(response: Response) -> str:
    header = response.headers["set-cookie"]
    assert header.startswith(f"{SENT_COOKIE}="), header
    return header.split(";", 1)[0].split("=", 1)[1]


def test_the_cookie_holds_the_newest_receipts_first_and_no_more_than_its_bound() -> None:
    value = ""
    for code in CODES:
        response = remember_sent(Response(), request(f"{SENT_COOKIE}={value}"), code, SECRET,
                                 "/collect")
        value = cookie_value(response)
    assert value.split(":") == [entry(code) for code in reversed(CODES)][:MAX_SENT]
    assert sent_receipts(request(f"{SENT_COOKIE}={value}"), SECRET) == list(
        reversed(CODES))[:MAX_SENT]


def test_the_same_receipt_again_moves_to_the_front_once() -> None:
    held = f"{SENT_COOKIE}={entry(CODES[0])}:{entry(CODES[1])}"
    value = cookie_value(remember_sent(Response(), request(held), CODES[1], SECRET, "/collect"))
    assert value == f"{entry(CODES[1])}:{entry(CODES[0])}"


@pytest.mark.parametrize("held", [
    "", "garbage", f"{CODES[0]}", f"{CODES[0]}.", f"{CODES[0]}.{'A' * 22}",
    entry(CODES[0], CollectorSecret(b"o" * 32)),  # another collector's secret
    entry(CODES[0]).lower(), f"abcd-2345.{SECRET.receipt_key(CODES[0])}",
])
def test_an_entry_whose_key_does_not_open_its_code_counts_for_nothing(held: str) -> None:
    assert sent_receipts(request(f"{SENT_COOKIE}={held}"), SECRET) == []


def test_without_a_cookie_the_browser_holds_no_receipt() -> None:
    assert sent_receipts(request(), SECRET) == []


@pytest.mark.parametrize(("scheme", "secure"), [("http", False), ("https", True)])
def test_the_cookie_is_strict_http_only_short_lived_and_secure_over_https(
    scheme: str, secure: bool
) -> None:
    header = remember_sent(Response(), request(scheme=scheme), CODES[0], SECRET,
                           "/consultation/collect").headers["set-cookie"]
    attributes = [part.strip().lower() for part in header.split(";")[1:]]
    assert "path=/consultation/collect" in attributes
    assert "httponly" in attributes and "samesite=strict" in attributes
    assert "max-age=900" in attributes
    assert ("secure" in attributes) == secure


def test_a_receipt_path_carries_the_key_of_its_code(example_site: Path) -> None:
    manifest = dataclasses.replace(read_manifest(example_site / "forms" / "avis-place.json"),
                                   action="https://example.org/consultation/collect/")
    path = receipt_path(manifest, CODES[0], SECRET)
    assert path == f"/consultation/collect/{CODES[0]}/{SECRET.receipt_key(CODES[0])}"
    assert len(path.rsplit("/", 1)[1]) == 22


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_limit_logs_its_refusals_at_most_once_a_minute(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    limit = RateLimiter(3, clock=clock, max_clients=1, refused="lookups refused")
    caplog.set_level(logging.WARNING, logger="parole.collector")
    assert [limit.retry_after(EVERYONE) for _ in range(3)] == [None, None, None]
    waits = [limit.retry_after(EVERYONE) for _ in range(50)]
    assert all(wait is not None and 1 <= wait <= 60 for wait in waits), waits
    assert len(caplog.records) == 1
    clock.now += 30  # still refusing: no new line within the minute
    assert limit.waiting(EVERYONE) is not None
    assert len(caplog.records) == 1
    clock.now += 31  # the window has passed: failed lookups are answered again
    assert limit.retry_after(EVERYONE) is None
    for _ in range(3):
        limit.retry_after(EVERYONE)
    assert len(caplog.records) == 2
    assert caplog.records[0].getMessage() == (
        "lookups refused (1 refused since the last such line)")
    assert "(51 refused since the last such line)" in caplog.records[1].getMessage()


def test_a_limit_of_0_never_refuses() -> None:
    limit = RateLimiter(0, clock=Clock(), max_clients=1, refused="never")
    assert all(limit.retry_after(EVERYONE) is None for _ in range(1000))


class CountingStorage:
    """A storage that counts the lookups it is asked for and finds nothing."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.lookups = 0

    def get(self, receipt: str) -> None:
        self.lookups += 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self.storage, name)


def test_a_link_whose_key_does_not_open_its_code_never_reaches_the_database(
    example_site: Path, tmp_path: Path
) -> None:
    storage = CountingStorage(open_storage(f"sqlite:///{tmp_path / 'answers.db'}"))
    collector = Collector(Settings(site_dir=example_site, secret=SECRET), storage)
    collector.load_site()
    app = create_app(collector)

    def get(code: str, key: str) -> int:
        scope = {"type": "http", "method": "GET", "path": f"/collect/{code}/{key}",
                 "headers": [], "query_string": b"", "client": ("127.0.0.1", 40000),
                 "server": ("127.0.0.1", 80), "scheme": "http", "app": app,
                 "path_params": {"code": code, "key": key}}
        # in a thread of its own: Playwright's sync API (the browser tests of the same
        # session) keeps an event loop running in this one
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, show_receipt(Request(scope))).result().status_code

    try:
        assert get(CODES[0], "A" * 22) == 404
        assert get(CODES[0], SECRET.receipt_key(CODES[1])) == 404
        assert get("pas-un-code", SECRET.receipt_key(CODES[0])) == 404
        assert storage.lookups == 0
        assert get(CODES[0].lower(), SECRET.receipt_key(CODES[0])) == 404  # opens; no answer
        assert storage.lookups == 1
    finally:
        storage.close()
