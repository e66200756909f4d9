"""Whether a page explains an acronym where the reader first meets it.

A careful writer explains an acronym in one of these ways, in the sentence of its first use or
the sentence just before or after it (a reader has them all in mind at once):

- in parentheses just after or before it: « les HLM (habitations à loyer modéré) »,
  « habitation à loyer modéré (HLM) » (``parenthesised_meaning``);
- in a markdown abbreviation, ``*[HLM]: habitation à loyer modéré`` (read by ``prose``);
- its words written out, their first letters spelling it (« de » « l' » « of » « the »… may
  stand between them): after a dash, a colon or a comma, « la CNIL, Commission nationale de
  l'informatique et des libertés », « HLM : habitation à loyer modéré »; or anywhere nearby,
  « La Commission nationale de l'informatique et des libertés protège vos données. Écrivez à
  la CNIL. » An acronym of two letters needs its words right next to it (« l'UE, l'Union
  européenne »): two first letters are met by chance too often (« il part »);
- a sentence that says what it means: « CNIL veut dire … », « IP signifie … », « L'adresse IP
  est le numéro de votre connexion », « IP means … », « An IP address is the number … »
  (« est », « is » followed by « un », « le », « a », « the »…: « La CNIL est fermée » says
  nothing of what it is); or a glossary line, the acronym first then a colon or a dash,
  « IP : le numéro de votre connexion à internet ».

A machine sees the form, not whether the words truly explain: « La CAF est le bon endroit »
passes. What these rules keep out are the unexplained uses: « Écrivez à la CNIL : elle répond
vite », « La CNIL est fermée le lundi ».
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_PARENTHESES = re.compile(r"\([^()]*\)")
_OPENING = re.compile(r"\(\s*$")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_SMALL_WORDS = {
    "fr": frozenset(("de", "du", "des", "d", "la", "le", "les", "l", "et", "à", "au", "aux",
                     "en", "pour", "sur", "par", "un", "une")),
    "en": frozenset(("of", "the", "and", "for", "on", "in", "to", "a", "an", "at", "by")),
}
"""Words an expansion may hold without a letter in the acronym (« Commission nationale de
l'informatique et des libertés »: CNIL). They never give one, nor does a word of one or two
letters: otherwise « is closed on » would spell ICO."""
_SHORTEST_SPELLING_WORD = 3
_ELIDED = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['\u2019]", re.IGNORECASE)
"""An elided French article or pronoun before a word (« l'informatique », « d'allocations »);
not an English possessive (« Commissioner's »)."""
_PUNCTUATION = r"^[\s,:\u2014\u2013\-«»\"“”]*"
_BETWEEN = {
    "fr": re.compile(_PUNCTUATION + r"(?:(?:la|le|les|l['\u2019]|une?|de|du|des|d['\u2019])"
                     r"\s*)?[\s«\"“]*$", re.IGNORECASE),
    "en": re.compile(_PUNCTUATION + r"(?:(?:the|an?|of)\s+)?[\s«\"“]*$", re.IGNORECASE),
}
"""What may stand between an acronym and its words right next to it: punctuation, an article."""
_ARTICLES = {"fr": frozenset(("la", "le", "les", "un", "une")),
             "en": frozenset(("the", "a", "an"))}
_SAYS_WHAT = {
    "fr": r"(?:veu(?:t|lent) dire|signifient?|désignent?|(?:est|sont|,\s*c['\u2019]est)\s+"
          r"(?:«|\"|“|un|une|le|la|les|l['\u2019]|des|du|ce|celui|celle|ceux)(?![^\W\d_]))",
    "en": r"(?:means?|stands? for|is short for|refers? to|(?:is|are)\s+(?:“|\"|a|an|the)"
          r"(?![^\W\d_]))",
}
"""What a sentence saying what an acronym means has after it (a noun may stand between: « IP
address is the number »)."""
_GLOSSARY = r"^\W*{acronym}\W*\s*[:\u2014\u2013-]\s*[^\W\d_]+\W+[^\W\d_]+"
"""A glossary line: the acronym first, then a colon or a dash and at least two words."""


def parenthesised_meaning(sentence: str, acronym: str, start: int) -> str:
    """The parentheses that give ``acronym``'s meaning where it stands, or ""."""
    after = _PARENTHESES.match(sentence, start + len(acronym) + 1)
    if after is None:
        after = _PARENTHESES.match(sentence, start + len(acronym))
    if after and len(after.group()) > len(acronym) + 3 and acronym not in after.group():
        return after.group()
    before = sentence[:start]
    if _OPENING.search(before) and sentence[start + len(acronym):].lstrip().startswith(")"):
        opening = before.rindex("(")
        closing = sentence.index(")", start)
        if re.search(r"\w{2,}\W+\w{2,}", sentence[:opening]):
            return sentence[opening:closing + 1]
    return ""


def explained_nearby(acronym: str, sentence: str, start: int, *, before: str, after: str,
                     language: str) -> bool:
    """Whether the acronym standing at ``start`` in ``sentence`` is explained there or in the
    sentence ``before`` or ``after`` it, by its words written out or by a sentence saying what
    it means (the module's docstring lists the forms)."""
    letters = "".join(character for character in acronym if character.isalpha()).lower()
    if len(letters) < 2:
        return False
    if _spelled_next_to(letters, sentence, start, start + len(acronym), language):
        return True
    if len(letters) > 2 and any(_spelled_in(letters, text, language)
                                for text in (sentence, before, after)):
        return True
    says = _says_what(acronym, language)
    glossary = _glossary(acronym)
    return any(says.search(text) or glossary.search(text) for text in (sentence, after))


@cache
def _says_what(acronym: str, language: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![^\W_]){re.escape(acronym)}(?![^\W_])"
                      rf"(?:\s+[^\W\d_]+)?\s*{_SAYS_WHAT[language]}")


@cache
def _glossary(acronym: str) -> re.Pattern[str]:
    return re.compile(_GLOSSARY.format(acronym=re.escape(acronym)))


def _initial(word: str) -> str:
    """A word's first letter, lower case, without its accent (« État »: e); an elided article
    before it left aside (« l'informatique »: i)."""
    return unicodedata.normalize("NFD", _ELIDED.sub("", word)[:1])[:1].lower()


def _words(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def _run_length(letters: str, words: list[str], language: str) -> int:
    """How many of ``words``, from the first, spell ``letters`` with their initials (small
    words between them left aside); 0 when they do not. The first word gives the first
    letter."""
    small = _SMALL_WORDS[language]
    letter = 0
    for count, text in enumerate(words, start=1):
        bare = _ELIDED.sub("", text)
        if bare.lower() in small or text.lower() in small:
            if letter == 0:
                return 0
            continue
        if (_initial(text) != letters[letter] or text.isupper()
                or len(bare) < _SHORTEST_SPELLING_WORD):
            return 0
        letter += 1
        if letter == len(letters):
            return count
    return 0


def _spelled_in(letters: str, text: str, language: str) -> bool:
    """Whether a run of ``text``'s words spells ``letters`` with their initials."""
    words = [match.group() for match in _words(text)]
    return any(_run_length(letters, words[index:index + 3 * len(letters)], language)
               for index in range(len(words)))


def _spelled_next_to(letters: str, sentence: str, start: int, end: int, language: str) -> bool:
    """Whether the words spelling ``letters`` stand right after the acronym (``start`` to
    ``end`` in ``sentence``), or end right before it, with nothing but punctuation or an
    article between."""
    between = _BETWEEN[language]
    after = [match for match in _words(sentence) if match.start() >= end]
    if after and after[0].group().lower() in _ARTICLES[language]:
        after = after[1:]  # « la CNIL, la Commission nationale… »
    if after and between.match(sentence[end:after[0].start()]) and _run_length(
            letters, [match.group() for match in after[:3 * len(letters)]], language):
        return True
    before = [match for match in _words(sentence) if match.end() <= start]
    for first in range(len(before)):
        length = _run_length(letters, [match.group() for match in before[first:]], language)
        if length and between.match(sentence[before[first + length - 1].end():start]):
            return True
    return False
