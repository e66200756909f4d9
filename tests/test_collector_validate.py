"""Checking a submitted answer against its form: structural problems are refused, a person's
mistakes come back as one message per question, and what is stored is what was written.

Most messages are checked through ``KEYS``, a catalogue whose ``form.error.*`` strings are the key
followed by the values filled in (``form.error.too_long|Votre prénom|61|60 caractères…``), so a
test states which message a rule picks and what it says about the question without repeating
the wording; a few tests check the real sentences and their typography.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence

import pytest
import yaml

from site_builder.collector.body import Refusal
from site_builder.collector.validate import (
    REQUIRED,
    Checked,
    check,
    parse_number,
    plain_label,
    plausible_email,
    read_submission,
    typed_length,
)
from site_builder.forms import located
from site_builder.forms.model import Field, Form, Option
from site_builder.forms.parse import parse_form
from site_builder.forms.posted import FORM_ID_NAME, FORM_VERSION_NAME, HONEYPOT_NAME
from site_builder.forms.render import hint_texts
from site_builder.i18n import Catalogue
from tests.support import REPO
from tests.test_form_parse import EXPECTED

FORM = EXPECTED
"""prenom (text, 60), idees (textarea), courriel (email), age (number 0 to 120), distance (number
from 0.5, decimals), frequence (choice, required), usages (choices, 1 to 2), quartier (select),
accord (scale 1 to 5), donnees (consent): none required but frequence."""
FR = Catalogue.for_language("fr")
EN = Catalogue.for_language("en")
AR = Catalogue.for_language("ar")
LANGUAGES = ("fr", "en", "ar")
ERROR_KEYS = {
    "form.error.required_text", "form.error.required_email", "form.error.required_choice",
    "form.error.required_choices", "form.error.required_consent", "form.error.too_long",
    "form.error.email", "form.error.number_format", "form.error.number_whole",
    "form.error.number_too_small", "form.error.number_too_large",
    "form.error.choices_too_few", "form.error.choices_too_many",
}


def _locale(language: str) -> dict[str, str]:
    path = REPO / "theme" / "locales" / f"{language}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(key): str(value) for key, value in data.items()}


def _key_catalogue() -> Catalogue:
    strings = dict(FR.strings)
    for key, text in _locale("en").items():
        if key.startswith("form.error."):
            strings[key] = "|".join([key, *re.findall(r"{\w+}", text)])
    return Catalogue(language="fr", strings=strings)


KEYS = _key_catalogue()


def question(field_id: str, **changes: object) -> Field:
    """FORM's question ``field_id``, with ``changes``."""
    field = FORM.get(field_id)
    assert field is not None
    return dataclasses.replace(field, **changes)  # type: ignore[arg-type]


def form_of(*fields: Field) -> Form:
    return Form(id="essai", title="Essai", fields=fields)


def message(field: Field, values: Sequence[str], catalogue: Catalogue = KEYS) -> str | None:
    """The error ``check`` gives a one-question form whose answer is ``values`` (none: absent)."""
    answers = {field.id: values} if values else {}
    return check(form_of(field), answers, catalogue).errors.get(field.id)


def refusal(form: Form, answers: Mapping[str, Sequence[str]]) -> Refusal:
    with pytest.raises(Refusal) as refused:
        check(form, answers, FR)
    return refused.value


# --- read_submission ---------------------------------------------------------------------------

def test_a_submission_splits_the_form_id_version_and_honeypot_from_the_answers() -> None:
    assert (FORM_ID_NAME, FORM_VERSION_NAME, HONEYPOT_NAME) == ("_form", "_version", "_website")
    submission = read_submission([
        ("_form", "avis-place"), ("usages", "Les terrasses"), ("_version", "abc123"),
        ("_website", ""), ("prenom", " Zoé "), ("usages", "Le marché"),
    ])
    assert submission.form_id == "avis-place"
    assert submission.version == "abc123"
    assert submission.honeypot == ""
    assert submission.answers == {"usages": ["Les terrasses", "Le marché"], "prenom": [" Zoé "]}
    assert list(submission.answers) == ["usages", "prenom"]  # body order


def test_the_honeypot_may_be_missing_and_is_kept_when_filled() -> None:
    pairs = [("_form", "avis-place"), ("_version", "abc123")]
    assert read_submission(pairs).honeypot == ""
    assert read_submission([*pairs, ("_website", "http://spam")]).honeypot == "http://spam"


@pytest.mark.parametrize(("pairs", "reason"), [
    ([("_version", "v")], "field '_form' missing"),
    ([("_form", "avis-place")], "field '_version' missing"),
    ([], "field '_form' missing"),
    ([("_form", "a"), ("_form", "b"), ("_version", "v")], "field '_form' repeated"),
    ([("_form", "a"), ("_version", "v"), ("_version", "v")], "field '_version' repeated"),
    ([("_form", "a"), ("_version", "v"), ("_website", ""), ("_website", "")],
     "field '_website' repeated"),
])
def test_a_submission_needs_one_form_id_and_one_version(
    pairs: list[tuple[str, str]], reason: str
) -> None:
    with pytest.raises(Refusal) as refused:
        read_submission(pairs)
    assert refused.value.reason == reason
    assert refused.value.status == 400


# --- structure: what the published form cannot send --------------------------------------------

@pytest.mark.parametrize(("answers", "reason"), [
    ({"inconnu": ["x"]}, "field 'inconnu' is no question of the form 'avis-place'"),
    ({"_website": [""]}, "field '_website' is no question"),
    ({"": ["x"]}, "field '' is no question"),
    ({"prenom": ["Zoé", "Léa"]}, "field 'prenom' of the form 'avis-place' repeated"),
    ({"idees": ["", ""]}, "field 'idees' of the form 'avis-place' repeated"),
    ({"courriel": ["a@b.fr", "c@d.fr"]}, "field 'courriel' of the form 'avis-place' repeated"),
    ({"age": ["1", "2"]}, "field 'age' of the form 'avis-place' repeated"),
    ({"frequence": ["jour", "semaine"]}, "field 'frequence' of the form 'avis-place' repeated"),
    ({"quartier": ["", "Centre"]}, "field 'quartier' of the form 'avis-place' repeated"),
    ({"accord": ["1", "2"]}, "field 'accord' of the form 'avis-place' repeated"),
    ({"donnees": ["yes", "yes"]}, "field 'donnees' of the form 'avis-place' repeated"),
    ({"frequence": ["annuel"]}, "field 'frequence' of the form 'avis-place': 'annuel' is not"),
    ({"frequence": [""]}, "'' is not one of its options"),
    ({"frequence": ["Tous les jours"]}, "'Tous les jours' is not one of its options"),  # label
    ({"frequence": ["jour "]}, "'jour ' is not one of its options"),  # verbatim comparison
    ({"usages": ["Le marché", "Le marché"]}, "field 'usages' of the form 'avis-place': the same"),
    ({"usages": ["autre"]}, "'autre' is not one of its options"),
    ({"usages": [""]}, "'' is not one of its options"),
    ({"quartier": ["nord"]}, "'nord' is not one of its options"),
    ({"quartier": ["Quartier de la gare"]}, "is not one of its options"),
    ({"accord": ["6"]}, "'6' is not one of its options"),
    ({"accord": ["0"]}, "'0' is not one of its options"),
    ({"accord": ["03"]}, "'03' is not one of its options"),
    ({"accord": ["3.0"]}, "'3.0' is not one of its options"),
    ({"accord": [""]}, "'' is not one of its options"),
    ({"donnees": ["on"]}, "'on' is not one of its options"),
    ({"donnees": ["oui"]}, "'oui' is not one of its options"),
    ({"donnees": [""]}, "'' is not one of its options"),
], ids=repr)
def test_what_the_form_cannot_send_is_refused(
    answers: dict[str, list[str]], reason: str
) -> None:
    refused = refusal(FORM, answers)
    assert reason in refused.reason
    assert refused.status == 400


def test_a_refusal_wins_over_a_persons_mistakes() -> None:
    # frequence is required and missing, age is out of range: still a robot's answer.
    refused = refusal(FORM, {"age": ["300"], "accord": ["9"]})
    assert "'9' is not one of its options" in refused.reason


def test_a_forged_value_is_quoted_short_in_the_reason() -> None:
    refused = refusal(FORM, {"frequence": ["x" * 1000]})
    assert refused.reason.endswith(f"{'x' * 40!r}… is not one of its options")


# --- what is stored ----------------------------------------------------------------------------

COMPLETE = {
    "donnees": ["yes"],
    "accord": ["4"],
    "quartier": ["gare"],
    "usages": ["Les terrasses", "Le marché"],
    "frequence": ["semaine"],
    "distance": ["2,5"],
    "age": [" 42 "],
    "courriel": [" zoe@exemple.fr "],
    "idees": ["Plus d'arbres.\r\n  <script>alert(1)</script> =SOMME(A1)  "],
    "prenom": ["  Zoé  "],
}
"""Every question answered, in the reverse of the form's order."""


def test_a_complete_answer_is_stored_verbatim_in_form_order() -> None:
    checked = check(FORM, COMPLETE, FR)
    assert checked.ok
    assert checked.errors == {}
    # Verbatim but for the textarea's line break, sent as CRLF, stored as LF.
    assert checked.values == {
        **COMPLETE, "idees": ["Plus d'arbres.\n  <script>alert(1)</script> =SOMME(A1)  "]}
    assert list(checked.values) == [field.id for field in FORM.fields]
    assert checked.values["usages"] == ["Les terrasses", "Le marché"]  # as sent


def test_unanswered_questions_are_not_stored_but_shown_again_as_entered() -> None:
    answers = {"prenom": ["   "], "idees": ["\r\n"], "courriel": [""], "age": ["\u00a0"],
               "quartier": [""], "frequence": ["jour"]}
    checked = check(FORM, answers, FR)
    assert checked == Checked(values={"frequence": ["jour"]}, errors={},
                              values_as_entered={**answers, "idees": ["\n"]})
    assert checked.ok


def test_values_as_entered_keep_form_order_and_mistakes() -> None:
    answers = {"age": ["deux cents"], "frequence": ["jour"], "prenom": ["Zoé"]}
    checked = check(FORM, answers, FR)
    assert list(checked.values_as_entered) == ["prenom", "age", "frequence"]
    assert checked.values_as_entered["age"] == ["deux cents"]
    assert not checked.ok


def test_answers_may_be_any_mapping_of_sequences() -> None:
    checked = check(FORM, {"frequence": ("jour",), "usages": ("Me promener",)}, FR)
    assert checked.values == {"frequence": ["jour"], "usages": ["Me promener"]}


@pytest.mark.parametrize(("sent", "stored"), [
    ("un\r\ndeux", "un\ndeux"),  # what browsers send for a textarea's line break
    ("un\rdeux\r\r\ntrois", "un\ndeux\n\ntrois"),  # CR alone too: never stored
    ("un\ndeux\tcolonne", "un\ndeux\tcolonne"),  # LF and tab as they are
    ("\u2028\u202eà l'envers", "\u2028\u202eà l'envers"),  # text: escaped where shown
])
def test_a_textareas_line_breaks_are_stored_as_lf(sent: str, stored: str) -> None:
    checked = check(FORM, {"frequence": ["jour"], "idees": [sent]}, FR)
    assert checked.values["idees"] == [stored]
    assert checked.values_as_entered["idees"] == [stored]


@pytest.mark.parametrize("field_id", ["prenom", "courriel", "age"])
@pytest.mark.parametrize("value", ["a\rb", "a\nb", "a\r\nb", "\r"])
def test_a_line_break_in_a_one_line_field_is_refused(field_id: str, value: str) -> None:
    # An <input> cannot hold one: browsers strip CR and LF from its value.
    with pytest.raises(Refusal, match=f"field '{field_id}' .*a line break in a one-line field"):
        check(FORM, {"frequence": ["jour"], field_id: [value]}, FR)


def test_a_tab_in_a_one_line_field_is_text() -> None:
    # Pasted from a spreadsheet, it stays in an <input>: a person's answer, kept.
    assert check(FORM, {"frequence": ["jour"], "prenom": ["Zoé\tMartin"]}, FR).values[
        "prenom"] == ["Zoé\tMartin"]


# --- a person's mistakes -----------------------------------------------------------------------

TEXT = Field(id="remarque", type="text", label="Une remarque", label_html="Une remarque")
SHORT = dataclasses.replace(TEXT, max_length=4)
AGE = question("age")
DISTANCE = question("distance")
USAGES = question("usages")
CONSENT_HTML = 'J\'ai lu <a href="confidentialite.md">ce que la ville <em>fait</em></a> &amp; co.'
CONSENT = Field(id="accord", type="consent", required=True,
                label="J'ai lu [ce que la ville *fait*](confidentialite.md) & co.",
                label_html=CONSENT_HTML)
AGE_RULE = "Un nombre entier, de 0 à 120."
DISTANCE_RULE = "Un nombre, 0,5 ou plus."


@pytest.mark.parametrize(("field", "values", "expected"), [
    # Required and empty: spaces only count as empty for what is typed in.
    (dataclasses.replace(TEXT, required=True), [], "form.error.required_text|Une remarque"),
    (dataclasses.replace(TEXT, required=True), [""], "form.error.required_text|Une remarque"),
    (dataclasses.replace(TEXT, required=True), [" \t\u00a0"],
     "form.error.required_text|Une remarque"),
    (question("idees", required=True), ["\r\n\r\n"],
     "form.error.required_text|Que changeriez-vous sur la place ?"),
    (question("courriel", required=True), ["  "],
     "form.error.required_email|Votre adresse électronique"),
    (question("age", required=True), [" "], "form.error.required_text|Votre âge"),
    (TEXT, [""], None),
    (TEXT, ["   "], None),
    (AGE, [""], None),
    # Too long, counted as browsers count maxlength.
    (question("prenom"), ["x" * 60], None),
    (question("prenom"), ["x" * 61],
     "form.error.too_long|Votre prénom|61|60\u00a0caractères au maximum."),
    (question("idees"), ["a" * 2001], "form.error.too_long|Que changeriez-vous sur la place ?|"
     "2\u202f001|2\u202f000\u00a0caractères au maximum."),
    (SHORT, ["😀😀"], None),
    (SHORT, ["😀😀a"], "form.error.too_long|Une remarque|5|4\u00a0caractères au maximum."),
    (SHORT, ["éèêë"], None),
    (dataclasses.replace(SHORT, type="textarea"), ["a\r\nb\r\n"], None),
    (dataclasses.replace(SHORT, type="textarea"), ["a\r\nb\r\nc"],
     "form.error.too_long|Une remarque|5|4\u00a0caractères au maximum."),
    (SHORT, ["  abcd  "], "form.error.too_long|Une remarque|8|4\u00a0caractères au maximum."),
    # E-mail addresses.
    (question("courriel"), [" nom@exemple.fr "], None),
    (question("courriel"), ["nom@exemple"], "form.error.email|Votre adresse électronique|"
     "Une adresse de courriel, par exemple\u00a0: nom@exemple.fr"),
    (question("courriel"), ["nom.exemple.fr"], "form.error.email|Votre adresse électronique|"
     "Une adresse de courriel, par exemple\u00a0: nom@exemple.fr"),
    # Numbers, in French notation or not.
    (AGE, ["42"], None),
    (AGE, [" 42 "], None),
    (AGE, ["+0"], None),
    (AGE, ["-0"], None),
    (AGE, ["120"], None),
    (AGE, ["\u0664\u0662"], None),  # Arabic-Indic digits
    (AGE, ["quarante"], f"form.error.number_format|Votre âge|{AGE_RULE}"),
    (AGE, ["1e2"], f"form.error.number_format|Votre âge|{AGE_RULE}"),
    (AGE, ["NaN"], f"form.error.number_format|Votre âge|{AGE_RULE}"),
    (AGE, ["inf"], f"form.error.number_format|Votre âge|{AGE_RULE}"),
    (AGE, ["4 2"], f"form.error.number_format|Votre âge|{AGE_RULE}"),
    (AGE, ["42 ans"], f"form.error.number_format|Votre âge|{AGE_RULE}"),
    (AGE, ["2,5"], f"form.error.number_whole|Votre âge|{AGE_RULE}"),
    (AGE, ["2,0"], f"form.error.number_whole|Votre âge|{AGE_RULE}"),
    (AGE, ["1,000"], f"form.error.number_whole|Votre âge|{AGE_RULE}"),
    (AGE, ["-1"], f"form.error.number_too_small|Votre âge|{AGE_RULE}"),
    (AGE, ["121"], f"form.error.number_too_large|Votre âge|{AGE_RULE}"),
    (AGE, ["1 000"], f"form.error.number_too_large|Votre âge|{AGE_RULE}"),
    (DISTANCE, ["0,5"], None),
    (DISTANCE, [",5"], None),
    (DISTANCE, ["1\u202f000,25"], None),
    (DISTANCE, ["0.49"], f"form.error.number_too_small|{DISTANCE.label}|{DISTANCE_RULE}"),
    (DISTANCE, ["2,5,1"], f"form.error.number_format|{DISTANCE.label}|{DISTANCE_RULE}"),
    (DISTANCE, ["2.5,1"], f"form.error.number_format|{DISTANCE.label}|{DISTANCE_RULE}"),
    (dataclasses.replace(DISTANCE, min=0.1), ["0.1"], None),  # decimals, not binary floats
    (dataclasses.replace(DISTANCE, min=None, max=None), ["-3,75"], None),
    # Boxes to tick: an optional question may be left out.
    (USAGES, [], None),
    (USAGES, ["Me promener"], None),
    (USAGES, ["Le marché", "Les terrasses", "Me promener"], "form.error.choices_too_many|"
     "Que venez-vous y faire ?|Plusieurs réponses possibles\u00a0: de 1 à 2."),
    (dataclasses.replace(USAGES, required=True), [],
     "form.error.required_choices|Que venez-vous y faire ?"),
    (dataclasses.replace(USAGES, required=True, min=None), [],
     "form.error.required_choices|Que venez-vous y faire ?"),
    (dataclasses.replace(USAGES, required=True, min=2, max=None), [],
     "form.error.choices_too_few|Que venez-vous y faire ?|"
     "Plusieurs réponses possibles\u00a0: au moins 2."),
    (dataclasses.replace(USAGES, min=2, max=None), [], None),
    (dataclasses.replace(USAGES, min=2, max=None), ["Me promener"],
     "form.error.choices_too_few|Que venez-vous y faire ?|"
     "Plusieurs réponses possibles\u00a0: au moins 2."),
    (dataclasses.replace(USAGES, min=2, max=2), ["Le marché", "Les terrasses", "Me promener"],
     "form.error.choices_too_many|Que venez-vous y faire ?|Cochez exactement 2 cases."),
    # One answer to choose.
    (question("frequence"), [],
     "form.error.required_choice|À quelle fréquence passez-vous sur la place ?"),
    (question("frequence", required=False), [], None),
    (question("quartier", required=True), [""], "form.error.required_choice|Votre quartier"),
    (question("quartier", required=True), [], "form.error.required_choice|Votre quartier"),
    (question("quartier"), [""], None),
    (question("accord", required=True), [],
     "form.error.required_choice|La place doit-elle devenir piétonne ?"),
    (question("accord", required=True), ["5"], None),
    (CONSENT, [], "form.error.required_consent|J'ai lu ce que la ville fait & co."),
    (CONSENT, ["yes"], None),
    (dataclasses.replace(CONSENT, required=False), [], None),
], ids=repr)
def test_a_persons_mistake_gets_a_message_at_the_question(
    field: Field, values: list[str], expected: str | None
) -> None:
    assert message(field, values) == expected


def test_a_number_message_says_what_the_hint_says() -> None:
    error = message(AGE, ["200"], FR)
    assert error is not None
    assert error.endswith(" " + hint_texts(AGE, FR)[-1])


def test_every_question_with_a_mistake_gets_one_message_in_form_order() -> None:
    answers = {"usages": ["Le marché", "Les terrasses", "Me promener"], "age": ["2,5"],
               "prenom": ["x" * 61], "courriel": ["@"]}
    checked = check(FORM, answers, KEYS)
    assert list(checked.errors) == ["prenom", "courriel", "age", "frequence", "usages"]
    assert checked.errors["frequence"].startswith("form.error.required_choice|")
    assert not checked.ok


@pytest.mark.parametrize(("text", "length"), [
    ("", 0), ("abc", 3), ("é", 1), ("e\u0301", 2), ("中文", 2), ("😀", 2), ("𝄞a", 3),
    ("\r\n", 1), ("\n", 1), ("\r", 1), ("a\r\nb\r\n", 4), ("\r\n\r\n", 2), ("\r\r\n", 2),
])
def test_length_is_counted_in_utf16_units_with_a_line_break_as_one(
    text: str, length: int
) -> None:
    assert typed_length(text) == length


@pytest.mark.parametrize(("text", "plausible"), [
    ("nom@exemple.fr", True),
    ("  nom@exemple.fr\t", True),
    ("prénom.nom+consultation@sous.domaine.example", True),
    ("nom", False),
    ("nom@", False),
    ("@exemple.fr", False),
    ("nom@exemple", False),
    ("nom@@exemple.fr", False),
    ("nom@exemple@fr.fr", False),
    ("nom @exemple.fr", False),
    ("nom@exemple .fr", False),
    ("nom@exemple.", False),
    ("nom@.fr", False),
    ("nom@exemple..fr", False),
    ("n" * 243 + "@exemple.fr", True),  # 254 characters: the longest address mail can carry
    ("n" * 244 + "@exemple.fr", False),
])
def test_an_email_address_is_checked_for_plausibility_only(text: str, plausible: bool) -> None:
    assert plausible_email(text) is plausible


@pytest.mark.parametrize(("text", "number"), [
    ("42", "42"), (" 42 ", "42"), ("+4", "4"), ("-3.75", "-3.75"), ("2,5", "2.5"),
    (",5", "0.5"), ("-,5", "-0.5"), ("1 000", "1000"), ("1\u00a0000", "1000"),
    ("1\u2009000", "1000"), ("1\u202f000\u202f000,5", "1000000.5"), ("\u0664\u0662", "42"),
    ("\u0662\u066b\u0665", "2.5"),
    ("1e5", None), ("1E5", None), ("NaN", None), ("inf", None), ("Infinity", None),
    ("1,2,3", None), ("1.2.3", None), ("1,2.3", None), ("12 34", None), ("1 0000", None),
    ("1  000", None), ("5,", None), ("+", None), ("-", None), ("- 3", None), ("+-3", None),
    ("", None), ("   ", None), ("0x10", None), ("1_000", None), ("2,5 €", None),
])
def test_numbers_are_read_as_people_write_them(text: str, number: str | None) -> None:
    parsed = parse_number(text)
    assert (str(parsed) if parsed is not None else None) == number


def test_a_consent_label_loses_its_link_syntax() -> None:
    assert plain_label(CONSENT) == "J'ai lu ce que la ville fait & co."
    assert plain_label(TEXT) == "Une remarque"
    # A question's plain label is used as written, even what looks like markup.
    assert plain_label(dataclasses.replace(TEXT, label="A <b> & [x](y)")) == "A <b> & [x](y)"


# --- the sentences -----------------------------------------------------------------------------

@pytest.mark.parametrize(("catalogue", "field", "values", "expected"), [
    (FR, question("frequence"), [], "Choisissez une réponse à la question «\u00a0À quelle "
     "fréquence passez-vous sur la place ?\u00a0»."),
    (FR, question("idees"), ["a" * 2001], "Raccourcissez votre réponse à la question "
     "«\u00a0Que changeriez-vous sur la place ?\u00a0»\u00a0: elle compte 2\u202f001\u00a0"
     "caractères. 2\u202f000\u00a0caractères au maximum."),
    (FR, AGE, ["200"],
     "Écrivez un nombre plus petit à la question «\u00a0Votre âge\u00a0». Un nombre entier, "
     "de 0 à 120."),
    (FR, CONSENT, [], "Cochez la case «\u00a0J'ai lu ce que la ville fait & co.\u00a0» pour "
     "envoyer votre réponse."),
    (EN, AGE, ["2.5"], "Enter a whole number, without a decimal point or comma, for the "
     "question “Votre âge”. A whole number, from 0 to 120."),
    (EN, question("idees"), ["a" * 2001], "Shorten your answer to the question “Que "
     "changeriez-vous sur la place ?”: it has 2,001 characters. 2,000 characters at most."),
    (AR, question("frequence"), [],
     "اختاروا إجابة عن السؤال «À quelle fréquence passez-vous sur la place ?»."),
], ids=repr)
def test_messages_read_well(
    catalogue: Catalogue, field: Field, values: list[str], expected: str
) -> None:
    assert message(field, values, catalogue) == expected


def test_every_error_message_is_in_every_catalogue() -> None:
    used = set(REQUIRED.values())
    assert used <= ERROR_KEYS
    for language in LANGUAGES:
        strings = _locale(language)
        assert {key for key in strings if key.startswith("form.error.")} == ERROR_KEYS, language


def test_french_messages_keep_french_typography() -> None:
    for key, text in _locale("fr").items():
        if not key.startswith("form.error."):
            continue
        assert not re.search(r" [:;?!»]|« ", text), key  # a plain space would break the line
        assert "\u2019" in text or "'" not in text, key  # typographic apostrophe
        if "{label}" in text:
            assert "«\u00a0{label}\u00a0»" in text, key


@pytest.mark.parametrize("language", ["fr", "en"])
def test_messages_say_what_to_do_without_jargon(language: str) -> None:
    for key in ERROR_KEYS:
        text = _locale(language)[key].lower()
        assert not re.search(r"invalid|erreur|error|champ|field|format", text), (language, key)


# --- the example consultation ------------------------------------------------------------------

def _example_form() -> Form:
    page = (REPO / "content" / "donner-mon-avis.md").read_text(encoding="utf-8")
    block = re.search(r"^```form\n(.*?)^```$", page, re.MULTILINE | re.DOTALL)
    assert block is not None
    form, problems = parse_form(located.load(block.group(1)), file="donner-mon-avis.md",
                                line=1)
    assert problems == []
    assert form is not None
    return form


def test_the_example_form_accepts_a_complete_answer() -> None:
    form = _example_form()
    assert form.id == "avis-place"
    answers = {
        "frequence": ["semaine"], "usages": ["marche", "enfants"], "ombre": ["5"],
        "stationnement": ["20"], "jeux": ["fontaine"],
        "idee": ["Des bancs à l\u2019ombre.\r\nEt une fontaine à boire."], "age": ["67"],
        "quartier": ["Les Tilleuls"], "courriel": ["zoe@exemple.fr"], "accord": ["yes"],
    }
    checked = check(form, answers, FR)
    assert checked.errors == {}
    assert checked.values == {**answers,
                              "idee": ["Des bancs à l\u2019ombre.\nEt une fontaine à boire."]}


def test_the_example_form_asks_for_its_consent_in_plain_words() -> None:
    checked = check(_example_form(), {"frequence": ["jour"]}, FR)
    assert checked.errors == {"accord": "Cochez la case «\u00a0J'ai lu ce que la ville fait de "
                              "mes réponses.\u00a0» pour envoyer votre réponse."}


def test_the_example_form_refuses_an_option_it_does_not_offer() -> None:
    refused = refusal(_example_form(), {"frequence": ["jour"], "stationnement": ["100"]})
    assert refused.reason == ("field 'stationnement' of the form 'avis-place': '100' is not "
                              "one of its options")


def test_options_built_directly_are_checked_by_value() -> None:
    form = form_of(Field(id="q", type="choice", label="Q", label_html="Q",
                         options=(Option("a", "Réponse A"),)))
    assert check(form, {"q": ["a"]}, FR).values == {"q": ["a"]}
    assert "'Réponse A' is not one of its options" in refusal(form, {"q": ["Réponse A"]}).reason
