"""``publish_consent``: a form names the consent question by which a person agrees to be quoted
(issue #16). Without it no free text is ever published, so a wrong name must stop the build."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

import pytest

from site_builder.collector.columns import merge_versions
from site_builder.messages import speaking
from site_builder.storage.base import FormSchema
from tests.test_form_parse import FENCE, PAGE, parse, valid

QUESTIONS = """\
fields:
  - id: idees
    type: textarea
    label: Que changeriez-vous ?
  - id: donnees
    type: consent
    label: J'ai lu la notice.
  - id: citation
    type: consent
    label: J'accepte que mes réponses écrites soient citées, sans mon nom.
"""


def form(consent: str | None = "citation", questions: str = QUESTIONS) -> str:
    line = f"publish_consent: {consent}\n" if consent is not None else ""
    return f"id: avis-place\ntitle: Donnez votre avis\n{line}{questions}"


def test_a_form_names_its_consent_to_be_quoted() -> None:
    quoted = valid(form())
    assert quoted.publish_consent == "citation"
    unquoted = valid(form(None))
    assert unquoted.publish_consent is None
    assert dataclasses.replace(quoted, publish_consent=None) == unquoted
    # The collector stores each version's manifest once: a form that stops asking for this
    # consent must be a new version, or parole results would quote under the old manifest.
    assert quoted.version != unquoted.version
    assert unquoted.version == dataclasses.replace(quoted, publish_consent=None).version


@pytest.mark.parametrize(("consent", "message"), [
    ("accord", "publish_consent names 'accord', and the form has no question with that id"),
    ("idees", "publish_consent names 'idees', a textarea question: only a consent question can "
              "say that a person agrees to be quoted"),
])
def test_publish_consent_must_name_a_consent_question_of_the_form(
    consent: str, message: str
) -> None:
    built, problems = parse(form(consent))
    assert built is None
    assert len(problems) == 1
    problem = problems[0]
    assert problem.message == message
    assert problem.fix == ("write the id of the consent question that asks whether answers may "
                           "be quoted: donnees and citation")
    assert (problem.file, problem.line, problem.field) == (
        PAGE, FENCE + 3, "avis-place/publish_consent")


def test_a_form_without_a_consent_question_is_told_to_add_one() -> None:
    questions = "fields:\n  - {id: idees, type: textarea, label: Vos idées}\n"
    _, problems = parse(form("citation", questions))
    assert [problem.message for problem in problems] == [
        "publish_consent names 'citation', and the form has no question with that id"]
    assert problems[0].fix.startswith("add a consent question asking whether the written "
                                      "answers may be quoted (e.g. `- id: citation`")
    assert "or remove publish_consent, and no free text will be published" in problems[0].fix


def test_publish_consent_is_an_id_written_as_text() -> None:
    _, problems = parse(form("[citation]"))
    assert [(problem.field, problem.line) for problem in problems] == [
        ("avis-place/publish_consent", FENCE + 3)]
    assert problems[0].message.startswith("publish_consent must be text, but YAML reads")


def test_publish_consent_belongs_to_the_form_not_a_question() -> None:
    questions = ("fields:\n  - id: citation\n    type: consent\n    label: J'accepte.\n"
                 "    publish_consent: citation\n")
    _, problems = parse(form(None, questions))
    assert [problem.message for problem in problems] == [
        "'publish_consent' belongs to the form, not to a question"]


def test_a_french_site_hears_it_in_french() -> None:
    with speaking("fr"):
        _, problems = parse(form("idees"))
    assert problems[0].message == (
        "publish_consent désigne « idees », une question de type textarea : seule une question "
        "de type consent peut dire qu'une personne accepte d'être citée")
    assert problems[0].fix == (
        "écrivez l'id de la question de type consent qui demande si les réponses peuvent être "
        "citées : donnees et citation")


def _schema(version: str, **keys: object) -> FormSchema:
    manifest = {"format": 5, "id": "f", "fields": [{"id": "c", "type": "consent"}], **keys}
    return FormSchema("f", version, json.dumps(manifest), datetime(2026, 1, 1, tzinfo=UTC))


def test_the_database_s_newest_version_with_the_key_says_who_may_be_quoted() -> None:
    older = _schema("v1")  # a manifest written before format 5: no key
    assert merge_versions("f", [older]).publish_consent is None
    assert merge_versions("f", [older, _schema("v2", publish_consent="c")]).publish_consent == "c"
    assert merge_versions("f", [_schema("v2", publish_consent="c"),
                                _schema("v3", publish_consent=None)]).publish_consent is None
    # The newest version having the key wins over an older one, even across a keyless one.
    assert merge_versions("f", [_schema("v2", publish_consent=None),
                                _schema("v3", publish_consent="c"),
                                older]).publish_consent == "c"
