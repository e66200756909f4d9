"""A page's summary for ``<meta name="description">``, which search engines and link previews
show under its title (Lighthouse's SEO audit flags a page without one).

The organizer's words come first: the front matter's ``description``. Else the page's first
paragraph, cut after its last sentence that fits in ``LIMIT`` characters, so the summary never
stops mid-thought; else the site's ``site_description``. Plain text: the template escapes it.
"""

from __future__ import annotations

import re
from contextlib import suppress
from html.parser import HTMLParser

LIMIT = 160
"""Characters: about what search engines show before cutting a description themselves."""
ELLIPSIS = "…"

_SKIPPED = frozenset({"details", "form", "nav", "aside", "figure", "table", "header", "footer",
                      "pre", "script", "style", "template"})
"""Containers whose paragraphs do not speak for the page: a FAQ's answers, forms, tables…"""
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})
_ABBREVIATIONS = frozenset({
    "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "st", "ste", "p", "pp", "ex",
    "cf", "env", "art", "av", "bd", "chap", "fig", "vol", "n°", "tél", "tel", "réf", "ref",
    "mr", "mrs", "ms", "e.g", "i.e", "vs", "approx", "min", "max",
})
"""Words ending with a dot that do not end a sentence ("M. Dupont", "p. ex.", "art. 47");
compared in lower case. A single capital letter is an initial ("J. Martin") too."""
_SENTENCE_END = re.compile(r"[.!?…]+(?:\s?»|[\"\u201d\u2019)\]])*(?=\s|$)")
"""Punctuation, then closing quotes or brackets (a French « » has a space inside), then a
space or the end."""
_SPACES = re.compile(r"[^\S\u00a0\u202f]+")
"""Runs of white space but the no-break spaces of French typography, which stay."""
_WORD_BEFORE = re.compile(r"([\w°.]+)\.$")


def page_description(front_matter: object, content_html: str,
                     site_description: str | None) -> str | None:
    """What ``<meta name="description">`` says for a page: see the module's docstring."""
    if isinstance(front_matter, str) and front_matter.strip():
        return _collapse(front_matter)
    paragraph = first_paragraph(content_html)
    if paragraph:
        return summary(paragraph)
    if site_description and site_description.strip():
        return _collapse(site_description)
    return None


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def summary(text: str, limit: int = LIMIT) -> str:
    """``text`` when it fits in ``limit`` characters; else its sentences up to the last one
    that fits; else (a first sentence too long) its words up to the limit, and "…"."""
    text = _collapse(text)
    if len(text) <= limit:
        return text
    ends = [end for end in sentence_ends(text) if end <= limit]
    if ends:
        return text[:ends[-1]]
    room = limit - len(ELLIPSIS)
    head = text[:room + 1]  # one more: a space just after the room means a whole word fits
    words = head.rsplit(" ", 1)[0] if " " in head else head
    return words[:room].rstrip(" ,;:-\u2013\u2014") + ELLIPSIS


def sentence_ends(text: str) -> list[int]:
    """Where each sentence of ``text`` ends (just after its punctuation and closing quotes).
    French spacing ("Pourquoi ?") ends a sentence like English; an abbreviation does not."""
    ends = []
    for found in _SENTENCE_END.finditer(text):
        if found.group().startswith(".") and _is_abbreviation(text[:found.start() + 1]):
            continue
        ends.append(found.end())
    return ends


def _is_abbreviation(before_and_dot: str) -> bool:
    word = _WORD_BEFORE.search(before_and_dot)
    if word is None:
        return False
    token = word.group(1)
    return (len(token) == 1 and token.isupper()) or token.lower() in _ABBREVIATIONS


def first_paragraph(content_html: str) -> str:
    """The text of the content's first paragraph written by the organizer: a ``<p>`` with some
    text, no class (the theme's own paragraphs have one), and outside the containers of
    ``_SKIPPED`` and of the theme's components (a ``p-`` class)."""
    reader = _FirstParagraph()
    with suppress(_FoundError):  # the rest of the page is not parsed: this runs for every page
        reader.feed(content_html)
        reader.close()
    return _collapse(reader.text) if reader.done else ""


class _FoundError(Exception):
    """The first paragraph is read: stops the parser (HTMLParser has no other way)."""


class _FirstParagraph(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []  # (tag, whether it hides what it holds)
        self.in_paragraph = False
        self.text = ""
        self.done = False

    def _hidden(self) -> bool:
        return any(hides for _, hides in self.open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and self.in_paragraph:
            self.text += " "  # a line break parts two words
        if self.done or tag in _VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        if tag == "p" and not self.in_paragraph:
            if not self._hidden() and not classes:
                self.in_paragraph, self.text = True, ""
            self.open.append((tag, False))
            return
        hides = tag in _SKIPPED or any(name.startswith("p-") for name in classes)
        self.open.append((tag, hides))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:  # <br/>, <img/>: nothing to close
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.done:
            return
        for index in range(len(self.open) - 1, -1, -1):  # closes what was left open inside
            if self.open[index][0] == tag:
                del self.open[index:]
                break
        if tag == "p" and self.in_paragraph:
            self.in_paragraph = False
            self.done = bool(self.text.strip())
            if self.done:
                raise _FoundError

    def handle_data(self, data: str) -> None:
        if self.in_paragraph and not self.done and not self._hidden():
            self.text += data
