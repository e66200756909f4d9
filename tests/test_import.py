"""``parole import FORM FILE.csv --batch-place P --batch-date D`` (issue #15, part 4): answers
typed into a spreadsheet stored as one batch, all rows or none, every problem listed with its
row and column; the export's own CSV comes back exactly; the same file imported twice stores
nothing the second time."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from site_builder.cli import main
from site_builder.collector import data_commands
from site_builder.forms.manifest import manifest_data
from site_builder.forms.model import Field, Form, Option
from site_builder.storage import open_storage
from site_builder.storage.base import Duplicates, Marks, NewAnswer, Storage, Values
from site_builder.storage.entry import NewBatch
from tests.postgres_support import PostgresServer

PAROLE = [sys.executable, "-m", "site_builder.cli"]
FRENCH = "fr_FR.UTF-8"
TODAY = date.today()
BATCH = ["--batch-place", "Marché du samedi", "--batch-date", TODAY.isoformat()]


def _field(field_id: str, kind: str, label: str, **keys: Any) -> Field:
    return Field(id=field_id, type=kind, label=label, label_html=label, **keys)


def _options(*pairs: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(value, label) for value, label in pairs)


FORM = Form("avis", "Votre avis", (
    _field("nom", "text", "Votre nom"),
    _field("quartier", "choice", "Votre quartier", required=True,
           options=_options(("nord", "Nord"), ("sud", "Sud"), ("centre", "Centre-ville"))),
    _field("services", "choices", "Quels services ?", max=2,
           options=_options(("livres", "Livres"), ("jeux", "Jeux vidéo"), ("cafe", "Café"))),
    _field("accord", "scale", "D'accord ?", min=1, max=5),
    _field("age", "number", "Votre âge", min=0, max=10000, integer=False),
    _field("idees", "textarea", "Vos idées"),
    _field("accepte", "consent", "J'accepte"),
))
OLDER_FORM = Form("avis", "Votre avis", (*FORM.fields[:2], _field("horaires", "text", "Horaires")))
"""A version the database saw before ``FORM``: its question ``horaires`` is no longer asked."""
COLUMNS = [field.id for field in FORM.fields]
EVERY_ANSWER: Values = {
    "nom": ['=HYPERLINK("http://x") et « guillemets », "doubles"; point-virgule'],
    "quartier": ["centre"], "services": ["livres", "cafe"], "accord": ["3"], "age": ["42"],
    "idees": ["Première ligne\nDeuxième ligne 😀\n-5 %"], "accepte": ["yes"],
}


def manifest_text(form: Form, closes: date | None) -> str:
    return json.dumps(manifest_data(form, page_url="avis/", language="fr", closes=closes),
                      ensure_ascii=False)


def prepare(url: str, *, closes: date | None = TODAY + timedelta(days=30)) -> str:
    """The database at ``url`` as a collector leaves it: the form's versions registered."""
    storage = open_storage(url)
    try:
        storage.register_form("avis", OLDER_FORM.version, manifest_text(OLDER_FORM, closes))
        storage.register_form("avis", FORM.version, manifest_text(FORM, closes))
    finally:
        storage.close()
    return url


@pytest.fixture
def database(tmp_path: Path) -> str:
    return prepare(f"sqlite:///{tmp_path / 'answers.db'}")


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Messages in English unless a test says French; no database from the environment."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", data_commands.DATABASE_ENV):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def stored(url: str) -> list[tuple[Values, Marks, str, str | None, int | None, int | None]]:
    """Every counted answer to the form: values, marks, channel, who entered it, batch, sheet."""
    storage = open_storage(url)
    try:
        return [(answer.values, answer.marks, answer.channel, answer.entered_by,
                 answer.batch_id, answer.sheet) for answer in storage.answers("avis")]
    finally:
        storage.close()


def batches(url: str) -> list[tuple[str, str, date, int, str]]:
    storage = open_storage(url)
    try:
        return [(progress.batch.form_id, progress.batch.place, progress.batch.collected_on,
                 progress.batch.sheets_counted, progress.batch.created_by)
                for progress in storage.batches()]
    finally:
        storage.close()


def csv_file(path: Path, rows: list[list[str]], *, delimiter: str = ",",
             bom: bool = False) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))
    return path


def row_of(values: Values, *, blank: str = "", spoiled: str = "") -> list[str]:
    return [*("; ".join(values.get(field_id, [])) for field_id in COLUMNS), blank, spoiled]


HEADER = [*COLUMNS, "blank", "spoiled"]


def run_import(url: str, path: Path, *extra: str) -> int:
    return main(["import", "avis", str(path), *BATCH, "--db", url, *extra])


def parole(*args: str, cwd: Path, lang: str = "C.UTF-8") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PAROLE, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False,
                          env={"PATH": "/usr/bin:/bin", "LANG": lang})


# -- the round trip -------------------------------------------------------------------------------

def fill_source(storage: Storage) -> None:
    """An online answer to every question, and a batch of paper sheets with blanks and spoiled
    questions."""
    now = datetime.now(UTC)
    storage.store(NewAnswer(form_id="avis", form_version=FORM.version, values=EVERY_ANSWER,
                            channel="online", received_at=now, expires_at=None,
                            fingerprint="online-1"), Duplicates())
    sheets: list[tuple[Values, Marks]] = [
        ({"nom": ["  Zoé  "], "quartier": ["nord"], "services": ["jeux"], "accord": ["1"],
          "age": ["+4"], "idees": ["@SUM(A1)"], "accepte": ["yes"]}, {}),
        ({"quartier": ["sud"], "age": ["1 000"]},
         {"nom": "blank", "services": "spoiled", "accord": "blank", "idees": "blank",
          "accepte": "blank"}),
        ({}, dict.fromkeys(COLUMNS[:-1], "blank") | {"accepte": "spoiled"}),
    ]
    storage.import_batch(
        NewBatch("avis", "Mairie", TODAY, 3, "import:sheets.csv", now, "digest-source"),
        [NewAnswer(form_id="avis", form_version=FORM.version, values=values, channel="paper",
                   received_at=now, expires_at=None, fingerprint=f"paper-{number}",
                   entered_by="import:sheets.csv", marks=marks)
         for number, (values, marks) in enumerate(sheets)])


def exported_questions(text: str) -> list[dict[str, str]]:
    """The export's question, ``blank`` and ``spoiled`` cells, row by row."""
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    return [{name: row[name] for name in HEADER} for row in rows]


@pytest.mark.parametrize("labels", [False, True], ids=["ids", "labels"])
def test_the_exports_csv_comes_back_exactly_into_another_database(
        storage_url: str, request: pytest.FixtureRequest, tmp_path: Path, labels: bool) -> None:
    source = prepare(storage_url)
    storage = open_storage(source)
    try:
        fill_source(storage)
    finally:
        storage.close()
    if source.startswith("sqlite"):
        target = prepare(f"sqlite:///{tmp_path / 'other.db'}")
    else:
        server: PostgresServer = request.getfixturevalue("postgres")
        target = prepare(server.new_database())
    export = parole("export", "avis", "--db", source, *(["--labels"] if labels else []),
                    "-o", "export.csv", cwd=tmp_path)
    assert export.returncode == 0, export.stderr

    imported = parole("import", "avis", "export.csv", *BATCH, "--db", target, cwd=tmp_path)

    assert (imported.returncode, imported.stderr) == (0, "")
    assert imported.stdout == (f"4 answers imported as batch 1 (Marché du samedi, "
                               f"{TODAY.isoformat()})\n")
    again = parole("export", "avis", "--db", target, cwd=tmp_path)
    first = parole("export", "avis", "--db", source, cwd=tmp_path)
    assert exported_questions(again.stdout) == exported_questions(first.stdout)
    assert [answer[:2] for answer in stored(target)] == [answer[:2] for answer in stored(source)]
    assert {answer[2:5] for answer in stored(target)} == {("paper", "import:export.csv", 1)}
    assert [answer[5] for answer in stored(target)] == [1, 2, 3, 4]
    assert batches(target) == [("avis", "Marché du samedi", TODAY, 4, "import:export.csv")]


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


def test_importing_the_same_file_again_stores_nothing(
        database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = csv_file(tmp_path / "lot.csv", [HEADER, row_of({"quartier": ["nord"]})])
    assert run_import(database, path) == 0
    capsys.readouterr()

    assert main(["import", "avis", str(path), "--batch-place", "Ailleurs", "--batch-date",
                 "2020-01-01", "--db", database]) == 0

    assert capsys.readouterr().out == (
        f"nothing imported: {path} was already imported as batch 1 (Marché du samedi, "
        f"{TODAY.isoformat()}) by import:lot.csv\n")
    assert len(stored(database)) == 1
    assert len(batches(database)) == 1


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


def test_an_unknown_form_lists_those_the_database_knows(
        database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = csv_file(tmp_path / "lot.csv", [HEADER])
    assert main(["import", "sondage", str(path), *BATCH, "--db", database]) == 1
    assert capsys.readouterr().err.startswith(
        "Error: no form 'sondage' in this database (forms it knows: avis)")


@pytest.mark.parametrize(("flags", "said"), [
    (["--batch-place", " ", "--batch-date", TODAY.isoformat()], "--batch-place is empty"),
    (["--batch-place", "Mairie", "--batch-date", (TODAY + timedelta(days=1)).isoformat()],
     "is a day still to come"),
])
def test_a_batch_needs_a_place_and_a_day_gone_by(
        database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        flags: list[str], said: str) -> None:
    path = csv_file(tmp_path / "lot.csv", [HEADER, row_of({"quartier": ["nord"]})])
    assert main(["import", "avis", str(path), *flags, "--db", database]) == 1
    assert said in capsys.readouterr().err
    assert stored(database) == []


def test_sheets_collected_after_the_form_closed_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    closed = TODAY - timedelta(days=3)
    url = prepare(f"sqlite:///{tmp_path / 'answers.db'}", closes=closed)
    path = csv_file(tmp_path / "lot.csv", [HEADER, row_of({"quartier": ["nord"]})])

    assert run_import(url, path) == 1

    assert (f"--batch-date {TODAY.isoformat()} is after the form closed, on "
            f"{closed.isoformat()}") in capsys.readouterr().err


def test_a_missing_file_says_where_it_was_looked_for(
        database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_import(database, tmp_path / "absent.csv") == 1
    error = capsys.readouterr().err
    assert f"Error: cannot read {tmp_path / 'absent.csv'}: No such file or directory" in error


# -- the command --------------------------------------------------------------------------------

@pytest.fixture
def process_database(tmp_path: Path) -> Iterator[str]:
    yield prepare(f"sqlite:///{tmp_path / 'answers.db'}")


def test_the_parole_process_imports_and_refuses_in_french(
        process_database: str, tmp_path: Path) -> None:
    csv_file(tmp_path / "bon.csv", [HEADER, row_of({"quartier": ["nord"]})])
    csv_file(tmp_path / "mauvais.csv", [HEADER, row_of({"quartier": ["ouest"]})])

    good = parole("import", "avis", "bon.csv", *BATCH, "--db", process_database, cwd=tmp_path,
                  lang=FRENCH)
    bad = parole("import", "avis", "mauvais.csv", *BATCH, "--db", process_database,
                 cwd=tmp_path, lang=FRENCH)

    assert (good.returncode, good.stderr) == (0, "")
    assert good.stdout == (f"1 réponse importée dans le lot 1 (Marché du samedi, "
                           f"{TODAY.isoformat()})\n")
    assert bad.returncode == 1
    assert bad.stderr.startswith("Erreur : rien n'a été importé : mauvais.csv a 1 problème")
    assert "Traceback" not in bad.stderr
    assert len(stored(process_database)) == 1


def test_parole_help_import(tmp_path: Path) -> None:
    result = parole("help", "import", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for option in ("FILE.csv", "--batch-place", "--batch-date", "--channel", "--db"):
        assert option in result.stdout
    assert result.stdout == parole("import", "--help", cwd=tmp_path).stdout
