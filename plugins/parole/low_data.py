"""The low-data edition part of the ``parole`` plugin: MkDocs' pages in, ``site_builder.low_data``
out. Once MkDocs has read every page (``on_env``), their rendered text (``page.content``) is
gathered in navigation order and the core makes the one-file edition; on a big site a forked
process makes it while MkDocs renders the pages. It is written beside the home page after the
build.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from site_builder import calendar, low_data, page_weight
from site_builder.forked import Forked
from site_builder.forms.site_forms import SiteForms
from site_builder.i18n import Catalogue
from site_builder.low_data.forms import offline_forms
from site_builder.messages import say
from site_builder.site import SiteInfo

from .languages import page_language

log = logging.getLogger("mkdocs.plugins.parole")


def edition_pages(nav: Navigation, more: Iterable[File], left_out: str | None) -> list[Page]:
    """The pages of the edition: the home page, the others in navigation order, then pages of
    ``more`` (the footer pages) missing from the navigation; never the page at ``left_out``
    (the site map: the edition's table of contents replaces it)."""
    pages: list[Page] = [page for page in nav.pages if isinstance(page, Page)]
    if nav.homepage is not None and nav.homepage in pages:
        pages.remove(nav.homepage)
        pages.insert(0, nav.homepage)
    pages += [file.page for file in more
              if isinstance(file.page, Page) and file.page not in pages]
    return [page for page in pages if page.url != left_out and page.content is not None]


FORK_FROM = 512 * 1024
"""Characters of page text from which the edition is made in a forked process while MkDocs
renders the pages (``site_builder.forked``): 0.5 s of the build's own time at 1000 pages."""


@dataclass(frozen=True)
class StartedEdition:
    """The edition being made: its HTML when :attr:`html` has it, of :attr:`pages` pages."""

    html: Forked[str]
    pages: int


def start_edition(
    config: MkDocsConfig,
    *,
    pages: list[Page],
    catalogue: Catalogue,
    site: SiteInfo,
    consultation: calendar.Calendar,
    today: date,
    site_forms: SiteForms | None,
    help_url: str | None,
) -> StartedEdition:
    """Start making the edition's HTML from ``pages``' text (``page.content``: the pages must
    have been read, as they are from MkDocs' ``on_env`` event)."""

    def render() -> str:
        return low_data.render_low_data(
            [low_data.EditionPage(src_uri=page.file.src_uri, url=page.url,
                                  title=Markup(page.title or "").striptags(),
                                  content=page.content or "",
                                  calendar=bool(page.meta.get("calendar")),
                                  language=page_language(page, config))
             for page in pages],
            catalogue=catalogue,
            site=site,
            consultation=calendar.view(consultation, today, catalogue),
            forms=offline_forms(site_forms) if site_forms is not None else [],
            site_url=config.site_url,
            help_url=help_url,
            dropoff=consultation.paper_dropoff,
            today=today,
        )

    text = sum(len(page.content or "") for page in pages)
    return StartedEdition(Forked(render, fork=text >= FORK_FROM), len(pages))


def write_edition(config: MkDocsConfig, html: str, *, catalogue: Catalogue,
                  pages: int) -> low_data.LowDataFile:
    """Write the edition of ``pages`` pages; log its size (and, once, what a missing
    ``site_url`` leaves out)."""
    edition = low_data.write_low_data(Path(config.site_dir), low_data.file_name(catalogue), html)
    log.info(say("low_data.written", path=edition.path, raw=page_weight.kib(edition.raw),
                 gzip=page_weight.kib(edition.gzip), pages=pages))
    if not config.site_url:
        log.info(say("low_data.no_site_url", path=edition.path))
    return edition
