"""Mediators typing paper sheets into a batch while citizens answer online (issue #15), for the
kill -9 suite: the same promise as the online answers', that a sheet acknowledged is stored
exactly once whatever crashes.

Each mediator is added with ``parole mediators add`` (its code read from what the command
prints, as a person would copy it), signs in over HTTP (``POST {area}/sign-in``, the
``parole_entry`` cookie), and goes through the batch's entry screen as a browser does: the
screen (``GET {area}/batches/{id}/sheet``) gives the form's hidden fields (``_csrf``,
``_form``, ``_version``, ``_sheet``, ``_typing``), the sheet is posted with them, and a 303 to
``…/sheet?saved=<receipt>`` is the acknowledgement. Every sheet carries a unique marker in the
free-text question, like the online answers, so the database can be searched for it.

A mediator whose save got 503 (the database is down) presses Save again a moment later; one
whose save got no response (the collector was killed) does once it is back, with the same form
(``PaperLedger.resume``): the collector must recognise a sheet it stored although its 303 was
lost (the form's ``_typing`` key, stored with the typing, says it is the same typing).
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
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
from tests.collector_support import PAROLE, VALID_ANSWER
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
            pairs: Pairs = (), cookie_name: str = SESSION_COOKIE) -> Reply:
    """One request on a new connection, as a browser on the area's own page sends it (same
    origin); never raises for a network failure. ``cookie_name``: the session cookie sent and
    read back (the mediators' by default; the moderators' for ``moderation_driver``)."""
    headers = {"Origin": f"http://127.0.0.1:{port}"}
    if cookie:
        headers["Cookie"] = f"{cookie_name}={cookie}"
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
        f"{cookie_name}=") else ""
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
    stack: str = ""
    """With double entry, the stack of paper every mediator types: sheet n is marked
    ``<stack>-<n>`` whoever types it (its two typings agree); else each sheet is new."""
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
        """Open the entry screen, type a sheet marked ``marker`` (``pending``; the stack's
        sheet of the screen's number with double entry); the screen's status."""
        screen = request(port, "GET", f"{self.area}/batches/{batch_id}/sheet",
                         cookie=self.cookie)
        self.screens[screen.status] += 1
        if screen.status == 200:
            self.typed += 1
            fields = screen_fields(screen.body)
            if self.stack:
                marker = f"{self.stack}-{int(dict(fields)['_sheet']):06d}"
            self.pending = TypedSheet(marker, self.name, (*fields, *sheet_answer(marker)))
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


def mediators_at_work(site_dir: Path, database_url: str, *,
                      names: tuple[str, ...] = MEDIATORS, stack: str = "") -> list[Desk]:
    """The mediators, added to the round's database with ``parole mediators add``."""
    area = area_of(site_dir)
    return [Desk(name, add_mediator(database_url, name), area, stack=stack) for name in names]


def double_entry_site(site_dir: Path, copy: Path) -> Path:
    """A copy of the built site whose form asks for double entry (``paper_entry: {double:
    true}`` in mkdocs.yml gives its manifest ``double_entry``)."""
    shutil.copytree(site_dir, copy)
    manifest = copy / "forms" / f"{FORM_ID}.json"
    manifest.write_text(json.dumps({**json.loads(manifest.read_text(encoding="utf-8")),
                                    "double_entry": True}, ensure_ascii=False),
                        encoding="utf-8")
    (copy / "forms" / f"{FORM_ID}.json.gz").unlink(missing_ok=True)
    return copy
