"""pa11y over the batch pages of the mediators' area, as test_collector_pa11y.py checks the
collector's: WCAG2AA, runners htmlcs and axe (``.pa11yci.json``'s defaults), 0 errors; and the
Nu HTML checker over the same pages, as test_html_validity.py checks the collector's: 0 errors.

A real ``parole collect`` (SQLite) serves the pages to a signed-in mediator over HTTP; they are
saved into a copy of the built site, so that what they link to resolves, and pa11y-ci runs once
over them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.storage import open_storage
from tests.batch_support import (
    AREA,
    MediatorSession,
    add_mediator,
    new_batch_pairs,
    sheet_form_fields,
)
from tests.collector_support import Reply, running_collector
from tests.pa11y_support import assert_pages_pass_pa11y
from tests.test_html_validity import assert_pages_are_valid_html

PAGES_FOLDER = "entry-pages"


def batch_pages(site_dir: Path, log_dir: Path) -> Iterator[tuple[str, int, Reply]]:
    """``(file name, expected status, reply)`` for every batch page: the home, the batch form
    (fresh, with errors), the entry screen (fresh, with errors, after a save, every sheet in),
    a closed batch and an unknown one."""
    database = f"sqlite:///{log_dir / 'answers.db'}"
    code = add_mediator(database, "Chloé", coordinator=True)
    with running_collector(site_dir, database, log_dir, args=["--rate-limit", "0"]) as up:
        chloe = MediatorSession(up)
        chloe.sign_in(code)
        yield "new-batch.html", 200, chloe.get(f"{AREA}/batches/new")
        yield "new-batch-errors.html", 400, chloe.post(
            f"{AREA}/batches/new", new_batch_pairs(place="", day="demain", sheets="0"))
        opened = chloe.post(f"{AREA}/batches/new", new_batch_pairs(sheets="2"))
        path = opened.headers["location"]
        screen = chloe.get(path)
        yield "sheet.html", 200, screen
        yield "sheet-errors.html", 400, chloe.post(path, [
            *sheet_form_fields(screen.text), ("age", "douze"), ("idee", "Oui"),
            ("_spoiled", "idee")])
        saved = chloe.post(path, [*sheet_form_fields(screen.text), ("frequence", "jour")])
        after = chloe.follow(saved)
        yield "sheet-saved.html", 200, after
        last = chloe.post(path, [*sheet_form_fields(after.text), ("frequence", "mois")])
        yield "sheet-done.html", 200, chloe.follow(last)
        small = chloe.post(f"{AREA}/batches/new", new_batch_pairs(sheets="1"))
        small_path = small.headers["location"]
        one = chloe.get(small_path)
        chloe.post(small_path, [*sheet_form_fields(one.text), ("frequence", "jour")])
        storage = open_storage(database)
        try:
            batch_id = int(small_path.split("/")[-2])
            storage.close_batch(batch_id, "Chloé", storage.batch(batch_id).created_at)  # type: ignore[union-attr]
        finally:
            storage.close()
        yield "sheet-closed.html", 409, chloe.get(small_path)
        yield "sheet-unknown.html", 404, chloe.get(f"{AREA}/batches/999/sheet")
        yield "home.html", 200, chloe.get(f"{AREA}/")


@pytest.mark.pa11y
def test_every_batch_page_passes_pa11y(example_site: Path, tmp_path: Path) -> None:
    assert_pages_pass_pa11y(example_site, batch_pages(example_site, tmp_path), PAGES_FOLDER,
                            tmp_path)


@pytest.mark.nu
def test_every_batch_page_is_valid_html(example_site: Path, tmp_path: Path) -> None:
    assert_pages_are_valid_html(batch_pages(example_site, tmp_path), tmp_path / PAGES_FOLDER)
