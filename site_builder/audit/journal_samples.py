"""The answer log's part of the collector pages the audit checks (issue #19): the receipt's
section about the public journal, and the proof page.

The audit has neither the organizer's database nor the journal's key, and needs neither: what
it checks is how the pages read. So its sample answer is made leaf 0 of a small journal of
three leaves (the two others stand for other people's answers), whose checkpoint is signed by
a throwaway key. The pages then show what a citizen's do once a checkpoint covers their answer:
the number and hash, the signed checkpoint, and a proof of two steps.
"""

from __future__ import annotations

import hashlib

from site_builder.answer_log.checkpoint import Checkpoint, sign_checkpoint
from site_builder.answer_log.entry import answer_entry
from site_builder.answer_log.merkle import MemoryTree, inclusion_proof, leaf_hash
from site_builder.answer_log.note import generate_key
from site_builder.answer_log_commands.prove import AnswerProof
from site_builder.storage.answer_log import LogLeaf, StoredCheckpoint
from site_builder.storage.base import StoredAnswer
from site_builder.storage.log_rows import answer_fields

SAMPLE_SALT = bytes(16)
"""The sample answer's salt: fixed, so that the audit's pages are the same at every run."""
OTHER_ANSWERS = 2
"""Leaves standing for other people's answers after the sample one."""
SAMPLE_ORIGIN = "consultation.example/journal"
"""The sample journal's name (a real one is named after the site's address: the audit's pages
need only one that reads like it)."""


def sample_proof(answer: StoredAnswer) -> AnswerProof:
    """``answer`` as leaf 0 of a signed journal of three leaves, with its inclusion proof."""
    entry = answer_entry(answer_fields(answer), SAMPLE_SALT)
    leaf = LogLeaf(0, answer.receipt, entry, leaf_hash(entry), "current", SAMPLE_SALT,
                   answer.received_at)
    others = [leaf_hash(hashlib.sha256(str(number).encode()).digest())
              for number in range(1, OTHER_ANSWERS + 1)]
    tree = MemoryTree([leaf.leaf_hash, *others])
    note = sign_checkpoint(Checkpoint(SAMPLE_ORIGIN, tree.size, tree.root()),
                           generate_key(SAMPLE_ORIGIN, seed=bytes(32)))
    checkpoint = StoredCheckpoint(tree.size, tree.root(), note, answer.received_at)
    return AnswerProof(answer.receipt, leaf, checkpoint,
                       tuple(inclusion_proof(0, tree.size, tree.hash_at)))
