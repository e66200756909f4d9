"""The page-weight report: what is counted, how, and what the build does with it."""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import threading
import urllib.request
import zlib
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from site_builder.messages import speaking
from site_builder.page_resources import Kind, resolve, srcset_urls
from site_builder.page_weight import REPORT_NAME, SiteReport, kib, measure_site
from site_builder.precompress import precompress_site
from tests.support import build_site, serve_site

CSS = ("body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 0 auto; }\n" * 40)
JS = ("document.querySelectorAll('details').forEach(function (d) { d.open = false; });\n" * 20)
PNG = bytes(range(256)) * 8  # not a real PNG: images count raw whatever they hold
BIG_PNG = bytes(range(256)) * 20


def gz(data: str | bytes) -> int:
    """Transferred size of a text file: its gzip -9, or itself when gzip does not shrink it."""
    raw = data.encode() if isinstance(data, str) else data
    return min(len(raw), len(gzip.compress(raw, compresslevel=9, mtime=0)))


def write(site: Path, path: str, content: str | bytes) -> str | bytes:
    file = site / path
    file.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        file.write_text(content, encoding="utf-8")
    else:
        file.write_bytes(content)
    return content


def page(body: str, head: str = "") -> str:
    text = "Texte. " * 30
    return f"<!doctype html><html><head>{head}</head><body>{body}<p>{text}</p></body></html>"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    write(site, "assets/site.css", CSS)
    write(site, "assets/app.js", JS)
    write(site, "img/plan.png", PNG)
    write(site, "img/plan v2.png", BIG_PNG)
    write(site, "embed/index.html", page("carte"))
    return site


def test_counts_each_resource_once_resolved_relative_to_the_page(site: Path) -> None:
    home = write(site, "index.html", page(
        '<img src="img/plan.png"><img src="./img/plan.png?v=2#x"><a href="faq/">FAQ</a>'
        '<script src="assets/app.js#top"></script><script>inline()</script>'
        '<script nomodule src="assets/legacy.js"></script>',
        '<link rel="stylesheet" href="assets/site.css?v=1"><link rel="icon" href="data:,">'
        '<link rel="stylesheet" href="assets/site.css">'))
    faq = write(site, "faq/index.html", page(
        '<img src="../img/plan%20v2.png"><iframe src="../embed/"></iframe>',
        '<link rel="stylesheet" href="/assets/site.css">'
        '<link rel="stylesheet" href="../assets/dark.css" disabled>'))
    report = measure_site(site, 14 * 1024)
    pages = {page.path: page for page in report.pages}
    assert list(pages) == ["embed/index.html", "faq/index.html", "index.html"]

    assert (pages["index.html"].html, pages["index.html"].css, pages["index.html"].js,
            pages["index.html"].images, pages["index.html"].other) == (
        gz(home), gz(CSS), gz(JS), len(PNG), 0)
    assert pages["index.html"].total == gz(home) + gz(CSS) + gz(JS) + len(PNG)
    assert pages["index.html"].resources == {
        "assets/app.js": gz(JS), "assets/site.css": gz(CSS), "img/plan.png": len(PNG)}
    assert pages["index.html"].url == "/"

    assert (pages["faq/index.html"].html, pages["faq/index.html"].css,
            pages["faq/index.html"].images, pages["faq/index.html"].other) == (
        gz(faq), gz(CSS), len(BIG_PNG), gz(page("carte")))
    assert pages["faq/index.html"].url == "/faq/"
    assert all(not page.missing and not page.external for page in report.pages)


def test_sizes_from_the_gz_pass_give_the_same_report(site: Path) -> None:
    """The build writes the .gz files first and hands their sizes to the report, which then
    reads no page twice: the report must be the one it would have measured itself."""
    write(site, "index.html", page('<img src="img/plan.png"><script src="assets/app.js">'
                                   "</script>", '<link rel="stylesheet" href="assets/site.css">'))
    write(site, "faq/index.html", page("<p>Oui.</p>" * 50))
    measured = measure_site(site, 1024).to_dict()
    sent = precompress_site(site)
    assert "img/plan.png" not in sent  # an image is measured by the report, raw
    assert measure_site(site, 1024, sent=sent).to_dict() == measured
    lighter = {**sent, "index.html": 1}
    assert measure_site(site, 1024, sent=lighter).pages[-1].html == 1  # the sizes given are used


def test_records_external_and_missing_resources_without_measuring_them(site: Path) -> None:
    html = write(site, "404.html", page(
        '<img src="//tracker.example/p.gif"><img src="img/absent.png">'
        '<img src="../../outside.png"><script src="https://cdn.example/x.js"></script>'
        '<a href="https://example.org/">a link is not a request</a>',
        '<link rel="stylesheet" href="https://fonts.example/css?family=X">'))
    (report,) = measure_site(site, 14 * 1024).pages[:1]
    assert report.path == "404.html"
    assert report.url == "/404.html"
    assert report.external == (
        "//tracker.example/p.gif", "https://cdn.example/x.js", "https://fonts.example/css?family=X")
    assert report.missing == ("../../outside.png", "img/absent.png")
    assert report.total == gz(html)


def test_an_image_with_several_candidates_costs_its_largest(site: Path) -> None:
    write(site, "img/small.png", b"s" * 100)
    html = write(site, "index.html", page(
        '<img src="img/small.png" srcset="img/small.png 1x, img/plan%20v2.png 2x">'
        '<picture><source srcset="img/plan.png 1x, img/gone.webp 2x" type="image/webp">'
        '<img src="img/small.png"></picture><video poster="img/plan.png"></video>'))
    (report,) = [page for page in measure_site(site, 10**6).pages if page.path == "index.html"]
    assert report.resources == {"img/plan v2.png": len(BIG_PNG), "img/plan.png": len(PNG)}
    assert report.images == len(BIG_PNG) + len(PNG)
    assert report.missing == ("img/gone.webp",)
    assert report.total == gz(html) + len(BIG_PNG) + len(PNG)


@pytest.mark.parametrize(("srcset", "urls"), [
    ("a.png", ["a.png"]),
    ("a.png 1x, b.png 2x", ["a.png", "b.png"]),
    (" a.png 480w,b,c.png 800w ", ["a.png", "b,c.png"]),
    ("a.png, b.png", ["a.png", "b.png"]),
    ("", []),
])
def test_srcset_urls(srcset: str, urls: list[str]) -> None:
    assert srcset_urls(srcset) == urls


@pytest.mark.parametrize(("page_path", "url", "expected"), [
    ("faq/index.html", "../assets/a.css?v=1#x", (Kind.LOCAL, "assets/a.css")),
    ("faq/index.html", "/assets/a.css", (Kind.LOCAL, "assets/a.css")),
    ("faq/index.html", "./", (Kind.LOCAL, "faq/index.html")),
    ("index.html", "explications/", (Kind.LOCAL, "explications/index.html")),
    ("index.html", "explications", (Kind.LOCAL, "explications/index.html")),
    ("index.html", "img/plan%20v2.png", (Kind.LOCAL, "img/plan v2.png")),
    ("a/b/index.html", "../../../x.png", (Kind.OUTSIDE, "../../../x.png")),
    ("index.html", "https://cdn.example/x.js", (Kind.EXTERNAL, "https://cdn.example/x.js")),
    ("index.html", "//cdn.example/x.js", (Kind.EXTERNAL, "//cdn.example/x.js")),
    ("index.html", "data:image/png;base64,AAAA", (Kind.IGNORED, "data:image/png;base64,AAAA")),
    ("index.html", "#top", (Kind.IGNORED, "#top")),
])
def test_resolve(tmp_path: Path, page_path: str, url: str, expected: tuple[Kind, str]) -> None:
    (tmp_path / "explications").mkdir()
    assert resolve(tmp_path, page_path, url) == expected


@pytest.mark.parametrize(("url", "expected"), [
    ("/consultation/assets/a.css", (Kind.LOCAL, "assets/a.css")),
    ("/consultation/", (Kind.LOCAL, "index.html")),
    ("/assets/a.css", (Kind.OUTSIDE, "/assets/a.css")),
    ("../assets/a.css", (Kind.LOCAL, "assets/a.css")),
])
def test_resolve_in_a_site_published_under_a_path(
        tmp_path: Path, url: str, expected: tuple[Kind, str]) -> None:
    assert resolve(tmp_path, "faq/index.html", url, "/consultation/") == expected
    assert resolve(tmp_path, "faq/index.html", url, "consultation") == expected


def test_404_page_of_a_site_published_under_a_path(site: Path) -> None:
    link = '<link rel="stylesheet" href="/consultation/assets/site.css">'
    write(site, "404.html", page("", link))
    (report,) = [p for p in measure_site(site, 1, site_path="/consultation/").pages
                 if p.path == "404.html"]
    assert (report.css, report.missing) == (gz(CSS), ())


def test_budget_is_inclusive(site: Path) -> None:
    write(site, "index.html", page("", '<link rel="stylesheet" href="assets/site.css">'))
    total = next(page.total for page in measure_site(site, 0).pages if page.path == "index.html")
    assert "index.html" not in [page.path for page in measure_site(site, total).over_budget()]
    assert "index.html" in [page.path for page in measure_site(site, total - 1).over_budget()]


def test_json_is_sorted_stable_and_not_counted_as_a_page(site: Path) -> None:
    write(site, "index.html", page('<img src="img/plan.png">'))
    budget = 1000
    first = measure_site(site, budget)
    first.write_json(site / REPORT_NAME)
    again = measure_site(site, budget)  # the JSON now sits in the site
    again.write_json(site / "again.json")
    assert (site / REPORT_NAME).read_bytes() == (site / "again.json").read_bytes()

    data = json.loads((site / REPORT_NAME).read_text(encoding="utf-8"))
    assert [page["path"] for page in data["pages"]] == [
        "embed/index.html", "index.html"]
    home = data["pages"][1]
    assert home == {
        "path": "index.html", "url": "/", "html": home["html"], "css": 0, "js": 0,
        "images": len(PNG), "other": 0, "total": home["html"] + len(PNG),
        "over_budget": home["html"] + len(PNG) > budget,
        "resources": {"img/plan.png": len(PNG)}, "external": [], "missing": []}
    totals = [page["total"] for page in data["pages"]]
    assert data["version"] == 1
    assert data["unit"] == "bytes"
    assert data["budget"] == budget
    assert data["totals"] == {
        "pages": 2, "total": sum(totals), "heaviest": "index.html",
        "heaviest_total": max(totals), "median": round(sum(totals) / 2),
        "over_budget": [page["path"] for page in data["pages"] if page["total"] > budget]}


def test_table_columns_marker_and_totals(site: Path) -> None:
    write(site, "index.html", page("", '<link rel="stylesheet" href="assets/site.css">'))
    embed, home = measure_site(site, 0).pages
    assert embed.total < home.total
    report = measure_site(site, embed.total)  # home over budget, embed/ just within
    lines = report.table().splitlines()
    assert lines[0].split() == ["page", "HTML", "CSS", "JS", "images", "total"]
    assert lines[1].split() == [
        "embed/index.html", f"{embed.html / 1024:.1f}", "0.0", "0.0", "0.0",
        f"{embed.total / 1024:.1f}"]
    assert lines[2].split() == [
        "index.html", f"{home.html / 1024:.1f}", f"{gz(CSS) / 1024:.1f}", "0.0", "0.0",
        f"{home.total / 1024:.1f}", "over", "budget"]
    total_column = lines[0].index("total") + len("total")  # numbers are right-aligned under it
    assert len(lines[1]) == total_column
    assert lines[3] == (
        f"2 pages, sizes in KiB gzip as sent: total {kib(report.total)}, heaviest "
        f"{kib(home.total)} (index.html), median {kib(report.median)}; budget {kib(embed.total)} "
        "per page, 1 over.")
    assert len(lines) == 4

    write(site, "index.html", page('<iframe src="embed/"></iframe>'))
    assert measure_site(site, 1024).table().splitlines()[0].split() == [
        "page", "HTML", "CSS", "JS", "images", "other", "total"]


def test_table_of_a_big_site_shows_the_30_heaviest(tmp_path: Path) -> None:
    for number in range(61):
        write(tmp_path, f"p{number:02}/index.html", "x" * (number * 7919 % 9973))
    report = measure_site(tmp_path, 14 * 1024)
    lines = report.table().splitlines()
    heaviest = sorted(report.pages, key=lambda page: -page.total)[:30]
    assert [line.split()[0] for line in lines[1:31]] == [page.path for page in heaviest]
    assert lines[31] == f"... and 31 lighter pages: all 61 are in {REPORT_NAME}."
    assert lines[32].startswith("61 pages,")


def test_kib() -> None:
    assert kib(14 * 1024) == "14.0 KiB"
    assert kib(1536) == "1.5 KiB"
    assert SiteReport([], 1024).table() == "No HTML page in the site: nothing to measure."


@pytest.mark.parametrize(("language", "said"), [
    ("en", "Build the site first (parole build), or set plugins.parole.page_weight.enabled to "
           "false"),
    ("fr", "Construisez d'abord le site (parole build), ou mettez "
           "plugins.parole.page_weight.enabled à false")])
def test_missing_site_folder_says_what_to_do(tmp_path: Path, language: str, said: str) -> None:
    with speaking(language), pytest.raises(FileNotFoundError, match=re.escape(said)):
        measure_site(tmp_path / "nowhere", 1024)


def test_the_table_is_said_in_french_for_a_french_site(site: Path) -> None:
    with speaking("fr"):
        assert SiteReport([], 1024).table() == "Aucune page HTML dans le site : rien à mesurer."
        lines = measure_site(site, 0).table().splitlines()
    assert lines[0].split() == ["page", "HTML", "CSS", "JS", "images", "total"]
    assert lines[1].endswith("au-dessus du budget")
    assert lines[-1].startswith("1 page, tailles en KiB gzip telles qu'envoyées : total ")
    assert lines[-1].endswith(" ; budget 0.0 KiB par page, 1 au-dessus.")


# -- in a real build -------------------------------------------------------------------------

def mini_site(tmp_path: Path, budget: int, language: str = "en") -> Path:
    """A one-page MkDocs site with a minimal theme, so every byte of it is known; its
    organizers read ``language`` (the messages these tests check are English)."""
    words = " ".join(f"mot{number * 7919 % 10007}" for number in range(600))  # ~2 KiB gzipped
    write(tmp_path, "docs/index.md", f"# Bonjour\n\n{words}\n")
    write(tmp_path, "theme/main.html",
          '<!doctype html><html lang="fr"><head><title>{{ page.title }}</title>'
          '<link rel="stylesheet" href="{{ \'style.css\'|url }}"></head>'
          "<body>{{ page.content }}</body></html>")
    write(tmp_path, "theme/style.css", CSS)
    write(tmp_path, "mkdocs.yml", f"""
site_name: Mini
theme: {{name: null, custom_dir: theme, language: {language}}}
plugins:
  - parole:
      site_map: false
      low_data: false
      help_page: ""
      accessibility_page: ""
      privacy_page: ""
      page_weight: {{budget: {budget}}}
""")
    return tmp_path / "mkdocs.yml"


def test_strict_build_stops_on_a_page_over_budget(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(Abort, match="strict mode"):
        build_site(mini_site(tmp_path, budget=1), tmp_path / "site")
    warnings = [record.getMessage() for record in caplog.records
                if record.levelno == logging.WARNING]
    assert [message for message in warnings if message.startswith("index.html weighs")] == [
        f"index.html weighs {kib(measure_site(tmp_path / 'site', 1024).pages[0].total)} "
        "transferred, over the budget of 1.0 KiB. Make the page shorter, split it, or lighten "
        "its images; or raise plugins.parole.page_weight.budget."]


def test_strict_build_within_budget_writes_the_report(tmp_path: Path) -> None:
    site = build_site(mini_site(tmp_path, budget=14), tmp_path / "site")
    data = json.loads((site / REPORT_NAME).read_text(encoding="utf-8"))
    index = (site / "index.html").read_bytes()
    assert [page["path"] for page in data["pages"]] == ["index.html"]
    home = data["pages"][-1]
    assert (home["html"], home["css"], home["total"]) == (gz(index), gz(CSS), gz(index) + gz(CSS))
    assert (site / f"{REPORT_NAME}.gz").is_file()  # written before precompressing


SAID = {
    "en": ("Page weight (transferred, gzip):", "over budget", "1 page, sizes in KiB gzip",
           "index.html weighs "),
    "fr": ("Poids des pages (transféré, gzip) :", "au-dessus du budget",
           "1 page, tailles en KiB gzip", "index.html pèse "),
}
"""What a build says of its page weight, by its site's language: the heading, the marker of a
page over budget, the totals line, the warning about that page."""


@pytest.mark.parametrize("language", sorted(SAID))
def test_non_strict_build_prints_the_table_in_the_sites_language(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, language: str) -> None:
    heading, over, totals, warning = SAID[language]
    caplog.set_level(logging.INFO, logger="mkdocs")
    site = build_site(mini_site(tmp_path, budget=1, language=language), tmp_path / "site",
                      strict=False)
    (table,) = [record.getMessage() for record in caplog.records
                if record.getMessage().startswith(heading)]
    with speaking(language):
        assert table == f"{heading}\n" + measure_site(site, 1024).table()
    lines = table.splitlines()
    assert lines[2].startswith("index.html")
    assert lines[2].endswith(over)
    assert lines[3].startswith(totals)
    assert next(record.getMessage() for record in caplog.records
                if record.levelno == logging.WARNING).startswith(warning)


def test_build_warns_about_external_and_missing_resources(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = mini_site(tmp_path, budget=14)
    with (tmp_path / "docs/index.md").open("a", encoding="utf-8") as page_source:
        # Not <img>: a content picture from elsewhere or missing is a build error (images).
        page_source.write('\n<video poster="https://cdn.example/x.png"></video>\n'
                          '<video poster="plan.png"></video>\n')
    build_site(config, tmp_path / "site", strict=False)
    warnings = [record.getMessage() for record in caplog.records
                if record.levelno == logging.WARNING and "index.html loads" in record.getMessage()]
    assert len(warnings) == 2
    assert warnings[0].startswith("index.html loads https://cdn.example/x.png from another site")
    assert warnings[1].startswith("index.html loads plan.png, which is not in the built site")


def test_many_pages_get_one_warning_per_resource(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A theme loading a file from a CDN on every page of a big site must not print one warning
    per page: one per resource, naming a few pages; the over-budget list is cut the same way."""
    config = mini_site(tmp_path, budget=1)
    home = tmp_path / "docs" / "index.md"
    text = home.read_text(encoding="utf-8") + '\n<video poster="https://cdn.example/x.png"></video>\n'
    home.write_text(text, encoding="utf-8")
    for number in range(1, 7):  # over the budget of 1 KiB like the home page
        (tmp_path / "docs" / f"page-{number}.md").write_text(text, encoding="utf-8")
    build_site(config, tmp_path / "site", strict=False)
    warnings = [record.getMessage() for record in caplog.records
                if record.levelno == logging.WARNING]
    external = [message for message in warnings if "from another site" in message]
    assert len(external) == 1
    assert external[0].startswith(
        "index.html, page-1/index.html, page-2/index.html, page-3/index.html, "
        "page-4/index.html and 2 more pages load https://cdn.example/x.png from another site")
    assert len([message for message in warnings if " weighs " in message]) == 5
    assert "2 more pages are over the budget of 1.0 KiB: see page-weight.json." in warnings


def test_pages_are_gzipped_while_the_build_renders(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page-weight report and the .gz files need every page gzipped; the plugin starts each
    as soon as it is rendered, on a spare core, instead of after the build (bench/README.md)."""
    threads: dict[bytes, str] = {}
    real_compress = zlib.compress

    def recording_compress(data: bytes, /, level: int = -1, wbits: int = 15) -> bytes:
        threads.setdefault(data, threading.current_thread().name)
        return real_compress(data, level=level, wbits=wbits)

    monkeypatch.setattr(zlib, "compress", recording_compress)
    config = mini_site(tmp_path, budget=14)
    with (tmp_path / "docs/index.md").open("a", encoding="utf-8") as page_source:
        page_source.write(f"\n{os.urandom(8).hex()}\n")  # gzipped by no earlier test
    site = build_site(config, tmp_path / "site")
    page = (site / "index.html").read_bytes()
    assert threads[page].startswith("parole-gzip"), threads[page]
    assert (site / "index.html.gz").is_file()


def test_measured_html_is_what_the_server_sends(tmp_path: Path) -> None:
    site = build_site(mini_site(tmp_path, budget=14), tmp_path / "site")
    home = next(page for page in measure_site(site, 1).pages if page.path == "index.html")
    with serve_site(site) as base:
        request = urllib.request.Request(base, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert len(response.read()) == home.html


# -- the example consultation -----------------------------------------------------------------

def test_example_pages_fit_the_first_round_trip(example_site: Path) -> None:
    data = json.loads((example_site / REPORT_NAME).read_text(encoding="utf-8"))
    over = {page["path"]: kib(page["total"]) for page in data["pages"]
            if page["total"] > 14 * 1024}
    assert data["pages"], "page-weight.json lists no page"
    assert not over, f"pages over 14 KiB transferred (HTML + CSS + images, gzip): {over}"


def test_example_loads_nothing_from_elsewhere(example_site: Path) -> None:
    data = json.loads((example_site / REPORT_NAME).read_text(encoding="utf-8"))
    external = {page["path"]: page["external"] for page in data["pages"] if page["external"]}
    missing = {page["path"]: page["missing"] for page in data["pages"] if page["missing"]}
    assert not external, f"pages loading from other sites (privacy, speed): {external}"
    assert not missing, f"pages loading files absent from the site: {missing}"
