"""Pictures in pages: a Python-Markdown extension that checks every ``<img>`` of a page and puts
the published picture's markup (``site_builder.images.markup``) in its place.

- Markdown pictures (``![what it shows](plan.jpg)``) and ``<img>`` tags written in the page's
  HTML both count; paths start from the page's folder (``/`` from the docs folder).
- **Every picture needs a text alternative.** ``![](plan.jpg)`` is an error: write what the
  picture shows between the brackets, or ``![""](plan.jpg)`` for a picture that is only
  decoration, which becomes ``alt=""`` (screen readers skip it). In HTML, ``alt=""`` is already
  that explicit choice; an ``<img>`` without ``alt`` is an error.
- A picture on another site (``https://…``) is an error: readers' phones would ask that site for
  it. A missing file is an error. Each names the page, the line and the picture.

The treeprocessor runs after ``attr_list`` (8) and before MkDocs' ``relpath`` (0): a picture
becomes a placeholder for its final HTML, whose addresses are relative to the page's URL
(``relpath`` only knows ``src``, not ``srcset``). Raw HTML is in Python-Markdown's stash by then;
its ``<img>`` tags are rewritten there. After the stash is put back, a postprocessor makes the
page's first picture load at once.

Like ``FaqExtension``, one instance serves a whole build: the plugin sets ``pictures`` once and
calls :meth:`ImagesExtension.start_page` before each page, then reads ``problems``.
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from urllib.parse import quote, unquote, urlsplit
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor, UnescapeTreeprocessor

from site_builder.errors import Problem
from site_builder.images import Drawing, Picture, Prepared, Variant
from site_builder.images.markup import drawing_html, picture_html
from site_builder.messages import say
from site_builder.urls import relative_url

TREE_PRIORITY = 3
FIRST_PICTURE_PRIORITY = 25  # after raw_html (30) put the stash back
DECORATIVE = ('""', "“”")
"""What an author writes between the brackets for a picture that is only decoration."""
_IMG_TAG = re.compile(r"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
_LAZY = ' loading="lazy"'
_MISSING = object()


class ImagesExtension(Extension):
    """Checks and rewrites the pictures of each page; ``problems`` lists what it found."""

    def __init__(self) -> None:
        super().__init__()
        self.pictures: dict[str, Prepared] = {}
        """Every picture of the docs folder by its path there (``site_builder.images``)."""
        self.docs_files: frozenset[str] = frozenset()
        """Every file of the docs folder: a path among them is not missing."""
        self.problems: list[Problem] = []
        self.page_file = ""
        self.page_url = ""
        self.page_lines: list[str] = []
        self.lazy_tags: set[str] = set()

    def start_page(self, page_file: str, page_url: str, source: str) -> None:
        """The page about to render: its path in the docs folder, its URL (MkDocs'
        ``page.url``) and its source file's text (for line numbers)."""
        self.page_file, self.page_url = page_file, page_url
        self.page_lines = source.splitlines()  # split once: every picture looks up its line
        self.problems = []
        self.lazy_tags = set()

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        md.treeprocessors.register(PictureTreeprocessor(md, self), "parole_images",
                                   TREE_PRIORITY)
        md.postprocessors.register(FirstPicturePostprocessor(md, self),
                                   "parole_images_first", FIRST_PICTURE_PRIORITY)


class PictureTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, extension: ImagesExtension) -> None:
        super().__init__(md)
        self.extension = extension
        self._unescape = UnescapeTreeprocessor(md).unescape
        self._lines_used: dict[str, int] = {}

    def run(self, root: Element) -> None:
        self._lines_used = {}
        blocks = self.md.htmlStash.rawHtmlBlocks
        for index, block in enumerate(blocks):
            if isinstance(block, str) and "<img" in block.lower():
                blocks[index] = _IMG_TAG.sub(self._raw_tag, block)
        found = [(parent, child) for parent in root.iter() for child in parent
                 if child.tag == "img"]
        for parent, img in found:
            attributes = {name: self._unescape(value) for name, value in img.items()}
            html = self._rewrite(attributes, markdown=True)
            if html is not None:
                _replace(parent, img, self.md.htmlStash.store(html))
            elif "alt" in attributes:  # left as it is, but never with the '""' marker
                img.set("alt", attributes["alt"])

    def _raw_tag(self, match: re.Match[str]) -> str:
        attributes = _tag_attributes(match.group(0))
        return self._rewrite(attributes, markdown=False) or match.group(0)

    def _rewrite(self, attributes: dict[str, str], *, markdown: bool) -> str | None:
        """The HTML replacing a picture; "" to drop a missing one (reported: left in, MkDocs
        would report it a second time); None to leave it as it is, its ``alt`` marker resolved
        in ``attributes``. Problems go to the extension."""
        src = attributes.get("src", "")
        line = self._line(src)
        alt = self._alt(attributes.get("alt"), src, line, markdown=markdown)
        if alt is not None:
            attributes["alt"] = alt
        target = self._target(src, line)
        if target is _MISSING:
            return ""
        if not isinstance(target, Picture | Drawing) or alt is None:
            return None
        others = {name: value for name, value in attributes.items() if name not in ("src", "alt")}
        if isinstance(target, Picture):
            html, img = picture_html(target, alt=alt, url=lambda variant: self._url(
                target, variant), attributes=others)
        else:
            url = relative_url(quote(target.src_uri), self.extension.page_url)
            html = img = drawing_html(target, alt=alt, url=url, attributes=others)
        if _LAZY in img and "loading" not in attributes:
            self.extension.lazy_tags.add(img)
        return html

    def _alt(self, alt: str | None, src: str, line: int | None, *, markdown: bool) -> str | None:
        if alt is not None and alt.strip() in DECORATIVE:
            return ""
        if alt is not None and (alt.strip() or not markdown):
            return alt
        name = src.rsplit("/", 1)[-1] or src
        fix = (say("images.no_alt.fix_markdown", src=src) if markdown
               else say("images.no_alt.fix_html"))
        self._report(say("images.no_alt", name=name), fix, line)
        return None

    def _target(self, src: str, line: int | None) -> Picture | Drawing | object | None:
        """The published picture ``src`` names; ``_MISSING`` for a file that does not exist;
        None for a picture left as it is (reported when it is a problem)."""
        parts = urlsplit(src)
        if parts.scheme in ("http", "https") or parts.netloc:
            self._report(say("images.external", src=src), say("images.external.fix"), line)
            return None
        if parts.scheme or not parts.path:  # data:, or an address the page builds itself
            return None
        path = unquote(parts.path)
        page_folder = posixpath.dirname(self.extension.page_file)
        uri = posixpath.normpath(path.lstrip("/") if path.startswith("/")
                                 else posixpath.join(page_folder, path))
        found = self.extension.pictures.get(uri)
        if isinstance(found, Picture | Drawing):
            return found
        if found is None and uri not in self.extension.docs_files:
            fix = (say("images.missing.fix_in", folder=f"{page_folder}/") if page_folder
                   else say("images.missing.fix"))
            self._report(say("images.missing", src=src, uri=uri), fix, line)
            return _MISSING
        return None  # unusable (reported once) or a file parole leaves alone

    def _url(self, picture: Picture, variant: Variant) -> str:
        return relative_url(quote(picture.site_path(variant)), self.extension.page_url)

    def _line(self, src: str) -> int | None:
        """The line of the page's source that names ``src``: the first one after the line given
        for the previous picture with the same path, so repeated pictures get their own."""
        if not src:
            return None
        lines = self.extension.page_lines
        after = self._lines_used.get(src, 0)
        for start in (after, 0):
            for number, text in enumerate(lines[start:], start + 1):
                if src in text:
                    self._lines_used[src] = number
                    return number
        return None

    def _report(self, message: str, fix: str, line: int | None) -> None:
        self.extension.problems.append(Problem(
            message=message, fix=fix, file=self.extension.page_file, line=line))


class FirstPicturePostprocessor(Postprocessor):
    """Drops ``loading="lazy"`` from the page's first picture when parole wrote it."""

    def __init__(self, md: Markdown, extension: ImagesExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        first = _IMG_TAG.search(text)
        if first is None or first.group(0) not in self.extension.lazy_tags:
            return text
        eager = first.group(0).replace(_LAZY, "", 1)
        return text[:first.start()] + eager + text[first.end():]


def _replace(parent: Element, child: Element, placeholder: str) -> None:
    """Put ``placeholder`` text where ``child`` was in ``parent``."""
    index = list(parent).index(child)
    text = placeholder + (child.tail or "")
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    parent.remove(child)


class _TagReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.attributes:
            self.attributes = {name: value or "" for name, value in attrs}

    handle_startendtag = handle_starttag


def _tag_attributes(tag: str) -> dict[str, str]:
    """The attributes of one ``<img …>`` tag written in HTML (``alt`` absent when not written)."""
    reader = _TagReader()
    reader.feed(tag)
    reader.close()
    return reader.attributes
