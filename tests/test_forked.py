"""Work in a forked child: the same result as in the process itself, whatever happens.

Each case runs in a fresh Python process with only its main thread, as ``mkdocs build`` is: the
test process itself may have other threads (servers of other tests), where forking is refused.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from site_builder.forked import Forked
from tests.support import REPO

SCRIPT = """
import json, os, sys, threading, time
from site_builder.forked import Forked

case = sys.argv[1]
main = os.getpid()
log = []

def work():
    log.append(os.getpid())
    if case == "the work fails" :
        raise ValueError("a real error, raised again where the build reports it")
    if case == "the child is killed" and os.getpid() != main:
        os.kill(os.getpid(), 9)
    if case == "a long work is stopped":
        time.sleep(60)
    return {"pages": list(range(3)), "text": "é" * 100_000}

if case == "another thread runs":
    threading.Thread(target=time.sleep, args=(2,), daemon=True).start()
job = Forked(work)
report = {"forked": job.forked}
if case == "a long work is stopped":
    pid = job._pid
    start = time.monotonic()
    job.close()
    report["stopped_in"] = time.monotonic() - start
    try:
        os.kill(pid, 0)
        report["child_left"] = True
    except ProcessLookupError:
        report["child_left"] = False
else:
    try:
        result = job.result()
        report["same"] = result == {"pages": [0, 1, 2], "text": "é" * 100_000}
    except ValueError as error:
        report["error"] = str(error)
    report["worked_here"] = main in log
print(json.dumps(report))
"""


def run(case: str) -> dict[str, object]:
    finished = subprocess.run([sys.executable, "-c", SCRIPT, case], capture_output=True,
                              text=True, check=True, cwd=REPO, timeout=60)
    report: dict[str, object] = json.loads(finished.stdout)
    return report


needs_two_cores = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: never forks")


@needs_two_cores
def test_the_work_is_done_in_a_child_and_its_result_comes_back() -> None:
    assert run("a child does it") == {"forked": True, "same": True, "worked_here": False}


@needs_two_cores
def test_a_child_that_dies_is_replaced_by_the_work_done_here() -> None:
    assert run("the child is killed") == {"forked": True, "same": True, "worked_here": True}


@needs_two_cores
def test_an_error_in_the_work_is_raised_here() -> None:
    assert run("the work fails") == {
        "forked": True, "error": "a real error, raised again where the build reports it",
        "worked_here": True}


def test_with_another_thread_running_the_work_is_done_here() -> None:
    assert run("another thread runs") == {"forked": False, "same": True, "worked_here": True}


@needs_two_cores
def test_a_stopped_child_leaves_nothing_behind() -> None:
    report = run("a long work is stopped")
    assert report["forked"] is True
    assert report["child_left"] is False  # killed and reaped: no process, no zombie
    assert isinstance(report["stopped_in"], float) and report["stopped_in"] < 30


def test_asked_not_to_fork_it_works_here() -> None:
    job = Forked(os.getpid, fork=False)
    assert not job.forked
    assert job.result() == os.getpid()
