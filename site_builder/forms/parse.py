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
from datetime import date, datetime
from typing import Any

from site_builder.errors import Problem
from site_builder.forms import located, markup
from site_builder.forms.model import (
    ANSWER_COLUMNS,
    COMMON_KEYS,
    DEFAULT_MAX_LENGTH,
    FIELD_TYPES,
    FORM_KEYS,
    TYPE_KEYS,
    Field,
    Form,
    Option,
)
from site_builder.forms.node import Node, Report, kind_of, shown_value

FORM_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FIELD_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
OPTION_KEYS = ("value", "label")
ANY_FIELD_KEYS = tuple(dict.fromkeys(
    [*COMMON_KEYS, *(key for keys in TYPE_KEYS.values() for key in keys)]
))
"""Every key some question type takes."""
SCALE_MAX_STEPS = 11
"""0 to 10 is the longest scale people answer reliably (and fits a phone's width)."""
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
) -> tuple[Form | None, list[Problem]]:
    """The form declared by ``data`` (a ```form block's YAML), or None and every problem.

    ``line`` is the line just before the YAML (the fence's); problems point ``line + 1 + n`` for
    the YAML's line ``n`` when ``data`` comes from ``located.load``, else at ``line``.
    ``resolve_link`` rewrites the links of the intro and of consent labels.
    """
    report = Report(file, line)
    if not isinstance(data, Mapping):
        report.problems.append(Problem(
            message="the form block is empty" if data is None else
            f"the form must be a list of 'key: value' lines, but YAML reads {kind_of(data)}",
            fix="start with 'id: avis-place', then 'title:' and 'fields:' (see docs/forms.md)",
            file=file, line=report.absolute(located.start_line(data)),
        ))
        return None, report.problems
    form_id = data.get("id")
    node = Node(data, form_id if isinstance(form_id, str) and form_id else "form",
                 "the form", report)
    node.check_keys(FORM_KEYS, _misplaced_form_key)
    form = _form(node, resolve_link, default_closes)
    if report.problems or form is None:
        # In reading order, whatever order the checks ran in.
        return None, sorted(report.problems, key=lambda problem: problem.line or 0)
    return form, []


def _form(
    node: Node, resolve_link: LinkResolver | None, default_closes: date | None
) -> Form | None:
    form_id = _identifier(node, FORM_ID, "avis-place", "lowercase letters, digits and single "
                          "'-' between words", underscore=False)
    title = node.text("title", required=True, example="Donnez votre avis")
    intro = node.text("intro")
    intro_html = markup.block_html(intro, resolve_link) if intro else None  # links in page order
    submit = node.text("submit")
    closes = _closes(node, default_closes)
    fields = _fields(node, resolve_link)
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
        source=f"{report.file}:{report.line}" if report.line else report.file,
    )


def _identifier(node: Node, pattern: re.Pattern[str], example: str, rule: str, *,
                underscore: bool) -> str | None:
    value = node.text("id", required=True, example=example)
    if value is None:
        return None
    if not pattern.match(value):
        suggestion = _slug(value, underscore=underscore) or example
        node.problem("id", f"the id {value!r} of {node.what} is not valid",
                     f"write it with {rule}, e.g. id: {suggestion}")
        return None
    return value


def _closes(node: Node, default: date | None) -> date | None:
    if not node.given("closes"):
        return default
    value = node.data["closes"]
    fix = "write the last day answers are accepted as YYYY-MM-DD, e.g. closes: 2026-12-31"
    if isinstance(value, datetime):
        node.problem("closes", f"closes is a day, not a moment: {node.shown('closes')!r}", fix)
    elif isinstance(value, date):
        return value
    elif isinstance(value, str) and DATE_TEXT.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            node.problem("closes", f"closes: {value.strip()} is not a day of the calendar", fix)
    else:
        node.problem("closes", f"closes must be a date, not {node.shown('closes')!r}", fix)
    return default


def _fields(form: Node, resolve_link: LinkResolver | None) -> tuple[Field, ...] | None:
    if not form.given("fields"):
        form.missing("fields", "the form has no fields",
                     "add 'fields:' followed by the questions, each starting with '- id: …'")
        return None
    items = form.data["fields"]
    if not isinstance(items, list) or not items:
        form.problem("fields", "fields must be a list of questions, each starting with '- '",
                     "write each question under 'fields:' as '- id: …' followed by its keys")
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
                message=f"two questions have the id {field_id!r} (lines "
                f"{first_line[field_id]} and {line})",
                fix="give each question of the form its own id",
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
            message=f"question {number} of the form is not a set of 'key: value' lines "
            f"(YAML reads {kind_of(data)})",
            fix="start each question with '- id: …' and indent its other keys under 'id'",
            file=form.report.file,
            line=form.report.absolute(located.item_line(items, index)),
            field=f"{form.path}/fields/{number}",
        ))
        return None
    field_id = data.get("id")
    name = field_id.strip() if isinstance(field_id, str) else ""
    node = Node(data, f"{form.path}/{name or f'fields/{number}'}",
                 f"the question {name!r}" if name else f"question {number}", form.report)
    valid_id = _identifier(node, FIELD_ID, "frequence", "lowercase letters, digits, '_' or '-'",
                           underscore=True)
    if valid_id in ANSWER_COLUMNS:
        node.problem("id", f"the id {valid_id!r} is taken: exports give every answer a "
                     f"column of that name", f"rename the question, e.g. id: {valid_id}_question")
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
            node.problem("label", "a consent label must be a single paragraph",
                         "write the label on one line, without blank lines or lists")
            return None
    else:
        label_html = html.escape(label, quote=False)
    extra = _TYPE_PARSERS[field_type](node, field_type)
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
        hint = f"did you mean {guess!r}? " if guess else ""
        node.problem("type", f"unknown type {value!r} for {node.what}",
                     f"{hint}The types are: {', '.join(FIELD_TYPES)}")
        return None
    return value


def _misplaced_form_key(key: str) -> tuple[str, str] | None:
    if key in ANY_FIELD_KEYS and key not in FORM_KEYS:
        return (f"{key!r} belongs to a question, not to the form",
                "move it under one of the questions in 'fields:'")
    return None


def _misplaced_field_key(key: str, field_type: str | None) -> tuple[str, str] | None:
    """Why a key parole knows is wrong on this field (another type's key, or the form's)."""
    if field_type is not None and key in ANY_FIELD_KEYS:
        takers = [name for name, keys in TYPE_KEYS.items() if key in keys]
        return (f"{key!r} does not apply to a {field_type} question",
                f"{key} is for {_join(takers)} questions: remove it, or change the type")
    if key in FORM_KEYS and key not in ANY_FIELD_KEYS:
        return (f"{key!r} belongs to the form, not to a question",
                "move it to the top of the block, next to 'id' and 'title'")
    return None


# -- the keys of each type -------------------------------------------------------------------

Extra = dict[str, Any]
"""Field attributes a type adds to the common ones."""


def _text_keys(node: Node, field_type: str) -> Extra | None:
    length = node.number("max_length", integer=True, what="the longest answer, in characters")
    if length is not None and length < 1:
        node.problem("max_length", f"max_length must be at least 1, not {length}",
                     f"write a positive number, or remove it for {DEFAULT_MAX_LENGTH[field_type]}")
        return None
    if node.given("max_length") and length is None:
        return None
    return {"max_length": int(length) if length is not None else DEFAULT_MAX_LENGTH[field_type]}


def _no_keys(node: Node, field_type: str) -> Extra | None:
    return {}


def _number_keys(node: Node, field_type: str) -> Extra | None:
    integer = node.boolean("integer", True)
    bounds = _bounds(node, integer=False, what="the smallest answer", what_max="the largest answer")
    if bounds is None:
        return None
    for key, value in zip(("min", "max"), bounds, strict=True):
        if integer and value is not None and not float(value).is_integer():
            node.problem(key, f"{key}: {value} is not a whole number, but the question takes "
                         "whole numbers only", "write a whole number, or add 'integer: false'")
            return None
    return {"min": bounds[0], "max": bounds[1], "integer": integer}


def _bounds(node: Node, *, integer: bool, what: str,
            what_max: str) -> tuple[int | float | None, int | float | None] | None:
    """(min, max), checked for min <= max; None when either is wrong."""
    low = node.number("min", integer=integer, what=what)
    high = node.number("max", integer=integer, what=what_max)
    if (node.given("min") and low is None) or (node.given("max") and high is None):
        return None
    if low is not None and high is not None and low > high:
        node.problem("min", f"min ({low}) is greater than max ({high})",
                     "swap the two values, or correct one of them")
        return None
    return low, high


def _option_keys(node: Node, field_type: str) -> Extra | None:
    options = _options(node)
    return None if options is None else {"options": options}


def _choices_keys(node: Node, field_type: str) -> Extra | None:
    options = _options(node)
    bounds = _bounds(node, integer=True, what="the fewest boxes to tick",
                     what_max="the most boxes to tick")
    if options is None or bounds is None:
        return None
    low, high = bounds
    if low is not None and low < 0:
        node.problem("min", f"min must be 0 or more, not {low}", "write min: 1, or remove it")
        return None
    if high is not None and high < 1:
        node.problem("max", f"max must be at least 1, not {high}", "write max: 1, or remove it")
        return None
    for key, value in (("min", low), ("max", high)):
        if value is not None and value > len(options):
            node.problem(key, f"{key} is {value} but the question has only {len(options)} "
                         "options", f"write a {key} of at most {len(options)}, or add options")
            return None
    return {"options": options, "min": low, "max": high}


def _scale_keys(node: Node, field_type: str) -> Extra | None:
    missing = [key for key in ("min", "max") if not node.given(key)]
    if unguessed := [key for key in missing if key not in node.guessed]:
        node.problem(None, f"a scale needs min and max; {node.what} has no {_join(unguessed)}",
                     "add both, e.g. min: 1 and max: 5")
    bounds = _bounds(node, integer=True, what="the first step", what_max="the last step")
    min_label = node.text("min_label")
    max_label = node.text("max_label")
    if missing or bounds is None:
        return None
    low, high = int(bounds[0] or 0), int(bounds[1] or 0)
    steps = high - low + 1
    if steps < 2 or steps > SCALE_MAX_STEPS:
        node.problem("max", f"the scale from {low} to {high} has {steps} step"
                     f"{'s' if steps > 1 else ''}; a scale has 2 to {SCALE_MAX_STEPS}",
                     f"choose min and max at most {SCALE_MAX_STEPS - 1} apart, e.g. min: 1 "
                     "and max: 5, or min: 0 and max: 10")
        return None
    return {"min": low, "max": high, "min_label": min_label, "max_label": max_label}


_TYPE_PARSERS: dict[str, Callable[[Node, str], Extra | None]] = {
    "text": _text_keys,
    "textarea": _text_keys,
    "email": _no_keys,
    "number": _number_keys,
    "choice": _option_keys,
    "choices": _choices_keys,
    "select": _option_keys,
    "scale": _scale_keys,
    "consent": _no_keys,
}
assert set(_TYPE_PARSERS) == set(FIELD_TYPES), "every field type needs its parser"


# -- options ---------------------------------------------------------------------------------

def _options(node: Node) -> tuple[Option, ...] | None:
    fix = ("list the answers under 'options:', one per line: '- Tous les jours', or "
           "'- {value: jour, label: Tous les jours}'")
    if not node.given("options"):
        node.missing("options", f"{node.what} has no options", fix)
        return None
    items = node.data["options"]
    if not isinstance(items, list) or not items:
        node.problem("options", "options must be a list of answers, each starting with '- '",
                     fix)
        return None
    count = len(node.report.problems)
    options = [_option(node, items, index) for index in range(len(items))]
    seen: dict[str, int] = {}
    for index, option in enumerate(options):
        if option is None:
            continue
        if option.value in seen:
            line = node.report.absolute(located.item_line(items, index))
            node.report.problems.append(Problem(
                message=f"two options have the value {option.value!r} (options "
                f"{seen[option.value] + 1} and {index + 1})",
                fix="give each option its own value: it is what the answers record",
                file=node.report.file, line=line, field=f"{node.path}/options",
            ))
        seen.setdefault(option.value, index)
    if len(node.report.problems) > count:
        return None
    return tuple(option for option in options if option is not None)


def _option(node: Node, items: list[Any], index: int) -> Option | None:
    item = items[index]
    path = f"{node.path}/options"
    line = node.report.absolute(located.item_line(items, index))
    if isinstance(item, str):
        if not item.strip():
            node.report.problems.append(Problem(
                message=f"option {index + 1} is empty", fix="write the answer, or remove the line",
                file=node.report.file, line=line, field=path))
            return None
        return Option(item.strip(), item.strip())
    if isinstance(item, Mapping):
        option = Node(item, path, f"option {index + 1}", node.report)
        option.check_keys(OPTION_KEYS, lambda _key: None)
        value = option.text("value", required=True, example="jour")
        label = option.text("label", required=True, example="Tous les jours")
        return Option(value, label) if value is not None and label is not None else None
    shown = located.raw_text(items, index) or shown_value(item)
    node.report.problems.append(Problem(
        message=f"option {index + 1} must be text, but YAML reads {shown!r} as {kind_of(item)}",
        fix=f"put it in quotes: - \"{shown}\" (or write {{value: …, label: …}})",
        file=node.report.file, line=line, field=path,
    ))
    return None


# -- small helpers ---------------------------------------------------------------------------

def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _slug(text: str, *, underscore: bool) -> str:
    """``Fréquence de passage`` → ``frequence-de-passage``: a valid id close to ``text``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    allowed = r"[^a-z0-9_-]+" if underscore else r"[^a-z0-9]+"
    return re.sub(r"-{2,}", "-", re.sub(allowed, "-", plain)).strip("-_")
