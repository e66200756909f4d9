"""The auditor's review file (``accessibility-review.yml``): what a person checked by hand.

The audit decides few RGAA criteria alone; a person records the others here, criterion by
criterion, and ``parole audit --review FILE`` merges them into the report and the statement::

    auditor: Association Exemple, Camille Martin
    date: 2026-12-05
    criteria:
      - criterion: "7.1"
        result: compliant          # compliant | not_compliant | not_applicable
        pages: [/, /faq/]          # optional: where it was checked, or where it fails
        note: "…"                  # required for not_compliant: what fails, in plain words
    derogations:                   # optional: dérogation pour charge disproportionnée
      - content: "…"
        reason: "…"
    exemptions:                    # optional: contenus non soumis à l'obligation
      - content: "…"
        reason: "…"

A compliance rate is published on the strength of this file, so it is read strictly: every
problem is reported at once, with its line and field and how to fix it, in the organizer's
language. A criterion whose ``result`` is left empty is not checked yet (the template leaves
them so). The file is small by nature: a huge file, YAML aliases (the "billion laughs") or deep
nesting are refused before they can cost time or memory.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml

from site_builder.audit import criteria as rgaa
from site_builder.audit.review_guard import guard, shown
from site_builder.calendar import iso_date
from site_builder.errors import ConfigError, Problem
from site_builder.forms import located
from site_builder.forms.yaml_errors import explain
from site_builder.messages import say, say_count

if TYPE_CHECKING:
    from site_builder.audit.verdicts import Assessment

Result = Literal["compliant", "not_compliant", "not_applicable"]
RESULTS: tuple[Result, ...] = ("compliant", "not_compliant", "not_applicable")
KEYS = ("auditor", "date", "criteria", "derogations", "exemptions")
CRITERION_KEYS = ("criterion", "result", "pages", "note")
ITEM_KEYS = ("content", "reason")
FILE_NAME = "accessibility-review.yml"
_WORDS = {"conforme": "compliant", "ok": "compliant", "c": "compliant", "yes": "compliant",
          "oui": "compliant", "non conforme": "not_compliant", "non-conforme": "not_compliant",
          "nc": "not_compliant", "no": "not_compliant", "non": "not_compliant",
          "not compliant": "not_compliant", "non applicable": "not_applicable",
          "non-applicable": "not_applicable", "na": "not_applicable", "n/a": "not_applicable",
          "not applicable": "not_applicable"}
"""What auditors write for a result (RGAA's French words, abbreviations), to suggest the key."""


@dataclass(frozen=True)
class ReviewedCriterion:
    number: str
    result: Result
    pages: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class ReviewItem:
    """A derogation or an exemption: which content, and why."""

    content: str
    reason: str


@dataclass(frozen=True)
class Review:
    auditor: str
    date: str
    """ISO form, 2026-12-05."""
    criteria: tuple[ReviewedCriterion, ...]
    derogations: tuple[ReviewItem, ...]
    exemptions: tuple[ReviewItem, ...]
    source: str
    """The file, as given."""

    def result(self, number: str) -> ReviewedCriterion | None:
        """What the review says of criterion ``number``, if anything."""
        return next((item for item in self.criteria if item.number == number), None)


def read_review(path: Path) -> Review:
    """The review in ``path``; ConfigError listing every problem when it has any."""
    shown_path = str(path)
    text, problems = guard(path)
    data: object = None
    if not problems:
        data, problems = _load(text, shown_path)
    if problems:
        raise ConfigError(problems)
    reader = _Reader(shown_path)
    review = reader.review(data)
    if reader.problems or review is None:
        raise ConfigError(reader.problems)
    return review


def _load(text: str, file: str) -> tuple[object, list[Problem]]:
    """The YAML in ``text`` with its lines, or the problem that stops it being read."""
    try:
        return located.load(text), []
    except yaml.reader.ReaderError as error:  # a control character: PyYAML gives no line
        character = error.character
        code = f"{character:#04x}" if isinstance(character, int) else repr(character)
        return None, [Problem(say("audit.review.control_character", code=code),
                              say("audit.review.control_character.fix"), file=file,
                              line=text.count("\n", 0, error.position) + 1)]
    except yaml.YAMLError as error:
        mistake = explain(error)
        line = mistake.line + 1 if mistake.line is not None else None
        return None, [Problem(say("audit.review.bad_yaml"), mistake.fix, file=file, line=line)]
    except RecursionError:  # guard() counts nesting first; this is the last line of defence
        return None, [Problem(say("audit.review.too_deep", limit="?"),
                              say("audit.review.too_deep.fix"), file=file)]


class _Reader:
    """Reads the loaded YAML, collecting a Problem for each wrong value instead of stopping."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.seen: dict[str, int | None] = {}
        """Criterion number → the line of the item that reviews it first."""

    def add(self, line: int | None, field: str | None, message: str, fix: str) -> None:
        self.problems.append(Problem(message, fix, file=self.file,
                                     line=line + 1 if line is not None else None, field=field))

    def keys(self, data: dict[Any, Any], allowed: tuple[str, ...], where: str) -> None:
        prefix = f"{where}." if where else ""
        for key in data:
            if key not in allowed:
                guess = next(iter(difflib.get_close_matches(str(key), allowed, n=1)), None)
                listed = ", ".join(f"`{name}`" for name in allowed)
                self.add(located.key_line(data, key), f"{prefix}{key}",
                         say("audit.review.unknown_key", key=shown(key)),
                         say("audit.review.unknown_key.fix_guess", guess=guess, keys=listed)
                         if guess else say("audit.review.unknown_key.fix", keys=listed))
        for key, first, again in getattr(data, "duplicates", []):
            self.add(again, f"{prefix}{key}", say("audit.review.twice", key=shown(key),
                                                  first=first + 1),
                     say("audit.review.twice.fix"))

    def review(self, data: object) -> Review | None:
        if not isinstance(data, dict):
            self.add(located.start_line(data), None,
                     say("audit.review.not_a_mapping", value=shown(data)),
                     say("audit.review.not_a_mapping.fix"))
            return None
        self.keys(data, KEYS, "")
        auditor = self.text(data, "auditor", "auditor", required=True)
        day = self.day(data)
        reviewed = self.items(data, "criteria", self.criterion)
        derogations = self.items(data, "derogations", self.item)
        exemptions = self.items(data, "exemptions", self.item)
        if self.problems or auditor is None or day is None:
            return None
        ordered = sorted((item for item, _ in reviewed), key=lambda item: rgaa.number_key(
            item.number))
        return Review(auditor, day, tuple(ordered), tuple(item for item, _ in derogations),
                      tuple(item for item, _ in exemptions), self.file)

    def text(self, data: dict[Any, Any], key: str, field: str, *,
             required: bool) -> str | None:
        value = data.get(key)
        line = located.key_line(data, key) if key in data else located.start_line(data)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(line, field, say("audit.review.missing", key=key),
                         say(f"audit.review.missing.{key}.fix"))
            return None
        if not isinstance(value, str):
            self.add(line, field, say("audit.review.not_text", key=key, value=shown(value)),
                     say("audit.review.not_text.fix"))
            return None
        return " ".join(value.split())

    def day(self, data: dict[Any, Any]) -> str | None:
        value = data.get("date")
        line = located.key_line(data, "date") if "date" in data else located.start_line(data)
        if value is None or value == "":
            self.add(line, "date", say("audit.review.missing", key="date"),
                     say("audit.review.missing.date.fix"))
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value.isoformat()
        day = iso_date(value.strip()) if isinstance(value, str) else None
        if day is None:
            self.add(line, "date", say("audit.review.date", value=shown(value)),
                     say("audit.review.missing.date.fix"))
            return None
        return day.isoformat()

    def items(self, data: dict[Any, Any], key: str,
              read: Callable[[dict[Any, Any], str], Any]) -> list[tuple[Any, int | None]]:
        """The items of the list at ``key`` that read without problems, with their lines."""
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(located.key_line(data, key), key,
                     say("audit.review.not_a_list", key=key, value=shown(value)),
                     say("audit.review.not_a_list.fix"))
            return []
        found = []
        for index, item in enumerate(value):
            where = f"{key}[{index + 1}]"
            line = located.item_line(value, index)
            if not isinstance(item, dict):
                self.add(line, where, say("audit.review.item", key=key, number=index + 1,
                                          value=shown(item)),
                         say(f"audit.review.item.{key}.fix"))
                continue
            result = read(item, where)
            if result is not None:
                found.append((result, line))
        return found

    def criterion(self, item: dict[Any, Any], where: str) -> ReviewedCriterion | None:
        count = len(self.problems)
        self.keys(item, CRITERION_KEYS, where)
        number = self.number(item, where)
        result = self.result(item, where)
        pages = self.pages(item, where)
        note = self.text(item, "note", f"{where}.note", required=False) or ""
        if result == "not_compliant" and not note and f"{where}.note" not in [
                problem.field for problem in self.problems[count:]]:
            written = located.raw_text(item, "criterion") or str(item.get("criterion", "?"))
            self.add(located.key_line(item, "result"), f"{where}.note",
                     say("audit.review.no_note", number=written),
                     say("audit.review.no_note.fix"))
        if len(self.problems) > count or number is None or result is None:
            return None
        return ReviewedCriterion(number, result, pages, note)

    def number(self, item: dict[Any, Any], where: str) -> str | None:
        value = item.get("criterion")
        line = located.key_line(item, "criterion")
        if value is None:
            self.add(line, f"{where}.criterion", say("audit.review.missing", key="criterion"),
                     say("audit.review.missing.criterion.fix"))
            return None
        written = located.raw_text(item, "criterion") or str(value)  # 10.10, not the float 10.1
        number = written.strip()
        try:
            rgaa.criterion(number)
        except KeyError:
            self.add(line, f"{where}.criterion",
                     say("audit.review.unknown_criterion", value=shown(number)),
                     say("audit.review.missing.criterion.fix"))
            return None
        if number in self.seen:
            first = self.seen[number]
            self.add(line, f"{where}.criterion", say(
                "audit.review.duplicate_criterion", number=number,
                first=first + 1 if first is not None else "?"),
                say("audit.review.duplicate_criterion.fix"))
            return None
        self.seen[number] = line
        return number

    def result(self, item: dict[Any, Any], where: str) -> Result | None:
        value = item.get("result")
        if value is None:  # left empty: not checked yet, and said nowhere
            return None
        for result in RESULTS:
            if value == result:
                return result
        plain = " ".join(str(value).lower().replace("_", " ").split())
        guess = _WORDS.get(plain) or next(iter(difflib.get_close_matches(
            str(value), RESULTS, n=1)), None)
        self.add(located.key_line(item, "result"), f"{where}.result",
                 say("audit.review.result", value=shown(value)),
                 say("audit.review.result.fix_guess", guess=guess) if guess
                 else say("audit.review.result.fix"))
        return None

    def pages(self, item: dict[Any, Any], where: str) -> tuple[str, ...]:
        value = item.get("pages")
        if value is None:
            return ()
        if isinstance(value, list) and all(isinstance(page, str) and page.startswith("/")
                                           and page.strip() == page for page in value):
            return tuple(value)
        self.add(located.key_line(item, "pages"), f"{where}.pages",
                 say("audit.review.pages", value=shown(value)), say("audit.review.pages.fix"))
        return ()

    def item(self, item: dict[Any, Any], where: str) -> ReviewItem | None:
        count = len(self.problems)
        self.keys(item, ITEM_KEYS, where)
        content = self.text(item, "content", f"{where}.content", required=True)
        reason = self.text(item, "reason", f"{where}.reason", required=True)
        if len(self.problems) > count or content is None or reason is None:
            return None
        return ReviewItem(content, reason)


def review_template(assessment: Assessment) -> str:
    """A review file to fill: every criterion still to check, its title as a comment, its
    ``result`` left empty (which reads as "not checked yet"); the reviewed ones are kept."""
    review = assessment.review
    lines = [f"# {say('audit.review.template.intro', file=FILE_NAME)}",
             f"auditor: {_quoted(review.auditor if review else '')}"
             f"  # {say('audit.review.template.auditor')}",
             f"date: {review.date if review else ''}  # {say('audit.review.template.date')}"]
    remaining = [verdict for verdict in assessment.verdicts if verdict.status == "to_check"]
    lines.append(f"# {say_count('audit.review.template.remaining', len(remaining))}")
    lines.append("criteria:" if remaining or (review and review.criteria) else "criteria: []")
    for kept in review.criteria if review else ():
        lines.append(f"  - criterion: {_quoted(kept.number)}")
        lines.append(f"    result: {kept.result}")
        if kept.pages:
            lines.append(f"    pages: [{', '.join(kept.pages)}]")
        if kept.note:
            lines.append(f"    note: {_quoted(kept.note)}")
    for verdict in remaining:
        item = verdict.criterion
        lines.append(f"  # {item.number} {item.topic}. {item.title}")
        if verdict.leads:
            lines.append(f"  # {say_count('audit.review.template.leads', verdict.leads)}")
        lines.append(f"  - criterion: {_quoted(item.number)}")
        lines.append(f"    result:  # {say('audit.review.template.result')}")
    for key in ("derogations", "exemptions"):
        items = getattr(review, key) if review else ()
        lines.append(f"# {say(f'audit.review.template.{key}')}")
        lines.append(f"{key}:" if items else f"{key}: []")
        for kept_item in items:
            lines.append(f"  - content: {_quoted(kept_item.content)}")
            lines.append(f"    reason: {_quoted(kept_item.reason)}")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(text, ensure_ascii=False)
