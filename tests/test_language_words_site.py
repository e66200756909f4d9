"""The words of mkdocs.yml in each language's build (issue #18), end to end: the three-language
sample site (tests/sites/multilingual: Arabic translates them all, English a few) and small
sites written here for the drop-off places, the address, the build's INFO line and errors.

Everywhere a word is shown (header, ``<title>``, meta description, footer, calendar, menu,
site map, 404, low-data file, paper versions) it is in the page's language when translated,
else in the default language's words marked with that language's ``lang``/``dir``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort

from tests.pa11y_support import built_site
from tests.support import SITES, build_site, write_site

CONFIG = SITES / "multilingual" / "mkdocs.yml"
FRENCH = ' lang="fr" dir="ltr"'
ARABIC_TITLE = "حديقة مشتركة في حي الزيتون"


@pytest.fixture(scope="module")
def site(request: pytest.FixtureRequest) -> Path:
    return built_site(request, CONFIG)


def _html(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


# --- the sample site ----------------------------------------------------------------------------

def test_title_and_description_of_each_language_are_its_own(site: Path) -> None:
    arabic = _html(site, "ar/404.html")
    assert f"<title>الصفحة غير موجودة — {ARABIC_TITLE}</title>" in arabic
    description = "يعطي سكان حي الزيتون رأيهم في حديقة مشتركة."
    assert f'<meta name="description" content="{description}">' in arabic
    english = _html(site, "en/404.html")
    assert "<title>Page not found — A shared garden at Les Oliviers</title>" in english
    # English gives no site_description: the French one (a meta cannot say its language)
    assert "Les habitants des Oliviers donnent leur avis" in english
    assert "<title>Page introuvable — Un jardin partagé aux Oliviers</title>" in _html(
        site, "404.html")


def test_the_header_and_footer_say_the_organizer_in_each_languages_words(site: Path) -> None:
    arabic = _html(site, "ar/faq/index.html")
    assert '<p class="p-header__organizer">جمعية الزيتون</p>' in arabic
    assert "<li>جمعية الزيتون</li>" in _between(arabic, '<footer class="p-footer">', "</footer>")
    english = _html(site, "en/faq/index.html")
    assert f'<p class="p-header__organizer"{FRENCH}>Association des Oliviers</p>' in english
    assert '<p class="p-header__title"><a href="..">A shared garden at Les Oliviers</a>' in english
    assert f"<li{FRENCH}>Association des Oliviers</li>" in english
    french = _html(site, "faq/index.html")
    assert FRENCH not in _between(french, "</nav>", "</body>")  # after the switcher


def test_the_calendar_shows_each_phase_in_the_languages_words_or_marked(site: Path) -> None:
    arabic = _between(_html(site, "ar/explications/index.html"), 'class="p-calendar"', "</ol>")
    # Built for 10 January 2027 (``build-date``): in the first phase, said current in Arabic.
    assert '<h3><span class="p-calendar__now">المرحلة الحالية:</span> الإعلام</h3>' in arabic
    assert "<p>اقرؤوا الشروح واطرحوا أسئلتكم.</p>" in arabic
    assert "<h3>الآراء</h3>" in arabic and " lang=" not in arabic
    assert "يناير" in arabic  # the dates are the default's, said in Arabic words
    english = _between(_html(site, "en/explications/index.html"), 'class="p-calendar"', "</ol>")
    assert '<h3><span class="p-calendar__now">Current step:</span> Information</h3>' in english
    assert f"<p{FRENCH}>Lisez les explications et posez vos questions.</p>" in english
    assert f"<h3><span{FRENCH}>Avis</span></h3>" in english
    assert "From Monday 18\u00a0January 2027 to Sunday 28\u00a0February 2027" in english


def test_nav_translations_name_sections_and_pages_in_the_languages_words(site: Path) -> None:
    menu = _between(_html(site, "ar/index.html"), 'id="p-menu"', "</nav>")
    assert '<a class="p-nav__link" href="accessibilite/">عن الموقع</a>' in menu
    assert "À propos" not in menu and " lang=" not in menu
    # accessibilite.md is not translated into Arabic, but its nav: title is: the title is
    # Arabic (not marked), the text French under its note.
    page = _html(site, "ar/accessibilite/index.html")
    crumbs = _between(page, 'class="p-breadcrumb', "</nav>")
    assert "<li>عن الموقع</li>" in crumbs
    assert '<a href="./" aria-current="page">سهولة الوصول</a>' in crumbs
    assert "<title>سهولة الوصول — " in page and 'class="p-fallback"' in page
    site_map = _html(site, "ar/site-map/index.html")
    assert "<li>عن الموقع<ul>" in site_map
    assert '<a href="../confidentialite/">بياناتكم الشخصية</a>' in site_map


def test_the_low_data_file_has_each_languages_words(site: Path) -> None:
    arabic = _html(site, "ar/low-data.html")
    assert f"<h1>{ARABIC_TITLE}</h1>" in arabic and "<p>جمعية الزيتون</p>" in arabic
    english = _html(site, "en/low-data.html")
    assert "<h1>A shared garden at Les Oliviers</h1>" in english
    assert f"<p{FRENCH}>Association des Oliviers</p>" in english


def test_the_paper_versions_have_each_languages_words(site: Path) -> None:
    arabic = _html(site, "ar/paper/jardin-oliviers/ar/index.html")
    assert (f'<p class="p-paper__site"><strong>{ARABIC_TITLE}</strong> — جمعية الزيتون</p>'
            in arabic)
    assert "<p><strong>جمعية الزيتون</strong>" in arabic
    english = _html(site, "en/paper/jardin-oliviers/en/index.html")
    assert ('<strong>A shared garden at Les Oliviers</strong> — '
            f'<span{FRENCH}>Association des Oliviers</span>') in english


# --- sites written here -------------------------------------------------------------------------

FORM = """# Avis

```form
id: avis
title: Votre avis
submit: Envoyer
fields:
  - {id: idee, type: text, label: Votre idée}
translations:
  ar: {title: رأيكم, submit: أرسلوا, fields: {idee: {label: فكرتكم}}}
  en: {title: Your view, submit: Send, fields: {idee: {label: Your idea}}}
```
"""
PAGES = {"index.md": "# Accueil\n\nBonjour.\n", "avis.md": FORM,
         "avis.ar.md": "# رأيكم\n\n```form\nid: avis\n```\n",
         "avis.en.md": "# Your view\n\n```form\nid: avis\n```\n"}


def _site(tmp_path: Path, languages: list[Any], **options: Any) -> Path:
    parole = {"languages": languages, "organizer": {"name": "Mairie de Belval",
                                                    "address": "1 place de la Mairie"},
              "paper_dropoff": ["Mairie, accueil, 9 h à 17 h"],
              "plain_language": {"enabled": False}, **options}
    return write_site(tmp_path, PAGES, plugins=[{"parole": parole}],
                      theme={"name": "parole", "language": "fr"},
                      nav=[{"Accueil": "index.md"}, {"Participer": [{"Avis": "avis.md"}]}])


ARABIC = {"locale": "ar", "title": "استشارة تجريبية",
          "organizer": {"name": "بلدية بلفال", "address": "1 ساحة البلدية"},
          "paper_dropoff": ["البلدية، الاستقبال، من 9 إلى 17"],
          "nav_translations": {"Participer": "شاركوا"}}


def test_drop_off_places_and_address_in_each_languages_words(tmp_path: Path) -> None:
    built = build_site(_site(tmp_path, ["fr", ARABIC, "en"]), tmp_path / "site")
    arabic = _html(built, "ar/paper/avis/ar/index.html")
    assert "<ul>\n<li>البلدية، الاستقبال، من 9 إلى 17</li>" in arabic
    assert "1 ساحة البلدية</p>" in arabic
    assert " lang=" not in _between(arabic, "<body>", "</body>").replace(
        ' lang="ar"', "")  # nothing in another language (no form string missing either)
    english = _html(built, "en/paper/avis/en/index.html")
    assert f"<ul{FRENCH}>\n<li>Mairie, accueil, 9 h à 17 h</li>" in english
    assert f"<span{FRENCH}>1 place de la Mairie</span>" in english
    footer = _between(_html(built, "en/index.html"), '<footer class="p-footer">', "</footer>")
    assert f"<span{FRENCH}>1 place de la Mairie</span>" in footer
    arabic_footer = _between(_html(built, "ar/index.html"), '<footer class="p-footer">',
                             "</footer>")
    assert "1 ساحة البلدية</li>" in arabic_footer and " lang=" not in arabic_footer
    # the mediators' batches offer the places as the organizer wrote them, in French
    assert "Mairie, accueil" in _html(built, "forms/avis.json")


def test_each_language_lists_its_words_not_translated_once_as_info(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    build_site(_site(tmp_path, ["fr", ARABIC, {"locale": "en", "title": "Belval"}],
                     title="Belval dit"), tmp_path / "site")
    lines = [record for record in caplog.records if "mkdocs.yml" in record.getMessage()
             and "languages:" in record.getMessage()]
    assert [record.levelno for record in lines] == [logging.INFO]  # English only, once
    [english] = lines
    assert re.search(r"« en ».*organizer\.name, organizer\.address, paper_dropoff, "
                     r"nav_translations: Participer\.", english.getMessage()), english
    assert "- locale: en" in english.getMessage()


PHONE = "phone: '01'"


def test_a_wrong_translation_stops_the_build_with_its_line_and_field(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    wrong = {**ARABIC, "paper_dropoff": ["a", "b"], "organizer": {"phone": "01"},
             "nav_translations": {"Participez": "x"}}
    config = _site(tmp_path, ["fr", wrong, "en"])
    with pytest.raises(Abort):
        build_site(config, tmp_path / "site")
    text = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    lines = config.read_text(encoding="utf-8").splitlines()

    def line_of(start: str) -> int:
        """The first line written ``start`` (keys sorted: the Arabic entry's comes first)."""
        return next(number for number, line in enumerate(lines, 1) if line.strip() == start)

    for expected in (
        f"mkdocs.yml:{line_of('paper_dropoff:')}: [plugins.parole.languages[2].paper_dropoff] "
        "2 lieux de dépôt traduits, mais paper_dropoff en a 1",
        f"mkdocs.yml:{line_of(PHONE)}: [plugins.parole.languages[2].organizer.phone] "
        "phone est le même dans toutes les langues",
        f"mkdocs.yml:{line_of('Participez: x')}: "
        "[plugins.parole.languages[2].nav_translations.Participez] nav_translations traduit "
        "« Participez », qui n'est pas un titre de `nav:`",
        "vouliez-vous dire « Participer » ?",
    ):
        assert expected in text, text
    assert not (tmp_path / "site" / "ar").exists()  # no other language built
