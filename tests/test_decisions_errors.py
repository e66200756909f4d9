"""Every mistake in a results page's ``decisions`` is reported at once, each with its file, line
and field path (``decisions[2].status``, counted from 1) and a fix, in the organizer's
language: in the front matter, and in a decisions file beside the page."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from site_builder.errors import Problem
from site_builder.messages import speaking
from site_builder.results.decisions import Decision, read_decisions
from tests.test_decisions import RESULTS, _read

EVERY_MISTAKE = """\
---
type: results
form: avis-centre
decisions:
  - title: Une piste cyclable
    statut: adopted
    date: "2027-02-30"
    reason: Parce que.
  - Des bancs
  - title: ""
    status: adoptée
    date: 12 avril
    reason: 12
    about: transport
  - title: Le parking
    status: under study
    date: 2027-04-12 10:00:00
    reason: Étude.
    about:
      - question: transprot
      - theme: velos
      - questions: transport
      - 3
      - theme: Inconnu
  - title: Deux fois
    title: Encore
    status: maybe
    date: 2027-04-12
    reason: Oui.
  - about: [participation]
  - title: Juste
    status: rejected
    date: 2027-04-12
    reason: Tout va bien ici.
    about:
      - participation:
---
# Résultats
"""


def _problems(tmp_path: Path, language: str = "fr") -> tuple[tuple[Decision, ...],
                                                              list[Problem]]:
    with speaking(language):
        return _read(EVERY_MISTAKE, tmp_path)


def test_every_mistake_is_located_at_once(tmp_path: Path) -> None:
    decisions, problems = _problems(tmp_path)
    assert [decision.title for decision in decisions] == ["Juste"]  # the right one is kept
    assert [(problem.file, problem.line, problem.field) for problem in problems] == [
        ("resultats.md", 6, "decisions[1].statut"),
        ("resultats.md", 5, "decisions[1].status"),
        ("resultats.md", 7, "decisions[1].date"),
        ("resultats.md", 9, "decisions[2]"),
        ("resultats.md", 10, "decisions[3].title"),
        ("resultats.md", 13, "decisions[3].reason"),
        ("resultats.md", 11, "decisions[3].status"),
        ("resultats.md", 12, "decisions[3].date"),
        ("resultats.md", 14, "decisions[3].about"),
        ("resultats.md", 17, "decisions[4].date"),
        ("resultats.md", 20, "decisions[4].about[1].question"),
        ("resultats.md", 21, "decisions[4].about[2].theme"),
        ("resultats.md", 22, "decisions[4].about[3].questions"),
        ("resultats.md", 23, "decisions[4].about[4]"),
        ("resultats.md", 24, "decisions[4].about[5].theme"),
        ("resultats.md", 26, "decisions[5].title"),
        ("resultats.md", 27, "decisions[5].status"),
        ("resultats.md", 30, "decisions[6].title"),
        ("resultats.md", 30, "decisions[6].status"),
        ("resultats.md", 30, "decisions[6].date"),
        ("resultats.md", 30, "decisions[6].reason"),
    ]


def test_each_mistake_says_what_and_how_to_fix_it_in_french(tmp_path: Path) -> None:
    said = [(problem.message, problem.fix) for problem in _problems(tmp_path)[1]]
    expected = [
        ("la décision 1 (« Une piste cyclable ») a une clé inconnue : statut",
         "vouliez-vous dire « status » ?"),
        ("la décision 1 (« Une piste cyclable ») n'a pas de status", "ajoutez `status:`"),
        ("la date de la décision 1 (« Une piste cyclable ») vaut '2027-02-30', qui n'est pas "
         "un jour écrit AAAA-MM-JJ", "comme 2027-04-12"),
        ("la décision 2 vaut 'Des bancs', qui n'est pas une décision", "`title:`, `status:`"),
        ("title de la décision 3 vaut '', qui n'est pas du texte", "ajoutez `title:`"),
        ("reason de la décision 3 vaut 12, qui n'est pas du texte", "ajoutez `reason:`"),
        ("le statut de la décision 3 vaut 'adoptée', que parole ne connaît pas",
         "vouliez-vous dire « adopted » ?"),
        ("la date de la décision 3 vaut '12 avril'", "AAAA-MM-JJ"),
        ("about de la décision 3 vaut 'transport', qui n'est pas une liste",
         "`- question: <identifiant de la question>`"),
        ("la date de la décision 4 (« Le parking ») vaut 2027-04-12 10:00:00", "AAAA-MM-JJ"),
        ("la décision 4 (« Le parking ») répond à la question « transprot », qui n'est pas dans "
         "les résultats du formulaire 'avis-centre'", "vouliez-vous dire « transport » ?"),
        ("la décision 4 (« Le parking ») répond au thème « velos », qu'aucune citation publiée "
         "du formulaire 'avis-centre' ne porte", "vouliez-vous dire « vélos » ?"),
        ("une référence de la décision 4 (« Le parking ») dit questions",
         "vouliez-vous dire « question » ?"),
        ("une référence de la décision 4 (« Le parking ») vaut 3, qui n'est pas une référence",
         "`- participation`"),
        ("la décision 4 (« Le parking ») répond au thème « Inconnu »",
         "tel qu'il y est écrit : Vélos, Stationnement, vélos"),
        ("la décision 5 (« Encore ») donne title deux fois (la première fois ligne 25)",
         "gardez une seule ligne `title:`"),
        ("le statut de la décision 5 (« Encore ») vaut 'maybe', que parole ne connaît pas",
         "écrivez l'un de ces statuts : adopted, adapted, rejected, under study"),
        ("la décision 6 n'a pas de title", "un titre court qui dit ce qui a été décidé"),
        ("la décision 6 n'a pas de status", "adopted (adoptée)"),
        ("la décision 6 n'a pas de date", "2027-04-12"),
        ("la décision 6 n'a pas de reason", "une ou deux phrases simples"),
    ]
    assert len(said) == len(expected)
    for (message, fix), (start, in_fix) in zip(said, expected, strict=True):
        assert message.startswith(start), message
        assert in_fix in fix, (message, fix)


def test_the_same_mistakes_are_said_in_english(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "en")[1]
    assert problems[0].message == "decision 1 (“Une piste cyclable”) has an unknown key: statut"
    assert problems[0].fix.startswith("did you mean “status”?")
    assert problems[6].message == ("the status of decision 3 is 'adoptée', which parole does "
                                   "not know")
    assert problems[14].fix.startswith("write a theme chosen during moderation")
    assert str(problems[3]).startswith("resultats.md:9: [decisions[2]] decision 2 is "
                                       "'Des bancs', not a decision\n    How to fix: ")


@pytest.mark.parametrize(("written", "guess"), [
    ("under_study", "under study"), ("à l\u2019étude", "under study"), ("Rejetée", "rejected"),
    ("non retenue", "rejected"), ("adapt", "adapted"), ("Adopted", "adopted"),
])
def test_a_status_in_other_words_gets_the_nearest(tmp_path: Path, written: str,
                                                  guess: str) -> None:
    page = f"---\ndecisions:\n  - title: T\n    status: {written}\n    date: 2027-04-12\n" \
           "    reason: R.\n---\n"
    with speaking("en"):
        (problem,) = _read(page, tmp_path)[1]
    assert (problem.line, problem.field) == (4, "decisions[1].status")
    assert problem.fix.startswith(f"did you mean “{guess}”?")


def test_decisions_that_are_not_a_list(tmp_path: Path) -> None:
    with speaking("fr"):
        (problem,) = _read("---\ntype: results\ndecisions: 3\n---\n", tmp_path)[1]
    assert (problem.file, problem.line, problem.field) == ("resultats.md", 3, "decisions")
    assert problem.message == ("decisions vaut 3, qui n'est ni une liste de décisions ni le nom "
                               "d'un fichier")


def test_a_theme_when_no_quote_has_one(tmp_path: Path) -> None:
    page = ("---\ndecisions:\n  - title: T\n    status: adopted\n    date: 2027-04-12\n"
            "    reason: R.\n    about:\n      - theme: Vélos\n---\n")
    with speaking("en"):
        (problem,) = _read(page, tmp_path, results=replace(RESULTS, quotes=()))[1]
    assert (problem.line, problem.field) == (8, "decisions[1].about[1].theme")
    assert problem.fix.startswith("no published quote has a theme")


def test_without_a_readable_front_matter_the_line_is_that_of_decisions(tmp_path: Path) -> None:
    """MkDocs' meta without lines (a page whose front matter parole cannot locate): every
    problem is on the ``decisions:`` line, still with its field."""
    meta = {"decisions": [{"title": "T", "status": "oui", "date": "2027-04-12", "reason": "R"}]}
    problems = read_decisions(meta, page_src="r.md", page_text="Titre\ndecisions: […]\n",
                              docs_dir=tmp_path, results=None)[1]
    assert [(problem.line, problem.field) for problem in problems] == [
        (2, "decisions[1].status")]


# --- a decisions file beside the page -----------------------------------------------------------

PAGE = "---\ntype: results\nform: avis-centre\ndecisions: decisions.yml\n---\n# Résultats\n"


def _from_file(tmp_path: Path, text: str, *, page: str = PAGE) -> list[Problem]:
    with speaking("fr"):
        return _read(page, tmp_path, src="bilan/index.md",
                     files={"bilan/decisions.yml": text})[1]


def test_mistakes_in_the_file_are_located_in_the_file(tmp_path: Path) -> None:
    problems = _from_file(tmp_path, "# Les décisions\n- title: T\n  status: adopted\n"
                          "  date: 2027-02-30\n  reason: R.\n  about:\n    - question: x\n")
    assert [(problem.file, problem.line, problem.field) for problem in problems] == [
        ("bilan/decisions.yml", 4, "decisions[1].date"),
        ("bilan/decisions.yml", 7, "decisions[1].about[1].question"),
    ]


def test_a_missing_file_is_said_on_the_pages_line(tmp_path: Path) -> None:
    page = PAGE.replace("decisions.yml", "decision.yml")
    (problem,) = _from_file(tmp_path, "[]\n", page=page)
    assert (problem.file, problem.line, problem.field) == ("bilan/index.md", 4, "decisions")
    assert problem.message == "le fichier de décisions bilan/decision.yml n'existe pas"
    assert "corrigez le nom écrit après `decisions:` ('decision.yml')" in problem.fix


def test_a_file_outside_the_docs_folder_is_refused(tmp_path: Path) -> None:
    page = PAGE.replace("decisions.yml", "../../secret.yml")
    (problem,) = _from_file(tmp_path, "[]\n", page=page)
    assert (problem.file, problem.line, problem.field) == ("bilan/index.md", 4, "decisions")
    assert "en dehors du dossier docs" in problem.message


def test_invalid_yaml_in_the_file_says_its_line(tmp_path: Path) -> None:
    (problem,) = _from_file(tmp_path, "- title: T\n  status: adopted\n"
                            "  reason: \"jamais fermé\n  date: 2027-04-12\n")
    assert (problem.file, problem.line) == ("bilan/decisions.yml", 3)
    assert "guillemet" in problem.message + problem.fix


def test_a_file_that_starts_with_decisions_says_to_remove_the_key(tmp_path: Path) -> None:
    (problem,) = _from_file(tmp_path, "\ndecisions:\n  - title: T\n")
    assert (problem.file, problem.line) == ("bilan/decisions.yml", 2)
    assert "retirez la ligne `decisions:`" in problem.fix


def test_a_file_that_is_not_a_list(tmp_path: Path) -> None:
    (problem,) = _from_file(tmp_path, "Une piste cyclable\n")
    assert (problem.file, problem.field) == ("bilan/decisions.yml", "decisions")
    assert problem.message.startswith("decisions vaut 'Une piste cyclable'")
