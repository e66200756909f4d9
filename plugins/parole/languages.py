"""The languages of a consultation, and of each page (issue #18).

The other parts of the plugin ask here which language a page is written in (its form, its
words, its paper version follow it) and which languages the consultation has.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from site_builder.i18n import DEFAULT_LANGUAGE, base_language


def site_languages(config: MkDocsConfig) -> tuple[str, ...]:
    """The consultation's languages, the default first (one language: the site's)."""
    return (base_language(str(config.theme.get("language") or DEFAULT_LANGUAGE)),)


def page_language(page: Page, config: MkDocsConfig) -> str:
    """The base language (``fr``, ``ar``) the page is written in."""
    return site_languages(config)[0]
