"""The collector's pages (site_builder/collector/): built pages used as shells, the form shown
again with errors, closed and not-yet-open forms, the receipt, short messages, and each page's
Content-Security-Policy.

The example consultation is built once for this module on a fixed day (the consultation is open),
so that goldens do not change with the calendar; the English and Arabic sample sites show that
a shell keeps its language and direction.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
from datetime import UTC, date, datetime
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route

from site_builder.collector import csp
from site_builder.collector.pages import (
    MESSAGE_KINDS,
    Shell,
    closed_page,
    content_security_policy,
    form_page_path,
    form_with_errors,
    message_page,
    not_open_page,
    receipt_page,
    sent_already_page,
)
from site_builder.collector.receipt import mask_email, mask_phone
from site_builder.collector.shell import ROBOTS, absolute_urls
from site_builder.forms.manifest import Manifest, read_manifest
from site_builder.forms.render import render_form
from site_builder.i18n import Catalogue
from site_builder.storage.base import StoredAnswer
from tests.plural_support import counted_keys, uncounted
from tests.support import REPO, SITES, assert_golden, build_site

FR = Catalogue.for_language("fr")
EN = Catalogue.for_language("en")
AR = Catalogue.for_language("ar")
THEME_STYLE = re.compile(r"<style>\s*/\* parole\..*?</style>", re.DOTALL)
TODAY = date(2027, 1, 20)
HOSTILE = '<script>alert("x")</script>'
ANSWER = StoredAnswer(
    receipt="ABCD2345",
    form_id="avis-place",
    form_version="b4010893a640c7bf",
    values={
        "frequence": ["semaine"],
        "usages": ["marche", "enfants"],
        "ombre": ["1"],
        "stationnement": ["sans-avis"],
        "jeux": ["fontaine"],
        "idee": [f"Des bancs.\r\nEt de l'ombre {HOSTILE}\n\nMerci"],
        "age": ["42"],
        "quartier": ['"><img src=x onerror=alert(1)>'],
        "courriel": ["nom@exemple.fr"],
        "accord": ["yes"],
    },
    channel="online",
    received_at=datetime(2027, 1, 18, 9, 30, tzinfo=UTC),
    expires_at=datetime(2028, 2, 29, tzinfo=UTC),
)


# --- fixtures ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example consultation as built on 20 January 2027 (open)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAROLE_BUILD_DATE", TODAY.isoformat())
        return build_site(REPO / "mkdocs.yml", tmp_path_factory.mktemp("collector") / "site")


@pytest.fixture(scope="module")
def english_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(SITES / "english" / "mkdocs.yml",
                      tmp_path_factory.mktemp("collector-en") / "site")


@pytest.fixture(scope="module")
def arabic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(SITES / "rtl" / "mkdocs.yml",
                      tmp_path_factory.mktemp("collector-ar") / "site")


@pytest.fixture(scope="module")
def manifest(site: Path) -> Manifest:
    return read_manifest(site / "forms" / "avis-place.json")


@pytest.fixture(scope="module")
def form_shell(site: Path) -> Shell:
    return _shell(site, "donner-mon-avis/index.html", "/donner-mon-avis/")


@pytest.fixture(scope="module")
def not_found_shell(site: Path) -> Shell:
    return _shell(site, "404.html", "/404.html")


def _shell(site_dir: Path, page: str, path: str) -> Shell:
    return Shell.from_html((site_dir / page).read_text(encoding="utf-8"), path)


def _golden(name: str, page: str, request: pytest.FixtureRequest) -> None:
    # The stylesheet has its own tests; CSS edits must not churn these goldens.
    html = THEME_STYLE.sub("<style>/* theme/assets/parole.css */</style>", page)
    assert_golden(f"collector/{name}", html, request)


def _main(page: str) -> str:
    start = page.index("<main")
    return page[start:page.index("</main>", start)]


def _title(page: str) -> str:
    match = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    assert match is not None
    return match.group(1)


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


def _assert_headings_in_order(page: str) -> None:
    parser = _Headings()
    parser.feed(_main(page))
    assert parser.levels.count(1) == 1 and page.count("<h1") == 1, parser.levels
    assert parser.levels[0] == 1, parser.levels
    for before, after in zip(parser.levels, parser.levels[1:], strict=False):
        assert after <= before + 1, parser.levels


# --- goldens -----------------------------------------------------------------------------------

def test_receipt_page_matches_its_golden(
    form_shell: Shell, manifest: Manifest, request: pytest.FixtureRequest
) -> None:
    page = receipt_page(form_shell, manifest, ANSWER, FR, today=TODAY)
    _golden("receipt.html", page, request)


def test_form_with_errors_matches_its_golden(
    form_shell: Shell, manifest: Manifest, request: pytest.FixtureRequest
) -> None:
    _golden("form-errors.html", _error_page(form_shell, manifest), request)


def test_closed_page_matches_its_golden(
    form_shell: Shell, manifest: Manifest, request: pytest.FixtureRequest
) -> None:
    closed = dataclasses.replace(manifest, results_url="resultats/")
    _golden("closed.html", closed_page(form_shell, closed, FR), request)


def test_message_page_matches_its_golden(
    not_found_shell: Shell, request: pytest.FixtureRequest
) -> None:
    page = message_page(not_found_shell, FR, "unavailable", form_url="/donner-mon-avis/",
                        help_url="/aide/")
    _golden("message-unavailable.html", page, request)


def test_minimal_shell_matches_its_golden(request: pytest.FixtureRequest) -> None:
    page = message_page(Shell.minimal("fr"), FR, "not_found")
    _golden("minimal-not-found.html", page, request)


def _sent_already(form_shell: Shell, manifest: Manifest) -> str:
    # the golden is read back with universal newlines: no "\r" in what it holds
    values = {name: [value.replace("\r\n", "\n") for value in given]
              for name, given in ANSWER.values.items()}
    form_html = render_form(manifest.form, catalogue=FR, action=manifest.action,
                            values=values, again=True)
    return sent_already_page(form_shell, manifest.form.id, form_html, FR)


def test_sent_already_page_matches_its_golden(
    form_shell: Shell, manifest: Manifest, request: pytest.FixtureRequest
) -> None:
    _golden("sent-already.html", _sent_already(form_shell, manifest), request)


def test_code_alone_page_matches_its_golden(
    not_found_shell: Shell, request: pytest.FixtureRequest
) -> None:
    _golden("code-alone.html", message_page(not_found_shell, FR, "code_alone"), request)


# --- an identical answer from the same connection, another browser ------------------------------

def test_sent_already_says_both_cases_keeps_the_values_and_asks_to_confirm(
    form_shell: Shell, manifest: Manifest
) -> None:
    page = _sent_already(form_shell, manifest)
    main = _main(page)
    assert _title(page).startswith(FR("collector.sent.prefix") + " ")
    for key in ("collector.sent.heading", "collector.sent.yours", "collector.sent.other"):
        assert escape(FR(key), quote=False) in main, key
    # the notice comes before the form, and the form sends _again with every value kept
    assert main.index(FR("collector.sent.heading")) < main.index("<form")
    assert '<input type="hidden" name="_again" value="1">' in main
    assert 'value="Les Tilleuls"' not in main  # the values are this answer's own
    assert 'value="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in main
    assert 'value="nom@exemple.fr"' in main  # the person's own form: nothing to mask
    assert "p-error-summary" not in main and "Erreur" not in _title(page)
    _assert_headings_in_order(page)


def test_the_form_carries_again_only_when_asked(manifest: Manifest) -> None:
    assert "_again" not in render_form(manifest.form, catalogue=FR)
    assert render_form(manifest.form, catalogue=FR, again=True).count('name="_again"') == 1


# --- contact details masked on the receipt ------------------------------------------------------

@pytest.mark.parametrize(("typed", "shown"), [
    ("marie.dupont@exemple.fr", "m\u2022\u2022\u2022@exemple.fr"),
    (" a@b.fr ", "a\u2022\u2022\u2022@b.fr"),
    ("@exemple.fr", "\u2022\u2022\u2022@exemple.fr"),
    ("pas-un-mail", "p\u2022\u2022\u2022"),
    ("x@y@exemple.fr", "x\u2022\u2022\u2022@exemple.fr"),
])
def test_an_email_address_shows_its_first_character_and_domain_only(
    typed: str, shown: str
) -> None:
    assert mask_email(typed) == shown


def test_a_phone_number_shows_its_last_two_digits_only() -> None:
    assert mask_phone("06 12 34 56 78") == "\u2022\u2022\u202278"
    assert mask_phone("+33 (0)6 12") == "\u2022\u2022\u202212"


def test_the_receipt_masks_contact_details_even_of_questions_the_form_lost(
    form_shell: Shell, manifest: Manifest
) -> None:
    phone = dataclasses.replace(manifest.form.fields[0], id="telephone", type="text",
                                label="Téléphone", label_html="Téléphone", options=())
    form = dataclasses.replace(manifest.form, fields=(*manifest.form.fields, phone))
    answer = dataclasses.replace(ANSWER, values={
        **ANSWER.values, "telephone": ["06 12 34 56 78"], "ancien_courriel": ["zoe@ailleurs.fr"],
        "ancienne_note": ["sans arobase"]})
    main = _main(receipt_page(form_shell, dataclasses.replace(manifest, form=form), answer, FR,
                              today=TODAY))
    assert "nom@exemple.fr" not in main and "n\u2022\u2022\u2022@exemple.fr" in main
    assert "06 12 34" not in main and "\u2022\u2022\u202278" in main
    assert "zoe@" not in main and "z\u2022\u2022\u2022@ailleurs.fr" in main
    assert "sans arobase" in main


def _error_page(shell: Shell, manifest: Manifest) -> str:
    errors = {"frequence": "Indiquez à quelle fréquence vous passez sur la place.",
              "accord": "Cochez la case pour dire que vous avez lu ce que fait la ville."}
    values = {"usages": ["marche"], "quartier": [HOSTILE], "idee": ["Ligne 1\nLigne 2"]}
    form_html = render_form(manifest.form, catalogue=FR, action=manifest.action, values=values,
                            errors=errors, paper_url="../papier/avis-place/")
    return form_with_errors(shell, manifest.form.id, form_html, FR)


# --- shells: links, title, noindex, fallbacks --------------------------------------------------

def test_relative_urls_become_absolute_paths_and_others_are_left_alone() -> None:
    page = """<a href="../x/">x</a> <link rel="stylesheet" href='x.css'> <a href="#frag">f</a>
<a href=".." title="a > b">up</a> <img src="img/a.png" srcset="a.png 1x, ../b.png 2x" alt="">
<form action="send"></form> <a href="/abs/">a</a> <a href="//cdn.example/x">c</a>
<a href="mailto:a@b.example">m</a> <a href="tel:0102">t</a> <img src="data:," alt="">
<a href="https://example.org/y">h</a> <a href=plain/>u</a> <!-- <a href="comment/"> -->
<script>var a = '<a href="script/">';</script><style>a[href="style/"]{color:red}</style>"""
    result = absolute_urls(page, "/consultation/donner-mon-avis/")
    for expected in ('href="/consultation/x/"', "href='/consultation/donner-mon-avis/x.css'",
                     'href="#frag"', 'href="/consultation/" title="a > b"',
                     'src="/consultation/donner-mon-avis/img/a.png"',
                     'srcset="/consultation/donner-mon-avis/a.png 1x, /consultation/b.png 2x"',
                     'action="/consultation/donner-mon-avis/send"', 'href="/abs/"',
                     'href="//cdn.example/x"', 'href="mailto:a@b.example"', 'href="tel:0102"',
                     'src="data:,"', 'href="https://example.org/y"',
                     "href=/consultation/donner-mon-avis/plain/", '<a href="comment/">',
                     '<a href="script/">', 'a[href="style/"]'):
        assert expected in result, expected


def test_a_built_page_keeps_no_relative_link(form_shell: Shell) -> None:
    page = form_shell.page("Essai", "<h1>Essai</h1>")
    urls = re.findall(r'\s(?:href|src|action)="([^"]*)"', page)
    assert urls
    assert all(re.match(r"[#/]|[a-z]+:", url) for url in urls), urls
    assert '<a href="/faq/">' in page or 'href="/faq/"' in page


def test_a_page_under_a_sub_path_links_to_the_site_there(english_site: Path) -> None:
    shell = _shell(english_site, "plan/transport/buses/index.html",
                   "/consultation/plan/transport/buses/")
    page = shell.page("Test", "<h1>Test</h1>")
    assert '<link rel="stylesheet" href="/consultation/assets/parole.css">' in page
    assert 'href="/consultation/plan/transport/cycling/"' in page
    assert 'href="#contenu"' in page


def test_the_page_title_keeps_the_site_title_and_the_page_is_not_indexed(
    form_shell: Shell,
) -> None:
    page = form_shell.page("Réponse <enregistrée>", "<h1>Réponse</h1>")
    assert _title(page) == "Réponse &lt;enregistrée&gt; — Réaménager la place du Marché"
    head = page[:page.index("</head>")]
    assert head.count(ROBOTS) == 1
    assert "<h1>Réponse</h1>" in _main(page)
    assert "p-status" not in _main(page)  # the whole of <main> is replaced


def test_a_page_of_its_own_no_longer_marks_the_form_page_as_current(form_shell: Shell) -> None:
    page = form_shell.page("Reçu", "<h1>Reçu</h1>")
    assert 'aria-current="page"' not in page
    assert 'href="/donner-mon-avis/" aria-current="true"' in page


@pytest.mark.parametrize(("html", "reason"), [
    ('<html lang="fr"><head><title>T</title></head><body><p>no main</p></body></html>', "main"),
    ('<html lang="fr"><head></head><body><main>m</main></body></html>', "title"),
    ('<html lang="fr"><title>T</title><main>a</main><main>b</main></html>', "main"),
    ('<html lang="fr"><title>T</title><main>never closed', "main"),
    ("<html><title>T</title><main>m</main></html>", "lang"),
])
def test_a_page_without_main_title_or_language_is_refused(html: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        Shell.from_html(html, "/")


def test_the_page_path_must_be_absolute(site: Path) -> None:
    with pytest.raises(ValueError, match="must start with '/'"):
        _shell(site, "404.html", "404.html")


def test_the_minimal_shell_has_a_skip_link_a_main_and_no_site_title() -> None:
    page = Shell.minimal("ar").page("Titre", "<h1>Titre</h1>")
    assert '<html lang="ar" dir="rtl">' in page
    assert _title(page) == "Titre"
    assert f'<a class="p-skip" href="#contenu">{AR("skip_link")}</a>' in page
    assert '<main id="contenu">\n<h1>Titre</h1>\n</main>' in page
    assert ROBOTS in page


# --- the form again, closed, not open ----------------------------------------------------------

def test_the_form_with_errors_keeps_the_page_and_prefixes_the_title(
    form_shell: Shell, manifest: Manifest
) -> None:
    page = _error_page(form_shell, manifest)
    assert _title(page) == "Erreur\u00a0: Donner mon avis — Réaménager la place du Marché"
    main = _main(page)
    assert main.index("Ce questionnaire compte onze questions,") < main.index("p-error-summary")
    assert 'href="#f-avis-place-frequence-1"' in main  # the summary's links stay in the page
    assert 'href="/confidentialite/"' in main  # the consent label's link, made absolute
    assert 'href="/papier/avis-place/"' in main
    assert HOSTILE not in page and "&lt;script&gt;" in page
    assert 'aria-current="page"' in page  # still the form's own page
    assert ROBOTS in page
    _assert_headings_in_order(page)


def test_the_form_without_its_section_becomes_the_page(
    not_found_shell: Shell, manifest: Manifest
) -> None:
    under = dataclasses.replace(manifest, site_url="https://belval.example/consultation/")
    form_html = render_form(manifest.form, catalogue=FR, errors={"frequence": "Oubli."})
    page = form_with_errors(not_found_shell, manifest.form.id, form_html, FR,
                            page_path=form_page_path(under))
    main = _main(page)
    assert 'href="/consultation/confidentialite/"' in main
    assert "<h1>Votre avis sur la place du Marché</h1>" in main
    assert "Page introuvable" not in main
    assert _title(page) == ("Erreur\u00a0: Votre avis sur la place du Marché — "
                            "Réaménager la place du Marché")
    _assert_headings_in_order(page)


def test_the_closed_page_says_since_when_and_links_results_and_help(
    form_shell: Shell, manifest: Manifest
) -> None:
    published = dataclasses.replace(manifest, results_url="resultats/",
                                    site_url="https://belval.example/consultation/")
    page = closed_page(form_shell, published, FR)
    main = _main(page)
    assert "Ce questionnaire est fermé." in main and "dimanche 28\u00a0février 2027" in main
    assert 'href="/consultation/resultats/"' in main
    assert 'href="/consultation/aide/"' in main
    assert "<form" not in main
    assert "p-status" not in main  # "open until…", written when the site was built
    assert "Ce questionnaire compte onze questions, dont deux obligatoires." in main
    assert _title(page).startswith("Questionnaire fermé\u00a0: Donner mon avis — ")
    _assert_headings_in_order(page)


def test_a_form_that_never_closes_has_no_closed_page(
    form_shell: Shell, manifest: Manifest
) -> None:
    with pytest.raises(ValueError, match="no closing day"):
        closed_page(form_shell, dataclasses.replace(manifest, closes=None), FR)


def test_the_not_open_page_says_when_the_form_opens(
    form_shell: Shell, manifest: Manifest
) -> None:
    page = not_open_page(form_shell, manifest, FR)
    main = _main(page)
    assert "Ce questionnaire n\u2019est pas encore ouvert." in main
    assert "Vous pourrez répondre à partir du lundi 4\u00a0janvier 2027." in main
    assert 'href="/aide/"' in main and "<form" not in main and "p-status" not in main
    assert _title(page).startswith("Pas encore ouvert\u00a0: ")
    _assert_headings_in_order(page)
    undated = not_open_page(form_shell, dataclasses.replace(manifest, opens=None), FR)
    assert "à partir du" not in undated


# --- the receipt -------------------------------------------------------------------------------

def test_the_receipt_shows_the_answers_as_the_person_saw_them(
    form_shell: Shell, manifest: Manifest
) -> None:
    page = receipt_page(form_shell, manifest, ANSWER, FR, today=TODAY)
    main = _main(page)
    assert '<strong class="p-receipt" dir="ltr" translate="no">ABCD-2345</strong>' in main
    for shown in ("<dd>Chaque semaine</dd>", "<li>Je vais au marché du samedi</li>",
                  "<li>Mes enfants ou petits-enfants y jouent</li>",
                  "<dd>1 — Pas du tout d'accord</dd>", "<dd>Je n'ai pas d'avis</dd>",
                  "<dd>Près de la fontaine</dd>", "<dd>42</dd>", "<dd>Oui</dd>",
                  "<dd>Des bancs.<br>\nEt de l'ombre &lt;script&gt;alert(\"x\")&lt;/script&gt;"
                  "<br>\n<br>\nMerci</dd>"):
        assert shown in main, shown
    assert "sans-avis" not in main and "enfants</li>" not in main


def test_the_receipt_escapes_every_answer(form_shell: Shell, manifest: Manifest) -> None:
    hostile = dataclasses.replace(ANSWER, values={
        **ANSWER.values, "jeux": [HOSTILE], "<b>inconnu</b>": ["<i>x</i>"]})
    page = receipt_page(form_shell, manifest, hostile, FR, today=TODAY)
    assert HOSTILE not in page and "<img src=x" not in page and "<b>inconnu" not in page
    assert "<dt>&lt;b&gt;inconnu&lt;/b&gt;</dt>\n<dd>&lt;i&gt;x&lt;/i&gt;</dd>" in page
    assert page.count("<script>") == 1  # the print button's, nothing from an answer


def test_the_receipt_says_no_answer_for_empty_questions(
    form_shell: Shell, manifest: Manifest
) -> None:
    empty = dataclasses.replace(ANSWER, values={"frequence": ["jour"], "idee": ["  "],
                                                "accord": []})
    main = _main(receipt_page(form_shell, manifest, empty, FR, today=TODAY))
    fields = len(manifest.form.fields)
    assert main.count("<dd>Pas de réponse</dd>") == fields - 1


def test_the_receipt_says_what_happens_next(form_shell: Shell, manifest: Manifest) -> None:
    main = _main(receipt_page(form_shell, manifest, ANSWER, FR, today=TODAY))
    assert "La consultation est ouverte jusqu\u2019au dimanche 28\u00a0février 2027 inclus." in main
    assert "Les résultats seront publiés sur ce site\u00a0: <a href=\"/resultats/\">" in main
    assert "Votre réponse sera effacée le mardi 29\u00a0février 2028." in main
    assert '<a href="/">Revenir à l\u2019accueil de la consultation</a>' in main
    later = dataclasses.replace(manifest, results_url="resultats/",
                                site_url="https://belval.example/consultation")
    kept = dataclasses.replace(ANSWER, expires_at=None)
    main = _main(receipt_page(form_shell, later, kept, FR, today=date(2027, 3, 1)))
    assert "La consultation s\u2019est terminée le dimanche 28\u00a0février 2027." in main
    assert '<a href="/consultation/resultats/">la page des résultats</a>' in main
    assert "sera effacée" not in main and "effacer plus tôt" in main
    assert '<a href="/consultation/">Revenir' in main


def test_the_receipt_prints_with_a_button_only_scripts_can_show(
    form_shell: Shell, manifest: Manifest
) -> None:
    page = receipt_page(form_shell, manifest, ANSWER, FR, today=TODAY)
    assert re.search(r'<button class="[^"]*" type="button" id="p-print" hidden>', page)
    assert "window.print()" in page and "onclick" not in page
    assert "choisissez Imprimer dans le menu de votre navigateur" in page
    _assert_headings_in_order(page)


# --- messages ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", MESSAGE_KINDS)
@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_every_message_has_a_title_an_h1_and_what_to_do(
    not_found_shell: Shell, kind: str, language: str
) -> None:
    catalogue = Catalogue.for_language(language)
    page = message_page(not_found_shell, catalogue, kind, minutes=5)
    title = catalogue(f"collector.{kind}.title")
    assert f"<h1>{title}</h1>" in page
    assert _title(page).startswith(f"{title} — ")
    assert catalogue(f"collector.{kind}.what") in page
    _assert_headings_in_order(page)


def test_a_message_links_to_the_form_home_and_help(not_found_shell: Shell) -> None:
    page = message_page(not_found_shell, FR, "refused", form_url="/donner-mon-avis/",
                        help_url="/aide/")
    main = _main(page)
    assert '<li><a href="/donner-mon-avis/">retourner au questionnaire</a></li>' in main
    assert '<li><a href="/.">revenir à l\u2019accueil de la consultation</a></li>' in main
    assert '<li><a href="/aide/">demander de l\u2019aide près de chez vous</a></li>' in main
    bare = _main(message_page(Shell.minimal("fr"), FR, "error"))
    assert "<ul>" not in bare


@pytest.mark.parametrize(("minutes", "words"), [
    (1, "Attendez une minute,"), (10, "Attendez 10\u00a0minutes,"),
    (None, "Attendez quelques minutes,"),
])
def test_too_many_says_how_long_to_wait(
    not_found_shell: Shell, minutes: int | None, words: str
) -> None:
    assert words in message_page(not_found_shell, FR, "too_many", minutes=minutes)


def test_unavailable_says_the_answer_was_not_saved_and_to_go_back(
    not_found_shell: Shell,
) -> None:
    main = _main(message_page(not_found_shell, FR, "unavailable"))
    assert "Votre réponse n\u2019a pas été enregistrée" in main
    assert "ce que vous avez écrit est toujours là" in main


def test_an_unknown_message_or_parameter_is_a_programming_error(
    not_found_shell: Shell,
) -> None:
    with pytest.raises(ValueError, match="unknown message 'oops'"):
        message_page(not_found_shell, FR, "oops")
    with pytest.raises(ValueError, match="unknown message parameter"):
        message_page(not_found_shell, FR, "error", code="ABCD")


# --- other languages ---------------------------------------------------------------------------

def test_an_english_shell_keeps_its_language_and_gets_english_text(
    english_site: Path, manifest: Manifest
) -> None:
    shell = _shell(english_site, "404.html", "/404.html")
    assert (shell.language, shell.direction) == ("en", "ltr")
    page = receipt_page(shell, manifest, ANSWER, EN, today=TODAY)
    assert '<html lang="en" dir="ltr">' in page
    assert "<h1>Thank you, your answer is saved</h1>" in page
    assert _title(page) == "Answer saved — Riverside transport plan 2027-2032"
    assert "Your answer will be deleted on Tuesday 29\u00a0February 2028." in page


def test_an_arabic_shell_keeps_its_direction_and_gets_arabic_text(arabic_site: Path) -> None:
    shell = _shell(arabic_site, "404.html", "/404.html")
    assert (shell.language, shell.direction) == ("ar", "rtl")
    page = message_page(shell, AR, "too_many", minutes=3)
    assert '<html lang="ar" dir="rtl">' in page
    assert f"<h1>{AR('collector.too_many.title')}</h1>" in page
    assert "3 دقائق" in page  # 3 to 10: the plural (CLDR "few")


# --- Content-Security-Policy -------------------------------------------------------------------

def test_the_policy_allows_the_inline_stylesheet_and_print_script_by_hash(
    form_shell: Shell, manifest: Manifest
) -> None:
    page = receipt_page(form_shell, manifest, ANSWER, FR, today=TODAY)
    policy = content_security_policy(page)
    style = re.search(r"<style>(.*?)</style>", page, re.DOTALL)
    script = re.search(r"<script>(.*?)</script>", page, re.DOTALL)
    assert style is not None and script is not None
    assert (f"style-src 'self' 'sha256-{_sha256(style.group(1))}';" in policy)
    assert f"script-src 'sha256-{_sha256(script.group(1))}';" in policy
    assert policy.startswith("default-src 'none'; ")
    for directive in ("img-src 'self' data:", "form-action 'self'", "base-uri 'none'",
                      "frame-ancestors 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-hashes" not in policy


def test_the_honeypot_style_attribute_is_allowed_by_hash_only(
    form_shell: Shell, manifest: Manifest
) -> None:
    page = _error_page(form_shell, manifest)
    attribute = re.search(r'class="p-form__trap" aria-hidden="true" style="([^"]*)"', page)
    assert attribute is not None
    policy = content_security_policy(page)
    assert f"'unsafe-hashes' 'sha256-{_sha256(attribute.group(1))}'" in policy
    assert "script-src 'none'" in policy and "unsafe-inline" not in policy


def test_a_linked_stylesheet_needs_self_only_and_faq_scripts_their_hash(
    english_site: Path,
) -> None:
    faq = (english_site / "faq" / "index.html").read_text(encoding="utf-8")
    policy = content_security_policy(faq)
    assert "style-src 'self'; " in policy
    script = re.search(r"<script>(.*?)</script>", faq, re.DOTALL)
    assert script is not None and '<script type="application/ld+json">' in faq
    # The JSON-LD data block is never run: only the details script needs a hash.
    assert f"script-src 'sha256-{_sha256(script.group(1))}'; " in policy


def test_other_form_origins_are_added_and_checked() -> None:
    policy = content_security_policy("<p>x</p>", form_origins=["https://avis.example:8443"])
    assert "form-action 'self' https://avis.example:8443;" in policy
    with pytest.raises(ValueError, match="not an origin"):
        content_security_policy("", form_origins=["https://x.example; script-src *"])


def test_hashes_are_of_the_decoded_style_attribute() -> None:
    assert csp.source_hash("a&b") in content_security_policy('<p style="a&amp;b">x</p>')


def test_the_form_page_path_follows_the_site_path(manifest: Manifest) -> None:
    assert form_page_path(manifest) == "/donner-mon-avis/"
    under = dataclasses.replace(manifest, site_url="https://belval.example/consultation")
    assert form_page_path(under) == "/consultation/donner-mon-avis/"


# --- wording -----------------------------------------------------------------------------------

def test_collector_strings_are_plain_text_in_every_language() -> None:
    """The same strings (counted ones have their language's plural forms: test_plurals.py)."""
    counted = counted_keys(Catalogue.for_language("en").strings)
    french = {key for key in FR.strings if key.startswith("collector.")}
    keys = uncounted(french, counted)
    for language in ("en", "ar"):
        own = Catalogue.for_language(language)
        mine = {key for key in own.strings if key.startswith("collector.")}
        assert uncounted(mine, counted) == keys, language
        assert all(not re.search(r'[<>"&]', own(key)) for key in mine), language
    for key in french:
        text = FR.strings[key]
        assert not re.search(r" [:;?!»]|« ", text), key  # a plain space would break the line
        assert "'" not in text, key  # typographic apostrophe


def test_a_closed_form_whose_page_is_gone_gets_a_page_of_its_own(
    not_found_shell: Shell, manifest: Manifest
) -> None:
    page = closed_page(not_found_shell, manifest, FR)
    main = _main(page)
    assert main.startswith('<main id="contenu" class="p-main p-wrap">\n'
                           "<h1>Votre avis sur la place du Marché</h1>")
    assert "Ce questionnaire est fermé." in main
    assert _title(page) == ("Questionnaire fermé\u00a0: Votre avis sur la place du Marché — "
                            "Réaménager la place du Marché")
    _assert_headings_in_order(page)


# --- in Chromium, under the page's own policy --------------------------------------------------

def _open_with_policy(browser: Browser, page_html: str) -> tuple[list[str], Page]:
    """Open ``page_html`` at a collector URL with its CSP header; returns the console's
    messages (CSP violations are reported there) and the page."""
    context = browser.new_context()
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))

    def fulfil(route: Route) -> None:
        route.fulfill(status=200, body=page_html, content_type="text/html; charset=utf-8",
                      headers={"Content-Security-Policy": content_security_policy(page_html)})

    page.route("http://collector.test/**", fulfil)
    page.goto("http://collector.test/collect/ABCD2345")
    return messages, page


@pytest.mark.browser
def test_chromium_runs_the_print_script_and_applies_the_styles_under_the_policy(
    browser: Browser, form_shell: Shell, manifest: Manifest
) -> None:
    messages, page = _open_with_policy(
        browser, receipt_page(form_shell, manifest, ANSWER, FR, today=TODAY))
    assert not [text for text in messages if "Content Security Policy" in text], messages
    button = page.get_by_role("button", name="Imprimer cette page")
    assert button.is_visible()  # the script ran: its hash matched
    header = page.locator(".p-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.context.close()


@pytest.mark.browser
def test_chromium_keeps_the_honeypot_hidden_under_the_policy(
    browser: Browser, form_shell: Shell, manifest: Manifest
) -> None:
    messages, page = _open_with_policy(browser, _error_page(form_shell, manifest))
    assert not [text for text in messages if "Content Security Policy" in text], messages
    box = page.locator(".p-form__trap").bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1
    page.context.close()
