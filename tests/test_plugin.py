"""The parole plugin end to end: site map, footer pages, language, strictness, rebuilds."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from site_builder import navigation
from tests.support import build_site, write_site

PAGES = {
    "index.md": "# Accueil\n\nBienvenue.\n",
    "faq.md": "---\ntype: faq\n---\n# Questions\n\n## Qui ?\n\nTout le monde.\n",
    "explications/budget.md": "# Le budget\n\nUn million.\n",
    "explications/calendrier.md": "# Le calendrier\n\nDe janvier à mars.\n",
}


def _read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_site_map_lists_every_page_and_is_linked_from_every_page(tmp_path: Path) -> None:
    site = build_site(write_site(tmp_path, PAGES), tmp_path / "site")
    site_map = _read(site, "plan-du-site/index.html")
    assert "<h1" in site_map and "Plan du site" in site_map
    for link in ("../faq/", "../explications/budget/", "../explications/calendrier/",
                 "../aide/", "../accessibilite/", "../confidentialite/"):
        assert f'href="{link}"' in site_map, link
    for page in ("index.html", "faq/index.html", "explications/budget/index.html"):
        assert "plan-du-site/" in _read(site, page), f"{page} does not link the site map"


def test_site_map_is_not_a_menu_entry(tmp_path: Path) -> None:
    site = build_site(write_site(tmp_path, PAGES), tmp_path / "site")
    menu = re.search(r"<nav[^>]*>.*?</nav>", _read(site, "index.html"), re.S)
    assert menu is not None
    assert menu.group(0).count("plan-du-site") <= 1  # only the dedicated site-map link


def test_an_organizers_own_site_map_page_is_kept(tmp_path: Path) -> None:
    own = {**PAGES, "plan-du-site.md": "# Notre plan\n\nÉcrit à la main.\n"}
    site = build_site(write_site(tmp_path, own), tmp_path / "site")
    assert "Écrit à la main." in _read(site, "plan-du-site/index.html")


def test_site_map_can_be_switched_off(tmp_path: Path) -> None:
    config = write_site(tmp_path, PAGES, plugins=[{"parole": {"site_map": False}}])
    site = build_site(config, tmp_path / "site")
    assert not (site / "plan-du-site").exists()
    assert "plan-du-site" not in _read(site, "index.html")


def test_site_map_follows_the_language(tmp_path: Path) -> None:
    config = write_site(tmp_path, PAGES, theme={"name": "parole", "language": "en"})
    site = build_site(config, tmp_path / "site")
    assert "Site map" in _read(site, "site-map/index.html")


def test_a_missing_footer_page_stops_a_strict_build_and_says_how_to_fix(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = write_site(tmp_path, PAGES)
    (tmp_path / "docs" / "accessibilite.md").unlink()
    with pytest.raises(Abort):
        build_site(config, tmp_path / "site")
    message = "\n".join(record.getMessage() for record in caplog.records)
    assert "plugins.parole.accessibility_page vaut « accessibilite.md »" in message
    assert 'mettez `""` pour ne pas afficher ce lien' in message


def test_footer_links_point_at_the_configured_pages(tmp_path: Path) -> None:
    pages = {**PAGES, "contact/aide-humaine.md": "# Aide\n\nAu guichet.\n"}
    config = write_site(tmp_path, pages, plugins=[{"parole": {
        "help_page": "contact/aide-humaine.md", "privacy_page": ""}}])
    (tmp_path / "docs" / "confidentialite.md").unlink()
    site = build_site(config, tmp_path / "site")
    footer = re.search(r"<footer.*?</footer>", _read(site, "index.html"), re.S)
    assert footer is not None
    assert 'href="contact/aide-humaine/"' in footer.group(0)
    assert 'href="accessibilite/"' in footer.group(0)
    assert "confidentialite" not in footer.group(0)


def test_header_shows_the_consultation_and_its_organizer(tmp_path: Path) -> None:
    config = write_site(tmp_path, PAGES, plugins=[{"parole": {
        "title": "Le jardin des Tilleuls",
        "organizer": {"name": "Ville de Belval", "phone": "01 84 60 12 34",
                      "email": "jardin@belval.example", "address": "1 place de la Mairie"}}}])
    page = _read(build_site(config, tmp_path / "site"), "index.html")
    assert "Le jardin des Tilleuls" in page and "Ville de Belval" in page
    assert 'href="tel:+33184601234"' in page
    assert 'href="mailto:jardin@belval.example"' in page
    assert "1 place de la Mairie" in page


def test_the_title_defaults_to_the_site_name(tmp_path: Path) -> None:
    page = _read(build_site(write_site(tmp_path, PAGES), tmp_path / "site"), "index.html")
    assert "Consultation de test" in page


def test_a_language_without_strings_is_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = write_site(tmp_path, PAGES, theme={"name": "parole", "language": "de"})
    with pytest.raises(Abort):
        build_site(config, tmp_path / "site")
    assert any("theme.language is 'de'" in record.getMessage() for record in caplog.records)
    site = build_site(config, tmp_path / "lenient", strict=False)
    assert 'lang="de"' in _read(site, "index.html")


def test_unknown_page_type_names_file_line_and_choices(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pages = {**PAGES, "faq.md": "---\ntitle: Q\ntype: faqs\n---\n# Q\n\n## A ?\n\nB.\n"}
    with pytest.raises(Abort):
        build_site(write_site(tmp_path, pages), tmp_path / "site")
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("faq.md:3: [type] type de page inconnu « faqs »" in e and "types : faq" in e
               for e in errors)


def test_every_problem_is_reported_before_aborting(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pages = {**PAGES, "a.md": "---\ntype: x\n---\n# A\n", "b.md": "---\ntype: y\n---\n# B\n"}
    with pytest.raises(Abort):
        build_site(write_site(tmp_path, pages), tmp_path / "site")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "2 problèmes de contenu" in text and "a.md:2" in text and "b.md:2" in text


def test_a_rebuild_starts_from_a_clean_state(tmp_path: Path) -> None:
    """``mkdocs serve`` keeps plugin instances across rebuilds: a fixed error must go away."""
    pages = {**PAGES, "a.md": "---\ntype: wrong\n---\n# A\n"}
    config_file = write_site(tmp_path, pages)
    config = load_config(str(config_file), strict=True, site_dir=str(tmp_path / "site"))
    with pytest.raises(Abort):
        mkdocs_build(config)
    (tmp_path / "docs" / "a.md").write_text("# A\n\nCorrigé.\n", encoding="utf-8")
    mkdocs_build(config)
    faq_extensions = [e for e in config.markdown_extensions if type(e).__name__ == "FaqExtension"]
    assert len(faq_extensions) == 1


def test_a_faq_question_without_answer_is_reported_with_its_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pages = {**PAGES, "faq.md": "---\ntype: faq\n---\n# Q\n\n## Qui ?\n\nTous.\n\n## Quand ?\n"}
    with pytest.raises(Abort):
        build_site(write_site(tmp_path, pages), tmp_path / "site")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "faq.md:10: la question « Quand ? » n'a pas de réponse" in text


@pytest.mark.parametrize(("language", "said"), [
    ("fr", ["parole a trouvé 1 problème de configuration à corriger :",
            "mkdocs.yml: [theme.stylesheet] theme.stylesheet vaut « external »",
            "Pour corriger : écrivez l'une de ces valeurs : inline, link"]),
    ("en", ["parole found 1 configuration problem to fix:",
            "mkdocs.yml: [theme.stylesheet] theme.stylesheet is 'external'",
            "How to fix: write one of: inline, link"])])
def test_an_unknown_stylesheet_mode_is_a_configuration_error_in_the_sites_language(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, language: str, said: list[str]
) -> None:
    config = write_site(tmp_path, PAGES, theme={"name": "parole", "stylesheet": "external",
                                                "language": language})
    with pytest.raises(Abort):
        build_site(config, tmp_path / "site")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert [line for line in said if line not in text] == []


def test_mkdocs_locale_option_cannot_break_a_strict_build(tmp_path: Path) -> None:
    """MkDocs' Babel lookup would warn that the theme has no .mo file for the locale."""
    theme = {"name": "parole", "language": "en", "locale": "fr"}
    site = build_site(write_site(tmp_path, PAGES, theme=theme), tmp_path / "site")
    assert 'lang="en"' in _read(site, "index.html")


@pytest.mark.parametrize(("stylesheet", "published"), [("inline", False), ("link", True)])
def test_only_theme_files_a_page_loads_are_published(
    tmp_path: Path, stylesheet: str, published: bool
) -> None:
    config = write_site(tmp_path, PAGES, theme={"name": "parole", "stylesheet": stylesheet})
    site = build_site(config, tmp_path / "site")
    assert (site / "assets" / "parole.css").exists() is published
    assert not (site / "components").exists()
    assert not list(site.rglob("*.yml"))


@pytest.mark.parametrize(("theme", "computed"), [("parole", True), ("mkdocs", False)])
def test_the_local_navigation_is_worked_out_only_for_parole_s_theme(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, theme: str, computed: bool
) -> None:
    """Only parole's templates show it: other themes do not pay for it on every page."""
    calls: list[str] = []
    real = navigation.local_nav

    def counting(*args: object, **kwargs: object) -> object:
        calls.append("called")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(navigation, "local_nav", counting)
    config = write_site(tmp_path, PAGES, theme={"name": theme, "language": "fr"})
    build_site(config, tmp_path / "site", strict=False)
    assert bool(calls) is computed
