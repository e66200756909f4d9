"""The forms part of the ``parole`` plugin: MkDocs' pages and files in, ``site_builder.forms`` out.

One ``FormsAdapter`` lives for one build (the plugin makes a new one in ``on_config`` and
installs its ``extension``). Before a
page renders it tells the ```form extension which page it is in (for messages, line numbers,
links and its language); the extension renders each form through ``SiteForms``; after the build
it writes the manifests and paper pages.

A block holding only a form's id shows, in its page's language, a form declared on a page read
before it in this build (the default language's pages, in a build of one language), or in the
default language's build, whose manifests are written before another language's build runs.

A translation's missing strings shown in the form's own language (``translation_fallback``) are
said as warnings a strict build lets through (``readability.ADVICE``): the organizer asked to
publish meanwhile, and an error would make the option useless under `mkdocs build --strict`.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from site_builder import calendar
from site_builder.errors import Problem
from site_builder.forms.fence import FormsExtension
from site_builder.forms.manifest import ManifestError, manifest_path, read_manifest
from site_builder.forms.model import Form
from site_builder.forms.site_forms import SiteForms
from site_builder.i18n import Catalogue
from site_builder.site import SiteInfo

from . import languages
from .languages import page_language
from .links import LinksAdapter, front_matter_lines
from .readability import ADVICE
from .readability import log as advice

log = logging.getLogger("mkdocs.plugins.parole")


class FormsAdapter:
    """Wires the ```form extension and ``SiteForms`` into one MkDocs build."""

    def __init__(
        self,
        config: MkDocsConfig,
        *,
        catalogue: Catalogue,
        consultation: calendar.Calendar,
        today: date,
        action: str,
        links: LinksAdapter,
    ) -> None:
        self.config = config
        self.site_forms = SiteForms(catalogue=catalogue, consultation=consultation, today=today,
                                    action=action, use_directory_urls=config.use_directory_urls)
        self.extension = FormsExtension()
        self.extension.docs_dir = Path(config.docs_dir)
        self.extension.default_closes = consultation.closes
        self.extension.catalogue = catalogue
        self.extension.render = self._render
        self.extension.show = self._show
        _follow_languages(self.site_forms, config)
        self.help_url: str | None = None
        self.problems: list[Problem] = []
        self.links = links  # checks and resolves forms' links as those of pages
        self._page: Page | None = None
        self._texts: dict[str, tuple[str, int, str]] = {}
        """Each form's file, line and YAML, to find the line of a link of its words."""

    def before_page(self, page: Page, markdown: str) -> None:
        """Tell the extension about the page MkDocs is about to render."""
        self._page = page
        self.extension.active_page_file = page.file.src_uri
        self.extension.line_offset = front_matter_lines(page.file.content_string, markdown)
        self.extension.resolve_link = self._resolve_link
        self.extension.language = page_language(page, self.config)

    def after_page(self) -> None:
        """Collect what the extension found in the page just rendered."""
        self.problems.extend(self.extension.problems)
        self.extension.problems = []
        for warning in self.extension.warnings:  # the form works: a warning, not an error
            log.warning("%s", warning)
        self.extension.warnings = []
        for fallback in self.extension.fallbacks:  # asked for: strict mode lets it through
            advice.log(ADVICE, "%s", fallback)
        self.extension.fallbacks = []
        self._page = None

    def _render(self, form: Form) -> str:
        assert self._page is not None, "a form rendered outside a page"
        self._texts.setdefault(form.id, self.extension.form_text)
        html, problems = self.site_forms.render(form, page_url=self._page.url,
                                                help_url=self.help_url)
        self.problems.extend(problems)
        return html

    def _show(self, form_id: str, file: str, line: int) -> str:
        """The form ``form_id``, declared elsewhere, in this page's language."""
        page = self._page
        assert page is not None, "a form shown outside a page"
        text = self._texts.get(form_id, self.extension.form_text)

        def resolve(href: str) -> str:
            return self.links.form_link(href, page, text)

        html, problems, warnings = self.site_forms.show(
            form_id, language=self.extension.language, page_url=page.url,
            help_url=self.help_url, resolve_link=resolve, where=(file, line))
        self.problems.extend(problems)
        for warning in warnings:  # translation_fallback: asked for, as above
            advice.log(ADVICE, "%s", warning)
        return html

    def _resolve_link(self, href: str) -> str:
        """A link of a form's intro or consent label, resolved and checked as links in pages
        are (``LinksAdapter.form_link``)."""
        if self._page is None:
            return href
        return self.links.form_link(href, self._page, self.extension.form_text)

    def write(self, site_dir: Path, *, site: SiteInfo, dropoff: list[str],
              site_url: str | None, double_entry: bool) -> None:
        self.site_forms.write(site_dir, site=site, help_url=self.help_url, dropoff=dropoff,
                              site_url=site_url, double_entry=double_entry)


def _follow_languages(site_forms: SiteForms, config: MkDocsConfig) -> None:
    """A consultation in several languages is one build per language (``languages``): the
    default language's declares the forms, writes their manifests and names each translation's
    page in them; another language's shows them from those manifests (a page ``x.ar.md``
    holding ``id:`` only) and writes no manifest of its own."""
    if languages.is_default_build(config):
        published = languages.site_languages(config)
        if len(published) > 1:
            site_forms.language_url = lambda url, language: (
                languages.language_url(url, language, config) if language in published
                else None)
        return
    site_forms.writes_manifests = False
    root = languages.root_site_dir(config)

    def declared(form_id: str) -> Form | None:
        path = manifest_path(root, form_id)
        if not path.is_file():
            return None
        try:
            return read_manifest(path).form
        except ManifestError as error:  # the default build wrote it: said, and not shown
            log.error("%s", error)
            return None

    site_forms.elsewhere = declared
