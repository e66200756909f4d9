"""The 106 criteria of RGAA 4.1, as ``data/rgaa-4.1.json`` holds them.

The file is derived from the official one (DISIC/RGAA, ``v4.1/JSON/criteres.json``, Licence
Ouverte 2.0; ``data/README.md`` says how): each criterion's number, topic, title in plain French,
the WCAG success criteria RGAA says it covers, and parole's own two answers about it:

- ``automatic``: what the audit decides alone. ``full`` only where a machine decides the whole
  criterion on the pages it sees (a page title is there or not); ``partial`` where a rule can
  fail it but only a person can say it is met; ``none`` otherwise. ``why`` says it in a sentence,
  ``decided_by`` lists the rules that must have run for a ``full`` criterion to be compliant.
- ``applies_to``: a CSS selector; when it matches nothing on any audited page the criterion is
  not applicable (no table: the table criteria do not apply). None: it always applies.

The file ships with parole, so a broken one is a bug in parole, not the organizer's mistake:
reading it asserts, with a message that says what is wrong.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

DATA = Path(__file__).parent / "data" / "rgaa-4.1.json"
TOPICS = 13
COUNT = 106
Automatic = Literal["full", "partial", "none"]
_AUTOMATIC = ("full", "partial", "none")
_NUMBER = re.compile(r"^(\d{1,2})\.(\d{1,2})$")
_WCAG = re.compile(r"^[1-4]\.\d{1,2}\.\d{1,2}$")


@dataclass(frozen=True)
class Criterion:
    """One RGAA 4.1 criterion."""

    number: str
    """"1.1" … "13.12"."""
    topic: str
    """The topic's name in French: "Images", "Cadres"…"""
    title: str
    """The criterion's question, in French, plain text (the glossary links removed)."""
    wcag: tuple[str, ...]
    """WCAG success criteria it covers, as RGAA references them: ("1.1.1",)."""
    automatic: Automatic
    applies_to: str | None
    why: str = ""
    """Why the audit decides it fully or partly (English, for the report's method section)."""
    decided_by: tuple[str, ...] = ()
    """For ``full``: the rules (``axe:…``, ``parole:…``) that decide it; each must have run on
    every page it applies to before the audit says it is compliant."""


def number_key(number: str) -> tuple[int, int]:
    """Sort key of a criterion number: "2.10" after "2.9"."""
    topic, rank = number.split(".")
    return int(topic), int(rank)


@cache
def _document() -> dict[str, Any]:
    text = DATA.read_text(encoding="utf-8")
    document = json.loads(text)
    assert isinstance(document, dict), f"{DATA}: the top is not an object"
    return document


def source() -> dict[str, str]:
    """Where the criteria come from (URL, commit, licence), for the report and the statement."""
    found = _document().get("source")
    assert isinstance(found, dict) and all(isinstance(value, str) for value in found.values()), \
        f"{DATA}: 'source' must be an object of strings"
    return dict(found)


@cache
def criteria() -> tuple[Criterion, ...]:
    """The 106 criteria, in RGAA's order."""
    items = _document().get("criteria")
    assert isinstance(items, list), f"{DATA}: 'criteria' must be a list"
    found = tuple(_criterion(item, index) for index, item in enumerate(items))
    assert len(found) == COUNT, f"{DATA}: {len(found)} criteria, RGAA 4.1 has {COUNT}"
    numbers = [item.number for item in found]
    assert numbers == sorted(numbers, key=number_key) and len(set(numbers)) == COUNT, \
        f"{DATA}: criteria out of order or repeated"
    assert len({item.topic for item in found}) == TOPICS, f"{DATA}: RGAA 4.1 has {TOPICS} topics"
    return found


@cache
def _by_number() -> dict[str, Criterion]:
    return {item.number: item for item in criteria()}


def criterion(number: str) -> Criterion:
    """The criterion numbered ``number`` ("8.5"); KeyError when RGAA 4.1 has none."""
    try:
        return _by_number()[number]
    except KeyError:
        raise KeyError(f"RGAA 4.1 has no criterion {number!r}") from None


def _criterion(item: object, index: int) -> Criterion:
    where = f"{DATA}: criteria[{index}]"
    assert isinstance(item, dict), f"{where} is not an object"
    known = {"number", "topic", "title", "wcag", "automatic", "applies_to", "why", "decided_by"}
    assert set(item) <= known, f"{where}: unknown keys {sorted(set(item) - known)}"
    number, topic, title = item.get("number"), item.get("topic"), item.get("title")
    assert isinstance(number, str) and _NUMBER.match(number), f"{where}: bad number {number!r}"
    where = f"{DATA}: criterion {number}"
    assert isinstance(topic, str) and topic.strip(), f"{where}: no topic"
    assert isinstance(title, str) and title.strip() and "](" not in title, f"{where}: bad title"
    wcag = item.get("wcag")
    assert isinstance(wcag, list) and wcag and all(
        isinstance(sc, str) and _WCAG.match(sc) for sc in wcag), f"{where}: bad wcag {wcag!r}"
    automatic = item.get("automatic")
    assert automatic in _AUTOMATIC, f"{where}: automatic must be one of {_AUTOMATIC}"
    applies_to = item.get("applies_to")
    assert applies_to is None or (isinstance(applies_to, str) and applies_to.strip()), \
        f"{where}: applies_to must be a CSS selector or null"
    why = item.get("why", "")
    assert isinstance(why, str), f"{where}: why must be text"
    assert (automatic == "none") == (not why), f"{where}: 'why' goes with full and partial only"
    decided_by = item.get("decided_by", [])
    assert isinstance(decided_by, list) and all(isinstance(rule, str) for rule in decided_by), \
        f"{where}: decided_by must be a list of rule ids"
    assert (automatic == "full") == bool(decided_by), \
        f"{where}: decided_by goes with automatic 'full' only"
    return Criterion(number, topic, title, tuple(wcag), cast(Automatic, automatic), applies_to,
                     why, tuple(decided_by))


def selectors() -> dict[str, str]:
    """Criterion number → its ``applies_to`` selector, for the browser stage (which reports, on
    each page, the criteria whose selector matched)."""
    return {item.number: item.applies_to for item in criteria() if item.applies_to}
