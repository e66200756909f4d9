"""A throwaway PostgreSQL server for the storage tests, started once per session.

The PostgreSQL backend is tested against a real server, never skipped: a backend that is not
tested is a bug here. Debian's server binaries (``postgresql`` package, installed by
scripts/check) are run directly: ``initdb`` makes a cluster in a temporary folder, ``pg_ctl``
starts it on 127.0.0.1 at a free port and stops it at the end. PostgreSQL refuses to run as
root, so as root (CI) the binaries run as the ``postgres`` user, who then owns the folder.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.support import free_port

SERVER_BINARIES = "/usr/lib/postgresql/*/bin/initdb"
START_ATTEMPTS = 3
"""A free port may be taken between finding it and the server binding it: try another."""


def find_binaries() -> Path:
    """The ``bin`` folder of the newest PostgreSQL installed by Debian; fails the test run
    (never skips it) when there is none."""
    found = sorted(
        Path("/").glob(SERVER_BINARIES.lstrip("/")),
        key=lambda initdb: [int(n) for n in re.findall(r"\d+", initdb.parent.parent.name)],
    )
    if not found:
        pytest.fail(
            f"PostgreSQL's server binaries are missing (no {SERVER_BINARIES}), so the "
            "PostgreSQL storage cannot be tested. Run scripts/check, which installs them "
            "(or, as root: apt-get install postgresql).",
            pytrace=False,
        )
    return found[-1].parent



class PostgresServer:
    """A running throwaway server; ``new_database()`` gives each test an empty database."""

    def __init__(self, binaries: Path, folder: Path) -> None:
        self.binaries = binaries
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "server.log"
        self.port = 0
        self._names = itertools.count(1)
        self._as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, tool: str, *args: str, fail: bool = True) -> bool:
        """Run one of the server binaries; on failure, fail the tests with its output and the
        server's log (or return False when ``fail`` is false)."""
        command = [*self._as_postgres, str(self.binaries / tool), *args]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0 and fail:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            pytest.fail(
                f"{' '.join(command)} failed (exit {result.returncode}):\n"
                f"{result.stdout}{result.stderr}{log[-3000:]}",
                pytrace=False,
            )
        return result.returncode == 0

    def start(self) -> None:
        if self._as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        # --no-sync: initdb's own flush only slows the tests down; the server runs with fsync.
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C", "--no-sync")
        for attempt in range(1, START_ATTEMPTS + 1):
            self.port = free_port()
            if self._launch(fail=attempt == START_ATTEMPTS):
                return

    def _launch(self, *, fail: bool) -> bool:
        """``pg_ctl start`` on ``self.port``, waiting until the server accepts connections."""
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port}"
                   f" -c unix_socket_directories={self.folder} -c fsync=on")
        return self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data),
                         "-l", str(self.log), "-o", options, fail=fail)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-m", "fast", "-w", "-D", str(self.data))

    def crash(self) -> None:
        """Stop the server as a crash would (``pg_ctl stop -m immediate``): every connection is
        cut, nothing is checkpointed, and the next start replays the write-ahead log."""
        self._run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", str(self.data))

    def restart(self) -> None:
        """Start the server again on the same port and data, after ``crash()`` or ``stop()``,
        so that clients holding its URL reconnect."""
        self._launch(fail=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """The URL of a new, empty database: tests never see each other's rows."""
        name = f"test_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """Start a throwaway server for the duration of the block, then stop and delete it."""
    binaries = find_binaries()
    # Not pytest's tmp_path: its parents are private to root, and the server runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="parole-pg-"))
    server = PostgresServer(binaries, folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
