"""What a leaf of the answer log commits to (issue #19), and the worked example of
docs/answer-log.md, which an auditor in another language reproduces."""

from __future__ import annotations

import ast
import hashlib
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from site_builder.answer_log.entry import (
    SALT_SIZE,
    AnswerFields,
    answer_entry,
    canonical_answer,
    new_salt,
)
from site_builder.answer_log.errors import EntryError
from site_builder.answer_log.merkle import leaf_hash
from site_builder.messages import catalogue
from tests.support import REPO

DOC = (REPO / "docs/answer-log.md").read_text(encoding="utf-8")
EXAMPLE = AnswerFields(
    form="avis-parc", version="3f9a1c2e",
    values={"usage": ["promenade", "jeux"], "avis": ["Plus d'ombre, s'il vous plaît \"vite\""]},
    channel="online", language="fr",
    received=datetime(2026, 3, 1, 11, 15, 0, 250_000, tzinfo=timezone(timedelta(hours=1))))
EXAMPLE_SALT = bytes.fromhex("00112233445566778899aabbccddeeff")


def _doc_section(title: str) -> str:
    match = re.search(rf"^## {title}\n(.*?)(?=^## |\Z)", DOC, re.M | re.S)
    assert match, title
    return match[1]


def test_the_documented_example_is_what_the_code_hashes() -> None:
    blocks = re.findall(r"```\n(.*?)\n```", _doc_section("How a leaf is made"), re.S)
    hashed, entry, leaf = blocks
    assert canonical_answer(EXAMPLE, EXAMPLE_SALT) == hashed.encode("utf-8")
    assert hashlib.sha256(hashed.encode("utf-8")).hexdigest() == entry
    assert answer_entry(EXAMPLE, EXAMPLE_SALT).hex() == entry
    assert leaf_hash(bytes.fromhex(entry)).hex() == leaf


def test_the_encoding_is_canonical_json_after_a_domain_line() -> None:
    encoded = canonical_answer(EXAMPLE, EXAMPLE_SALT)
    assert encoded.startswith(b"parole answer v1\n{\"channel\":\"online\",\"form\"")
    assert "plaît".encode() in encoded  # UTF-8 as itself, not \u00ee
    assert b'\\"vite\\"' in encoded
    document = encoded.split(b"\n", 1)[1]
    assert b", " not in document.replace(b"ombre, s", b"") and b": " not in document
    same_in_other_order = AnswerFields(
        form="avis-parc", version="3f9a1c2e", channel="online", language="fr",
        values=dict(reversed(list(EXAMPLE.values.items()))),
        received=EXAMPLE.received.astimezone(UTC))
    assert answer_entry(same_in_other_order, EXAMPLE_SALT) == answer_entry(EXAMPLE, EXAMPLE_SALT)


@pytest.mark.parametrize("change", [
    {"form": "avis-parc-2"}, {"version": "3f9a1c2f"}, {"channel": "paper"}, {"language": None},
    {"language": "ar"}, {"values": {"usage": ["jeux", "promenade"], "avis": ["…"]}},
    {"values": {"usage": ["promenade", "jeux"]}}, {"marks": {"avis": "blank"}},
    {"received": datetime(2026, 3, 1, 10, 15, 0, 250_001, tzinfo=UTC)},
])
def test_every_part_of_the_answer_changes_the_entry(change: dict[str, object]) -> None:
    changed = AnswerFields(**{**EXAMPLE.__dict__, **change})
    assert answer_entry(changed, EXAMPLE_SALT) != answer_entry(EXAMPLE, EXAMPLE_SALT)


def test_the_salt_changes_the_entry_and_is_random() -> None:
    salts = {new_salt() for _ in range(20)}
    assert len(salts) == 20 and all(len(salt) == SALT_SIZE for salt in salts)
    assert len({answer_entry(EXAMPLE, salt) for salt in salts}) == 20


def test_a_naive_time_or_a_wrong_salt_is_refused() -> None:
    naive = AnswerFields(**{**EXAMPLE.__dict__, "received": datetime(2026, 3, 1, 10, 15)})
    with pytest.raises(EntryError) as refused:
        answer_entry(naive, EXAMPLE_SALT)
    assert refused.value.key == "answer_log.entry.naive_time"
    with pytest.raises(EntryError) as refused:
        answer_entry(EXAMPLE, EXAMPLE_SALT[:15])
    assert refused.value.key == "answer_log.entry.salt_length"


def test_every_error_key_of_the_answer_log_is_in_both_catalogues() -> None:
    """The log's errors take their catalogue key first (``ProofError("answer_log.…")``), which
    tests/test_messages.py does not follow as it follows ``say``."""
    keys: set[str] = set()
    for path in sorted((REPO / "site_builder/answer_log").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                    and node.args[0].value.startswith("answer_log.")):
                keys.add(node.args[0].value)
    assert len(keys) > 40
    for language in ("en", "fr"):
        assert sorted(keys - set(catalogue(language))) == [], language
