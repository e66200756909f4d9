"""``parole import FORM FILE.csv --batch-place P --batch-date D`` (issue #15, part 4): how the
file is read and checked. Spreadsheets as people save them (semicolons, a BOM, tabs, empty
rows); every problem listed with its row and column, in English or French, and nothing stored.

The round trip with ``parole export``, the command's own checks and the ``parole`` process are
test_import_command.py's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import import_support
from tests.import_support import (
    COLUMNS,
    FRENCH,
    HEADER,
    batches,
    csv_file,
    row_of,
    run_import,
    stored,
)

# the fixtures both import modules share (tests/import_support.py): pytest finds them here
database, english = import_support.database, import_support.english


def test_a_french_excel_file_with_semicolons_and_no_bom(
        database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = csv_file(tmp_path / "saisie.csv", [
        HEADER,
        row_of({"quartier": ["nord"], "age": ["2,5"], "services": ["livres", "jeux"]},
               spoiled="accord"),
        row_of({"quartier": ["Centre-ville"], "services": ["Café"], "nom": ["'+33 6 12"]}),
    ], delimiter=";")

    assert run_import(database, path, "--channel", "assisted") == 0

    assert capsys.readouterr().out.startswith("2 answers imported as batch 1")
    assert [answer[:4] for answer in stored(database)] == [
        ({"quartier": ["nord"], "services": ["livres", "jeux"], "age": ["2,5"]},
         {"nom": "blank", "accord": "spoiled", "idees": "blank", "accepte": "blank"},
         "assisted", "import:saisie.csv"),
        ({"nom": ["+33 6 12"], "quartier": ["centre"], "services": ["cafe"]},
         {"accord": "blank", "age": "blank", "idees": "blank", "accepte": "blank"},
         "assisted", "import:saisie.csv"),
    ]


def test_a_bom_a_tab_delimiter_and_empty_rows(
        database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = csv_file(tmp_path / "copie.csv", [
        COLUMNS, [], ["", "sud", "", "", "", "", ""], [""] * len(COLUMNS), [],
    ], delimiter="\t", bom=True)

    assert run_import(database, path) == 0

    assert capsys.readouterr().out.splitlines()[1] == "3 empty rows were left out"
    assert [answer[0] for answer in stored(database)] == [{"quartier": ["sud"]}]



# -- problems: every one, with its row and column, and nothing stored ---------------------------

def test_every_problem_is_listed_and_nothing_is_stored(
        database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = ["nom", "quartier", "services", "accord", "age", "idees", "horaires", "couleur",
              "receipt", "blank", "spoiled"]
    path = csv_file(tmp_path / "lot.csv", [
        header,
        ["Ana", "nord", "livres", "3", "12", "", "", "", "ABCD-EFGH", "", ""],
        ["Ben", "ouest", "jeux; jeux", "9", "douze", "", "le soir", "", "", "nom", "quartier"],
        ["Line\nbreak", "nord; sud", "livres; dvd", "", "", "", "", "", "", "accord; couleur",
         "accord"],
        ["", "sud", "", "", "", "", "", "", "", "", "", "extra"],
    ])

    assert run_import(database, path) == 1

    error = capsys.readouterr().err
    assert error.startswith(f"Error: nothing imported: {path} has 14 problems to fix\n")
    expected = [
        "row 1, column 'couleur': no question of form 'avis' has this id (its questions: nom, "
        "quartier, services, accord, age, idees, accepte)",
        "How to fix: correct the header, or delete the column",
        "row 1: no column for question 'accepte' (J'accepte)",
        "How to fix: add a column headed accepte; leave its cells empty where a sheet left "
        "the question blank",
        "row 3, column 'nom': question nom is listed in the blank column but this cell holds an "
        "answer",
        "row 3, column 'quartier': 'ouest' is not one of the question's options",
        "How to fix: write one of: nord (Nord), sud (Sud), centre (Centre-ville); or, if the "
        "sheet cannot be read, empty the cell and list the question in the spoiled column",
        "row 3, column 'services': option 'jeux' is written twice",
        "row 3, column 'accord': '9' is not one of the question's options",
        "How to fix: write one of: 1, 2, 3, 4, 5;",
        "row 3, column 'horaires': this question is no longer asked by the newest version of "
        "form 'avis'",
        "row 4, column 'blank': 'couleur' is no question of form 'avis'",
        "row 4, column 'nom': this question takes a single line, and the cell holds a line break",
        "row 4, column 'quartier': 2 answers to a question that takes one",
        "How to fix: keep the one the sheet gives; if several boxes were ticked, empty the cell "
        "and add quartier to the spoiled column",
        "row 4, column 'services': 'dvd' is not one of the question's options",
        "row 4: question accord is listed both in the blank and in the spoiled column",
        "row 5: 12 cells where the header has 11 columns",
    ]
    for line in expected:
        assert line in error
    assert "row 2" not in error
    assert ("row 3, column 'age': Type the number written for the question “Votre âge” in "
            "figures") in error  # the sheet's own check, on the row's sound cells
    assert stored(database) == []
    assert batches(database) == []


def test_a_column_twice_a_value_without_header_and_a_spoiled_answer(
        database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = csv_file(tmp_path / "lot.csv", [
        [*HEADER, "Votre quartier", ""],
        [*row_of({"quartier": ["nord"]}, spoiled="quartier"), "", "oublié"],
    ])

    assert run_import(database, path) == 1

    error = capsys.readouterr().err
    assert "has 3 problems to fix" in error
    assert "row 1, column 'Votre quartier': the same question as column 'quartier'" in error
    assert ("row 2, column 'quartier': question quartier is listed in the spoiled column but "
            "this cell holds an answer") in error
    assert "row 2: column 11 has no header but holds a value in this row" in error


def test_a_header_without_rows_imports_nothing(
        database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = csv_file(tmp_path / "vide.csv", [HEADER, [""] * len(HEADER)])
    assert run_import(database, path) == 1
    assert capsys.readouterr().err.startswith(
        f"Error: nothing imported: {path} has a header but no answers")
    assert batches(database) == []


def test_a_mistake_the_sheet_check_finds_names_its_row_and_column(
        database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = csv_file(tmp_path / "lot.csv", [
        HEADER,
        row_of({"quartier": ["nord"]}),
        row_of({"quartier": ["nord"], "age": ["douze"]}),
        row_of({"quartier": ["sud"], "services": ["livres", "jeux", "cafe"]}),
    ])

    assert run_import(database, path) == 1

    error = capsys.readouterr().err
    assert "has 2 problems to fix" in error
    assert "row 3, column 'age': " in error
    assert "row 4, column 'services': " in error
    assert ("How to fix: type what the sheet says in this cell; if it cannot be read or "
            "counted, empty the cell and add age to the spoiled column") in error
    assert stored(database) == []


def test_problems_are_said_in_french(
        database: str, tmp_path: Path, english: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    english.setenv("LANG", FRENCH)
    path = csv_file(tmp_path / "lot.csv", [
        HEADER, row_of({"quartier": ["ouest"]}), row_of({"quartier": ["nord"], "age": ["x"]})])

    assert run_import(database, path) == 1

    error = capsys.readouterr().err
    assert error.startswith(f"Erreur : rien n'a été importé : {path} a 2 problèmes à corriger")
    assert "ligne 2, colonne 'quartier' : 'ouest' n'est pas une des options" in error
    assert "Pour corriger : écrivez l'une de ces valeurs : nord (Nord), sud (Sud)" in error
    assert "ligne 3, colonne 'age' : " in error
    assert "Pour corriger : saisissez dans cette cellule ce que dit la feuille" in error


def test_a_file_in_another_encoding_says_how_to_save_it(
        database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ancien.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\r\nZo\xe9,nord,,,,,,,,\r\n")

    assert run_import(database, path) == 1

    error = capsys.readouterr().err
    assert "row 2: the file is not written in UTF-8 from this row on" in error
    assert 'save it again as "CSV UTF-8" (Excel)' in error
    assert stored(database) == []


def test_a_wide_export_is_refused_saying_why(
        database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = csv_file(tmp_path / "large.csv", [
        [*COLUMNS[:2], "services/livres", "services/jeux", *COLUMNS[3:]],
        ["", "nord", "1", "0", "", "", "", ""]])

    assert run_import(database, path) == 1

    error = capsys.readouterr().err
    assert ("row 1, column 'services/livres': a column per option (parole export --wide) "
            "cannot be imported") in error
    assert "How to fix: export without --wide" in error
