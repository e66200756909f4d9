"""The low-data edition part of the ``parole`` plugin: MkDocs' pages in, ``site_builder.low_data``
out. After the build, every page's rendered text (``page.content``) is gathered in navigation
order and the core writes the one-file edition beside the home page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from site_builder import calendar, low_data, page_weight
from site_builder.forms.site_forms import SiteForms
from site_builder.i18n import Catalogue
from site_builder.low_data.forms import offline_forms
from site_builder.site import SiteInfo

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


def write_edition(
    config: MkDocsConfig,
    *,
    pages: list[Page],
    catalogue: Catalogue,
    site: SiteInfo,
    consultation: calendar.Calendar,
    today: date,
    site_forms: SiteForms | None,
    help_url: str | None,
) -> low_data.LowDataFile:
    """Render and write the edition; log its size (and, once, what a missing ``site_url``
    leaves out)."""
    html = low_data.render_low_data(
        [low_data.EditionPage(src_uri=page.file.src_uri, url=page.url,
                              title=Markup(page.title or "").striptags(),
                              content=page.content or "", calendar=bool(page.meta.get("calendar")))
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
    edition = low_data.write_low_data(Path(config.site_dir), low_data.file_name(catalogue), html)
    log.info("Low-data edition: %s, %s (%s gzip), %d pages in one file to share offline; "
             "no page budget applies to it.", edition.path, page_weight.kib(edition.raw),
             page_weight.kib(edition.gzip), len(pages))
    if not config.site_url:
        log.info("Low-data edition: mkdocs.yml has no site_url, so %s gives no web address "
                 "(not the online form's, nor the paper version's); it says to answer on the "
                 "site or on paper. Set site_url to the address the site is published at.",
                 edition.path)
    return edition
