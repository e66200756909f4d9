"""MkDocs events of the ``parole`` plugin. Thin: every decision is made in ``site_builder``.

State kept across ``mkdocs serve`` rebuilds is only what ``__init__`` sets; everything that
belongs to one build is reset in ``on_config`` (DESIGN.md, convention 2).
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markdown import Extension
from mkdocs.config.base import ConfigErrors, ConfigWarnings
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.localization import parse_locale
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from site_builder import calendar, calendar_options, faq, navigation, page_weight, precompress
from site_builder.config_lines import ConfigLines
from site_builder.errors import ConfigError, ContentError, Problem
from site_builder.fetch_markup import SiteScan
from site_builder.forms.fence import FormsExtension
from site_builder.i18n import (
    DEFAULT_LANGUAGE,
    FALLBACK_LANGUAGE,
    Catalogue,
    available_languages,
)
from site_builder.images.extension import ImagesExtension
from site_builder.links import LinksExtension
from site_builder.low_data import LowDataFile, file_name
from site_builder.messages import say, use_language
from site_builder.page_description import page_description
from site_builder.site import SiteInfo
from site_builder.todo_markers import config_warnings, page_warnings

from . import languages, page_checks, site_pages
from . import options as options_check
from .config import ParoleConfig
from .forms import FormsAdapter
from .images import ImagesAdapter
from .journal_page import JournalPage
from .language_words import prepare_words
from .links import LinksAdapter
from .low_data import StartedEdition, edition_pages, start_edition, write_edition
from .readability import ReadabilityAdapter
from .results import ResultsAdapter
from .theme_options import check_theme_options, unpublished_theme_files
from .weight_report import report_page_weight

log = logging.getLogger("mkdocs.plugins.parole")

THEME = "parole"


class ParolePlugin(BasePlugin[ParoleConfig]):
    """Adds parole's pages, checks and reports to an MkDocs build."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.gzips: precompress.BackgroundGzips | None = None
        self.edition: StartedEdition | None = None
        self.options_given: tuple[dict[str, Any], str | None] = ({}, None)
        """The options as written and the config file, kept by ``load_config`` (before each
        build's ``on_config``) to report what is wrong in the site's language."""
        self.wrong_options: list[options_check.WrongOption] = []
        self._reset()

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None,
                    ) -> tuple[ConfigErrors, ConfigWarnings]:
        """MkDocs' check of the options, except that a wrong option takes its default and is
        reported with its line at the end of the build, and an unknown one is a warning with
        its line and the nearest name (``on_config``), instead of MkDocs' first error alone."""
        self.options_given = (options, config_file_path)
        self.wrong_options = options_check.wrong_options(ParoleConfig, options)
        errors, warnings = super().load_config(
            options_check.without(options, self.wrong_options), config_file_path)
        return errors, [(key, message) for key, message in warnings
                        if "Unrecognised configuration name" not in message]

    def _reset(self) -> None:
        self.catalogue = Catalogue.for_language(DEFAULT_LANGUAGE)
        self.faq_extension: faq.FaqExtension | None = None
        self.generated_site_map: File | None = None
        self.site_map_url: str | None = None
        self.journal = JournalPage(bool(self.config.get("journal")))  # on_config: enabled
        self.nav: Navigation | None = None
        self.footer_files: dict[str, File] = {}
        self.problems: list[Problem] = []
        self.config_problems: list[Problem] = []
        """Problems of mkdocs.yml: reported with the pages' ones, so one build shows all."""
        self.calendar = calendar.Calendar()
        self.forms: FormsAdapter | None = None
        self.images: ImagesAdapter | None = None
        self.links: LinksAdapter | None = None
        self.results: ResultsAdapter | None = None
        self.readability = ReadabilityAdapter(self.config.get("plain_language"))  # on_config: on
        self.today = date.today()  # the build date, read again by every build (on_config)
        self._finish_gzips()
        self._stop_edition()

    def _stop_edition(self) -> None:
        """Stop making the low-data edition (a failed build does not write it)."""
        edition, self.edition = self.edition, None
        if edition is not None:
            edition.html.close()

    def _finish_gzips(self) -> dict[Path, precompress.Written]:
        """Wait for the pages still being gzipped (a failed build leaves some behind); returns
        the ``.gz`` files written meanwhile."""
        gzips, self.gzips = self.gzips, None
        if gzips is None:
            return {}
        gzips.finish()
        return gzips.written

    # -- configuration and files ------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._reset()
        language = str(config.theme.get("language") or "")
        self.catalogue = Catalogue.for_language(language or DEFAULT_LANGUAGE)
        # organizers read the build's messages in the site's (default) language, every build
        use_language(languages.site_languages(config)[0])
        for warning in config_warnings(config.config_file_path):
            log.warning("%s", warning)
        if config.theme.name == THEME:
            check_theme_options(config, file=_config_name(config))
            # parole's strings come from its own catalogues; MkDocs' Babel lookup for the same
            # locale would only warn that the theme has no .mo files (and stop a strict build).
            config.theme["locale"] = parse_locale(FALLBACK_LANGUAGE)
        lines = ConfigLines.read(config.config_file_path, "parole")
        given, file = self.options_given[0], _config_name(config)
        # this build's language's words of mkdocs.yml first: the calendar reads its phases
        language_problems = prepare_words(config, self.config, lines=lines, file=file)
        self.calendar, self.today, self.config_problems = calendar_options.load(
            self.config, file=file, line_of=lines.option)
        self.config_problems = sorted(
            options_check.problems(self.wrong_options, lines=lines, file=file)
            + self.config_problems + language_problems, key=lambda problem: problem.line or 0)
        for problem in options_check.unknown(ParoleConfig, given, lines=lines, file=file):
            log.warning("%s", problem)
        self.links = LinksAdapter(config)
        _install(config, LinksExtension, self.links.extension)
        self.forms = FormsAdapter(config, catalogue=self.catalogue, consultation=self.calendar,
                                  today=self.today, action=self.config.collector_url,
                                  links=self.links)
        if not self.catalogue.complete:
            log.warning(say("plugin.unknown_language", language=language,
                            languages=", ".join(available_languages())))
        self.faq_extension = faq.FaqExtension() if self.config.faq else None
        _install(config, faq.FaqExtension, self.faq_extension)
        _install(config, FormsExtension, self.forms.extension)
        self.results = ResultsAdapter(config, self.config.results, catalogue=self.catalogue,
                                      today=self.today)
        self.images = ImagesAdapter(config, self.config.images)
        _install(config, ImagesExtension, self.images.extension)
        if self.config.page_weight.enabled or self.config.precompress:
            self.gzips = precompress.BackgroundGzips()
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        files = languages.language_files(files, config)  # this build's language (issue #18)
        if self.images is not None:
            self.images.publish(files, config)
        if config.theme.name == THEME:
            for file in unpublished_theme_files(files, config):
                files.remove(file)
        if self.config.site_map:
            src_uri = f"{self.catalogue('site_map.slug')}.md"
            site_map = files.get_file_from_path(src_uri)
            if site_map is None:  # the organizer did not write one: generate it
                site_map = File.generated(
                    config, src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV
                )
                self.generated_site_map = site_map
                files.append(site_map)
            self.site_map_url = site_map.url
        self.journal.add_files(files, config)
        for key in ("help_page", "accessibility_page", "privacy_page"):
            src_uri = self.config[key]
            if not src_uri:
                continue
            found = files.get_file_from_path(src_uri)
            if found is None:
                log.warning(say("plugin.footer_page_missing", option=key, page=src_uri,
                                docs=config.docs_dir))
            else:
                self.footer_files[key] = found
        self._find_results_page(files, config)
        edition = file_name(self.catalogue)
        if self.config.low_data and files.get_file_from_path(edition) is None:
            # Known to MkDocs, a page's markdown link to the edition resolves like any other;
            # written empty now, then in full after the build (on_post_build).
            files.append(File.generated(config, edition, content=""))
        if self.forms is not None and "help_page" in self.footer_files:
            self.forms.help_url = self.footer_files["help_page"].url
        return files

    def _find_results_page(self, files: Files, config: MkDocsConfig) -> None:
        """The results page's address, and what the results adapter finds (files, decisions)."""
        src_uri = self.calendar.results_page
        found = files.get_file_from_path(src_uri) if src_uri else None
        if src_uri and found is None:
            log.warning(say("plugin.results_page_missing", page=src_uri, docs=config.docs_dir))
        elif found is not None:
            self.calendar = self.calendar.with_results_url(found.url)
        if self.results is not None:
            self.calendar = self.results.on_files(files, self.calendar)
        if self.forms is not None:
            self.forms.site_forms.consultation = self.calendar

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        env.globals["t"] = self.catalogue
        env.globals["parole"] = self.site_info(config)
        env.globals["parole_calendar"] = calendar.view(self.calendar, self.today, self.catalogue)
        languages.add_globals(env, config, files)
        if self.config.low_data and self.nav is not None:  # every page is read: start it now
            help_page = self.footer_files.get("help_page")
            self.edition = start_edition(
                config,
                pages=edition_pages(self.nav, self.footer_files.values(), self.site_map_url),
                catalogue=self.catalogue, site=self.site_info(config), consultation=self.calendar,
                today=self.today, site_forms=self.forms.site_forms if self.forms else None,
                help_url=help_page.url if help_page else None,
            )
        return env

    def site_info(self, config: MkDocsConfig) -> SiteInfo:
        return site_pages.site_info(self.config, config, self.catalogue,
                                    footer_files=self.footer_files,
                                    site_map_url=self.site_map_url)

    # -- pages ------------------------------------------------------------------------------

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        self.problems += page_checks.front_matter_problems(page, self.calendar)
        self.problems += self.readability.page(page, config)
        if self.faq_extension is not None:
            self.faq_extension.active = page.meta.get("type") == "faq"
        if self.forms is not None:
            self.forms.before_page(page, markdown)
        if self.links is not None:
            self.links.before_page(page, markdown, files)
        if self.images is not None:
            self.images.before_page(page)
        for warning in page_warnings(page.file.content_string, config.docs_dir, page.file.src_uri,
                                      config.config_file_path):
            log.warning("%s", warning)
        if page.file is self.generated_site_map:
            return site_pages.site_map_page(page, self.nav, self.catalogue,
                                            languages.title_language(config))
        return self.journal.markdown(page, config, self.catalogue) or markdown

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if self.forms is not None:
            self.forms.after_page()
        if self.links is not None:
            self.links.after_page(page)
        if self.images is not None:
            self.images.after_page()
        if self.results is not None:
            html = self.results.page_content(html, page)
        if self.faq_extension is not None and self.faq_extension.active:
            self.problems += page_checks.faq_problems(page, self.faq_extension.questions)
            self.faq_extension.active = False
        return html

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        if config.theme.name != THEME:  # only parole's templates show it (0.1 s per 1000 pages)
            return context
        local = navigation.local_nav(nav.items, page, nav.homepage,  # type: ignore[arg-type]
                                     title_language=languages.title_language(config))
        context["parole_nav"] = local  # type: ignore[typeddict-unknown-key]
        context = languages.page_context(context, page, config)
        context["parole_description"] = page_description(  # type: ignore[typeddict-unknown-key]
            page.meta.get("description"), page.content or "", config.site_description)
        return context

    @event_priority(-100)  # last: the page as MkDocs writes it
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.gzips is not None:  # measured and compressed after the build: start now
            # its .gz too, when MkDocs writes the page (not when the page is empty)
            gz_for = (Path(page.file.abs_dest_path) if self.config.precompress and output.strip()
                      else None)
            self.gzips.add(output.encode("utf-8", errors="xmlcharrefreplace"), gz_for)
        return output

    # -- after the build --------------------------------------------------------------------

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_edition()

    @event_priority(-100)  # last: measure and compress what every other plugin wrote
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.links is not None:  # warnings (a strict build stops), beside the errors below
            self.links.report()
        problems = (self.problems + (self.forms.problems if self.forms else [])
                    + (self.images.problems if self.images else [])
                    + (self.results.problems if self.results else []))
        if problems or self.config_problems:
            raise PluginError("\n".join(
                [str(ConfigError(self.config_problems))] * bool(self.config_problems)
                + [str(ContentError(problems))] * bool(problems)))
        written = self._finish_gzips()
        site_dir = Path(config.site_dir)
        if self.forms is not None:
            self.forms.write(site_dir, site=self.site_info(config),
                             dropoff=list(self.calendar.paper_dropoff), site_url=config.site_url,
                             double_entry=self.config.paper_entry.double)
        if self.results is not None:
            self.results.write(site_dir, site=self.site_info(config), site_url=config.site_url)
        edition_name = file_name(self.catalogue) if self.config.low_data else None
        scan = None
        if self.config.page_weight.enabled:  # scanned in other processes meanwhile
            pages = [path for path in page_weight.page_paths(site_dir) if path != edition_name]
            scan = SiteScan(site_dir, pages)
        try:
            edition = self._write_low_data(config)
            # The .gz files first: the report then has every text file's size as sent.
            sent = (precompress.precompress_site(site_dir, written) if self.config.precompress
                    else None)
            if scan is not None:
                report_page_weight(config, self.config.page_weight.budget * 1024,
                                   downloads=[edition.path] if edition else [], sent=sent,
                                   markup=scan.result())
            self.readability.report(config, gzip=sent is not None)  # after page weight
        finally:
            if scan is not None:
                scan.close()
        languages.build_other_languages(config)  # last: the other languages, each a build

    def _write_low_data(self, config: MkDocsConfig) -> LowDataFile | None:
        """The one-file edition (before page weight and precompression: measured, gzipped)."""
        edition, self.edition = self.edition, None
        if edition is None:
            return None
        return write_edition(config, edition.html.result(), catalogue=self.catalogue,
                             pages=edition.pages)


def _install(config: MkDocsConfig, kind: type[Extension], extension: Extension | None) -> None:
    """Put ``extension`` in the build's markdown extensions in place of any earlier ``kind``: a
    config built again (``mkdocs serve``, tests) must not pile them up."""
    extensions: list[Any] = config.markdown_extensions
    extensions[:] = [ext for ext in extensions if not isinstance(ext, kind)]
    if extension is not None:
        extensions.append(extension)


def _config_name(config: MkDocsConfig) -> str:
    return Path(config.config_file_path or "mkdocs.yml").name

