"""Organizers' messages: French for French sites, English otherwise, from two catalogues that
say the same things."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

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
    use_language,
)
from site_builder.plurals import needed_categories
from tests.plural_support import counted_keys, plural_base
from tests.support import REPO


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
    """A space before ':' ';' '?' '!' (an ordinary one in our plain-text messages), except in
    `what to write`, between backticks: YAML keys and values are written the same way in
    every language."""
    for key, text in catalogue("fr").items():
        prose = re.sub(r"`[^`]*`|\{[^}]*\}", "", text)  # placeholders too: {value!r}
        assert not re.search(r"\w:(\s|$)", prose), (key, text)
        assert not re.search(r"\w[;?!]", prose), (key, text)


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


# -- every key said is written, every key written is said -----------------------------------

_SOURCES = ("site_builder", "plugins")


def _code() -> Iterator[ast.AST]:
    for source in _SOURCES:
        for path in sorted((REPO / source).rglob("*.py")):
            yield from ast.walk(ast.parse(path.read_text(encoding="utf-8")))


def _keys_said() -> tuple[set[str], set[str], set[str]]:
    """The keys the code gives say() (exact), say_count() (before .one/.other), and the constant
    starts of the keys it builds (say(f"forms.kind.{name}") → "forms.kind.")."""
    exact: set[str] = set()
    counted: set[str] = set()
    starts: set[str] = set()
    for node in _code():
        if not (isinstance(node, ast.Call) and node.args
                and isinstance(node.func, ast.Name | ast.Attribute)):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
        key = node.args[0]
        if name not in ("say", "say_count"):
            continue
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            (exact if name == "say" else counted).add(key.value)
        elif (isinstance(key, ast.JoinedStr) and key.values
                and isinstance(key.values[0], ast.Constant)):
            starts.add(str(key.values[0].value))
    return exact, counted, starts


def test_every_key_said_is_in_the_catalogue() -> None:
    english = catalogue("en")
    exact, counted, starts = _keys_said()
    assert exact and counted and starts
    assert sorted(key for key in exact if key not in english) == []
    assert sorted(key for key in counted  # every form English needs (CLDR: one, other)
                  if not {f"{key}.{c}" for c in needed_categories("en")} <= set(english)) == []
    assert sorted(start for start in starts
                  if not any(key.startswith(start) for key in english)) == []


def test_every_key_in_the_catalogue_is_said() -> None:
    """Said by name somewhere in the code (also through a helper, ``_refusal("export.x")``), or
    built from a name: ``say(f"{key}_fix")``, ``say_count(key, n)`` for ``key.one``,
    ``key.other`` (any plural form of a counted string: ``tests/plural_support.py``), a constant
    start (``say(f"forms.kind.{name}")``)."""
    _, _, starts = _keys_said()
    names = {node.value for node in _code()
             if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    counted = counted_keys(catalogue("en"))
    unused = [key for key in catalogue("en")
              if not {key, key.removesuffix("_fix"), key.removesuffix(".fix"),
                      plural_base(key, counted)} & names
              and not any(key.startswith(start) for start in starts)]
    assert unused == []


def test_the_language_of_a_run_is_every_threads() -> None:
    """A build's worker threads (pictures are encoded in a pool) start with an empty context."""
    use_language("fr")
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(say, "problem.how_to_fix", fix="x").result() == "Pour corriger : x"
    with speaking("en"), ThreadPoolExecutor(max_workers=1) as pool:
        assert say("problem.how_to_fix", fix="x") == "How to fix: x"
        assert pool.submit(current_language).result() == "fr"
