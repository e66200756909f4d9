"""A site with one form in French and in Arabic, for the collector's language tests
(tests/test_collector_language.py): the form parsed from its ```form block with its
translations, its manifest written by ``write_manifest`` with each language's page, and those
two pages, each in its language with the form rendered in it, as the build writes them."""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from site_builder.forms.manifest import write_manifest
from site_builder.forms.model import Form
from site_builder.forms.parse import parse_form
from site_builder.forms.render import render_form
from site_builder.i18n import Catalogue, text_direction

FORM_ID = "avis"
OPENS, CLOSES = "2027-01-04", "2027-02-28"
PAGES = {"fr": "avis/", "ar": "ar/avis/"}
SITE_NAMES = {"fr": "Consultation du quartier", "ar": "استشارة الحي"}
"""Each page's header, to tell which language's page frames a collector page."""

BLOCK: dict[str, Any] = {
    "id": FORM_ID,
    "title": "Votre avis sur la place",
    "submit": "Envoyer mon avis",
    "fields": [
        {"id": "frequence", "type": "choice", "required": True,
         "label": "À quelle fréquence passez-vous sur la place ?",
         "options": [{"value": "jour", "label": "Tous les jours"},
                     {"value": "semaine", "label": "Chaque semaine"}]},
        {"id": "idee", "type": "textarea", "label": "Avez-vous une idée pour la place ?",
         "hint": "Une phrase suffit."},
    ],
    "translations": {"ar": {
        "title": "رأيكم في الساحة",
        "submit": "أرسلوا رأيكم",
        "fields": {
            "frequence": {"label": "كم مرة تمرون بالساحة؟",
                          "options": {"jour": "كل يوم", "semaine": "كل أسبوع"}},
            "idee": {"label": "هل لديكم فكرة للساحة؟", "hint": "جملة واحدة تكفي."},
        },
    }},
}


def the_form() -> Form:
    form, problems = parse_form(BLOCK, file="avis.md", line=1)
    assert form is not None, problems
    return form


def page_html(form: Form, language: str) -> str:
    """The form's page in ``language`` as the theme lays a page out: ``lang`` and ``dir`` on
    ``<html>``, the site's name in the header, the form in ``<main>``."""
    words = Catalogue.for_language(language)
    shown = form.localized(language)
    form_html = render_form(shown, catalogue=words, action="/collect")
    home = "../" * PAGES[language].count("/")
    return (
        f'<!doctype html>\n<html lang="{language}" dir="{text_direction(language)}">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{escape(shown.title)} — {SITE_NAMES[language]}</title>\n'
        f'</head>\n<body>\n<a class="p-skip" href="#contenu">{escape(words("skip_link"))}</a>\n'
        f'<header><p class="p-header__title"><a href="{home}">{SITE_NAMES[language]}</a></p>'
        f'</header>\n<main id="contenu">\n<h1>{escape(shown.title)}</h1>\n{form_html}\n</main>\n'
        "</body>\n</html>\n"
    )


def bilingual_site(folder: Path) -> Path:
    """The site in ``folder``: ``forms/avis.json`` and the form's page in each language."""
    form = the_form()
    write_manifest(form, site_dir=folder, page_url=PAGES["fr"], language="fr",
                   opens=date.fromisoformat(OPENS), closes=date.fromisoformat(CLOSES),
                   page_urls=PAGES)
    for language, url in PAGES.items():
        page = folder / url / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(page_html(form, language), encoding="utf-8")
    return folder
