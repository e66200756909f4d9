"""The paper version of a form (issue #3 §5): a questionnaire that prints on A4 in black and
white, whose question codes match the online form, and which is itself accessible HTML.

Forms are built from the model directly (not parsed), so these tests pin the paper page alone.
Unit tests read the HTML; browser tests print it in Chromium's print emulation (the screenshot
goes to ``tests/artefacts/paper-print.png``, to look at) and ask it for a PDF; pa11y checks it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from site_builder.forms.model import Field, Form, Option
from site_builder.forms.paper import render_paper, ruled_lines
from site_builder.forms.wording import format_number, instruction
from site_builder.i18n import Catalogue
from site_builder.site import SiteInfo
from tests.pa11y_support import built_pages, describe_failures, require_tools, run_pa11y_ci
from tests.support import REPO, assert_golden, serve_site

FR = Catalogue.for_language("fr")
EN = Catalogue.for_language("en")
AR = Catalogue.for_language("ar")
ARTEFACTS = REPO / "tests" / "artefacts"
A4_AT_96_DPI: ViewportSize = {"width": 794, "height": 1123}
FIVE_MM = 5 / 25.4 * 96  # ≈ 18.9 px
PLACES = ("Mairie de Belval, accueil, du lundi au vendredi de 9 h à 17 h",
          "Médiathèque des Tilleuls, 4 rue des Écoles")
CLOSES = date(2027, 2, 28)


def _options(*pairs: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(value, label) for value, label in pairs)


def _field(id: str, type: str, label: str, **keys: Any) -> Field:
    return Field(id=id, type=type, label=label, label_html=keys.pop("label_html", label), **keys)


QUARTIERS = ("Centre", "Gare", "Les Tilleuls", "Le Moulin", "Bellevue", "La Roseraie",
             "Les Prés", "Saint-Jean", "Hors de Belval", "Je préfère ne pas le dire")
FORM = Form(
    id="avis-place",
    title="Donnez votre avis",
    intro_html="<p>Cinq minutes suffisent. <strong>Aucune inscription.</strong> "
               '<a href="https://belval.example/projet/">Le projet</a>.</p>',
    fields=(
        _field("frequence", "choice", "À quelle fréquence passez-vous sur la place ?",
               hint="Pensez à l'année passée.", required=True,
               options=_options(("jour", "Tous les jours"), ("semaine", "Chaque semaine"),
                                ("mois", "Chaque mois"), ("jamais", "Presque jamais"))),
        _field("usages", "choices", "Que faites-vous sur la place ?", min=1, max=3,
               options=_options(("marche", "Le marché"), ("jeux", "Les jeux d'enfants"),
                                ("terrasses", "Les terrasses de café"),
                                ("passage", "J'y passe seulement"))),
        _field("quartier", "select", "Dans quel quartier habitez-vous ?",
               options=_options(*((f"q{n}", name) for n, name in enumerate(QUARTIERS)))),
        _field("accord", "scale", "Êtes-vous d'accord avec le projet ?", required=True,
               min=1, max=5, min_label="Pas du tout d'accord", max_label="Tout à fait d'accord"),
        _field("prenom", "text", "Votre prénom", max_length=60),
        _field("idee", "textarea", "Une idée pour la place ?",
               hint="Écrivez ce que vous voulez.", max_length=1000),
        _field("courriel", "email", "Votre adresse de courriel", hint="Pour recevoir le bilan."),
        _field("age", "number", "Votre âge", min=12, max=120),
        _field("accepte", "consent",
               "J'accepte que mes réponses soient étudiées ([vos données](confidentialite.md)).",
               label_html="J'accepte que mes réponses soient <em>étudiées</em> (<a href="
                          '"https://belval.example/confidentialite/">vos données</a>).',
               required=True),
    ),
    closes=CLOSES,
)
SITE = SiteInfo(
    title="La place du marché de Belval", organizer_name="Ville de Belval",
    organizer_email="participation@belval.example", organizer_phone="01 84 60 12 34",
    organizer_address="1 place de la Mairie, 77000 Belval", language="fr", direction="ltr",
    footer_links=(), site_map_url=None,
)
SITE_AR = replace(SITE, language="ar", direction="rtl", words_language="fr")
"""An Arabic page of a site whose words in mkdocs.yml (its title, the organizer) are French."""


def _paper(form: Form = FORM, **options: Any) -> str:
    arguments: dict[str, Any] = {
        "catalogue": FR, "site": SITE, "online_url": "../../avis/", "help_url": "../../aide/",
        "dropoff": PLACES, "closes": CLOSES, **options,
    }
    return render_paper(form, **arguments)


@pytest.fixture(scope="module")
def paper() -> str:
    return _paper()


# --- reading the page back --------------------------------------------------------------------

@dataclass
class PaperQuestion:
    """What one question block (``.p-paper__q``) holds."""

    id: str
    heading: str = ""
    code: str = ""
    texts: list[str] = field(default_factory=list)
    lines: int = 0
    boxes: int = 0


class _Reader(HTMLParser):
    """Collects each question's heading, code, texts, ruled lines and boxes; and every box's
    attributes, to check they are hidden from assistive technologies."""

    def __init__(self) -> None:
        super().__init__()
        self.questions: list[PaperQuestion] = []
        self.boxes: list[dict[str, str | None]] = []
        self._in: list[str] = []  # classes of open elements

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if "p-paper__q" in classes:
            self.questions.append(PaperQuestion(id=attributes.get("id") or ""))
        if "p-paper__box" in classes:
            self.boxes.append(attributes)
        if self.questions and "p-paper__line" in classes:
            self.questions[-1].lines += 1
        if self.questions and "p-paper__box" in classes:
            self.questions[-1].boxes += 1
        self._in.append(" ".join(classes))

    def handle_endtag(self, tag: str) -> None:
        if self._in:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if not self.questions or not data.strip():
            return
        question = self.questions[-1]
        text = re.sub(r"[ \t\r\n]+", " ", data).strip()  # keeps no-break spaces
        if "p-paper__code" in self._in[-1:]:
            question.code += text
        elif any("p-paper__label" in classes for classes in self._in):
            question.heading = f"{question.heading} {text}".strip()
        else:
            question.texts.append(text)


def _questions(html: str) -> dict[str, PaperQuestion]:
    reader = _Reader()
    reader.feed(html)
    return {question.id.removeprefix("q-"): question for question in reader.questions}


def _text(html: str) -> str:
    """The page's text, tags removed and spaces collapsed (entities left as written)."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


# --- golden pages -----------------------------------------------------------------------------

def test_golden_paper_page_with_every_field_type(
    paper: str, request: pytest.FixtureRequest
) -> None:
    assert {f.type for f in FORM.fields} == {
        "text", "textarea", "email", "number", "choice", "choices", "select", "scale", "consent"
    }
    assert_golden("paper-every-type.html", paper, request)


def test_golden_paper_page_in_arabic_without_links_places_or_date(
    request: pytest.FixtureRequest,
) -> None:
    html = render_paper(FORM, catalogue=AR, site=SITE_AR, online_url=None, help_url=None,
                        dropoff=(), closes=None)
    assert_golden("paper-ar-minimal.html", html, request)


# --- questions ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("type", "max_length", "lines"), [
    ("text", 1, 1), ("text", 60, 1), ("text", 61, 2), ("text", 180, 3),
    ("text", None, 4), ("text", 5000, 4),
    ("textarea", 70, 1), ("textarea", 71, 2), ("textarea", 700, 10), ("textarea", 1000, 15),
    ("textarea", None, 20), ("textarea", 100_000, 20),
    ("email", None, 1), ("choice", None, 0), ("number", None, 0),
])
def test_ruled_lines_follow_max_length(type: str, max_length: int | None, lines: int) -> None:
    assert ruled_lines(_field("q", type, "Question", max_length=max_length)) == lines


def test_the_page_draws_as_many_lines_as_max_length_asks(paper: str) -> None:
    questions = _questions(paper)
    for question in FORM.fields:
        assert questions[question.id].lines == ruled_lines(question), question.id
    assert questions["prenom"].lines == 1
    assert questions["idee"].lines == 15


def test_every_question_is_numbered_and_carries_its_code(paper: str) -> None:
    questions = _questions(paper)
    assert list(questions) == [f.id for f in FORM.fields]
    for number, question in enumerate(FORM.fields, 1):
        shown = questions[question.id]
        assert shown.code == f"avis-place / {question.id}"
        assert shown.heading.startswith(f"{number}. "), shown.heading
    assert '<p class="p-paper__code" dir="ltr">' in paper  # a code reads left to right


def test_a_box_for_each_option_step_and_consent(paper: str) -> None:
    questions = _questions(paper)
    for question in FORM.fields:
        expected = len(question.options) or len(question.steps)
        if question.type == "consent":
            expected = 1
        assert questions[question.id].boxes == expected, question.id
        for option in question.options:
            assert option.label in questions[question.id].texts  # each option is real text


def test_boxes_and_lines_are_drawn_not_read_and_nothing_is_an_input(paper: str) -> None:
    reader = _Reader()
    reader.feed(paper)
    assert reader.boxes
    assert all(box.get("aria-hidden") == "true" for box in reader.boxes)
    assert paper.count('class="p-paper__lines" aria-hidden="true"') == 2
    for tag in ("<input", "<select", "<textarea", "<form", "<button"):
        assert tag not in paper


def test_required_and_optional_questions_say_so_in_words_as_online(paper: str) -> None:
    questions = _questions(paper)
    for question in FORM.fields:
        said = "(obligatoire)" if question.required else "(facultatif)"
        assert questions[question.id].heading.endswith(said), question.id


def test_how_to_answer_in_words(paper: str) -> None:
    questions = _questions(paper)
    assert "Une seule réponse\u00a0: cochez une case." in questions["frequence"].texts
    assert "Une seule réponse\u00a0: cochez une case." in questions["quartier"].texts
    assert "Plusieurs réponses possibles\u00a0: de 1 à 3." in questions["usages"].texts
    assert "Une seule réponse\u00a0: cochez une case, de 1 à 5." in questions["accord"].texts
    assert "1\u202f000\u00a0caractères au maximum." in questions["idee"].texts
    assert "Un nombre entier, de 12 à 120." in questions["age"].texts
    assert "Cochez la case si vous êtes d\u2019accord." in questions["accepte"].texts
    assert "Pas du tout d'accord" in questions["accord"].texts  # the scale's ends, as text
    assert "Tout à fait d'accord" in questions["accord"].texts
    assert "@" in questions["courriel"].texts
    assert questions["frequence"].texts[0] == "Pensez à l'année passée."  # the hint first


@pytest.mark.parametrize(("keys", "said"), [
    ({}, "Plusieurs réponses possibles."),
    ({"min": 2}, "Plusieurs réponses possibles\u00a0: au moins 2."),
    ({"min": 0}, "Plusieurs réponses possibles."),
    ({"max": 2}, "Plusieurs réponses possibles\u00a0: 2 au maximum."),
    ({"min": 2, "max": 4}, "Plusieurs réponses possibles\u00a0: de 2 à 4."),
    ({"min": 2, "max": 2}, "Cochez exactement 2 cases."),
])
def test_choices_say_how_many_answers(keys: dict[str, int], said: str) -> None:
    assert instruction(_field("q", "choices", "Q", **keys), FR) == said


@pytest.mark.parametrize(("keys", "said"), [
    ({}, "Un nombre entier."),
    ({"integer": False}, "Un nombre."),
    ({"min": 0}, "Un nombre entier, 0 ou plus."),
    ({"max": 10_000}, "Un nombre entier, 10\u202f000 ou moins."),
    ({"min": 0.5, "max": 2.5, "integer": False}, "Un nombre, de 0,5 à 2,5."),
])
def test_numbers_say_their_bounds(keys: dict[str, Any], said: str) -> None:
    assert instruction(_field("q", "number", "Q", **keys), FR) == said


def test_text_questions_need_no_instruction() -> None:
    assert instruction(_field("q", "text", "Q"), FR) is None
    assert instruction(_field("q", "textarea", "Q"), FR) == "2\u202f000\u00a0caractères au maximum."
    assert instruction(_field("q", "textarea", "Q", max_length=500), FR) == (
        FR.count("form.max_length", 500))  # the online form's words


def test_numbers_in_the_language_of_the_page() -> None:
    assert format_number(2000, FR) == "2\u202f000"
    assert format_number(2.5, FR) == "2,5"
    assert format_number(-0.5, FR) == "-0,5"
    assert format_number(1234.25, EN) == "1,234.25"
    assert format_number(12, EN) == "12"


# --- labels -----------------------------------------------------------------------------------

def test_a_consent_link_prints_its_text_and_its_address(paper: str) -> None:
    heading = _questions(paper)["accepte"].heading
    assert "vos données ( https://belval.example/confidentialite/ )" in heading
    block = paper.split('id="q-accepte"', 1)[1].split("</h2>", 1)[0]
    assert "<a " not in block  # a printed link cannot be clicked: its address is written out
    assert "<em>étudiées</em>" in block  # inline emphasis is kept


def test_link_addresses_can_be_rewritten_and_mailto_is_dropped() -> None:
    consent = _field("ok", "consent", "x", label_html=(
        'Écrivez à <a href="mailto:dpo@belval.example">notre délégué</a> ou lisez '
        '<a href="../confidentialite/">la page</a>.'))
    form = replace(FORM, fields=(consent,))
    default = _questions(_paper(form))["ok"].heading
    assert "notre délégué ( dpo@belval.example )" in default
    assert "la page ( ../confidentialite/ )" in default
    rewritten = _paper(form, link_address=lambda href: "https://belval.example/"
                       + href.removeprefix("../"))
    assert "la page ( https://belval.example/confidentialite/ )" in _text(rewritten)


def test_intro_links_point_through_link_address() -> None:
    """Written for the online form's page, a relative link would lead nowhere from the paper
    page: the build gives ``link_address`` to make it valid from anywhere."""
    form = replace(FORM, intro_html='<p>Lire <a href="../projet/?a=1&amp;b=2">le projet</a>.</p>')
    kept = _paper(form)
    assert '<a href="../projet/?a=1&amp;b=2">le projet</a>' in kept
    rebased = _paper(form, link_address=lambda href: "https://belval.example/"
                     + href.removeprefix("../"))
    assert '<a href="https://belval.example/projet/?a=1&amp;b=2">le projet</a>' in rebased


def test_organizer_text_is_escaped_everywhere() -> None:
    hostile = "<script>alert(1)</script>"
    question = _field("q", "choice", "Q", label_html="Q &lt;b&gt;", hint=hostile,
                      options=(Option("x", hostile),))
    form = replace(FORM, title=hostile, fields=(question,))
    html = _paper(form, dropoff=[hostile], site=replace(SITE, title=hostile))
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "Q &lt;b&gt;" in html  # an escaped label stays escaped (not unescaped, not doubled)


# --- the page around the questions ------------------------------------------------------------

def test_an_accessible_standalone_page(paper: str) -> None:
    assert paper.startswith("<!doctype html>\n<html lang=\"fr\" dir=\"ltr\">")
    assert "<title>Donnez votre avis — version papier — La place du marché de Belval</title>" \
        in paper
    assert paper.count("<h1>") == 1 and paper.count("<main") == 1
    assert '<a href="../../avis/">Répondre en ligne</a>' in paper
    assert '<a href="../../aide/">Se faire aider pour répondre</a>' in paper
    head = paper.split("<main", 1)[0]
    assert "La place du marché de Belval</strong> — Ville de Belval" in head
    assert "<link rel=\"stylesheet\"" not in paper  # one request: the stylesheet is inline
    rtl = render_paper(FORM, catalogue=AR, site=SITE_AR, online_url=None, help_url=None,
                       dropoff=(), closes=None)
    assert '<html lang="ar" dir="rtl">' in rtl
    assert "<nav" not in rtl  # no link to give: no empty navigation


def test_where_and_until_when_to_drop_paper_answers(paper: str) -> None:
    end = paper.split('class="p-paper__dropoff"', 1)[1]
    for place in PLACES:
        assert f"<li>{place}</li>" in end
    assert "À déposer au plus tard le dimanche 28\u00a0février 2027." in end
    assert "saisi le" in end.split('class="p-paper__staff"', 1)[1]  # for mediators


def test_without_places_the_organizer_is_where_answers_go() -> None:
    html = _paper(dropoff=[], closes=None)
    end = html.split('class="p-paper__dropoff"', 1)[1]
    assert "<li>Ville de Belval, 1 place de la Mairie, 77000 Belval</li>" in end
    assert "au plus tard" not in end
    nobody = replace(SITE, organizer_name="", organizer_address=None)
    assert "<ul>" not in _paper(dropoff=[], site=nobody).split('class="p-paper__dropoff"')[1]


def test_the_closing_day_in_words() -> None:
    english = render_paper(FORM, catalogue=EN, site=replace(SITE, language="en"),
                           online_url=None, help_url=None, dropoff=PLACES, closes=date(2027, 3, 1))
    assert "Hand it in by Monday 1\u00a0March 2027 at the latest." in english
    custom = _paper(format_date=lambda day: day.isoformat())
    assert "À déposer au plus tard le 2027-02-28." in custom


# --- print, in Chromium -----------------------------------------------------------------------

PRINT_FACTS = """(fiveMm) => {
  const width = document.documentElement.clientWidth;
  const tooWide = [], smallBoxes = [], notBlack = [], smallText = [];
  const describe = (el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : "");
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width && (box.left < -0.5 || box.right > width + 0.5)) tooWide.push(describe(el));
    const style = getComputedStyle(el);
    const ownText = Array.from(el.childNodes).some(
      (n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (ownText && style.display !== "none") {
      if (style.color !== "rgb(0, 0, 0)") notBlack.push(describe(el) + " " + style.color);
      const least = el.closest(".p-paper__code") ? 8 : 11;  // points
      if (parseFloat(style.fontSize) < least * 96 / 72 - 0.01)
        smallText.push(describe(el) + " " + style.fontSize);
    }
  }
  for (const el of document.querySelectorAll(".p-paper__box")) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width < fiveMm || box.height < fiveMm || style.borderTopStyle !== "solid"
        || style.borderTopColor !== "rgb(0, 0, 0)")
      smallBoxes.push([box.width, box.height, style.borderTopStyle]);
  }
  const questions = Array.from(document.querySelectorAll(".p-paper__q"));
  return {
    scrollWidth: document.documentElement.scrollWidth, width, tooWide, smallBoxes, notBlack,
    smallText, boxes: document.querySelectorAll(".p-paper__box").length,
    background: getComputedStyle(document.body).backgroundColor,
    htmlBackground: getComputedStyle(document.documentElement).backgroundColor,
    questions: questions.length,
    splittable: questions.filter((q) => getComputedStyle(q).breakInside !== "avoid").length,
    screenOnly: Array.from(document.querySelectorAll(".p-paper__screen"))
      .filter((el) => el.checkVisibility()).length,
    introLinks: Array.from(document.querySelectorAll(".p-paper__intro a"))
      .map((a) => getComputedStyle(a, "::after").content),
  };
}"""


@pytest.fixture(scope="module")
def paper_site(tmp_path_factory: pytest.TempPathFactory, paper: str) -> Path:
    """The paper pages as a built site would hold them (``papier/<form id>/index.html``)."""
    site = tmp_path_factory.mktemp("paper-site")
    pages = {
        "papier/avis-place/index.html": paper,
        "paper/avis-place/index.html": render_paper(
            FORM, catalogue=AR, site=SITE_AR, online_url="../../avis/", help_url=None,
            dropoff=PLACES, closes=CLOSES),
    }
    for name, html in pages.items():
        (site / name).parent.mkdir(parents=True)
        (site / name).write_text(html, encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def browser_page(browser: Browser, paper_site: Path) -> Iterator[tuple[Page, str]]:
    with serve_site(paper_site) as base_url:
        page = browser.new_page(viewport=A4_AT_96_DPI, java_script_enabled=True)
        try:
            yield page, base_url
        finally:
            page.close()


@pytest.mark.browser
def test_the_paper_version_prints_on_a4_in_black_and_white(
    browser_page: tuple[Page, str],
) -> None:
    page, base_url = browser_page
    page.set_viewport_size(A4_AT_96_DPI)
    page.goto(base_url + "papier/avis-place/")
    page.emulate_media(media="print")
    try:
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / "paper-print.png"), full_page=True)
        facts = page.evaluate(PRINT_FACTS, FIVE_MM)
        pdf = page.pdf(format="A4")
        (ARTEFACTS / "paper-print.pdf").write_bytes(pdf)  # the real pages, to look at
    finally:
        page.emulate_media(media="screen")
    assert facts["scrollWidth"] <= facts["width"], facts["tooWide"]
    assert not facts["tooWide"], f"wider than the page: {facts['tooWide'][:8]}"
    assert facts["boxes"] == sum(len(f.options) or len(f.steps) for f in FORM.fields) + 1
    assert not facts["smallBoxes"], f"boxes under 5 mm or not drawn: {facts['smallBoxes'][:8]}"
    assert not facts["notBlack"], f"text that is not black: {facts['notBlack'][:8]}"
    assert not facts["smallText"], f"text under 11pt (codes 8pt): {facts['smallText'][:8]}"
    assert facts["background"] in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    assert facts["htmlBackground"] == "rgb(255, 255, 255)"
    assert facts["questions"] == len(FORM.fields)
    assert facts["splittable"] == 0, "a question may break across pages"
    assert facts["screenOnly"] == 0, "on paper, links and the print tip are useless"
    assert facts["introLinks"] == ['" (https://belval.example/projet/)"'], "printed address"

    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert 1 <= pages <= 4, f"{pages} A4 pages for {len(FORM.fields)} questions"


@pytest.mark.browser
def test_the_paper_version_reads_on_a_phone(browser_page: tuple[Page, str]) -> None:
    """On screen it is a page like the others: reflows at 320 px, links shown and 44 px tall."""
    page, base_url = browser_page
    for path in ("papier/avis-place/", "paper/avis-place/"):
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(base_url + path)
        facts = page.evaluate(PRINT_FACTS, FIVE_MM)
        assert facts["scrollWidth"] <= facts["width"], (path, facts["tooWide"])
        assert facts["screenOnly"] == 2, path  # the links and the print tip
        heights = page.eval_on_selector_all(
            ".p-paper__links a", "links => links.map(a => a.getBoundingClientRect().height)")
        assert heights and min(heights) >= 44, heights


@pytest.mark.pa11y
def test_the_paper_version_passes_pa11y(paper_site: Path, tmp_path: Path) -> None:
    require_tools(pa11y=True)
    pages = built_pages(paper_site)
    assert len(pages) == 2
    with serve_site(paper_site) as base_url:
        urls = {page.url(base_url): page.file for page in pages}
        reports = run_pa11y_ci(list(urls), tmp_path)
    failed = [report for report in reports.values() if report.failed]
    assert not failed, describe_failures(list(reports.values()), lambda url: urls[url])
