"""The words an organizer writes in ``mkdocs.yml`` (the site's name and description, the title,
the organizer, the phases, the drop-off places, the ``nav:`` titles), in each language of a
consultation (issue #18).

An entry of the plugin's ``languages:`` is a code (``ar``) or, as mkdocs-static-i18n writes its
languages, a mapping: ``locale: ar`` with that language's words::

    languages:
      - fr
      - locale: ar
        title: حديقة مشتركة في حي الزيتون
        organizer: {name: جمعية الزيتون}
        phases:                     # one entry per phase, in the same order; dates are not
          - name: الإعلام           #   written again: they are the same in every language
          - {}                      # this phase's words are not translated yet
        nav_translations:           # a title of nav: → its translation
          Questions fréquentes: أسئلة شائعة

A word not translated is shown in the default language's words, marked with that language's
``lang``/``dir``. This module reads and checks those entries (``language_words_check``) and says
which words each language's build shows, and in which language; it never imports MkDocs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from markupsafe import Markup

from .i18n import text_direction

LANGUAGE_KEYS = ("locale", "site_name", "site_description", "title", "organizer", "phases",
                 "paper_dropoff", "nav_translations")
"""The keys of a ``languages:`` entry written as a mapping."""
ORGANIZER_KEYS = ("name", "address")
"""The organizer's words that differ between languages (email and phone do not)."""
PHASE_KEYS = ("name", "description")
"""A phase's words (its dates are the default language's)."""


def lang_attributes(language: str | None) -> Markup:
    """`` lang="fr" dir="ltr"`` for words in ``language``, nothing for None."""
    if not language:
        return Markup("")
    return Markup(' lang="{}" dir="{}"').format(language, text_direction(language))


@dataclass(frozen=True)
class PhaseWords:
    """A phase's name and description; None: as written in the default language."""

    name: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class LanguageWords:
    """One language's words for ``mkdocs.yml``'s texts; None or empty: not translated."""

    language: str
    site_name: str | None = None
    site_description: str | None = None
    title: str | None = None
    organizer_name: str | None = None
    organizer_address: str | None = None
    phases: tuple[PhaseWords, ...] = ()
    """Aligned with the default language's phases (same count), or empty."""
    paper_dropoff: tuple[str, ...] | None = None
    """Aligned with the default language's places (same count)."""
    nav_translations: Mapping[str, str] = field(default_factory=dict)
    """A title of ``nav:`` as written → its translation."""


@dataclass(frozen=True)
class Written:
    """The words of ``mkdocs.yml`` as one build shows them."""

    site_name: str
    site_description: str | None = None
    title: str | None = None
    organizer_name: str = ""
    organizer_address: str | None = None
    phases: tuple[PhaseWords, ...] = ()
    """Each phase's name and description (None where the phase has none)."""
    paper_dropoff: tuple[str, ...] = ()
    nav_titles: tuple[str, ...] = ()
    """The titles of ``nav:``'s sections and links: no page's own title stands for them."""
    page_titles: tuple[str, ...] = ()
    """The titles ``nav:`` gives pages (each page's own title replaces them in a translation)."""

    @property
    def shown_title(self) -> str:
        """The header's title: ``title``, else ``site_name``."""
        return self.title or self.site_name


@dataclass(frozen=True)
class Translated:
    """What a language's build shows of ``mkdocs.yml``'s words."""

    written: Written
    """The words, each translated or the default language's."""
    translated: frozenset[str]
    """The words shown in the build's language, by the keys templates ask ``SiteInfo.lang``
    about (``title``, ``organizer.name``, ``phases[2].description``, ``paper_dropoff``)."""
    untranslated: tuple[str, ...]
    """The words still in the default language, as the organizer writes them under the
    language's entry (``organizer.address``, ``nav_translations: Explications``)."""
    nav_translations: Mapping[str, str]
    """The titles of ``nav:`` to rename in this build."""


def translate(written: Written, words: LanguageWords | None) -> Translated:
    """``written`` (the default language's words) in ``words``' language, where translated."""
    words = words or LanguageWords(language="")
    done: set[str] = set()
    missing: list[str] = []

    def pick(key: str, default: str | None, translation: str | None,
             option: str | None = None) -> str | None:
        if translation is not None:
            done.add(key)
            return translation
        if default:
            missing.append(option or key)
        return default

    site_name = words.site_name or written.site_name
    title = words.title or written.title
    if words.title or (not written.title and words.site_name):
        done.add("title")
    elif written.shown_title:
        missing.append("title" if written.title else "site_name")
    description = pick("site_description", written.site_description, words.site_description)
    name = pick("organizer.name", written.organizer_name or None, words.organizer_name)
    address = pick("organizer.address", written.organizer_address, words.organizer_address)
    phases = tuple(_phase(number, phase, words.phases[number - 1] if words.phases else None,
                          done, missing)
                   for number, phase in enumerate(written.phases, 1))
    dropoff = written.paper_dropoff
    if words.paper_dropoff is not None:
        dropoff = words.paper_dropoff
        done.add("paper_dropoff")
    elif written.paper_dropoff:
        missing.append("paper_dropoff")
    elif {"organizer.name", "organizer.address"} & done and not (
            {"organizer.name", "organizer.address"} & set(missing)):
        done.add("paper_dropoff")  # no place written: the organizer's name and address are
    missing += [f"nav_translations: {title_}" for title_ in dict.fromkeys(written.nav_titles)
                if title_ not in words.nav_translations]
    shown = replace(written, site_name=site_name, site_description=description, title=title,
                    organizer_name=name or "", organizer_address=address, phases=phases,
                    paper_dropoff=dropoff)
    return Translated(shown, frozenset(done), tuple(missing), dict(words.nav_translations))


def _phase(number: int, phase: PhaseWords, words: PhaseWords | None, done: set[str],
           missing: list[str]) -> PhaseWords:
    words = words or PhaseWords()
    translated = PhaseWords(words.name or phase.name, words.description or phase.description)
    for part, default, translation in (("name", phase.name, words.name),
                                       ("description", phase.description, words.description)):
        key = f"phases[{number}].{part}"
        if translation:
            done.add(key)
        elif default:
            missing.append(key)
    return translated


# --- nav: ----------------------------------------------------------------------------------------

def nav_titles(nav: object) -> tuple[list[str], list[str]]:
    """The titles ``nav:`` writes: (of sections and links, of pages), in reading order."""
    sections: list[str] = []
    pages: list[str] = []
    for title, value in _nav_entries(nav):
        (sections if not _is_page(value) else pages).append(title)
    return sections, pages


def translated_nav(nav: object, translations: Mapping[str, str]) -> object:
    """``nav:`` with its titles translated; a page's title not translated is left out, so the
    page's own title (its translation's ``#`` heading) stands in the menu."""
    if isinstance(nav, list):
        return [translated_nav(item, translations) for item in nav]
    if isinstance(nav, Mapping) and len(nav) == 1:
        (title, value), = nav.items()
        renamed = translations.get(str(title))
        if _is_page(value):
            return {renamed: value} if renamed is not None else value
        return {renamed if renamed is not None else title: translated_nav(value, translations)}
    return nav


def _nav_entries(nav: object) -> Iterator[tuple[str, object]]:
    if isinstance(nav, list):
        for item in nav:
            yield from _nav_entries(item)
    elif isinstance(nav, Mapping) and len(nav) == 1:
        (title, value), = nav.items()
        yield str(title), value
        yield from _nav_entries(value)


def _is_page(value: object) -> bool:
    """A ``nav:`` entry's value that names a page of the docs (not a link, not a section)."""
    return isinstance(value, str) and not value.startswith(("http:", "https:", "/", "mailto:"))


def phase_words(phases: object) -> tuple[PhaseWords, ...]:
    """The name and description of each entry of the ``phases`` option as written (one per
    entry, whatever else is wrong with it: ``calendar_options`` reports that)."""
    if not isinstance(phases, list):
        return ()
    return tuple(PhaseWords(_text(item.get("name")), _text(item.get("description")))
                 if isinstance(item, Mapping) else PhaseWords() for item in phases)


def translated_phases(phases: object, shown: Sequence[PhaseWords]) -> object:
    """The ``phases`` option with each phase's name and description as ``shown`` (its dates
    kept), for ``calendar_options`` to read."""
    if not isinstance(phases, list) or len(phases) != len(shown):
        return phases
    result: list[object] = []
    for item, words in zip(phases, shown, strict=True):
        if isinstance(item, Mapping):
            renamed = dict(item)
            for key, value in (("name", words.name), ("description", words.description)):
                if value is not None:
                    renamed[key] = value
            result.append(renamed)
        else:
            result.append(item)
    return result


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
