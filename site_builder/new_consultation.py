"""``parole new FOLDER``: start a consultation of your own.

It writes ``mkdocs.yml``, filled with the title, the organizer and the dates (asked on the
terminal, or given as options), and short drafts of the pages every consultation needs (the
brief, a FAQ, the form, help in person, the accessibility statement, the privacy page), taken
from ``site_builder/starter/<language>/``. What is not known yet becomes a TODO marker, which the
build reports with its file and line (``site_builder.todo_markers``) until it is replaced.

It never overwrites a file: one that is there already is kept as it is, and said so.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template
from typing import TextIO

import yaml

from site_builder.calendar import iso_date
from site_builder.messages import say, say_count, speaking
from site_builder.new_questions import Answers, ask_missing, email_problem
from site_builder.todo_markers import WORD, config_markers, page_markers

LANGUAGES = ("fr", "en", "ar")
DEFAULT_LANGUAGE = "fr"
CONFIG = "mkdocs.yml"
DOCS = "docs"
_INDENT = "        "  # under `organizer:` in the plugin's options
_EXAMPLE_DATES = {"opens": "2027-01-15", "closes": "2027-02-28"}


def add_new_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``new`` to ``parole``'s subcommands."""
    new = commands.add_parser(
        "new", help=say("cli.help.new"), description=say("cli.help.new_description"))
    new.add_argument("folder", type=Path, metavar="FOLDER", help=say("cli.help.new_folder"))
    new.add_argument("--language", choices=LANGUAGES, default=DEFAULT_LANGUAGE,
                     help=say("cli.help.new_language", default=DEFAULT_LANGUAGE))
    new.add_argument("--title", help=say("cli.help.new_title"))
    new.add_argument("--organizer", help=say("cli.help.new_organizer"))
    new.add_argument("--email", help=say("cli.help.new_email"))
    new.add_argument("--phone", help=say("cli.help.new_phone"))
    new.add_argument("--opens", metavar="YYYY-MM-DD", help=say("cli.help.new_opens"))
    new.add_argument("--closes", metavar="YYYY-MM-DD", help=say("cli.help.new_closes"))


def run_new(arguments: argparse.Namespace, *, stdin: TextIO | None = None,
            stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run ``parole new``; returns the exit code. Questions are asked when ``stdin`` (standard
    input by default) is a terminal, and only then."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    with speaking(arguments.language):  # French for French pages, English otherwise
        try:
            answers = _answers_from_options(arguments)
        except ValueError as error:
            print(say("new.error", message=error), file=stderr)
            return 2
        starter = Starter(arguments.language)
        folder: Path = arguments.folder
        if folder.exists() and not folder.is_dir():
            print(say("new.error", message=say("new.not_a_folder", folder=folder)), file=stderr)
            return 1
        to_write = [name for name in starter.files() if not (folder / name).exists()]
        if not to_write:
            print(say("new.error", message=say("new.nothing_to_write", folder=folder)),
                  file=stderr)
            return 1
        if CONFIG in to_write and stdin.isatty():
            try:
                answers = ask_missing(answers, stdin, stdout)
            except KeyboardInterrupt:
                print("\n" + say("new.interrupted"), file=stderr)
                return 130
        return _write(folder, starter, to_write, answers, stdout=stdout, stderr=stderr)


def _answers_from_options(arguments: argparse.Namespace) -> Answers:
    """What the options say, checked as the questions check answers; raises ValueError."""
    days: dict[str, date | None] = {}
    for option in ("opens", "closes"):
        value = getattr(arguments, option)
        days[option] = iso_date(value) if value else None
        if value and days[option] is None:
            raise ValueError(say("new.bad_date_option", option=f"--{option}", value=value))
    opens, closes = days["opens"], days["closes"]
    if opens and closes and closes < opens:
        raise ValueError(say("new.closes_before_opens", opens=opens, closes=closes))
    if arguments.email and email_problem(arguments.email):
        raise ValueError(say("new.bad_email", value=arguments.email))
    return Answers(title=_one_line(arguments.title), organizer=_one_line(arguments.organizer),
                   email=_one_line(arguments.email), phone=_one_line(arguments.phone),
                   opens=opens, closes=closes)


def _one_line(value: str | None) -> str | None:
    """``value`` on one line, its spaces collapsed; None when empty."""
    return (" ".join(value.split()) or None) if value else None


@dataclass(frozen=True)
class Starter:
    """The drafts of one language: ``site_builder/starter/<language>/``."""

    language: str

    @property
    def folder(self) -> Traversable:
        return resources.files("site_builder") / "starter" / self.language

    def files(self) -> list[str]:
        """What ``parole new`` writes, from the consultation's folder: mkdocs.yml first."""
        pages = sorted(entry.name for entry in (self.folder / DOCS).iterdir()
                       if entry.name.endswith(".md"))
        return [CONFIG, *(f"{DOCS}/{name}" for name in pages)]

    def text(self, name: str, answers: Answers) -> str:
        draft = (self.folder / name).read_text(encoding="utf-8")
        return config_text(draft, answers) if name == CONFIG else draft


def config_text(template: str, answers: Answers) -> str:
    """``mkdocs.yml`` from its ``template``: the answers filled in, a TODO for each missing."""
    title = answers.title or f"{WORD}: {say('new.todo.title')}"
    organizer = answers.organizer or f"{WORD}: {say('new.todo.organizer')}"
    return Template(template).substitute(
        site_name=f"site_name: {_scalar(title)}",
        site_url="\n".join(_to_fill(("site_url",), {}, say("new.todo.site_url"), "")),
        organizer="\n".join(_organizer_lines(answers, organizer)),
        dates="\n".join(_date_lines(answers)),
    )


def _organizer_lines(answers: Answers, name: str) -> Iterator[str]:
    yield f"{_INDENT}name: {_scalar(name)}"
    for key, value in (("email", answers.email), ("phone", answers.phone)):
        if value:
            yield f"{_INDENT}{key}: {_scalar(value)}"
        else:
            yield from _to_fill((key,), {}, say(f"new.todo.{key}"), _INDENT)
    yield from _to_fill(("address",), {}, say("new.todo.address"), _INDENT)


def _date_lines(answers: Answers) -> Iterator[str]:
    indent = _INDENT[:-2]
    if answers.opens and answers.closes:
        yield f"{indent}opens: {answers.opens.isoformat()}"
        yield f"{indent}closes: {answers.closes.isoformat()}"
        return
    # One date alone would stop every build (opens needs closes): both wait, commented.
    known = {key: day.isoformat() for key, day in (("opens", answers.opens),
                                                   ("closes", answers.closes)) if day}
    yield from _to_fill(("opens", "closes"), known, say("new.todo.dates"), indent)


def _to_fill(keys: tuple[str, ...], known: dict[str, str], todo: str,
             indent: str) -> Iterator[str]:
    """A ``# TODO:`` comment, then each key commented out with its value or an example."""
    yield f"{indent}# {WORD}: {todo}"
    fill = (say("new.todo.fill_one", option=keys[0]) if len(keys) == 1
            else say("new.todo.fill_two", first=keys[0], second=keys[1]))
    yield f"{indent}#   {fill}"
    for key in keys:
        yield f"{indent}# {key}: {known.get(key) or _example(key)}"


def _example(key: str) -> str:
    """The value shown on a commented line a TODO asks to fill in (in .example domains)."""
    return _EXAMPLE_DATES.get(key) or say(f"new.example.{key}")


def _scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when it reads back the same, else in double quotes
    (JSON's, which YAML reads; YAML's single quotes would double every apostrophe)."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000)
    plain = dumped.removesuffix("\n...\n").rstrip("\n")
    return json.dumps(value, ensure_ascii=False) if plain.startswith(("'", '"')) else plain


def _write(folder: Path, starter: Starter, to_write: list[str], answers: Answers, *,
           stdout: TextIO, stderr: TextIO) -> int:
    written: list[str] = []
    markers = 0
    failed = False
    try:
        for name in to_write:
            text = starter.text(name, answers)
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                with path.open("x", encoding="utf-8") as file:  # "x": never over a file
                    file.write(text)
            except FileExistsError:  # made since we looked: kept too
                continue
            written.append(name)
            find = config_markers if name == CONFIG else page_markers
            markers += len(find(text, name))
    except OSError as error:
        failed = True
        print(say("new.error", message=say("new.cannot_write", folder=folder, error=error)),
              file=stderr)
    if not written:
        if not failed:
            print(say("new.error", message=say("new.nothing_to_write", folder=folder)),
                  file=stderr)
        return 1
    _report(folder, starter, written, markers, stdout)
    return 1 if failed else 0


def _report(folder: Path, starter: Starter, written: list[str], markers: int,
            stdout: TextIO) -> None:
    kept = [name for name in starter.files() if name not in written]
    lines = [say("new.written", folder=folder)]
    lines += [f"  {name}" for name in written]
    if kept:
        lines.append(say("new.kept"))
        lines += [f"  {name}" for name in kept]
        if CONFIG in kept:
            lines.append(say("new.kept_config"))
    # The folder as a shell reads it, so that the "cd" shown can be copied as it is.
    lines += ["", say_count("new.markers", markers),
              say("new.next", folder=shlex.quote(str(folder)))]
    print("\n".join(lines), file=stdout)
