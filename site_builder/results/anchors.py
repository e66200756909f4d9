"""The ``id`` of each part of a results page, so that decisions, the summary at the top and
other pages can link to a figure, a question or a theme of quotes."""

from __future__ import annotations

import re
import unicodedata

from site_builder.results.file import ResultsFile

PARTICIPATION = "participation"
HEARD = "ce-que-nous-avons-entendu"
QUOTES = "citations"
DECIDED = "ce-qui-a-ete-decide"
OPEN_DATA = "donnees-ouvertes"


def question_anchor(field_id: str) -> str:
    """The figure (or the quotes) of a question: ``question-<field id>``."""
    return f"question-{field_id}"


def theme_anchor(theme: str) -> str:
    """The quotes of a theme: ``theme-`` and the theme's words, lower case, without accents,
    hyphenated ("Vélos et piétons" → ``theme-velos-et-pietons``)."""
    plain = unicodedata.normalize("NFKD", theme).encode("ascii", "ignore").decode("ascii")
    return "theme-" + (re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "sans-nom")


def theme_anchors(results: ResultsFile) -> dict[str, str]:
    """Each quote theme's ``id`` on the results page: ``theme_anchor``, then ``-2``,
    ``-3``… for a theme whose anchor an earlier one took, themes in the order their first
    quote comes (the order of their headings on the page). Decisions link to these ids."""
    found: dict[str, str] = {}
    for quote in results.quotes:
        if quote.theme and quote.theme not in found:
            anchor, number = theme_anchor(quote.theme), 1
            while anchor in found.values():
                number += 1
                anchor = f"{theme_anchor(quote.theme)}-{number}"
            found[quote.theme] = anchor
    return found
