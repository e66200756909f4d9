"""A translation lacking a few strings (``translation_fallback``, issue #18): the form's own
words shown in their place each say their language (``lang``/``dir``), in the built page and
in the collector's pages made from the manifest (``site_builder.forms.borrowed``)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from site_builder.forms.manifest import manifest_from_text, read_manifest
from site_builder.forms.model import Form
from site_builder.forms.paper import render_paper
from site_builder.forms.render import render_form
from site_builder.i18n import Catalogue
from site_builder.messages import speaking
from site_builder.site import SiteInfo
from tests.test_form_translations import FORM, parse, parsed, publish, without

AR = Catalogue.for_language("ar")
FRENCH = ' lang="fr" dir="ltr"'
FALLBACK = "submit: Envoyer mon avis\ntranslation_fallback: true\n"
LACKING = without(without(without(FORM, "        hint: إجابة"), "    submit: أرسلوا"),
                  "      idees:")
"""The Arabic translation without the first question's hint, the button and the third question
(its label), with ``translation_fallback``; the English one unchanged (it has everything)."""
LACKING = LACKING.replace("submit: Envoyer mon avis\n", FALLBACK, 1).replace(
    "{jour: كل يوم, semaine: كل أسبوع}", "{jour: كل يوم}").replace(
    ", max_label: كثيراً}", "}")


def lacking() -> Form:
    form, problems = parse(LACKING, warnings=[])
    assert problems == [] and form is not None
    return form


def test_the_strings_a_translation_lacks_are_recorded_by_path() -> None:
    arabic, english = lacking().translations
    assert arabic.borrowed == {"submit", "frequence/hint", "frequence/options/semaine",
                               "ombre/max_label", "idees/label"}
    assert english.borrowed == frozenset()
    assert parsed().translations[0].borrowed == frozenset()  # a complete translation


def test_each_borrowed_string_says_its_language_and_nothing_else_does() -> None:
    html = render_form(lacking().localized("ar"), catalogue=AR)
    assert f'<div class="p-field__hint" id="f-avis-place-frequence-hint"><span{FRENCH}>' \
           "Une seule réponse.</span></div>" in html
    assert f'<label class="p-field__option-label" for="f-avis-place-frequence-2"{FRENCH}>' \
           "Chaque semaine</label>" in html
    assert '<label class="p-field__option-label" for="f-avis-place-frequence-1">كل يوم' in html
    assert f"5 — <span{FRENCH}>Beaucoup</span></label>" in html
    assert f'for="f-avis-place-idees"><span{FRENCH}>Que changeriez-vous ?</span>' in html
    assert f'<button class="p-form__submit" type="submit"><span{FRENCH}>Envoyer mon avis' \
           "</span></button>" in html
    assert html.count(" lang=") == 5
    assert '<section class="p-form" id="form-avis-place" aria-labelledby' in html  # no lang
    assert " lang=" not in render_form(parsed().localized("ar"), catalogue=AR)


def test_a_borrowed_select_option_carries_its_language_on_the_option() -> None:
    """A span cannot go inside an ``<option>``: the attributes go on it."""
    text = LACKING.replace("    type: choice\n", "    type: select\n", 1)
    form, problems = parse(text, warnings=[])
    assert problems == [] and form is not None
    html = render_form(form.localized("ar"), catalogue=AR)
    assert f'<option value="semaine"{FRENCH}>Chaque semaine</option>' in html
    assert '<option value="jour">كل يوم</option>' in html


def test_a_borrowed_title_and_intro_say_their_language() -> None:
    text = without(without(LACKING, "    title: أبدوا"), "    intro: اقرأوا")
    form, problems = parse(text, warnings=[])
    assert problems == [] and form is not None
    html = render_form(form.localized("ar"), catalogue=AR)
    assert f'id="form-avis-place-title"><span{FRENCH}>Donnez votre avis sur la place</span></h2>' \
        in html
    assert f'<div class="p-form__intro">\n<div{FRENCH}><p>Lisez d\'abord <a href="../projet/">' \
        in html


SITE_AR = SiteInfo(title="الساحة", organizer_name="", organizer_email="",
                   organizer_phone="", organizer_address="", language="ar", direction="rtl",
                   footer_links=(), site_map_url=None)


def _paper(form: Form) -> str:
    html = render_paper(form, catalogue=AR, site=SITE_AR, online_url=None, help_url=None,
                        dropoff=(), closes=None)
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_paper_version_marks_the_same_borrowed_strings() -> None:
    """Printed, the words a translation lacks are still read aloud (the paper page on screen)
    in their own language: label, hint, option, scale end, title and intro."""
    text = without(without(LACKING, "    title: أبدوا"), "    intro: اقرأوا")
    form, problems = parse(text, warnings=[])
    assert problems == [] and form is not None
    html = _paper(form.localized("ar"))
    assert f"<h1><span{FRENCH}>Donnez votre avis sur la place</span></h1>" in html
    assert f'<div class="p-paper__intro"><div{FRENCH}><p>Lisez d\'abord <a href=' in html
    assert f'<p class="p-paper__hint"><span{FRENCH}>Une seule réponse.</span></p>' in html
    assert f'aria-hidden="true"></span><span{FRENCH}>Chaque semaine</span></li>' in html
    assert 'aria-hidden="true"></span>كل يوم</li>' in html
    assert f'<p class="p-paper__end"><span{FRENCH}>Beaucoup</span></p>' in html
    assert '<p class="p-paper__end">لا أبداً</p>' in html
    assert f"\n<span{FRENCH}>Que changeriez-vous ?</span> <span class=\"p-paper__req\">" in html
    assert html.count(" lang=") == 6
    assert " lang=" not in _paper(parsed().localized("ar"))


def test_the_manifest_keeps_them_and_the_collector_shows_them_the_same(tmp_path: Path) -> None:
    form = lacking()
    path = publish(tmp_path, form)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["translations"]["ar"]["borrowed"] == [
        "frequence/hint", "frequence/options/semaine", "idees/label", "ombre/max_label", "submit"]
    assert "borrowed" not in data["translations"]["en"]  # as written before: nothing borrowed
    shown = read_manifest(path).form.localized("ar")
    assert render_form(shown, catalogue=AR, errors={"frequence": "اختاروا إجابة"}).count(
        FRENCH) == 5


BROKEN: dict[str, Any] = {
    "not a list": lambda words: words.update(borrowed="submit"),
    "an unknown path": lambda words: words.update(borrowed=["frequence/options/mois"]),
    "not text": lambda words: words.update(borrowed=[{"submit": 1}]),
}


@pytest.mark.parametrize("change", BROKEN.values(), ids=BROKEN.keys())
def test_a_manifest_borrowing_what_the_form_has_not_is_refused(tmp_path: Path,
                                                               change: Any) -> None:
    data = json.loads(publish(tmp_path, lacking()).read_text(encoding="utf-8"))
    change(data["translations"]["ar"])
    with speaking("en"), pytest.raises(Exception, match=re.escape(
            "the 'ar' translation of borrowed is not what parole writes")):
        manifest_from_text(json.dumps(data), "avis-place")
