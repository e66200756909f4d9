"""Reading one mapping of a form's YAML (the form, a question, an option) and reporting what
is wrong with it: each problem located at its key's line and path (``avis-place/frequence``).

``parse.py`` states the rules of forms; this module only knows how to read values and say, in
words an organizer understands, why one is not what it should be.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from site_builder.errors import Problem
from site_builder.forms import located
from site_builder.messages import say

BOOLEAN_SPELLINGS = ("true", "false")
"""YAML 1.1 (PyYAML) also reads yes/no/on/off as booleans, YAML 1.2 reads them as text: only
true/false mean the same everywhere, so only they are accepted."""


@dataclass
class Report:
    """Where the YAML came from, and the problems found so far."""

    file: str
    line: int
    """The line before the YAML's first line (the fence's line; 0 for a file of its own)."""
    problems: list[Problem] = field(default_factory=list)

    def absolute(self, relative: int | None) -> int | None:
        if relative is None:
            return self.line or None
        return self.line + 1 + relative


@dataclass
class Node:
    """A mapping of the YAML (the form, a field, an option) being read, with its key path."""

    data: Mapping[Any, Any]
    path: str
    what: str
    """How messages name it: "the form", "the question 'frequence'", "option 2"."""
    report: Report
    guessed: set[str] = field(default_factory=set)
    """Keys an unknown key probably meant: their absence is the same mistake, reported once."""

    def problem(self, key: object, message: str, fix: str, *, line: int | None = None) -> None:
        """Report on ``key`` (its line and path), or on the whole mapping when ``key`` is None;
        ``line`` (in the YAML) overrides the key's line."""
        if line is None and key is not None:
            line = located.key_line(self.data, key)
        if line is None:
            line = located.start_line(self.data)
        path = f"{self.path}/{key}" if key is not None and key in self.data else self.path
        self.report.problems.append(Problem(
            message=message, fix=fix, file=self.report.file,
            line=self.report.absolute(line), field=path,
        ))

    def given(self, key: str) -> bool:
        """``key:`` written with nothing after it counts as not written."""
        return self.data.get(key) is not None

    def missing(self, key: str, message: str, fix: str) -> None:
        """Report that ``key`` is needed, unless a misspelt key for it was reported already."""
        if key not in self.guessed:
            self.problem(key if key in self.data else None, message, fix)

    def shown(self, key: object) -> str:
        """The value as the organizer wrote it."""
        raw = located.raw_text(self.data, key)
        return raw if raw is not None else shown_value(self.data.get(key))

    def check_keys(
        self, allowed: tuple[str, ...], explain: Callable[[str], tuple[str, str] | None]
    ) -> None:
        """Unknown and repeated keys. ``explain`` may say why a known key is wrong here."""
        for key, first, repeated in getattr(self.data, "duplicates", []):
            self.problem(key, say("forms.key_twice", key=key, what=self.what,
                                  first=self.report.absolute(first),
                                  repeated=self.report.absolute(repeated)),
                         say("forms.key_twice.fix"), line=repeated)
        for key in self.data:
            if key in allowed:
                continue
            if isinstance(key, str) and (reason := explain(key)):
                self.problem(key, *reason)
                continue
            guess = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            self.guessed.update(guess)
            takes = {"What": f"{self.what[0].upper()}{self.what[1:]}", "keys": ", ".join(allowed)}
            self.problem(key, say("forms.unknown_key", key=key, what=self.what),
                         say("forms.unknown_key.fix_guess", guess=guess[0], **takes) if guess
                         else say("forms.unknown_key.fix", **takes))

    def text(self, key: str, *, required: bool = False, example: str = "…") -> str | None:
        """A non-empty string (stripped), or None with a problem when it is wrong."""
        if not self.given(key):
            if required:
                self.missing(key, say("forms.no_key", what=self.what, key=key),
                             say("forms.no_key.fix", key=key, example=example))
            return None
        value = self.data[key]
        if not isinstance(value, str):
            self.problem(key, say("forms.not_text", key=key, value=self.shown(key),
                                  kind=kind_of(value)),
                         say("forms.not_text.fix", key=key, value=self.shown(key)))
            return None
        if not value.strip():
            self.problem(key, say("forms.empty", key=key), say("forms.empty.fix", key=key))
            return None
        return value.strip()

    def boolean(self, key: str, default: bool) -> bool:
        if not self.given(key):
            return default
        value, raw = self.data[key], located.raw_text(self.data, key)
        if isinstance(value, bool) and (raw is None or raw.lower() in BOOLEAN_SPELLINGS):
            return value
        if isinstance(value, bool):
            self.problem(key, say("forms.ambiguous_boolean", key=key, raw=raw,
                                  value=str(value).lower()),
                         say("forms.ambiguous_boolean.fix", key=key, value=str(value).lower()))
        elif isinstance(value, str) and value.strip().lower() in BOOLEAN_SPELLINGS:
            self.problem(key, say("forms.quoted_boolean", key=key, value=value),
                         say("forms.quoted_boolean.fix", key=key, value=value.strip().lower()))
        else:
            self.problem(key, say("forms.not_boolean", key=key, value=self.shown(key)),
                         say("forms.not_boolean.fix", key=key))
        return default

    def number(self, key: str, *, integer: bool, what: str) -> int | float | None:
        """A finite number (a whole one if ``integer``), or None (absent or reported)."""
        if not self.given(key):
            return None
        value = self.data[key]
        if not is_number(value) or (integer and not isinstance(value, int)):
            kind = "whole" if integer else "any"
            self.problem(key, say(f"forms.not_number.{kind}", key=key, what=what,
                                  value=self.shown(key)),
                         say(f"forms.not_number.{kind}.fix", key=key))
            return None
        result: int | float = value
        return result


def is_number(value: object) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "boolean"),  # before int: a bool is an int to Python
    ((int, float), "number"),
    (datetime, "datetime"),  # before date, its base class
    (date, "date"),
    (list, "list"),
    (Mapping, "mapping"),
    (type(None), "nothing"),
)
"""What YAML can make of a value, each said by the message ``forms.kind.<name>``."""


def kind_of(value: object) -> str:
    """What YAML made of a value, in words."""
    name = next((name for kind, name in KINDS if isinstance(value, kind)), "text")
    return say(f"forms.kind.{name}")


def shown_value(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
