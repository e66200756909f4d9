"""Cut an HTML page down to the markup that can make a browser download something.

Why: ``page_weight`` reads every page of the site with ``html.parser`` (``page_resources``), whose
cost is per tag and in Python. A page of a theme that repeats the whole navigation on every page
(MkDocs' own theme, mkdocs-material) holds thousands of tags; at 1000 pages the parser took most
of a build (13.7 s of 39 s with the ``mkdocs`` theme, bench/README.md). One regular expression,
run in C, skips what cannot fetch (text, and every other tag, quoted attribute values included)
and keeps only :data:`FETCHING_TAGS`; the parser then reads a few hundred bytes per page and
finds exactly the same downloads (``tests/test_fetch_markup.py`` checks it on real pages of
three themes and on tricky markup).

Kept as the parser would read them: comments and the content of ``<script>`` and ``<style>``
are skipped whole (a ``<img`` written there is not a download), a ``<`` inside a quoted attribute
value is not a tag. Tag names are matched without regard to case (ASCII, as HTML does). A quote
starts a value only after ``=``, as in browsers. The tests check this on random markup made of
every kind of tag and text. Broken tags (``=`` right after a tag's name, ``<script/>``) may be
read differently: html.parser and browsers already disagree about them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from site_builder.forked import Forked, spare_cores

FETCHING_TAGS = ("link", "script", "img", "input", "source", "picture", "video", "iframe",
                 "embed", "object")
"""Elements whose start tag ``page_resources`` reads (and ``</picture>``, which ends a group of
candidates). An element it starts to read must be added here, or its downloads go unseen."""

_RAW_TEXT = ("script", "style")  # html.parser's CDATA_CONTENT_ELEMENTS
# A quote starts a value only after "=" (elsewhere it is part of a name, as in browsers); a run
# of other characters is one step of the loop, not one step per character (about 30 % faster).
_ATTRIBUTES = rb"""(?:[^'">=]++|=\s*+(?:"[^"]*+"|'[^']*+')?+|['"])*+"""
_NAME_END = rb"(?=[\s/>])"
_KEPT = b"|".join(name.encode() for name in FETCHING_TAGS)
_RAW = b"|".join(name.encode() for name in _RAW_TEXT)
_INTERESTING = rb"!--|(?:" + _KEPT + rb"|" + _RAW + rb")" + _NAME_END + rb"|/picture" + _NAME_END
_OTHER_TAG = rb"<(?!" + _INTERESTING + rb")[a-z/!?]" + _ATTRIBUTES + rb">"
_TOKEN = re.compile(
    # everything that cannot fetch, consumed without backtracking: text, other tags, a lone "<"
    rb"(?:[^<]*+(?:" + _OTHER_TAG + rb"|<(?!" + _INTERESTING + rb")))*+[^<]*+"
    rb"(?:<!--.*?(?:--\s*>|\Z)"
    rb"|<(?P<raw>" + _RAW + rb")" + _NAME_END + rb"(?P<raw_attributes>" + _ATTRIBUTES
    + rb")>.*?(?:</\s*(?P=raw)\s*>|\Z)"
    rb"|(?P<kept><(?:" + _KEPT + rb")" + _NAME_END + _ATTRIBUTES + rb">|</picture"
    + _NAME_END + rb"[^>]*>)"
    rb"|\Z|<)",  # the end, or an unfinished tag: every attempt matches, so the scan is linear
    re.DOTALL,
)


def fetching_markup(html: bytes) -> str:
    """The start tags of :data:`FETCHING_TAGS` in ``html`` (UTF-8), in order, each as written,
    ``</picture>`` end tags, and ``<script …></script>`` for each script (its content dropped)."""
    lowered = html.lower()  # bytes.lower() changes ASCII letters only: offsets stay the same
    kept: list[bytes] = []
    for match in _TOKEN.finditer(lowered):
        if match["raw"]:
            start, end = match.span("raw_attributes")
            name = match["raw"]
            kept.append(b"<" + name + html[start:end] + b"></" + name + b">")
        elif match["kept"]:
            start, end = match.span("kept")
            kept.append(html[start:end])
    return b"".join(kept).decode("utf-8", "replace")


def scan_pages(site_dir: Path, paths: Sequence[str]) -> list[str]:
    """:func:`fetching_markup` of each page at ``paths`` (relative to ``site_dir``), in order."""
    return [fetching_markup(site_dir.joinpath(*path.split("/")).read_bytes()) for path in paths]


class SiteScan:
    """The fetching markup of a site's pages, scanned in forked processes while the build goes
    on (``site_builder.forked``); pages must not change until :meth:`result`.

    Why: the scan is the page-weight report's biggest cost on a big site (0.7 s for the 140 MB
    of 1000 pages in MkDocs' theme), and a regular expression holds Python's lock, so only
    another process can run it beside the build's own work (the low-data edition, the ``.gz``
    files). Each spare core scans a share of the pages; under :data:`PARALLEL_FROM` bytes of
    pages, or where forking is not safe, the pages are scanned here, in :meth:`result`.
    """

    PARALLEL_FROM = 8 * 1024 * 1024
    """Bytes of pages from which other processes scan them (below, forking costs more)."""

    def __init__(self, site_dir: Path, paths: Sequence[str], *,
                 parallel_from: int = PARALLEL_FROM) -> None:
        """Start scanning the pages at ``paths`` (relative to ``site_dir``)."""
        pages = list(paths)
        size = sum(site_dir.joinpath(*path.split("/")).stat().st_size for path in pages)
        worth_it = size >= parallel_from
        shares = max(1, min(spare_cores(), len(pages))) if worth_it else 1
        self._scans = [(share, Forked(partial(scan_pages, site_dir, share), fork=worth_it))
                       for share in (pages[number::shares] for number in range(shares))]

    @property
    def in_processes(self) -> bool:
        """Whether other processes are scanning the pages."""
        return any(scan.forked for _, scan in self._scans)

    def result(self) -> dict[str, str]:
        """Each page's fetching markup, by its path."""
        markup: dict[str, str] = {}
        for share, scan in self._scans:
            markup.update(zip(share, scan.result(), strict=True))
        return markup

    def close(self) -> None:
        """Stop the other processes (a failed build does not ask for the result)."""
        for _, scan in self._scans:
            scan.close()
