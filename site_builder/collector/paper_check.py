"""Checking a paper sheet as a mediator typed it in: the same structure as an online answer,
other rules for what is in it.

A sheet is what a person wrote, and the typist copies it; so what the online form forbids,
paper allows (issue #15):

- a question left empty is marked ``blank``, required or not: never an error; so is a
  one-answer question sent as its "No answer (blank)" radio (``posted.BLANK_VALUE``, the empty
  value no option can have: the typist's way back after choosing by mistake), never a value;
- a question the typist ticked "unreadable or spoiled" is marked ``spoiled`` and keeps no
  value (two boxes in a one-answer question, a scribble);
- a number out of range, a whole-number question answered ``2,5``, fewer boxes than asked, an
  e-mail address without ``@``: what is written is what the person answered, stored as typed.

What the data-entry form cannot send is refused as online (``validate.sent_answers``: a name
that is no question, a value that is no option, a one-answer question answered twice), and so
is an "unreadable or spoiled" box naming no question or ticked twice: ``body.Refusal``.

What is left is a typist's slip, an error at the question that says what to do: letters where
the sheet has a number, more characters than any answer holds, an answer typed *and* ticked
spoiled, more boxes ticked than the question allows (a sheet like that is spoiled: the typist
ticks the box saying so instead of choosing which boxes count).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from site_builder.collector.body import Refusal, shown
from site_builder.collector.validate import (
    longest,
    plain_label,
    read_number,
    sent_answers,
    typed_length,
)
from site_builder.forms.model import Field, Form
from site_builder.forms.posted import BLANK, BLANK_VALUE, SPOILED, SPOILED_NAME
from site_builder.forms.render import RADIO_TYPES
from site_builder.forms.wording import format_number, instruction
from site_builder.i18n import Catalogue
from site_builder.messages import say

__all__ = ["BLANK", "CheckedSheet", "check_sheet"]


@dataclass(frozen=True)
class CheckedSheet:
    """A typed sheet checked against its form."""

    values: dict[str, list[str]]
    """What to store: field id → values as typed, in form order, only questions answered and
    not spoiled."""
    marks: dict[str, str] = field(default_factory=dict)
    """Field id → ``blank`` or ``spoiled``, in form order: every question without a value."""
    errors: dict[str, str] = field(default_factory=dict)
    """Field id → message in the page's language, in form order: the typist's slips."""
    values_as_entered: dict[str, list[str]] = field(default_factory=dict)
    """Every question's values as sent, empty ones too: to show the entry screen again."""

    @property
    def ok(self) -> bool:
        """True when the sheet can be stored."""
        return not self.errors


def check_sheet(
    form: Form,
    answers: Mapping[str, Sequence[str]],
    spoiled: Collection[str],
    words: Catalogue,
) -> CheckedSheet:
    """``answers`` (field id → values) and the ids ticked "unreadable or spoiled", checked
    against ``form``; messages from ``words``. Raises ``Refusal`` for what the data-entry form
    cannot send."""
    _check_spoiled(form, spoiled)
    blanked = _blank_radios(form, answers)
    values: dict[str, list[str]] = {}
    marks: dict[str, str] = {}
    errors: dict[str, str] = {}
    entered: dict[str, list[str]] = {}
    rest = {name: given for name, given in answers.items() if name not in blanked}
    for question, given, answered in sent_answers(form, rest):
        if question.id in blanked:
            entered[question.id] = [BLANK_VALUE]  # shown again with "No answer (blank)" chosen
        elif given is not None:
            entered[question.id] = given
        if question.id in spoiled:
            marks[question.id] = SPOILED
            if answered:
                errors[question.id] = words("sheet.error.spoiled_and_answered",
                                            label=plain_label(question))
            continue
        if not answered:
            marks[question.id] = BLANK
            continue
        values[question.id] = answered
        message = _slip(question, answered, words)
        if message is not None:
            errors[question.id] = message
    return CheckedSheet(values=values, marks=marks, errors=errors, values_as_entered=entered)


def _blank_radios(form: Form, answers: Mapping[str, Sequence[str]]) -> set[str]:
    """The one-answer questions sent as their "No answer (blank)" radio alone: no answer. The
    empty value is no option, so ``sent_answers`` would refuse it (as it does online, where no
    such radio exists); with anything else beside it, it is left to refuse there."""
    return {question.id for question in form.fields
            if question.type in RADIO_TYPES and list(answers.get(question.id, ())) == [BLANK_VALUE]}


def _check_spoiled(form: Form, spoiled: Collection[str]) -> None:
    """Each "unreadable or spoiled" box sends its question's id, once."""
    seen: set[str] = set()
    for name in spoiled:
        if form.get(name) is None:
            raise Refusal(say("collector.refusal.spoiled_no_question", name=shown(name),
                              field=SPOILED_NAME, form=form.id))
        if name in seen:
            raise Refusal(say("collector.refusal.spoiled_twice", name=shown(name),
                              field=SPOILED_NAME, form=form.id))
        seen.add(name)


def _slip(question: Field, answered: list[str], t: Catalogue) -> str | None:
    """The message for a typist's slip in ``question``'s answer, or None."""
    label = plain_label(question)
    if question.type == "choices":
        # More boxes than allowed cannot all count, and choosing some would change the answer.
        if question.max is not None and len(answered) > question.max:
            return t("sheet.error.too_many", label=label, rule=instruction(question, t))
        return None
    limit = longest(question)
    length = typed_length(answered[0])
    if limit is not None and length > limit:
        return t.count("sheet.error.too_long", length, label=label,
                       count=format_number(length, t),
                       rule=t.count("form.max_length", limit, count=format_number(limit, t)))
    if question.type == "number" and read_number(answered[0]) is None:
        # A number out of range or with decimals where a whole one was asked is still what the
        # person wrote: stored as typed. Letters are the typist's slip or an unreadable sheet.
        return t("sheet.error.number", label=label)
    return None
