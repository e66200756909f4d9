"""What the verdicts table must hold after every crash of the kill -9 suite (issue #16): the
moderators' verdicts (``moderation_driver``) against the database, read through the storage
API (``Storage.verdicts``, ``Storage.answers``).

A verdict is known by who decided and on which answer's question. Each acknowledged with a 303
saying it was stored is stored exactly once, with who, when (between its first sending and its
acknowledgement) and why (outcome, reason, hidden words and their reasons, theme) as sent; any
verdict sent is stored at most once; none is stored that was not sent. The table and the answers
agree: every verdict's answer is there, counts (not pending, not quarantined), was agreed to be
quoted, and still has the text the verdict was made on (nothing corrects answers here); and no
answer's question is decided twice (a moderator who posts on an answer someone decided
meanwhile is told ``stale``, nothing stored).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from site_builder.results.moderation import answer_text, quotable
from site_builder.storage import open_storage
from site_builder.storage.moderation import Verdict, text_digest
from tests.reliability.load_driver import FORM_ID
from tests.reliability.moderation_driver import (
    PAGE,
    STALE,
    STORED,
    ModeratorDesk,
    Plan,
    SentVerdict,
    VerdictAttempt,
    moderation_request,
)

Key = tuple[str, str, str]
"""Who decided, on which answer (receipt) and question."""
CLOCK_SLACK = timedelta(seconds=1)
"""The collector's clock and the test's are the same machine's: a second covers rounding."""


@dataclass
class VerdictLedger:
    """What the verdicts table must hold, by key, across the rounds of one backend."""

    desks: list[ModeratorDesk]
    consent: str
    """The form's ``publish_consent`` question."""
    acknowledged: dict[Key, VerdictAttempt] = field(default_factory=dict)
    """Key → the attempt whose 303 said it was stored: stored exactly once, as sent."""
    sent: dict[Key, SentVerdict] = field(default_factory=dict)
    """Every verdict sent at least once: stored at most once."""
    statuses: Counter[int | None] = field(default_factory=Counter)
    stale: int = 0
    """303 saying nothing was stored: decided meanwhile (by another, or before a crash)."""
    unacknowledged: int = 0
    sent_again: int = 0
    stored_unacknowledged: int = 0
    sessions_kept: int = 0
    lost: list[Key] = field(default_factory=list)
    doubled: list[Key] = field(default_factory=list)
    _recorded: dict[str, int] = field(default_factory=dict)

    @property
    def kinds(self) -> set[Plan]:
        """The kinds of verdict (``PLANS``) acknowledged at least once."""
        return {attempt.sent.plan for attempt in self.acknowledged.values()}

    def record(self) -> list[VerdictAttempt]:
        """The desks' verdicts since the last call, added to the ledger."""
        new: list[VerdictAttempt] = []
        for desk in self.desks:
            new += desk.attempts[self._recorded.get(desk.name, 0):]
            self._recorded[desk.name] = len(desk.attempts)
        for attempt in new:
            self.statuses[attempt.reply.status] += 1
            self.sent[attempt.sent.key] = attempt.sent
            if attempt.acknowledged:
                self.acknowledged[attempt.sent.key] = attempt
            elif attempt.done == STALE:
                self.stale += 1
            else:
                self.unacknowledged += 1
        return new

    def resume(self, port: int) -> None:
        """Each moderator comes back to the page they had, with the cookie they had: their
        session must still be open (the cookie is signed by the collector's secret, nothing of
        it is in the collector's memory), and the verdict whose response never came is sent
        again with the same form: stored now, or ``stale`` if it was stored before the crash."""
        for desk in self.desks:
            page = moderation_request(port, "GET", PAGE, cookie=desk.cookie)
            assert page.status == 200 and 'name="_csrf"' in page.body, (
                f"{desk.name}'s session, a signed cookie, should survive the restart: the "
                f"form's page got HTTP {page.status} {page.location}")
            self.sessions_kept += 1
            if desk.pending is not None:
                attempt = desk.send(port)
                assert attempt.answered, (
                    f"a verdict sent again after the restart should get a 303 saying it is "
                    f"stored, or stale: {attempt.describe()}")
                self.sent_again += 1
        self.record()

    def problems(self, database_url: str) -> list[str]:
        """What is wrong with the verdicts in the database, against the ledger and the
        answers (empty: all good). Also counts the verdicts stored although their 303 never
        came back."""
        verdicts, texts = _stored(database_url, self.consent)
        held = Counter((verdict.decided_by, verdict.receipt, verdict.field_id)
                       for verdict in verdicts)
        self.stored_unacknowledged += sum(
            1 for desk in self.desks if desk.pending is not None and held[desk.pending.key])
        self.lost = sorted(key for key in self.acknowledged if not held[key])
        self.doubled = sorted(key for key, count in held.items() if count > 1)
        unknown = sorted(key for key in held if key not in self.sent)
        found: list[str] = []
        if self.lost or self.doubled or unknown:
            found.append(f"{len(self.lost)} acknowledged verdicts lost {self.lost[:10]}, "
                         f"{len(self.doubled)} stored twice or more {self.doubled[:10]}, "
                         f"{len(unknown)} stored that were never sent {unknown[:10]}")
        found += self._content_problems(verdicts)
        return found + _table_problems(verdicts, texts)

    def _content_problems(self, verdicts: list[Verdict]) -> list[str]:
        """Who, when and why of every stored verdict, as sent."""
        wrong: list[str] = []
        for verdict in verdicts:
            key = (verdict.decided_by, verdict.receipt, verdict.field_id)
            sent = self.sent.get(key)
            if sent is None:
                continue
            expected = sent.expected
            stored = (verdict.outcome, verdict.reason, verdict.redactions, verdict.theme)
            if stored != (expected.outcome, expected.reason, expected.redactions,
                          expected.theme):
                wrong.append(f"{key}: stored {stored}, sent {expected}")
            acknowledged = self.acknowledged.get(key)
            latest = acknowledged.replied if acknowledged else None
            if not sent.first_sent - CLOCK_SLACK <= verdict.decided_at or (
                    latest is not None and verdict.decided_at > latest + CLOCK_SLACK):
                wrong.append(f"{key}: decided at {verdict.decided_at.isoformat()}, sent at "
                             f"{sent.first_sent.isoformat()}, acknowledged at "
                             f"{latest.isoformat() if latest else 'never'}")
        return [f"{len(wrong)} verdicts stored otherwise than sent: {wrong[:5]}"] if wrong \
            else []


def _stored(database_url: str, consent: str) -> tuple[list[Verdict], dict[tuple[str, str],
                                                                            str | None]]:
    """The form's verdicts, and the current text of each answer's question they decide on
    (None: the answer is gone, does not count, or was not agreed to be quoted)."""
    storage = open_storage(database_url)
    try:
        verdicts = list(storage.verdicts(FORM_ID))
        wanted: dict[str, set[str]] = {}
        for verdict in verdicts:
            wanted.setdefault(verdict.receipt, set()).add(verdict.field_id)
        texts: dict[tuple[str, str], str | None] = {
            (receipt, field_id): None for receipt, fields in wanted.items()
            for field_id in fields}
        for answer in storage.answers(FORM_ID):
            if answer.receipt in wanted and not answer.pending and quotable(answer, consent):
                for field_id in wanted[answer.receipt]:
                    texts[answer.receipt, field_id] = answer_text(answer, field_id)
    finally:
        storage.close()
    return verdicts, texts


def _table_problems(verdicts: list[Verdict],
                    texts: dict[tuple[str, str], str | None]) -> list[str]:
    """The verdicts table against the answers: each verdict's answer is there with the text
    it was made on; no answer's question decided twice."""
    found: list[str] = []
    orphans = sorted({(verdict.receipt, verdict.field_id) for verdict in verdicts
                      if texts[verdict.receipt, verdict.field_id] is None})
    if orphans:
        found.append(f"{len(orphans)} verdicts on answers that are gone, do not count or were "
                     f"not agreed to be quoted: {orphans[:10]}")
    changed = sorted((verdict.receipt, verdict.field_id) for verdict in verdicts
                     if (text := texts[verdict.receipt, verdict.field_id]) is not None
                     and text_digest(text) != verdict.text_digest)
    if changed:
        found.append(f"{len(changed)} verdicts made on another text than the answer's: "
                     f"{changed[:10]}")
    twice = Counter((verdict.receipt, verdict.field_id) for verdict in verdicts)
    decided_twice = sorted(item for item, count in twice.items() if count > 1)
    if decided_twice:
        by = {item: [(verdict.decided_by, verdict.id) for verdict in verdicts
                     if (verdict.receipt, verdict.field_id) == item]
              for item in decided_twice[:5]}
        found.append(f"{len(decided_twice)} answers' questions decided twice (a moderator "
                     f"should have been told someone decided meanwhile): {by}")
    return found


def check_verdicts(ledger: VerdictLedger, attempts: list[VerdictAttempt], database_url: str, *,
                   allowed: tuple[int | None, ...], when: str) -> None:
    """The round's verdicts got only the ``allowed`` statuses (a 303 always to the form's
    page, saying stored or stale), the form's pages 200 or those, and the verdicts table is
    what the ledger says."""
    wrong = [attempt for attempt in attempts if attempt.reply.status not in allowed
             or (attempt.reply.status == 303 and attempt.done not in (*STORED, STALE))]
    assert not wrong, (f"{when}: {len(wrong)} verdicts got none of {allowed}, e.g.:\n"
                       + "\n".join(attempt.describe() for attempt in wrong[:5]))
    pages = {status for desk in ledger.desks for status in desk.pages}
    assert pages <= {200, *allowed} - {303}, f"{when}: the form's pages got {pages}"
    problems = ledger.problems(database_url)
    assert not problems, f"{when}, the verdicts: " + "; ".join(problems)
