"""One form, several languages (issue #18): the ``translations:`` block, ``Form.localized``,
the version answers count toward, the hidden ``_language``, the manifest (format 6) and the
paper versions per language."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import markdown
import pytest
from mkdocs.exceptions import Abort

from site_builder.calendar import Calendar
from site_builder.errors import Problem
from site_builder.forms import located
from site_builder.forms.fence import FormsExtension
from site_builder.forms.manifest import manifest_from_text, read_manifest, write_manifest
from site_builder.forms.model import Form
from site_builder.forms.parse import parse_form
from site_builder.forms.posted import FORM_LANGUAGE_NAME, RESERVED_NAMES
from site_builder.forms.render import render_form
from site_builder.forms.site_forms import SiteForms
from site_builder.forms.translations import relink
from site_builder.i18n import Catalogue
from site_builder.messages import speaking
from site_builder.site import SiteInfo
from tests.pa11y_support import built_pages, describe_failures, require_tools, run_pa11y_ci
from tests.support import assert_golden, build_site, serve_site, write_site

FR = Catalogue.for_language("fr")
AR = Catalogue.for_language("ar")
FILE = "consultation/place.md"
FENCE = 10
"""The line of the ```form fence in FILE: YAML line n (0-based) is line FENCE + 1 + n."""

FORM = """\
id: avis-place
title: Donnez votre avis sur la place
intro: Lisez d'abord [le projet](projet.md).
submit: Envoyer mon avis
fields:
  - id: frequence
    type: choice
    label: À quelle fréquence passez-vous sur la place ?
    hint: Une seule réponse.
    required: true
    options:
      - {value: jour, label: Tous les jours}
      - {value: semaine, label: Chaque semaine}
  - id: ombre
    type: scale
    label: La place manque-t-elle d'ombre ?
    min: 1
    max: 5
    min_label: Pas du tout
    max_label: Beaucoup
  - id: idees
    type: textarea
    label: Que changeriez-vous ?
  - id: accord
    type: consent
    label: J'accepte [la politique de confidentialité](confidentialite.md).
translations:
  ar:
    title: أبدوا رأيكم في الساحة
    intro: اقرأوا [المشروع](projet.md) أولاً.
    submit: أرسلوا رأيكم
    fields:
      frequence:
        label: كم مرة تمرون بالساحة؟
        hint: إجابة واحدة.
        options: {jour: كل يوم, semaine: كل أسبوع}
      ombre: {label: هل تحتاج الساحة إلى مزيد من الظل؟, min_label: لا أبداً, max_label: كثيراً}
      idees: {label: ما الذي تغيرونه؟}
      accord: {label: "أوافق على [سياسة الخصوصية](confidentialite.md)."}
  en:
    title: Give your view on the square
    intro: Read [the project](projet.md) first.
    submit: Send my view
    fields:
      frequence:
        label: How often do you cross the square?
        hint: One answer.
        options: {jour: Every day, semaine: Every week}
      ombre: {label: "Does the square need more shade?", min_label: Not at all,
              max_label: Very much}
      idees: {label: \"What would you change?\"}
      accord: {label: "I accept [the privacy policy](confidentialite.md)."}
"""


UNTRANSLATED = FORM.partition("translations:")[0]
"""The same form in French alone."""


def resolve(href: str) -> str:
    """The page is one folder down: ``projet.md`` is ``../projet/``."""
    return "../" + href.removesuffix(".md") + "/"


def parse(text: str = FORM, *, warnings: list[Problem] | None = None,
          language: str = "fr") -> tuple[Form | None, list[Problem]]:
    return parse_form(located.load(text), file=FILE, line=FENCE, resolve_link=resolve,
                      language=language, warnings=warnings)


def parsed(text: str = FORM) -> Form:
    form, problems = parse(text)
    assert problems == [], problems
    assert form is not None
    return form


def line_of(text: str, needle: str, *, after: str | None = None) -> int:
    """The file line of the first YAML line holding ``needle`` (after the line ``after``)."""
    lines = text.splitlines()
    start = lines.index(after) if after is not None else 0
    index = next(number for number, line in enumerate(lines) if number >= start and needle in line)
    return FENCE + 1 + index


def without(text: str, needle: str) -> str:
    """``text`` without its first line holding ``needle``."""
    lines = text.splitlines(keepends=True)
    index = next(number for number, line in enumerate(lines) if needle in line)
    return "".join(lines[:index] + lines[index + 1:])


# -- the model -----------------------------------------------------------------------------------

def test_a_form_carries_its_translations_keyed_by_language() -> None:
    form = parsed()
    assert form.language == "fr"
    assert form.languages == ("fr", "ar", "en")
    arabic = form.localized("ar")
    assert arabic.language == "ar"
    assert arabic.title == "أبدوا رأيكم في الساحة"
    assert arabic.submit == "أرسلوا رأيكم"
    assert arabic.intro_html == '<p>اقرأوا <a href="../projet/">المشروع</a> أولاً.</p>'
    frequence = arabic.fields[0]
    assert (frequence.label, frequence.hint) == ("كم مرة تمرون بالساحة؟", "إجابة واحدة.")
    assert [(option.value, option.label) for option in frequence.options] == [
        ("jour", "كل يوم"), ("semaine", "كل أسبوع")]
    ombre = arabic.fields[1]
    assert (ombre.min_label, ombre.max_label) == ("لا أبداً", "كثيراً")
    assert arabic.fields[3].label_html == (
        'أوافق على <a href="../confidentialite/">سياسة الخصوصية</a>.')
    # Same form: id, version, questions, values, rules.
    assert arabic.id == form.id and arabic.version == form.version
    assert [(f.id, f.type, f.required, f.min, f.max) for f in arabic.fields] == [
        (f.id, f.type, f.required, f.min, f.max) for f in form.fields]
    assert arabic.languages == ("ar", "fr", "en")
    # Back and across, from any copy.
    assert arabic.localized("fr").title == form.title
    assert arabic.localized("en").fields[0].options[0].label == "Every day"
    assert arabic.localized("en").version == form.version
    assert form.localized("fr") is form


def test_a_language_without_words_gives_the_form_in_its_own() -> None:
    form = parsed()
    assert form.localized("tr") is form
    assert form.localized("../../etc") is form


def test_translations_do_not_change_the_version_the_questions_do() -> None:
    form = parsed()
    alone = parsed(UNTRANSLATED)
    assert alone.translations == ()
    assert form.version == alone.version  # adding translations: same version
    retranslated = parsed(FORM.replace("ما الذي تغيرونه؟", "ماذا تقترحون؟"))
    assert retranslated.localized("ar").fields[2].label == "ماذا تقترحون؟"
    assert retranslated.version == form.version  # changing one: same version
    reworded = parsed(FORM.replace("Que changeriez-vous ?", "Que proposez-vous ?"))
    assert reworded.version != form.version  # the default language's question: new version
    more = parsed(FORM.replace("      - {value: semaine, label: Chaque semaine}\n",
                               "      - {value: semaine, label: Chaque semaine}\n"
                               "      - {value: mois, label: Chaque mois}\n")
                  .replace("{jour: كل يوم, semaine: كل أسبوع}",
                           "{jour: كل يوم, semaine: كل أسبوع, mois: كل شهر}")
                  .replace("{jour: Every day, semaine: Every week}",
                           "{jour: Every day, semaine: Every week, mois: Every month}"))
    assert more.version != form.version


def test_relinking_changes_links_not_the_version() -> None:
    form = parsed()
    deeper = relink(form, lambda href: "../../" + href.removesuffix(".md") + "/", "ar")
    assert deeper.version == form.version
    arabic = deeper.localized("ar")
    assert arabic.version == form.version
    assert '<a href="../../projet/">' in (arabic.intro_html or "")
    assert '<a href="../../confidentialite/">' in arabic.fields[3].label_html
    assert '<a href="../projet/">' in (deeper.intro_html or "")  # French words: untouched
    assert '<a href="../projet/">' in (deeper.localized("en").intro_html or "")


# -- what a translation must say ----------------------------------------------------------------

MISSING: dict[str, tuple[str, str, str, str]] = {
    # removed line, the line the problem points at, its path, its message
    "title": ("    title: أبدوا", "    intro: اقرأوا", "avis-place/translations/ar",
              "form 'avis-place': the form has no title in the 'ar' translation"),
    "intro": ("    intro: Read", "    title: Give", "avis-place/translations/en",
              "form 'avis-place': the form has no intro in the 'en' translation"),
    "submit": ("    submit: أرسلوا", "    title: أبدوا", "avis-place/translations/ar",
               "form 'avis-place': the form has no submit in the 'ar' translation"),
    "hint": ("        hint: إجابة", "        label: كم", "avis-place/translations/ar/fields/"
             "frequence", "form 'avis-place': the question 'frequence' has no hint in the "
             "'ar' translation"),
    "question": ("      idees: {label: \"What", "      frequence:\n", "avis-place/translations/en"
                 "/fields", "form 'avis-place': the question 'idees' is not in the 'en' "
                 "translation"),
}


@pytest.mark.parametrize(("removed", "at", "path", "message"), MISSING.values(),
                         ids=MISSING.keys())
def test_a_missing_string_names_form_question_language_file_and_line(
    removed: str, at: str, path: str, message: str
) -> None:
    text = without(FORM, removed)
    with speaking("en"):
        form, problems = parse(text)
    assert form is None
    assert [(p.file, p.field, p.message) for p in problems] == [(FILE, path, message)]
    # At the mapping lacking it: its first key's line.
    after = "  en:" if "/en" in path else None
    assert problems[0].line == line_of(text, at.rstrip("\n"), after=after)


def test_each_missing_string_is_located_at_its_own_mapping() -> None:
    text = FORM.replace("{jour: كل يوم, semaine: كل أسبوع}", "{jour: كل يوم}")
    text = text.replace(", min_label: Not at all", "").replace("label: ما الذي تغيرونه؟", "")
    with speaking("en"):
        _form, problems = parse(text)
    found = [(p.line, p.field, p.message) for p in problems]
    assert found == [
        (line_of(text, "options: {jour: كل يوم}"), "avis-place/translations/ar/fields/"
         "frequence/options", "form 'avis-place', question 'frequence': the option 'semaine' "
         "has no label in the 'ar' translation"),
        (line_of(text, "      idees: {}"), "avis-place/translations/ar/fields/idees",
         "form 'avis-place': the question 'idees' has no label in the 'ar' translation"),
        (line_of(text, "ombre: {label: \"Does"), "avis-place/translations/en/fields/ombre",
         "form 'avis-place': the question 'ombre' has no min_label in the 'en' translation"),
    ]


def test_a_missing_string_in_french_says_how_to_fix_it() -> None:
    with speaking("fr"):
        _form, problems = parse(without(FORM, "    submit: Send"))
    assert problems[0].message == ("formulaire « avis-place » : le formulaire n'a pas de submit "
                                   "dans la traduction « en »")
    assert problems[0].fix == (
        "ajoutez-le sous `translations: en:` (ou mettez `translation_fallback: true` dans le "
        "formulaire pour montrer le texte en fr en attendant la traduction)")


def test_with_fallback_a_missing_string_is_a_warning_and_the_own_string_shows() -> None:
    text = without(FORM, "        hint: إجابة").replace(
        "submit: Envoyer mon avis\n", "submit: Envoyer mon avis\ntranslation_fallback: true\n")
    warnings: list[Problem] = []
    with speaking("en"):
        form, problems = parse(text, warnings=warnings)
    assert problems == []
    assert form is not None and form.translation_fallback
    assert [(w.field, w.message) for w in warnings] == [
        ("avis-place/translations/ar/fields/frequence", "form 'avis-place': the question "
         "'frequence' has no hint in the 'ar' translation")]
    assert "the page shows the form's own text (fr)" in warnings[0].fix
    assert form.localized("ar").fields[0].hint == "Une seule réponse."
    assert form.version == parsed().version


WRONG: dict[str, tuple[str, str, str]] = {
    "a hint the form has not": (
        "      idees: {label: ما الذي تغيرونه؟}",
        "      idees: {label: ما الذي تغيرونه؟, hint: اختياري}",
        "the question 'idees' has no hint in fr: a translation cannot add one"),
    "an unknown question": (
        "      idees: {label: \"What would you change?\"}",
        "      idees: {label: \"What would you change?\"}\n      ideas: {label: Ideas}",
        "the form has no question 'ideas'"),
    "an unknown option": (
        "{jour: Every day, semaine: Every week}",
        "{jour: Every day, semaine: Every week, mois: Every month}",
        "the question has no option 'mois'"),
    "a rule, not words": (
        "      idees: {label: \"What would you change?\"}",
        "      idees: {label: \"What would you change?\", max_length: 10}",
        "max_length is not words: a translation cannot change it"),
    "the form's own language": ("translations:\n", "translations:\n  fr: {title: Avis}\n",
                                "the form is written in 'fr': it needs no 'fr' translation"),
    "not a language code": ("translations:\n", "translations:\n  Arabic: {title: Avis}\n",
                            "'Arabic' is not a language code"),
    "options of another type": (
        "      idees: {label: \"What would you change?\"}",
        "      idees: {label: \"What would you change?\", options: {a: b}}",
        "'options' does not apply to a textarea question"),
}


@pytest.mark.parametrize(("old", "new", "message"), WRONG.values(), ids=WRONG.keys())
def test_a_translation_saying_what_the_form_does_not_is_an_error_even_with_fallback(
    old: str, new: str, message: str
) -> None:
    text = FORM.replace(old, new, 1).replace(
        "submit: Envoyer mon avis\n", "submit: Envoyer mon avis\ntranslation_fallback: true\n")
    with speaking("en"):
        form, problems = parse(text)
    assert form is None
    assert any(message in problem.message for problem in problems), problems
    assert all(problem.file == FILE and problem.line for problem in problems)


def test_a_guess_for_a_misspelt_question() -> None:
    text = FORM.replace("      idees: {label: \"What", "      idee: {label: \"What")
    with speaking("en"):
        _form, problems = parse(text)
    unknown = next(p for p in problems if "idee'" in p.message)
    assert "did you mean 'idees'?" in unknown.fix
    assert unknown.line == line_of(text, "      idee: {label: \"What")


def test_a_form_declared_in_arabic_is_written_in_arabic() -> None:
    text = UNTRANSLATED
    form, problems = parse(text, language="ar")
    assert problems == [] and form is not None
    assert form.language == "ar" and form.languages == ("ar",)


# -- the page: hidden _language, lang and dir ---------------------------------------------------

def test_the_form_posts_the_language_it_was_shown_in() -> None:
    form = parsed()
    assert FORM_LANGUAGE_NAME == "_language" and FORM_LANGUAGE_NAME in RESERVED_NAMES
    french = render_form(form, catalogue=FR)
    arabic = render_form(form.localized("ar"), catalogue=AR)
    assert '<input type="hidden" name="_language" value="fr">' in french
    assert '<input type="hidden" name="_language" value="ar">' in arabic
    version = f'<input type="hidden" name="_version" value="{form.version}">'
    assert version in french and version in arabic
    assert '<input type="hidden" name="_form" value="avis-place">' in arabic


def test_a_sheet_typed_in_posts_no_language() -> None:
    html = render_form(parsed(), catalogue=FR, paper_entry=True)
    assert "_language" not in html


def test_the_section_says_its_language_only_when_the_page_does_not() -> None:
    form = parsed()
    arabic = render_form(form.localized("ar"), catalogue=AR)
    assert '<section class="p-form" id="form-avis-place" aria-labelledby=' \
           '"form-avis-place-title">' in arabic  # the Arabic page says lang="ar" dir="rtl"
    mixed = render_form(form.localized("ar"), catalogue=FR)
    assert 'aria-labelledby="form-avis-place-title" lang="ar" dir="rtl">' in mixed
    english = render_form(form.localized("en"), catalogue=FR)
    assert 'lang="en" dir="ltr">' in english


def test_the_arabic_form_golden(request: pytest.FixtureRequest) -> None:
    """The form as the Arabic page shows it, in a page whose ``html`` says lang and dir."""
    form = parsed().localized("ar")
    html = render_form(form, catalogue=AR, paper_url="../papier/avis-place/ar/")
    page = f'<!doctype html>\n<html lang="ar" dir="rtl">\n<body>\n{html}\n</body>\n</html>\n'
    assert_golden("forms/avis-place-ar.html", page, request)


# -- the manifest ---------------------------------------------------------------------------------

def publish(site: Path, form: Form, **changes: Any) -> Path:
    options: dict[str, Any] = {"page_url": "consultation/place/", "language": form.language,
                               "closes": form.closes, **changes}
    return write_manifest(form, site_dir=site, **options)


def test_the_manifest_carries_every_translation_and_reads_back(tmp_path: Path) -> None:
    form = parsed()
    path = publish(tmp_path, form, paper_url="papier/avis-place/",
                   page_urls={"fr": "consultation/place/", "ar": "ar/consultation/place/"},
                   paper_urls={"fr": "papier/avis-place/", "ar": "papier/avis-place/ar/"})
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == 6
    assert list(data["translations"]) == ["ar", "en"]
    assert data["translations"]["ar"]["fields"]["frequence"]["options"] == {
        "jour": "كل يوم", "semaine": "كل أسبوع"}
    manifest = read_manifest(path)
    assert manifest.form == form  # the intro as written is not kept: its HTML is
    assert manifest.form.localized("ar") == form.localized("ar")
    assert manifest.form.localized("ar").version == manifest.version
    assert manifest.page_url_in("ar") == "ar/consultation/place/"
    assert manifest.page_url_in("en") == "consultation/place/"
    assert manifest.paper_url_in("ar") == "papier/avis-place/ar/"
    assert manifest.paper_url_in("en") == "papier/avis-place/"


def test_a_format_5_manifest_still_reads_in_one_language(tmp_path: Path) -> None:
    form = parsed(UNTRANSLATED)
    data = json.loads(publish(tmp_path, form, paper_url="papier/avis-place/")
                      .read_text(encoding="utf-8"))
    for key in ("page_urls", "paper_urls", "translations"):
        del data[key]
    manifest = manifest_from_text(json.dumps({**data, "format": 5}), "avis-place 0123")
    assert manifest.form == form and manifest.form.languages == ("fr",)
    assert manifest.page_url_in("ar") == "consultation/place/"
    assert manifest.paper_url_in("fr") == "papier/avis-place/"


BROKEN: dict[str, tuple[Any, str]] = {
    "a question missing": (lambda t: t["ar"]["fields"].pop("idees"),
                           "the 'ar' translation of fields is not what parole writes"),
    "an option missing": (lambda t: t["ar"]["fields"]["frequence"]["options"].pop("jour"),
                          "the 'ar' translation of field 'frequence' is not what parole writes"),
    "a label not text": (lambda t: t["en"]["fields"]["idees"].update(label=3),
                         "the 'en' translation of field 'idees' is not what parole writes"),
    "the form's own language": (lambda t: t.update(fr=t["en"]),
                                "the translations hold 'fr', which is no language code"),
    "a title missing": (lambda t: t["en"].pop("title"),
                        "the 'en' translation of the manifest is not what parole writes"),
}


@pytest.mark.parametrize(("change", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_a_manifest_with_translations_it_cannot_trust_is_refused(
    tmp_path: Path, change: Any, message: str
) -> None:
    path = publish(tmp_path, parsed())
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data["translations"])
    with speaking("en"), pytest.raises(Exception, match=re.escape(message)):
        manifest_from_text(json.dumps(data), path)


# -- the site: a page in another language, the paper versions --------------------------------

SITE = SiteInfo(title="Place du marché", organizer_name="Ville de Belval",
                organizer_email=None, organizer_phone=None, organizer_address="1 place",
                language="fr", direction="ltr", footer_links=(), site_map_url=None)


def site_forms() -> SiteForms:
    return SiteForms(catalogue=FR, consultation=Calendar(closes=date(2099, 12, 31)),
                     today=date(2026, 6, 1), action="/collect")


def test_a_page_in_another_language_shows_the_form_by_its_id(tmp_path: Path) -> None:
    forms = site_forms()
    _html, problems = forms.render(parsed(), page_url="consultation/place/", help_url=None)
    assert problems == []
    shown, problems, warnings = forms.show(
        "avis-place", language="ar", page_url="ar/consultation/place/", help_url="ar/aide/",
        resolve_link=lambda href: "../../../" + href.removesuffix(".md") + "/",
        where=("ar/consultation/place.md", 4))
    assert problems == [] and warnings == []
    assert '<input type="hidden" name="_language" value="ar">' in shown
    assert f'name="_version" value="{parsed().version}"' in shown
    assert "أبدوا رأيكم في الساحة" in shown
    assert '<a href="../../../projet/">المشروع</a>' in shown  # links from the Arabic page
    assert 'href="../../../papier/avis-place/ar/"' in shown  # its paper version
    assert AR("paper.link") in shown and FR("paper.link") not in shown  # its words
    forms.write(tmp_path, site=SITE, help_url=None, dropoff=(), site_url=None)
    manifest = read_manifest(tmp_path / "forms" / "avis-place.json")
    assert manifest.page_url_in("ar") == "ar/consultation/place/"
    assert manifest.page_url_in("en") == "consultation/place/"  # no English page
    ar_intro = manifest.form.localized("ar").intro_html or ""
    assert '<a href="../../../projet/">' in ar_intro  # as the Arabic page has it
    assert manifest.paper_url_in("en") == "papier/avis-place/en/"


def test_paper_versions_per_language_with_the_same_codes(tmp_path: Path,
                                                         request: pytest.FixtureRequest) -> None:
    forms = site_forms()
    forms.render(parsed(), page_url="consultation/place/", help_url=None)
    forms.show("avis-place", language="ar", page_url="ar/consultation/place/", help_url=None,
               resolve_link=lambda href: "../../../" + href.removesuffix(".md") + "/",
               where=("ar/consultation/place.md", 4))
    forms.write(tmp_path, site=SITE, help_url=None, dropoff=("Mairie",), site_url=None)
    french = (tmp_path / "papier" / "avis-place" / "index.html").read_text(encoding="utf-8")
    arabic = (tmp_path / "papier" / "avis-place" / "ar" / "index.html").read_text("utf-8")
    english = (tmp_path / "papier" / "avis-place" / "en" / "index.html").read_text("utf-8")
    assert '<html lang="fr" dir="ltr">' in french
    assert '<html lang="ar" dir="rtl">' in arabic
    assert '<html lang="en" dir="ltr">' in english
    codes = re.compile(r"avis-place / [a-z]+")
    assert codes.findall(french) == codes.findall(arabic) == codes.findall(english)
    assert codes.findall(french)  # one per question
    assert "كم مرة تمرون بالساحة؟" in arabic and "How often" in english
    assert 'href="../../../ar/consultation/place/"' in arabic  # back to the Arabic page
    assert_golden("forms/paper-avis-place-ar.html", arabic, request)


def test_a_page_in_a_language_the_form_lacks(tmp_path: Path) -> None:
    forms = site_forms()
    forms.render(parsed(UNTRANSLATED), page_url="consultation/place/",
                 help_url=None)
    with speaking("en"):
        html, problems, warnings = forms.show(
            "avis-place", language="ar", page_url="ar/place/", help_url=None,
            resolve_link=None, where=("ar/place.md", 7))
    assert html == "" and warnings == []
    assert [(p.file, p.line, p.field) for p in problems] == [
        ("ar/place.md", 7, "avis-place/translations/ar")]
    assert "the form 'avis-place' (consultation/place.md:10) has no 'ar' translation" \
        in problems[0].message
    # With the fallback: the form in French, a warning, lang and dir on its section.
    fallback = replace(parsed(UNTRANSLATED), translation_fallback=True)
    forms = site_forms()
    forms.render(fallback, page_url="consultation/place/", help_url=None)
    html, problems, warnings = forms.show(
        "avis-place", language="ar", page_url="ar/place/", help_url=None,
        resolve_link=None, where=("ar/place.md", 7))
    assert problems == [] and len(warnings) == 1
    assert 'lang="fr" dir="ltr"' in html and "Donnez votre avis" in html
    assert '<input type="hidden" name="_language" value="fr">' in html


def test_an_unknown_form_id_is_located_at_its_block() -> None:
    with speaking("en"):
        html, problems, _warnings = site_forms().show(
            "avis-plase", language="ar", page_url="ar/place/", help_url=None,
            resolve_link=None, where=("ar/place.md", 3))
    assert html == ""
    assert [(p.file, p.line) for p in problems] == [("ar/place.md", 3)]
    assert "no page declares a form 'avis-plase'" in problems[0].message


def test_the_same_declaration_at_a_second_address_is_no_duplicate() -> None:
    forms = site_forms()
    form = parsed()
    assert forms.render(form, page_url="consultation/place/", help_url=None)[1] == []
    assert forms.render(form, page_url="ar/consultation/place/", help_url=None)[1] == []
    assert forms.placed["avis-place"].page_url == "consultation/place/"
    other = replace(form, source="autre.md:3")
    assert forms.render(other, page_url="autre/", help_url=None)[1] != []


# -- the ```form block holding only an id -------------------------------------------------------

def test_a_block_holding_only_an_id_shows_the_form_declared_elsewhere() -> None:
    shown: list[tuple[str, str, int]] = []
    ext = FormsExtension()
    ext.active_page_file = "ar/place.md"
    ext.language = "ar"

    def show(form_id: str, file: str, line: int) -> str:
        shown.append((form_id, file, line))
        return "<!-- parole:form 0 -->"

    ext.show = show
    with speaking("en"):
        html = markdown.Markdown(extensions=[ext]).convert(
            "# الساحة\n\n```form\nid: avis-place\n```\n\n```form\nid: [avis]\n```\n")
    assert shown == [("avis-place", "ar/place.md", 3)]
    assert "<!-- parole:form 0 -->" in html
    assert [(p.line, p.message) for p in ext.problems] == [
        (8, "id must be the id of a form declared on another page")]
    assert ext.forms == []


def test_a_language_s_own_build_shows_the_form_from_the_default_build_s_manifest(
    tmp_path: Path,
) -> None:
    """A consultation built once per language: the Arabic build reads the form from the
    manifest the French build wrote, shows it in Arabic, and prints its Arabic paper version;
    the manifest stays the French build's."""
    default = site_forms()
    default.render(parsed(), page_url="consultation/place/", help_url=None)
    default.write(tmp_path, site=SITE, help_url=None, dropoff=(), site_url=None)
    manifest = tmp_path / "forms" / "avis-place.json"
    arabic = SiteForms(catalogue=AR, consultation=Calendar(closes=date(2099, 12, 31)),
                       today=date(2026, 6, 1), action="/collect")
    arabic.elsewhere = lambda form_id: read_manifest(tmp_path / "forms" / f"{form_id}.json").form
    html, problems, _warnings = arabic.show(
        "avis-place", language="ar", page_url="consultation/place/", help_url=None,
        resolve_link=None, where=("consultation/place.md", 3))
    assert problems == []
    assert '<input type="hidden" name="_language" value="ar">' in html
    assert f'name="_version" value="{parsed().version}"' in html
    assert '<a href="../projet/">المشروع</a>' in html  # the same place in the Arabic mirror
    assert 'href="../../paper/avis-place/ar/"' in html
    before = manifest.read_bytes()
    ar_site = tmp_path / "ar"
    written = arabic.write(ar_site, site=SITE, help_url=None, dropoff=(), site_url=None)
    assert written == [ar_site / "paper" / "avis-place" / "ar" / "index.html"]
    assert '<html lang="ar" dir="rtl">' in written[0].read_text(encoding="utf-8")
    assert manifest.read_bytes() == before


def test_with_a_build_per_language_the_manifest_names_each_language_s_page(
    tmp_path: Path,
) -> None:
    default = site_forms()
    default.language_url = lambda url, language: f"{language}/{url}"
    default.render(parsed(), page_url="consultation/place/", help_url=None)
    default.write(tmp_path, site=SITE, help_url=None, dropoff=(), site_url=None)
    manifest = read_manifest(tmp_path / "forms" / "avis-place.json")
    assert dict(manifest.page_urls) == {"fr": "consultation/place/",
                                        "ar": "ar/consultation/place/",
                                        "en": "en/consultation/place/"}
    other = site_forms()  # another language's build, showing the French page as it is
    other.writes_manifests = False
    other.render(parsed(), page_url="consultation/place/", help_url=None)
    written = other.write(tmp_path / "ar", site=SITE, help_url=None, dropoff=(), site_url=None)
    assert not (tmp_path / "ar" / "forms").exists()
    assert tmp_path / "ar" / "papier" / "avis-place" / "index.html" in written


# -- in a real build ------------------------------------------------------------------------------

def _site_form(text: str) -> str:
    return "# Votre avis\n\nTexte.\n\n```form\n" + text + "```\n"


def test_a_strict_build_stops_at_a_missing_string_with_its_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = without(FORM, "        hint: إجابة").replace("projet.md", "index.md")
    pages = {"index.md": "# Accueil\n", "avis.md": _site_form(text)}
    with pytest.raises(Abort):
        build_site(write_site(tmp_path, pages), tmp_path / "site")
    errors = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    line = 5 + 1 + text.splitlines().index("        label: كم مرة تمرون بالساحة؟")
    assert (f"avis.md:{line}: [avis-place/translations/ar/fields/frequence] formulaire "
            "« avis-place » : la question « frequence » n'a pas de hint dans la traduction "
            "« ar »") in errors


def test_with_fallback_a_strict_build_goes_through_saying_what_is_missing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = without(FORM, "        hint: إجابة").replace("projet.md", "index.md").replace(
        "submit: Envoyer mon avis\n", "submit: Envoyer mon avis\ntranslation_fallback: true\n")
    pages = {"index.md": "# Accueil\n", "avis.md": _site_form(text),
             "encore.md": "# Encore\n\n```form\nid: avis-place\n```\n"}
    with caplog.at_level(logging.INFO):
        site = build_site(write_site(tmp_path, pages), tmp_path / "site")
    said = [r for r in caplog.records if "n'a pas de hint" in r.getMessage()]
    assert [r.levelname for r in said] == ["WARNING"]
    manifest = read_manifest(site / "forms" / "avis-place.json")
    assert manifest.form.localized("ar").fields[0].hint == "Une seule réponse."
    again = (site / "encore" / "index.html").read_text(encoding="utf-8")  # by its id alone
    assert f'name="_version" value="{manifest.version}"' in again
    assert '<a href="../">le projet</a>' in again  # its link, from this page


@pytest.mark.pa11y
def test_every_language_s_paper_version_passes_pa11y(tmp_path: Path) -> None:
    require_tools(pa11y=True)
    forms = site_forms()
    forms.render(parsed(), page_url="consultation/place/", help_url=None)
    site = tmp_path / "site"
    forms.write(site, site=SITE, help_url=None, dropoff=("Mairie",), site_url=None)
    pages = [page for page in built_pages(site) if page.file.startswith("papier/")]
    assert len(pages) == 3  # fr, ar, en
    with serve_site(site) as base_url:
        urls = {page.url(base_url): page.file for page in pages}
        reports = run_pa11y_ci(list(urls), tmp_path)
    failed = [report for report in reports.values() if report.failed]
    assert not failed, describe_failures(list(reports.values()), lambda url: urls[url])


@pytest.fixture(scope="module")
def two_languages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A consultation in French and Arabic: the form declared in French with its translations,
    shown on the Arabic page by its id alone."""
    folder = tmp_path_factory.mktemp("two-languages")
    text = FORM.replace("projet.md", "index.md")
    pages = {"index.md": "# Accueil\n", "index.ar.md": "# الصفحة الرئيسية\n",
             "avis.md": _site_form(text),
             "avis.ar.md": "# رأيكم\n\nنص.\n\n```form\nid: avis-place\n```\n"}
    config = write_site(folder, pages, plugins=[{"parole": {"languages": ["fr", "ar"]}}])
    return build_site(config, folder / "site")


def test_a_consultation_built_per_language_shows_one_form_in_each(two_languages: Path) -> None:
    site = two_languages
    manifest = read_manifest(site / "forms" / "avis-place.json")
    assert dict(manifest.page_urls) == {"fr": "avis/", "ar": "ar/avis/"}  # no English site
    assert not (site / "ar" / "forms").exists()  # the French build's manifest is the one
    arabic = (site / "ar" / "avis" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl"' in arabic
    assert '<input type="hidden" name="_language" value="ar">' in arabic
    assert f'name="_version" value="{manifest.version}"' in arabic
    assert "أبدوا رأيكم في الساحة" in arabic
    paper = re.search(r'<p class="p-form__paper"><a href="([^"]+)"', arabic)
    assert paper is not None
    printed = (site / "ar" / "avis" / paper.group(1) / "index.html").resolve()
    assert '<html lang="ar" dir="rtl">' in printed.read_text(encoding="utf-8")
    french = (site / "avis" / "index.html").read_text(encoding="utf-8")
    assert '<input type="hidden" name="_language" value="fr">' in french


@pytest.mark.pa11y
def test_the_arabic_page_and_its_form_pass_pa11y(two_languages: Path, tmp_path: Path) -> None:
    require_tools(pa11y=True)
    pages = [page for page in built_pages(two_languages)
             if page.file in ("ar/avis/index.html", "avis/index.html")]
    assert len(pages) == 2
    with serve_site(two_languages) as base_url:
        urls = {page.url(base_url): page.file for page in pages}
        reports = run_pa11y_ci(list(urls), tmp_path)
    failed = [report for report in reports.values() if report.failed]
    assert not failed, describe_failures(list(reports.values()), lambda url: urls[url])
