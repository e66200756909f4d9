"""pa11y over the review pages and the assisted form (issue #15: every new page passes pa11y,
both runners, 0 errors), as test_collector_pa11y.py does for the citizens' collector pages:
asked of a real ``parole collect`` by signed-in mediators, saved into a copy of the built site
so that what they link to resolves, then checked by pa11y-ci (WCAG2AA, htmlcs and axe)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.collector_support import Reply, answer, running_collector
from tests.pa11y_support import describe_failures, require_tools, run_pa11y_ci
from tests.review_support import (
    AREA,
    FORM,
    MediatorSession,
    add_mediator,
    double_entry_site,
    open_batch,
    type_sheet,
)
from tests.support import serve_site

pytestmark = pytest.mark.pa11y

PAGES_FOLDER = "review-pages"
SHEET = {"frequence": ["semaine"], "quartier": ["Les Tilleuls"]}


def review_pages(site: Path, log_dir: Path) -> Iterator[tuple[str, int, Reply]]:
    """``(file name, expected status, reply)`` for every page of the review and the assisted
    answers, as a coordinator and a mediator get them, with and without errors."""
    database = f"sqlite:///{log_dir / 'answers.db'}"
    awa_code = add_mediator(database, "Awa", coordinator=True)
    bruno_code = add_mediator(database, "Bruno")
    batch = open_batch(database, 3)
    counted = type_sheet(database, site, batch.id, "Awa", SHEET, double=True)
    type_sheet(database, site, batch.id, "Bruno", SHEET, double=True)
    type_sheet(database, site, batch.id, "Awa", SHEET, double=True)
    differs = type_sheet(database, site, batch.id, "Bruno", {**SHEET, "frequence": ["mois"]},
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
        yield "again.html", 200, bruno.get(f"{differs_path}/again")
        assisted = f"{AREA}/assisted/{FORM}"
        yield "assisted.html", 200, bruno.get(assisted)
        yield "assisted-errors.html", 400, bruno.post(assisted, answer(site, ("age", "x")))


def test_every_review_page_passes_pa11y(example_site: Path, tmp_path: Path) -> None:
    require_tools(pa11y=True)
    site = double_entry_site(example_site, tmp_path / "site")
    site_copy = tmp_path / "served"
    shutil.copytree(site, site_copy)
    folder = site_copy / PAGES_FOLDER
    folder.mkdir()
    statuses = {}
    for name, expected, reply in review_pages(site, tmp_path):
        statuses[name] = (expected, reply.status)
        (folder / name).write_text(reply.text, encoding="utf-8")
    assert all(expected == got for expected, got in statuses.values()), statuses

    with serve_site(site_copy) as base_url:
        urls = {f"{base_url}{PAGES_FOLDER}/{name}": name for name in statuses}
        reports = run_pa11y_ci(list(urls), tmp_path)
    failed = [report for report in reports.values() if report.failed]
    assert not failed, describe_failures(list(reports.values()), lambda url: urls[url])
