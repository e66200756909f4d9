"""The build measures pages in forked batches (plugins/parole/readability.py: the measure runs
on a spare core while MkDocs reads the next pages): the report is the same, byte for byte, as
when every page is measured in the build's own process; and a build that stops before its report
leaves no child behind.

The test session's own process runs threads (browsers, servers, the collector in a thread),
which makes forking unsafe, so ``can_fork`` says no there and the build does not fork: the last
test then runs this module again in a fresh pytest process, where the others must fork and
pass (a skip there is a failure)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.builds import BUILD_DATE, PAROLE, write_config
from bench.sites import write_consultation
from plugins.parole import readability
from site_builder import forked
from site_builder.plain_language import TARGETS
from tests.support import REPO, build_site

PAGES = 2 * readability.FORK_BATCH + 5
"""Two batches forked, five pages measured at the end."""
CHILD = "PAROLE_FORKED_TESTS_CHILD"
"""Set in the fresh process that runs this module's forking tests: they must fork there."""


def _fork_or_skip() -> None:
    if forked.can_fork():
        return
    if os.environ.get(CHILD):
        pytest.fail("a fresh process on a machine with a spare core should be able to fork")
    pytest.skip("nothing forks here (one core, or threads running): checked in a fresh process")


@pytest.fixture
def consultation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _fork_or_skip()
    monkeypatch.setenv("PAROLE_BUILD_DATE", BUILD_DATE)
    docs, nav = write_consultation(tmp_path, PAGES)
    return write_config(tmp_path, PAROLE, docs, nav)


def test_forked_batches_give_the_same_report(consultation: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    start = forked.Forked._start

    def counted(self: forked.Forked[object]) -> None:
        started.append(1)
        start(self)

    monkeypatch.setattr(forked.Forked, "_start", counted)
    batched = build_site(consultation, tmp_path / "batched") / "readability.json"
    assert len(started) == PAGES // readability.FORK_BATCH
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    alone = build_site(consultation, tmp_path / "alone") / "readability.json"
    assert len(started) == PAGES // readability.FORK_BATCH  # no fork the second time
    assert batched.read_bytes() == alone.read_bytes()
    assert batched.read_text(encoding="utf-8").count('"source"') == PAGES


def test_a_build_stopped_before_its_report_leaves_no_child(tmp_path: Path) -> None:
    _fork_or_skip()
    adapter = readability.ReadabilityAdapter()
    page = readability._PageSource("a.md", "a/index.html", "# Titre\n\nUne phrase.\n", "fr",
                                   TARGETS["default"])
    adapter.batches.append(forked.Forked(lambda: readability._measure([page] * 2000)))
    (child,) = [batch._pid for batch in adapter.batches]
    assert child is not None
    del adapter  # a failed build: no report, the next build's on_config makes a new adapter
    gc.collect()
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # stopped and reaped


def test_the_forking_tests_pass_in_a_process_without_threads() -> None:
    if os.environ.get(CHILD):
        pytest.skip("this is that process")
    if forked.spare_cores() == 0:
        pytest.skip("one core: builds never fork here")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__,
         "-k", "not process_without_threads"],
        cwd=REPO, env={**os.environ, CHILD: "1"}, capture_output=True, text=True, timeout=600,
        check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "2 passed" in result.stdout, result.stdout[-3000:]
