"""Organizers' messages: French for French sites, English otherwise, from two catalogues that
say the same things."""

from __future__ import annotations

import re
import string

import pytest

from site_builder.errors import ConfigError, ContentError, Problem
from site_builder.messages import (
    ORGANIZER_LANGUAGES,
    catalogue,
    current_language,
    environment_language,
    organizer_language,
    say,
    say_count,
    speaking,
)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_every_message_with_the_same_placeholders() -> None:
    english = catalogue("en")
    assert english
    for language in ORGANIZER_LANGUAGES:
        other = catalogue(language)
        assert set(other) == set(english), (language, set(english) ^ set(other))
        for key, text in english.items():
            assert _placeholders(other[key]) == _placeholders(text), (language, key)


def test_french_messages_use_french_typography() -> None:
    """A space before ':' (an ordinary one in our plain-text messages), never an ASCII ' '."""
    for key, text in catalogue("fr").items():
        assert not re.search(r"\w:(\s|$)", text), (key, text)


@pytest.mark.parametrize(("given", "language"), [
    ("fr", "fr"), ("fr-BE", "fr"), ("fr_FR.UTF-8", "fr"), ("en", "en"), ("ar", "en"),
    ("de_DE.UTF-8", "en"), (None, "en"), ("", "en")])
def test_a_site_or_locale_picks_french_or_english(given: str | None, language: str) -> None:
    assert organizer_language(given) == language


def test_the_environment_follows_posix_order() -> None:
    assert environment_language({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert environment_language({"LC_ALL": "en_GB.UTF-8", "LANG": "fr_FR.UTF-8"}) == "en"
    assert environment_language({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}) == "fr"
    assert environment_language({}) == "en"


def test_problems_are_said_in_the_current_language() -> None:
    problems = [Problem("one", "fix it", "a.md", 3), Problem("two", "fix that")]
    with speaking("fr"):
        assert current_language() == "fr"
        text = str(ContentError(problems))
        assert text.startswith("parole a trouvé 2 problèmes de contenu à corriger :")
        assert "Pour corriger : fix it" in text
        assert str(ConfigError(problems[:1])).startswith(
            "parole a trouvé 1 problème de configuration à corriger :")
    with speaking("en"):
        assert str(ContentError(problems)).startswith(
            "parole found 2 content problems to fix:")


def test_french_counts_zero_and_one_as_singular() -> None:
    with speaking("fr"):
        assert say_count("problems.generic", 0) == "parole a trouvé 0 problème à corriger :"
    with speaking("en"):
        assert say_count("problems.generic", 0) == "parole found 0 problems to fix:"


def test_an_unknown_key_says_where_messages_live() -> None:
    with pytest.raises(KeyError, match=r"site_builder/locales/en\.yml"):
        say("no.such.message")
