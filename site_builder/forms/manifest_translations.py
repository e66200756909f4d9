"""A form's translations in its manifest (format 6): written by the build, read back by the
collector, which shows the form again (errors, closed notice, receipt) in the language of the
page an answer came from.

```json
"translations": {
  "ar": {"title": "…", "intro_html": "<p>…</p>", "submit": "…",
         "fields": {"frequence": {"label": "…", "label_html": "…", "hint": null,
                                  "min_label": null, "max_label": null,
                                  "options": {"jour": "…", "semaine": "…"}}},
         "borrowed": ["frequence/hint", "frequence/options/jour"]}
}
```

Every translation is complete (the build refuses or fills a missing string): it names every
question of the form and every option of each, and nothing else. ``borrowed``, written only
when the build filled strings with the form's own (``translation_fallback``), lists them
(``Translation.borrowed``): shown again by the collector, each still says its language. Links
in ``intro_html`` and consent labels are relative to that language's page (``page_urls``).
Reading is as strict as the rest of the manifest: anything else raises ``ValueError`` with the
reason, which ``manifest`` reports with the file.
"""

from __future__ import annotations

from typing import Any

from site_builder.forms.model import FieldWords, Form, Translation
from site_builder.forms.translations import LANGUAGE_CODE, word_paths
from site_builder.messages import say

TRANSLATION_KEYS = ("title", "intro_html", "submit", "fields")
BORROWED = "borrowed"
"""The optional key of a translation's borrowed strings (absent: none, as before it existed)."""
WORD_KEYS = ("label", "label_html", "hint", "min_label", "max_label", "options")


def translations_data(form: Form) -> dict[str, Any]:
    """``form.translations`` as JSON-ready data, questions and options in the form's order."""
    return {
        words.language: {
            "title": words.title,
            "intro_html": words.intro_html,
            "submit": words.submit,
            "fields": {
                field_id: {"label": field.label, "label_html": field.label_html,
                           "hint": field.hint, "min_label": field.min_label,
                           "max_label": field.max_label, "options": dict(field.options)}
                for field_id, field in words.fields
            },
            **({BORROWED: sorted(words.borrowed)} if words.borrowed else {}),
        }
        for words in form.translations
    }


def read_translations(data: dict[Any, Any], form: Form) -> tuple[Translation, ...]:
    """The translations of ``form`` in ``data`` (the manifest's ``translations``); raises
    ``ValueError`` when they are not what the build writes."""
    translations = []
    for language, words in data.items():
        if not isinstance(language, str) or not LANGUAGE_CODE.match(language) \
                or language == form.language:
            raise ValueError(say("manifest.translation.language", language=language))
        translations.append(_translation(language, words, form))
    return tuple(translations)


def _translation(language: str, data: object, form: Form) -> Translation:
    def wrong(where: str) -> ValueError:
        return ValueError(say("manifest.translation.wrong", language=language, where=where))

    if not isinstance(data, dict) or set(data) - {BORROWED} != set(TRANSLATION_KEYS):
        raise wrong(say("manifest.where.manifest"))
    borrowed = data.get(BORROWED, [])
    paths = {"title", "intro", "submit", *(path for field in form.fields
                                           for path in word_paths(field))}
    if not isinstance(borrowed, list) or not all(
            isinstance(path, str) and path in paths for path in borrowed):
        raise wrong(BORROWED)
    if not isinstance(data["title"], str) or not _text_or_none(data["intro_html"]) \
            or not _text_or_none(data["submit"]):
        raise wrong(say("manifest.where.manifest"))
    fields = data["fields"]
    if not isinstance(fields, dict) or set(fields) != {field.id for field in form.fields}:
        raise wrong("fields")
    words = []
    for field in form.fields:
        item = fields[field.id]
        where = say("manifest.where.field", id=field.id)
        if not isinstance(item, dict) or set(item) != set(WORD_KEYS):
            raise wrong(where)
        if not all(isinstance(item[key], str) for key in ("label", "label_html")) or not all(
                _text_or_none(item[key]) for key in ("hint", "min_label", "max_label")):
            raise wrong(where)
        options = item["options"]
        if not isinstance(options, dict) \
                or list(options) != [option.value for option in field.options] \
                or not all(isinstance(label, str) for label in options.values()):
            raise wrong(where)
        words.append((field.id, FieldWords(
            label=item["label"], label_html=item["label_html"], hint=item["hint"],
            min_label=item["min_label"], max_label=item["max_label"],
            options=tuple(options.items()))))
    return Translation(language=language, title=data["title"], intro_html=data["intro_html"],
                       submit=data["submit"], fields=tuple(words), borrowed=frozenset(borrowed))


def _text_or_none(value: object) -> bool:
    return value is None or isinstance(value, str)
