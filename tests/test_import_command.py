"""``parole import`` (issue #15, part 4): the export's own CSV comes back exactly; the same file
imported twice stores nothing the second time; an unknown form, a batch without a place or
with a day to come, a closed form and a missing file refused; the ``parole`` process in French
and its help.

How the file is read and checked is test_import.py's."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.storage import open_storage
from site_builder.storage.base import Duplicates, Marks, NewAnswer, Storage, Values
from site_builder.storage.entry import NewBatch
from tests import import_support
from tests.import_support import (
    BATCH,
    COLUMNS,
    FORM,
    FRENCH,
    HEADER,
    TODAY,
    batches,
    csv_file,
    parole,
    prepare,
    row_of,
    run_import,
    stored,
)
from tests.postgres_support import PostgresServer

# the fixtures both import modules share (tests/import_support.py): pytest finds them here
database, english = import_support.database, import_support.english

EVERY_ANSWER: Values = {
    "nom": ['=HYPERLINK("http://x") et « guillemets », "doubles"; point-virgule'],
    "quartier": ["centre"], "services": ["livres", "cafe"], "accord": ["3"], "age": ["42"],
    "idees": ["Première ligne\nDeuxième ligne 😀\n-5 %"], "accepte": ["yes"],
}


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


# -- the command's own checks ---------------------------------------------------------------------

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
