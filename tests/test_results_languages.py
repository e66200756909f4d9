"""Results in the form's languages (issue #18): ``parole results`` copies the newest manifest's
translations into the results file, and the results page names questions and options in its
own language when they have words in it."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from site_builder.calendar import Calendar
from site_builder.i18n import Catalogue
from site_builder.results.file import read_results, results_data, write_results
from site_builder.results.labels import (
    QuestionWords,
    ResultWords,
    in_language,
    words_from_manifests,
)
from site_builder.results.page import results_html
from tests.results_page_support import AFTER, protected

ARABIC = ResultWords("ar", "رأيكم", (
    ("frequence", QuestionWords("كم مرة تمرون بالساحة؟",
                                (("jour", "كل يوم"), ("semaine", "كل أسبوع")))),))


@dataclass(frozen=True)
class Schema:
    manifest: str


def test_the_newest_manifest_gives_the_words_of_each_language() -> None:
    old = Schema(json.dumps({"format": 5, "id": "avis"}))
    new = Schema(json.dumps({"format": 6, "translations": {"ar": {
        "title": "رأيكم", "intro_html": None, "submit": None,
        "fields": {"frequence": {"label": "كم مرة تمرون بالساحة؟", "label_html": "…",
                                 "hint": None, "min_label": None, "max_label": None,
                                 "options": {"jour": "كل يوم", "semaine": "كل أسبوع"}}}}}}))
    assert words_from_manifests([old, new]) == (ARABIC,)
    assert words_from_manifests([new, old]) == ()  # the newest has none: one language
    assert words_from_manifests([Schema("{")]) == ()
    assert words_from_manifests([]) == ()


def test_the_results_file_keeps_them_and_reads_them_back(tmp_path: Path) -> None:
    results = replace(protected(), translations=(ARABIC,))
    path = write_results(results, tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["translations"]["ar"]["questions"]["frequence"]["options"]["jour"] == "كل يوم"
    read, problems = read_results(path)
    assert problems == []
    assert read is not None and read.translations == (ARABIC,)
    # A form in one language writes the file as before: no key.
    assert "translations" not in results_data(protected())


def test_a_results_file_with_broken_translations_is_refused(tmp_path: Path) -> None:
    path = write_results(protected(), tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["translations"] = {"ar": {"title": 3, "questions": {}}}
    path.write_text(json.dumps(data), encoding="utf-8")
    read, problems = read_results(path)
    assert read is None
    assert [problem.field for problem in problems] == ["translations.ar"]


def test_the_page_names_options_in_its_language() -> None:
    results = replace(protected(), translations=(ARABIC,))
    arabic = in_language(results, "ar")
    question = arabic.questions[0]
    assert question.label == "كم مرة تمرون بالساحة؟"
    assert [option.label for option in question.options][:2] == ["كل يوم", "كل أسبوع"]
    assert [option.count for option in question.options] == [
        option.count for option in results.questions[0].options]
    assert in_language(results, "en") is results  # no English words: the form's own
    assert in_language(results, "fr") is results
    page = results_html(results, catalogue=Catalogue.for_language("ar"),
                        consultation=Calendar(closes=date(2027, 2, 28)),
                        today=date.fromisoformat(AFTER))
    assert "كل يوم" in page and "Tous les jours" not in page
    french = results_html(results, catalogue=Catalogue.for_language("fr"),
                          consultation=Calendar(closes=date(2027, 2, 28)),
                          today=date.fromisoformat(AFTER))
    assert "Tous les jours" in french and "كل يوم" not in french
