"""pa11y and the Nu HTML checker over the review pages and the assisted form (issue #15: every
new page passes pa11y, both runners, 0 errors), as test_collector_pa11y.py and
test_html_validity.py do for the citizens' collector pages: asked of a real ``parole collect``
by signed-in mediators, saved into a copy of the built site so that what they link to
resolves, then checked by pa11y-ci (WCAG2AA, htmlcs and axe) and by the Nu checker."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pa11y_support import assert_pages_pass_pa11y, require_tools
from tests.review_support import double_entry_site, review_pages
from tests.test_html_validity import assert_pages_are_valid_html

PAGES_FOLDER = "review-pages"


@pytest.mark.pa11y
def test_every_review_page_passes_pa11y(example_site: Path, tmp_path: Path) -> None:
    require_tools(pa11y=True)  # before building the double-entry copy of the site
    site = double_entry_site(example_site, tmp_path / "site")
    assert_pages_pass_pa11y(site, review_pages(site, tmp_path), PAGES_FOLDER, tmp_path)


@pytest.mark.nu
def test_every_review_page_is_valid_html(example_site: Path, tmp_path: Path) -> None:
    site = double_entry_site(example_site, tmp_path / "site")
    assert_pages_are_valid_html(review_pages(site, tmp_path), tmp_path / "pages")
