"""``parole log audit``: the answer log recomputed from the database, as an independent
auditor would with a dump or a read-only replica. Nothing is written.

Checked, and every difference reported (not only the first):

- the leaves are numbered 0, 1, 2… and each leaf hash is the hash of its entry;
- every counted answer has exactly one ``current`` leaf, its last, whose entry is the answer's
  state with its salt (``answer_entry``): an answer altered in the database no longer matches;
- each ``replaced`` leaf is an earlier state of its answer: recomputed from the audit trail's
  corrections when it still holds them (else counted as not checkable);
- a leaf that is not ``deleted`` belongs to a counted answer (an answer removed from the
  database without its deletion being recorded leaves one behind), and only a deleted leaf has
  no salt;
- each stored checkpoint's root is the tree head of the log's first ``size`` leaves (a leaf
  inserted, removed or moved before it changes the root), its note says that size and root,
  and, with the key, is signed by it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from site_builder.answer_log.entry import SALT_SIZE, answer_entry
from site_builder.answer_log.errors import LogError
from site_builder.answer_log.merkle import MemoryTree, leaf_hash
from site_builder.answer_log.note import VerifierKey
from site_builder.answer_log_commands.head import opened
from site_builder.answer_log_commands.prove import note_checkpoint
from site_builder.messages import say
from site_builder.storage.answer_log import LEAF_STATES, LogLeaf
from site_builder.storage.base import Storage, StoredAnswer
from site_builder.storage.log_rows import answer_fields
from site_builder.storage.receipts import format_receipt


@dataclass
class AuditReport:
    leaves: int = 0
    answers: int = 0
    """Counted answers checked against their current leaf."""
    replaced_checked: int = 0
    replaced_unchecked: int = 0
    deleted: int = 0
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)


def audit_log(storage: Storage, key: VerifierKey | None = None) -> AuditReport:
    report = AuditReport()
    by_receipt: dict[str, list[LogLeaf]] = {}
    hashes: list[bytes] = []
    for leaf in storage.log_leaves():
        _check_leaf(leaf, len(hashes), report)
        hashes.append(leaf.leaf_hash)
        by_receipt.setdefault(leaf.receipt, []).append(leaf)
    report.leaves = len(hashes)
    counted = {answer.receipt: answer for answer in _counted_answers(storage)}
    for receipt, answer in counted.items():
        _check_answer(storage, answer, by_receipt.get(receipt, []), report)
    for receipt, leaves in by_receipt.items():
        if receipt not in counted:
            _check_orphan(storage, receipt, leaves, report)
    _check_checkpoints(storage, MemoryTree(hashes), key, report)
    return report


def _counted_answers(storage: Storage) -> Iterator[StoredAnswer]:
    for form_id in storage.form_ids():
        yield from storage.answers(form_id)


def _problem(report: AuditReport, key: str, **values: object) -> None:
    report.problems.append(say(key, **values))


def _check_leaf(leaf: LogLeaf, position: int, report: AuditReport) -> None:
    if leaf.index != position:
        _problem(report, "log.audit.order", index=leaf.index, expected=position)
    if leaf_hash(leaf.entry) != leaf.leaf_hash:
        _problem(report, "log.audit.leaf_hash", index=leaf.index)
    if leaf.state not in LEAF_STATES:
        _problem(report, "log.audit.state", index=leaf.index, state=leaf.state)
    if leaf.state == "deleted":
        report.deleted += 1
        if leaf.salt is not None:
            _problem(report, "log.audit.salt_kept", index=leaf.index)
    elif leaf.salt is None or len(leaf.salt) != SALT_SIZE:
        _problem(report, "log.audit.no_salt", index=leaf.index)


def _check_answer(storage: Storage, answer: StoredAnswer, leaves: list[LogLeaf],
                  report: AuditReport) -> None:
    """``answer`` counts: its leaves must be its replaced states, then one current one."""
    report.answers += 1
    receipt = format_receipt(answer.receipt)
    current = [leaf for leaf in leaves if leaf.state == "current"]
    if len(current) != 1:
        _problem(report, "log.audit.current_count", receipt=receipt, count=len(current))
        return
    leaf = current[0]
    if leaf is not leaves[-1]:
        _problem(report, "log.audit.current_not_last", receipt=receipt, index=leaf.index)
    if not _matches(answer, leaf):
        _problem(report, "log.audit.answer_differs", receipt=receipt, index=leaf.index)
    replaced = [leaf for leaf in leaves if leaf.state == "replaced"]
    if replaced:
        _check_replaced(storage, answer, replaced, report)


def _matches(answer: StoredAnswer, leaf: LogLeaf) -> bool:
    if leaf.salt is None or len(leaf.salt) != SALT_SIZE:
        return False  # said already by _check_leaf
    return answer_entry(answer_fields(answer), leaf.salt) == leaf.entry


def _check_replaced(storage: Storage, answer: StoredAnswer, replaced: list[LogLeaf],
                    report: AuditReport) -> None:
    """The k-th replaced leaf is the state the k-th correction changed."""
    corrections = [change for change in storage.changes(receipt=answer.receipt)
                   if change.action == "corrected" and change.before is not None]
    if len(corrections) != len(replaced):
        report.replaced_unchecked += len(replaced)
        return
    for leaf, correction in zip(replaced, corrections, strict=True):
        before = correction.before or {}
        values, marks = before.get("values"), before.get("marks")
        if not isinstance(values, dict) or not isinstance(marks, dict):
            report.replaced_unchecked += 1
            continue
        earlier = replace(answer, values=values, marks=marks)
        if _matches(earlier, leaf):
            report.replaced_checked += 1
        else:
            _problem(report, "log.audit.replaced_differs", receipt=format_receipt(
                answer.receipt), index=leaf.index)


def _check_orphan(storage: Storage, receipt: str, leaves: list[LogLeaf],
                  report: AuditReport) -> None:
    """Leaves of a receipt that no counted answer has: each must be marked deleted."""
    live = [leaf for leaf in leaves if leaf.state != "deleted"]
    if not live:
        return
    key = "log.audit.no_answer" if storage.get(receipt) is None else "log.audit.not_counted"
    for leaf in live:
        _problem(report, key, receipt=format_receipt(receipt), index=leaf.index)


def _check_checkpoints(storage: Storage, tree: MemoryTree, key: VerifierKey | None,
                       report: AuditReport) -> None:
    for stored in storage.checkpoints():
        report.checkpoints += 1
        if stored.size > tree.size:
            _problem(report, "log.audit.checkpoint_beyond", size=stored.size, leaves=tree.size)
            continue
        if tree.root(stored.size) != stored.root:
            _problem(report, "log.audit.checkpoint_root", size=stored.size)
        try:
            said = note_checkpoint(stored.note)
            if key is not None:
                said = opened(stored, key)
        except LogError as error:  # no checkpoint at all, or not signed by the key
            _problem(report, "log.audit.checkpoint_note", size=stored.size, error=error)
            continue
        if (said.size, said.root) != (stored.size, stored.root):
            _problem(report, "log.audit.checkpoint_note", size=stored.size,
                     error=say("log.checkpoint.note_disagrees", size=stored.size))
