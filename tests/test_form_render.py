"""Forms as HTML (site_builder/forms/render.py and theme/components/): goldens of every component
example, the structure screen readers rely on, the error state the collector shows, and, in
Chromium, a form that posts without JavaScript, a honeypot nobody reaches and 44 px targets.
"""

from __future__ import annotations

import http.server
import re
import threading
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Literal

import pytest
from playwright.sync_api import Browser, Page

from site_builder.calendar import ClosedInfo
from site_builder.errors import ContentError
from site_builder.forms import component_examples, posted, render
from site_builder.forms.component_examples import component_names, render_examples
from site_builder.forms.model import Form
from site_builder.forms.parse import FIELD_ID, parse_form
from site_builder.forms.templates import environment
from site_builder.i18n import Catalogue
from tests import pa11y_support
from tests.support import REPO, SITES, assert_golden

FR = Catalogue.for_language("fr")
CSS = (REPO / "theme" / "assets" / "parole.css").read_text(encoding="utf-8")
FIELD_COMPONENTS = sorted(set(render.COMPONENTS.values()))
GALLERY = SITES / "components"

# A form with every type; the collector's view of it after a submission with mistakes.
EVERY_TYPE: dict[str, Any] = {
    "id": "avis",
    "title": "Donnez votre avis",
    "intro": "Cinq minutes suffisent.",
    "fields": [
        {"id": "frequence", "type": "choice", "label": "Fréquence ?", "required": True,
         "hint": "Une seule réponse.",
         "options": [{"value": "jour", "label": "Tous les jours"}, "Rarement"]},
        {"id": "usages", "type": "choices", "label": "Usages ?", "max": 2,
         "options": ["Marché", "Promenade", "Jeux"]},
        {"id": "accord", "type": "scale", "label": "D'accord ?", "min": 1, "max": 5,
         "min_label": "Pas du tout", "max_label": "Tout à fait"},
        {"id": "quartier", "type": "select", "label": "Quartier", "options": ["Centre", "Gare"]},
        {"id": "idee", "type": "text", "label": "Votre idée", "required": True},
        {"id": "remarques", "type": "textarea", "label": "Remarques"},
        {"id": "age", "type": "number", "label": "Âge", "min": 0, "max": 120},
        {"id": "courriel", "type": "email", "label": "Courriel"},
        {"id": "publication", "type": "consent", "label": "J'accepte ([nos règles](regles.md))"},
    ],
}
VALUES = {
    "usages": ["Marché", "Jeux"], "accord": ["4"], "quartier": ["Gare"],
    "idee": ["Des bancs & de l'ombre <b>"], "remarques": ["\nDeux lignes\net demie"],
    "age": ["douze"], "courriel": ["moi@exemple"], "publication": [posted.CONSENT_VALUE],
}
ERRORS = {
    "courriel": "Écrivez une adresse comme nom@exemple.fr",
    "frequence": "Choisissez une fréquence",
    "age": "Écrivez votre âge en chiffres",
}


def make_form(data: Mapping[str, Any] = EVERY_TYPE) -> Form:
    form, problems = parse_form(data, file="test.md", line=1)
    assert form is not None, problems
    return form


# --- a tiny DOM, enough for structural checks ---------------------------------------------------

@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parents: tuple[Element, ...]
    text: str = ""
    children: list[Element] = field(default_factory=list)

    def within(self, tag: str) -> Element | None:
        return next((parent for parent in reversed(self.parents) if parent.tag == tag), None)


VOID = {"input", "br", "meta", "link", "img", "hr"}


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.stack: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs}, tuple(self.stack))
        self.elements.append(element)
        if self.stack:
            self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.text += data


def parse(html: str) -> list[Element]:
    dom = _Dom()
    dom.feed(html)
    dom.close()
    return dom.elements


def by_id(elements: list[Element]) -> dict[str, Element]:
    return {element.attrs["id"]: element for element in elements if "id" in element.attrs}


def structural_problems(html: str) -> list[str]:
    """What would break a screen reader's reading of a form: duplicate ids, aria-describedby or
    label ``for`` or ``#links`` pointing nowhere, a control without a label, a radio or checkbox
    group without fieldset and legend, a hint or error not tied to its control."""
    elements = parse(html)
    ids = [element.attrs["id"] for element in elements if "id" in element.attrs]
    duplicates = [f"id {i!r} appears {ids.count(i)} times" for i in sorted(set(ids))
                  if ids.count(i) > 1]
    return duplicates + _references(elements) + _labels_and_groups(elements)


def _references(elements: list[Element]) -> list[str]:
    index = by_id(elements)
    problems = []
    described: set[str] = set()
    for element in elements:
        for target in element.attrs.get("aria-describedby", "").split():
            described.add(target)
            if target not in index:
                problems.append(f"aria-describedby={target!r} of <{element.tag}> resolves nowhere")
        target = element.attrs.get("for", "")
        if element.tag == "label" and (target not in index or index[target].tag not in
                                       {"input", "select", "textarea"}):
            problems.append(f"<label for={target!r}> points to no control")
        href = element.attrs.get("href", "")
        if element.tag == "a" and href.startswith("#") and href[1:] not in index:
            problems.append(f"link {href} points to no element")
    for element in elements:
        classes = element.attrs.get("class", "").split()
        tied = element.attrs.get("id") in described
        if {"p-field__hint", "p-field__error"} & set(classes) and not tied:
            problems.append(f"{classes[0]} {element.attrs.get('id')!r} describes nothing")
    return problems


def _labels_and_groups(elements: list[Element]) -> list[str]:
    problems = []
    labelled = {e.attrs["for"] for e in elements if e.tag == "label" and "for" in e.attrs}
    for element in elements:
        kind = element.attrs.get("type", "text")
        control = element.tag in {"input", "select", "textarea"} and kind != "hidden"
        if control and element.attrs.get("id") not in labelled:
            problems.append(f"<{element.tag} name={element.attrs.get('name')!r}> has no label")
        if element.tag != "input" or kind not in {"radio", "checkbox"}:
            continue
        group = element.within("fieldset")
        if group is None and kind == "radio":
            problems.append(f"radio {element.attrs['id']} is not in a fieldset")
        if group is not None and not any(child.tag == "legend" for child in group.children):
            problems.append(f"the fieldset of {element.attrs['id']} has no legend")
    return problems


# --- goldens and examples ----------------------------------------------------------------------

def _examples_html(component: str) -> str:
    parts = [f"<!-- {example.name}: {example.description} -->\n{example.html}"
             for example in render_examples(component, FR)]
    return "\n".join(parts)


@pytest.mark.parametrize("component", component_names())
def test_every_example_matches_its_golden(component: str, request: pytest.FixtureRequest) -> None:
    assert_golden(f"form-{component}.html", _examples_html(component), request)


@pytest.mark.parametrize("component", component_names())
def test_every_example_is_structurally_sound(component: str) -> None:
    for example in render_examples(component, FR):
        assert structural_problems(example.html) == [], f"{component}: {example.name}"


def test_the_structural_check_finds_what_it_looks_for() -> None:
    broken = ('<label for="nowhere">A</label><input id="a" aria-describedby="gone">'
              '<input type="radio" id="r"><label for="r">R</label><a href="#lost">x</a>'
              '<p class="p-field__error" id="e">Erreur</p><span id="a"></span>')
    found = "\n".join(structural_problems(broken))
    for expected in ("'a' appears 2 times", "='gone' of <input> resolves nowhere",
                     "'nowhere'> points", "<input name=None> has no label",
                     "radio r is not in a fieldset", "#lost points", "'e' describes nothing"):
        assert expected in found


def keeps_an_answer(html: str) -> bool:
    """True when a control shows what was entered: a text, a ticked box, a chosen option."""
    for element in parse(html):
        if {"checked", "selected"} & element.attrs.keys():
            return True
        if element.tag == "textarea" and element.text.strip():
            return True
        if element.tag == "input" and element.attrs.get("type") in {"text", "email", "tel"} \
                and element.attrs.get("value"):
            return True
    return False


def test_each_field_component_shows_the_states_the_issue_lists() -> None:
    for component in FIELD_COMPONENTS:
        examples = {example.name: example for example in render_examples(component, FR)}
        assert {"plain", "required-hint", "error"} <= examples.keys(), component
        assert "(obligatoire)" in examples["required-hint"].html, component
        assert 'class="p-field__hint"' in examples["required-hint"].html, component
        assert 'aria-invalid="true"' in examples["error"].html, component
        assert any(keeps_an_answer(example.html) for example in examples.values()), (
            f"{component}: no example shows an answer kept after an error")
        assert not keeps_an_answer(examples["plain"].html), component


def test_each_macro_renders_its_template_for_other_templates() -> None:
    form = make_form()
    params = render.form_params(form, catalogue=FR, action="/collect", values=VALUES,
                                errors=ERRORS, closed=None, paper_url=None, help_url=None)
    cases: list[tuple[str, dict[str, Any]]] = [("form", params),
                                               ("error-summary", params["errors"])]
    cases += [(field["component"], field) for field in params["fields"]]
    cases.append(("form-closed", render.closed_params(ClosedInfo(date(2027, 2, 28)), FR, None)))
    assert {name for name, _ in cases} == set(component_names())
    for name, component_params in cases:
        macro = "p_" + name.replace("-", "_")
        caller = environment().from_string(
            f'{{% from "components/{name}/macro.html" import {macro} with context %}}'
            f"{{{{ {macro}(params) }}}}")
        expected = render.render_component(name, component_params, FR)
        assert caller.render(params=component_params, t=FR) == expected, name


def test_the_gallery_has_one_page_per_component() -> None:
    pages = {path.stem for path in (GALLERY / "docs").glob("*.md")}
    assert set(component_names()) <= pages
    assert (GALLERY / "mkdocs.yml") in [param.values[0] for param in pa11y_support.site_params()]


def test_a_wrong_example_names_its_file_and_line(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "components" / "field-broken"
    folder.mkdir(parents=True)
    (folder / "template.html").write_text("", encoding="utf-8")
    (folder / "examples.yml").write_text(
        "examples:\n  - name: plain\n    description: Un exemple.\n    colour: red\n",
        encoding="utf-8")
    monkeypatch.setattr(component_examples, "theme_folder", lambda: tmp_path)
    with pytest.raises(ContentError, match=r"examples\.yml:4: unknown key 'colour'"):
        render_examples("field-broken", FR)


# --- the form: what the collector and the build rely on ----------------------------------------

def test_the_form_posts_utf8_to_the_collector_with_its_id_and_version() -> None:
    form = make_form()
    elements = parse(render.render_form(form, catalogue=FR, action="/api/collect"))
    (tag,) = [element for element in elements if element.tag == "form"]
    assert tag.attrs["method"] == "post"
    assert tag.attrs["action"] == "/api/collect"
    assert tag.attrs["accept-charset"] == "utf-8"
    assert "novalidate" in tag.attrs  # the server's messages, not the browser's bubbles
    hidden = {e.attrs["name"]: e.attrs["value"] for e in elements
              if e.attrs.get("type") == "hidden"}
    assert hidden == {posted.FORM_ID_NAME: "avis", posted.FORM_VERSION_NAME: form.version,
                      posted.FORM_LANGUAGE_NAME: "fr"}
    default = parse(render.render_form(form, catalogue=FR))
    assert [e.attrs["action"] for e in default if e.tag == "form"] == ["/collect"]


def test_reserved_names_can_never_be_a_question_id() -> None:
    for name in posted.RESERVED_NAMES:
        assert not FIELD_ID.match(name), name


def test_the_section_holds_title_intro_paper_link_then_form() -> None:
    html = render.render_form(make_form(), catalogue=FR, paper_url="papier/avis/")
    assert html.startswith('<section class="p-form" id="form-avis" aria-labelledby='
                           '"form-avis-title">\n<h2 class="p-form__title" id="form-avis-title">'
                           "Donnez votre avis</h2>")
    order = [html.index(part) for part in ("<h2", "Cinq minutes", "papier/avis/", "<form")]
    assert order == sorted(order)
    assert '<a href="papier/avis/">Version papier à imprimer</a>' in html
    assert "papier" not in render.render_form(make_form(), catalogue=FR)


def test_every_question_says_required_or_optional_in_words() -> None:
    elements = parse(render.render_form(make_form(), catalogue=FR))
    questions = [e.text for e in elements if e.tag == "legend" or (
        e.tag == "label" and e.within("fieldset") is None
        and "p-form__trap" not in e.parents[-1].attrs.get("class", ""))]
    assert len(questions) == len(EVERY_TYPE["fields"])
    required = [text for text in questions if text.endswith(" (obligatoire)")]
    optional = [text for text in questions if text.endswith(" (facultatif)")]
    assert len(required) == 2
    assert len(required) + len(optional) == len(questions)


def test_nothing_is_chosen_before_the_citizen_chooses() -> None:
    html = render.render_form(make_form(), catalogue=FR)
    assert " checked" not in html
    assert " selected" not in html
    assert '<option value="">Choisir…</option>' in html


def test_hints_say_limits_in_words_and_controls_enforce_them() -> None:
    html = render.render_form(make_form(), catalogue=FR)
    assert "2\u202f000\u00a0caractères au maximum." in html  # textarea default, grouped
    assert 'maxlength="2000"' in html
    assert "200\u00a0caractères au maximum." in html and 'maxlength="200"' in html
    assert "Un nombre entier, de 0 à 120." in html
    assert "Plusieurs réponses possibles\u00a0: 2 au maximum." in html


def test_inputs_ask_for_the_right_keyboard_and_autofill() -> None:
    elements = by_id(parse(render.render_form(make_form(), catalogue=FR)))
    age, email = elements["f-avis-age"].attrs, elements["f-avis-courriel"].attrs
    assert (age["type"], age["inputmode"], age["spellcheck"]) == ("text", "numeric", "false")
    assert (email["type"], email["autocomplete"], email["spellcheck"]) == (
        "email", "email", "false")
    decimal = make_form({**EVERY_TYPE, "fields": [
        {"id": "km", "type": "number", "label": "Km", "integer": False},
        {"id": "ecart", "type": "number", "label": "Écart", "min": -5},
        {"id": "telephone", "type": "text", "label": "Téléphone"}]})
    elements = by_id(parse(render.render_form(decimal, catalogue=FR)))
    assert elements["f-avis-km"].attrs["inputmode"] == "decimal"
    assert "inputmode" not in elements["f-avis-ecart"].attrs  # the keypad has no minus sign
    assert elements["f-avis-telephone"].attrs["autocomplete"] == "tel"
    assert elements["f-avis-telephone"].attrs["type"] == "tel"


def test_the_scale_end_labels_are_in_the_first_and_last_labels() -> None:
    parsed = parse(render.render_form(make_form(), catalogue=FR))
    elements = by_id(parsed)
    labels = [e.text for e in parsed
              if e.tag == "label" and e.attrs.get("for", "").startswith("f-avis-accord-")]
    assert labels == ["1 — Pas du tout", "2", "3", "4", "5 — Tout à fait"]
    assert elements["f-avis-accord-1"].within("fieldset") is not None


def test_the_honeypot_is_hidden_from_people_and_their_tools() -> None:
    elements = parse(render.render_form(make_form(), catalogue=FR))
    (trap,) = [e for e in elements if e.attrs.get("name") == posted.HONEYPOT_NAME]
    wrapper = trap.parents[-1]
    assert wrapper.attrs["aria-hidden"] == "true"
    assert "position:absolute" in wrapper.attrs["style"]  # hidden under any theme, not display:none
    assert "display" not in wrapper.attrs["style"]
    assert (trap.attrs["tabindex"], trap.attrs["autocomplete"], trap.attrs["value"]) == (
        "-1", "off", "")
    assert {"data-lpignore", "data-1p-ignore", "data-bwignore"} <= trap.attrs.keys()
    (label,) = [e for e in elements if e.tag == "label" and e.attrs["for"] == trap.attrs["id"]]
    assert label.text == "Ne remplissez pas ce champ"  # for the rare person who reaches it
    assert label.parents[-1] is wrapper


# --- the collector's view: errors and values kept ----------------------------------------------

@pytest.fixture(scope="module")
def with_errors() -> str:
    return render.render_form(make_form(), catalogue=FR, values=VALUES, errors=ERRORS)


def test_the_error_summary_comes_first_with_a_link_to_each_field(with_errors: str) -> None:
    assert structural_problems(with_errors) == []
    section = with_errors.split("\n", 1)[1]
    assert section.startswith('<div class="p-error-summary" id="form-avis-errors" tabindex="-1" '
                              "autofocus>")
    assert section.index("Il y a un problème") < section.index("<h2 class=\"p-form__title\"")
    summary = section.split("</ul>", 1)[0]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert links == [  # in the order of the form, not of the errors mapping
        ("f-avis-frequence-1", "Choisissez une fréquence"),
        ("f-avis-age", "Écrivez votre âge en chiffres"),
        ("f-avis-courriel", "Écrivez une adresse comme nom@exemple.fr"),
    ]


def test_each_field_in_error_says_so_in_words_and_to_assistive_technologies(
    with_errors: str,
) -> None:
    elements = parse(with_errors)
    index = by_id(elements)
    for field_id, message in ERRORS.items():
        error = index[f"f-avis-{field_id}-error"]
        assert error.text == f"Erreur\u00a0: {message}"
        hidden = error.children[0]
        assert (hidden.tag, hidden.attrs["class"], hidden.text) == (
            "span", "p-visually-hidden", "Erreur\u00a0:")
    for control in ("f-avis-age", "f-avis-courriel"):
        attrs = index[control].attrs
        assert attrs["aria-invalid"] == "true"
        assert f"{control}-error" in attrs["aria-describedby"].split()
    group = index["f-avis-frequence-1"].within("fieldset")
    assert group is not None
    assert group.attrs["aria-describedby"].split() == ["f-avis-frequence-hint",
                                                      "f-avis-frequence-error"]
    assert index["f-avis-frequence-1"].attrs["aria-invalid"] == "true"
    assert "aria-invalid" not in index["f-avis-idee"].attrs  # no error there
    assert with_errors.count('aria-invalid="true"') == 2 + 2  # two radios, age, email


def test_what_was_entered_is_kept_and_escaped(with_errors: str) -> None:
    index = by_id(parse(with_errors))
    assert index["f-avis-idee"].attrs["value"] == "Des bancs & de l'ombre <b>"
    assert 'value="Des bancs &amp; de l&#39;ombre &lt;b&gt;"' in with_errors
    assert index["f-avis-age"].attrs["value"] == "douze"
    assert index["f-avis-courriel"].attrs["value"] == "moi@exemple"
    checked = sorted(e.attrs["id"] for e in index.values() if "checked" in e.attrs)
    assert checked == ["f-avis-accord-4", "f-avis-publication", "f-avis-usages-1",
                       "f-avis-usages-3"]
    assert '<option value="Gare" selected>Gare</option>' in with_errors
    # HTML drops the newline right after <textarea>: the one written there keeps the answer's own.
    assert 'aria-describedby="f-avis-remarques-hint">\n\nDeux lignes\net demie</textarea>' in (
        with_errors)


def test_an_error_about_the_whole_answer_is_listed_without_a_link() -> None:
    html = render.render_form(make_form(), catalogue=FR,
                              errors={"_form": "Le questionnaire a changé.", "age": "Un nombre"})
    summary = html.split("</ul>", 1)[0]
    assert "<li>Le questionnaire a changé.</li>\n<li><a href=\"#f-avis-age\">" in summary


def test_focus_can_stay_put_when_errors_are_only_shown() -> None:
    html = render.render_form(make_form(), catalogue=FR, errors=ERRORS, focus_errors=False)
    assert "autofocus" not in html
    assert "Il y a un problème" in html


def test_other_languages_translate_every_word() -> None:
    english = Catalogue.for_language("en")
    html = render.render_form(make_form(), catalogue=english, errors=ERRORS)
    for words in ("There is a problem", "Error:", "(required)", "(optional)", ">Send</button>",
                  "Choose…", "2,000 characters at most.", "Do not fill in this field"):
        assert words in html
    custom = make_form({**EVERY_TYPE, "submit": "Envoyer mon avis"})
    assert ">Envoyer mon avis</button>" in render.render_form(custom, catalogue=english)


def test_two_questions_that_would_share_an_html_id_are_an_error() -> None:
    clash = make_form({**EVERY_TYPE, "fields": [
        {"id": "q", "type": "choice", "label": "Q", "options": ["a", "b"]},
        {"id": "q-1", "type": "text", "label": "Q1"},
        {"id": "r", "type": "text", "label": "R"},
        {"id": "r-hint", "type": "text", "label": "R hint"}]})
    with pytest.raises(ContentError) as raised:
        render.render_form(clash, catalogue=FR)
    message = str(raised.value)
    assert "test.md:1" in message
    assert "'q' and 'q-1' would both use the HTML id 'f-avis-q-1'" in message
    assert "'r' and 'r-hint'" in message
    assert "rename the question 'q-1'" in message


# --- closed --------------------------------------------------------------------------------------

def test_a_closed_form_is_replaced_by_a_notice_with_results_and_help() -> None:
    html = render.render_form(
        make_form(), catalogue=FR, closed=ClosedInfo(date(2027, 2, 28), "../resultats/"),
        help_url="../aide/", paper_url="papier/", errors=ERRORS)
    assert "<form" not in html and "<input" not in html
    assert "Il y a un problème" not in html and "papier/" not in html
    assert '<h2 class="p-form__title" id="form-avis-title">Donnez votre avis</h2>' in html
    assert ("<p><strong>Ce questionnaire est fermé.</strong> Il recevait les réponses "
            "jusqu\u2019au dimanche 28\u00a0février 2027 inclus.</p>") in html
    assert '<a href="../resultats/">Lire les résultats de la consultation</a>' in html
    assert '<a href="../aide/">Se faire aider près de chez vous</a>' in html
    without = render.render_form(make_form(), catalogue=FR, closed=ClosedInfo(date(2027, 3, 1)))
    assert "résultats" not in without and "aide" not in without
    assert "1er\u00a0mars" in without


# --- in Chromium ---------------------------------------------------------------------------------

@dataclass
class Collector:
    """A stand-in for the collector: serves one page, records every POST it receives."""

    page: str
    posts: list[tuple[str, bytes]] = field(default_factory=list)


@contextmanager
def serve_form(page: str) -> Iterator[tuple[str, Collector]]:
    collector = Collector(page)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = collector.page.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            collector.posts.append((self.headers.get("Content-Type", ""),
                                    self.rfile.read(length)))
            self.send_response(303)
            self.send_header("Location", "/")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", collector
    finally:
        server.shutdown()
        server.server_close()


def page_with(section: str, *, language: str = "fr", direction: str = "ltr") -> str:
    """A page as the theme would wrap a form: the stylesheet inlined, a skip link, a main."""
    return (f'<!doctype html><html lang="{language}" dir="{direction}"><head>'
            '<meta charset="utf-8"><meta name="viewport" content="width=device-width, '
            f'initial-scale=1"><title>Formulaire</title><style>{CSS}</style></head><body>'
            '<a class="p-skip" href="#contenu">Aller au contenu</a>'
            f'<main id="contenu" class="p-main p-wrap"><h1>La place</h1>{section}</main>'
            "</body></html>")


def _fill_every_field(page: Page) -> None:
    page.get_by_label("Tous les jours").check()
    page.get_by_label("Marché").check()
    page.get_by_label("Jeux").check()
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Quartier").select_option("Gare")
    page.get_by_label("Votre idée").fill("Un kiosque à musique — été ☀")
    page.get_by_label("Remarques").fill("Première ligne\nDeuxième ligne")
    page.get_by_label("Âge").fill("42")
    page.get_by_label("Courriel").fill("élodie@exemple.fr")
    page.locator("#f-avis-publication").check()


@pytest.mark.browser
def test_the_form_posts_every_answer_in_utf8_without_javascript(browser: Browser) -> None:
    with serve_form("") as (base_url, collector):
        collector.page = page_with(render.render_form(make_form(), catalogue=FR,
                                                      action=base_url + "collect"))
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(base_url)
        _fill_every_field(page)
        page.get_by_role("button", name="Envoyer").click()
        page.wait_for_url(base_url)
        context.close()
    ((content_type, body),) = collector.posts
    assert content_type == "application/x-www-form-urlencoded"
    answers = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True,
                                    strict_parsing=True)
    assert answers == {
        "_form": ["avis"], "_version": [make_form().version], "_language": ["fr"],
        "_website": [""], "frequence": ["jour"], "usages": ["Marché", "Jeux"], "accord": ["4"],
        "quartier": ["Gare"], "idee": ["Un kiosque à musique — été ☀"],
        "remarques": ["Première ligne\r\nDeuxième ligne"], "age": ["42"],
        "courriel": ["élodie@exemple.fr"], "publication": [posted.CONSENT_VALUE],
    }


FOCUSED = """() => {
  const el = document.activeElement;
  return el ? (el.id || el.getAttribute('name') || el.className || el.tagName) : null;
}"""


@pytest.mark.browser
def test_tab_never_reaches_the_honeypot_which_nobody_sees(browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_content(page_with(render.render_form(make_form(), catalogue=FR)))
    stops = []
    for _ in range(40):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUSED))
    assert "f-avis-quartier" in stops and "p-form__submit" in stops, stops
    assert not any(posted.HONEYPOT_NAME in str(stop) for stop in stops), stops
    # Shown inside a 1 px box that clips it: nothing of it can be seen or tapped.
    wrapper = page.locator(".p-form__trap")
    box = wrapper.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1
    assert wrapper.evaluate("(el) => getComputedStyle(el).overflow") == "hidden"
    hit = page.evaluate(f"""() => {{
      const r = document.querySelector('[name={posted.HONEYPOT_NAME}]').getBoundingClientRect();
      const el = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return el ? el.getAttribute('name') : null; }}""")
    assert hit != posted.HONEYPOT_NAME
    assert page.get_by_role("textbox", name="Ne remplissez pas ce champ").count() == 0
    context.close()


@pytest.mark.browser
def test_the_error_summary_takes_focus_without_javascript(browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320,
                                                                       "height": 640})
    page = context.new_page()
    page.set_content(page_with(render.render_form(make_form(), catalogue=FR, values=VALUES,
                                                  errors=ERRORS)))
    assert page.evaluate(FOCUSED) == "form-avis-errors"
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the first link: to the first radio of the first question
    assert page.evaluate("location.hash") == "#f-avis-frequence-1"
    context.close()


TARGET_HEIGHTS = """() => Array.from(document.querySelectorAll(
    '.p-field__option-label, .p-field__input, .p-form__submit'))
  .map((el) => [el.id || el.getAttribute('for') || el.className,
                el.getBoundingClientRect().height])"""


@pytest.mark.browser
@pytest.mark.parametrize(("scheme", "language"), [("light", "fr"), ("dark", "ar")])
def test_every_example_reflows_at_320_px_with_44_px_targets(
    browser: Browser, scheme: Literal["light", "dark"], language: str
) -> None:
    catalogue = Catalogue.for_language(language)
    sections = [example.html for component in component_names()
                for example in render_examples(component, catalogue, focus_errors=False)]
    context = browser.new_context(viewport={"width": 320, "height": 640}, color_scheme=scheme)
    page = context.new_page()
    page.set_content(page_with("\n".join(sections), language=language,
                               direction=catalogue.direction))
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    heights: Sequence[tuple[str, float]] = page.evaluate(TARGET_HEIGHTS)
    assert len(heights) > 50
    small = [(name, height) for name, height in heights if height < 44]
    assert small == []
    context.close()


def test_the_gallery_shows_every_example_without_moving_focus(
    request: pytest.FixtureRequest,
) -> None:
    site = pa11y_support.built_site(request, GALLERY / "mkdocs.yml")
    for component in component_names():
        html = (site / component / "index.html").read_text(encoding="utf-8")
        for example in render_examples(component, FR, focus_errors=False):
            assert example.html in html, f"{component}: {example.name}"
        assert "autofocus" not in html  # the skip link stays the first stop of Tab
