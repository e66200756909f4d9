"""Plural forms by CLDR's rules: the category of a count in each language, and catalogues that
write every category their language needs for every counted string."""
# ruff: noqa: RUF001  (Arabic letters and digits are the point of these strings, not look-alikes)

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml
from babel import Locale  # a development dependency (pyproject.toml): the oracle
from jinja2 import Environment

from site_builder.audit.report_words import Words as ReportWords
from site_builder.audit.statement_text import Words as StatementWords
from site_builder.i18n import Catalogue
from site_builder.messages import say_count, speaking
from site_builder.plurals import (
    CATEGORIES,
    RULES,
    categories,
    needed_categories,
    plural_category,
    plural_key,
)
from site_builder.results.page import decisions_sentence
from site_builder.results.words import answers_text
from tests.plural_support import counted_keys
from tests.support import REPO

# CLDR's examples (language_plural_rules.html), counts 0 1 2 3 10 11 99 100 101 102 103 111 1000.
COUNTS = (0, 1, 2, 3, 10, 11, 99, 100, 101, 102, 103, 111, 1000, 1_000_000)
EXPECTED = {
    "ar": ("zero", "one", "two", "few", "few", "many", "many", "other", "other", "other", "few",
           "many", "other", "other"),
    "fr": ("one", "one", "other", "other", "other", "other", "other", "other", "other", "other",
           "other", "other", "other", "many"),
    "en": ("other", "one", "other", "other", "other", "other", "other", "other", "other",
           "other", "other", "other", "other", "other"),
}


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_the_category_of_cldr_examples(language: str) -> None:
    assert tuple(plural_category(language, count) for count in COUNTS) == EXPECTED[language]


@pytest.mark.parametrize("language", sorted(RULES))
def test_every_rule_agrees_with_babel(language: str) -> None:
    """Babel carries CLDR's data: every count to 10,000 and some far beyond."""
    babel = Locale.parse(language).plural_form
    counts = [*range(10_001), 100_000, 1_000_000, 2_000_000, 1_000_001, 10**9 + 3]
    assert [plural_category(language, n) for n in counts] == [babel(n) for n in counts]
    assert set(categories(language)) == set(babel.tags) | {"other"}


def test_a_region_or_an_unknown_language() -> None:
    assert plural_category("ar-MA", 11) == "many"
    assert plural_category("fr_BE", 0) == "one"
    assert plural_category("de", 0) == "other"  # no rule: English's, as its strings are
    assert categories("de") == ("one", "other")
    assert plural_category("ar", -2) == "two"  # CLDR's n is the absolute value


def test_needed_categories_leave_out_what_other_says_well_enough() -> None:
    assert needed_categories("ar") == ("one", "two", "few", "many", "other")
    assert needed_categories("fr") == ("one", "other")
    assert needed_categories("en") == ("one", "other")


def test_a_category_left_out_falls_back_to_other() -> None:
    strings = {"k.one", "k.other", "k.two"}
    assert plural_key("k", 2, "ar", strings) == "k.two"
    assert plural_key("k", 0, "ar", strings) == "k.other"
    assert plural_key("k", 0, "fr", strings) == "k.one"
    assert plural_key("k", 0, "en", strings) == "k.other"
    assert plural_key("k", 2_000_000, "fr", strings) == "k.other"


# --- every catalogue writes every category its language needs ----------------------------------

CATALOGUES = {
    "theme": sorted((REPO / "theme" / "locales").glob("*.yml")),
    "messages": sorted((REPO / "site_builder" / "locales").glob("*.yml")),
    "audit": sorted((REPO / "site_builder" / "audit" / "locales").glob("*.yml")),
}


def _read(path: Path) -> dict[str, str]:
    return {str(key): str(text)
            for key, text in yaml.safe_load(path.read_text(encoding="utf-8")).items()}


def _language(path: Path) -> str:
    return path.stem.rsplit(".", 1)[-1]  # fr.yml, report.fr.yml


def _english(path: Path) -> Path:
    return path.with_name(path.name.replace(f"{_language(path)}.yml", "en.yml"))


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _catalogue_ids() -> list[tuple[str, Path]]:
    return [(kind, path) for kind, paths in CATALOGUES.items() for path in paths]


@pytest.mark.parametrize(("kind", "path"), _catalogue_ids(),
                         ids=[f"{kind}:{path.name}" for kind, path in _catalogue_ids()])
def test_every_counted_string_has_every_category_its_language_needs(kind: str,
                                                                    path: Path) -> None:
    """A language ships with all its plural forms or not at all: ``key.few`` in Arabic as soon
    as ``key.one``/``key.other`` exist in English; no category its language does not have;
    the same placeholders as the English ``other`` form, ``{count}`` left out only where the
    number is said in words (zero, one, two: "دقيقتين") or nowhere ("{pages} load {url}")."""
    language = _language(path)
    strings = _read(path)
    english = _read(_english(path))
    counted = counted_keys(english)
    assert counted, kind
    written = {base for base in counted if any(f"{base}.{c}" in strings for c in CATEGORIES)}
    assert written == counted, (kind, language, sorted(counted - written))
    for base in counted:
        forms = {c: strings[f"{base}.{c}"] for c in CATEGORIES if f"{base}.{c}" in strings}
        missing = set(needed_categories(language)) - forms.keys()
        assert not missing, (language, base, sorted(missing))
        assert forms.keys() <= set(categories(language)), (language, base, sorted(forms))
        others = _placeholders(english[f"{base}.other"])
        for category, text in forms.items():
            assert _placeholders(text) - {"count"} == others - {"count"}, (language, base,
                                                                          category)
            if "count" in others and category in ("few", "many", "other"):
                assert "count" in _placeholders(text), (language, base, category)


def test_counted_keys_are_told_apart_from_other_words() -> None:
    """``moderation.reason.other`` (another reason) is not a plural form."""
    english = _read(REPO / "theme" / "locales" / "en.yml")
    assert "collector.minutes" in counted_keys(english)
    assert "moderation.reason" not in counted_keys(english)
    assert not any(re.search(r"\.many$", key) for key in english)  # CLDR's names: .other


# --- rendered strings ---------------------------------------------------------------------------

AR = Catalogue.for_language("ar")
FR = Catalogue.for_language("fr")
EN = Catalogue.for_language("en")


@pytest.mark.parametrize(("count", "said"), [
    (1, "إجابة واحدة"), (2, "إجابتان"), (3, "3\u00a0إجابات"), (10, "10\u00a0إجابات"),
    (11, "11\u00a0إجابة"), (99, "99\u00a0إجابة"), (100, "100\u00a0إجابة"),
    (103, "103\u00a0إجابات"), (111, "111\u00a0إجابة"), (1000, "1,000\u00a0إجابة")])
def test_arabic_answers_agree_with_their_number(count: int, said: str) -> None:
    assert answers_text(count, AR) == said


@pytest.mark.parametrize(("count", "french", "english"), [
    (1, "1\u00a0réponse", "1\u00a0answer"), (2, "2\u00a0réponses", "2\u00a0answers"),
    (1234, "1\u202f234\u00a0réponses", "1,234\u00a0answers"),
    (1_000_000, "1\u202f000\u202f000\u00a0réponses", "1,000,000\u00a0answers")])
def test_french_and_english_answers_keep_their_numbers(count: int, french: str,
                                                       english: str) -> None:
    """French "many" (a round million) is left out: ``other`` says it."""
    assert (answers_text(count, FR), answers_text(count, EN)) == (french, english)


def test_minutes_to_wait_in_arabic() -> None:
    said = [AR.count("collector.minutes", n) for n in (1, 2, 3, 11, 100)]
    assert said == ["دقيقة واحدة", "دقيقتين", "3 دقائق", "11 دقيقة", "100 دقيقة"]
    assert FR.count("collector.minutes", 1) == "une minute"
    assert FR.count("collector.minutes", 5) == "5\u00a0minutes"


def test_decisions_and_their_statuses_agree_in_arabic() -> None:
    statuses = ["adopted", "adopted", "rejected", *["under study"] * 11]
    # The list is joined with Arabic's own comma (list.separator: "،").
    assert decisions_sentence(statuses, AR) == (
        "14\u00a0قرارًا: قراران معتمدان، قرار واحد غير معتمد و11\u00a0قرارًا قيد الدراسة.")
    assert decisions_sentence(["adapted"] * 3, AR) == (
        "3\u00a0قرارات: 3\u00a0قرارات معدَّلة.")
    assert decisions_sentence(["adopted"], FR) == "1\u00a0décision\u00a0: 1\u00a0adoptée."


def test_a_number_written_otherwise_fills_count() -> None:
    """The category comes from the number; ``{count}`` from the text the caller wrote."""
    assert AR.count("form.max_length", 15, count="١٥") == "١٥ حرفًا على الأكثر."
    assert AR.count("form.max_length", 2000, count="2,000") == "2,000 حرف على الأكثر."


def test_a_language_without_catalogue_counts_as_english() -> None:
    """Its strings are English ones, so is its rule: no "two" form for 2 in Welsh."""
    assert Catalogue.for_language("cy").count("collector.minutes", 2) == "2 minutes"


def test_templates_count_with_the_catalogue() -> None:
    template = Environment(autoescape=True).from_string(
        "{{ t.count('collector.minutes', n) }}")
    assert template.render(t=AR, n=2) == "دقيقتين"


def test_organizer_messages_use_the_same_rule() -> None:
    with speaking("fr"):
        assert say_count("weight.pages", 0) == "0 page"
        assert say_count("weight.pages", 2_000_000) == "2000000 pages"  # many → other
    with speaking("en"):
        assert say_count("weight.pages", 0) == "0 pages"
    assert ReportWords("fr").count("count.errors", 1234) == "1\u202f234 erreurs"
    assert StatementWords("fr").count("count.compliant", 0) == "0 critère respecté"


def test_the_most_chosen_options_agree_with_how_many_tie() -> None:
    """Arabic says "each of the two" (لكل منهما) for a tie of two, "each of them" from three."""
    words = [AR.count("results.page.top", n, options="«أ»", percent="40٪") for n in (1, 2, 3)]
    assert words == ["الأكثر اختيارًا: «أ» (40٪).",
                     "الأكثر اختيارًا بالتساوي: «أ» (40٪ لكل منهما).",
                     "الأكثر اختيارًا بالتساوي: «أ» (40٪ لكل منها)."]
    assert EN.count("results.page.top", 1, options="“a”", percent="40%") == (
        "Chosen most: “a” (40%).")
