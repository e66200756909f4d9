"""The xlsx export (site_builder.collector.export_xlsx): a workbook opening on the tally, read
back by openpyxl and, as an organizer opens it, by LibreOffice Calc headless."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from site_builder.collector.answer_table import UnknownTimeZone
from site_builder.collector.columns import UnknownForm
from site_builder.collector.export_xlsx import REPLACEMENT, write_xlsx
from site_builder.storage.base import Duplicates, NewAnswer
from tests.export_support import (
    FORM_ID,
    NEW_FORM,
    PAPER_ANSWERS,
    SAMPLE,
    MemoryStorage,
    at,
    fill,
    fill_paper,
)
from tests.reliability.spreadsheet_support import Cell, convert_to_fods, read_sheets

Sheets = dict[str, list[list[Cell]]]
EXPORTED_AT = datetime(2025, 3, 16, 8, 0, tzinfo=UTC)
TRICKY = {"nom": ["01000"], "quartier": ["centre"], "services": ["jeux"], "accord": ["2"],
          "idees": ["2025-03-14"], "telephone": ["1e5"], "accepte": ["yes"],
          "horaires": ["sonne\x07 ici"]}
"""Text a spreadsheet would like to read as something else (a postal code with its zero, a date,
a number in scientific notation), and a control character XML cannot hold. ``horaires`` is
a question only the older version had: it is stored all the same, to reach the answers sheet."""
SHEETS = ["Décompte", "Réponses", "Colonnes"]
HEADERS = ["Votre nom", "Votre quartier", "Quels services voulez-vous ? / Livres",
           "Quels services voulez-vous ? / Jeux vidéo", "Quels services voulez-vous ? / Café",
           "Êtes-vous d'accord avec le projet ?", "Vos idées", "Votre téléphone", "J'accepte",
           "Quels horaires ?", "Reçu", "Reçue le", "Canal", "Langue", "Version du formulaire",
           "Lot",
           "Lieu", "Saisie par", "Laissées en blanc", "Illisibles ou nulles"]


@pytest.fixture
def storage() -> MemoryStorage:
    memory = MemoryStorage()
    fill(memory)
    memory.store(NewAnswer(FORM_ID, NEW_FORM.version, TRICKY, "online", at(16, 7, 5), None,
                           "tricky"), Duplicates())
    return memory


@pytest.fixture
def workbook_file(storage: MemoryStorage, tmp_path: Path) -> Path:
    path = tmp_path / "avis.xlsx"
    write_xlsx(storage, FORM_ID, path, now=EXPORTED_AT)
    return path


def values(sheet: Worksheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_workbook_opens_on_the_tally_then_answers_then_columns(workbook_file: Path) -> None:
    workbook = openpyxl.load_workbook(workbook_file)
    assert workbook.sheetnames == SHEETS
    assert workbook.active is not None and workbook.active.title == "Décompte"


def test_the_tally_counts_what_stats_counts(workbook_file: Path) -> None:
    rows = values(openpyxl.load_workbook(workbook_file)["Décompte"])
    assert rows[0][0] == "Formulaire avis : Votre avis sur la médiathèque"
    assert rows[1][0] == "Exporté le 2025-03-16 09:00:00+01:00 ; heures dans le fuseau Europe/Paris"
    counts = {row[0]: row[1] for row in rows[3:7]}
    assert counts == {"Réponses": 5, "Canal : en ligne": 3, "Canal : papier": 1,
                      "Canal : accompagnée": 1}
    header = rows.index(["Question", "Option", "Valeur", "Nombre", "Part des réponses"])
    end = rows.index([None] * 5, header)
    options = {(row[0], row[2]): (row[1], row[3], row[4]) for row in rows[header + 1:end]}
    assert options[("Votre quartier", "centre")] == ("Centre-ville", 2, 0.4)
    assert options[("Votre quartier", "est")] == ("Est", 1, 0.2), "an older version's option"
    assert options[("Quels services voulez-vous ?", "jeux")] == ("Jeux vidéo", 2, 0.4)
    assert options[("Êtes-vous d'accord avec le projet ?", "1")] == ("Pas du tout d'accord", 1,
                                                                      0.2)
    assert options[("Êtes-vous d'accord avec le projet ?", "4")] == ("4", 0, 0)
    assert {question for question, _ in options} == {
        "Votre quartier", "Quels services voulez-vous ?", "Êtes-vous d'accord avec le projet ?"}


def test_answers_have_labels_flags_numbers_and_times_in_the_zone(workbook_file: Path) -> None:
    sheet = openpyxl.load_workbook(workbook_file)["Réponses"]
    rows = values(sheet)
    assert rows[0] == HEADERS
    assert len(rows) == 1 + len(SAMPLE) + 1
    first, last = rows[1], rows[-1]
    assert first[:6] == ["Élodie Müller 😀", "Est", 1, 1, 0, 5]
    assert first[11] == datetime(2025, 3, 14, 10, 26, 53), "Paris time, 09:26:53 UTC"
    assert sheet.cell(2, 12).number_format == 'yyyy-mm-dd hh:mm:ss"+01:00"'
    assert first[12] == "en ligne"
    assert last[:9] == ["01000", "Centre-ville", 0, 1, 0, 2, "2025-03-14", "1e5", "yes"]
    assert last[9] == f"sonne{REPLACEMENT} ici"
    assert rows[3][0] == "'=HYPERLINK(\"http://x\")", "neutralised as in CSV"
    assert rows[3][7] == "'@SUM(A1)"
    assert sheet.freeze_panes == "A2"


def test_the_columns_sheet_describes_every_column(workbook_file: Path) -> None:
    rows = values(openpyxl.load_workbook(workbook_file)["Colonnes"])
    assert [row[0] for row in rows[1:]] == HEADERS
    services = rows[1 + HEADERS.index("Quels services voulez-vous ? / Café")]
    assert services[1:4] == ["services", "choices", "cafe"]
    assert "« Café »" in str(services[4])
    received = rows[1 + HEADERS.index("Reçue le")]
    assert received[1] == "received_at"
    assert "Europe/Paris" in str(received[4])
    scale = rows[1 + HEADERS.index("Êtes-vous d'accord avec le projet ?")]
    assert "de 1 : Pas du tout d'accord, à 5 : Tout à fait d'accord" in str(scale[4])


def test_summer_times_carry_their_own_offset(storage: MemoryStorage, tmp_path: Path) -> None:
    storage.store(NewAnswer(FORM_ID, NEW_FORM.version, {"nom": ["Été"]}, "paper",
                            datetime(2025, 7, 1, 12, 0, tzinfo=UTC), None, "summer"),
                  Duplicates())
    write_xlsx(storage, FORM_ID, tmp_path / "summer.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "summer.xlsx")["Réponses"]
    summer = sheet.cell(sheet.max_row, 12)
    assert summer.value == datetime(2025, 7, 1, 14, 0)
    assert summer.number_format == 'yyyy-mm-dd hh:mm:ss"+02:00"'


def test_another_time_zone_can_be_asked_for(storage: MemoryStorage) -> None:
    buffer = io.BytesIO()
    write_xlsx(storage, FORM_ID, buffer, zone_name="America/Martinique")
    sheet = openpyxl.load_workbook(buffer)["Réponses"]
    assert sheet.cell(2, 12).value == datetime(2025, 3, 14, 5, 26, 53)
    assert sheet.cell(2, 12).number_format == 'yyyy-mm-dd hh:mm:ss"-04:00"'


def test_an_english_form_gets_an_english_workbook(tmp_path: Path) -> None:
    memory = MemoryStorage()
    fill(memory)
    for index, schema in enumerate(memory.schemas):
        memory.schemas[index] = type(schema)(schema.form_id, schema.version, schema.manifest
                                             .replace('"language": "fr"', '"language": "en"')
                                             .replace('"Europe/Paris"', '"UTC"'),
                                             schema.registered_at)
    write_xlsx(memory, FORM_ID, tmp_path / "en.xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "en.xlsx")
    assert workbook.sheetnames == ["Tally", "Answers", "Columns"]
    assert values(workbook["Answers"])[0][-10:] == [
        "Receipt", "Received at", "Channel", "Language", "Form version", "Batch", "Place",
        "Entered by", "Left blank", "Spoiled"]
    assert workbook["Answers"].cell(2, 12).number_format == 'yyyy-mm-dd hh:mm:ss"+00:00"'


def test_nothing_is_written_for_an_unknown_form_or_zone(storage: MemoryStorage) -> None:
    buffer = io.BytesIO()
    with pytest.raises(UnknownForm):
        write_xlsx(storage, "avsi", buffer)
    with pytest.raises(UnknownTimeZone):
        write_xlsx(storage, FORM_ID, buffer, zone_name="Mars/Olympus")
    assert buffer.getvalue() == b""


def test_the_answers_are_read_once(storage: MemoryStorage) -> None:
    write_xlsx(storage, FORM_ID, io.BytesIO())
    assert storage.answers_read == len(SAMPLE) + 1


# -- LibreOffice --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def in_libreoffice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sheets]:
    """The sample workbook opened by LibreOffice Calc headless and saved as flat ODS."""
    folder = tmp_path_factory.mktemp("xlsx-libreoffice")
    memory = MemoryStorage()
    fill(memory)
    memory.store(NewAnswer(FORM_ID, NEW_FORM.version, TRICKY, "online", at(16, 7, 5), None,
                           "tricky"), Duplicates())
    write_xlsx(memory, FORM_ID, folder / "avis.xlsx", now=EXPORTED_AT)
    sheets = read_sheets(convert_to_fods(folder / "avis.xlsx", folder, None))
    # LibreOffice writes the empty rows after the last one as one repeated row.
    yield {name: [row for row in rows if row] for name, rows in sheets.items()}


def test_libreoffice_reads_the_sheets_in_order(
    in_libreoffice: Sheets,
) -> None:
    assert list(in_libreoffice) == SHEETS


def test_libreoffice_reads_text_as_text_and_runs_nothing(
    in_libreoffice: Sheets,
) -> None:
    rows = in_libreoffice["Réponses"]
    assert [cell.text for cell in rows[0]] == HEADERS
    last = rows[-1]
    assert last[0] == Cell("01000", None, "string"), "the postal code keeps its zero"
    assert last[6] == Cell("2025-03-14", None, "string"), "a date typed as text stays text"
    assert last[7] == Cell("1e5", None, "string")
    assert rows[3][0] == Cell("'=HYPERLINK(\"http://x\")", None, "string")
    assert all(cell.formula is None for sheet in in_libreoffice.values()
               for row in sheet for cell in row)


def test_libreoffice_reads_flags_and_steps_as_numbers(
    in_libreoffice: Sheets,
) -> None:
    first = in_libreoffice["Réponses"][1]
    assert [(cell.text, cell.value_type) for cell in first[1:6]] == [
        ("Est", "string"), ("1", "float"), ("1", "float"), ("0", "float"), ("5", "float")]


def test_libreoffice_reads_a_date_in_the_zone_showing_its_offset(
    in_libreoffice: Sheets,
) -> None:
    received = in_libreoffice["Réponses"][1][11]
    assert received.value_type == "date"
    assert received.value == "2025-03-14T10:26:53"
    assert received.text == "2025-03-14 10:26:53+01:00"


def test_libreoffice_reads_the_tally(in_libreoffice: Sheets) -> None:
    rows = in_libreoffice["Décompte"]
    assert [cell.text for cell in rows[2]] == ["Réponses", "5"]
    # The blank and spoiled table (the sample has a paper answer) starts with its own header.
    end = next(index for index, row in enumerate(rows) if index > 6 and row[0].text == "Question")
    shares = {(row[0].text, row[2].text): (row[3].text, row[4].text) for row in rows[7:end]}
    assert shares[("Votre quartier", "centre")] == ("2", "40.0%")


# -- paper and assisted answers -----------------------------------------------------------------

PAPER_COLUMNS = HEADERS.index("Lot")
MARKS_HEADER = ["Question", "Code de la question", "Laissée en blanc sur papier",
                "Illisible ou nulle sur papier"]


@pytest.fixture
def paper_workbook(tmp_path: Path) -> Path:
    memory = MemoryStorage()
    fill(memory)
    fill_paper(memory)
    path = tmp_path / "avis-papier.xlsx"
    write_xlsx(memory, FORM_ID, path, now=EXPORTED_AT)
    assert memory.batches_read == 1, "the batches are read once, not per answer"
    return path


def test_paper_answers_give_batch_place_typist_and_marks(paper_workbook: Path) -> None:
    rows = values(openpyxl.load_workbook(paper_workbook)["Réponses"])
    assert len(rows) == 1 + len(SAMPLE) + len(PAPER_ANSWERS) - 1, "the pending sheet is left out"
    by_receipt = {row[HEADERS.index("Reçu")]: row for row in rows[1:]}
    second = by_receipt["PAPR-0002"]
    assert second[PAPER_COLUMNS:] == [1, "Mairie annexe", "Awa", "accord", "quartier; services"]
    assert second[1:6] == [None, None, None, None, None], \
        "spoiled choice and checkbox group, blank scale: empty cells, no 0 flags"
    assert by_receipt["ASST-0001"][PAPER_COLUMNS:] == [None, None, "Chloé", None, None]
    assert by_receipt["ANSW-0001"][PAPER_COLUMNS:] == [None] * 5


def test_the_tally_counts_blank_and_spoiled_apart(paper_workbook: Path) -> None:
    rows = values(openpyxl.load_workbook(paper_workbook)["Décompte"])
    counts = {row[0]: row[1] for row in rows[3:7]}
    assert counts == {"Réponses": 8, "Canal : en ligne": 2, "Canal : papier": 4,
                      "Canal : accompagnée": 2}
    start = rows.index([*MARKS_HEADER, None]) + 1
    marks = {row[1]: (row[0], row[2], row[3]) for row in rows[start:]}
    assert marks["accord"] == ("Êtes-vous d'accord avec le projet ?", 2, 0)
    assert marks["services"] == ("Quels services voulez-vous ?", 0, 1)
    assert list(marks) == ["nom", "quartier", "services", "accord", "idees", "telephone",
                           "accepte", "horaires"]
    header = rows.index(["Question", "Option", "Valeur", "Nombre", "Part des réponses"])
    steps = [row[3] for row in rows[header + 1:start - 2]
             if row[0] == "Êtes-vous d'accord avec le projet ?"]
    assert steps == [1, 1, 1, 1, 1], "the two blank sheets are in no step"


def test_an_online_form_has_no_blank_and_spoiled_table(tmp_path: Path) -> None:
    memory = MemoryStorage()
    fill(memory)
    memory.rows = [row for row in memory.rows if row.channel != "paper"]
    write_xlsx(memory, FORM_ID, tmp_path / "en-ligne.xlsx")
    rows = values(openpyxl.load_workbook(tmp_path / "en-ligne.xlsx")["Décompte"])
    assert [*MARKS_HEADER, None] not in rows


def test_the_columns_sheet_says_what_the_paper_columns_hold(paper_workbook: Path) -> None:
    rows = values(openpyxl.load_workbook(paper_workbook)["Colonnes"])
    meanings = {row[1]: str(row[4]) for row in rows[1:] if row[2] is None}
    assert "numéro du lot" in meanings["batch"]
    assert "collecté" in meanings["place"]
    assert "vide en ligne" in meanings["entered_by"]
    assert "laissées en blanc" in meanings["blank"]
    assert "deux cases cochées" in meanings["spoiled"]
    flag = rows[1 + HEADERS.index("Quels services voulez-vous ? / Livres")][4]
    assert str(flag).endswith("ou quand la feuille papier a laissé la question en blanc ou nulle")


def test_libreoffice_reads_the_paper_columns(paper_workbook: Path, tmp_path: Path) -> None:
    sheets = read_sheets(convert_to_fods(paper_workbook, tmp_path, None))
    rows = [row for row in sheets["Réponses"] if row]
    assert [cell.text for cell in rows[0][PAPER_COLUMNS:]] == [
        "Lot", "Lieu", "Saisie par", "Laissées en blanc", "Illisibles ou nulles"]
    third = next(row for row in rows if row[HEADERS.index("Reçu")].text == "PAPR-0003")
    assert [(cell.text, cell.value_type) for cell in third[PAPER_COLUMNS:]] == [
        ("2", "float"), ("Marché couvert", "string"), ("Bruno", "string"), ("nom", "string"),
        ("idees", "string")]
    tally = [row for row in sheets["Décompte"] if row]
    start = [[cell.text for cell in row] for row in tally].index(MARKS_HEADER) + 1
    assert [cell.text for cell in tally[start + 3]] == [
        "Êtes-vous d'accord avec le projet ?", "accord", "2", "0"]


def test_openpyxl_writes_with_lxml() -> None:
    """lxml is a dependency for speed alone: without it openpyxl falls back to pure Python XML,
    about four times slower on a big export (bench/export.py)."""
    assert openpyxl.LXML
