"""One consultation in several languages (issue #18): the sample site ``tests/sites/multilingual``
(French by default, Arabic, English) built strict, and what each language's version holds.

pa11y checks every page of every language with the other sample sites (tests/test_pa11y.py:
pages come from the build output, ``ar/`` and ``en/`` included).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import pytest

from tests.pa11y_support import built_pages, built_site
from tests.support import SITES, assert_golden, build_site, write_site

CONFIG = SITES / "multilingual" / "mkdocs.yml"
SITE_URL = "https://oliviers.example/"
LANGUAGES = {"": ("fr", "ltr"), "ar/": ("ar", "rtl"), "en/": ("en", "ltr")}


@pytest.fixture(scope="module")
def site(request: pytest.FixtureRequest) -> Path:
    return built_site(request, CONFIG)


def _html(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


class _Links(HTMLParser):
    """The start tags of a page, with their attributes (what the tests below look at)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def _tags(html: str, tag: str, **wanted: str) -> list[dict[str, str]]:
    parser = _Links()
    parser.feed(html)
    return [attrs for name, attrs in parser.tags
            if name == tag and all(attrs.get(key) == value for key, value in wanted.items())]


def _switcher(html: str) -> str:
    found = re.search(r'<nav class="p-languages".*?</nav>', html, re.DOTALL)
    assert found, "no language switcher"
    return found.group(0)


def _file_of(site: Path, url_path: str) -> Path:
    path = site / url_path.lstrip("/")
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


# --- every page in every language ---------------------------------------------------------------

@pytest.mark.parametrize("prefix", list(LANGUAGES))
def test_every_page_exists_in_every_language_with_its_lang_and_dir(site: Path,
                                                                    prefix: str) -> None:
    language, direction = LANGUAGES[prefix]
    for page in ("", "faq/", "explications/", "donner-mon-avis/", "aide/", "404.html"):
        html = _html(site, prefix + (page if page.endswith(".html") else page + "index.html"))
        assert f'<html lang="{language}" dir="{direction}">' in html, prefix + page


def test_translated_pages_have_their_own_text_and_titles_in_the_menu(site: Path) -> None:
    arabic = _html(site, "ar/index.html")
    assert "<h1" in arabic and "حديقة مشتركة في حي الزيتون" in arabic
    # The menu names the Arabic FAQ by its own title, not mkdocs.yml's French one.
    assert "أسئلة شائعة</a>" in arabic
    assert "Questions fréquentes" not in arabic
    # Links written with the default language's file names lead to this language's pages.
    assert 'href="faq/"' in arabic
    assert "Who can garden?" in _html(site, "en/faq/index.html")
    # mkdocs.yml's title and organizer, translated under languages: (tests/
    # test_language_words_site.py has the rest): in Arabic words, so not marked.
    assert '<p class="p-header__title"><a href=".">حديقة مشتركة في حي الزيتون</a>' in arabic
    assert '<p class="p-header__organizer">جمعية الزيتون</p>' in arabic
    assert '<p class="p-header__title">' in _html(site, "index.html")


def test_the_other_languages_files_are_not_pages_of_their_own(site: Path) -> None:
    assert not (site / "faq.ar").exists() and not (site / "ar" / "faq.ar").exists()
    assert not list(site.rglob("*.ar/index.html")) and not list(site.rglob("*.en/index.html"))


# --- the switcher and the alternates ------------------------------------------------------------

def test_switcher_and_head_markup_match_their_golden(site: Path,
                                                     request: pytest.FixtureRequest) -> None:
    html = _html(site, "ar/faq/index.html")
    head = "\n".join(re.findall(r'<link rel="alternate"[^>]*>', html))
    assert_golden("languages/ar-faq-head.html", head + "\n", request)
    assert_golden("languages/ar-faq-switcher.html", _switcher(html) + "\n", request)


def test_every_switcher_and_hreflang_link_leads_to_an_existing_page(site: Path) -> None:
    pages = [page for page in built_pages(site) if page.file.endswith(".html")]
    checked = 0
    for page in pages:
        html = _html(site, page.file)
        if 'class="p-languages"' not in html:
            continue
        page_url = "/" + page.url_path
        labels = _tags(_switcher(html), "a")
        current = _tags(_switcher(html), "span", **{"aria-current": "true"})
        assert len(labels) == 2 and len(current) == 1, page.file
        for link in labels:
            assert link["lang"] == link["hreflang"], page.file
            assert link["dir"] == ("rtl" if link["lang"] == "ar" else "ltr")
            target = urljoin(page_url, link["href"])
            assert _file_of(site, target).is_file(), (page.file, link["href"])
            checked += 1
        for link in _tags(html, "link", rel="alternate"):
            address = link["href"]
            assert address.startswith(SITE_URL), (page.file, address)
            assert _file_of(site, urlsplit(address).path).is_file(), (page.file, address)
    assert checked >= 2 * 3 * 6


@pytest.mark.parametrize(("prefix", "url"), [("", "faq/"), ("ar/", "faq/"), ("en/", "")])
def test_each_page_links_its_versions_and_x_default(site: Path, prefix: str, url: str) -> None:
    html = _html(site, prefix + url + "index.html")
    alternates = {link["hreflang"]: link["href"] for link in _tags(html, "link", rel="alternate")}
    assert alternates == {"fr": SITE_URL + url, "ar": SITE_URL + "ar/" + url,
                          "en": SITE_URL + "en/" + url, "x-default": SITE_URL + url}


def test_the_sitemap_lists_every_page_in_every_language_with_its_alternates(site: Path) -> None:
    root = ElementTree.fromstring((site / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
          "x": "http://www.w3.org/1999/xhtml"}
    entries = {url.findtext("s:loc", namespaces=ns): {
        link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        for url in root.findall("s:url", ns)}
    for prefix in LANGUAGES:
        assert entries[SITE_URL + prefix + "faq/"] == {
            "fr": SITE_URL + "faq/", "ar": SITE_URL + "ar/faq/", "en": SITE_URL + "en/faq/",
            "x-default": SITE_URL + "faq/"}
    for loc in entries:
        assert _file_of(site, urlsplit(str(loc)).path).is_file(), loc
    assert not (site / "ar" / "sitemap.xml").exists()


# --- a page not translated yet ------------------------------------------------------------------

def test_an_untranslated_page_says_so_in_the_readers_language(site: Path) -> None:
    english = _html(site, "en/explications/index.html")
    assert ("This page is not translated yet. You are reading it in its original language: "
            "French.") in english
    assert '<div lang="fr" dir="ltr">' in english and "Le jardin coûte" in english
    arabic = _html(site, "ar/accessibilite/index.html")
    assert "هذه الصفحة غير مترجمة بعد. تقرؤونها بلغتها الأصلية: الفرنسية." in arabic
    assert '<div lang="fr" dir="ltr">' in arabic and "pas encore été audité" in arabic
    for translated in ("ar/explications/index.html", "explications/index.html",
                       "en/faq/index.html", "ar/donner-mon-avis/index.html"):
        assert 'class="p-fallback"' not in _html(site, translated), translated


def test_a_menu_entry_titled_in_another_language_says_which(site: Path) -> None:
    """explications.md has no English version: in the English pages its menu entry, breadcrumb
    and pager keep its French title, marked as French; translated entries are not marked."""
    english = _html(site, "en/index.html")
    menu = english.split('id="p-menu"', 1)[1].split("</nav>", 1)[0]
    [entry] = [line for line in menu.splitlines() if 'href="../explications/"' in line
               or 'href="explications/"' in line]
    assert ' lang="fr" dir="ltr">Explications</a>' in entry
    # and nav:'s section "À propos", which languages: does not translate into English
    assert ' lang="fr" dir="ltr">À propos</a>' in menu
    assert menu.count(" lang=") == 2
    aide = _html(site, "en/aide/index.html")  # after Explications in the navigation
    pager = aide.split('class="p-pager', 1)[1].split("</nav>", 1)[0]
    assert '<span class="p-pager__title" lang="fr" dir="ltr">Explications</span>' in pager
    arabic_menu = _html(site, "ar/index.html").split('id="p-menu"', 1)[1].split("</nav>", 1)[0]
    assert " lang=" not in arabic_menu


# --- per language: 404, site map, low-data file, banner and dates -------------------------------

def test_each_language_has_its_404_page_site_map_and_low_data_file(site: Path) -> None:
    arabic_404 = _html(site, "ar/404.html")
    assert "الصفحة غير موجودة" in arabic_404 and 'href="/ar/site-map/"' in arabic_404
    assert "Page not found" in _html(site, "en/404.html")
    site_map = _html(site, "ar/site-map/index.html")
    assert "خريطة الموقع" in site_map and "أسئلة شائعة" in site_map
    assert (site / "plan-du-site" / "index.html").is_file()
    assert (site / "en" / "site-map" / "index.html").is_file()
    low_data = _html(site, "ar/low-data.html")
    assert 'lang="ar"' in low_data and "حديقة مشتركة في حي الزيتون" in low_data
    assert (site / "en" / "low-data.html").is_file()
    assert (site / "ar" / "index.html.gz").is_file()  # precompressed like the default's


def test_each_languages_low_data_file_says_how_to_answer_the_form_in_its_words(
        site: Path) -> None:
    """An offline file cannot post: the form gives way to how to answer and its questions, in
    every language's file, the form being declared in the default language's build only."""
    for prefix, question in (("", "Voulez-vous jardiner ?"),
                             ("ar/", "هل تريدون الزراعة في الحديقة؟"),
                             ("en/", "Would you like to garden?")):
        low_data = _html(site, prefix + ("consultation-hors-ligne.html" if not prefix
                                         else "low-data.html"))
        assert low_data.count('class="ld-box"') == 1, prefix
        assert question in low_data.split('class="ld-box"', 1)[1], prefix


def test_the_status_banner_and_dates_are_in_each_languages_words(site: Path) -> None:
    """Built for 10 January 2027 (``build-date``): open until 28 February."""
    for prefix, said in (("ar/", "الاستشارة مفتوحة حتى نهاية يوم الأحد 28\u00a0فبراير 2027."),  # noqa: RUF001
                         ("en/", "The consultation is open until the end of Sunday 28\u00a0February"
                                 " 2027."),
                         ("", "La consultation est ouverte jusqu’au dimanche 28\u00a0février 2027"  # noqa: RUF001
                              " inclus.")):
        page = _html(site, prefix + "index.html")
        banner = page.split('class="p-status p-status--open">', 1)[1].split("</", 1)[0]
        assert said in banner, (prefix, banner)


def test_a_one_language_site_has_no_switcher_and_no_alternates(tmp_path: Path) -> None:
    config = write_site(tmp_path, {"index.md": "# Accueil\n\nBonjour.\n",
                                   "index.en.md": "# Home\n\nHello.\n"})
    site_dir = build_site(config, tmp_path / "site", strict=False)
    html = _html(site_dir, "index.html")
    assert 'class="p-languages"' not in html and 'rel="alternate"' not in html
    assert not (site_dir / "en").exists()
    assert "xhtml" not in _html(site_dir, "sitemap.xml")


def test_every_languages_form_page_shows_the_one_form_in_its_language(site: Path) -> None:
    """The form is declared once (French page, translations inside); the Arabic and English
    pages hold only its id: same id and version everywhere, words and _language of the page."""
    versions = set()
    for prefix, (language, _direction) in LANGUAGES.items():
        html = _html(site, prefix + "donner-mon-avis/index.html")
        assert _tags(html, "input", name="_form", value="jardin-oliviers"), prefix
        assert _tags(html, "input", name="_language", value=language), prefix
        versions |= {tag["value"] for tag in _tags(html, "input", name="_version")}
    assert len(versions) == 1
    assert "هل تريدون الزراعة في الحديقة؟" in _html(site, "ar/donner-mon-avis/index.html")
    assert "Would you like to garden?" in _html(site, "en/donner-mon-avis/index.html")


def test_a_message_about_a_translated_page_names_its_own_file(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """In the Arabic build index.ar.md stands for index.md; a broken link in it is reported in
    index.ar.md, the file to edit, with its line."""
    arabic = "# الرئيسية\n\nانظر [الصفحة](absente.md).\n"  # noqa: RUF001
    config = write_site(tmp_path, {"index.md": "# Accueil\n\nBonjour.\n", "index.ar.md": arabic},
                        plugins=[{"parole": {"languages": ["fr", "ar"]}}])
    build_site(config, tmp_path / "site", strict=False)
    messages = [record.getMessage() for record in caplog.records]
    broken = [message for message in messages if "absente.md" in message]
    assert broken and all("index.ar.md:3" in message for message in broken), broken
