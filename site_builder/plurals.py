"""Which plural form a count takes, by CLDR's plural rules, for the languages parole ships.

A catalogue writes a counted string once per plural category its language has (``key.one``,
``key.other``, and for Arabic ``key.zero``, ``key.two``, ``key.few``, ``key.many``);
:func:`plural_key` picks the one a count needs. The categories and rules are CLDR's
(https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html), for whole
numbers: parole only counts things.

Why a table of our own rather than Babel (``Locale.parse(lang).plural_form``), measured with
Babel 2.19.0 on Python 3.11: Babel is a 10.5 MB wheel and 36 MB installed (35 MB of it the data
of 1,149 locales), which would grow parole's installed dependencies by about 60 % (58 MB today)
for three rules of a line each; importing it takes 6.5 ms and each language's first rule 13 ms
more; a call takes 0.7 to 2.4 µs (this table: about 0.2 µs). Babel covers every CLDR language,
but a language parole can speak needs its theme catalogue written anyway, and its rule here is
then one more line, which ``tests/test_plurals.py`` checks against Babel's (a development
dependency) for every count up to 10,000 and beyond.
"""

from __future__ import annotations

from collections.abc import Callable, Container

CATEGORIES = ("zero", "one", "two", "few", "many", "other")
"""CLDR's plural categories, in CLDR's order."""


def _english(n: int) -> str:
    return "one" if n == 1 else "other"


def _french(n: int) -> str:
    # CLDR: one: i = 0,1; many: e = 0 and i != 0 and i % 1000000 = 0 and v = 0 ("1 000 000 de
    # réponses"), or a compact exponent; other.
    if n in (0, 1):
        return "one"
    return "many" if n % 1_000_000 == 0 else "other"


def _arabic(n: int) -> str:
    # CLDR: zero: n = 0; one: n = 1; two: n = 2; few: n % 100 = 3..10; many: n % 100 = 11..99;
    # other (100, 101, 102, 200…: the counted noun in the singular genitive).
    if n <= 2:
        return ("zero", "one", "two")[n]
    rest = n % 100
    if 3 <= rest <= 10:
        return "few"
    return "many" if rest >= 11 else "other"


RULES: dict[str, Callable[[int], str]] = {"en": _english, "fr": _french, "ar": _arabic}
"""The plural rule of each language parole has strings in."""

LANGUAGE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "en": ("one", "other"),
    "fr": ("one", "many", "other"),
    "ar": CATEGORIES,
}
"""The categories each rule gives (CLDR's, in CLDR's order)."""

OPTIONAL: dict[str, frozenset[str]] = {
    "fr": frozenset({"many"}),
    "ar": frozenset({"zero"}),
}
"""Categories a catalogue may leave out, ``other`` saying them well enough: French "many" (a
round million: "1 000 000 de réponses"), Arabic "zero" (written where "no answer" reads better
than "0 إجابة", or where a count is never 0)."""

FALLBACK_RULE = "en"
"""The rule of a language without one here: English, the language of a missing catalogue's
strings."""


def _code(language: str) -> str:
    """``fr-BE`` → ``fr``; a language without a rule here → ``FALLBACK_RULE``."""
    code = language.replace("_", "-").split("-")[0].lower()
    return code if code in RULES else FALLBACK_RULE


def plural_category(language: str, count: int) -> str:
    """CLDR's plural category of ``count`` in ``language``: ``plural_category("ar", 11)`` →
    ``"many"``. A language without a rule here counts as English."""
    return RULES[_code(language)](abs(count))


def categories(language: str) -> tuple[str, ...]:
    """The categories ``language`` has, in CLDR's order (always with ``other``)."""
    return LANGUAGE_CATEGORIES[_code(language)]


def needed_categories(language: str) -> tuple[str, ...]:
    """The categories a catalogue in ``language`` must write for every counted string."""
    optional = OPTIONAL.get(_code(language), frozenset())
    return tuple(category for category in categories(language) if category not in optional)


def plural_key(key: str, count: int, language: str, strings: Container[str]) -> str:
    """``key.<category>`` for ``count`` in ``language`` when ``strings`` has it, else
    ``key.other`` (an optional category left out)."""
    chosen = f"{key}.{plural_category(language, count)}"
    return chosen if chosen in strings else f"{key}.other"
