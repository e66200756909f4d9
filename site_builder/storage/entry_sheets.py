"""Batches of paper sheets, their typings and the audit trail (issue #15), for both backends:
the ``Storage`` methods of ``base.py`` from ``create_batch`` to ``changes``, each one
transaction. What a typing does is decided in ``sheet_rules``; this module reads what the rules
need and writes what they decide.

Every write that depends on a batch's state (open or closed, its hand count, its sheets) first
reads the batch row with ``Dialect.lock`` (``FOR UPDATE`` in PostgreSQL): two collectors
entering sheets of the same batch at the same moment then take turns, so they never give two
sheets the same number nor close a batch while a sheet is being added.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from site_builder.messages import say
from site_builder.storage import log_rows, receipts, sheet_rules
from site_builder.storage.answer_rows import (
    ENTERED_CHANNELS,
    forget_answer,
    insert_answer,
    record_change,
)
from site_builder.storage.base import Marks, NewAnswer, StoredAnswer, Values
from site_builder.storage.common import check_language, check_new_answer, utc
from site_builder.storage.dialect import ANSWER_COLUMNS, Transaction
from site_builder.storage.entry import (
    Batch,
    BatchProgress,
    Change,
    EntryError,
    EntryResult,
    NewBatch,
    Sheet,
    SheetEntry,
    StoredEntry,
)
from site_builder.storage.entry_store import EntryTransactions

_BATCH_COLUMNS = ("id, form_id, place, collected_on, sheets_counted, created_by, created_at,"
                  " closed_at, closed_by, source_digest, language")
_ENTRY_COLUMNS = ("id, entered_by, entered_at, values_json, marks_json, discarded, again,"
                  " typing_key")


def _snapshot(values: Values, marks: Marks) -> dict[str, object]:
    return {"values": values, "marks": marks}


class SheetStore(EntryTransactions):
    """Batches, sheets and their typings, corrections and the audit trail."""

    # -- reading helpers (inside a transaction) ------------------------------------------------

    def _batch_row(self, tx: Transaction, batch_id: int, *, lock: bool = False) -> Batch:
        row = tx.one(f"SELECT {_BATCH_COLUMNS} FROM batches WHERE id = ?"
                     + (tx.dialect.lock if lock else ""), (batch_id,))
        if row is None:
            raise EntryError(say("storage.entry.no_batch", batch=batch_id))
        return self._batch_from(row)

    def _batch_from(self, row: tuple[Any, ...]) -> Batch:
        (batch_id, form_id, place, collected_on, counted, created_by, created_at, closed_at,
         closed_by, source_digest, language) = row
        read = self._dialect.read_moment
        return Batch(id=int(batch_id), form_id=form_id, place=place,
                     collected_on=self._dialect.read_day(collected_on), sheets_counted=counted,
                     created_by=created_by, created_at=read(created_at),
                     closed_at=read(closed_at) if closed_at is not None else None,
                     closed_by=closed_by, source_digest=source_digest, language=language)

    def _entries(self, tx: Transaction, answer_id: int) -> list[StoredEntry]:
        rows = tx.all(f"SELECT {_ENTRY_COLUMNS} FROM paper_entries WHERE answer_id = ?"
                      " ORDER BY id", (answer_id,))
        return [self._entry_from(row) for row in rows]

    def _entry_from(self, row: tuple[Any, ...]) -> StoredEntry:
        entry_id, entered_by, entered_at, values, marks, discarded, again, key = row
        read = self._dialect.read_json
        return StoredEntry(id=int(entry_id), entered_by=entered_by,
                           entered_at=self._dialect.read_moment(entered_at), values=read(values),
                           marks=read(marks), discarded=bool(discarded), again=bool(again),
                           typing_key=key)

    def _answer_row(self, tx: Transaction, receipt: str) -> tuple[int, StoredAnswer] | None:
        code = receipts.normalise_receipt(receipt)
        row = None if code is None else tx.one(
            f"SELECT id, {ANSWER_COLUMNS} FROM answers WHERE receipt = ?", (code,))
        return None if row is None else (int(row[0]), self._dialect.answer(row[1:]))

    def _locked_sheet(self, tx: Transaction,
                      receipt: str) -> tuple[Batch, int, StoredAnswer, list[StoredEntry]]:
        """A paper sheet by receipt, read again once its batch is locked (a write may have
        changed it in between)."""
        found = self._answer_row(tx, receipt)
        if found is None or found[1].batch_id is None:
            raise EntryError(say("storage.entry.no_sheet", receipt=receipt))
        batch = self._batch_row(tx, found[1].batch_id, lock=True)
        again = self._answer_row(tx, found[1].receipt)
        if again is None:  # deleted in between
            raise EntryError(say("storage.entry.no_sheet", receipt=receipt))
        answer_id, answer = again
        return batch, answer_id, answer, self._entries(tx, answer_id)

    def _sheet_of(self, tx: Transaction, answer_id: int) -> Sheet:
        row = tx.one("SELECT batch_id, sheet, receipt, pending FROM answers WHERE id = ?",
                     (answer_id,))
        assert row is not None  # written in this very transaction
        batch_id, number, receipt, pending = row
        entries = tuple(self._entries(tx, answer_id))
        return Sheet(batch_id=int(batch_id), number=number, receipt=receipt,
                     state=sheet_rules.sheet_state(bool(pending), entries), entries=entries)

    def _progress(self, tx: Transaction, batch: Batch) -> BatchProgress:
        rows = tx.all(
            "SELECT a.pending,"
            " (SELECT count(*) FROM paper_entries e WHERE e.answer_id = a.id"
            "  AND NOT e.discarded),"
            " (SELECT count(*) FROM paper_entries e WHERE e.answer_id = a.id AND e.discarded)"
            " FROM answers a WHERE a.batch_id = ?", (batch.id,))
        return sheet_rules.progress(batch, (
            sheet_rules.state_of(pending=bool(pending), live=live, discarded=discarded)
            for pending, live, discarded in rows))

    def _add_entry(self, tx: Transaction, answer_id: int, entry: SheetEntry, *,
                   again: bool = False) -> None:
        dialect = tx.dialect
        tx.run("INSERT INTO paper_entries (answer_id, entered_by, entered_at, values_json,"
               " marks_json, again, typing_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
               (answer_id, entry.entered_by, dialect.moment(entry.entered_at),
                dialect.json(entry.values), dialect.json(entry.marks), again,
                entry.typing_key))

    def _typed_before(self, tx: Transaction, entry: SheetEntry) -> EntryResult | None:
        """The sheet a typing with ``entry``'s key went into, when that key was stored before
        by the same mediator (the same screen posted twice: Save pressed twice, or again after
        a lost response, to this collector or another). Read once the batch is locked: of two
        such posts at once, the second waits for the first and finds its typing; the UNIQUE
        (entered_by, typing_key) of ``paper_entries`` refuses a second typing should it not."""
        if entry.typing_key is None:
            return None
        row = tx.one("SELECT answer_id FROM paper_entries WHERE entered_by = ?"
                     " AND typing_key = ?", (entry.entered_by, entry.typing_key))
        return None if row is None else EntryResult(self._sheet_of(tx, int(row[0])),
                                                    created=False)

    def _set_answer(self, tx: Transaction, answer_id: int, values: Values, marks: Marks, *,
                    counts: bool) -> None:
        """Write a sheet's or an entered answer's values; the answer log follows (a leaf when it
        starts to count, a new one when what counts changes)."""
        tx.run("UPDATE answers SET values_json = ?, marks_json = ?, pending = ? WHERE id = ?",
               (tx.dialect.json(values), tx.dialect.json(marks), not counts, answer_id))
        log_rows.sync_answer_leaf(tx, answer_id)

    # -- batches --------------------------------------------------------------------------------

    def _insert_batch(self, tx: Transaction, batch: NewBatch) -> int | None:
        sheet_rules.check_count(batch.sheets_counted)
        check_language(batch.language)
        dialect = tx.dialect
        rows = tx.all(
            "INSERT INTO batches (form_id, place, collected_on, sheets_counted, created_by,"
            " created_at, source_digest, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (source_digest) DO NOTHING RETURNING id",
            (batch.form_id, batch.place, dialect.day(batch.collected_on),
             batch.sheets_counted, batch.created_by, dialect.moment(batch.created_at),
             batch.source_digest, batch.language))
        return int(rows[0][0]) if rows else None

    def create_batch(self, batch: NewBatch) -> Batch:
        with self._entry_write() as tx:
            batch_id = self._insert_batch(tx, batch)
            if batch_id is None:  # the same source digest as another batch
                raise ValueError(f"a batch already has source digest {batch.source_digest}")
            return self._batch_row(tx, batch_id)

    def batch(self, batch_id: int) -> Batch | None:
        with self._entry_read() as tx:
            row = tx.one(f"SELECT {_BATCH_COLUMNS} FROM batches WHERE id = ?", (batch_id,))
        return self._batch_from(row) if row else None

    def batches(self, form_id: str | None = None) -> list[BatchProgress]:
        with self._entry_read() as tx:
            where, params = ("", ()) if form_id is None else (" WHERE form_id = ?", (form_id,))
            rows = tx.all(f"SELECT {_BATCH_COLUMNS} FROM batches{where}"
                          " ORDER BY created_at, id", params)
            return [self._progress(tx, self._batch_from(row)) for row in rows]

    def recount_batch(self, batch_id: int, sheets_counted: int, by: str, now: datetime,
                      reason: str = "") -> Batch:
        sheet_rules.check_count(sheets_counted)
        with self._entry_write() as tx:
            batch = self._batch_row(tx, batch_id, lock=True)
            sheet_rules.check_open(batch)
            tx.run("UPDATE batches SET sheets_counted = ? WHERE id = ?",
                   (sheets_counted, batch_id))
            record_change(tx, "recounted", by, now, batch_id=batch_id,
                          before={"sheets_counted": batch.sheets_counted},
                          after={"sheets_counted": sheets_counted}, reason=reason)
            return self._batch_row(tx, batch_id)

    def close_batch(self, batch_id: int, by: str, now: datetime) -> Batch:
        with self._entry_write() as tx:
            batch = self._batch_row(tx, batch_id, lock=True)
            sheet_rules.check_closable(self._progress(tx, batch))
            tx.run("UPDATE batches SET closed_at = ?, closed_by = ? WHERE id = ?",
                   (tx.dialect.moment(now), by, batch_id))
            record_change(tx, "closed", by, now, batch_id=batch_id)
            return self._batch_row(tx, batch_id)

    def import_batch(self, batch: NewBatch,
                     answers: Sequence[NewAnswer]) -> tuple[Batch, bool]:
        for answer in answers:
            check_new_answer(answer)
            if answer.form_id != batch.form_id:
                raise ValueError(f"an answer to {answer.form_id!r} in a batch of "
                                 f"{batch.form_id!r}")
        with self._entry_write() as tx:
            batch_id = self._insert_batch(tx, batch)
            if batch_id is None:  # imported before: its batch, nothing stored twice
                row = tx.one(f"SELECT {_BATCH_COLUMNS} FROM batches WHERE source_digest = ?",
                             (batch.source_digest,))
                assert row is not None  # the conflict was with it
                return self._batch_from(row), False
            for number, answer in enumerate(answers, start=1):
                attributed = answer if answer.entered_by is not None else \
                    dataclasses.replace(answer, entered_by=batch.created_by)
                insert_answer(tx, attributed, batch_id=batch_id, sheet=number)
            return self._batch_row(tx, batch_id), True

    # -- typing sheets --------------------------------------------------------------------------

    def enter_sheet(self, entry: SheetEntry, *, double: bool) -> EntryResult:
        with self._entry_write() as tx:
            batch = self._batch_row(tx, entry.batch_id, lock=True)
            before = self._typed_before(tx, entry)
            if before is not None:
                return before
            if double:
                typed = tx.all(
                    "SELECT a.sheet, e.again FROM answers a"
                    " JOIN paper_entries e ON e.answer_id = a.id"
                    " WHERE a.batch_id = ? AND e.entered_by = ?",
                    (batch.id, entry.entered_by))
            else:
                typed = tx.all("SELECT sheet, ? FROM answers WHERE batch_id = ?",
                               (False, batch.id))
            number = sheet_rules.next_sheet(
                batch, {sheet for sheet, again in typed if not again}, double=double,
                typed_again={sheet for sheet, again in typed if again})
            row = tx.one("SELECT id FROM answers WHERE batch_id = ? AND sheet = ?",
                         (batch.id, number))
            if row is None:
                typing = sheet_rules.first_typing(entry, double=double)
                answer_id, _receipt = insert_answer(tx, NewAnswer(
                    form_id=batch.form_id, form_version=entry.form_version,
                    values=typing.values, channel="paper", received_at=utc(entry.entered_at),
                    expires_at=entry.expires_at, fingerprint=entry.fingerprint,
                    entered_by=entry.entered_by, marks=typing.marks, language=batch.language,
                ), batch_id=batch.id, sheet=number, pending=not typing.counts)
            else:
                answer_id = int(row[0])
                typing = sheet_rules.next_typing(batch, number, self._entries(tx, answer_id),
                                                 entry)
                self._set_answer(tx, answer_id, typing.values, typing.marks,
                                 counts=typing.counts)
            self._add_entry(tx, answer_id, entry)
            return EntryResult(self._sheet_of(tx, answer_id))

    def enter_sheet_again(self, receipt: str, entry: SheetEntry) -> EntryResult:
        with self._entry_write() as tx:
            batch, answer_id, answer, entries = self._locked_sheet(tx, receipt)
            before = self._typed_before(tx, entry)
            if before is not None:
                return before
            if entry.batch_id != batch.id:
                raise ValueError(f"sheet {receipt} is in batch {batch.id}, "
                                 f"not {entry.batch_id}")
            typing = sheet_rules.third_typing(batch, answer.sheet or 0, answer.pending,
                                              entries, entry)
            self._set_answer(tx, answer_id, typing.values, typing.marks, counts=typing.counts)
            self._add_entry(tx, answer_id, entry, again=True)
            return EntryResult(self._sheet_of(tx, answer_id))

    def sheet(self, receipt: str) -> Sheet | None:
        with self._entry_read() as tx:
            found = self._answer_row(tx, receipt)
            if found is None or found[1].batch_id is None:
                return None
            return self._sheet_of(tx, found[0])

    def sheets(self, batch_id: int) -> list[Sheet]:
        with self._entry_read() as tx:
            rows = tx.all("SELECT id FROM answers WHERE batch_id = ? ORDER BY sheet",
                          (batch_id,))
            return [self._sheet_of(tx, int(answer_id)) for (answer_id,) in rows]

    # -- a coordinator's decisions ----------------------------------------------------------------

    def resolve_sheet(self, receipt: str, values: Values, marks: Marks, by: str,  # noqa: PLR0917
                      now: datetime, reason: str = "") -> Sheet:
        with self._entry_write() as tx:
            batch, answer_id, answer, entries = self._locked_sheet(tx, receipt)
            sheet_rules.check_differs(batch, answer.sheet or 0, answer.pending, entries)
            self._set_answer(tx, answer_id, values, marks, counts=True)
            record_change(tx, "resolved", by, now, batch_id=batch.id, receipt=answer.receipt,
                          before=_snapshot(answer.values, answer.marks),
                          after=_snapshot(values, marks), reason=reason)
            return self._sheet_of(tx, answer_id)

    def send_back_sheet(self, receipt: str, by: str, now: datetime, reason: str = "") -> Sheet:
        with self._entry_write() as tx:
            batch, answer_id, answer, entries = self._locked_sheet(tx, receipt)
            sheet_rules.check_differs(batch, answer.sheet or 0, answer.pending, entries)
            tx.run("UPDATE paper_entries SET discarded = ? WHERE answer_id = ?",
                   (True, answer_id))
            record_change(tx, "sent_back", by, now, batch_id=batch.id,
                          receipt=answer.receipt, reason=reason)
            return self._sheet_of(tx, answer_id)

    def _locked_entered_answer(self, tx: Transaction,
                               receipt: str) -> tuple[int, StoredAnswer] | None:
        """A paper or assisted answer, its batch (if any) locked and open."""
        found = self._answer_row(tx, receipt)
        if found is None:
            return None
        if found[1].channel not in ENTERED_CHANNELS:
            raise EntryError(say("storage.entry.not_entered", receipt=receipt))
        if found[1].batch_id is not None:
            sheet_rules.check_open(self._batch_row(tx, found[1].batch_id, lock=True))
            found = self._answer_row(tx, found[1].receipt)
        return found

    def correct_answer(self, receipt: str, values: Values, marks: Marks, by: str,  # noqa: PLR0917
                       now: datetime, reason: str = "") -> StoredAnswer:
        with self._entry_write() as tx:
            found = self._locked_entered_answer(tx, receipt)
            if found is None:
                raise EntryError(say("storage.entry.no_answer", receipt=receipt))
            answer_id, answer = found
            if answer.pending:
                raise EntryError(say("storage.entry.pending", receipt=receipt))
            self._set_answer(tx, answer_id, values, marks, counts=True)
            record_change(tx, "corrected", by, now, batch_id=answer.batch_id,
                          receipt=answer.receipt, before=_snapshot(answer.values, answer.marks),
                          after=_snapshot(values, marks), reason=reason)
            corrected = self._answer_row(tx, answer.receipt)
            assert corrected is not None  # just updated
            return corrected[1]

    def delete_entered_answer(self, receipt: str, by: str, now: datetime,
                              reason: str = "") -> bool:
        with self._entry_write() as tx:
            found = self._locked_entered_answer(tx, receipt)
            return found is not None and forget_answer(tx, found[1].receipt, by, now, reason)

    def changes(self, *, batch_id: int | None = None,
                receipt: str | None = None) -> list[Change]:
        conditions: list[str] = []
        params: list[object] = []
        if batch_id is not None:
            conditions.append("batch_id = ?")
            params.append(batch_id)
        if receipt is not None:
            conditions.append("receipt = ?")
            params.append(receipts.normalise_receipt(receipt) or receipt)
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        with self._entry_read() as tx:
            rows = tx.all("SELECT id, action, changed_by, changed_at, batch_id, receipt,"
                          f" before_json, after_json, reason FROM answer_changes{where}"
                          " ORDER BY changed_at, id", tuple(params))
        read = self._dialect.read_json
        return [Change(id=int(change_id), action=action, changed_by=by,
                       changed_at=self._dialect.read_moment(at),
                       batch_id=None if batch is None else int(batch), receipt=code,
                       before=None if before is None else read(before),
                       after=None if after is None else read(after), reason=reason)
                for change_id, action, by, at, batch, code, before, after, reason in rows]
