"""Where answers are kept: ``open_storage(url)`` picks the backend from a database URL.

``sqlite:///parole-data/answers.db`` (the default: a file relative to the folder parole runs
in), ``sqlite:////var/lib/parole/answers.db`` (an absolute path: four slashes, as SQLAlchemy
writes it), or ``postgresql://user:password@host:5432/database`` (``postgres://`` too; any libpq
URL, handed to psycopg as it is).
"""

from __future__ import annotations

from site_builder.messages import say
from site_builder.storage.base import Storage, StorageError
from site_builder.storage.common import redact_url
from site_builder.storage.sqlite import SQLiteStorage

DEFAULT_DATABASE_URL = "sqlite:///parole-data/answers.db"

_SQLITE_PREFIX = "sqlite:///"
_POSTGRES_PREFIXES = ("postgresql://", "postgres://")


def open_storage(url: str) -> Storage:
    """The storage at ``url``, opened and migrated to this parole's schema.

    Raises ``StorageError`` with a message for the organizer when the URL is not understood,
    the PostgreSQL driver is not installed, or the database cannot be opened.
    """
    if url.startswith(_SQLITE_PREFIX):
        return _open_sqlite(url)
    if url.startswith(_POSTGRES_PREFIXES):
        try:
            from site_builder.storage.postgres import PostgresStorage  # noqa: PLC0415
        except ImportError as error:
            raise StorageError(
                say("storage.no_driver", url=redact_url(url), error=error)) from error
        return PostgresStorage(url)
    if url.startswith("sqlite:"):
        raise StorageError(
            say("storage.sqlite_without_path", url=url, accepted=say("storage.accepted")))
    raise StorageError(
        say("storage.unknown_url", url=redact_url(url), accepted=say("storage.accepted")))


def _open_sqlite(url: str) -> Storage:
    path = url.removeprefix(_SQLITE_PREFIX)
    if not path or path.endswith("/") or "?" in path or path == ":memory:":
        raise StorageError(
            say("storage.sqlite_not_a_file", url=url, accepted=say("storage.accepted")))
    return SQLiteStorage(path)


__all__ = ["DEFAULT_DATABASE_URL", "Storage", "StorageError", "open_storage"]
