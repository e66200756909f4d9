"""Plain language: how readable a page is, and which sentences to rewrite.

The measure of issue #18, pure Python (no MkDocs): ``analyse_markdown`` reads a page's prose
(``prose``), counts its words and syllables (``words``, ``syllables_fr``, ``syllables_en``),
scores it (``analysis``: Kandel & Moles in French, Flesch in English) and flags each sentence
with what makes it hard to read (``signals``). The build (``plugins/parole/readability.py``) and
``parole readability`` show the result; ``docs/plain-language.md`` explains it to writers.
"""

from site_builder.plain_language.analysis import FORMULAS, analyse_markdown, score
from site_builder.plain_language.model import (
    SIGNAL_KINDS,
    TARGETS,
    FlaggedSentence,
    PageReadability,
    Signal,
    Target,
)
from site_builder.plain_language.words import (
    SUPPORTED_LANGUAGES,
    common_words,
    count_syllables,
    is_common,
)

__all__ = [
    "FORMULAS",
    "SIGNAL_KINDS",
    "SUPPORTED_LANGUAGES",
    "TARGETS",
    "FlaggedSentence",
    "PageReadability",
    "Signal",
    "Target",
    "analyse_markdown",
    "common_words",
    "count_syllables",
    "is_common",
    "score",
]
