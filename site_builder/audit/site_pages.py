"""Every page of a built site the audit checks, with what it is and the name a person knows it by.

Every ``*.html`` file is a page, whatever made it: the organizer's pages, the forms' paper
versions (under the paper folder, ``papier/<form>/`` in French, ``paper/<form>/`` in English:
the theme's ``paper.slug``), the site map (``site_map.slug``), the low-data edition (the
theme's ``low_data.file``, ``consultation-hors-ligne.html``), the 404 page, and a report an
earlier ``parole audit --publish`` left in ``audit/``. Names come from the theme's catalogue
in the site's language, so the kinds follow the build rather than a list of our own. Files and
folders whose name starts with a dot (a write in progress) are no pages.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from site_builder.audit.model import AuditedPage, PageKind
from site_builder.collector.site import NOT_FOUND_PAGE, PublishedSite
from site_builder.i18n import DEFAULT_LANGUAGE, Catalogue

REPORT_FOLDER = "audit"
"""Where ``parole audit --publish`` writes its report in the site, and ``--statement`` in the
docs folder (so that the next build publishes it there)."""
INDEX = "index.html"
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_LANG = re.compile(r"<html\b[^>]*?\blang=\"([^\"]+)\"", re.IGNORECASE)
_HEAD_BYTES = 65_536
"""How much of a page is read for its title: the head, never a whole big page."""


def site_pages(site_dir: Path) -> list[AuditedPage]:
    """Every page of the site built in ``site_dir``, sorted by path; ``index.html`` is asked
    as its folder (``/faq/``), as people and links ask for it."""
    words = Catalogue.for_language(site_language(site_dir) or DEFAULT_LANGUAGE)
    kinds = _Kinds(words("paper.slug"), words("site_map.slug"), words("low_data.file"))
    pages = []
    for file in site_dir.rglob("*.html"):
        relative = file.relative_to(site_dir)
        if not file.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        path = page_path(relative.as_posix())
        pages.append(AuditedPage(path, kinds.of(relative.as_posix()), page_title(file) or path))
    return sorted(pages, key=lambda page: page.path)


def page_path(relative: str) -> str:
    """``faq/index.html`` → ``/faq/``; ``index.html`` → ``/``; ``404.html`` → ``/404.html``."""
    if relative == INDEX or relative.endswith(f"/{INDEX}"):
        relative = relative[: -len(INDEX)]
    return f"/{relative}"


def site_language(site_dir: Path) -> str | None:
    """The site's language: its forms' manifests', else its home page's ``lang``; None when
    neither says (no built site)."""
    language = PublishedSite(site_dir).language()
    if language:
        return language
    try:
        with (site_dir / INDEX).open(encoding="utf-8", errors="replace") as home:
            found = _LANG.search(home.read(_HEAD_BYTES))
    except OSError:
        return None
    return found.group(1) if found else None


def page_title(file: Path) -> str | None:
    """The text of the page's ``<title>``, spaces collapsed; None without one."""
    try:
        with file.open(encoding="utf-8", errors="replace") as page:
            found = _TITLE.search(page.read(_HEAD_BYTES))
    except OSError:
        return None
    if not found:
        return None
    title = " ".join(html.unescape(re.sub(r"<[^>]*>", "", found.group(1))).split())
    return title or None


class _Kinds:
    def __init__(self, paper: str, site_map: str, low_data: str) -> None:
        self.paper = f"{paper}/"
        self.site_map = {f"{site_map}/{INDEX}", f"{site_map}.html"}
        self.low_data = low_data

    def of(self, relative: str) -> PageKind:
        if relative == NOT_FOUND_PAGE:
            return "not_found"
        if relative == self.low_data:
            return "low_data"
        if relative in self.site_map:
            return "site_map"
        if relative.startswith(self.paper):
            return "paper"
        if relative == f"{REPORT_FOLDER}/{INDEX}":
            return "report"
        return "page"
