"""The open data's files (site_builder/results/open_data.py): what each holds, that no count
the results page would not show is in them, that only approved quotes are, that a spreadsheet
runs none of their text, that the same results give the same bytes, and the folder's name in
the site's language. The data package and its validation: tests/test_open_data_package.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from site_builder.i18n import Catalogue
from site_builder.results.file import results_data, write_results
from site_builder.results.open_data import (
    DEFAULT_LICENCE,
    LICENCES,
    folder_name,
    form_files,
    open_data_url,
    write_open_data,
)
from site_builder.results.open_data_tables import NEUTRALISED_STARTS, neutralised, percent, tables
from tests.open_data_support import (
    FORMULA_QUOTES,
    MIN_COUNT,
    assert_bytes_golden,
    empty_results,
    place_results,
    read_csv,
    site_info,
    write,
)

FILES = ["avis-participation.csv", "avis-questions.csv", "avis-moderation.csv",
         "avis-quotes.csv", "avis.json", "velo-participation.csv", "velo-questions.csv",
         "velo-moderation.csv", "velo-quotes.csv", "velo.json", "LISEZMOI.txt",
         "datapackage.json"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write(tmp_path)
    return tmp_path / "donnees"


def test_every_file_is_written_in_the_french_folder(tmp_path: Path) -> None:
    written = write(tmp_path)
    assert written == [tmp_path / "donnees" / name for name in FILES]
    assert sorted(path.name for path in (tmp_path / "donnees").iterdir()) == sorted(FILES)


@pytest.mark.parametrize("name", [name for name in FILES if name != "avis.json"])
def test_the_files_match_their_goldens(folder: Path, name: str,
                                       request: pytest.FixtureRequest) -> None:
    assert_bytes_golden(f"fr/{name}", (folder / name).read_bytes(), request)


def test_csv_files_are_utf8_with_a_bom_crlf_and_a_header(folder: Path) -> None:
    for path in folder.glob("*.csv"):
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), path.name
        assert data.endswith(b"\r\n"), path.name
        if path.name != "avis-quotes.csv":  # a quote's own line break stays inside its quotes
            assert b"\n" not in data.replace(b"\r\n", b""), path.name
    assert read_csv(folder / "avis-participation.csv")[0] == {
        "kind": "total", "key": "answers", "label": "Toutes les réponses", "count": "42",
        "protected": "", "note": ""}


def test_participation_counts_every_channel_and_every_day(folder: Path) -> None:
    rows = read_csv(folder / "avis-participation.csv")
    assert [(row["kind"], row["key"], row["count"], row["protected"]) for row in rows] == [
        ("total", "answers", "42", ""),
        ("channel", "online", "31", ""), ("channel", "paper", "", "hidden"),
        ("channel", "assisted", "", "small"),
        ("day", "2027-02-01", "12", ""), ("day", "2027-02-02", "", "small"),
        ("day", "2027-02-03", "20", ""), ("day", "2027-02-04", "", "small"),
        ("day", "2027-02-05", "7", "")]
    assert rows[3]["note"] == "moins de 5"
    assert rows[2]["note"] == "masqué pour qu\u2019on ne puisse pas en déduire un nombre plus petit"


def test_questions_give_each_option_then_the_answers_without_one(folder: Path) -> None:
    rows = read_csv(folder / "avis-questions.csv")
    usages = [row for row in rows if row["question_id"] == "usages"]
    assert [(row["row"], row["option_value"], row["count"], row["percent"]) for row in usages] \
        == [("option", "marche", "22", "52.4"), ("option", "passage", "15", "35.7"),
            ("option", "'+65", "", ""), ("option", "terrasse", "11", "26.2"),
            ("skipped", "", "", ""), ("blank", "", "", ""), ("spoiled", "", "", "")]
    assert {row["question_type"] for row in usages} == {"choices"}
    old = next(row for row in rows if row["option_value"] == "6")
    assert (old["option_label"], old["protected"]) == ("", "small")  # no longer offered
    assert [row["option_label"] for row in usages[-3:]] == [
        "Sans réponse", "Sans réponse (case vide sur papier)", "Illisible ou nul (sur papier)"]


def test_percentages_are_of_every_answer_one_decimal_halves_up() -> None:
    assert percent(1, 8) == "12.5"
    assert percent(1, 16) == "6.3"  # 6.25: a float would give 6.2
    assert percent(42, 42) == "100.0"
    assert percent("small", 42) is None
    assert percent(0, 0) is None


def test_moderation_gives_every_figure_and_every_reason(folder: Path) -> None:
    rows = read_csv(folder / "avis-moderation.csv")
    assert [(row["figure"], row["reason"], row["count"], row["protected"]) for row in rows] == [
        ("answered", "", "40", ""), ("consented", "", "30", ""), ("not_consented", "", "10", ""),
        ("approved", "", "22", ""), ("rejected", "off-topic", "6", ""),
        ("rejected", "personal data", "", "small"), ("rejected", "insulting", "", "small"),
        ("rejected", "duplicate", "", "small"), ("rejected", "other", "", "small"),
        ("to_moderate", "", "", "small")]
    assert rows[4]["label"] == "Écartées\u00a0: hors sujet"
    assert read_csv(folder / "velo-moderation.csv") == []  # a form without free text


def _numbers(data: Any, key: str = "") -> list[tuple[str, int]]:
    """Every whole number of a JSON document, with the key it is under."""
    if isinstance(data, dict):
        return [found for name, value in data.items() for found in _numbers(value, name)]
    if isinstance(data, list):
        return [found for value in data for found in _numbers(value, key)]
    return [(key, data)] if isinstance(data, int) and not isinstance(data, bool) else []


TOTALS = {"answers", "answered"}
"""Exact totals: every answer of the form; every answer with text for a free-text question.
Breakdowns of them are protected, they are not (as on the results page)."""


def test_no_published_count_is_below_min_count_except_totals(folder: Path) -> None:
    for path in folder.glob("*.csv"):
        for row in read_csv(path):
            if "count" not in row:
                continue
            total = row.get("kind") == "total" or row.get("figure") == "answered"
            assert (row["count"] == "") == (row["protected"] != "") == (row["note"] != "")
            if row["count"] and not total:
                assert int(row["count"]) >= MIN_COUNT, (path.name, row)
            if "percent" in row and not row["count"]:
                assert row["percent"] == ""
    for path in folder.glob("*.json"):
        if path.name == "datapackage.json":
            continue
        for key, number in _numbers(json.loads(path.read_text(encoding="utf-8"))):
            if key not in {*TOTALS, "format", "min_count"}:
                assert number >= MIN_COUNT, (path.name, key, number)


def test_quotes_are_exactly_the_results_files_approved_quotes(folder: Path) -> None:
    rows = read_csv(folder / "avis-quotes.csv")
    restored = [(row["question_id"], row["theme"] or None, row["text"][1:]
                 if row["text"].startswith("'") else row["text"]) for row in rows]
    assert restored == [(quote.question, quote.theme, quote.text)
                        for quote in place_results().quotes]
    assert {row["question_label"] for row in rows} == {"Une idée pour la place ?"}
    assert read_csv(folder / "velo-quotes.csv") == []


def test_text_a_spreadsheet_would_run_gets_a_quote_mark_that_can_be_undone(
        folder: Path) -> None:
    texts = {row["text"] for row in read_csv(folder / "avis-quotes.csv")}
    for quote in FORMULA_QUOTES:
        assert "'" + quote in texts
    assert "Des bancs à l\u2019ombre, près de la fontaine." in texts  # other text as it is
    assert all(text[:1] not in NEUTRALISED_STARTS - {"'"} for text in texts)
    labels = {row["option_label"] for row in read_csv(folder / "avis-questions.csv")}
    assert "'+ de 65 ans" in labels  # an organizer's label too: Excel would read a formula
    assert neutralised("'=1") == "''=1" and neutralised("l'=1") == "l'=1"
    quotes = json.loads((folder / "avis.json").read_text(encoding="utf-8"))["quotes"]
    assert [quote["text"] for quote in quotes][3:] == list(FORMULA_QUOTES)  # JSON: exact


def test_the_json_file_is_the_results_file(tmp_path: Path, folder: Path) -> None:
    written = write_results(place_results(), tmp_path / "docs")
    assert (folder / "avis.json").read_bytes() == written.read_bytes()


def test_the_json_file_publishes_only_reviewed_keys() -> None:
    """A key added to the results file would be published with it: decide, then add it here
    and to docs/open-data.md."""
    data = results_data(place_results())
    assert list(data) == ["format", "form", "title", "computed_at", "checkpoint", "min_count",
                          "answers", "per_channel", "per_day", "questions", "free_text",
                          "quotes", "publish_consent", "closes"]
    assert list(data["questions"][0]) == ["id", "label", "type", "options", "skipped",
                                          "blank", "spoiled"]
    assert list(data["questions"][0]["options"][0]) == ["value", "label", "count"]
    assert list(data["free_text"][0]) == ["id", "label", "answered", "consented",
                                          "not_consented", "approved", "rejected",
                                          "to_moderate"]
    assert list(data["quotes"][0]) == ["question", "text", "theme"]


def test_the_same_results_give_the_same_bytes(tmp_path: Path) -> None:
    write(tmp_path / "one")
    write(tmp_path / "two", [empty_results(), place_results()])  # order given does not matter
    one, two = tmp_path / "one" / "donnees", tmp_path / "two" / "donnees"
    for name in FILES:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


@pytest.mark.parametrize(("language", "folder_words", "readme", "note"), [
    ("fr", "donnees", "LISEZMOI.txt", "moins de 5"),
    ("fr-BE", "donnees", "LISEZMOI.txt", "moins de 5"),
    ("en", "data", "README.txt", "fewer than 5"),
    ("ar", "data", "README.txt", "أقل من 5"),
])
def test_the_folder_and_words_follow_the_sites_language(
        tmp_path: Path, language: str, folder_words: str, readme: str, note: str) -> None:
    catalogue = Catalogue.for_language(language)
    assert folder_name(catalogue) == folder_words
    assert open_data_url(catalogue) == folder_words + "/"
    written = write(tmp_path, language=language)
    assert {path.parent for path in written} == {tmp_path / folder_words}
    assert (tmp_path / folder_words / readme).is_file()
    notes = {row["note"] for row in read_csv(tmp_path / folder_words / "avis-participation.csv")}
    assert note in notes
    # Names, columns and machine values do not change with the language.
    assert read_csv(tmp_path / folder_words / "avis-participation.csv")[1]["key"] == "online"


def test_form_files_link_every_file_of_a_form(folder: Path) -> None:
    links = form_files(place_results(), Catalogue.for_language("fr"))
    assert [url for url, _ in links] == [
        "donnees/avis-participation.csv", "donnees/avis-questions.csv",
        "donnees/avis-moderation.csv", "donnees/avis-quotes.csv", "donnees/avis.json"]
    assert links[0][1] == "Participation\u00a0: Votre avis sur la place"
    for url, _ in links:
        assert (folder.parent / url).is_file()
    assert form_files(empty_results(), Catalogue.for_language("en"))[4] == (
        "data/velo.json", "Every result, as JSON: velo")  # no title: the form's id


def test_no_results_no_folder(tmp_path: Path) -> None:
    assert write(tmp_path, []) == []
    assert not (tmp_path / "donnees").exists()


def test_an_unknown_licence_is_refused(tmp_path: Path) -> None:
    assert DEFAULT_LICENCE in LICENCES
    with pytest.raises(ValueError, match=r"etalab-2\.0, odbl-1\.0"):
        write_open_data(tmp_path, [place_results()], licence="cc-by", site=site_info(),
                        catalogue=Catalogue.for_language("fr"), site_url=None)


def test_every_file_and_column_is_documented() -> None:
    docs = (Path(__file__).parents[1] / "docs" / "open-data.md").read_text(encoding="utf-8")
    for table in tables(place_results(), Catalogue.for_language("en")):
        assert f"**`<form>-{table.name}.csv`**" in docs, table.name
        section = docs.split(f"**`<form>-{table.name}.csv`**")[1].split("**`<form>-")[0]
        for column in table.columns:
            assert f"| `{column.name}` |" in section, (table.name, column.name)
    for value in (*LICENCES, "LISEZMOI.txt", "README.txt", "datapackage.json",
                  "frictionless validate datapackage.json"):
        assert value in docs, value
