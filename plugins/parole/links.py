"""The links part of the ``parole`` plugin: MkDocs' pages and files in, ``site_builder.links``
out.

One ``LinksAdapter`` lives for one build (made in ``on_config``, whose ``extension`` the plugin
installs). It takes two checks over from MkDocs, ``validation.links.not_found`` and
``validation.links.anchors``: MkDocs' messages for them name neither the line nor what the
organizer may have meant, and a link checked by both would be reported twice.

How MkDocs is kept quiet was measured against the alternative, a logging filter dropping MkDocs'
records for the links parole reports: that filter has to recognise MkDocs' wording (which changes
between versions) and let every other record through, whereas a level MkDocs reads as ``ignore``
silences exactly those two checks, costs nothing, and MkDocs then skips its own guesses. What
MkDocs no longer says: that a page links to a draft page (``draft_docs``, an information).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from site_builder.links import LinksExtension, PageAnchors, SiteLinks, SourceLines, page_anchors
from site_builder.urls import relative_url

log = logging.getLogger("mkdocs.plugins.parole")


class HandedOver(int):
    """The level of a check of MkDocs' ``validation.links`` that parole makes itself: MkDocs
    reads DEBUG, which it says nothing at; parole reads ``asked``, the level the organizer
    set. Kept in the configuration itself, so a configuration built again (``mkdocs serve``,
    tests) still knows what the organizer asked for."""

    asked: int

    def __new__(cls, asked: int) -> HandedOver:
        level = super().__new__(cls, logging.DEBUG)
        level.asked = asked
        return level


_DEFAULTS = {"not_found": (logging.WARNING, logging.WARNING),
             "anchors": (logging.INFO, logging.WARNING)}
"""MkDocs' default level of each check parole takes over, and parole's."""


def _take_over(config: MkDocsConfig, name: str) -> int:
    """The level to report ``validation.links.<name>`` at; MkDocs' own check is silent now.

    MkDocs does not tell a level written in mkdocs.yml from its default, so its default stands
    for "not set": missing anchors, INFO for MkDocs, are a warning for parole (a strict build
    stops); an organizer who wants them quiet writes ``anchors: ignore``, and any level other
    than MkDocs' default is kept as written."""
    links = config.validation.links
    level = links[name]
    asked = int(level.asked if isinstance(level, HandedOver) else level)
    links[name] = HandedOver(asked)
    mkdocs_default, parole_default = _DEFAULTS[name]
    return parole_default if asked == mkdocs_default else asked


class LinksAdapter:
    """Records the links of every page and form of one build; reports the broken ones."""

    def __init__(self, config: MkDocsConfig) -> None:
        self.not_found_level = _take_over(config, "not_found")
        self.anchors_level = _take_over(config, "anchors")
        self.docs = Path(config.docs_dir).name
        self.site_links = SiteLinks()
        self.extension = LinksExtension(self.site_links)
        self.anchors: dict[str, PageAnchors] = {}
        self._files: Files | None = None
        self._form_lines: tuple[tuple[str, int, str], SourceLines] | None = None

    def before_page(self, page: Page, markdown: str, files: Files) -> None:
        """Tell the extension about the page MkDocs is about to render. MkDocs only warns
        about a link in a draft page as an information: parole does not check those."""
        self._files = files
        if page.file.inclusion.is_excluded():
            self.extension.start_page("", SourceLines(""))
            return
        source = page.file.content_string
        # Front matter MkDocs removed is never a link's place; a page another plugin rewrote
        # is searched whole.
        self.extension.start_page(page.file.src_uri, SourceLines(
            source, skip_lines=front_matter_lines(source, markdown)))

    def after_page(self, page: Page) -> None:
        """Keep the anchors of the page just rendered, for the links that lead to it."""
        self.anchors[page.file.src_uri] = page_anchors(
            page.present_anchor_ids or (), page.content or "", _heading_anchors(page.toc))

    def form_link(self, href: str, page: Page, form: tuple[str, int, str]) -> str:
        """A link of a form's intro or consent label, recorded with its line in the form
        (``form`` is the form's file, the line before its YAML and that YAML), and returned as
        MkDocs resolves links in pages: ``confidentialite.md#droits`` becomes that page's URL
        relative to the form's page. A link to nothing stays as written (and is reported)."""
        file, yaml_line, yaml = form
        if self._form_lines is None or self._form_lines[0] is not form:  # a new form
            self._form_lines = (form, SourceLines(yaml, first_line=yaml_line + 1))
        line = self._form_lines[1].line_of(href)
        target = self.site_links.add(href, page=page.file.src_uri, file=file, line=line)
        found = self._files.get_file_from_path(target[0]) if target and self._files else None
        if target is None or found is None or href.startswith("#"):
            return href
        query = href.partition("#")[0].partition("?")[2]
        return (relative_url(found.url, page.url) + (f"?{query}" if query else "")
                + (f"#{target[1]}" if target[1] else ""))

    def report(self) -> None:
        """Say every broken link, each at the level the organizer asked for its kind."""
        files = {file.src_uri for file in self._files} if self._files is not None else set()
        missing, no_anchor = self.site_links.problems(files, self.anchors, docs=self.docs)
        for problems, level in ((missing, self.not_found_level),
                                (no_anchor, self.anchors_level)):
            for problem in problems:
                log.log(level, "%s", problem)


def front_matter_lines(source: str, markdown: str) -> int:
    """How many lines of the page's source MkDocs removed (front matter) before ``markdown``,
    so messages give the line in the file the organizer edits."""
    if not source.endswith(markdown):  # an earlier plugin rewrote the page: no safe offset
        return 0
    return source[: len(source) - len(markdown)].count("\n")


def _heading_anchors(toc: Iterable[AnchorLink]) -> list[str]:
    """The anchors of a page's headings, in page order."""
    anchors: list[str] = []
    for item in toc:
        anchors.append(item.id)
        anchors.extend(_heading_anchors(item.children))
    return anchors
