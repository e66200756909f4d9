"""The signals a machine can see in a sentence (the easy-to-read rules' checklist, FALC).

- ``long_sentence``: more than ``target.max_words`` words.
- ``long_word``: 4 syllables or more and not among the language's common words (nor its
  singular); names (a capital inside the sentence) and acronyms are left aside.
- ``abbreviation``: an acronym — 2 to 6 capitals, digits after them allowed (« HLM », « CM2 »),
  or capitals with dots (« H.L.M. ») — whose meaning the page does not give at its first use:
  in parentheses just after it (« HLM (habitation à loyer modéré) ») or just before it
  (« habitation à loyer modéré (HLM) »), in a markdown abbreviation (``*[HLM]: ...``), its
  words written out nearby (« la CNIL, Commission nationale de l'informatique et des
  libertés »), or a sentence saying what it is (« IP veut dire… », « L'adresse IP est le
  numéro… »): ``acronyms`` has every accepted form. Only its first use is flagged: that is
  where to explain it. ``ALLOWED`` acronyms everyone reads as
  words are not flagged. Written abbreviations (« etc. », « M. Dupont », « Mme », « n° 3 »,
  « e.g. ») are flagged wherever they stand: write the words.
- ``percentage``: « 23 % », « 23% », « 23 pour cent », « per cent », « ‰ ».
- ``roman_numeral``: « XXIe siècle », « Louis XIV », « chapitre IV », « Ier ». A numeral made
  only of I, V and X is one (« II », « XIV »), as is one with an ordinal ending (« XIXe »,
  « IIIe »), but a lone letter or one with C, D, L or M needs a word around it that says so
  (« siècle », « chapitre », « tome »… « century », « chapter »…): « CD », « CV », « M. »,
  English « I » are not numerals.
- ``capitals``: words in capitals that are not an acronym: a common word (« ATTENTION »,
  « NE PAS »), or a word of 7 capitals or more.
- ``parentheses``: each ``(…)``, except an acronym's meaning.
- ``semicolon``: a ``;`` between two parts of a sentence (not the one French typography puts
  at the end of a list item).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from site_builder.plain_language import prose
from site_builder.plain_language.acronyms import explained_nearby, parenthesised_meaning
from site_builder.plain_language.model import (
    ABBREVIATION,
    CAPITALS,
    LONG_SENTENCE,
    LONG_WORD,
    PARENTHESES,
    PERCENTAGE,
    ROMAN_NUMERAL,
    SEMICOLON,
    SIGNAL_KINDS,
    Signal,
    Target,
)
from site_builder.plain_language.words import Word, frequency_rank, is_common

LONG_WORD_SYLLABLES = 4
ALLOWED = {
    "fr": frozenset({"OK", "SMS", "PDF", "TV", "WC", "GPS", "USB", "CEDEX"}),
    "en": frozenset({"OK", "SMS", "PDF", "TV", "GPS", "USB", "UK", "US", "USA", "CEDEX"}),
}
"""Acronyms read as words by everyone, never flagged."""
_CAPITAL_WORD_LETTERS = 7
_FREQUENT_SHORT_WORDS = 500
_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûü")
"""A word of 2 or 3 capitals is shouted when it is among this many most frequent words."""
_ACRONYM = re.compile(r"^[A-ZÀ-ÖØ-Þ]{2,6}\d*$")
_DOTTED = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}(?!\w)")
_WRITTEN = {
    "fr": re.compile(r"(?<!\w)(?:etc\.|cf\.|env\.|p\. ?ex\.|ex\.(?= ?:)|c\.-à-d\.|tél\.|"
                     r"n°(?= ?\d)|art\.(?= ?\d)|av\.(?= [A-ZÀ-Ý])|bd(?= [A-ZÀ-Ý])|"
                     r"M\.(?= [A-ZÀ-Ý])|Mmes?|Mlles?|Dr|Pr|qqn|qqch|svp)(?!\w)"),
    "en": re.compile(r"(?<!\w)(?:etc\.|cf\.|e\.g\.|i\.e\.|approx\.|vs\.?|no\.(?= ?\d)|"
                     r"Mr\.?|Mrs\.?|Ms\.?|Dr\.?|St\.(?= [A-Z]))(?!\w)"),
}
_PERCENTAGE = {
    "fr": re.compile(r"\d+(?:[.,]\d+)?\s?(?:%|‰|pour\s?(?:cent|mille)\b)|%|‰|"
                     r"\bpour\s?cent\b", re.IGNORECASE),
    "en": re.compile(r"\d+(?:\.\d+)?\s?(?:%|‰|per\s?cent\b)|%|‰|\bper\s?cent\b",
                     re.IGNORECASE),
}
_ROMAN = re.compile(r"^(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
                    r"(er|re|ère|e|ème|eme|è|ᵉ|ᵉʳ|th|st|nd|rd)?$")
_ORDINAL_ENDINGS = {"fr": {"er", "re", "ère", "e", "ème", "eme", "è", "ᵉ", "ᵉʳ"},
                    "en": {"th", "st", "nd", "rd"}}


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ROMAN_CONTEXT = _word_set("""
siècle siècles chapitre chapitres tome tomes livre acte titre article partie volume annexe scène
section république empire dynastie century centuries chapter part volume book act title appendix
article war
""")
_ELISION = re.compile(r"['\u2019]")
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W\d_]+)*")
_PARENTHESES = re.compile(r"\([^()]*\)")
_JOINING_SEMICOLON = re.compile(r";\s*\w")
"""A semicolon between two parts of a sentence; not the one ending a list item (« - prendre un
questionnaire ; »), which French typography puts there."""


class _Token(NamedTuple):
    text: str
    start: int
    end: int


class SignalReader:
    """Reads the signals of a page's sentences in order: it remembers which acronyms the page
    has met, so that only an acronym's first use is flagged."""

    def __init__(self, language: str, target: Target, definitions: Mapping[str, str]) -> None:
        self.language = language
        self.target = target
        self.met: set[str] = set(definitions)

    def signals(self, sentence: str, words: list[Word], before: str = "",
                after: str = "") -> tuple[Signal, ...]:
        """The signals of ``sentence`` (whose words are ``words``), in ``SIGNAL_KINDS`` order;
        ``before`` and ``after`` are the sentences around it, where an acronym may be
        explained."""
        found: list[Signal] = []
        if len(words) > self.target.max_words:
            found.append(Signal(LONG_SENTENCE, str(len(words))))
        found += self._long_words(words)
        capitals, acronyms, numerals = self._capital_tokens(sentence)
        explained: list[str] = []
        for text, start in acronyms:
            if text in self.met:
                continue
            self.met.add(text)
            meaning = parenthesised_meaning(sentence, text, start)
            if meaning:
                explained.append(meaning)
            elif not explained_nearby(text, sentence, start, before=before, after=after,
                                      language=self.language):
                found.append(Signal(ABBREVIATION, text))
        found += [Signal(ABBREVIATION, match.group())
                  for match in _WRITTEN[self.language].finditer(sentence)]
        if _may_have(_PERCENT_HINT, sentence):
            found += [Signal(PERCENTAGE, match.group().strip())
                      for match in _PERCENTAGE[self.language].finditer(sentence)]
        found += [Signal(ROMAN_NUMERAL, text) for text in numerals]
        found += [Signal(CAPITALS, text) for text in capitals]
        if _may_have(_OPENING_PARENTHESIS, sentence):
            found += [Signal(PARENTHESES, match.group())
                      for match in _PARENTHESES.finditer(sentence)
                      if match.group() not in explained]
        if _may_have(_SEMICOLON, sentence) and _JOINING_SEMICOLON.search(sentence):
            found.append(Signal(SEMICOLON, ";"))
        if not found:
            return ()
        return tuple(sorted(found, key=lambda signal: SIGNAL_KINDS.index(signal.kind)))

    def _long_words(self, words: list[Word]) -> list[Signal]:
        flagged: list[Signal] = []
        for position, word in enumerate(words):
            if word.syllables < LONG_WORD_SYLLABLES or word.is_number:  # most words: short
                continue
            letters = [character for character in word.text if character.isalpha()]
            if all(character.isupper() for character in letters):
                continue  # an acronym, or capitals: their own signals
            if position > 0 and word.text.rsplit("'", 1)[-1][:1].isupper():
                continue  # a name: not a word to replace
            text = _ELISION.split(word.text)[-1] if self.language == "fr" else word.text
            if not is_common(text, self.language) and text not in {
                    signal.text for signal in flagged}:
                flagged.append(Signal(LONG_WORD, text))  # « d'accessibilité »: accessibilité
        return flagged

    def _capital_tokens(self, sentence: str
                        ) -> tuple[list[str], list[tuple[str, int]], list[str]]:
        """The sentence's words in capitals, its acronyms (with where they start) and its Roman
        numerals."""
        if prose.SKIP_BY_HINTS and sentence[1:].islower() and sentence[:1] not in _NUMERALS:
            return [], [], []  # most sentences: a capital at most at the start, not a numeral
        tokens = list(_TOKEN.finditer(sentence))
        capitals: list[str] = []
        acronyms = [(match.group(), match.start()) for match in _DOTTED.finditer(sentence)]
        numerals: list[str] = []
        run: list[_Token] = []
        for index, token in enumerate(tokens):
            text = token.group()
            if text.islower():  # (a token without a cased letter takes the longer way)
                if run:
                    self._end_run(run, sentence, capitals, acronyms)
                    run = []
                continue  # most words: nothing in capitals
            text = _ELISION.split(text)[-1]  # « L'ONU »: ONU
            if self._is_numeral(text, tokens, index):
                numerals.append(text)
                text = ""
            if text and text.isupper() and any(character.isalpha() for character in text):
                run.append(_Token(text, token.end() - len(text), token.end()))
                continue
            self._end_run(run, sentence, capitals, acronyms)
            run = []
        self._end_run(run, sentence, capitals, acronyms)
        return capitals, acronyms, numerals

    def _end_run(self, run: list[_Token], sentence: str, capitals: list[str],
                 acronyms: list[tuple[str, int]]) -> None:
        """Sorts a run of words in capitals into shouted words and acronyms."""
        if not run:
            return
        if any(self._shouted(token.text) for token in run):
            capitals.append(sentence[run[0].start:run[-1].end])
            return
        acronyms += [(token.text, token.start) for token in run
                     if _ACRONYM.match(token.text) and token.text not in ALLOWED[self.language]]

    def _shouted(self, word: str) -> bool:
        """Whether ``word``, in capitals, is a word written loud rather than an acronym: a long
        one; a common word of 4 to 6 letters with a vowel (« STOP », « VOTE »; but « SNCF »);
        one of the most frequent short words (« NE PAS », « OUI »; but « ONU », « TVA »)."""
        if word in ALLOWED[self.language] or _ACRONYM_DIGITS.match(word) or len(word) < 2:
            return False
        if len(word) >= _CAPITAL_WORD_LETTERS:
            return True
        rank = frequency_rank(word, self.language)
        if rank is None:
            return False
        if len(word) >= 4:
            return any(character in _VOWELS for character in word.lower())
        return rank < _FREQUENT_SHORT_WORDS

    def _is_numeral(self, text: str, tokens: list[re.Match[str]], index: int) -> bool:
        match = _ROMAN.match(text)
        if match is None:
            return False
        ending = match.group(1)
        numeral = text[:len(text) - len(ending or "")]
        if ending is not None:
            return ending in _ORDINAL_ENDINGS[self.language] and (
                len(numeral) >= 2 or numeral in {"I", "V", "X"})
        before = tokens[index - 1].group().lower() if index > 0 else ""
        after = tokens[index + 1].group().lower() if index + 1 < len(tokens) else ""
        context = before in _ROMAN_CONTEXT or after.startswith(("siècle", "centur"))
        if len(numeral) >= 2 and set(numeral) <= {"I", "V", "X"}:
            return True
        return context


_ACRONYM_DIGITS = re.compile(r"^[A-Z]{1,6}\d+$")
_NUMERALS = "IVXLCDM"
"""The letters a Roman numeral starts with (an empty sentence is not skipped either)."""
_PERCENT_HINT = re.compile(r"[%‰]|pour|per", re.IGNORECASE)
"""What every percentage has: « % », « ‰ », « pour cent », « per cent »."""
_OPENING_PARENTHESIS = re.compile(r"\(")
_SEMICOLON = re.compile(";")


def _may_have(hint: re.Pattern[str], sentence: str) -> bool:
    """Whether ``sentence`` may hold a signal: it has what every such signal has (a quick
    search, where the signal's own pattern is slower), or the shortcuts are off."""
    return not prose.SKIP_BY_HINTS or hint.search(sentence) is not None
