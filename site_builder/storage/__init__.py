"""Where answers are kept: ``open_storage(url)`` picks the backend from a database URL.

``sqlite:///parole-data/answers.db`` (the default: a file relative to the folder parole runs
in), ``sqlite:////var/lib/parole/answers.db`` (an absolute path: four slashes, as SQLAlchemy
writes it), or ``postgresql://user:password@host:5432/database`` (``postgres://`` too; any libpq
URL, handed to psycopg as it is).
"""

from __future__ import annotations

from site_builder.storage.base import Storage, StorageError
from site_builder.storage.common import redact_url
from site_builder.storage.sqlite import SQLiteStorage

DEFAULT_DATABASE_URL = "sqlite:///parole-data/answers.db"

_SQLITE_PREFIX = "sqlite:///"
_POSTGRES_PREFIXES = ("postgresql://", "postgres://")
_ACCEPTED = (
    "Accepted database URLs: sqlite:///relative/path.db (a file relative to the current "
    "folder), sqlite:////absolute/path.db (four slashes), or "
    "postgresql://user:password@host:5432/database."
)


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
                f"The database URL {redact_url(url)} is a PostgreSQL one, but the PostgreSQL "
                f"driver is not installed ({error}). Install it with: "
                "pip install 'parole[postgresql]'"
            ) from error
        return PostgresStorage(url)
    if url.startswith("sqlite:"):
        raise StorageError(
            f"The SQLite URL {url!r} has no file path: it must start with three slashes, "
            f"then the path. {_ACCEPTED}"
        )
    raise StorageError(f"parole does not understand the database URL {redact_url(url)!r}. "
                       f"{_ACCEPTED}")


def _open_sqlite(url: str) -> Storage:
    path = url.removeprefix(_SQLITE_PREFIX)
    if not path or path.endswith("/") or "?" in path or path == ":memory:":
        raise StorageError(
            f"The SQLite URL {url!r} does not name a database file (a query string or an "
            f"in-memory database is not supported: answers must survive a restart). {_ACCEPTED}"
        )
    return SQLiteStorage(path)


__all__ = ["DEFAULT_DATABASE_URL", "Storage", "StorageError", "open_storage"]
