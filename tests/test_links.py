"""Broken links and anchors, in pages and in forms: each reported once, with its file, its line,
the pages or anchors near the name written, and how to fix it; MkDocs' own warning for the same
link never comes as well."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from site_builder.links import SiteLinks, SourceLines, page_anchors, target_of
from site_builder.messages import speaking
from tests.support import build_site, write_site

QUICK = {"page_weight": {"enabled": False}, "low_data": False, "precompress": False}
FAQ = """---
type: faq
---
# Questions fréquentes

## Peut-on voter en ligne ?

Oui, jusqu'au 28 février.

## Qui décide à la fin ?

Le conseil municipal.
"""
PROJECTS = """# Les projets

## Le contexte

La place du Marché accueille le marché deux fois par semaine.

## Le calendrier

Trois étapes.
"""
FORM = """# Donner son avis

Avant de commencer, lisez la page des projets.

```form
id: avis
title: Votre avis
intro: Lisez [le règlement](reglement.md) avant de répondre.
fields:
  - id: idee
    type: textarea
    label: Votre idée
  - id: accord
    type: consent
    label: J'ai lu [la politique](confidentialite.md#vos-droitz).
```
"""


def _site(folder: Path, pages: dict[str, str], **config: Any) -> Path:
    settings: dict[str, Any] = {"plugins": [{"parole": QUICK}], **config}
    return write_site(folder, {"faq.md": FAQ, "projets.md": PROJECTS, **pages}, **settings)


def _said(caplog: pytest.LogCaptureFixture, level: int = logging.WARNING) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno == level]


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records
            if record.levelno >= logging.WARNING and "Aborted" not in record.getMessage()]


# --- the core alone --------------------------------------------------------------------------

@pytest.mark.parametrize(("href", "target"), [
    ("reglement.md", ("explications/reglement.md", "")),
    ("../faq.md#peut-on-voter", ("faq.md", "peut-on-voter")),
    ("budget.md?x=1#plan", ("explications/budget.md", "plan")),
    ("mon%20plan.pdf", ("explications/mon plan.pdf", "")),
    ("#contexte", ("explications/votre-avis.md", "contexte")),
    ("https://example.org/a.md", None),
    ("mailto:a@example.org", None),
    ("/faq.md", None),
    ("reglement/", None),
    ("?page=2", None),
])
def test_links_lead_where_mkdocs_leads_them(href: str, target: tuple[str, str] | None) -> None:
    assert target_of(href, "explications/votre-avis.md") == target


def test_each_link_gets_its_own_line_and_whole_addresses_only() -> None:
    lines = SourceLines("---\ntitle: a.md\n---\n[x](faq.md) [y](a.md)\n\nAgain [a](a.md).\n",
                        skip_lines=3)
    assert lines.line_of("a.md") == 4  # not line 2 (front matter), not faq.md's 'a.md'
    assert lines.line_of("a.md") == 6
    assert lines.line_of("a.md") == 6  # more links than places: a shared reference definition
    assert lines.line_of("faq.md") == 4
    assert lines.line_of("nowhere.md") is None


def test_a_page_in_another_folder_is_suggested_as_the_link_would_write_it() -> None:
    links = SiteLinks()
    links.add("budjet.md", page="index.md", file="index.md", line=3)
    with speaking("en"):
        missing, _ = links.problems({"index.md", "explications/budget.md", "aide.md"}, {},
                                    docs="docs")
    assert [str(problem) for problem in missing] == [
        "index.md:3: the link 'budjet.md' leads to no page: there is no budjet.md in docs/; "
        "pages near that name: explications/budget.md\n"
        "    How to fix: write the page you meant, such as 'explications/budget.md' (a path "
        "starts from the folder of the page index.md); or write the page budjet.md"]


def test_a_page_with_no_anchor_near_lists_its_headings() -> None:
    links = SiteLinks()
    links.add("faq.md#horaires", page="index.md", file="index.md", line=2)
    anchors = {"faq.md": page_anchors({"questions", "vote"}, '<div id="qui-decide">',
                                      ["questions", "vote", "qui-decide"])}
    with speaking("en"):
        _, no_anchor = links.problems({"index.md", "faq.md"}, anchors, docs="docs")
    assert "; the page's anchors: #questions, #vote, #qui-decide" in str(no_anchor[0])


# --- pages -----------------------------------------------------------------------------------

def test_a_link_to_a_missing_page_says_its_line_the_pages_near_and_how_to_fix(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    index = "# Accueil\n\nLe projet est décrit dans [le règlement](reglements.md).\n"
    with pytest.raises(Abort):
        build_site(_site(tmp_path, {"index.md": index, "reglement.md": "# Règlement\n"}),
                   tmp_path / "site")
    assert _warnings(caplog) == [
        "index.md:3: le lien « reglements.md » ne mène à aucune page : il n'y a pas de "
        "reglements.md dans docs/ ; pages au nom proche : reglement.md\n"
        "    Pour corriger : écrivez la page voulue, par exemple « reglement.md » (un chemin "
        "part du dossier de la page index.md) ; ou écrivez la page reglements.md"]


def test_an_english_site_is_told_in_english_and_no_strict_still_builds(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    index = "# Home\n\nSee [the rules](rules.md).\n\nAnd [the rules](rules.md) again.\n"
    config = _site(tmp_path, {"index.md": index}, theme={"name": "parole", "language": "en"})
    site = build_site(config, tmp_path / "site", strict=False)
    assert _warnings(caplog) == [
        f"index.md:{line}: the link 'rules.md' leads to no page: there is no rules.md in "
        "docs/\n    How to fix: correct the link (its path starts from the folder of the page "
        "index.md), or write the page rules.md" for line in (3, 5)]
    assert 'href="rules.md"' in (site / "index.html").read_text(encoding="utf-8")


def test_missing_anchors_of_faq_questions_headings_and_the_page_itself_are_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    index = ("# Accueil\n\n- [Voter](faq.md#peut-on-voter)\n- [Le contexte](projets.md#contexte)"
             "\n- [Plus bas](#la-suite)\n\n## Pour la suite\n\nRien.\n")
    with pytest.raises(Abort):
        build_site(_site(tmp_path, {"index.md": index}), tmp_path / "site")
    warnings = _warnings(caplog)
    assert len(warnings) == 3
    assert warnings[0].startswith(
        "index.md:3: le lien « faq.md#peut-on-voter » ne mène à aucun titre ni aucune question "
        "de faq.md : aucun n'a l'ancre « #peut-on-voter » ; ancres au nom proche : "
        "#peut-on-voter-en-ligne\n    Pour corriger : écrivez « faq.md#peut-on-voter-en-ligne »")
    assert warnings[1].startswith("index.md:4: le lien « projets.md#contexte »")
    assert "ancres au nom proche : #le-contexte" in warnings[1]
    assert warnings[2].startswith(
        "index.md:5: le lien « #la-suite » ne mène à aucun titre ni aucune question de cette "
        "page : aucun n'a l'ancre « #la-suite » ; ancres au nom proche : #pour-la-suite\n"
        "    Pour corriger : écrivez « #pour-la-suite »")


def test_correct_links_and_anchors_say_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    index = ("# Accueil\n\n[Voter](faq.md#peut-on-voter-en-ligne), [contexte](projets.md#le-"
             "contexte), [ici](#plus-bas), [le site](https://example.org/x.md), "
             "[aide](aide.md).\n\n## Plus bas\n\n[Avis](avis.md#form-avis)\n")
    form = FORM.replace("reglement.md", "projets.md#le-calendrier").replace("vos-droitz", "")
    build_site(_site(tmp_path, {"index.md": index, "avis.md": form}), tmp_path / "site")
    assert _warnings(caplog) == []


# --- forms -----------------------------------------------------------------------------------

def test_links_of_a_form_are_reported_once_with_their_line_in_the_fence(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = _site(tmp_path, {"index.md": "# Accueil\n", "avis.md": FORM},
                   plugins=[{"parole": {"page_weight": {"enabled": False}}}])
    site = build_site(config, tmp_path / "site", strict=False)
    warnings = _warnings(caplog)
    assert [warning.split("\n")[0] for warning in warnings] == [
        "avis.md:8: le lien « reglement.md » ne mène à aucune page : il n'y a pas de "
        "reglement.md dans docs/",
        "avis.md:15: le lien « confidentialite.md#vos-droitz » ne mène à aucun titre ni aucune "
        "question de confidentialite.md : aucun n'a l'ancre « #vos-droitz » ; ancres de la "
        "page : #vos-donnees"]
    # The form is shown in its page, on paper and in the low-data edition: still one message.
    assert (site / "papier" / "avis" / "index.html").is_file()
    assert (site / "consultation-hors-ligne.html").is_file()


def test_a_form_read_from_a_file_names_that_file_and_its_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    yaml = FORM.split("```form\n")[1].removesuffix("```\n")
    config = _site(tmp_path, {"index.md": "# Accueil\n\n```form\nsrc: forms/avis.yml\n```\n",
                              "forms/avis.yml": yaml})
    with pytest.raises(Abort):
        build_site(config, tmp_path / "site")
    assert [warning.split(":")[:2] for warning in _warnings(caplog)] == [
        ["forms/avis.yml", "3"], ["forms/avis.yml", "10"]]


def test_a_form_link_to_a_page_and_heading_is_resolved_from_the_form_page(
    tmp_path: Path,
) -> None:
    form = FORM.replace("reglement.md", "../projets.md#le-calendrier").replace(
        "confidentialite.md#vos-droitz", "../aide.md?lieu=mairie")
    config = _site(tmp_path, {"index.md": "# Accueil\n", "avis/index.md": form})
    html = (build_site(config, tmp_path / "site") / "avis" / "index.html").read_text("utf-8")
    assert 'href="../projets/#le-calendrier"' in html
    assert 'href="../aide/?lieu=mairie"' in html


# --- MkDocs says nothing more; the organizer's levels are kept -------------------------------

def test_mkdocs_does_not_report_the_same_links_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    index = "# Accueil\n\n[a](reglement.md) [b](faq.md#voter)\n"
    config = _site(tmp_path, {"index.md": index},
                   validation={"not_found": "warn", "anchors": "warn"})
    build_site(config, tmp_path / "site", strict=False)
    assert len(_warnings(caplog)) == 2
    assert not [record for record in caplog.records if record.name == "mkdocs.structure.pages"]


@pytest.mark.parametrize(("validation", "level"), [
    ({"anchors": "ignore"}, None), ({"anchors": "info"}, logging.WARNING),
    ({"links": {"anchors": "warn"}}, logging.WARNING), ({"not_found": "info"}, logging.INFO),
    ({"not_found": "ignore"}, None),
])
def test_the_organizer_chooses_how_loud_each_check_is(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, validation: dict[str, Any],
    level: int | None,
) -> None:
    """``anchors: info`` is MkDocs' default, which MkDocs does not tell from not written: parole
    makes it a warning; any other level is kept."""
    check = "not_found" if "not_found" in validation else "anchors"
    link = "reglement.md" if check == "not_found" else "faq.md#voter"
    config = _site(tmp_path, {"index.md": f"# Accueil\n\n[a]({link})\n"}, validation=validation)
    caplog.set_level(logging.INFO)
    if level == logging.WARNING:
        with pytest.raises(Abort):
            build_site(config, tmp_path / "site")
    else:
        build_site(config, tmp_path / "site")
    said = [record.levelno for record in caplog.records if "« " + link in record.getMessage()]
    assert said == ([] if level is None else [level])


def test_a_rebuild_of_the_same_configuration_still_reports(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """``mkdocs serve`` and tests build one configuration again: parole's silencing of MkDocs'
    checks must not read as the organizer's ``ignore`` the second time."""
    config_file = _site(tmp_path, {"index.md": "# Accueil\n\n[a](faq.md#voter)\n"})
    config = load_config(str(config_file), site_dir=str(tmp_path / "site"))
    for _ in range(2):
        caplog.clear()
        mkdocs_build(config)
        assert len(_said(caplog)) == 1


def test_links_are_checked_with_mkdocs_material(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    index = "# Accueil\n\n[a](reglement.md) [b](faq.md#voter) [c](projets.md#le-contexte)\n"
    config = _site(tmp_path, {"index.md": index}, theme={"name": "material", "language": "fr"},
                   markdown_extensions=[{"toc": {"permalink": True}}])
    with pytest.raises(Abort):
        build_site(config, tmp_path / "site")
    assert [warning.split(" : ")[0] for warning in _warnings(caplog)] == [
        "index.md:3: le lien « reglement.md » ne mène à aucune page",
        "index.md:3: le lien « faq.md#voter » ne mène à aucun titre ni aucune question de "
        "faq.md"]
