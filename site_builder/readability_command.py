"""``parole readability PAGE.md [PAGE.md ...] [--language fr|en] [--target default|falc]
[--max-words N] [--config FILE]``: which sentences of a page to simplify, and why.

For each page: every flagged sentence at ``file:line``, the sentence, then each reason in plain
words (a long sentence, a long uncommon word, an abbreviation without its meaning…), then the
page's score against its target. The page is measured as the build measures it
(``readability_report``, ``plain_language``): the same target (its front matter's
``plain_language:``, the site's ``plain_language.max_words`` and ``min_score`` read from
``mkdocs.yml`` when there is one, as ``parole results`` and ``parole audit`` read theirs), the
same lines. ``--language``, ``--target`` and ``--max-words`` override them for this run; without
``--language``, a page named ``page.en.md`` is in English, any other in the site's language.

Exit status: 0 when every page reaches its target, 1 when one is below it, 2 when the command
could not check as asked: a wrong command line (argparse's convention, which the other
commands follow), a page that cannot be read (missing, a folder, not text, not UTF-8, too big),
a wrong ``mkdocs.yml``. Every such message says what, where and how to fix it; no traceback.
"""

from __future__ import annotations

import argparse
import re
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from site_builder.collector.terminal import for_terminal
from site_builder.config_lines import ConfigLines, load_config_document
from site_builder.errors import ConfigError, ParoleError, Problem
from site_builder.i18n import DEFAULT_LANGUAGE, base_language
from site_builder.messages import say, say_count, use_language
from site_builder.plain_language import (
    SUPPORTED_LANGUAGES,
    PageReadability,
    Signal,
    Target,
    analyse_markdown,
)
from site_builder.readability_report import (
    FRONT_MATTER_KEY,
    TARGET_NAMES,
    UnknownTargetError,
    format_score,
    front_matter_line,
    page_target,
    site_targets,
    target_problem,
)

DEFAULT_CONFIG = "mkdocs.yml"
USAGE_ERROR = 2
BELOW_TARGET = 1
MAX_BYTES = 1024 * 1024
"""A page larger than 1 MiB is not a page a person reads: refused before it is read whole."""
OPTIONS_FIELD = "plugins.parole.plain_language"
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\r?\n(.*?\r?\n)?(?:\.{3}|-{3})[ \t]*(?:\r?\n|\Z)", re.S)
"""As MkDocs finds front matter (``mkdocs.utils.meta``)."""

SIGNAL_WORDS = {
    "long_sentence": "readability.signal.long_sentence",
    "long_word": "readability.signal.long_word",
    "abbreviation": "readability.signal.abbreviation",
    "percentage": "readability.signal.percentage",
    "roman_numeral": "readability.signal.roman_numeral",
    "capitals": "readability.signal.capitals",
    "parentheses": "readability.signal.parentheses",
    "semicolon": "readability.signal.semicolon",
}
"""Each signal said in plain words, with what to do about it."""


_UNREADABLE = {
    "missing": ("readability.command.missing", "readability.command.missing_fix"),
    "unreadable": ("readability.command.unreadable", "readability.command.unreadable_fix"),
    "folder": ("readability.command.folder", "readability.command.folder_fix"),
    "not_a_file": ("readability.command.not_a_file", "readability.command.not_a_file_fix"),
    "too_big": ("readability.command.too_big", "readability.command.too_big_fix"),
    "binary": ("readability.command.binary", "readability.command.binary_fix"),
    "not_utf8": ("readability.command.not_utf8", "readability.command.not_utf8_fix"),
}
"""Why a page cannot be read: what to say, and how to fix it."""


class PageUnreadableError(ParoleError):
    """A page named on the command line cannot be measured: the message says why."""

    def __init__(self, path: Path, reason: str, **values: object) -> None:
        message, fix = _UNREADABLE[reason]
        super().__init__(str(Problem(say(message, **values), say(fix, **values),
                                     file=str(path))))


@dataclass(frozen=True)
class ReadabilitySettings:
    """What ``mkdocs.yml`` says, each None when not written (parole's defaults apply)."""

    language: str | None = None
    """``theme.language``, as a base language (``fr``)."""
    max_words: int | None = None
    min_score: float | None = None


def add_readability_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    command = commands.add_parser("readability", help=say("readability.command.help"),
                                  description=say("readability.command.help_description"))
    command.add_argument("pages", nargs="+", type=Path, metavar="PAGE.md",
                         help=say("readability.command.help_pages"))
    command.add_argument("--language", choices=SUPPORTED_LANGUAGES,
                         help=say("readability.command.help_language"))
    command.add_argument("--target", choices=TARGET_NAMES,
                         help=say("readability.command.help_target"))
    command.add_argument("--max-words", type=_max_words, metavar="N",
                         help=say("readability.command.help_max_words"))
    command.add_argument("--config", metavar="FILE",
                         help=say("readability.command.help_config", default=DEFAULT_CONFIG))
    return command


def _max_words(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(say("readability.command.not_max_words", value=value))
    return int(value)


def run_readability(arguments: argparse.Namespace) -> int:
    """Every page measured and shown; the exit status (see the module). Never a traceback for
    something a person can fix."""
    try:
        settings = readability_settings(arguments.config)
    except ParoleError as error:
        print(error, file=sys.stderr)
        return USAGE_ERROR
    use_language(settings.language)  # None: the environment's
    targets = site_targets(settings.max_words, settings.min_score)
    status = 0
    reached = 0
    for path in arguments.pages:
        try:
            readability = _measure(path, arguments, settings, targets)
        except ParoleError as error:
            print(error, file=sys.stderr)
            status = USAGE_ERROR
            continue
        if readability is None:
            print(say("readability.command.skipped", file=path))
            reached += 1
            continue
        print(_page_text(path, readability), end="")
        if readability.below_target:
            status = max(status, BELOW_TARGET)
        else:
            reached += 1
    if len(arguments.pages) > 1:
        print(say("readability.command.summary", reached=reached, pages=len(arguments.pages)))
    return status


def readability_settings(config: str | None) -> ReadabilitySettings:
    """The options of ``config`` (default ``mkdocs.yml``, which may be missing: parole's
    defaults then). Raises ``ConfigError`` naming the file, line and field of anything wrong."""
    path = Path(config or DEFAULT_CONFIG)
    if not path.is_file():
        if config is None:
            return ReadabilitySettings()
        raise ConfigError([Problem(say("readability.command.config_missing", path=path.resolve()),
                                   say("readability.command.config_missing_fix"))])
    document = load_config_document(path, "readability.command.config_unreadable",
                                    "readability.command.config_unreadable_fix")
    lines = ConfigLines(document, "parole")
    options, _line = lines.options
    plain = options.get("plain_language") if isinstance(options, Mapping) else None
    plain = plain if isinstance(plain, Mapping) else {}
    problems: list[Problem] = []

    def number(name: str, *, whole: bool) -> Any:
        value = plain.get(name)
        kinds = (int,) if whole else (int, float)
        if value is None or (isinstance(value, kinds) and not isinstance(value, bool)
                             and (not whole or value >= 1)):
            return value
        problems.append(Problem(say("readability.command.option", option=name, value=repr(value)),
                                say("readability.command.option_fix"), file=str(path),
                                line=lines.option(("plain_language", name)),
                                field=f"{OPTIONS_FIELD}.{name}"))
        return None

    max_words, min_score = number("max_words", whole=True), number("min_score", whole=False)
    if problems:
        raise ConfigError(problems)
    theme = document.get("theme")
    language = theme.get("language") if isinstance(theme, Mapping) else None
    return ReadabilitySettings(base_language(language) if isinstance(language, str) and language
                               else None, max_words, min_score)


def _measure(path: Path, arguments: argparse.Namespace, settings: ReadabilitySettings,
             targets: Mapping[str, Target]) -> PageReadability | None:
    """``path`` measured against its target (None: its front matter leaves it out)."""
    text = read_page(path)
    target: Target | None
    if arguments.target is not None:
        target = targets[arguments.target]
    else:
        value = _front_matter(text).get(FRONT_MATTER_KEY, True)
        try:
            target = page_target(value, targets)
        except UnknownTargetError as error:
            raise ConfigError([target_problem(error.args[0], file=str(path),
                                              line=front_matter_line(text))]) from None
        if target is None:
            return None
    if arguments.max_words is not None:
        target = replace(target, max_words=arguments.max_words)
    language = arguments.language or _language_of(path) or settings.language or DEFAULT_LANGUAGE
    return analyse_markdown(text, language, target)


def read_page(path: Path) -> str:
    """The text of the page at ``path``, or :class:`PageUnreadableError` saying why not: missing, a
    folder, not a regular file (a device would never end), over :data:`MAX_BYTES`, binary (a NUL
    byte), not UTF-8 (with the line of the first wrong byte). A UTF-8 BOM is dropped."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise PageUnreadableError(path, "missing") from None
    except OSError as error:
        raise PageUnreadableError(path, "unreadable",
                             error=error.strerror or error) from None
    if stat.S_ISDIR(info.st_mode):
        raise PageUnreadableError(path, "folder", folder=path)
    if not stat.S_ISREG(info.st_mode):
        raise PageUnreadableError(path, "not_a_file")
    too_big = {"size": f"{info.st_size / 1024 / 1024:.1f}", "limit": MAX_BYTES // 1024 // 1024}
    if info.st_size > MAX_BYTES:
        raise PageUnreadableError(path, "too_big", **too_big)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise PageUnreadableError(path, "unreadable",
                             error=error.strerror or error) from None
    if len(data) > MAX_BYTES:  # it grew since stat
        raise PageUnreadableError(path, "too_big", **too_big)
    if b"\x00" in data:
        raise PageUnreadableError(path, "binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PageUnreadableError(path, "not_utf8",
                             line=data[:error.start].count(b"\n") + 1) from None
    return text.removeprefix("\ufeff")


def _front_matter(text: str) -> Mapping[str, Any]:
    """The page's front matter, as MkDocs reads it: none, or not a mapping, or not YAML →
    empty (MkDocs then reads the page without it)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}
    try:
        data = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, Mapping) else {}


def _language_of(path: Path) -> str | None:
    """``page.en.md`` → ``en`` (the suffix layout of multilingual sites); else None."""
    suffixes = path.name.split(".")[1:-1]
    return suffixes[-1] if suffixes and suffixes[-1] in SUPPORTED_LANGUAGES else None


def _page_text(path: Path, readability: PageReadability) -> str:
    """The page's flagged sentences, each reason on its own line, then its score."""
    lines = []
    for sentence in readability.flagged:
        lines.append(f"{for_terminal(str(path))}:{sentence.line}: {for_terminal(sentence.text)}")
        lines += [f"    - {signal_words(signal, readability.target)}"
                  for signal in sentence.signals]
    lines.append(_score_line(path, readability))
    return "\n".join(lines) + "\n"


def signal_words(signal: Signal, target: Target) -> str:
    """``signal`` in plain words, with what to do about it."""
    key = SIGNAL_WORDS.get(signal.kind)
    text = for_terminal(signal.text)
    if key is None:  # a signal this version does not know how to say: as the measure names it
        return f"{signal.kind}: {text}"
    return say(key, text=text, max_words=target.max_words)


def _score_line(path: Path, readability: PageReadability) -> str:
    file = for_terminal(str(path))
    target = readability.target
    if readability.language not in SUPPORTED_LANGUAGES:
        return say("readability.command.language_not_measured", file=file,
                   language=readability.language, languages=", ".join(SUPPORTED_LANGUAGES))
    if readability.score is None:
        return say("readability.command.no_prose", file=file)
    flagged = say_count("readability.command.sentences", len(readability.flagged))
    key = ("readability.command.below_target" if readability.below_target
           else "readability.command.reached")
    return say(key, file=file, score=format_score(readability.score),
               target=f"{target.min_score:g}", name=target.name, flagged=flagged)
