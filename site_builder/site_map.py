"""The site map page: every page of the site, as nested markdown lists.

RGAA 12.1 asks for two ways to find a page; the menu is one, this page is the other. It is the
only page that lists everything, so other pages stay small however large the site grows.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import NamedTuple

from site_builder.i18n import text_direction

MARKDOWN_PUNCTUATION = frozenset("\\`*_{}[]()#+-.!")
"""What Python-Markdown lets a backslash escape: each such character of a title is escaped,
so a title reads as written (``*``, ``_``, ``[1]``, ``1.`` make no emphasis, link or list)."""


class SiteMapEntry(NamedTuple):
    """One line of the site map: a page, a section or a link of the navigation."""

    depth: int
    title: str
    """Plain text, as the reader sees it (markup in it is shown, not applied)."""
    target: str | None = None
    """The link's target (a page's source file, a link's URL); None: a section's title."""
    language: str | None = None
    """The language of ``title`` when it is not the site map's (a page not translated yet, a
    section titled in mkdocs.yml in the default language): its words get ``lang``/``dir``."""


def markdown_text(text: str) -> str:
    """``text`` written in markdown so that it renders as itself, with no HTML of its own."""
    escaped = html.escape(text, quote=False)
    return "".join(f"\\{char}" if char in MARKDOWN_PUNCTUATION else char for char in escaped)


def _words(entry: SiteMapEntry) -> str:
    text = markdown_text(entry.title)
    if entry.language is None:
        return text
    # An inline span, not attr_list: a build need not enable that extension.
    return (f'<span lang="{html.escape(entry.language)}" '
            f'dir="{text_direction(entry.language)}">{text}</span>')


def site_map_markdown(title: str, intro: str, entries: Iterable[SiteMapEntry]) -> str:
    """Markdown of the site map, one nested list item per entry."""
    lines = [f"# {title}", "", intro, ""]
    for entry in entries:
        words = _words(entry)
        item = f"[{words}](<{entry.target}>)" if entry.target else words
        lines.append(f"{'    ' * entry.depth}- {item}")
    return "\n".join(lines) + "\n"
