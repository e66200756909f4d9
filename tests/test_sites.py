"""The sample sites under tests/sites/ build in strict mode, and navigation stays bounded.

Each sample site is a consultation as an organizer would write it from the README alone; the
pa11y tests check their pages too.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.support import SITES, build_site, sample_sites

EXPECTED_SITES = {"minimal", "english", "rtl", "large-section", "components", "forms",
                  "pictures"}
LARGE = SITES / "large-section"
SECTION = "propositions"
FIRST, MIDDLE, LAST = "proposition-01.md", "proposition-15.md", "proposition-30.md"
# Doubling a section (30 -> 60 pages) may change the HTML of its first and middle pages by at
# most this much: they show the same window of neighbours (site_builder.navigation) either way.
DOUBLING_LIMIT = 0.02
# A page of the 30-page section may weigh at most this much more, transferred (gzip, as
# page-weight.json measures it), than the same page in a 3-page section: the window shows up to
# 12 neighbours there against 2 here, and that is all the difference there may be.
SMALL_SECTION_LIMIT = 0.10


def _page_html(site_dir: Path, src_uri: str) -> Path:
    """Where MkDocs writes the page of ``src_uri`` (``use_directory_urls`` is on by default);
    ``page.ar.md``, the Arabic version of ``page.md``, under ``ar/`` (docs/languages.md)."""
    stem = src_uri.removesuffix(".md")
    translated = re.fullmatch(r"(.+)\.([a-z]{2})", stem)
    if translated:
        return _page_html(site_dir / translated.group(2), translated.group(1) + ".md")
    if stem == "index" or stem.endswith("/index"):
        return site_dir / f"{stem}.html"
    return site_dir / stem / "index.html"


def test_the_sample_sites_are_all_there() -> None:
    assert {site.name for site in sample_sites()} >= EXPECTED_SITES


@pytest.mark.parametrize("site", sample_sites(), ids=lambda site: site.name)
def test_sample_site_builds_in_strict_mode(site: Path, tmp_path: Path) -> None:
    site_dir = build_site(site / "mkdocs.yml", tmp_path / "site")
    docs = site / "docs"
    pages = sorted(path.relative_to(docs).as_posix() for path in docs.rglob("*.md"))
    assert pages, f"{docs} has no page"
    missing = [page for page in pages if not _page_html(site_dir, page).is_file()]
    assert missing == [], f"pages not built: {missing}"


def _variant(tmp_path: Path, name: str, keep: set[str], copies: int = 0) -> Path:
    """A copy of the large-section site whose section holds only the pages in ``keep``, plus
    ``copies`` more pages (31, 32, ...) made from the first ones."""
    copy = tmp_path / name
    shutil.copytree(LARGE, copy, ignore=shutil.ignore_patterns("site"))
    section = copy / "docs" / SECTION
    originals = sorted(section.glob("*.md"))
    for number, original in enumerate(originals[:copies], len(originals) + 1):
        text = original.read_text(encoding="utf-8")
        heading, rest = text.split(" : ", 1)
        assert heading.startswith("# Proposition ")
        page = section / f"proposition-{number:02d}.md"
        page.write_text(f"# Proposition {number} : {rest}", encoding="utf-8")
    for page in originals:
        if page.name not in keep:
            page.unlink()
    return copy


def _sizes(site_dir: Path, page: str) -> tuple[int, int]:
    """(HTML size, transferred size) of ``page``; ``.gz`` files are written by the build."""
    html = _page_html(site_dir, f"{SECTION}/{page}")
    return html.stat().st_size, html.with_name(html.name + ".gz").stat().st_size


def _growth(large: int, small: int) -> float:
    return (large - small) / small


@pytest.mark.slow
def test_navigation_does_not_grow_with_the_section(tmp_path: Path) -> None:
    pages = {page.name for page in (LARGE / "docs" / SECTION).glob("*.md")}
    assert len(pages) == 30
    thirty = build_site(LARGE / "mkdocs.yml", tmp_path / "thirty")
    sixty = build_site(
        _variant(tmp_path, "sixty-pages", pages, copies=30) / "mkdocs.yml", tmp_path / "sixty"
    )
    three = build_site(
        _variant(tmp_path, "three-pages", {FIRST, "proposition-02.md", LAST}) / "mkdocs.yml",
        tmp_path / "three",
    )
    for page in (FIRST, MIDDLE):
        html_30, html_60 = _sizes(thirty, page)[0], _sizes(sixty, page)[0]
        assert abs(_growth(html_60, html_30)) < DOUBLING_LIMIT, (
            f"{page} weighs {html_30} bytes of HTML in a 30-page section but {html_60} in a "
            f"60-page one: the per-page navigation grows with the section"
        )
    for page in (FIRST, LAST):
        gz_30, gz_3 = _sizes(thirty, page)[1], _sizes(three, page)[1]
        assert _growth(gz_30, gz_3) < SMALL_SECTION_LIMIT, (
            f"{page} transfers {gz_30} bytes in a 30-page section but {gz_3} in a 3-page one "
            f"({_growth(gz_30, gz_3):+.1%}): the per-page navigation is heavier than its window"
        )
