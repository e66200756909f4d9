"""The database schema, as numbered migrations applied when a storage is opened.

Migration N is ``SQLITE[N - 1]`` / ``POSTGRES[N - 1]``: a tuple of SQL statements applied in one
transaction together with its row in ``schema_migrations``, so a database is always exactly at
one version. A migration, once released, is never edited: a change to the schema is a new
migration at the end of both lists (the two lists always have the same length).

The backends differ only in types: SQLite keeps timestamps as ISO 8601 UTC text with a fixed
width (``2025-03-01T09:30:00.000000Z``, so text order is time order) and booleans as 0/1;
PostgreSQL uses ``timestamptz``, ``boolean``, ``date`` and ``bytea``. Answer values are JSON
text in both, and in PostgreSQL the ``json`` type, not ``jsonb``: ``jsonb`` reorders an
object's keys, and the values must come back in the form's order.

Migration 2 (issue #13) drops migration 1's daily client keys: with them in the database, a copy
of it was enough to find who sent an answer by trying every address of a range. The keys now
derive from the collector's secret, kept outside the database. ``secret_check`` holds one row, a
digest that tells secrets apart without revealing them (``Storage.bind_secret``), so that a
collector started with another secret than its peers is refused. ``answers.client`` is cleared
once past the duplicate window, and the partial index finds the rows still to clear.
"""

from __future__ import annotations

from site_builder.messages import say
from site_builder.storage.base import StorageError

Migration = tuple[str, ...]

SQLITE_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
)"""

POSTGRES_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
)"""

SQLITE: list[Migration] = [
    (  # 1: answers, form schemas, daily client keys
        """CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            receipt TEXT NOT NULL UNIQUE,
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            channel TEXT NOT NULL CHECK (channel IN ('online', 'paper', 'assisted')),
            received_at TEXT NOT NULL,
            expires_at TEXT,
            values_json TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            client TEXT,
            quarantined INTEGER NOT NULL DEFAULT 0 CHECK (quarantined IN (0, 1))
        )""",
        "CREATE INDEX answers_form_received ON answers (form_id, received_at)",
        "CREATE INDEX answers_fingerprint ON answers (fingerprint)",
        "CREATE INDEX answers_expires ON answers (expires_at)",
        """CREATE TABLE forms (
            form_id TEXT NOT NULL,
            version TEXT NOT NULL,
            manifest TEXT NOT NULL,
            registered_at TEXT NOT NULL,
            PRIMARY KEY (form_id, version)
        )""",
        """CREATE TABLE client_keys (
            day TEXT PRIMARY KEY,
            key BLOB NOT NULL
        )""",
    ),
    (  # 2: no key in the database (issue #13); see the module's docstring
        "DROP TABLE client_keys",
        # Pseudonyms made with the dropped keys can match nothing any more: none is kept.
        "UPDATE answers SET client = NULL WHERE client IS NOT NULL",
        """CREATE TABLE secret_check (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            digest TEXT NOT NULL,
            bound_at TEXT NOT NULL
        )""",
        "CREATE INDEX answers_client_received ON answers (received_at) WHERE client IS NOT NULL",
    ),
]

POSTGRES: list[Migration] = [
    (  # 1: answers, form schemas, daily client keys
        """CREATE TABLE answers (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            receipt text NOT NULL UNIQUE,
            form_id text NOT NULL,
            form_version text NOT NULL,
            channel text NOT NULL CHECK (channel IN ('online', 'paper', 'assisted')),
            received_at timestamptz NOT NULL,
            expires_at timestamptz,
            values_json json NOT NULL,
            fingerprint text NOT NULL,
            client text,
            quarantined boolean NOT NULL DEFAULT false
        )""",
        "CREATE INDEX answers_form_received ON answers (form_id, received_at)",
        "CREATE INDEX answers_fingerprint ON answers (fingerprint)",
        "CREATE INDEX answers_expires ON answers (expires_at)",
        """CREATE TABLE forms (
            form_id text NOT NULL,
            version text NOT NULL,
            manifest text NOT NULL,
            registered_at timestamptz NOT NULL,
            PRIMARY KEY (form_id, version)
        )""",
        """CREATE TABLE client_keys (
            day date PRIMARY KEY,
            key bytea NOT NULL
        )""",
    ),
    (  # 2: no key in the database (issue #13); see the module's docstring
        "DROP TABLE client_keys",
        "UPDATE answers SET client = NULL WHERE client IS NOT NULL",
        """CREATE TABLE secret_check (
            id integer PRIMARY KEY CHECK (id = 1),
            digest text NOT NULL,
            bound_at timestamptz NOT NULL DEFAULT now()
        )""",
        "CREATE INDEX answers_client_received ON answers (received_at) WHERE client IS NOT NULL",
    ),
]


def check_not_newer(found: int, known: int, where: str) -> None:
    """Refuse a database migrated by a newer parole: this code would misread its tables."""
    if found > known:
        raise StorageError(say("storage.newer_schema", where=where, found=found, known=known))
