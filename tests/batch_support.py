"""The mediators' batches over HTTP, for tests: mediators added to the database as
``parole mediators add`` does, a mediator's session (sign in with the code, then its cookie and
CSRF token on every request), and a collector in this process on fixed days (goldens).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from site_builder.collector.entry import codes
from site_builder.collector.settings import Collector, Settings
from site_builder.storage import open_storage
from site_builder.storage.base import Storage
from tests.collector_support import Reply, RunningCollector, collector_in_thread

AREA = "/collect/saisie"
"""The example site's mediators' area (French)."""
DAY = date(2027, 1, 10)
"""An open day of the example consultation (2027-01-04 → 2027-02-28)."""
NOON = datetime(2027, 1, 10, 11, 0, tzinfo=UTC)
_CSRF = re.compile(r'name="_csrf" value="([^"]+)"')
_COOKIE = re.compile(r"parole_entry=([^;]*)")
_SHEET = re.compile(r'name="_sheet" value="(\d+)"')


def add_mediator(database_url: str, name: str, *, coordinator: bool = False) -> str:
    """Add a mediator to the database; their access code (as ``parole mediators add``)."""
    code = codes.new_code()
    storage = open_storage(database_url)
    try:
        storage.add_mediator(name, "coordinator" if coordinator else "mediator",
                             codes.digest(code), datetime.now(UTC))
    finally:
        storage.close()
    return code


@dataclass
class MediatorSession:
    """One mediator's browser, as plain HTTP: the session cookie once signed in, and the CSRF
    token of the last page read."""

    collector: RunningCollector
    area: str = AREA
    cookie: str = ""
    csrf: str = ""
    pages: list[Reply] = field(default_factory=list)

    def sign_in(self, code: str) -> Reply:
        reply = self.collector.post([("code", code)], path=f"{self.area}/sign-in")
        assert reply.status == 303, reply.text
        found = _COOKIE.search(reply.headers.get("set-cookie", ""))
        assert found, reply.headers
        self.cookie = found.group(1)
        self.get(f"{self.area}/")
        return reply

    def get(self, path: str) -> Reply:
        reply = self.collector.request("GET", path, headers=self._headers())
        self._read(reply)
        return reply

    def post(self, path: str, pairs: Sequence[tuple[str, str]], *,
             csrf: bool = True) -> Reply:
        sent = [*(([("_csrf", self.csrf)]) if csrf else []), *pairs]
        reply = self.collector.request("POST", path, urlencode(sent).encode("utf-8"), {
            **self._headers(), "Content-Type": "application/x-www-form-urlencoded"})
        self._read(reply)
        return reply

    def follow(self, reply: Reply) -> Reply:
        """The page a 303 leads to."""
        assert reply.status == 303, (reply.status, reply.text)
        return self.get(reply.headers["location"])

    def _headers(self) -> dict[str, str]:
        return {"Cookie": f"parole_entry={self.cookie}"} if self.cookie else {}

    def _read(self, reply: Reply) -> None:
        self.pages.append(reply)
        found = _CSRF.search(reply.text) if reply.body else None
        if found:
            self.csrf = found.group(1)


def shown_sheet(page: str) -> int:
    """The sheet number an entry screen is for (its hidden ``_sheet``)."""
    found = _SHEET.search(page)
    assert found, "no entry form on this page"
    return int(found.group(1))


def sheet_form_fields(page: str) -> list[tuple[str, str]]:
    """The entry form's hidden ``_form``, ``_version``, ``_sheet`` and ``_typing`` (the
    typing's key, last), as the page has them (``_csrf`` is added by ``MediatorSession.post``)."""
    return [(name, value) for name, value in re.findall(
        r'<input type="hidden" name="(_form|_version|_sheet|_typing)" value="([^"]*)">', page)]


def new_batch_pairs(*, form: str = "avis-place", place: str = "Médiathèque, 12 rue des Écoles",
                    other: str = "", day: str = "10/01/2027",
                    sheets: str = "3") -> list[tuple[str, str]]:
    pairs = [("form", form), ("collected_on", day), ("sheets_counted", sheets)]
    if place:
        pairs.append(("place", place))
    if other:
        pairs.append(("place_other", other))
    return pairs


class _KeptOpen:
    """The test's storage as the collector's: the collector closes its storage when it stops,
    and the test still reads this one afterwards (then closes it itself)."""

    def __init__(self, storage: Storage | Any) -> None:
        self.storage = storage

    def close(self) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self.storage, name)


@contextmanager
def collector_in_process(site_dir: Path, storage: Storage | Any, *, today: date = DAY,
                         now: datetime = NOON, preview: bool = False
                         ) -> Iterator[RunningCollector]:
    """A collector on ``storage`` in a uvicorn thread of this process, its clock stopped at
    ``now`` and its day ``today`` (pages then never change with the calendar)."""
    settings = Settings(site_dir=site_dir, rate_limit=0, today=lambda: today,
                        now=lambda: now, preview=preview)
    with collector_in_thread(Collector(settings, _KeptOpen(storage)), site_dir / "log") as up:
        yield up
