"""How to answer a question, in words: the same sentences on the online form (its hints) and on
the paper version (its instructions), so both say exactly the same thing.
"""

from __future__ import annotations

from collections.abc import Callable

from site_builder.forms.model import DEFAULT_MAX_LENGTH, Field
from site_builder.i18n import Catalogue


def instruction(field: Field, t: Catalogue) -> str | None:
    """How to answer ``field`` on paper, in words (None for a plain text question)."""
    say = _INSTRUCTIONS.get(field.type)
    return say(field, t) if say else None


def _scale_instruction(field: Field, t: Catalogue) -> str:
    steps = field.steps or (0,)
    return t("paper.scale", min=steps[0], max=steps[-1])


def _length_instruction(field: Field, t: Catalogue) -> str:
    """The online form's words for the longest answer, so both versions say the same."""
    length = field.max_length or DEFAULT_MAX_LENGTH[field.type]
    return t.count("form.max_length", length, count=format_number(length, t))


def _choices_instruction(field: Field, t: Catalogue) -> str:
    low = int(field.min) if field.min else None  # 0 selections asks for nothing
    high = int(field.max) if field.max is not None else None
    if low is not None and high is not None:
        if low == high:
            return t.count("paper.choices_exact", low)
        return t("paper.choices_range", min=low, max=high)
    if low is not None:
        return t("paper.choices_min", min=low)
    if high is not None:
        return t("paper.choices_max", max=high)
    return t("paper.choices")


def _number_instruction(field: Field, t: Catalogue) -> str:
    kind = t("paper.number_whole") if field.integer else t("paper.number_any")
    low = format_number(field.min, t) if field.min is not None else None
    high = format_number(field.max, t) if field.max is not None else None
    if low is not None and high is not None:
        return t("paper.number_range", kind=kind, min=low, max=high)
    if low is not None:
        return t("paper.number_min", kind=kind, min=low)
    if high is not None:
        return t("paper.number_max", kind=kind, max=high)
    return t("paper.number", kind=kind)


_INSTRUCTIONS: dict[str, Callable[[Field, Catalogue], str]] = {
    "choice": lambda field, t: t("paper.choice"),
    "select": lambda field, t: t("paper.choice"),
    "choices": _choices_instruction,
    "scale": _scale_instruction,
    "textarea": _length_instruction,
    "email": lambda field, t: t("paper.email"),
    "number": _number_instruction,
    "consent": lambda field, t: t("paper.consent"),
}


def format_number(value: float, t: Catalogue) -> str:
    """``2000`` → ``2 000`` and ``2.5`` → ``2,5`` in French: the catalogue's marks."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", t("paper.group_mark"))
    whole, _, decimals = repr(float(value)).partition(".")
    grouped = f"{int(whole):,}".replace(",", t("paper.group_mark"))
    if whole.startswith("-") and not grouped.startswith("-"):  # -0.5
        grouped = "-" + grouped
    return f"{grouped}{t('paper.decimal_mark')}{decimals}"
