"""A batch's sheets when the database does not take them (site_builder/collector/entry/
batch_sheet.py): a full disk (503, the typing kept and saved again), a busy disk with Save pressed
twice (one sheet), a typing saved again after another took its number, and an outage (every
batch page says so, a typing is kept).
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from site_builder.storage.base import Storage, StorageUnavailable
from site_builder.storage.entry import NewBatch, SheetEntry
from tests import batch_support
from tests.batch_support import (
    AREA,
    SHEET_ONE,
    MediatorSession,
    add_mediator,
    alice_signed_in,
    collector_in_process,
    main_text,
    new_batch_pairs,
    post_new_batch,
    sheet_form_fields,
    type_on_screen,
)

# the fixtures every batch module shares (tests/batch_support.py): pytest finds them here
site, database, storage = batch_support.site, batch_support.database, batch_support.storage


# --- the database does not take a sheet --------------------------------------------------------

class Failing:
    """A storage whose batch and sheet writes fail as a full disk's do, until told."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.failing = False

    def create_batch(self, batch: NewBatch) -> Any:
        if self.failing:
            raise StorageUnavailable("database or disk is full")
        return self.storage.create_batch(batch)

    def enter_sheet(self, entry: SheetEntry, *, double: bool) -> Any:
        if self.failing:
            raise StorageUnavailable("database or disk is full")
        return self.storage.enter_sheet(entry, double=double)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.storage, name)


def test_a_sheet_the_database_did_not_take_is_said_not_saved_with_the_typing_kept(
    site: Path, storage: Storage, database: str, caplog: pytest.LogCaptureFixture
) -> None:
    failing = Failing(storage)
    with alice_signed_in(database, site, failing) as alice:
        batch = post_new_batch(alice)
        path = f"{AREA}/batches/{batch}/sheet"
        hidden = sheet_form_fields(alice.get(path).text)
        failing.failing = True
        lost = alice.post(path, [*hidden, *SHEET_ONE, ("_spoiled", "idee")])
        no_batch = alice.post(f"{AREA}/batches/new", new_batch_pairs(sheets="7"))
        failing.failing = False
        kept = alice.post(path, [*sheet_form_fields(lost.text), *SHEET_ONE])
    assert lost.status == 503 and lost.headers["retry-after"] == "60"
    assert "La feuille n\u2019a PAS été enregistrée" in lost.text
    assert 'value="Les Tilleuls"' in lost.text and re.search(r'value="idee" checked', lost.text)
    assert "<h1>La feuille n\u2019a pas été enregistrée</h1>" in lost.text
    assert 'name="_sheet" value="1"' in lost.text  # saved again, it is recognised
    assert no_batch.status == 503 and "Le lot n\u2019a pas été ouvert" in no_batch.text
    assert 'name="sheets_counted" value="7"' in no_batch.text
    assert kept.status == 303
    assert [sheet.number for sheet in storage.sheets(batch)] == [1]
    assert len(storage.batches()) == 1
    logged = [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]
    assert logged == [
        f"mediators' area: {AREA}/batches/{batch}/sheet NOT saved (503): database or disk is full",
        f"mediators' area: {AREA}/batches/new NOT saved (503): database or disk is full"]


class Slow:
    """A storage that takes its time to store a sheet, as a busy disk does."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def enter_sheet(self, entry: SheetEntry, *, double: bool) -> Any:
        time.sleep(0.5)
        return self.storage.enter_sheet(entry, double=double)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.storage, name)


def test_a_screen_posted_twice_at_once_stores_one_sheet(
    site: Path, storage: Storage, database: str
) -> None:
    """A double press of Save sends the screen twice before the first answer comes back."""
    with alice_signed_in(database, site, Slow(storage)) as alice:
        batch = post_new_batch(alice)
        path = f"{AREA}/batches/{batch}/sheet"
        pairs = [*sheet_form_fields(alice.get(path).text), *SHEET_ONE]
        with ThreadPoolExecutor(max_workers=2) as pool:
            replies = list(pool.map(lambda _: alice.post(path, pairs), range(2)))
    assert [reply.status for reply in replies] == [303, 303]
    assert replies[0].headers["location"] == replies[1].headers["location"]
    assert [sheet.number for sheet in storage.sheets(batch)] == [1]


def test_a_typing_saved_again_is_recognised_when_another_took_its_number(
    site: Path, storage: Storage, database: str
) -> None:
    """Single entry numbers one stack whoever types it: Alice's screen shows sheet 1, Bob
    saves first and his typing is sheet 1, Alice's becomes sheet 2 and its 303 is lost; Save
    again sends the same screen: it is found as sheet 2, not stored a third time."""
    alice_code = add_mediator(database, "Alice")
    bob_code = add_mediator(database, "Bob")
    with collector_in_process(site, storage) as up:
        alice, bob = MediatorSession(up), MediatorSession(up)
        alice.sign_in(alice_code)
        bob.sign_in(bob_code)
        batch = post_new_batch(alice)
        path = f"{AREA}/batches/{batch}/sheet"
        alices = [*sheet_form_fields(alice.get(path).text), *SHEET_ONE]
        assert type_on_screen(bob, batch, [("frequence", "mois")])[0].status == 303
        first = alice.post(path, alices)
        again = alice.post(path, alices)
        other = alice.post(path, [*alices[:3], ("frequence", "jour")])  # another sheet, same screen
    sheets = storage.sheets(batch)
    assert [(sheet.number, sheet.entries[0].entered_by) for sheet in sheets] == [
        (1, "Bob"), (2, "Alice"), (3, "Alice")]
    assert first.headers["location"] == again.headers["location"] == (
        f"{path}?saved={sheets[1].receipt}")
    assert other.headers["location"] == f"{path}?saved={sheets[2].receipt}"


class Down:
    """A storage whose batch reads and writes fail, as during a database outage (sessions
    still found: the area's own door is not what this tests)."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.down = False

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.storage, name)
        if name not in ("batch", "batches", "sheets", "enter_sheet", "create_batch"):
            return method

        def failing(*args: Any, **kwargs: Any) -> Any:
            if self.down:
                raise StorageUnavailable("could not connect to server")
            return method(*args, **kwargs)
        return failing


def test_during_an_outage_pages_say_so_and_a_typing_is_kept(
    site: Path, storage: Storage, database: str, caplog: pytest.LogCaptureFixture
) -> None:
    failing = Down(storage)
    with alice_signed_in(database, site, failing) as alice:
        batch = post_new_batch(alice)
        path = f"{AREA}/batches/{batch}/sheet"
        hidden = sheet_form_fields(alice.get(path).text)
        failing.down = True
        home = alice.get(f"{AREA}/")
        screen = alice.get(path)
        lost = alice.post(path, [*hidden, *SHEET_ONE, ("_spoiled", "idee")])
        failing.down = False
        kept = alice.post(path, [*sheet_form_fields(lost.text), *SHEET_ONE, ("_spoiled", "idee")])
    for reply in (home, screen, lost):
        assert (reply.status, reply.headers.get("retry-after")) == (503, "60"), reply.text
    assert "<h1>Service momentanément indisponible</h1>" in home.text
    assert "<h1>Service momentanément indisponible</h1>" in screen.text
    assert "La feuille n\u2019a PAS été enregistrée" in lost.text
    assert 'value="Les Tilleuls"' in lost.text and re.search(r'value="idee" checked', lost.text)
    assert "Session ouverte : Alice." in main_text(lost.text)
    assert kept.status == 303 and len(storage.sheets(batch)) == 1
    logged = [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]
    assert logged == [
        f"GET {AREA}/: the database could not be used, answered 503: could not connect to server",
        f"GET {path}: the database could not be used, answered 503: could not connect to server",
        f"mediators' area: {path} NOT saved (503): could not connect to server"]
