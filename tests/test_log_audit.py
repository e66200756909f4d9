"""``parole log audit`` against a database tampered with behind parole's back (SQLite and
PostgreSQL, the command run as a process): an answer altered, removed, two leaves swapped, a
leaf inserted are each caught and said; a database changed only through parole passes."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from site_builder.storage import open_storage
from site_builder.storage.base import Duplicates
from tests.log_command_support import fails, keygen, store_answers, succeeds
from tests.postgres_support import PostgresServer
from tests.storage_support import T0, new_answer, raw_sql

SHIFT = 1_000_000
"""Leaves are moved out of the way through this offset: ``idx`` is a primary key."""


@pytest.fixture
def signed_database(tmp_path: Path, storage_url: str) -> str:
    """20 answers, one assisted answer corrected and one deleted through parole, and a
    checkpoint of them all; then 2 answers more."""
    key, _public = keygen(tmp_path)
    store_answers(storage_url, 20)
    storage = open_storage(storage_url)
    try:
        assisted = storage.store(new_answer(channel="assisted", client=None, entered_by="alice",
                                            fingerprint="assisted"), Duplicates()).answer
        storage.correct_answer(assisted.receipt, {"priorite": ["parcs"]}, {}, "carol",
                               T0 + timedelta(days=1), "typo")
        gone = storage.store(new_answer(fingerprint="to delete"), Duplicates()).answer
        assert storage.delete(gone.receipt)
    finally:
        storage.close()
    succeeds("checkpoint", "--db", storage_url, "--key", key, cwd=tmp_path)
    store_answers(storage_url, 2, first=20)
    return storage_url


def test_a_database_changed_through_parole_only_passes(tmp_path: Path,
                                                       signed_database: str) -> None:
    said = succeeds("audit", "--db", signed_database, cwd=tmp_path)
    assert "Leaves checked: 25" in said
    assert "counted answers matched to their current leaf: 23" in said
    assert "leaves of deleted answers: 1" in said
    assert "earlier states recomputed from the audit trail: 1 (not checkable" in said
    assert "stored checkpoints checked: 1" in said
    assert said.endswith("The log agrees with the database.\n")


def _receipt_at(url: str, index: int) -> str:
    return str(raw_sql(url, "SELECT receipt FROM log_leaves WHERE idx = ?", (index,))[0][0])


def _alter_an_answer(url: str) -> None:
    receipt = _receipt_at(url, 3)
    stored = raw_sql(url, "SELECT values_json FROM answers WHERE receipt = ?", (receipt,))[0][0]
    values = json.loads(stored) if isinstance(stored, str) else stored  # PostgreSQL: jsonb
    values["priorite"] = ["autre chose"]
    cast = "?" if url.startswith("sqlite") else "CAST(? AS jsonb)"
    raw_sql(url, f"UPDATE answers SET values_json = {cast} WHERE receipt = ?",
            (json.dumps(values), receipt))


def _remove_an_answer(url: str) -> None:
    raw_sql(url, "DELETE FROM answers WHERE receipt = ?", (_receipt_at(url, 4),))


def _swap_two_leaves(url: str) -> None:
    raw_sql(url, "UPDATE log_leaves SET idx = ? WHERE idx = 5", (SHIFT,))
    raw_sql(url, "UPDATE log_leaves SET idx = 5 WHERE idx = 6")
    raw_sql(url, "UPDATE log_leaves SET idx = 6 WHERE idx = ?", (SHIFT,))


def _insert_a_leaf(url: str) -> None:
    raw_sql(url, "UPDATE log_leaves SET idx = idx + ? WHERE idx >= 7", (SHIFT,))
    raw_sql(url, "UPDATE log_leaves SET idx = idx - ? WHERE idx >= ?", (SHIFT - 1, SHIFT))
    raw_sql(url, "INSERT INTO log_leaves (idx, receipt, entry, leaf_hash, salt, state,"
                 " appended_at) SELECT 7, 'ZZZZZZZZ', entry, leaf_hash, salt, 'current',"
                 " appended_at FROM log_leaves WHERE idx = 0")


def _append_a_leaf(url: str) -> None:
    raw_sql(url, "INSERT INTO log_leaves (idx, receipt, entry, leaf_hash, salt, state,"
                 " appended_at) SELECT 25, 'ZZZZZZZZ', entry, leaf_hash, salt, 'current',"
                 " appended_at FROM log_leaves WHERE idx = 0")


@pytest.mark.parametrize(("tamper", "said"), [
    (_alter_an_answer, "was changed in the database after it counted"),
    (_remove_an_answer, "an answer no longer in the database, but is not marked deleted"),
    (_swap_two_leaves, "do not give the tree head of the stored checkpoint of 23"),
    (_insert_a_leaf, "do not give the tree head of the stored checkpoint of 23"),
    (_insert_a_leaf, "leaf 7 belongs to ZZZZ-ZZZZ, an answer no longer in the database"),
    (_append_a_leaf, "leaf 25 belongs to ZZZZ-ZZZZ, an answer no longer in the database"),
], ids=["altered", "removed", "reordered", "inserted-root", "inserted-orphan", "appended"])
def test_a_tampered_database_is_caught(tmp_path: Path, signed_database: str,
                                       tamper: Callable[[str], None], said: str) -> None:
    tamper(signed_database)
    refusal = fails(1, "audit", "--db", signed_database, cwd=tmp_path)
    assert "between the log and the database:" in refusal
    assert said in refusal, refusal


def test_an_auditor_audits_a_read_only_postgresql_database(
        tmp_path: Path, postgres: PostgresServer) -> None:
    """An independent auditor gets a read-only replica (issue #19, point 3): the audit, like the
    organizer's other read commands, writes nothing, so it runs there."""
    url = postgres.new_database()
    key, _public = keygen(tmp_path)
    store_answers(url, 5)
    succeeds("checkpoint", "--db", url, "--key", key, cwd=tmp_path)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql.SQL("ALTER DATABASE {} SET default_transaction_read_only = on")
                           .format(sql.Identifier(connection.info.dbname)))
    said = succeeds("audit", "--db", url, cwd=tmp_path)
    assert "Leaves checked: 5" in said and "stored checkpoints checked: 1" in said
    assert said.endswith("The log agrees with the database.\n")
