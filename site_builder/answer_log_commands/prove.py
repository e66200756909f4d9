"""``parole log prove RECEIPT``: where an answer is in the log, and the inclusion proof that
links its leaf to the newest signed checkpoint covering it, for a mediator helping a citizen
or an organizer answering one (the same proof as the collector's proof page).

The proof is made from the database's leaves (through the subtree hashes ``prove_hashes``
keeps, so that a proof does not read the whole log) and checked against the checkpoint's root
before it is shown: a proof that does not hold is never printed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from site_builder.answer_log.checkpoint import Checkpoint, parse_checkpoint
from site_builder.answer_log.errors import ProofError
from site_builder.answer_log.merkle import inclusion_proof, verify_inclusion
from site_builder.answer_log_commands.errors import LogCommandError
from site_builder.answer_log_commands.prove_hashes import proof_hashes
from site_builder.journal_verifier import VERIFIER_FILE
from site_builder.messages import say
from site_builder.storage.answer_log import LogLeaf, StoredCheckpoint
from site_builder.storage.base import Storage
from site_builder.storage.receipts import format_receipt, normalise_receipt


@dataclass(frozen=True)
class AnswerProof:
    receipt: str
    leaf: LogLeaf
    """The answer's newest leaf: its current state, or its deletion."""
    checkpoint: StoredCheckpoint | None
    """The newest checkpoint covering the leaf; None: none does yet."""
    proof: tuple[bytes, ...] = ()


def note_checkpoint(note: str) -> Checkpoint:
    """The checkpoint a stored note says (its signature was checked when it was stored)."""
    return parse_checkpoint(note[:note.rfind("\n\n") + 1])


def prove(storage: Storage, typed: str) -> AnswerProof:
    """The proof for the answer whose receipt code is ``typed``."""
    receipt = normalise_receipt(typed)
    if receipt is None:
        raise LogCommandError("log.prove.not_a_receipt", typed=typed)
    leaves = storage.answer_leaves(receipt)
    if not leaves:
        key = "log.prove.no_answer" if storage.get(receipt) is None else "log.prove.no_leaf"
        raise LogCommandError(key, receipt=format_receipt(receipt))
    leaf = next((leaf for leaf in reversed(leaves) if leaf.state == "current"), leaves[-1])
    covering = [stored for stored in storage.checkpoints() if stored.size > leaf.index]
    if not covering:
        return AnswerProof(receipt, leaf, None)
    checkpoint = covering[-1]
    hashes = proof_hashes(storage)
    proof = inclusion_proof(leaf.index, checkpoint.size, hashes.hash_at(storage, checkpoint.size))
    try:
        verify_inclusion(leaf.leaf_hash, leaf.index, checkpoint.size, proof, checkpoint.root)
    except ProofError:  # hashes kept from another log (a database restored): read them again
        hashes.forget()
        proof = inclusion_proof(leaf.index, checkpoint.size,
                                hashes.hash_at(storage, checkpoint.size))
        verify_inclusion(leaf.leaf_hash, leaf.index, checkpoint.size, proof, checkpoint.root)
    return AnswerProof(receipt, leaf, checkpoint, tuple(proof))


def grouped(digest: bytes) -> str:
    """A hash in hexadecimal by groups of 4, as the receipt page shows it (read aloud)."""
    text = digest.hex()
    return " ".join(text[start:start + 4] for start in range(0, len(text), 4))


def proof_text(found: AnswerProof) -> str:
    """The proof in plain words, for a terminal."""
    leaf = found.leaf
    lines = [
        say("log.prove.leaf", receipt=format_receipt(found.receipt), index=leaf.index,
            state=say(f"log.prove.state.{leaf.state}")),
        say("log.prove.leaf_hash", hash=grouped(leaf.leaf_hash)),
    ]
    if found.checkpoint is None:
        lines.append(say("log.prove.not_signed_yet", index=leaf.index))
        return "\n".join(lines) + "\n"
    checkpoint = note_checkpoint(found.checkpoint.note)
    lines.append(say("log.prove.checkpoint", size=checkpoint.size, origin=checkpoint.origin,
                     signed_at=found.checkpoint.signed_at.strftime("%Y-%m-%d %H:%M UTC"),
                     root=grouped(checkpoint.root)))
    lines.append(say("log.prove.proof", count=len(found.proof)))
    lines.extend(f"  {number:>2}. {step.hex()}" for number, step in enumerate(found.proof, 1))
    lines.append(say("log.prove.check_it", verifier=VERIFIER_FILE.name,
                     journal=f"https://{checkpoint.origin}/", index=leaf.index,
                     hash=leaf.leaf_hash.hex()))
    return "\n".join(lines) + "\n"


def proof_json(found: AnswerProof) -> str:
    """The proof for programs: hashes in lowercase hexadecimal, the signed note as stored."""
    data: dict[str, Any] = {
        "receipt": found.receipt,
        "index": found.leaf.index,
        "leaf_hash": found.leaf.leaf_hash.hex(),
        "state": found.leaf.state,
        "checkpoint": None,
        "proof": None,
    }
    if found.checkpoint is not None:
        checkpoint = note_checkpoint(found.checkpoint.note)
        data["checkpoint"] = {"origin": checkpoint.origin, "size": checkpoint.size,
                              "root": checkpoint.root.hex(), "note": found.checkpoint.note}
        data["proof"] = [step.hex() for step in found.proof]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
