"""Checking a submitted answer against its form: refuse what the form cannot send, and turn a
person's mistakes into messages shown at the question.

Two kinds of problems, told apart on purpose (DESIGN.md, convention 7):

- *structural*: a name that is no question, a value that is no option, a question answered
  twice… The published form cannot send these, so the sender is a robot or a forged or outdated
  page: ``check`` raises ``Refusal`` (400, a plain page).
- *human*: a required question left empty, a text too long, an e-mail address without ``@``, a
  number out of range. The form comes back with the values entered and one message per question,
  in the page's language, written GOV.UK-style: what to do, naming the question.

What is stored is what the person wrote, verbatim: no trimming, no normalisation (dangerous text
is neutralised where it is shown), except line breaks: browsers send a textarea's as CRLF, and
they are stored as LF, the one line break of every other tool (and CR alone, which a terminal
reads as "back to the start of the line", is never stored).
"""

from __future__ import annotations

import html.parser
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from site_builder.collector.body import Refusal, shown
from site_builder.forms.model import DEFAULT_MAX_LENGTH, Field, Form
from site_builder.forms.posted import (
    AGAIN_NAME,
    AGAIN_VALUE,
    CONSENT_VALUE,
    ENTRY_NAMES,
    FORM_ID_NAME,
    FORM_LANGUAGE_NAME,
    FORM_VERSION_NAME,
    HONEYPOT_NAME,
    RESERVED_NAMES,
)
from site_builder.forms.wording import format_number, instruction
from site_builder.i18n import Catalogue
from site_builder.messages import say

TYPED = frozenset({"text", "textarea", "email", "number"})
"""Types whose answer is typed in: an answer of only spaces is no answer."""
ONE_LINE = frozenset({"text", "email", "number"})
"""Types typed into an ``<input>``, which cannot hold a line break (browsers strip CR and LF
from its value): a CR or LF in their answer comes from a forged page or a robot."""
_LINE_BREAK = re.compile(r"\r\n?")
REQUIRED = {
    "text": "form.error.required_text", "textarea": "form.error.required_text",
    "number": "form.error.required_text", "email": "form.error.required_email",
    "choice": "form.error.required_choice", "select": "form.error.required_choice",
    "scale": "form.error.required_choice", "choices": "form.error.required_choices",
    "consent": "form.error.required_consent",
}
"""The message for a required question left unanswered, by type."""

_GROUP = "[ \u00a0\u2009\u202f\u066c]"
"""Group separators people type or paste: space, no-break, thin, narrow no-break, Arabic."""
NUMBER = re.compile(
    rf"(?P<sign>[+-])?(?P<whole>\d{{1,3}}(?:{_GROUP}\d{{3}})+|\d+)?(?:(?P<mark>[.,\u066b])(?P<part>\d+))?"
)
"""A number as people write it: ``1 000``, ``2,5``, ``-3.75``, ``+4``, ``,5``; any script's
digits (Arabic-Indic too). No exponent, no ``NaN`` or ``inf``, one decimal mark at most."""
_EMAIL_SPACE = re.compile(r"\s")
EMAIL_MAX_LENGTH = 254
"""The longest address mail can carry (RFC 5321's 256-octet path, less its angle brackets):
anything longer cannot be written to, and would only fill the database."""
NUMBER_MAX_LENGTH = 50
"""More characters than any number people write ("-1 000 000 000,25"): a longer answer to a
number question is a mistake whatever it holds."""


@dataclass(frozen=True)
class Submission:
    """A parsed body split into what identifies the form and the answers to its questions."""

    form_id: str
    version: str
    """``Form.version`` of the page the answer was sent from."""
    honeypot: str
    """The hidden field's value: anything but "" means a robot filled it in."""
    answers: dict[str, list[str]]
    """Every other name → its values, in body order."""
    again: bool = False
    """``_again`` was sent: the person confirmed, on the collector's page saying an identical
    answer was just sent from their connection, that this one is theirs (store it anew)."""
    language: str | None = None
    """``_language``: the language of the page the answer was sent from, as posted, unchecked
    (``collector.languages`` takes it only when the form has that language); None when the
    page sent none (built before parole sent it)."""


@dataclass(frozen=True)
class Checked:
    """An answer checked against its form."""

    values: dict[str, list[str]]
    """What to store: field id → values, verbatim, in form order, only questions answered."""
    errors: dict[str, str] = field(default_factory=dict)
    """Field id → message in the page's language, in form order (one per question)."""
    values_as_entered: dict[str, list[str]] = field(default_factory=dict)
    """Every question's values as sent, empty ones too: to show the form again after a mistake."""

    @property
    def ok(self) -> bool:
        """True when the answer can be stored."""
        return not self.errors


def read_submission(pairs: Sequence[tuple[str, str]]) -> Submission:
    """The submission in ``pairs`` (``parse_body``'s result). Raises ``Refusal`` when the form
    id or version is missing or repeated, or the language, the honeypot or ``_again`` is repeated or
    ``_again`` holds anything but ``1``; or when it holds a name only the mediators' pages send
    (``_csrf``, ``_spoiled``): the public form cannot, and the mediators' area reads the token
    out of its bodies before anything else (``entry.access.FormBody``)."""
    answers: dict[str, list[str]] = {}
    for name, value in pairs:
        answers.setdefault(name, []).append(value)
    entry_only = sorted(ENTRY_NAMES & answers.keys())
    if entry_only:
        raise Refusal(say("collector.refusal.entry_only", name=entry_only[0]))
    reserved = {name: answers.pop(name, []) for name in RESERVED_NAMES}
    for name in (FORM_ID_NAME, FORM_VERSION_NAME):
        if not reserved[name]:
            raise Refusal(say("collector.refusal.missing", name=name))
    for name in (FORM_ID_NAME, FORM_VERSION_NAME, FORM_LANGUAGE_NAME, HONEYPOT_NAME, AGAIN_NAME):
        if len(reserved[name]) > 1:
            raise Refusal(say("collector.refusal.repeated", name=name))
    if reserved[AGAIN_NAME] not in ([], [AGAIN_VALUE]):
        raise Refusal(say("collector.refusal.again_not", name=AGAIN_NAME, value=AGAIN_VALUE))
    return Submission(
        form_id=reserved[FORM_ID_NAME][0],
        version=reserved[FORM_VERSION_NAME][0],
        honeypot=next(iter(reserved[HONEYPOT_NAME]), ""),
        answers=answers,
        again=bool(reserved[AGAIN_NAME]),
        language=next(iter(reserved[FORM_LANGUAGE_NAME]), None),
    )


def check(form: Form, answers: Mapping[str, Sequence[str]], catalogue: Catalogue) -> Checked:
    """``answers`` (field id → values) checked against ``form``; messages from ``catalogue``.

    Raises ``Refusal`` (400) for what the published form cannot send; returns the values to
    store and one message per question a person has to correct.
    """
    values: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    entered: dict[str, list[str]] = {}
    for question, given, answered in sent_answers(form, answers):
        if given is not None:
            entered[question.id] = given
        if answered:
            values[question.id] = answered
        message = _mistake(question, answered, catalogue)
        if message is not None:
            errors[question.id] = message
    return Checked(values=values, errors=errors, values_as_entered=entered)


def sent_answers(
    form: Form, answers: Mapping[str, Sequence[str]]
) -> Iterator[tuple[Field, list[str] | None, list[str]]]:
    """Each question of ``form`` in order, with its values as sent (None when its name was not
    sent; a textarea's line breaks as LF) and those that answer it (an answer of only spaces to
    a typed-in question is none, nor is a select's "Choose…"). Raises ``Refusal`` for what the
    published form cannot send: the structure the online form and a typed paper sheet share
    (``paper_check``)."""
    for name in answers:
        if form.get(name) is None:
            raise Refusal(say("collector.refusal.no_question", name=shown(name), form=form.id))
    for question in form.fields:
        given = _lines_checked(form, question, answers[question.id]) \
            if question.id in answers else None
        _check_structure(form, question, given or [])
        yield question, given, [value for value in given or () if _is_answer(question, value)]


# --- structure: what the published form cannot send --------------------------------------------

def _lines_checked(form: Form, question: Field, given: Sequence[str]) -> list[str]:
    """``given`` with a textarea's line breaks as LF (CRLF, or CR alone, as browsers send
    them); raises ``Refusal`` for a line break in a one-line field."""
    if question.type == "textarea":
        return [_LINE_BREAK.sub("\n", value) for value in given]
    if question.type in ONE_LINE and any("\r" in value or "\n" in value for value in given):
        raise Refusal(say("collector.refusal.line_break", field=question.id, form=form.id))
    return list(given)


def _check_structure(form: Form, question: Field, given: list[str]) -> None:
    where = say("collector.refusal.field", field=question.id, form=form.id)
    if not question.multiple and len(given) > 1:
        raise Refusal(say("collector.refusal.field_repeated", where=where))
    if question.multiple and len(set(given)) < len(given):
        raise Refusal(say("collector.refusal.same_option_twice", where=where))
    allowed = _allowed_values(question)
    for value in given:
        if allowed is not None and value not in allowed:
            raise Refusal(say("collector.refusal.not_an_option", where=where, value=shown(value)))


def _allowed_values(question: Field) -> frozenset[str] | None:
    """The only values ``question`` can send, or None when it is typed in."""
    if question.type in ("choice", "choices"):
        return frozenset(option.value for option in question.options)
    if question.type == "select":  # "" is the placeholder, "Choose…"
        return frozenset(["", *(option.value for option in question.options)])
    if question.type == "scale":
        return frozenset(str(step) for step in question.steps)
    if question.type == "consent":
        return frozenset([CONSENT_VALUE])
    return None


def _is_answer(question: Field, value: str) -> bool:
    return (value.strip() if question.type in TYPED else value) != ""


# --- a person's mistakes -------------------------------------------------------------------------

def _mistake(question: Field, answered: list[str], t: Catalogue) -> str | None:
    """The message for the first rule ``question``'s answer breaks, or None."""
    label = plain_label(question)
    if question.type == "choices":
        return _choices_mistake(question, len(answered), label, t)
    if not answered:
        return t(REQUIRED[question.type], label=label) if question.required else None
    check_value = _VALUE_CHECKS.get(question.type)
    return check_value(question, answered[0], label, t) if check_value else None


def _choices_mistake(question: Field, ticked: int, label: str, t: Catalogue) -> str | None:
    """Boxes to tick: an optional question may be skipped, but once answered (or when required)
    it takes between ``min`` and ``max`` boxes."""
    fewest = int(question.min or 0)
    if ticked == 0 and not question.required:
        return None
    if ticked == 0 and fewest <= 1:
        return t(REQUIRED["choices"], label=label)
    rule = instruction(question, t)
    if ticked < fewest:
        return t("form.error.choices_too_few", label=label, rule=rule)
    if question.max is not None and ticked > question.max:
        return t("form.error.choices_too_many", label=label, rule=rule)
    return None


def _length_mistake(question: Field, value: str, label: str, t: Catalogue) -> str | None:
    limit = longest(question)
    length = typed_length(value)
    if limit is None or length <= limit:
        return None
    return t("form.error.too_long", label=label, count=format_number(length, t),
             rule=t.count("form.max_length", limit, count=format_number(limit, t)))


def _email_mistake(question: Field, value: str, label: str, t: Catalogue) -> str | None:
    if plausible_email(value):
        return None
    return t("form.error.email", label=label, rule=instruction(question, t))


def _number_mistake(question: Field, value: str, label: str, t: Catalogue) -> str | None:
    rule = instruction(question, t)
    reading = read_number(value)
    if reading is None:
        return t("form.error.number_format", label=label, rule=rule)
    number, has_mark = reading
    if question.integer and has_mark:
        # Even "2,0": in an English "1,000" or a German "1.000" the mark groups thousands, and
        # reading it as a decimal mark would store a number a thousand times too small.
        return t("form.error.number_whole", label=label, rule=rule)
    if question.min is not None and number < Decimal(str(question.min)):
        return t("form.error.number_too_small", label=label, rule=rule)
    if question.max is not None and number > Decimal(str(question.max)):
        return t("form.error.number_too_large", label=label, rule=rule)
    return None


_VALUE_CHECKS: dict[str, Callable[[Field, str, str, Catalogue], str | None]] = {
    "text": _length_mistake, "textarea": _length_mistake, "email": _email_mistake,
    "number": _number_mistake,
}
"""What to check in the answer of a typed-in question (chosen answers were checked as
structure: the form offers nothing else)."""


# --- reading answers ---------------------------------------------------------------------------

def parse_number(text: str) -> Decimal | None:
    """The number ``text`` holds as people write it (see ``NUMBER``), or None. Exact: bounds
    and exports compare decimals, not binary floats."""
    reading = read_number(text)
    return reading[0] if reading else None


def read_number(text: str) -> tuple[Decimal, bool] | None:
    """The number in ``text`` and whether it was written with a decimal mark, or None."""
    match = NUMBER.fullmatch(text.strip())
    if match is None or not (match["whole"] or match["part"]):
        return None
    sign = "-" if match["sign"] == "-" else ""
    whole = re.sub(_GROUP, "", match["whole"] or "0")
    fraction = f".{match['part']}" if match["part"] else ""
    return Decimal(f"{sign}{whole}{fraction}"), match["mark"] is not None


def plausible_email(text: str) -> bool:
    """True for what looks like an e-mail address (surrounding spaces allowed): one ``@``, a
    local part, a domain of dot-separated parts, no spaces, at most :data:`EMAIL_MAX_LENGTH`
    characters. Only a typing check: whether the address exists is not for a form to know."""
    address = text.strip()
    local, at, domain = address.partition("@")
    parts = domain.split(".")
    return (bool(at) and bool(local) and "@" not in domain and len(parts) >= 2
            and all(parts) and _EMAIL_SPACE.search(address) is None
            and len(address) <= EMAIL_MAX_LENGTH)


def over_bounds(form: Form, answers: Mapping[str, Sequence[str]]) -> list[str]:
    """The ids of ``form``'s typed-in questions whose answer in ``answers`` is longer than any
    answer the form stores: a text over its ``max_length``, an e-mail address over
    ``EMAIL_MAX_LENGTH``, a number over ``NUMBER_MAX_LENGTH``. Those rules hold even for an
    answer ``check`` lets through with mistakes (one kept in quarantine)."""
    return [question.id for question in form.fields
            if (limit := longest(question)) is not None
            and any(typed_length(value) > limit for value in answers.get(question.id, ()))]


def longest(question: Field) -> int | None:
    """The longest answer ``question`` takes (``typed_length``), None for a question whose
    answers are options."""
    if question.type in ("text", "textarea"):
        return question.max_length or DEFAULT_MAX_LENGTH[question.type]
    return {"email": EMAIL_MAX_LENGTH, "number": NUMBER_MAX_LENGTH}.get(question.type)


def typed_length(text: str) -> int:
    """``text``'s length as browsers count it for ``maxlength``: UTF-16 code units (an emoji
    outside the BMP counts 2), a line break one (browsers send CRLF for each)."""
    text = text.replace("\r\n", "\n")
    return len(text) + sum(1 for character in text if ord(character) > 0xFFFF)


def plain_label(question: Field) -> str:
    """The question's label as plain text, for a message. A consent label is markdown: its
    HTML's text drops the link syntax and keeps the words."""
    if question.type != "consent":
        return question.label
    reader = _TextOfHtml()
    reader.feed(question.label_html)
    reader.close()
    return "".join(reader.text)


class _TextOfHtml(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)
