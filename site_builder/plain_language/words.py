"""Words of a sentence as the measure counts them, and each language's common words.

A word is a run of letters, apostrophes inside it included (« l'école », « aujourd'hui »,
« don't » are one word each: one word said, not two); a hyphen parts two words (« c'est-à-dire »
is three). A number is a word too (« 2026 ») and counts one syllable per digit, up to four: about
what « deux mille vingt-six » or « vingt-trois » take to say.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

from site_builder.plain_language.syllables_en import count_english
from site_builder.plain_language.syllables_fr import count_french

SUPPORTED_LANGUAGES = ("fr", "en")
_COUNTERS = {"fr": count_french, "en": count_english}
_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*['\u2019]?|\d+(?:[.,]\d+)*")
_NUMBER_SYLLABLES_MAX = 4
LONGEST_WORD = 50
"""Characters: longer than any word of French (« anticonstitutionnellement », 25) or English."""
_SPELLED_LETTERS = {"w": 3}
"""An acronym read letter by letter: one syllable a letter, « double-vé » three."""


class Word(NamedTuple):
    """A word of a sentence: as written, where it starts in the sentence, its syllables. (A
    named tuple: a page makes tens of thousands, and a tuple is quicker to make than a frozen
    dataclass.)"""

    text: str
    start: int
    syllables: int

    @property
    def is_number(self) -> bool:
        return self.text[0].isdigit()


@lru_cache(maxsize=1 << 16)
def count_syllables(word: str, language: str) -> int:
    """The syllables ``word`` takes to say in ``language`` (``fr`` or ``en``): at least 1 for a
    word with a letter or a digit, 0 for one without. An acronym of capitals (« HLM ») is spelled
    letter by letter; a number counts one syllable per digit, up to four; a "word" longer than
    any real one (``LONGEST_WORD`` characters: a code, a key pasted in) one per 3 letters.

    Remembered: a page says the same words again and again."""
    counter = _COUNTERS.get(language)
    if counter is None:
        raise ValueError(f"no syllable counter for {language!r}: "
                         f"choose one of {', '.join(SUPPORTED_LANGUAGES)}")
    digits = sum(character.isdigit() for character in word)
    if digits and not any(character.isalpha() for character in word):
        return min(digits, _NUMBER_SYLLABLES_MAX)
    letters = [character for character in word if character.isalpha()]
    if len(word) > LONGEST_WORD:
        return max(1, len(letters) // 3)
    if 2 <= len(letters) <= 6 and all(character.isupper() for character in letters):
        return sum(_SPELLED_LETTERS.get(character.lower(), 1) for character in letters)
    return counter(word)


def sentence_words(sentence: str, language: str) -> list[Word]:
    """The words of ``sentence`` with their syllables in ``language``."""
    return [Word(found.group().rstrip("'\u2019"), found.start(),
                 count_syllables(found.group(), language))
            for found in _TOKEN.finditer(sentence)]


@cache
def _ranks(language: str) -> dict[str, int]:
    """The language's common words (``data/common-<language>.txt``, most frequent first) with
    their rank, 0 for the most frequent; empty for a language without a list."""
    try:
        text = (resources.files("site_builder.plain_language") / "data"
                / f"common-{language}.txt").read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    words = [line.strip() for line in text.splitlines()
             if line.strip() and not line.startswith("#")]
    return {word: rank for rank, word in reversed(list(enumerate(words)))}


@cache
def common_words(language: str) -> frozenset[str]:
    """The language's common words, in lower case."""
    return frozenset(_ranks(language))


def frequency_rank(word: str, language: str) -> int | None:
    """``word``'s rank among the language's common words (0: the most frequent), any case;
    None when it is not one of them."""
    return _ranks(language).get(word.lower())


_FRENCH_ENDINGS = ("aient", "eront", "erez", "ions", "iez", "ons", "ent", "ait", "ais", "era",
                   "ez", "ées", "és", "ée", "é")
"""Verb endings whose infinitive in -er is looked up (« participez »: « participer »)."""
_ENGLISH_ENDINGS = ("ing", "ed", "es", "ly", "s")


def is_common(word: str, language: str) -> bool:
    """Whether ``word`` (any case) is among the language's common words, or its singular, or
    the infinitive of a verb form (« participez », « organisées »; « supporting »); an elided
    article or pronoun is left aside (« l'organisation » is « organisation »)."""
    common = _ranks(language)
    lower = word.lower().replace("\u2019", "'")
    if language == "fr" and "'" in lower:
        lower = lower.rsplit("'", 1)[-1]
    candidates = [lower]
    if len(lower) > 3 and lower[-1] in "sx":
        candidates.append(lower[:-1])
    if language == "fr":
        candidates += [lower[:-len(ending)] + "er" for ending in _FRENCH_ENDINGS
                       if lower.endswith(ending) and len(lower) - len(ending) >= 3]
    else:
        candidates += [stem for ending in _ENGLISH_ENDINGS
                       if lower.endswith(ending) and len(lower) - len(ending) >= 3
                       for stem in (lower[:-len(ending)], lower[:-len(ending)] + "e")]
    return any(candidate in common for candidate in candidates)
