"""The generated part of a results page (site_builder/results/page.py): goldens of whole
sections, and the rules they follow (protected counts, percentages, escaping, anchors)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from itertools import pairwise
from typing import Any

import pytest

from site_builder.calendar import Calendar
from site_builder.i18n import Catalogue
from site_builder.results.file import CountedCheckpoint, ResultsFile
from site_builder.results.page import results_html
from site_builder.results.protect import SMALL
from site_builder.results.words import percent
from tests import results_page_support as samples
from tests.support import assert_golden

FR = Catalogue.for_language("fr")
CONSULTATION = Calendar(opens=samples.OPENS, closes=samples.CLOSES)
AFTER = date.fromisoformat(samples.AFTER)


def render(results: ResultsFile | None, *, today: date = AFTER, language: str = "fr",
           **options: Any) -> str:
    return results_html(results, catalogue=Catalogue.for_language(language),
                        consultation=CONSULTATION, today=today, **options)


OPEN_DATA = [("../donnees/avis-questions.csv", "Les réponses aux questions (CSV)"),
             ("../donnees/LISEZMOI.txt", "Le mode d\u2019emploi de ces fichiers (texte)")]


@pytest.mark.parametrize(("name", "results", "options"), [
    ("zero-answers", samples.empty(), {}),
    ("protected", samples.protected(),
     {"open_data_links": OPEN_DATA, "licence": "etalab-2.0"}),
    ("forty-options", samples.forty_options(), {}),
    ("quotes-by-theme", samples.quotes(themes=True), {}),
    ("quotes-by-question", samples.quotes(themes=False), {}),
    ("decisions", samples.protected(),
     {"decisions_html": '<h2 id="ce-qui-a-ete-decide">Ce qui a été décidé</h2>',
      "decision_statuses": ["adopted", "rejected", "adopted", "under study"],
      "open_data_links": OPEN_DATA, "licence": "odbl-1.0"}),
])
def test_sections_match_their_goldens(name: str, results: ResultsFile,
                                      options: dict[str, Any],
                                      request: pytest.FixtureRequest) -> None:
    assert_golden(f"results/page-{name}.html", render(results, **options), request)


SIGNED = CountedCheckpoint("ville.example.fr/parc/journal", 1250, bytes(range(32)))


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_checkpoint_counted_is_said_with_the_journal_page(
        language: str, request: pytest.FixtureRequest) -> None:
    """Issue #19: which signed state of the public journal the figures count, in plain words,
    its fingerprint grouped by 4 (as the receipt's), and the page that explains how to check."""
    html = render(replace(samples.protected(), checkpoint=SIGNED), language=language,
                  journal_url="../journal/")
    brief = html[:html.index('<h2 id="ce-que-nous-avons-entendu">')]
    assert_golden(f"results/page-journal-{language}.html", brief, request)


def test_the_journal_sentence_needs_a_checkpoint_and_links_only_an_existing_page() -> None:
    unsigned = render(samples.protected(), journal_url="../journal/")
    assert "p-journal" not in unsigned and "journal public" not in unsigned
    assert "à partir de toutes les réponses reçues" in unsigned
    signed = render(replace(samples.protected(), checkpoint=SIGNED))
    assert "à partir des réponses du journal public signé" in signed
    sentence = signed[signed.index('<p class="p-journal">'):]
    sentence = sentence[:sentence.index("</p>")]
    assert re.search("quand il comptait 1\\s250\u00a0réponses\\.", sentence)
    assert "0001 0203 0405 0607 0809 0a0b 0c0d 0e0f 1011 1213 1415 1617 1819 1a1b 1c1d 1e1f" \
        in sentence
    assert "<a " not in sentence  # a site without its journal page: nothing to link
    one = render(replace(samples.protected(), checkpoint=replace(SIGNED, size=1), answers=1),
                 language="en")
    assert "These figures count 1\u00a0answer written in the public journal of answers. " \
        "The journal was signed when it held 1\u00a0answer." in one


def test_before_closing_only_a_notice_says_when(request: pytest.FixtureRequest) -> None:
    html = render(samples.protected(), today=samples.CLOSES)
    assert_golden("results/page-notice.html", html, request)
    assert "dimanche 28\u00a0février 2027" in html
    assert "<figure" not in html and "<table" not in html
    assert render(None, today=samples.CLOSES) == html  # no results file needed yet


def test_a_form_closing_before_the_consultation_is_shown_once_it_is_closed() -> None:
    html = render(samples.protected(), today=date(2027, 2, 1), closes=date(2027, 1, 31))
    assert "<figure" in html


def test_english_and_arabic_pages_speak_their_language() -> None:
    english = render(samples.protected(), language="en")
    assert "What we heard" in english and "fewer than 5" in english
    assert "Chosen most: “Tous les jours” (45%)." in english
    arabic = render(samples.protected(), language="ar")
    assert "ما سمعناه" in arabic and "أقل من 5" in arabic


# --- what the figures say ----------------------------------------------------------------------

def test_protected_counts_have_no_bar_no_percentage_and_say_why() -> None:
    html = render(samples.protected())
    row = re.search(r'<tr><th scope="row">Chaque mois</th>.*?</tr>', html)
    assert row is not None and row.group(0).endswith("<td>moins de 5</td><td></td></tr>")
    hidden = re.search(r'<tr><th scope="row">rarement \(réponse retirée du questionnaire\)'
                       r"</th>.*?</tr>", html)
    assert hidden is not None and "<td>masqué</td><td></td>" in hidden.group(0)
    # the rule, once, with the file's own min_count, and the hidden half since one is hidden
    assert html.count("un nombre inférieur à 5 est écrit") == 1
    assert html.count("Un autre nombre est alors «\u00a0masqué\u00a0»") == 1


def test_the_rule_is_not_said_when_nothing_is_protected() -> None:
    html = render(samples.quotes(themes=True))
    assert "inférieur à" not in html and "masqué" not in html
    small_only = replace(samples.forty_options(), questions=())
    assert "Un autre nombre" not in render(replace(small_only, per_channel={
        "online": 380, "paper": SMALL, "assisted": SMALL}))


def test_percentages_are_of_every_answer_and_a_choices_question_says_so() -> None:
    html = render(samples.protected())  # 47 answers
    assert '<tr><th scope="row">Tous les jours</th><td>21</td><td>45\u00a0%</td></tr>' in html
    assert "Le plus choisi\u00a0: «\u00a0Tous les jours\u00a0» (45\u00a0%)." in html
    # two options at 30 of 47: a tie, and the total of a choices question is over 100 %
    assert ("À égalité, les plus choisis\u00a0: «\u00a0Je vais au marché du samedi\u00a0» et "
            "«\u00a0Je gare ma voiture\u00a0» (64\u00a0% chacun).") in html
    assert html.count("le total dépasse 100\u00a0%") == 1
    assert percent(1, 1000, FR) == "moins de 1\u00a0%"
    assert percent(0, 1000, FR) == "0\u00a0%"
    assert percent(SMALL, 1000, FR) == "" and percent(3, 0, FR) == ""


def test_paper_marks_are_rows_of_their_own_only_where_paper_answers_are_seen() -> None:
    html = render(samples.protected())
    assert '<th scope="row">Sans réponse (case vide sur papier)</th>' in html
    assert '<tr><th scope="row">Illisible ou nul (sur papier)</th><td>5</td>' in html
    assert "case vide" not in render(samples.forty_options())  # no paper channel
    assert '<th scope="row">Sans réponse</th><td>masqué</td>' in render(samples.forty_options())


def test_participation_in_words() -> None:
    html = render(samples.quotes(themes=True))
    assert ("<li>140\u00a0réponses, dont 100 en ligne, 30 sur papier et 10 avec "
            "l\u2019aide d\u2019un médiateur.</li>") in html
    protected = render(samples.protected())
    assert ("47\u00a0réponses, dont 31 en ligne, un nombre masqué sur papier et moins de 5 avec "
            "l\u2019aide d\u2019un médiateur.") in protected
    assert "<li>Aucune réponse.</li>" in render(samples.empty())
    assert "Personne n\u2019a répondu." in render(samples.empty())
    assert "Le jour le plus actif\u00a0: jeudi 7\u00a0janvier 2027 (20\u00a0réponses)." in protected


def test_every_text_from_the_file_is_escaped() -> None:
    html = render(samples.protected())
    assert "Mes enfants y jouent &lt;souvent&gt; &amp; &quot;fort&quot;" in html
    assert "<souvent>" not in html
    quotes = render(samples.quotes(themes=True))
    assert "Et de l'eau &lt;pour les chiens&gt;." in quotes


# --- quotes ------------------------------------------------------------------------------------

def test_quotes_are_grouped_by_theme_with_unique_anchors_then_by_question() -> None:
    html = render(samples.quotes(themes=True))
    headings = re.findall(r'<h4 id="([^"]+)">([^<]+)</h4>', html)
    assert headings == [("theme-velos-et-pietons", "Vélos et piétons"),
                        ("theme-stationnement", "Stationnement"),
                        ("theme-velos-et-pietons-2", "velos et pietons"),
                        ("question-quartier", "Dans quel quartier habitez-vous ?"),
                        ("relecture", "Comment les citations ont été choisies")]
    # a theme answering several questions says which question each quote answers
    theme = html.split('id="theme-stationnement"')[1].split("<h4")[0]
    assert theme.index("En réponse à «\u00a0Dans quel quartier") < theme.index("Les Tilleuls")
    assert theme.index("En réponse à «\u00a0Avez-vous") < theme.index("Moins de voitures")
    assert "<blockquote><p>Plus d'arbres,<br>et des bancs.</p><p>Et de l'eau" in html


def test_without_themes_quotes_follow_the_form_order_of_their_questions() -> None:
    html = render(samples.quotes(themes=False))
    headings = re.findall(r'<h4 id="([^"]+)">', html)
    assert headings == ["question-idee", "question-quartier", "relecture"]
    assert "En réponse à" not in html


def test_moderation_figures_say_every_outcome_in_words() -> None:
    html = render(samples.quotes(themes=True))
    table = html.split("<caption>Avez-vous une autre idée ?</caption>")[1].split("</table>")[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>([^<]*)</td>', table)
    assert rows == [("Réponses écrites", "120"),
                    ("Dont la personne accepte d\u2019être citée", "80"),
                    ("Publiées", "30"), ("Écartées\u00a0: hors sujet", "10"),
                    ("Écartées\u00a0: données personnelles", "3"),
                    ("Écartées\u00a0: propos injurieux", "0"), ("Écartées\u00a0: en double", "6"),
                    ("Écartées\u00a0: autre raison", "2"), ("Pas encore relues", "19")]


def test_a_form_without_consent_question_publishes_no_quote() -> None:
    results = replace(samples.quotes(themes=True), publish_consent=None, quotes=())
    html = render(results)
    assert "ne demandait pas l\u2019accord" in html and "<blockquote" not in html
    table = html.split("<caption>Avez-vous une autre idée ?</caption>")[1].split("</table>")[0]
    assert re.findall(r'<th scope="row">([^<]+)</th>', table) == ["Réponses écrites"]
    assert "Aucune citation n\u2019est publiée" in render(replace(samples.quotes(themes=True),
                                                            quotes=()))


# --- structure ---------------------------------------------------------------------------------

class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.ids: list[str] = []
        self.stack: list[str] = []
        self.figures: list[list[str]] = []
        self.inside = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(found["id"] or "")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "figure":
            self.figures.append([])
            self.inside = True
        elif self.inside and tag in ("figcaption", "svg", "details", "summary", "table",
                                      "caption"):
            self.figures[-1].append(tag)
        if tag == "svg":
            assert found.get("aria-hidden") == "true" and found.get("focusable") == "false"


@pytest.mark.parametrize("results", [samples.empty(), samples.protected(),
                                     samples.forty_options(), samples.quotes(themes=True),
                                     samples.ten_questions()], ids=lambda r: r.form_id)
def test_headings_in_order_unique_ids_and_every_figure_the_same_shape(
        results: ResultsFile) -> None:
    outline = _Outline()
    outline.feed("<h1>Résultats</h1>" + render(
        results, decisions_html='<h2 id="ce-qui-a-ete-decide">Ce qui a été décidé</h2>',
        open_data_links=OPEN_DATA))
    levels = outline.headings
    assert levels[0] == 1 and all(b <= a + 1 for a, b in pairwise(levels))
    assert len(outline.ids) == len(set(outline.ids))
    assert outline.figures and all(shape == ["figcaption", "svg", "details", "summary", "table",
                                             "caption"] for shape in outline.figures)
    for anchor in ("en-bref", "ce-que-nous-avons-entendu", "participation",
                   "ce-qui-a-ete-decide", "donnees-ouvertes"):
        assert anchor in outline.ids
