"""A page's prose, from its markdown: the sentences a reader reads, each with its line.

Left out: the front matter (its lines still counted), fenced code and ```form blocks, indented
code, HTML comments and tags (their text stays), link URLs and image paths (a link's text and an
image's alternative text stay), inline code, tables' markup (each cell is text of its own),
abbreviation definitions (``*[HLM]: ...``, which ``abbreviation_definitions`` reads) and link
reference definitions. A heading, a list item and a table cell are sentences of their own, even
without a full stop; a paragraph is cut into sentences at ``.``, ``!``, ``?`` and ``…`` (not at
« M. », « p. ex. » or « art. »: the rules of ``page_description.sentence_ends``, which reads one
paragraph; this one reads pages of any length in one pass).
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from site_builder.forms.fence import fenced_blocks

_SENTENCE_END = re.compile(r"[.!?…]+(?:\s?»|[\"\u201d\u2019)\]])*(?=\s|$)")
"""Punctuation, then closing quotes or brackets (a French « » has a space inside), then a
space or the end."""
_WORD_BEFORE = re.compile(r"([\w°.]{1,20})\.$")
_ABBREVIATIONS = frozenset({
    "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "st", "ste", "p", "pp", "ex",
    "cf", "env", "art", "av", "bd", "chap", "fig", "vol", "n°", "tél", "tel", "réf", "ref",
    "mr", "mrs", "ms", "e.g", "i.e", "vs", "approx", "min", "max",
})
"""Words ending with a dot that do not end a sentence (« M. Dupont », « p. ex. », « art. 47 »),
in lower case; a single capital is an initial (« J. Martin »). The same as page_description's."""


@dataclass(frozen=True)
class Sentence:
    """A sentence of the page's prose, on one line, and the line of the markdown it starts on."""

    text: str
    line: int


@dataclass(frozen=True)
class _Block:
    """Prose read as one run (a paragraph, a heading, a list item, a cell): its text on one
    line, and where each of its source lines starts in it."""

    text: str
    starts: tuple[int, ...]
    lines: tuple[int, ...]

    def line_at(self, offset: int) -> int:
        return self.lines[max(bisect_right(self.starts, offset) - 1, 0)]


_HEADING = re.compile(r"^#{1,6}(?:\s+|$)(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^(?:=+|-+)\s*$")
_RULE = re.compile(r"^(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?(.*)$")
_QUOTE = re.compile(r"^(?:\s{0,3}>\s?)+")
_ADMONITION = re.compile(r'^(?:!!!|\?\?\?\+?)\s*[\w-]+(?:\s+"(.*)")?\s*$')
_ATTRIBUTES_LINE = re.compile(r"^\{:?\s*[#.:][^}]*\}$")
_REFERENCE = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s*\S")
_ABBREVIATION = re.compile(r"^\s{0,3}\*\[([^\]]+)\]:\s*(.*)$")
_FOOTNOTE = re.compile(r"^\s{0,3}\[\^[^\]]+\]:\s*(.*)$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HIDDEN_ELEMENT = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)

_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~=<])")
_INLINE_CODE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_TARGET = r"(?:\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]{0,300}\")?\)|\[[^\[\]]*\])"
_IMAGE = re.compile(r"!\[([^\[\]]*)\]" + _TARGET)
_LINK = re.compile(r"\[([^\[\]]*)\]" + _TARGET)
"""A link's or image's text (without brackets inside: each bracket is looked at once), then its
address in parentheses or its reference in brackets."""
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")
_AUTOLINK = re.compile(r"<(?:[a-z][a-z0-9+.-]*:|[^\s@<>]+@)[^\s<>]*>", re.IGNORECASE)
_URL = re.compile(r"\b(?:(?:https?|ftp)://|www\.)\S+?(?=[.,;:!?)\]»\"']*(?:\s|$))",
                  re.IGNORECASE)
"""An address written as it is, without the punctuation after it (which may end a sentence)."""
_SEGMENT = r"[\w~%-]+(?:\.[\w~%-]+)*"
_PATH = re.compile(rf"(?<![\w/<])/(?:{_SEGMENT})?(?:/{_SEGMENT})*/?")
"""A path on the site (« /accessibilite/ », « /collect/avis-place/receipt.html »): not words."""
_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_ATTRIBUTES = re.compile(r"\{\s*:?\s*[#.][^}]*\}")
_EMPHASIS = re.compile(r"\*+|~~|==|\^\^|(?<!\w)_+|_+(?!\w)")
_SPACES = re.compile(r"[^\S\u00a0\u202f]+")
_SPACE_BEFORE_STOP = re.compile(r" ([.,])(?!\w)")
"""A space left before a full stop or a comma by what was taken out (« sur https://… . »)."""
_PRIVATE = 0xE000
"""Escaped characters wait in the private use area while the markup around them goes."""
_RESTORE = {_PRIVATE + code: code for code in range(128)}


def sentences(markdown: str, first_line: int = 1) -> list[Sentence]:
    """The sentences of the prose of ``markdown``, whose first line is ``first_line`` of its
    file (front matter is recognised only when ``first_line`` is 1: a file's beginning)."""
    found = []
    for block in _blocks(markdown, first_line):
        start = 0
        for end in [*_sentence_ends(block.text), len(block.text)]:
            text = block.text[start:end]
            lead = len(text) - len(text.lstrip())
            if text.strip():
                found.append(Sentence(text.strip(), block.line_at(start + lead)))
            start = end
    return found


def _sentence_ends(text: str) -> list[int]:
    """Where each sentence of ``text`` ends: just after its punctuation and closing quotes."""
    ends = []
    for found in _SENTENCE_END.finditer(text):
        if found.group().startswith("."):
            word = _WORD_BEFORE.search(text, max(0, found.start() - 20), found.start() + 1)
            token = word.group(1) if word else ""
            if (len(token) == 1 and token.isupper()) or token.lower() in _ABBREVIATIONS:
                continue
        ends.append(found.end())
    return ends


def abbreviation_definitions(markdown: str) -> dict[str, str]:
    """The page's abbreviations defined in markdown (``*[HLM]: habitation à loyer modéré``)."""
    return {match.group(1).strip(): match.group(2).strip()
            for match in map(_ABBREVIATION.match, markdown.splitlines()) if match}


class _Step(NamedTuple):
    """One kind of inline markup taken out: ``apply`` does it; ``hint`` says whether the text
    may hold any (a character every match has), so that most lines skip most steps."""

    hint: Callable[[str], object]
    apply: Callable[[str], str]


def _has(*characters: str) -> Callable[[str], object]:
    """Whether a text holds one of ``characters`` (a regular expression's search: no Python
    call per character)."""
    return re.compile("|".join(map(re.escape, characters))).search


_ESCAPED = re.compile(f"[{chr(_PRIVATE)}-{chr(_PRIVATE + 127)}]")
_STEPS = (
    _Step(_has("\\"), lambda text: _ESCAPE.sub(
        lambda match: chr(_PRIVATE + ord(match.group(1))), text)),
    _Step(_has("`"), lambda text: _INLINE_CODE.sub("", text)),
    _Step(_has("["), lambda text: _IMAGE.sub(r"\1", text)),
    _Step(_has("["), lambda text: _LINK.sub(r"\1", text)),
    _Step(_has("[^"), lambda text: _FOOTNOTE_REF.sub("", text)),
    _Step(_has("<"), lambda text: _AUTOLINK.sub("", text)),
    _Step(re.compile(r"://|www\.", re.IGNORECASE).search, lambda text: _URL.sub("", text)),
    _Step(_has("<"), lambda text: _BREAK_TAG.sub(" ", text)),
    _Step(_has("<"), lambda text: _TAG.sub("", text)),
    _Step(_has("/"), lambda text: _PATH.sub("", text)),
    _Step(_has("{"), lambda text: _ATTRIBUTES.sub("", text)),
    _Step(_has("*", "~~", "==", "^^", "_"), lambda text: _EMPHASIS.sub("", text)),
    _Step(_has("&"), html.unescape),
    _Step(_ESCAPED.search, lambda text: text.translate(_RESTORE)),
)
"""In this order: an escaped character waits out of the way until the end; a link's text
stays after its address goes; a tag goes after an address in angle brackets."""
SKIP_BY_HINTS = True
"""False: every step on every line, as if no hint existed; the same text comes out
(``tests/test_plain_language_speed.py``), more slowly: the hints are only for speed."""


def inline_text(text: str) -> str:
    """``text`` without its inline markup: what the reader sees of it."""
    for step in _STEPS:
        if step.hint(text) or not SKIP_BY_HINTS:
            text = step.apply(text)
    return _SPACE_BEFORE_STOP.sub(r"\1", _SPACES.sub(" ", text)).strip()


def _hidden_lines(lines: list[str], front_matter: bool) -> set[int]:
    """Indexes of the lines that are not prose at all: front matter, fenced blocks."""
    hidden: set[int] = set()
    if front_matter and lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in {"---", "..."}:
                hidden.update(range(index + 1))
                break
    for start, end, _info in fenced_blocks(lines):
        if start not in hidden:
            hidden.update(range(start, min(end, len(lines) - 1) + 1))
    return hidden


def _without_comments(markdown: str) -> str:
    """``markdown`` with its HTML comments and script/style elements blanked, lines kept."""
    def blank(match: re.Match[str]) -> str:
        return "\n" * match.group().count("\n")
    return _COMMENT.sub(blank, _HIDDEN_ELEMENT.sub(blank, markdown))


def _table_lines(lines: list[str]) -> dict[int, bool]:
    """Indexes of the lines of tables: True for a row, False for the separator line."""
    table: dict[int, bool] = {}
    for index in range(1, len(lines)):
        if _TABLE_SEPARATOR.match(lines[index]) and "|" in lines[index - 1]:
            table[index - 1], table[index] = True, False
            row = index + 1
            while row < len(lines) and "|" in lines[row] and lines[row].strip():
                table[row] = True
                row += 1
    return table


def _cells(line: str) -> list[str]:
    row = line.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row)]


class _Reader:
    """Walks the lines, gathering blocks."""

    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        self.current: list[tuple[int, str]] = []
        self.blank_before = True
        self.in_list = False
        self.code = False

    def add(self, number: int, text: str) -> None:
        text = inline_text(text)
        if text:
            self.current.append((number, text))

    def close(self) -> None:
        if not self.current:
            return
        starts, lines, parts, offset = [], [], [], 0
        for number, text in self.current:
            starts.append(offset)
            lines.append(number)
            parts.append(text)
            offset += len(text) + 1
        self.blocks.append(_Block(" ".join(parts), tuple(starts), tuple(lines)))
        self.current = []

    def alone(self, number: int, text: str) -> None:
        """``text`` as a block of its own (a heading, a cell)."""
        self.close()
        self.add(number, text)
        self.close()

    def code_line(self, raw: str) -> bool:
        """Whether ``raw`` (not blank) is a line of indented code: 4 spaces or a tab after a
        blank line, outside a list or an admonition (whose bodies are indented too)."""
        indented = raw.startswith(("    ", "\t"))
        if self.code and indented:
            return True
        self.code = indented and self.blank_before and not self.in_list
        if self.code:
            self.close()
            return True
        if self.blank_before and not indented:
            self.in_list = False
        self.blank_before = False
        return False

    def line(self, number: int, line: str) -> None:
        """A line of text (quotes' markers off), by what it starts with."""
        if SKIP_BY_HINTS and line[:1].isalpha():
            self.add(number, line)  # most lines: text, none of the markers below
            return
        if (_ATTRIBUTES_LINE.match(line) or _REFERENCE.match(line) or _ABBREVIATION.match(line)
                or _RULE.match(line) or (_SETEXT.match(line) and self.current)):
            self.close()  # not prose; or the end of a heading underlined with = or -
            return
        heading = _HEADING.match(line)
        admonition = _ADMONITION.match(line)
        item = _LIST_ITEM.match(line) or _FOOTNOTE.match(line)
        if heading:
            self.alone(number, heading.group(1))
        elif admonition:
            self.alone(number, admonition.group(1) or "")
            self.in_list = True  # its body is indented, not code
        elif item:
            self.close()
            self.in_list = True
            self.add(number, item.group(1))
        else:
            self.add(number, line)


def _blocks(markdown: str, first_line: int) -> list[_Block]:
    lines = _without_comments(markdown).splitlines()
    hidden = _hidden_lines(lines, front_matter=first_line == 1)
    table = _table_lines(lines)
    reader = _Reader()
    for index, raw in enumerate(lines):
        number = first_line + index
        if index in hidden or not raw.strip():
            reader.close()
            reader.blank_before = True
            continue
        if reader.code_line(raw):
            continue
        line = _QUOTE.sub("", raw).strip()
        if index in table:
            reader.close()
            for cell in _cells(line) if table[index] else []:
                reader.alone(number, cell)
            continue
        reader.line(number, line)
    reader.close()
    return reader.blocks
