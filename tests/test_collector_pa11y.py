"""pa11y over the collector's pages, as test_pa11y.py checks the static ones: WCAG2AA, runners
htmlcs and axe, ``.pa11yci.json``'s defaults, 0 errors.

The pages are asked of a real collector (``parole collect`` on the example site) over HTTP, the
way a person gets them, then saved as ``.html`` files into a copy of the built site, so that
everything they link to (``/…`` paths are absolute) resolves when the copy is served. pa11y-ci
then runs once over them all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.collector_support import collector_pages
from tests.pa11y_support import assert_pages_pass_pa11y

pytestmark = pytest.mark.pa11y

PAGES_FOLDER = "collector-pages"
def test_every_collector_page_passes_pa11y(example_site: Path, tmp_path: Path) -> None:
    assert_pages_pass_pa11y(example_site, collector_pages(example_site, tmp_path), PAGES_FOLDER,
                            tmp_path)
