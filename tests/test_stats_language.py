"""Answers per language (issue #18) in ``parole stats``, ``/admin/stats``, the JSON export and the
xlsx tally: one form, its answers counted together, and apart by the language of their page."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from site_builder.collector.export import iter_json
from site_builder.collector.export_xlsx import write_xlsx
from site_builder.collector.stats import form_stats, stats_json
from site_builder.collector.stats_report import stats_text
from site_builder.messages import speaking
from site_builder.storage.base import Duplicates, NewAnswer
from tests.export_support import FORM_ID, NEW_FORM, MemoryStorage, at, csv_bytes, csv_rows, fill


def with_languages() -> MemoryStorage:
    """The sample answers (stored without a language: the form's own, ``fr``), then two from
    the Arabic page and one from the English one."""
    memory = MemoryStorage()
    fill(memory)
    for minute, language in enumerate(["ar", "en", "ar"]):
        memory.store(NewAnswer(FORM_ID, NEW_FORM.version, {"nom": [language]}, "online",
                               at(16, 8, minute), None, f"l{minute}", language=language),
                     Duplicates())
    return memory


def test_stats_count_each_language_the_form_s_own_first() -> None:
    memory = with_languages()
    stats = form_stats(memory, FORM_ID)
    assert stats.per_language == {"fr": stats.answers - 3, "ar": 2, "en": 1}
    assert sum(stats.per_language.values()) == stats.answers, "counted together, and apart"
    assert stats_json(stats)["per_language"] == stats.per_language
    with speaking("fr"):
        text = stats_text(stats)
    section = text.split("\n  Par langue\n")[1].split("\n\n")[0].splitlines()
    assert [line.split() for line in section] == [
        ["fr", str(stats.answers - 3)], ["ar", "2"], ["en", "1"]]


def test_a_form_in_one_language_counts_all_its_answers_in_it() -> None:
    memory = MemoryStorage()
    fill(memory)
    stats = form_stats(memory, FORM_ID)
    assert stats.per_language == {"fr": stats.answers}


def test_the_json_export_says_each_answer_s_language() -> None:
    document = json.loads("".join(iter_json(with_languages(), FORM_ID)))
    languages = [answer["language"] for answer in document["answers"]]
    assert languages[-3:] == ["ar", "en", "ar"]
    assert set(languages[:-3]) == {"fr"}, "stored without one: the form's own"


def test_the_xlsx_tally_counts_languages_when_there_are_several(tmp_path: Path) -> None:
    several, one = tmp_path / "several.xlsx", tmp_path / "one.xlsx"
    write_xlsx(with_languages(), FORM_ID, several)
    memory = MemoryStorage()
    fill(memory)
    write_xlsx(memory, FORM_ID, one)

    def tally(path: Path) -> dict[str, object]:
        rows = openpyxl.load_workbook(path)["Décompte"].iter_rows(values_only=True)
        return {str(row[0]): row[1] for row in rows if row and row[0]}

    counts = tally(several)
    assert (counts["Langue : ar"], counts["Langue : en"]) == (2, 1)
    assert counts["Langue : fr"] == counts["Réponses"] - 3  # type: ignore[operator]
    assert not any(key.startswith("Langue") for key in tally(one))


def test_the_csv_says_each_answer_s_language_after_its_channel() -> None:
    rows = csv_rows(csv_bytes(with_languages()))
    channel = rows[0].index("channel")
    assert rows[0][channel + 1] == "language"
    assert [row[channel + 1] for row in rows[-3:]] == ["ar", "en", "ar"]
    assert {row[channel + 1] for row in rows[1:-3]} == {"fr"}
    labelled = csv_rows(csv_bytes(with_languages(), labels=True))
    assert labelled[0][channel + 1] == "Langue"
    assert labelled[-1][channel + 1] == "ar", "a code, with --labels too"
