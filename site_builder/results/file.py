"""The results file: one form's results as ``parole results`` writes them into the docs folder
(``<docs>/parole-results/<form id>.json``) and ``parole build`` reads them back.

It holds aggregates only, already protected (``protect``): counts per channel, per day, per
option of every closed question, the moderation figures of every free-text question, and the
quotes a moderator approved from answers whose author agreed to be quoted. No receipt code, no
email, no other free text. The format is documented in docs/results.md; reading is strict, and a
file that is not what ``parole results`` writes is refused with its path, the key at fault and
what to do (usually: run ``parole results`` again), never half read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from site_builder.errors import Problem
from site_builder.messages import say
from site_builder.results.labels import ResultWords, read_words, words_data
from site_builder.results.protect import HIDDEN, SMALL, Count
from site_builder.safe_files import replace_file

FORMAT = 1
FOLDER = "parole-results"
"""Results files live in ``<docs>/<FOLDER>/<form id>.json`` (read by the build, not published
as they are: the open data is their published form)."""
COUNTED_TYPES = ("choice", "choices", "select", "scale")
"""The closed questions: their answers are counted per option."""
FREE_TEXT_TYPES = ("text", "textarea")
"""The questions whose answers may be quoted (never ``email``, never ``number``)."""


@dataclass(frozen=True)
class OptionResult:
    value: str
    """What the form submits for it."""
    label: str | None
    """What the newest version of the form shows; None for a value it no longer offers."""
    count: Count


@dataclass(frozen=True)
class QuestionResult:
    """A closed question: how many answers chose each option, and how many did not answer it.
    ``skipped`` + ``blank`` + ``spoiled`` + those who chose an option = every answer (a
    ``choices`` question's options may add up to more: one answer may tick several)."""

    id: str
    label: str
    type: str
    """One of ``COUNTED_TYPES``."""
    options: tuple[OptionResult, ...]
    """In form order, never chosen ones included, then values older versions offered."""
    skipped: Count
    """Answers (online, assisted, or to an older version of the form) that left it out."""
    blank: Count
    """Paper sheets that left it blank."""
    spoiled: Count
    """Paper sheets whose answer to it could not be read or counted."""

    @property
    def multiple(self) -> bool:
        return self.type == "choices"


@dataclass(frozen=True)
class FreeTextResult:
    """A free-text question's moderation figures. ``answered`` (exact) = ``consented`` +
    ``not_consented``; ``consented`` = ``approved`` + every ``rejected`` + ``to_moderate``
    (each level protected on its own)."""

    id: str
    label: str
    answered: int
    """Answers with text for it."""
    consented: Count
    """Of those, answers whose author agreed to be quoted."""
    not_consented: Count
    approved: Count
    rejected: dict[str, Count]
    """Reason → how many: ``moderation.REJECT_REASONS`` in that order (0 included), then
    ``other`` for the reasons a moderator wrote (never published in their words)."""
    to_moderate: Count
    """Consented answers no moderator has decided on yet (or whose text changed since)."""


@dataclass(frozen=True)
class Quote:
    """An approved answer, as published: redacted spans already replaced by "[…]"."""

    question: str
    """The id of the free-text question it answers."""
    text: str
    theme: str | None = None
    """A theme chosen during moderation ("Stationnement"), to group quotes by."""


@dataclass(frozen=True)
class ResultsFile:
    form_id: str
    title: str | None
    computed_at: datetime
    """When ``parole results`` read the answers (UTC)."""
    min_count: int
    """The ``results.min_count`` the counts were protected with."""
    answers: int
    """Every counted answer, whatever its channel (pending and quarantined ones are not)."""
    per_channel: dict[str, Count]
    """``storage.base.CHANNELS`` in order (0 included), then any other channel stored."""
    per_day: dict[date, Count]
    """Every day from the form's opening (or its first answer) to its closing (or its last
    answer), in order, days without answers included. A paper answer counts on the day its
    sheets were collected, not the day they were typed in."""
    questions: tuple[QuestionResult, ...] = ()
    free_text: tuple[FreeTextResult, ...] = ()
    quotes: tuple[Quote, ...] = ()
    publish_consent: str | None = None
    """The form's consent question (``publish_consent``); None: no answer is ever quoted."""
    closes: date | None = None
    """The form's last day of answers, as its newest version says (its own ``closes``, else the
    consultation's): the results page shows the figures only once it is over."""
    translations: tuple[ResultWords, ...] = ()
    """The titles and labels in the form's other languages (``labels``), for the results page
    in each; counts are shared."""
    path: str = field(default="", compare=False)
    """Where it was read from, for messages ("" when made in memory)."""


def results_path(docs_dir: Path, form_id: str) -> Path:
    return docs_dir / FOLDER / f"{form_id}.json"


# --- writing -----------------------------------------------------------------------------------

def results_data(results: ResultsFile) -> dict[str, Any]:
    """The file's JSON-ready data, keys in the documented order."""
    return {
        "format": FORMAT,
        "form": results.form_id,
        "title": results.title,
        "computed_at": results.computed_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "min_count": results.min_count,
        "answers": results.answers,
        "per_channel": dict(results.per_channel),
        "per_day": {day.isoformat(): count for day, count in results.per_day.items()},
        "questions": [
            {"id": question.id, "label": question.label, "type": question.type,
             "options": [{"value": option.value, "label": option.label, "count": option.count}
                         for option in question.options],
             "skipped": question.skipped, "blank": question.blank, "spoiled": question.spoiled}
            for question in results.questions
        ],
        "free_text": [
            {"id": text.id, "label": text.label, "answered": text.answered,
             "consented": text.consented, "not_consented": text.not_consented,
             "approved": text.approved, "rejected": dict(text.rejected),
             "to_moderate": text.to_moderate}
            for text in results.free_text
        ],
        "quotes": [{"question": quote.question, "text": quote.text, "theme": quote.theme}
                   for quote in results.quotes],
        "publish_consent": results.publish_consent,
        "closes": results.closes.isoformat() if results.closes else None,
        **({"translations": words_data(results.translations)} if results.translations else {}),
    }


def write_results(results: ResultsFile, docs_dir: Path) -> Path:
    """Write ``results`` beside the other results files, replacing the form's last one at once:
    a build reading meanwhile, a crash or a power cut leave the old file or the new one, never
    half of one (``safe_files.replace_file``: the partial name starts with a dot, which MkDocs
    never publishes, and does not end in ``.json``, which the build never reads)."""
    path = results_path(docs_dir, results.form_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, json.dumps(results_data(results), ensure_ascii=False, indent=2) + "\n")
    return path



# --- reading -----------------------------------------------------------------------------------

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
    if data.get("format") != FORMAT:
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
        path=shown,
    )


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
