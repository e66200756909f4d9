"""The ```form block: a Python-Markdown extension that turns each one into the rendered form.

A preprocessor finds fenced blocks whose info string is exactly ``form`` (backticks or tildes,
three or more, at the start of a line), reads their YAML (or the file named by ``src:``), parses
it and puts the HTML the ``render`` callback returns in the page. A ```form shown inside another
fenced block (documentation of the syntax, say) stays as written, and a page without form
blocks is left byte for byte as it was.

Like ``FaqExtension``, one instance serves a whole build: the plugin sets the per-page state
(``active_page_file``, ``line_offset``, ``docs_dir``, ``resolve_link``, ``default_closes``,
``render``) before each page and reads ``forms`` and ``problems`` after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path, PurePosixPath

import yaml
from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from site_builder.errors import Problem
from site_builder.forms import located, yaml_errors
from site_builder.forms.model import Form
from site_builder.forms.parse import FORM_ID, LinkResolver, parse_form
from site_builder.forms.repeated_wording import repeated_wording
from site_builder.i18n import DEFAULT_LANGUAGE, Catalogue
from site_builder.messages import say

PRIORITY = 28
"""After ``normalize_whitespace`` (30), before ``fenced_code_block`` (25, also the priority of
pymdownx.superfences), which would otherwise show the block as code."""

INFO = "form"
_OPENING = re.compile(r"^(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_CLOSING = re.compile(r"^(?P<fence>`{3,}|~{3,})[ \t]*$")


def _renderer_not_set(form: Form) -> str:
    raise RuntimeError("FormsExtension.render is not set: the plugin must give it a renderer")


def _shower_not_set(form_id: str, file: str, line: int) -> str:
    raise RuntimeError("FormsExtension.show is not set: the plugin must give it a function")


class FormsExtension(Extension):
    """Renders the ```form blocks of a page; ``forms`` and ``problems`` say what it found."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.problems: list[Problem] = []
        self.active_page_file = ""
        """The page's path in the docs folder, for messages."""
        self.line_offset = 0
        """Lines (front matter) MkDocs removed before the markdown this extension sees."""
        self.docs_dir = Path()
        self.resolve_link: LinkResolver | None = None
        self.form_text: tuple[str, int, str] = ("", 0, "")
        """The form being read, for ``resolve_link`` to find the line of a link in it: its
        file, the line just before its YAML, and that YAML."""
        self.default_closes: date | None = None
        self.render: Callable[[Form], str] = _renderer_not_set
        self.show: Callable[[str, str, int], str] = _shower_not_set
        """Shows the form declared elsewhere whose id a block holds alone (``SiteForms.show``):
        given the id, the block's file and the line before its YAML, returns the HTML."""
        self.language = DEFAULT_LANGUAGE
        """The base language of the page: a form it declares is written in it."""
        self.catalogue: Catalogue | None = None
        """The site's interface strings: with them, words a form repeats become ``warnings``."""
        self.warnings: list[Problem] = []
        self.fallbacks: list[Problem] = []
        """Strings a form's translation lacks, shown in the form's own language because the
        form allows it (``translation_fallback``): the organizer chose to publish meanwhile."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        md.preprocessors.register(FormPreprocessor(md, self), "parole_forms", PRIORITY)

    def reset(self) -> None:
        """Forms and problems belong to one page. ``Markdown()`` calls this when MkDocs makes
        the page's converter, so an empty page (which no preprocessor sees) starts clean too."""
        self.forms = []
        self.problems = []
        self.warnings = []
        self.fallbacks = []


class FormPreprocessor(Preprocessor):
    """Replaces each ```form block by a placeholder for the rendered form's HTML."""

    def __init__(self, md: Markdown, extension: FormsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        self.extension.reset()
        output: list[str] = []
        kept = 0  # lines before it are in output: any other block, ```form inside included
        for start, end, info in fenced_blocks(lines):
            if info != INFO:
                continue
            output.extend(lines[kept:start])
            if end == len(lines):
                opening = lines[start]
                fence = opening[:len(opening) - len(opening.lstrip(opening[0]))]
                self._report(self._line(start), say("forms.never_closed"),
                             say("forms.never_closed.fix", fence=fence))
                output.extend(lines[start:])
            else:
                html = self._form(lines[start + 1:end], self._line(start))
                # Blank lines around the placeholder make it a block of its own, so the form
                # never lands inside a paragraph.
                output.extend(["", self.md.htmlStash.store(html), ""])
            kept = end + 1
        output.extend(lines[kept:])
        return output

    def _line(self, index: int) -> int:
        """Line number, in the page's source file, of ``lines[index]``."""
        return index + 1 + self.extension.line_offset

    def _form(self, body: list[str], line: int) -> str:
        """The rendered form, or "" when it has problems (they stop the build anyway)."""
        page = self.extension.active_page_file
        self.extension.form_text = (page, line, "\n".join(body))
        data = self._load(self.extension.form_text[2], page, line)
        if isinstance(data, dict) and list(data) == ["id"]:
            return self._reference(data, page, line)
        if isinstance(data, dict) and "src" in data:
            source = self._source(data, line)
            if source is None:
                return ""
            data, file, line = source
        else:
            file = page
        if data is _INVALID:
            return ""
        form, problems = parse_form(
            data, file=file, line=line, resolve_link=self.extension.resolve_link,
            default_closes=self.extension.default_closes,
            language=self.extension.language, warnings=self.extension.fallbacks,
        )
        self.extension.problems.extend(problems)
        if form is None:
            return ""
        self.extension.forms.append(form)
        if self.extension.catalogue is not None:
            self.extension.warnings.extend(repeated_wording(
                form, data, file=file, line=line, catalogue=self.extension.catalogue))
        return self.extension.render(form)

    def _reference(self, data: dict[object, object], page: str, line: int) -> str:
        """A block holding only ``id:``: the form declared on another page, shown in this
        page's language (its ``translations``), posting to the same form."""
        form_id = data["id"]
        if not isinstance(form_id, str) or not FORM_ID.match(form_id.strip()):
            key_line = located.key_line(data, "id")
            self._report(line + 1 + key_line if key_line is not None else line,
                         say("forms.reference.not_id"), say("forms.reference.not_id.fix"))
            return ""
        return self.extension.show(form_id.strip(), page, line)

    def _load(self, text: str, file: str, line: int) -> object:
        """The YAML of ``text`` (whose first line is ``line + 1`` of ``file``), or _INVALID."""
        try:
            return located.load(text)
        except yaml.YAMLError as error:
            mistake = yaml_errors.explain(error)
            self.extension.problems.append(Problem(
                message=mistake.message, fix=mistake.fix, file=file,
                line=line + 1 + mistake.line if mistake.line is not None else line or None,
            ))
            return _INVALID

    def _source(self, data: dict[object, object], line: int) -> tuple[object, str, int] | None:
        """(YAML, file, 0) of the file named by ``src:``, or None after reporting why not."""
        page = self.extension.active_page_file
        key_line = located.key_line(data, "src")
        at = line + 1 + key_line if key_line is not None else line
        src = data["src"]
        if len(data) > 1:
            others = ", ".join(str(key) for key in data if key != "src")
            self._report(at, say("forms.src_and_more", others=others),
                         say("forms.src_and_more.fix"))
            return None
        if not isinstance(src, str) or not src.strip():
            self._report(at, say("forms.src_not_path"), say("forms.src_not_path.fix"))
            return None
        relative = PurePosixPath(src.strip())
        docs = self.extension.docs_dir.resolve()
        path = (docs / relative).resolve()
        if relative.is_absolute() or not path.is_relative_to(docs):
            self._report(at, say("forms.src_outside", src=src, docs=docs),
                         say("forms.src_outside.fix"))
            return None
        if not path.is_file():
            self._report(at, say("forms.src_missing", src=src, path=path),
                         say("forms.src_missing.fix", path=path, page=page))
            return None
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self._report(at, say("forms.src_unreadable", path=path, error=error),
                         say("forms.src_unreadable.fix"))
            return None
        name = relative.as_posix()
        self.extension.form_text = (name, 0, text)
        return self._load(text, name, 0), name, 0

    def _report(self, line: int, message: str, fix: str) -> None:
        self.extension.problems.append(Problem(
            message=message, fix=fix, file=self.extension.active_page_file, line=line,
        ))


_INVALID = object()
"""What ``_load`` returns for YAML it could not read (it reported why)."""


def _is_fence(opening: re.Match[str]) -> bool:
    """A backtick fence's info string holds no backtick (CommonMark): ```a`b``` is inline code."""
    return not (opening.group("fence").startswith("`") and "`" in opening.group("info"))


def _closing_line(lines: list[str], start: int, fence: str) -> int:
    """Index of the line closing the block opened at ``start`` (same character, at least as
    long), or ``len(lines)`` when the block runs to the end of the page."""
    for index in range(start + 1, len(lines)):
        closing = _CLOSING.match(lines[index])
        if closing and closing.group("fence")[0] == fence[0] and \
                len(closing.group("fence")) >= len(fence):
            return index
    return len(lines)


def fenced_blocks(lines: list[str]) -> Iterator[tuple[int, int, str]]:
    """Each fenced block of ``lines``, as a page shows it (a fence shown inside another block is
    part of that block): the index of its opening line, of its closing line (``len(lines)`` when
    it runs to the end) and its info string (``form``, ``python``, "")."""
    index = 0
    while index < len(lines):
        opening = _OPENING.match(lines[index])
        if opening is None or not _is_fence(opening):
            index += 1
            continue
        end = _closing_line(lines, index, opening.group("fence"))
        yield index, end, opening.group("info").strip()
        index = end + 1
