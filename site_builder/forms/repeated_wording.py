"""Words an organizer writes that the form already says by itself, so the page would say twice.

The theme puts "(facultatif)"/"(obligatoire)" after every label, "Plusieurs réponses possibles"
under every question with boxes to tick, how many at most, and the longest answer of a text
(``render.hint_texts``). A label ending with the same marker, or a hint or an intro saying
the same rule, gets a warning naming the line of that key: a form that says it twice still
works, so a build without ``--strict`` goes on.
"""

from __future__ import annotations

import re
from dataclasses import replace

from site_builder.errors import Problem
from site_builder.forms import located
from site_builder.forms.model import DEFAULT_MAX_LENGTH, Field, Form
from site_builder.forms.render import hint_texts
from site_builder.i18n import Catalogue, base_language
from site_builder.messages import say

NUMBER_WORDS = {
    "fr": ("zéro", "un une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
           "dix"),
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
}
"""How people write a small count in words ("Deux réponses au plus"), by site language."""
_NUMBER = re.compile(r"\d(?:[\d\s.,\u00a0\u202f']*\d)?")
"""A number as people write it: 2000, 2 000, 2.000, 2,000."""


def repeated_wording(form: Form, data: object, *, file: str, line: int,
                     catalogue: Catalogue) -> list[Problem]:
    """A warning for each label, hint or intro of ``form`` that repeats the theme's words.
    ``data`` is the block's YAML (from ``located.load``) and ``line`` the line just before it."""
    warnings = []
    items = data.get("fields") if isinstance(data, dict) else None
    for index, field in enumerate(form.fields):
        item = items[index] if isinstance(items, list) and index < len(items) else None

        def warn(key: str, message: str, fix: str, field: Field = field,
                 item: object = item) -> None:
            warnings.append(Problem(message=message, fix=fix, file=file,
                                    line=_line(line, item, key),
                                    field=f"{form.id}/{field.id}/{key}"))

        marker = _label_marker(field, catalogue)
        if marker:
            warn("label", say("formcheck.label_marker", marker=marker),
                 say("formcheck.label_marker.fix", marker=marker))
        rule = _repeated_rule(field, catalogue)
        if rule:
            warn("hint", say("formcheck.hint_rule", rule=rule), say("formcheck.hint_rule.fix"))
    multiple = _words(catalogue("paper.choices"))
    if form.intro_html and any(field.multiple for field in form.fields) and \
            _contains(_words(_intro_text(data)), multiple):
        warnings.append(Problem(
            message=say("formcheck.intro_rule", rule=catalogue("paper.choices")),
            fix=say("formcheck.intro_rule.fix"), file=file, line=_line(line, data, "intro"),
            field=f"{form.id}/intro"))
    return warnings


def _label_marker(field: Field, catalogue: Catalogue) -> str | None:
    """The theme's "(facultatif)" or "(obligatoire)" if the label ends with its words."""
    label = _words(field.label)
    for key in ("form.optional", "form.required"):
        marker = catalogue(key)
        words = _words(marker)
        if words and label[-len(words):] == words:
            return marker
    return None


def _repeated_rule(field: Field, catalogue: Catalogue) -> str | None:
    """The theme's own hint for ``field`` if the organizer's hint says it again: several
    answers, how many at most, the longest answer."""
    if not field.hint:
        return None
    hint = _words(field.hint)
    rules = hint_texts(replace(field, hint=None), catalogue)
    if not rules:
        return None
    counts: list[int] = []
    if field.multiple:
        if _contains(hint, _words(catalogue("paper.choices"))):
            return rules[0]
        counts = [int(field.max)] if field.max is not None else []
    elif field.type in DEFAULT_MAX_LENGTH:
        counts = [field.max_length or DEFAULT_MAX_LENGTH[field.type]]
    spelled = NUMBER_WORDS.get(base_language(catalogue.language), ())
    numbers = {re.sub(r"\D", "", number) for number in _NUMBER.findall(field.hint)}
    for count in counts:
        words = set(spelled[count].split()) if count < len(spelled) else set()
        if str(count) in numbers or words & set(hint):
            return rules[0]
    return None


def _words(text: str) -> list[str]:
    """Lowercase words, without punctuation, brackets or spacing: "(Facultatif)" → facultatif."""
    return re.sub(r"[\W_]+", " ", text.casefold()).split()


def _contains(words: list[str], part: list[str]) -> bool:
    return bool(part) and any(words[i:i + len(part)] == part
                              for i in range(len(words) - len(part) + 1))


def _intro_text(data: object) -> str:
    intro = data.get("intro") if isinstance(data, dict) else None
    return intro if isinstance(intro, str) else ""


def _line(fence_line: int, data: object, key: str) -> int:
    """The page's line of ``key`` in ``data`` (the fence's line when unknown)."""
    written = located.key_line(data, key)
    return fence_line + 1 + written if written is not None else fence_line
