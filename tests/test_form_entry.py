"""The data-entry form (``render_form(paper_entry=True)``): the online form's components, as a
mediator types a paper sheet into them: each question's printed code read with its label, an
"unreadable or spoiled" box after its inputs, no required wording, no honeypot, the CSRF token,
and focus on the first question for the next sheet. Its goldens are the components' ``entry``
examples (tests/test_form_render.py); here, the rules, then Chromium without JavaScript.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from site_builder.errors import ContentError
from site_builder.forms import posted, render
from site_builder.forms.paper import render_paper
from site_builder.i18n import Catalogue
from tests.batch_support import add_mediator
from tests.collector_browser_support import site_and_collector
from tests.entry_browser_support import SAVE, focused, sign_in_and_open_a_batch, tab_to
from tests.test_form_render import (
    CSS,
    EVERY_TYPE,
    FR,
    VALUES,
    Element,
    make_form,
    page_with,
    parse,
    structural_problems,
)
from tests.test_paper import SITE

EN = Catalogue.for_language("en")
AR = Catalogue.for_language("ar")
TOKEN = "c" * 43
FOCUSED = "() => document.activeElement && document.activeElement.id"


def entry_form(**options: object) -> str:
    options = {"paper_entry": True, "hidden_extra": {posted.CSRF_NAME: TOKEN}, **options}
    return render.render_form(make_form(), catalogue=FR, **options)  # type: ignore[arg-type]


def question_texts(html: str) -> list[str]:
    """Each question's label or legend, as a screen reader reads it with its control."""
    return [element.text for element in parse(html)
            if element.tag == "legend" or (element.tag == "label" and element.within("fieldset")
                                           is None and "for" in element.attrs
                                           and not element.attrs["for"].endswith("-spoiled"))]


def test_each_question_reads_with_the_code_printed_on_paper() -> None:
    form = make_form()
    html = entry_form()
    paper = render_paper(form, catalogue=FR, site=SITE, online_url=None, help_url=None,
                         dropoff=(), closes=None)
    texts = question_texts(html)
    assert len(texts) == len(form.fields)
    for field, text in zip(form.fields, texts, strict=True):
        code = f"avis / {field.id}"
        assert text.endswith(f" {code}"), text  # inside the label, after the question's words
        assert f">{code}<" in paper  # exactly what the sheet prints
    assert html.count('<span class="p-field__code" dir="ltr">') == len(form.fields)


def test_paper_may_leave_anything_blank_so_nothing_says_required() -> None:
    html = entry_form()
    assert "(obligatoire)" not in html and "(facultatif)" not in html
    assert "p-field__status" not in html
    assert ('<p class="p-form__entry-hint">Tapez ce que la feuille porte. Laissez vide ce '
            "qu\u2019elle laisse vide.</p>") in html
    assert "Cinq minutes" not in html  # the citizens' intro: the sheet has it
    assert "Version papier" not in entry_form(paper_url="../papier/")
    assert ">Enregistrer la feuille</button>" in html


def test_after_each_questions_inputs_an_unreadable_or_spoiled_box() -> None:
    form = make_form()
    elements = parse(entry_form(marks={"accord": "spoiled", "idee": "blank"}))
    boxes = [e for e in elements if e.attrs.get("name") == posted.SPOILED_NAME]
    assert [box.attrs["value"] for box in boxes] == [field.id for field in form.fields]
    for field, box in zip(form.fields, boxes, strict=True):
        assert box.attrs["id"] == f"f-avis-{field.id}-spoiled"
        assert box.attrs["type"] == "checkbox"
        assert ("checked" in box.attrs) is (field.id == "accord")
        question = next(parent for parent in reversed(box.parents)
                        if "p-field" in parent.attrs.get("class", "").split())
        controls = [e for e in elements if question in e.parents
                    and e.tag in {"input", "select", "textarea"}]
        assert controls[-1] is box  # after every option, or the input
        assert len(controls) > 1
    labels = [e.text for e in elements if e.tag == "label"
              and e.attrs.get("for", "").endswith("-spoiled")]
    assert labels == [f"Illisible ou nul avis / {field.id}" for field in form.fields]


def radios(elements: list[Element], name: str) -> list[Element]:
    return [e for e in elements if e.tag == "input" and e.attrs.get("name") == name]


def test_a_one_answer_question_ends_with_a_no_answer_radio() -> None:
    elements = parse(entry_form())
    labels = {e.attrs["for"]: e.text for e in elements if e.tag == "label" and "for" in e.attrs}
    for name, options in (("frequence", 2), ("accord", 5)):
        group = radios(elements, name)
        *chosen, blank = group
        assert len(chosen) == options and all(e.attrs["value"] for e in chosen)
        assert blank.attrs == {"class": "p-field__check", "type": "radio",
                               "id": f"f-avis-{name}-blank", "name": name, "value": ""}
        assert labels[blank.attrs["id"]] == "Sans réponse (vide)"
        assert blank.within("fieldset") is group[0].within("fieldset")  # in the same group
        following = elements[elements.index(blank) + 1:]
        box = next(e for e in following if e.tag == "input")
        assert box.attrs["id"] == f"f-avis-{name}-spoiled"  # then "Illisible ou nul"
    # Boxes are unticked and text is cleared: nothing to add there.
    assert [e.attrs["value"] for e in radios(elements, "usages")] == [
        "Marché", "Promenade", "Jeux"]
    assert "f-avis-usages-blank" not in entry_form() and "f-avis-idee-blank" not in entry_form()
    select = next(e for e in elements if e.tag == "select")
    first = select.children[0]
    assert (first.attrs, first.text) == ({"value": ""}, "Sans réponse (vide)")
    assert entry_form().count("Sans réponse (vide)") == 3


def test_the_no_answer_radio_is_chosen_for_a_blank_mark_or_as_typed() -> None:
    html = entry_form(marks={"frequence": "blank"}, values={"accord": [""]})
    assert '<input class="p-field__check" type="radio" id="f-avis-frequence-blank" ' \
           'name="frequence" value="" checked>' in html
    assert '<input class="p-field__check" type="radio" id="f-avis-accord-blank" ' \
           'name="accord" value="" checked>' in html
    assert [e.attrs["id"] for e in parse(html) if "checked" in e.attrs] == [
        "f-avis-frequence-blank", "f-avis-accord-blank"]
    assert "checked" not in entry_form(marks={"frequence": "spoiled"}).split(
        'id="f-avis-frequence-blank"')[1].split(">")[0]
    errors = entry_form(values={"frequence": [""]}, errors={"frequence": "x"})
    assert ('id="f-avis-frequence-blank" name="frequence" value="" checked '
            'aria-invalid="true">') in errors
    assert structural_problems(html) == [] and structural_problems(errors) == []


def test_the_box_says_it_in_every_language() -> None:
    for catalogue, words in ((EN, "Unreadable or spoiled"), (AR, "غير مقروء أو لاغٍ")):
        html = render.render_form(make_form(), catalogue=catalogue, paper_entry=True)
        assert f">{words}<span" in html
        assert "(required)" not in html and "(optional)" not in html
    for catalogue, words in ((EN, "No answer (blank)"), (AR, "بلا إجابة (فارغ)")):
        html = render.render_form(make_form(), catalogue=catalogue, paper_entry=True)
        assert html.count(f'-blank">{words}</label>') == 2
        assert f'<option value="">{words}</option>' in html


def test_no_honeypot_and_the_token_inside_the_form() -> None:
    html = entry_form()
    assert posted.HONEYPOT_NAME not in html and "p-form__trap" not in html
    form_part = html[html.index("<form"):html.index("</form>")]
    assert f'<input type="hidden" name="_csrf" value="{TOKEN}">' in form_part
    assert '<input type="hidden" name="_form" value="avis">' in form_part


def test_typed_answers_and_marks_come_back_after_a_mistake() -> None:
    html = entry_form(values=VALUES, marks={"frequence": "spoiled"},
                      errors={"age": "Tapez en chiffres le nombre écrit"})
    assert 'value="douze"' in html
    assert re.search(r'id="f-avis-frequence-spoiled" name="_spoiled" value="frequence" checked>',
                     html)
    assert 'aria-invalid="true"' in html and "Il y a un problème" in html
    assert structural_problems(html) == []


def test_the_entry_form_is_structurally_sound_in_every_language() -> None:
    for catalogue in (FR, EN, AR):
        html = render.render_form(make_form(), catalogue=catalogue, paper_entry=True,
                                  marks={"usages": "spoiled"}, focus_first=True)
        assert structural_problems(html) == []


def test_the_browser_offers_no_autofill_of_the_mediators_own_details() -> None:
    form = make_form({**EVERY_TYPE, "fields": [
        {"id": "nom", "type": "text", "label": "Nom"},
        {"id": "telephone", "type": "text", "label": "Téléphone"},
        {"id": "courriel", "type": "email", "label": "Courriel"}]})
    online = render.render_form(form, catalogue=FR)
    entry = render.render_form(form, catalogue=FR, paper_entry=True)
    assert 'autocomplete="family-name"' in online and 'autocomplete="email"' in online
    assert entry.count('autocomplete="off"') == 3
    assert 'type="tel"' in entry and 'type="email"' in entry


@pytest.mark.parametrize(("first", "control"), [
    ({"id": "q", "type": "text", "label": "Q"}, "f-avis-q"),
    ({"id": "q", "type": "textarea", "label": "Q"}, "f-avis-q"),
    ({"id": "q", "type": "select", "label": "Q", "options": ["a", "b"]}, "f-avis-q"),
    ({"id": "q", "type": "choice", "label": "Q", "options": ["a", "b"]}, "f-avis-q-1"),
    ({"id": "q", "type": "choices", "label": "Q", "options": ["a", "b"]}, "f-avis-q-1"),
    ({"id": "q", "type": "scale", "label": "Q", "min": 1, "max": 3}, "f-avis-q-1"),
    ({"id": "q", "type": "consent", "label": "Q"}, "f-avis-q"),
], ids=lambda value: value["type"] if isinstance(value, dict) else "")
def test_focus_first_puts_autofocus_on_the_first_control_only(
    first: dict[str, object], control: str
) -> None:
    form = make_form({**EVERY_TYPE, "fields": [first, {"id": "z", "type": "text",
                                                       "label": "Z"}]})
    html = render.render_form(form, catalogue=FR, paper_entry=True, focus_first=True)
    focused = [e for e in parse(html) if "autofocus" in e.attrs]
    assert [e.attrs["id"] for e in focused] == [control]
    assert "autofocus" not in render.render_form(form, catalogue=FR, paper_entry=True)


def test_errors_take_focus_before_the_first_question() -> None:
    html = entry_form(focus_first=True, errors={"age": "Tapez en chiffres"})
    assert [e.attrs["id"] for e in parse(html) if "autofocus" in e.attrs] == ["form-avis-errors"]
    shown_only = entry_form(focus_first=True, errors={"age": "x"}, focus_errors=False)
    assert [e.attrs["id"] for e in parse(shown_only) if "autofocus" in e.attrs] == [
        "f-avis-frequence-1"]


def test_the_online_form_is_unchanged_by_entry_mode() -> None:
    html = render.render_form(make_form(), catalogue=FR, values=VALUES)
    for absent in ("_spoiled", "p-field__code", "_csrf", "autofocus", "p-form__entry-hint",
                   "-blank", "Sans réponse"):
        assert absent not in html, absent
    assert all(e.attrs["value"] for e in parse(html) if e.attrs.get("type") == "radio")
    assert '<option value="">Choisir…</option>' in html
    assert posted.HONEYPOT_NAME in html


def test_a_question_whose_id_would_take_a_spoiled_box_id_is_an_error() -> None:
    clash = make_form({**EVERY_TYPE, "fields": [{"id": "q", "type": "text", "label": "Q"},
                                                {"id": "q-spoiled", "type": "text",
                                                 "label": "Q2"}]})
    with pytest.raises(ContentError, match="'q' and 'q-spoiled' would both use the HTML id "
                                           "'f-avis-q-spoiled'"):
        render.render_form(clash, catalogue=FR)


def test_a_question_whose_id_would_take_a_no_answer_radio_id_is_an_error() -> None:
    clash = make_form({**EVERY_TYPE, "fields": [
        {"id": "q", "type": "scale", "label": "Q", "min": 1, "max": 3},
        {"id": "q-blank", "type": "text", "label": "Q2"}]})
    with pytest.raises(ContentError, match="'q' and 'q-blank' would both use the HTML id "
                                           "'f-avis-q-blank'"):
        render.render_form(clash, catalogue=FR)
    render.render_form(make_form({**EVERY_TYPE, "fields": [
        {"id": "q", "type": "choices", "label": "Q", "options": ["a"]},
        {"id": "q-blank", "type": "text", "label": "Q2"}]}), catalogue=FR)  # no such radio


def test_the_stylesheet_styles_the_code_and_the_box() -> None:
    assert ".p-field__code{" in CSS and ".p-field__spoiled{" in CSS


# --- in Chromium ---------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize(("language", "width"), [("fr", 320), ("ar", 320), ("fr", 1024)])
def test_a_sheet_starts_on_the_first_question_without_javascript(
    browser: Browser, language: str, width: int
) -> None:
    catalogue = Catalogue.for_language(language)
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": width, "height": 768})
    page = context.new_page()
    page.set_content(page_with(render.render_form(make_form(), catalogue=catalogue,
                                                  paper_entry=True, focus_first=True),
                               language=language, direction=catalogue.direction))
    assert page.evaluate(FOCUSED) == "f-avis-frequence-1"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Tab goes through the question's radios' group, then its spoiled box, then the next one.
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "f-avis-frequence-spoiled"
    page.keyboard.press("Space")
    assert page.locator("#f-avis-frequence-spoiled").is_checked()
    boxes = page.locator(".p-field__spoiled .p-field__option-label")
    assert boxes.count() == len(EVERY_TYPE["fields"])
    for index in range(boxes.count()):
        box = boxes.nth(index).bounding_box()
        assert box is not None and box["height"] >= 44
    context.close()


@pytest.mark.browser
def test_a_choice_made_by_mistake_is_taken_back_with_the_arrow_keys(
    browser: Browser, example_site: Path, tmp_path: Path
) -> None:
    """A real collector and its entry screen, JavaScript off: the typist arrows through a
    question's radios past the right one, then on to "Sans réponse (vide)"; in a scale, Up
    from the first step wraps to it; in the list, Up goes back to its first line. The sheet is
    stored with those questions marked blank, as if left empty."""
    database = f"sqlite:///{tmp_path / 'answers.db'}"
    code = add_mediator(database, "Alice")
    with site_and_collector(example_site, database, tmp_path) as up:
        context = browser.new_context(java_script_enabled=False)
        try:
            page = context.new_page()
            sign_in_and_open_a_batch(page, up, code, 1)
            assert focused(page) == "f-avis-place-frequence-1"
            page.keyboard.press("ArrowDown")  # a slip: "Chaque semaine" is chosen
            assert page.locator("#f-avis-place-frequence-2").is_checked()
            for _ in range(3):  # on past the last option
                page.keyboard.press("ArrowDown")
            assert focused(page) == "f-avis-place-frequence-blank"
            assert page.locator("#f-avis-place-frequence-blank").is_checked()
            assert page.get_by_label("Sans réponse (vide)").first.is_checked()
            tab_to(page, "#f-avis-place-ombre-1")
            page.keyboard.press("Space")
            page.keyboard.press("ArrowUp")
            assert focused(page) == "f-avis-place-ombre-blank"
            tab_to(page, "#f-avis-place-stationnement")
            page.keyboard.press("ArrowDown")
            assert page.locator("#f-avis-place-stationnement").input_value() == "60"
            page.keyboard.press("ArrowUp")
            assert page.locator("#f-avis-place-stationnement").input_value() == ""
            tab_to(page, "#f-avis-place-age")
            page.keyboard.type("42")
            tab_to(page, SAVE)
            with page.expect_navigation():
                page.keyboard.press("Enter")
            assert page.get_by_role("heading", level=1).inner_text() == (
                "Toutes les feuilles de ce lot sont saisies")
        finally:
            context.close()
        [answer] = up.stored()
    assert (answer.channel, answer.entered_by) == ("paper", "Alice")
    assert answer.values == {"age": ["42"]}
    for question in ("frequence", "ombre", "stationnement"):
        assert answer.marks[question] == "blank"
