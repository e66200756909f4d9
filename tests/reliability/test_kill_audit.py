"""kill -9 of ``parole audit --statement`` (issue #17) while it writes its report and the
accessibility statement: a real process (and its Chromium), killed with ``SIGKILL`` at random
moments (``PAROLE_KILL_SEED`` replays them), several rounds in a row, on a copy of a sample
site (``tests/sites/minimal``), built once.

The command writes the report twice (``--output``, and ``<docs>/audit/`` for the statement to
link) and then the statement page (``<docs>/accessibilite.md``). The rounds take turns: killed
after a random delay (anywhere in the run, browser included), the moment a temporary file
appears or changes in the report folder, in ``<docs>/audit/``, or the moment the statement's
temporary file appears or the statement changes. Before each round the statement is the
organizer's own hand-written page again, so that every round can tell the previous one from
the new one. After each kill:

- each report file (``audit.json``, ``index.html``, in both folders) is the previous one byte
  for byte or a whole new one (``audit.json`` a complete document of every page audited, the
  HTML page to its ``</html>``), never a part of one;
- the statement is the hand-written page or the generated one, byte for byte;
- temporary files may be left (the kill came first): the next run that ends removes them.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.audit_run_support import AUDIT_JSON, REPORT_HTML, audit_command, audit_environment
from tests.reliability.command_kill import kill_after
from tests.reliability.figures import Figures, Scale
from tests.reliability.kill_support import chosen_seed
from tests.support import SITES, build_site

SOURCE = SITES / "minimal"
STATEMENT = "accessibilite.md"
REPORT_FOLDER = "audit"
POLL = 0.00002
"""Seconds between two looks at the files while waiting for the command to write."""
MOMENTS = ("random delay", "writing the report", "writing the report in the docs",
           "writing the statement")
PREVIOUS, NEW = "previous", "new"


@pytest.fixture(scope="module")
def seed() -> int:
    return chosen_seed("kill -9 of parole audit --statement")


def _start(source: Path, output: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(audit_command(source / "site", output, "--statement"), cwd=source,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=audit_environment())


def _complete(source: Path, output: Path) -> float:
    """A run to its end (exit 0: the sample site has no error); its seconds."""
    started = time.monotonic()
    process = _start(source, output)
    errors = process.communicate(timeout=1800)[1].decode()
    assert process.returncode == 0, f"parole audit ended with {process.returncode}: {errors}"
    return time.monotonic() - started


def temporary_files(folder: Path) -> list[Path]:
    """What a write in progress leaves: any file whose name starts with a dot."""
    return sorted(path for path in folder.glob(".*") if path.is_file()) \
        if folder.is_dir() else []


def _report_files(folder: Path) -> list[Path]:
    return [folder / AUDIT_JSON, folder / REPORT_HTML]


def _left(output: Path, docs: Path) -> list[Path]:
    """Temporary files in the report folder, the docs' report folder and the docs folder
    (the statement's)."""
    return temporary_files(output) + temporary_files(docs / REPORT_FOLDER) + \
        temporary_files(docs)


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return (found.st_ino, found.st_mtime_ns, found.st_size)


def _watch(files: Callable[[], list[Path]]) -> Callable[[], object]:
    """What to compare to tell a write began: the files' names and stats."""
    return lambda: [(path.name, _stat(path)) for path in files()]


def kill_when_changed(process: subprocess.Popen[bytes], look: Callable[[], object]) -> bool:
    """SIGKILL ``process`` the moment ``look()`` differs from now; False when it ended first.
    The files watched include the one being replaced: a temporary file written and renamed
    between two looks still changes it, and the kill comes at the latest just after."""
    before = look()
    while process.poll() is None:
        if look() != before:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(POLL)
    return False


def report_state(folder: Path, previous: Mapping[str, bytes | None], pages: int) -> dict[str, str]:
    """Each report file's state: ``PREVIOUS`` (byte for byte) or ``NEW`` (whole);
    AssertionError for anything else."""
    states = {}
    for name in (AUDIT_JSON, REPORT_HTML):
        path = folder / name
        content = path.read_bytes() if path.exists() else None
        if content == previous[name]:
            states[name] = PREVIOUS
            continue
        assert content is not None, f"{path} is gone"
        text = content.decode("utf-8")
        if name == AUDIT_JSON:
            document: dict[str, Any] = json.loads(text)  # a cut file does not parse
            assert document["format"] == 1 and len(document["pages"]) == pages, path
            assert document["totals"]["pages"] == pages, path
        else:
            assert text.lstrip().lower().startswith("<!doctype html") and \
                text.rstrip().endswith("</html>"), f"{path} is cut: …{text[-200:]!r}"
        states[name] = NEW
    return states


def test_parole_audit_killed_leaves_whole_reports_and_statement(
    tmp_path: Path, scale: Scale, figures: Figures, seed: int,
) -> None:
    delays = random.Random(seed + 17)
    source = tmp_path / "consultation"
    shutil.copytree(SOURCE, source)
    build_site(source / "mkdocs.yml", source / "site")
    output, docs = tmp_path / "report", source / "docs"
    docs_report, statement = docs / REPORT_FOLDER, docs / STATEMENT
    hand_written = statement.read_bytes()
    seconds = _complete(source, output)
    generated = statement.read_bytes()
    assert generated != hand_written
    pages = json.loads((output / AUDIT_JSON).read_text(encoding="utf-8"))["totals"]["pages"]
    watched: dict[str, Callable[[], object]] = {
        MOMENTS[1]: _watch(lambda: [*temporary_files(output), *_report_files(output)]),
        MOMENTS[2]: _watch(lambda: [*temporary_files(docs_report),
                                    *_report_files(docs_report)]),
        MOMENTS[3]: _watch(lambda: [*temporary_files(docs), statement]),
    }
    rounds = scale.pick(4, 16)
    states: Counter[str] = Counter()
    killed_writing: Counter[str] = Counter()
    left = 0
    for number in range(1, rounds + 1):
        moment = MOMENTS[(number - 1) % len(MOMENTS)]
        when = f"round {number}, killed at {moment} (seed {seed})"
        statement.write_bytes(hand_written)  # the organizer's page, to tell old from new
        before = {folder: {name: (folder / name).read_bytes() for name in
                           (AUDIT_JSON, REPORT_HTML)} for folder in (output, docs_report)}
        had_temporary = bool(_left(output, docs))
        process = _start(source, output)
        if moment == MOMENTS[0]:
            killed = kill_after(process, delays.uniform(0.05, 1.2 * seconds))
        else:
            killed = kill_when_changed(process, watched[moment])
            killed_writing[moment] += killed
        errors = process.communicate()[1].decode()
        assert killed or process.returncode == 0, (
            f"{when}: parole audit ended with {process.returncode}: {errors}")
        for folder in (output, docs_report):
            for name, state in report_state(folder, before[folder], pages).items():
                states[f"{name} {state}"] += 1
        now = statement.read_bytes()
        assert now in (hand_written, generated), (
            f"{when}: the statement is neither the organizer's page nor the generated one "
            f"({len(now)} bytes): …{now[-200:]!r}")
        states[f"statement {PREVIOUS if now == hand_written else NEW}"] += 1
        stray = _left(output, docs)
        if not killed:
            assert not stray, f"{when}: a run that ended left {stray} (before: {had_temporary})"
        left += bool(stray)
    _complete(source, output)
    stray = _left(output, docs)
    assert not stray, f"the next run that ends leaves no temporary file: {stray}"
    assert statement.read_bytes() == generated
    figures.add("kill", {
        "backend": "parole audit --statement (kill -9 at random, writing its reports or the "
                   "statement)",
        "rounds": rounds,
        "files after the kill": ", ".join(f"{key} {count}" for key, count in sorted(
            states.items())),
        "killed while writing": ", ".join(f"{moment} {killed_writing[moment]}"
                                          for moment in MOMENTS[1:]),
        "rounds ending beside a temporary file": left,
        "integrity check": f"whole in {rounds} of {rounds} rounds",
        "seed": str(seed),
    })
    assert all(killed_writing[moment] for moment in MOMENTS[1:]), (
        f"not killed at every moment of writing: {killed_writing}")
