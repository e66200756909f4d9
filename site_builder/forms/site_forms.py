"""Every form of one build: where each is declared, its HTML in the page, its manifest and its
paper version.

The build engine (today the MkDocs plugin) hands each parsed form over with the URL of its page;
this class checks form ids are unique across the site, renders the form (or its closed notice)
with links relative to that page, and after the build writes ``forms/<id>.json`` and the paper
page ``<paper slug>/<id>/``. It imports nothing from MkDocs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from site_builder import calendar
from site_builder.errors import Problem
from site_builder.forms import paper, render
from site_builder.forms.manifest import write_manifest
from site_builder.forms.model import Form
from site_builder.i18n import Catalogue, base_language
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

    def paper_url(self, form_id: str) -> str:
        """URL of a form's paper version, relative to the site root."""
        folder = f"{self.catalogue('paper.slug')}/{form_id}/"
        return folder if self.use_directory_urls else folder + "index.html"

    def closed(self, form: Form) -> calendar.ClosedInfo | None:
        return calendar.closed_info(form.closes, self.consultation, self.today)

    def render(
        self, form: Form, *, page_url: str, help_url: str | None
    ) -> tuple[str, list[Problem]]:
        """The form's HTML for the page at ``page_url`` (``help_url`` relative to the site root),
        and the problems that keep it from being published (HTML ids two questions would share;
        a form id another page already uses)."""
        problems = render.id_clashes(form) + self._duplicate(form)
        if problems:
            return "", problems
        self.placed[form.id] = PlacedForm(form, page_url)
        closed = self.closed(form)
        if closed is not None and closed.results_url:
            closed = replace(closed, results_url=relative_url(closed.results_url, page_url))
        html = render.render_form(
            form,
            catalogue=self.catalogue,
            action=self.action,
            closed=closed,
            paper_url=None if closed else relative_url(self.paper_url(form.id), page_url),
            help_url=relative_url(help_url, page_url) if help_url is not None else None,
        )
        return html, []

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
        """Write every form's manifest and, for forms still open, its paper page; returns the
        paths written. ``dropoff`` and ``double_entry`` go in the manifests too: the collector's
        data-entry area offers those places and types each sheet twice when asked."""
        written = []
        for placed in self.placed.values():
            form = placed.form
            closes = calendar.closing_day(form.closes, self.consultation)
            written.append(write_manifest(
                form, site_dir=site_dir, page_url=placed.page_url,
                language=base_language(self.catalogue.language), opens=self.consultation.opens,
                closes=closes, action=self.action, site_url=site_url,
                results_url=self.consultation.results_url, help_url=help_url,
                paper_url=None if self.closed(form) else self.paper_url(form.id),
                retention_days=self.consultation.retention_days,
                time_zone=self.consultation.time_zone, paper_dropoff=dropoff,
                double_entry=double_entry,
            ))
            if self.closed(form) is None:
                written.append(self._write_paper(placed, site_dir, site=site, help_url=help_url,
                                                 dropoff=dropoff, closes=closes,
                                                 site_url=site_url))
        return written

    def _write_paper(
        self,
        placed: PlacedForm,
        site_dir: Path,
        *,
        site: SiteInfo,
        help_url: str | None,
        dropoff: Sequence[str],
        closes: date | None,
        site_url: str | None,
    ) -> Path:
        url = self.paper_url(placed.form.id)
        html = paper.render_paper(
            placed.form,
            catalogue=self.catalogue,
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
