"""A ``type: results`` page in a real build (strict mode): what is published, what the page
shows, the problems an organizer can make, mkdocs-material, and the page budget."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from site_builder.results.file import CountedCheckpoint, results_path, write_results
from tests import results_page_support as samples
from tests.support import build_site


@pytest.fixture(autouse=True)
def _after_closing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Built the day the results are due, unless a test says otherwise."""
    monkeypatch.setenv("PAROLE_BUILD_DATE", samples.AFTER)


def _errors(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)


def _html(site: Path, page: str = "resultats/index.html") -> str:
    return (site / page).read_text(encoding="utf-8")


def test_a_results_page_shows_its_form_and_the_file_is_not_published(tmp_path: Path) -> None:
    site = build_site(samples.results_site(tmp_path, samples.protected()), tmp_path / "site")
    html = _html(site)
    main = html.split("<main", 1)[1]
    assert main.index("<h1") < main.index("Merci aux 47 personnes") < main.index("En bref")
    assert main.count('<figure id="') == 4  # per channel, per day, two questions
    assert '<figure id="question-usages" class="p-figure">' in main
    assert not (site / "parole-results").exists()
    assert all("parole-results" not in str(path) for path in site.rglob("*"))
    assert (site / "resultats" / "index.html.gz").is_file()
    # the calendar names no results page: the first type: results page is it
    assert '<a href="resultats/">' in _html(site, "index.html")


def test_the_checkpoint_counted_links_the_sites_journal_page(tmp_path: Path) -> None:
    """Issue #19: the paragraph naming the checkpoint links the build's journal page (here the
    organizer's own journal.md), relative to the results page; a site without one gets none."""
    signed = replace(samples.protected(), checkpoint=CountedCheckpoint(
        "ville.example.fr/journal", 60, bytes(32)))
    config = samples.results_site(tmp_path / "with", signed,
                                  pages={"journal.md": "# Le journal\n\nIci.\n"})
    paragraph = _html(build_site(config, tmp_path / "with" / "site")).split(
        '<p class="p-journal">', 1)[1].split("</p>", 1)[0]
    assert "Le journal a été signé quand il comptait 60\u00a0réponses." in paragraph
    assert paragraph.endswith('<a href="../journal/">Comprendre le journal public, et le '
                              "vérifier vous-même</a>")
    alone = samples.results_site(tmp_path / "without", signed)
    html = _html(build_site(alone, tmp_path / "without" / "site"))
    assert '<p class="p-journal">' in html and 'href="../journal/"' not in html


def test_other_pages_are_unchanged(tmp_path: Path) -> None:
    site = build_site(samples.results_site(tmp_path, samples.protected()), tmp_path / "site")
    assert '<div class="p-results">' not in _html(site, "index.html")


def test_the_results_page_the_calendar_names_is_the_one_linked(tmp_path: Path) -> None:
    other = samples.RESULTS_PAGE.format(form="rues", answers=380)
    config = samples.results_site(tmp_path, samples.protected(),
                                  pages={"bilan/rues.md": other},
                                  parole={"results_page": "bilan/rues.md"})
    write_results(samples.forty_options(), tmp_path / "docs")
    site = build_site(config, tmp_path / "site")
    assert '<a href="bilan/rues/">' in _html(site, "index.html")
    assert '<figure id="question-rue"' in _html(site, "bilan/rues/index.html")
    assert '<figure id="question-usages"' in _html(site)


def test_before_closing_the_page_says_when_and_needs_no_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAROLE_BUILD_DATE", "2027-02-28")
    site = build_site(samples.results_site(tmp_path, None), tmp_path / "site")
    html = _html(site)
    assert ("Les résultats seront publiés sur cette page après la fin de la consultation, le "
            "dimanche 28\u00a0février 2027.") in html
    assert "<figure" not in html


def test_a_rebuild_after_parole_results_shows_the_new_figures(tmp_path: Path) -> None:
    config = samples.results_site(tmp_path, samples.protected())
    build_site(config, tmp_path / "site")
    write_results(samples.quotes(themes=True), tmp_path / "docs")
    html = _html(build_site(config, tmp_path / "site"))
    assert "140\u00a0réponses" in html and "47\u00a0réponses" not in html


DECISIONS = """---
type: results
form: avis
decisions: bilan/decisions.yml
---
# Ce que vous avez dit

Merci.
"""
DECISIONS_FILE = """- title: Des bancs à l'ombre
  status: adopted
  date: 2027-04-12
  reason: Beaucoup l'ont demandé.
  about:
    - question: frequence
- title: Le parking
  status: rejected
  date: 2027-04-12
  reason: Il reste.
"""


def test_decisions_conclude_the_consultation_and_their_file_is_not_published(
        tmp_path: Path) -> None:
    config = samples.results_site(tmp_path, samples.protected(), page=DECISIONS,
                                  pages={"bilan/decisions.yml": DECISIONS_FILE})
    site = build_site(config, tmp_path / "site")
    html = _html(site)
    assert "<li>2\u00a0décisions\u00a0: 1\u00a0adoptée et 1\u00a0non retenue.</li>" in html
    assert '<li><a href="#ce-qui-a-ete-decide">Ce qui a été décidé</a></li>' in html
    assert html.index('id="ce-que-nous-avons-entendu"') < html.index(
        'id="ce-qui-a-ete-decide"') < html.index('id="donnees-ouvertes"')
    assert 'href="#question-frequence"' in html
    assert not (site / "bilan" / "decisions.yml").exists()
    assert "p-status--concluded" in _html(site, "index.html")


def test_the_open_data_is_written_and_linked_from_the_page(tmp_path: Path) -> None:
    site = build_site(samples.results_site(tmp_path, samples.protected()), tmp_path / "site")
    assert "sous la Licence Ouverte 2.0 (Etalab)." in _html(site)
    package = site / "donnees" / "datapackage.json"
    assert package.is_file() and package.with_name("datapackage.json.gz").is_file()
    # Files, never the folder: a static server (nginx, GitHub Pages) shows no page for it.
    section = _html(site).split('id="donnees-ouvertes"', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'<a href="([^"]+)">', section)
    page = site / "resultats"
    assert len(links) == 6 and all(not link.endswith("/") for link in links)
    assert all((page / link).resolve().is_file() for link in links), links
    assert links[-1] == "../donnees/LISEZMOI.txt"


def test_before_closing_no_open_data_is_written(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAROLE_BUILD_DATE", "2027-02-28")
    site = build_site(samples.results_site(tmp_path, samples.protected()), tmp_path / "site")
    assert not (site / "donnees").exists()
    assert 'id="donnees-ouvertes"' not in _html(site) and "donnees/" not in _html(site)


# --- problems ----------------------------------------------------------------------------------

def test_a_results_page_without_form_names_its_type_line(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    page = "---\ntitle: Bilan\ntype: results\n---\n# Bilan\n"
    with pytest.raises(Abort):
        build_site(samples.results_site(tmp_path, samples.protected(), page=page),
                   tmp_path / "site")
    errors = _errors(caplog)
    assert "resultats.md:3: [form] cette page de résultats (`type: results`) ne dit pas" in errors
    assert "form: avis-place" in errors


def test_an_unknown_form_names_the_form_line_and_says_to_run_parole_results(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    page = "---\ntype: results\ntitle: Bilan\nform: avis-rue\n---\n# Bilan\n"
    with pytest.raises(Abort):
        build_site(samples.results_site(tmp_path, samples.protected(), page=page),
                   tmp_path / "site")
    errors = _errors(caplog)
    assert ("resultats.md:4: [form] il n\u2019y a pas de fichier de résultats pour le "
            "questionnaire « avis-rue » (attendu : parole-results/avis-rue.json") in errors
    assert "lancez « parole results » une fois la consultation fermée" in errors


def test_a_form_that_is_not_text_is_reported(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    page = "---\ntype: results\nform: [a, b]\n---\n# Bilan\n"
    with pytest.raises(Abort):
        build_site(samples.results_site(tmp_path, samples.protected(), page=page),
                   tmp_path / "site")
    assert "resultats.md:3: [form] `form:` devrait être" in _errors(caplog)


def test_a_bad_results_file_is_reported_once_with_its_key(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = samples.results_site(tmp_path, samples.protected())
    path = results_path(tmp_path / "docs", "avis")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["per_channel"]["online"] = -3
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(Abort):
        build_site(config, tmp_path / "site")
    errors = _errors(caplog)
    assert "parole-results/avis.json: [per_channel]" in errors
    assert "1 problème de contenu" in errors  # not a second one for the page naming it


def test_the_page_type_results_is_known(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAROLE_BUILD_DATE", "2027-01-10")
    page = "---\ntype: result\nform: avis\n---\n# Bilan\n"
    with pytest.raises(Abort):
        build_site(samples.results_site(tmp_path, None, page=page), tmp_path / "site")
    assert "types : faq, results" in _errors(caplog)


# --- mkdocs-material and the budget ------------------------------------------------------------

def test_mkdocs_material_builds_a_results_page(tmp_path: Path) -> None:
    config = samples.results_site(tmp_path, samples.ten_questions(),
                                  theme={"name": "material", "language": "fr", "font": False},
                                  parole={"page_weight": {"enabled": False}})
    html = _html(build_site(config, tmp_path / "site"))
    assert '<figure id="question-question-1" class="p-figure">' in html
    assert "<summary>Voir les chiffres (tableau)</summary>" in html


THREE_DECISIONS = """---
type: results
form: avis
decisions:
""" + "".join(f"""  - title: Décision numéro {number} sur la place du Marché
    status: {status}
    date: 2027-04-12
    reason: Parce que beaucoup de personnes l'ont demandé, en ligne comme sur papier, et que
      le conseil municipal a voté ce changement le 12 avril.
    about:
      - question: question-{number}
      - theme: Stationnement
      - participation
""" for number, status in ((1, "adopted"), (2, "adapted"), (3, "rejected"))) + """---
# Ce que vous avez dit

Merci aux 1 000 personnes qui ont répondu.
"""


def test_a_ten_question_form_s_results_page_is_within_the_page_budget(tmp_path: Path) -> None:
    """HTML and inline CSS, gzip as sent (page-weight.json), under 14 KiB: with eight closed
    questions of five options, two free-text questions, a dozen quotes, 56 days and three
    decisions (the issue's "Done means")."""
    site = build_site(samples.results_site(tmp_path, samples.ten_questions(),
                                           page=THREE_DECISIONS), tmp_path / "site")
    assert _html(site).count("Décision\u00a0:") == 3
    report = json.loads((site / "page-weight.json").read_text(encoding="utf-8"))
    (weight,) = [item for item in report["pages"] if item["path"] == "resultats/index.html"]
    assert weight["total"] <= report["budget"] == 14 * 1024, weight
    assert weight["js"] + weight["images"] + weight["other"] == 0  # HTML and its inline CSS
