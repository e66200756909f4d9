"""What the moderation pages show of a form: its next answer waiting, and its counts.

Built on ``results.moderation`` (the same queue ``parole moderate`` walks, so the terminal and
the web agree on what waits): the answers whose author agreed to be quoted, one free-text
question at a time, without a verdict that applies to their current text. Read in one pass,
in a worker thread (``run_in_threadpool``): the pages never hold the whole queue.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from site_builder.collector.columns import check_known, form_questions
from site_builder.results.moderation import ModerationWalk
from site_builder.storage.base import Storage
from site_builder.storage.moderation import text_digest

THEMES_SHOWN = 12
"""How many of the themes already chosen the theme's hint lists (the most used first)."""


@dataclass(frozen=True)
class Waiting:
    """One answer to one free-text question, waiting for a verdict."""

    receipt: str
    field_id: str
    label: str
    """The question, as the newest form version asks it."""
    text: str
    digest: str
    """``text_digest(text)``: the verdict form sends it back, so that a verdict is stored only
    on the text that was shown."""
    newest_verdict: int | None = None
    """The newest verdict on it (made on an earlier text), which a verdict now supersedes."""


@dataclass(frozen=True)
class FormState:
    form_id: str
    title: str
    consent: bool
    """Whether the form names a ``publish_consent`` question: without one nothing is quoted,
    and nothing waits."""
    first: Waiting | None
    """The next answer to moderate."""
    found: Waiting | None
    """The answer ``form_state``'s ``find`` names, while it still waits."""
    waiting: int
    approved: int
    rejected: int
    themes: tuple[str, ...]
    """Themes already chosen for this form's quotes, the most used first."""

    @property
    def position(self) -> int:
        """The first's number among every answer to moderate ("3 sur 41")."""
        return self.approved + self.rejected + 1

    @property
    def total(self) -> int:
        return self.approved + self.rejected + self.waiting


def form_state(storage: Storage, form_id: str,
               find: tuple[str, str] | None = None) -> FormState:
    """``form_id``'s moderation as the database holds it now (``UnknownForm`` when the
    database has no such form)."""
    check_known(storage, form_id)
    questions = form_questions(storage, form_id)
    title = questions.title or form_id
    if questions.publish_consent is None:
        return FormState(form_id, title, False, None, None, 0, 0, 0, ())
    first = found = None
    waiting = 0
    walk = ModerationWalk(storage, form_id, questions)
    for item in walk:
        waiting += 1
        if first is None or (find is not None and found is None
                             and (item.receipt, item.field_id) == find):
            shown = Waiting(item.receipt, item.field_id, item.label, item.text,
                            text_digest(item.text), item.newest_verdict)
            first = first or shown
            if find == (item.receipt, item.field_id):
                found = shown
    outcomes: Counter[str] = Counter()
    themes: Counter[str] = Counter()
    for verdict in walk.current.values():
        outcomes[verdict.outcome] += 1
        if verdict.outcome == "approved" and verdict.theme:
            themes[verdict.theme] += 1
    return FormState(form_id, title, True, first, found, waiting, outcomes["approved"],
                     outcomes["rejected"],
                     tuple(theme for theme, _ in themes.most_common(THEMES_SHOWN)))
