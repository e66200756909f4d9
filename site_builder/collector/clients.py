"""Who sent an answer, without knowing who: daily pseudonyms of client addresses, and the rate
limit that uses them.

The collector never stores or logs an IP address. It keeps ``HMAC(key of the day, address)``
instead: enough to recognise a double click or a robot sending hundreds of answers, useless to
find a person. The keys are derived from the collector's secret (``secret.CollectorSecret``),
which is never in the database: a copy of the database holds no key to try addresses with.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import threading
from collections import deque
from collections.abc import Callable
from datetime import date, timedelta

from site_builder.collector.secret import CollectorSecret
from site_builder.messages import say

log = logging.getLogger("parole.collector")

WINDOW_SECONDS = 60.0
"""The rate limit counts answers over this sliding window."""


class Pseudonyms:
    """Turns a client address into today's pseudonym (and yesterday's, to recognise a
    resubmission across midnight)."""

    def __init__(self, secret: CollectorSecret) -> None:
        self._secret = secret

    def of(self, address: str, day: date) -> str:
        """The pseudonym of ``address`` on ``day`` (UTC)."""
        digest = hmac.new(self._secret.client_key(day), address.encode("utf-8"),
                          hashlib.sha256)
        return digest.hexdigest()[:32]

    def recent(self, address: str, day: date) -> tuple[str, str]:
        """Today's and yesterday's pseudonyms of ``address``: a resubmission within 24 hours
        may straddle midnight."""
        return self.of(address, day), self.of(address, day - timedelta(days=1))


class RateLimiter:
    """At most ``per_minute`` events (answers, failed receipt lookups, wrong admin tokens) per
    client over a sliding minute; 0 turns it off.

    Counts live in memory: each collector process limits on its own (behind nginx,
    ``limit_req`` is the limit shared by every collector; docs/deploy.md). Memory stays bounded:
    a client's count is dropped once its window is empty, and ``max_clients`` caps the table
    (past it, the oldest clients are forgotten, which only ever lets more answers through).
    """

    def __init__(self, per_minute: int, *, clock: Callable[[], float],
                 max_clients: int = 100_000, refused: str | None = None) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._refused = QuietWarning(refused, clock=clock) if refused else None
        """Logged when the limit refuses, quietly (``QuietWarning``)."""
        self._max_clients = max_clients
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _wait(self, hits: deque[float], now: float) -> int | None:
        """Drop ``hits`` older than the window; None if fewer than the limit remain, else the
        whole seconds until the oldest leaves it."""
        while hits and hits[0] <= now - WINDOW_SECONDS:
            hits.popleft()
        if len(hits) < self.per_minute:
            return None
        return max(1, math.ceil(hits[0] + WINDOW_SECONDS - now))

    def waiting(self, client: str) -> int | None:
        """Like :meth:`retry_after` without recording anything: None if ``client`` may go on,
        else the whole seconds it must wait (a refusal, logged as such)."""
        if self.per_minute <= 0:
            return None
        now = self._clock()
        with self._lock:
            wait = self._wait(self._hits.get(client, deque()), now)
        return self._noted(wait)

    def retry_after(self, client: str) -> int | None:
        """Record an event from ``client``; None if it may go on, else the whole seconds to
        wait before the next one is accepted (for ``Retry-After``; a refusal, logged as such)."""
        if self.per_minute <= 0:
            return None
        now = self._clock()
        with self._lock:
            hits = self._hits.pop(client, deque())
            self._hits[client] = hits  # re-inserted: the dict stays in order of last use
            wait = self._wait(hits, now)
            if wait is None:
                hits.append(now)
                while len(self._hits) > self._max_clients:
                    del self._hits[next(iter(self._hits))]
        return self._noted(wait)

    def _noted(self, wait: int | None) -> int | None:
        if wait is not None and self._refused is not None:
            self._refused.due()
        return wait


class QuietWarning:
    """A warning logged the first time it is due, then at most once a minute with how many
    times it was due meanwhile: an attack of thousands of requests must not flood the log."""

    def __init__(self, message: str, *, clock: Callable[[], float]) -> None:
        self._message = message
        self._clock = clock
        self._lock = threading.Lock()
        self._next_log = -math.inf
        self._due = 0

    def due(self) -> None:
        now = self._clock()
        with self._lock:
            self._due += 1
            if now < self._next_log:
                return
            due, self._due = self._due, 0
            self._next_log = now + WINDOW_SECONDS
        log.warning("%s", say("collector.refused_since", message=self._message, count=due))
