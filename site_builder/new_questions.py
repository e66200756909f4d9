"""The questions ``parole new`` asks on a terminal: the consultation's title, its organizer and
their contact, its first and last day. A wrong answer (a date not written YYYY-MM-DD, an email
address without @) is asked again with what is wrong; an empty one leaves a TODO marker."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TextIO

from site_builder.calendar import iso_date
from site_builder.collector.validate import plausible_email
from site_builder.messages import say


@dataclass(frozen=True)
class Answers:
    """What ``parole new`` knows of the consultation; None is not known yet (a TODO)."""

    title: str | None = None
    organizer: str | None = None
    email: str | None = None
    phone: str | None = None
    opens: date | None = None
    closes: date | None = None


class _EndOfInputError(Exception):
    """Standard input ended (Ctrl-D): the remaining questions are left to TODO markers."""


def email_problem(value: str) -> bool:
    """Whether ``value`` cannot be an email address: the check the forms' email questions use."""
    return not plausible_email(value)


def ask_missing(answers: Answers, stdin: TextIO, stdout: TextIO) -> Answers:
    """``answers`` completed by asking, on ``stdin`` and ``stdout``, what they miss."""
    print(say("new.ask.intro"), file=stdout)
    try:
        if answers.title is None:
            answers = replace(answers, title=_ask_text("title", stdin, stdout))
        if answers.organizer is None:
            answers = replace(answers, organizer=_ask_text("organizer", stdin, stdout))
        if answers.email is None:
            answers = replace(answers, email=_ask_text("email", stdin, stdout))
        if answers.phone is None:
            answers = replace(answers, phone=_ask_text("phone", stdin, stdout))
        if answers.opens is None:
            answers = replace(answers, opens=_ask_day("opens", stdin, stdout, after=None))
        if answers.closes is None:
            answers = replace(answers, closes=_ask_day("closes", stdin, stdout,
                                                       after=answers.opens))
    except _EndOfInputError:
        print(file=stdout)
    return answers


def _read(question: str, stdin: TextIO, stdout: TextIO) -> str:
    stdout.write(f"{question} ")
    stdout.flush()
    line = stdin.readline()
    if not line:
        raise _EndOfInputError
    return " ".join(line.split())


def _ask_text(field: str, stdin: TextIO, stdout: TextIO) -> str | None:
    while True:
        value = _read(say(f"new.ask.{field}"), stdin, stdout)
        if field == "email" and value and email_problem(value):
            print(say("new.bad_email", value=value), file=stdout)
            continue
        return value or None


def _ask_day(field: str, stdin: TextIO, stdout: TextIO, *, after: date | None) -> date | None:
    while True:
        value = _read(say(f"new.ask.{field}"), stdin, stdout)
        if not value:
            return None
        day = iso_date(value)
        if day is None:
            print(say("new.bad_date", value=value), file=stdout)
        elif after is not None and day < after:
            print(say("new.closes_before_opens", opens=after, closes=day), file=stdout)
        else:
            return day
