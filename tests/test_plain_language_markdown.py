"""What the measure reads of a page's markdown: the prose a reader reads, each sentence at its
line."""

from __future__ import annotations

import time

from hypothesis import given
from hypothesis import strategies as st

from site_builder.plain_language import TARGETS, analyse_markdown
from site_builder.plain_language.prose import Sentence, abbreviation_definitions, sentences

PAGE = """\
---
title: La place du marché
plain_language: falc
---
# Donner son avis

La mairie veut votre avis. Elle lira
chaque réponse. Merci !

```form
id: avis-place
title: Votre avis
fields: []
```

```python
print("Ceci n'est pas une phrase.")
```

    un bloc de code indenté.

- Un premier point
- Un second point
  sur deux lignes.

| Lieu | Heure |
|------|-------|
| Mairie | 9 h |

Lisez [le plan](plan.pdf "Plan") et voyez ![la carte](img/carte.png).
Écrivez à <contact@belval.fr> ou sur https://belval.fr/avis, page /avis/merci.html.
Tapez `parole build` puis **entrée**.
<p class="note">Un texte <em>dans</em> du HTML.</p>
<!-- un commentaire
sur deux lignes -->
Fin.

*[HLM]: habitation à loyer modéré
"""


def _read(markdown: str, first_line: int = 1) -> list[tuple[int, str]]:
    return [(sentence.line, sentence.text) for sentence in sentences(markdown, first_line)]


def test_the_prose_of_a_page_and_the_line_of_each_sentence() -> None:
    assert _read(PAGE) == [
        (5, "Donner son avis"),                     # a heading: a sentence of its own
        (7, "La mairie veut votre avis."),
        (7, "Elle lira chaque réponse."),           # starts on line 7, ends on line 8
        (8, "Merci !"),
        (22, "Un premier point"),                   # a list item: a sentence of its own
        (23, "Un second point sur deux lignes."),
        (26, "Lieu"), (26, "Heure"),                # each cell, not the table's markup
        (28, "Mairie"), (28, "9 h"),
        (30, "Lisez le plan et voyez la carte."),   # link text and image text, not paths
        (31, "Écrivez à ou sur, page."),            # addresses and paths are not prose
        (32, "Tapez puis entrée."),                 # nor is inline code
        (33, "Un texte dans du HTML."),
        (36, "Fin."),
    ]


def test_the_page_without_its_front_matter_keeps_its_lines() -> None:
    body = PAGE.split("---\n", 2)[2]
    assert _read(body, first_line=5) == _read(PAGE)


def test_a_page_without_front_matter_may_start_with_a_rule() -> None:
    # the plugin passes the page without its front matter: a rule there is not front matter
    assert _read("---\nUne phrase.\n---\nUne autre.\n", first_line=4) == [
        (5, "Une phrase."), (7, "Une autre.")]
    # a whole file starting with --- does have front matter
    assert _read("---\ntitle: x\n---\nUne phrase.\n") == [(4, "Une phrase.")]


def test_setext_headings_blockquotes_admonitions_and_footnotes() -> None:
    markdown = "\n".join([
        "Titre",                                  # 1
        "=====",                                  # 2
        "> Une citation",                         # 3
        "> sur deux lignes.",                     # 4
        "",                                       # 5
        '!!! note "À savoir"',                    # 6
        "    Le marché ouvre à 8 h.",             # 7
        "",                                       # 8
        "1. Premier.",                            # 9
        "2. Second.",                             # 10
        "",                                       # 11
        "[^1]: Une note.",                        # 12
        "[plan]: https://belval.fr/plan.pdf",     # 13
        "{: .classe }",                           # 14
        "***",                                    # 15
    ])
    assert _read(markdown) == [
        (1, "Titre"), (3, "Une citation sur deux lignes."), (6, "À savoir"),
        (7, "Le marché ouvre à 8 h."), (9, "Premier."), (10, "Second."), (12, "Une note."),
    ]


def test_abbreviations_in_sentences_do_not_end_them() -> None:
    assert _read("M. Dupont viendra, p. ex. lundi. Merci.") == [
        (1, "M. Dupont viendra, p. ex. lundi."), (1, "Merci.")]


def test_html_entities_escapes_and_emphasis() -> None:
    assert _read("Un *mot* et un __autre__ &amp; un \\*vrai\\* astérisque.") == [
        (1, "Un mot et un autre & un *vrai* astérisque.")]
    assert _read("Le fichier mon_fichier_final reste.") == [
        (1, "Le fichier mon_fichier_final reste.")]


def test_abbreviation_definitions() -> None:
    assert abbreviation_definitions(PAGE) == {"HLM": "habitation à loyer modéré"}


def test_analyse_markdown_counts_only_prose_and_reports_lines() -> None:
    page = analyse_markdown(PAGE, "fr", TARGETS["default"])
    assert page.sentences == 15
    markdown = "# Titre\n\n```form\nid: x\n```\n\nLa place (voir le plan) sera belle.\n"
    page = analyse_markdown(markdown, "fr", TARGETS["default"], first_line=10)
    assert [(sentence.line, sentence.text) for sentence in page.flagged] == [
        (16, "La place (voir le plan) sera belle.")]
    assert sentences("", 1) == [] and isinstance(sentences("Un.", 1)[0], Sentence)


def test_markup_that_never_closes_is_read_in_one_pass() -> None:
    # each of these took minutes when a pattern looked for its closing bracket from every
    # opening one (the time grew with the square of the length)
    for markdown in ["[" * 50_000 + "(" * 50_000, "[a](" * 25_000, '[a](x "' * 15_000]:
        start = time.perf_counter()
        analyse_markdown(markdown, "fr", TARGETS["default"])
        assert time.perf_counter() - start < 10, markdown[:20]


MARKUP = st.sampled_from(["\n", "\n\n", "# ", "- ", "| ", "|---|", "```", "```form", "    ", "> ",
                          "[", "](", ")", "!", "<p>", "</p>", "<!--", "-->", "`", "*", "_",
                          "---", "!!! note", "*[HLM]: ", "HLM", "XIVe", "23 %", ";", "(", ". ",
                          "l'école", "Mme", "ATTENTION", "&amp;", "\\*"])


@given(st.lists(st.one_of(MARKUP, st.text(max_size=12)), max_size=40),
       st.integers(min_value=1, max_value=50), st.sampled_from(["fr", "en", "ar"]))
def test_any_markdown_is_measured_and_its_lines_are_lines_of_the_page(
        parts: list[str], first_line: int, language: str) -> None:
    markdown = "".join(parts)
    page = analyse_markdown(markdown, language, TARGETS["default"], first_line=first_line)
    last = first_line + max(len(markdown.splitlines()), 1) - 1
    for sentence in page.flagged:
        assert first_line <= sentence.line <= last
        assert sentence.signals and sentence.text.strip() == sentence.text
    assert (page.score is None) == (page.words == 0)
