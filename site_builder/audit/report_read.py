"""Reading ``audit.json`` back, strictly: the run and the review, as the audit wrote them.

``parole audit --statement`` can write the accessibility statement from a committed
``audit.json`` without running the browser again; the criteria are then decided anew from the
run and the review (``verdicts.assess``), never taken on trust from the file. Reading refuses a
file of another format and names every key that is missing or of the wrong kind by its path
(``pages[2].rules[1].findings[3].condition``), with what to do: run ``parole audit`` again.
The criteria, totals, rate and conformity are checked for their kind, not read: they are
consequences of the run and the review.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, get_args

from site_builder.audit.model import (
    CONDITIONS,
    AuditedPage,
    AuditRun,
    Environment,
    Finding,
    Impact,
    PageKind,
    PageResult,
    Severity,
)
from site_builder.audit.report_json import FORMAT, STATUSES
from site_builder.audit.review import Review, ReviewedCriterion, ReviewItem
from site_builder.errors import Problem, _ProblemsError
from site_builder.messages import say

KINDS: tuple[str, ...] = get_args(PageKind)
IMPACTS: tuple[str, ...] = get_args(Impact)
SEVERITIES: tuple[str, ...] = get_args(Severity)
RESULTS = ("compliant", "not_compliant", "not_applicable")
SOURCES = ("automatic", "review", "none")
CONFORMITIES = ("total", "partial", "none")


class AuditFileError(_ProblemsError):
    """``audit.json`` is not what ``parole audit`` writes: every problem, located."""

    kind = "generic"


class _Reader:
    """Notes every problem with its key path instead of stopping at the first."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(message=message, fix=say("audit.file.fix"),
                                     file=self.shown, field=where or None))

    def take(self, data: Mapping[str, Any], key: str, where: str,
             check: Callable[[Any], bool], kind: str) -> Any:
        place = f"{where}.{key}" if where else key
        if key not in data:
            self.problem(place, say("audit.file.missing", key=place))
            return None
        value = data[key]
        if not check(value):
            self.problem(place, say("audit.file.wrong_kind", key=place, kind=kind,
                                    value=json.dumps(value, ensure_ascii=False)[:60]))
            return None
        return value

    def text(self, data: Mapping[str, Any], key: str, where: str = "", *,
             optional: bool = False) -> Any:
        return self.take(data, key, where,
                         lambda value: isinstance(value, str) or (optional and value is None),
                         say("audit.file.kind.text_or_null" if optional
                             else "audit.file.kind.text"))

    def texts(self, data: Mapping[str, Any], key: str, where: str = "") -> tuple[str, ...]:
        found = self.take(data, key, where, lambda value: isinstance(value, list)
                          and all(isinstance(item, str) for item in value),
                          say("audit.file.kind.texts"))
        return tuple(found) if found is not None else ()

    def whole(self, data: Mapping[str, Any], key: str, where: str = "") -> Any:
        return self.take(data, key, where, _is_whole, say("audit.file.kind.whole"))

    def seconds(self, data: Mapping[str, Any], key: str, where: str = "") -> float:
        found = self.take(data, key, where, lambda value: _is_number(value) and value >= 0,
                          say("audit.file.kind.seconds"))
        return float(found) if found is not None else 0.0

    def choice(self, data: Mapping[str, Any], key: str, where: str,
               choices: tuple[str, ...], *, optional: bool = False) -> Any:
        kind = say("audit.file.kind.one_of", choices=", ".join(choices))
        return self.take(data, key, where,
                         lambda value: value in choices or (optional and value is None), kind)

    def object(self, data: Mapping[str, Any], key: str, where: str = "", *,
               optional: bool = False) -> dict[str, Any] | None:
        found = self.take(data, key, where,
                          lambda value: isinstance(value, dict) or (optional and value is None),
                          say("audit.file.kind.object"))
        return found if isinstance(found, dict) else None

    def objects(self, data: Mapping[str, Any], key: str,
                where: str = "") -> list[tuple[str, dict[str, Any]]]:
        """The objects listed under ``key``, each with its place (``pages[2]``, counting
        from 1 as every parole message does)."""
        listed = self.take(data, key, where, lambda value: isinstance(value, list),
                           say("audit.file.kind.list"))
        found = []
        for index, item in enumerate(listed or [], 1):
            place = f"{where}.{key}[{index}]" if where else f"{key}[{index}]"
            if isinstance(item, dict):
                found.append((place, item))
            else:
                self.problem(place, say("audit.file.wrong_kind", key=place,
                                        kind=say("audit.file.kind.object"),
                                        value=json.dumps(item, ensure_ascii=False)[:60]))
        return found


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def read_audit_json(path: Path, shown_path: str | None = None) -> tuple[AuditRun, Review | None]:
    """The run and the review ``audit.json`` at ``path`` holds; AuditFileError listing every
    problem otherwise (``shown_path``: how messages name the file)."""
    reader = _Reader(shown_path or str(path))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        reader.problem("", say("audit.file.unreadable", error=str(error)))
        raise AuditFileError(reader.problems) from None
    if not isinstance(data, dict):
        reader.problem("", say("audit.file.not_object"))
        raise AuditFileError(reader.problems)
    if data.get("format") != FORMAT:
        reader.problem("format", say("audit.file.format", found=json.dumps(data.get("format")),
                                     expected=str(FORMAT)))
        raise AuditFileError(reader.problems)
    run = _run(reader, data)
    review_data = reader.object(data, "review", optional=True)
    review = _review(reader, review_data) if review_data is not None else None
    _consequences(reader, data)
    if reader.problems:
        raise AuditFileError(reader.problems)
    return run, review


def _run(reader: _Reader, data: dict[str, Any]) -> AuditRun:
    run = reader.object(data, "run") or {}
    environment = reader.object(run, "environment", "run") or {}
    organizer = reader.take(run, "organizer", "run", lambda value: isinstance(value, dict)
                            and all(isinstance(item, str) for item in value.values()),
                            say("audit.file.kind.texts_by_name"))
    return AuditRun(
        date=_day(reader, reader.text(run, "date", "run"), "run.date"),
        site_title=reader.text(run, "site_title", "run") or "",
        language=reader.text(run, "language", "run") or "",
        base_url=reader.text(run, "base_url", "run") or "",
        organizer=dict(organizer or {}),
        environment=Environment(**{
            name: reader.text(environment, name, "run.environment") or ""
            for name in ("parole", "browser", "axe_core", "playwright", "platform")}),
        results=tuple(_page(reader, item, where)
                      for where, item in reader.objects(data, "pages")),
    )


def _day(reader: _Reader, text: str | None, where: str) -> str:
    if text is None:
        return ""
    try:
        date.fromisoformat(text)
    except ValueError:
        reader.problem(where, say("audit.file.not_a_day", value=text))
    return text


def _page(reader: _Reader, data: dict[str, Any], where: str) -> PageResult:
    page = AuditedPage(path=reader.text(data, "path", where) or "",
                       kind=reader.choice(data, "kind", where, KINDS) or "page",
                       label=reader.text(data, "label", where) or "")
    findings = []
    for place, group in reader.objects(data, "rules", where):
        rule_id = reader.text(group, "rule", place) or ""
        reader.choice(group, "severity", place, SEVERITIES)
        for name in ("wcag", "rgaa"):
            reader.texts(group, name, place)
        for name in ("rgaa_none", "summary", "fix"):
            reader.text(group, name, place)
        for spot, item in reader.objects(group, "findings", place):
            findings.append(Finding(
                rule=rule_id,
                condition=reader.choice(item, "condition", spot, CONDITIONS) or "default",
                selector=reader.text(item, "selector", spot) or "",
                html=reader.text(item, "html", spot) or "",
                message=reader.text(item, "message", spot) or "",
                impact=reader.choice(item, "impact", spot, IMPACTS, optional=True)))
    return PageResult(page=page, findings=tuple(findings),
                      applicable=frozenset(reader.texts(data, "applicable", where)),
                      present=frozenset(reader.texts(data, "present", where)),
                      failure=reader.text(data, "failure", where, optional=True),
                      seconds=reader.seconds(data, "seconds", where))


def _review(reader: _Reader, data: dict[str, Any]) -> Review:
    def items(key: str) -> tuple[ReviewItem, ...]:
        return tuple(ReviewItem(content=reader.text(item, "content", place) or "",
                                reason=reader.text(item, "reason", place) or "")
                     for place, item in reader.objects(data, key, "review"))

    return Review(
        auditor=reader.text(data, "auditor", "review") or "",
        date=_day(reader, reader.text(data, "date", "review"), "review.date"),
        criteria=tuple(ReviewedCriterion(
            number=reader.text(item, "criterion", place) or "",
            result=reader.choice(item, "result", place, RESULTS) or "compliant",
            pages=reader.texts(item, "pages", place),
            note=reader.text(item, "note", place) or "")
            for place, item in reader.objects(data, "criteria", "review")),
        derogations=items("derogations"), exemptions=items("exemptions"),
        source=reader.text(data, "source", "review") or "")


def _consequences(reader: _Reader, data: dict[str, Any]) -> None:
    """Check the kinds of what the run and review decide (totals, counts, criteria, rate,
    conformity), so that a file a tool edited by hand is refused rather than half trusted."""
    totals = reader.object(data, "totals") or {}
    for name in ("pages", "errors", "warnings", "pages_failed"):
        reader.whole(totals, name, "totals")
    counts = reader.object(data, "counts") or {}
    for name in STATUSES:
        reader.whole(counts, name, "counts")
    for place, item in reader.objects(data, "criteria"):
        reader.text(item, "number", place)
        reader.text(item, "title", place)
        reader.choice(item, "status", place, STATUSES)
        reader.choice(item, "source", place, SOURCES)
        reader.texts(item, "pages", place)
        reader.whole(item, "findings", place)
        reader.whole(item, "leads", place)
        reader.text(item, "note", place)
    rate = reader.object(data, "rate", optional=True)
    if rate is not None:
        reader.take(rate, "fraction", "rate", lambda value: isinstance(value, str)
                    and value.count("/") == 1 and value.replace("/", "").isdigit(),
                    say("audit.file.kind.fraction"))
        reader.take(rate, "percent", "rate", lambda value: _is_number(value)
                    and 0 <= value <= 100, say("audit.file.kind.percent"))
    reader.whole(data, "remaining")
    reader.choice(data, "conformity", "", CONFORMITIES)
