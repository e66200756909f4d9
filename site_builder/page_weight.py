"""How many bytes each page of a built site costs a citizen: the page-weight report and budget.

Why: on 2G, what arrives in the first TCP round trip (about 14 KiB) is what a citizen can read
before waiting again. After every build parole measures each ``*.html`` of the site (the 404 page
too) and prints a table; a page over the budget is a warning (an error in strict mode).

A page's **transferred size** is the page itself plus every file it makes the browser download
(see ``page_resources`` for what counts and what does not), each file counted once per page.
Text files (:data:`site_builder.precompress.COMPRESSIBLE`) count as their gzip at level 9, as the
precompressed ``.gz`` the server sends; other files (images) count raw: they are compressed
already. HTTP headers are not counted. A URL on another site (``https://…``, ``//…``) is not
measured but listed under ``external``; a local file that does not exist is listed under
``missing`` (site-relative path, or the URL as written when it climbs above the site's root).

``page-weight.json`` (:data:`REPORT_NAME`, written in the site; stable: sorted, no date, so
reproducible builds stay byte-identical)::

    {
      "version": 1,
      "unit": "bytes",
      "budget": 14336,
      "totals": {"pages": 7, "total": 41234, "heaviest": "faq/index.html",
                 "heaviest_total": 8123, "median": 5911, "over_budget": []},
      "pages": [
        {"path": "faq/index.html", "url": "/faq/", "html": 5012, "css": 3101, "js": 0,
         "images": 0, "other": 0, "total": 8113, "over_budget": false,
         "resources": {"assets/parole.css": 3101}, "external": [], "missing": []},
        ...
      ],
      "downloads": [{"path": "consultation-hors-ligne.html", "raw": 36089, "gzip": 9825}]
    }

``path`` is the file in the site, ``url`` its address from the site's root; ``resources`` maps
each counted file to its transferred size; pages are sorted by ``path``. ``downloads`` lists
HTML files meant to be downloaded whole, not browsed (the low-data edition,
``site_builder.low_data``): measured raw and gzip, they are not pages, so no budget applies to
them and they are not in ``totals``.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from site_builder.fetch_markup import scan_pages
from site_builder.messages import say, say_count
from site_builder.page_resources import Kind, page_fetches, resolve
from site_builder.precompress import gzip_bytes, is_compressible

REPORT_NAME = "page-weight.json"
CATEGORIES = ("css", "js", "images", "other")
TABLE_LIMIT = 60  # above this many pages, the table shows only the heaviest ones
TABLE_HEAVIEST = 30


def kib(size: float) -> str:
    """``14336`` → ``"14.0 KiB"`` (1 KiB = 1024 bytes)."""
    return f"{size / 1024:.1f} KiB"


@dataclass(frozen=True)
class PageReport:
    """The transferred size of one page, in bytes, by kind of file."""

    path: str
    url: str
    html: int
    css: int = 0
    js: int = 0
    images: int = 0
    other: int = 0
    resources: dict[str, int] = field(default_factory=dict)
    external: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.html + self.css + self.js + self.images + self.other


@dataclass(frozen=True)
class DownloadReport:
    """An HTML file offered for download (the low-data edition): its size in bytes, raw and
    gzip as sent. Not a page: the budget does not apply."""

    path: str
    raw: int
    gzip: int


@dataclass(frozen=True)
class SiteReport:
    """Every page of a site (sorted by path) and the budget they are held to, in bytes."""

    pages: list[PageReport]
    budget: int
    downloads: list[DownloadReport] = field(default_factory=list)

    def over_budget(self) -> list[PageReport]:
        return [page for page in self.pages if page.total > self.budget]

    @property
    def total(self) -> int:
        return sum(page.total for page in self.pages)

    @property
    def heaviest(self) -> PageReport | None:
        return max(self.pages, key=lambda page: page.total, default=None)  # first one on a tie

    @property
    def median(self) -> int:
        return round(statistics.median(page.total for page in self.pages)) if self.pages else 0

    def table(self) -> str:
        """The report as plain text in aligned columns, then the totals."""
        if not self.pages:
            return say("weight.no_pages")
        shown = self.pages
        if len(shown) > TABLE_LIMIT:
            shown = sorted(shown, key=lambda page: (-page.total, page.path))[:TABLE_HEAVIEST]
        with_other = any(page.other for page in self.pages)
        headers = [say("weight.column.page"), "HTML", "CSS", "JS", say("weight.column.images"),
                   *([say("weight.column.other")] if with_other else []),
                   say("weight.column.total"), ""]
        rows = [headers]
        for page in shown:
            sizes = [page.html, page.css, page.js, page.images,
                     *([page.other] if with_other else []), page.total]
            marker = say("weight.over_budget") if page.total > self.budget else ""
            rows.append([page.path, *(f"{size / 1024:.1f}" for size in sizes), marker])
        widths = [max(len(row[column]) for row in rows) for column in range(len(headers))]
        lines = ["  ".join(cell.ljust(width) if column in (0, len(row) - 1) else cell.rjust(width)
                           for column, (cell, width) in enumerate(zip(row, widths, strict=True)))
                 .rstrip() for row in rows]
        if len(shown) < len(self.pages):
            lines.append(say("weight.lighter_pages", count=len(self.pages) - len(shown),
                             pages=len(self.pages), report=REPORT_NAME))
        heaviest = self.heaviest
        assert heaviest is not None
        lines.append(say(
            "weight.totals", pages=say_count("weight.pages", len(self.pages)),
            total=kib(self.total), heaviest=kib(heaviest.total), heaviest_path=heaviest.path,
            median=kib(self.median), budget=kib(self.budget), over=len(self.over_budget())))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        heaviest = self.heaviest
        return {
            "version": 1,
            "unit": "bytes",
            "budget": self.budget,
            "totals": {
                "pages": len(self.pages),
                "total": self.total,
                "heaviest": heaviest.path if heaviest else None,
                "heaviest_total": heaviest.total if heaviest else 0,
                "median": self.median,
                "over_budget": [page.path for page in self.over_budget()],
            },
            "pages": [
                {"path": page.path, "url": page.url, "html": page.html, "css": page.css,
                 "js": page.js, "images": page.images, "other": page.other, "total": page.total,
                 "over_budget": page.total > self.budget, "resources": page.resources,
                 "external": list(page.external), "missing": list(page.missing)}
                for page in self.pages
            ],
            "downloads": [{"path": download.path, "raw": download.raw, "gzip": download.gzip}
                          for download in self.downloads],
        }

    def write_json(self, path: Path) -> None:
        """Write the report as JSON (format in the module docstring), the same bytes each time."""
        text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False)
        path.write_text(text + "\n", encoding="utf-8")


class _Sizes:
    """Transferred size of each site file, computed once per build (a stylesheet is shared),
    or taken from ``known`` (``precompress_site`` has just worked them out)."""

    def __init__(self, site_dir: Path, known: Mapping[str, int]) -> None:
        self.site_dir = site_dir
        self._sizes: dict[str, int | None] = dict(known)

    def __call__(self, site_path: str) -> int | None:
        """Bytes sent for ``site_path``, or None when the site has no such file."""
        if site_path not in self._sizes:
            file = self.site_dir.joinpath(*site_path.split("/"))
            size: int | None = None
            if file.is_file():
                size = file.stat().st_size
                if is_compressible(file):
                    size = min(size, len(gzip_bytes(file.read_bytes())))
            self._sizes[site_path] = size
        return self._sizes[site_path]


def page_url(path: str) -> str:
    """``faq/index.html`` → ``/faq/``; ``404.html`` → ``/404.html``."""
    if path == "index.html" or path.endswith("/index.html"):
        return "/" + path.removesuffix("index.html")
    return "/" + path


def measure_page(site_dir: Path, path: str, sizes: _Sizes, site_path: str = "/",
                 markup: str | None = None) -> PageReport:
    """Measure the page at ``path`` (site-relative) and what it loads; ``markup``: the page's
    :func:`~site_builder.fetch_markup.fetching_markup`, when already scanned."""
    # Only the tags that can fetch: the same downloads, read several times faster.
    html = scan_pages(site_dir, [path])[0] if markup is None else markup
    counted: dict[str, str] = {}  # file → category; a file is counted once per page
    external: set[str] = set()
    missing: set[str] = set()
    for fetch in page_fetches(html):
        chosen: tuple[int, str] | None = None  # the largest candidate (see page_resources)
        phone: tuple[int, str] | None = None  # the reference phone's one, when it exists
        for url in fetch.urls:
            kind, target = resolve(site_dir, path, url, site_path)
            size = sizes(target) if kind is Kind.LOCAL else None
            if kind is Kind.EXTERNAL:
                external.add(url)
            elif kind is Kind.OUTSIDE or (kind is Kind.LOCAL and size is None):
                missing.add(target)
            if size is not None and (chosen is None or size > chosen[0]):
                chosen = (size, target)
            if size is not None and url == fetch.phone:
                phone = (size, target)
        chosen = phone or chosen
        if chosen is not None and chosen[1] != path:
            counted.setdefault(chosen[1], fetch.category)
    by_category = dict.fromkeys(CATEGORIES, 0)
    resources: dict[str, int] = {}
    for target, category in sorted(counted.items()):
        resources[target] = sizes(target) or 0
        by_category[category] += resources[target]
    return PageReport(
        path=path, url=page_url(path), html=sizes(path) or 0, css=by_category["css"],
        js=by_category["js"], images=by_category["images"], other=by_category["other"],
        resources=resources, external=tuple(sorted(external)), missing=tuple(sorted(missing)),
    )


def page_paths(site_dir: Path) -> list[str]:
    """Every ``*.html`` file under ``site_dir``, by its path there, sorted."""
    return sorted(file.relative_to(site_dir).as_posix() for file in site_dir.rglob("*.html")
                  if file.is_file())


AUDIT_REPORT = "audit/index.html"
AUDIT_DATA = "audit/audit.json"


def audit_reports(site_dir: Path, paths: Collection[str]) -> set[str]:
    """The report ``parole audit`` published (``audit/index.html`` beside its ``audit.json``):
    an auditor's document, one page for the whole site, not a page citizens read. It is
    measured like a download, held to no budget: a large site's report would otherwise stop
    the build that publishes the accessibility statement linking it."""
    found = AUDIT_REPORT in paths and (site_dir / AUDIT_DATA).is_file()
    return {AUDIT_REPORT} if found else set()


def measure_site(site_dir: Path, budget: int, *, site_path: str = "/",
                 downloads: Collection[str] = (), sent: Mapping[str, int] | None = None,
                 markup: Mapping[str, str] | None = None) -> SiteReport:
    """Measure every ``*.html`` under ``site_dir``; ``budget`` is the limit per page, in bytes.

    ``site_path``: where the site is published on its host (the path of MkDocs' ``site_url``,
    e.g. ``/consultation/``), to read the root-absolute URLs of the 404 page. ``downloads``:
    site-relative paths of HTML files that are downloads, not pages (the low-data edition);
    ``parole audit``'s published report is one too (``audit_reports``).
    ``sent``: the bytes sent for text files, by site-relative path, as
    :func:`~site_builder.precompress.precompress_site` returns them for the same site; the
    other files are measured here. ``markup``: pages already scanned (``fetch_markup.SiteScan``),
    by path; the others are scanned here.
    """
    if not site_dir.is_dir():
        raise FileNotFoundError(say("weight.no_site", folder=site_dir))
    sizes = _Sizes(site_dir, sent or {})
    paths = page_paths(site_dir)
    downloads = {*downloads, *audit_reports(site_dir, paths)}
    if sent is None:
        with ThreadPoolExecutor() as pool:  # zlib releases the GIL: gzip pages on every core
            list(pool.map(sizes, paths))
    markup = markup or {}
    pages = [measure_page(site_dir, path, sizes, site_path, markup.get(path)) for path in paths
             if path not in downloads]
    measured = [DownloadReport(path, (site_dir / path).stat().st_size, sizes(path) or 0)
                for path in sorted(downloads) if (site_dir / path).is_file()]
    return SiteReport(pages, budget, measured)
