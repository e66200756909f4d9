"""TODO markers: the places where a draft still asks its author to write something.

``parole new`` writes its drafts with them, and every build warns about each one left, with its
file and line, so that a strict ``parole build`` stops until all are replaced.

A marker is the word ``TODO`` in capitals, standing as a word of its own (``TODO:``, ``(TODO)``;
not ``todo``, ``TODOS`` or ``MY_TODO``):

- in ``mkdocs.yml``, anywhere, comments included;
- in a page, anywhere (headings, text, front matter, HTML comments, ```form blocks, which become
  forms) except in code, which shows words as written: fenced code blocks and `inline code`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from site_builder.forms.fence import INFO as FORM_INFO
from site_builder.forms.fence import fenced_blocks
from site_builder.messages import say

WORD = "TODO"
_MARKER = re.compile(rf"\b{WORD}\b")
_INLINE_CODE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_SHOWN = 120
"""Characters of the marker's line quoted in a warning."""


@dataclass(frozen=True)
class Marker:
    """A TODO marker: where it is, and its line, which says what to write there."""

    file: str
    line: int
    text: str


def config_markers(text: str, file: str) -> list[Marker]:
    """The markers of a configuration file's ``text``."""
    return [Marker(file, number, line.strip())
            for number, line in enumerate(text.splitlines(), 1) if _MARKER.search(line)]


def page_markers(text: str, file: str) -> list[Marker]:
    """The markers of a page's source ``text`` (front matter included), outside code."""
    if WORD not in text:  # most pages: no need to look for code
        return []
    lines = text.splitlines()
    in_code: set[int] = set()
    for start, end, info in fenced_blocks(lines):
        if info != FORM_INFO:
            in_code.update(range(start, end + 1))
    return [Marker(file, number, line.strip())
            for number, line in enumerate(lines, 1)
            if number - 1 not in in_code and _MARKER.search(_INLINE_CODE.sub("", line))]


def shown_path(path: str | Path, config_file: str | Path | None) -> str:
    """``path`` as the organizer finds it: from the folder of ``mkdocs.yml`` when inside it."""
    path = Path(path).resolve()
    if config_file is not None:
        folder = Path(config_file).resolve().parent
        if path.is_relative_to(folder):
            return path.relative_to(folder).as_posix()
    return str(path)


def warning(marker: Marker, *, in_config: bool) -> str:
    """The build's warning for ``marker``: where, the line, and how to fix it."""
    text = marker.text if len(marker.text) <= _SHOWN else marker.text[:_SHOWN - 1] + "…"
    how = say("todo.config.fix") if in_config else say("todo.page.fix")
    fix = say("problem.how_to_fix", fix=how)
    return f"{say('todo.marker', file=marker.file, line=marker.line, text=text)}\n    {fix}"


def config_warnings(config_file: str | Path | None) -> list[str]:
    """A warning for each marker of the configuration file (none when it cannot be read: MkDocs
    has read it already, or reports why it could not)."""
    if config_file is None:
        return []
    try:
        text = Path(config_file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    return [warning(marker, in_config=True)
            for marker in config_markers(text, Path(config_file).name)]


def page_warnings(source: str, docs_dir: str | Path, src_uri: str,
                  config_file: str | Path | None) -> list[str]:
    """A warning for each marker of the page ``src_uri`` of ``docs_dir``, whose source is
    ``source``."""
    if WORD not in source:  # most pages: no path to resolve on the disk
        return []
    file = shown_path(Path(docs_dir) / src_uri, config_file)
    return [warning(marker, in_config=False) for marker in page_markers(source, file)]
