"""Each language's paper version of a form, written once (issue #18).

With a build per language, the Arabic paper version used to be written twice: at
``papier/<id>/ar/`` by the default build (its links leading to the French pages) and at
``ar/paper/<id>/ar/`` by the Arabic build. The one kept is the Arabic build's: its links lead to
the Arabic pages, and the Arabic pages and low-data file already linked to it; the manifest (and
so the collector) now names it too.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from site_builder.calendar import Calendar
from site_builder.collector.languages import in_language
from site_builder.collector.paths import site_url
from site_builder.forms import located
from site_builder.forms.manifest import read_manifest
from site_builder.forms.model import Form
from site_builder.forms.parse import parse_form
from site_builder.forms.site_forms import SiteForms
from site_builder.i18n import Catalogue
from site_builder.site import SiteInfo
from tests.pa11y_support import built_site
from tests.support import SITES

CONFIG = SITES / "multilingual" / "mkdocs.yml"
SITE_URL = "https://oliviers.example/"
FORM_ID = "jardin-oliviers"
_PAPER_CODE = re.compile(r'<p class="p-paper__code" dir="ltr">([^ <]+) / ')
_HTML_LANG = re.compile(r'<html lang="([^"]+)"')


@pytest.fixture(scope="module")
def site(request: pytest.FixtureRequest) -> Path:
    return built_site(request, CONFIG)


def _paper_pages(site: Path) -> dict[Path, tuple[str, str]]:
    """Every paper version in the built site: its file → (form id, language)."""
    found = {}
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        if '<main id="contenu" class="p-paper">' not in html:
            continue
        form, language = _PAPER_CODE.search(html), _HTML_LANG.search(html)
        assert form and language, f"{path}: a paper page without question code or lang"
        found[path.relative_to(site)] = (form.group(1), language.group(1))
    return found


def test_each_language_s_paper_version_is_written_once(site: Path) -> None:
    pages = _paper_pages(site)
    counted = Counter(pages.values())
    assert {key: n for key, n in counted.items() if n > 1} == {}, pages
    assert pages == {
        Path("papier/jardin-oliviers/index.html"): (FORM_ID, "fr"),
        Path("ar/paper/jardin-oliviers/ar/index.html"): (FORM_ID, "ar"),
        Path("en/paper/jardin-oliviers/en/index.html"): (FORM_ID, "en"),
    }


def test_each_paper_version_links_to_its_own_language_s_pages(site: Path) -> None:
    for path, (_form, language) in _paper_pages(site).items():
        html = (site / path).read_text(encoding="utf-8")
        address = "/" + path.parent.as_posix() + "/"
        for href in re.findall(r'href="([^"#][^"]*)"', html):
            if href.startswith("data:"):
                continue
            target = urlsplit(urljoin(address, href)).path
            inside = target.startswith(f"/{language}/")
            assert inside if language != "fr" else not target.startswith(("/ar/", "/en/")), (
                f"{path} ({language}) links to {target}")
            assert _file(site, target).is_file(), f"{path}: {href} leads nowhere"


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs.extend(value for name, value in attrs if tag == "a" and name == "href" and value)


def _file(site: Path, url_path: str) -> Path:
    path = site / url_path.lstrip("/")
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


def test_every_link_to_a_paper_version_resolves(site: Path) -> None:
    """From the pages and the low-data files of every language, the manifest and the
    collector's pages in every language of the form."""
    papers = {"/" + path.as_posix() for path in _paper_pages(site)}
    linked: dict[str, str] = {}
    for path in sorted(site.rglob("*.html")):
        address = "/" + path.relative_to(site).as_posix()
        parser = _Hrefs()
        parser.feed(path.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            target = urlsplit(urljoin(SITE_URL + address.lstrip("/"), href))
            if target.netloc == "oliviers.example" and "/pap" in target.path:
                linked[f"{address} → {href}"] = "/" + _file(site, target.path).relative_to(
                    site).as_posix()
    manifest = read_manifest(site / "forms" / f"{FORM_ID}.json")
    for language in manifest.form.languages:
        collector = in_language(manifest, language)  # what its pages in that language link to
        linked_there = site_url(collector, collector.paper_url)
        assert linked_there is not None, f"the collector links no paper version in {language}"
        linked[f"the collector in {language}"] = "/" + _file(site, linked_there).relative_to(
            site).as_posix()
        named = manifest.paper_url_in(language)
        assert named is not None, f"the manifest names no paper version in {language}"
        linked[f"the manifest's {language}"] = "/" + _file(site, "/" + named).relative_to(
            site).as_posix()
    dangling = {source: target for source, target in linked.items() if target not in papers}
    assert dangling == {}, f"links to no paper version: {dangling}"
    # Each language's pages, its low-data file and the collector: the same one.
    assert set(linked.values()) == papers
    low_data = [source for source in linked if source.startswith("/ar/low-data.html")]
    assert low_data and linked[low_data[0]] == "/ar/paper/jardin-oliviers/ar/index.html"


# -- SiteForms, without a build ----------------------------------------------------------------

FORM = """id: avis-place
title: Votre avis sur la place
submit: Envoyer mon avis
fields:
  - id: idee
    type: textarea
    label: Votre idée
translations:
  ar:
    title: رأيكم في الساحة
    submit: أرسلوا رأيكم
    fields:
      idee:
        label: فكرتكم
"""
SITE = SiteInfo(title="Place du marché", organizer_name="Ville de Belval",
                organizer_email=None, organizer_phone=None, organizer_address="1 place",
                language="fr", direction="ltr", footer_links=(), site_map_url=None)


def _form(text: str = FORM) -> Form:
    form, problems = parse_form(located.load(text), file="avis.md", line=3)
    assert problems == [] and form is not None, problems
    return form


def _site_forms(language: str) -> SiteForms:
    return SiteForms(catalogue=Catalogue.for_language(language),
                     consultation=Calendar(closes=date(2099, 12, 31)), today=date(2026, 6, 1),
                     action="/collect")


def test_with_a_build_per_language_the_default_build_leaves_that_language_s_paper_to_it(
    tmp_path: Path,
) -> None:
    default = _site_forms("fr")
    default.language_url = lambda url, language: f"{language}/{url}" if language == "ar" else None
    form = _form()
    default.render(form, page_url="avis/", help_url=None)
    written = default.write(tmp_path, site=SITE, help_url=None, dropoff=(), site_url=None)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "forms/avis-place.json", "papier/avis-place/index.html"]
    manifest = read_manifest(tmp_path / "forms" / "avis-place.json")
    # The Arabic build's address, with its own paper slug: what its pages link to.
    assert manifest.paper_url_in("ar") == "ar/paper/avis-place/ar/"

    arabic = _site_forms("ar")
    arabic.writes_manifests = False
    arabic.elsewhere = lambda form_id: manifest.form
    html, problems, _warnings = arabic.show(
        "avis-place", language="ar", page_url="avis/", help_url=None, resolve_link=None,
        where=("avis.md", 1))
    assert problems == [] and 'href="../paper/avis-place/ar/"' in html
    ar_written = arabic.write(tmp_path / "ar", site=SITE, help_url=None, dropoff=(),
                              site_url=None)
    assert [p.relative_to(tmp_path).as_posix() for p in ar_written] == [
        "ar/paper/avis-place/ar/index.html"]


def test_a_language_without_a_build_of_its_own_keeps_its_paper_in_the_default_build(
    tmp_path: Path,
) -> None:
    one = _site_forms("fr")  # one language published; the form has an Arabic translation
    one.render(_form(), page_url="avis/", help_url=None)
    written = one.write(tmp_path, site=SITE, help_url=None, dropoff=(), site_url=None)
    assert (tmp_path / "papier" / "avis-place" / "ar" / "index.html") in written
    manifest = read_manifest(tmp_path / "forms" / "avis-place.json")
    assert manifest.paper_url_in("ar") == "papier/avis-place/ar/"


def test_another_language_s_build_declaring_the_form_writes_only_the_papers_it_names(
    tmp_path: Path,
) -> None:
    """A page not translated yet declares the form in the Arabic build: that build writes the
    French version its page links to and the Arabic one the manifest names, not the others."""
    arabic = _site_forms("ar")
    arabic.writes_manifests = False
    form = _form(FORM.replace("translations:\n", "translations:\n  en:\n    title: Your "
                                   "view\n    submit: Send\n    fields:\n      idee:\n"
                                   "        label: Your idea\n"))
    arabic.render(form, page_url="avis/", help_url=None)
    written = arabic.write(tmp_path / "ar", site=SITE, help_url=None, dropoff=(), site_url=None)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "ar/paper/avis-place/ar/index.html", "ar/paper/avis-place/index.html"]
