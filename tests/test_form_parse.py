"""Parsing a ```form block's YAML into the form model, and every mistake an organizer can make.

Problems are located as in a page whose ```form fence is on line ``FENCE``: the block's YAML line
``n`` (counting from 1) is line ``FENCE + n`` of the page.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from site_builder.errors import ContentError, Problem
from site_builder.forms import located
from site_builder.forms.model import (
    COMMON_KEYS,
    FIELD_TYPES,
    FORM_KEYS,
    TYPE_KEYS,
    Field,
    Form,
    Option,
)
from site_builder.forms.parse import parse_form
from site_builder.forms.type_keys import SCALE_MAX_STEPS
from site_builder.messages import speaking
from tests.support import REPO

FENCE = 10
PAGE = "consultation/place-du-marche.md"

EVERY_TYPE = """\
id: avis-place
title: Donnez votre avis sur la place du marché
intro: |
  Cinq minutes suffisent. **Aucune inscription.**

  Vos réponses restent anonymes.
submit: Envoyer mon avis
closes: 2026-12-31
fields:
  - id: prenom
    type: text
    label: Votre prénom
    hint: Facultatif, pour que l'on puisse vous répondre.
    max_length: 60
  - id: idees
    type: textarea
    label: Que changeriez-vous sur la place ?
  - id: courriel
    type: email
    label: Votre adresse électronique
  - id: age
    type: number
    label: Votre âge
    min: 0
    max: 120
  - id: distance
    type: number
    label: À combien de kilomètres habitez-vous ?
    min: 0.5
    integer: false
  - id: frequence
    type: choice
    label: À quelle fréquence passez-vous sur la place ?
    hint: Une seule réponse.
    required: true
    options:
      - {value: jour, label: Tous les jours}
      - {value: semaine, label: Chaque semaine}
      - Plus rarement
  - id: usages
    type: choices
    label: Que venez-vous y faire ?
    min: 1
    max: 2
    options: [Le marché, Les terrasses, "Me promener"]
  - id: quartier
    type: select
    label: Votre quartier
    options:
      - Centre
      - {value: gare, label: Quartier de la gare}
  - id: accord
    type: scale
    label: La place doit-elle devenir piétonne ?
    min: 1
    max: 5
    min_label: Pas du tout d'accord
    max_label: Tout à fait d'accord
  - id: donnees
    type: consent
    label: J'accepte que mes réponses soient utilisées pour cette consultation.
    required: false
"""

EXPECTED = Form(
    id="avis-place",
    title="Donnez votre avis sur la place du marché",
    intro_html="<p>Cinq minutes suffisent. <strong>Aucune inscription.</strong></p>\n"
    "<p>Vos réponses restent anonymes.</p>",
    submit="Envoyer mon avis",
    closes=date(2026, 12, 31),
    source=f"{PAGE}:{FENCE}",
    fields=(
        Field(id="prenom", type="text", label="Votre prénom", label_html="Votre prénom",
              hint="Facultatif, pour que l'on puisse vous répondre.", max_length=60),
        Field(id="idees", type="textarea", label="Que changeriez-vous sur la place ?",
              label_html="Que changeriez-vous sur la place ?", max_length=2000),
        Field(id="courriel", type="email", label="Votre adresse électronique",
              label_html="Votre adresse électronique"),
        Field(id="age", type="number", label="Votre âge", label_html="Votre âge", min=0,
              max=120),
        Field(id="distance", type="number", label="À combien de kilomètres habitez-vous ?",
              label_html="À combien de kilomètres habitez-vous ?", min=0.5, integer=False),
        Field(id="frequence", type="choice",
              label="À quelle fréquence passez-vous sur la place ?",
              label_html="À quelle fréquence passez-vous sur la place ?",
              hint="Une seule réponse.", required=True,
              options=(Option("jour", "Tous les jours"), Option("semaine", "Chaque semaine"),
                       Option("Plus rarement", "Plus rarement"))),
        Field(id="usages", type="choices", label="Que venez-vous y faire ?",
              label_html="Que venez-vous y faire ?", min=1, max=2,
              options=(Option("Le marché", "Le marché"),
                       Option("Les terrasses", "Les terrasses"),
                       Option("Me promener", "Me promener"))),
        Field(id="quartier", type="select", label="Votre quartier", label_html="Votre quartier",
              options=(Option("Centre", "Centre"), Option("gare", "Quartier de la gare"))),
        Field(id="accord", type="scale", label="La place doit-elle devenir piétonne ?",
              label_html="La place doit-elle devenir piétonne ?", min=1, max=5,
              min_label="Pas du tout d'accord", max_label="Tout à fait d'accord"),
        Field(id="donnees", type="consent",
              label="J'accepte que mes réponses soient utilisées pour cette consultation.",
              label_html="J'accepte que mes réponses soient utilisées pour cette consultation."),
    ),
)


def parse(text: str, **options: Any) -> tuple[Form | None, list[Problem]]:
    return parse_form(located.load(text), file=PAGE, line=FENCE, **options)


def valid(text: str, **options: Any) -> Form:
    form, problems = parse(text, **options)
    assert problems == []
    assert form is not None
    return form


def one_question(question: str) -> str:
    """A form around ``question`` (YAML of one list item, indented under ``fields:``); its
    first line is line 4 of the block."""
    return "id: avis-place\ntitle: Donnez votre avis\nfields:\n" + question


# -- valid forms -----------------------------------------------------------------------------

def test_a_form_of_every_type_parses_to_the_model() -> None:
    assert valid(EVERY_TYPE) == EXPECTED


def test_the_contract_example_of_issue_3_parses() -> None:
    form = valid("""\
id: avis-place            # unique in the site: lowercase letters, digits, '-'
title: Donnez votre avis
intro: Cinq minutes suffisent. Aucune inscription.   # optional, markdown
submit: Envoyer mon avis  # optional; a localised default otherwise
closes: 2026-12-31        # optional; defaults to the consultation's closing date
fields:
  - id: frequence         # unique in the form: lowercase letters, digits, '_', '-'
    type: choice
    label: À quelle fréquence passez-vous sur la place ?
    hint: Une seule réponse.          # optional
    required: true                    # optional, default false
    options:                          # plain strings (the string is the submitted value)
      - {value: jour, label: Tous les jours}   # or value/label pairs
      - {value: semaine, label: Chaque semaine}
""")
    assert form.fields[0].options == (Option("jour", "Tous les jours"),
                                      Option("semaine", "Chaque semaine"))
    assert form.fields[0].required is True


def test_defaults() -> None:
    form = valid(one_question("""\
  - id: remarque
    type: text
    label: Une remarque ?
  - id: details
    type: textarea
    label: Dites-nous en plus
  - id: enfants
    type: number
    label: Combien d'enfants vivent chez vous ?
    hint:
"""), default_closes=date(2026, 11, 30))
    text, textarea, number = form.fields
    assert (text.max_length, textarea.max_length) == (200, 2000)
    assert number.integer is True
    assert (number.min, number.max, number.max_length) == (None, None, None)
    assert number.hint is None  # 'hint:' with nothing after it is no hint
    assert text.required is False
    assert form.submit is None
    assert form.intro_html is None
    assert form.closes == date(2026, 11, 30)


def test_the_form_s_own_closing_date_wins_over_the_default() -> None:
    form = valid("closes: 2026-10-15\n" + one_question(
        "  - {id: avis, type: textarea, label: Votre avis}\n"), default_closes=date(2026, 11, 30))
    assert form.closes == date(2026, 10, 15)


def test_a_quoted_iso_date_is_a_date() -> None:
    form = valid("closes: '2026-10-15'\n" + one_question(
        "  - {id: avis, type: textarea, label: Votre avis}\n"))
    assert form.closes == date(2026, 10, 15)


def test_plain_labels_are_escaped_and_consent_labels_are_inline_markdown() -> None:
    form = valid(one_question("""\
  - id: budget
    type: text
    label: Entre <5 000 €> & <10 000 €>, *combien* ?
  - id: accord
    type: consent
    label: "J'ai lu *la notice* & j'accepte"
"""))
    assert form.fields[0].label_html == "Entre &lt;5 000 €&gt; &amp; &lt;10 000 €&gt;, *combien* ?"
    assert form.fields[1].label == "J'ai lu *la notice* & j'accepte"
    assert form.fields[1].label_html == "J'ai lu <em>la notice</em> &amp; j'accepte"


def test_links_in_the_intro_and_consent_labels_go_through_resolve_link() -> None:
    seen: list[str] = []

    def resolve(href: str) -> str:
        seen.append(href)
        return "../" + href.removesuffix(".md") + "/"

    form = valid("""\
id: avis-place
title: Donnez votre avis
intro: Lisez d'abord [le projet](projet.md). Une question ? <mairie@belval.fr>
fields:
  - id: donnees
    type: consent
    label: J'ai lu [la politique de confidentialité](confidentialite.md).
""", resolve_link=resolve)
    assert seen == ["projet.md", "confidentialite.md"]  # the e-mail autolink is no page
    assert form.intro_html is not None
    assert '<a href="../projet/">le projet</a>' in form.intro_html
    assert form.fields[0].label_html == (
        'J\'ai lu <a href="../confidentialite/">la politique de confidentialité</a>.')


def test_without_resolve_link_links_stay_as_written() -> None:
    form = valid(one_question(
        "  - {id: ok, type: consent, label: 'Lu : [la notice](notice.md)'}\n"))
    assert form.fields[0].label_html == 'Lu : <a href="notice.md">la notice</a>'


def test_the_version_follows_the_questions_not_the_wording_around_them() -> None:
    version = valid(EVERY_TYPE).version
    reworded = (EVERY_TYPE.replace("sur la place du marché", "sur notre place")
                .replace("Envoyer mon avis", "Envoyer").replace("2026-12-31", "2027-01-31")
                .replace("Cinq minutes", "Dix minutes"))
    assert valid(reworded).version == version
    for changed in (EVERY_TYPE.replace("Votre âge", "Votre âge, en années"),
                    EVERY_TYPE.replace("max: 120", "max: 110"),
                    EVERY_TYPE.replace("Plus rarement", "Rarement"),
                    EVERY_TYPE.replace("required: true", "required: false")):
        assert valid(changed).version != version


def test_a_form_from_its_own_file_has_its_own_lines() -> None:
    form, problems = parse_form(located.load("id: avis\ntitle: Avis\nfields: []\n"),
                                file="forms/avis.yml", line=0)
    assert form is None
    assert [(p.file, p.line) for p in problems] == [("forms/avis.yml", 3)]
    form = parse_form(located.load(one_question("  - {id: a, type: email, label: Courriel}")),
                      file="forms/avis.yml", line=0)[0]
    assert form is not None and form.source == "forms/avis.yml"


def test_data_without_lines_is_located_at_the_fence() -> None:
    form, problems = parse_form({"id": "avis", "title": "Avis", "fields": [
        {"id": "q", "type": "choice", "label": "Q ?", "options": []}]}, file=PAGE, line=FENCE)
    assert form is None
    assert [(p.line, p.field) for p in problems] == [(FENCE, "avis/q/options")]


# -- every mistake ---------------------------------------------------------------------------

Case = tuple[str, str, str, str | None, int | None]
"""(YAML, message fragment, fix fragment, field, line in the block or None for the fence's)."""

BAD_FORMS: dict[str, Case] = {
    "not a mapping": (
        "- Donnez votre avis\n- Votre prénom\n", "must be a list of 'key: value' lines",
        "start with 'id: avis-place'", None, 1),
    "empty block": ("", "the form block is empty", "id: avis-place", None, None),
    "a sentence": ("Donnez votre avis sur la place", "YAML reads text", "id:", None, None),
    "unknown form key": (
        "titel: Donnez votre avis\n" + one_question("  - {id: a, type: email, label: Mail}"),
        "unknown key 'titel' in the form", "did you mean 'title'? The form takes: id, title",
        "avis-place/titel", 1),
    "question key on the form": (
        "label: Votre avis\n" + one_question("  - {id: a, type: email, label: Mail}"),
        "'label' belongs to a question, not to the form", "move it under one of the questions",
        "avis-place/label", 1),
    "key written twice": (
        "title: Avis\n" + one_question("  - {id: a, type: email, label: Mail}"),
        f"the key 'title' is written twice in the form (lines {FENCE + 1} and {FENCE + 3}); "
        "YAML keeps only the last", "remove one", "avis-place/title", 3),
    "question id an export column takes": (
        one_question("  - {id: channel, type: email, label: Mail}"),
        "the id 'channel' is taken: exports give every answer a column of that name",
        "rename the question, e.g. id: channel_question", "avis-place/channel/id", 4),
    "no id": (
        "title: Donnez votre avis\nfields:\n  - {id: a, type: email, label: Mail}\n",
        "the form has no id", "add 'id: avis-place'", "form", 1),
    "no title": (
        "id: avis-place\nfields:\n  - {id: a, type: email, label: Mail}\n",
        "the form has no title", "add 'title: ", "avis-place", 1),
    "no fields": ("id: avis-place\ntitle: Donnez votre avis\n",
                  "the form has no fields", "add 'fields:'", "avis-place", 1),
    "empty fields": ("id: avis-place\ntitle: Donnez votre avis\nfields: []\n",
                     "fields must be a list of questions", "'- id: …'", "avis-place/fields", 3),
    "fields not a list": ("id: avis-place\ntitle: Donnez votre avis\nfields: prenom, age\n",
                          "fields must be a list", "", "avis-place/fields", 3),
    "form id with capitals": (
        "id: Avis_Place\ntitle: Avis\nfields:\n  - {id: a, type: email, label: Mail}\n",
        "the id 'Avis_Place' of the form is not valid",
        "lowercase letters, digits and single '-' between words, e.g. id: avis-place",
        "Avis_Place/id", 1),
    "form id with a double dash": (
        "id: avis--place\ntitle: Avis\nfields:\n  - {id: a, type: email, label: Mail}\n",
        "the id 'avis--place' of the form is not valid", "e.g. id: avis-place",
        "avis--place/id", 1),
    "form id with accents": (
        "id: Été 2026\ntitle: Avis\nfields:\n  - {id: a, type: email, label: Mail}\n",
        "is not valid", "e.g. id: ete-2026", "Été 2026/id", 1),
    "title a number": (
        "id: avis-place\ntitle: 2026\nfields:\n  - {id: a, type: email, label: Mail}\n",
        "title must be text, but YAML reads '2026' as a number", 'title: "2026"',
        "avis-place/title", 2),
    "empty submit": (
        "submit: ''\n" + one_question("  - {id: a, type: email, label: Mail}"),
        "submit is empty", "write the submit, or remove the line", "avis-place/submit", 1),
    "closes in French order": (
        "closes: 31/12/2026\n" + one_question("  - {id: a, type: email, label: Mail}"),
        "closes must be a date, not '31/12/2026'", "as YYYY-MM-DD, e.g. closes: 2026-12-31",
        "avis-place/closes", 1),
    "closes not in the calendar": (
        "closes: 2026-02-30\n" + one_question("  - {id: a, type: email, label: Mail}"),
        "closes: 2026-02-30 is not a day of the calendar", "YYYY-MM-DD", "avis-place/closes", 1),
    "closes with a time": (
        "closes: 2026-12-31 18:00:00\n" + one_question("  - {id: a, type: email, label: Mail}"),
        "closes is a day, not a moment", "YYYY-MM-DD", "avis-place/closes", 1),
    "question not a mapping": (
        one_question("  - frequence\n"), "question 1 of the form is not a set of 'key: value'",
        "'- id: …'", "avis-place/fields/1", 4),
    "question without id": (
        one_question("  - type: email\n    label: Votre adresse électronique\n"),
        "question 1 has no id", "add 'id: frequence'", "avis-place/fields/1", 4),
    "question id with accents": (
        one_question("  - id: Fréquence\n    type: email\n    label: Votre adresse\n"),
        "the id 'Fréquence' of the question 'Fréquence' is not valid",
        "lowercase letters, digits, '_' or '-', e.g. id: frequence", "avis-place/Fréquence/id",
        4),
    "question id starting with a dash": (
        one_question("  - {id: -age, type: number, label: Votre âge}\n"),
        "the id '-age' of the question '-age' is not valid", "e.g. id: age",
        "avis-place/-age/id", 4),
    "no type": (
        one_question("  - id: age\n    label: Votre âge\n"),
        "the question 'age' has no type", "add 'type: choice'", "avis-place/age", 4),
    "type from another tool": (
        one_question("  - id: frequence\n    type: radio\n    label: Fréquence\n"),
        "unknown type 'radio' for the question 'frequence'",
        "did you mean 'choice'? The types are: text, textarea, email, number, choice, choices, "
        "select, scale, consent", "avis-place/frequence/type", 5),
    "misspelt type": (
        one_question("  - id: frequence\n    type: choise\n    label: Fréquence\n"),
        "unknown type 'choise'", "did you mean 'choice'?", "avis-place/frequence/type", 5),
    "type a number": (
        one_question("  - id: age\n    type: 3\n    label: Votre âge\n"),
        "type must be text, but YAML reads '3' as a number", "", "avis-place/age/type", 5),
    "no label": (
        one_question("  - id: age\n    type: number\n"),
        "the question 'age' has no label", "add 'label: ", "avis-place/age", 4),
    "empty label": (
        one_question("  - id: age\n    type: number\n    label: '  '\n"),
        "label is empty", "", "avis-place/age/label", 6),
    "hint a list": (
        one_question("  - id: age\n    type: number\n    label: Votre âge\n"
                     "    hint: [en années]\n"),
        "hint must be text, but YAML reads", "put it in quotes", "avis-place/age/hint", 7),
    "options on a text question": (
        one_question("  - id: nom\n    type: text\n    label: Nom\n    options: [a, b]\n"),
        "'options' does not apply to a text question",
        "options is for choice, choices and select questions", "avis-place/nom/options", 7),
    "max_length on a choice": (
        one_question("  - id: q\n    type: choice\n    label: Q\n    options: [a]\n"
                     "    max_length: 10\n"),
        "'max_length' does not apply to a choice question", "text and textarea questions",
        "avis-place/q/max_length", 8),
    "misspelt key": (
        one_question("  - id: q\n    type: choice\n    label: Q\n    option: [Oui, Non]\n"),
        "unknown key 'option' in the question 'q'", "did you mean 'options'?",
        "avis-place/q/option", 7),
    "form key on a question": (
        one_question("  - id: q\n    type: email\n    label: Q\n    closes: 2026-12-31\n"),
        "'closes' belongs to the form, not to a question", "move it to the top",
        "avis-place/q/closes", 7),
    "two questions with one id": (
        one_question("  - {id: age, type: number, label: Votre âge}\n"
                     "  - {id: age, type: number, label: L'âge de votre enfant}\n"),
        f"two questions have the id 'age' (lines {FENCE + 4} and {FENCE + 5})",
        "its own id", "avis-place/age", 5),
    "required yes": (
        one_question("  - id: age\n    type: number\n    label: Votre âge\n    required: yes\n"),
        "required: yes means true to some YAML readers and is text to others",
        "write required: true", "avis-place/age/required", 7),
    "required oui": (
        one_question("  - id: age\n    type: number\n    label: Votre âge\n    required: oui\n"),
        "required must be true or false, not 'oui'", "required: true or required: false",
        "avis-place/age/required", 7),
    "required in quotes": (
        one_question("  - id: age\n    type: number\n    label: Votre âge\n"
                     "    required: 'false'\n"),
        "required is the text 'false', not true or false", "remove the quotes: required: false",
        "avis-place/age/required", 7),
    "max_length zero": (
        one_question("  - id: nom\n    type: text\n    label: Nom\n    max_length: 0\n"),
        "max_length must be at least 1, not 0", "remove it for 200", "avis-place/nom/max_length",
        7),
    "max_length in words": (
        one_question("  - id: nom\n    type: textarea\n    label: Nom\n"
                     "    max_length: 200 caractères\n"),
        "max_length must be a whole number (the longest answer, in characters), not "
        "'200 caractères'", "max_length: 1", "avis-place/nom/max_length", 7),
    "max_length a fraction": (
        one_question("  - id: nom\n    type: text\n    label: Nom\n    max_length: 12.5\n"),
        "max_length must be a whole number", "", "avis-place/nom/max_length", 7),
    "number min above max": (
        one_question("  - id: age\n    type: number\n    label: Âge\n    min: 10\n    max: 1\n"),
        "min (10) is greater than max (1)", "swap", "avis-place/age/min", 7),
    "number min in words": (
        one_question("  - id: age\n    type: number\n    label: Âge\n    min: zéro\n"),
        "min must be a number (the smallest answer), not 'zéro'", "", "avis-place/age/min", 7),
    "number min true": (
        one_question("  - id: age\n    type: number\n    label: Âge\n    min: true\n"),
        "min must be a number", "", "avis-place/age/min", 7),
    "number fraction for whole numbers": (
        one_question("  - id: km\n    type: number\n    label: Distance\n    max: 2.5\n"),
        "max: 2.5 is not a whole number, but the question takes whole numbers only",
        "add 'integer: false'", "avis-place/km/max", 7),
    "number integer oui": (
        one_question("  - id: km\n    type: number\n    label: Distance\n    integer: non\n"),
        "integer must be true or false, not 'non'", "", "avis-place/km/integer", 7),
    "choice without options": (
        one_question("  - id: frequence\n    type: choice\n    label: Fréquence\n"),
        "the question 'frequence' has no options", "'- Tous les jours'", "avis-place/frequence",
        4),
    "select with empty options": (
        one_question("  - id: quartier\n    type: select\n    label: Quartier\n    options: []\n"),
        "options must be a list of answers", "", "avis-place/quartier/options", 7),
    "options in one line": (
        one_question("  - id: q\n    type: choice\n    label: Q\n    options: Oui, Non\n"),
        "options must be a list of answers", "one per line", "avis-place/q/options", 7),
    "option a number": (
        one_question("  - id: enfants\n    type: choice\n    label: Enfants\n"
                     "    options:\n      - Aucun\n      - 1\n"),
        "option 2 must be text, but YAML reads '1' as a number", "put it in quotes: - \"1\"",
        "avis-place/enfants/options", 9),
    "option yes": (
        one_question("  - id: q\n    type: choice\n    label: Q\n    options: [yes, Non]\n"),
        "option 1 must be text, but YAML reads 'yes' as true/false", "- \"yes\"",
        "avis-place/q/options", 7),
    "empty option": (
        one_question("  - id: q\n    type: choice\n    label: Q\n    options: [Oui, '']\n"),
        "option 2 is empty", "", "avis-place/q/options", 7),
    "option without label": (
        one_question("  - id: q\n    type: choice\n    label: Q\n    options:\n"
                     "      - {value: jour}\n"),
        "option 1 has no label", "add 'label: Tous les jours'", "avis-place/q/options", 8),
    "option with a misspelt key": (
        one_question("  - id: q\n    type: choice\n    label: Q\n    options:\n"
                     "      - value: jour\n        lable: Tous les jours\n"),
        "unknown key 'lable' in option 1", "did you mean 'label'? Option 1 takes: value, label",
        "avis-place/q/options/lable", 9),
    "two options with one value": (
        one_question("  - id: q\n    type: choices\n    label: Q\n    options:\n"
                     "      - jour\n      - semaine\n      - {value: jour, label: Chaque jour}\n"),
        "two options have the value 'jour' (options 1 and 3)", "its own value",
        "avis-place/q/options", 10),
    "choices max above the options": (
        one_question("  - id: q\n    type: choices\n    label: Q\n    max: 4\n"
                     "    options: [Marché, Terrasses, Promenade]\n"),
        "max is 4 but the question has only 3 options", "at most 3", "avis-place/q/max", 7),
    "choices min above max": (
        one_question("  - id: q\n    type: choices\n    label: Q\n    min: 3\n    max: 2\n"
                     "    options: [Marché, Terrasses, Promenade]\n"),
        "min (3) is greater than max (2)", "", "avis-place/q/min", 7),
    "choices min a fraction": (
        one_question("  - id: q\n    type: choices\n    label: Q\n    min: 1.5\n"
                     "    options: [Marché, Terrasses]\n"),
        "min must be a whole number (the fewest boxes to tick)", "", "avis-place/q/min", 7),
    "choices negative min": (
        one_question("  - id: q\n    type: choices\n    label: Q\n    min: -1\n"
                     "    options: [Marché, Terrasses]\n"),
        "min must be 0 or more, not -1", "", "avis-place/q/min", 7),
    "choices max zero": (
        one_question("  - id: q\n    type: choices\n    label: Q\n    max: 0\n"
                     "    options: [Marché, Terrasses]\n"),
        "max must be at least 1, not 0", "", "avis-place/q/max", 7),
    "scale without max": (
        one_question("  - id: accord\n    type: scale\n    label: D'accord ?\n    min: 1\n"),
        "a scale needs min and max; the question 'accord' has no max", "min: 1 and max: 5",
        "avis-place/accord", 4),
    "scale of 21 steps": (
        one_question("  - id: note\n    type: scale\n    label: Note\n    min: 0\n    max: 20\n"),
        f"the scale from 0 to 20 has 21 steps; a scale has 2 to {SCALE_MAX_STEPS}",
        "min: 0 and max: 10", "avis-place/note/max", 8),
    "scale of one step": (
        one_question("  - id: note\n    type: scale\n    label: Note\n    min: 3\n    max: 3\n"),
        "has 1 step;", "", "avis-place/note/max", 8),
    "scale with fractions": (
        one_question("  - id: note\n    type: scale\n    label: Note\n    min: 0.5\n    max: 5\n"),
        "min must be a whole number (the first step)", "", "avis-place/note/min", 7),
    "scale end label a number": (
        one_question("  - id: note\n    type: scale\n    label: Note\n    min: 1\n    max: 5\n"
                     "    min_label: 1\n"),
        "min_label must be text", "", "avis-place/note/min_label", 9),
    "consent label of two paragraphs": (
        one_question("  - id: donnees\n    type: consent\n    label: |\n      J'accepte.\n\n"
                     "      Voir la notice.\n"),
        "a consent label must be a single paragraph", "on one line",
        "avis-place/donnees/label", 6),
    "empty consent label": (
        one_question("  - id: donnees\n    type: consent\n    label: ''\n"),
        "label is empty", "", "avis-place/donnees/label", 6),
    "options on a consent": (
        one_question("  - id: donnees\n    type: consent\n    label: J'accepte\n"
                     "    options: [Oui]\n"),
        "'options' does not apply to a consent question", "", "avis-place/donnees/options", 7),
}


@pytest.mark.parametrize("case", BAD_FORMS.values(), ids=BAD_FORMS.keys())
def test_every_mistake_is_reported_with_its_place_and_fix(case: Case) -> None:
    text, message, fix, field, line = case
    form, problems = parse(text)
    assert form is None
    assert len(problems) == 1, "\n".join(map(str, problems))
    problem = problems[0]
    assert message in problem.message
    assert fix in problem.fix
    assert problem.field == field
    assert problem.line == (FENCE if line is None else FENCE + line)
    assert problem.file == PAGE


def test_every_problem_of_a_form_is_reported_at_once_in_reading_order() -> None:
    form, problems = parse("""\
id: Avis Place
title: Donnez votre avis
closes: 31/12/2026
fields:
  - id: frequence
    type: radio
    label: À quelle fréquence passez-vous sur la place ?
    required: oui
  - id: usages
    type: choices
    label: Que venez-vous y faire ?
    max: 5
    options: [Le marché, Le marché]
  - id: frequence
    type: text
    label: Autre chose ?
    options: [Oui]
""")
    assert form is None
    assert [(p.line, p.field) for p in problems] == [
        (FENCE + 1, "Avis Place/id"),
        (FENCE + 3, "Avis Place/closes"),
        (FENCE + 6, "Avis Place/frequence/type"),
        (FENCE + 8, "Avis Place/frequence/required"),
        (FENCE + 13, "Avis Place/usages/options"),
        (FENCE + 14, "Avis Place/frequence"),
        (FENCE + 17, "Avis Place/frequence/options"),
    ]


def test_a_problem_reads_as_file_line_field_message_and_fix() -> None:
    _, problems = parse(BAD_FORMS["misspelt key"][0])
    assert str(problems[0]) == (
        f"{PAGE}:{FENCE + 7}: [avis-place/q/option] unknown key 'option' in the question 'q'\n"
        "    How to fix: did you mean 'options'? The question 'q' takes: id, type, label, hint, "
        "required, options"
    )


def test_merge_keys_work_as_in_yaml_and_are_no_repeated_key() -> None:
    form = valid(one_question("""\
  - &texte {id: idees, type: textarea, label: Vos idées pour la place}
  - {<<: *texte, id: craintes, label: Vos craintes}
"""))
    assert [(f.id, f.type, f.label) for f in form.fields] == [
        ("idees", "textarea", "Vos idées pour la place"),
        ("craintes", "textarea", "Vos craintes"),
    ]


# -- the documentation -----------------------------------------------------------------------

DOCS = (REPO / "docs" / "forms.md").read_text(encoding="utf-8")


def test_every_field_type_and_key_is_documented() -> None:
    for field_type in FIELD_TYPES:
        assert re.search(rf"^#+ `{field_type}`", DOCS, re.M), f"no section for {field_type}"
    keys = {*FORM_KEYS, *COMMON_KEYS, *(key for keys in TYPE_KEYS.values() for key in keys)}
    for key in keys:
        assert re.search(rf"^\| `{key}` \|", DOCS, re.M), f"key {key} not in a reference table"
    assert f"{SCALE_MAX_STEPS} steps" in DOCS


def test_every_form_and_question_example_in_the_docs_is_valid() -> None:
    examples = re.findall(r"^```yaml\n(.*?)^```$", DOCS, re.M | re.S)
    forms = [example for example in examples if example.startswith("id:")]
    questions = [example for example in examples if example.startswith("- id:")]
    assert len(forms) == 2  # the form with publish_consent, and the manifest's full example
    assert {valid(one_question(re.sub("^", "  ", example, flags=re.M))).fields[0].type
            for example in questions} == set(FIELD_TYPES)
    for example in forms:
        valid(example)
    for block in re.findall(r"^```form\n(.*?)^```$", DOCS, re.M | re.S):
        if not block.startswith("src:"):
            valid(block)


def test_the_docs_show_the_real_report_of_their_example_mistakes() -> None:
    example = re.search(r"^```yaml\n(id: avis-place\n.*?)^```$", DOCS, re.M | re.S)
    report = re.search(r"^```text\n(parole found .*?)^```$", DOCS, re.M | re.S)
    assert example and report
    mistaken = (example.group(1).replace("type: choice\n", "type: radio\n")
                .replace("    max: 2\n    options:", "    max: 2\n    option:"))
    _, problems = parse_form(located.load(mistaken), file="place-du-marche.md", line=12)
    assert str(ContentError(problems)) + "\n" == report.group(1)


def test_a_french_site_hears_its_form_mistakes_in_french() -> None:
    """Fragments too: 'la question « frequence »', 'l'option 1', the kinds YAML reads."""
    with speaking("fr"):
        _, problems = parse(one_question(
            "  - id: frequence\n    type: choice\n    label: Vous venez ?\n    couleur: bleu\n"
            "    options:\n      - {value: a, label: A, note: x}\n      - 2\n"))
    said = [(problem.message, problem.fix) for problem in problems]
    assert said[0] == ("clé inconnue « couleur » dans la question « frequence »",
                       "La question « frequence » accepte : id, type, label, hint, required, "
                       "options")
    assert said[1][0] == "clé inconnue « note » dans l'option 1"
    assert said[2] == ("l'option 2 doit être du texte, mais YAML lit « 2 » comme un nombre",
                       "mettez-la entre guillemets : `- \"2\"` (ou écrivez "
                       "`{value: …, label: …}`)")
