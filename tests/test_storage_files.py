"""The SQLite file under the collector's feet (issue #13): a database deleted (``rm -rf`` of its
folder) or replaced by another file while a storage has it open makes every write fail with
``StorageUnavailable`` (the collector's 503 "not saved"), never a receipt for an answer written
into a file nobody can open again; and what is deleted or cleared does not stay in the file."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest

from site_builder.storage.base import DUPLICATE_WINDOW, Duplicates, StorageUnavailable
from site_builder.storage.sqlite import SQLiteStorage
from tests.storage_support import T0, new_answer

WRITES: dict[str, Callable[[SQLiteStorage], object]] = {
    "store": lambda storage: storage.store(new_answer(fingerprint="late"), Duplicates()),
    "register_form": lambda storage: storage.register_form("budget", "v9", "{}"),
    "delete": lambda storage: storage.delete("ABCD-EFGH"),
    "purge": lambda storage: storage.purge(T0),
    "bind_secret": lambda storage: storage.bind_secret("check"),
}


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[SQLiteStorage]:
    opened = SQLiteStorage(tmp_path / "parole-data" / "answers.db")
    opened.store(new_answer(), Duplicates())
    yield opened
    opened.close()


def _delete_folder(storage: SQLiteStorage) -> None:
    shutil.rmtree(storage.path.parent)


def _replace_file(storage: SQLiteStorage) -> None:
    other = storage.path.with_name("other.db")
    with closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE t (x)")
    other.replace(storage.path)


def _replace_wal(storage: SQLiteStorage) -> None:
    wal = Path(f"{storage.path}-wal")
    copy = wal.with_name("copy-wal")
    shutil.copyfile(wal, copy)
    copy.replace(wal)


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize(("change", "said"), [
    (_delete_folder, "was deleted"), (_replace_file, "was replaced by another file"),
    (_replace_wal, "was replaced by another file"),
], ids=["folder-deleted", "file-replaced", "wal-replaced"])
def test_a_lost_database_file_fails_every_write(
        storage: SQLiteStorage, write: str, change: Callable[[SQLiteStorage], None],
        said: str) -> None:
    change(storage)
    with pytest.raises(StorageUnavailable) as raised:
        WRITES[write](storage)
    message = str(raised.value)
    assert str(storage.path) in message
    assert said in message
    assert "How to fix: restart the collector" in message
    assert "/proc/" in message  # where the deleted files can still be copied from


def test_nothing_is_written_once_the_file_is_gone(storage: SQLiteStorage) -> None:
    statements: list[str] = []
    storage._writer.set_trace_callback(statements.append)  # watch what SQLite runs
    _delete_folder(storage)
    with pytest.raises(StorageUnavailable):
        storage.store(new_answer(fingerprint="late"), Duplicates())
    assert statements == []


def test_a_file_deleted_during_the_write_is_no_receipt(storage: SQLiteStorage) -> None:
    """Deleted between the answer's INSERT and its COMMIT: the commit goes to the lost file,
    and the store must still fail."""

    def delete_at_commit(statement: str) -> None:
        if statement == "COMMIT" and storage.path.exists():
            _delete_folder(storage)

    storage._writer.set_trace_callback(delete_at_commit)  # watch what SQLite runs
    with pytest.raises(StorageUnavailable, match="was deleted"):
        storage.store(new_answer(fingerprint="late"), Duplicates())


def test_other_processes_opening_and_closing_the_file_change_nothing(
        storage: SQLiteStorage) -> None:
    for _ in range(3):  # as `parole purge` or `parole export` would, while the collector runs
        other = SQLiteStorage(storage.path)
        other.store(new_answer(fingerprint=f"other-{_}"), Duplicates())
        other.close()
    assert storage.store(new_answer(fingerprint="after"), Duplicates()).created


def test_deleted_answers_and_cleared_pseudonyms_leave_no_trace_in_the_file(
        tmp_path: Path) -> None:
    path = tmp_path / "answers.db"
    storage = SQLiteStorage(path)
    secret_text = "Mon avis très personnel 4c1d"
    receipt = storage.store(new_answer(values={"idee": [secret_text]}), Duplicates()).answer
    storage.store(new_answer(fingerprint="old", client="a1b2c3d4e5f60718293a4b5c6d7e8f90",
                             received_at=T0 - DUPLICATE_WINDOW * 2), Duplicates())
    assert storage.delete(receipt.receipt)
    storage.purge(T0 + timedelta(seconds=1))
    storage.close()  # the last connection: the WAL goes into the file, which is all that is left
    data = b"".join(file.read_bytes() for file in tmp_path.glob("answers.db*"))
    assert secret_text.encode() not in data
    assert b"a1b2c3d4e5f60718293a4b5c6d7e8f90" not in data
