"""The answer log in the storage (issue #19), on SQLite and on PostgreSQL, continued: signed
checkpoints (stored only when they are this log's tree head), the upgrade to schema 7 (every
counted answer of an older database gets its leaf, in the order received, and nothing else
changes), and collectors storing at the same moment on separate connections (one linear log,
in commit order)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from site_builder.answer_log import merkle
from site_builder.answer_log.checkpoint import Checkpoint, sign_checkpoint
from site_builder.answer_log.note import generate_key
from site_builder.storage import migrations, open_storage
from site_builder.storage.answer_log import AnswerLogError, StoredCheckpoint
from site_builder.storage.base import Duplicates, Storage
from site_builder.storage.dialect import Dialect
from site_builder.storage.log_rows import backfill
from tests.log_support import assert_log_agrees
from tests.storage_support import (
    LATEST,
    T0,
    new_answer,
    new_batch,
    plant_batch,
    raw_sql,
    sheet_entry,
)

SIGNER = generate_key("consultation.example.org/journal", seed=bytes(32))
SIGNED_AT = datetime(2025, 3, 2, tzinfo=UTC)


def checkpoint(size: int, root: bytes) -> StoredCheckpoint:
    """A checkpoint of ``size`` leaves and ``root``, its note signed as ``parole log
    checkpoint`` signs it."""
    note = sign_checkpoint(Checkpoint(SIGNER.name, size, root), SIGNER)
    return StoredCheckpoint(size=size, root=root, note=note, signed_at=SIGNED_AT)


def tree_head(storage: Storage, size: int) -> bytes:
    return merkle.root([leaf.leaf_hash for leaf in storage.log_leaves(0, size)])


def store_answers(storage: Storage, count: int) -> None:
    for number in range(count):
        storage.store(new_answer(fingerprint=f"f{number}"), Duplicates())


# Checkpoints

def test_a_checkpoint_of_this_log_is_stored_once(storage: Storage) -> None:
    empty = checkpoint(0, merkle.root([]))
    storage.add_checkpoint(empty)
    store_answers(storage, 3)
    two, three = checkpoint(2, tree_head(storage, 2)), checkpoint(3, tree_head(storage, 3))
    storage.add_checkpoint(three)
    storage.add_checkpoint(two)
    storage.add_checkpoint(three)  # the same again: nothing happens
    # The same tree head signed again later: the first note stays.
    storage.add_checkpoint(StoredCheckpoint(3, three.root, three.note, SIGNED_AT + timedelta(1)))
    assert storage.checkpoints() == [empty, two, three]


def refusal(storage: Storage, refused: StoredCheckpoint) -> AnswerLogError:
    before = storage.checkpoints()
    with pytest.raises(AnswerLogError) as caught:
        storage.add_checkpoint(refused)
    assert storage.checkpoints() == before
    return caught.value


def test_a_checkpoint_beyond_the_log_is_refused(storage: Storage) -> None:
    store_answers(storage, 2)
    # The tree head of 3 leaves, two of which this log has: a checkpoint of another database.
    leaves = [leaf.leaf_hash for leaf in storage.log_leaves()]
    error = refusal(storage, checkpoint(3, merkle.root([*leaves, leaves[0]])))
    assert error.key == "storage.log.checkpoint_too_big"
    assert "3 leaves" in str(error)


def test_a_root_that_is_not_the_log_s_tree_head_is_refused(storage: Storage) -> None:
    store_answers(storage, 3)
    error = refusal(storage, checkpoint(3, tree_head(storage, 2)))
    assert error.key == "storage.log.checkpoint_wrong_root"
    assert tree_head(storage, 3).hex() in str(error)
    # One leaf changed behind the storage's back: the right size, the wrong root.
    leaves = [leaf.leaf_hash for leaf in storage.log_leaves()]
    forged = merkle.root([leaves[0], merkle.leaf_hash(b"forged"), leaves[2]])
    assert refusal(storage, checkpoint(3, forged)).key == "storage.log.checkpoint_wrong_root"


def test_another_root_at_a_stored_size_is_refused(storage: Storage) -> None:
    store_answers(storage, 2)
    storage.add_checkpoint(checkpoint(2, tree_head(storage, 2)))
    error = refusal(storage, checkpoint(2, tree_head(storage, 1)))
    assert error.key == "storage.log.checkpoint_conflict"


def test_a_note_that_says_another_tree_head_is_refused(storage: Storage) -> None:
    store_answers(storage, 2)
    right = checkpoint(2, tree_head(storage, 2))
    other = checkpoint(1, tree_head(storage, 1))
    error = refusal(storage, StoredCheckpoint(2, right.root, other.note, SIGNED_AT))
    assert error.key == "storage.log.checkpoint_note_differs"
    garbled = refusal(storage, StoredCheckpoint(2, right.root, "not a note", SIGNED_AT))
    assert garbled.key == "storage.log.checkpoint_note"


# Upgrading a database made before the log

def moment(url: str, when: datetime) -> Any:
    return Dialect().moment(when) if url.startswith("sqlite") else when


def plant(url: str, receipt: str, received: datetime, **columns: Any) -> None:
    """An answer as an older parole wrote it (schema 3 or later: no language column)."""
    fields = {"receipt": receipt, "form_id": "budget", "form_version": "v1",
              "channel": "online", "received_at": moment(url, received),
              "values_json": '{"priorite":["ecoles"]}', "fingerprint": receipt,
              "quarantined": False, "pending": False, **columns}
    raw_sql(url, f"INSERT INTO answers ({', '.join(fields)})"
            f" VALUES ({', '.join('?' * len(fields))})", tuple(fields.values()))


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables an older parole had, to show the upgrade changes none."""
    return {table: raw_sql(url, f"SELECT * FROM {table} ORDER BY 1")
            for table in ("answers", "batches", "paper_entries", "answer_changes", "forms")}


def unchanged(before: dict[str, list[tuple[Any, ...]]],
              after: dict[str, list[tuple[Any, ...]]]) -> bool:
    """Every row as it was; the columns migrations 5 and 6 add (at the end) left NULL."""
    return all(len(after[table]) == len(rows) and all(
        new[:len(old)] == old and set(new[len(old):]) <= {None}
        for old, new in zip(rows, after[table], strict=True))
        for table, rows in before.items())


def older_database(url: str, monkeypatch: pytest.MonkeyPatch, release: int) -> None:
    with monkeypatch.context() as older:
        older.setattr(migrations, "SQLITE", migrations.SQLITE[:release])
        older.setattr(migrations, "POSTGRES", migrations.POSTGRES[:release])
        opened = open_storage(url)
        assert opened.schema_version() == release
        opened.close()


@pytest.mark.parametrize("release", [6, 5, 3])
def test_upgrading_gives_every_counted_answer_its_leaf_in_the_order_received(
        storage_url: str, monkeypatch: pytest.MonkeyPatch, release: int) -> None:
    older_database(storage_url, monkeypatch, release)
    batch = plant_batch(storage_url)
    plant(storage_url, "LATE0000", T0 + timedelta(hours=2))
    plant(storage_url, "EARLY000", T0, values_json='{"priorite":["parcs"]}')
    plant(storage_url, "TIED0000", T0, channel="paper", entered_by="alice",
          batch_id=batch.id, sheet=1, marks_json='{"quartiers":"blank"}')
    plant(storage_url, "TRAP0000", T0 + timedelta(hours=1), quarantined=True)
    plant(storage_url, "WAIT0000", T0 + timedelta(hours=1), channel="paper",
          entered_by="alice", batch_id=batch.id, sheet=2, pending=True)
    if release >= 5:
        plant(storage_url, "ARABIC00", T0 + timedelta(hours=1), language="ar")
    before = dump(storage_url)
    upgraded = open_storage(storage_url)
    try:
        assert upgraded.schema_version() == LATEST >= 7
        assert unchanged(before, dump(storage_url))
        expected = ["EARLY000", "TIED0000", *(["ARABIC00"] if release >= 5 else []),
                    "LATE0000"]
        assert [leaf.receipt for leaf in upgraded.log_leaves()] == expected
        assert {leaf.state for leaf in upgraded.log_leaves()} == {"current"}
        assert_log_agrees(upgraded)
        # The log goes on from there.
        answer = upgraded.store(new_answer(), Duplicates()).answer
        assert [leaf.index for leaf in upgraded.answer_leaves(answer.receipt)] == [
            len(expected)]
        assert upgraded.answer_leaves("WAIT0000") == upgraded.answer_leaves("TRAP0000") == []
        assert_log_agrees(upgraded)
    finally:
        upgraded.close()


def test_an_upgrade_that_fails_leaves_the_database_as_it_was(
        storage_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    older_database(storage_url, monkeypatch, 6)
    plant(storage_url, "EARLY000", T0)
    before = dump(storage_url)

    def fail_halfway(tx: Any) -> None:
        backfill(tx)
        raise RuntimeError("the machine stopped")

    monkeypatch.setitem(migrations.AFTER, 7, fail_halfway)
    with pytest.raises(Exception, match="the machine stopped"):
        open_storage(storage_url)
    assert raw_sql(storage_url, "SELECT max(version) FROM schema_migrations") == [(6,)]
    assert dump(storage_url) == before
    monkeypatch.undo()
    upgraded = open_storage(storage_url)
    try:
        assert [leaf.receipt for leaf in upgraded.log_leaves()] == ["EARLY000"]
    finally:
        upgraded.close()


# Collectors storing at once

def test_collectors_storing_at_once_make_one_linear_log(
        storage_url: str, open_collector: Callable[[], Storage]) -> None:
    """Four collectors (separate connections, and processes' worth of pools), each with two
    threads, store answers and paper sheets at the same moment: the log is dense, each counted
    answer has exactly one current leaf, and the indexes follow the commits (each leaf was
    appended after the one before it)."""
    collectors = [open_collector() for _ in range(4)]
    batch = collectors[0].create_batch(new_batch(sheets_counted=16))
    start = threading.Barrier(8)
    failures: list[BaseException] = []

    def work(number: int) -> None:
        storage = collectors[number % 4]
        try:
            start.wait()
            for each in range(12):
                if number < 6:
                    storage.store(new_answer(fingerprint=f"f{number}-{each}", client=None),
                                  Duplicates())
                elif each < 8:
                    storage.enter_sheet(sheet_entry(batch.id, f"typist-{number}"),
                                        double=False)
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    threads = [threading.Thread(target=work, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    reader = collectors[0]
    assert reader.log_size() == 6 * 12 + 16
    leaves = list(reader.log_leaves())
    assert [leaf.index for leaf in leaves] == list(range(len(leaves)))
    assert len({leaf.receipt for leaf in leaves}) == len(leaves)
    moments = [leaf.appended_at for leaf in leaves]
    assert moments == sorted(moments)
    assert_log_agrees(reader)
