"""pa11y and the Nu HTML checker over the review pages and the assisted form (issue #15: every
new page passes pa11y, both runners, 0 errors), as test_collector_pa11y.py and
test_html_validity.py do for the citizens' collector pages: asked of a real ``parole collect``
by signed-in mediators, saved into a copy of the built site so that what they link to
resolves, then checked by pa11y-ci (WCAG2AA, htmlcs and axe) and by the Nu checker."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.pa11y_support import describe_failures, require_tools, run_pa11y_ci
from tests.review_support import double_entry_site, review_pages
from tests.support import serve_site
from tests.test_html_validity import check_html, describe

PAGES_FOLDER = "review-pages"


@pytest.mark.pa11y
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


@pytest.mark.nu
def test_every_review_page_is_valid_html(example_site: Path, tmp_path: Path) -> None:
    site = double_entry_site(example_site, tmp_path / "site")
    pages = tmp_path / "pages"
    pages.mkdir()
    for name, expected, reply in review_pages(site, tmp_path):
        assert reply.status == expected, name
        (pages / name).write_text(reply.text, encoding="utf-8")
    files = sorted(pages.glob("*.html"))
    findings = check_html(files)
    assert not findings, describe(findings, len(files), pages)
