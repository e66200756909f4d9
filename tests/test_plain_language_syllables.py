"""The syllable counters against words counted by hand (``tests/data/syllables-*.tsv``), and
the rules of the French convention one by one.

The accuracy floors are below what was measured when the lists were written (100 % for
French, on its 597 words written with the rules and on its 331 held-out ones; 100 % for
English once « coordination » was taught, 98.5 % on its 135 held-out words before that): a
change to a counter that loses words fails here, naming them. ``docs/plain-language.md``
reports the figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.plain_language import count_syllables

DATA = Path(__file__).parent / "data"
FLOORS = {
    # language: (every word, the held-out words)
    "fr": (0.98, 0.97),
    "en": (0.97, 0.95),
}
MINIMUM_WORDS = {"fr": 300, "en": 150}


def _rows(language: str) -> list[tuple[str, int, bool]]:
    rows = []
    text = (DATA / f"syllables-{language}.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, count, *note = line.split("\t")
        rows.append((word, int(count), note == ["held-out"]))
    return rows


def _accuracy(rows: list[tuple[str, int, bool]], language: str) -> tuple[float, list[str]]:
    wrong = [f"{word}: {count} by hand, {count_syllables(word, language)} counted"
             for word, count, _ in rows if count_syllables(word, language) != count]
    return 1 - len(wrong) / len(rows), wrong


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_counter_agrees_with_the_words_counted_by_hand(language: str) -> None:
    rows = _rows(language)
    words = [word for word, _, _ in rows]
    assert len(set(words)) >= MINIMUM_WORDS[language]
    every, held_out = FLOORS[language]
    accuracy, wrong = _accuracy(rows, language)
    assert accuracy >= every, "\n".join(wrong)
    accuracy, wrong = _accuracy([row for row in rows if row[2]], language)
    assert accuracy >= held_out, "\n".join(wrong)


def test_each_list_has_held_out_words_drawn_from_real_pages() -> None:
    for language in ("fr", "en"):
        assert sum(held for _, _, held in _rows(language)) >= 100


@pytest.mark.parametrize(("word", "count"), [
    # the final e, es are silent, unless the word has no other vowel
    ("table", 1), ("tables", 1), ("école", 2), ("année", 2), ("années", 2), ("le", 1),
    ("les", 1), ("que", 1),
    # the -ent of verbs is silent; of nouns, adjectives, adverbs and « il vient », said
    ("parlent", 1), ("moment", 2), ("étaient", 2), ("oublient", 2), ("client", 2),
    ("souvent", 2), ("aiment", 1), ("vraiment", 2), ("expriment", 2), ("sentiment", 3),
    ("dorment", 1), ("comment", 2), ("devient", 2), ("patient", 2), ("dent", 1),
    # an e inside the word counts
    ("samedi", 3), ("également", 4),
    # vowel letters of one sound
    ("oiseau", 2), ("feuille", 1), ("accueil", 2), ("œuvre", 1), ("oeil", 1),
    # glides, except after a consonant and l or r
    ("nation", 2), ("nuage", 1), ("jouer", 1), ("trouer", 2), ("oublier", 3), ("bruit", 1),
    # hiatus: é before a vowel, a diaeresis, oe, aé, ao
    ("réaliser", 4), ("poète", 2), ("naïf", 2), ("Noël", 2), ("aéroport", 4), ("chaos", 2),
    ("pays", 2), ("paysage", 3),
    # y between vowels closes the first and opens the next
    ("payer", 2), ("voyage", 2), ("citoyen", 3), ("yeux", 1), ("stylo", 2),
    # qu, gu, ge
    ("quatre", 1), ("guerre", 1), ("aiguë", 2), ("ambiguïté", 4), ("mangeons", 2),
    # elision, hyphens
    ("aujourd'hui", 3), ("aujourd\u2019hui", 3), ("jusqu'à", 2), ("peut-être", 2),
    ("c'est-à-dire", 3),
])
def test_french_convention(word: str, count: int) -> None:
    assert count_syllables(word, "fr") == count


@pytest.mark.parametrize(("word", "language", "count"), [
    ("HLM", "fr", 3),      # read letter by letter
    ("SNCF", "fr", 4),
    ("WC", "fr", 4),       # « double-vé-cé »
    ("2026", "fr", 4),     # one syllable a digit, up to four
    ("23", "fr", 2),
    ("1000000", "en", 4),
    ("Table", "en", 2),    # a capital letter alone changes nothing
    ("Moment", "fr", 2),
])
def test_acronyms_numbers_and_case(word: str, language: str, count: int) -> None:
    assert count_syllables(word, language) == count


def test_a_word_without_a_letter_or_digit_has_no_syllable() -> None:
    assert count_syllables("—", "fr") == 0
    assert count_syllables("'", "en") == 0


def test_a_language_without_a_counter_is_refused() -> None:
    with pytest.raises(ValueError, match="'ar'"):
        count_syllables("كلمة", "ar")


@given(st.text(min_size=1, max_size=30))
def test_any_text_with_a_letter_has_a_syllable(text: str) -> None:
    for language in ("fr", "en"):
        count = count_syllables(text, language)
        if any(character.isalpha() or character.isdigit() for character in text):
            assert count >= 1
        else:
            assert count == 0
