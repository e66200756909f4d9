"""Writing answer rows and audit-trail rows, shared by both backends' ``store`` and ``delete``
and by the paper-entry methods (``entry_sheets``), so that every answer is written alike, with
its leaf in the answer log (``log_rows``) in the same transaction."""

from __future__ import annotations

from datetime import datetime

from site_builder.answer_log.entry import AnswerFields
from site_builder.storage import log_rows, receipts
from site_builder.storage.base import NewAnswer
from site_builder.storage.common import RECEIPT_ATTEMPTS
from site_builder.storage.dialect import Transaction

ENTERED_CHANNELS = ("paper", "assisted")
"""The channels of answers a mediator entered: only those are corrected or deleted by a
coordinator, and their deletions are kept in the audit trail."""
DELETED_BY_REQUEST = "parole delete"
"""Who the audit trail names for an entered answer deleted by ``Storage.delete`` (its author
asked the organizer, who ran ``parole delete``)."""


def insert_answer(tx: Transaction, answer: NewAnswer, *, batch_id: int | None = None,
                  sheet: int | None = None, pending: bool = False) -> tuple[int, str]:
    """Insert ``answer`` under a fresh receipt code; its row id and code. An answer that counts
    (neither quarantined nor ``pending``) gets its leaf in the answer log."""
    dialect = tx.dialect
    for _attempt in range(RECEIPT_ATTEMPTS):
        receipt = receipts.new_receipt()
        inserted = tx.all(
            "INSERT INTO answers (receipt, form_id, form_version, channel, received_at,"
            " expires_at, values_json, fingerprint, client, quarantined, entered_by,"
            " marks_json, batch_id, sheet, pending, language)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (receipt) DO NOTHING RETURNING id",
            (receipt, answer.form_id, answer.form_version, answer.channel,
             dialect.moment(answer.received_at),
             dialect.moment(answer.expires_at) if answer.expires_at else None,
             dialect.json(answer.values), answer.fingerprint, answer.client,
             answer.quarantined, answer.entered_by, dialect.json(answer.marks),
             batch_id, sheet, pending, answer.language))
        if inserted:
            if not (answer.quarantined or pending):
                log_rows.append_leaf(tx, receipt, AnswerFields(
                    form=answer.form_id, version=answer.form_version, values=answer.values,
                    channel=answer.channel, received=answer.received_at,
                    language=answer.language, marks=answer.marks))
            return int(inserted[0][0]), receipt
    raise RuntimeError(f"{RECEIPT_ATTEMPTS} receipt codes in a row were taken: "
                       "is the random number source broken?")


def record_change(tx: Transaction, action: str, by: str, now: datetime, *,
                  batch_id: int | None = None, receipt: str | None = None,
                  before: object = None, after: object = None, reason: str = "") -> None:
    """Add a row to the audit trail."""
    dialect = tx.dialect
    tx.run("INSERT INTO answer_changes (action, changed_by, changed_at, batch_id, receipt,"
           " before_json, after_json, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
           (action, by, dialect.moment(now), batch_id, receipt,
            None if before is None else dialect.json(before),
            None if after is None else dialect.json(after), reason))


def forget_answer(tx: Transaction, receipt: str, by: str, now: datetime,
                  reason: str = "") -> bool:
    """Delete an answer (its typings and its moderation verdicts go with it: ``ON DELETE
    CASCADE``, see ``migrations``) and every value the audit trail kept of it.
    A paper or assisted answer's deletion is recorded, without what it said, so that its
    batch's count stays explained. Its leaves in the answer log stay, marked deleted, their
    salts erased. False when there is no such answer."""
    row = tx.one("SELECT batch_id, channel FROM answers WHERE receipt = ?", (receipt,))
    if row is None:
        return False
    batch_id, channel = row
    tx.run("UPDATE answer_changes SET before_json = NULL, after_json = NULL WHERE receipt = ?",
           (receipt,))
    tx.run("DELETE FROM answers WHERE receipt = ?", (receipt,))
    log_rows.forget_leaves(tx, receipt)
    if channel in ENTERED_CHANNELS:
        record_change(tx, "deleted", by, now, batch_id=batch_id, receipt=receipt,
                      reason=reason)
    return True
