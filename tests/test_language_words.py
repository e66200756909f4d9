"""The words of mkdocs.yml in each language (issue #18): the ``languages:`` option read and
checked (``site_builder.language_words_check``), what each language's build shows and marks
(``site_builder.language_words``). Built sites: tests/test_language_words_site.py."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import yaml

from site_builder.config_lines import ConfigLines
from site_builder.errors import Problem
from site_builder.forms import located
from site_builder.language_words import (
    LanguageWords,
    PhaseWords,
    Written,
    nav_titles,
    translate,
    translated_nav,
    translated_phases,
)
from site_builder.language_words_check import language_codes, read_languages
from site_builder.messages import use_language
from site_builder.site import SiteInfo

NAV = [{"Accueil": "index.md"}, {"S'informer": [{"Questions": "faq.md"}, "explications.md"]},
       {"Mairie": "https://mairie.example/"}]
WRITTEN = Written(
    site_name="Jardin", site_description="Un jardin partagé", title="Un jardin aux Oliviers",
    organizer_name="Association des Oliviers", organizer_address="1 rue des Oliviers",
    phases=(PhaseWords("Information", "Lisez."), PhaseWords("Avis", None)),
    paper_dropoff=("Mairie, accueil",),
    nav_titles=("S'informer", "Mairie"), page_titles=("Accueil", "Questions"))

ARABIC = """\
plugins:
  - parole:
      languages:
        - fr
        - locale: ar
          title: حديقة
          organizer: {name: جمعية, address: شارع}
          phases:
            - {name: الإعلام, description: اقرؤوا.}
            - {name: الآراء}
          paper_dropoff: [البلدية]
          site_description: حديقة مشتركة
          nav_translations: {S'informer: للاطلاع, Mairie: البلدية}
"""


@pytest.fixture(autouse=True)
def _english() -> None:
    use_language("en")


def _read(text: str, *, written: Written = WRITTEN) -> tuple[list[str], dict[str, LanguageWords],
                                                              list[Problem]]:
    document: Any = yaml.safe_load(text)
    lines = ConfigLines(located.load_any_tags(text), "parole")
    read = read_languages(document["plugins"][0]["parole"]["languages"], default="fr",
                          written=written, line_of=lines.option)
    return read.codes, read.words, read.problems


def _entry(**words: Any) -> str:
    """A site whose Arabic entry has ``words``."""
    entry = yaml.safe_dump([{"locale": "ar", **words}], allow_unicode=True)
    indented = "".join(f"        {line}\n" for line in entry.splitlines())
    return f"plugins:\n  - parole:\n      languages:\n        - fr\n{indented}"


# --- reading ------------------------------------------------------------------------------------

def test_a_list_of_codes_works_as_before() -> None:
    codes, words, problems = _read("plugins:\n  - parole:\n      languages: [fr, ar, en]\n")
    assert (codes, words, problems) == (["fr", "ar", "en"], {}, [])


def test_a_mapping_entry_gives_that_languages_words() -> None:
    codes, words, problems = _read(ARABIC)
    assert problems == [] and codes == ["fr", "ar"]
    arabic = words["ar"]
    assert arabic.title == "حديقة" and arabic.organizer_name == "جمعية"
    assert arabic.organizer_address == "شارع" and arabic.site_description == "حديقة مشتركة"
    assert arabic.phases == (PhaseWords("الإعلام", "اقرؤوا."), PhaseWords("الآراء", None))
    assert arabic.paper_dropoff == ("البلدية",)
    assert dict(arabic.nav_translations) == {"S'informer": "للاطلاع", "Mairie": "البلدية"}


def test_a_phase_written_as_a_dash_alone_is_left_untranslated() -> None:
    _, words, problems = _read(_entry(phases=[{"name": "الإعلام"}, None]))
    assert problems == [] and words["ar"].phases == (PhaseWords("الإعلام"), PhaseWords())


def test_language_codes_reads_codes_and_locales_whatever_else_is_wrong() -> None:
    assert language_codes(["fr", {"locale": "ar-MA", "oops": 1}, 3, {"title": "x"}]) == [
        "fr", "ar"]
    assert language_codes("fr") == []


@pytest.mark.parametrize(("words", "field", "message"), [
    ({"titel": "x"}, "plugins.parole.languages[2].titel", "have no 'titel'"),
    ({"organizer": {"email": "a@b.c"}}, "plugins.parole.languages[2].organizer.email",
     "the same in every language"),
    ({"organizer": "جمعية"}, "plugins.parole.languages[2].organizer", "not a mapping"),
    ({"title": 3}, "plugins.parole.languages[2].title", "not a text"),
    ({"phases": [{"name": "x"}]}, "plugins.parole.languages[2].phases",
     "1 phases translated, but the consultation has 2"),
    ({"phases": [{"name": "x", "start": "2027-01-04"}, {}]},
     "plugins.parole.languages[2].phases[1].start", "the same in every language"),
    ({"phases": "x"}, "plugins.parole.languages[2].phases", "not a list"),
    ({"phases": ["x", {}]}, "plugins.parole.languages[2].phases[1]", "not a mapping"),
    ({"paper_dropoff": ["a", "b"]}, "plugins.parole.languages[2].paper_dropoff",
     "2 drop-off places translated, but paper_dropoff has 1"),
    ({"paper_dropoff": [""]}, "plugins.parole.languages[2].paper_dropoff", "not a list"),
    ({"nav_translations": {"Sinformer": "x"}},
     "plugins.parole.languages[2].nav_translations.Sinformer", "no title of `nav:`"),
    ({"nav_translations": ["x"]}, "plugins.parole.languages[2].nav_translations",
     "not a mapping"),
    ({"nav_translations": {"Mairie": ""}}, "plugins.parole.languages[2].nav_translations.Mairie",
     "not a text"),
])
def test_each_wrong_word_is_a_problem_with_its_line_and_field(words: dict[str, Any], field: str,
                                                               message: str) -> None:
    text = _entry(**words)
    _, read, problems = _read(text)
    assert len(problems) == 1, problems
    [problem] = problems
    assert problem.field == field and message in problem.message, problem
    assert problem.file == "mkdocs.yml" and problem.line is not None
    assert problem.line >= 5 and problem.fix  # the entry's lines, not the plugin's
    assert "ar" not in read  # a language with a wrong word is not half-read


def test_the_nearest_nav_title_is_suggested() -> None:
    _, _, [problem] = _read(_entry(nav_translations={"S'infromer": "x"}))
    assert "did you mean 'S'informer'?" in problem.fix


@pytest.mark.parametrize(("languages", "field", "message"), [
    ("fr", "plugins.parole.languages", "not a list of languages"),
    ("[fr, {title: x}]", "plugins.parole.languages[2]", "say no language"),
    ("[fr, arabe]", "plugins.parole.languages[2]", "'arabe' is not a language code"),
    ("[fr, {locale: 12}]", "plugins.parole.languages[2].locale", "12 is not a language code"),
    ("[fr, ar, {locale: ar, title: x}]", "plugins.parole.languages[3]", "ar is listed twice"),
    ("[{locale: fr, title: x}, ar]", "plugins.parole.languages[1]", "is the default language"),
])
def test_each_wrong_entry_is_a_problem(languages: str, field: str, message: str) -> None:
    _, _, problems = _read(f"plugins:\n  - parole:\n      languages: {languages}\n")
    assert [(problem.field, message in problem.message) for problem in problems] == [
        (field, True)], problems


def test_every_problem_is_reported_at_once_in_the_sites_language() -> None:
    use_language("fr")
    _, _, problems = _read(_entry(titel="x", phases=[{}], nav_translations={"Nope": "x"}))
    assert len(problems) == 3
    assert any("1 étapes traduites, mais la consultation en a 2" in p.message for p in problems)


def test_a_code_said_twice_is_one_language() -> None:
    codes, _, problems = _read("plugins:\n  - parole:\n      languages: [fr, ar, ar]\n")
    assert codes == ["fr", "ar"] and problems == []


# --- translating --------------------------------------------------------------------------------

def test_every_word_translated_leaves_nothing_in_the_default_language() -> None:
    _, words, _ = _read(ARABIC)
    shown = translate(WRITTEN, words["ar"])
    assert shown.written.shown_title == "حديقة" and shown.written.organizer_name == "جمعية"
    assert shown.written.phases[1] == PhaseWords("الآراء", None)  # no description in French
    assert shown.untranslated == ()
    assert {"title", "organizer.name", "organizer.address", "phases[1].name",
            "phases[1].description", "phases[2].name", "paper_dropoff"} <= shown.translated


def test_a_word_not_translated_keeps_the_default_languages_and_is_listed() -> None:
    shown = translate(WRITTEN, LanguageWords("en", title="A garden",
                                             phases=(PhaseWords("Information"), PhaseWords()),
                                             nav_translations={"Mairie": "Town hall"}))
    assert shown.written.shown_title == "A garden"
    assert shown.written.organizer_name == "Association des Oliviers"
    assert shown.written.phases == (PhaseWords("Information", "Lisez."), PhaseWords("Avis"))
    assert shown.untranslated == (
        "site_description", "organizer.name", "organizer.address", "phases[1].description",
        "phases[2].name", "paper_dropoff", "nav_translations: S'informer")
    assert shown.translated == {"title", "phases[1].name"}


def test_without_a_title_the_site_name_is_the_word_to_translate() -> None:
    written = Written(site_name="Jardin")
    assert translate(written, None).untranslated == ("site_name",)
    shown = translate(written, LanguageWords("ar", site_name="حديقة"))
    assert shown.written.shown_title == "حديقة" and "title" in shown.translated


def test_without_places_the_drop_off_list_is_the_organizers_words() -> None:
    written = Written(site_name="Jardin", organizer_name="Association")
    shown = translate(written, LanguageWords("ar", organizer_name="جمعية"))
    assert "paper_dropoff" in shown.translated
    assert "paper_dropoff" not in translate(written, None).translated


def test_site_info_marks_the_words_in_another_language_than_the_page() -> None:
    site = SiteInfo(title="حديقة", organizer_name="Association", organizer_email=None,
                    organizer_phone=None, organizer_address=None, language="ar",
                    direction="rtl", footer_links=(), site_map_url=None, words_language="fr",
                    translated_words={"title": "ar"})
    assert site.lang("title") == ""
    assert site.lang("organizer.name") == ' lang="fr" dir="ltr"'
    assert site.lang("phases[2].name") == ' lang="fr" dir="ltr"'
    # the default language's build writing a paper version in Arabic: its French words say so
    french = replace(site, language="fr", direction="ltr", translated_words={})
    assert french.lang("title") == "" and french.lang("organizer.name") == ""
    assert replace(french, language="ar").lang("title") == ' lang="fr" dir="ltr"'


# --- nav: and phases ----------------------------------------------------------------------------

def test_nav_titles_tell_sections_and_links_from_pages() -> None:
    assert nav_titles(NAV) == (["S'informer", "Mairie"], ["Accueil", "Questions"])
    assert nav_titles(None) == ([], [])


def test_translated_nav_renames_titles_and_lets_pages_keep_their_own() -> None:
    renamed = translated_nav(NAV, {"S'informer": "للاطلاع", "Questions": "أسئلة"})
    assert renamed == ["index.md", {"للاطلاع": [{"أسئلة": "faq.md"}, "explications.md"]},
                       {"Mairie": "https://mairie.example/"}]


def test_translated_phases_keep_the_dates() -> None:
    phases = [{"name": "Information", "start": "2027-01-04", "end": "2027-01-17"}, "wrong"]
    assert translated_phases(phases, (PhaseWords("الإعلام", "اقرؤوا."), PhaseWords())) == [
        {"name": "الإعلام", "start": "2027-01-04", "end": "2027-01-17",
         "description": "اقرؤوا."}, "wrong"]
