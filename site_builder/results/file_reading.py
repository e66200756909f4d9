"""Reading a results file back (``parole build``, ``parole log audit --results``): strict, every
problem noted with its key path (``questions[2].options[1].count``), the file's path and what to
do (usually: run ``parole results`` again), never half read. A format 1 file (before the answer
log) is read as computed without a checkpoint.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from site_builder.errors import Problem
from site_builder.messages import say
from site_builder.results.labels import read_words
from site_builder.results.model import (
    COUNTED_TYPES,
    FOLDER,
    FORMAT,
    READABLE_FORMATS,
    CountedCheckpoint,
    FreeTextResult,
    OptionResult,
    QuestionResult,
    Quote,
    ResultsFile,
)
from site_builder.results.protect import HIDDEN, SMALL, Count


class _Reader:
    """Reads one file's data, noting every problem with its key path instead of stopping
    (positions in lists count from 1, as in every parole message: ``questions[1]``)."""

    def __init__(self, shown_path: str) -> None:
        self.path = shown_path
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(message=message, fix=say("results.file.fix"),
                                     file=self.path, field=where))

    def take(self, data: Mapping[str, Any], key: str, where: str,
             check: Callable[[Any], bool], kind: str) -> Any:
        place = f"{where}.{key}" if where else key
        if key not in data:
            self.problem(place, say("results.file.missing", key=place))
            return None
        value = data[key]
        if not check(value):
            self.problem(place, say("results.file.wrong_kind", key=place, kind=kind,
                                    value=json.dumps(value, ensure_ascii=False)[:60]))
            return None
        return value

    def text(self, data: Mapping[str, Any], key: str, where: str = "", *,
             optional: bool = False) -> Any:
        kind = say("results.file.kind.text_or_null" if optional else "results.file.kind.text")
        return self.take(data, key, where,
                         lambda value: isinstance(value, str) or (optional and value is None),
                         kind)

    def number(self, data: Mapping[str, Any], key: str, where: str = "") -> Any:
        return self.take(data, key, where, _is_whole, say("results.file.kind.number"))

    def count(self, data: Mapping[str, Any], key: str, where: str = "") -> Any:
        return self.take(data, key, where, _is_count, say("results.file.kind.count"))

    def items(self, data: Mapping[str, Any], key: str, where: str = "") -> list[Any]:
        found = self.take(data, key, where, lambda value: isinstance(value, list),
                          say("results.file.kind.list"))
        return found if found is not None else []

    def counts(self, data: Mapping[str, Any], key: str, where: str = "") -> dict[str, Count]:
        found = self.take(data, key, where,
                          lambda value: isinstance(value, dict)
                          and all(_is_count(count) for count in value.values()),
                          say("results.file.kind.counts"))
        return dict(found) if found is not None else {}


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_count(value: Any) -> bool:
    return _is_whole(value) or value in (SMALL, HIDDEN)


def read_results(path: Path, shown_path: str | None = None) -> tuple[ResultsFile | None,
                                                                       list[Problem]]:
    """The results file at ``path``, or None with every problem found (``shown_path`` is how
    messages name the file, ``parole-results/avis.json`` rather than an absolute path)."""
    shown = shown_path or str(path)
    reader = _Reader(shown)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        reader.problem("", say("results.file.unreadable", error=str(error)))
        return None, reader.problems
    if not isinstance(data, dict):
        reader.problem("", say("results.file.not_object"))
        return None, reader.problems
    if data.get("format") not in READABLE_FORMATS:
        reader.problem("format", say("results.file.format", found=str(data.get("format")),
                                     expected=str(FORMAT)))
        return None, reader.problems
    results = _results(reader, data, shown)
    if reader.problems:
        return None, reader.problems
    if results.form_id != path.stem:
        reader.problem("form", say("results.file.wrong_name", form=results.form_id,
                                   name=path.name))
        return None, reader.problems
    return results, []


def _results(reader: _Reader, data: dict[str, Any], shown: str) -> ResultsFile:
    computed_at = _moment(reader, reader.text(data, "computed_at"))
    per_day = {}
    for day, count in reader.counts(data, "per_day").items():
        try:
            per_day[date.fromisoformat(day)] = count
        except ValueError:
            reader.problem(f"per_day.{day}", say("results.file.not_a_day", value=day))
    return ResultsFile(
        form_id=reader.text(data, "form") or "",
        title=reader.text(data, "title", optional=True),
        computed_at=computed_at,
        min_count=reader.number(data, "min_count") or 0,
        answers=reader.number(data, "answers") or 0,
        per_channel=reader.counts(data, "per_channel"),
        per_day=per_day,
        questions=tuple(_question(reader, item, where)
                        for where, item in _objects(reader, data, "questions")),
        free_text=tuple(_free_text(reader, item, where)
                        for where, item in _objects(reader, data, "free_text")),
        quotes=tuple(_quote(reader, item, where)
                     for where, item in _objects(reader, data, "quotes")),
        publish_consent=reader.text(data, "publish_consent", optional=True),
        closes=_day(reader, reader.text(data, "closes", optional=True), "closes"),
        translations=read_words(data, reader.problem),
        checkpoint=_checkpoint(reader, data) if data["format"] >= 2 else None,
        path=shown,
    )


def _checkpoint(reader: _Reader, data: dict[str, Any]) -> CountedCheckpoint | None:
    """``checkpoint``: null (computed without one), or the log's origin, size and root."""
    found = reader.take(data, "checkpoint", "", lambda value: value is None
                        or isinstance(value, dict), say("results.file.kind.object_or_null"))
    if found is None:
        return None
    root = reader.take(found, "root", "checkpoint", _is_root, say("results.file.kind.root"))
    return CountedCheckpoint(origin=reader.text(found, "origin", "checkpoint") or "",
                             size=reader.number(found, "size", "checkpoint") or 0,
                             root=bytes.fromhex(root) if root is not None else b"")


def _is_root(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(
        character in "0123456789abcdef" for character in value)


def _day(reader: _Reader, text: str | None, where: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        reader.problem(where, say("results.file.not_a_day", value=text))
        return None


def _moment(reader: _Reader, text: str | None) -> datetime:
    if text is not None:
        try:
            moment = datetime.fromisoformat(text)
            if moment.tzinfo is not None:
                return moment.astimezone(UTC)
        except ValueError:
            pass
        reader.problem("computed_at", say("results.file.not_a_moment", value=text))
    return datetime.fromtimestamp(0, UTC)


def _objects(reader: _Reader, data: Mapping[str, Any], key: str,
             where: str = "") -> list[tuple[str, dict[str, Any]]]:
    """The objects listed under ``key``, each with its place (``questions[2]``); anything else
    in the list is one problem, and is not read further."""
    found = []
    for index, item in enumerate(reader.items(data, key, where), 1):
        place = f"{where}.{key}[{index}]" if where else f"{key}[{index}]"
        if isinstance(item, dict):
            found.append((place, item))
        else:
            reader.problem(place, say("results.file.wrong_kind", key=place,
                                      kind=say("results.file.kind.object"),
                                      value=json.dumps(item, ensure_ascii=False)[:60]))
    return found


def _question(reader: _Reader, data: dict[str, Any], where: str) -> QuestionResult:
    kind = reader.text(data, "type", where)
    if isinstance(kind, str) and kind not in COUNTED_TYPES:
        reader.problem(f"{where}.type", say("results.file.question_type", type=kind,
                                            types=", ".join(COUNTED_TYPES)))
    options = [OptionResult(reader.text(option, "value", place) or "",
                            reader.text(option, "label", place, optional=True),
                            reader.count(option, "count", place) or 0)
               for place, option in _objects(reader, data, "options", where)]
    return QuestionResult(
        id=reader.text(data, "id", where) or "", label=reader.text(data, "label", where) or "",
        type=kind or "", options=tuple(options),
        skipped=reader.count(data, "skipped", where) or 0,
        blank=reader.count(data, "blank", where) or 0,
        spoiled=reader.count(data, "spoiled", where) or 0)


def _free_text(reader: _Reader, data: dict[str, Any], where: str) -> FreeTextResult:
    return FreeTextResult(
        id=reader.text(data, "id", where) or "", label=reader.text(data, "label", where) or "",
        answered=reader.number(data, "answered", where) or 0,
        consented=reader.count(data, "consented", where) or 0,
        not_consented=reader.count(data, "not_consented", where) or 0,
        approved=reader.count(data, "approved", where) or 0,
        rejected=reader.counts(data, "rejected", where),
        to_moderate=reader.count(data, "to_moderate", where) or 0)


def _quote(reader: _Reader, data: dict[str, Any], where: str) -> Quote:
    return Quote(reader.text(data, "question", where) or "", reader.text(data, "text", where) or "",
                 reader.text(data, "theme", where, optional=True))


def load_results_folder(docs_dir: Path) -> tuple[dict[str, ResultsFile], list[Problem]]:
    """Every results file of the docs folder, by form id, with the problems of those that
    cannot be read (each named from the docs folder)."""
    found: dict[str, ResultsFile] = {}
    problems: list[Problem] = []
    for path in sorted((docs_dir / FOLDER).glob("*.json")):
        results, wrong = read_results(path, f"{FOLDER}/{path.name}")
        problems += wrong
        if results is not None:
            found[results.form_id] = results
    return found, problems
