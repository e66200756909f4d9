"""An acronym explained the way a careful writer explains it is not flagged; the same acronym
without its explanation is (each form both ways, in French and English)."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.plain_language import TARGETS, analyse_markdown


def _unexplained(markdown: str, language: str) -> list[str]:
    page = analyse_markdown(markdown, language, TARGETS["default"])
    return [signal.text for sentence in page.flagged for signal in sentence.signals
            if signal.kind == "abbreviation"]


@pytest.mark.parametrize(("explained", "unexplained", "acronym", "language"), [
    # after a dash, a colon or a comma (an apposition), with or without an article
    ("La CNIL — Commission nationale de l'informatique et des libertés — répond.",
     "La CNIL — elle protège vos données — répond.", "CNIL", "fr"),
    ("Les HLM : habitations à loyer modéré.",
     "Les HLM : elles seront rénovées.", "HLM", "fr"),
    ("Écrivez à la CNIL, Commission nationale de l'informatique et des libertés.",
     "Écrivez à la CNIL, elle répond en un mois.", "CNIL", "fr"),
    ("Écrivez à la CNIL, la Commission nationale de l'informatique et des libertés.",
     "Écrivez à la CNIL, la commission qui protège vos données.", "CNIL", "fr"),
    ("Write to the ICO, the Information Commissioner's Office.",
     "Write to the ICO: it answers within a month.", "ICO", "en"),
    # the words before it, then a comma or a dash
    ("La caisse d'allocations familiales, la CAF, vous aide.",
     "La caisse, la CAF, vous aide.", "CAF", "fr"),
    # two letters: the words right next to it, never further away
    ("L'UE, l'Union européenne, aide les villes.",
     "L'UE aide les villes. Une usine est européenne.", "UE", "fr"),
    ("Votre IP, Internet Protocol, change.",
     "Il part. Votre IP change.", "IP", "fr"),
    # the words in the sentence before or after (three letters or more)
    ("La Commission nationale de l'informatique et des libertés protège vos données. "
     "Écrivez à la CNIL.",
     "Une commission protège vos données. Écrivez à la CNIL.", "CNIL", "fr"),
    ("Écrivez à la CNIL. La Commission nationale de l'informatique et des libertés répond.",
     "Écrivez à la CNIL. Elle répond.", "CNIL", "fr"),
    ("Write to the ICO. The Information Commissioner's Office answers.",
     "Write to the ICO. It is closed on Mondays.", "ICO", "en"),
    # a sentence saying what it means, there or just after
    ("Vous pouvez écrire à la CNIL. CNIL veut dire « Commission nationale de l'informatique "
     "et des libertés ».",
     "Vous pouvez écrire à la CNIL. La CNIL veut votre avis.", "CNIL", "fr"),
    ("Nous ne gardons pas votre adresse IP. L'adresse IP est le numéro de votre connexion.",
     "Nous ne gardons pas votre adresse IP. L'adresse IP est effacée.", "IP", "fr"),
    ("La CAF signifie caisse d'allocations familiales.",
     "La CAF paie le premier du mois.", "CAF", "fr"),
    ("Le RGAA, c'est le référentiel de l'État.",
     "Le RGAA, c'est écrit, doit être suivi.", "RGAA", "fr"),
    ("Your IP changes. IP stands for Internet Protocol.",
     "Your IP changes. IP addresses run out.", "IP", "en"),
    ("Your IP address is the number of your connection.",
     "Your IP address is deleted.", "IP", "en"),
    ("The ICO means the office that protects your data.",
     "The ICO is closed on Mondays.", "ICO", "en"),
    # a glossary line: the acronym first, then a colon or a dash
    ("IP : le numéro de votre connexion à internet.",
     "Adresse IP : à effacer.", "IP", "fr"),
    ("ICO — the office that protects your data.",
     "Ask the ICO — they know.", "ICO", "en"),
])
def test_explained_acronym(explained: str, unexplained: str, acronym: str,
                           language: str) -> None:
    assert _unexplained(explained, language) == []
    assert _unexplained(unexplained, language) == [acronym]


def test_only_the_next_sentence_explains() -> None:
    """Two sentences later is too far: the reader has gone on without knowing."""
    assert _unexplained("Écrivez à la CNIL. Elle répond. CNIL veut dire « Commission nationale "
                        "de l'informatique et des libertés ».", "fr") == ["CNIL"]


def test_the_example_privacy_page_explains_its_acronyms() -> None:
    """The false flags that started this: « IP » and « CNIL » are explained on the page."""
    text = (Path(__file__).parent.parent / "content" / "confidentialite.md").read_text("utf-8")
    assert _unexplained(text, "fr") == []


def test_cedex_is_read_as_a_word() -> None:
    """A French postal address's « CEDEX » is said as a word, and cannot be written out."""
    assert _unexplained("Écrivez au 75342 Paris CEDEX 07.", "fr") == []
    assert _unexplained("Write to 75342 Paris CEDEX 07.", "en") == []
    assert _unexplained("Écrivez au 75342 Paris SCEDEX 07.", "fr") == ["SCEDEX"]
