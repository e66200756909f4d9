"""pa11y over the batch pages of the mediators' area, as test_collector_pa11y.py checks the
collector's: WCAG2AA, runners htmlcs and axe (``.pa11yci.json``'s defaults), 0 errors; and the
Nu HTML checker over the same pages, as test_html_validity.py checks the collector's: 0 errors.

A real ``parole collect`` (SQLite) serves the pages to a signed-in mediator over HTTP; they are
saved into a copy of the built site, so that what they link to resolves, and pa11y-ci runs once
over them all.
"""

from __future__ import annotations

import shutil
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
from tests.pa11y_support import describe_failures, require_tools, run_pa11y_ci
from tests.support import serve_site
from tests.test_html_validity import check_html, describe

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
    require_tools(pa11y=True)
    site_copy = tmp_path / "site"
    shutil.copytree(example_site, site_copy)
    folder = site_copy / PAGES_FOLDER
    folder.mkdir()
    statuses = {}
    for name, expected, reply in batch_pages(example_site, tmp_path):
        statuses[name] = (expected, reply.status)
        (folder / name).write_text(reply.text, encoding="utf-8")
    assert all(expected == got for expected, got in statuses.values()), statuses

    with serve_site(site_copy) as base_url:
        urls = {f"{base_url}{PAGES_FOLDER}/{name}": name for name in statuses}
        reports = run_pa11y_ci(list(urls), tmp_path)
    failed = [report for report in reports.values() if report.failed]
    assert not failed, describe_failures(list(reports.values()), lambda url: urls[url])


@pytest.mark.nu
def test_every_batch_page_is_valid_html(example_site: Path, tmp_path: Path) -> None:
    folder = tmp_path / PAGES_FOLDER
    folder.mkdir()
    files = []
    for name, expected, reply in batch_pages(example_site, tmp_path):
        assert reply.status == expected, (name, reply.status)
        files.append(folder / name)
        files[-1].write_text(reply.text, encoding="utf-8")
    findings = check_html(files)
    assert not findings, describe(findings, len(files), folder)
