"""Every form of one build: where each is declared, its HTML in the page, its manifest and its
paper versions.

The build engine (today the MkDocs plugin) hands each parsed form over with the URL of its page;
this class checks form ids are unique across the site, renders the form (or its closed notice)
with links relative to that page, and after the build writes ``forms/<id>.json`` and the paper
page ``<paper slug>/<id>/``. A page in another language shows a form declared elsewhere with a
block holding only its id (``show``): the same form in that language's words, posting to the same
id and version; its paper version is ``<paper slug>/<id>/<language>/``, with the same question
codes. With a build per language, each paper version is written once, by the build of its
language (``ar/paper/<id>/ar/``): its links lead to that language's pages, and it is the one
those pages and the low-data file link to; the default build's manifest names it for the
collector. It imports nothing from MkDocs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from site_builder import calendar
from site_builder.errors import Problem
from site_builder.forms import paper, render
from site_builder.forms.manifest import write_manifest
from site_builder.forms.markup import LinkResolver
from site_builder.forms.model import Form
from site_builder.forms.translations import relink
from site_builder.i18n import Catalogue, base_language, text_direction
from site_builder.messages import say
from site_builder.site import SiteInfo
from site_builder.urls import absolute_url, relative_url


@dataclass(frozen=True)
class PlacedForm:
    """A form and the page that shows it (URL relative to the site root)."""

    form: Form
    page_url: str


class SiteForms:
    """The forms of one build, keyed by id."""

    def __init__(
        self,
        *,
        catalogue: Catalogue,
        consultation: calendar.Calendar,
        today: date,
        action: str,
        use_directory_urls: bool = True,
    ) -> None:
        self.catalogue = catalogue
        self.consultation = consultation
        self.today = today
        self.action = action
        self.use_directory_urls = use_directory_urls
        self.placed: dict[str, PlacedForm] = {}
        """Each form where it is declared, in its own language."""
        self.shown: dict[str, dict[str, PlacedForm]] = {}
        """Form id → language → the page showing it in that language (the form with its links
        made for that page): the manifest's ``page_urls``, and the base of its paper version."""
        self.foreign: dict[str, Form] = {}
        """Forms shown here but declared in another build (``elsewhere``): this build writes
        their paper versions in the languages it shows them in, not their manifests."""
        self.elsewhere: Callable[[str], Form | None] = _nowhere
        """Where a form this build does not declare is found: the default language's build,
        whose manifests are written when another language's build runs (the plugin sets it)."""
        self.language_url: Callable[[str, str], str | None] | None = None
        """Where another language's build publishes the page at a URL of this one
        (``faq/``, ``ar`` → ``ar/faq/``; None: the site has no such language), when each
        language is a build of its own: the manifest names every translation's page, for the
        collector to answer in it."""
        self.writes_manifests = True
        """False in another language's build: the default language's build writes them."""
        self._catalogues: dict[str, Catalogue] = {}

    def catalogue_for(self, language: str) -> Catalogue:
        """The interface words of ``language`` (a base language): the site's own, or loaded."""
        if base_language(self.catalogue.language) == language:
            return self.catalogue
        if language not in self._catalogues:
            self._catalogues[language] = Catalogue.for_language(language)
        return self._catalogues[language]

    def paper_url(self, form_id: str, language: str | None = None) -> str:
        """URL of a form's paper version, relative to the site root; ``language``: its version
        in a language other than the form's own."""
        return self._paper_folder(self.catalogue, form_id, language)

    def _paper_folder(self, catalogue: Catalogue, form_id: str, language: str | None) -> str:
        folder = f"{catalogue('paper.slug')}/{form_id}/"
        if language is not None:
            folder += f"{language}/"
        return folder if self.use_directory_urls else folder + "index.html"

    def paper_for(self, form: Form) -> str:
        """The paper version in the words ``form`` is in (a localized copy's: its language's)."""
        placed = self.placed.get(form.id)
        declared = placed.form if placed is not None else self.foreign.get(form.id)
        own = declared.language if declared is not None else form.language
        return self.paper_url(form.id, None if form.language == own else form.language)

    def closed(self, form: Form) -> calendar.ClosedInfo | None:
        return calendar.closed_info(form.closes, self.consultation, self.today)

    def render(
        self, form: Form, *, page_url: str, help_url: str | None
    ) -> tuple[str, list[Problem]]:
        """The form's HTML for the page at ``page_url`` (``help_url`` relative to the site root),
        and the problems that keep it from being published (HTML ids two questions would share;
        a form id another page already uses)."""
        first = self.placed.get(form.id)
        again = (first is not None and first.form.source == form.source
                 and first.form.version == form.version)
        problems = render.id_clashes(form) + ([] if again else self._duplicate(form))
        if problems:
            return "", problems
        if not again:  # the same declaration built at a second address (a language's copy)
            self.placed[form.id] = PlacedForm(form, page_url)
        return self._html(form, form.language, page_url=page_url, help_url=help_url), []

    def show(
        self,
        form_id: str,
        *,
        language: str,
        page_url: str,
        help_url: str | None,
        resolve_link: LinkResolver | None,
        where: tuple[str, int],
    ) -> tuple[str, list[Problem], list[Problem]]:
        """The HTML of the form ``form_id`` (declared on another page) for a page in
        ``language`` at ``page_url``, with the problems that keep it from being shown and the
        warnings (a language the form has no words for, shown in its own with
        ``translation_fallback``). ``where`` is the block's file and line; ``resolve_link``
        resolves the links of the form's words from this page. The form is one this build
        declared before, or one ``elsewhere`` finds (the default language's build, whose pages
        every language's mirror: its links hold from the same place in another language)."""
        file, line = where
        placed = self.placed.get(form_id)
        form = placed.form if placed is not None else self.elsewhere(form_id)
        if form is None:
            known = ", ".join(sorted(self.placed)) or "-"
            return "", [Problem(message=say("forms.reference.unknown", id=form_id),
                                fix=say("forms.reference.unknown.fix", known=known),
                                file=file, line=line, field=form_id)], []
        if placed is None:
            self.foreign.setdefault(form_id, form)
        warnings = []
        if language not in form.languages:
            problem = Problem(
                message=say("forms.reference.no_translation", id=form_id, language=language,
                            source=form.source),
                fix=say("forms.translation.fallback", language=form.language)
                if form.translation_fallback
                else say("forms.reference.no_translation.fix", language=language,
                         own=form.language),
                file=file, line=line, field=f"{form_id}/translations/{language}")
            if not form.translation_fallback:
                return "", [problem], []
            warnings.append(problem)
        shown_in = language if language in form.languages else form.language
        linked = relink(form, resolve_link, shown_in) if resolve_link is not None else form
        if language in form.languages and language != form.language:
            self.shown.setdefault(form_id, {}).setdefault(language,
                                                         PlacedForm(linked, page_url))
        problems = render.id_clashes(form)
        if problems:
            return "", problems, warnings
        html = self._html(linked.localized(language), language, page_url=page_url,
                          help_url=help_url)
        return html, [], warnings

    def _html(self, form: Form, language: str, *, page_url: str, help_url: str | None) -> str:
        """``form`` (in the words it should show) for a page in ``language``."""
        closed = self.closed(form)
        if closed is not None and closed.results_url:
            closed = replace(closed, results_url=relative_url(closed.results_url, page_url))
        return render.render_form(
            form,
            catalogue=self.catalogue_for(language),
            action=self.action,
            closed=closed,
            paper_url=None if closed else relative_url(self.paper_for(form), page_url),
            help_url=relative_url(help_url, page_url) if help_url is not None else None,
        )

    def _duplicate(self, form: Form) -> list[Problem]:
        first = self.placed.get(form.id)
        if first is None:
            return []
        return [Problem(
            message=say("forms.same_form_id", id=form.id, source=first.form.source),
            fix=say("forms.same_form_id.fix"),
            file=form.source.rsplit(":", 1)[0] or None,
            line=_line(form.source),
            field=form.id,
        )]

    def published(self, form_id: str) -> Form:
        """The form ``form_id`` as its manifest holds it: each translation with its links made
        for the page showing it in that language (if any; else for the declaring page)."""
        form = self.placed[form_id].form
        shown = self.shown.get(form_id, {})
        translations = []
        for words in form.translations:
            page = shown.get(words.language)
            linked = page.form.translation(words.language) if page is not None else None
            translations.append(linked or words)
        return replace(form, translations=tuple(translations))

    def write(
        self,
        site_dir: Path,
        *,
        site: SiteInfo,
        help_url: str | None,
        dropoff: Sequence[str],
        site_url: str | None,
        double_entry: bool = False,
    ) -> list[Path]:
        """Write every form's manifest and, for forms still open, its paper page in each of its
        languages that no other language's build writes; returns the paths written.
        ``dropoff`` and ``double_entry`` go in the manifests too: the collector's data-entry area
        offers those places and types each sheet twice when asked."""
        written = []
        for placed in self.placed.values():
            form = self.published(placed.form.id)
            is_open = self.closed(form) is None
            shown = self.shown.get(form.id, {})
            closes = calendar.closing_day(form.closes, self.consultation)
            if self.writes_manifests:
                written.append(write_manifest(
                    form, site_dir=site_dir, page_url=placed.page_url,
                    language=form.language, opens=self.consultation.opens,
                    closes=closes, action=self.action, site_url=site_url,
                    results_url=self.consultation.results_url, help_url=help_url,
                    paper_url=self.paper_url(form.id) if is_open else None,
                    retention_days=self.consultation.retention_days,
                    time_zone=self.consultation.time_zone, paper_dropoff=dropoff,
                    double_entry=double_entry,
                    page_urls=self._page_urls(form, placed.page_url),
                    paper_urls={language: self._paper_in(form, language)
                                for language in form.languages} if is_open else {},
                ))
            if not is_open:
                continue
            for language in [code for code in form.languages if self._writes_paper(form, code)]:
                page = shown.get(language, placed)
                written.append(self._write_paper(
                    PlacedForm(page.form.localized(language), page.page_url),
                    self._paper_in(form, language), site_dir,
                    site=replace(site, language=language, direction=text_direction(language)),
                    help_url=help_url, dropoff=dropoff, closes=closes, site_url=site_url))
        for form_id, form in self.foreign.items():  # declared in another build: its papers
            if self.closed(form) is not None:
                continue
            closes = calendar.closing_day(form.closes, self.consultation)
            for language, page in self.shown.get(form_id, {}).items():
                written.append(self._write_paper(
                    PlacedForm(page.form.localized(language), page.page_url),
                    self._paper_in(form, language), site_dir,
                    site=replace(site, language=language, direction=text_direction(language)),
                    help_url=help_url, dropoff=dropoff, closes=closes, site_url=site_url))
        return written

    def _page_urls(self, form: Form, page_url: str) -> dict[str, str]:
        """Each language's page showing ``form``: its own, each shown in this build, and
        (each language a build) each translation's in its language's build."""
        urls = {form.language: page_url}
        if self.language_url is not None:
            for words in form.translations:
                url = self.language_url(page_url, words.language)
                if url is not None:
                    urls[words.language] = url
        urls.update((language, page.page_url)
                    for language, page in self.shown.get(form.id, {}).items())
        return urls

    def _paper_in(self, form: Form, language: str) -> str:
        """Where ``form``'s paper version in ``language`` is, relative to the site root."""
        return (self._in_language_build(form, language)
                or self.paper_url(form.id, None if language == form.language else language))

    def _in_language_build(self, form: Form, language: str) -> str | None:
        """In the default build of a site with a build per language, the address of the paper
        version ``language``'s build writes (it shows the form declared here in its language:
        ``ar/paper/<id>/ar/``, its own paper slug); None when this build writes it."""
        if self.language_url is None or language == form.language:
            return None
        folder = self._paper_folder(self.catalogue_for(language), form.id, language)
        return self.language_url(folder, language)

    def _writes_paper(self, form: Form, language: str) -> bool:
        """Whether this build writes the paper version of ``form`` (declared in this build) in
        ``language``: not one another language's build writes, whose links lead to that
        language's pages. In another language's build (a page not translated yet declaring the
        form), only the form's own language, which the page links to, and the build's, which
        the manifest names."""
        if not self.writes_manifests:
            return language in (form.language, base_language(self.catalogue.language))
        return self._in_language_build(form, language) is None

    def _write_paper(
        self,
        placed: PlacedForm,
        url: str,
        site_dir: Path,
        *,
        site: SiteInfo,
        help_url: str | None,
        dropoff: Sequence[str],
        closes: date | None,
        site_url: str | None,
    ) -> Path:
        html = paper.render_paper(
            placed.form,
            catalogue=self.catalogue_for(placed.form.language),
            site=site,
            online_url=relative_url(placed.page_url, url),
            help_url=relative_url(help_url, url) if help_url is not None else None,
            dropoff=dropoff,
            closes=closes,
            link_address=lambda href: absolute_url(href, placed.page_url, site_url),
        )
        path = site_dir / (url + "index.html" if url.endswith("/") else url)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        return path


def _line(source: str) -> int | None:
    number = source.rsplit(":", 1)[-1]
    return int(number) if number.isdigit() else None


def _nowhere(form_id: str) -> Form | None:
    return None
