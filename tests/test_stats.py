"""Answer counts (site_builder.collector.stats) on the sample answers."""

from __future__ import annotations

import json
from datetime import date

import pytest

from site_builder.collector.columns import UnknownForm
from site_builder.collector.stats import (
    OptionCount,
    QuestionMarks,
    all_stats,
    form_stats,
    stats_json,
)
from site_builder.collector.stats_report import stats_text
from site_builder.messages import speaking
from site_builder.storage.base import Duplicates, NewAnswer, StoredAnswer
from site_builder.storage.entry import Batch, BatchProgress
from tests.export_support import (
    FORM_ID,
    OTHER_FORM_ID,
    MemoryStorage,
    at,
    fill,
    fill_paper,
    paper_entered,
)


@pytest.fixture
def storage() -> MemoryStorage:
    memory = MemoryStorage()
    fill(memory)
    return memory


def test_totals_days_and_channels(storage: MemoryStorage) -> None:
    stats = form_stats(storage, FORM_ID)
    assert stats.title == "Votre avis sur la médiathèque", "the newest version's title"
    assert (stats.answers, stats.quarantined) == (4, 1)
    assert stats.per_day == {date(2025, 3, 14): 2, date(2025, 3, 15): 2}
    assert stats.per_channel == {"online": 2, "paper": 1, "assisted": 1}


def test_choice_questions_count_every_option_in_form_order(storage: MemoryStorage) -> None:
    questions = {question.field_id: question for question in form_stats(storage, FORM_ID).questions}
    assert list(questions) == ["quartier", "services", "accord"], "text fields are not counted"
    assert questions["quartier"].options == (
        OptionCount("nord", "Nord", 1), OptionCount("sud", "Sud", 1),
        OptionCount("centre", "Centre-ville", 1), OptionCount("est", None, 1),
    ), "newest labels; a value only the old version offered comes last, without a label"
    assert questions["services"].options == (
        OptionCount("livres", "Livres", 2), OptionCount("jeux", "Jeux vidéo", 1),
        OptionCount("cafe", "Café", 2),
    ), "each box of a checkbox group counts"
    assert questions["accord"].options == (
        OptionCount("1", "Pas du tout d'accord", 1), OptionCount("2", "2", 0),
        OptionCount("3", "3", 1), OptionCount("4", "4", 0),
        OptionCount("5", "Tout à fait d'accord", 1),
    ), "a scale counts per step (its ends labelled in words), never chosen steps with 0"


def test_a_form_without_answers_has_zero_everywhere() -> None:
    memory = MemoryStorage()
    fill(memory)
    memory.rows.clear()
    stats = form_stats(memory, FORM_ID)
    assert (stats.answers, stats.quarantined, stats.per_day) == (0, 0, {})
    assert stats.per_channel == {"online": 0, "paper": 0, "assisted": 0}
    assert all(option.count == 0 for question in stats.questions for option in question.options)
    assert "  Per day (UTC)\n    (none)\n" in stats_text(stats)


def test_all_stats_covers_every_form_by_id(storage: MemoryStorage) -> None:
    assert [stats.form_id for stats in all_stats(storage)] == [OTHER_FORM_ID, FORM_ID]


def test_unknown_form(storage: MemoryStorage) -> None:
    with pytest.raises(UnknownForm, match="atelier, avis"):
        form_stats(storage, "nope")


def test_text_report_is_aligned(storage: MemoryStorage) -> None:
    text = stats_text(form_stats(storage, FORM_ID))
    assert text.startswith("Form avis — Votre avis sur la médiathèque\n")
    assert "  answers                  4\n  quarantined (spam trap)  1\n" in text
    assert "    2025-03-14  2\n    2025-03-15  2\n" in text
    assert "    online    2\n    paper     1\n    assisted  1\n" in text
    assert "  quartier (choice): Votre quartier\n" in text
    assert "    centre  Centre-ville         1\n    est     (no longer offered)  1\n" in text
    assert "    1  Pas du tout d'accord  1\n    2                        0\n" in text


def test_text_report_of_every_form_and_of_none(storage: MemoryStorage) -> None:
    report = stats_text(all_stats(storage))
    assert report.index("Form atelier") < report.index("Form avis")
    assert "Per day (UTC)\n    2025-03-16  1\n" in report
    assert stats_text([]).startswith("No forms in this database yet")


def test_json_is_json_ready(storage: MemoryStorage) -> None:
    data = stats_json(form_stats(storage, FORM_ID))
    assert json.loads(json.dumps(data)) == data
    assert data["per_day"] == {"2025-03-14": 2, "2025-03-15": 2}
    assert data["questions"][0]["options"][-1] == {"value": "est", "label": None, "count": 1}
    every = stats_json(all_stats(storage))
    assert [form["form"] for form in every["forms"]] == [OTHER_FORM_ID, FORM_ID]


def test_a_channel_parole_does_not_know_is_counted_after_the_known_ones() -> None:
    memory = MemoryStorage()
    memory.store(NewAnswer("f", "v0", {}, "fax", at(1, 0), None, "f"), Duplicates())
    assert form_stats(memory, "f").per_channel == {"online": 0, "paper": 0, "assisted": 0,
                                                   "fax": 1}


# -- paper: batches, blank and spoiled ----------------------------------------------------------

@pytest.fixture
def with_paper() -> MemoryStorage:
    memory = MemoryStorage()
    fill(memory)
    fill_paper(memory)
    return memory


def test_paper_and_assisted_answers_count_by_channel_pending_ones_nowhere(
    with_paper: MemoryStorage,
) -> None:
    stats = form_stats(with_paper, FORM_ID)
    assert stats.answers == 8, "4 sample answers, 3 paper sheets counted, 1 assisted"
    assert stats.per_channel == {"online": 2, "paper": 4, "assisted": 2}
    quartier = {option.value: option.count for option in stats.questions[0].options}
    assert quartier == {"nord": 2, "sud": 2, "centre": 2, "est": 1}, \
        "the pending sheet's 'centre' is not counted; a spoiled answer is in no option"


def test_blank_and_spoiled_are_counted_per_question_apart_from_options(
    with_paper: MemoryStorage,
) -> None:
    stats = form_stats(with_paper, FORM_ID)
    marks = {mark.field_id: (mark.blank, mark.spoiled) for mark in stats.marks}
    assert list(marks) == ["nom", "quartier", "services", "accord", "idees", "telephone",
                           "accepte", "horaires"], "every question, text ones too, form order"
    assert marks == {"nom": (1, 0), "quartier": (0, 1), "services": (0, 1), "accord": (2, 0),
                     "idees": (0, 1), "telephone": (1, 0), "accepte": (0, 0),
                     "horaires": (0, 0)}, "the pending sheet's blank and spoiled not counted"
    accord = {option.value: option.count for option in stats.questions[2].options}
    assert sum(accord.values()) == 5, "two blank sheets add nothing to the scale's steps"


def test_a_mark_wins_over_a_value_stored_with_it() -> None:
    memory = MemoryStorage()
    fill(memory)
    memory.rows.clear()
    memory.rows.append(StoredAnswer("PAPR0009", FORM_ID, "v", {"quartier": ["nord"]}, "paper",
                                    at(16, 9), None, marks={"quartier": "spoiled"}))
    stats = form_stats(memory, FORM_ID)
    assert all(option.count == 0 for option in stats.questions[0].options)
    assert stats.marks[1] == QuestionMarks("quartier", "Votre quartier", 0, 1)


def test_a_marked_question_no_version_has_is_counted_last(with_paper: MemoryStorage) -> None:
    with_paper.rows.append(StoredAnswer("PAPR0010", FORM_ID, "v", {}, "paper", at(16, 9), None,
                                        marks={"ancienne": "blank"}))
    assert form_stats(with_paper, FORM_ID).marks[-1] == QuestionMarks("ancienne", "ancienne",
                                                                     1, 0)


def test_batches_come_with_their_counts_and_states(with_paper: MemoryStorage) -> None:
    stats = form_stats(with_paper, FORM_ID)
    assert [(progress.batch.place, progress.entered, progress.difference)
            for progress in stats.batches] == [("Mairie annexe", 2, 0), ("Marché couvert", 2, 2)]
    assert with_paper.batches_read == 1
    assert form_stats(with_paper, OTHER_FORM_ID).batches == (), "a form's own batches only"


def test_the_text_report_reconciles_batches(with_paper: MemoryStorage) -> None:
    text = stats_text(form_stats(with_paper, FORM_ID))
    assert (
        "  Batches of paper sheets\n"
        "    batch  place           collected   hand count  entered  difference  state\n"
        "        1  Mairie annexe   2025-03-13           2        2           0  closed\n"
        "        2  Marché couvert  2025-03-15           4        2           2"
        "  open: 1 sheet awaiting a second entry\n"
        "    batch 2 (Marché couvert): 2 sheets counted by hand are not entered yet\n"
    ) in text
    assert "    online    2\n    paper     4\n    assisted  2\n" in text


def test_the_text_report_counts_blank_and_spoiled_apart(with_paper: MemoryStorage) -> None:
    text = stats_text(form_stats(with_paper, FORM_ID))
    assert text.endswith(
        "  Left blank or spoiled on paper, per question\n"
        "    question   blank  spoiled\n"
        "    nom            1        0\n"
        "    quartier       0        1\n"
        "    services       0        1\n"
        "    accord         2        0\n"
        "    idees          0        1\n"
        "    telephone      1        0\n"
        "    accepte        0        0\n"
        "    horaires       0        0\n")


def test_a_form_without_paper_has_no_paper_tables() -> None:
    memory = MemoryStorage()
    fill(memory)
    memory.rows = [row for row in memory.rows if row.channel != "paper"]
    text = stats_text(form_stats(memory, FORM_ID))
    assert "Batches" not in text
    assert "blank" not in text


def _progress(number: int, counted: int, sheets: dict[str, int], *,
              closed: bool = False) -> BatchProgress:
    batch = Batch(number, FORM_ID, f"Lieu {number}", date(2025, 3, 15), counted, "Chloé",
                  at(16, 8), at(16, 9) if closed else None)
    states = {"counted": 0, "awaiting_second": 0, "differs": 0, "awaiting_third": 0}
    return BatchProgress(batch, states | sheets)


def test_every_batch_state_is_said_in_both_languages() -> None:
    memory = MemoryStorage()
    fill(memory)
    memory.progress = [
        _progress(1, 3, {"counted": 3}),
        _progress(2, 5, {"counted": 1, "awaiting_second": 2, "differs": 1, "awaiting_third": 1}),
        _progress(3, 2, {"counted": 3}),
        _progress(4, 1, {"counted": 1}, closed=True),
    ]
    stats = form_stats(memory, FORM_ID)
    english = stats_text(stats)
    assert "    1  Lieu 1  2025-03-15           3        3           0  open, ready to close\n" \
        in english
    assert ("open: 2 sheets awaiting a second entry, 1 sheet whose entries differ, "
            "1 sheet awaiting a third entry\n") in english
    assert "    3  Lieu 3  2025-03-15           2        3          -1  open\n" in english
    assert "    batch 3 (Lieu 3): 1 sheet more entered than counted by hand: count the stack " \
        "again\n" in english
    assert "batch 2 (" not in english, "every sheet of batch 2 is entered: no difference"
    with speaking("fr"):
        french = stats_text(stats)
    assert "    lot  lieu    collecté le  compte à la main  saisies  écart  état\n" in french
    assert ("ouvert : 2 feuilles en attente d'une deuxième saisie, 1 feuille dont les saisies "
            "diffèrent, 1 feuille en attente d'une troisième saisie\n") in french
    assert "lot 3 (Lieu 3) : 1 feuille saisie de plus que le compte à la main : recomptez la " \
        "pile\n" in french
    assert "  clos\n" in french


def test_json_gives_batches_and_marks(with_paper: MemoryStorage) -> None:
    data = stats_json(form_stats(with_paper, FORM_ID))
    assert json.loads(json.dumps(data)) == data
    assert data["batches"][1] == {
        "batch": 2, "place": "Marché couvert", "collected_on": "2025-03-15", "sheets_counted": 4,
        "entered": 2, "difference": 2,
        "sheets": {"counted": 1, "awaiting_second": 1, "differs": 0, "awaiting_third": 0},
        "closed": False, "closed_at": None}
    assert data["batches"][0]["closed"] is True
    assert data["batches"][0]["closed_at"] == "2025-03-16T18:00:00+00:00"
    assert data["marks"][3] == {"id": "accord", "label": "Êtes-vous d'accord avec le projet ?",
                                "blank": 2, "spoiled": 0}
    assert data["per_channel"] == {"online": 2, "paper": 4, "assisted": 2}


def test_the_real_storage_counts_agreed_sheets_and_shows_the_pending_one(
    storage_url: str,
) -> None:
    with paper_entered(storage_url) as (storage, batch):
        stats = form_stats(storage, FORM_ID)
        assert stats.per_channel == {"online": 0, "paper": 1, "assisted": 1}, \
            "the sheet typed once does not count yet"
        assert stats.answers == 2
        [progress] = stats.batches
        assert progress.batch.id == batch.id
        assert (progress.batch.sheets_counted, progress.entered, progress.difference) == (3, 2, 1)
        assert progress.sheets == {"counted": 1, "awaiting_second": 1, "differs": 0,
                                   "awaiting_third": 0}
        marks = {mark.field_id: (mark.blank, mark.spoiled) for mark in stats.marks}
        assert (marks["quartier"], marks["accord"], marks["nom"]) == ((0, 1), (1, 0), (0, 0)), \
            "one agreed sheet's marks, counted once though typed twice"
        nord = next(option for option in stats.questions[0].options if option.value == "nord")
        assert nord.count == 1, "the assisted answer"
        text = stats_text(stats)
        assert (f"    batch {batch.id} (Marché couvert): 1 sheet counted by hand is not entered "
                "yet\n") in text
        assert "open: 1 sheet awaiting a second entry\n" in text
        data = stats_json(stats)
        assert data["batches"][0]["sheets"]["awaiting_second"] == 1
