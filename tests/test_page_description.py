"""``<meta name="description">``: the front matter's, else the first paragraph cut at a sentence,
else the site's (site_builder/page_description.py), on every page of the example."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from site_builder.page_description import (
    ELLIPSIS,
    LIMIT,
    first_paragraph,
    page_description,
    sentence_ends,
    summary,
)
from tests.pa11y_support import built_pages
from tests.support import build_site, write_site

SITE = "Consultation des habitants sur la place."
LONG_SENTENCE = ("Le conseil municipal a voté un budget pour refaire la place du Marché, avec des "
                 "arbres, des bancs, une fontaine, des jeux pour les enfants et un marché couvert "
                 "pour le samedi matin")


# --- which text -------------------------------------------------------------------------------

def test_the_front_matter_wins_as_written() -> None:
    content = "<h1>Titre</h1>\n<p>Premier paragraphe.</p>"
    assert page_description("  Ma description,\n sur deux lignes. ", content, SITE) == (
        "Ma description, sur deux lignes.")


def test_without_front_matter_the_first_paragraph_then_the_site_description() -> None:
    assert page_description(None, "<h1>T</h1>\n<p>Premier.</p><p>Second.</p>", SITE) == "Premier."
    assert page_description("", "<h1>T</h1>\n<h2>Sans texte</h2>", SITE) == SITE
    assert page_description(None, "<h1>T</h1>", None) is None
    assert page_description(None, "<h1>T</h1>", "  ") is None


def test_a_front_matter_description_that_is_not_text_is_left_for_the_paragraph() -> None:
    assert page_description(["une", "liste"], "<p>Le texte.</p>", SITE) == "Le texte."


def test_markup_and_character_references_become_plain_text() -> None:
    content = ('<p>Le <a href="budget/">budget</a> &amp; les <em>travaux</em>\n'
               "<code>2027</code>&nbsp;: l&#39;essentiel.<br>Voir<br />aussi.</p>")
    assert first_paragraph(content) == (
        "Le budget & les travaux 2027\u00a0: l'essentiel. Voir aussi.")


def test_paragraphs_that_do_not_speak_for_the_page_are_passed_over() -> None:
    content = (
        '<p class="p-status">La consultation ouvrira lundi.</p>'  # the theme's, with a class
        "<details><summary>Question ?</summary><p>Une réponse de la FAQ.</p></details>"
        '<section class="p-form"><p>Intro du questionnaire.</p></section>'
        '<div class="p-calendar"><p>Phase</p></div>'
        "<table><tr><td><p>Cellule</p></td></tr></table>"
        '<p><img src="plan.png" alt="Plan"></p>'  # a picture alone: no text
        "<p>  </p>"
        "<p>Enfin le texte.</p>"
    )
    assert first_paragraph(content) == "Enfin le texte."


def test_a_page_without_paragraph_has_none() -> None:
    assert first_paragraph("<h1>Titre</h1><ul><li>Un point</li></ul>") == ""


# --- where to cut -----------------------------------------------------------------------------

def test_a_paragraph_that_fits_is_kept_whole() -> None:
    text = "Une phrase. Une autre sans point final"
    assert summary(text) == text


def test_a_long_paragraph_is_cut_after_its_last_sentence_that_fits() -> None:
    first = "La ville refait la place du Marché."
    second = "Elle vous demande votre avis avant de décider, en ligne ou sur papier."
    text = f"{first} {second} {LONG_SENTENCE}."
    assert len(text) > LIMIT
    assert summary(text) == f"{first} {second}"


def test_a_first_sentence_longer_than_the_limit_is_cut_between_words() -> None:
    text = f"{LONG_SENTENCE}, et bien plus encore. Fin."
    cut = summary(text)
    assert len(cut) <= LIMIT
    assert cut.endswith(ELLIPSIS)
    assert text.startswith(cut.removesuffix(ELLIPSIS))
    assert text[len(cut) - len(ELLIPSIS)] == " ", "the last word is whole"
    assert summary("x" * 500) == "x" * (LIMIT - 1) + ELLIPSIS  # one word: cut anyway


def test_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    text = "M. Dupont et Mme Martin, p. ex. à l'art. 47, avec J. Martin. Ensuite, la suite."
    assert sentence_ends(text) == [text.index(" Ensuite"), len(text)]


def test_french_punctuation_ends_a_sentence_with_its_space_and_quotes() -> None:
    text = "Vous préférez le papier\u00a0? Oui\u00a0! « Pourquoi ? » Parce que. Alors…"
    ends = [text[:end] for end in sentence_ends(text)]
    assert ends == [
        "Vous préférez le papier\u00a0?",
        "Vous préférez le papier\u00a0? Oui\u00a0!",
        "Vous préférez le papier\u00a0? Oui\u00a0! « Pourquoi ? »",
        "Vous préférez le papier\u00a0? Oui\u00a0! « Pourquoi ? » Parce que.",
        text,
    ]


def test_numbers_with_a_decimal_point_or_at_a_sentence_end() -> None:
    text = "Le projet coûte 1.2 million. Il sera fini en 2027. Voilà"
    assert [text[:end] for end in sentence_ends(text)] == [
        "Le projet coûte 1.2 million.", "Le projet coûte 1.2 million. Il sera fini en 2027."]


# --- in a built site --------------------------------------------------------------------------

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


def _descriptions(site: Path) -> dict[str, str | None]:
    found = {}
    for page in built_pages(site):
        text = (site / page.file).read_text(encoding="utf-8")
        if '<main id="contenu" class="p-main' not in text:
            continue  # the paper version and the low-data edition have their own layout
        matches = DESCRIPTION.findall(text)
        assert len(matches) <= 1, page.file
        found[page.file] = html.unescape(matches[0]) if matches else None
    return found


def test_every_page_of_the_example_has_its_own_description(example_site: Path) -> None:
    found = _descriptions(example_site)
    assert "faq/index.html" in found and "donner-mon-avis/index.html" in found
    assert all(found.values()), [page for page, text in found.items() if not text]
    texts = [text for page, text in found.items() if page not in ("404.html", "429.html")]
    assert len(set(texts)) == len(texts), "two pages share a description"
    assert all(len(text or "") <= LIMIT for text in texts)
    assert found["faq/index.html"] == (
        "Voici les réponses aux questions que l'on nous pose le plus souvent.")
    assert found["404.html"] == (
        "Consultation des habitants de Belval sur le réaménagement de la place du Marché.")


@pytest.mark.parametrize("front_matter", [True, False])
def test_a_built_page_says_the_front_matter_else_its_first_paragraph(
    tmp_path: Path, front_matter: bool
) -> None:
    head = "---\ndescription: Ce que dit l'organisateur & rien d'autre.\n---\n"
    text = "# Accueil\n\nBonjour <b>à</b> tous & toutes.\n"
    config = write_site(tmp_path, {"index.md": (head if front_matter else "") + text})
    page = (build_site(config, tmp_path / "site") / "index.html").read_text(encoding="utf-8")
    expected = ("Ce que dit l&#39;organisateur &amp; rien d&#39;autre." if front_matter
                else "Bonjour à tous &amp; toutes.")
    assert f'<meta name="description" content="{expected}">' in page
