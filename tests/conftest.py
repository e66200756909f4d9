from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from site_builder.calendar import BUILD_DATE_VARIABLE
from site_builder.collector.secret import SECRET_FILE_VARIABLE
from site_builder.messages import use_language
from site_builder.storage import open_storage
from site_builder.storage.base import Storage
from tests.pa11y_support import require_tools
from tests.postgres_support import PostgresServer, postgres_server
from tests.support import CHROMIUM, CHROMIUM_ARGS, REPO, TEST_DAY, build_site


def pytest_configure(config: pytest.Config) -> None:
    """Before any test module is imported: some compute a day from the build date at import."""
    os.environ.setdefault(BUILD_DATE_VARIABLE, TEST_DAY)


@pytest.fixture(scope="session", autouse=True)
def _collector_secret_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Collectors started by the tests (in this process or as ``parole`` processes, which
    inherit the environment) keep their secret in a file of the session's, never in the home
    folder of whoever runs the tests."""
    saved = os.environ.get(SECRET_FILE_VARIABLE)
    os.environ[SECRET_FILE_VARIABLE] = str(tmp_path_factory.mktemp("secret") / "secret")
    yield
    if saved is None:
        os.environ.pop(SECRET_FILE_VARIABLE, None)
    else:
        os.environ[SECRET_FILE_VARIABLE] = saved


@pytest.fixture(autouse=True)
def _messages_in_the_environment_language() -> None:
    """A French build earlier in the session must not leave its language to the next test."""
    use_language(None)


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


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server (tests/postgres_support.py), started on first use."""
    with postgres_server() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def storage_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend in turn: the storage tests run on both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'answers.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.new_database()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_storage_url(request: pytest.FixtureRequest,
                       tmp_path_factory: pytest.TempPathFactory) -> str:
    """Like ``storage_url``, one database per test module: for suites that start a collector
    once and send it many answers."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'answers.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.new_database()


@pytest.fixture
def storage(storage_url: str) -> Iterator[Storage]:
    """The database of ``storage_url``, opened (and closed after the test)."""
    opened = open_storage(storage_url)
    yield opened
    opened.close()


@pytest.fixture
def open_collector(storage_url: str) -> Iterator[Callable[[], Storage]]:
    """Opens more storages on the same database (as several collectors would), closed after."""
    opened: list[Storage] = []

    def open_another() -> Storage:
        opened.append(open_storage(storage_url))
        return opened[-1]

    yield open_another
    for each in opened:
        each.close()
