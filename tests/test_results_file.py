"""The results file (``site_builder.results.file``) and small-count protection
(``site_builder.results.protect``): what ``parole results`` writes and ``parole build`` reads."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from site_builder.messages import speaking
from site_builder.results.file import (
    FORMAT,
    CountedCheckpoint,
    FreeTextResult,
    OptionResult,
    QuestionResult,
    Quote,
    ResultsFile,
    load_results_folder,
    read_results,
    results_data,
    results_path,
    write_results,
)
from site_builder.results.protect import HIDDEN, SMALL, protect
from site_builder.safe_files import PARTIAL

RESULTS = ResultsFile(
    form_id="avis", title="Votre avis", computed_at=datetime(2027, 3, 1, 9, 30, tzinfo=UTC),
    min_count=5, answers=812, per_channel={"online": 500, "paper": 307, "assisted": SMALL},
    per_day={date(2027, 1, 4): 12, date(2027, 1, 5): SMALL},
    questions=(QuestionResult("jeux", "Où mettre les jeux ?", "choice",
                              (OptionResult("fontaine", "Près de la fontaine", 400),
                               OptionResult("ancienne", None, HIDDEN)),
                              skipped=SMALL, blank=10, spoiled=0),),
    free_text=(FreeTextResult("idee", "Une idée ?", 400, 260, 140, 120,
                              {"off-topic": 30, "other": HIDDEN}, SMALL),),
    quotes=(Quote("idee", "Des bancs à l'ombre, près de […].", "Nature"),),
    publish_consent="accord", closes=date(2027, 2, 28))


def written(tmp_path: Path, data: dict[str, Any], name: str = "avis.json") -> Path:
    path = tmp_path / "parole-results" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_what_is_written_reads_back_the_same(tmp_path: Path) -> None:
    path = write_results(RESULTS, tmp_path)
    assert path == results_path(tmp_path, "avis") == tmp_path / "parole-results" / "avis.json"
    read, problems = read_results(path, "parole-results/avis.json")
    assert problems == [] and read == RESULTS and read is not None
    assert read.path == "parole-results/avis.json"
    assert json.loads(path.read_text(encoding="utf-8"))["computed_at"] == "2027-03-01T09:30:00Z"
    # Replaced at once: no partial file is left beside it, none that a build would read.
    assert sorted(item.name for item in path.parent.iterdir()) == ["avis.json"]


def test_the_checkpoint_counted_reads_back_and_a_format_1_file_has_none(tmp_path: Path) -> None:
    """Format 2 (issue #19) records the answer log's checkpoint; a file written before it, in
    format 1, stays readable, as computed without one."""
    signed = replace(RESULTS, checkpoint=CountedCheckpoint("ville.example/journal", 1234,
                                                           bytes(range(32))))
    path = write_results(signed, tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["format"], data["checkpoint"]) == (2, {
        "origin": "ville.example/journal", "size": 1234, "root": bytes(range(32)).hex()})
    assert read_results(path)[0] == signed
    write_results(RESULTS, tmp_path)
    assert json.loads(path.read_text(encoding="utf-8"))["checkpoint"] is None
    assert read_results(path)[0] == RESULTS
    older = {key: value for key, value in results_data(RESULTS).items() if key != "checkpoint"}
    assert read_results(written(tmp_path, {**older, "format": 1}))[0] == RESULTS
    del data["checkpoint"]
    missing = read_results(written(tmp_path, data))[1]
    assert [problem.field for problem in missing] == ["checkpoint"]
    data["checkpoint"] = {"origin": "ville.example/journal", "size": 3, "root": "AB" * 32}
    assert [problem.field for problem in read_results(written(tmp_path, data))[1]] == [
        "checkpoint.root"]


def test_a_form_with_no_closing_day_and_no_title_reads_back(tmp_path: Path) -> None:
    bare = ResultsFile("court", None, RESULTS.computed_at, 5, 0, {}, {})
    read, problems = read_results(write_results(bare, tmp_path))
    assert (read, problems) == (bare, [])


@pytest.mark.parametrize(("change", "field", "words"), [
    (lambda data: data.pop("answers"), "answers", "the key answers is missing"),
    (lambda data: data.update(answers=-1), "answers", "should be a whole number"),
    (lambda data: data.update(answers=True), "answers", "should be a whole number"),
    (lambda data: data["per_channel"].update(paper="few"), "per_channel",
     'whole number (0 or more), "small" or "hidden"'),
    (lambda data: data["per_day"].update({"4 janvier": 3}), "per_day.4 janvier",
     "is not a day written YYYY-MM-DD"),
    (lambda data: data.update(computed_at="2027-03-01 09:30"), "computed_at",
     "is not a moment with its time zone"),
    (lambda data: data.update(closes="28/02/2027"), "closes", "is not a day written"),
    (lambda data: data["questions"][0].update(type="text"), "questions[1].type",
     "has no count per option"),
    (lambda data: data["questions"][0]["options"][0].update(count=2.5),
     "questions[1].options[1].count", "should be a whole number"),
    (lambda data: data["free_text"].append("idee"), "free_text[2]", "should be an object"),
    (lambda data: data["quotes"][0].update(theme=3), "quotes[1].theme",
     "should be a text or null"),
    (lambda data: data.update(form="autre"), "form", "is form 'autre''s, and is called"),
])
def test_every_mistake_is_named_with_its_key_and_the_fix(
        tmp_path: Path, change: Any, field: str, words: str) -> None:
    data = results_data(RESULTS)
    change(data)
    read, problems = read_results(written(tmp_path, data), "parole-results/avis.json")
    assert read is None
    assert [problem.field for problem in problems] == [field], problems
    (problem,) = problems
    assert words in problem.message and problem.file == "parole-results/avis.json"
    assert "parole results" in problem.fix


def test_every_problem_of_a_file_is_listed_at_once(tmp_path: Path) -> None:
    data = results_data(RESULTS)
    del data["per_day"], data["title"]
    data["answers"] = "812"
    _read, problems = read_results(written(tmp_path, data))
    assert sorted(str(problem.field) for problem in problems) == ["answers", "per_day", "title"]


@pytest.mark.parametrize(("text", "words"), [
    ("{", "cannot be read"), ("[]", "not a JSON object"),
    ('{"format": 0}', "is in format 0, and this parole reads format 2"),
])
def test_a_file_that_is_not_a_results_file_says_so(tmp_path: Path, text: str,
                                                   words: str) -> None:
    path = tmp_path / "avis.json"
    path.write_text(text, encoding="utf-8")
    read, (problem,) = read_results(path)
    assert read is None and words in problem.message


def test_the_fix_is_said_in_french(tmp_path: Path) -> None:
    data = results_data(RESULTS)
    del data["answers"]
    with speaking("fr"):
        _read, (problem,) = read_results(written(tmp_path, data))
    assert problem.message == "la clé answers manque"
    assert "lancez à nouveau « parole results »" in problem.fix


def test_the_folder_gives_every_readable_file_and_the_others_problems(tmp_path: Path) -> None:
    write_results(RESULTS, tmp_path)
    written(tmp_path, {"format": FORMAT}, "casse.json")
    (tmp_path / "parole-results" / "notes.txt").write_text("not a results file")
    found, problems = load_results_folder(tmp_path)
    assert list(found) == ["avis"]
    assert problems and {problem.file for problem in problems} == {"parole-results/casse.json"}
    assert load_results_folder(tmp_path / "nowhere") == ({}, [])


# --- protection ----------------------------------------------------------------------------------

def test_counts_below_min_count_are_small_zero_included() -> None:
    assert protect({"a": 0, "b": 4, "c": 5, "d": 120}, 5) == {
        "a": SMALL, "b": SMALL, "c": 5, "d": 120}


def test_a_lone_small_count_hides_the_smallest_other_so_the_total_cannot_give_it_back() -> None:
    assert protect({"a": 3, "b": 10, "c": 7}, 5) == {"a": SMALL, "b": 10, "c": HIDDEN}
    # Among equals, the first in order; and a breakdown of two hides both.
    assert protect({"a": 8, "b": 8, "c": 2}, 5) == {"a": HIDDEN, "b": 8, "c": SMALL}
    assert protect({"a": 3, "b": 900}, 5) == {"a": SMALL, "b": HIDDEN}


def test_two_small_counts_or_none_need_nothing_more() -> None:
    assert protect({"a": 3, "b": 1, "c": 7}, 5) == {"a": SMALL, "b": SMALL, "c": 7}
    assert protect({"a": 6, "b": 7}, 5) == {"a": 6, "b": 7}
    assert protect({"a": 3}, 5) == {"a": SMALL}
    assert protect({}, 5) == {}


@pytest.mark.parametrize("min_count", [0, 1])
def test_a_min_count_of_one_or_less_protects_nothing(min_count: int) -> None:
    assert protect({"a": 0, "b": 1}, min_count) == {"a": 0, "b": 1}


def test_two_writes_never_share_a_partial_file_and_a_failed_one_leaves_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        seen.extend(item.name for item in (tmp_path / "parole-results").iterdir()
                    if item.name.endswith(PARTIAL))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    write_results(RESULTS, tmp_path)
    write_results(RESULTS, tmp_path)
    partials = [name for name in seen if name.startswith(".avis.json.")]
    assert len(set(partials)) == 2  # a name of its own each time, on disk before its move

    def full(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        write_results(RESULTS, tmp_path)
    assert sorted(item.name for item in (tmp_path / "parole-results").iterdir()) == ["avis.json"]
    assert read_results(results_path(tmp_path, "avis"))[0] == RESULTS  # the last one stands


def test_what_a_cut_off_run_left_is_removed_by_the_next_one(tmp_path: Path) -> None:
    folder = tmp_path / "parole-results"
    folder.mkdir()
    left = folder / f".avis.json.k1ll3d{PARTIAL}"
    left.write_text('{"format": 1, "form": "av', encoding="utf-8")
    os.utime(left, (1_700_000_000, 1_700_000_000))
    other_form = folder / f".velo.json.k1ll3d{PARTIAL}"
    other_form.write_text("{", encoding="utf-8")
    write_results(RESULTS, tmp_path)
    assert sorted(item.name for item in folder.iterdir()) == [other_form.name, "avis.json"]
