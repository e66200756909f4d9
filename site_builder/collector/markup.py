"""Just enough HTML scanning for the collector's pages: start tags and their attributes, the raw
text of ``<script>`` and ``<style>``, and where an element ends.

The pages scanned are the site's own, made by the parole theme (or, for a site built with
another theme, pages that must at least be well-formed HTML). A full parser would rebuild the
page and change bytes the stylesheet's CSP hash depends on; these regular expressions read the
page and leave every byte they do not rewrite as it was. They know what HTML tokenizers know
that naive patterns miss: a ``>`` inside a quoted attribute value does not end a tag, and
``<script>``, ``<style>`` and comments hold text, not tags.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_VALUE = r"""(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)"""
_ATTRIBUTE = re.compile(rf"""([^\s"'<>/=]+)(?:\s*=\s*({_VALUE}))?""")
_TOKEN = re.compile(
    rf"""<!--.*?-->|<(?P<name>[a-zA-Z][a-zA-Z0-9-]*)(?P<attributes>(?:\s+[^\s"'<>/=]+"""
    rf"""(?:\s*=\s*{_VALUE})?)*)\s*/?>""",
    re.DOTALL,
)
RAW_TEXT = frozenset({"script", "style"})
"""Elements whose content is text up to their end tag, never markup."""


@dataclass(frozen=True)
class Attribute:
    name: str
    """Lower-case."""
    value: str | None
    """Decoded (``&amp;`` is ``&``); None for a bare attribute (``hidden``)."""
    start: int
    """Where the value starts in the document (quote included), or -1."""
    end: int


@dataclass(frozen=True)
class Tag:
    """A start tag, and for ``<script>`` and ``<style>`` their raw text."""

    name: str
    """Lower-case."""
    start: int
    end: int
    """Just past the start tag's ``>``."""
    attributes: tuple[Attribute, ...]
    content: str | None = None
    """The raw text of a script or style element, exactly as in the document."""

    def get(self, name: str) -> str | None:
        """The decoded value of attribute ``name`` (its first occurrence), or None."""
        return next((attribute.value for attribute in self.attributes
                     if attribute.name == name), None)

    def has(self, name: str) -> bool:
        return any(attribute.name == name for attribute in self.attributes)


def start_tags(document: str) -> Iterator[Tag]:
    """Every start tag of ``document``, in order, skipping comments and raw text."""
    position = 0
    while match := _TOKEN.search(document, position):
        name = match.group("name")
        if name is None:  # a comment
            position = match.end()
            continue
        name = name.lower()
        offset = match.start("attributes")
        attributes = tuple(_attributes(match.group("attributes"), offset))
        position = match.end()
        content = None
        if name in RAW_TEXT:
            close = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(document, position)
            stop = close.start() if close else len(document)
            content = document[position:stop]
            position = close.end() if close else len(document)
        yield Tag(name, match.start(), match.end(), attributes, content)


def _attributes(text: str, offset: int) -> Iterator[Attribute]:
    for match in _ATTRIBUTE.finditer(text):
        raw = match.group(2)
        if raw is None:
            yield Attribute(match.group(1).lower(), None, -1, -1)
            continue
        unquoted = raw[1:-1] if raw[0] in "\"'" else raw
        yield Attribute(match.group(1).lower(), html.unescape(unquoted),
                        offset + match.start(2), offset + match.end(2))


def rewrite_attributes(
    document: str, names: frozenset[str], rewrite: Callable[[str, str], str | None]
) -> str:
    """``document`` with the value of every attribute called one of ``names`` replaced by
    ``rewrite(name, raw_value)`` (the value as written, without quotes; None keeps it).
    The quotes stay as they were; everything else is left byte for byte."""
    pieces: list[str] = []
    done = 0
    for tag in start_tags(document):
        for attribute in tag.attributes:
            if attribute.name not in names or attribute.start < 0:
                continue
            raw = document[attribute.start:attribute.end]
            quote = raw[0] if raw[0] in "\"'" else ""
            new = rewrite(attribute.name, raw[1:-1] if quote else raw)
            if new is None:
                continue
            pieces += [document[done:attribute.start], f"{quote}{new}{quote}"]
            done = attribute.end
    pieces.append(document[done:])
    return "".join(pieces)


def element_span(document: str, name: str, element_id: str) -> tuple[int, int] | None:
    """Where the ``<name id="element_id">`` element starts and ends (past its end tag), nested
    elements of the same name included; None when it is absent or never closed."""
    tags = start_tags(document)
    opening = next((tag for tag in tags if tag.name == name and tag.get("id") == element_id),
                   None)
    if opening is None:
        return None
    boundary = re.compile(rf"<(/?){name}\b[^>]*>", re.IGNORECASE)
    depth = 1
    for match in boundary.finditer(document, opening.end):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return opening.start, match.end()
    return None
