"""What must always hold between the answers and the answer log (issue #19), checked through the
``Storage`` API only, so that any test (the storage suites, the kill -9 rounds, the commands'
audit tests) can ask it of a database in whatever state a run left it.

``log_problems`` lists, in words, every way the log and the answers disagree:

- the indexes are not exactly 0 .. log_size() - 1;
- a leaf's hash is not ``merkle.leaf_hash(entry)``; a state is unknown; a deleted leaf kept
  its salt, or a live one lost it;
- a counted answer (``Storage.answers``: neither quarantined nor pending) has no current leaf,
  or more than one; a pending or quarantined answer has a live leaf;
- a leaf that is not ``deleted`` belongs to no stored answer;
- a current leaf's entry is not ``answer_entry`` of its answer as stored, with its salt;
- a stored checkpoint counts more leaves than the log has, or its root is not the tree head of
  the log's first ``size`` leaves (``checkpoint_problems``); and, asked of a journal
  (``published_problems``), its ``checkpoint`` file is not the newest stored checkpoint.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from site_builder.answer_log import merkle
from site_builder.answer_log.checkpoint import parse_checkpoint
from site_builder.answer_log.entry import answer_entry
from site_builder.storage import open_storage
from site_builder.storage.answer_log import LEAF_STATES, LogLeaf
from site_builder.storage.base import Storage, StoredAnswer
from site_builder.storage.log_rows import answer_fields


def log_problems(storage: Storage) -> list[str]:
    """Every disagreement between ``storage``'s answers and its log (empty: they agree)."""
    leaves = list(storage.log_leaves())
    problems = _leaf_problems(leaves, storage.log_size())
    by_receipt: dict[str, list[LogLeaf]] = defaultdict(list)
    for leaf in leaves:
        by_receipt[leaf.receipt].append(leaf)
    counted: dict[str, StoredAnswer] = {}
    for form_id in storage.form_ids():
        for answer in storage.answers(form_id):
            counted[answer.receipt] = answer
            current = [leaf for leaf in by_receipt[answer.receipt] if leaf.state == "current"]
            if len(current) != 1:
                problems.append(f"counted answer {answer.receipt} has {len(current)} current"
                                " leaves, not 1")
                continue
            leaf = current[0]
            if leaf.salt is not None and \
                    answer_entry(answer_fields(answer), leaf.salt) != leaf.entry:
                problems.append(f"leaf {leaf.index} does not commit to answer "
                                f"{answer.receipt} as stored")
    for receipt, its_leaves in by_receipt.items():
        live = [leaf.index for leaf in its_leaves if leaf.state != "deleted"]
        if live and receipt not in counted:
            stored = storage.get(receipt)
            why = "no stored answer" if stored is None else "an answer that does not count"
            problems.append(f"leaves {live} are not deleted but belong to {why} ({receipt})")
    return problems + checkpoint_problems(storage, [leaf.leaf_hash for leaf in leaves])


def checkpoint_problems(storage: Storage, leaf_hashes: list[bytes]) -> list[str]:
    """Each stored checkpoint's root is the tree head of the first ``size`` of ``leaf_hashes``
    (the log's, in order)."""
    problems = []
    for checkpoint in storage.checkpoints():
        if checkpoint.size > len(leaf_hashes):
            problems.append(f"the checkpoint of {checkpoint.size} leaves is beyond the log "
                            f"({len(leaf_hashes)} leaves)")
        elif merkle.root(leaf_hashes[:checkpoint.size]) != checkpoint.root:
            problems.append(f"the checkpoint of {checkpoint.size} leaves is not the tree head "
                            "of the log's first leaves")
    return problems


def published_problems(storage: Storage, leaf_hashes: list[bytes], published: Path) -> list[str]:
    """A journal's ``checkpoint`` file says the newest stored checkpoint's size and root, the
    tree head of the log's first ``size`` leaves."""
    text = published.read_text(encoding="utf-8")
    said = parse_checkpoint(text[:text.rfind("\n\n") + 1])
    stored = storage.checkpoints()
    if not stored or (said.size, said.root) != (stored[-1].size, stored[-1].root):
        newest = stored[-1].size if stored else None
        return [f"the published checkpoint ({said.size} leaves) is not the newest stored one "
                f"({newest} leaves)"]
    if said.size > len(leaf_hashes) or merkle.root(leaf_hashes[:said.size]) != said.root:
        return [f"the published checkpoint of {said.size} leaves is not the log's tree head"]
    return []


def _leaf_problems(leaves: list[LogLeaf], size: int) -> list[str]:
    problems = []
    indexes = [leaf.index for leaf in leaves]
    if indexes != list(range(size)):
        problems.append(f"the log's indexes are not 0..{size - 1}: {indexes[:20]}...")
    for leaf in leaves:
        if merkle.leaf_hash(leaf.entry) != leaf.leaf_hash:
            problems.append(f"leaf {leaf.index}'s hash is not the hash of its entry")
        if leaf.state not in LEAF_STATES:
            problems.append(f"leaf {leaf.index} has the unknown state {leaf.state!r}")
        if (leaf.salt is None) != (leaf.state == "deleted"):
            problems.append(f"leaf {leaf.index} is {leaf.state} with salt {leaf.salt!r}")
    return problems


def assert_log_agrees(storage: Storage) -> None:
    """Fail with every problem ``log_problems`` finds."""
    problems = log_problems(storage)
    assert not problems, "the answer log and the answers disagree:\n" + "\n".join(problems)


def database_log_problems(database_url: str, published: Path | None = None) -> list[str]:
    """``log_problems`` of the database at ``database_url``, opened for the check and closed
    (the kill -9 rounds ask it of the database a crashed collector left); with ``published``,
    also that this journal ``checkpoint`` file is the newest stored one and the log's tree
    head (``checkpoint_problems``)."""
    storage = open_storage(database_url)
    try:
        problems = log_problems(storage)
        if published is not None:
            hashes = [leaf.leaf_hash for leaf in storage.log_leaves()]
            problems += published_problems(storage, hashes, published)
        return problems
    finally:
        storage.close()
