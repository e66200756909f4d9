"""A form's ``translations:`` block: its words in other languages, keyed by language, questions
by id, options by value.

```yaml
translations:
  ar:
    title: …
    intro: …
    submit: …
    fields:
      frequence: {label: …, hint: …, options: {jour: …, semaine: …}}
      ombre: {label: …, min_label: …, max_label: …}
```

Only words are translated: ids, types, option values and limits stay the form's own, so an
answer from every language's page is an answer to one form (``Form.version`` ignores
translations). A translation must say everything the form says (its title, its intro and
button when the form has them, each question's label, hint, option labels and scale ends): a
missing string is a problem located like the parser's others (file, line, ``avis-place/
translations/ar/fields/frequence``), naming the form, the question and the language. With
``translation_fallback: true`` in the form it is a warning instead, and the form's own string is
shown until the translation is written. A translation saying what the form does not (a hint on a
question without one) is an error either way: the two languages would ask different things.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from dataclasses import field as attribute
from typing import Any

from site_builder.errors import Problem
from site_builder.forms import markup
from site_builder.forms.markup import LinkResolver
from site_builder.forms.model import COMMON_KEYS, TYPE_KEYS, Field, FieldWords, Form, Translation
from site_builder.forms.node import Node, Report, kind_of
from site_builder.forms.type_keys import join
from site_builder.messages import say

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
"""A base language code (``ar``, ``en``): pages are in base languages (``page_language``)."""
TRANSLATION_KEYS = ("title", "intro", "submit", "fields")
WORD_KEYS: dict[str, tuple[str, ...]] = {
    "choice": ("options",), "choices": ("options",), "select": ("options",),
    "scale": ("min_label", "max_label"),
}
"""The words of each type besides ``label`` and ``hint``."""
ALL_WORD_KEYS = ("label", "hint", "options", "min_label", "max_label")
QUESTION_KEYS = frozenset([*COMMON_KEYS, *(key for keys in TYPE_KEYS.values() for key in keys)])
"""Every key of a question: those that are not words stay the question's own."""


@dataclass
class _Reader:
    """One form's translations being read: where problems and warnings go."""

    form: Form
    resolve_link: LinkResolver | None
    warnings: list[Problem]
    borrowed: set[str] = attribute(default_factory=set)
    """The paths of the strings the translation being read lacks (``Translation.borrowed``)."""

    def gap(self, node: Node, key: str | None, message: str, language: str,
            paths: Iterable[str] = ()) -> None:
        """A string the translation lacks (at ``paths``): an error, or with
        ``translation_fallback`` a warning (the form's own string is shown)."""
        self.borrowed.update(paths)
        if self.form.translation_fallback:
            target = Node(node.data, node.path, node.what,
                          Report(node.report.file, node.report.line, self.warnings))
            target.problem(key if key in node.data else None, message,
                           say("forms.translation.fallback", language=self.form.language))
        else:
            node.problem(key if key in node.data else None, message,
                         say("forms.translation.missing.fix", language=language,
                             own=self.form.language))

    def string(self, node: Node, key: str, own: str | None, where: str, language: str, *,
               path: str | None = None) -> str | None:
        """The translated ``key`` (at ``path``, ``key`` by default): the form's own string when
        it is missing (after saying so), None when the form has no such string."""
        if own is None:
            if node.given(key):
                node.problem(key, say("forms.translation.extra", key=key, where=where,
                                      language=self.form.language),
                             say("forms.translation.extra.fix", key=key,
                                 language=self.form.language))
            return None
        if not node.given(key):
            self.gap(node, key, say("forms.translation.missing", form=self.form.id,
                                    where=where, language=language, key=key), language,
                     [path or key])
            return own
        return node.text(key) or own


def parse_translations(
    form_node: Node, form: Form, resolve_link: LinkResolver | None, warnings: list[Problem]
) -> tuple[Translation, ...]:
    """The translations of ``form`` (parsed from ``form_node``, whose ``translations`` key
    holds them). Problems go to the node's report (the form is then not built), missing strings
    of a form with ``translation_fallback`` to ``warnings``."""
    if not form_node.given("translations"):
        return ()
    data = form_node.data["translations"]
    if not isinstance(data, Mapping) or not data:
        form_node.problem("translations", say("forms.translation.not_mapping",
                                              kind=kind_of(data)),
                          say("forms.translation.not_mapping.fix"))
        return ()
    node = Node(data, f"{form_node.path}/translations", say("forms.what.translations"),
                form_node.report)
    valid = tuple(key for key in data if isinstance(key, str) and LANGUAGE_CODE.match(key)
                  and key != form.language)
    node.check_keys(valid, lambda key: _bad_language(key, form.language))
    reader = _Reader(form, resolve_link, warnings)
    return tuple(words for language in valid
                 if (words := _translation(reader, node, language)) is not None)


def _bad_language(key: str, own: str) -> tuple[str, str]:
    if key == own:
        return (say("forms.translation.own_language", language=own),
                say("forms.translation.own_language.fix", language=own))
    return (say("forms.translation.bad_language", key=key),
            say("forms.translation.bad_language.fix"))


def _translation(reader: _Reader, parent: Node, language: str) -> Translation | None:
    data = parent.data[language]
    form = reader.form
    if not isinstance(data, Mapping):
        parent.problem(language, say("forms.translation.language_not_mapping",
                                     language=language, kind=kind_of(data)),
                       say("forms.translation.language_not_mapping.fix", language=language))
        return None
    node = Node(data, f"{parent.path}/{language}",
                say("forms.what.translation", language=language), parent.report)
    node.check_keys(TRANSLATION_KEYS, lambda _key: None)
    reader.borrowed = set()
    the_form = say("forms.what.form")
    title = reader.string(node, "title", form.title, the_form, language) or form.title
    intro = reader.string(node, "intro", form.intro if form.intro_html else None, the_form,
                          language)
    submit = reader.string(node, "submit", form.submit, the_form, language)
    intro_html = None
    if intro is not None:
        intro_html = (form.intro_html if intro == form.intro
                      else markup.block_html(intro, reader.resolve_link))
    fields = _fields(reader, node, language)
    return Translation(language=language, title=title, intro=intro, intro_html=intro_html,
                       submit=submit, fields=fields, borrowed=frozenset(reader.borrowed))


def _fields(reader: _Reader, node: Node, language: str) -> tuple[tuple[str, FieldWords], ...]:
    form = reader.form
    data: Mapping[Any, Any] = {}
    if node.given("fields"):
        if isinstance(node.data["fields"], Mapping):
            data = node.data["fields"]
        else:
            node.problem("fields", say("forms.translation.fields_not_mapping",
                                       kind=kind_of(node.data["fields"])),
                         say("forms.translation.fields_not_mapping.fix",
                             example="frequence: {label: …}"))
    table = Node(data, f"{node.path}/fields", node.what, node.report) if data else node
    ids = [field.id for field in form.fields]
    known = tuple(key for key in data if key in ids)
    table.check_keys(known, lambda key: _unknown(
        key, ids, say("forms.translation.unknown_question", key=key)))
    words = []
    for field in form.fields:
        if field.id in known:
            words.append((field.id, _field_words(reader, table, field, language)))
        else:
            reader.gap(table, None, say("forms.translation.missing_question", form=form.id,
                                        id=field.id, language=language), language,
                       word_paths(field))
            words.append((field.id, FieldWords.of(field)))
    return tuple(words)


def option_path(field_id: str, value: str) -> str:
    """The path of an option's label in ``Translation.borrowed``."""
    return f"{field_id}/options/{value}"


def word_paths(field: Field) -> list[str]:
    """The path of every string of ``field`` a translation says (``Translation.borrowed``)."""
    keys = ["label", *(key for key in ("hint", "min_label", "max_label")
                       if getattr(field, key) is not None)]
    return ([f"{field.id}/{key}" for key in keys]
            + [option_path(field.id, option.value) for option in field.options])


def _unknown(key: str, known: list[str], message: str) -> tuple[str, str]:
    guess = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    names = join([repr(name) for name in known]) if known else "-"
    return (message,
            say("forms.translation.unknown.fix_guess", guess=guess[0], known=names) if guess
            else say("forms.translation.unknown.fix", known=names))


def _field_words(reader: _Reader, table: Node, field: Field, language: str) -> FieldWords:
    data = table.data[field.id]
    if not isinstance(data, Mapping):
        table.problem(field.id, say("forms.translation.question_not_mapping", id=field.id,
                                    kind=kind_of(data)),
                      say("forms.translation.question_not_mapping.fix"))
        return FieldWords.of(field)
    node = Node(data, f"{table.path}/{field.id}",
                say("forms.what.question", id=field.id), table.report)
    allowed = ("label", "hint", *WORD_KEYS.get(field.type, ()))
    node.check_keys(allowed, lambda key: _not_words(key, field.type))
    where = say("forms.what.question", id=field.id)
    label = reader.string(node, "label", field.label, where, language,
                          path=f"{field.id}/label") or field.label
    label_html = field.label_html
    if label != field.label:
        if field.type == "consent":
            inline = markup.inline_html(label, reader.resolve_link)
            if inline is None:
                node.problem("label", say("forms.consent_paragraphs"),
                             say("forms.consent_paragraphs.fix"))
            label_html = inline or field.label_html
        else:
            label_html = html.escape(label, quote=False)
    scale = field.type == "scale"  # another type's min_label is reported by check_keys
    return FieldWords(
        label=label, label_html=label_html,
        hint=reader.string(node, "hint", field.hint, where, language,
                           path=f"{field.id}/hint"),
        min_label=reader.string(node, "min_label", field.min_label, where, language,
                                path=f"{field.id}/min_label") if scale else None,
        max_label=reader.string(node, "max_label", field.max_label, where, language,
                                path=f"{field.id}/max_label") if scale else None,
        options=_options(reader, node, field, language),
    )


def _not_words(key: str, field_type: str) -> tuple[str, str] | None:
    """Why a key parole knows is wrong in a question's translation (None: a typo, for which
    ``check_keys`` suggests the nearest key)."""
    if key in ALL_WORD_KEYS:
        return (say("forms.key_of_other_type", key=key, type=field_type),
                say("forms.translation.key_of_other_type.fix", key=key))
    if key in QUESTION_KEYS:
        return (say("forms.translation.not_words", key=key),
                say("forms.translation.not_words.fix", key=key))
    return None


def _options(reader: _Reader, node: Node, field: Field, language: str
             ) -> tuple[tuple[str, str], ...]:
    if field.type not in ("choice", "choices", "select"):
        return ()
    own = tuple((option.value, option.label) for option in field.options)
    data: Mapping[Any, Any] = node.data.get("options") or {}
    if node.given("options") and not isinstance(data, Mapping):
        node.problem("options", say("forms.translation.options_not_mapping",
                                    kind=kind_of(data)),
                     say("forms.translation.options_not_mapping.fix",
                         example="options: {jour: …, semaine: …}"))
        return own
    if not node.given("options"):
        reader.gap(node, "options", say("forms.translation.missing", form=reader.form.id,
                                        where=say("forms.what.question", id=field.id),
                                        language=language, key="options"), language,
                   [option_path(field.id, value) for value, _label in own])
        return own
    table = Node(data, f"{node.path}/options", node.what, node.report)
    values = [option.value for option in field.options]
    by_value = {str(key): key for key in data if not isinstance(key, bool)}
    table.check_keys(tuple(key for key in data if str(key) in values and
                           not isinstance(key, bool)),
                     lambda key: _unknown(
                         key, values, say("forms.translation.unknown_option", key=key)))
    labels = []
    for value, label in own:
        if value not in by_value:
            reader.gap(table, None, say("forms.translation.missing_option", form=reader.form.id,
                                        id=field.id, value=value, language=language), language,
                       [option_path(field.id, value)])
            labels.append((value, label))
            continue
        labels.append((value, table.text(by_value[value]) or label))
    return tuple(labels)


# -- the same words, links made for another page ------------------------------------------------

def relink(form: Form, resolve_link: LinkResolver, language: str) -> Form:
    """``form`` with the links of its words in ``language`` (its intro and consent labels)
    resolved by ``resolve_link``, the page that shows them: a link written
    ``confidentialite.md`` is a different relative URL from each page. Only that language's
    words: the others are not shown there, and their links are checked from their own page.
    Same ``version``; words known only as HTML (a form read from its manifest) stay as they
    are."""
    if language == form.language:
        own = _relinked(Translation.of(form), form, resolve_link)
        return replace(form, intro_html=own.intro_html,
                       fields=tuple(_apply(own, field) for field in form.fields),
                       declared_version=form.version)
    return replace(form, declared_version=form.version, translations=tuple(
        _relinked(words, form, resolve_link) if words.language == language else words
        for words in form.translations))


def _apply(words: Translation, field: Field) -> Field:
    found = words.words(field.id)
    return replace(field, label_html=found.label_html) if found is not None else field


def _relinked(words: Translation, form: Form, resolve_link: LinkResolver) -> Translation:
    intro_html = markup.block_html(words.intro, resolve_link) if words.intro else words.intro_html
    fields = tuple((field_id, _relinked_label(written, form.get(field_id), resolve_link))
                   for field_id, written in words.fields)
    return replace(words, intro_html=intro_html, fields=fields)


def _relinked_label(words: FieldWords, field: Field | None, resolve_link: LinkResolver
                    ) -> FieldWords:
    """A consent label's links (the only label holding markdown) resolved again."""
    if field is None or field.type != "consent":
        return words
    inline = markup.inline_html(words.label, resolve_link)
    return replace(words, label_html=inline or words.label_html)
