"""The results part of the ``parole`` plugin (issue #16): MkDocs' files and pages in,
``site_builder.results`` out. One ``ResultsAdapter`` lives for one build.

GROUNDWORK: the helper "results page" replaces this module's body, keeping this interface.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from site_builder.calendar import Calendar
from site_builder.errors import Problem
from site_builder.i18n import Catalogue
from site_builder.site import SiteInfo

from .config import ResultsConfig


class ResultsAdapter:
    def __init__(self, config: MkDocsConfig, options: ResultsConfig, *, catalogue: Catalogue,
                 today: date) -> None:
        self.problems: list[Problem] = []

    def on_files(self, files: Files, consultation: Calendar) -> Calendar:
        """Load the results files (taken out of the published files), and return the calendar
        as the results page makes it (concluded once it has decisions)."""
        return consultation

    def page_content(self, html: str, page: Page) -> str:
        """A ``type: results`` page's HTML with its figures, quotes and decisions."""
        return html

    def write(self, site_dir: Path, *, site: SiteInfo, site_url: str | None) -> None:
        """Write the open data (before the site is precompressed)."""
