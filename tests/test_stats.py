"""Answer counts (site_builder.collector.stats) on the sample answers."""

from __future__ import annotations

import json
from datetime import date

import pytest

from site_builder.collector.columns import UnknownForm
from site_builder.collector.stats import (
    OptionCount,
    all_stats,
    form_stats,
    stats_json,
    stats_text,
)
from site_builder.storage.base import Duplicates, NewAnswer
from tests.export_support import FORM_ID, OTHER_FORM_ID, MemoryStorage, at, fill


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
