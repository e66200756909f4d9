"""Helpers for the ``parole log`` command tests: the command run as a real process, a database
filled through the storage API, the standalone verifier run as a citizen runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from site_builder.storage import open_storage
from site_builder.storage.base import Duplicates, StoredAnswer
from tests.collector_support import PAROLE
from tests.storage_support import T0, new_answer

ORIGIN = "consultation.example.org/journal"


def parole_log(*args: str | Path, cwd: Path, language: str = "C.UTF-8",
               ) -> subprocess.CompletedProcess[str]:
    """``parole log ARGS`` in ``cwd``, its output captured (English unless ``language``)."""
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": language}
    return subprocess.run([str(PAROLE), "log", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=300, check=False, env=environment)


def succeeds(*args: str | Path, cwd: Path) -> str:
    """``parole log ARGS``, which must exit 0 and say nothing on standard error; its output."""
    result = parole_log(*args, cwd=cwd)
    assert (result.returncode, result.stderr) == (0, ""), (args, result)
    return result.stdout


def fails(status: int, *args: str | Path, cwd: Path) -> str:
    """``parole log ARGS``, which must exit with ``status`` and explain why on standard error,
    without a traceback; the explanation."""
    result = parole_log(*args, cwd=cwd)
    assert result.returncode == status, (args, result)
    assert result.stderr.strip(), result
    assert "Traceback" not in result.stderr, result.stderr
    return result.stderr


def store_answers(url: str, count: int, *, first: int = 0) -> list[StoredAnswer]:
    """``count`` online answers stored through the storage API (each gets its leaf)."""
    storage = open_storage(url)
    try:
        return [storage.store(new_answer(fingerprint=f"answer-{number}",
                                         received_at=T0 + timedelta(minutes=number),
                                         values={"priorite": [f"choix {number % 7}"]}),
                              Duplicates()).answer
                for number in range(first, first + count)]
    finally:
        storage.close()


def keygen(folder: Path) -> tuple[Path, Path]:
    """A journal key made by ``parole log keygen`` in ``folder``: the private and public files."""
    key = folder / "journal.key"
    succeeds("keygen", "--origin", ORIGIN, "--key", key, cwd=folder)
    return key, key.with_name("journal.key.pub")


def run_verifier(journal: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """The verifier published in ``journal``, run as a citizen would: its own copy, isolated
    from parole and site-packages, in English."""
    return subprocess.run([sys.executable, "-I", "-S", str(journal / "parole_verifier.py"),
                           "--journal", str(journal), "--language", "en", *map(str, args)],
                          capture_output=True, text=True, timeout=120, check=False)
