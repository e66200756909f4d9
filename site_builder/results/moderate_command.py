"""``parole moderate FORM_ID [--db URL] [--by NAME]``: the free-text answers one may quote, one
by one, in a terminal, with the keyboard only.

Only answers whose author agreed to be quoted are shown (``results.moderation``), each
question apart, oldest first. For each the moderator approves it (with a theme, or hiding some
words), rejects it with a reason, or leaves it for later. Every verdict is stored the moment it
is made (``Storage.record_verdict``), so quitting, or a cut connection, loses nothing; nothing
is ever deleted by moderation.

The queue is listed once at the start, as (receipt, question) pairs: the database is not held
open while a person reads. Each answer is read again just before it is shown, so that one
corrected, deleted or decided by another moderator meanwhile (the moderation page) is shown as
it is now, or not at all. Answers' texts and the form's words are escaped before they reach the
terminal (``collector.terminal.for_terminal``): a text must not drive the screen it is read on.
Reading lines from standard input, it works as well with a pipe as with a person.
"""

from __future__ import annotations

import argparse
import getpass
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from site_builder.collector.columns import FormQuestions, check_known, form_questions
from site_builder.collector.terminal import for_terminal
from site_builder.errors import ParoleError
from site_builder.messages import say, say_count
from site_builder.results import moderate_dialog as dialog
from site_builder.results.moderation import (
    ModerationWalk,
    answer_text,
    applies,
    newest_verdicts,
    quotable,
)
from site_builder.storage.base import Storage, StoredAnswer
from site_builder.storage.moderation import ModerationError, NewVerdict, text_digest

INTERRUPTED = 130
"""The exit code after Ctrl-C (128 + SIGINT), once the summary is said."""


class ModerateError(ParoleError):
    """``parole moderate`` cannot start: the message says why and how to fix it."""


def add_moderate_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Add ``parole moderate``; ``data_commands`` adds ``--db``."""
    command = commands.add_parser("moderate", help=say("results.moderate.help"),
                                  description=say("results.moderate.help_description"))
    command.add_argument("form_id", metavar="FORM_ID", help=say("results.moderate.help_form"))
    command.add_argument("--by", metavar="NAME", help=say("results.moderate.help_by"))
    return command


def run_moderate(arguments: argparse.Namespace, storage: Storage) -> int:
    """Walk ``arguments.form_id``'s queue with the person at the keyboard. 0 when the session
    ends (queue done, nothing to moderate, or quit); ``ParoleError`` when it cannot start."""
    form_id: str = arguments.form_id
    moderator = arguments.by.strip() if arguments.by else _user_name()
    check_known(storage, form_id)
    questions = form_questions(storage, form_id)
    if questions.publish_consent is None:
        raise ModerateError(say("results.moderate.no_consent", form=form_id) + "\n    "
                            + say("problem.how_to_fix", fix=say("results.moderate.no_consent_fix")))
    walk = ModerationWalk(storage, form_id, questions)
    waiting = [(item.receipt, item.field_id) for item in walk]
    if not waiting:
        decided = Counter(verdict.outcome for verdict in walk.current.values())
        print(say("results.moderate.nothing", form=form_id, approved=decided["approved"],
                  rejected=decided["rejected"]))
        return 0
    session = Session(storage, questions, moderator, len(waiting))
    print(say_count("results.moderate.start", len(waiting), form=form_id,
                    name=for_terminal(moderator)))
    try:
        session.walk(waiting)
    except KeyboardInterrupt:
        print()
        print(session.summary())
        return INTERRUPTED
    print(session.summary())
    return 0


def _user_name() -> str:
    """Who decides, when ``--by`` does not say: the name of the account running parole."""
    try:
        return getpass.getuser()
    except (OSError, KeyError) as error:  # no name in the environment nor the password file
        raise ModerateError(say("results.moderate.no_user") + "\n    "
                            + say("problem.how_to_fix", fix=say("results.moderate.no_user_fix"))
                            ) from error


@dataclass
class Session:
    """One moderator's pass through a form's queue."""

    storage: Storage
    questions: FormQuestions
    moderator: str
    total: int
    approved: int = 0
    rejected: int = 0
    themes: list[str] = field(default_factory=list)
    """The themes chosen for this form's quotes so far, offered again for consistency."""

    def walk(self, waiting: list[tuple[str, str]]) -> None:
        """Show each waiting answer in turn until the end, [q] or the end of the input."""
        form_id = self.questions.form_id
        self.themes = sorted({verdict.theme for verdict in newest_verdicts(self.storage,
                                                                          form_id).values()
                              if verdict.theme})
        for number, (receipt, field_id) in enumerate(waiting, 1):
            found = self._still_waiting(receipt, field_id)
            if found is None:
                continue
            answer, newest = found
            text = answer_text(answer, field_id) or ""
            self._show(number, answer, field_id, text)
            if not self._decide(receipt, field_id, text, supersedes=newest):
                return

    def _still_waiting(self, receipt: str,
                       field_id: str) -> tuple[StoredAnswer, int | None] | None:
        """The answer as it is now, with the id of the newest verdict on it (one made on an
        earlier text; None for none); or None when it was deleted, its text removed or its
        consent withdrawn by a correction, or when someone else decided on its text since
        the queue was listed."""
        answer = self.storage.get(receipt)
        if answer is None or answer.pending or not quotable(answer,
                                                           self.questions.publish_consent):
            return None
        text = answer_text(answer, field_id)
        if text is None:
            return None
        verdict = newest_verdicts(self.storage, self.questions.form_id).get((receipt, field_id))
        if verdict is not None and applies(verdict, text):
            return None
        return answer, None if verdict is None else verdict.id

    def _show(self, number: int, answer: StoredAnswer, field_id: str, text: str) -> None:
        label = next((question.label for question in self.questions.questions
                      if question.id == field_id), field_id)
        print()
        print(say("results.moderate.position", number=number, total=self.total))
        print(say("results.moderate.received", day=answer.received_at.date().isoformat(),
                  channel=say(f"results.moderate.channel.{answer.channel}")))
        print(say("results.moderate.question", label=for_terminal(label)))
        print(dialog.quoted_block(text))

    def _decide(self, receipt: str, field_id: str, text: str, *,
                supersedes: int | None) -> bool:
        """Ask until a choice is made; False when the moderator quits."""
        while True:
            key = dialog.ask(say("results.moderate.choices"))
            if key is None or key == "q":
                return False
            if not key:
                continue
            if key == "s":
                print(say("results.moderate.skipped"))
                return True
            verdict = self._verdict(key, text)
            if verdict is None:
                continue
            outcome, reason, redactions, theme = verdict
            self._record(NewVerdict(
                form_id=self.questions.form_id, receipt=receipt, field_id=field_id,
                outcome=outcome, text_digest=text_digest(text), decided_by=self.moderator,
                decided_at=datetime.now(UTC), reason=reason, redactions=redactions,
                theme=theme), supersedes=supersedes)
            return True

    def _verdict(self, key: str, text: str) -> dialog.Choice | None:
        """What ``key`` decides (asking what it needs), or None to ask again."""
        if key == "a":
            return ("approved", "", (), None)
        if key == "t":
            theme = dialog.ask_theme(self.themes)
            return None if theme is None else ("approved", "", (), theme)
        if key == "e":
            return dialog.ask_redactions(text, self.themes)
        if key == "r":
            reason = dialog.ask_reject_reason()
            return None if reason is None else ("rejected", reason, (), None)
        print(say("results.moderate.unknown_key", key=for_terminal(key)))
        return None

    def _record(self, verdict: NewVerdict, *, supersedes: int | None) -> None:
        """Store ``verdict`` now; an answer corrected, deleted or decided by someone else
        since it was shown is left, saying so."""
        try:
            self.storage.record_verdict(verdict, supersedes=supersedes)
        except ModerationError as error:
            print(say("results.moderate.not_saved", error=error))
            return
        if verdict.outcome == "approved":
            self.approved += 1
            if verdict.theme and verdict.theme not in self.themes:
                self.themes = sorted([*self.themes, verdict.theme])
            print(say("results.moderate.saved_approved"))
        else:
            self.rejected += 1
            print(say("results.moderate.saved_rejected"))

    def summary(self) -> str:
        return say("results.moderate.summary", approved=self.approved, rejected=self.rejected,
                   left=self.total - self.approved - self.rejected)

