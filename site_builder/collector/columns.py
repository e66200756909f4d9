"""The questions of a form as the database remembers them, for ``export`` and ``stats``.

Organizers export answers long after the site was built, maybe from another machine: the
questions therefore come from the form versions stored with the answers
(``Storage.form_schemas``), never from the site's folder. Those manifests are read leniently,
keeping only what export and stats need (ids, types, labels, options): a manifest written by an
older parole must still let its answers out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from site_builder.errors import ParoleError
from site_builder.forms.model import Option
from site_builder.messages import say
from site_builder.storage.base import FormSchema, StoredAnswer

if TYPE_CHECKING:
    from site_builder.storage.entry import BatchProgress

COUNTED_TYPES = ("choice", "choices", "select", "scale")
"""Field types whose answers are counted per option by ``stats``."""


class AnswerReader(Protocol):
    """What export and stats read of a database: a part of ``Storage`` (which has it all), so
    that tests can count and export answers kept in memory."""

    def form_ids(self) -> list[str]: ...

    def form_schemas(self, form_id: str) -> list[FormSchema]: ...

    def answers(self, form_id: str, *, quarantined: bool = False) -> Iterator[StoredAnswer]: ...

    def batches(self, form_id: str | None = None) -> list[BatchProgress]: ...


class UnknownForm(ParoleError):  # noqa: N818 (the name the data commands' contract uses)
    """No answer and no stored version for this form id: a typo, or the wrong database."""

    def __init__(self, form_id: str, known: Sequence[str]) -> None:
        self.form_id = form_id
        self.known = tuple(known)
        listed = ", ".join(self.known) if self.known else say("collector.no_form_yet")
        super().__init__(say("collector.unknown_form", form=form_id, known=listed))


class SchemaError(ParoleError):
    """A stored form version whose manifest cannot be read at all."""


@dataclass(frozen=True)
class Question:
    """One question of a form, from the newest stored version that has it."""

    id: str
    type: str
    label: str
    options: tuple[Option, ...] = ()
    """The answers offered, in form order; for a scale, one per step (labelled with its number,
    or the words of its end)."""
    former_options: tuple[Option, ...] = ()
    """The answers only older versions offered, newest version first (their answers may hold
    them): the export labels them and gives them columns; ``stats`` counts them apart."""

    @property
    def every_option(self) -> tuple[Option, ...]:
        return self.options + self.former_options


@dataclass(frozen=True)
class FormQuestions:
    """What the stored versions of a form say about its questions."""

    form_id: str
    title: str | None
    """The newest version's title; None when no version is stored."""
    questions: tuple[Question, ...]
    """The newest version's questions in form order, then those only older versions had."""
    language: str | None = None
    """The newest version's language (``fr``); None when no version says."""
    time_zone: str | None = None
    """The consultation's time zone as the newest version's manifest names it (``Europe/Paris``);
    None when it names none (a manifest written before parole stored it)."""
    publish_consent: str | None = None
    """The consent question by which a person agrees to be quoted, as the newest version that
    has the key says (a manifest of format 5 or later); None when that version names none (the
    organizer withdrew it: nothing is quoted any more) or no version has the key."""

    @property
    def ids(self) -> list[str]:
        return [question.id for question in self.questions]


def check_known(storage: AnswerReader, form_id: str) -> None:
    """Raise ``UnknownForm`` unless the database has answers or a version of ``form_id``."""
    known = storage.form_ids()
    if form_id not in known:
        raise UnknownForm(form_id, known)


def form_questions(storage: AnswerReader, form_id: str) -> FormQuestions:
    """The questions of ``form_id``. With no stored version, the field ids found in its answers
    (quarantined ones aside), in order of first appearance, with no type and no options."""
    schemas = storage.form_schemas(form_id)
    if schemas:
        return merge_versions(form_id, schemas)
    return FormQuestions(form_id, None, tuple(
        Question(field_id, "", field_id) for field_id in _ids_in(storage.answers(form_id))
    ))


def merge_versions(form_id: str, schemas: Sequence[FormSchema]) -> FormQuestions:
    """Merge versions given oldest first (as ``form_schemas`` returns them): the newest one's
    questions, then, walking back in time, the questions each older version alone had."""
    questions: dict[str, Question] = {}
    newest: dict[str, str] = {}
    consent: list[str | None] = []
    """The newest version's ``publish_consent`` once a version with the key is seen."""
    for schema in reversed(schemas):
        data = _manifest_data(schema)
        for key in ("title", "language", "time_zone"):
            if key not in newest and isinstance(data.get(key), str):
                newest[key] = data[key]
        if not consent and "publish_consent" in data:
            found = data["publish_consent"]
            consent.append(found if isinstance(found, str) else None)
        for question in _questions(schema, data):
            known = questions.setdefault(question.id, question)
            if known is not question:
                questions[question.id] = _with_former_options(known, question.options)
    return FormQuestions(form_id, newest.get("title"), tuple(questions.values()),
                         newest.get("language"), newest.get("time_zone"),
                         consent[0] if consent else None)


def _with_former_options(question: Question, older: Sequence[Option]) -> Question:
    offered = {option.value for option in question.every_option}
    former = tuple(option for option in older if option.value not in offered)
    if not former:
        return question
    return replace(question, former_options=question.former_options + former)


def _ids_in(answers: Iterable[StoredAnswer]) -> list[str]:
    seen: dict[str, None] = {}
    for answer in answers:
        seen.update(dict.fromkeys(answer.values))
    return list(seen)


def _manifest_data(schema: FormSchema) -> dict[str, Any]:
    try:
        data = json.loads(schema.manifest)
    except json.JSONDecodeError as error:
        reason = say("collector.version_not_json", error=error.msg, line=error.lineno)
        raise _unreadable(schema, reason) from error
    if not isinstance(data, dict) or not isinstance(data.get("fields"), list):
        raise _unreadable(schema, say("collector.version_not_object"))
    return data


def _questions(schema: FormSchema, data: dict[str, Any]) -> list[Question]:
    questions = []
    for index, item in enumerate(data["fields"], 1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise _unreadable(schema, say("collector.version_field_without_id", index=index))
        kind, label = item.get("type"), item.get("label")
        kind = kind if isinstance(kind, str) else ""
        label = label if isinstance(label, str) else item["id"]
        questions.append(Question(item["id"], kind, label, _options(kind, item)))
    return questions


def _options(kind: str, item: dict[str, Any]) -> tuple[Option, ...]:
    if kind == "scale":
        return _scale_steps(item)
    options = item.get("options")
    if not isinstance(options, list):
        return ()
    return tuple(
        Option(str(option["value"]), str(option.get("label", option["value"])))
        for option in options
        if isinstance(option, dict) and "value" in option
    )


def _scale_steps(item: dict[str, Any]) -> tuple[Option, ...]:
    """A scale submits its step numbers; the ends carry their words when the form has them."""
    low, high = item.get("min"), item.get("max")
    if not isinstance(low, int | float) or not isinstance(high, int | float):
        return ()
    steps = [str(step) for step in range(int(low), int(high) + 1)]
    labels = dict(zip(steps, steps, strict=True))
    if steps and isinstance(item.get("min_label"), str):
        labels[steps[0]] = item["min_label"]
    if steps and isinstance(item.get("max_label"), str):
        labels[steps[-1]] = item["max_label"]
    return tuple(Option(step, labels[step]) for step in steps)


def _unreadable(schema: FormSchema, reason: str) -> SchemaError:
    return SchemaError(say("collector.unreadable_version", version=schema.version,
                           form=schema.form_id, reason=reason))
