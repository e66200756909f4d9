"""Hostile structure, written cases: every request of ``hostile_cases.py`` (over 300, in the
categories issue #5 names) sent as raw bytes to a real collector (``parole collect``, uvicorn,
SQLite, rate limit off).

What it proves, case by case: the status is the one ``docs/collector.md`` documents, never a 5xx;
the person gets the collector's accessible HTML page saying what happened (not a traceback, not
a reflected ``<script>``); and nothing is stored, except a filled honeypot, which is stored in
quarantine only, and text a person may paste (line separators, bidi controls), stored once.
Then that memory stays bounded: the collector's peak resident memory after the whole corpus and
six 50 MB bodies (declared, and chunked without a length) has grown by less than
``MEMORY_BOUND_MB``, because a body over 64 KB is refused without being read or kept.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from site_builder.collector.entry import codes
from site_builder.storage import open_storage
from tests.collector_support import (
    Reply,
    RunningCollector,
    hidden_fields,
    running_collector,
)
from tests.reliability.figures import Figures
from tests.reliability.hostile_cases import (
    CATEGORIES,
    FORM_TYPE,
    HOST,
    LIMIT,
    Case,
    Outcome,
    RawRequest,
    answer,
    category_cases,
    corpus,
    encoded,
)
from tests.storage_support import raw_sql

MEMORY_BOUND_MB = 50
"""How much the collector's peak resident memory may grow over the whole suite."""
BIG_BODY = 50 * 2**20
"""The size of the bodies of the memory test: far over the 64 KB limit."""
PIECE = 64 * 1024
RECEIPT_LOCATION = re.compile(r"^/collect/([0-9A-Z]{8})/[A-Za-z0-9_-]{22}$")
TRACEBACK = "Traceback (most recent call last)"
REFLECTED = b"<script>alert("
"""Markup many cases carry: it must come back escaped, if at all."""


@dataclass(frozen=True)
class Memory:
    """The collector process's resident memory (``/proc/<pid>/status``), in MB."""

    peak: float
    """VmHWM: the most it has ever held."""
    now: float
    """VmRSS."""


@dataclass(frozen=True)
class Target:
    collector: RunningCollector
    database: str
    version: str
    memory_at_start: Memory

    @property
    def pid(self) -> int:
        assert self.collector.process is not None
        return self.collector.process.pid


@pytest.fixture(scope="module")
def target(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    folder = tmp_path_factory.mktemp("hostile")
    database = f"sqlite:///{folder / 'answers.db'}"
    version = hidden_fields(example_site)[1][1]
    with running_collector(example_site, database, folder,
                           args=["--rate-limit", "0"]) as collector:
        assert collector.process is not None
        with_a_mediator(database)
        warm_up(collector.port, version)
        yield Target(collector, database, version, memory_of(collector.process.pid))


def with_a_mediator(database: str) -> None:
    """A mediator in the database: without one, the mediators' area (its sign-in form among
    the cases) answers 404 to everything."""
    storage = open_storage(database)
    try:
        storage.add_mediator("Awa", "mediator", codes.digest(codes.new_code()), datetime.now(UTC))
    finally:
        storage.close()


def warm_up(port: int, version: str) -> None:
    """One answer stored and one refused, so that the memory measured at the start holds what
    any collector holds after its first answers (imports, parsed pages), not the corpus."""
    stored = exchange(port, [RawRequest(encoded(answer(version))).wire()])
    refused = exchange(port, [RawRequest(b"_form=avis-place").wire()])
    assert (stored.status, refused.status) == (303, 400), "the collector is not answering"


# -- talking to the collector ---------------------------------------------------------------------

def exchange(port: int, pieces: Iterable[bytes]) -> Reply:
    """Send ``pieces`` (a request's bytes, possibly generated lazily) on one connection while
    reading the reply until the collector closes it. Sending stops when the collector closes
    first: it answers a body over the limit without reading it, and the client is cut off."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        sender = threading.Thread(target=_send_until_closed, args=(connection, pieces))
        sender.start()
        received = bytearray()
        try:
            while chunk := connection.recv(PIECE):
                received += chunk
        except ConnectionResetError:
            pass  # the reply was read before the reset, or the test sees no status
        sender.join()
    return parse_reply(bytes(received))


def _send_until_closed(connection: socket.socket, pieces: Iterable[bytes]) -> None:
    try:
        for piece in pieces:
            connection.sendall(piece)
    except OSError:  # the collector closed the connection: its reply is already on its way
        pass


def parse_reply(data: bytes) -> Reply:
    """An HTTP/1.1 reply read until the connection closed; status 0 when there was none."""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status_line = lines[0].split(" ")
    if len(status_line) < 2 or not status_line[1].isdigit():
        return Reply(0, {}, data)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = dechunked(body)
    return Reply(int(status_line[1]), headers, body)


def dechunked(data: bytes) -> bytes:
    body = bytearray()
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        body += data[:size]
        data = data[size + 2:]
    return bytes(body)


def memory_of(pid: int) -> Memory:
    fields = dict(line.split(":", 1) for line in
                  Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines())
    return Memory(peak=_megabytes(fields["VmHWM"]), now=_megabytes(fields["VmRSS"]))


def _megabytes(value: str) -> float:
    kilobytes, unit = value.split()
    assert unit == "kB", value
    return round(int(kilobytes) / 1024, 1)


# -- what is stored ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Stored:
    counted: int
    quarantined: int


def stored(database: str) -> Stored:
    rows = dict(raw_sql(database, "SELECT quarantined, COUNT(*) FROM answers GROUP BY quarantined"))
    return Stored(counted=rows.get(0, 0), quarantined=rows.get(1, 0))


def quarantine_flag(database: str, receipt: str) -> list[tuple[object, ...]]:
    return raw_sql(database, "SELECT quarantined FROM answers WHERE receipt = ?", (receipt,))


# -- judging one case ----------------------------------------------------------------------------

@dataclass
class Result:
    case: Case
    reply: Reply
    before: Stored
    after: Stored
    problems: list[str]


def run(target: Target, case: Case) -> Result:
    before = stored(target.database)
    reply = exchange(target.collector.port, [case.request.wire()])
    after = stored(target.database)
    result = Result(case, reply, before, after, [])
    result.problems = problems(target, result)
    return result


def problems(target: Target, result: Result) -> list[str]:
    """What differs from what the docs promise for this case (empty: it held)."""
    case, reply = result.case, result.reply
    found = []
    if reply.status != case.status:
        found.append(f"status {reply.status}, expected {case.status}")
    if TRACEBACK in reply.body.decode("utf-8", "replace"):
        found.append("a traceback in the reply")
    if re.search(rb"HTTP/1\.[01] \d{3} ", reply.body):
        found.append("a second reply on the connection: a request smuggled in the body ran")
    if REFLECTED in reply.body:
        found.append("markup sent by the client came back unescaped")
    if case.header is not None and reply.headers.get(case.header[0]) != case.header[1]:
        found.append(f"header {case.header[0]}: {reply.headers.get(case.header[0])!r}, "
                     f"expected {case.header[1]!r}")
    found += OUTCOME_CHECKS[case.outcome](case, reply)
    found += storage_problems(target, result)
    return found


def page_problems(case: Case, reply: Reply) -> list[str]:
    """The collector's page: HTML in the site's layout, in French, with its own policy, saying
    what happened."""
    text = reply.body.decode("utf-8", "replace")
    found = []
    if not reply.headers.get("content-type", "").startswith("text/html"):
        found.append(f"content type {reply.headers.get('content-type')!r}, expected text/html")
    if "content-security-policy" not in reply.headers:
        found.append("no Content-Security-Policy")
    found += [f"the page has no {mark}" for mark in ('<html lang="fr"', "<title>", "<main", "<h1")
              if mark not in text]
    if case.phrase is not None and case.phrase not in text:
        found.append(f"the page does not say {case.phrase!r}")
    return found


def empty_problems(case: Case, reply: Reply) -> list[str]:
    return [f"a body of {len(reply.body)} bytes, expected none"] if reply.body else []


def protocol_problems(case: Case, reply: Reply) -> list[str]:
    text = reply.body.decode("utf-8", "replace")
    return [] if case.phrase is None or case.phrase in text else [
        f"uvicorn's refusal expected ({case.phrase!r}), got {text[:80]!r}"]


def receipt_problems(case: Case, reply: Reply) -> list[str]:
    location = reply.headers.get("location", "")
    return [] if RECEIPT_LOCATION.match(location) else [
        f"303 to {location!r}, expected a receipt's address"]


OUTCOME_CHECKS = {
    Outcome.PAGE: page_problems, Outcome.EMPTY: empty_problems,
    Outcome.PROTOCOL: protocol_problems, Outcome.QUARANTINED: receipt_problems,
    Outcome.STORED: receipt_problems,
}


def storage_problems(target: Target, result: Result) -> list[str]:
    """Nothing stored; a filled honeypot stored once, in quarantine only; text a person may
    paste stored once."""
    before, after = result.before, result.after
    quarantined = result.case.outcome is Outcome.QUARANTINED
    counted = 1 if result.case.outcome is Outcome.STORED else 0
    found = []
    if after.counted - before.counted != counted:
        found.append(f"{after.counted - before.counted} answer(s) stored as counted, "
                     f"expected {counted}")
    expected = 1 if quarantined else 0
    if after.quarantined - before.quarantined != expected:
        found.append(f"{after.quarantined - before.quarantined} answer(s) quarantined, "
                     f"expected {expected}")
    match = RECEIPT_LOCATION.match(result.reply.headers.get("location", ""))
    if quarantined and match and quarantine_flag(target.database, match[1]) not in ([(1,)],
                                                                                   [(True,)]):
        found.append(f"receipt {match[1]} is not stored in quarantine")
    return found


# -- the tests ------------------------------------------------------------------------------------

def test_the_corpus_holds_300_distinct_named_cases() -> None:
    cases = corpus("0123456789abcdef")
    names = [case.name for case in cases]
    requests = [case.request for case in cases]
    assert len(cases) >= 300, f"{len(cases)} cases, the issue asks for 300 or more"
    assert len(set(names)) == len(names), "two cases have the same name"
    assert len(set(requests)) == len(requests), "two cases send the same request"
    assert all(400 <= case.status < 500 or case.status == 303 for case in cases)
    assert all(category_cases(category, "0123456789abcdef") for category in CATEGORIES)


@pytest.mark.parametrize("category", list(CATEGORIES))
def test_every_hostile_request_gets_its_documented_answer(
    target: Target, category: str, figures: Figures
) -> None:
    results = [run(target, case) for case in category_cases(category, target.version)]
    figures.add("hostile", {
        "category": category,
        "cases": len(results),
        "expected statuses": ", ".join(sorted({str(r.case.status) for r in results})),
        "5xx": sum(r.reply.status >= 500 for r in results),
        "answers stored": sum(r.after.counted - r.before.counted for r in results),
        "answers quarantined": sum(r.after.quarantined - r.before.quarantined for r in results),
    })
    failed = [r for r in results if r.problems]
    assert not failed, f"{len(failed)} of {len(results)} {category} cases did not hold:\n" + \
        "\n".join(f"- {r.case.name}: {'; '.join(r.problems)}" for r in failed)


def big_body(chunked: bool) -> Iterator[bytes]:
    """A 50 MB body, generated as it is sent: declared with Content-Length, or chunked."""
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {BIG_BODY}"
    yield (f"POST /collect HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: {FORM_TYPE}\r\n"
           f"{framing}\r\nConnection: close\r\n\r\n").encode()
    piece = b"a" * PIECE
    for _ in range(BIG_BODY // PIECE):
        yield b"%x\r\n%s\r\n" % (PIECE, piece) if chunked else piece
    if chunked:
        yield b"0\r\n\r\n"


def test_memory_stays_bounded_after_the_corpus_and_50_mb_bodies(
    target: Target, figures: Figures
) -> None:
    before = stored(target.database)
    statuses = [exchange(target.collector.port, big_body(chunked)).status
                for chunked in (False, True) * 3]
    after = stored(target.database)
    memory = memory_of(target.pid)
    growth = memory.peak - target.memory_at_start.peak
    figures.add("hostile", {
        "category": "memory: 50 MB bodies (3 declared, 3 chunked)",
        "cases": len(statuses),
        "expected statuses": "413",
        "5xx": sum(status >= 500 for status in statuses),
        "answers stored": after.counted - before.counted,
        "answers quarantined": after.quarantined - before.quarantined,
        "peak memory at start (MB)": target.memory_at_start.peak,
        "peak memory at the end (MB)": memory.peak,
        "memory at the end (MB)": memory.now,
    })
    assert statuses == [413] * 6, f"50 MB bodies answered {statuses}, expected 413 each"
    assert after == before, f"stored {after}, expected nothing more than {before}"
    assert growth < MEMORY_BOUND_MB, (
        f"peak memory grew by {growth:.1f} MB ({target.memory_at_start.peak} → {memory.peak}), "
        f"expected under {MEMORY_BOUND_MB} MB: a body over {LIMIT} bytes is refused unread")
