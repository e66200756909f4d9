"""The answer log in the kill -9 rounds (issue #19): ``parole log checkpoint`` started while the
collector writes answers, killed with it when still at work, and ``parole log publish`` between
rounds, all as processes, as an organizer's cron or the collector itself would run them."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from site_builder.storage import open_storage
from tests.collector_support import PAROLE
from tests.log_command_support import succeeds


@dataclass(frozen=True)
class Signing:
    process: subprocess.Popen[bytes]
    output: Path


def start_signing(database_url: str, key: Path, folder: Path) -> Signing:
    """``parole log checkpoint`` started, its output added to ``folder/checkpoint.log``."""
    path = folder / "checkpoint.log"
    with path.open("ab") as output:
        process = subprocess.Popen([str(PAROLE), "log", "checkpoint", "--db", database_url,
                                    "--key", str(key)], stdout=output, stderr=subprocess.STDOUT)
    return Signing(process, path)


def stop_signing(signing: Signing) -> None:
    """SIGKILL for a signing still at work (cut off mid-way, as the collector is); one that
    finished said why it stopped, without a traceback (signed, an empty log, the database down
    during an outage)."""
    if signing.process.poll() is None:
        signing.process.kill()
    signing.process.wait()
    said = signing.output.read_text(encoding="utf-8")
    assert "Traceback" not in said, f"parole log checkpoint failed with a traceback:\n{said}"


def publish(database_url: str, key: Path, folder: Path) -> Path | None:
    """``parole log publish`` of the newest stored checkpoint into ``folder/journal``; its
    ``checkpoint`` file, or None when no checkpoint is stored yet."""
    storage = open_storage(database_url)
    try:
        signed = bool(storage.checkpoints())
    finally:
        storage.close()
    if not signed:
        return None
    journal = folder / "journal"
    succeeds("publish", "--db", database_url, "--key", key, "--output", journal, cwd=folder)
    return journal / "checkpoint"
