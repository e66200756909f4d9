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
            lines = f"lines {self.report.absolute(first)} and {self.report.absolute(repeated)}"
            self.problem(key, f"the key {key!r} is written twice in {self.what} ({lines}); "
                         "YAML keeps only the last one", "remove one of the two lines",
                         line=repeated)
        for key in self.data:
            if key in allowed:
                continue
            if isinstance(key, str) and (reason := explain(key)):
                self.problem(key, *reason)
                continue
            guess = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = f"did you mean {guess[0]!r}? " if guess else ""
            self.guessed.update(guess)
            self.problem(key, f"unknown key {key!r} in {self.what}",
                         f"{hint}{self.what[0].upper()}{self.what[1:]} takes: "
                         f"{', '.join(allowed)}")

    def text(self, key: str, *, required: bool = False, example: str = "…") -> str | None:
        """A non-empty string (stripped), or None with a problem when it is wrong."""
        if not self.given(key):
            if required:
                self.missing(key, f"{self.what} has no {key}", f"add '{key}: {example}'")
            return None
        value = self.data[key]
        if not isinstance(value, str):
            self.problem(key, f"{key} must be text, but YAML reads {self.shown(key)!r} as "
                         f"{kind_of(value)}", f"put it in quotes: {key}: \"{self.shown(key)}\"")
            return None
        if not value.strip():
            self.problem(key, f"{key} is empty", f"write the {key}, or remove the line")
            return None
        return value.strip()

    def boolean(self, key: str, default: bool) -> bool:
        if not self.given(key):
            return default
        value, raw = self.data[key], located.raw_text(self.data, key)
        if isinstance(value, bool) and (raw is None or raw.lower() in BOOLEAN_SPELLINGS):
            return value
        if isinstance(value, bool):
            self.problem(key, f"{key}: {raw} means {str(value).lower()} to some YAML readers "
                         "and is text to others", f"write {key}: {str(value).lower()}")
        elif isinstance(value, str) and value.strip().lower() in BOOLEAN_SPELLINGS:
            self.problem(key, f"{key} is the text {value!r}, not true or false",
                         f"remove the quotes: {key}: {value.strip().lower()}")
        else:
            self.problem(key, f"{key} must be true or false, not {self.shown(key)!r}",
                         f"write {key}: true or {key}: false")
        return default

    def number(self, key: str, *, integer: bool, what: str) -> int | float | None:
        """A finite number (a whole one if ``integer``), or None (absent or reported)."""
        if not self.given(key):
            return None
        value = self.data[key]
        if not is_number(value) or (integer and not isinstance(value, int)):
            kind = "a whole number" if integer else "a number"
            self.problem(key, f"{key} must be {kind} ({what}), not {self.shown(key)!r}",
                         f"write {key}: followed by {kind}, e.g. {key}: 1")
            return None
        result: int | float = value
        return result


def is_number(value: object) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "true/false"),  # before int: a bool is an int to Python
    ((int, float), "a number"),
    (datetime, "a date and time"),  # before date, its base class
    (date, "a date"),
    (list, "a list"),
    (Mapping, "a set of 'key: value' (is there a ': ' in the text?)"),
    (type(None), "nothing"),
)


def kind_of(value: object) -> str:
    """What YAML made of a value, in words."""
    return next((word for kind, word in KINDS if isinstance(value, kind)), "text")


def shown_value(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
