"""The named examples of each form component (``theme/components/<name>/examples.yml``), rendered.

They drive the golden files (``tests/goldens/form-<name>.html``) and the gallery site that pa11y
checks (``tests/sites/components/``), so each state a component can be in is shown, reviewed and
checked once. Examples are written in the public form syntax (issue #3) and go through the real
parser and ``render.py``, the same path as a consultation's forms.

Keys of an example: ``name`` (lowercase words and '-', unique in the file; a field example uses
it as its form id, so every id in a gallery page stays unique), ``description`` (one sentence),
then what the component takes:

- field components: ``field`` (one field), ``value`` (text, or a list for checkboxes), ``error``,
  ``paper_entry`` (true: as in the mediators' data-entry form), ``mark`` (``spoiled``, ``blank``);
- ``form``: ``form``, ``values`` (field id → text or list), ``errors``, ``paper_url``, ``closed``,
  ``paper_entry`` and ``marks`` (field id → ``spoiled`` or ``blank``);
- ``error-summary``: ``form`` and ``errors``;
- ``form-closed``: ``closed`` (``closed_on``, ``results_url``, ``response_due``, ``concluded``,
  ``help_url``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import yaml

from site_builder.calendar import ClosedInfo
from site_builder.errors import ContentError, Problem
from site_builder.forms import located, render
from site_builder.forms.model import Form
from site_builder.forms.parse import parse_form
from site_builder.forms.templates import theme_folder
from site_builder.i18n import Catalogue

FIELD_KEYS = ("name", "description", "field", "value", "error", "paper_entry", "mark")
KEYS = {
    "form": ("name", "description", "form", "values", "errors", "paper_url", "closed",
             "help_url", "paper_entry", "marks"),
    "error-summary": ("name", "description", "form", "errors"),
    "form-closed": ("name", "description", "closed"),
}


@dataclass(frozen=True)
class Example:
    """One example of a component, rendered."""

    component: str
    name: str
    description: str
    html: str


def component_names() -> list[str]:
    """Every component of the theme (a folder of ``components/`` with a template)."""
    folder = theme_folder() / "components"
    return sorted(path.parent.name for path in folder.glob("*/template.html"))


def render_examples(
    component: str, catalogue: Catalogue, *, focus_errors: bool = True
) -> list[Example]:
    """Every example of ``component``, rendered in the catalogue's language. ``focus_errors``
    as in ``render.render_form`` (on for goldens: what the collector sends)."""
    source = f"theme/components/{component}/examples.yml"
    return [
        Example(component, str(data["name"]), str(data["description"]),
                _render(component, data, source, catalogue, focus_errors))
        for data in _load(component)
    ]


@cache
def _load(component: str) -> list[Mapping[str, Any]]:
    path = theme_folder() / "components" / component / "examples.yml"
    source = f"theme/components/{component}/examples.yml"
    try:
        data = located.load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ContentError([Problem(f"the YAML cannot be read: {error}",
                                    "correct the YAML at the line shown", file=source)]) from None
    examples = data.get("examples") if isinstance(data, Mapping) else None
    if not isinstance(examples, list) or not examples:
        raise ContentError([Problem("there is no 'examples:' list", "write 'examples:' "
                                    "followed by '- name: …' items", file=source)])
    allowed = KEYS.get(component, FIELD_KEYS)
    problems = []
    for item in examples:
        line = located.start_line(item)
        if not isinstance(item, Mapping) or not {"name", "description"} <= item.keys():
            problems.append(Problem("an example lacks its name or description",
                                    "give every example 'name:' and 'description:'",
                                    file=source, line=line + 1 if line is not None else None))
            continue
        for key in item.keys() - set(allowed):
            key_line = located.key_line(item, key)
            problems.append(Problem(
                f"unknown key {key!r} in the example {item['name']!r}",
                f"use only: {', '.join(allowed)}", file=source,
                line=key_line + 1 if key_line is not None else None))
    if problems:
        raise ContentError(problems)
    return list(examples)


def _render(
    component: str, data: Mapping[str, Any], source: str, t: Catalogue, focus: bool
) -> str:
    if component == "form-closed":
        return render.render_component(component, render.closed_params(
            _closed(data["closed"]), t, data["closed"].get("help_url")), t)
    if component == "error-summary":
        # The summary, then the fields its links lead to: a link to nowhere would be an error.
        form = _form(data["form"], source)
        errors = data.get("errors") or {}
        parts = [render.render_component(
            component, render.error_summary_params(form, errors, focus=focus) or {}, t)]
        parts += [render.render_component(params["component"], params, t) for params in (
            render.field_params(field, form_id=form.id, catalogue=t, error=errors.get(field.id))
            for field in form.fields)]
        return "".join(parts)
    if component == "form":
        closed = _closed(data["closed"]) if "closed" in data else None
        return render.render_form(
            _form(data["form"], source), catalogue=t, values=_values(data.get("values") or {}),
            errors=data.get("errors"), closed=closed, paper_url=data.get("paper_url"),
            help_url=data.get("help_url"), focus_errors=focus,
            paper_entry=bool(data.get("paper_entry")), marks=data.get("marks"))
    form = _form({"id": data["name"], "title": data["description"], "fields": [data["field"]]},
                 source)
    value = data.get("value", [])
    params = render.field_params(
        form.fields[0], form_id=form.id, catalogue=t,
        values=[str(item) for item in value] if isinstance(value, list) else [str(value)],
        error=data.get("error"))
    if data.get("paper_entry"):
        render.enter_field(params, form, form.fields[0], data.get("mark"))
    return render.render_component(component, params, t)


def _form(data: object, source: str) -> Form:
    form, problems = parse_form(data, file=source, line=0)
    if form is None:
        raise ContentError(problems)
    return form


def _values(data: Mapping[str, Any]) -> dict[str, list[str]]:
    return {key: [str(item) for item in value] if isinstance(value, list) else [str(value)]
            for key, value in data.items()}


def _closed(data: Mapping[str, Any]) -> ClosedInfo:
    def day(value: object) -> date:
        return value if isinstance(value, date) else date.fromisoformat(str(value))

    due = data.get("response_due")
    return ClosedInfo(day(data["closed_on"]), data.get("results_url"),
                      day(due) if due is not None else None, bool(data.get("concluded")))
