"""What the plugin builds from its options and the navigation, outside any one page's events:
the ``SiteInfo`` every template sees (header, footer, language) and the site map's markdown."""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from site_builder import navigation
from site_builder.i18n import Catalogue, base_language
from site_builder.low_data import file_name
from site_builder.site import FooterLink, SiteInfo
from site_builder.site_map import SiteMapEntry, site_map_markdown

from . import languages
from .config import ParoleConfig

FOOTER_LABELS = {
    "help_page": "footer.help",
    "accessibility_page": "footer.accessibility",
    "privacy_page": "footer.privacy",
}
"""The catalogue key of each footer page's link text, by the option that names the page."""


def site_info(options: ParoleConfig, config: MkDocsConfig, catalogue: Catalogue, *,
              footer_files: Mapping[str, File], site_map_url: str | None) -> SiteInfo:
    """The consultation as the theme shows it, in the build's language."""
    organizer = options.organizer
    words_language, translated_words = languages.words_languages(config)
    links = [FooterLink(key.removesuffix("_page"), catalogue(FOOTER_LABELS[key]), file.url)
             for key, file in footer_files.items()]
    return SiteInfo(
        title=options.title or config.site_name,
        organizer_name=organizer.name,
        organizer_email=organizer.email,
        organizer_phone=organizer.phone,
        organizer_address=organizer.address,
        language=base_language(catalogue.language),
        direction=catalogue.direction,
        footer_links=tuple(links),
        site_map_url=site_map_url,
        low_data_url=file_name(catalogue) if options.low_data else None,
        words_language=words_language,
        translated_words=translated_words,
    )


def site_map_page(page: Page, nav: Navigation | None, catalogue: Catalogue,
                  title_language: navigation.TitleLanguage) -> str:
    """The generated site map page's markdown: every entry of the navigation, in order, each
    title marked with its language when ``title_language`` says it is not the page's."""
    entries = []
    if nav is not None:
        for depth, item in navigation.walk(nav.items):
            target: str | None = None
            if isinstance(item, Page):
                target = item.file.src_uri
            elif not item.is_section:
                target = getattr(item, "url", None)
            # MkDocs' titles may hold HTML (a heading's markup, entities): its text only
            title = Markup(item.title).striptags() if item.title else target or ""
            entries.append(SiteMapEntry(depth, title, target, title_language(item)))
    page.meta.setdefault("title", catalogue("site_map.title"))
    return site_map_markdown(catalogue("site_map.title"), catalogue("site_map.intro"), entries)
