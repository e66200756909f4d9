"""Moderators' verdicts on free-text answers (issue #16), for both backends: the ``Storage``
methods ``record_verdict`` and ``verdicts`` of ``base.py``, each one transaction, the queries
written once (``dialect``).

A verdict is checked against the answer as it stands when it is stored, inside the same
transaction (the answer's row locked in PostgreSQL): the answer exists and counts, the text
decided on is still its text (a coordinator may have corrected it meanwhile: the moderator must
read it again), every redaction is a span of that text, and no other verdict was stored on it
since the moderator read it (``supersedes``). What cannot be stored raises
``ModerationError`` with the reason in words; a call no caller should ever make (an unknown
outcome, a reason on an approval) raises a plain ``ValueError``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from site_builder.messages import say
from site_builder.storage import receipts
from site_builder.storage.base import Values
from site_builder.storage.common import utc
from site_builder.storage.entry_store import EntryTransactions
from site_builder.storage.moderation import (
    OUTCOMES,
    ModerationError,
    NewVerdict,
    Redaction,
    StaleVerdictError,
    Verdict,
    text_digest,
)

_VERDICT_COLUMNS = ("id, form_id, receipt, field_id, outcome, reason, redactions_json, theme,"
                    " text_digest, decided_by, decided_at")


def written_text(values: Values, field_id: str) -> str:
    """The text a moderator decides on: the answer's value for ``field_id`` (a text or
    textarea question has one; several, should a form ever hold them, one per line)."""
    return "\n".join(values.get(field_id, ()))


def visible(words: str) -> bool:
    """Whether a reason or a theme says anything: only spaces, or only invisible format
    characters (bidi controls, zero-width joiners), say nothing."""
    return any(not character.isspace() and unicodedata.category(character) != "Cf"
               for character in words)


class VerdictStore(EntryTransactions):
    """Verdicts, added and read; a backend mixes this in next to ``EntryStore``."""

    def record_verdict(self, verdict: NewVerdict, *, supersedes: int | None) -> Verdict:
        _check_shape(verdict)
        receipt = receipts.normalise_receipt(verdict.receipt) or verdict.receipt
        redactions = tuple(sorted(verdict.redactions, key=lambda span: span.start))
        theme = verdict.theme.strip() if verdict.theme and visible(verdict.theme) else None
        with self._entry_write() as tx:
            dialect = tx.dialect
            row = tx.one("SELECT values_json FROM answers WHERE receipt = ? AND form_id = ?"
                         " AND NOT quarantined AND NOT pending" + dialect.lock,
                         (receipt, verdict.form_id))
            if row is None:
                raise ModerationError(say("storage.moderation.no_answer", form=verdict.form_id,
                                          receipt=receipts.format_receipt(receipt)))
            text = written_text(dialect.read_json(row[0]), verdict.field_id)
            where = {"receipt": receipts.format_receipt(receipt), "field": verdict.field_id}
            if not text.strip():
                raise ModerationError(say("storage.moderation.no_text", **where))
            if text_digest(text) != verdict.text_digest:
                raise ModerationError(say("storage.moderation.changed", **where))
            _check_redactions(text, redactions)
            # The answer's row is locked (PostgreSQL) or the database is (SQLite): no other
            # verdict on it can be stored between this read and the insert below.
            (newest,) = tx.one("SELECT max(id) FROM moderation_verdicts WHERE receipt = ?"
                               " AND field_id = ?", (receipt, verdict.field_id)) or (None,)
            if (None if newest is None else int(newest)) != supersedes:
                raise StaleVerdictError(say("storage.moderation.decided_meanwhile", **where))
            (verdict_id,) = tx.all(
                "INSERT INTO moderation_verdicts (form_id, receipt, field_id, outcome, reason,"
                " redactions_json, theme, text_digest, decided_by, decided_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (verdict.form_id, receipt, verdict.field_id, verdict.outcome,
                 verdict.reason.strip(),
                 dialect.json([[span.start, span.end, span.reason] for span in redactions]),
                 theme, verdict.text_digest, verdict.decided_by,
                 dialect.moment(verdict.decided_at)))[0]
        return Verdict(form_id=verdict.form_id, receipt=receipt, field_id=verdict.field_id,
                       outcome=verdict.outcome, text_digest=verdict.text_digest,
                       decided_by=verdict.decided_by, decided_at=utc(verdict.decided_at),
                       reason=verdict.reason.strip(), redactions=redactions, theme=theme,
                       id=int(verdict_id))

    def verdicts(self, form_id: str) -> Iterator[Verdict]:
        # Read whole: decisions are made by people one at a time, so a form has at most as
        # many as it has written answers, and usually far fewer.
        with self._entry_read() as tx:
            rows = tx.all(f"SELECT {_VERDICT_COLUMNS} FROM moderation_verdicts"
                          " WHERE form_id = ? ORDER BY id", (form_id,))
        for row in rows:
            yield self._verdict(row)

    def _verdict(self, row: tuple[Any, ...]) -> Verdict:
        (verdict_id, form_id, receipt, field_id, outcome, reason, redactions, theme, digest,
         decided_by, decided_at) = row
        return Verdict(
            form_id=form_id, receipt=receipt, field_id=field_id, outcome=outcome,
            text_digest=digest, decided_by=decided_by,
            decided_at=self._dialect.read_moment(decided_at), reason=reason,
            redactions=tuple(Redaction(int(start), int(end), str(why))
                             for start, end, why in self._dialect.read_json(redactions)),
            theme=theme, id=int(verdict_id))


def _check_shape(verdict: NewVerdict) -> None:
    """What the caller decides, before anything is read: programming mistakes as
    ``ValueError``, a moderator's omission as ``ModerationError``."""
    if verdict.outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {verdict.outcome!r}: expected one of {OUTCOMES}")
    if not verdict.decided_by.strip():
        raise ValueError("a verdict needs who decided it (decided_by)")
    utc(verdict.decided_at)  # a naive time is a programming mistake
    if verdict.outcome == "rejected":
        if verdict.redactions or verdict.theme:
            raise ValueError("a rejected answer is not quoted: no redaction, no theme")
        if not visible(verdict.reason):
            raise ModerationError(say("storage.moderation.no_reason"))
    elif verdict.reason:
        raise ValueError("an approval has no reason (redactions carry their own)")


def _check_redactions(text: str, redactions: tuple[Redaction, ...]) -> None:
    """Each span inside the text, not empty, with its reason, apart from the others (given in
    text order)."""
    end_of_previous = 0
    for span in redactions:
        shown = {"start": span.start, "end": span.end, "length": len(text)}
        if not 0 <= span.start < span.end <= len(text):
            raise ModerationError(say("storage.moderation.redaction_outside", **shown))
        if not visible(span.reason):
            raise ModerationError(say("storage.moderation.redaction_reason", **shown))
        if span.start < end_of_previous:
            raise ModerationError(say("storage.moderation.redactions_overlap", **shown))
        end_of_previous = span.end
