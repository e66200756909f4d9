"""``on_config``: the words written in ``mkdocs.yml`` in this build's language (issue #18).

In the default language's build, the ``languages:`` option is only checked (its problems are
reported with the other options'). In another language's build, that language's words
(``- locale: ar`` with ``site_name``, ``title``, ``organizer``, ``phases``, ``paper_dropoff``,
``nav_translations``: ``site_builder.language_words``) take the default language's place in
the configuration itself, before anything reads it: the header, ``<title>``, the meta
description, the footer, the banner and calendar, the paper versions, the low-data file, the
site map and the 404 page then show them with no change of their own. Words not translated keep
the default language's, marked with its ``lang``/``dir`` (``SiteInfo.lang``), and are listed in
one INFO line of the build so the writer knows what is left to translate.
"""

from __future__ import annotations

import logging
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from site_builder.config_lines import ConfigLines
from site_builder.errors import Problem
from site_builder.language_words import (
    Translated,
    Written,
    nav_titles,
    phase_words,
    translate,
    translated_nav,
    translated_phases,
)
from site_builder.language_words_check import read_languages
from site_builder.messages import say

from . import languages
from .config import ParoleConfig

log = logging.getLogger("mkdocs.plugins.parole")


def written_words(config: MkDocsConfig, options: ParoleConfig) -> Written:
    """The words of ``mkdocs.yml`` as written, in the default language."""
    sections, pages = nav_titles(config.nav)
    return Written(
        site_name=config.site_name,
        site_description=config.site_description or None,
        title=options.title or None,
        organizer_name=options.organizer.name,
        organizer_address=options.organizer.address or None,
        phases=phase_words(options.phases),
        paper_dropoff=tuple(options.paper_dropoff or ()),
        nav_titles=tuple(sections),
        page_titles=tuple(pages),
    )


def prepare_words(config: MkDocsConfig, options: ParoleConfig, *, lines: ConfigLines,
                  file: str) -> list[Problem]:
    """``on_config``, before the calendar options are read: the problems of ``languages:`` in
    the default language's build; this language's words put in place in another's."""
    written = written_words(config, options)
    default = languages.site_languages(config)[0]
    read = read_languages(options.languages, default=default, written=written, file=file,
                          line_of=lines.option)
    if languages.is_default_build(config):
        return read.problems
    current = languages.build_language(config)
    shown = translate(written, read.words.get(current))
    _put_in_place(config, options, shown)
    languages.record_translated(shown.translated,
                                titles=set(shown.nav_translations.values()))
    if shown.untranslated:
        log.info(say("languages.untranslated", language=current,
                     words=", ".join(shown.untranslated)))
    return []


def _put_in_place(config: MkDocsConfig, options: ParoleConfig, shown: Translated) -> None:
    words = shown.written
    config.site_name = words.site_name
    config.site_description = words.site_description
    options.title = words.title
    organizer: Any = options.organizer
    organizer.name = words.organizer_name
    organizer.address = words.organizer_address
    options.phases = translated_phases(options.phases, words.phases)
    options.paper_dropoff = list(words.paper_dropoff)
    if config.nav:
        config.nav = translated_nav(config.nav, shown.nav_translations)
