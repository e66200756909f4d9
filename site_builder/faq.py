"""FAQ pages: each level-2 heading is a question, everything up to the next one its answer.

Questions become native ``<details>``/``<summary>`` elements, so they open and close without
JavaScript, and the page carries schema.org ``FAQPage`` JSON-LD so search engines can show the
answers. The heading's anchor (toc's slug) moves to the answer: browsers open a closed
``<details>`` when the fragment targets an element inside its content, not its summary, so a
link to ``faq/#slug`` lands on an open answer even with JavaScript disabled.

The plugin switches the extension on (``active``) for ``type: faq`` pages only and reads
``questions`` after each page to report a FAQ without any question. Other pages are untouched.
"""

from __future__ import annotations

import json
from collections.abc import Container
from copy import deepcopy
from dataclasses import dataclass
from html.parser import HTMLParser
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.extensions.toc import remove_fnrefs, run_postprocessors
from markdown.treeprocessors import Treeprocessor, UnescapeTreeprocessor

PRIORITY = 4
"""After ``toc`` (5), which gives each heading its unique slug ``id``, and after MkDocs' anchor
collection (5); before ``unescape`` and MkDocs' link rewriting (0), which then treat the answers
like any other content."""

_HIDDEN_TAGS = frozenset({"script", "style", "template"})
_FOOTNOTES_CLASS = "footnote"
_JSON_IN_SCRIPT = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


@dataclass(frozen=True)
class Question:
    """One question of a FAQ page, as plain text (what the JSON-LD says)."""

    name: str
    anchor: str
    answer: str


class FaqExtension(Extension):
    """Renders the FAQ of a page while ``active``; ``questions`` lists what the last page had.

    One instance serves every page of a build (MkDocs makes one ``Markdown`` per page), so the
    plugin flips ``active`` per page rather than configuring a new extension each time.
    """

    def __init__(self) -> None:
        super().__init__()
        self.active = False
        self.questions: list[Question] = []

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        md.treeprocessors.register(FaqTreeprocessor(md, self), "parole_faq", PRIORITY)

    def reset(self) -> None:
        """Called by ``Markdown.reset()``: questions belong to one conversion."""
        self.questions = []


class FaqTreeprocessor(Treeprocessor):
    """Regroups the top-level h2 sections of the document into the FAQ block."""

    def __init__(self, md: Markdown, extension: FaqExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Element) -> None:
        """Only top-level h2s with some text are questions (an h2 in a quote or an empty ``##``
        is not); with no question at all the page is left as written and ``questions`` stays
        empty, for the plugin to report."""
        self.extension.questions = []
        if not self.extension.active:
            return
        names = {el: name for el in root if el.tag == "h2" and (name := self._plain_text(el))}
        if not names:
            return
        intro, sections, footnotes = _split(root, names)
        faq = _element("div", "p-faq", text="\n")
        questions = []
        permalink_class = self._permalink_class()
        for heading, content in sections:
            _drop_permalinks(heading, permalink_class)
            answer = _answer(heading, content)
            faq.append(_item(heading, answer))
            questions.append(Question(
                name=names[heading], anchor=answer.get("id", ""), answer=self._plain_text(answer)
            ))
        root[:] = [*intro, faq, _json_ld(questions), *footnotes]
        self.extension.questions = questions

    def _plain_text(self, element: Element) -> str:
        """Text of ``element`` as the finished page shows it, whitespace collapsed.

        Renders a copy the way the rest of the pipeline will (backslash escapes restored, raw
        HTML and entities put back by the postprocessors), then reads the text out of that HTML,
        so the JSON-LD holds no Markdown placeholder and no markup. Footnote references and the
        permalinks ``toc`` adds to headings (a "¶") are not part of what the text says.
        """
        copy = remove_fnrefs(deepcopy(element))
        permalink_class = self._permalink_class()
        for link in copy.iter("a"):
            if permalink_class and link.get("class") == permalink_class:
                link.text = ""
        UnescapeTreeprocessor(self.md).run(copy)
        reader = _TextReader(self.md)
        reader.feed(run_postprocessors(self.md.serializer(copy), self.md))
        reader.close()
        return " ".join("".join(reader.parts).split())

    def _permalink_class(self) -> str | None:
        """Class of the permalinks ``toc`` appends to headings (configurable, "headerlink")."""
        if "toc" not in self.md.treeprocessors:
            return None
        return getattr(self.md.treeprocessors["toc"], "permalink_class", None)


class _TextReader(HTMLParser):
    """Collects the text a reader sees: no script or style, a space between blocks."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(convert_charrefs=True)
        self.md = md
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        self._separate(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        self._separate(tag)

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)

    def _separate(self, tag: str) -> None:
        if tag == "br" or self.md.is_block_level(tag):
            self.parts.append(" ")


def _drop_permalinks(heading: Element, permalink_class: str | None) -> None:
    """A summary is itself the control that opens the answer: a permalink inside it would be a
    link inside a button, which screen readers and touch users cannot tell apart."""
    for child in list(heading):  # toc appends its permalink as a direct child
        if permalink_class and child.tag == "a" and child.get("class") == permalink_class:
            heading.remove(child)


def _is_footnotes(element: Element) -> bool:
    """The footnotes block the ``footnotes`` extension appends: it stays after the FAQ."""
    return element.tag == "div" and element.get("class") == _FOOTNOTES_CLASS


Section = tuple[Element, list[Element]]
"""A question's heading and the elements of its answer."""


def _split(
    root: Element, questions: Container[Element]
) -> tuple[list[Element], list[Section], list[Element]]:
    """(intro, [(question heading, answer content)], footnotes) from the document's children."""
    intro: list[Element] = []
    sections: list[Section] = []
    footnotes: list[Element] = []
    for element in root:
        if _is_footnotes(element):
            footnotes.append(element)
        elif element in questions:
            sections.append((element, []))
        else:
            (sections[-1][1] if sections else intro).append(element)
    return intro, sections, footnotes


def _element(tag: str, css_class: str, *, text: str | None = None) -> Element:
    element = Element(tag, {"class": css_class})
    element.text = text
    element.tail = "\n"
    return element


def _answer(heading: Element, content: list[Element]) -> Element:
    """The answer's ``div``, taking the heading's id: only a fragment that targets an element
    inside the details' content (not the summary) opens it."""
    answer = _element("div", "p-faq__answer", text="\n")
    if anchor := heading.attrib.pop("id", None):
        answer.set("id", anchor)
    answer.extend(content)
    return answer


def _item(heading: Element, answer: Element) -> Element:
    """``<details>``: the heading in its summary, then the answer."""
    item = _element("details", "p-faq__item", text="\n")
    summary = _element("summary", "p-faq__question")
    heading.set("class", " ".join(filter(None, [heading.get("class"), "p-faq__title"])))
    heading.tail = None
    summary.append(heading)
    item.extend([summary, answer])
    return item


def _json_ld(questions: list[Question]) -> Element:
    """schema.org ``FAQPage`` as a ``<script>`` whose text cannot close the element early."""
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": question.name,
                "acceptedAnswer": {"@type": "Answer", "text": question.answer},
            }
            for question in questions
        ],
    }
    script = Element("script", {"type": "application/ld+json"})
    script.text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(
        _JSON_IN_SCRIPT
    )
    script.tail = "\n"
    return script
