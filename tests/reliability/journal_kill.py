"""``parole log publish`` killed (``test_kill_commands.py``): a database whose log has two
checkpoints, the journal published for each (the references), and what a journal folder holds
after a kill, compared with them.

A web server serves every file whose name does not start with a dot: those are what must be
whole. The partial files a killed run leaves (``.<name>.<random>.partial``) and the publish
lock (``.parole-publish.lock``) start with a dot.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from site_builder.answer_log_commands.publish import CHECKPOINT, INDEX
from site_builder.safe_files import PARTIAL
from tests.collector_support import PAROLE
from tests.log_command_support import keygen, store_answers, succeeds

PUBLISHED_BY_BOTH = (CHECKPOINT, INDEX)
"""The files a journal replaces as it grows: every other one is written once."""


@dataclass(frozen=True)
class Journals:
    """The database, its key, and the journal as published at the first checkpoint
    (``old``), at the second over the first (``new``: the old partial tiles stay) and at the
    second into an empty folder (``fresh``), each made by a complete run."""

    url: str
    public_key: Path
    old: Path
    new: Path
    fresh: Path


def two_journals(folder: Path, first: int, more: int) -> Journals:
    """A SQLite database of ``first`` answers, signed and published (``old``), then
    ``more`` answers, signed and published (``new``, ``fresh``)."""
    url = f"sqlite:///{folder / 'answers.db'}"
    key, public = keygen(folder)
    store_answers(url, first)
    succeeds("checkpoint", "--db", url, "--key", key, cwd=folder)
    old = folder / "old-journal"
    succeeds("publish", "--db", url, "--key", public, "--output", old, cwd=folder)
    store_answers(url, more, first=first)
    succeeds("checkpoint", "--db", url, "--key", key, cwd=folder)
    new = folder / "new-journal"
    shutil.copytree(old, new)
    succeeds("publish", "--db", url, "--key", public, "--output", new, cwd=folder)
    fresh = folder / "fresh-journal"
    succeeds("publish", "--db", url, "--key", public, "--output", fresh, cwd=folder)
    return Journals(url, public, old, new, fresh)


def served_files(journal: Path) -> dict[str, bytes]:
    """What a web server would serve from ``journal``: path → bytes."""
    if not journal.is_dir():
        return {}
    return {path.relative_to(journal).as_posix(): path.read_bytes()
            for path in journal.rglob("*")
            if path.is_file() and not any(part.startswith(".")
                                          for part in path.relative_to(journal).parts)}


def partial_files(journal: Path) -> list[Path]:
    return sorted(journal.rglob(f".*{PARTIAL}")) if journal.is_dir() else []


def journal_state(journal: Path, journals: Journals) -> str:
    """``none`` (nothing published), ``old``, ``new`` or ``between`` (the old journal still
    what ``checkpoint`` says, some of the new one's files already written); AssertionError if
    any served file is not whole, or the index lists a checkpoint newer than ``checkpoint``."""
    served = served_files(journal)
    old, new = served_files(journals.old), served_files(journals.new)
    for path, content in served.items():
        if path in PUBLISHED_BY_BOTH:
            assert content in (old.get(path), new[path]), f"{path} is neither old nor new"
        else:
            assert content == new.get(path), f"{path} is not whole, or not the journal's"
    if CHECKPOINT not in served:
        return "none"
    if served[CHECKPOINT] == new[CHECKPOINT]:
        assert set(served_files(journals.fresh)) <= set(served), \
            "the new checkpoint without all its files"
        return "new"
    assert set(old) <= set(served), "the old checkpoint without all its files"
    return "old" if set(served) == set(old) else "between"


def start_publish(journals: Journals, output: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(PAROLE), "log", "publish", "--db", journals.url, "--key",
         str(journals.public_key), "--output", str(output)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "LANG": "C.UTF-8"})


POLL = 0.0002


def kill_when_changed(process: subprocess.Popen[bytes], folder: Path) -> bool:
    """SIGKILL ``process`` the moment ``folder`` appears or an entry is added to it (a tile
    being written: its partial file, or its rename); True when it was killed then."""
    def seen() -> int | None:
        try:
            return folder.stat().st_mtime_ns
        except FileNotFoundError:
            return None

    before = seen()
    while process.poll() is None:
        if seen() != before:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(POLL)
    return False
