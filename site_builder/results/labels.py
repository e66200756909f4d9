"""The words of a results file in the form's other languages (issue #18): the results page in
Arabic names the questions and options as the Arabic form did.

``parole results`` copies them from the newest stored version's manifest (its
``translations``, format 6) into the results file's ``translations`` key:

```json
"translations": {"ar": {"title": "…", "questions": {"frequence": {"label": "…",
                                                                  "options": {"jour": "…"}}}}}
```

Only words: counts are the same in every language, since answers from every language's page are
answers to one form. The key is optional (a file written before it, or a form in one language,
has none), and read leniently apart from its kinds: a label it lacks is the form's own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from site_builder.messages import say


@dataclass(frozen=True)
class QuestionWords:
    label: str
    options: tuple[tuple[str, str], ...] = ()
    """(value, label) of its options in that language."""


@dataclass(frozen=True)
class ResultWords:
    """The results file's words in one language."""

    language: str
    title: str | None
    questions: tuple[tuple[str, QuestionWords], ...]

    def question(self, question_id: str) -> QuestionWords | None:
        return next((words for name, words in self.questions if name == question_id), None)


class _Schema(Protocol):
    """A stored form version (``storage.base.FormSchema``): its manifest's JSON."""

    @property
    def manifest(self) -> str: ...


def words_from_manifests(schemas: Sequence[_Schema]) -> tuple[ResultWords, ...]:
    """The translations of the newest stored version (``schemas`` oldest first), or ()."""
    if not schemas:
        return ()
    try:
        data: Any = json.loads(schemas[-1].manifest)
    except json.JSONDecodeError:
        return ()
    translations = data.get("translations") if isinstance(data, dict) else None
    if not isinstance(translations, dict):
        return ()
    found = []
    for language, words in translations.items():
        if not isinstance(language, str) or not isinstance(words, dict):
            continue
        fields = words.get("fields")
        stored = fields.items() if isinstance(fields, dict) else ()
        questions = tuple((field_id, question) for field_id, field in stored
                          if (question := _stored_words(field)) is not None)
        title = words.get("title")
        found.append(ResultWords(language, title if isinstance(title, str) else None,
                                 questions))
    return tuple(found)


def words_data(words: Sequence[ResultWords]) -> dict[str, Any]:
    """The file's ``translations``, JSON-ready."""
    return {
        language.language: {
            "title": language.title,
            "questions": {question_id: {"label": question.label,
                                        "options": dict(question.options)}
                          for question_id, question in language.questions},
        }
        for language in words
    }


def read_words(data: Mapping[str, Any], problem: Any) -> tuple[ResultWords, ...]:
    """The file's ``translations`` (none when absent); ``problem(where, message)`` is told of
    a value of the wrong kind."""
    translations = data.get("translations", {})
    if not isinstance(translations, dict):
        problem("translations", say("results.file.translations"))
        return ()
    found = []
    for language, words in translations.items():
        where = f"translations.{language}"
        questions = words.get("questions") if isinstance(words, dict) else None
        title = words.get("title") if isinstance(words, dict) else None
        if not isinstance(questions, dict) or not (title is None or isinstance(title, str)) \
                or not all(_question_words(item) for item in questions.values()):
            problem(where, say("results.file.translations"))
            continue
        found.append(ResultWords(language, title, tuple(
            (question_id, QuestionWords(item["label"], tuple(item["options"].items())))
            for question_id, item in questions.items())))
    return tuple(found)


def _question_words(item: object) -> bool:
    return (isinstance(item, dict) and set(item) == {"label", "options"}
            and isinstance(item["label"], str) and isinstance(item["options"], dict)
            and all(isinstance(label, str) for label in item["options"].values()))


def in_language(results: Any, language: str) -> Any:
    """``results`` (a ``ResultsFile``) with its title, question and option labels in
    ``language`` where its translations have them; as it is otherwise."""
    words = next((found for found in results.translations if found.language == language), None)
    if words is None:
        return results
    questions = []
    for question in results.questions:
        translated = words.question(question.id)
        if translated is None:
            questions.append(question)
            continue
        labels = dict(translated.options)
        questions.append(replace(question, label=translated.label, options=tuple(
            replace(option, label=labels.get(option.value, option.label))
            if option.label is not None else option
            for option in question.options)))
    free_text = []
    for text in results.free_text:
        translated = words.question(text.id)
        free_text.append(replace(text, label=translated.label) if translated else text)
    return replace(results, title=words.title or results.title, questions=tuple(questions),
                   free_text=tuple(free_text))


def _stored_words(field: object) -> QuestionWords | None:
    """A manifest translation's question (label and options), None when it has no label."""
    if not isinstance(field, dict) or not isinstance(field.get("label"), str):
        return None
    options = field.get("options")
    pairs = options.items() if isinstance(options, dict) else ()
    return QuestionWords(field["label"], tuple(
        (value, label) for value, label in pairs
        if isinstance(value, str) and isinstance(label, str)))
