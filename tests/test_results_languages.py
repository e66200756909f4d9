"""Results in the form's languages (issue #18): ``parole results`` copies the newest manifest's
translations into the results file, and the results page names questions and options in its
own language when they have words in it."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from site_builder.calendar import Calendar
from site_builder.forms import located
from site_builder.forms.manifest import manifest_data
from site_builder.forms.parse import parse_form
from site_builder.i18n import Catalogue
from site_builder.results.compute import form_results
from site_builder.results.file import read_results, results_data, write_results
from site_builder.results.labels import (
    QuestionWords,
    ResultWords,
    in_language,
    words_from_manifests,
)
from site_builder.results.page import results_html
from site_builder.storage import open_storage
from site_builder.storage.base import Duplicates, NewAnswer
from tests.results_page_support import AFTER, protected
from tests.test_form_translations import FORM

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


def test_parole_results_takes_the_words_from_the_stored_manifest(tmp_path: Path) -> None:
    """The real storage, a translated form's manifest stored with its version, one answer:
    the results computed carry the Arabic words, and the counts are the form's."""
    form, problems = parse_form(located.load(FORM), file="avis.md", line=1)
    assert form is not None and problems == []
    storage = open_storage(f"sqlite:///{tmp_path / 'answers.db'}")
    try:
        storage.register_form(form.id, form.version, json.dumps(manifest_data(
            form, page_url="avis/", language="fr", closes=date(2026, 12, 31))))
        storage.store(NewAnswer(form.id, form.version, {"frequence": ["jour"]}, "online",
                                datetime(2026, 6, 1, 10, tzinfo=UTC), None, "key-1",
                                language="ar"), Duplicates())
        computed = form_results(storage, form.id, min_count=1,
                                computed_at=datetime(2026, 6, 2, tzinfo=UTC),
                                today=date(2026, 6, 2))
    finally:
        storage.close()
    results = computed.results
    assert [words.language for words in results.translations] == ["ar", "en"]
    arabic = in_language(results, "ar")
    assert arabic.title == "أبدوا رأيكم في الساحة"
    frequence = arabic.questions[0]
    assert [(option.label, option.count) for option in frequence.options] == [
        ("كل يوم", 1), ("كل أسبوع", 0)]
    assert in_language(results, "en").questions[0].options[0].label == "Every day"
