"""Regenerate ``site_builder/plain_language/data/common-fr.txt`` and ``common-en.txt``: the
common words of each language, which the plain-language measure does not flag as long words.

Run once, by hand, in a throwaway virtual environment (wordfreq is not a dependency of parole,
at run time or in tests)::

    python -m venv /tmp/wf && /tmp/wf/bin/pip install wordfreq==3.1.1
    /tmp/wf/bin/python scripts/common_words.py

Each list is the ``COUNT`` most frequent words of wordfreq's ``top_n_list`` that are made of
letters (an apostrophe or a hyphen inside allowed), most frequent first: the measure reads the
order too (a word in capitals among the most frequent is shouted, not an acronym). wordfreq's
data is under CC BY-SA 4.0, and so is each list, which the header of each file says.
"""

from __future__ import annotations

import re
from importlib.metadata import version as installed_version
from pathlib import Path

import wordfreq  # type: ignore[import-not-found]

COUNT = 5000
LANGUAGES = {"fr": "French", "en": "English"}
FOLDER = Path(__file__).resolve().parent.parent / "site_builder" / "plain_language" / "data"
_WORD = re.compile(r"^[^\W\d_]+(?:['\-][^\W\d_]+)*$")
HEADER = """\
# Common {name} words: the {count} most frequent words made of letters in wordfreq {version}'s
# top_n_list("{language}"), most frequent first, in lower case.
# Source: wordfreq by Robyn Speer, https://github.com/rspeer/wordfreq (code under the Apache 2.0
# licence; its word frequencies come from Wikipedia, subtitles, news, books, web text and more).
# Licence of this list: CC BY-SA 4.0, https://creativecommons.org/licenses/by-sa/4.0/, like the
# wordfreq data it is adapted from (selected and filtered, not otherwise changed).
# Regenerate: see scripts/common_words.py (do not edit by hand).
"""


def common_words(language: str) -> list[str]:
    """The ``COUNT`` most frequent words of ``language`` made of letters."""
    words: list[str] = []
    for word in wordfreq.top_n_list(language, COUNT * 3):
        if _WORD.match(word) and word not in words:
            words.append(word)
        if len(words) == COUNT:
            break
    return words


def main() -> None:
    version = installed_version("wordfreq")
    for language, name in LANGUAGES.items():
        header = HEADER.format(name=name, count=f"{COUNT:,}", version=version,
                               language=language)
        text = header + "\n".join(common_words(language)) + "\n"
        (FOLDER / f"common-{language}.txt").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
