"""The keys each type of question takes beyond the common ones (``max_length``, ``min`` and
``max``, ``options``, a scale's steps and words), read into the field's attributes with every
problem reported on its key; ``parse.py`` reads what all questions share.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from site_builder.errors import Problem
from site_builder.forms import located
from site_builder.forms.model import DEFAULT_MAX_LENGTH, FIELD_TYPES, Option
from site_builder.forms.node import Node, kind_of, shown_value
from site_builder.messages import say, say_count

OPTION_KEYS = ("value", "label")
SCALE_MAX_STEPS = 11
"""0 to 10 is the longest scale people answer reliably (and fits a phone's width)."""

Extra = dict[str, Any]
"""Field attributes a type adds to the common ones."""


def _text_keys(node: Node, field_type: str) -> Extra | None:
    length = node.number("max_length", integer=True, what=say("forms.means.max_length"))
    if length is not None and length < 1:
        node.problem("max_length", say("forms.max_length_low", length=length),
                     say("forms.max_length_low.fix", default=DEFAULT_MAX_LENGTH[field_type]))
        return None
    if node.given("max_length") and length is None:
        return None
    return {"max_length": int(length) if length is not None else DEFAULT_MAX_LENGTH[field_type]}


def _no_keys(node: Node, field_type: str) -> Extra | None:
    return {}


def _number_keys(node: Node, field_type: str) -> Extra | None:
    integer = node.boolean("integer", True)
    bounds = _bounds(node, integer=False, what=say("forms.means.number_min"),
                     what_max=say("forms.means.number_max"))
    if bounds is None:
        return None
    for key, value in zip(("min", "max"), bounds, strict=True):
        if integer and value is not None and not float(value).is_integer():
            node.problem(key, say("forms.bound_not_whole", key=key, value=value),
                         say("forms.bound_not_whole.fix"))
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
        node.problem("min", say("forms.min_above_max", low=low, high=high),
                     say("forms.min_above_max.fix"))
        return None
    return low, high


def _option_keys(node: Node, field_type: str) -> Extra | None:
    options = _options(node)
    return None if options is None else {"options": options}


def _choices_keys(node: Node, field_type: str) -> Extra | None:
    options = _options(node)
    bounds = _bounds(node, integer=True, what=say("forms.means.choices_min"),
                     what_max=say("forms.means.choices_max"))
    if options is None or bounds is None:
        return None
    low, high = bounds
    if low is not None and low < 0:
        node.problem("min", say("forms.choices_min_low", low=low), say("forms.choices_min_low.fix"))
        return None
    if high is not None and high < 1:
        node.problem("max", say("forms.choices_max_low", high=high),
                     say("forms.choices_max_low.fix"))
        return None
    for key, value in (("min", low), ("max", high)):
        if value is not None and value > len(options):
            node.problem(key, say("forms.choices_too_many", key=key, value=value,
                                  options=len(options)),
                         say("forms.choices_too_many.fix", key=key, options=len(options)))
            return None
    return {"options": options, "min": low, "max": high}


def _scale_keys(node: Node, field_type: str) -> Extra | None:
    missing = [key for key in ("min", "max") if not node.given(key)]
    if unguessed := [key for key in missing if key not in node.guessed]:
        node.problem(None, say("forms.scale_bounds", what=node.what, keys=join(unguessed)),
                     say("forms.scale_bounds.fix"))
    bounds = _bounds(node, integer=True, what=say("forms.means.scale_min"),
                     what_max=say("forms.means.scale_max"))
    min_label = node.text("min_label")
    max_label = node.text("max_label")
    if missing or bounds is None:
        return None
    low, high = int(bounds[0] or 0), int(bounds[1] or 0)
    steps = high - low + 1
    if steps < 2 or steps > SCALE_MAX_STEPS:
        node.problem("max", say_count("forms.scale_steps", steps, low=low, high=high,
                                      most=SCALE_MAX_STEPS),
                     say("forms.scale_steps.fix", apart=SCALE_MAX_STEPS - 1))
        return None
    return {"min": low, "max": high, "min_label": min_label, "max_label": max_label}


TYPE_PARSERS: dict[str, Callable[[Node, str], Extra | None]] = {
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
assert set(TYPE_PARSERS) == set(FIELD_TYPES), "every field type needs its parser"


# -- options ---------------------------------------------------------------------------------

def _options(node: Node) -> tuple[Option, ...] | None:
    fix = say("forms.options.fix", example="{value: jour, label: Tous les jours}")
    if not node.given("options"):
        node.missing("options", say("forms.no_options", what=node.what), fix)
        return None
    items = node.data["options"]
    if not isinstance(items, list) or not items:
        node.problem("options", say("forms.options_not_list"), fix)
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
                message=say("forms.same_option_value", value=option.value,
                            first=seen[option.value] + 1, second=index + 1),
                fix=say("forms.same_option_value.fix"),
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
                message=say("forms.option_empty", number=index + 1),
                fix=say("forms.option_empty.fix"),
                file=node.report.file, line=line, field=path))
            return None
        return Option(item.strip(), item.strip())
    if isinstance(item, Mapping):
        option = Node(item, path, say("forms.what.option", number=index + 1), node.report)
        option.check_keys(OPTION_KEYS, lambda _key: None)
        value = option.text("value", required=True, example="jour")
        label = option.text("label", required=True, example="Tous les jours")
        return Option(value, label) if value is not None and label is not None else None
    shown = located.raw_text(items, index) or shown_value(item)
    node.report.problems.append(Problem(
        message=say("forms.option_not_text", number=index + 1, value=shown, kind=kind_of(item)),
        fix=say("forms.option_not_text.fix", value=shown, example="{value: …, label: …}"),
        file=node.report.file, line=line, field=path,
    ))
    return None


def join(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``, in the language of the messages."""
    return words[0] if len(words) == 1 else say("forms.and", first=", ".join(words[:-1]),
                                                last=words[-1])
