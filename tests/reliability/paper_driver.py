"""Mediators typing paper sheets into a batch while citizens answer online (issue #15), for the
kill -9 suite: the same promise as the online answers', that a sheet acknowledged is stored
exactly once whatever crashes.

Each mediator is added with ``parole mediators add`` (its code read from what the command
prints, as a person would copy it), signs in over HTTP (``POST {area}/sign-in``, the
``parole_entry`` cookie), and goes through the batch's entry screen as a browser does: the
screen (``GET {area}/batches/{id}/sheet``) gives the form's hidden fields (``_csrf``,
``_form``, ``_version``, ``_sheet``), the sheet is posted with them, and a 303 to
``…/sheet?saved=<receipt>`` is the acknowledgement. Every sheet carries a unique marker in the
free-text question, like the online answers, so the database can be searched for it.

A mediator whose save got 503 (the database is down) presses Save again a moment later; one
whose save got no response (the collector was killed) does once it is back, with the same form
(``PaperLedger.resume``): the collector must recognise a sheet it stored although its 303 was
lost (the form's ``_sheet`` says which screen it came from).
"""

from __future__ import annotations

import http.client
import re
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

from site_builder.collector.entry import area_path
from site_builder.forms.manifest import manifest_from_text
from site_builder.storage import open_storage
from site_builder.storage.entry import Sheet
from tests.collector_support import OPEN_DAY, PAROLE, VALID_ANSWER
from tests.reliability.load_driver import (
    DETAIL_CHARACTERS,
    FORM_ID,
    MARKER_FIELD,
    REQUEST_TIMEOUT,
    Pairs,
)

MEDIATORS = ("Awa", "Bruno", "Chantal")
"""Three mediators typing sheets of the same stack (single entry lets them share one)."""
SHEETS_COUNTED = 10_000
"""The batch's hand count: the largest a batch takes, never reached by a run."""
BATCH_PLACE = "Bus de la consultation"
RETRY_PAUSE = 0.2
"""Seconds a mediator waits before pressing Save again after a 503."""
SESSION_COOKIE = "parole_entry"
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
_SHEET_FORM = re.compile(r'<form[^>]*action="[^"]*/sheet"[^>]*>(.*?)</form>', re.S)
_CODE_LINE = re.compile(r"^ {4}(\S+)\s*$", re.M)


def area_of(site_dir: Path) -> str:
    """The mediators' area of the built example site (``/collect/saisie``)."""
    path = site_dir / "forms" / f"{FORM_ID}.json"
    return area_path(manifest_from_text(path.read_text(encoding="utf-8"), str(path)))


def add_mediator(database_url: str, name: str) -> str:
    """``parole mediators add NAME --db URL``; the code it prints, once."""
    done = subprocess.run([str(PAROLE), "mediators", "add", name, "--db", database_url],
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, f"parole mediators add {name}: {done.stdout}{done.stderr}"
    found = _CODE_LINE.findall(done.stdout)
    assert len(found) == 1, f"one code expected in what parole printed:\n{done.stdout}"
    return str(found[0])


@dataclass(frozen=True)
class Reply:
    """A response (``status`` None when none came: refused or cut connection, timeout)."""

    status: int | None
    location: str = ""
    cookie: str = ""
    body: str = ""
    seconds: float = 0.0
    retry_after: str = ""


def request(port: int, method: str, path: str, *, cookie: str = "",
            pairs: Pairs = ()) -> Reply:
    """One request on a new connection, as a browser on the area's own page sends it (same
    origin); never raises for a network failure."""
    headers = {"Origin": f"http://127.0.0.1:{port}"}
    if cookie:
        headers["Cookie"] = f"{SESSION_COOKIE}={cookie}"
    body = None
    if method == "POST":
        body = urlencode(pairs).encode("ascii")
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", errors="replace")
    except (OSError, http.client.HTTPException) as error:
        return Reply(None, body=repr(error), seconds=time.monotonic() - started)
    finally:
        connection.close()
    set_cookie = response.getheader("set-cookie") or ""
    token = set_cookie.split(";")[0].partition("=")[2] if set_cookie.startswith(
        f"{SESSION_COOKIE}=") else ""
    return Reply(response.status, response.getheader("location") or "", token, content,
                 time.monotonic() - started, response.getheader("retry-after") or "")


@dataclass(frozen=True)
class TypedSheet:
    """A sheet as posted: its marker and the whole form (hidden fields included), so that
    pressing Save again sends exactly the same."""

    marker: str
    mediator: str
    pairs: Pairs


@dataclass(frozen=True)
class SheetAttempt:
    """What saving a sheet got."""

    sheet: TypedSheet
    reply: Reply

    @property
    def acknowledged(self) -> bool:
        """303 to the entry screen saying the sheet is saved (a 303 to the area's home is
        "sign in first", nothing saved)."""
        return self.reply.status == 303 and "?saved=" in self.reply.location

    @property
    def receipt(self) -> str:
        return self.reply.location.rpartition("?saved=")[2]

    def describe(self) -> str:
        got = f"HTTP {self.reply.status}" if self.reply.status is not None else "no response"
        detail = self.reply.location or self.reply.body[:DETAIL_CHARACTERS]
        return f"{self.sheet.marker} by {self.sheet.mediator}: {got} {detail}".strip()


def screen_fields(page: str) -> Pairs:
    """The hidden fields of an entry screen's sheet form (the account bar's sign-out form
    has its own ``_csrf``: only the sheet form's are sent)."""
    form = _SHEET_FORM.search(page)
    assert form is not None, f"no sheet form on the entry screen:\n{page[:2000]}"
    return tuple((name, unescape(value)) for name, value in _HIDDEN.findall(form.group(1)))


def sheet_answer(marker: str) -> Pairs:
    """The example form's complete answer, as typed from a sheet, ``marker`` as its idea."""
    return tuple((name, marker if name == MARKER_FIELD else value)
                 for name, value in VALID_ANSWER)


@dataclass
class Desk:
    """One mediator at a help desk: their code, their session, the sheet on their screen not
    acknowledged yet, and every save they made."""

    name: str
    code: str
    area: str
    cookie: str = ""
    pending: TypedSheet | None = None
    attempts: list[SheetAttempt] = field(default_factory=list)
    screens: Counter[int | None] = field(default_factory=Counter)
    """Statuses of the entry screens asked for."""
    typed: int = 0

    def sign_in(self, port: int) -> None:
        reply = request(port, "POST", f"{self.area}/sign-in", pairs=(("code", self.code),))
        assert reply.status == 303 and reply.cookie, f"{self.name}: HTTP {reply.status}"
        self.cookie = reply.cookie

    def open_batch(self, port: int, collected_on: date) -> int:
        """``POST {area}/batches/new``; the new batch's number."""
        page = request(port, "GET", f"{self.area}/batches/new", cookie=self.cookie)
        assert page.status == 200, f"the batch form: HTTP {page.status}"
        csrf = dict(_HIDDEN.findall(page.body))["_csrf"]
        reply = request(port, "POST", f"{self.area}/batches/new", cookie=self.cookie, pairs=(
            ("_csrf", csrf), ("form", FORM_ID), ("place", "_other"),
            ("place_other", BATCH_PLACE),
            ("collected_on", f"{collected_on.day:02d}/{collected_on.month:02d}/"
                             f"{collected_on.year}"),
            ("sheets_counted", str(SHEETS_COUNTED))))
        found = re.fullmatch(rf"{re.escape(self.area)}/batches/(\d+)/sheet", reply.location)
        assert reply.status == 303 and found, (
            f"opening a batch: HTTP {reply.status} {reply.location} "
            f"{reply.body[:DETAIL_CHARACTERS]}")
        return int(found.group(1))

    def type_sheets(self, port: int, batch_id: int, label: str, stop: threading.Event) -> None:
        """Type sheets until ``stop`` is set, or the collector stops answering (the sheet then
        stays on the screen, ``pending``)."""
        while not stop.is_set():
            if self.pending is None:
                marker = f"paper-{label}-{self.name}-{self.typed + 1:06d}"
                screen = self.fill(port, batch_id, marker)
                if screen is None:
                    return
                if screen != 200:
                    time.sleep(RETRY_PAUSE)
                    continue
            attempt = self.save(port, batch_id)
            if attempt.reply.status is None:
                return
            if not attempt.acknowledged:
                time.sleep(RETRY_PAUSE)

    def fill(self, port: int, batch_id: int, marker: str) -> int | None:
        """Open the entry screen, type a sheet marked ``marker`` (``pending``); its status."""
        screen = request(port, "GET", f"{self.area}/batches/{batch_id}/sheet",
                         cookie=self.cookie)
        self.screens[screen.status] += 1
        if screen.status == 200:
            self.typed += 1
            self.pending = TypedSheet(marker, self.name,
                                      (*screen_fields(screen.body), *sheet_answer(marker)))
        return screen.status

    def save(self, port: int, batch_id: int) -> SheetAttempt:
        """Press Save on the sheet of the screen."""
        assert self.pending is not None
        reply = request(port, "POST", f"{self.area}/batches/{batch_id}/sheet",
                        cookie=self.cookie, pairs=self.pending.pairs)
        attempt = SheetAttempt(self.pending, reply)
        self.attempts.append(attempt)
        if attempt.acknowledged:
            self.pending = None
        return attempt


class Typists:
    """Every desk typing in its own thread, so that the test can crash something meanwhile."""

    def __init__(self, desks: list[Desk], port: int, batch_id: int, label: str) -> None:
        self.stop = threading.Event()
        self._threads = [threading.Thread(
            target=desk.type_sheets, args=(port, batch_id, label, self.stop),
            name=f"mediator-{desk.name}") for desk in desks]
        for thread in self._threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self._threads:
            thread.join()


def stored_sheets(database_url: str, batch_id: int) -> tuple[Counter[str], list[Sheet], int,
                                                             dict[str, str]]:
    """What the database holds of the batch, through the storage API: how many times each
    marker is stored as a paper answer, the batch's sheets, its entered count, and each
    stored receipt's marker."""
    storage = open_storage(database_url)
    try:
        markers: Counter[str] = Counter()
        by_receipt: dict[str, str] = {}
        for quarantined in (False, True):
            for answer in storage.answers(FORM_ID, quarantined=quarantined):
                if answer.channel == "paper":
                    marker = (answer.values.get(MARKER_FIELD) or [""])[0]
                    markers[marker] += 1
                    by_receipt[answer.receipt] = marker
        sheets = storage.sheets(batch_id)
        entered = next(progress.entered for progress in storage.batches(FORM_ID)
                       if progress.batch.id == batch_id)
        return markers, sheets, entered, by_receipt
    finally:
        storage.close()


@dataclass
class PaperLedger:
    """What the batch must hold, by marker, across the rounds of one backend."""

    desks: list[Desk]
    batch_id: int
    acknowledged: dict[str, str] = field(default_factory=dict)
    """Marker → the receipt its 303 named: stored exactly once, under that receipt."""
    sent: set[str] = field(default_factory=set)
    """Every marker saved at least once: stored at most once."""
    statuses: Counter[int | None] = field(default_factory=Counter)
    unacknowledged: int = 0
    """Saves without a 303 (refused, or cut off)."""
    sent_again: int = 0
    """Sheets saved again with the same form once the collector was back."""
    stored_unacknowledged: int = 0
    sessions_kept: int = 0
    """Sessions still open after a restart (checked once per mediator and restart)."""
    lost: list[str] = field(default_factory=list)
    """Acknowledged sheets missing at the last check."""
    doubled: list[str] = field(default_factory=list)
    """Sheets stored twice or more at the last check."""
    _recorded: dict[str, int] = field(default_factory=dict)

    def record(self) -> list[SheetAttempt]:
        """The desks' saves since the last call, added to the ledger."""
        new: list[SheetAttempt] = []
        for desk in self.desks:
            new += desk.attempts[self._recorded.get(desk.name, 0):]
            self._recorded[desk.name] = len(desk.attempts)
        for attempt in new:
            self.statuses[attempt.reply.status] += 1
            self.sent.add(attempt.sheet.marker)
            if attempt.acknowledged:
                self.acknowledged[attempt.sheet.marker] = attempt.receipt
            else:
                self.unacknowledged += 1
        return new

    def resume(self, port: int) -> None:
        """Each mediator comes back to the screen they had: their session must still be open
        (sessions are in the database), and the sheet whose save got no answer is saved again
        with the same form: it must be acknowledged, stored or recognised as stored."""
        for desk in self.desks:
            screen = request(port, "GET", f"{desk.area}/batches/{self.batch_id}/sheet",
                             cookie=desk.cookie)
            assert screen.status == 200, (
                f"{desk.name}'s session, in the database, should survive the restart: the "
                f"entry screen got HTTP {screen.status} {screen.location}")
            self.sessions_kept += 1
            if desk.pending is not None:
                attempt = desk.save(port, self.batch_id)
                assert attempt.acknowledged, (
                    f"a sheet saved again after the restart should get a 303 to the entry "
                    f"screen: {attempt.describe()}")
                self.sent_again += 1
        self.record()

    def problems(self, database_url: str) -> list[str]:
        """What is wrong with the batch in the database, against the ledger (empty: all
        good). Also counts the sheets stored although their save got no 303."""
        markers, sheets, entered, by_receipt = stored_sheets(database_url, self.batch_id)
        self.stored_unacknowledged += sum(1 for desk in self.desks if desk.pending is not None
                                          and markers[desk.pending.marker])
        self.lost = lost = sorted(marker for marker in self.acknowledged if not markers[marker])
        self.doubled = doubled = sorted(marker for marker, count in markers.items() if count > 1)
        unknown = sorted(marker for marker in markers if marker not in self.sent)
        found: list[str] = []
        if lost or doubled or unknown:
            found.append(f"{len(lost)} acknowledged sheets lost {lost[:10]}, {len(doubled)} "
                         f"stored twice or more {doubled[:10]}, {len(unknown)} stored that "
                         f"were never sent {unknown[:10]}")
        wrong_receipt = sorted(marker for marker, receipt in self.acknowledged.items()
                               if by_receipt.get(receipt, marker) != marker)
        if wrong_receipt:
            found.append(f"{len(wrong_receipt)} sheets acknowledged with the receipt of "
                         f"another sheet: {wrong_receipt[:10]}")
        numbers = Counter(sheet.number for sheet in sheets)
        repeated = sorted(number for number, count in numbers.items() if count > 1)
        if repeated:
            found.append(f"sheet numbers used twice in batch {self.batch_id}: {repeated[:10]}")
        if sorted(numbers) != list(range(1, len(sheets) + 1)):
            gaps = sorted(set(range(1, max(numbers, default=0) + 1)) - set(numbers))
            found.append(f"the batch's sheet numbers have gaps: {gaps[:10]}")
        if not entered == len(sheets) == sum(markers.values()):
            found.append(f"the batch says {entered} sheets entered; it has {len(sheets)} "
                         f"sheets and {sum(markers.values())} paper answers")
        if not len(self.acknowledged) <= entered <= len(self.sent):
            found.append(f"{entered} sheets entered, {len(self.acknowledged)} acknowledged, "
                         f"{len(self.sent)} sent")
        not_counted = [sheet.number for sheet in sheets if sheet.state != "counted"]
        if not_counted:
            found.append(f"single entry: sheets that do not count {not_counted[:10]}")
        return found


def mediators_at_work(site_dir: Path, database_url: str) -> list[Desk]:
    """The mediators, added to the round's database with ``parole mediators add``."""
    area = area_of(site_dir)
    return [Desk(name, add_mediator(database_url, name), area) for name in MEDIATORS]


def open_shared_batch(desks: list[Desk], port: int) -> PaperLedger:
    """Every mediator signs in; the first opens the batch they all type into."""
    for desk in desks:
        desk.sign_in(port)
    return PaperLedger(desks, desks[0].open_batch(port, date.fromisoformat(OPEN_DAY)))


def check_sheets(paper: PaperLedger, saves: list[SheetAttempt], database_url: str, *,
                 allowed: tuple[int | None, ...], when: str) -> None:
    """The round's saves got only the ``allowed`` statuses, the entry screens 200 or those,
    and the batch in the database is what the ledger says."""
    wrong = [attempt for attempt in saves if attempt.reply.status not in allowed]
    assert not wrong, (f"{when}: {len(wrong)} sheets saved got none of {allowed}, e.g.:\n"
                       + "\n".join(attempt.describe() for attempt in wrong[:5]))
    screens = {status for desk in paper.desks for status in desk.screens}
    assert screens <= {200, *allowed} - {303}, f"{when}: entry screens got {screens}"
    problems = paper.problems(database_url)
    assert not problems, f"{when}, the batch of paper sheets: " + "; ".join(problems)
