"""What the plain-language measure returns: a page's target, its signals, its flagged sentences.

Plain data, frozen: the build (``plugins/parole/readability.py``), ``parole readability`` and the
tests read the same objects.
"""

from __future__ import annotations

from dataclasses import dataclass

LONG_SENTENCE = "long_sentence"
LONG_WORD = "long_word"
ABBREVIATION = "abbreviation"
PERCENTAGE = "percentage"
ROMAN_NUMERAL = "roman_numeral"
CAPITALS = "capitals"
PARENTHESES = "parentheses"
SEMICOLON = "semicolon"
SIGNAL_KINDS = (LONG_SENTENCE, LONG_WORD, ABBREVIATION, PERCENTAGE, ROMAN_NUMERAL, CAPITALS,
                PARENTHESES, SEMICOLON)
"""Every kind of signal, in the order a flagged sentence lists them."""


@dataclass(frozen=True)
class Target:
    """What a page must reach: sentences of at most ``max_words`` words, and a score (Kandel &
    Moles in French, Flesch reading ease in English) of at least ``min_score``."""

    name: str
    max_words: int
    min_score: float


TARGETS: dict[str, Target] = {
    # 60 is the bottom of the formulas' "standard" band (60-70: plain language for the general
    # public; 50-60 "fairly difficult" is where administrative letters sit). 15 words: the issue's
    # default, about what a reader keeps in mind in one go (the French administration's guide
    # "Écrire simplement" and the UK's GOV.UK style guide both say 15 to 20, fewer is better).
    "default": Target("default", max_words=15, min_score=60.0),
    # Easy-to-read (FALC, "facile à lire et à comprendre"): Inclusion Europe's rules ask for short
    # sentences, one idea each; 10 words and the "easy" band (80-90) of the formulas.
    "falc": Target("falc", max_words=10, min_score=80.0),
}
"""The targets a page can ask for in its front matter (``plain_language: falc``)."""


@dataclass(frozen=True)
class Signal:
    """One thing a machine can see that makes a sentence harder to read.

    ``kind`` is one of ``SIGNAL_KINDS``; ``text`` the words concerned, as written ("HLM",
    "(voir l'annexe)", "23 %", "XIVe", "ATTENTION", ";"), and for a long sentence its number of
    words ("23")."""

    kind: str
    text: str


@dataclass(frozen=True)
class FlaggedSentence:
    """A sentence with at least one signal, where it starts in the markdown (1-based line)."""

    line: int
    text: str
    signals: tuple[Signal, ...]
    words: int = 0
    """Its number of words, as the measure counts them."""


@dataclass(frozen=True)
class PageReadability:
    """One page measured: its score and what to rewrite.

    ``score`` is None when the page has no prose or its language has no formula here (then the
    counts are 0 and nothing is flagged)."""

    language: str
    target: Target
    score: float | None
    sentences: int
    words: int
    syllables: int
    flagged: tuple[FlaggedSentence, ...]

    @property
    def below_target(self) -> bool:
        """Whether the page's score is below its target's (a page without a score is not)."""
        return self.score is not None and self.score < self.target.min_score
