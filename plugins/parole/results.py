"""The results part of the ``parole`` plugin (issue #16): MkDocs' files and pages in,
``site_builder.results`` out. One ``ResultsAdapter`` lives for one build.

- ``on_files`` reads the results files (``<docs>/parole-results/*.json``, written by
  ``parole results``) and takes them out of the published files: their published form is the
  open data. It finds the ``type: results`` pages, checks each names a form (``form:``) that has
  a results file, reads each page's decisions, and tells the calendar which page holds the
  results and how many decisions it has (the status banner links to it, "concluded" once it
  has decisions).
- ``page_content`` appends the generated HTML to each results page.
- ``write`` writes the open data, after the pages and before the site is precompressed.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

from site_builder import calendar
from site_builder.calendar import Calendar
from site_builder.errors import Problem
from site_builder.i18n import Catalogue
from site_builder.journal_page import JOURNAL_FOLDER, PAGE_SOURCE
from site_builder.results import open_data
from site_builder.results.decisions import Decision, decisions_html, read_decisions
from site_builder.results.file import FOLDER, ResultsFile, load_results_folder
from site_builder.results.page import results_html
from site_builder.site import SiteInfo

from . import page_checks
from .config import ResultsConfig

RESULTS_TYPE = "results"


@dataclass
class ResultsPage:
    """A ``type: results`` page as ``on_files`` found it."""

    file: File
    form: str | None
    results: ResultsFile | None
    meta: dict[str, Any]
    decisions: tuple[Decision, ...] = field(default=())


class ResultsAdapter:
    def __init__(self, config: MkDocsConfig, options: ResultsConfig, *, catalogue: Catalogue,
                 today: date) -> None:
        self.problems: list[Problem] = []
        self.docs_dir = Path(config.docs_dir)
        self.options = options
        self.catalogue = catalogue
        self.today = today
        self.results: dict[str, ResultsFile] = {}
        self.pages: dict[str, ResultsPage] = {}
        """The ``type: results`` pages, by their path under the docs folder."""
        self.files: Files | None = None
        """The build's files, for the journal's page (generated after ``on_files``)."""
        self.consultation = Calendar()
        self.closed = False
        """Whether results are due on the build day (the consultation's closing day is over)."""

    def on_files(self, files: Files, consultation: Calendar) -> Calendar:
        """Load the results files (taken out of the published files), and return the calendar
        as the results page makes it (concluded once it has decisions)."""
        self.results, problems = load_results_folder(self.docs_dir)
        self.problems += problems
        self.files = files
        for file in list(files):
            if _is_results_file(file.src_uri):
                files.remove(file)
        self.closed = _closed(consultation, self.today)
        unreadable = _unreadable_forms(self.docs_dir, self.results.keys())
        for file in files.documentation_pages():
            found = self._results_page(file, unreadable=unreadable)
            if found is not None:
                self.pages[file.src_uri] = found
        for page in self.pages.values():
            if isinstance(page.meta.get("decisions"), str):  # a file beside the page: source
                beside = posixpath.normpath(posixpath.join(
                    posixpath.dirname(page.file.src_uri), page.meta["decisions"]))
                if (named := files.get_file_from_path(beside)) is not None:
                    files.remove(named)
        chosen = self._calendar_page(consultation)
        if chosen is not None and consultation.results_url is None:
            consultation = consultation.with_results_url(chosen.file.url)
        if chosen is not None:
            consultation = consultation.with_decisions(len(chosen.decisions))
        self.consultation = consultation
        return consultation

    def _results_page(self, file: File, *, unreadable: set[str]) -> ResultsPage | None:
        """The page, when its front matter says ``type: results``, with its problems noted."""
        if not file.src_uri.endswith(".md"):
            return None
        text = file.content_string
        if "results" not in text:  # the front matter is read only where it can say so
            return None
        meta = get_data(text)[1]
        if meta.get("type") != RESULTS_TYPE:
            return None
        form = meta.get("form")
        problem = page_checks.results_form_problem(
            form, src_uri=file.src_uri, text=text, forms=self.results.keys(),
            unreadable=unreadable, closed=self.closed)
        if problem is not None:
            self.problems.append(problem)
        results = self.results.get(form) if isinstance(form, str) else None
        decided, wrong = read_decisions(meta, page_src=file.src_uri, page_text=text,
                                        docs_dir=self.docs_dir, results=results)
        self.problems += wrong
        return ResultsPage(file, form if isinstance(form, str) else None, results, meta, decided)

    def _calendar_page(self, consultation: Calendar) -> ResultsPage | None:
        """The results page the calendar names, or else the first ``type: results`` page."""
        if consultation.results_page is not None:
            return self.pages.get(consultation.results_page)
        return next(iter(self.pages.values()), None)

    def page_content(self, html: str, page: Page) -> str:
        """A ``type: results`` page's HTML with its figures, quotes and decisions."""
        found = self.pages.get(page.file.src_uri)
        if found is None or found.form is None:
            return html
        if found.results is None and self.closed:
            return html  # its problem is reported: the build stops
        decided = decisions_html(found.decisions, catalogue=self.catalogue,
                                 results=found.results)
        open_data_links = self._open_data_links(page) if self.closed else []
        return html + results_html(
            found.results, catalogue=self.catalogue, consultation=self.consultation,
            today=self.today, decisions_html=decided,
            closes=found.results.closes if found.results is not None else None,
            decision_statuses=[decision.status for decision in found.decisions],
            open_data_links=open_data_links, licence=self.options.licence,
            journal_url=self._journal_url(page))

    def _journal_url(self, page: Page) -> str | None:
        """The build's page explaining the journal (generated or the organizer's), relative to
        ``page``; None when the site has none (``journal: false``)."""
        if self.files is None or not any(self.files.get_file_from_path(name)
                                         for name in (PAGE_SOURCE, f"{JOURNAL_FOLDER}.md")):
            return None
        return get_relative_url(f"{JOURNAL_FOLDER}/", page.url)

    def _open_data_links(self, page: Page) -> list[tuple[str, str]]:
        """Every form's open data files, then the read-me, relative to ``page``."""
        folder = open_data.open_data_url(self.catalogue)
        files = [link for form in sorted(self.results)
                 for link in open_data.form_files(self.results[form], self.catalogue)]
        files.append((folder + open_data.readme_name(self.catalogue),
                      self.catalogue("results.page.open_data.readme")))
        return [(get_relative_url(url, page.url), words) for url, words in files]

    def write(self, site_dir: Path, *, site: SiteInfo, site_url: str | None) -> None:
        """Write the open data (before the site is precompressed)."""
        if not self.results or not self.closed:  # figures are published once the form closes
            return
        open_data.write_open_data(site_dir, [self.results[form] for form in sorted(self.results)],
              licence=self.options.licence, catalogue=self.catalogue, site=site,
              site_url=site_url)


def _is_results_file(src_uri: str) -> bool:
    """``parole-results/<form>.json``: read by the build, never published as it is."""
    path = PurePosixPath(src_uri)
    return path.parent == PurePosixPath(FOLDER) and path.suffix == ".json"


def _closed(consultation: Calendar, today: date) -> bool:
    """True when results are due: the consultation's closing day is over (or it has none)."""
    closing = calendar.closing_day(None, consultation)
    return closing is None or calendar.is_past(closing, today)


def _unreadable_forms(docs_dir: Path, read: Collection[str]) -> set[str]:
    """Forms whose results file exists but could not be read (its own problems say why)."""
    return {path.stem for path in (docs_dir / FOLDER).glob("*.json") if path.stem not in read}
