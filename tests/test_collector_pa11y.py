"""pa11y over the collector's pages, as test_pa11y.py checks the static ones: WCAG2AA, runners
htmlcs and axe, ``.pa11yci.json``'s defaults, 0 errors.

The pages are asked of a real collector (``parole collect`` on the example site) over HTTP, the
way a person gets them, then saved as ``.html`` files into a copy of the built site, so that
everything they link to (``/…`` paths are absolute) resolves when the copy is served. pa11y-ci
then runs once over them all.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.collector_support import collector_pages
from tests.pa11y_support import describe_failures, require_tools, run_pa11y_ci
from tests.support import serve_site

pytestmark = pytest.mark.pa11y

PAGES_FOLDER = "collector-pages"
def test_every_collector_page_passes_pa11y(example_site: Path, tmp_path: Path) -> None:
    require_tools(pa11y=True)
    site_copy = tmp_path / "site"
    shutil.copytree(example_site, site_copy)
    folder = site_copy / PAGES_FOLDER
    folder.mkdir()
    statuses = {}
    for name, expected, reply in collector_pages(example_site, tmp_path):
        statuses[name] = (expected, reply.status)
        (folder / name).write_text(reply.text, encoding="utf-8")
    assert all(expected == got for expected, got in statuses.values()), statuses

    with serve_site(site_copy) as base_url:
        urls = {f"{base_url}{PAGES_FOLDER}/{name}": name for name in statuses}
        reports = run_pa11y_ci(list(urls), tmp_path)
    failed = [report for report in reports.values() if report.failed]
    assert not failed, describe_failures(list(reports.values()), lambda url: urls[url])
