"""The collector's pages as responses: which built page each is shown in, in which language.

A page about a form is shown inside the form's own page (same header, menu and footer, the text
above the form kept); any other inside the site's 404 page; a site without either gets a plain
built-in page. Rendering the content itself is ``pages``' work.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from starlette.responses import HTMLResponse

from site_builder.collector import pages
from site_builder.collector.pages import Shell
from site_builder.collector.paths import form_page_path, site_path, site_url
from site_builder.collector.responses import html_page
from site_builder.collector.settings import Collector, catalogue
from site_builder.forms.manifest import Manifest
from site_builder.i18n import DEFAULT_LANGUAGE, Catalogue


def form_shell(collector: Collector, manifest: Manifest) -> Shell:
    """The form's page, ready to hold a collector page; the generic shell when it is gone."""
    html = collector.site.page_html(manifest)
    shell = _parsed(html, form_page_path(manifest)) if html is not None else None
    return shell or generic_shell(collector, manifest)


def generic_shell(collector: Collector, manifest: Manifest | None = None) -> Shell:
    """The site's 404 page (which has the site's header and footer), or the built-in page."""
    html = collector.site.not_found_html()
    shell = _parsed(html, site_path(manifest) if manifest else "/") if html is not None else None
    if shell is not None:
        return shell
    known = manifest or next(iter(collector.manifests), None)
    return Shell.minimal(known.language if known else DEFAULT_LANGUAGE)


@lru_cache(maxsize=32)
def _parsed(html: str, page_path: str) -> Shell | None:
    """The page as a shell, or None when it cannot hold a collector page. Cached: the same few
    pages (the forms' and 404.html) hold every answer, and a rebuild changes ``html``."""
    try:
        return Shell.from_html(html, page_path)
    except ValueError:
        return None


def language_of(shell: Shell, manifest: Manifest | None) -> Catalogue:
    return catalogue(manifest.language if manifest else shell.language)


def message(
    collector: Collector,
    kind: str,
    status: int,
    *,
    manifest: Manifest | None = None,
    headers: Mapping[str, str] | None = None,
    **params: object,
) -> HTMLResponse:
    """One of ``pages.message_page``'s pages, in the form's page when there is a form."""
    shell = form_shell(collector, manifest) if manifest else generic_shell(collector)
    if manifest is not None:
        params.setdefault("form_url", form_page_path(manifest))
        params.setdefault("help_url", site_url(manifest, manifest.help_url))
    html = pages.message_page(shell, language_of(shell, manifest), kind, **params)
    return html_page(html, status, headers=headers)
