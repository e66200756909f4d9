"""Words in another language than their page's say which (issue #18: ``lang`` and ``dir`` on
every element whose language differs), end to end: a French and Arabic site built strict whose
navigation has a section (titled in mkdocs.yml, so in French), a page not translated into
Arabic (with markdown and HTML characters in its title) and a form whose Arabic translation
lacks strings (``translation_fallback``). The Arabic site map, local menu heading, low-data
file's contents and form mark each French word; what is in Arabic is not marked.

(``tests/sites/multilingual`` has no section: this site is written by the test.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pa11y_support import built_pages, describe_failures, require_tools, run_pa11y_ci
from tests.support import build_site, serve_site, write_site

FORM = """# Donner mon avis

```form
id: avis-jardin
title: Votre avis
intro: Deux questions.
submit: Envoyer
translation_fallback: true
fields:
  - id: envie
    type: choice
    label: Voulez-vous jardiner ?
    hint: Une seule réponse.
    options:
      - {value: oui, label: Oui}
      - {value: non, label: Non}
  - id: quartier
    type: select
    label: Votre quartier
    options:
      - {value: centre, label: Centre}
      - {value: gare, label: Gare}
  - id: note
    type: scale
    label: Votre note
    min: 1
    max: 3
    min_label: Pas du tout
    max_label: Beaucoup
  - id: idee
    type: text
    label: Une idée ?
translations:
  ar:
    title: رأيكم
    submit: أرسلوا
    fields:
      envie:
        label: هل تريدون الزراعة؟
        options: {oui: نعم}
      quartier:
        label: حيّكم
        options: {centre: الوسط}
      note: {label: تقييمكم, min_label: أبدا}
      idee: {}
```
"""

PAGES = {
    "index.md": "# Accueil\n\nBienvenue.\n",
    "index.ar.md": "# الرئيسية\n\nأهلا.\n",  # noqa: RUF001
    "projets/jardin.md": "# Le jardin\n\nUn jardin.\n",
    "projets/jardin.ar.md": "# الحديقة\n\nحديقة.\n",
    "projets/budget.md": "# Budget & <i>dépenses</i> [2027]\n\nDix mille euros.\n",
    "avis.md": FORM,
    "avis.ar.md": "# أعطوا رأيكم\n\n```form\nid: avis-jardin\n```\n",
    "aide.ar.md": "# المساعدة\n\nفي البلدية.\n",
}
NAV = [{"Accueil": "index.md"},
       {"Les projets": ["projets/jardin.md", "projets/budget.md"]},
       {"Donner mon avis": "avis.md"},
       {"Se faire aider": "aide.md"}]
FRENCH = ' lang="fr" dir="ltr"'
BUDGET = "Budget &amp; dépenses [2027]"
"""The untranslated page's title as HTML: its tags dropped, its text escaped once."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("marks")
    config = write_site(folder, PAGES, site_url="https://essai.example/", nav=NAV,
                        theme={"name": "parole", "language": "fr"},
                        plugins=[{"parole": {"languages": ["fr", "ar"],
                                             "help_page": "aide.md"}}])
    return build_site(config, folder / "site")


def _html(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def test_the_site_map_marks_each_title_in_another_language(site: Path) -> None:
    arabic = _between(_html(site, "ar/site-map/index.html"), "<main", "</main>")
    assert f"<li><span{FRENCH}>Les projets</span><ul>" in arabic  # a section of mkdocs.yml
    assert f'<a href="../projets/budget/"><span{FRENCH}>{BUDGET}</span></a>' in arabic
    assert '<a href="../projets/jardin/">الحديقة</a>' in arabic  # translated: not marked
    assert '<a href="../aide/">المساعدة</a>' in arabic
    assert arabic.count(" lang=") == 2
    french = _between(_html(site, "plan-du-site/index.html"), "<main", "</main>")
    assert " lang=" not in french and f'<a href="../projets/budget/">{BUDGET}</a>' in french


def test_the_local_menu_heading_marks_a_section_title_in_another_language(site: Path) -> None:
    arabic = _html(site, "ar/projets/jardin/index.html")
    assert (f'<h2 id="p-local-title">في هذا القسم: <span{FRENCH}>Les projets</span></h2>'
            in arabic)
    assert f'<a href="../budget/"{FRENCH}>{BUDGET}</a>' in arabic  # its sibling, marked too
    french = _html(site, "projets/jardin/index.html")
    assert '<h2 id="p-local-title">Dans cette rubrique\u00a0: Les projets</h2>' in french


def test_the_low_data_file_marks_pages_not_translated_and_their_contents_entry(
        site: Path) -> None:
    edition = _html(site, "ar/low-data.html")
    contents = _between(edition, '<nav class="ld-toc"', "</nav>")
    assert f'<a href="#page-projets-budget"{FRENCH}>{BUDGET}</a>' in contents
    assert '<a href="#page-projets-jardin">الحديقة</a>' in contents
    assert contents.count(" lang=") == 3  # budget, and the two footer pages not translated
    budget = _between(edition, '<section id="page-projets-budget">', "</section>")
    assert budget.startswith(
        '\n<p class="ld-note">هذه الصفحة غير مترجمة بعد. تقرؤونها بلغتها الأصلية: الفرنسية.</p>'
        f"\n<div{FRENCH}>\n"
        '<h2 id="page-projets-budget--budget-depenses-2027">Budget &amp; <i>dépenses</i> [2027]'
        "</h2>\n<p>Dix mille euros.</p>\n</div>\n")
    jardin = _between(edition, '<section id="page-projets-jardin">', "</section>")
    assert " lang=" not in jardin and "ld-note" not in jardin
    assert " lang=" not in _between(_html(site, "consultation-hors-ligne.html"), "<main", "</main>")


def test_a_form_string_its_translation_lacks_says_its_language(site: Path) -> None:
    """``translation_fallback``: the Arabic form shows the French words its translation lacks
    (a hint, an option, a select's option, a scale's end, the intro), each marked French."""
    arabic = _between(_html(site, "ar/avis/index.html"), '<section class="p-form"', "</section>")
    assert f'<div class="p-form__intro">\n<div{FRENCH}><p>Deux questions.</p></div>' in arabic
    assert f"<span{FRENCH}>Une seule réponse.</span></div>" in arabic
    assert f'for="f-avis-jardin-envie-2"{FRENCH}>Non</label>' in arabic
    assert f'<option value="gare"{FRENCH}>Gare</option>' in arabic
    assert f"3 — <span{FRENCH}>Beaucoup</span></label>" in arabic
    assert f'for="f-avis-jardin-idee"><span{FRENCH}>Une idée ?</span>' in arabic
    assert arabic.count(" lang=") == 6  # the translated words are not marked
    assert '<button class="p-form__submit" type="submit">أرسلوا</button>' in arabic
    french = _between(_html(site, "avis/index.html"), '<section class="p-form"', "</section>")
    assert " lang=" not in french


def test_the_low_data_file_lists_a_borrowed_question_label_marked(site: Path) -> None:
    """The "how to answer" box's questions, in the file's words, mark the one its
    translation lacks (in the page's section, the box is Arabic like the file)."""
    box = _between(_html(site, "ar/low-data.html"), '<div class="ld-box"', "</div>")
    questions = _between(box, "<ol>", "</ol>")
    assert f"<li><span{FRENCH}>Une idée ?</span> (اختياري)</li>" in questions
    assert "<li>هل تريدون الزراعة؟ (اختياري)</li>" in questions  # translated: not marked
    assert questions.count(" lang=") == 1


def test_the_paper_version_marks_the_words_its_translation_lacks(site: Path) -> None:
    paper = _between(_html(site, "ar/paper/avis-jardin/ar/index.html"), "<main", "</main>")
    assert f'<div class="p-paper__intro"><div{FRENCH}><p>Deux questions.</p></div></div>' in paper
    assert f'<p class="p-paper__hint"><span{FRENCH}>Une seule réponse.</span></p>' in paper
    assert f'aria-hidden="true"></span><span{FRENCH}>Gare</span></li>' in paper
    assert f'<p class="p-paper__end"><span{FRENCH}>Beaucoup</span></p>' in paper
    assert f"<span{FRENCH}>Une idée ?</span>" in paper
    assert "<h1>رأيكم</h1>" in paper
    assert paper.count(" lang=") == 6


@pytest.mark.pa11y
def test_the_arabic_pages_with_marked_words_pass_pa11y(site: Path, tmp_path: Path) -> None:
    require_tools(pa11y=True)
    marked = ("ar/site-map/index.html", "ar/projets/jardin/index.html", "ar/avis/index.html",
              "ar/low-data.html", "ar/paper/avis-jardin/ar/index.html")
    pages = [page for page in built_pages(site) if page.file in marked]
    assert len(pages) == len(marked)
    with serve_site(site) as base_url:
        urls = {page.url(base_url): page.file for page in pages}
        reports = run_pa11y_ci(list(urls), tmp_path)
    failed = [report for report in reports.values() if report.failed]
    assert not failed, describe_failures(list(reports.values()), lambda url: urls[url])
