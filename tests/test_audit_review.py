"""The review file (``accessibility-review.yml``): read strictly, every problem located and
explained in the organizer's language, hostile files refused quickly; and its template."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from site_builder.audit.model import AuditedPage, AuditRun, Environment, PageResult
from site_builder.audit.review import Review, ReviewedCriterion, read_review, review_template
from site_builder.audit.review_guard import MAX_BYTES
from site_builder.audit.verdicts import assess
from site_builder.errors import ConfigError, Problem
from site_builder.messages import speaking

GOOD = """\
auditor: Association Exemple, Camille Martin
date: 2026-12-05
criteria:
  - criterion: "7.1"
    result: compliant
    pages: [/, /faq/]
  - criterion: 10.10
    result: not_applicable
  - criterion: "4.1"
    result: not_compliant
    pages: [/reunion/]
    note: La vidéo de la réunion n'a pas de transcription.
  - criterion: "1.3"
    result:
derogations:
  - content: Les cartes interactives
    reason: Charge disproportionnée.
exemptions:
  - content: Les archives d'avant 2019
    reason: Contenus archivés.
"""


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "accessibility-review.yml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, language: str = "en") -> tuple[Problem, ...]:
    with speaking(language), pytest.raises(ConfigError) as raised:
        read_review(path)
    return raised.value.problems


def test_a_good_review(tmp_path: Path) -> None:
    review = read_review(write(tmp_path, GOOD))
    assert (review.auditor, review.date) == ("Association Exemple, Camille Martin",
                                             "2026-12-05")
    assert [(item.number, item.result, item.pages) for item in review.criteria] == [
        ("4.1", "not_compliant", ("/reunion/",)), ("7.1", "compliant", ("/", "/faq/")),
        ("10.10", "not_applicable", ())]  # in RGAA's order; 1.3 left empty: not checked yet
    assert review.result("4.1") is not None and review.result("1.3") is None
    assert review.derogations[0].content == "Les cartes interactives"
    assert review.exemptions[0].reason == "Contenus archivés."
    assert review.source.endswith("accessibility-review.yml")


BAD = """\
auditer: X
date: 5 décembre
criteria:
  - criterion: "99.1"
    result: compliant
  - criterion: "7.1"
    result: conforme
  - criterion: "7.1"
    result: compliant
  - criterion: "8.6"
    result: not_compliant
  - criterion: "8.7"
    result: compliant
    pages: faq
  - criterion: "8.8"
    result: compliant
    pages: [faq/]
  - "9.1"
derogations:
  - content: Les cartes
"""


def test_every_problem_at_once_with_line_and_field(tmp_path: Path) -> None:
    found = problems(write(tmp_path, BAD))
    located = {(problem.line, problem.field) for problem in found}
    assert located == {
        (1, "auditer"),                      # unknown key (did you mean auditor?)
        (1, "auditor"),                      # missing auditor
        (2, "date"),                         # not a date
        (4, "criteria[1].criterion"),        # unknown criterion
        (7, "criteria[2].result"),           # not one of the three
        (8, "criteria[3].criterion"),        # duplicate criterion
        (11, "criteria[4].note"),            # not_compliant without a note
        (14, "criteria[5].pages"),           # pages not a list
        (17, "criteria[6].pages"),           # a path not starting with /
        (18, "criteria[7]"),                 # not a mapping
        (20, "derogations[1].reason"),       # missing reason
    }
    assert all(problem.file and problem.file.endswith("accessibility-review.yml")
               for problem in found)
    text = {problem.field: f"{problem.message} / {problem.fix}" for problem in found}
    assert "`auditor`" in text["auditer"]
    assert "`result: compliant`" in text["criteria[2].result"]
    assert "line 6" in text["criteria[3].criterion"]


def test_problems_are_said_in_french_for_french_organizers(tmp_path: Path) -> None:
    found = problems(write(tmp_path, BAD), "fr")
    text = " ".join(f"{problem.message} {problem.fix}" for problem in found)
    assert "n'a pas de critère '99.1'" in text and "vouliez-vous écrire `auditor`" in text


@pytest.mark.parametrize(("text", "line", "words"), [
    ("- auditor: X\n", 1, "must be a mapping"),
    ("", None, "must be a mapping"),
    ("auditor: X\ndate: 2026-12-05\ncolour: red\n", 3, "unknown key 'colour'"),
    ("auditor: X\nauditor: Y\ndate: 2026-12-05\n", 2, "written twice"),
    ("auditor: [X]\ndate: 2026-12-05\n", 1, "must be text"),
    ("auditor: X\ndate: 2026-02-30\n", 2, "YYYY-MM-DD"),
    ("auditor: X\n", 1, "`date` is missing"),
    ("auditor: X\ndate: 2026-12-05\ncriteria: 7.1\n", 3, "must be a list"),
    ("auditor: X\ndate: 2026-12-05\ncriteria:\n  - criterion: 7.1\n    result: maybe\n", 5,
     "not 'maybe'"),
    ("auditor: X\ndate: 2026-12-05\ncriteria:\n  - result: compliant\n", 4,
     "`criterion` is missing"),
    ("auditor: X\ndate: 2026-12-05\nexemptions:\n  - reason: R\n    extra: 1\n", 5,
     "unknown key 'extra'"),
    ("auditor: X\ndate: 2026-12-05\ncriteria:\n  - criterion: \"1.1\"\n   result: x\n", 5,
     "not valid YAML"),
    ("auditor: X\ndate: 2026-12-05\n\tcriteria: []\n", 3, "not valid YAML"),
])
def test_each_mistake_is_found(tmp_path: Path, text: str, line: int | None,
                               words: str) -> None:
    found = problems(write(tmp_path, text))
    assert any(problem.line == line and words in f"{problem.message} {problem.fix}"
               for problem in found), [str(problem) for problem in found]


def test_a_missing_file(tmp_path: Path) -> None:
    (problem,) = problems(tmp_path / "nowhere.yml")
    assert "does not exist" in problem.message and "--review" in problem.fix


def test_a_folder_instead_of_a_file(tmp_path: Path) -> None:
    (problem,) = problems(tmp_path)
    assert "cannot be read" in problem.message


def test_not_utf8(tmp_path: Path) -> None:
    (problem,) = problems(write(tmp_path, b"auditor: X\ndate: 2026-12-05\nnote: caf\xe9\n"))
    assert (problem.line, "UTF-8" in problem.message) == (3, True)


def _quick(path: Path) -> tuple[Problem, ...]:
    started = time.monotonic()
    found = problems(path)
    assert time.monotonic() - started < 5
    return found


def test_a_billion_laughs_is_refused_at_once(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        previous, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    lines.append("auditor: *j")
    (problem,) = _quick(write(tmp_path, "\n".join(lines) + "\n"))
    assert "aliases" in problem.message and problem.line == 1


def test_a_10_mb_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = write(tmp_path, "auditor: X\n" + "# " + "x" * (10 * 1024 * 1024) + "\n")
    (problem,) = _quick(path)
    assert f"{MAX_BYTES // 1024} KiB" in problem.message


def test_binary_bytes(tmp_path: Path) -> None:
    found = _quick(write(tmp_path, bytes(range(256)) * 64))
    assert len(found) == 1 and ("UTF-8" in found[0].message or "YAML" in found[0].message)
    (problem,) = _quick(write(tmp_path, b"auditor: X\x00\x01\x02\ndate: 2026-12-05\n"))
    assert "not text" in problem.message and "0x00" in problem.message and problem.line == 1


@pytest.mark.parametrize("nested", ["criteria: " + "[" * 100_000 + "]" * 100_000 + "\n",
                                    "".join(f"{' ' * level}a:\n" for level in range(1000))])
def test_deep_nesting(tmp_path: Path, nested: str) -> None:
    (problem,) = _quick(write(tmp_path, nested))
    assert "nested more than 20 levels" in problem.message


def _run(*present: str) -> AuditRun:
    result = PageResult(AuditedPage("/", "page", "Accueil"), (),
                        frozenset({"axe:html-has-lang", "axe:document-title"}),
                        frozenset(present))
    return AuditRun("2026-12-05", "Consultation", "fr",
                    Environment("1", "Chromium", "4.12.1", "1.65", "Linux"), (result,))


def test_the_template_lists_every_criterion_to_check_and_reads_back(tmp_path: Path) -> None:
    assessment = assess(_run("5.1"), None)
    with speaking("fr"):
        template = review_template(assessment)
    to_check = [verdict.criterion for verdict in assessment.verdicts
                if verdict.status == "to_check"]
    assert f"# {assessment.count('to_check')} critères restent à vérifier" in template
    for item in to_check:
        assert f"  # {item.number} {item.topic}. {item.title}\n" in template
        assert f'  - criterion: "{item.number}"\n' in template
    assert '- criterion: "2.1"' not in template  # not applicable: no frame
    assert '- criterion: "8.5"' not in template  # decided by the audit
    filled = template.replace('auditor: ""', 'auditor: "Camille Martin"').replace(
        "date: ", "date: 2026-12-05", 1)
    review = read_review(write(tmp_path, filled))  # empty results: not checked yet
    assert review.criteria == () and review.derogations == ()
    filled = filled.replace('- criterion: "5.1"\n    result:', '- criterion: "5.1"\n'
                            "    result: compliant")
    review = read_review(write(tmp_path, filled))
    again = review_template(assess(_run("5.1"), review))
    assert '- criterion: "5.1"\n    result: compliant' in again
    assert again.count("- criterion:") == template.count("- criterion:")
    assert 'auditor: "Camille Martin"' in again and "date: 2026-12-05" in again


def test_the_template_is_empty_when_nothing_remains() -> None:
    everything = Review("C", "2026-12-05", tuple(
        ReviewedCriterion(verdict.criterion.number, "compliant", (), "")
        for verdict in assess(_run(), None).verdicts if verdict.status == "to_check"),
        (), (), "r.yml")
    template = review_template(assess(_run(), everything))
    assert "0 criteria remain" in template or "0 criterion remains" in template
