"""The languages of a consultation, and of each page (issue #18).

The other parts of the plugin ask here which language a page is written in (its form, its
words, its paper version follow it) and which languages the consultation has.

How a consultation in several languages is built (``languages: [fr, ar, en]`` under
``plugins: - parole:``): one MkDocs build per language, the default language's first, into the
site's root; then each other language into ``<site>/<language>/``, by a new configuration read
from the same ``mkdocs.yml`` (so a new ``parole`` plugin instance, whose per-build state is its
own: DESIGN.md, convention 2) with ``theme.language`` set to that language. Each build is then
an ordinary one-language parole build: its interface strings, status banner, dates, 404 page,
site map, low-data file and paper versions are in its language, with no other change.

In the build for ``ar``, ``faq.ar.md`` takes the place of ``faq.md`` under the name
``faq.md``: links, the navigation and the footer pages written with the default language's
file names lead to the Arabic versions. A page without ``.ar.md`` keeps its default-language
text (the fallback) and says so (``theme/partials/fallback.html``).

Why not mkdocs-static-i18n: measured in ``/tmp/i18/part-c-findings.md`` (docs/languages.md).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from site_builder.i18n import DEFAULT_LANGUAGE, base_language, text_direction
from site_builder.language_words import lang_attributes
from site_builder.language_words_check import language_codes
from site_builder.languages import (
    in_language,
    language_links,
    language_name_in,
    sitemap_entries,
    split_language,
)

log = logging.getLogger("mkdocs.plugins.parole")

WRITTEN_IN = "parole_written_in"
"""Attribute set on each page's ``File`` by :func:`language_files`: the language of its text."""


@dataclass(frozen=True)
class _Outer:
    """What a build of another language knows of the default language's build."""

    default: str
    root_url: str | None
    """The site's ``site_url`` (the default language's root)."""
    site_dir: str
    """The default language's site folder, already built: its ``forms/<id>.json`` are there."""
    read_from: dict[str, str] = field(default_factory=dict)
    """In this build, the file a page's text is read from when it is not the page's name
    (``faq.md`` → ``faq.ar.md``): the build's messages name the file to edit."""
    translated_words: set[str] = field(default_factory=set)
    """The words of mkdocs.yml this build shows in its language (``SiteInfo.lang``'s keys:
    ``title``, ``organizer.name``, ``phases[2].description``…): ``language_words``."""
    translated_titles: set[str] = field(default_factory=set)
    """The titles of ``nav:`` this build shows translated (``nav_translations``)."""


_OUTER: ContextVar[_Outer | None] = ContextVar("parole_language_build", default=None)
"""Set while the build of a language other than the default runs (inside the default's)."""


def build_language(config: MkDocsConfig) -> str:
    """The language of this build (``theme.language``, set per build)."""
    return base_language(str(config.theme.get("language") or DEFAULT_LANGUAGE))


def site_languages(config: MkDocsConfig) -> tuple[str, ...]:
    """The consultation's languages, the default first (one language: the site's)."""
    outer = _OUTER.get()
    default = outer.default if outer is not None else build_language(config)
    plugin = config.plugins.get("parole") if config.plugins else None
    listed = language_codes((getattr(plugin, "config", {}) or {}).get("languages"))
    return (default, *dict.fromkeys(code for code in listed if code != default))


def page_language(page: Page, config: MkDocsConfig) -> str:
    """The base language (``fr``, ``ar``) the page is written in."""
    written = getattr(page.file, WRITTEN_IN, None)
    return str(written) if written else build_language(config)


def is_default_build(config: MkDocsConfig) -> bool:
    """True in the default language's build (the only one of a one-language site)."""
    return _OUTER.get() is None


def root_url(config: MkDocsConfig) -> str | None:
    """The site's address (its default language's root), when ``site_url`` says it."""
    outer = _OUTER.get()
    return outer.root_url if outer is not None else (config.site_url or None)


def root_site_dir(config: MkDocsConfig) -> Path:
    """The site's root folder, the default language's build: in another language's build, the
    default's form manifests (``forms/<id>.json``) are already written there."""
    outer = _OUTER.get()
    return Path(outer.site_dir if outer is not None else config.site_dir)


def language_url(url: str, language: str, config: MkDocsConfig) -> str:
    """The address, relative to the site's root, of the page at ``url`` (a page's ``url``,
    relative to its language's root) in ``language``: ``faq/`` → ``ar/faq/``."""
    return in_language(url, language, site_languages(config)[0])


def title_language(config: MkDocsConfig) -> Callable[[Any], str | None]:
    """For the navigation (``site_builder.navigation.TitleLanguage``): the language of an
    entry's title when it is not this build's. A title ``nav_translations`` gave is in this
    build's language; else a page's title is in the language of its text (one not translated
    yet keeps the default language's), and a section's or a link's is ``nav:``'s, written in
    the default language."""
    current, default = build_language(config), site_languages(config)[0]
    outer = _OUTER.get()
    translated = outer.translated_titles if outer is not None else set()

    def language(item: Any) -> str | None:
        if getattr(item, "title", None) in translated:
            return None
        file = getattr(item, "file", None)
        written = (getattr(file, WRITTEN_IN, None) or current) if file is not None else default
        return written if written != current else None

    return language


def language_attributes(language: str | None) -> Markup:
    """`` lang="fr" dir="ltr"`` for words in ``language``, nothing for None (a template
    filter: ``{{ link.language|lang_attributes }}``)."""
    return lang_attributes(language)


def record_translated(words: set[str] | frozenset[str], *, titles: set[str]) -> None:
    """In another language's build: which of mkdocs.yml's words and ``nav:`` titles it shows
    in its language (``language_words.prepare_words``), for ``SiteInfo`` and the navigation."""
    outer = _OUTER.get()
    if outer is not None:
        outer.translated_words.update(words)
        outer.translated_titles.update(titles)


def words_languages(config: MkDocsConfig) -> tuple[str, dict[str, str]]:
    """For ``SiteInfo``: the language mkdocs.yml's words are written in (the default one), and
    those this build shows in its own language instead (``SiteInfo.translated_words``)."""
    outer = _OUTER.get()
    translated = outer.translated_words if outer is not None else set()
    current = build_language(config)
    return site_languages(config)[0], dict.fromkeys(sorted(translated), current)


# -- hooks of the plugin's events ------------------------------------------------------------


def language_files(files: Files, config: MkDocsConfig) -> Files:
    """``on_files`` (first): the files of this build's language. ``x.<lang>.md`` of the
    build's language stands for ``x.md`` under that name; those of other languages are left out;
    pages without a version in this language keep the default language's text."""
    languages = site_languages(config)
    if len(languages) < 2:
        return files
    current, default = build_language(config), languages[0]
    docs = str(Path(config.docs_dir))
    translated: dict[str, File] = {}
    kept: list[File] = []
    for file in files:
        if file.src_dir is None or str(Path(file.src_dir)) != docs:
            kept.append(file)
            continue
        base, language = split_language(file.src_uri, languages)
        if language is None:
            kept.append(file)
        elif language == current:
            translated[base] = file
    result: list[File] = []
    for file in kept:
        version = translated.pop(file.src_uri, None)
        if version is not None:
            standing = _standing_for(file.src_uri, version)
            setattr(standing, WRITTEN_IN, current)
            if (outer := _OUTER.get()) is not None:
                outer.read_from[file.src_uri] = version.src_uri
            result.append(standing)
            continue
        if file.is_documentation_page():
            setattr(file, WRITTEN_IN, default)
        result.append(file)
    for base, version in translated.items():  # a translation without default-language page
        file = _standing_for(base, version)
        setattr(file, WRITTEN_IN, current)
        result.append(file)
    return Files(result)


def _standing_for(src_uri: str, version: File) -> File:
    """A file named ``src_uri`` whose content is ``version``'s (``faq.ar.md`` as ``faq.md``)."""
    file = File(src_uri, version.src_dir, version.dest_dir, version.use_directory_urls,
                inclusion=version.inclusion)
    file.abs_src_path = version.abs_src_path
    return file


def add_globals(env: Environment, config: MkDocsConfig, files: Files) -> None:
    """``on_env``: the switcher of pages without a page (404.html: each language's home page);
    in the default language's build, the sitemap's pages in every language. (The ``lang`` of
    the words written in mkdocs.yml: ``SiteInfo.lang``.)"""
    env.filters["lang_attributes"] = language_attributes
    titled_in = title_language(config)
    env.globals["parole_title_lang"] = lambda item: language_attributes(titled_in(item))
    languages = site_languages(config)
    if len(languages) < 2:
        return
    env.globals["parole_languages"] = language_links(
        "./", build_language(config), languages, root_url=root_url(config), page_url=None)
    urls = [file.url for file in files.documentation_pages(inclusion=InclusionLevel.is_included)]
    env.globals["parole_sitemap"] = (sitemap_entries(urls, languages, root_url(config))
                                     if is_default_build(config) else [])


def page_context(context: TemplateContext, page: Page, config: MkDocsConfig) -> TemplateContext:
    """``on_page_context``: the page's versions in every language (switcher, ``hreflang``) and,
    on a page not translated yet, the language its text is in (``parole_fallback``)."""
    languages = site_languages(config)
    if len(languages) < 2:
        return context
    current = build_language(config)
    links = language_links(page.url, current, languages, root_url=root_url(config),
                           page_url=in_language(page.url, current, languages[0]))
    written = page_language(page, config)
    extra: dict[str, Any] = {
        "parole_languages": links,
        "parole_fallback": ({"language": written, "direction": text_direction(written),
                             "name": language_name_in(written, current)}
                            if written != current else None),
    }
    context.update(extra)  # type: ignore[typeddict-item]
    return context


def build_other_languages(config: MkDocsConfig) -> None:
    """``on_post_build`` (last): build every other language into ``<site>/<language>/``."""
    languages = site_languages(config)
    if not is_default_build(config) or len(languages) < 2:
        return
    if not config.config_file_path:
        log.warning("parole: languages %s not built: no mkdocs.yml to read them from",
                    ", ".join(languages[1:]))
        return
    for language in languages[1:]:
        outer = _Outer(default=languages[0], root_url=config.site_url or None,
                       site_dir=config.site_dir)
        token = _OUTER.set(outer)
        names = _FileNames(outer.read_from, docs=Path(config.docs_dir).name)
        for name in _NAMING_LOGGERS:
            logging.getLogger(name).addFilter(names)
        try:
            other = load_config(config.config_file_path, strict=config.strict,
                                site_dir=str(Path(config.site_dir) / language))
            other.theme["language"] = language
            if config.site_url:
                other.site_url = config.site_url.rstrip("/") + f"/{language}/"
            other.plugins.on_startup(command="build", dirty=False)
            try:
                build(other)
            finally:
                other.plugins.on_shutdown()
        finally:
            _OUTER.reset(token)
            for name in _NAMING_LOGGERS:
                logging.getLogger(name).removeFilter(names)


_NAMING_LOGGERS = ("mkdocs.plugins.parole", "mkdocs.commands.build", "mkdocs.structure.pages")
"""The loggers of messages that name a page's file: parole's, and MkDocs' build errors."""


class _FileNames(logging.Filter):
    """In another language's build, a message naming ``faq.md`` (the name the page has there)
    names ``faq.ar.md``, the file its text comes from and the organizer edits."""

    def __init__(self, read_from: dict[str, str], *, docs: str) -> None:
        super().__init__()
        self.read_from = read_from
        self.docs = docs

    def filter(self, record: logging.LogRecord) -> bool:
        if self.read_from:
            names = "|".join(re.escape(name) for name in
                             sorted(self.read_from, key=len, reverse=True))
            pattern = rf"(?<![\w./-])((?:{re.escape(self.docs)}/)?)({names})(?![\w.-])"
            message = record.getMessage()
            renamed = re.sub(pattern, lambda found: found.group(1)
                             + self.read_from[found.group(2)], message)
            if renamed != message:
                record.msg, record.args = renamed, ()
        return True
