"""From the YAML of a ```form block to the form model, with every problem found at once.

``parse_form`` never stops at the first mistake: an organizer fixes a whole form in one go. Each
``Problem`` names the file, the line of the offending key (when the data came from
``located.load``; otherwise the fence's line), the key path (``avis-place/frequence/options``)
and what to write instead. A form with any problem is not built (``None``).
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from site_builder.errors import Problem
from site_builder.forms import located, markup
from site_builder.forms.model import (
    ANSWER_COLUMNS,
    COMMON_KEYS,
    FIELD_TYPES,
    FORM_KEYS,
    TYPE_KEYS,
    Field,
    Form,
)
from site_builder.forms.node import Node, Report, kind_of
from site_builder.forms.translations import parse_translations
from site_builder.forms.type_keys import TYPE_PARSERS, join
from site_builder.i18n import DEFAULT_LANGUAGE
from site_builder.messages import say

FORM_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FIELD_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ANY_FIELD_KEYS = tuple(dict.fromkeys(
    [*COMMON_KEYS, *(key for keys in TYPE_KEYS.values() for key in keys)]
))
"""Every key some question type takes."""
TYPE_ALIASES = {
    "radio": "choice", "checkbox": "choices", "checkboxes": "choices", "multiple": "choices",
    "dropdown": "select", "list": "select", "string": "text", "int": "number",
    "integer": "number", "float": "number", "rating": "scale", "likert": "scale",
    "mail": "email", "agree": "consent", "textfield": "text", "paragraph": "textarea",
}
"""Names organizers bring from other form tools, mapped to parole's type."""

LinkResolver = Callable[[str], str]




def parse_form(
    data: object,
    *,
    file: str,
    line: int,
    resolve_link: LinkResolver | None = None,
    default_closes: date | None = None,
    language: str = DEFAULT_LANGUAGE,
    warnings: list[Problem] | None = None,
) -> tuple[Form | None, list[Problem]]:
    """The form declared by ``data`` (a ```form block's YAML), or None and every problem.

    ``line`` is the line just before the YAML (the fence's); problems point ``line + 1 + n`` for
    the YAML's line ``n`` when ``data`` comes from ``located.load``, else at ``line``.
    ``resolve_link`` rewrites the links of the intro and of consent labels. ``language`` is
    the base language of the page declaring the form, which its own strings are in; strings its
    ``translations`` lack, when it allows ``translation_fallback``, are added to ``warnings``.
    """
    report = Report(file, line)
    if not isinstance(data, Mapping):
        report.problems.append(Problem(
            message=say("forms.block_empty") if data is None else
            say("forms.block_not_mapping", kind=kind_of(data)),
            fix=say("forms.block.fix"),
            file=file, line=report.absolute(located.start_line(data)),
        ))
        return None, report.problems
    form_id = data.get("id")
    node = Node(data, form_id if isinstance(form_id, str) and form_id else "form",
                 say("forms.what.form"), report)
    node.check_keys(FORM_KEYS, _misplaced_form_key)
    form = _form(node, resolve_link, default_closes, language)
    found: list[Problem] = []
    if form is not None:  # translations are read against the questions they translate
        form = replace(form, translations=parse_translations(node, form, resolve_link, found))
    if report.problems or form is None:
        # In reading order, whatever order the checks ran in.
        return None, sorted(report.problems, key=lambda problem: problem.line or 0)
    if warnings is not None:
        warnings.extend(sorted(found, key=lambda problem: problem.line or 0))
    return form, []


def _form(
    node: Node, resolve_link: LinkResolver | None, default_closes: date | None, language: str
) -> Form | None:
    form_id = _identifier(node, FORM_ID, "avis-place", say("forms.id_rule.form"),
                          underscore=False)
    title = node.text("title", required=True, example="Donnez votre avis")
    intro = node.text("intro")
    intro_html = markup.block_html(intro, resolve_link) if intro else None  # links in page order
    submit = node.text("submit")
    closes = _closes(node, default_closes)
    fields = _fields(node, resolve_link)
    publish_consent = _publish_consent(node, fields)
    fallback = node.boolean("translation_fallback", False)
    if form_id is None or title is None or fields is None:
        return None
    report = node.report
    return Form(
        id=form_id,
        title=title,
        fields=fields,
        intro_html=intro_html,
        submit=submit,
        closes=closes,
        publish_consent=publish_consent,
        source=f"{report.file}:{report.line}" if report.line else report.file,
        language=language,
        intro=intro,
        translation_fallback=fallback,
    )


def _identifier(node: Node, pattern: re.Pattern[str], example: str, rule: str, *,
                underscore: bool) -> str | None:
    value = node.text("id", required=True, example=example)
    if value is None:
        return None
    if not pattern.match(value):
        suggestion = _slug(value, underscore=underscore) or example
        node.problem("id", say("forms.bad_id", value=value, what=node.what),
                     say("forms.bad_id.fix", rule=rule, suggestion=suggestion))
        return None
    return value


def _closes(node: Node, default: date | None) -> date | None:
    if not node.given("closes"):
        return default
    value = node.data["closes"]
    fix = say("forms.closes.fix")
    if isinstance(value, datetime):
        node.problem("closes", say("forms.closes_moment", value=node.shown("closes")), fix)
    elif isinstance(value, date):
        return value
    elif isinstance(value, str) and DATE_TEXT.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            node.problem("closes", say("forms.closes_no_such_day", value=value.strip()), fix)
    else:
        node.problem("closes", say("forms.closes_not_date", value=node.shown("closes")), fix)
    return default


def _publish_consent(node: Node, fields: tuple[Field, ...] | None) -> str | None:
    """The consent question by which a person agrees to be quoted: it must be one of this
    form's ``consent`` questions, since only its ticked box lets a free-text answer out."""
    value = node.text("publish_consent", example="citation")
    if value is None or fields is None:
        return None
    consents = [field.id for field in fields if field.type == "consent"]
    if value in consents:
        return value
    named = next((field for field in fields if field.id == value), None)
    message = (say("forms.publish_consent.not_consent", id=value, type=named.type) if named
               else say("forms.publish_consent.unknown", id=value))
    fix = (say("forms.publish_consent.fix_pick", ids=join(consents)) if consents
           else say("forms.publish_consent.fix_add"))
    node.problem("publish_consent", message, fix)
    return None


def _fields(form: Node, resolve_link: LinkResolver | None) -> tuple[Field, ...] | None:
    if not form.given("fields"):
        form.missing("fields", say("forms.no_fields"), say("forms.no_fields.fix"))
        return None
    items = form.data["fields"]
    if not isinstance(items, list) or not items:
        form.problem("fields", say("forms.fields_not_list"), say("forms.fields_not_list.fix"))
        return None
    fields = [_field(form, items, index, resolve_link) for index in range(len(items))]
    unique = _check_unique_ids(form, items)
    if not unique or any(parsed is None for parsed in fields):
        return None
    return tuple(parsed for parsed in fields if parsed is not None)


def _check_unique_ids(form: Node, items: list[Any]) -> bool:
    """Answers are stored by question id: two questions with one id would mix their answers."""
    first_line: dict[str, int | None] = {}
    unique = True
    for item in items:
        field_id = item.get("id") if isinstance(item, Mapping) else None
        if not isinstance(field_id, str) or not field_id.strip():
            continue
        field_id = field_id.strip()
        line = form.report.absolute(located.key_line(item, "id"))
        if field_id in first_line:
            unique = False
            form.report.problems.append(Problem(
                message=say("forms.same_question_id", id=field_id, first=first_line[field_id],
                            second=line),
                fix=say("forms.same_question_id.fix"),
                file=form.report.file, line=line, field=f"{form.path}/{field_id}",
            ))
        first_line.setdefault(field_id, line)
    return unique


def _field(
    form: Node, items: list[Any], index: int, resolve_link: LinkResolver | None
) -> Field | None:
    data = items[index]
    number = index + 1
    if not isinstance(data, Mapping):
        form.report.problems.append(Problem(
            message=say("forms.question_not_mapping", number=number, kind=kind_of(data)),
            fix=say("forms.question_not_mapping.fix"),
            file=form.report.file,
            line=form.report.absolute(located.item_line(items, index)),
            field=f"{form.path}/fields/{number}",
        ))
        return None
    field_id = data.get("id")
    name = field_id.strip() if isinstance(field_id, str) else ""
    node = Node(data, f"{form.path}/{name or f'fields/{number}'}",
                 say("forms.what.question", id=name) if name
                 else say("forms.what.question_number", number=number), form.report)
    valid_id = _identifier(node, FIELD_ID, "frequence", say("forms.id_rule.question"),
                           underscore=True)
    if valid_id in ANSWER_COLUMNS:
        node.problem("id", say("forms.id_taken", id=valid_id),
                     say("forms.id_taken.fix", id=valid_id))
        valid_id = None
    field_type = _field_type(node)
    allowed = (*COMMON_KEYS, *TYPE_KEYS[field_type]) if field_type else ANY_FIELD_KEYS
    node.check_keys(allowed, lambda key: _misplaced_field_key(key, field_type))
    label = node.text("label", required=True, example="La question, telle qu'on la pose")
    hint = node.text("hint")
    required = node.boolean("required", False)
    if field_type is None or valid_id is None or label is None:
        return None
    if field_type == "consent":
        label_html = markup.inline_html(label, resolve_link)
        if label_html is None:
            node.problem("label", say("forms.consent_paragraphs"),
                         say("forms.consent_paragraphs.fix"))
            return None
    else:
        label_html = html.escape(label, quote=False)
    extra = TYPE_PARSERS[field_type](node, field_type)
    if extra is None:
        return None
    return Field(id=valid_id, type=field_type, label=label, label_html=label_html, hint=hint,
                 required=required, **extra)


def _field_type(node: Node) -> str | None:
    value = node.text("type", required=True, example="choice")
    if value is None:
        return None
    if value not in FIELD_TYPES:
        guess = TYPE_ALIASES.get(value.lower()) or next(
            iter(difflib.get_close_matches(value.lower(), FIELD_TYPES, n=1, cutoff=0.6)), None)
        types = ", ".join(FIELD_TYPES)
        node.problem("type", say("forms.unknown_type", value=value, what=node.what),
                     say("forms.unknown_type.fix_guess", guess=guess, types=types) if guess
                     else say("forms.unknown_type.fix", types=types))
        return None
    return value


def _misplaced_form_key(key: str) -> tuple[str, str] | None:
    if key in ANY_FIELD_KEYS and key not in FORM_KEYS:
        return say("forms.key_of_questions", key=key), say("forms.key_of_questions.fix")
    return None


def _misplaced_field_key(key: str, field_type: str | None) -> tuple[str, str] | None:
    """Why a key parole knows is wrong on this field (another type's key, or the form's)."""
    if field_type is not None and key in ANY_FIELD_KEYS:
        takers = [name for name, keys in TYPE_KEYS.items() if key in keys]
        return (say("forms.key_of_other_type", key=key, type=field_type),
                say("forms.key_of_other_type.fix", key=key, types=join(takers)))
    if key in FORM_KEYS and key not in ANY_FIELD_KEYS:
        return say("forms.key_of_form", key=key), say("forms.key_of_form.fix")
    return None


# -- small helpers ---------------------------------------------------------------------------

def _slug(text: str, *, underscore: bool) -> str:
    """``Fréquence de passage`` → ``frequence-de-passage``: a valid id close to ``text``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    allowed = r"[^a-z0-9_-]+" if underscore else r"[^a-z0-9]+"
    return re.sub(r"-{2,}", "-", re.sub(allowed, "-", plain)).strip("-_")
