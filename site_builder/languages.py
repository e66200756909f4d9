"""A consultation in several languages: which file is which language, where each language's
version of a page is published, and the links between those versions (issue #18).

Layout: ``faq.md`` is written in the default language (the site's ``theme.language``);
``faq.ar.md`` is its Arabic version, published at ``ar/faq/``. A page without a version in a
language is published there all the same, with its default-language text and a note saying so
(the fallback), so every page exists in every language and every switcher link leads somewhere.

Pure functions on URLs relative to the site root (MkDocs' form: ``faq/``, ``./`` for the home
page); this module never imports MkDocs (the adapter is ``plugins/parole/languages.py``).
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from site_builder.i18n import Catalogue, text_direction
from site_builder.urls import relative_url

X_DEFAULT = "x-default"
"""hreflang of the version shown to readers whose language is none of the site's."""


def split_language(src_uri: str, languages: Sequence[str]) -> tuple[str, str | None]:
    """``faq.ar.md`` → (``faq.md``, ``ar``) when ``ar`` is one of ``languages``; any other path
    → (itself, None). Only the suffix just before the extension counts (``jquery.min.js`` is not
    in a language called ``min``)."""
    folder, name = posixpath.split(src_uri)
    stem, extension = posixpath.splitext(name)
    base, dot, suffix = stem.rpartition(".")
    if not dot or not base or suffix not in languages:
        return src_uri, None
    return posixpath.join(folder, base + extension), suffix


def prefix(language: str, default: str) -> str:
    """The folder of a language's version of the site: ``""`` for the default, ``ar/``."""
    return "" if language == default else f"{language}/"


def in_language(url: str, language: str, default: str, *, written_in: str | None = None) -> str:
    """The URL (relative to the site root) of the page at ``url`` in its language's version
    (relative to that version's root) as published in ``language``: ``faq/`` → ``ar/faq/``."""
    path = "" if url in (".", "./") else url
    if written_in is not None and written_in != language:  # plan-du-site/ → ar/site-map/
        path = _renamed(path, written_in, language)
    return (prefix(language, default) + path) or "./"


@dataclass(frozen=True)
class LanguageLink:
    """One language in the switcher and in the page's ``<link rel="alternate">``."""

    language: str
    name: str
    """The language's name in itself ("العربية"), as its own catalogue writes it."""
    direction: str
    href: str
    """The link as written in the page (relative, or an absolute path on pages without a place
    of their own such as 404.html)."""
    address: str
    """The address for ``hreflang`` links and the sitemap: absolute when ``site_url`` is
    known, else a path from the server's root."""
    current: bool


def language_name(language: str) -> str:
    """The language's name in itself ("العربية"), from its own catalogue; its code when the
    theme has no catalogue for it (the English one would name it "English")."""
    catalogue = Catalogue.for_language(language)
    return catalogue("languages.autonym") if catalogue.complete else language


def language_name_in(language: str, reader: str) -> str:
    """``language``'s name in ``reader``'s words ("الفرنسية"), or its code when unknown."""
    return Catalogue.for_language(reader).strings.get(f"languages.name.{language}", language)


def address(root_url: str | None, url: str) -> str:
    """``url`` (relative to the site root) as an address valid from anywhere."""
    base = root_url or "/"
    base = base if base.endswith("/") else base + "/"
    return base + ("" if url in (".", "./") else url)


def language_links(url: str, current: str, languages: Sequence[str], *,
                   root_url: str | None, page_url: str | None) -> list[LanguageLink]:
    """The versions of the page at ``url`` (relative to its language's root) in every language,
    the default first. Links are relative to the page (``page_url``, relative to the site
    root); without one (404.html, served at any depth) they are absolute paths."""
    default = languages[0]
    links = []
    for language in languages:
        target = in_language(url, language, default, written_in=current)
        if page_url is None:
            href = address(_path(root_url), target)
        else:
            href = relative_url(target, page_url)
        links.append(LanguageLink(language=language, name=language_name(language),
                                  direction=text_direction(language), href=href,
                                  address=address(root_url, target), current=language == current))
    return links


def _path(root_url: str | None) -> str:
    """The path part of the site's address (``/consultation/``), ``/`` without one."""
    if not root_url:
        return "/"
    after_scheme = root_url.split("://", 1)[-1]
    slash = after_scheme.find("/")
    return after_scheme[slash:] if slash >= 0 else "/"


@dataclass(frozen=True)
class SitemapEntry:
    """One page in one language, with its versions in every language (``xhtml:link``)."""

    loc: str
    alternates: tuple[tuple[str, str], ...]
    """``(hreflang, address)``: every language, then ``x-default`` (the default language)."""


def sitemap_entries(urls: Sequence[str], languages: Sequence[str],
                    root_url: str | None) -> list[SitemapEntry]:
    """Every page of ``urls`` (relative to the default language's root) in every language."""
    default = languages[0]
    entries = []
    for url in urls:
        versions = [(language, address(root_url, in_language(url, language, default,
                                                              written_in=default)))
                    for language in languages]
        alternates = (*versions, (X_DEFAULT, versions[0][1]))
        entries += [SitemapEntry(loc, alternates) for _, loc in versions]
    return entries


RENAMED_PAGES = ("site_map.slug",)
"""Catalogue keys of the folders of pages the build names in each language's words."""


def _renamed(path: str, source: str, target: str) -> str:
    """``path`` of a page of ``source``'s version, with a folder named in ``source``'s words
    (``plan-du-site/``) renamed in ``target``'s (``site-map/``)."""
    first, slash, rest = path.partition("/")
    for key in RENAMED_PAGES:
        if first == Catalogue.for_language(source)(key):
            return Catalogue.for_language(target)(key) + slash + rest
    return path
