"""Plain language in a real build: ``readability.json`` beside ``page-weight.json`` (stable,
sorted, gzipped with the site), the table after the page-weight one, a page below its target
a warning that a strict build lets through unless ``plain_language.strict: true``, the front
matter's ``plain_language:`` (``falc``, ``false``, anything else an error at its line), and the
example consultation, whose every page reaches the default target."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort

from site_builder.readability_report import REPORT_NAME
from tests.support import build_site, write_site

EASY = "# Le marché\n\nLe marché a lieu le samedi matin.\nVenez avec vos voisins.\n"
HARD = ("# Le projet\n\nLa réhabilitation patrimoniale de la place nécessite une concertation "
        "institutionnelle approfondie, associant les administrations départementales, "
        "régionales et intercommunales concernées par l'aménagement.\n")
PAGES = {"index.md": EASY, "projet.md": HARD,
         "facile.md": "---\nplain_language: falc\n---\n" + EASY,
         "mentions.md": "---\nplain_language: false\n---\n" + HARD}


def site(folder: Path, pages: dict[str, str] | None = None, **options: Any) -> Path:
    return write_site(folder, PAGES if pages is None else pages,
                      plugins=[{"parole": {"low_data": False, **options}}])


def report(site_dir: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((site_dir / REPORT_NAME).read_text(encoding="utf-8"))
    return document


def test_the_report_lists_every_page_sorted_and_stays_the_same(tmp_path: Path) -> None:
    config = site(tmp_path)
    first = build_site(config, tmp_path / "one")
    again = build_site(config, tmp_path / "two")
    assert (first / REPORT_NAME).read_bytes() == (again / REPORT_NAME).read_bytes()
    assert (first / f"{REPORT_NAME}.gz").is_file()
    data = report(first)
    assert data["version"] == 1
    assert set(data["targets"]) == {"default", "falc"}
    pages = {page["source"]: page for page in data["pages"]}
    assert list(pages) == sorted(pages)
    assert {"index.md", "projet.md", "facile.md", "aide.md"} <= set(pages)
    assert data["skipped"] == ["mentions.md"]
    assert (pages["facile.md"]["target"], pages["index.md"]["target"]) == ("falc", "default")
    assert (pages["projet.md"]["path"], pages["projet.md"]["url"]) == (
        "projet/index.html", "/projet/")
    hard = pages["projet.md"]
    assert hard["below_target"] is True
    assert data["totals"]["below_target"] == ["projet.md"]
    (flagged,) = hard["flagged"]
    assert flagged["line"] == 3
    assert "long_sentence" in {signal["kind"] for signal in flagged["signals"]}
    assert pages["index.md"]["below_target"] is False
    assert pages["index.md"]["flagged"] == []


def test_a_page_below_its_target_is_a_warning_a_strict_build_lets_through(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The site is French (the theme's default language): so is its build's log."""
    caplog.set_level(logging.INFO, logger="mkdocs")
    build_site(site(tmp_path), tmp_path / "site")  # strict: no Abort
    messages = [record.getMessage() for record in caplog.records]
    weight = next(index for index, text in enumerate(messages)
                  if text.startswith("Poids des pages"))
    table = next(index for index, text in enumerate(messages)
                 if text.startswith("Lisibilité des pages"))
    assert weight < table, "the readability table comes after the page-weight one"
    lines = messages[table].splitlines()
    assert lines[1].split() == ["page", "langue", "score", "cible", "phrases", "à", "simplifier"]
    assert [line.split()[0] for line in lines[2:-1]] == [
        "accessibilite.md", "aide.md", "confidentialite.md", "facile.md", "index.md",
        "projet.md", "mentions.md"]
    assert any(line.startswith("projet.md") and line.endswith("sous la cible") for line in lines)
    assert lines[-2].startswith("mentions.md") and lines[-2].endswith("par son en-tête")
    assert lines[-1].startswith("pages mesurées : 6 ; sous leur cible : 1 ; ")
    (warning,) = [record for record in caplog.records if "sous sa cible" in record.getMessage()]
    assert (warning.levelname, warning.levelno) == ("WARNING", logging.WARNING - 5)
    assert warning.getMessage().startswith("projet.md a un score de lisibilité de ")
    assert warning.getMessage().endswith(
        "Pour voir quelles phrases simplifier, et pourquoi : parole readability docs/projet.md")


def test_strict_true_makes_it_stop_a_strict_build(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(Abort, match="strict mode"):
        build_site(site(tmp_path, plain_language={"strict": True}), tmp_path / "site")
    assert [record.levelno for record in caplog.records
            if "sous sa cible" in record.getMessage()] == [logging.WARNING]


def test_the_sites_options_set_the_target(tmp_path: Path) -> None:
    config = site(tmp_path, {"index.md": EASY},
                  plain_language={"max_words": 4, "min_score": 10})
    data = report(build_site(config, tmp_path / "site"))
    assert data["targets"]["default"] == {"max_words": 4, "min_score": 10.0}
    assert data["targets"]["falc"]["max_words"] <= 4
    index = next(page for page in data["pages"] if page["source"] == "index.md")
    assert [sentence["line"] for sentence in index["flagged"]] == [3]  # 7 words; 4 words: not


def test_an_unknown_target_is_an_error_at_its_line(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    pages = {"index.md": "---\ntitle: Accueil\nplain_language: simple\n---\n" + EASY}
    with pytest.raises(Abort):
        build_site(site(tmp_path, pages), tmp_path / "site", strict=False)
    errors = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    assert ("index.md:3: [plain_language] `plain_language` vaut 'simple' : parole ne connaît "
            "pas cette cible") in errors


def test_turned_off_no_report(tmp_path: Path) -> None:
    built = build_site(site(tmp_path, plain_language={"enabled": False}), tmp_path / "site")
    assert not (built / REPORT_NAME).exists()


def test_mkdocs_build_strict_says_warning_and_succeeds(tmp_path: Path) -> None:
    """MkDocs' own command, its own formatter: the page below its target reads WARNING."""
    config = site(tmp_path, {"index.md": HARD})
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                           str(config)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300, check=False, env={"PATH": "/usr/bin:/bin",
                                                         "LANG": "C.UTF-8"})
    assert done.returncode == 0, done.stderr
    assert "WARNING -  index.md a un score de lisibilité de " in done.stderr


def test_every_page_of_the_example_reaches_the_default_target(example_site: Path) -> None:
    data = report(example_site)
    assert data["totals"]["below_target"] == []
    assert data["skipped"] == []
    assert {page["source"] for page in data["pages"]} >= {
        "index.md", "faq.md", "donner-mon-avis.md", "aide.md", "explications/budget.md"}
