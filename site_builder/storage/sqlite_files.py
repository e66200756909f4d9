"""The SQLite storage's files as files: is the path still the file we opened, and may this user
write it? Both are questions SQLite does not ask (issue #13).

- A file deleted (``rm -rf`` of its folder) or replaced (``mv``) while open: SQLite carries on
  writing into the file it has open, which nobody will ever open again, and every answer would
  get a receipt and be lost when the collector stops. ``OpenedFiles`` notices.
- A read-only file (permissions, ``chattr +i``, a read-only mount) opens and reads fine; only the
  first write fails. ``read_only_message`` says what to fix (``collector.startup`` makes a
  write at start, and the opening says it when SQLite cannot even open the file).
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from pathlib import Path

from site_builder.messages import say
from site_builder.storage.base import StorageUnavailable

FileIdentity = tuple[int, int]
"""``(st_dev, st_ino)``: which file a path leads to."""


def identity(path: Path) -> FileIdentity:
    status = path.stat()
    return status.st_dev, status.st_ino


class OpenedFiles:
    """The files a storage writes to, as they were when it opened them."""

    def __init__(self) -> None:
        self._files: dict[Path, FileIdentity] = {}

    def remember(self, path: Path) -> None:
        self._files[path] = identity(path)

    def check(self) -> None:
        """Raise ``StorageUnavailable`` unless each path still leads to the file opened."""
        for path, opened in self._files.items():
            try:
                found: FileIdentity | None = identity(path)
            except OSError:
                found = None
            if found != opened:
                raise StorageUnavailable(_lost_file_message(path, gone=found is None))


def _lost_file_message(path: Path, *, gone: bool) -> str:
    return say("storage.file_deleted" if gone else "storage.file_replaced", path=path,
               pid=os.getpid())


def read_only(path: Path, error: BaseException) -> bool:
    """Whether ``error``, met while opening ``path``, comes from a file or folder this user may
    not write. ``os.access`` tells a read-only mount and an immutable file even to root."""
    cause = error if isinstance(error, sqlite3.Error) else error.__cause__
    if isinstance(cause, sqlite3.Error) and \
            (cause.sqlite_errorcode & 0xFF) == sqlite3.SQLITE_READONLY:
        return True
    folder_locked = not os.access(path.parent, os.W_OK)
    return folder_locked or (path.exists() and not os.access(path, os.W_OK))


def read_only_message(path: Path, error: BaseException) -> str:
    return say("storage.read_only", path=path, user=getpass.getuser(), error=error,
               folder=path.parent, name=path.name)
