"""What entering a paper sheet does, decided once for both storage backends (issue #15).

The backends read what the decision needs inside their write transaction (the batch, the sheet
numbers already typed, the sheet's typings), call these pure functions, and write what they
return. A refusal a person can act on raises ``EntryError`` with the reason in words.

Sheet numbers follow the stack of paper. With single entry the sheets of a batch are numbered
1, 2, 3… whoever types them (two mediators may share a stack). With double entry each mediator
goes through the whole stack: their next sheet is 1 + the highest number they have typed in the
batch, so the first typist's sheet 12 and the second typist's sheet 12 are the same sheet of
paper. A typing made at a coordinator's request (a third typing, ``again``) is outside that run:
it does not move the numbering on, and the run skips that sheet when it gets there. In both
modes a mediator can enter no more sheets than the hand count (a sheet deleted as wrong frees
its place: the next one gets a new number).

A sheet's state is not stored: it follows from its answer's ``pending`` flag and its typings
(``sheet_state``), so it can never disagree with them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from site_builder.messages import say
from site_builder.storage.base import Marks, Values
from site_builder.storage.entry import (
    SHEET_STATES,
    Batch,
    BatchProgress,
    EntryError,
    SheetEntry,
    StoredEntry,
)


@dataclass(frozen=True)
class Typed:
    """What a typing does to its sheet."""

    counts: bool
    """The sheet's answer counts from now on (``pending`` false)."""
    values: Values
    marks: Marks
    """What the answer says from now on."""


def state_of(*, pending: bool, live: int, discarded: int) -> str:
    """A sheet's state (``SHEET_STATES``) from its answer's ``pending`` flag and how many of
    its typings are live or set aside."""
    if not pending:
        return "counted"
    if live == 0:
        return "awaiting_third" if discarded else "differs"
    if live == 1 and not discarded:
        return "awaiting_second"
    return "differs"


def sheet_state(pending: bool, entries: Sequence[StoredEntry]) -> str:
    discarded = sum(entry.discarded for entry in entries)
    return state_of(pending=pending, live=len(entries) - discarded, discarded=discarded)


def progress(batch: Batch, states: Iterable[str]) -> BatchProgress:
    """A batch with its sheets counted per state (every state present)."""
    sheets = dict.fromkeys(SHEET_STATES, 0)
    for state in states:
        sheets[state] += 1
    return BatchProgress(batch, sheets)


def check_open(batch: Batch) -> None:
    if batch.closed_at is not None:
        raise EntryError(say("storage.entry.batch_closed", batch=batch.id, place=batch.place))


def next_sheet(batch: Batch, typed: Collection[int], *, double: bool,
               typed_again: Collection[int] = ()) -> int:
    """The number of the sheet a mediator types next. ``typed``: the sheet numbers of the batch
    (single entry), or the ones this mediator typed in their run through the stack (double
    entry); ``typed_again``: the ones they typed at a coordinator's request, skipped when their
    run reaches them (they already typed those)."""
    check_open(batch)
    if len({*typed, *typed_again}) >= batch.sheets_counted:
        key = "storage.entry.all_typed_by_you" if double else "storage.entry.all_typed"
        raise EntryError(say(key, batch=batch.id, counted=batch.sheets_counted))
    number = max(typed, default=0) + 1
    while number in typed_again:
        number += 1
    return number


def same(values: Values, marks: Marks, other_values: Values, other_marks: Marks) -> bool:
    """Whether two typings of a sheet say the same. A question typed as an empty list and one
    left out are the same: both say nothing."""
    def said(answer: Values) -> Values:
        return {field: chosen for field, chosen in answer.items() if chosen}
    return said(values) == said(other_values) and marks == other_marks


def first_typing(entry: SheetEntry, *, double: bool) -> Typed:
    """A sheet typed for the first time: it counts at once with single entry."""
    return Typed(counts=not double, values=entry.values, marks=entry.marks)


def next_typing(batch: Batch, number: int, entries: Sequence[StoredEntry],
                entry: SheetEntry) -> Typed:
    """Another mediator's typing of an existing sheet in their run through the stack: it
    counts when it says what the one typing before it says, else the sheet differs."""
    if any(stored.entered_by == entry.entered_by for stored in entries):
        raise EntryError(say("storage.entry.typed_by_you", batch=batch.id, sheet=number))
    live = [stored for stored in entries if not stored.discarded]
    if len(live) != 1 or len(live) != len(entries):
        raise EntryError(say("storage.entry.typed_twice", batch=batch.id, sheet=number))
    first = live[0]
    agrees = same(entry.values, entry.marks, first.values, first.marks)
    if agrees:
        return Typed(counts=True, values=entry.values, marks=entry.marks)
    # The answer keeps the first typing's values until a coordinator decides.
    return Typed(counts=False, values=first.values, marks=first.marks)


def third_typing(batch: Batch, number: int, pending: bool, entries: Sequence[StoredEntry],
                 entry: SheetEntry) -> Typed:
    """A typing of a sheet sent back: it counts when it says what one of the set-aside typings
    of ANOTHER mediator says (agreeing with oneself proves nothing), else the sheet differs."""
    check_open(batch)
    if sheet_state(pending, entries) != "awaiting_third":
        raise EntryError(say("storage.entry.not_sent_back", batch=batch.id, sheet=number))
    for stored in entries:
        if stored.discarded and stored.entered_by != entry.entered_by and \
                same(entry.values, entry.marks, stored.values, stored.marks):
            return Typed(counts=True, values=entry.values, marks=entry.marks)
    return Typed(counts=False, values=entry.values, marks=entry.marks)


def check_differs(batch: Batch, number: int, pending: bool,
                  entries: Sequence[StoredEntry]) -> None:
    """Only a sheet whose typings differ is resolved or sent back."""
    check_open(batch)
    if sheet_state(pending, entries) != "differs":
        raise EntryError(say("storage.entry.not_differing", batch=batch.id, sheet=number))


def check_closable(batch_progress: BatchProgress) -> None:
    batch = batch_progress.batch
    check_open(batch)
    if not batch_progress.complete:
        raise EntryError(say(
            "storage.entry.not_complete", batch=batch.id, counted=batch.sheets_counted,
            entered=batch_progress.entered,
            waiting=batch_progress.entered - batch_progress.counted))


def check_count(sheets_counted: int) -> None:
    if sheets_counted < 0:
        raise EntryError(say("storage.entry.bad_count", count=sheets_counted))
