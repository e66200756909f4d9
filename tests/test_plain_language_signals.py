"""Each easy-to-read signal, on a sentence that has it and on one that has not."""

from __future__ import annotations

import pytest

from site_builder.plain_language import TARGETS, Signal, Target, analyse_markdown


def _signals(markdown: str, language: str = "fr",
             target: Target = TARGETS["default"]) -> list[tuple[str, str]]:
    page = analyse_markdown(markdown, language, target)
    return [(signal.kind, signal.text) for sentence in page.flagged
            for signal in sentence.signals]


def _kinds(markdown: str, language: str = "fr") -> set[str]:
    return {kind for kind, _ in _signals(markdown, language)}


def test_long_sentence() -> None:
    sixteen = ("Nous voulons savoir ce que vous pensez de la place du marché avant "
               "tous les travaux.")
    fifteen = "Nous voulons savoir ce que vous pensez de la place du marché avant les travaux."
    assert _signals(sixteen) == [("long_sentence", "16")]
    assert _signals(fifteen) == []
    assert _signals(fifteen, target=TARGETS["falc"]) == [("long_sentence", "15")]
    page = analyse_markdown(sixteen, "fr", TARGETS["default"])
    assert page.flagged[0].words == 16


def test_long_word() -> None:
    assert _signals("Nous voulons plus de végétalisation.") == [
        ("long_word", "végétalisation")]
    # common long words, and short rare ones, are not flagged
    assert _signals("Votre participation compte pour la municipalité.") == []
    assert _signals("Un lai, un ru, un if.") == []
    # the plural of a common word is common, and a form of a common verb; a name is not a word
    # to replace
    assert _signals("Les associations viendront à Castelnaudary.") == []
    assert _signals("Vous participerez. Elles sont organisées.") == []
    assert _signals("Castelnaudary viendra.") == [("long_word", "Castelnaudary")]
    assert _signals("We support the revitalisation.", "en") == [
        ("long_word", "revitalisation")]
    assert _signals("We want your information.", "en") == []
    # the word without its elided article
    assert _signals("Le rôle d'épidémiologiste.") == [("long_word", "épidémiologiste")]
    assert _signals("Le rôle d\u2019épidémiologiste.") == [("long_word", "épidémiologiste")]
    assert _signals("Lisez la page /accessibilite/ et/ou la 1/2 page.") == []


def test_abbreviation_without_its_meaning() -> None:
    assert _signals("Les HLM seront rénovés.") == [("abbreviation", "HLM")]
    assert _signals("Les H.L.M. seront rénovés.") == [("abbreviation", "H.L.M.")]
    assert _signals("La classe de CM2 viendra.") == [("abbreviation", "CM2")]
    assert _signals("L'ONU le dit.") == [("abbreviation", "ONU")]
    # explained at its first use, after it or before it, or in a markdown abbreviation
    assert _signals("Les HLM (habitations à loyer modéré) seront rénovés. Les HLM aussi.") == []
    assert _signals("Les habitations à loyer modéré (HLM) seront rénovées. Les HLM aussi.") == []
    assert _signals("Les HLM seront rénovés.\n\n*[HLM]: habitation à loyer modéré\n") == []
    # only its first use is flagged: that is where to explain it
    assert _signals("Les HLM seront rénovés. Les HLM aussi.") == [("abbreviation", "HLM")]
    # an acronym everyone reads as a word
    assert _signals("Tout est OK. Lisez le PDF.") == []


def test_written_abbreviations() -> None:
    assert _signals("M. Dupont et Mme Durand viendront, etc.") == [
        ("abbreviation", "M."), ("abbreviation", "Mme"), ("abbreviation", "etc.")]
    assert _signals("Rendez-vous au n° 3.") == [("abbreviation", "n°")]
    assert _signals("Monsieur Dupont et Madame Durand viendront.") == []
    assert _signals("Bring a pen, e.g. a blue one.", "en") == [("abbreviation", "e.g.")]
    assert _signals("Bring a pen, for example a blue one.", "en") == []


@pytest.mark.parametrize("sentence", [
    "Le prix monte de 23 % cette année.",      # the French no-break space
    "Le prix monte de 23\u202f% cette année.",  # the narrow one
    "Le prix monte de 23% cette année.",
    "Le prix monte de 23 pour cent cette année.",
    "Le prix monte de 2,5 % cette année.",
])
def test_percentage(sentence: str) -> None:
    assert _kinds(sentence) == {"percentage"}


def test_no_percentage() -> None:
    assert _signals("Le prix monte pour une personne sur quatre.") == []
    assert _signals("Prices rise by 23 percent.", "en") == [("percentage", "23 percent")]
    assert _signals("Prices rise for one person in four.", "en") == []


@pytest.mark.parametrize(("sentence", "numeral"), [
    ("Le château date de Louis XIV.", "XIV"),
    ("Le quartier est né au XXe siècle.", "XXe"),
    ("Il date du XIXᵉ siècle.", "XIXᵉ"),
    ("Lisez le chapitre IV.", "IV"),
    ("Lisez le chapitre V.", "V"),
    ("François Ier y vint.", "Ier"),
    ("Read chapter IV.", "IV"),
])
def test_roman_numeral(sentence: str, numeral: str) -> None:
    language = "en" if sentence.startswith("Read") else "fr"
    assert _signals(sentence, language) == [("roman_numeral", numeral)]


@pytest.mark.parametrize(("sentence", "language"), [
    ("Le quartier est né au vingtième siècle.", "fr"),
    ("Je vis ici depuis dix ans.", "fr"),   # « vis », « dix »: words
    ("Le CD et le CV sont prêts.", "fr"),  # acronyms, not numerals
    ("I think I can.", "en"),               # the pronoun
    ("Le Cid et Le Mans.", "fr"),           # « Le »: L and e, not L-e
    ("De quoi parle-t-on ?", "fr"),         # « De »: not D-e
])
def test_no_roman_numeral(sentence: str, language: str) -> None:
    assert "roman_numeral" not in _kinds(sentence, language)


def test_words_in_capitals() -> None:
    assert _signals("ATTENTION, le marché est fermé.") == [("capitals", "ATTENTION")]
    assert _signals("Ne faites PAS cela.") == [("capitals", "PAS")]
    assert _signals("Il ne faut NE PAS jeter.") == [("capitals", "NE PAS")]
    assert _signals("Attention, le marché est fermé.") == []
    # an acronym is not a word in capitals
    assert _kinds("La SNCF et la CAF viendront.") == {"abbreviation"}


def test_parentheses() -> None:
    assert _signals("La place (voir le plan) sera ombragée.") == [
        ("parentheses", "(voir le plan)")]
    assert _signals("La place sera ombragée, comme le montre le plan.") == []
    # an acronym's meaning in parentheses is where the abbreviation signal asks for it
    assert _signals("Les HLM (habitations à loyer modéré) seront rénovés.") == []


def test_semicolon() -> None:
    assert _signals("La place sera ombragée ; elle aura des bancs.") == [("semicolon", ";")]
    assert _signals("La place sera ombragée. Elle aura des bancs.") == []
    # an HTML entity's semicolon is not one, nor French typography's at the end of a list item
    assert _signals("La place&nbsp;: ombragée.") == []
    assert _signals("Vous pouvez :\n\n- venir ;\n- écrire.\n") == []


def test_signals_come_in_a_fixed_order_with_their_sentence_and_line() -> None:
    markdown = "# Titre\n\nLa place (voir le plan) ; 23 % des HLM du XXe siècle.\n"
    page = analyse_markdown(markdown, "fr", TARGETS["default"])
    (sentence,) = page.flagged
    assert sentence.line == 3
    assert sentence.text == "La place (voir le plan) ; 23 % des HLM du XXe siècle."
    assert sentence.signals == (
        Signal("abbreviation", "HLM"), Signal("percentage", "23 %"),
        Signal("roman_numeral", "XXe"), Signal("parentheses", "(voir le plan)"),
        Signal("semicolon", ";"))
