"""The page explaining the public journal of answers, and the verifier the build publishes beside
it (issue #19, point 2): one page per language in the journal's folder, its links and command
leading to the root's journal, readable, accessible; the organizer's own page or ``journal:
false`` respected."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import markdown
import pytest

from site_builder.i18n import Catalogue
from site_builder.journal_page import (
    journal_from_page,
    journal_page_markdown,
    journal_url,
    verifier_command,
)
from site_builder.journal_verifier import VERIFIER_FILE
from site_builder.plain_language import TARGETS, analyse_markdown
from tests.pa11y_support import describe_failures, require_tools, run_pa11y_ci
from tests.support import assert_golden, build_site, serve_site, write_site

SITE_URL = "https://consultation.example.org/belval/"
FORM = """# Donner mon avis

```form
id: avis-jardin
title: Votre avis
fields:
  - id: envie
    type: choice
    label: Voulez-vous jardiner ?
    options:
      - {value: oui, label: Oui}
      - {value: non, label: Non}
```
"""
PAGES = {"index.md": "# Accueil\n\nBienvenue.\n", "index.en.md": "# Home\n\nWelcome.\n",
         "avis.md": FORM}
MAIN = re.compile(r"<main\b.*?</main>", re.DOTALL)
HREF = re.compile(r'href="([^"#]+)"')


def _build(folder: Path, pages: dict[str, str] = PAGES, **parole: object) -> Path:
    config = write_site(folder, pages, site_url=SITE_URL,
                        plugins=[{"parole": {"languages": ["fr", "ar", "en"], **parole}}])
    return build_site(config, folder / "site")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("journal-page"))


def _main(site_dir: Path, page: str) -> str:
    found = MAIN.search((site_dir / page).read_text(encoding="utf-8"))
    assert found, page
    return found.group(0)


@pytest.mark.parametrize(("page", "golden"), [
    ("journal/index.html", "journal-page-fr.html"),
    ("ar/journal/index.html", "journal-page-ar.html"),
    ("en/journal/index.html", "journal-page-en.html"),
])
def test_each_language_has_its_page_in_its_journal_folder(
    site: Path, page: str, golden: str, request: pytest.FixtureRequest
) -> None:
    assert_golden(golden, _main(site, page) + "\n", request)


def test_the_verifier_is_published_once_byte_for_byte(site: Path) -> None:
    assert (site / "journal" / "parole_verifier.py").read_bytes() == VERIFIER_FILE.read_bytes()
    assert not (site / "ar" / "journal" / "parole_verifier.py").exists()
    assert not (site / "en" / "journal" / "parole_verifier.py").exists()


@pytest.mark.parametrize("page", ["journal/index.html", "ar/journal/index.html"])
def test_every_page_links_to_the_root_journal_and_gives_its_address(site: Path,
                                                                    page: str) -> None:
    main = _main(site, page)
    folder = PurePosixPath(page).parent
    targets = {str(PurePosixPath(*_normal(folder / href))) for href in HREF.findall(main)}
    assert targets == {"journal/parole_verifier.py", "journal/key.txt"}
    assert (site / "journal" / "parole_verifier.py").is_file()
    assert f"--journal {SITE_URL}journal/ --index" in main


def _normal(path: PurePosixPath) -> list[str]:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return parts


def test_the_page_is_not_in_the_menu_nor_the_low_data_edition(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "journal/" not in home
    edition = (site / "consultation-hors-ligne.html").read_text(encoding="utf-8")
    assert "journal public" not in edition


def test_the_organizers_own_page_is_kept(tmp_path: Path) -> None:
    own = {**PAGES, "journal.md": "# Notre journal\n\nNos mots à nous.\n"}
    built = _build(tmp_path, own, languages=["fr"])
    assert "Nos mots à nous." in _main(built, "journal/index.html")
    assert "journal public des réponses" not in _main(built, "journal/index.html")
    assert (built / "journal" / "parole_verifier.py").is_file()


def test_journal_false_writes_neither_page_nor_verifier(tmp_path: Path) -> None:
    built = _build(tmp_path, journal=False)
    assert (built / "avis" / "index.html").is_file()
    assert not (built / "journal").exists()
    assert not (built / "ar" / "journal").exists()


def test_a_site_without_a_form_has_no_journal(tmp_path: Path) -> None:
    shown = "# Un formulaire\n\n````markdown\n```form\nid: exemple\n```\n````\n"
    built = _build(tmp_path, {"index.md": "# Accueil\n\nBienvenue.\n", "doc.md": shown})
    assert (built / "doc" / "index.html").is_file()
    assert not (built / "journal").exists()
    assert not (built / "ar" / "journal").exists()


def test_without_the_sites_address_the_command_says_what_to_write() -> None:
    page = markdown.markdown(journal_page_markdown(Catalogue.for_language("fr"), to_journal="",
                                                   address=None))
    assert "--journal ADRESSE --index NUMÉRO --leaf-hash EMPREINTE" in page
    assert "Remplacez ADRESSE par l\u2019adresse du site, suivie de journal/." in page


def test_a_receipts_values_fill_the_command() -> None:
    command = verifier_command(Catalogue.for_language("en"), "https://x.example/journal/",
                               index="1234", leaf_hash="ab" * 32, key="x.example/journal+01+AA")
    assert command == ("python3 parole_verifier.py --journal https://x.example/journal/ "
                       "--key 'x.example/journal+01+AA' --index 1234 --leaf-hash " + "ab" * 32)


@pytest.mark.parametrize(("site_url", "address"), [
    (None, None), ("", None),
    ("https://c.example", "https://c.example/journal/"),
    ("https://c.example/belval/", "https://c.example/belval/journal/"),
    ("https://c.example/belval", "https://c.example/belval/journal/"),
])
def test_the_journals_address_is_under_the_sites(site_url: str | None,
                                                 address: str | None) -> None:
    assert journal_url(site_url) == address


@pytest.mark.parametrize(("page", "link"), [
    ("journal/", ""), ("journal/index.html", ""),
    ("ar/journal/", "../../journal/"), ("ar/journal/index.html", "../../journal/"),
])
def test_a_page_links_to_the_journal_folder_relatively(page: str, link: str) -> None:
    assert journal_from_page(page) == link


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_page_reaches_the_readability_target(language: str) -> None:
    markdown = journal_page_markdown(Catalogue.for_language(language), to_journal="",
                                     address=SITE_URL + "journal/")
    measured = analyse_markdown(markdown, language, TARGETS["default"])
    assert not measured.below_target, measured.score
    assert not [sentence for sentence in measured.flagged
                if any(signal.kind == "long_sentence" for signal in sentence.signals)]


@pytest.mark.pa11y
def test_the_pages_pass_pa11y(site: Path, tmp_path: Path) -> None:
    require_tools(pa11y=True)
    pages = ["journal/", "ar/journal/", "en/journal/"]
    with serve_site(site) as base_url:
        reports = run_pa11y_ci([base_url + page for page in pages], tmp_path)
    assert not [report for report in reports.values() if report.failed], describe_failures(
        list(reports.values()), lambda url: url)
