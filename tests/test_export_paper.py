"""The exports of paper and assisted answers (issue #15): batch, place, who entered them,
blank and spoiled marks, pending sheets left out."""

from __future__ import annotations

import json

import pytest

from site_builder.collector.export import iter_export, iter_json
from site_builder.forms import located
from site_builder.forms.model import ANSWER_COLUMNS
from site_builder.forms.parse import parse_form
from site_builder.storage.base import FormSchema, StoredAnswer
from tests.export_support import (
    FORM_ID,
    NEW_FORM,
    PAPER_ANSWERS,
    SAMPLE,
    MemoryStorage,
    assert_bytes_golden,
    at,
    csv_bytes,
    csv_rows,
    fill,
    fill_paper,
    paper_entered,
)

# -- paper and assisted answers: batch, place, who entered it, blank and spoiled ----------------

@pytest.fixture
def with_paper() -> MemoryStorage:
    memory = MemoryStorage()
    fill(memory)
    fill_paper(memory)
    return memory


def cells_by_receipt(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    """Each row's cells by column name, by receipt."""
    return {cells["receipt"]: cells for cells in
            (dict(zip(rows[0], row, strict=True)) for row in rows[1:])}


def test_paper_csv_matches_its_golden(with_paper: MemoryStorage,
                                      request: pytest.FixtureRequest) -> None:
    assert_bytes_golden("avis-paper.csv", csv_bytes(with_paper), request)


def test_paper_json_matches_its_golden(with_paper: MemoryStorage,
                                       request: pytest.FixtureRequest) -> None:
    data = "".join(iter_json(with_paper, FORM_ID)).encode("utf-8")
    assert_bytes_golden("avis-paper.json", data, request)


def test_paper_answers_say_their_batch_place_typist_and_marks(with_paper: MemoryStorage) -> None:
    cells = cells_by_receipt(csv_rows(csv_bytes(with_paper)))
    first, second, third = cells["PAPR-0001"], cells["PAPR-0002"], cells["PAPR-0003"]
    assert [first[name] for name in ANSWER_COLUMNS[2:]] == [
        "paper", "fr", NEW_FORM.version, "1", "Mairie annexe", "Awa", "accord; telephone", ""
    ], "blank questions in the form's order, whatever order they were stored in"
    assert (second["batch"], second["place"], second["blank"], second["spoiled"]) == (
        "1", "Mairie annexe", "accord", "quartier; services")
    assert (third["batch"], third["place"], third["entered_by"]) == ("2", "Marché couvert",
                                                                      "Bruno")
    assert (third["blank"], third["spoiled"]) == ("nom", "idees")
    assert second["quartier"] == second["services"] == second["accord"] == "", \
        "a marked question's own cell is empty"
    assert second["idees"] == "'=1+1", "typed-in text is neutralised like any other"


def test_assisted_answers_name_their_mediator_and_online_ones_nothing(
    with_paper: MemoryStorage,
) -> None:
    cells = cells_by_receipt(csv_rows(csv_bytes(with_paper)))
    assisted = cells["ASST-0001"]
    assert [assisted[name] for name in ("channel", "batch", "place", "entered_by", "blank",
                                        "spoiled")] == ["assisted", "", "", "Chloé", "", ""]
    online = cells["ANSW-0001"]
    assert [online[name] for name in ANSWER_COLUMNS[5:]] == ["", "", "", "", ""]


def test_pending_answers_are_never_exported(with_paper: MemoryStorage) -> None:
    pending = next(answer for answer in PAPER_ANSWERS if answer.pending)
    rows = csv_rows(csv_bytes(with_paper))
    assert len(rows) == 1 + len(SAMPLE) + len(PAPER_ANSWERS) - 1
    assert "PAPR-0004" not in cells_by_receipt(rows)
    document = json.loads("".join(iter_json(with_paper, FORM_ID)))
    assert pending.receipt not in {answer["receipt"].replace("-", "")
                                   for answer in document["answers"]}


def test_wide_flags_of_a_marked_question_are_empty_not_0(with_paper: MemoryStorage) -> None:
    rows = csv_rows(csv_bytes(with_paper, wide=True))
    cells = cells_by_receipt(rows)
    flags = ["services/livres", "services/jeux", "services/cafe"]
    assert [cells["PAPR-0002"][name] for name in flags] == ["", "", ""], \
        "spoiled: no 0s, even when the store kept an empty list for it"
    assert [cells["PAPR-0001"][name] for name in flags] == ["1", "0", "0"]
    assert cells["PAPR-0002"]["spoiled"] == "quartier; services"


def test_json_gives_batch_place_typist_and_marks_as_data(with_paper: MemoryStorage) -> None:
    answers = {answer["receipt"]: answer
               for answer in json.loads("".join(iter_json(with_paper, FORM_ID)))["answers"]}
    second = answers["PAPR-0002"]
    assert {key: second[key] for key in ("batch", "place", "entered_by", "blank", "spoiled")} == {
        "batch": 1, "place": "Mairie annexe", "entered_by": "Awa", "blank": ["accord"],
        "spoiled": ["quartier", "services"]}
    assert "quartier" not in second["values"]
    assert answers["ASST-0001"]["entered_by"] == "Chloé"
    assert answers["ASST-0001"]["batch"] is None
    assert answers["ANSW-0001"]["entered_by"] is None


def test_a_mark_wins_over_a_value_stored_with_it(with_paper: MemoryStorage) -> None:
    with_paper.rows.append(StoredAnswer("PAPR0009", FORM_ID, NEW_FORM.version,
                                        {"quartier": ["nord"], "services": ["jeux"]}, "paper",
                                        at(17, 9), None, marks={"quartier": "spoiled",
                                                                "services": "spoiled"}))
    cells = cells_by_receipt(csv_rows(csv_bytes(with_paper, wide=True)))["PAPR-0009"]
    assert (cells["quartier"], cells["services/jeux"], cells["spoiled"]) == (
        "", "", "quartier; services"), "a question marked spoiled is in no option"


@pytest.mark.parametrize(("language", "headers"), [
    ("fr", ["Lot", "Lieu", "Saisie par", "Laissées en blanc", "Illisibles ou nulles"]),
    ("en", ["Batch", "Place", "Entered by", "Left blank", "Spoiled"]),
])
def test_labelled_headers_of_the_paper_columns_are_in_the_forms_language(
    with_paper: MemoryStorage, language: str, headers: list[str],
) -> None:
    for index, schema in enumerate(with_paper.schemas):
        with_paper.schemas[index] = FormSchema(
            schema.form_id, schema.version,
            schema.manifest.replace('"language": "fr"', f'"language": "{language}"'),
            schema.registered_at)
    rows = csv_rows(csv_bytes(with_paper, labels=True))
    assert rows[0][-5:] == headers
    paper = next(row for row in rows if row[-5] == "2")
    assert paper[-5:] == ["2", "Marché couvert", "Bruno", "nom", "idees"], \
        "question codes, as printed on the paper sheet"


@pytest.mark.parametrize("export_format", ["csv", "json"])
def test_batches_are_read_once_per_export(with_paper: MemoryStorage, export_format: str) -> None:
    list(iter_export(with_paper, FORM_ID, export_format))
    assert with_paper.batches_read == 1
    assert with_paper.answers_read == len(SAMPLE) + len(PAPER_ANSWERS) - 1


@pytest.mark.parametrize("taken", ["batch", "place", "entered_by", "blank", "spoiled"])
def test_a_question_cannot_take_a_paper_column_name(taken: str) -> None:
    form, problems = parse_form(located.load(
        f"id: avis-place\ntitle: Avis\nfields:\n  - {{id: {taken}, type: text, label: Lieu}}\n"),
        file="avis.md", line=1)
    assert form is None
    assert [(problem.message, problem.fix) for problem in problems] == [(
        f"the id '{taken}' is taken: exports give every answer a column of that name",
        f"rename the question, e.g. id: {taken}_question")]


def test_the_real_storage_exports_agreed_sheets_and_assisted_answers_only(
    storage_url: str,
) -> None:
    with paper_entered(storage_url) as (storage, batch):
        rows = csv_rows(csv_bytes(storage))
        cells = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
        assert [row["nom"] for row in cells] == ["Jeanne", "Lucie"], \
            "the sheet typed once (pending) is not exported"
        paper, assisted = cells
        assert [paper[name] for name in ("channel", "batch", "place", "entered_by", "blank",
                                         "spoiled", "quartier", "accord")] == [
            "paper", str(batch.id), "Marché couvert", "Awa", "accord", "quartier", "", ""]
        assert [assisted[name] for name in ("channel", "batch", "place", "entered_by")] == [
            "assisted", "", "", "Chloé"]
        document = json.loads("".join(iter_json(storage, FORM_ID)))
        assert [answer["batch"] for answer in document["answers"]] == [batch.id, None]
