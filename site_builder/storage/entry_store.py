"""Mediators and their sessions (issue #15), for both backends: the ``Storage`` methods of
``base.py`` from ``add_mediator`` to ``close_session``, each one transaction.

A backend mixes ``EntryStore`` in (with ``entry_sheets.SheetStore``) and provides its
transactions: ``_entry_write`` (one write transaction, committed when the block ends) and
``_entry_read``. The queries are written once (``dialect``).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from site_builder.messages import say
from site_builder.storage.base import ROLES
from site_builder.storage.dialect import Dialect, Transaction
from site_builder.storage.entry import EntryError, Mediator, MediatorCode

_MEDIATOR_COLUMNS = "name, role, created_at, revoked_at"


class EntryTransactions:
    """What the paper-entry methods need of a backend."""

    _dialect: Dialect

    def _entry_write(self) -> AbstractContextManager[Transaction]:
        raise NotImplementedError

    def _entry_read(self) -> AbstractContextManager[Transaction]:
        raise NotImplementedError

    def _mediator(self, row: tuple[Any, ...]) -> Mediator:
        name, role, created_at, revoked_at = row
        read = self._dialect.read_moment
        return Mediator(name=name, role=role, created_at=read(created_at),
                        revoked_at=read(revoked_at) if revoked_at is not None else None)


class EntryStore(EntryTransactions):
    """Mediators, their access codes' digests and their sessions."""

    def add_mediator(self, name: str, role: str, code_digest: str, now: datetime) -> None:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}: expected one of {ROLES}")
        with self._entry_write() as tx:
            # ON CONFLICT: two organizers adding the same name at once get one mediator and
            # one refusal, not a driver error.
            added = tx.run(
                "INSERT INTO mediators (name, role, code_digest, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
                (name, role, code_digest, tx.dialect.moment(now)))
            if added.rowcount != 1:
                raise EntryError(say("storage.entry.name_taken", name=name))

    def mediators(self) -> list[Mediator]:
        with self._entry_read() as tx:
            rows = tx.all(f"SELECT {_MEDIATOR_COLUMNS} FROM mediators")
        # Sorted here, not by ORDER BY: the server's collation may not sort like Python.
        return sorted((self._mediator(row) for row in rows), key=lambda found: found.name)

    def mediator_codes(self) -> list[MediatorCode]:
        with self._entry_read() as tx:
            rows = tx.all("SELECT name, code_digest FROM mediators WHERE revoked_at IS NULL"
                          " ORDER BY id")
        return [MediatorCode(name, digest) for name, digest in rows]

    def revoke_mediator(self, name: str, now: datetime) -> bool:
        with self._entry_write() as tx:
            revoked = tx.run(
                "UPDATE mediators SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                (tx.dialect.moment(now), name))
            if revoked.rowcount != 1:
                return False
            tx.run("DELETE FROM mediator_sessions WHERE mediator = ?", (name,))
            return True

    def open_session(self, token_digest: str, name: str, now: datetime,
                     expires_at: datetime) -> None:
        moment = self._dialect.moment
        with self._entry_write() as tx:
            # Expired sessions are of no use to anyone: each sign-in clears them.
            tx.run("DELETE FROM mediator_sessions WHERE expires_at <= ?", (moment(now),))
            opened = tx.run(
                "INSERT INTO mediator_sessions (token_digest, mediator, created_at, expires_at)"
                " SELECT ?, name, ?, ? FROM mediators WHERE name = ? AND revoked_at IS NULL",
                (token_digest, moment(now), moment(expires_at), name))
            if opened.rowcount != 1:
                raise EntryError(say("storage.entry.no_mediator", name=name))

    def session_mediator(self, token_digest: str, now: datetime) -> Mediator | None:
        columns = ", ".join(f"m.{column}" for column in _MEDIATOR_COLUMNS.split(", "))
        with self._entry_read() as tx:
            # The join also refuses a session whose mediator was revoked since, should a
            # revocation and a sign-in ever cross.
            row = tx.one(
                f"SELECT {columns} FROM mediator_sessions s"
                " JOIN mediators m ON m.name = s.mediator"
                " WHERE s.token_digest = ? AND s.expires_at > ? AND m.revoked_at IS NULL",
                (token_digest, tx.dialect.moment(now)))
        return self._mediator(row) if row else None

    def close_session(self, token_digest: str) -> None:
        with self._entry_write() as tx:
            tx.run("DELETE FROM mediator_sessions WHERE token_digest = ?", (token_digest,))
