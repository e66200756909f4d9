"""Links between the pages of a consultation, checked the way parole reports its own errors: the
file, the line that holds the link, the pages or anchors near the name asked, and how to fix it.

MkDocs checks the same links (``validation.links.not_found`` and ``anchors``) but says neither
the line nor what the organizer may have meant; the plugin hands those two checks over to this
module (``plugins/parole/links.py``) so each mistake is said once.

A build goes in two steps. While pages render, every link to a file of the docs folder is
recorded with its line: links in a page's text (:class:`LinksExtension`, before MkDocs rewrites
them) and links in a form's intro or consent labels (the forms adapter, as it resolves them).
Once every page has rendered, :meth:`SiteLinks.problems` compares them with the site's files and
with the anchors of the pages they lead to. Each link is reported once, however many places
show it: a form's links are read once, from its YAML, and its paper version and the low-data
edition reuse that HTML; links sharing one reference definition share its line and one message.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown, util
from markdown.treeprocessors import Treeprocessor

from site_builder.errors import Problem
from site_builder.messages import say

PRIORITY = 1
"""After ``inline`` (20) made the links and FAQ (4) and pictures (3) rewrote the page; before
MkDocs' ``relpath`` (0), which replaces each link's path by the target page's URL."""
LISTED = 3
"""Names suggested for a page or an anchor that does not exist."""
NEAR = 0.6
"""How alike two names must be (difflib's ratio) for one to be suggested for the other."""
_ID = re.compile(r"""\sid=["']([^"']+)["']""")


@dataclass(frozen=True)
class Link:
    """One link to a file of the docs folder, where the organizer wrote it."""

    href: str
    """As written: ``reglement.md``, ``faq.md#peut-on-voter``, ``#contexte``."""
    page: str
    """The page that shows the link (its path in the docs folder): the link starts from its
    folder."""
    file: str
    """Where the link is written: the page, or the YAML file of a form (``src:``)."""
    line: int | None
    target: str
    """The path in the docs folder it leads to."""
    anchor: str


@dataclass(frozen=True)
class PageAnchors:
    """What a link to a page may follow its ``#`` with."""

    ids: frozenset[str]
    headings: tuple[str, ...]
    """The anchors of the page's headings (FAQ questions included), in page order: the ones
    suggested when no anchor is near the name asked."""


def target_of(href: str, page: str) -> tuple[str, str] | None:
    """(path in the docs folder, anchor) of a link written in ``page`` as MkDocs resolves it,
    or None for a link this module does not check: to another site, an e-mail address, an
    absolute path (MkDocs' ``absolute_links``), a page's own top (``?x``), or a path without
    an extension such as ``reglement/`` (MkDocs' ``unrecognized_links``)."""
    if util.AMP_SUBSTITUTE in href or href.startswith(("/", "\\")):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return (page, parts.fragment) if parts.fragment else None
    path = unquote(parts.path)
    if not posixpath.splitext(path)[1]:
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path).lstrip("/"))
    return target, parts.fragment


def page_anchors(ids: Collection[str], html: str, headings: Sequence[str]) -> PageAnchors:
    """The anchors of a rendered page: ``ids`` (MkDocs' ``present_anchor_ids``) and every ``id``
    of its ``html``, which also holds what MkDocs did not see (its forms, kept aside as raw HTML
    while the page's markdown renders)."""
    return PageAnchors(frozenset(ids) | frozenset(_ID.findall(html)), tuple(headings))


class SourceLines:
    """Which line of a source holds each link: the n-th link written ``href`` is on the n-th
    place that names it, so the same address written on two lines gets each line; links that
    share one reference definition (``[r]: reglement.md``) all get its line."""

    def __init__(self, text: str, *, first_line: int = 1, skip_lines: int = 0) -> None:
        """``text`` is the source; its first line is numbered ``first_line``; the first
        ``skip_lines`` lines (front matter) are never a link's place."""
        self._lines = text.splitlines()
        self._first = first_line
        self._skip = skip_lines
        self._places: dict[str, list[int]] = {}
        self._used: dict[str, int] = {}

    def line_of(self, href: str) -> int | None:
        places = self._places.get(href)
        if places is None:
            places = self._places[href] = self._find(href) or self._find(unquote(href))
        if not places:
            return None
        used = self._used.get(href, 0)
        self._used[href] = used + 1
        return places[min(used, len(places) - 1)]

    def _find(self, href: str) -> list[int]:
        # Whole addresses only: 'a.md' is not the one written in 'faq.md'.
        pattern = re.compile(r"(?<![\w./%~-])" + re.escape(href) + r"(?!\.?[\w/%~-])")
        return [index + self._first
                for index, text in enumerate(self._lines) if index >= self._skip
                for _ in pattern.finditer(text)]


class SiteLinks:
    """Every link of one build, recorded as pages render, checked once they all have."""

    def __init__(self) -> None:
        self._links: dict[tuple[str, int | None, str], Link] = {}

    def add(self, href: str, *, page: str, file: str, line: int | None) -> tuple[str, str] | None:
        """Record the link ``href`` of ``page`` written in ``file`` at ``line``; returns where
        it leads (:func:`target_of`), None for a link not checked."""
        target = target_of(href, page)
        if target is not None:
            self._links.setdefault((file, line, href), Link(href, page, file, line, *target))
        return target

    def problems(
        self, files: Collection[str], anchors: Mapping[str, PageAnchors], *, docs: str
    ) -> tuple[list[Problem], list[Problem]]:
        """(links to no file, links to no anchor of their page), each in file and line order.

        ``files`` are the paths of every file of the site (a link to a draft page leads to a
        file, as for MkDocs); ``anchors`` those of each rendered page; ``docs`` names the docs
        folder in messages."""
        pages = sorted(path for path in files if path.endswith(".md"))
        missing: list[Problem] = []
        no_anchor: list[Problem] = []
        for link in sorted(self._links.values(), key=lambda link: (link.file, link.line or 0)):
            if link.target not in files:
                missing.append(_missing(link, pages if link.target.endswith(".md")
                                        else sorted(files), docs))
            elif link.anchor and link.target in anchors \
                    and link.anchor not in anchors[link.target].ids:
                no_anchor.append(_no_anchor(link, anchors[link.target]))
        return missing, no_anchor


class LinksExtension(Extension):
    """Records the links of each page's text into ``site_links``; the plugin calls
    :meth:`start_page` before each page."""

    def __init__(self, site_links: SiteLinks) -> None:
        super().__init__()
        self.site_links = site_links
        self.page = ""
        self.lines = SourceLines("")

    def start_page(self, page: str, source: SourceLines) -> None:
        """The page about to render (its path in the docs folder) and its source's lines."""
        self.page, self.lines = page, source

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        md.treeprocessors.register(_LinkTreeprocessor(md, self), "parole_links", PRIORITY)


class _LinkTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, extension: LinksExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Element) -> None:
        extension = self.extension
        if not extension.page:
            return
        for link in root.iter("a"):
            href = link.get("href")
            if href and target_of(href, extension.page) is not None:
                extension.site_links.add(href, page=extension.page, file=extension.page,
                                         line=extension.lines.line_of(href))


def _missing(link: Link, candidates: Sequence[str], docs: str) -> Problem:
    near = _near_paths(link.target, candidates)
    written = [_written_from(link.page, path) for path in near]
    kind = "links.no_page" if link.target.endswith(".md") else "links.no_file"
    message = say(kind, link=link.href, target=link.target, docs=docs)
    if written:
        message += say("links.near_pages", names=", ".join(written))
        fix = say("links.no_page.fix_near", example=written[0], page=link.page,
                  target=link.target)
    else:
        fix = say("links.no_page.fix", page=link.page, target=link.target)
    return Problem(message=message, fix=fix, file=link.file, line=link.line)


def _no_anchor(link: Link, anchors: PageAnchors) -> Problem:
    near = difflib.get_close_matches(link.anchor, sorted(anchors.ids), n=LISTED, cutoff=NEAR)
    here = link.target == link.page
    key = "links.no_anchor_here" if here else "links.no_anchor"
    message = say(key, link=link.href, target=link.target, anchor=link.anchor)
    if near:
        message += say("links.near_anchors", names=", ".join(f"#{a}" for a in near))
    elif anchors.headings:
        headings = [f"#{anchor}" for anchor in anchors.headings[:LISTED + 2]]
        message += say("links.page_anchors", names=", ".join(headings))
    if near:
        path = "" if here else link.href.partition("#")[0]
        fix = say("links.no_anchor.fix_near", example=f"{path}#{near[0]}", anchor=link.anchor)
    else:
        fix = say("links.no_anchor.fix", anchor=link.anchor)
    return Problem(message=message, fix=fix, file=link.file, line=link.line)


def _near_paths(target: str, candidates: Sequence[str]) -> list[str]:
    """The paths of ``candidates`` whose name is near ``target``'s, nearest first: the whole
    path and the file name alone both count (a page written in the wrong folder is found)."""
    def stem(path: str) -> str:
        return posixpath.splitext(path)[0].lower()

    wanted = stem(target)
    scored = []
    for path in candidates:
        candidate = stem(path)
        score = max(difflib.SequenceMatcher(None, wanted, candidate).ratio(),
                    difflib.SequenceMatcher(None, posixpath.basename(wanted),
                                            posixpath.basename(candidate)).ratio())
        if score >= NEAR:
            scored.append((-score, path))
    return [path for _, path in sorted(scored)[:LISTED]]


def _written_from(page: str, path: str) -> str:
    """``path`` (in the docs folder) as a link written in ``page`` writes it."""
    return posixpath.relpath(path, posixpath.dirname(page) or ".")
