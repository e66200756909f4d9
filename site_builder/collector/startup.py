"""Checks a collector makes before it listens, each refusing to start with a message that says
what is wrong and how to fix it (issue #13):

- the database belongs with the collector's secret (``bind_secret``): collectors sharing one
  database must derive the same pseudonyms and receipt links;
- the database is not inside a folder that a web server publishes (``check_database_place``):
  nginx, or ``parole serve``, would hand the answers to anyone asking for the file.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path

from site_builder.collector.secret import (
    GENERATE_HINT,
    SECRET_FILE_VARIABLE,
    SECRET_VARIABLE,
    CollectorSecret,
    SecretError,
)
from site_builder.errors import ParoleError
from site_builder.storage.base import Storage, StorageError, StorageUnavailable
from site_builder.storage.common import redact_url
from site_builder.storage.sqlite_files import read_only, read_only_message

log = logging.getLogger("parole.collector")

NEW_SECRET_OPTION = "--new-secret"
NEW_SECRET_HELP = (
    "make the database go with this collector's secret when it was used with another one that "
    "is lost: receipt links already given stop opening (their codes still work for parole "
    "delete), and resubmissions of the last 24 hours are not recognised")
_SQLITE_PREFIX = "sqlite:///"


class DatabasePlaceError(ParoleError):
    """The database would be published along with the site."""


def bind_secret(storage: Storage, secret: CollectorSecret, database_url: str, *,
                replace: bool = False, command: str = "collect") -> None:
    """Tie the database to ``secret`` (``Storage.bind_secret``), or raise ``SecretError`` when
    it was used with another secret and ``replace`` is not set; ``StorageError`` when the
    database cannot be written. This is the collector's first write: a read-only SQLite file
    opens, reads and even migrates when there is nothing to migrate (so ``parole export`` works
    on one), and only a write tells. ``command`` (``collect`` or ``serve``) is the one the
    message tells to run with ``--new-secret``."""
    try:
        bound = storage.bind_secret(secret.check, replace=replace)
    except StorageUnavailable as error:
        path = sqlite_path(database_url)
        if path is not None and read_only(path, error):
            raise StorageError(read_only_message(path, error)) from error
        raise StorageError(
            f"the database {redact_url(database_url)} could not be written at start: {error}\n"
            "    How to fix: check that the database server is running and reachable, or that "
            "the disk is not full, then start the collector again"
        ) from error
    if bound:
        if replace:
            log.warning("The database %s now goes with this collector's secret (%s): receipt "
                        "links given before no longer open, and an answer sent before now and sent "
                        "again is not recognised as a resubmission", redact_url(database_url),
                        NEW_SECRET_OPTION)
        return
    raise SecretError(
        f"the database {redact_url(database_url)} was used with another collector secret than "
        "this one: collectors sharing a database need the same secret, or their client "
        "pseudonyms and receipt links would not match.\n"
        f"    How to fix: give this collector the same secret as the others: the same "
        f"{SECRET_VARIABLE} in its environment, or a copy of their secret file (set "
        f"{SECRET_FILE_VARIABLE} to it). If the old secret is lost for good, start one collector "
        f"with `parole {command} {NEW_SECRET_OPTION}` to adopt this one; that costs every receipt "
        "link already given (the pages stop opening; the receipt codes still work for "
        "`parole delete`) and the duplicate detection of the last 24 hours. Then give the "
        f"other collectors this secret. To make a new one: {SECRET_VARIABLE}=$({GENERATE_HINT})"
    )


def sqlite_path(database_url: str) -> Path | None:
    """The file of a SQLite URL, or None for another kind of database."""
    if not database_url.startswith(_SQLITE_PREFIX):
        return None
    name = database_url.removeprefix(_SQLITE_PREFIX)
    return Path(name) if name else None


def check_database_place(database_url: str, published: Mapping[str, Path]) -> None:
    """Raise ``DatabasePlaceError`` when the SQLite database of ``database_url`` (or its -wal
    and -shm, which sit next to it) lies inside one of the ``published`` folders (a description
    → the folder). Symbolic links and relative paths are resolved first: ``site/../site/x.db``
    or a link to the site folder is inside it too."""
    path = sqlite_path(database_url)
    if path is None:
        return
    database = Path(os.path.realpath(path))
    for what, folder in published.items():
        root = Path(os.path.realpath(folder))
        if database.is_relative_to(root):
            raise DatabasePlaceError(
                f"the database {path} is inside {what} ({folder}): the web server would hand "
                f"the answers to anyone asking for {database.name} or {database.name}-wal.\n"
                "    How to fix: keep the database outside the folders a server publishes, e.g. "
                "--db sqlite:///parole-data/answers.db (relative to the folder parole runs in) "
                "or sqlite:////var/lib/parole/answers.db"
            )
