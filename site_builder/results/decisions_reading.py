"""Reading what was decided (issue #16, section 3): the ``decisions`` list of a results page.

The organizer writes the decisions in the results page's front matter, or in a YAML file beside
the page (``decisions: decisions.yml``), one item per decision::

    decisions:
      - title: Une piste cyclable rue Haute
        status: adopted
        date: 2027-04-12
        reason: La moitié des personnes qui ont répondu viennent à vélo.
        about:
          - question: transport
          - theme: Vélos
          - participation

``read_decisions`` checks every decision and reports every problem at once, each with its file,
its line and its field path (``decisions[2].status``, positions counted from 1 as people count),
and checks that the questions and themes a decision answers exist in the results file, so that
no "Répond à" link leads nowhere. ``decisions`` is the public face (and renders the section);
this module never imports MkDocs.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from site_builder.calendar import iso_date
from site_builder.errors import Problem
from site_builder.forms import located
from site_builder.forms.yaml_errors import explain
from site_builder.messages import say
from site_builder.results import anchors
from site_builder.results.file import ResultsFile

STATUSES = ("adopted", "adapted", "rejected", "under study")
KEYS = ("title", "status", "date", "reason", "about")
REQUIRED = ("title", "status", "date", "reason")
REFERENCE_KINDS = ("question", "theme", "participation")
_WORDS_FOR_STATUS = {
    "adopte": "adopted", "adoptee": "adopted", "accepte": "adopted", "acceptee": "adopted",
    "oui": "adopted", "adapte": "adapted", "adaptee": "adapted", "modifie": "adapted",
    "modifiee": "adapted", "rejete": "rejected", "rejetee": "rejected", "refuse": "rejected",
    "refusee": "rejected", "non": "rejected", "non retenu": "rejected",
    "non retenue": "rejected", "a l'etude": "under study", "a letude": "under study",
    "en cours": "under study", "etude": "under study", "under_study": "under study",
}
"""French (and typed) words organizers may write for a status, to suggest the right one."""
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
"""MkDocs' own front matter pattern (``mkdocs.utils.meta``): the YAML starts on line 2."""


@dataclass(frozen=True)
class Reference:
    """What a decision answers: ``question`` (a question's id in the results file), ``theme``
    (a theme of the published quotes) or ``participation`` (``name`` empty)."""

    kind: str
    name: str


@dataclass(frozen=True)
class Decision:
    title: str
    status: str
    """One of ``STATUSES``."""
    day: date
    reason: str
    about: tuple[Reference, ...] = ()


# --- reading ------------------------------------------------------------------------------------

def read_decisions(
    meta: Mapping[str, Any], *, page_src: str, page_text: str, docs_dir: Path,
    results: ResultsFile | None,
) -> tuple[tuple[Decision, ...], list[Problem]]:
    """The page's decisions (those without problems) and every problem found. ``page_src`` is
    the page's path under the docs folder (for messages), ``page_text`` its source (for line
    numbers); with ``results`` None only the shape of ``about`` is checked."""
    if "decisions" not in meta:
        return (), []
    front = _front_matter(page_text)
    value = front["decisions"] if isinstance(front, dict) and "decisions" in front \
        else meta["decisions"]
    page = _Source(page_src, 2, _key_line(front, page_text))
    if isinstance(value, str):
        data, source, problems = _read_file(value, page, page_src=page_src, docs_dir=docs_dir)
    else:
        data, source, problems = value, page, []
    if data is None:
        return (), problems
    reader = _Reader(source, results)
    if not isinstance(data, list):
        reader.add(None, "decisions", say("results.decisions.not_a_list", value=_shown(data)),
                   say("results.decisions.not_a_list.fix"))
        return (), problems + reader.problems
    found = [reader.decision(item, data, index) for index, item in enumerate(data)]
    return tuple(decision for decision in found if decision is not None), \
        problems + reader.problems


@dataclass(frozen=True)
class _Source:
    """Where the decisions are written: the file as messages name it, what to add to a line of
    its YAML (0-based) to get the file's line, and the line of ``decisions:`` itself."""

    file: str
    offset: int
    line: int | None


def _front_matter(page_text: str) -> object:
    """The page's front matter with the lines of its keys and items, or None."""
    found = _FRONT_MATTER.match(page_text)
    if found is None:
        return None
    try:
        return located.load(found.group(1))
    except yaml.YAMLError:  # MkDocs has read it already, or said nothing of it: use its values
        return None


def _key_line(front: object, page_text: str) -> int | None:
    """The page's line that says ``decisions:``."""
    line = located.key_line(front, "decisions") if isinstance(front, dict) else None
    if line is not None:
        return line + 2
    for number, text in enumerate(page_text.splitlines(), 1):
        if text.split(":", 1)[0].strip() == "decisions":
            return number
    return None


def _read_file(name: str, page: _Source, *, page_src: str,
               docs_dir: Path) -> tuple[object, _Source, list[Problem]]:
    """The decisions file the page names, read with the lines of its items (None and the
    problems when it cannot be)."""
    path, problem = _file_path(name, page_src=page_src, docs_dir=docs_dir)
    if path is None:
        assert problem is not None
        return None, page, [Problem(problem[0], problem[1], file=page.file, line=page.line,
                                    field="decisions")]
    shown = path.relative_to(docs_dir.resolve()).as_posix()
    source = _Source(shown, 1, None)
    try:
        data = located.load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        return None, source, [Problem(say("results.decisions.file_unreadable", error=str(error)),
                                      say("results.decisions.file_unreadable.fix"), file=shown)]
    except yaml.YAMLError as error:
        mistake = explain(error)
        line = mistake.line + 1 if mistake.line is not None else None
        return None, source, [Problem(mistake.message, mistake.fix, file=shown, line=line)]
    if isinstance(data, dict) and "decisions" in data:
        return None, source, [Problem(say("results.decisions.file_key"),
                                      say("results.decisions.file_key.fix"), file=shown,
                                      line=(located.key_line(data, "decisions") or 0) + 1)]
    return ([] if data is None else data), source, []


def _file_path(name: str, *, page_src: str,
               docs_dir: Path) -> tuple[Path | None, tuple[str, str] | None]:
    """The decisions file's path, or what is wrong with its name (message, fix)."""
    if not name.strip():
        return None, (say("results.decisions.not_a_list", value="''"),
                      say("results.decisions.not_a_list.fix"))
    root = docs_dir.resolve()
    path = (docs_dir / PurePosixPath(page_src).parent / name.strip()).resolve()
    if not path.is_relative_to(root):
        return None, (say("results.decisions.file_outside", name=name),
                      say("results.decisions.file_outside.fix"))
    if not path.is_file():
        shown = path.relative_to(root).as_posix()
        return None, (say("results.decisions.file_missing", path=shown),
                      say("results.decisions.file_missing.fix", path=shown, name=name))
    return path, None


def _shown(value: object) -> str:
    text = value.isoformat(" ") if isinstance(value, datetime) else repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _nearest(word: str, choices: Sequence[str]) -> str | None:
    return next(iter(difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)), None)


def _plain(word: str) -> str:
    """Lower case, without accents, any apostrophe straight: "À l\u2019étude" → "a l'etude"."""
    text = unicodedata.normalize("NFKD", word.replace("\u2019", "'")).encode("ascii", "ignore")
    return " ".join(text.decode("ascii").lower().split())


class _Reader:
    """Reads decisions, collecting a Problem for each wrong value instead of stopping."""

    def __init__(self, source: _Source, results: ResultsFile | None) -> None:
        self.source = source
        self.results = results
        self.problems: list[Problem] = []
        self.labels = question_labels(results) if results is not None else {}
        self.themes = anchors.theme_anchors(results) if results is not None else {}

    def add(self, line: int | None, field: str, message: str, fix: str) -> None:
        shown = line + self.source.offset if line is not None else self.source.line
        self.problems.append(Problem(message, fix, file=self.source.file, line=shown,
                                     field=field))

    def decision(self, item: object, items: object, index: int) -> Decision | None:
        where = f"decisions[{index + 1}]"
        item_line = located.item_line(items, index)
        if not isinstance(item, dict):
            self.add(item_line, where, say("results.decisions.not_a_mapping", number=index + 1,
                                           value=_shown(item)),
                     say("results.decisions.not_a_mapping.fix"))
            return None
        count = len(self.problems)
        title = item.get("title")
        what = (say("results.decisions.named", number=index + 1, title=title.strip())
                if isinstance(title, str) and title.strip()
                else say("results.decisions.number", number=index + 1))

        def line(key: str) -> int | None:
            return located.key_line(item, key) if key in item else located.start_line(item)

        for key in item:
            if key not in KEYS:
                guess = _nearest(str(key), KEYS)
                self.add(line(key), f"{where}.{key}", say("results.decisions.unknown_key",
                                                          decision=what, key=str(key)),
                         say("results.decisions.unknown_key.fix_guess", guess=guess,
                             keys=", ".join(KEYS)) if guess
                         else say("results.decisions.unknown_key.fix", keys=", ".join(KEYS)))
        for key, first, again in getattr(item, "duplicates", []):
            self.add(again, f"{where}.{key}", say("results.decisions.twice", decision=what,
                                                  key=str(key), first=first + self.source.offset),
                     say("results.decisions.twice.fix", key=str(key)))
        for key in REQUIRED:
            if item.get(key) is None:
                self.add(line(key), f"{where}.{key}", say("results.decisions.missing",
                                                          decision=what, key=key),
                         say(f"results.decisions.missing.{key}.fix"))
        title = self.text(item, "title", where, what, line("title"))
        reason = self.text(item, "reason", where, what, line("reason"))
        status = self.status(item.get("status"), f"{where}.status", what, line("status"))
        day = self.day(item.get("date"), f"{where}.date", what, line("date"))
        about = self.about(item.get("about"), f"{where}.about", what, line("about"))
        if len(self.problems) > count or None in (title, reason, status, day):
            return None
        assert title is not None and reason is not None and status is not None and day
        return Decision(title, status, day, reason, about)

    def text(self, item: dict[Any, Any], key: str, where: str, what: str,
             line: int | None) -> str | None:
        value = item.get(key)
        if value is None:
            return None  # said as missing
        if not isinstance(value, str) or not value.strip():
            self.add(line, f"{where}.{key}", say("results.decisions.not_text", decision=what,
                                                 key=key, value=_shown(value)),
                     say(f"results.decisions.missing.{key}.fix"))
            return None
        return value.strip()

    def status(self, value: object, field: str, what: str, line: int | None) -> str | None:
        if value is None:
            return None
        if isinstance(value, str) and value in STATUSES:
            return value
        plain = _plain(value) if isinstance(value, str) else ""
        guess = _WORDS_FOR_STATUS.get(plain) or _nearest(plain, STATUSES)
        listed = ", ".join(STATUSES)
        self.add(line, field, say("results.decisions.status", decision=what, value=_shown(value)),
                 say("results.decisions.status.fix_guess", guess=guess, statuses=listed)
                 if guess else say("results.decisions.status.fix", statuses=listed))
        return None

    def day(self, value: object, field: str, what: str, line: int | None) -> date | None:
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        day = iso_date(value.strip()) if isinstance(value, str) else None
        if day is None:
            self.add(line, field, say("results.decisions.date", decision=what,
                                      value=_shown(value)), say("results.decisions.date.fix"))
        return day

    def about(self, value: object, field: str, what: str,
              line: int | None) -> tuple[Reference, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.add(line, field, say("results.decisions.about", decision=what,
                                      value=_shown(value)), say("results.decisions.about.fix"))
            return ()
        found = []
        for index, item in enumerate(value):
            item_line = located.item_line(value, index)
            reference = self.reference(item, f"{field}[{index + 1}]", what,
                                       line if item_line is None else item_line)
            if reference is not None:
                found.append(reference)
        return tuple(found)

    def reference(self, item: object, field: str, what: str,
                  line: int | None) -> Reference | None:
        if item == "participation" or (isinstance(item, dict) and len(item) == 1
                                       and item.get("participation", False) in (None, True)):
            return Reference("participation", "")
        if not isinstance(item, dict) or len(item) != 1:
            self.add(line, field, say("results.decisions.reference", decision=what,
                                      value=_shown(item)),
                     say("results.decisions.about.fix"))
            return None
        ((kind, name),) = item.items()
        if kind not in ("question", "theme"):
            guess = _nearest(str(kind), REFERENCE_KINDS)
            self.add(line, f"{field}.{kind}", say("results.decisions.reference_kind",
                                                  decision=what, kind=str(kind)),
                     say("results.decisions.reference_kind.fix_guess", guess=guess)
                     if guess else say("results.decisions.about.fix"))
            return None
        if not isinstance(name, str | int) or isinstance(name, bool) or not str(name).strip():
            self.add(line, f"{field}.{kind}", say("results.decisions.reference", decision=what,
                                                  value=_shown(item)),
                     say("results.decisions.about.fix"))
            return None
        name = str(name).strip()
        if self.results is not None:
            known = list(self.labels) if kind == "question" else list(self.themes)
            if name not in known:
                self.unknown(kind, name, known, field=f"{field}.{kind}", what=what, line=line)
                return None
        return Reference(kind, name)

    def unknown(self, kind: str, name: str, known: list[str], *, field: str, what: str,
                line: int | None) -> None:
        assert self.results is not None
        guess = _nearest(name, known) or next(
            (item for item in known if _plain(item) == _plain(name)), None)
        listed = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
        if guess:
            fix = say("results.decisions.unknown_reference.fix_guess", guess=guess)
        elif known:
            fix = say(f"results.decisions.unknown_{kind}.fix", known=listed)
        else:
            fix = say(f"results.decisions.no_{kind}.fix")
        self.add(line, field, say(f"results.decisions.unknown_{kind}", decision=what,
                                  name=name, form=self.results.form_id), fix)


def question_labels(results: ResultsFile) -> dict[str, str]:
    """Every question a decision may answer (closed and free-text), id → label."""
    labels = {question.id: question.label for question in results.questions}
    labels.update({text.id: text.label for text in results.free_text})
    return labels
