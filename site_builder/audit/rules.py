"""Every rule the audit can report, and what it means: severity, WCAG, RGAA, how to fix it.

This is the single place where a rule id meets its criteria. The browser stage only emits ids
(``axe:image-alt``, ``parole:reflow``); the verdicts, the report and the statement look them up
here. The data is ``data/rules.yml`` (its header says where the mapping comes from and how it
was chosen): every rule of the axe-core parole ships with, and parole's own checks.

A newer axe-core may report a rule the file does not know yet: :func:`rule` then makes a generic
one from the id (and axe's tags when given), an error that fails no RGAA criterion, so the
report still shows it and the statement never counts on it. A broken data file is a bug in
parole: reading it asserts, with a message that says what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml

from site_builder.audit.criteria import criterion
from site_builder.audit.model import Severity

DATA = Path(__file__).parent / "data" / "rules.yml"
LANGUAGES = ("fr", "en")
NAMESPACES = ("axe", "parole")
_ID = re.compile(r"^(axe|parole):[a-z0-9]+(?:-[a-z0-9]+)*$")
_WCAG = re.compile(r"^[1-4]\.\d{1,2}\.\d{1,2}$")
_WCAG_TAG = re.compile(r"^wcag(\d)(\d)(\d+)$")
"""axe's tag for a success criterion: wcag111 → 1.1.1, wcag1412 → 1.4.12."""
_KEYS = {"severity", "wcag", "rgaa", "rgaa_none", "summary", "fix"}
UNKNOWN_RGAA = "Not in parole's mapping yet (a rule of a newer axe-core)."


@dataclass(frozen=True)
class Rule:
    """One rule: what it checks and what its failure fails."""

    id: str
    """Namespaced: "axe:image-alt", "parole:reflow"."""
    severity: Severity
    wcag: tuple[str, ...]
    """WCAG success criteria: ("1.1.1",)."""
    rgaa: tuple[str, ...]
    """RGAA 4.1 criteria its failure fails (an error) or a person should look at (a warning)."""
    rgaa_none: str
    """Why no RGAA 4.1 criterion covers it ("" when ``rgaa`` is not empty)."""
    summary: dict[str, str] = field(hash=False)
    """What it checks, {"fr": …, "en": …}, plain words."""
    fix: dict[str, str] = field(hash=False)
    """How to fix it, {"fr": …, "en": …}: what to change in the markdown or the CSS."""
    known: bool = True
    """False for a rule :func:`rule` made up from an id the data file lacks."""

    def says(self, language: str) -> tuple[str, str]:
        """(summary, fix) in ``language``, English when parole has no words in it."""
        chosen = language if language in LANGUAGES else "en"
        return self.summary[chosen], self.fix[chosen]


@cache
def _rules() -> dict[str, Rule]:
    document = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    assert isinstance(document, dict) and set(document) == {"rules"}, \
        f"{DATA}: the file holds one key, 'rules'"
    items = document["rules"]
    assert isinstance(items, dict) and items, f"{DATA}: 'rules' must be a mapping of rules"
    return {rule_id: _rule(rule_id, item) for rule_id, item in items.items()}


def _texts(item: dict[str, Any], key: str, where: str) -> dict[str, str]:
    texts = item.get(key)
    assert isinstance(texts, dict) and set(texts) == set(LANGUAGES) and all(
        isinstance(text, str) and text.strip() for text in texts.values()), \
        f"{where}: {key} must give a text for each of {LANGUAGES}"
    return {language: " ".join(texts[language].split()) for language in LANGUAGES}


def _rule(rule_id: object, item: object) -> Rule:
    assert isinstance(rule_id, str) and _ID.match(rule_id), f"{DATA}: bad rule id {rule_id!r}"
    where = f"{DATA}: {rule_id}"
    assert isinstance(item, dict), f"{where} is not a mapping"
    assert set(item) <= _KEYS, f"{where}: unknown keys {sorted(set(item) - _KEYS)}"
    severity = item.get("severity")
    assert severity in ("error", "warning"), f"{where}: severity must be error or warning"
    wcag, rgaa = item.get("wcag"), item.get("rgaa")
    assert isinstance(wcag, list) and all(isinstance(sc, str) and _WCAG.match(sc)
                                          for sc in wcag), f"{where}: bad wcag {wcag!r}"
    assert isinstance(rgaa, list) and all(isinstance(number, str) for number in rgaa), \
        f"{where}: rgaa must be a list of criterion numbers (quoted: \"1.1\")"
    for number in rgaa:
        try:
            criterion(number)
        except KeyError:
            raise AssertionError(f"{where}: RGAA 4.1 has no criterion {number}") from None
    rgaa_none = item.get("rgaa_none", "")
    assert isinstance(rgaa_none, str), f"{where}: rgaa_none must be text"
    assert bool(rgaa) != bool(rgaa_none.strip()), \
        f"{where}: give either rgaa criteria or rgaa_none (why none applies), not both"
    return Rule(rule_id, cast(Severity, severity), tuple(wcag), tuple(rgaa), rgaa_none.strip(),
                _texts(item, "summary", where), _texts(item, "fix", where))


def known_rules() -> tuple[Rule, ...]:
    """Every rule of the data file, axe-core's first, then parole's."""
    return tuple(_rules().values())


def wcag_from_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """The success criteria in axe-core's tags: ("wcag2a", "wcag111") → ("1.1.1",)."""
    found: list[str] = []
    for tag in tags:
        if (match := _WCAG_TAG.match(tag)) and (number := ".".join(match.groups())) not in found:
            found.append(number)
    return tuple(found)


def rule(rule_id: str, tags: Iterable[str] = ()) -> Rule:
    """The rule ``rule_id``. An ``axe:`` id the data file lacks (a newer axe-core) gives a
    generic error rule, its WCAG criteria from axe's ``tags`` when given; an unknown
    ``parole:`` id or another namespace is a bug: KeyError."""
    known = _rules().get(rule_id)
    if known is not None:
        return known
    if not rule_id.startswith("axe:") or not rule_id.removeprefix("axe:"):
        raise KeyError(f"no rule {rule_id!r} in {DATA}")
    name = rule_id.removeprefix("axe:")
    help_url = f"https://dequeuniversity.com/rules/axe/latest/{name}"
    return Rule(
        rule_id, "error", wcag_from_tags(tags), (), UNKNOWN_RGAA,
        {"fr": f"Règle\u00a0« {name}\u00a0» d'axe-core (pas encore décrite par parole).",
         "en": f"axe-core rule “{name}” (not described by parole yet)."},
        {"fr": f"Lisez l'aide d'axe-core sur cette règle\u00a0: {help_url}",
         "en": f"Read axe-core's help on this rule: {help_url}"},
        known=False)
