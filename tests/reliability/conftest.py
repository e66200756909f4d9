"""Fixtures shared by the reliability suites: the run's scale (short or full), the figures
recorder (:mod:`tests.reliability.figures`), and the network watch
(:mod:`tests.reliability.netwatch`) that fails any test during which something the suites
started talked to anything but 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.figures import FIGURES_ENVIRONMENT, Figures, Scale, scale_from_environment
from tests.reliability.netwatch import LOG_VARIABLE, NetWatch


@pytest.fixture(scope="session")
def scale() -> Scale:
    """Short in the test command, full under ``python -m tests.reliability``."""
    return scale_from_environment()


@pytest.fixture(scope="session")
def figures() -> Iterator[Figures]:
    recorded = Figures()
    yield recorded
    destination = os.environ.get(FIGURES_ENVIRONMENT)
    if destination:
        recorded.write(Path(destination))


@pytest.fixture(scope="session", autouse=True)
def netwatch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NetWatch]:
    """The network watch, for the whole reliability run. Session-wide and automatic, so that
    it starts before any other session fixture (the PostgreSQL server among them)."""
    watch = NetWatch(tmp_path_factory.mktemp("netwatch"))
    watch.start()
    try:
        yield watch
    finally:
        watch.stop()


@pytest.fixture(scope="package", autouse=True)
def _python_children_watched(netwatch: NetWatch, figures: Figures) -> Iterator[None]:
    """Every Python process started by the reliability suites loads the watch's hook (through
    PYTHONPATH, which children inherit); at the end, the run's count goes into the figures and
    the watch stops, so that the other test folders run unwatched."""
    saved = {name: os.environ.get(name) for name in ("PYTHONPATH", LOG_VARIABLE)}
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(netwatch.python_folder), *filter(None, [saved["PYTHONPATH"]])])
    os.environ[LOG_VARIABLE] = str(netwatch.log_path)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        outside = netwatch.take_outside()
        figures.add("privacy", {"check": "no connection leaves 127.0.0.1 (every test run)",
                                "connections checked": netwatch.connections_checked(),
                                "non-loopback seen": netwatch.outside_seen})
        netwatch.stop()
    if outside:
        pytest.fail(_outside_message(outside, "after the last reliability test"), pytrace=False)


@pytest.fixture(autouse=True)
def _no_connection_leaves(netwatch: NetWatch) -> Iterator[None]:
    """Fails the test during which (or before which, in a fixture) anything the suites
    started connected, or tried to, to another address than loopback."""
    yield
    outside = netwatch.take_outside()
    if outside:
        pytest.fail(_outside_message(outside, "during this test"), pytrace=False)


def _outside_message(outside: list[str], when: str) -> str:
    lines = "\n".join(f"  {line}" for line in outside)
    return (f"a connection left 127.0.0.1 {when} (process, watcher, verdict, destination); "
            f"expected none:\n{lines}")
