"""A page's HTML made fit for the low-data edition (``site_builder.low_data``): one offline file.

A page's rendered content is parsed into a small tree (:class:`Element`), then:

- nothing is left that would fetch anything or run: ``script``, ``style``, ``link``, ``iframe``,
  ``video``, media and embedded objects, form controls go; ``style``, ``class``, event
  handler and ``srcset`` attributes go (a class refers to a stylesheet the file does not carry);
- a picture becomes a visible note with its alternative text ("[Image : plan de la place]"), a
  decorative one (``alt=""``) disappears, and an embedded video or map says it is on the site;
  an inline SVG stays when it is small (:data:`SMALL_SVG` bytes) and self-contained;
- FAQ answers are laid flat: the question is a heading again, its answer below it, with no
  ``<details>`` to open (prints whole, reads by heading, finds with the browser's search);
  any other ``<details>`` is opened;
- headings go down one level (the file's one ``h1`` is the consultation's title, each page is
  an ``h2``), and every ``id`` gets the page's prefix, so ids stay unique across pages;
  a reference to an id that went with what was removed (a ``<label for>`` whose input was
  dropped) goes too.

Links are rewritten afterwards by the caller (:func:`rewrite_links`), once every page's ids are
known. No MkDocs here; the caller serializes with :func:`serialize`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})
DROPPED = frozenset({"script", "style", "link", "meta", "base", "template", "source", "track",
                     "map", "form", "input", "button", "select", "textarea", "datalist",
                     "output", "object", "embed", "canvas"})
"""Elements removed with their content: they fetch, run, or post, which an offline file cannot."""
UNWRAPPED = frozenset({"picture", "noscript"})
"""Elements replaced by their content (a picture's ``img``; what shows when scripts are off)."""
MEDIA = frozenset({"iframe", "video", "audio"})
"""Embedded content only the site can show: replaced by a note naming it."""
DROPPED_ATTRIBUTES = frozenset({"class", "style", "srcset", "sizes", "loading", "decoding",
                                "fetchpriority", "ping", "background", "poster"})
ID_REFERENCES = ("for", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns",
                 "aria-details", "aria-errormessage", "aria-flowto", "headers")
"""Attributes that name ids of the same page (space-separated lists)."""
OWN_CLASS = "ld-"
"""Classes of the edition's own stylesheet (``theme/low-data.html``), the only ones kept."""
SMALL_SVG = 2048
"""An inline SVG up to this many bytes, drawing only from itself, stays in the file."""
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
FAQ_ITEM = "p-faq__item"


@dataclass
class Element:
    """An HTML element; ``children`` are elements or text (unescaped)."""

    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)
    self_closing: bool = False
    """Written ``<x/>``: SVG elements, where that syntax means an empty element."""

    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def walk(self) -> Iterator[Element]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.walk()

    def text(self) -> str:
        """The text inside, whitespace collapsed."""
        parts: list[str] = []

        def collect(node: Element) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    collect(child)

        collect(self)
        return " ".join("".join(parts).split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, dict(attrs), self_closing=tag not in VOID))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):  # an end tag with no start is ignored
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    """``html`` (a fragment) as a tree under a ``#root`` element; comments are left out."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def serialize(node: Element | str) -> str:
    """The tree back to HTML (the ``#root`` element writes only its children)."""
    if isinstance(node, str):
        return escape(node, quote=False)
    inner = "".join(serialize(child) for child in node.children)
    if node.tag == "#root":
        return inner
    attrs = "".join(f" {name}" if value is None else f' {name}="{escape(value)}"'
                    for name, value in node.attrs.items())
    if node.self_closing:
        return f"<{node.tag}{attrs}/>"
    if node.tag in VOID:
        return f"<{node.tag}{attrs}>"
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"


@dataclass(frozen=True)
class Notes:
    """The visible notes that stand in for what the file cannot show (interface strings)."""

    image: Callable[[str], str]
    """``alt`` → "[Image : alt]"."""
    image_untitled: str
    media: Callable[[str], str]
    """A video's or a map's title → "[To see on the site: title]"."""
    media_untitled: str


def _note(text: str) -> Element:
    return Element("span", {"class": "ld-note"}, [text])


def clean(root: Element, notes: Notes) -> None:
    """Remove or replace, in place, everything an offline file must not or cannot hold."""
    children: list[Element | str] = []
    for child in root.children:
        children.extend([child] if isinstance(child, str) else _cleaned(child, notes))
    root.children = children


def _cleaned(element: Element, notes: Notes) -> list[Element | str]:
    replaced = _replaced(element, notes)
    if replaced is not None:
        return replaced
    if element.tag == "details":
        element.attrs["open"] = None
    clean(element, notes)
    if element.tag in UNWRAPPED:
        return element.children
    own = " ".join(name for name in element.classes() if name.startswith(OWN_CLASS))
    element.attrs = {name: value for name, value in element.attrs.items()
                     if name not in DROPPED_ATTRIBUTES and not name.startswith("on")}
    if own:
        element.attrs["class"] = own
    return [element]


def _replaced(element: Element, notes: Notes) -> list[Element | str] | None:
    """What stands in for ``element`` when it cannot stay as it is (None: it stays)."""
    tag = element.tag
    if tag in DROPPED:
        return []
    if tag == "img":
        alt = element.attrs.get("alt")
        decorative = alt is not None and not alt.strip()  # alt="": on purpose
        return [] if decorative else [_note(notes.image(alt.strip()) if alt else
                                            notes.image_untitled)]
    if tag in MEDIA:
        title = (element.attrs.get("title") or element.attrs.get("aria-label") or "").strip()
        return [_note(notes.media(title) if title else notes.media_untitled)]
    if tag == "svg":
        return _svg(element, notes)
    if tag == "details" and FAQ_ITEM in element.classes():
        flat = _faq_answer(element)
        clean(flat, notes)
        return flat.children
    return None


def _svg(svg: Element, notes: Notes) -> list[Element | str]:
    """Keep a small SVG that draws only from itself; else its title as a note (or nothing when
    it is hidden from assistive technologies: decorative)."""
    if _self_contained(svg) and len(serialize(svg).encode("utf-8")) <= SMALL_SVG:
        return [svg]
    if svg.attrs.get("aria-hidden") == "true":
        return []
    titles = [node.text() for node in svg.walk() if node.tag == "title"]
    label = (svg.attrs.get("aria-label") or (titles[0] if titles else "")).strip()
    return [_note(notes.image(label) if label else notes.image_untitled)]


def _self_contained(svg: Element) -> bool:
    """No script, no stylesheet, no embedded picture or HTML, no reference outside itself."""
    for node in svg.walk():
        if node.tag in {"script", "style", "image", "foreignobject"}:
            return False
        for name, value in node.attrs.items():
            text = value or ""
            if name.startswith("on") or (name.endswith("href") and not text.startswith("#")):
                return False
            if "url(" in text.replace("url(#", ""):
                return False
    return True


def _faq_answer(details: Element) -> Element:
    """A FAQ ``<details>`` laid flat: the question's heading, then the answer; the answer's id
    (the question's anchor, see ``site_builder.faq``) moves to the heading, so a link to the
    question shows the question first."""
    heading: Element | None = None
    answer: list[Element | str] = []
    anchor: str | None = None
    for child in details.children:
        if isinstance(child, str):
            continue
        if child.tag == "summary":
            heading = next((node for node in child.walk() if node.tag in HEADINGS), None)
        else:
            anchor = anchor or child.attrs.get("id")
            answer.extend(child.children)
    flat = Element("#root")
    if heading is not None:
        heading.attrs = {"id": anchor} if anchor else {}
        flat.children.append(heading)
    flat.children.extend(answer)
    return flat


def demote_headings(root: Element) -> None:
    """Every heading one level down (``h6`` stays ``h6``): pages are sections of one file."""
    for node in root.walk():
        if node.tag in HEADINGS and node.tag != "h6":
            node.tag = f"h{int(node.tag[1]) + 1}"


def prefix_ids(root: Element, prefix: str, taken: set[str]) -> dict[str, str]:
    """Give every ``id`` the page's ``prefix`` (``page-faq--``), unique among ``taken`` (which
    grows), and point the page's references (``for``, ``aria-*``, ``href="#…"``) at the new
    ids. Returns the page's old → new ids, for links from other pages.

    A reference to an id the page no longer has goes (the attribute too when nothing is left):
    a ``<label for>`` whose input was dropped by :func:`clean` would otherwise name a control
    that is not there, which is invalid HTML (the W3C checker's error) and which screen readers
    cannot follow. The label's words stay."""
    renamed: dict[str, str] = {}
    for node in root.walk():
        old = node.attrs.get("id")
        if old is None:
            continue
        new = unique(f"{prefix}{old}", taken)
        renamed.setdefault(old, new)
        node.attrs["id"] = new
    for node in root.walk():
        for name in ID_REFERENCES:
            if name not in node.attrs:
                continue
            kept = [renamed[ref] for ref in (node.attrs[name] or "").split() if ref in renamed]
            if kept:
                node.attrs[name] = " ".join(kept)
            else:
                del node.attrs[name]
    return renamed


def unique(candidate: str, taken: set[str]) -> str:
    """``candidate``, or ``candidate-2``, ``-3``… when taken; the result is added to ``taken``."""
    name, number = candidate, 1
    while name in taken:
        number += 1
        name = f"{candidate}-{number}"
    taken.add(name)
    return name


def rewrite_links(root: Element, address: Callable[[str], str | None]) -> None:
    """Point every link through ``address``: ``href`` → new ``href``, or None when the link
    leads nowhere offline (it goes, its text stays). An SVG's ``#id`` references follow too."""
    children: list[Element | str] = []
    for child in root.children:
        if isinstance(child, str):
            children.append(child)
            continue
        rewrite_links(child, address)
        href = child.attrs.get("href")
        if child.tag in {"a", "area"} and href is not None:
            new = address(href)
            if new is None:
                children.extend(child.children)
                continue
            child.attrs["href"] = new
        elif href is not None and href.startswith("#"):  # <use href="#…"> in a kept SVG
            child.attrs["href"] = address(href) or href
        children.append(child)
    root.children = children
