"""``parole import`` of answers typed from paper versions in several languages (issue #18): a
``language`` column, each cell one of the form's languages (else a problem at its row and
column, nothing stored); ``--language`` for the rows that say none; else the form's own
language. The export's CSV, languages included, comes back exactly, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.collector.export import iter_csv
from site_builder.forms.manifest import manifest_data
from site_builder.storage import open_storage
from site_builder.storage.base import Duplicates, NewAnswer
from tests import import_support
from tests.collector_language_support import the_form
from tests.import_support import BATCH, csv_file
from tests.postgres_support import PostgresServer

# messages in English, no database from the environment (tests/import_support.py)
english = import_support.english

FORM = the_form()
"""``avis`` in French with its Arabic translation: questions ``frequence`` and ``idee``."""
HEADER = ["frequence", "idee", "language"]


def prepared(url: str) -> str:
    """The database at ``url`` as a collector of the bilingual form leaves it."""
    storage = open_storage(url)
    try:
        storage.register_form("avis", FORM.version, json.dumps(manifest_data(
            FORM, page_url="avis/", language="fr", closes=None), ensure_ascii=False))
    finally:
        storage.close()
    return url


@pytest.fixture
def database(tmp_path: Path) -> str:
    return prepared(f"sqlite:///{tmp_path / 'answers.db'}")


def imported(url: str) -> tuple[list[tuple[str, str | None]], list[str | None]]:
    """Each stored answer's ``frequence`` and language, and each batch's language."""
    storage = open_storage(url)
    try:
        return ([(answer.values["frequence"][0], answer.language)
                 for answer in storage.answers("avis")],
                [progress.batch.language for progress in storage.batches()])
    finally:
        storage.close()


def run(url: str, path: Path, *extra: str) -> int:
    return main(["import", "avis", str(path), *BATCH, "--db", url, *extra])


def test_each_row_is_stored_in_the_language_its_cell_says(database: str,
                                                          tmp_path: Path) -> None:
    """An empty cell takes ``--language``; spaces around a tag are a spreadsheet's."""
    path = csv_file(tmp_path / "lot.csv", [
        HEADER, ["jour", "", "ar"], ["semaine", "", " fr "], ["jour", "", ""]])
    assert run(database, path, "--language", "ar") == 0
    assert imported(database) == ([("jour", "ar"), ("semaine", "fr"), ("jour", "ar")], [None])


@pytest.mark.parametrize(("extra", "language"), [([], "fr"), (["--language", "ar"], "ar")])
def test_without_a_language_column_every_row_has_the_option_s_or_the_form_s(
        database: str, tmp_path: Path, extra: list[str], language: str) -> None:
    """One language for the whole file: the batch is in it too."""
    path = csv_file(tmp_path / "lot.csv", [HEADER[:2], ["jour", ""], ["semaine", ""]])
    assert run(database, path, *extra) == 0
    assert imported(database) == ([("jour", language), ("semaine", language)], [language])


def test_the_labels_header_of_the_language_column_is_read_too(database: str,
                                                             tmp_path: Path) -> None:
    """``--labels`` heads the column in the form's language: "Langue"."""
    path = csv_file(tmp_path / "lot.csv", [["frequence", "idee", "Langue"], ["jour", "", "ar"]])
    assert run(database, path) == 0
    assert imported(database) == ([("jour", "ar")], ["ar"])


@pytest.mark.parametrize("cell", ["de", "AR", "arabe", "ar-MA", "ar\x00", "a" * 300])
def test_a_language_the_form_has_not_is_a_problem_at_its_row_and_column(
        database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: str) -> None:
    path = csv_file(tmp_path / "lot.csv", [HEADER, ["jour", "", "ar"], ["semaine", "", cell]])
    assert run(database, path) == 1
    error = capsys.readouterr().err
    assert "has 1 problem to fix" in error
    assert "row 3, column 'language': " in error
    assert "is not one of the languages of the form avis" in error
    assert "write one of its languages, as the export writes them: fr, ar" in error
    assert len(error) < 2000  # a very long cell is cut, not repeated
    assert imported(database) == ([], [])


def test_a_language_column_twice_is_a_problem(database: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = csv_file(tmp_path / "lot.csv", [[*HEADER, "Langue"], ["jour", "", "ar", "fr"]])
    assert run(database, path) == 1
    assert "row 1, column 'Langue': the same question as column 'language'" in \
        capsys.readouterr().err
    assert imported(database) == ([], [])


@pytest.mark.parametrize("option", ["de", "AR", "", "a" * 300])
def test_a_language_option_the_form_has_not_is_refused(
        database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str) -> None:
    path = csv_file(tmp_path / "lot.csv", [HEADER[:2], ["jour", ""]])
    assert run(database, path, "--language", option) == 1
    error = capsys.readouterr().err
    assert "Error: the form avis is not published in " in error
    assert "give --language one of its languages: fr, ar" in error
    assert imported(database) == ([], [])


def test_the_export_s_languages_come_back_exactly(storage_url: str, tmp_path: Path,
                                                   request: pytest.FixtureRequest) -> None:
    source = prepared(storage_url)
    storage = open_storage(source)
    now = datetime.now(UTC)
    try:
        for number, (value, language) in enumerate([("jour", "ar"), ("semaine", "fr"),
                                                    ("jour", None)]):
            storage.store(NewAnswer(form_id="avis", form_version=FORM.version,
                                    values={"frequence": [value]}, channel="online",
                                    received_at=now, expires_at=None,
                                    fingerprint=f"answer-{number}", language=language),
                          Duplicates())
        export = "".join(iter_csv(storage, "avis"))
    finally:
        storage.close()
    if source.startswith("sqlite"):
        target = prepared(f"sqlite:///{tmp_path / 'other.db'}")
    else:
        server: PostgresServer = request.getfixturevalue("postgres")
        target = prepared(server.new_database())
    path = tmp_path / "export.csv"
    path.write_text(export, encoding="utf-8")
    assert [row["language"] for row in csv.DictReader(io.StringIO(export.lstrip("\ufeff")))] \
        == ["ar", "fr", "fr"]
    assert run(target, path) == 0
    assert imported(target) == ([("jour", "ar"), ("semaine", "fr"), ("jour", "fr")], [None])
