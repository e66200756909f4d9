"""The Jinja environment that renders forms outside MkDocs (online form, paper version, the
collector's pages with errors), over the theme folder shipped as ``site_builder.theme``.

MkDocs' own environment does not autoescape; this one does, so a label or an option written by
an organizer (or a value typed by a citizen) can never become markup. One environment per
process: Jinja caches compiled templates and reloads a template whose file changed (``mkdocs
serve``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined


def theme_folder() -> Path:
    """The theme's folder on disk (the repository's ``theme/`` in an editable install)."""
    return Path(str(resources.files("site_builder.theme")))


@cache
def environment() -> Environment:
    """The shared, autoescaping environment; a missing variable is an error, not empty text."""
    return Environment(
        loader=FileSystemLoader(theme_folder()),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
