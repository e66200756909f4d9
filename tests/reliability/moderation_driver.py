"""Moderators deciding on written answers while citizens answer and mediators type sheets
(issue #16), for the kill -9 suite: the same promise as the answers' and the sheets', that a
verdict acknowledged is stored exactly once whatever crashes.

Each moderator signs in over HTTP as a browser does (``POST /admin/moderation/sign-in`` with the
admin token and their name: the ``parole_moderation`` cookie, signed by the collector, no
server state), opens the form's page (the next answer waiting, the verdict form's hidden fields
``_csrf``, ``receipt``, ``field``, ``digest``), reads the answer and posts a verdict. The
verdicts follow :data:`PLANS` in turn: approve, approve with a theme, approve hiding words (a
usual reason, or the moderator's own), reject with each of the four reasons and with one's own
words. A 303 back to the form's page saying what was stored (``?fait=approved|redacted|
rejected``) acknowledges it; ``?fait=stale`` says nothing was stored (someone decided on that
answer meanwhile: another moderator, or this one before the crash cut the response off).

A moderator whose verdict got no response (the collector was killed) sends the same form again
once it is back (``VerdictLedger.resume``); one who got 503 (the database is down) a moment
later. The collector must then store it, or say ``stale`` if it had stored it already: never
twice. The site is the example with ``publish_consent`` (``consent_site``), so that the
citizens' answers (``load_driver.answer_template`` ticks the consent) are the ones moderated.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

from site_builder.collector.moderation import verdict_form as form
from site_builder.collector.moderation.session import SESSION_COOKIE
from site_builder.forms.manifest import manifest_from_text
from site_builder.storage.moderation import (
    OTHER_REASON,
    REJECT_REASONS,
    Redaction,
    text_digest,
)
from tests.collector_support import ADMIN_TOKEN
from tests.reliability.load_driver import FORM_ID, Pairs
from tests.reliability.paper_driver import RETRY_PAUSE, Reply, request

MODERATORS = ("Élise Marchand", "Jean-Baptiste N'Diaye")
"""Two moderators on the same queue (non-ASCII names: who decided must come back intact)."""
PAGE = f"/admin/moderation/{FORM_ID}"
SIGN_IN = "/admin/moderation/sign-in"
STORED = ("approved", "redacted", "rejected")
"""What ``?fait=`` says after a verdict stored."""
STALE = "stale"
_FORM = re.compile(r'<form class="p-form__form" method="post"[^>]*>(.*?)</form>', re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
_ANSWER = re.compile(r'<blockquote class="p-moderation__answer">\n<p>(.*?)</p>\n</blockquote>',
                     re.S)


@dataclass(frozen=True)
class Plan:
    """One kind of verdict a moderator makes: what the form says."""

    verdict: str
    reason: str = ""
    own: str = ""
    """The moderator's own words, with ``reason`` or a redaction's reason ``other``."""
    hide_reason: str = ""
    theme: str = ""


PLANS = (
    Plan(form.APPROVE),
    Plan(form.APPROVE, theme="Ombre et fraîcheur"),
    Plan(form.REDACT, hide_reason="personal data"),
    Plan(form.REDACT, hide_reason=OTHER_REASON, own="Nom d\u2019un commerce", theme="Commerces"),
    *(Plan(form.REJECT, reason=reason) for reason in REJECT_REASONS),
    Plan(form.REJECT, reason=OTHER_REASON, own="Parle de la gare, pas de la place"),
)
"""Every verdict the page offers, every reason included; each moderator goes through them in
turn, from their own starting point."""


@dataclass(frozen=True)
class Expected:
    """The verdict the database must hold for a form sent."""

    outcome: str
    reason: str
    redactions: tuple[Redaction, ...]
    theme: str | None


@dataclass(frozen=True)
class SentVerdict:
    """A verdict form as posted (the same pairs are sent again after a crash), and what it
    must store."""

    moderator: str
    receipt: str
    field_id: str
    plan: Plan
    pairs: Pairs
    expected: Expected
    first_sent: datetime
    """When it was first sent: the stored ``decided_at`` cannot be earlier."""

    @property
    def key(self) -> tuple[str, str, str]:
        """Who decided on which answer's question: a moderator decides on it once."""
        return (self.moderator, self.receipt, self.field_id)


@dataclass(frozen=True)
class VerdictAttempt:
    sent: SentVerdict
    reply: Reply
    replied: datetime

    @property
    def done(self) -> str | None:
        """What a 303 to the form's page says (``approved``… or ``stale``); else None."""
        if self.reply.status != 303 or "?fait=" not in self.reply.location:
            return None
        return self.reply.location.rpartition("?fait=")[2]

    @property
    def acknowledged(self) -> bool:
        """Stored, the 303 says: it must be in the database exactly once."""
        return self.done in STORED

    @property
    def answered(self) -> bool:
        """Stored, or nothing stored because the answer no longer waits: either way the
        moderator moves on."""
        return self.done in (*STORED, STALE)

    def describe(self) -> str:
        got = f"HTTP {self.reply.status}" if self.reply.status is not None else "no response"
        detail = self.reply.location or self.reply.body[:300]
        return (f"{self.sent.moderator} on {self.sent.receipt}/{self.sent.field_id}: {got} "
                f"{detail}").strip()


def moderation_request(port: int, method: str, path: str, *, cookie: str = "",
                       pairs: Pairs = ()) -> Reply:
    return request(port, method, path, cookie=cookie, pairs=pairs, cookie_name=SESSION_COOKIE)


def shown_answer(page: str) -> tuple[dict[str, str], str] | None:
    """The verdict form's hidden fields and the answer's text, as a person reads it; None
    when the page shows no answer (all done)."""
    found, text = _FORM.search(page), _ANSWER.search(page)
    if found is None or text is None:
        return None
    hidden = {name: unescape(value) for name, value in _HIDDEN.findall(found.group(1))}
    shown = unescape(text.group(1).replace("<br>\n", "\n"))
    assert text_digest(shown) == hidden.get(form.DIGEST), (
        f"the page's digest is not the digest of the text it shows: {shown!r}")
    return hidden, shown


def words_to_hide(text: str) -> str:
    """Words of ``text`` a moderator would hide: its last word, or the end of a one-word
    answer (a citizen's marker: its number)."""
    words = text.split()
    if len(words) > 1:
        return words[-1]
    return words[0].rpartition("-")[2] if "-" in words[0] else words[0]


def verdict_form(plan: Plan, hidden: dict[str, str], text: str) -> tuple[Pairs, Expected]:
    """The pairs a browser sends for ``plan`` about the answer shown (every text input, the
    chosen radios, the selects), and what must be stored."""
    hide = words_to_hide(text) if plan.verdict == form.REDACT else ""
    values = {form.VERDICT: plan.verdict, form.REASON_OTHER: plan.own
              if plan.reason == OTHER_REASON else "", form.THEME: plan.theme}
    if plan.reason:
        values[form.REASON] = plan.reason
    for number in form.SLOTS:
        first = number == 1 and bool(hide)
        values[form.hide(number)] = hide if first else ""
        values[form.hide_reason(number)] = plan.hide_reason if first else ""
        values[form.hide_other(number)] = plan.own if first and plan.hide_reason == OTHER_REASON \
            else ""
    pairs = (*((name, hidden[name]) for name in ("_csrf", form.RECEIPT, form.FIELD,
                                                 form.DIGEST)), *values.items())
    if plan.verdict == form.REJECT:
        return pairs, Expected("rejected", plan.own or plan.reason, (), None)
    why = plan.own if plan.hide_reason == OTHER_REASON else plan.hide_reason
    spans = tuple(Redaction(match.start(), match.end(), why)
                  for match in re.finditer(re.escape(hide), text)) if hide else ()
    return pairs, Expected("approved", "", spans, plan.theme or None)


@dataclass
class ModeratorDesk:
    """One moderator: their session cookie, the verdict on their screen not answered yet, and
    every verdict they sent."""

    name: str
    start: int
    """Where in :data:`PLANS` they begin."""
    cookie: str = ""
    pending: SentVerdict | None = None
    attempts: list[VerdictAttempt] = field(default_factory=list)
    pages: Counter[int | None] = field(default_factory=Counter)
    """Statuses of the form's pages asked for."""
    decided: int = 0

    def sign_in(self, port: int) -> None:
        reply = moderation_request(port, "POST", SIGN_IN,
                                   pairs=(("token", ADMIN_TOKEN), ("name", self.name)))
        assert reply.status == 303 and reply.cookie, (
            f"{self.name} signing in: HTTP {reply.status} {reply.body[:300]}")
        self.cookie = reply.cookie.strip('"')

    def page(self, port: int) -> Reply:
        reply = moderation_request(port, "GET", PAGE, cookie=self.cookie)
        self.pages[reply.status] += 1
        return reply

    def read(self, port: int) -> int | None:
        """Open the form's page and fill the verdict form about the answer it shows
        (``pending``); the page's status (200 with nothing waiting leaves ``pending`` None)."""
        reply = self.page(port)
        if reply.status == 200:
            shown = shown_answer(reply.body)
            if shown is not None:
                hidden, text = shown
                plan = PLANS[(self.start + self.decided) % len(PLANS)]
                pairs, expected = verdict_form(plan, hidden, text)
                self.pending = SentVerdict(self.name, hidden[form.RECEIPT], hidden[form.FIELD],
                                           plan, pairs, expected, datetime.now(UTC))
        return reply.status

    def send(self, port: int) -> VerdictAttempt:
        """Press the button on the verdict form of the screen."""
        assert self.pending is not None
        reply = moderation_request(port, "POST", PAGE, cookie=self.cookie,
                                   pairs=self.pending.pairs)
        attempt = VerdictAttempt(self.pending, reply, datetime.now(UTC))
        self.attempts.append(attempt)
        if attempt.answered:
            self.pending = None
        if attempt.acknowledged:  # the next answer gets the next kind of verdict
            self.decided += 1
        return attempt

    def moderate(self, port: int, stop: threading.Event) -> None:
        """Decide until ``stop`` is set, or the collector stops answering (the verdict then
        stays on the screen, ``pending``)."""
        while not stop.is_set():
            if self.pending is None:
                status = self.read(port)
                if status is None:
                    return
                if self.pending is None:  # 503, or nothing waiting yet
                    time.sleep(RETRY_PAUSE)
                    continue
            attempt = self.send(port)
            if attempt.reply.status is None:
                return
            if not attempt.answered:
                time.sleep(RETRY_PAUSE)


class Moderators:
    """Every moderator deciding in their own thread, so that the test can crash something
    meanwhile."""

    def __init__(self, desks: list[ModeratorDesk], port: int) -> None:
        self.stop = threading.Event()
        self._threads = [threading.Thread(target=desk.moderate, args=(port, self.stop),
                                          name=f"moderator-{desk.start}") for desk in desks]
        for thread in self._threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self._threads:
            thread.join()


def moderators_at_work(port: int, names: tuple[str, ...] = MODERATORS) -> list[ModeratorDesk]:
    """The moderators, signed in, each starting at another verdict of :data:`PLANS`."""
    desks = [ModeratorDesk(name, number * len(PLANS) // len(names))
             for number, name in enumerate(names)]
    for desk in desks:
        desk.sign_in(port)
    return desks


def consent_site(site_dir: Path, copy: Path) -> tuple[Path, str]:
    """A copy of the built example whose form names a consent to be quoted
    (``publish_consent``, part of the form's version): its own when it has one, else the
    ``accord`` every answer of the load ticks. The copy, and the consent question's id."""
    shutil.copytree(site_dir, copy)
    path = copy / "forms" / f"{FORM_ID}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    consent = data.get("publish_consent") or "accord"
    published = replace(manifest_from_text(path.read_text(encoding="utf-8"), path).form,
                        publish_consent=consent)
    path.write_text(json.dumps({**data, "publish_consent": consent,
                                "version": published.version}, ensure_ascii=False),
                    encoding="utf-8")
    (copy / "forms" / f"{FORM_ID}.json.gz").unlink(missing_ok=True)
    return copy, consent
