"""``tests.log_support``'s checkpoint checks, the kill -9 rounds' (issue #19) tree-head promise:
they find a stored checkpoint whose root or size the log does not give, and a published
``checkpoint`` file that is not the newest stored one; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from site_builder.answer_log.note import generate_key
from site_builder.answer_log_commands.head import sign_head
from site_builder.storage import open_storage
from tests.log_command_support import ORIGIN, store_answers
from tests.log_support import database_log_problems
from tests.storage_support import raw_sql

KEY = generate_key(ORIGIN)


def _sign(url: str) -> str:
    storage = open_storage(url)
    try:
        return sign_head(storage, KEY, datetime(2027, 3, 1, tzinfo=UTC)).checkpoint.note
    finally:
        storage.close()


def test_a_checkpoint_the_log_does_not_give_is_a_problem(storage_url: str) -> None:
    store_answers(storage_url, 5)
    _sign(storage_url)
    store_answers(storage_url, 2, first=5)
    assert database_log_problems(storage_url) == []
    raw_sql(storage_url, "UPDATE log_checkpoints SET root = ? WHERE size = 5", (bytes(32),))
    assert database_log_problems(storage_url) == [
        "the checkpoint of 5 leaves is not the tree head of the log's first leaves"]
    raw_sql(storage_url, "UPDATE log_checkpoints SET size = 9 WHERE size = 5")
    assert database_log_problems(storage_url) == [
        "the checkpoint of 9 leaves is beyond the log (7 leaves)"]


def test_a_published_checkpoint_must_be_the_newest_stored_one(storage_url: str,
                                                             tmp_path: Path) -> None:
    store_answers(storage_url, 5)
    published = tmp_path / "checkpoint"
    published.write_text(_sign(storage_url), encoding="utf-8")
    assert database_log_problems(storage_url, published) == []
    store_answers(storage_url, 3, first=5)
    _sign(storage_url)
    assert database_log_problems(storage_url, published) == [
        "the published checkpoint (5 leaves) is not the newest stored one (8 leaves)"]
    published.write_text(_sign(storage_url), encoding="utf-8")
    assert database_log_problems(storage_url, published) == []
