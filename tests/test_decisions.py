"""What was decided (``site_builder.results.decisions``): the ``decisions`` of a results page,
read from its front matter or a file beside it, every problem located (file, line, field) and
said with a fix, and the "Ce qui a été décidé" section they make (goldens)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from mkdocs.utils.meta import get_data

from site_builder.errors import Problem
from site_builder.i18n import Catalogue
from site_builder.results import anchors
from site_builder.results.decisions import (
    STATUSES,
    Decision,
    Reference,
    decisions_html,
    read_decisions,
)
from site_builder.results.file import (
    FreeTextResult,
    OptionResult,
    QuestionResult,
    Quote,
    ResultsFile,
)
from tests.support import assert_golden

FR = Catalogue.for_language("fr")
RESULTS = ResultsFile(
    form_id="avis-centre", title="Le centre-ville", computed_at=datetime(2027, 3, 2, tzinfo=UTC),
    min_count=5, answers=120, per_channel={"online": 100, "paper": 20},
    per_day={date(2027, 3, 1): 120},
    questions=(QuestionResult("transport", "Comment venez-vous au centre-ville ?", "choice",
                              (OptionResult("velo", "À vélo", 60),
                               OptionResult("voiture", "En voiture", 60)), 0, 0, 0),),
    free_text=(FreeTextResult("idees", "Vos idées pour le centre", 80, 40, 40, 30,
                              {"off-topic": 10}, 0),),
    quotes=(Quote("idees", "Plus d'arceaux.", "Vélos"),
            Quote("idees", "Des places pour livrer.", "Stationnement"),
            Quote("idees", "Des vélos en libre service.", "vélos")),  # shares Vélos' anchor
)
PAGE = """\
---
type: results
form: avis-centre
decisions:
  - title: Une piste cyclable rue Haute
    status: adopted
    date: 2027-04-12
    reason: La moitié des personnes qui ont répondu viennent à vélo.
    about:
      - question: transport
      - theme: Vélos
      - participation
  - title: Le parking de la gare
    status: adapted
    date: 2027-04-12
    reason: |
      Il reste payant, mais la première heure devient gratuite.

      Les commerçants l'avaient demandé.
    about:
      - theme: vélos
      - question: idees
  - title: Fermer la rue du Marché aux voitures
    status: rejected
    date: 2027-04-13
    reason: Les livraisons n'auraient plus d'accès.
  - title: Des bancs place de la Mairie
    status: under study
    date: 2027-04-14
    reason: Nous étudions les emplacements avec les habitants.
---
# Ce que vous nous avez dit

Merci à toutes et à tous.
"""


def _read(page: str, tmp_path: Path, *, results: ResultsFile | None = RESULTS,
          meta: dict[str, Any] | None = None, src: str = "resultats.md",
          files: dict[str, str] | None = None) -> tuple[tuple[Decision, ...], list[Problem]]:
    """``page`` read as MkDocs gives it (its front matter as ``meta``) from a docs folder with
    ``files`` beside it."""
    for name, text in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return read_decisions(get_data(page)[1] if meta is None else meta, page_src=src,
                          page_text=page, docs_dir=tmp_path, results=results)


def _located(problems: list[Problem]) -> list[tuple[str | None, int | None, str | None]]:
    return [(problem.file, problem.line, problem.field) for problem in problems]


# --- reading ------------------------------------------------------------------------------------

def test_the_front_matter_gives_every_decision(tmp_path: Path) -> None:
    decisions, problems = _read(PAGE, tmp_path)
    assert problems == []
    assert [decision.status for decision in decisions] == list(STATUSES)
    first = decisions[0]
    assert first == Decision(
        "Une piste cyclable rue Haute", "adopted", date(2027, 4, 12),
        "La moitié des personnes qui ont répondu viennent à vélo.",
        (Reference("question", "transport"), Reference("theme", "Vélos"),
         Reference("participation", "")))
    assert decisions[1].reason.startswith("Il reste payant") and "\n\n" in decisions[1].reason


def test_a_file_beside_the_page_gives_the_same_decisions(tmp_path: Path) -> None:
    body = PAGE.split("decisions:\n", 1)[1].split("---\n", 1)[0]
    listed = "\n".join(line[2:] for line in body.splitlines()) + "\n"
    page = "---\ntype: results\nform: avis-centre\ndecisions: decisions.yml\n---\n# R\n"
    from_file, problems = _read(page, tmp_path, src="bilan/index.md",
                                files={"bilan/decisions.yml": listed})
    assert problems == []
    assert from_file == _read(PAGE, tmp_path)[0]


@pytest.mark.parametrize("written", ["decisions: []", "decisions:"])
def test_no_decision_yet_is_no_problem_and_no_section(tmp_path: Path, written: str) -> None:
    decisions, problems = _read(f"---\ntype: results\n{written}\n---\n# R\n", tmp_path)
    assert (decisions, problems) == ((), [])
    assert decisions_html(decisions, catalogue=FR, results=RESULTS) == ""


def test_a_page_without_decisions_has_none(tmp_path: Path) -> None:
    assert _read("---\ntype: results\n---\n# R\n", tmp_path) == ((), [])


def test_an_empty_decisions_file_has_none(tmp_path: Path) -> None:
    page = "---\ndecisions: decisions.yml\n---\n"
    assert _read(page, tmp_path, files={"decisions.yml": "# rien encore\n"}) == ((), [])


def test_without_results_only_the_shape_of_about_is_checked(tmp_path: Path) -> None:
    page = PAGE.replace("question: transport", "question: inconnue")
    decisions, problems = _read(page, tmp_path, results=None)
    assert problems == [] and decisions[0].about[0] == Reference("question", "inconnue")


def test_theme_anchors_follow_the_quotes_and_never_collide() -> None:
    assert anchors.theme_anchors(RESULTS) == {"Vélos": "theme-velos", "Stationnement":
                                      "theme-stationnement", "vélos": "theme-velos-2"}


# --- the section --------------------------------------------------------------------------------

def test_the_section_matches_its_golden(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    html = decisions_html(_read(PAGE, tmp_path)[0], catalogue=FR, results=RESULTS)
    assert_golden("results/decisions-every-status.html", html, request)
    assert html.startswith('<section class="p-decisions" aria-labelledby="ce-qui-a-ete-decide">'
                           '\n<h2 id="ce-qui-a-ete-decide">Ce qui a été décidé</h2>')
    for words in ("Décision\u00a0: adoptée", "Décision\u00a0: adaptée",
                  "Décision\u00a0: non retenue", "Décision\u00a0: à l\u2019étude</strong>, "
                  "depuis le mercredi 14\u00a0avril 2027"):
        assert words in html
    assert '<a href="#question-transport">la question «\u00a0Comment venez-vous' in html
    assert '<a href="#theme-velos-2">le thème «\u00a0vélos\u00a0»</a>' in html
    assert '<a href="#participation">la participation</a>' in html
    # Its quotes all have a theme: the page gives the question no id, so no link leads there.
    assert ", la question «\u00a0Vos idées pour le centre\u00a0»</p>" in html


def test_a_free_text_question_is_linked_where_its_quotes_are() -> None:
    results = replace(RESULTS, quotes=(Quote("idees", "Plus d'arceaux."),))
    decision = Decision("T", "adopted", date(2027, 4, 12), "R.",
                        (Reference("question", "idees"),))
    html = decisions_html([decision], catalogue=FR, results=results)
    assert ('<a href="#question-idees">la question «\u00a0Vos idées pour le centre\u00a0»</a>'
            in html)


def test_a_question_quoting_a_sentence_keeps_its_own_quotation_marks() -> None:
    quoting = QuestionResult("ombre", "« Il faut plus d'ombre. »", "scale", (), 0, 0, 0)
    results = replace(RESULTS, questions=(*RESULTS.questions, quoting))
    decision = Decision("T", "adopted", date(2027, 4, 12), "R.",
                        (Reference("question", "ombre"),))
    html = decisions_html([decision], catalogue=FR, results=results)
    assert "la question « Il faut plus d'ombre. »</a>" in html
    assert "« «" not in html


def test_in_english_and_arabic_the_words_follow_the_page(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    decisions = _read(PAGE, tmp_path)[0]
    english = decisions_html(decisions[2:3], catalogue=Catalogue.for_language("en"),
                             results=RESULTS)
    assert "<h2 id=\"ce-qui-a-ete-decide\">What was decided</h2>" in english
    assert "Decision: not taken forward</strong>, on Tuesday 13\u00a0April 2027" in english
    arabic = decisions_html(decisions[:1], catalogue=Catalogue.for_language("ar"),
                            results=RESULTS)
    assert_golden("results/decisions-arabic.html", arabic, request)


def test_without_results_the_references_are_words_without_links(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    html = decisions_html(_read(PAGE, tmp_path, results=None)[0][:2], catalogue=FR,
                          results=None)
    assert_golden("results/decisions-no-results.html", html, request)
    assert "<a " not in html
    assert "la question «\u00a0transport\u00a0»" in html  # the id: no label without results


def test_everything_the_organizer_wrote_is_escaped(request: pytest.FixtureRequest) -> None:
    hostile = Decision('<script>alert("x")</script> & co', "adopted", date(2027, 4, 12),
                       "Une <b>raison</b> & un \"guillemet\"",
                       (Reference("theme", "<i>thème</i>"), Reference("question", '"><x')))
    results = replace(RESULTS, quotes=(Quote("idees", "x", "<i>thème</i>"),))
    html = decisions_html([hostile], catalogue=FR, results=results)
    assert_golden("results/decisions-escaped.html", html, request)
    assert "<script" not in html and "<b>" not in html and "<i>" not in html
    assert "<h3>&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; co</h3>" in html
