"""FAQ pages (``type: faq``): details/summary markup, stable anchors, JSON-LD, build errors.

Unit tests convert with a bare ``markdown.Markdown(extensions=["toc", FaqExtension()])``; the
integration tests build real sites with MkDocs' own theme and with mkdocs-material, so they do
not depend on the parole theme; the browser tests (parole theme) check what only Chromium can
tell.
"""

from __future__ import annotations

import json
import logging
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
from mkdocs.exceptions import Abort
from playwright.sync_api import Browser

from site_builder.faq import FaqExtension, Question
from tests.support import assert_golden, build_site, serve_site, write_site

FAQ = """\
# Questions fréquentes

Voici les réponses aux questions que l'on nous pose le plus souvent.

## Faut-il créer un compte ?

Non. Vous répondez sans compte & sans mot de passe.

### Et pour les enfants ?

Un parent peut aider :

- lire les questions ;
- écrire les réponses.

## Que veut dire `<details>` ?

C'est la balise qui replie une réponse : `</script>` reste du texte, et \\*ceci\\* aussi.
Lisez [la page d'aide](aide.md).

<p class="note">Une note <b>brute</b> &amp; sûre.</p>

## Faut-il créer un compte ?

Toujours pas.
"""

EXPECTED = [
    Question(
        name="Faut-il créer un compte ?",
        anchor="faut-il-creer-un-compte",
        answer="Non. Vous répondez sans compte & sans mot de passe. Et pour les enfants ? "
        "Un parent peut aider : lire les questions ; écrire les réponses.",
    ),
    Question(
        name="Que veut dire <details> ?",
        anchor="que-veut-dire-details",
        answer="C'est la balise qui replie une réponse : </script> reste du texte, et *ceci* "
        "aussi. Lisez la page d'aide. Une note brute & sûre.",
    ),
    Question(name="Faut-il créer un compte ?", anchor="faut-il-creer-un-compte_1",
             answer="Toujours pas."),
]

FRONT_MATTER = "---\ntype: faq\n---\n"
FIRST, DUPLICATE = EXPECTED[0].anchor, EXPECTED[2].anchor
INDEX = f"""\
# Accueil

## Le projet

Lisez [la réponse](faq.md#{FIRST}) et [la suivante](faq.md#{DUPLICATE}).
"""
MKDOCS_THEME = {"name": "mkdocs", "highlightjs": False}
NO_WEIGHT = {"page_weight": {"enabled": False}}


def _convert(source: str, *, active: bool = True, **configs: Any) -> tuple[str, FaqExtension]:
    extension = FaqExtension()
    extension.active = active
    md = markdown.Markdown(extensions=["toc", "footnotes", extension], extension_configs=configs)
    return md.convert(source), extension


def _plain(source: str) -> str:
    return markdown.Markdown(extensions=["toc", "footnotes"]).convert(source)


class _JsonLd(HTMLParser):
    """The text of each JSON-LD script, ending where a browser ends it (at ``</script``)."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside = tag == "script" and ("type", "application/ld+json") in attrs
        if self._inside:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.scripts[-1] += data


def _json_ld(html: str) -> Any:
    parser = _JsonLd()
    parser.feed(html)
    parser.close()
    assert len(parser.scripts) == 1, parser.scripts
    return json.loads(parser.scripts[0])


def _faq_site(folder: Path, faq: str = FRONT_MATTER + FAQ, **config: Any) -> Path:
    settings: dict[str, Any] = {
        "theme": MKDOCS_THEME,
        "plugins": [{"parole": NO_WEIGHT}],
        "validation": {"anchors": "warn"},
        **config,
    }
    return write_site(folder, {"index.md": INDEX, "faq.md": faq}, **settings)


def _errors(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)


# --- the extension alone ------------------------------------------------------------------------

def test_faq_markup_matches_golden(request: pytest.FixtureRequest) -> None:
    html, _ = _convert(FAQ)
    assert_golden("faq-body.html", html, request)


def test_questions_are_listed_with_their_stable_anchors() -> None:
    html, extension = _convert(FAQ)
    assert extension.questions == EXPECTED
    for question in EXPECTED:
        assert f'<div class="p-faq__answer" id="{question.anchor}">' in html
    assert '<h2 class="p-faq__title">' in html and "<h2 id=" not in html


def test_intro_and_subheadings_stay_where_they_belong() -> None:
    html, _ = _convert(FAQ)
    intro, faq = html.split('<div class="p-faq">')
    assert "Voici les réponses" in intro and "<details" not in intro
    first_answer = faq.split("</details>")[0]
    assert '<h3 id="et-pour-les-enfants">' in first_answer
    assert "<li>lire les questions" in first_answer


def test_json_ld_holds_every_question_and_answer_as_plain_text() -> None:
    html, _ = _convert(FAQ)
    data = _json_ld(html)
    assert data["@context"] == "https://schema.org" and data["@type"] == "FAQPage"
    assert data["mainEntity"] == [
        {"@type": "Question", "name": q.name,
         "acceptedAnswer": {"@type": "Answer", "text": q.answer}}
        for q in EXPECTED
    ]
    assert "\x02" not in html and "\x03" not in html


def test_json_ld_cannot_close_its_script_element() -> None:
    source = "## Et `</script><script>alert(1)</script>` ?\n\n<b>&lt;/script&gt;</b> `<!--`\n"
    html, _ = _convert(source)
    script = html[html.index('<script type="application/ld+json">'):]
    assert script.count("</script>") == 1 and "<" not in script[len("<script"):-len("</script>")]
    answer = _json_ld(html)["mainEntity"][0]
    assert answer["name"] == "Et </script><script>alert(1)</script> ?"
    assert answer["acceptedAnswer"]["text"] == "</script> <!--"


def test_permalinks_and_footnote_references_are_not_part_of_the_text() -> None:
    source = "## Qui ?[^1]\n\nTout le monde.\n\n### Même les enfants ?\n\nOui.\n\n[^1]: Note.\n"
    html, extension = _convert(source, toc={"permalink": True})
    assert extension.questions == [Question(
        name="Qui ?", anchor="qui", answer="Tout le monde. Même les enfants ? Oui.")]
    assert html.index("application/ld+json") < html.index('<div class="footnote">')


def test_no_permalink_inside_a_summary() -> None:
    """A link inside the summary (itself the control) is a nested interactive element."""
    html, _ = _convert("## Qui ?\n\nTout le monde.\n\n### Même les enfants ?\n\nOui.\n",
                       toc={"permalink": True})
    summary = html[html.index("<summary"):html.index("</summary>")]
    assert "headerlink" not in summary
    assert 'class="headerlink"' in html  # the h3 inside the answer keeps its own


def test_an_inactive_extension_leaves_the_tree_untouched() -> None:
    html, extension = _convert(FAQ, active=False)
    assert html == _plain(FAQ)
    assert extension.questions == []


@pytest.mark.parametrize("source", [
    "# Questions\n\nBientôt.\n",
    "# Questions\n\n##\n\nUne réponse sans question.\n",
    "# Questions\n\n> ## Dans une citation ?\n>\n> Ce n'est pas une question de la FAQ.\n",
], ids=["no h2", "empty h2", "nested h2"])
def test_a_faq_without_question_is_left_as_written(source: str) -> None:
    html, extension = _convert(source)
    assert extension.questions == []
    assert html == _plain(source)


def test_questions_belong_to_one_conversion() -> None:
    extension = FaqExtension()
    extension.active = True
    md = markdown.Markdown(extensions=["toc", extension])
    md.convert(FAQ)
    assert extension.questions
    md.reset()
    assert extension.questions == []
    md.convert("# Page\n\nSans question.\n")
    assert extension.questions == []


# --- MkDocs builds ------------------------------------------------------------------------------

def test_site_renders_the_faq_and_links_to_questions_validate(tmp_path: Path) -> None:
    site = build_site(_faq_site(tmp_path), tmp_path / "site")  # strict: a bad anchor aborts
    page = (site / "faq" / "index.html").read_text(encoding="utf-8")
    for question in EXPECTED:
        assert f'<div class="p-faq__answer" id="{question.anchor}">' in page
    assert [q["name"] for q in _json_ld(page)["mainEntity"]] == [q.name for q in EXPECTED]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="faq/#{FIRST}"' in index and f'href="faq/#{DUPLICATE}"' in index


def test_a_link_to_a_missing_question_still_fails_the_strict_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = _faq_site(tmp_path)
    index = tmp_path / "docs" / "index.md"
    index.write_text(INDEX.replace(FIRST, "pas-de-question"), encoding="utf-8")
    with pytest.raises(Abort):
        build_site(config, tmp_path / "site")
    assert any("aucun n'a l'ancre « #pas-de-question »" in r.getMessage()  # tests/test_links.py
               for r in caplog.records)


def test_other_pages_are_byte_identical_without_the_faq_feature(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # MkDocs' theme prints the build date
    with_faq = build_site(_faq_site(tmp_path / "a"), tmp_path / "a" / "site")
    without = build_site(
        _faq_site(tmp_path / "b", plugins=[{"parole": {**NO_WEIGHT, "faq": False}}]),
        tmp_path / "b" / "site",
    )
    pages = sorted(path.relative_to(with_faq) for path in with_faq.rglob("*.html"))
    assert pages == sorted(path.relative_to(without) for path in without.rglob("*.html"))
    changed = [str(p) for p in pages if (with_faq / p).read_bytes() != (without / p).read_bytes()]
    # The low-data edition holds the FAQ too (site_builder/low_data/__init__.py).
    assert changed == ["consultation-hors-ligne.html", "faq/index.html"]


@pytest.mark.parametrize("body", [
    "# Questions\n\nBientôt.\n",
    "# Questions\n\n##\n\nUne réponse sans question.\n",
], ids=["no h2", "empty h2"])
def test_a_faq_without_question_fails_the_build_and_says_how_to_fix(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, body: str
) -> None:
    with pytest.raises(Abort):
        build_site(_faq_site(tmp_path, FRONT_MATTER + body), tmp_path / "site")
    errors = _errors(caplog)
    assert "faq.md:2: [type] cette page de FAQ n'a aucune question" in errors
    assert "titre de niveau 2 (`## Votre question ?`)" in errors


def test_an_unknown_page_type_fails_the_build_naming_file_line_and_types(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    faq = "---\ntitle: Questions\ntype: faqs\n---\n" + FAQ
    english = {**MKDOCS_THEME, "language": "en"}  # French sites are tested above
    with pytest.raises(Abort):
        build_site(_faq_site(tmp_path, faq, theme=english), tmp_path / "site")
    errors = _errors(caplog)
    assert "parole found 1 content problem to fix:" in errors
    assert "faq.md:3: [type] unknown page type 'faqs' in the front matter" in errors
    assert "write one of: faq, results;" in errors


def test_the_faq_renders_with_material(tmp_path: Path) -> None:
    """mkdocs-material, with its search and heading permalinks: same markup, same anchors."""
    config = _faq_site(
        tmp_path,
        theme={"name": "material"},
        plugins=["search", {"parole": NO_WEIGHT}],
        markdown_extensions=[{"toc": {"permalink": True}}],
    )
    site = build_site(config, tmp_path / "site")
    page = (site / "faq" / "index.html").read_text(encoding="utf-8")
    assert page.count('<details class="p-faq__item">') == len(EXPECTED)
    for question in EXPECTED:
        assert f'<div class="p-faq__answer" id="{question.anchor}">' in page
        assert f'href="#{question.anchor}"' in page  # material's table of contents
    assert _json_ld(page)["mainEntity"][0]["name"] == EXPECTED[0].name
    assert "¶" not in json.dumps(_json_ld(page), ensure_ascii=False)
    assert not re.search(r"<summary[^>]*>(?:(?!</summary>).)*headerlink", page, re.S)


# --- in Chromium --------------------------------------------------------------------------------

def _answers_in_chromium(
    browser: Browser, site: Path, path: str, *, print_media: bool = False
) -> list[dict[str, Any]]:
    """For each answer of ``path``, loaded with JavaScript off: whether its details is open, and
    its size on screen (or on paper)."""
    with serve_site(site) as base:
        page = browser.new_page(java_script_enabled=False)
        try:
            if print_media:
                page.emulate_media(media="print")
            page.goto(base + path)
            answers = page.locator(".p-faq__answer")
            return [
                {"id": answer.get_attribute("id"),
                 "open": answer.locator("xpath=..").get_attribute("open") is not None,
                 "box": answer.bounding_box()}
                for answer in answers.all()
            ]
        finally:
            page.close()


@pytest.mark.browser
def test_a_link_to_a_question_opens_it_without_javascript(tmp_path: Path, browser: Browser) -> None:
    """The answer holds the anchor: Chromium opens a closed details whose content is targeted."""
    site = build_site(_faq_site(tmp_path, theme={"name": "parole"}), tmp_path / "site")
    answers = _answers_in_chromium(browser, site, f"faq/#{DUPLICATE}")
    assert [(a["id"], a["open"]) for a in answers] == [
        (FIRST, False), (EXPECTED[1].anchor, False), (DUPLICATE, True)
    ]


@pytest.mark.browser
def test_printed_answers_are_visible_even_when_closed(tmp_path: Path, browser: Browser) -> None:
    """Needs the parole theme's print rule for ``::details-content``."""
    site = build_site(_faq_site(tmp_path, theme={"name": "parole"}), tmp_path / "site")
    answers = _answers_in_chromium(browser, site, "faq/", print_media=True)
    assert answers and not any(a["open"] for a in answers)
    hidden = [a["id"] for a in answers if not a["box"] or not a["box"]["height"]]
    assert hidden == []
