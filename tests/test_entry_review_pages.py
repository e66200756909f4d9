"""Golden HTML of the review pages and the assisted form (issue #15), rendered from fixed data
so that every byte can be reviewed: the batch page a coordinator sees, the page of a sheet
whose typings differ, the assisted answer's form; and the words a batch's counts are said in."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from site_builder.collector.entry.assisted import assisted_main
from site_builder.collector.entry.page import csrf_input
from site_builder.collector.entry.review_batch_page import BatchView, Feedback, batch_main
from site_builder.collector.entry.review_sheet_page import (
    SheetFeedback,
    SheetView,
    differing,
    sheet_main,
)
from site_builder.collector.entry.review_words import close_refusal, difference
from site_builder.collector.settings import catalogue
from site_builder.forms.manifest import Manifest
from site_builder.storage.base import StoredAnswer
from site_builder.storage.entry import Batch, BatchProgress, Change, Sheet, StoredEntry
from tests.review_support import AREA, site_manifest
from tests.support import assert_golden

MORNING = datetime(2027, 1, 10, 9, 30, tzinfo=UTC)
TOKEN = "csrf-token-of-the-session"
BATCH = Batch(id=3, form_id="avis-place", place="Marché du samedi",
              collected_on=date(2027, 1, 9), sheets_counted=4, created_by="Awa",
              created_at=MORNING)
AWAS = StoredEntry(3, "Awa", MORNING, {"frequence": ["semaine"], "quartier": ["Les Tilleuls"]},
                   {"idee": "blank", "age": "spoiled"})
BRUNOS = StoredEntry(4, "Bruno", MORNING, {"frequence": ["mois"], "quartier": ["Les Tilleuls"]},
                     {"idee": "blank", "age": "blank"})
DIFFERING = Sheet(3, 2, "4F8HJ2KA", "differs", (AWAS, BRUNOS))
COUNTED = Sheet(3, 1, "7KQ2M9XD", "counted", (
    StoredEntry(1, "Awa", MORNING, {"quartier": ["La Gare"]}, {}),
    StoredEntry(2, "Bruno", MORNING, {"quartier": ["La Gare"]}, {})))
SENT_BACK = Sheet(3, 3, "9PQRW3TB", "awaiting_third", (
    StoredEntry(5, "Awa", MORNING, {"frequence": ["jour"]}, {}, discarded=True),
    StoredEntry(6, "Bruno", MORNING, {"frequence": ["semaine"]}, {}, discarded=True)))
"""A sheet a coordinator sent back: the page links to its third typing."""
CHANGES = (
    Change(1, "recounted", "Awa", MORNING, batch_id=3, before={"sheets_counted": 5},
           after={"sheets_counted": 4}, reason="pile recomptée"),
    Change(2, "corrected", "Awa", MORNING, batch_id=3, receipt="7KQ2M9XD",
           before={"values": {"quartier": ["La Gar"]}, "marks": {}},
           after={"values": {"quartier": ["La Gare"]}, "marks": {}}, reason="faute de frappe"),
)


@pytest.fixture(scope="module")
def manifest(example_site: Path) -> Manifest:
    return dataclasses.replace(site_manifest(example_site), double_entry=True)


def progress(**sheets: int) -> BatchProgress:
    counts = {"counted": 0, "awaiting_second": 0, "differs": 0, "awaiting_third": 0, **sheets}
    return BatchProgress(BATCH, counts)


def test_the_batch_page_of_a_coordinator(manifest: Manifest,
                                         request: pytest.FixtureRequest) -> None:
    view = BatchView(manifest, progress(counted=1, differs=1, awaiting_third=1),
                     (COUNTED, DIFFERING, SENT_BACK), CHANGES, AREA)
    html = batch_main(catalogue("fr"), view, coordinator=True, csrf_html=csrf_input(TOKEN),
                      feedback=Feedback())
    assert_golden("entry/review-batch.html", html + "\n", request)


def test_the_page_of_a_sheet_whose_typings_differ(manifest: Manifest,
                                                  request: pytest.FixtureRequest) -> None:
    answer = StoredAnswer("4F8HJ2KA", "avis-place", manifest.version, AWAS.values, "paper",
                          MORNING, None, entered_by="Awa", marks=AWAS.marks, batch_id=3,
                          sheet=2, pending=True)
    view = SheetView(answer, manifest, DIFFERING, BATCH, (), AREA)
    assert [question.id for question in differing(view, DIFFERING)] == ["frequence", "age"]
    html = sheet_main(catalogue("fr"), view, coordinator=True, csrf=TOKEN,
                      feedback=SheetFeedback())
    assert_golden("entry/review-sheet-differs.html", html + "\n", request)


def test_the_assisted_form(manifest: Manifest, request: pytest.FixtureRequest) -> None:
    title, html = assisted_main(manifest, AREA, "Bruno", TOKEN, values={}, errors={})
    assert title == "Réponse accompagnée\u00a0: " + manifest.form.title
    assert_golden("entry/assisted-form.html", html + "\n", request)


@pytest.mark.parametrize(("sheets", "words"), [
    ({}, "4 sheets missing"),
    ({"counted": 3}, "1 sheet missing"),
    ({"counted": 4}, "None. Every sheet counted by hand is entered."),
    ({"counted": 5}, "1 sheet more than counted"),
    ({"counted": 6}, "2 sheets more than counted"),
])
def test_a_batch_difference_is_said_in_words(sheets: dict[str, int], words: str) -> None:
    assert difference(catalogue("en"), progress(**sheets)) == words


def test_a_batch_closes_once_every_sheet_counted_by_hand_is_in_and_counts() -> None:
    english = catalogue("en")
    assert close_refusal(english, progress(counted=4)) is None
    waiting = close_refusal(english, progress(counted=2, differs=1, awaiting_second=1))
    assert waiting == ("This batch cannot be closed yet: 2 sheets do not count yet. They "
                       "wait for another typing or a decision on their differences.")
    assert close_refusal(english, progress(counted=3, differs=1)) == (
        "This batch cannot be closed yet: 1 sheet does not count yet. It waits for another "
        "typing or a decision on its differences.")
    missing = close_refusal(english, progress(counted=1))
    assert missing is not None and missing.startswith(
        "This batch cannot be closed yet: 3 sheets missing.")
