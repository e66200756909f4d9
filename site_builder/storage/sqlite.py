"""The default storage: one SQLite file, safe for one collector's threads and for several
processes on the same machine.

Durability first: WAL with ``synchronous=FULL`` means that once ``COMMIT`` returns the answer
survives a power cut, and the collector answers 303 only after that. All writes of this object
go through one connection under a lock, each in a ``BEGIN IMMEDIATE`` transaction (it takes the
write lock at the start, so two writers never deadlock halfway); other processes on the file
wait up to ``BUSY_TIMEOUT_MS`` for it. Reads use a small pool of their own connections, which
WAL lets run while a write is in progress.

A committed write is on disk only if the file is still the one at the database's path: with the
file deleted (``rm -rf`` of its folder) or replaced by another one (``mv``), SQLite carries on
writing into a file nobody will ever open again. So every write checks, before it begins and
after it commits, that the path still leads to the files opened at start
(``sqlite_files.OpenedFiles``); if not, it raises ``StorageUnavailable`` (a 503 "not saved").
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

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
from site_builder.storage.common import check_new_answer, utc
from site_builder.storage.dialect import ANSWER_COLUMNS, Dialect, Transaction
from site_builder.storage.entry_sheets import SheetStore
from site_builder.storage.entry_store import EntryStore
from site_builder.storage.log_rows import forget_expired_leaves
from site_builder.storage.log_store import LogStore
from site_builder.storage.sqlite_files import OpenedFiles, read_only, read_only_message
from site_builder.storage.verdict_store import VerdictStore

BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another process holding the file's write lock."""
_PASSING_FAILURES = {
    5,   # SQLITE_BUSY: still locked after the busy timeout
    6,   # SQLITE_LOCKED
    7,   # SQLITE_NOMEM
    8,   # SQLITE_READONLY: e.g. the file or its folder became read-only
    10,  # SQLITE_IOERR: disk I/O error
    13,  # SQLITE_FULL: database or disk is full
    14,  # SQLITE_CANTOPEN
}
"""Primary result codes of failures that are the machine's, not the program's: reported as
``StorageUnavailable`` so the citizen is asked to try again."""
_DIALECT = Dialect()
_to_text = _DIALECT.moment
_from_text = _DIALECT.read_moment
_answer = _DIALECT.answer


class SQLiteStorage(EntryStore, SheetStore, VerdictStore, LogStore):
    """Answers in the SQLite file at ``path`` (its folder is created if needed). The paper-entry
    methods come from ``EntryStore`` and ``SheetStore``, the moderation ones from
    ``VerdictStore``, the answer log's from ``LogStore``, written once for both backends."""

    _dialect = _DIALECT

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._write_lock = threading.Lock()
        self._idle_readers: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._files = OpenedFiles()
        """The files this object writes to: the database, then its WAL."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(say("storage.cannot_create_folder", folder=self.path.parent,
                                   reason=error.strerror)) from error
        try:
            self._writer = self._connect()
            self._files.remember(self.path)
            self._use_wal()
            self._migrate()
            # Our open connections keep the WAL in place (the last connection to close deletes
            # it, and that is never someone else's while ours are open).
            wal = Path(f"{self.path}-wal")
            if wal.exists():
                self._files.remember(wal)
        except (sqlite3.DatabaseError, StorageUnavailable) as error:
            self.close()
            if read_only(self.path, error):
                raise StorageError(read_only_message(self.path, error)) from error
            raise StorageError(
                say("storage.cannot_open_sqlite", path=self.path, error=error)) from error

    def _use_wal(self) -> None:
        """Switch the file to WAL. SQLite answers "database is locked" at once, without waiting
        out the busy timeout, when another process opens a new file at the same moment (two
        collectors starting together): retry for as long as the busy timeout would wait."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self._writer.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or \
                        time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: no implicit transactions, ours are explicit. The connection is
        # shared between threads, always under a lock or by one thread at a time.
        connection = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
            check_same_thread=False,
        )
        with self._connections_lock:
            self._connections.append(connection)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        # Deleted rows and cleared pseudonyms are overwritten with zeros, not left in the file's
        # free space, where a copy of the file would still hold them.
        connection.execute("PRAGMA secure_delete = ON")
        return connection

    @contextmanager
    def _unavailable_on_failure(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode & 0xFF in _PASSING_FAILURES:
                raise StorageUnavailable(
                    say("storage.sqlite_unavailable", path=self.path, error=error)) from error
            raise

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        with self._write_lock, self._unavailable_on_failure():
            connection = self._writer
            self._files.check()  # gone already: write nothing at all
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
                connection.execute("COMMIT")
                self._files.check()  # gone meanwhile: committed into a lost file
            except BaseException:
                # SQLite may already have rolled back (e.g. on a full disk); a failing
                # ROLLBACK must not hide the error that caused it.
                if connection.in_transaction:
                    with suppress(sqlite3.Error):
                        connection.execute("ROLLBACK")
                raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._unavailable_on_failure():
            try:
                connection = self._idle_readers.get_nowait()
            except queue.Empty:
                connection = self._connect()
            try:
                yield connection
            finally:
                self._idle_readers.put(connection)

    @contextmanager
    def _entry_write(self) -> Iterator[Transaction]:
        with self._write() as connection:
            yield Transaction(connection, _DIALECT)

    @contextmanager
    def _entry_read(self) -> Iterator[Transaction]:
        # A snapshot across the method's queries: a read of a batch and its sheets must not see
        # a write land halfway.
        with self._read() as connection:
            connection.execute("BEGIN")
            try:
                yield Transaction(connection, _DIALECT)
            finally:
                connection.execute("COMMIT")

    def _migrate(self) -> None:
        self._writer.execute(migrations.SQLITE_BOOKKEEPING)
        known = len(migrations.SQLITE)
        for version, statements in enumerate(migrations.SQLITE, start=1):
            with self._write() as connection:
                # Read inside the write transaction: another process may have migrated since.
                current = self._version(connection)
                migrations.check_not_newer(current, known, str(self.path))
                if current >= version:
                    continue
                for statement in statements:
                    connection.execute(statement)
                if version in migrations.AFTER:
                    migrations.AFTER[version](Transaction(connection, _DIALECT))
                connection.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    (version, _to_text(datetime.now(UTC))),
                )
        with self._read() as connection:
            migrations.check_not_newer(self._version(connection), known, str(self.path))

    @staticmethod
    def _version(connection: sqlite3.Connection) -> int:
        row = connection.execute("SELECT coalesce(max(version), 0) FROM schema_migrations")
        version: int = row.fetchone()[0]
        return version

    def store(self, answer: NewAnswer, duplicates: Duplicates) -> StoreResult:
        check_new_answer(answer)
        with self._write() as connection:
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
    def _find_duplicate(connection: sqlite3.Connection, answer: NewAnswer,
                        duplicates: Duplicates) -> StoredAnswer | None:
        if answer.client is None or not duplicates.clients:
            return None
        clients = list(duplicates.clients)
        since = "" if duplicates.since is None else _to_text(duplicates.since)
        row = connection.execute(
            f"SELECT {ANSWER_COLUMNS} FROM answers WHERE fingerprint = ?"
            f" AND client IN ({', '.join('?' * len(clients))}) AND received_at >= ?"
            " AND quarantined = ? ORDER BY received_at, id LIMIT 1",
            (answer.fingerprint, *clients, since, int(answer.quarantined)),
        ).fetchone()
        return _answer(row) if row else None

    def get(self, receipt: str) -> StoredAnswer | None:
        code = receipts.normalise_receipt(receipt)
        if code is None:
            return None
        with self._read() as connection:
            row = connection.execute(
                f"SELECT {ANSWER_COLUMNS} FROM answers WHERE receipt = ?", (code,)
            ).fetchone()
        return _answer(row) if row else None

    def answers(self, form_id: str, *, quarantined: bool = False) -> Iterator[StoredAnswer]:
        # closing(): a stream abandoned halfway must not leave its cursor (and the snapshot it
        # holds) on a connection that goes back to the pool.
        with self._read() as connection, closing(connection.execute(
            f"SELECT {ANSWER_COLUMNS} FROM answers WHERE form_id = ? AND quarantined = ?"
            " AND NOT pending ORDER BY received_at, id",
            (form_id, int(quarantined)),
        )) as rows:
            for row in rows:
                yield _answer(row)

    def form_ids(self) -> list[str]:
        with self._read() as connection:
            rows = connection.execute(
                "SELECT form_id FROM answers UNION SELECT form_id FROM forms"
            ).fetchall()
        return sorted(form_id for (form_id,) in rows)

    def register_form(self, form_id: str, version: str, manifest: str) -> None:
        with self._write() as connection:
            connection.execute(
                "INSERT INTO forms (form_id, version, manifest, registered_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (form_id, version) DO NOTHING",
                (form_id, version, manifest, _to_text(datetime.now(UTC))),
            )

    def form_schemas(self, form_id: str) -> list[FormSchema]:
        with self._read() as connection:
            rows = connection.execute(
                "SELECT form_id, version, manifest, registered_at FROM forms"
                " WHERE form_id = ? ORDER BY registered_at, version",
                (form_id,),
            ).fetchall()
        return [FormSchema(form_id, version, manifest, _from_text(registered_at))
                for form_id, version, manifest, registered_at in rows]

    def bind_secret(self, check: str, *, replace: bool = False) -> bool:
        # BEGIN IMMEDIATE: two collectors starting at once read and write one after the other.
        with self._write() as connection:
            row = connection.execute("SELECT digest FROM secret_check WHERE id = 1").fetchone()
            if row is not None and not replace:
                return bool(row[0] == check)
            connection.execute(
                "INSERT INTO secret_check (id, digest, bound_at) VALUES (1, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET digest = excluded.digest,"
                " bound_at = excluded.bound_at",
                (check, _to_text(datetime.now(UTC))),
            )
            return True

    @staticmethod
    def _forget_clients(connection: sqlite3.Connection, before: datetime) -> None:
        """Clear the pseudonyms of answers received before ``before`` (past the duplicate
        window, their only use); the partial index makes this cheap when none is left."""
        connection.execute(
            "UPDATE answers SET client = NULL WHERE client IS NOT NULL AND received_at < ?",
            (_to_text(before),),
        )

    def purge(self, now: datetime) -> int:
        with self._write() as connection:
            forget_expired_leaves(Transaction(connection, _DIALECT), now)
            deleted = connection.execute(
                "DELETE FROM answers WHERE expires_at IS NOT NULL AND expires_at <= ?",
                (_to_text(now),),
            )
            self._forget_clients(connection, now - DUPLICATE_WINDOW)
            return deleted.rowcount

    def delete(self, receipt: str) -> bool:
        code = receipts.normalise_receipt(receipt)
        if code is None:
            return False
        with self._write() as connection:
            return forget_answer(Transaction(connection, _DIALECT), code, DELETED_BY_REQUEST,
                                 datetime.now(UTC))

    def schema_version(self) -> int:
        with self._read() as connection:
            return self._version(connection)

    def close(self) -> None:
        with self._write_lock, self._connections_lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
