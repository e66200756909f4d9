"""The low-data edition: the whole consultation in one small HTML file, to pass around by a
messaging app or on a USB stick at the town hall, and to read with no connection at all.

Why: on 2G, or with no data left, every page of a site is one more wait. One file, fetched once
(or received from a neighbour), holds the brief, the explainers, the FAQ, the help page, the
calendar and the organizer's contact, and says how to answer: online (the form's address),
on paper (the paper version's address, and where to drop it off).

What the file is (``theme/low-data.html``, rendered with the core's autoescaping environment):

- every page in navigation order, the home page first, then footer pages missing from the
  navigation; the site map is left out (the table of contents replaces it). Each page is a
  ``<section id="page-…">`` under the one ``h1`` (the consultation's title), its own headings
  one level down; a table of contents at the top links to each. A page not translated yet into
  the file's language (issue #18) keeps its text, its section and its contents entry marked
  with that text's ``lang``/``dir``, after the site's note saying so in the file's language;
- links between pages point inside the file (``#page-faq``, ``#page-faq--question``: every id
  gets its page's prefix, so ids are unique in the file); a link to a page that holds a form
  points at that form's "how to answer" box; a link to anything else of the site (the paper
  version, a page left out) becomes its absolute address when ``site_url`` is known, else the
  link goes and its words stay: a relative link would lead nowhere from a USB stick;
- a form becomes a "how to answer" box (an offline file cannot post): the online address,
  the paper version, where to drop answers off, the last day, the help page, and the questions
  themselves, to prepare one's answers (``site_builder.low_data.forms``);
- nothing is fetched: one inline stylesheet of 1.5 KB (system colours, so light
  and dark schemes both work; print-friendly), no script, no font, pictures replaced by a
  visible note with their alternative text (see ``site_builder.low_data.cleaning``).

The same pages, options and build date give the same bytes. The build writes the file beside
the home page (``consultation-hors-ligne.html``, ``low-data.html`` in English: the name comes
from the interface strings), links it from every page's footer, and reports its size, raw and
gzip; no page budget applies to it (it is a download, not a page).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from site_builder import calendar
from site_builder.forms.templates import environment
from site_builder.i18n import Catalogue, base_language, text_direction
from site_builder.languages import language_name_in
from site_builder.low_data import cleaning
from site_builder.low_data.cleaning import Element
from site_builder.low_data.forms import (
    FORM_SECTION_PREFIX,
    OfflineForm,
    form_box,
    replace_form,
)
from site_builder.precompress import gzip_bytes
from site_builder.site import SiteInfo
from site_builder.urls import absolute_url, page_folder

TEMPLATE = "low-data.html"
PAGE_PREFIX = "page-"
RESERVED_IDS = frozenset({"contenu", "ld-toc", "ld-contact"})
"""Ids the template writes itself; pages' ids all start with ``page-``."""
SCHEMES_DROPPED = frozenset({"javascript", "data", "vbscript", "file"})


def file_name(catalogue: Catalogue) -> str:
    """The edition's file name in the site's language (``consultation-hors-ligne.html``)."""
    return catalogue("low_data.file")


@dataclass(frozen=True)
class EditionPage:
    """One page as the build rendered it: ``url`` relative to the site root (MkDocs' form),
    ``content`` the HTML of its text (no layout)."""

    src_uri: str
    url: str
    title: str
    content: str
    calendar: bool = False
    """The page lists the consultation's phases after its text (front matter ``calendar``)."""
    language: str | None = None
    """The language of the page's text when it is not the file's (a page not translated yet
    keeps the default language's): its section and its entry in the contents say so."""


@dataclass(frozen=True)
class LowDataFile:
    """The written edition: its path in the site and its size in bytes, raw and gzip."""

    path: str
    raw: int
    gzip: int


@dataclass
class _Page:
    source: EditionPage
    anchor: str
    tree: Element
    ids: dict[str, str] = field(default_factory=dict)
    form_anchor: str | None = None
    """The section of the page's first open form: where links to the page lead."""


def page_anchor(src_uri: str) -> str:
    """``explications/budget.md`` → ``page-explications-budget``."""
    stem = src_uri.removesuffix(".md")
    return PAGE_PREFIX + re.sub(r"[\s/]+", "-", stem).strip("-")


def _key(site_path: str) -> str:
    """One spelling per page: ``faq/``, ``faq``, ``faq/index.html`` → ``faq``; home → ``""``."""
    path = site_path.removesuffix("index.html").strip("/")
    return "" if path == "." else path


class _Addresses:
    """Where each link of a page leads in the file: in-file anchors, absolute addresses."""

    def __init__(self, pages: Sequence[_Page], site_url: str | None) -> None:
        self.by_key = {_key(page.source.url): page for page in pages}
        self.site_url = site_url or None
        self.site_path = urlsplit(site_url or "/").path.rstrip("/") + "/"

    def of(self, href: str, page_url: str, page: _Page | None = None) -> str | None:
        """``href``, written in the page at ``page_url``, as the file should write it; None
        when it leads nowhere offline."""
        parts = urlsplit(href)
        fragment = unquote(parts.fragment)
        if parts.scheme or href.startswith("//"):
            return None if parts.scheme.lower() in SCHEMES_DROPPED else href
        if not parts.path and page is not None:  # "#x" or "": this very page
            return "#" + (page.ids.get(fragment) or page.anchor)
        path = unquote(parts.path)
        if path.startswith("/"):
            inside = path.startswith(self.site_path)
            target = path[len(self.site_path):] if inside else None
        else:
            target = posixpath.normpath(posixpath.join(page_folder(page_url), path))
        found = self.by_key.get(_key(target)) if target is not None else None
        if found is not None:
            if not fragment and found.form_anchor:
                return "#" + found.form_anchor
            return "#" + (found.ids.get(fragment) or found.anchor)
        if self.site_url is None:
            return None
        return absolute_url(href, page_url, self.site_url)

    def online(self, site_relative: str) -> str | None:
        """The absolute address of a site URL, when the site's address is known."""
        return absolute_url(site_relative, "", self.site_url) if self.site_url else None


def _notes(catalogue: Catalogue) -> cleaning.Notes:
    return cleaning.Notes(
        image=lambda alt: catalogue("low_data.image", alt=alt),
        image_untitled=catalogue("low_data.image_untitled"),
        media=lambda title: catalogue("low_data.media", title=title),
        media_untitled=catalogue("low_data.media_untitled"),
    )


def render_low_data(
    pages: Sequence[EditionPage],
    *,
    catalogue: Catalogue,
    site: SiteInfo,
    consultation: calendar.CalendarView,
    forms: Sequence[OfflineForm] = (),
    site_url: str | None = None,
    help_url: str | None = None,
    dropoff: Sequence[str] = (),
    today: date,
) -> str:
    """The edition as one HTML document.

    ``pages`` in the order the file shows them; ``forms`` as ``offline_forms`` lists them;
    ``site_url`` the site's published address (MkDocs' ``site_url``), without which the file
    names no web address; ``help_url`` the help page (relative to the site root); ``dropoff``
    the places paper answers go; ``today`` the build date, printed as the file's date.
    """
    taken = set(RESERVED_IDS)
    prepared = []
    for source in pages:
        anchor = cleaning.unique(page_anchor(source.src_uri), taken)
        prepared.append(_Page(source, anchor, cleaning.parse(source.content)))
    addresses = _Addresses(prepared, site_url)
    by_url = addresses.by_key
    boxes = {form.id: form_box(form, catalogue=catalogue, site=site, online=addresses.online,
                               help_url=help_url, dropoff=dropoff, today=today)
             for form in forms}
    notes = _notes(catalogue)
    for page in prepared:
        for form in forms:
            if by_url.get(_key(form.page_url)) is page:
                box = boxes[form.id]
                if box is not None and _foreign(page.source, catalogue):
                    # the box speaks the file's language inside a page that does not
                    box.attrs.update(lang=base_language(catalogue.language),
                                     dir=catalogue.direction)
                replace_form(page.tree, form.id, box)
        cleaning.clean(page.tree, notes)
        cleaning.demote_headings(page.tree)
        page.ids = cleaning.prefix_ids(page.tree, f"{page.anchor}--", taken)
        open_forms = [form for form in forms if boxes[form.id] is not None
                      and by_url.get(_key(form.page_url)) is page]
        if open_forms:
            page.form_anchor = page.ids.get(f"{FORM_SECTION_PREFIX}{open_forms[0].id}")
    for page in prepared:
        cleaning.rewrite_links(page.tree, _links_of(addresses, page))
    status = consultation.status
    results = status.results_url if status and status.results_url else None
    template = environment().get_template(TEMPLATE)
    return template.render(
        t=catalogue,
        site=site,
        pages=[_page_view(page, catalogue) for page in prepared],
        calendar=consultation,
        results_href=addresses.of(results, "") if results else None,
        footer_links=[(link.label, href) for link in site.footer_links
                      if (href := addresses.of(link.url, "")) is not None],
        made_on=calendar.format_date(today, catalogue),
        online_url=addresses.online(""),
    )


def _links_of(addresses: _Addresses, page: _Page) -> Callable[[str], str | None]:
    """Where each link written in ``page`` leads in the file."""

    def address(href: str) -> str | None:
        return addresses.of(href, page.source.url, page)

    return address


@dataclass(frozen=True)
class _PageView:
    anchor: str
    title: str
    heading: bool
    """The page's text starts with its own heading (its ``h1``, now an ``h2``)."""
    content: Markup
    calendar: bool
    language: str | None = None
    """The language of the page's text (and title) when it is not the file's."""
    direction: str | None = None
    fallback_note: str | None = None
    """With ``language``: the site's note saying so, in the file's language."""


def _foreign(page: EditionPage, catalogue: Catalogue) -> str | None:
    """The language of ``page``'s text when it is not the file's."""
    language = page.language
    return language if language and language != base_language(catalogue.language) else None


def _page_view(page: _Page, catalogue: Catalogue) -> _PageView:
    first = next((node for node in page.tree.children if isinstance(node, Element)), None)
    heading = first is not None and first.tag == "h2"
    foreign = _foreign(page.source, catalogue)
    return _PageView(
        anchor=page.anchor,
        title=first.text() if heading and first is not None else page.source.title,
        heading=heading,
        content=Markup(cleaning.serialize(page.tree).strip()),
        calendar=page.source.calendar,
        language=foreign,
        direction=text_direction(foreign) if foreign else None,
        fallback_note=catalogue("languages.fallback", language=language_name_in(
            foreign, base_language(catalogue.language))) if foreign else None,
    )


def write_low_data(site_dir: Path, name: str, html: str) -> LowDataFile:
    """Write the edition at ``site_dir/name``; returns its size raw and as a server sends it
    (gzip, as ``precompress`` writes it beside the file)."""
    data = html.encode("utf-8")
    (site_dir / name).write_bytes(data)
    return LowDataFile(path=name, raw=len(data), gzip=len(gzip_bytes(data)))

