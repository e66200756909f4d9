"""A paper sheet as typed in (site_builder/collector/paper_check.py): paper allows what the web
form forbids (blanks, out-of-range numbers, a spoiled answer), the data-entry form's structure
is as strict as the online one's, and a typist's slip is a message at the question, in the
page's language. Also: the names only the mediators' pages send stay refused online."""

from __future__ import annotations

from typing import Any

import pytest

from site_builder.collector.body import Refusal
from site_builder.collector.paper_check import BLANK, CheckedSheet, check_sheet
from site_builder.collector.validate import check, read_submission
from site_builder.forms.model import Form
from site_builder.forms.parse import parse_form
from site_builder.forms.posted import BLANK_VALUE
from site_builder.i18n import Catalogue
from site_builder.storage.base import MARKS

FR = Catalogue.for_language("fr")
EN = Catalogue.for_language("en")
AR = Catalogue.for_language("ar")

SHEET: dict[str, Any] = {
    "id": "avis-place",
    "title": "Donnez votre avis",
    "fields": [
        {"id": "frequence", "type": "choice", "label": "Fréquence ?", "required": True,
         "options": [{"value": "jour", "label": "Tous les jours"}, "Rarement"]},
        {"id": "usages", "type": "choices", "label": "Usages ?", "min": 2, "max": 3,
         "options": ["Marché", "Promenade", "Jeux", "Amis"]},
        {"id": "accord", "type": "scale", "label": "D'accord ?", "min": 1, "max": 5},
        {"id": "quartier", "type": "select", "label": "Quartier", "options": ["Centre", "Gare"]},
        {"id": "idee", "type": "text", "label": "Votre idée", "required": True,
         "max_length": 20},
        {"id": "remarques", "type": "textarea", "label": "Remarques"},
        {"id": "age", "type": "number", "label": "Âge", "min": 0, "max": 120},
        {"id": "courriel", "type": "email", "label": "Courriel"},
        {"id": "publication", "type": "consent", "label": "J'accepte", "required": True},
    ],
}
IDS = [field["id"] for field in SHEET["fields"]]


def sheet_form() -> Form:
    form, problems = parse_form(SHEET, file="test.md", line=1)
    assert form is not None, problems
    return form


FORM = sheet_form()


def typed(answers: dict[str, list[str]], spoiled: list[str] | None = None,
          words: Catalogue = FR) -> CheckedSheet:
    return check_sheet(FORM, answers, spoiled or [], words)


# --- what paper allows ---------------------------------------------------------------------------

def test_an_empty_sheet_is_every_question_blank_required_ones_too() -> None:
    checked = typed({})
    assert checked.ok and checked.errors == {}
    assert checked.values == {}
    assert checked.marks == dict.fromkeys(IDS, BLANK)
    assert set(checked.marks.values()) <= set(MARKS)
    online = check(FORM, {}, FR)
    assert set(online.errors) == {"frequence", "idee", "publication"}  # what paper allows


def test_an_answer_of_spaces_or_the_lists_first_line_is_blank() -> None:
    checked = typed({"idee": ["   "], "quartier": [""], "remarques": ["\r\n"]})
    assert checked.ok
    assert {key: checked.marks[key] for key in ("idee", "quartier", "remarques")} == dict.fromkeys(
        ("idee", "quartier", "remarques"), BLANK)
    assert checked.values_as_entered == {"idee": ["   "], "quartier": [""], "remarques": ["\n"]}


def test_the_no_answer_radio_is_the_blank_mark_never_a_value() -> None:
    checked = typed({"frequence": [BLANK_VALUE], "accord": [BLANK_VALUE], "age": ["12"]})
    assert checked.ok
    assert checked.values == {"age": ["12"]}
    assert checked.marks["frequence"] == BLANK and checked.marks["accord"] == BLANK
    # Shown again after a slip elsewhere, the screen chooses "No answer (blank)" again.
    assert checked.values_as_entered == {"frequence": [""], "accord": [""], "age": ["12"]}


def test_a_choice_typed_by_mistake_then_taken_back_is_stored_as_blank() -> None:
    # The typist arrowed onto "Chaque semaine", then on to "No answer (blank)": a radio group
    # sends its last choice only, so the sheet reads exactly as one left blank.
    slipped = typed({"frequence": ["jour"], "accord": ["3"]})
    assert slipped.values == {"frequence": ["jour"], "accord": ["3"]}
    corrected = typed({"frequence": [BLANK_VALUE], "accord": [BLANK_VALUE]})
    left_empty = typed({})
    assert corrected.values == left_empty.values == {}
    assert corrected.marks == left_empty.marks == dict.fromkeys(IDS, BLANK)


def test_the_no_answer_radio_and_the_spoiled_box_make_the_question_spoiled() -> None:
    checked = typed({"frequence": [BLANK_VALUE]}, spoiled=["frequence"])
    assert checked.ok  # no answer typed: nothing contradicts the box
    assert checked.marks["frequence"] == "spoiled" and "frequence" not in checked.values


def test_a_spoiled_question_is_marked_and_keeps_no_value() -> None:
    checked = typed({"accord": ["4"]}, spoiled=["frequence", "usages"])
    assert checked.ok
    assert checked.values == {"accord": ["4"]}
    assert checked.marks["frequence"] == "spoiled" and checked.marks["usages"] == "spoiled"
    assert "accord" not in checked.marks
    assert list(checked.marks) == [i for i in IDS if i != "accord"]  # in the form's order


def test_what_is_written_is_stored_as_typed() -> None:
    answers = {"frequence": ["jour"], "usages": ["Marché"], "accord": ["5"],
               "quartier": ["Gare"], "idee": [" Des bancs "], "remarques": ["Un\r\ndeux"],
               "age": ["134"], "courriel": ["moi chez exemple"], "publication": ["yes"]}
    checked = typed(answers)
    # One box where two were asked for, a number out of range, an address without "@": what
    # the person wrote, kept; the online form would have refused each.
    assert checked.ok, checked.errors
    assert checked.marks == {}
    assert checked.values == {**answers, "remarques": ["Un\ndeux"]}
    assert list(checked.values) == IDS
    assert set(check(FORM, answers, FR).errors) == {"usages", "age", "courriel"}


@pytest.mark.parametrize("number", ["2,5", "-3", "1 000", "٣", "+4"])
def test_any_number_is_what_the_person_wrote(number: str) -> None:
    checked = typed({"age": [number]})
    assert checked.ok
    assert checked.values == {"age": [number]}


# --- a typist's slips -----------------------------------------------------------------------------

def test_letters_in_a_number_are_a_slip() -> None:
    checked = typed({"age": ["douze"]})
    assert not checked.ok
    assert checked.errors == {"age": "Tapez en chiffres le nombre écrit à la question «\u00a0Âge"
                                     "\u00a0», ou cochez «\u00a0Illisible ou nul\u00a0» "
                                     "s\u2019il ne se lit pas."}
    assert checked.values_as_entered == {"age": ["douze"]}
    english = typed({"age": ["douze"]}, words=EN)
    assert english.errors["age"] == ("Type the number written for the question “Âge” in "
                                     "figures, or tick “Unreadable or spoiled” if it cannot be "
                                     "read.")


def test_an_answer_typed_and_ticked_spoiled_is_a_slip() -> None:
    checked = typed({"idee": ["Des bancs"], "frequence": ["jour"]}, spoiled=["idee", "frequence"])
    assert set(checked.errors) == {"idee", "frequence"}
    assert checked.errors["idee"] == ("Effacez la réponse ou décochez «\u00a0Illisible ou nul"
                                      "\u00a0» à la question «\u00a0Votre idée\u00a0»\u00a0: "
                                      "l\u2019un ou l\u2019autre.")
    assert checked.marks["idee"] == "spoiled"  # the screen shows the box still ticked
    assert "idee" not in checked.values
    english = typed({"idee": ["Des bancs"]}, spoiled=["idee"], words=EN)
    assert english.errors["idee"] == ("Clear the answer or untick “Unreadable or spoiled” for "
                                      "the question “Votre idée”: one or the other.")


def test_more_boxes_than_allowed_is_a_slip_to_mark_spoiled() -> None:
    checked = typed({"usages": ["Marché", "Promenade", "Jeux", "Amis"]})
    assert checked.errors["usages"] == (
        "Décochez les cases et cochez «\u00a0Illisible ou nul\u00a0» à la question «\u00a0"
        "Usages ?\u00a0»\u00a0: la feuille a plus de cases cochées que permis. Plusieurs "
        "réponses possibles\u00a0: de 2 à 3.")
    english = typed({"usages": ["Marché", "Promenade", "Jeux", "Amis"]}, words=EN)
    assert english.errors["usages"].startswith("Untick the boxes and tick “Unreadable or "
                                               "spoiled” for the question “Usages ?”: the sheet "
                                               "has more boxes ticked than allowed.")
    assert typed({"usages": ["Marché", "Promenade", "Jeux"]}).ok
    assert typed({}, spoiled=["usages"]).ok  # what the message asks for


@pytest.mark.parametrize(("question", "value", "count"), [
    ("idee", "x" * 21, "21"), ("remarques", "x" * 2001, "2\u202f001"),
    ("courriel", "a@" + "b" * 253 + ".fr", "258"), ("age", "1" * 51, "51"),
])
def test_more_characters_than_any_answer_holds_is_a_slip(
    question: str, value: str, count: str
) -> None:
    checked = typed({question: [value]})
    assert list(checked.errors) == [question]
    assert checked.errors[question].startswith(f"Vous avez tapé {count}\u00a0caractères à la "
                                               "question «\u00a0")
    assert checked.errors[question].endswith("Si la réponse écrite est plus longue, cochez "
                                             "«\u00a0Illisible ou nul\u00a0».")
    english = typed({question: [value]}, words=EN)
    assert english.errors[question].startswith("You typed ")
    assert typed({question: [value[:20]]}).ok


def test_slips_are_said_in_arabic_too() -> None:
    checked = typed({"age": ["douze"], "idee": ["x"]}, spoiled=["idee"], words=AR)
    assert "غير مقروء أو لاغٍ" in checked.errors["age"]
    assert "«Votre idée»" in checked.errors["idee"]


# --- what the data-entry form cannot send ---------------------------------------------------------

@pytest.mark.parametrize(("answers", "spoiled", "reason"), [
    ({"couleur": ["bleu"]}, [], "field 'couleur' is no question of the form 'avis-place'"),
    ({"frequence": ["souvent"]}, [], "'souvent' is not one of its options"),
    ({"accord": ["6"]}, [], "'6' is not one of its options"),
    ({"quartier": ["Nord"]}, [], "'Nord' is not one of its options"),
    ({"publication": ["oui"]}, [], "'oui' is not one of its options"),
    ({"frequence": ["jour", "rarement"]}, [], "field 'frequence' of the form 'avis-place' "
                                              "repeated"),
    ({"frequence": ["", "jour"]}, [], "field 'frequence' of the form 'avis-place' repeated"),
    ({"usages": [""]}, [], "'' is not one of its options"),
    ({"usages": ["Jeux", "Jeux"]}, [], "the same option twice"),
    ({"idee": ["deux\nlignes"]}, [], "a line break in a one-line field"),
    ({}, ["couleur"], "field '_spoiled' names 'couleur', no question of the form 'avis-place'"),
    ({}, ["idee", "idee"], "field '_spoiled' names 'idee' twice in the form 'avis-place'"),
], ids=["unknown name", "no option", "no step", "not in the list", "consent value",
        "one answer twice", "no answer and an answer", "no answer among boxes",
        "same box twice", "line break", "spoiled unknown", "spoiled twice"])
def test_what_the_entry_form_cannot_send_is_refused(
    answers: dict[str, list[str]], spoiled: list[str], reason: str
) -> None:
    with pytest.raises(Refusal) as refused:
        typed(answers, spoiled)
    assert reason in refused.value.reason
    assert refused.value.status == 400


# --- the names only mediators' pages send ---------------------------------------------------------

BASE = [("_form", "avis-place"), ("_version", FORM.version), ("idee", "Des bancs")]


@pytest.mark.parametrize("name", ["_csrf", "_spoiled"])
def test_the_public_form_cannot_send_the_mediators_names(name: str) -> None:
    with pytest.raises(Refusal, match=f"field '{name}': only the mediators' pages send it"):
        read_submission([*BASE, (name, "idee")])


@pytest.mark.parametrize("question", ["frequence", "accord"])
def test_the_public_form_cannot_send_the_no_answer_radio(question: str) -> None:
    # Only the data-entry form offers it; online the empty value is no option of the question.
    with pytest.raises(Refusal, match="'' is not one of its options"):
        check(FORM, {question: [BLANK_VALUE], "idee": ["Des bancs"]}, FR)
    with pytest.raises(Refusal, match="'' is not one of its options"):
        check(FORM, read_submission([*BASE, (question, BLANK_VALUE)]).answers, FR)


def test_an_answer_without_them_reads_as_before() -> None:
    assert read_submission(BASE).answers == {"idee": ["Des bancs"]}
