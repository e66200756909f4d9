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
from site_builder.messages import say
from site_builder.storage.base import Storage, StorageError, StorageUnavailable
from site_builder.storage.common import redact_url
from site_builder.storage.sqlite_files import read_only, read_only_message

log = logging.getLogger("parole.collector")

NEW_SECRET_OPTION = "--new-secret"
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
            say("startup.cannot_write", url=redact_url(database_url), error=error)) from error
    if bound:
        if replace:
            log.warning("%s", say("startup.secret_adopted", url=redact_url(database_url),
                                  option=NEW_SECRET_OPTION))
        return
    raise SecretError(say(
        "startup.other_secret", url=redact_url(database_url), variable=SECRET_VARIABLE,
        file_variable=SECRET_FILE_VARIABLE, command=command, option=NEW_SECRET_OPTION,
        generate=GENERATE_HINT))


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
            raise DatabasePlaceError(say("startup.published", path=path, what=what,
                                         folder=folder, name=database.name))
