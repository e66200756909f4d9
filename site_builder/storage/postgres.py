"""The PostgreSQL storage: for several collectors (machines or processes) sharing one database.

Same behaviour as ``sqlite.py``, checked by the same tests. Connections come from a small
pool (``psycopg_pool``), each in autocommit mode so that ``with conn.transaction()`` is exactly
one transaction. Two collectors may race on anything, hence the advisory locks below: one
around the migrations at open, one per answer fingerprint around the duplicate check.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import TupleRow
from psycopg.types.json import Json
from psycopg_pool import ConnectionPool, PoolTimeout

from site_builder.messages import say
from site_builder.storage import migrations, receipts
from site_builder.storage.answer_rows import DELETED_BY_REQUEST, forget_answer, insert_answer
from site_builder.storage.base import (
    DUPLICATE_WINDOW,
    Duplicates,
    FormSchema,
    NewAnswer,
    StorageError,
    StorageUnavailable,
    StoredAnswer,
    StoreResult,
)
from site_builder.storage.common import check_new_answer, redact_url, utc
from site_builder.storage.dialect import ANSWER_COLUMNS, Dialect, Transaction
from site_builder.storage.entry_sheets import SheetStore
from site_builder.storage.entry_store import EntryStore
from site_builder.storage.log_rows import forget_expired_leaves
from site_builder.storage.log_store import LogStore
from site_builder.storage.verdict_store import VerdictStore

CONNECT_TIMEOUT_S = 10
"""How long opening waits for the server, and a request waits for a pooled connection."""
POOL_MIN_SIZE = 1
POOL_MAX_SIZE = 10
# Advisory lock keys. The one-key (bigint) and two-key (int, int) forms are separate spaces in
# PostgreSQL, so the per-fingerprint locks can never collide with the migration lock.
_MIGRATION_LOCK = 0x7061726F6C65  # "parole" in ASCII
_FINGERPRINT_LOCK_CLASS = 0x7061  # first key of the (class, hashtext(fingerprint)) pairs
_ANSWER_LOG_LOCK = 0x7061726F6C654C  # "paroleL": the answer log's appends (storage.log_rows)
_EARLIEST = datetime.min.replace(tzinfo=UTC)

Connection = psycopg.Connection[TupleRow]


def describe(url: str) -> str:
    """Where ``url`` points, for messages: database, host, port and user, never the password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.Error:
        return redact_url(url)
    database = parts.get("dbname") or say("storage.postgres_default_database")
    host = parts.get("host") or "localhost"
    port = parts.get("port") or "5432"
    if parts.get("user"):
        return say("storage.postgres_where_user", database=database, host=host, port=port,
                   user=parts["user"])
    return say("storage.postgres_where", database=database, host=host, port=port)


class PostgresDialect(Dialect):
    """PostgreSQL's way: ``timestamptz``, ``date`` and ``json`` columns, which the driver
    converts; ``json`` is read back by the driver with the keys in their stored order."""

    placeholder = "%s"
    lock = " FOR UPDATE"
    log_lock = f"SELECT pg_advisory_xact_lock({_ANSWER_LOG_LOCK}::bigint)"

    def moment(self, moment: datetime) -> Any:
        return utc(moment)

    def read_moment(self, stored: Any) -> datetime:
        return utc(stored)

    def day(self, day: date) -> Any:
        return day

    def read_day(self, stored: Any) -> date:
        return stored  # type: ignore[no-any-return]  # the driver makes a date of a date

    def json(self, data: object) -> Any:
        return Json(data, dumps=_compact_json)


def _compact_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


_DIALECT = PostgresDialect()
_answer = _DIALECT.answer


class PostgresStorage(EntryStore, SheetStore, VerdictStore, LogStore):
    """Answers in the PostgreSQL database at ``url`` (a libpq URL or conninfo string). The
    paper-entry methods come from ``EntryStore`` and ``SheetStore``, the moderation ones from
    ``VerdictStore``, the answer log's from ``LogStore``, written once for both backends."""

    _dialect = _DIALECT

    def __init__(self, url: str) -> None:
        self.where = describe(url)
        try:
            with psycopg.connect(url, autocommit=True,
                                 connect_timeout=CONNECT_TIMEOUT_S) as connection:
                self._migrate(connection)
        except psycopg.Error as error:
            raise StorageError(say("storage.cannot_use_postgres", where=self.where,
                                   error=str(error).strip())) from error
        self._pool: ConnectionPool[Connection] = ConnectionPool(
            url, min_size=POOL_MIN_SIZE, max_size=POOL_MAX_SIZE, open=True, name="parole",
            timeout=CONNECT_TIMEOUT_S, kwargs={"autocommit": True},
            check=ConnectionPool.check_connection,
        )
        try:
            self._pool.wait(timeout=CONNECT_TIMEOUT_S)
        except PoolTimeout as error:
            self._pool.close()
            raise StorageError(say("storage.pool_timeout", where=self.where,
                                   seconds=CONNECT_TIMEOUT_S)) from error

    def _migrate(self, connection: Connection) -> None:
        # A database already at this parole's schema needs no write at all: read commands then
        # work on a read-only replica (an independent auditor's copy: `parole log audit`).
        if self._current_version(connection) == len(migrations.POSTGRES):
            return
        # Two collectors starting at once: the second waits here until the first is done,
        # then finds nothing left to apply. A session lock, released by the unlock or, if this
        # process dies, by the server when the connection drops.
        connection.execute("SELECT pg_advisory_lock(%s::bigint)", (_MIGRATION_LOCK,))
        try:
            connection.execute(migrations.POSTGRES_BOOKKEEPING)
            known = len(migrations.POSTGRES)
            current = self._version(connection)
            migrations.check_not_newer(current, known, self.where)
            for version, statements in enumerate(migrations.POSTGRES, start=1):
                if version <= current:
                    continue
                with connection.transaction():
                    for statement in statements:
                        connection.execute(statement)
                    if version in migrations.AFTER:
                        migrations.AFTER[version](Transaction(connection, _DIALECT))
                    connection.execute(
                        "INSERT INTO schema_migrations (version) VALUES (%s)", (version,)
                    )
        finally:
            with suppress(psycopg.Error):
                connection.execute("SELECT pg_advisory_unlock(%s::bigint)", (_MIGRATION_LOCK,))

    @classmethod
    def _current_version(cls, connection: Connection) -> int | None:
        """The schema's version, read without writing anything; None before the first
        migration made its bookkeeping table."""
        found = connection.execute("SELECT to_regclass('schema_migrations')").fetchone()
        return cls._version(connection) if found and found[0] is not None else None

    @staticmethod
    def _version(connection: Connection) -> int:
        row = connection.execute("SELECT coalesce(max(version), 0) FROM schema_migrations")
        found = row.fetchone()
        return int(found[0]) if found else 0

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """One transaction on a pooled connection; server and pool failures (unreachable,
        restarting, every connection busy) become ``StorageUnavailable``."""
        try:
            with self._pool.connection() as connection, connection.transaction():
                yield connection
        except psycopg.OperationalError as error:  # PoolTimeout is one too
            raise StorageUnavailable(
                say("storage.postgres_unavailable", where=self.where, error=error)) from error

    @contextmanager
    def _entry_write(self) -> Iterator[Transaction]:
        with self._transaction() as connection:
            yield Transaction(connection, _DIALECT)

    @contextmanager
    def _entry_read(self) -> Iterator[Transaction]:
        # REPEATABLE READ: the method's queries (a batch, then its sheets) share one snapshot,
        # as on SQLite; a transaction that only reads never fails to serialise.
        with self._transaction() as connection:
            connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield Transaction(connection, _DIALECT)

    def store(self, answer: NewAnswer, duplicates: Duplicates) -> StoreResult:
        check_new_answer(answer)
        with self._transaction() as connection:
            if duplicates.since is not None:
                self._forget_clients(connection, duplicates.since)
            original = self._find_duplicate(connection, answer, duplicates)
            if original is not None:
                return StoreResult(original, created=False)
            _row, receipt = insert_answer(Transaction(connection, _DIALECT), answer)
            stored = StoredAnswer(
                receipt=receipt, form_id=answer.form_id, form_version=answer.form_version,
                values=answer.values, channel=answer.channel,
                received_at=utc(answer.received_at),
                expires_at=utc(answer.expires_at) if answer.expires_at else None,
                quarantined=answer.quarantined, entered_by=answer.entered_by,
                marks=answer.marks, language=answer.language,
            )
            return StoreResult(stored, created=True)

    @staticmethod
    def _find_duplicate(connection: Connection, answer: NewAnswer,
                        duplicates: Duplicates) -> StoredAnswer | None:
        if answer.client is None or not duplicates.clients:
            return None
        # Two collectors may receive the same answer at the same moment (a double tap reaching
        # two machines). Under READ COMMITTED both lookups would find nothing and both insert.
        # An advisory lock on the fingerprint, held until this transaction ends, makes the
        # second wait and then see the first one's row. Chosen over SERIALIZABLE: it only
        # serialises stores of the same answer, and never fails a citizen's request with a
        # serialisation error that would need a retry loop.
        connection.execute(
            "SELECT pg_advisory_xact_lock(%s::integer, hashtext(%s))",
            (_FINGERPRINT_LOCK_CLASS, answer.fingerprint),
        )
        row = connection.execute(
            f"SELECT {ANSWER_COLUMNS} FROM answers WHERE fingerprint = %s"
            " AND client = ANY(%s) AND received_at >= %s AND quarantined = %s"
            " ORDER BY received_at, id LIMIT 1",
            (answer.fingerprint, list(duplicates.clients),
             utc(duplicates.since) if duplicates.since else _EARLIEST,
             answer.quarantined),
        ).fetchone()
        return _answer(row) if row else None

    def get(self, receipt: str) -> StoredAnswer | None:
        code = receipts.normalise_receipt(receipt)
        if code is None:
            return None
        with self._transaction() as connection:
            row = connection.execute(
                f"SELECT {ANSWER_COLUMNS} FROM answers WHERE receipt = %s", (code,)
            ).fetchone()
        return _answer(row) if row else None

    def answers(self, form_id: str, *, quarantined: bool = False) -> Iterator[StoredAnswer]:
        # A server-side cursor: rows arrive a batch at a time, so exporting a large
        # consultation does not hold every answer in memory.
        with self._transaction() as connection, connection.cursor(name="answers") as cursor:
            cursor.itersize = 500
            cursor.execute(
                f"SELECT {ANSWER_COLUMNS} FROM answers WHERE form_id = %s AND quarantined = %s"
                " AND NOT pending ORDER BY received_at, id",
                (form_id, quarantined),
            )
            for row in cursor:
                yield _answer(row)

    def form_ids(self) -> list[str]:
        with self._transaction() as connection:
            rows = connection.execute(
                "SELECT form_id FROM answers UNION SELECT form_id FROM forms"
            ).fetchall()
        # Sorted here, not by ORDER BY: the server's collation may not sort like Python.
        return sorted(form_id for (form_id,) in rows)

    def register_form(self, form_id: str, version: str, manifest: str) -> None:
        with self._transaction() as connection:
            connection.execute(
                "INSERT INTO forms (form_id, version, manifest, registered_at)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT (form_id, version) DO NOTHING",
                (form_id, version, manifest, datetime.now(UTC)),
            )

    def form_schemas(self, form_id: str) -> list[FormSchema]:
        with self._transaction() as connection:
            rows = connection.execute(
                "SELECT form_id, version, manifest, registered_at FROM forms"
                " WHERE form_id = %s ORDER BY registered_at, version",
                (form_id,),
            ).fetchall()
        return [FormSchema(form_id, version, manifest, utc(registered_at))
                for form_id, version, manifest, registered_at in rows]

    def bind_secret(self, check: str, *, replace: bool = False) -> bool:
        with self._transaction() as connection:
            if replace:
                connection.execute(
                    "INSERT INTO secret_check (id, digest) VALUES (1, %s) ON CONFLICT (id)"
                    " DO UPDATE SET digest = excluded.digest, bound_at = now()", (check,))
                return True
            # Two collectors starting at once: the second INSERT waits for the first one's
            # commit and does nothing; the SELECT, a new statement under READ COMMITTED, then
            # sees the first one's digest.
            connection.execute(
                "INSERT INTO secret_check (id, digest) VALUES (1, %s) ON CONFLICT (id) DO NOTHING",
                (check,))
            row = connection.execute("SELECT digest FROM secret_check WHERE id = 1").fetchone()
        assert row is not None  # inserted or already there, in this very transaction
        return bool(row[0] == check)

    @staticmethod
    def _forget_clients(connection: Connection, before: datetime) -> None:
        """Clear the pseudonyms of answers received before ``before`` (past the duplicate
        window, their only use); the partial index makes this cheap when none is left.
        SKIP LOCKED: rows another collector's store is clearing right now are left to it, so
        that concurrent stores never wait on each other (nor deadlock) here."""
        connection.execute(
            "UPDATE answers SET client = NULL WHERE id IN (SELECT id FROM answers"
            " WHERE client IS NOT NULL AND received_at < %s FOR UPDATE SKIP LOCKED)",
            (utc(before),),
        )

    def purge(self, now: datetime) -> int:
        with self._transaction() as connection:
            forget_expired_leaves(Transaction(connection, _DIALECT), now)
            deleted = connection.execute(
                "DELETE FROM answers WHERE expires_at <= %s", (utc(now),)
            )
            self._forget_clients(connection, now - DUPLICATE_WINDOW)
            return deleted.rowcount

    def delete(self, receipt: str) -> bool:
        code = receipts.normalise_receipt(receipt)
        if code is None:
            return False
        with self._transaction() as connection:
            return forget_answer(Transaction(connection, _DIALECT), code, DELETED_BY_REQUEST,
                                 datetime.now(UTC))

    def schema_version(self) -> int:
        with self._transaction() as connection:
            return self._version(connection)

    def close(self) -> None:
        self._pool.close()
