"""The build measures pages in forked batches (plugins/parole/readability.py: the measure runs
on a spare core while MkDocs reads the next pages): the report is the same, byte for byte, as
when every page is measured in the build's own process; and a build that stops before its report
leaves no child behind."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

from bench.builds import BUILD_DATE, PAROLE, write_config
from bench.sites import write_consultation
from plugins.parole import readability
from site_builder import forked
from site_builder.plain_language import TARGETS
from tests.support import build_site

PAGES = 2 * readability.FORK_BATCH + 5
"""Two batches forked, five pages measured at the end."""


@pytest.fixture
def consultation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if not forked.can_fork():
        pytest.skip("nothing forks here (one core, or threads running)")
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
    if not forked.can_fork():
        pytest.skip("nothing forks here (one core, or threads running)")
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
