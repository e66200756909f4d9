"""The low-data edition: the whole consultation in one offline file (``site_builder.low_data``).

Core tests render pages given as HTML (no MkDocs); build tests go through ``parole build``. The
file is read back with the standard library's parser, not the edition's own tree.
"""

from __future__ import annotations

import gzip
import itertools
import json
import logging
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from site_builder import calendar
from site_builder.i18n import Catalogue
from site_builder.low_data import EditionPage, page_anchor, render_low_data
from site_builder.low_data.cleaning import SMALL_SVG
from site_builder.low_data.forms import OfflineForm
from site_builder.page_weight import REPORT_NAME
from site_builder.site import FooterLink, SiteInfo
from tests.pa11y_support import built_pages
from tests.support import REPO, SITES, assert_golden, build_site, write_site

FRENCH = Catalogue.for_language("fr")
TODAY = date(2027, 1, 20)
EDITION = "consultation-hors-ligne.html"
SITE = SiteInfo(
    title="Réaménager le square", organizer_name="Ville d'Essai",
    organizer_email="mairie@essai.example", organizer_phone="01 23 45 67 89",
    organizer_address="1 place de la Mairie, 00000 Essai", language="fr", direction="ltr",
    footer_links=(FooterLink("help", "Se faire aider près de chez vous", "aide/"),
                  FooterLink("privacy", "Vos données personnelles", "plan-du-site/")),
    site_map_url="plan-du-site/",
)


# --- reading the file back ----------------------------------------------------------------------

class Facts(HTMLParser):
    """Every start tag of a document with its attributes, and its text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def ids(self) -> list[str]:
        return [str(attrs["id"]) for _, attrs in self.tags if attrs.get("id")]

    def hrefs(self) -> list[str]:
        return [str(attrs["href"]) for name, attrs in self.tags
                if name == "a" and attrs.get("href")]

    def words(self) -> str:
        """The text, runs of spaces and line breaks made one space (no-break spaces kept)."""
        return re.sub(r"[ \t\r\n]+", " ", "".join(self.text)).strip()

    def headings(self) -> list[int]:
        return [int(name[1]) for name, _ in self.tags if re.fullmatch(r"h[1-6]", name)]


def assert_self_contained(html: str) -> None:
    """No request of any kind, no script, every id unique, every in-file link lands."""
    facts = Facts(html)
    assert not facts.all("script")
    assert not facts.all("link") or all(
        attrs.get("rel") == "icon" and attrs.get("href") == "data:," for attrs in facts.all("link"))
    for tag, attrs in facts.tags:
        for name in ("src", "srcset", "poster", "data", "background"):
            assert name not in attrs, (tag, attrs)
        assert "style" not in attrs, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    assert "@import" not in html and "url(" not in html
    duplicates = [name for name, count in Counter(facts.ids()).items() if count > 1]
    assert duplicates == []
    missing = [href for href in facts.hrefs()
               if href.startswith("#") and href[1:] not in facts.ids()]
    assert missing == []


def assert_headings_in_order(html: str) -> None:
    levels = Facts(html).headings()
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(later <= earlier + 1 for earlier, later in itertools.pairwise(levels))


# --- the core, without MkDocs -------------------------------------------------------------------

def render(pages: list[EditionPage], **options: Any) -> str:
    settings: dict[str, Any] = {
        "catalogue": FRENCH, "site": SITE,
        "consultation": calendar.view(calendar.Calendar(), TODAY, FRENCH), "today": TODAY,
        **options,
    }
    return render_low_data(pages, **settings)


HOME = EditionPage("index.md", "", "Accueil", """<h1 id="accueil">Accueil</h1>
<p>Lisez <a href="faq/">la FAQ</a>, <a href="faq/#qui">qui répond</a>,
<a href="faq/#disparu">une ancre disparue</a>, <a href="#suite">la suite</a>,
<a href="aide/">l'aide</a>, <a href="papier/avis/">le papier</a>,
<a href="plan-du-site/">le plan</a>, <a href="https://ailleurs.example/x">ailleurs</a>,
<a href="mailto:a@b.example">écrire</a>, <a href="javascript:alert(1)">piège</a>,
<a href="/consultation/faq/">absolu</a>.</p>
<h2 id="suite">Suite</h2>
""")
FAQ = EditionPage("faq.md", "faq/", "FAQ", """<h1 id="questions">Questions</h1>
<div class="p-faq">
<details class="p-faq__item">
<summary class="p-faq__question"><h2 class="p-faq__title">Qui répond ?</h2></summary>
<div class="p-faq__answer" id="qui">
<p>Tout le monde. <a href="../">Accueil</a>, <a href="../#suite">suite</a>.</p>
<h3 id="suite">Et la suite ?</h3>
</div>
</details>
</div>
<script type="application/ld+json">{"@type": "FAQPage"}</script>
""")
HELP = EditionPage("aide.md", "aide/", "Se faire aider", "<p>À la mairie.</p>")


def test_links_between_pages_lead_inside_the_file() -> None:
    facts = Facts(render([HOME, FAQ, HELP]))
    hrefs = facts.hrefs()
    assert "#page-faq" in hrefs
    assert "#page-faq--qui" in hrefs  # the question's anchor, now on its heading
    assert hrefs.count("#page-faq") >= 2  # an anchor the page lost leads to the page
    assert hrefs.count("#page-index--suite") == 2  # "#suite" at home, "../#suite" in the FAQ
    assert "#page-aide" in hrefs
    assert "#page-index" in hrefs  # "../" from the FAQ: the home page
    assert "https://ailleurs.example/x" in hrefs and "mailto:a@b.example" in hrefs


def test_without_site_url_links_to_the_rest_of_the_site_become_words() -> None:
    facts = Facts(render([HOME, FAQ, HELP]))
    assert not [href for href in facts.hrefs()
                if not href.startswith(("#", "https://ailleurs", "mailto:", "tel:"))]
    assert "le papier" in facts.words() and "le plan" in facts.words()
    assert "piège" in facts.words() and not any("javascript" in h for h in facts.hrefs())


def test_with_site_url_links_to_the_rest_of_the_site_are_absolute() -> None:
    hrefs = Facts(render([HOME, FAQ, HELP],
                         site_url="https://essai.example/consultation/")).hrefs()
    assert "https://essai.example/consultation/papier/avis/" in hrefs
    assert "https://essai.example/consultation/plan-du-site/" in hrefs
    assert "#page-faq" in hrefs  # /consultation/faq/: a page of the file, by its path
    assert "https://essai.example/consultation/" in hrefs  # the header: the latest version


def test_links_work_without_directory_urls() -> None:
    home = EditionPage("index.md", "index.html", "Accueil",
                       '<p><a href="explications/budget.html#cout">coût</a></p>')
    budget = EditionPage("explications/budget.md", "explications/budget.html", "Budget",
                         '<h1 id="cout">Coût</h1><p><a href="../index.html">retour</a></p>')
    hrefs = Facts(render([home, budget])).hrefs()
    assert "#page-explications-budget--cout" in hrefs and "#page-index" in hrefs


def test_every_id_is_unique_and_every_link_lands() -> None:
    twin = EditionPage("autre/faq.md", "autre/faq/", "Autre FAQ",
                       '<h1 id="questions">Q</h1><p id="qui">x</p><p id="qui">doublon</p>'
                       '<label for="qui">étiquette</label>')
    clash = EditionPage("autre-faq.md", "autre-faq/", "Même ancre", "<p>même ancre de page</p>")
    html = render([HOME, FAQ, twin, clash])
    assert_self_contained(html)
    assert {page_anchor("autre/faq.md"), page_anchor("autre-faq.md")} == {"page-autre-faq"}
    assert {"page-autre-faq", "page-autre-faq-2"} <= set(Facts(html).ids())
    assert 'for="page-autre-faq--qui"' in html


def test_references_to_what_was_dropped_go_and_the_words_stay() -> None:
    """Form markup outside a form block (the component gallery) loses its inputs: a label must
    not keep naming one (the W3C checker's error), nor any reference an id that is gone."""
    page = EditionPage("index.md", "", "Accueil", """<h1>Galerie</h1>
<div><label for="q">Votre quartier</label><p id="q-hint">Par exemple : Centre</p>
<input id="q" name="q" aria-describedby="q-hint q-error"></div>
<label><input type="checkbox" name="ok"> J'accepte</label>
<label for="jauge">Remplissage</label><meter id="jauge" value="0.5">moitié</meter>
<p aria-describedby="q-error q-hint" aria-labelledby="parti">Aide</p>
""")
    html = render([page])
    facts = Facts(html)
    assert facts.all("label") == [{}, {}, {"for": "page-index--jauge"}]
    assert "<label>Votre quartier</label>" in html and "J'accepte</label>" in html
    assert '<p aria-describedby="page-index--q-hint">Aide</p>' in html


def test_nothing_is_fetched_and_pictures_become_notes() -> None:
    small_svg = ('<svg viewBox="0 0 10 10" role="img" aria-label="un rond">'
                 '<circle cx="5" cy="5" r="4"/></svg>')
    big_svg = (f'<svg viewBox="0 0 10 10"><title>une carte</title>'
               f'<path d="{"M0 0L1 1" * (SMALL_SVG // 8)}"/></svg>')
    page = EditionPage("index.md", "", "Accueil", f"""<h1>Images</h1>
<p><img src="plan.png" alt="plan de la place" width="640"> <img src="motif.png" alt="">
<img src="sans.png"></p>
<picture><source srcset="a.webp 320w" type="image/webp"><img src="a.jpg" srcset="a.jpg 320w"
alt="la fontaine" loading="lazy"></picture>
<p style="background:url(https://x.example/f.png)" onclick="go()" class="p-x">texte</p>
<iframe src="https://maps.example/embed" title="carte du quartier"></iframe>
<video src="film.mp4" poster="p.jpg"></video>
<link rel="stylesheet" href="https://cdn.example/x.css"><style>@import url(x.css)</style>
<script src="https://cdn.example/x.js"></script><noscript><p>sans script</p></noscript>
<form action="/collect"><input name="q"><button>Envoyer</button></form>
{small_svg}{big_svg}
<svg aria-hidden="true"><image href="https://x.example/deco.png"/></svg>
""")
    html = render([page])
    assert_self_contained(html)
    words = Facts(html).words()
    assert "[Image\u00a0: plan de la place]" in words
    assert "[Image\u00a0: la fontaine]" in words
    assert "[Image]" in words  # no alternative text: still said to be there
    assert "[Image\u00a0: une carte]" in words  # an SVG too big: its title
    assert "[À voir sur le site\u00a0: carte du quartier]" in words
    assert "[Contenu à voir sur le site]" in words
    assert "sans script" in words and "texte" in words
    assert '<circle cx="5" cy="5" r="4"/></svg>' in html and 'aria-label="un rond"' in html
    assert html.count("<svg") == 1 and "<form" not in html and "Envoyer" not in words


def test_faq_answers_are_written_out_under_their_questions() -> None:
    html = render([FAQ])
    assert "<details" not in html and "<summary" not in html
    assert '<h3 id="page-faq--qui">Qui répond ?</h3>' in html
    assert '<h4 id="page-faq--suite">Et la suite ?</h4>' in html
    assert "FAQPage" not in html
    assert_headings_in_order(html)


def test_a_page_without_its_own_heading_gets_its_title() -> None:
    facts = Facts(render([HOME, HELP]))
    assert "Se faire aider" in facts.words()
    assert facts.headings() == [1, 2, 2, 3, 2, 2]  # h1, contents, home, its h2, help, contact


FORM_PAGE = EditionPage("avis.md", "avis/", "Donner mon avis", """<h1 id="avis">Donner mon avis</h1>
<section class="p-form" id="form-avis" aria-labelledby="form-avis-title">
<h2 class="p-form__title" id="form-avis-title">Votre avis</h2>
<div class="p-form__intro"><p>Cinq minutes.</p></div>
<p class="p-form__paper"><a href="../papier/avis/">Version papier à imprimer</a></p>
<form class="p-form__form" method="post" action="/collect"><input name="q"></form>
</section>
<section class="p-form" id="form-vieux" aria-labelledby="form-vieux-title">
<h2 class="p-form__title" id="form-vieux-title">Ancien</h2>
<div class="p-form-closed"><p><strong>Ce questionnaire est fermé.</strong></p></div>
</section>
""")
FORMS = [
    OfflineForm("avis", "avis/", (("Où habitez-vous ?", True), ("Une idée ?", False)),
                closed=False, paper_url="papier/avis/", opens=date(2027, 2, 1),
                closes=date(2027, 2, 28)),
    OfflineForm("vieux", "avis/", (("Déjà fini ?", True),), closed=True, paper_url=None,
                opens=None, closes=date(2020, 6, 30)),
]


def test_a_form_becomes_how_to_answer() -> None:
    html = render([HOME, FORM_PAGE, HELP], forms=FORMS, help_url="aide/",
                  site_url="https://essai.example/", dropoff=["Mairie, le lundi"])
    facts = Facts(html)
    words = facts.words()
    assert "<form" not in html and "<input" not in html
    assert "https://essai.example/avis/" in facts.hrefs()
    assert "https://essai.example/papier/avis/" in facts.hrefs()
    assert "Version papier à imprimer" not in words
    for expected in ("Comment répondre", "Ce fichier ne peut pas envoyer vos réponses.",
                     "Mairie, le lundi", "Le questionnaire ouvre le lundi 1er\u00a0février 2027.",
                     "Dernier jour pour répondre\u00a0: le dimanche 28\u00a0février 2027.",
                     "Où habitez-vous ? (obligatoire)", "Une idée ? (facultatif)",
                     "Ce questionnaire est fermé.", "Cinq minutes."):
        assert expected in words, expected
    assert "Déjà fini" not in words  # a closed form keeps its notice, without a box
    assert words.count("Comment répondre") == 1
    assert "#page-aide" in facts.hrefs()
    assert_self_contained(html)
    assert_headings_in_order(html)


def test_a_page_in_another_language_than_the_file_says_so_and_is_marked() -> None:
    """In the Arabic file, a page not translated yet keeps its French text: the site's note in
    Arabic, then its text and its contents entry marked French; its form's box, in Arabic
    words, marked Arabic again. A page in the file's language is not marked."""
    arabic = Catalogue.for_language("ar")
    site = replace(SITE, title="حديقة", language="ar", direction="rtl")
    french = [EditionPage("index.md", "", "الرئيسية", "<p>أهلا.</p>", language="ar"),
              EditionPage(FORM_PAGE.src_uri, FORM_PAGE.url, FORM_PAGE.title,
                          FORM_PAGE.content, language="fr")]
    html = render(french, catalogue=arabic, site=site, forms=FORMS[:1],
                  consultation=calendar.view(calendar.Calendar(), TODAY, arabic))
    toc = html.split('<nav class="ld-toc"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="#page-index">الرئيسية</a>' in toc
    assert '<a href="#page-avis" lang="fr" dir="ltr">Donner mon avis</a>' in toc
    section = html.split('<section id="page-avis">', 1)[1]
    assert section.startswith('\n<p class="ld-note">هذه الصفحة غير مترجمة بعد. تقرؤونها '
                              'بلغتها الأصلية: الفرنسية.</p>\n<div lang="fr" dir="ltr">\n'
                              '<h2 id="page-avis--avis">Donner mon avis</h2>')
    assert '<div lang="ar" dir="rtl" class="ld-box">' in section
    assert html.count(' lang="fr"') == 2  # the contents entry and the page's text
    assert_self_contained(html)
    assert_headings_in_order(html)


def test_links_to_a_form_page_lead_to_its_box() -> None:
    page = EditionPage("index.md", "", "Accueil", '<p><a href="avis/">répondre</a></p>')
    hrefs = Facts(render([page, FORM_PAGE], forms=FORMS)).hrefs()
    assert "#page-avis--form-avis" in hrefs


def test_without_site_url_the_box_says_where_to_answer_without_dead_links() -> None:
    html = render([FORM_PAGE], forms=FORMS)
    words = Facts(html).words()
    assert "en ligne, sur le site de la consultation\u00a0;" in words
    assert "sur papier, avec le questionnaire papier." in words
    assert "Ville d'Essai, 1 place de la Mairie" in words  # no drop-off place: the organizer
    assert not [href for href in Facts(html).hrefs() if not href.startswith(("#", "mailto:",
                                                                              "tel:"))]


def test_the_same_input_gives_the_same_bytes() -> None:
    assert render([HOME, FAQ, FORM_PAGE], forms=FORMS) == render([HOME, FAQ, FORM_PAGE],
                                                                  forms=FORMS)


# --- built sites ---------------------------------------------------------------------------------

class _Records(logging.Handler):
    """Keeps ``LEVEL message`` of every record."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.getMessage()}")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str]]]:
    """The example consultation built on a fixed day (the file prints its date), with the
    build's log."""
    handler = _Records()
    records = handler.lines
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("PAROLE_BUILD_DATE", TODAY.isoformat())
            site = build_site(REPO / "mkdocs.yml", tmp_path_factory.mktemp("low-data") / "site")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    yield site, records


def test_example_edition_matches_its_golden(
    example: tuple[Path, list[str]], request: pytest.FixtureRequest
) -> None:
    html = (example[0] / EDITION).read_text(encoding="utf-8")
    assert_golden("low-data-example.html", html, request)


def test_example_edition_is_whole_and_self_contained(example: tuple[Path, list[str]]) -> None:
    html = (example[0] / EDITION).read_text(encoding="utf-8")
    assert_self_contained(html)
    assert_headings_in_order(html)
    toc = re.search(r'<nav class="ld-toc".*?</nav>', html, re.S)
    assert toc is not None
    assert Facts(toc.group()).hrefs() == [
        "#page-index", "#page-donner-mon-avis", "#page-resultats", "#page-faq",
        "#page-explications-budget",
        "#page-explications-votre-avis", "#page-aide", "#page-accessibilite",
        "#page-confidentialite"]  # the menu's order; the site map is left out
    words = Facts(html).words()
    for expected in ("Étape en cours\u00a0: Contributions", "Médiathèque, 12 rue des Écoles",
                     "Hôtel de ville, 1 place de la Mairie, 00000 Belval",
                     "Version du mercredi 20\u00a0janvier 2027."):
        assert expected in words, expected
    assert '<html lang="fr" dir="ltr">' in html


def test_size_is_logged_and_recorded_but_not_budgeted(example: tuple[Path, list[str]]) -> None:
    site, records = example
    data = (site / EDITION).read_bytes()
    compressed = (site / f"{EDITION}.gz").read_bytes()
    assert gzip.decompress(compressed) == data
    report = json.loads((site / REPORT_NAME).read_text(encoding="utf-8"))
    # The other download is the example's published audit report (audit/index.html).
    assert {"path": EDITION, "raw": len(data), "gzip": len(compressed)} in report["downloads"]
    assert EDITION not in [page["path"] for page in report["pages"]]
    (line,) = [record for record in records if record.startswith("INFO Édition légère : ")
               and "KiB" in record]  # the example is French: so is its build's log
    assert f"{EDITION}, {len(data) / 1024:.1f} KiB ({len(compressed) / 1024:.1f} KiB gzip)" in line
    assert not [record for record in records if record.startswith("WARNING")]


def test_every_page_links_the_edition_as_a_download(example: tuple[Path, list[str]]) -> None:
    site = example[0]
    link = '<a href="../../consultation-hors-ligne.html" download>'
    assert link in (site / "explications/budget/index.html").read_text(encoding="utf-8")
    assert EDITION in [page.file for page in built_pages(site)]  # so pa11y checks it too


def test_without_site_url_the_build_says_so_once_without_failing(
    example: tuple[Path, list[str]]
) -> None:
    notes = [record for record in example[1] if "n'a pas de site_url" in record]
    assert len(notes) == 1 and notes[0].startswith("INFO ")


def _small_site(folder: Path, **plugin: Any) -> Path:
    pages = {"index.md": "# Accueil\n\nLisez [la version légère](consultation-hors-ligne.html).\n"}
    return write_site(folder, pages, plugins=[{"parole": plugin}])


def test_option_off_writes_no_file_and_no_link(tmp_path: Path) -> None:
    site = build_site(_small_site(tmp_path, low_data=False), tmp_path / "site", strict=False)
    assert not (site / EDITION).exists()
    assert " download>" not in (site / "aide/index.html").read_text(encoding="utf-8")
    assert json.loads((site / REPORT_NAME).read_text(encoding="utf-8"))["downloads"] == []


def test_a_page_may_link_the_edition_in_markdown(tmp_path: Path) -> None:
    site = build_site(_small_site(tmp_path), tmp_path / "site")  # strict: the link resolves
    assert '<a href="consultation-hors-ligne.html">la version légère</a>' in (
        site / "index.html").read_text(encoding="utf-8")
    assert (site / EDITION).stat().st_size > 1000


def test_with_site_url_the_file_gives_addresses(tmp_path: Path) -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(site_url="https://belval.example/consultation/",
                  docs_dir=str(REPO / "content"))
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    html = (build_site(config_file, tmp_path / "site") / EDITION).read_text(encoding="utf-8")
    hrefs = Facts(html).hrefs()
    assert "https://belval.example/consultation/donner-mon-avis/" in hrefs
    assert "https://belval.example/consultation/papier/avis-place/" in hrefs
    assert_self_contained(html)


@pytest.mark.parametrize(("site", "language", "direction", "title"), [
    ("english", "en", "ltr", "Low-data version"),
    ("rtl", "ar", "rtl", "النسخة الخفيفة"),
])
def test_other_languages_name_and_write_the_file_in_their_words(
    site: str, language: str, direction: str, title: str, tmp_path: Path
) -> None:
    built = build_site(SITES / site / "mkdocs.yml", tmp_path / "site")
    html = (built / "low-data.html").read_text(encoding="utf-8")
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert f"<title>{title} — " in html
    strings = Catalogue.for_language(language)
    assert strings("low_data.contents") in html and strings("skip_link") in html
    assert strings("low_data.link") in (built / "index.html").read_text(encoding="utf-8")
    assert_self_contained(html)
    assert_headings_in_order(html)


def test_two_builds_write_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAROLE_BUILD_DATE", TODAY.isoformat())
    config = yaml.safe_load((SITES / "forms" / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(docs_dir=str(SITES / "forms" / "docs"),
                  site_url="https://tilleuls.example/jardin/")
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    first = build_site(config_file, tmp_path / "a") / EDITION
    second = build_site(config_file, tmp_path / "b") / EDITION
    assert first.read_bytes() == second.read_bytes()
    assert (first.with_name(f"{EDITION}.gz").read_bytes()
            == second.with_name(f"{EDITION}.gz").read_bytes())


FORKED_BUILD = """
import json, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
from site_builder import forked
from site_builder.plugins.parole import low_data

low_data.FORK_FROM = 0  # the example is small: make its edition in a forked process all the same
made: list[bool] = []
real_init = forked.Forked.__init__

def recording(self, work, *, fork=True):
    real_init(self, work, fork=fork)
    made.append(self.forked)

forked.Forked.__init__ = recording
build(load_config(sys.argv[1], site_dir=sys.argv[2]))
print(json.dumps(made))
"""


def test_an_edition_made_in_a_forked_process_is_the_same(
        example: tuple[Path, list[str]], tmp_path: Path) -> None:
    """A big site's edition is made in a forked process while MkDocs renders the pages (only
    the main thread runs then, as in a fresh ``mkdocs build``): the same bytes."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: the edition is always made in the build's own process")
    site = tmp_path / "site"
    finished = subprocess.run(
        [sys.executable, "-c", FORKED_BUILD, str(REPO / "mkdocs.yml"), str(site)],
        capture_output=True, text=True, check=True, cwd=REPO, timeout=120,
        env={**os.environ, "PAROLE_BUILD_DATE": TODAY.isoformat()})
    assert json.loads(finished.stdout)[0] is True  # the edition's, the first one started
    assert (site / EDITION).read_bytes() == (example[0] / EDITION).read_bytes()
