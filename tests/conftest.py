from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import REPO, build_site


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite tests/goldens/ from the current output (review the diff!)")


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example consultation (root mkdocs.yml), built once in strict mode."""
    return build_site(REPO / "mkdocs.yml", tmp_path_factory.mktemp("example") / "site")
