"""A typing's key over HTTP (issue #15): the entry screen and the third typing's form carry a
random ``_typing`` key, and the same form posted twice (Save pressed twice, or again after a
lost response) stores one typing, even when the two posts reach two ``parole collect`` sharing
one PostgreSQL database, as behind nginx (docs/deploy.md)."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from site_builder.storage import open_storage
from site_builder.storage.entry import Sheet
from tests.batch_support import add_mediator, sheet_form_fields
from tests.collector_support import Reply, running_collector
from tests.postgres_support import PostgresServer
from tests.review_support import (
    AREA,
    FORM,
    MediatorSession,
    double_entry_site,
    open_batch,
    site_manifest,
    type_sheet,
)

_KEY = re.compile(r'name="_typing" value="([^"]*)"')


def typing_key(page: str) -> str:
    """The key of the typing the page's entry form is for."""
    found = _KEY.findall(page)
    assert len(found) == 1, found
    return str(found[0])


def sheets(database: str, batch_id: int) -> list[Sheet]:
    storage = open_storage(database)
    try:
        return storage.sheets(batch_id)
    finally:
        storage.close()


def at_once(posts: list[tuple[MediatorSession, str, list[tuple[str, str]]]]) -> list[Reply]:
    """Every post sent at the same moment, each from its own thread (a double press)."""
    start = threading.Barrier(len(posts))

    def send(post: tuple[MediatorSession, str, list[tuple[str, str]]]) -> Reply:
        session, path, pairs = post
        start.wait()
        return session.post(path, pairs)

    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        return list(pool.map(send, posts))


def test_a_screen_posted_to_two_collectors_at_once_is_stored_once(
        example_site: Path, postgres: PostgresServer, tmp_path: Path) -> None:
    database = postgres.new_database()
    code = add_mediator(database, "Awa")
    batch = open_batch(database, 4)
    path = f"{AREA}/batches/{batch.id}/sheet"
    replies: list[list[Reply]] = []
    with running_collector(example_site, database, tmp_path, args=["--rate-limit", "0"]) as one, \
            running_collector(example_site, database, tmp_path,
                              args=["--rate-limit", "0"]) as other:
        awa = MediatorSession.sign_in(one, code)
        # The same browser: nginx sends each of its requests to either collector.
        twin = MediatorSession(other, awa.cookie)
        for answer in ("jour", "semaine", "mois"):
            screen = awa.get(path)
            twin.csrf = awa.csrf
            pairs = [*sheet_form_fields(screen.text), ("frequence", answer)]
            replies.append(at_once([(awa, path, pairs), (twin, path, pairs)]))
        # later, once more to the other collector (Back, then Save): nothing stored either
        late = twin.post(path, pairs)
    stored = sheets(database, batch.id)
    assert [(sheet.number, len(sheet.entries)) for sheet in stored] == [(1, 1), (2, 1), (3, 1)]
    for pair, sheet in zip(replies, stored, strict=True):
        assert [reply.status for reply in pair] == [303, 303]
        assert {reply.headers["location"] for reply in pair} == {f"{path}?saved={sheet.receipt}"}
    assert (late.status, late.headers["location"]) == (303, f"{path}?saved={stored[2].receipt}")


def test_a_typing_keeps_its_key_through_its_mistakes_and_the_next_screen_draws_another(
        example_site: Path, tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'answers.db'}"
    code = add_mediator(database, "Awa")
    batch = open_batch(database, 3)
    path = f"{AREA}/batches/{batch.id}/sheet"
    with running_collector(example_site, database, tmp_path, args=["--rate-limit", "0"]) as up:
        awa = MediatorSession.sign_in(up, code)
        screen = awa.get(path)
        mistake = awa.post(path, [*sheet_form_fields(screen.text), ("age", "quarante")])
        fixed = [*sheet_form_fields(mistake.text), ("age", "42")]
        saved, again = awa.post(path, fixed), awa.post(path, fixed)
        following = awa.get(saved.headers["location"])
    key = typing_key(screen.text)
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", key)
    assert mistake.status == 400 and typing_key(mistake.text) == key
    assert saved.status == again.status == 303
    assert saved.headers["location"] == again.headers["location"]
    assert typing_key(following.text) != key
    assert [len(sheet.entries) for sheet in sheets(database, batch.id)] == [1]


def test_a_key_no_screen_draws_is_refused_and_a_post_without_one_is_stored_as_it_comes(
        example_site: Path, tmp_path: Path) -> None:
    """A forged key changes nothing. A post without a key (a script, not a screen of ours)
    is stored every time it is sent: the key protects the screen's own posts."""
    database = f"sqlite:///{tmp_path / 'answers.db'}"
    code = add_mediator(database, "Awa")
    batch = open_batch(database, 3)
    path = f"{AREA}/batches/{batch.id}/sheet"
    with running_collector(example_site, database, tmp_path, args=["--rate-limit", "0"]) as up:
        awa = MediatorSession.sign_in(up, code)
        fields = sheet_form_fields(awa.get(path).text)
        keyless = [(name, value) for name, value in fields if name != "_typing"]
        forged = {
            "two keys": awa.post(path, [*fields, ("_typing", "A" * 22)]),
            "too short": awa.post(path, [*keyless, ("_typing", "short")]),
            "not a key": awa.post(path, [*keyless, ("_typing", "<script>alert(1)</script>")]),
        }
        unkeyed = [awa.post(path, [*keyless, ("frequence", "jour")]) for _ in range(2)]
    assert {name: reply.status for name, reply in forged.items()} == dict.fromkeys(forged, 400)
    assert [reply.status for reply in unkeyed] == [303, 303]
    assert [sheet.number for sheet in sheets(database, batch.id)] == [1, 2]


def test_a_third_typing_posted_twice_is_stored_once(
        example_site: Path, tmp_path: Path) -> None:
    site = double_entry_site(example_site, tmp_path / "site")
    database = f"sqlite:///{tmp_path / 'answers.db'}"
    code = add_mediator(database, "Chloé")
    batch = open_batch(database, 1)
    values = {"frequence": ["semaine"], "quartier": ["Les Tilleuls"]}
    type_sheet(database, site, batch.id, "Awa", values, double=True)
    receipt = type_sheet(database, site, batch.id, "Bruno", {**values, "frequence": ["mois"]},
                         double=True).sheet.receipt
    storage = open_storage(database)
    try:
        storage.send_back_sheet(receipt, "Awa", datetime.now(UTC), "ink smudge")
    finally:
        storage.close()
    path = f"{AREA}/sheets/{receipt}/again"
    with running_collector(site, database, tmp_path, args=["--rate-limit", "0"]) as up:
        chloe = MediatorSession.sign_in(up, code)
        form = chloe.get(path)
        typed = [("_form", FORM), ("_version", site_manifest(site).version),
                 ("_typing", typing_key(form.text)), ("frequence", "semaine"),
                 ("quartier", "Les Tilleuls")]
        mistake = chloe.post(path, [*typed, ("age", "quarante")])
        pressed_twice = at_once([(chloe, path, typed), (chloe, path, typed)])
        later = chloe.post(path, typed)  # the sheet counts now: found, not refused
        another = chloe.post(path, [*typed[:2], ("_typing", "B" * 22), *typed[3:]])
    assert mistake.status == 400 and typing_key(mistake.text) == typing_key(form.text)
    done = f"{AREA}/sheets/{receipt}?done=counted"
    assert [(reply.status, reply.headers["location"]) for reply in (*pressed_twice, later)] == [
        (303, done)] * 3
    assert another.status == 409  # a new typing of a sheet that waits for none
    [sheet] = sheets(database, batch.id)
    assert [(entry.entered_by, entry.again) for entry in sheet.entries] == [
        ("Awa", False), ("Bruno", False), ("Chloé", True)]
