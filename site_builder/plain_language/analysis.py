"""One page measured: its score (Kandel & Moles in French, Flesch reading ease in English) and
its sentences to rewrite.

Both formulas weigh the same two things, long sentences and long words:

- French, Kandel & Moles (1958): ``207 - 1.015 * words/sentence - 73.6 * syllables/word``;
- English, Flesch (1948): ``206.835 - 1.015 * words/sentence - 84.6 * syllables/word``.

100 and above reads very easily, 60 to 70 is plain language for the general public, below 30 is
for specialists (``docs/plain-language.md`` gives the bands and why the targets are where they
are).
"""

from __future__ import annotations

from site_builder.i18n import base_language
from site_builder.plain_language.model import FlaggedSentence, PageReadability, Target
from site_builder.plain_language.prose import abbreviation_definitions, sentences
from site_builder.plain_language.signals import SignalReader
from site_builder.plain_language.words import SUPPORTED_LANGUAGES, sentence_words

FORMULAS = {
    "fr": (207.0, 1.015, 73.6),
    "en": (206.835, 1.015, 84.6),
}
"""Per language: the formula's constant, its weight of words per sentence, of syllables per
word."""


def score(language: str, sentences: int, words: int, syllables: int) -> float | None:
    """The readability score of a text of ``sentences``, ``words`` and ``syllables`` in
    ``language``; None without a word or without a formula for the language."""
    formula = FORMULAS.get(language)
    if formula is None or sentences == 0 or words == 0:
        return None
    constant, per_sentence, per_word = formula
    return constant - per_sentence * words / sentences - per_word * syllables / words


def analyse_markdown(markdown: str, language: str, target: Target, *,
                     first_line: int = 1) -> PageReadability:
    """``markdown``'s prose measured in ``language`` against ``target`` (see ``prose`` for what
    is prose). ``first_line`` is the line of the file ``markdown`` starts at: 1 for a whole file
    (its front matter is then skipped, its lines still counted), the line after the front matter
    when the caller has taken it off."""
    language = base_language(language)
    if language not in SUPPORTED_LANGUAGES:
        return PageReadability(language, target, None, 0, 0, 0, ())
    reader = SignalReader(language, target, abbreviation_definitions(markdown))
    counted = total_words = total_syllables = 0
    flagged = []
    read = [(sentence, words) for sentence in sentences(markdown, first_line)
            if (words := sentence_words(sentence.text, language))]  # « — », « 1. »: nothing
    for index, (sentence, words) in enumerate(read):
        counted += 1
        total_words += len(words)
        total_syllables += sum(word.syllables for word in words)
        before = read[index - 1][0].text if index else ""
        after = read[index + 1][0].text if index + 1 < len(read) else ""
        signals = reader.signals(sentence.text, words, before, after)
        if signals:
            flagged.append(FlaggedSentence(sentence.line, sentence.text, signals, len(words)))
    return PageReadability(language, target, score(language, counted, total_words,
                                                   total_syllables),
                           counted, total_words, total_syllables, tuple(flagged))
