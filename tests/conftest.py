from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.pa11y_support import require_tools
from tests.support import CHROMIUM, CHROMIUM_ARGS, REPO, build_site


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite tests/goldens/ from the current output (review the diff!)")


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example consultation (root mkdocs.yml), built once in strict mode."""
    return build_site(REPO / "mkdocs.yml", tmp_path_factory.mktemp("example") / "site")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """The system Chromium, started once for every browser test of the session."""
    require_tools(pa11y=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
