"""MkDocs hook of the component gallery: appends every example of a component to its page.

A page named after a component (``field-text.md``) gets, after its own text, each example of
``theme/components/field-text/examples.yml`` under a heading that describes it, rendered by
``site_builder.forms.component_examples`` (the same code as the golden tests).
"""

from __future__ import annotations

from html import escape
from typing import Any

from site_builder.forms.component_examples import component_names, render_examples
from site_builder.i18n import DEFAULT_LANGUAGE, Catalogue


def on_page_content(html: str, *, page: Any, config: Any, files: Any) -> str:
    component = page.file.name
    if component not in component_names():
        return html
    catalogue = Catalogue.for_language(config.theme.get("language") or DEFAULT_LANGUAGE)
    parts = [html]
    # A gallery page is no answer to a submission: focus stays where pages start (skip link).
    for example in render_examples(component, catalogue, focus_errors=False):
        parts.append(f'<h2 id="exemple-{example.name}">{escape(example.description)}</h2>')
        parts.append(example.html)
    return "\n".join(parts)
