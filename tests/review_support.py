"""What the review and assisted-answer tests share: the example site with or without double
entry, mediators put straight into the database, sheets typed through the storage (the entry
screen is ``batches``' to test), and a signed-in mediator's HTTP session against a real
``parole collect``; and what test_entry_review.py and test_entry_review_sheets.py share: one
collector per module on a double-entry site, its mediators signed in (fixtures), and the
database's batches, sheets and answers read back."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest

from site_builder.collector.answers import expiry
from site_builder.collector.entry.batch_sheet import sheet_fingerprint
from site_builder.forms.manifest import Manifest, manifest_path, read_manifest
from site_builder.storage import open_storage
from site_builder.storage.base import Marks, StoredAnswer, Values
from site_builder.storage.entry import Batch, EntryResult, NewBatch, Sheet, SheetEntry
from tests.batch_support import add_mediator
from tests.collector_support import Reply, RunningCollector, answer, running_collector

AREA = "/collect/saisie"
"""The mediators' area of the example site (French)."""
FORM = "avis-place"
SHEET = {"frequence": ["semaine"], "quartier": ["Les Tilleuls"]}
"""A paper sheet that answers two questions and leaves the others blank."""
_CSRF = re.compile(r'name="_csrf" value="([^"]*)"')
_COOKIE = re.compile(r"parole_entry=([^;]*)")


def double_entry_site(example_site: Path, folder: Path) -> Path:
    """A copy of the example site whose form asks for double entry (its manifest says so)."""
    shutil.copytree(example_site, folder)
    path = manifest_path(folder, FORM)
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "double_entry": True}, ensure_ascii=False),
                    encoding="utf-8")
    return folder


def open_batch(database_url: str, sheets_counted: int, *, place: str = "Médiathèque",
               by: str = "Awa") -> Batch:
    storage = open_storage(database_url)
    try:
        return storage.create_batch(NewBatch(
            form_id=FORM, place=place, collected_on=date(2027, 1, 9),
            sheets_counted=sheets_counted, created_by=by, created_at=datetime.now(UTC)))
    finally:
        storage.close()


def type_sheet(database_url: str, site_dir: Path, batch_id: int, by: str, values: Values,
               *, marks: Marks | None = None, double: bool = False) -> EntryResult:
    """One typing of ``by``'s next sheet of the batch, stored as the entry screen stores it."""
    manifest = read_manifest(manifest_path(site_dir, FORM))
    marks = marks if marks is not None else {
        question.id: "blank" for question in manifest.form.fields
        if question.id not in values}
    now = datetime.now(UTC)
    storage = open_storage(database_url)
    try:
        return storage.enter_sheet(SheetEntry(
            batch_id=batch_id, entered_by=by, values=values, marks=marks,
            form_version=manifest.version, entered_at=now, expires_at=expiry(manifest, now),
            fingerprint=sheet_fingerprint(manifest, values, marks)), double=double)
    finally:
        storage.close()


def site_manifest(site_dir: Path) -> Manifest:
    return read_manifest(manifest_path(site_dir, FORM))


SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
"""What a browser says of a post from one of the area's own pages."""


@dataclass
class MediatorSession:
    """A mediator signed in to a running collector: their cookie and CSRF token."""

    collector: RunningCollector
    cookie: str
    csrf: str = ""
    history: list[Reply] = field(default_factory=list)

    @classmethod
    def sign_in(cls, collector: RunningCollector, code: str) -> MediatorSession:
        reply = collector.post([("code", code)], path=f"{AREA}/sign-in", headers=SAME_ORIGIN)
        assert reply.status == 303, reply.text
        found = _COOKIE.search(reply.headers.get("set-cookie", ""))
        assert found, reply.headers
        session = cls(collector, found.group(1))
        session.get(f"{AREA}/")
        return session

    def get(self, path: str) -> Reply:
        reply = self.collector.request("GET", path, headers={"Cookie": self._cookie()})
        token = _CSRF.search(reply.text) if reply.status == 200 else None
        if token:
            self.csrf = html.unescape(token.group(1))
        self.history.append(reply)
        return reply

    def post(self, path: str, pairs: list[tuple[str, str]], *, csrf: bool = True) -> Reply:
        """``pairs`` posted as a form of the area's page would, with the token unless not."""
        sent = [*pairs, ("_csrf", self.csrf)] if csrf else pairs
        return self.collector.request("POST", path, urlencode(sent).encode("ascii"), {
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": self._cookie(),
            **SAME_ORIGIN})

    def _cookie(self) -> str:
        return f"parole_entry={self.cookie}"


def page_text(reply: Reply) -> str:
    """The page's text without tags, styles and scripts, ASCII spaces collapsed (no-break
    spaces kept: French typography is tested too): what a person reads."""
    without = re.sub(r"<(style|script)\b.*?</\1>|<[^>]+>", " ", reply.text, flags=re.DOTALL)
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(without)).strip()


def review_pages(site: Path, log_dir: Path) -> Iterator[tuple[str, int, Reply]]:
    """``(file name, expected status, reply)`` for every page of the review and the assisted
    answers, as a coordinator and a mediator get them, with and without errors."""
    database = f"sqlite:///{log_dir / 'answers.db'}"
    awa_code = add_mediator(database, "Awa", coordinator=True)
    bruno_code = add_mediator(database, "Bruno")
    batch = open_batch(database, 3)
    sheet = {"frequence": ["semaine"], "quartier": ["Les Tilleuls"]}
    counted = type_sheet(database, site, batch.id, "Awa", sheet, double=True)
    type_sheet(database, site, batch.id, "Bruno", sheet, double=True)
    type_sheet(database, site, batch.id, "Awa", sheet, double=True)
    differs = type_sheet(database, site, batch.id, "Bruno", {**sheet, "frequence": ["mois"]},
                         double=True).sheet.receipt
    with running_collector(site, database, log_dir, args=["--rate-limit", "0"]) as collector:
        awa = MediatorSession.sign_in(collector, awa_code)
        bruno = MediatorSession.sign_in(collector, bruno_code)
        batch_path = f"{AREA}/batches/{batch.id}"
        yield "batch.html", 200, awa.get(batch_path)
        yield "batch-mediator.html", 200, bruno.get(batch_path)
        yield "batch-refused.html", 409, awa.post(f"{batch_path}/close", [])
        yield "recount-errors.html", 400, awa.post(f"{batch_path}/recount",
                                                   [("sheets_counted", "x"), ("reason", "")])
        differs_path = f"{AREA}/sheets/{differs}"
        yield "sheet-differs.html", 200, awa.get(differs_path)
        yield "resolve-errors.html", 400, awa.post(f"{differs_path}/resolve", [])
        counted_path = f"{AREA}/sheets/{counted.sheet.receipt}"
        yield "sheet.html", 200, awa.get(counted_path)
        yield "delete-errors.html", 400, awa.post(f"{counted_path}/delete", [])
        assert awa.post(f"{differs_path}/send-back", []).status == 303
        # a mediator's way to the third typing: the home, the batch page's link
        yield "home-mediator.html", 200, bruno.get(f"{AREA}/")
        yield "batch-third.html", 200, bruno.get(batch_path)
        yield "again.html", 200, bruno.get(f"{differs_path}/again")
        assisted = f"{AREA}/assisted/{FORM}"
        yield "assisted.html", 200, bruno.get(assisted)
        yield "assisted-errors.html", 400, bruno.post(assisted, answer(site, ("age", "x")))


# --- what test_entry_review.py and test_entry_review_sheets.py share -----------------------------

@pytest.fixture(scope="module")
def site(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return double_entry_site(example_site, tmp_path_factory.mktemp("review") / "site")


@pytest.fixture(scope="module")
def database(module_storage_url: str) -> str:
    return module_storage_url


@pytest.fixture(scope="module")
def codes(database: str) -> dict[str, str]:
    """Awa coordinates; Bruno and Chloé type sheets in."""
    return {"Awa": add_mediator(database, "Awa", coordinator=True),
            "Bruno": add_mediator(database, "Bruno"),
            "Chloé": add_mediator(database, "Chloé")}


@pytest.fixture(scope="module")
def collector(site: Path, database: str, codes: dict[str, str],
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCollector]:
    with running_collector(site, database, tmp_path_factory.mktemp("logs"),
                           args=["--rate-limit", "0"]) as running:
        yield running


@pytest.fixture(scope="module")
def awa(collector: RunningCollector, codes: dict[str, str]) -> MediatorSession:
    return MediatorSession.sign_in(collector, codes["Awa"])


@pytest.fixture(scope="module")
def bruno(collector: RunningCollector, codes: dict[str, str]) -> MediatorSession:
    return MediatorSession.sign_in(collector, codes["Bruno"])


@pytest.fixture(scope="module")
def chloe(collector: RunningCollector, codes: dict[str, str]) -> MediatorSession:
    return MediatorSession.sign_in(collector, codes["Chloé"])


def batch_of(database: str, batch_id: int) -> Batch:
    storage = open_storage(database)
    try:
        found = storage.batch(batch_id)
        assert found is not None
        return found
    finally:
        storage.close()


def sheet_of(database: str, receipt: str) -> Sheet:
    storage = open_storage(database)
    try:
        found = storage.sheet(receipt)
        assert found is not None
        return found
    finally:
        storage.close()


def answer_of(database: str, receipt: str) -> StoredAnswer | None:
    storage = open_storage(database)
    try:
        return storage.get(receipt)
    finally:
        storage.close()


def differing_sheet(database: str, site: Path) -> Sheet:
    """A double-entry sheet whose two typings (Awa's, then Bruno's) differ on frequence."""
    batch = open_batch(database, 1)
    first = type_sheet(database, site, batch.id, "Awa", SHEET, double=True)
    assert first.sheet.state == "awaiting_second"
    second = type_sheet(database, site, batch.id, "Bruno",
                        {**SHEET, "frequence": ["mois"]}, double=True)
    assert second.sheet.state == "differs"
    return second.sheet
