"""The CSV and JSON exports (site_builder.collector.export) of the sample answers, and the
table they share (answer_table: labels, wide columns, the consultation's time zone)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from site_builder.collector import answer_table
from site_builder.collector.answer_table import UnknownTimeZone, time_text
from site_builder.collector.columns import SchemaError, UnknownForm, merge_versions
from site_builder.collector.export import iter_csv, iter_export, iter_json, neutralise_formula
from site_builder.forms.model import ANSWER_COLUMNS
from site_builder.storage.base import Duplicates, FormSchema, NewAnswer, StoredAnswer
from tests.export_support import (
    FORM_ID,
    NEW_FORM,
    QUARANTINED,
    SAMPLE,
    MemoryStorage,
    assert_bytes_golden,
    at,
    csv_bytes,
    csv_rows,
    fill,
)

COLUMNS = ["nom", "quartier", "services", "accord", "idees", "telephone", "accepte", "horaires"]
"""The newest version's questions in order, then the one only the older version had."""
PARIS = ZoneInfo("Europe/Paris")
"""The sample forms are French and name no zone: Paris is the default."""


@pytest.fixture
def storage() -> MemoryStorage:
    memory = MemoryStorage()
    fill(memory)
    return memory


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
        assert cells["received_at"] == received_at.astimezone(PARIS).isoformat()
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
    receipt = len(COLUMNS) + ANSWER_COLUMNS.index("receipt")
    assert [row[receipt] for row in rows[1:]] == ["ANSW-0001", "ANSW-0002", "ANSW-0003",
                                                  "ANSW-0004"]


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
        "receipt": "ANSW-0003", "received_at": "2025-03-15T09:00:00+01:00", "channel": "assisted",
        "language": "fr",
        "form_version": NEW_FORM.version, "batch": None, "place": None, "entered_by": None,
        "blank": [], "spoiled": [], "values": SAMPLE[2][3],
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
        ["1", "2", "", "ANSW-0001", "2025-03-01T00:00:00+00:00", "paper", "", "v0", "", "", "",
         "",
         ""],
        ["", "4", "3", "ANSW-0002", "2025-03-01T01:00:00+00:00", "paper", "", "v0", "", "", "",
         "",
         ""],
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


@pytest.mark.parametrize(("moment", "zone", "written"), [
    (datetime(2025, 3, 1, 0, 30, 59, 999_999, tzinfo=UTC), "Europe/Paris",
     "2025-03-01T01:30:59+01:00"),
    (datetime(2025, 7, 1, 23, 30, tzinfo=UTC), "Europe/Paris", "2025-07-02T01:30:00+02:00"),
    (datetime(2025, 7, 1, 23, 30, tzinfo=UTC), "America/Martinique", "2025-07-01T19:30:00-04:00"),
    (datetime(2025, 7, 1, 23, 30, tzinfo=UTC), "UTC", "2025-07-01T23:30:00+00:00"),
])
def test_received_at_is_in_the_zone_to_the_second_with_its_offset(
    moment: datetime, zone: str, written: str
) -> None:
    answer = StoredAnswer("ANSW0001", "f", "v", {}, "online", moment, None)
    assert time_text(answer_table.received_at(answer, ZoneInfo(zone))) == written


def test_older_questions_come_newest_version_first_each_in_its_own_order() -> None:
    def schema(version: str, *field_ids: str) -> FormSchema:
        fields = [{"id": field_id, "type": "text", "label": field_id.upper()}
                  for field_id in field_ids]
        return FormSchema("f", version, json.dumps({"title": version, "fields": fields}), at(1, 0))

    merged = merge_versions("f", [schema("v1", "a", "b", "c"), schema("v2", "a", "c", "d"),
                                  schema("v3", "a", "e")])
    assert merged.ids == ["a", "e", "c", "d", "b"]
    assert merged.title == "v3"


# -- labels, wide columns, time zones ------------------------------------------------------------

LABELLED = ["Votre nom", "Votre quartier", "Quels services voulez-vous ?",
            "Êtes-vous d'accord avec le projet ?", "Vos idées", "Votre téléphone", "J'accepte",
            "Quels horaires ?", "Reçu", "Reçue le", "Canal", "Langue", "Version du formulaire",
            "Lot",
            "Lieu", "Saisie par", "Laissées en blanc", "Illisibles ou nulles"]
CHANNEL = len(COLUMNS) + ANSWER_COLUMNS.index("channel")
WIDE = ["nom", "quartier", "services/livres", "services/jeux", "services/cafe", "accord",
        "idees", "telephone", "accepte", "horaires", *ANSWER_COLUMNS]


def test_the_default_csv_has_ids_and_values_as_before(storage: MemoryStorage) -> None:
    rows = csv_rows(csv_bytes(storage))
    assert rows[0] == [*COLUMNS, *ANSWER_COLUMNS]
    assert [row[1] for row in rows[1:]] == ["est", "sud", "nord", "centre"]
    assert [row[2] for row in rows[1:]] == ["livres; jeux", "", "cafe", "livres; cafe"]


def test_labels_give_question_texts_and_option_labels_in_the_forms_language(
    storage: MemoryStorage,
) -> None:
    rows = csv_rows(csv_bytes(storage, labels=True))
    assert rows[0] == LABELLED
    # "est" is an option only the older version offered: its label comes from that version.
    assert [row[1] for row in rows[1:]] == ["Est", "Sud", "Nord", "Centre-ville"]
    assert [row[2] for row in rows[1:]] == ["Livres; Jeux vidéo", "", "Café", "Livres; Café"]
    assert [row[3] for row in rows[1:]] == ["5", "", "1", "3"], "a scale keeps its numbers"
    assert [row[CHANNEL] for row in rows[1:]] == ["en ligne", "papier", "accompagnée",
                                                  "en ligne"]
    assert rows[1][0] == "Élodie Müller 😀"
    assert rows[3][0] == "'=HYPERLINK(\"http://x\")", "still neutralised"


def test_wide_gives_one_0_1_column_per_option_of_a_multiple_choice(
    storage: MemoryStorage,
) -> None:
    rows = csv_rows(csv_bytes(storage, wide=True))
    assert rows[0] == WIDE
    flags = [row[2:5] for row in rows[1:]]
    assert flags == [["1", "1", "0"], ["0", "0", "0"], ["0", "0", "1"], ["1", "0", "1"]]
    assert [row[1] for row in rows[1:]] == ["est", "sud", "nord", "centre"], "one choice: as is"


def test_wide_leaves_a_question_its_version_did_not_ask_empty() -> None:
    memory = MemoryStorage()
    fill(memory)
    memory.store(NewAnswer(FORM_ID, NEW_FORM.version, {"nom": ["Sans services"]}, "paper",
                           at(20, 9), None, "no-services"), Duplicates())
    last = csv_rows(csv_bytes(memory, wide=True))[-1]
    assert last[:5] == ["Sans services", "", "", "", ""]


def test_labels_and_wide_together_name_columns_question_then_option(
    storage: MemoryStorage,
) -> None:
    header = csv_rows(csv_bytes(storage, labels=True, wide=True))[0]
    assert header[2:5] == ["Quels services voulez-vous ? / Livres",
                           "Quels services voulez-vous ? / Jeux vidéo",
                           "Quels services voulez-vous ? / Café"]


def test_an_option_only_an_older_version_offered_gets_its_wide_column() -> None:
    def schema(version: str, options: list[tuple[str, str]]) -> FormSchema:
        field = {"id": "q", "type": "choices", "label": "Q",
                 "options": [{"value": value, "label": label} for value, label in options]}
        return FormSchema("f", version, json.dumps({"fields": [field]}), at(1, 0))

    merged = merge_versions("f", [schema("v1", [("a", "A ancien"), ("b", "B")]),
                                  schema("v2", [("a", "A"), ("c", "C")])])
    question = merged.questions[0]
    assert [(o.value, o.label) for o in question.options] == [("a", "A"), ("c", "C")]
    assert [(o.value, o.label) for o in question.former_options] == [("b", "B")]


def test_times_follow_the_zone_the_manifest_names() -> None:
    memory = MemoryStorage()
    fill(memory)
    manifest = json.loads(memory.schemas[1].manifest)
    memory.schemas[1] = FormSchema(FORM_ID, NEW_FORM.version,
                                   json.dumps({**manifest, "time_zone": "Indian/Reunion"}),
                                   at(1, 0))
    rows = csv_rows(csv_bytes(memory))
    assert rows[1][len(COLUMNS) + 1] == "2025-03-14T13:26:53+04:00"


def test_time_zone_overrides_the_consultations(storage: MemoryStorage) -> None:
    received = csv_rows(csv_bytes(storage, zone_name="UTC"))[1][CHANNEL - 1]
    assert received == "2025-03-14T09:26:53+00:00"
    document = json.loads("".join(iter_json(storage, FORM_ID, zone_name="America/Cayenne")))
    assert document["answers"][0]["received_at"] == "2025-03-14T06:26:53-03:00"


def test_an_unknown_time_zone_is_refused_with_the_closest_names(storage: MemoryStorage) -> None:
    with pytest.raises(UnknownTimeZone) as caught:
        iter_csv(storage, FORM_ID, zone_name="europe/paris")
    assert "'europe/paris'" in str(caught.value)
    assert "Europe/Paris" in str(caught.value)
