"""``parole results`` as a process, on SQLite and PostgreSQL: the figures, their protection,
the days (a paper sheet on the day it was collected), nothing but aggregates in the file, the
file recomputed after a paper batch, the site's configuration, and the command's messages."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from site_builder.results.command import ResultsCommandError, computation_time
from site_builder.storage import open_storage
from tests.import_support import csv_file
from tests.results_command_support import (
    FORM_ID,
    PAROLE,
    fill,
    idea,
    parole,
    results,
    site_folder,
    written,
)

EVERY_DAY = [f"2025-03-{day:02d}" for day in range(1, 11)]


def test_every_figure_counted_exactly_with_min_count_1(storage_url: str, tmp_path: Path) -> None:
    fill(storage_url)
    site = site_folder(tmp_path / "site", min_count=1)
    done = results(storage_url, site)
    assert (done.returncode, done.stderr) == (0, "")
    no_log, how_to, *counted = done.stdout.splitlines()
    assert no_log.startswith("The answer log has no signed checkpoint in this database: every "
                             "counted answer is counted")
    assert how_to == ("    How to fix: sign the log first (parole log checkpoint --key FILE; "
                      "parole collect --log-key FILE signs it at the close), then run parole "
                      "results again")
    assert counted == [
        "atelier: 25 answers counted (online 25, paper 0, assisted 0); results written to "
        "docs/parole-results/atelier.json",
        "budget: 26 answers counted (online 20, paper 5, assisted 1); results written to "
        "docs/parole-results/budget.json"]
    data = written(site)
    assert (data["form"], data["title"], data["min_count"], data["answers"]) == (
        FORM_ID, "Le budget du quartier", 1, 26)
    assert (data["format"], data["checkpoint"]) == (2, None)
    assert data["per_channel"] == {"online": 20, "paper": 5, "assisted": 1}
    # Paris days: two answers sent at 23:30 UTC on the 3rd count on the 4th; the paper batch,
    # typed in on the 12th, on the 5th when it was collected; every day of the consultation.
    assert data["per_day"] == dict(zip(EVERY_DAY, [0, 12, 6, 3, 5, 0, 0, 0, 0, 0], strict=True))
    questions = {question["id"]: question for question in data["questions"]}
    assert list(questions) == ["quartier", "services", "accord"]
    assert _figures(questions["quartier"]) == (
        {"nord": 13, "sud": 4, "centre": 6}, {"skipped": 2, "blank": 0, "spoiled": 1})
    assert _figures(questions["services"]) == (
        {"a": 18, "b": 13, "c": 1}, {"skipped": 2, "blank": 4, "spoiled": 0})
    assert _figures(questions["accord"]) == (
        {"1": 6, "2": 5, "3": 12}, {"skipped": 2, "blank": 1, "spoiled": 0})
    assert [option["label"] for option in questions["quartier"]["options"]] == [
        "NORD", "SUD", "CENTRE"]
    assert data["free_text"] == [{
        "id": "idee", "label": "Votre idée", "answered": 14, "consented": 8,
        "not_consented": 6, "approved": 0,
        "rejected": {"off-topic": 0, "personal data": 0, "insulting": 0, "duplicate": 0,
                     "other": 0},
        "to_moderate": 8}]
    assert (data["quotes"], data["publish_consent"]) == ([], "citation")


def _figures(question: dict[str, object]) -> tuple[dict[str, object], dict[str, object]]:
    options = question["options"]
    assert isinstance(options, list)
    return ({option["value"]: option["count"] for option in options},
            {key: question[key] for key in ("skipped", "blank", "spoiled")})


def test_small_counts_are_protected_and_a_lone_one_hides_another(
        storage_url: str, tmp_path: Path) -> None:
    fill(storage_url)
    site = tmp_path / "site"
    (site / "pages").mkdir(parents=True)
    done = results(storage_url, site, "--docs", "pages")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        "No mkdocs.yml here: counts below 5 (the default results.min_count) are written as "
        "“fewer than 5”.")
    data = written(site, docs="pages")
    assert (data["min_count"], data["answers"]) == (5, 26)  # the total stays exact
    # assisted (1) alone is small: paper (5), the smallest other, is hidden with it
    assert data["per_channel"] == {"online": 20, "paper": "hidden", "assisted": "small"}
    assert data["per_day"] == dict(zip(EVERY_DAY, ["small", 12, 6, "small", 5, *["small"] * 5],
                                       strict=True))
    questions = {question["id"]: question for question in data["questions"]}
    assert _figures(questions["quartier"]) == (
        {"nord": 13, "sud": "small", "centre": 6},
        {"skipped": "small", "blank": "small", "spoiled": "small"})
    assert _figures(questions["accord"]) == (
        {"1": 6, "2": 5, "3": 12}, {"skipped": "small", "blank": "small", "spoiled": "small"})
    (idee,) = data["free_text"]
    assert (idee["answered"], idee["consented"], idee["not_consented"]) == (14, 8, 6)
    assert (idee["approved"], idee["to_moderate"], set(idee["rejected"].values())) == (
        "small", 8, {"small"})
    # online answers only: blank and spoiled, 0 for sure, do not keep jeudi (2) company
    atelier = written(site, "atelier", docs="pages")
    assert atelier["per_channel"] == {"online": 25, "paper": "small", "assisted": "small"}
    assert _figures(atelier["questions"][0]) == (
        {"lundi": 10, "mardi": 7, "jeudi": "small"},
        {"skipped": "hidden", "blank": "small", "spoiled": "small"})


def test_the_file_holds_aggregates_only(storage_url: str, tmp_path: Path) -> None:
    receipts = fill(storage_url)
    site = site_folder(tmp_path / "site", min_count=1)
    assert results(storage_url, site).returncode == 0
    text = (site / "docs" / "parole-results" / f"{FORM_ID}.json").read_text(encoding="utf-8")
    storage = open_storage(storage_url)
    try:
        stored = list(storage.answers(FORM_ID))
    finally:
        storage.close()
    assert len(stored) == 26
    for answer in stored:
        assert answer.receipt not in text
        assert answer.receipt[:4] + "-" + answer.receipt[4:] not in text
    assert "@" not in text and "exemple.fr" not in text
    assert "Idée" not in text and "bancs" not in text
    assert idea(0) not in text and len(receipts["ideas"]) == 12


def test_recomputed_after_a_paper_batch_is_added_the_figures_change(
        storage_url: str, tmp_path: Path) -> None:
    fill(storage_url)
    site = site_folder(tmp_path / "site", min_count=1)
    assert results(storage_url, site, "--form", FORM_ID).returncode == 0
    before = written(site)
    header = ["quartier", "services", "accord", "idee", "email", "citation", "blank", "spoiled"]
    sheets = [["sud", "c", "1", "", "", "", "", ""]] * 6 + [["", "", "", "", "", "", "quartier",
                                                              "accord"]]
    csv_file(site / "lot.csv", [header, *sheets])
    imported = parole("import", FORM_ID, "lot.csv", "--batch-place", "Marché",
                      "--batch-date", "2025-03-06", "--db", storage_url, cwd=site)
    assert imported.returncode == 0, imported.stderr
    again = results(storage_url, site, "--form", FORM_ID)
    assert again.returncode == 0, again.stderr
    assert "budget: 33 answers counted (online 20, paper 12, assisted 1)" in again.stdout
    after = written(site)
    assert (before["answers"], after["answers"]) == (26, 33)
    assert (before["per_channel"]["paper"], after["per_channel"]["paper"]) == (5, 12)
    assert (before["per_day"]["2025-03-06"], after["per_day"]["2025-03-06"]) == (0, 7)
    quartier = {question["id"]: question for question in after["questions"]}["quartier"]
    assert _figures(quartier) == ({"nord": 13, "sud": 10, "centre": 6},
                                  {"skipped": 2, "blank": 1, "spoiled": 1})
    assert after["computed_at"] >= before["computed_at"]
    assert not (site / "docs" / "parole-results" / "atelier.json").exists()  # --form: one


# -- the site's configuration ------------------------------------------------------------------

def test_the_configuration_gives_the_docs_folder_and_min_count(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    fill(url)
    site = site_folder(tmp_path / "site", min_count=3, docs_dir="pages")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = results(url, elsewhere, "--config", "../site/mkdocs.yml", "--form", FORM_ID)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.endswith("\nbudget: 26 answers counted (online 20, paper 5, assisted 1); "
                                "results written to ../site/pages/parole-results/budget.json\n")
    data = written(site, docs="pages")
    assert data["min_count"] == 3
    assert data["per_day"]["2025-03-04"] == 3  # 3 is not below 3
    assert data["per_channel"] == {"online": 20, "paper": "hidden", "assisted": "small"}
    overridden = tmp_path / "other-docs"
    overridden.mkdir()
    assert results(url, site, "--docs", str(overridden), "--form", FORM_ID).returncode == 0
    assert json.loads((overridden / "parole-results" / "budget.json").read_text())[
        "min_count"] == 3


@pytest.mark.parametrize(("value", "shown"), [("0", "0"), ("five", "'five'"), ("true", "True"),
                                              ("2.5", "2.5")])
def test_a_wrong_min_count_names_the_file_line_and_field(tmp_path: Path, value: str,
                                                         shown: str) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    fill(url)
    site = site_folder(tmp_path / "site", min_count=value)
    done = results(url, site)
    assert done.returncode == 1
    assert done.stderr.startswith("Error: parole found 1 configuration problem to fix:\n"
                                  "  1. mkdocs.yml:10: [plugins.parole.results.min_count] "
                                  f"min_count must be a whole number, 1 or more, and is {shown}\n")
    assert "for example `min_count: 5`" in done.stderr
    assert not (site / "docs" / "parole-results").exists()


def test_without_configuration_the_docs_folder_must_be_given(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    fill(url)
    done = results(url, tmp_path)
    assert done.returncode == 1
    assert f"no {tmp_path / 'mkdocs.yml'} here: parole results does not know" in done.stderr
    assert "or --docs with its docs folder" in done.stderr
    missing = results(url, tmp_path, "--config", "site.yml")
    assert missing.returncode == 1 and f"no configuration file {tmp_path / 'site.yml'}" in \
        missing.stderr
    no_docs = results(url, tmp_path, "--docs", "docs")
    assert no_docs.returncode == 1
    assert f"the docs folder {tmp_path / 'docs'} does not exist" in no_docs.stderr


def test_an_unreadable_configuration_is_said_so(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    fill(url)
    (tmp_path / "mkdocs.yml").write_text("plugins: [parole\n", encoding="utf-8")
    done = results(url, tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("Error: parole found 1 configuration problem to fix:\n"
                                  "  1. mkdocs.yml: the configuration cannot be read: ")
    assert "Traceback" not in done.stderr


# -- the command's messages --------------------------------------------------------------------

def test_an_unknown_form_is_named_with_those_the_database_has(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    fill(url)
    site = site_folder(tmp_path / "site")
    done = results(url, site, "--form", "budjet")
    assert done.returncode == 1
    assert done.stderr == ("Error: no form 'budjet' in this database (forms it knows: atelier, "
                           "budget)\n    How to fix: use one of those ids, or point --db at the "
                           "database the collector writes to\n")
    assert not (site / "docs" / "parole-results").exists()


def test_in_french(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    fill(url)
    site = site_folder(tmp_path / "site")
    done = results(url, site, "--form", FORM_ID, lang="fr_FR.UTF-8")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        "Le journal des réponses n'a aucun point de contrôle signé dans cette base : toutes les "
        "réponses qui comptent sont comptées, et le fichier et la page des résultats ne disent "
        "pas de quel état signé du journal public viennent les chiffres.\n"
        "    Pour corriger : signez d'abord le journal (parole log checkpoint --key FICHIER ; "
        "parole collect --log-key FICHIER le signe à la clôture), puis relancez parole results\n"
        "budget : 26 réponses comptées (online 20, paper 5, assisted 1) ; "
        "résultats écrits dans docs/parole-results/budget.json\n")
    unknown = results(url, site, "--form", "budjet", lang="fr_FR.UTF-8")
    assert unknown.stderr.startswith("Erreur : ")


def test_an_empty_database_writes_nothing_and_says_so(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    open_storage(url).close()
    site = site_folder(tmp_path / "site")
    done = results(url, site)
    assert (done.returncode, done.stdout) == (
        0, "No form in this database yet: no results file written.\n")


def test_help(tmp_path: Path) -> None:
    shown = parole("help", "results", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == parole("results", "--help", cwd=tmp_path).stdout
    for option in ("--db", "--docs", "--config", "--form", "min_count", "no receipt code"):
        assert option in shown.stdout


def test_source_date_epoch_dates_the_file_so_the_same_answers_give_the_same_bytes(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    fill(url)
    site = site_folder(tmp_path / "site")
    made = []
    for _run in range(2):
        done = subprocess.run([*PAROLE, "results", "--db", url], cwd=site, capture_output=True,
                              text=True, timeout=120, check=False,
                              env={**os.environ, "LANG": "C.UTF-8",
                                   "PAROLE_BUILD_DATE": "2025-04-01",
                                   "SOURCE_DATE_EPOCH": "1743500000"})
        assert done.returncode == 0, done.stderr
        made.append((site / "docs" / "parole-results" / f"{FORM_ID}.json").read_bytes())
    assert made[0] == made[1]
    assert json.loads(made[0])["computed_at"] == "2025-04-01T09:33:20Z"


@pytest.mark.parametrize("value", ["", "  "])
def test_without_source_date_epoch_the_file_says_when_it_was_computed(value: str) -> None:
    before = datetime.now(UTC)
    assert before <= computation_time({"SOURCE_DATE_EPOCH": value}) <= datetime.now(UTC)


def test_a_wrong_source_date_epoch_says_what_to_write() -> None:
    with pytest.raises(ResultsCommandError, match=r"SOURCE_DATE_EPOCH is '2025-04-01'"):
        computation_time({"SOURCE_DATE_EPOCH": "2025-04-01"})
