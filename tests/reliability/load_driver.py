"""Many citizens answering at once: the load generator of the reliability suites (load, kill -9)
and of the collector benchmark (``bench/collector_load.py``).

Each client is a thread that posts complete, valid answers to the example form ``avis-place``,
one after the other, each on a new connection (as separate citizens' browsers would), from its
own loopback address (:data:`CLIENT_ADDRESSES`: Linux routes the whole of 127.0.0.0/8 to ``lo``),
so that the collector sees different people. Every answer carries a unique marker in the
free-text question (:data:`MARKER_FIELD`), for two reasons: the collector stores an identical
answer from the same client only once (docs/collector.md, "The same answer twice"), and the
marker lets a suite find each acknowledged answer again in the database.

:class:`LoadRun` records what every attempt got (status, time, what went wrong), and the suites
decide what is a failure. For the kill -9 suite, :class:`BackgroundLoad` runs a load in a thread
while something crashes, and :class:`Ledger` keeps, across its rounds, what the database must
hold; it asserts one thing itself, that an answer sent again after a crash is taken.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from site_builder.storage import open_storage
from tests.collector_support import VALID_ANSWER, hidden_fields

FORM_ID = "avis-place"
MARKER_FIELD = "idee"
"""The example form's free-text question: the marker replaces the text of :data:`VALID_ANSWER`."""
CLIENTS = 50
"""Citizens posting at once in the load suite (issue #5 asks for at least 50)."""
CLIENT_ADDRESSES: tuple[str, ...] = tuple(f"127.0.0.{host}" for host in range(2, 2 + CLIENTS))
"""Source addresses of the clients, one each (cycled when there are more clients): 127.0.0.2 to
127.0.0.51. The privacy suite searches the database and the logs for them."""
NO_RATE_LIMIT = ("--rate-limit", "0")
"""``parole collect`` arguments for a load: 50 citizens on a few addresses would hit the
per-client rate limit, which is not what is measured."""
REQUEST_TIMEOUT = 30.0
"""Seconds a client waits for the collector; longer than the 10 s a request may wait for a
PostgreSQL connection during an outage, so a slow 503 is seen as a 503, not a timeout."""
DETAIL_CHARACTERS = 300
"""How much of an unexpected response body is kept, to show in a failure message."""

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Answer:
    """One citizen's answer: what is posted, and from which address."""

    marker: str
    address: str
    pairs: Pairs


@dataclass(frozen=True)
class Attempt:
    """What posting an answer got: the status (None when no response came: connection refused
    or dropped, timeout), the seconds it took, and a detail (the start of an unexpected body, or
    the error) for failure messages."""

    answer: Answer
    status: int | None
    seconds: float
    detail: str = ""

    @property
    def acknowledged(self) -> bool:
        """The collector answered 303: it promises the answer is committed."""
        return self.status == 303

    def describe(self) -> str:
        got = f"HTTP {self.status}" if self.status is not None else "no response"
        return f"{self.answer.marker} from {self.answer.address}: {got} {self.detail}".strip()


@dataclass(frozen=True)
class LoadRun:
    """Every attempt of a run, with how many clients made them and for how long."""

    attempts: tuple[Attempt, ...]
    clients: int
    seconds: float
    addresses: tuple[str, ...]
    """The source addresses the clients used."""

    @property
    def acknowledged(self) -> list[Answer]:
        return [attempt.answer for attempt in self.attempts if attempt.acknowledged]

    @property
    def unacknowledged(self) -> list[Answer]:
        """Answers sent without a 303 back: refused, failed (503) or without any response."""
        return [attempt.answer for attempt in self.attempts if not attempt.acknowledged]

    def statuses(self) -> Counter[int | None]:
        return Counter(attempt.status for attempt in self.attempts)

    def unexpected(self, allowed: Sequence[int | None] = (303,)) -> list[Attempt]:
        return [attempt for attempt in self.attempts if attempt.status not in allowed]

    @property
    def server_errors(self) -> int:
        return sum(1 for attempt in self.attempts
                   if attempt.status is not None and attempt.status >= 500)

    @property
    def answers_per_second(self) -> float:
        return len(self.acknowledged) / self.seconds if self.seconds else 0.0

    def latency_ms(self, fraction: float) -> float:
        """The ``fraction`` quantile (0.5, 0.99) of acknowledged answers' round trips, in ms."""
        times = sorted(attempt.seconds for attempt in self.attempts if attempt.acknowledged)
        if not times:
            return 0.0
        return 1000 * times[min(len(times) - 1, int(fraction * len(times)))]


def answer_template(site_dir: Path) -> Pairs:
    """A complete, valid answer to the example form, hidden fields included. When the form
    names a consent to be quoted (``publish_consent``), the answer ticks it: its written
    answers are the ones moderators read (``moderation_driver``)."""
    manifest = json.loads((site_dir / "forms" / f"{FORM_ID}.json").read_text(encoding="utf-8"))
    consent = manifest.get("publish_consent")
    ticked = ((consent, "yes"),) if consent and consent not in dict(VALID_ANSWER) else ()
    return (*hidden_fields(site_dir, FORM_ID), *VALID_ANSWER, *ticked)


def with_marker(template: Pairs, marker: str, address: str) -> Answer:
    """``template`` with ``marker`` as the free-text answer."""
    pairs = tuple((name, marker if name == MARKER_FIELD else value) for name, value in template)
    return Answer(marker, address, pairs)


def post_answer(port: int, answer: Answer, *, timeout: float = REQUEST_TIMEOUT) -> Attempt:
    """Post ``answer`` to the collector on 127.0.0.1:``port`` from ``answer.address``, on a new
    connection, without following the redirect. Never raises for a network failure: an attempt
    without a response is an outcome the kill suite counts."""
    body = urlencode(answer.pairs).encode("ascii")
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                            source_address=(answer.address, 0))
    try:
        connection.request("POST", "/collect", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        content = response.read()
    except (OSError, http.client.HTTPException) as error:
        return Attempt(answer, None, time.monotonic() - started, repr(error))
    finally:
        connection.close()
    detail = "" if response.status == 303 else content[:DETAIL_CHARACTERS].decode(
        "utf-8", errors="replace")
    return Attempt(answer, response.status, time.monotonic() - started, detail)


def run_load(port: int, site_dir: Path, *, clients: int = CLIENTS, seconds: float,
             label: str = "load", stop: threading.Event | None = None) -> LoadRun:
    """``clients`` threads post answers to the collector on ``port`` for ``seconds`` (or until
    ``stop`` is set), each answer marked ``<label>-<client>-<number>``. Returns once every
    client has finished its last request."""
    template = answer_template(site_dir)
    addresses = tuple(CLIENT_ADDRESSES[client % len(CLIENT_ADDRESSES)]
                      for client in range(clients))
    stopped = stop or threading.Event()
    per_client: list[list[Attempt]] = [[] for _ in range(clients)]
    started = time.monotonic()
    deadline = started + seconds

    def client(number: int) -> None:
        for marker in _markers(label, number):
            if stopped.is_set() or time.monotonic() >= deadline:
                return
            answer = with_marker(template, marker, addresses[number])
            per_client[number].append(post_answer(port, answer))

    threads = [threading.Thread(target=client, args=(number,), name=f"citizen-{number}")
               for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    attempts = tuple(attempt for made in per_client for attempt in made)
    return LoadRun(attempts, clients, time.monotonic() - started, tuple(dict.fromkeys(addresses)))


def _markers(label: str, client: int) -> Iterator[str]:
    number = 0
    while True:
        number += 1
        yield f"{label}-{client:02d}-{number:06d}"


def stored_markers(database_url: str) -> Counter[str]:
    """How many times each marker is stored in the database as an online answer, quarantined
    answers included (the storage API, not the collector: what is on disk, whatever the
    collector says). Paper sheets typed meanwhile are ``paper_driver``'s to count."""
    storage = open_storage(database_url)
    try:
        found: Counter[str] = Counter()
        for quarantined in (False, True):
            for answer in storage.answers(FORM_ID, quarantined=quarantined):
                if answer.channel == "online":
                    found.update(answer.values.get(MARKER_FIELD, [""])[:1])
        return found
    finally:
        storage.close()


@dataclass(frozen=True)
class Reconciliation:
    """Acknowledged answers against what the database holds."""

    lost: list[str]
    """Acknowledged (303), not stored."""
    doubled: list[str]
    """Stored more than once."""
    unknown: list[str]
    """Stored, yet never sent as far as the test knows."""

    @property
    def ok(self) -> bool:
        return not (self.lost or self.doubled or self.unknown)

    def describe(self, limit: int = 10) -> str:
        return (f"{len(self.lost)} acknowledged answers lost {self.lost[:limit]}, "
                f"{len(self.doubled)} stored twice or more {self.doubled[:limit]}, "
                f"{len(self.unknown)} stored that were never sent {self.unknown[:limit]}")


def reconcile(acknowledged: Sequence[str], sent: Sequence[str],
              stored: Counter[str]) -> Reconciliation:
    """Every ``acknowledged`` marker must be stored once; any ``sent`` marker at most once;
    nothing else may be stored."""
    known = set(sent) | set(acknowledged)
    return Reconciliation(
        lost=sorted(marker for marker in set(acknowledged) if stored[marker] == 0),
        doubled=sorted(marker for marker, count in stored.items() if count > 1),
        unknown=sorted(marker for marker in stored if marker not in known),
    )


@dataclass
class Ledger:
    """What the database must hold, by marker, across the rounds of one backend."""

    acknowledged: set[str] = field(default_factory=set)
    """Answered 303 (first time or when sent again): must be stored exactly once."""
    sent: set[str] = field(default_factory=set)
    """Every marker sent: may be stored at most once."""
    pending: list[Answer] = field(default_factory=list)
    """Sent without a 303, not yet sent again."""
    unacknowledged: int = 0
    sent_again: int = 0
    stored_unacknowledged: int = 0
    """Answers committed although their sender never got the 303 (found when checking)."""
    statuses: Counter[int | None] = field(default_factory=Counter)

    def record(self, run: LoadRun) -> None:
        self.statuses.update(run.statuses())
        self.acknowledged.update(answer.marker for answer in run.acknowledged)
        self.sent.update(attempt.answer.marker for attempt in run.attempts)
        self.pending = run.unacknowledged
        self.unacknowledged += len(self.pending)

    def check(self, stored: Counter[str]) -> Reconciliation:
        """The database's markers against the ledger; also counts how many of the pending
        answers were committed although their 303 never came back."""
        self.stored_unacknowledged += sum(1 for answer in self.pending if stored[answer.marker])
        return reconcile(sorted(self.acknowledged), sorted(self.sent), stored)

    def resubmit(self, port: int) -> None:
        """Send every pending answer again, from the same address, as its author would: each
        must now be acknowledged (and stored once, which the next check verifies). An answer
        committed before the crash gets 409 instead, "an identical answer was sent from your
        connection: if it was you, it is saved": this script's client kept no cookie of the
        303 it never received, exactly like a browser whose response was lost."""
        for answer in self.pending:
            attempt = post_answer(port, answer)
            assert attempt.acknowledged or attempt.status == 409, (
                f"an answer sent again after the restart should get a 303 (or 409 if it was "
                f"stored before the crash): {attempt.describe()}")
            self.acknowledged.add(answer.marker)
        self.sent_again += len(self.pending)
        self.pending = []


class BackgroundLoad:
    """``run_load`` in a thread, so that the test can crash something while it runs."""

    def __init__(self, port: int, site_dir: Path, label: str, *, clients: int,
                 longest: float) -> None:
        self.stop = threading.Event()
        self._result: list[LoadRun] = []
        self._thread = threading.Thread(target=lambda: self._result.append(run_load(
            port, site_dir, clients=clients, seconds=longest, label=label,
            stop=self.stop)), name=f"load-{label}")
        self._thread.start()

    def finish(self) -> LoadRun:
        """Stop the clients (each finishes the request it is in) and return what they got."""
        self.stop.set()
        self._thread.join()
        return self._result[0]
