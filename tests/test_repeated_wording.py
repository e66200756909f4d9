"""Words a form repeats after the theme ("(facultatif)", "Plusieurs réponses possibles", the
most boxes, the longest answer): a warning with the line of the key, not a page saying it twice."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from site_builder.errors import Problem
from site_builder.forms import located
from site_builder.forms.parse import parse_form
from site_builder.forms.repeated_wording import repeated_wording
from site_builder.i18n import Catalogue
from site_builder.messages import speaking
from tests.support import build_site, write_site

FORM = """\
id: avis
title: Votre avis
fields:
  - id: quartier
    type: text
    label: {label}
  - id: usages
    type: choices
    label: Que faites-vous sur la place ?
    hint: {hint}
    options: [Marché, Passage, Terrasse]
    max: 2
"""


def warnings(label: str = "Votre quartier", hint: str = "Vos usages habituels.",
             language: str = "fr", extra: str = "") -> list[Problem]:
    data = located.load(FORM.format(label=label, hint=hint) + extra)
    form, problems = parse_form(data, file="avis.md", line=10)
    assert form is not None, problems
    with speaking(language):
        return repeated_wording(form, data, file="avis.md", line=10,
                                catalogue=Catalogue.for_language(language))


def test_plain_words_get_no_warning() -> None:
    assert warnings() == []


@pytest.mark.parametrize("label", ["Votre quartier (facultatif)", "Votre quartier (Facultatif)",
                                   "Votre quartier, facultatif", "Votre quartier (obligatoire)"])
def test_a_label_ending_with_the_themes_marker_is_warned_at_its_line(label: str) -> None:
    [warning] = warnings(label=label)
    assert (warning.file, warning.line, warning.field) == ("avis.md", 16, "avis/quartier/label")
    assert warning.message.startswith("l'intitulé finit par « (")
    assert "retirez « (" in warning.fix


def test_the_marker_is_the_sites_language() -> None:
    assert warnings(label="Your area (optional)") == []  # a French site writes "(facultatif)"
    [warning] = warnings(label="Your area (optional)", language="en")
    assert warning.message == ("the label ends with '(optional)', which the form already writes "
                               "after the label")
    assert warnings(label="Votre quartier (facultatif)", language="en") == []


@pytest.mark.parametrize("hint", ["Plusieurs réponses possibles.", "Deux réponses au plus.",
                                  "2 au maximum", "Cochez-en deux."])
def test_a_hint_repeating_several_answers_or_the_most_is_warned(hint: str) -> None:
    [warning] = warnings(hint=hint)
    assert (warning.line, warning.field) == (20, "avis/usages/hint")
    assert warning.message == ("l'aide répète ce que le formulaire écrit déjà sous la question : "
                               "« Plusieurs réponses possibles\u00a0: 2 au maximum. »")


def test_a_hint_repeating_the_longest_answer_is_warned() -> None:
    data = located.load("id: avis\ntitle: Avis\nfields:\n  - id: idee\n    type: textarea\n"
                        "    label: Votre idée\n    hint: 2 000 caractères maximum.\n")
    form, _ = parse_form(data, file="avis.md", line=0)
    assert form is not None
    with speaking("en"):
        [warning] = repeated_wording(form, data, file="avis.md", line=0,
                                     catalogue=Catalogue.for_language("fr"))
    assert warning.line == 7
    assert warning.message.startswith("the hint repeats what the form already writes under the "
                                      "question: '2\u202f000\u00a0caractères au maximum.'")


def test_an_intro_repeating_several_answers_is_warned() -> None:
    [warning] = warnings(extra="intro: Plusieurs réponses possibles à certaines questions.\n")
    assert (warning.line, warning.field) == (23, "avis/intro")


PAGE = "# Avis\n\n```form\n" + FORM.format(label="Votre quartier (facultatif)",
                                         hint="Vos usages.") + "```\n"


def test_a_build_warns_and_goes_on_without_strict(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = write_site(tmp_path, {"index.md": PAGE})
    site = build_site(config, tmp_path / "site", strict=False)
    assert (site / "index.html").is_file()
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warning.startswith("index.md:9: [avis/quartier/label] l'intitulé finit par "
                              "« (facultatif) »")
    with pytest.raises(Abort):
        build_site(config, tmp_path / "strict")
