"""The plugin's ``languages:`` option read and checked all at once: its codes, each language's
words for ``mkdocs.yml``'s texts (``language_words``), and a Problem with line and field path
for every mistake (``plugins.parole.languages[2].phases``), as ``calendar_options`` does for the
dates, since MkDocs' own validation stops at the first one and keeps no line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .calendar_options import field_path
from .config_lines import OptionPath
from .errors import Problem
from .i18n import base_language
from .language_words import (
    LANGUAGE_KEYS,
    ORGANIZER_KEYS,
    PHASE_KEYS,
    LanguageWords,
    PhaseWords,
    Written,
)
from .messages import say

LineOf = Callable[[OptionPath], int | None]

_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
"""A language code as ``theme.language`` takes it: ``ar``, ``fr-BE``, ``pt_BR``."""
_SAME_EVERYWHERE = {"email", "phone", "start", "end"}
"""Keys that are the same in every language: written once, in the default language's place."""


@dataclass
class SiteLanguages:
    """The ``languages:`` option as read: codes in order, each language's words, problems."""

    codes: list[str] = field(default_factory=list)
    words: dict[str, LanguageWords] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def language_codes(value: object) -> list[str]:
    """The languages listed (base codes, in order), whatever else is wrong with the option."""
    items = value if isinstance(value, list) else []
    codes = [item.get("locale") if isinstance(item, Mapping) else item for item in items]
    return [base_language(code) for code in codes
            if isinstance(code, str) and _CODE.fullmatch(code)]


def read_languages(value: object, *, default: str, written: Written, file: str = "mkdocs.yml",
                   line_of: LineOf | None = None) -> SiteLanguages:
    """Every language of ``value`` (the ``languages`` option) and its words, checked against
    ``written`` (the default language's words: how many phases and places, which titles
    ``nav:`` has)."""
    reader = _Reader(file, line_of or (lambda path: None), written)
    result = SiteLanguages(problems=reader.problems)
    if value is None:
        return result
    if not isinstance(value, list):
        reader.add(("languages",), say("languages.not_a_list", value=repr(value)),
                   say("languages.not_a_list.fix"))
        return result
    with_words: set[str] = set()
    for index, item in enumerate(value):
        path: OptionPath = ("languages", index)
        code = item.get("locale") if isinstance(item, Mapping) else item
        if isinstance(item, Mapping) and "locale" not in item:
            reader.add(path, say("languages.no_locale"), say("languages.no_locale.fix"))
            continue
        if not isinstance(code, str) or not _CODE.fullmatch(code):
            where = (*path, "locale") if isinstance(item, Mapping) else path
            reader.add(where, say("languages.not_a_code", value=repr(code)),
                       say("languages.not_a_code.fix"))
            continue
        language = base_language(code)
        if language in with_words or (language in result.codes and isinstance(item, Mapping)):
            reader.add(path, say("languages.twice", language=language),
                       say("languages.twice.fix"))
            continue
        if isinstance(item, Mapping):
            with_words.add(language)
        if language in result.codes:  # [fr, ar, ar]: said twice, meant once
            continue
        result.codes.append(language)
        if isinstance(item, Mapping):
            words = reader.words(item, path, language)
            if language == default and set(item) - {"locale"}:
                reader.add(path, say("languages.default_words", language=language),
                           say("languages.default_words.fix"))
            elif words is not None:
                result.words[language] = words
    return result


class _Reader:
    """Reads one language's words, collecting a Problem for each wrong one."""

    def __init__(self, file: str, line_of: LineOf, written: Written) -> None:
        self.file = file
        self.line_of = line_of
        self.written = written
        self.problems: list[Problem] = []

    def add(self, path: OptionPath, message: str, fix: str) -> None:
        self.problems.append(Problem(message=message, fix=fix, file=self.file,
                                     line=self.line_of(path), field=field_path(path)))

    def words(self, item: Mapping[str, object], path: OptionPath,
              language: str) -> LanguageWords | None:
        count = len(self.problems)
        self.unknown(item, path, LANGUAGE_KEYS)
        organizer = item.get("organizer")
        name = address = None
        if organizer is not None:
            if isinstance(organizer, Mapping):
                self.unknown(organizer, (*path, "organizer"), ORGANIZER_KEYS)
                name = self.text(organizer, (*path, "organizer"), "name")
                address = self.text(organizer, (*path, "organizer"), "address")
            else:
                self.add((*path, "organizer"), say("languages.not_a_mapping", option="organizer"),
                         say("languages.organizer.fix"))
        words = LanguageWords(
            language=language,
            site_name=self.text(item, path, "site_name"),
            site_description=self.text(item, path, "site_description"),
            title=self.text(item, path, "title"),
            organizer_name=name,
            organizer_address=address,
            phases=self.phases(item.get("phases"), (*path, "phases")),
            paper_dropoff=self.places(item.get("paper_dropoff"), (*path, "paper_dropoff")),
            nav_translations=self.nav(item.get("nav_translations"), (*path, "nav_translations")),
        )
        return words if len(self.problems) == count else None

    def unknown(self, item: Mapping[str, object], path: OptionPath, known: tuple[str, ...]) -> None:
        for key in item:
            if key in known:
                continue
            here = (*path, str(key))
            if key in _SAME_EVERYWHERE:
                self.add(here, say("languages.same_everywhere", option=key),
                         say("languages.same_everywhere.fix", option=key))
                continue
            guess = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
            self.add(here, say("languages.unknown_key", option=key),
                     say("calendar.option_unknown.fix_guess", guess=guess[0]) if guess
                     else say("languages.unknown_key.fix", keys=", ".join(known)))

    def text(self, item: Mapping[str, object], path: OptionPath, key: str) -> str | None:
        value = item.get(key)
        if value is None:
            return None
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.add((*path, key), say("languages.not_a_text", option=key, value=repr(value)),
                 say("languages.not_a_text.fix"))
        return None

    def phases(self, value: object, path: OptionPath) -> tuple[PhaseWords, ...]:
        if value is None:
            return ()
        expected = len(self.written.phases)
        if not isinstance(value, list):
            self.add(path, say("languages.not_a_list_of", option="phases", value=repr(value)),
                     say("languages.phases.fix", count=expected))
            return ()
        if len(value) != expected:
            self.add(path, say("languages.phases_count", count=len(value), expected=expected),
                     say("languages.phases.fix", count=expected))
            return ()
        phases = []
        for index, given in enumerate(value):
            here: OptionPath = (*path, index)
            item = {} if given is None else given  # "-" alone: this phase not translated yet
            if not isinstance(item, Mapping):
                self.add(here, say("languages.not_a_mapping", option=f"phases[{index + 1}]"),
                         say("languages.phase.fix"))
                phases.append(PhaseWords())
                continue
            self.unknown(item, here, PHASE_KEYS)
            phases.append(PhaseWords(self.text(item, here, "name"),
                                     self.text(item, here, "description")))
        return tuple(phases)

    def places(self, value: object, path: OptionPath) -> tuple[str, ...] | None:
        if value is None:
            return None
        expected = len(self.written.paper_dropoff)
        if not isinstance(value, list) or not all(isinstance(place, str) and place.strip()
                                                  for place in value):
            self.add(path, say("languages.not_a_list_of", option="paper_dropoff",
                               value=repr(value)), say("languages.places.fix", count=expected))
            return None
        if len(value) != expected:
            self.add(path, say("languages.places_count", count=len(value), expected=expected),
                     say("languages.places.fix", count=expected))
            return None
        return tuple(place.strip() for place in value)

    def nav(self, value: object, path: OptionPath) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.add(path, say("languages.not_a_mapping", option="nav_translations"),
                     say("languages.nav.fix"))
            return {}
        titles = {*self.written.nav_titles, *self.written.page_titles}
        translations = {}
        for title, translation in value.items():
            here = (*path, str(title))
            if str(title) not in titles:
                guess = difflib.get_close_matches(str(title), sorted(titles), n=1, cutoff=0.6)
                self.add(here, say("languages.nav_unknown", title=title),
                         say("languages.nav_unknown.fix_guess", guess=guess[0]) if guess
                         else say("languages.nav_unknown.fix"))
            elif not isinstance(translation, str) or not translation.strip():
                self.add(here, say("languages.not_a_text", option=title, value=repr(translation)),
                         say("languages.not_a_text.fix"))
            else:
                translations[str(title)] = translation.strip()
        return translations
