"""Readability scores of reference texts, computed by hand in the comments, and the targets."""

from __future__ import annotations

import pytest

from site_builder.plain_language import TARGETS, Target, analyse_markdown, score

FRENCH = ("La mairie veut connaître votre avis sur la place du marché. "
          "Répondez au questionnaire avant le 30 juin.")
# Sentence 1: La 1, mairie 2 (mai-rie), veut 1, connaître 2 (con-naître), votre 1, avis 2,
#   sur 1, la 1, place 1, du 1, marché 2 (mar-ché): 11 words, 15 syllables.
# Sentence 2: Répondez 3 (ré-pon-dez), au 1, questionnaire 3 (ques-tion-naire), avant 2,
#   le 1, 30 2 (two digits: « trente » is 1, the rule says 2), juin 1: 7 words, 13 syllables.
# 2 sentences, 18 words, 28 syllables.
# Kandel & Moles: 207 - 1.015 * 18/2 - 73.6 * 28/18
#               = 207 - 9.135 - 114.48889 = 83.37611
FRENCH_SCORE = 83.37611

ENGLISH = "The town wants your opinion on the market square. Answer the survey before 30 June."
# Sentence 1: The 1, town 1, wants 1, your 1, opinion 3 (o-pin-ion), on 1, the 1,
#   market 2, square 1: 9 words, 12 syllables.
# Sentence 2: Answer 2, the 1, survey 2, before 2, 30 2, June 1: 6 words, 10 syllables.
# 2 sentences, 15 words, 22 syllables.
# Flesch: 206.835 - 1.015 * 15/2 - 84.6 * 22/15 = 206.835 - 7.6125 - 124.08 = 75.1425
ENGLISH_SCORE = 75.1425

HARD = ("Conformément aux dispositions réglementaires applicables, la municipalité procédera "
        "ultérieurement à l'évaluation approfondie des contributions recueillies.")
# Conformément 4 (con-for-mé-ment), aux 1, dispositions 4 (dis-po-si-tions), réglementaires 4
# (ré-gle-men-taires), applicables 3 (ap-pli-cables), la 1, municipalité 6 (mu-ni-ci-pa-li-té),
# procédera 4 (pro-cé-de-ra), ultérieurement 5 (ul-té-rieu-re-ment), à 1, l'évaluation 4
# (é-va-lua-tion), approfondie 4 (ap-pro-fon-die), des 1, contributions 4 (con-tri-bu-tions),
# recueillies 3 (re-cueil-lies).
# 4 + 1 + 4 + 4 + 3 + 1 + 6 + 4 + 5 + 1 + 4 + 4 + 1 + 4 + 3 = 49 syllables, 15 words,
# 1 sentence.
# Kandel & Moles: 207 - 1.015 * 15 - 73.6 * 49/15 = 207 - 15.225 - 240.42667 = -48.65167
HARD_SCORE = -48.65167


def test_a_french_reference_text() -> None:
    page = analyse_markdown(FRENCH, "fr", TARGETS["default"])
    assert (page.sentences, page.words, page.syllables) == (2, 18, 28)
    assert page.score == pytest.approx(FRENCH_SCORE, abs=1e-4)
    assert not page.below_target


def test_an_english_reference_text() -> None:
    page = analyse_markdown(ENGLISH, "en", TARGETS["default"])
    assert (page.sentences, page.words, page.syllables) == (2, 15, 22)
    assert page.score == pytest.approx(ENGLISH_SCORE, abs=1e-4)


def test_an_administrative_sentence_is_far_below_the_target() -> None:
    page = analyse_markdown(HARD, "fr", TARGETS["default"])
    assert (page.sentences, page.words, page.syllables) == (1, 15, 49)
    assert page.score == pytest.approx(HARD_SCORE, abs=1e-4)
    assert page.below_target


def test_the_formulas() -> None:
    # 207 - 1.015 * 10 - 73.6 * 1.5 = 207 - 10.15 - 110.4 = 86.45
    assert score("fr", 1, 10, 15) == pytest.approx(86.45)
    # 206.835 - 1.015 * 10 - 84.6 * 1.5 = 206.835 - 10.15 - 126.9 = 69.785
    assert score("en", 1, 10, 15) == pytest.approx(69.785)
    assert score("fr", 0, 0, 0) is None
    assert score("ar", 1, 10, 15) is None


def test_a_page_without_prose_or_in_another_language_has_no_score() -> None:
    assert analyse_markdown("```python\nprint(1)\n```\n", "fr", TARGETS["default"]).score is None
    page = analyse_markdown("مرحبا بكم في الاستشارة.", "ar", TARGETS["default"])
    assert (page.score, page.sentences, page.flagged, page.below_target) == (None, 0, (), False)


def test_a_region_is_its_language() -> None:
    page = analyse_markdown(FRENCH, "fr-BE", TARGETS["default"])
    assert page.language == "fr"
    assert page.score == pytest.approx(FRENCH_SCORE, abs=1e-4)


def test_the_targets() -> None:
    default, falc = TARGETS["default"], TARGETS["falc"]
    assert (default.name, default.max_words, default.min_score) == ("default", 15, 60.0)
    assert falc.max_words < default.max_words and falc.min_score > default.min_score
    # the same page can reach one target and not the other
    page = analyse_markdown(FRENCH, "fr", Target("strict", 15, 90.0))
    assert page.below_target
