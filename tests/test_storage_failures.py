"""Opening storages and failing well: database URLs, SQLite's settings and full disks, and a
PostgreSQL server that is missing or goes away. What one backend alone can show is here; the
shared contract is in test_storage.py."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.errors import ParoleError
from site_builder.storage import DEFAULT_DATABASE_URL, migrations, open_storage
from site_builder.storage import postgres as postgres_backend
from site_builder.storage import sqlite as sqlite_backend
from site_builder.storage.base import Duplicates, StorageError, StorageUnavailable
from site_builder.storage.sqlite import SQLiteStorage
from tests.postgres_support import PostgresServer
from tests.storage_support import new_answer, raw_sql
from tests.support import REPO

# Database URLs

def test_the_default_url_is_a_sqlite_file_in_parole_data() -> None:
    assert DEFAULT_DATABASE_URL == "sqlite:///parole-data/answers.db"


def test_relative_and_absolute_sqlite_paths(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    open_storage("sqlite:///parole-data/answers.db").close()
    assert (tmp_path / "parole-data" / "answers.db").is_file()
    absolute = tmp_path / "deep" / "er" / "answers.db"
    open_storage(f"sqlite:///{absolute}").close()  # sqlite:////tmp/...: four slashes
    assert absolute.is_file()


@pytest.mark.parametrize("url", [
    "mysql://parole:hunter2@db.example/answers", "answers.db", "", "sqlite://answers.db",
    "sqlite:///", "sqlite:///:memory:", "sqlite:///answers.db?mode=ro",
])
def test_an_unknown_url_says_which_urls_are_accepted(url: str) -> None:
    with pytest.raises(StorageError) as raised:
        open_storage(url)
    message = str(raised.value)
    assert "sqlite:///relative/path.db" in message
    assert "sqlite:////absolute/path.db" in message
    assert "postgresql://" in message
    assert "hunter2" not in message
    assert isinstance(raised.value, ParoleError)


def test_postgresql_without_its_driver_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # makes `import psycopg` fail
    monkeypatch.delitem(sys.modules, "site_builder.storage.postgres")
    with pytest.raises(StorageError, match=r"pip install 'parole\[postgresql\]'"):
        open_storage("postgres://parole:hunter2@db.example/answers")


# SQLite

def test_sqlite_is_set_up_for_durability(tmp_path: Path) -> None:
    storage = SQLiteStorage(tmp_path / "answers.db")
    try:
        writer = storage._writer
        with storage._read() as reader:
            for connection in (writer, reader):
                assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
                assert connection.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
                assert connection.execute("PRAGMA busy_timeout").fetchone() == (5000,)
                assert connection.execute("PRAGMA foreign_keys").fetchone() == (1,)
    finally:
        storage.close()


def test_a_full_disk_stores_nothing_and_says_try_again(tmp_path: Path) -> None:
    storage = SQLiteStorage(tmp_path / "answers.db")
    try:
        before = storage.store(new_answer(fingerprint="before"), Duplicates()).answer
        pages = storage._writer.execute("PRAGMA page_count").fetchone()[0]
        storage._writer.execute(f"PRAGMA max_page_count = {pages}")  # the "disk" is now full
        big = new_answer(fingerprint="big", values={"avis": ["x" * 200_000]})
        with pytest.raises(StorageUnavailable, match="full"):
            storage.store(big, Duplicates())
        assert not storage._writer.in_transaction
        assert list(storage.answers("budget")) == [before]
        storage._writer.execute("PRAGMA max_page_count = 4294967294")  # space again
        assert storage.store(big, Duplicates()).created
    finally:
        storage.close()


def test_a_database_locked_too_long_says_try_again(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_backend, "BUSY_TIMEOUT_MS", 100)
    storage = SQLiteStorage(tmp_path / "answers.db")
    other_process = sqlite3.connect(tmp_path / "answers.db", isolation_level=None)
    try:
        other_process.execute("BEGIN IMMEDIATE")
        with pytest.raises(StorageUnavailable, match="locked"):
            storage.store(new_answer(), Duplicates())
        other_process.execute("ROLLBACK")
        assert storage.store(new_answer(), Duplicates()).created
    finally:
        other_process.close()
        storage.close()


def test_a_file_that_is_not_a_database_is_named(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("Réunion du 3 mars\n" * 100, encoding="utf-8")
    with pytest.raises(StorageError, match=r"Cannot open the SQLite database .*notes\.db"):
        open_storage(f"sqlite:///{path}")


def test_a_folder_that_cannot_be_created_is_named(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(StorageError, match=r"Cannot create the folder .*data"):
        open_storage(f"sqlite:///{tmp_path / 'data' / 'answers.db'}")


STORE_IN_ANOTHER_PROCESS = """
import sys
from site_builder.storage import open_storage
from site_builder.storage.base import Duplicates
from tests.storage_support import new_answer
storage = open_storage(sys.argv[1])
for number in range(25):
    fingerprint = f"{sys.argv[2]}-{number}"
    storage.store(new_answer(fingerprint=fingerprint), Duplicates(clients=("client-a",)))
storage.close()
"""


def test_several_processes_write_to_one_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    processes = [
        subprocess.Popen([sys.executable, "-c", STORE_IN_ANOTHER_PROCESS, url, str(number)],
                         cwd=REPO, stderr=subprocess.PIPE, text=True)
        for number in range(4)
    ]
    for process in processes:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    assert raw_sql(url, "SELECT count(*) FROM answers") == [(100,)]
    assert raw_sql(url, "SELECT count(*) FROM schema_migrations") == [(len(migrations.SQLITE),)]


# PostgreSQL

def test_an_unreachable_server_is_named_without_the_password(postgres: PostgresServer) -> None:
    closed_port = postgres.port + 1 if postgres.port < 65535 else postgres.port - 1
    url = f"postgresql://parole:hunter2@127.0.0.1:{closed_port}/consultation"
    with pytest.raises(StorageError) as raised:
        open_storage(url)
    message = str(raised.value)
    assert f"database consultation on 127.0.0.1:{closed_port} as user parole" in message
    assert "server is running" in message
    assert "hunter2" not in message


def test_a_missing_database_is_named(postgres: PostgresServer) -> None:
    with pytest.raises(StorageError, match='"absente" does not exist'):
        open_storage(postgres.url("absente"))


def test_a_database_gone_away_says_try_again(postgres: PostgresServer,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres_backend, "CONNECT_TIMEOUT_S", 1)
    url = postgres.new_database()
    storage = open_storage(url)
    try:
        name = url.rsplit("/", 1)[1]
        raw_sql(postgres.url(), f'DROP DATABASE "{name}" WITH (FORCE)')
        with pytest.raises(StorageUnavailable, match="PostgreSQL database test_"):
            storage.store(new_answer(), Duplicates())
    finally:
        storage.close()


def test_connections_cut_by_the_server_are_replaced(postgres: PostgresServer) -> None:
    url = postgres.new_database()
    storage = open_storage(url)
    try:
        storage.store(new_answer(fingerprint="before"), Duplicates())
        name = url.rsplit("/", 1)[1]
        raw_sql(postgres.url(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = ? AND pid <> pg_backend_pid()", (name,))
        assert storage.store(new_answer(fingerprint="after"), Duplicates()).created
    finally:
        storage.close()
