"""The little markdown a form holds: its intro (blocks) and a consent label (one line).

Links are written as in any page (``[notre politique](confidentialite.md)``); every ``href`` goes
through ``resolve_link``, which the build provides to turn a page's source path into the URL
relative to the page that shows the form, and to report pages that do not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.etree.ElementTree import Element

from markdown import Markdown, util
from markdown.treeprocessors import Treeprocessor

LinkResolver = Callable[[str], str]

_LINK_PRIORITY = 1
"""After ``inline`` (20), which creates the ``a`` elements."""


class _LinkTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, resolve_link: LinkResolver) -> None:
        super().__init__(md)
        self.resolve_link = resolve_link

    def run(self, root: Element) -> None:
        for link in root.iter("a"):
            href = link.get("href")
            # An e-mail autolink's href is obfuscated into character-entity placeholders: it is
            # no page address, and resolving it would only report a bogus unknown page.
            if href is not None and util.AMP_SUBSTITUTE not in href:
                link.set("href", self.resolve_link(href))


def _markdown(resolve_link: LinkResolver | None) -> Markdown:
    md = Markdown()
    if resolve_link is not None:
        md.treeprocessors.register(
            _LinkTreeprocessor(md, resolve_link), "parole_form_links", _LINK_PRIORITY
        )
    return md


def block_html(text: str, resolve_link: LinkResolver | None = None) -> str:
    """``text`` as HTML blocks (paragraphs, lists…)."""
    return _markdown(resolve_link).convert(text)


def inline_html(text: str, resolve_link: LinkResolver | None = None) -> str | None:
    """``text`` as inline HTML (no wrapping ``<p>``), or None when it is more than one paragraph:
    a label sits inside a ``<label>``, where block elements are not allowed."""
    html = _markdown(resolve_link).convert(text)
    if not (html.startswith("<p>") and html.endswith("</p>")):
        return None
    inner = html[len("<p>"):-len("</p>")]
    if "<p>" in inner or "</p>" in inner:
        return None
    return inner
