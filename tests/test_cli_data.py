"""``parole export|stats|purge|delete`` on a real SQLite database, in-process and as a process."""

from __future__ import annotations

import io
import json
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from site_builder.cli import main
from site_builder.collector import data_commands
from site_builder.collector.export import iter_csv
from site_builder.collector.stats import all_stats
from site_builder.collector.stats_report import stats_text
from site_builder.storage import open_storage
from site_builder.storage.base import StorageUnavailable
from site_builder.storage.receipts import format_receipt
from site_builder.storage.sqlite import SQLiteStorage
from tests.export_support import FORM_ID, SAMPLE, filled_database

PAROLE_SCRIPT = Path(sys.executable).parent / "parole"


@pytest.fixture
def database(tmp_path: Path) -> str:
    """The URL of a SQLite database holding the sample answers."""
    return filled_database(tmp_path / "data" / "answers.db")


@pytest.fixture(autouse=True)
def no_database_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(data_commands.DATABASE_ENV, raising=False)


def expected_csv(url: str) -> bytes:
    storage = open_storage(url)
    try:
        return "".join(iter_csv(storage, FORM_ID)).encode("utf-8")
    finally:
        storage.close()


def receipts(url: str) -> list[str]:
    storage = open_storage(url)
    try:
        return [answer.receipt for answer in storage.answers(FORM_ID)]
    finally:
        storage.close()


def test_export_writes_the_csv_bytes_to_standard_output(
    database: str, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["export", FORM_ID, "--db", database]) == 0
    output = capsysbinary.readouterr().out
    assert output == expected_csv(database)
    assert output.startswith(b"\xef\xbb\xbfnom,quartier,")
    assert b"\r\n\"'=HYPERLINK(\"\"http://x\"\")\"," in output


def test_export_json(database: str, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["export", FORM_ID, "--format", "json", "--db", database]) == 0
    document = json.loads(capsysbinary.readouterr().out)
    assert [answer["values"] for answer in document["answers"]] == [v for *_, v in SAMPLE]


def test_export_to_a_file_leaves_no_temporary_file(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out" / "avis.csv"
    output.parent.mkdir()
    assert main(["export", FORM_ID, "--db", database, "--output", str(output)]) == 0
    assert output.read_bytes() == expected_csv(database)
    assert [path.name for path in output.parent.iterdir()] == ["avis.csv"]
    assert stat.S_IMODE(output.stat().st_mode) == 0o600, "personal data: for its owner alone"
    assert f"to {output}" in capsys.readouterr().out


def test_a_failed_export_keeps_the_previous_file_whole(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = tmp_path / "avis.csv"
    output.write_text("previous export", encoding="utf-8")

    def failing_export(*_: object, **__: object) -> Iterator[str]:
        yield "nom,quartier\r\n"
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(data_commands, "iter_export", failing_export)
    assert main(["export", FORM_ID, "--db", database, "-o", str(output)]) == 1
    assert output.read_text(encoding="utf-8") == "previous export"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["avis.csv", "data"]
    error = capsys.readouterr().err
    assert error.startswith(f"Error: cannot write {output}: No space left on device")
    assert "Traceback" not in error


def test_export_into_a_missing_folder_says_how_to_fix(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "nowhere" / "avis.csv"
    assert main(["export", FORM_ID, "--db", database, "-o", str(output)]) == 1
    assert f"check that the folder {output.parent} exists" in capsys.readouterr().err


def test_an_unknown_form_lists_the_known_ones_and_writes_nothing(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "avsi.csv"
    assert main(["export", "avsi", "--db", database, "-o", str(output)]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("Error: no form 'avsi' in this database (forms it knows: "
                                   "atelier, avis)")
    assert captured.out == ""
    assert not output.exists()


@pytest.mark.parametrize("command", [["export", FORM_ID], ["stats"], ["purge"],
                                     ["delete", "ABCD-EFGH"]])
def test_no_command_creates_a_missing_database(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "typo" / "answers.db"
    assert main([*command, "--db", f"sqlite:///{path}"]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"Error: no database at {path}\n")
    assert "run `parole collect` first" in error
    assert "--db" in error
    assert not path.parent.exists()


def test_the_default_database_is_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["stats"]) == 1
    assert f"no database at {tmp_path / 'parole-data' / 'answers.db'}" in capsys.readouterr().err


def test_the_environment_names_the_database_unless_db_is_given(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(data_commands.DATABASE_ENV, database)
    assert main(["stats"]) == 0
    assert "Form avis" in capsys.readouterr().out
    assert main(["stats", "--db", f"sqlite:///{tmp_path / 'other.db'}"]) == 1


def test_stats_prints_the_report_of_every_form(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", "--db", database]) == 0
    storage = open_storage(database)
    try:
        assert capsys.readouterr().out == stats_text(all_stats(storage))
    finally:
        storage.close()


def test_purge_deletes_answers_past_retention_and_says_how_many(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["purge", "--db", database]) == 0
    assert capsys.readouterr().out.startswith("Deleted 5 answers past their retention period")
    assert receipts(database) == []
    assert main(["purge", "--db", database]) == 0
    assert capsys.readouterr().out.startswith("Deleted 0 answers")


def test_delete_takes_the_code_as_a_person_types_it(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    first, *others = receipts(database)
    typed = format_receipt(first).lower().replace("-", " ")
    assert main(["delete", typed, "--db", database]) == 0
    assert capsys.readouterr().out == (
        f"Deleted the answer with receipt code {format_receipt(first)}.\n")
    assert receipts(database) == others
    assert main(["delete", typed, "--db", database]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"Error: no answer has the receipt code {format_receipt(first)}")
    assert "purged" in error


def test_delete_refuses_what_cannot_be_a_code(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["delete", "ABC-123", "--db", database]) == 1
    assert "'ABC-123' is not a receipt code" in capsys.readouterr().err
    assert len(receipts(database)) == len(SAMPLE)


def test_a_busy_database_is_reported_without_a_traceback(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def locked(*_: object) -> int:
        raise StorageUnavailable("database is locked")

    monkeypatch.setattr(SQLiteStorage, "purge", locked)
    assert main(["purge", "--db", database]) == 1
    error = capsys.readouterr().err
    assert "is busy or unreachable (database is locked)" in error
    assert "try again" in error


def test_a_database_url_parole_does_not_understand(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", "mysql://user:secret@host/db"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("Error: ")
    assert "Accepted database URLs" in error
    assert "secret" not in error


def test_the_installed_parole_script_exports(database: str, tmp_path: Path) -> None:
    assert PAROLE_SCRIPT.is_file(), f"no {PAROLE_SCRIPT}: install parole in the venv (pip -e .)"
    result = subprocess.run([PAROLE_SCRIPT, "export", FORM_ID, "--db", database],
                            capture_output=True, cwd=tmp_path, timeout=60, check=False)
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout == expected_csv(database)


# -- xlsx, labels, wide, time zones (issue #14) ---------------------------------------------------

def test_export_xlsx_to_a_file_opens_on_the_tally(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "avis.xlsx"
    assert main(["export", FORM_ID, "--format", "xlsx", "--db", database, "-o", str(output)]) == 0
    workbook = openpyxl.load_workbook(output)
    assert workbook.sheetnames == ["Décompte", "Réponses", "Colonnes"]
    assert workbook["Réponses"].max_row == 1 + len(SAMPLE)
    assert stat.S_IMODE(output.stat().st_mode) == 0o600, "personal data: for its owner alone"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["avis.xlsx", "data"]
    assert str(output) in capsys.readouterr().out


def test_export_xlsx_to_a_pipe(database: str) -> None:
    done = subprocess.run([str(PAROLE_SCRIPT), "export", FORM_ID, "--format", "xlsx",
                           "--db", database], capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    workbook = openpyxl.load_workbook(io.BytesIO(done.stdout))
    assert workbook.sheetnames[0] == "Décompte"


def test_export_xlsx_is_not_shown_in_a_terminal(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["export", FORM_ID, "--format", "xlsx", "--db", database]) == 1
    assert "-o answers.xlsx" in capsys.readouterr().err


@pytest.mark.parametrize("export_format", ["json", "xlsx"])
@pytest.mark.parametrize("option", ["--labels", "--wide"])
def test_labels_and_wide_are_for_csv_alone(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], export_format: str,
    option: str,
) -> None:
    output = tmp_path / f"avis.{export_format}"
    assert main(["export", FORM_ID, "--format", export_format, option, "--db", database,
                 "-o", str(output)]) == 1
    assert f"not of {export_format}" in capsys.readouterr().err
    assert not output.exists()


def test_export_csv_with_labels_wide_and_a_time_zone(
    database: str, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["export", FORM_ID, "--labels", "--wide", "--time-zone", "Indian/Reunion",
                 "--db", database]) == 0
    lines = capsysbinary.readouterr().out.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("Votre nom,Votre quartier,Quels services voulez-vous ? / Livres,")
    assert lines[1].startswith("Élodie Müller 😀,Est,1,1,0,5,")
    assert ",2025-03-14T13:26:53+04:00,en ligne," in "\r\n".join(lines)


def test_an_unknown_time_zone_is_an_error_with_the_closest_names(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", FORM_ID, "--time-zone", "Europe/Pari", "--db", database]) == 1
    error = capsys.readouterr().err
    assert "'Europe/Pari' is not a time zone" in error
    assert "Europe/Paris" in error.split("\n", 1)[1]
    assert "Traceback" not in error
