"""What a batch of paper sheets must hold after every crash of the kill -9 suite (issue #15):
the mediators' saves (``paper_driver``) against the database, read through the storage API.

A typing is known by who typed it and the marker of the sheet: each typing acknowledged with a
303 is stored exactly once, under the receipt the 303 named, and any typing saved is stored at
most once. The batch stays whole: its sheet numbers run 1, 2, 3… without a repeat or a gap,
its entered count is its number of sheets, and every sheet's state follows from its typings.
With single entry each sheet is one typing and counts at once; with double entry two mediators
type the same stack, so a sheet's typings agree: it counts once typed twice, else it waits for
its second typing, and it never differs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from site_builder.storage import open_storage
from site_builder.storage.entry import Sheet
from tests.collector_support import OPEN_DAY
from tests.reliability.load_driver import FORM_ID, MARKER_FIELD
from tests.reliability.paper_driver import Desk, SheetAttempt, request

Typing = tuple[str, str]
"""Who typed a sheet, and its marker."""


@dataclass(frozen=True)
class BatchContents:
    """A batch as the database holds it."""

    sheets: list[Sheet]
    entered: int
    """The batch's entered count (``BatchProgress.entered``)."""
    typings: Counter[Typing]
    """Live typings of its sheets."""
    answers: Counter[str]
    """Paper answers that count (pending ones left out, as ``Storage.answers`` does), by
    marker."""
    language: str | None = None
    """The batch's language, as opened (issue #18: the form's own on a one-language site)."""
    languages: Counter[str | None] = field(default_factory=Counter)
    """The languages its answers that count are stored in: all the batch's."""

    def markers(self, sheet: Sheet) -> set[str]:
        return {_marker(entry.values) for entry in sheet.entries if not entry.discarded}


def _marker(values: dict[str, list[str]]) -> str:
    return (values.get(MARKER_FIELD) or [""])[0]


def batch_contents(database_url: str, batch_id: int) -> BatchContents:
    storage = open_storage(database_url)
    try:
        answers: Counter[str] = Counter()
        languages: Counter[str | None] = Counter()
        for quarantined in (False, True):
            paper = [answer for answer in storage.answers(FORM_ID, quarantined=quarantined)
                     if answer.channel == "paper"]
            answers.update(_marker(answer.values) for answer in paper)
            languages.update(answer.language for answer in paper if answer.batch_id == batch_id)
        batch = storage.batch(batch_id)
        sheets = storage.sheets(batch_id)
        entered = next(progress.entered for progress in storage.batches(FORM_ID)
                       if progress.batch.id == batch_id)
    finally:
        storage.close()
    typings = Counter((entry.entered_by, _marker(entry.values)) for sheet in sheets
                      for entry in sheet.entries if not entry.discarded)
    return BatchContents(sheets, entered, typings, answers,
                         batch.language if batch else None, languages)


@dataclass
class PaperLedger:
    """What the batch must hold, by typing, across the rounds of one backend."""

    desks: list[Desk]
    batch_id: int
    double: bool = False
    acknowledged: dict[Typing, str] = field(default_factory=dict)
    """Typing → the receipt its 303 named: stored exactly once, under that receipt."""
    sent: set[Typing] = field(default_factory=set)
    """Every typing saved at least once: stored at most once."""
    statuses: Counter[int | None] = field(default_factory=Counter)
    unacknowledged: int = 0
    """Saves without a 303 (refused, or cut off)."""
    sent_again: int = 0
    """Sheets saved again with the same form once the collector was back."""
    stored_unacknowledged: int = 0
    sessions_kept: int = 0
    """Sessions still open after a restart (checked once per mediator and restart)."""
    lost: list[Typing] = field(default_factory=list)
    """Acknowledged typings missing at the last check."""
    doubled: list[Typing] = field(default_factory=list)
    """Typings stored twice or more at the last check."""
    _recorded: dict[str, int] = field(default_factory=dict)

    def record(self) -> list[SheetAttempt]:
        """The desks' saves since the last call, added to the ledger."""
        new: list[SheetAttempt] = []
        for desk in self.desks:
            new += desk.attempts[self._recorded.get(desk.name, 0):]
            self._recorded[desk.name] = len(desk.attempts)
        for attempt in new:
            typing = (attempt.sheet.mediator, attempt.sheet.marker)
            self.statuses[attempt.reply.status] += 1
            self.sent.add(typing)
            if attempt.acknowledged:
                self.acknowledged[typing] = attempt.receipt
            else:
                self.unacknowledged += 1
        return new

    def resume(self, port: int) -> None:
        """Each mediator comes back to the screen they had: their session must still be open
        (sessions are in the database), and the sheet whose save got no answer is saved again
        with the same form: it must be acknowledged, stored or recognised as stored."""
        for desk in self.desks:
            screen = request(port, "GET", f"{desk.area}/batches/{self.batch_id}/sheet",
                             cookie=desk.cookie)
            assert screen.status == 200, (
                f"{desk.name}'s session, in the database, should survive the restart: the "
                f"entry screen got HTTP {screen.status} {screen.location}")
            self.sessions_kept += 1
            if desk.pending is not None:
                attempt = desk.save(port, self.batch_id)
                assert attempt.acknowledged, (
                    f"a sheet saved again after the restart should get a 303 to the entry "
                    f"screen: {attempt.describe()}")
                self.sent_again += 1
        self.record()

    def problems(self, database_url: str) -> list[str]:
        """What is wrong with the batch in the database, against the ledger (empty: all
        good). Also counts the sheets stored although their save got no 303."""
        held = batch_contents(database_url, self.batch_id)
        self.stored_unacknowledged += sum(
            1 for desk in self.desks
            if desk.pending is not None and held.typings[(desk.name, desk.pending.marker)])
        self.lost = sorted(typing for typing in self.acknowledged if not held.typings[typing])
        self.doubled = sorted(typing for typing, count in held.typings.items() if count > 1)
        unknown = sorted(typing for typing in held.typings if typing not in self.sent)
        found: list[str] = []
        if self.lost or self.doubled or unknown:
            found.append(f"{len(self.lost)} acknowledged typings lost {self.lost[:10]}, "
                         f"{len(self.doubled)} stored twice or more {self.doubled[:10]}, "
                         f"{len(unknown)} stored that were never sent {unknown[:10]}")
        by_receipt = {sheet.receipt: held.markers(sheet) for sheet in held.sheets}
        wrong_receipt = sorted(typing for typing, receipt in self.acknowledged.items()
                               if by_receipt.get(receipt, {typing[1]}) != {typing[1]})
        if wrong_receipt:
            found.append(f"{len(wrong_receipt)} typings acknowledged with the receipt of "
                         f"another sheet: {wrong_receipt[:10]}")
        return found + self._batch_problems(held)

    def _batch_problems(self, held: BatchContents) -> list[str]:
        found: list[str] = []
        numbers = Counter(sheet.number for sheet in held.sheets)
        repeated = sorted(number for number, count in numbers.items() if count > 1)
        if repeated:
            found.append(f"sheet numbers used twice in batch {self.batch_id}: {repeated[:10]}")
        if sorted(numbers) != list(range(1, len(held.sheets) + 1)):
            gaps = sorted(set(range(1, max(numbers, default=0) + 1)) - set(numbers))
            found.append(f"the batch's sheet numbers have gaps: {gaps[:10]}")
        if held.entered != len(held.sheets):
            found.append(f"the batch says {held.entered} sheets entered; it has "
                         f"{len(held.sheets)}")
        mixed = [sheet.number for sheet in held.sheets if len(held.markers(sheet)) != 1]
        if mixed:
            found.append(f"sheets whose typings are of different sheets: {mixed[:10]}")
        typings_wanted = (1, 2) if self.double else (1,)
        wrong = [(sheet.number, sheet.state) for sheet in held.sheets
                 if len(sheet.entries) not in typings_wanted
                 or sheet.state != ("counted" if len(sheet.entries) == typings_wanted[-1]
                                    else "awaiting_second")]
        if wrong:
            found.append(f"sheets whose state does not follow from their typings: {wrong[:10]}")
        counting = Counter(marker for sheet in held.sheets if sheet.state == "counted"
                           for marker in held.markers(sheet))
        strays = {language: count for language, count in held.languages.items()
                  if language != held.language}
        if held.language is None or strays:
            found.append(f"batch {self.batch_id} opened in {held.language!r} holds answers in "
                         f"other languages: {strays}")
        if held.answers != counting:
            found.append(f"the answers that count ({sum(held.answers.values())}) are not the "
                         f"sheets that count ({sum(counting.values())})")
        return found


def open_shared_batch(desks: list[Desk], port: int, *, double: bool = False) -> PaperLedger:
    """Every mediator signs in; the first opens the batch they all type into."""
    for desk in desks:
        desk.sign_in(port)
    return PaperLedger(desks, desks[0].open_batch(port, date.fromisoformat(OPEN_DAY)),
                       double=double)


def check_sheets(paper: PaperLedger, saves: list[SheetAttempt], database_url: str, *,
                 allowed: tuple[int | None, ...], when: str) -> None:
    """The round's saves got only the ``allowed`` statuses, the entry screens 200 or those,
    and the batch in the database is what the ledger says."""
    wrong = [attempt for attempt in saves if attempt.reply.status not in allowed]
    assert not wrong, (f"{when}: {len(wrong)} sheets saved got none of {allowed}, e.g.:\n"
                       + "\n".join(attempt.describe() for attempt in wrong[:5]))
    screens = {status for desk in paper.desks for status in desk.screens}
    assert screens <= {200, *allowed} - {303}, f"{when}: entry screens got {screens}"
    problems = paper.problems(database_url)
    assert not problems, f"{when}, the batch of paper sheets: " + "; ".join(problems)
