"""The CSV and JSON exports (site_builder.collector.export) of the sample answers."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from site_builder.collector.columns import SchemaError, UnknownForm, merge_versions
from site_builder.collector.export import (
    iter_csv,
    iter_export,
    iter_json,
    neutralise_formula,
    received_at_text,
)
from site_builder.forms.model import ANSWER_COLUMNS
from site_builder.storage.base import Duplicates, FormSchema, NewAnswer, StoredAnswer
from tests.export_support import (
    FORM_ID,
    NEW_FORM,
    QUARANTINED,
    SAMPLE,
    MemoryStorage,
    at,
    fill,
)

GOLDENS = Path(__file__).parent / "goldens" / "export"
COLUMNS = ["nom", "quartier", "services", "accord", "idees", "telephone", "accepte", "horaires"]
"""The newest version's questions in order, then the one only the older version had."""


@pytest.fixture
def storage() -> MemoryStorage:
    memory = MemoryStorage()
    fill(memory)
    return memory


def assert_bytes_golden(name: str, actual: bytes, request: pytest.FixtureRequest) -> None:
    """Compare ``actual`` with ``tests/goldens/export/<name>`` byte for byte (BOM, CRLF)."""
    path = GOLDENS / name
    if request.config.getoption("--update-goldens"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
        return
    if not path.exists():
        pytest.fail(f"no golden file {path}: run pytest with --update-goldens and review it")
    with path.open(encoding="utf-8", newline="") as golden:
        expected = golden.read()
    assert actual.decode("utf-8") == expected, f"{name} differs; review, then --update-goldens"
    assert actual == path.read_bytes()


def csv_bytes(storage: MemoryStorage, form_id: str = FORM_ID) -> bytes:
    return "".join(iter_csv(storage, form_id)).encode("utf-8")


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no byte order mark"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_matches_its_golden(storage: MemoryStorage, request: pytest.FixtureRequest) -> None:
    assert_bytes_golden("avis.csv", csv_bytes(storage), request)


def test_json_matches_its_golden(storage: MemoryStorage, request: pytest.FixtureRequest) -> None:
    data = "".join(iter_json(storage, FORM_ID)).encode("utf-8")
    assert_bytes_golden("avis.json", data, request)


def test_csv_is_utf8_with_a_bom_and_crlf_line_ends(storage: MemoryStorage) -> None:
    data = csv_bytes(storage)
    header = ",".join([*COLUMNS, *ANSWER_COLUMNS]).encode()
    assert data.startswith(b"\xef\xbb\xbf" + header + b"\r\n")
    assert data.endswith(b"\r\n")
    assert "Élodie Müller 😀".encode() in data
    # Every line break outside a quoted cell is CRLF; the one inside a cell is kept as typed.
    assert data.count(b"\r\n") == 1 + len(SAMPLE)
    assert b'"Premi\xc3\xa8re ligne\nDeuxi' in data


def test_columns_are_newest_questions_then_older_ones_then_the_answer_columns(
    storage: MemoryStorage,
) -> None:
    assert csv_rows(csv_bytes(storage))[0] == [*COLUMNS, *ANSWER_COLUMNS]
    assert json.loads("".join(iter_json(storage, FORM_ID)))["columns"] == COLUMNS


def test_csv_cells_are_the_values_with_formulas_neutralised(storage: MemoryStorage) -> None:
    rows = csv_rows(csv_bytes(storage))[1:]
    assert len(rows) == len(SAMPLE), "one row per answer, the quarantined one left out"
    for row, (form, channel, received_at, values) in zip(rows, SAMPLE, strict=True):
        cells = dict(zip([*COLUMNS, *ANSWER_COLUMNS], row, strict=True))
        for column in COLUMNS:
            assert cells[column] == neutralise_formula("; ".join(values.get(column, [])))
        assert cells["channel"] == channel
        assert cells["form_version"] == form.version
        assert cells["received_at"] == received_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    by_name = {row[0]: row for row in rows}
    assert by_name["'=HYPERLINK(\"http://x\")"][COLUMNS.index("telephone")] == "'@SUM(A1)"
    assert by_name["'=HYPERLINK(\"http://x\")"][COLUMNS.index("idees")] == "'-5 %"
    assert by_name["'\tTabulation"][COLUMNS.index("telephone")] == "'\uff1d1+1"
    assert by_name["'\tTabulation"][COLUMNS.index("idees")] == "'\rRetour chariot"
    assert by_name["'\tTabulation"][COLUMNS.index("services")] == "livres; cafe"
    assert by_name["<script>alert('x')</script>"][COLUMNS.index("telephone")] == \
        "'+33 6 12 34 56 78"
    assert by_name["<script>alert('x')</script>"][COLUMNS.index("accord")] == "", "unanswered"


def test_receipts_are_exported_as_people_read_them(storage: MemoryStorage) -> None:
    rows = csv_rows(csv_bytes(storage))
    assert [row[-4] for row in rows[1:]] == ["ANSW-0001", "ANSW-0002", "ANSW-0003", "ANSW-0004"]


@pytest.mark.parametrize("cell", ["=1+1", "+33", "-5 %", "@SUM(A1)", "\tx", "\rx", "\uff1d1",
                                  "\uff0b1", "\uff0d1", "\uff20x"])
def test_a_cell_a_spreadsheet_would_run_gets_a_quote(cell: str) -> None:
    assert neutralise_formula(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["", "a=1", "5 %", "'déjà cité", " =1", "\nx", "(1+1)"])
def test_other_cells_are_verbatim(cell: str) -> None:
    assert neutralise_formula(cell) == cell


def test_headers_are_neutralised_too() -> None:
    memory = MemoryStorage()
    memory.store(NewAnswer(FORM_ID, "v0", {"=cmd": ["1"]}, "online", at(1, 0), None, "f"),
                 Duplicates())
    assert csv_rows(csv_bytes(memory))[0][0] == "'=cmd"


def test_json_holds_raw_values_and_leaves_out_quarantined_answers(
    storage: MemoryStorage,
) -> None:
    document = json.loads("".join(iter_json(storage, FORM_ID)))
    assert document["form"] == FORM_ID
    assert [answer["values"] for answer in document["answers"]] == [
        values for *_, values in SAMPLE
    ]
    assert document["answers"][2] == {
        "receipt": "ANSW-0003", "received_at": "2025-03-15T08:00:00Z", "channel": "assisted",
        "form_version": NEW_FORM.version, "values": SAMPLE[2][3],
    }
    assert QUARANTINED[3]["nom"] not in [a["values"]["nom"] for a in document["answers"]]


def test_a_form_without_answers_exports_its_header_or_an_empty_list() -> None:
    memory = MemoryStorage()
    fill(memory)
    memory.rows.clear()
    assert csv_rows(csv_bytes(memory)) == [[*COLUMNS, *ANSWER_COLUMNS]]
    assert json.loads("".join(iter_json(memory, FORM_ID)))["answers"] == []


def test_without_a_stored_version_columns_come_from_the_answers_in_order() -> None:
    memory = MemoryStorage()
    for index, values in enumerate([{"b": ["1"], "a": ["2"]}, {"c": ["3"], "a": ["4"]}]):
        memory.store(NewAnswer("f", "v0", values, "paper", at(1, index), None, str(index)),
                     Duplicates())
    assert csv_rows(csv_bytes(memory, "f")) == [
        ["b", "a", "c", *ANSWER_COLUMNS],
        ["1", "2", "", "ANSW-0001", "2025-03-01T00:00:00Z", "paper", "v0"],
        ["", "4", "3", "ANSW-0002", "2025-03-01T01:00:00Z", "paper", "v0"],
    ]


@pytest.mark.parametrize("export", [iter_csv, iter_json])
def test_an_unknown_form_is_refused_before_any_output_naming_the_known_ones(
    storage: MemoryStorage, export: object
) -> None:
    assert callable(export)
    with pytest.raises(UnknownForm) as caught:
        export(storage, "avsi")
    assert "no form 'avsi'" in str(caught.value)
    assert "atelier, avis" in str(caught.value)
    assert "How to fix" in str(caught.value)


def test_an_empty_database_says_it_knows_no_form() -> None:
    with pytest.raises(UnknownForm, match="none yet"):
        iter_csv(MemoryStorage(), FORM_ID)


def test_an_unreadable_stored_version_is_reported() -> None:
    memory = MemoryStorage()
    memory.register_form(FORM_ID, "abc", "{not json")
    with pytest.raises(SchemaError, match="version abc of form 'avis' cannot be read"):
        iter_csv(memory, FORM_ID)


@pytest.mark.parametrize("export_format", ["csv", "json"])
def test_exports_stream_one_answer_at_a_time(
    storage: MemoryStorage, export_format: str
) -> None:
    chunks = iter_export(storage, FORM_ID, export_format)
    assert storage.answers_read == 0
    next(chunks)
    next(chunks)
    assert storage.answers_read == 1, "the first answer's chunk came before reading the rest"
    list(chunks)
    assert storage.answers_read == len(SAMPLE)


def test_iter_export_refuses_an_unknown_format(storage: MemoryStorage) -> None:
    with pytest.raises(ValueError, match="xml"):
        iter_export(storage, FORM_ID, "xml")


def test_received_at_is_utc_to_the_second() -> None:
    paris = timezone(timedelta(hours=1))
    answer = StoredAnswer("ANSW0001", "f", "v", {}, "online",
                          datetime(2025, 3, 1, 0, 30, 59, 999_999, tzinfo=paris), None)
    assert received_at_text(answer) == "2025-02-28T23:30:59Z"


def test_older_questions_come_newest_version_first_each_in_its_own_order() -> None:
    def schema(version: str, *field_ids: str) -> FormSchema:
        fields = [{"id": field_id, "type": "text", "label": field_id.upper()}
                  for field_id in field_ids]
        return FormSchema("f", version, json.dumps({"title": version, "fields": fields}), at(1, 0))

    merged = merge_versions("f", [schema("v1", "a", "b", "c"), schema("v2", "a", "c", "d"),
                                  schema("v3", "a", "e")])
    assert merged.ids == ["a", "e", "c", "d", "b"]
    assert merged.title == "v3"
