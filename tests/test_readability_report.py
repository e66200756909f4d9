"""What the build and ``parole readability`` share (``site_builder.readability_report``): the
site's targets, a page's ``plain_language:`` front matter and its line, the table printed after
the build and ``readability.json``, on pages whose measure is written out here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from site_builder.messages import speaking
from site_builder.plain_language import (
    TARGETS,
    FlaggedSentence,
    PageReadability,
    Signal,
    Target,
)
from site_builder.readability_report import (
    PageEntry,
    ReadabilityReport,
    UnknownTargetError,
    front_matter_line,
    page_target,
    site_targets,
)

DEFAULT = TARGETS["default"]
FALC = TARGETS["falc"]


def entry(source: str, score: float | None, *, target: Target = DEFAULT, language: str = "fr",
          flagged: tuple[FlaggedSentence, ...] = ()) -> PageEntry:
    path = "index.html" if source == "index.md" else source.replace(".md", "/index.html")
    readability = PageReadability(language, target, score, sentences=10, words=80,
                                  syllables=120, flagged=flagged)
    return PageEntry(source, path, "/" + path.removesuffix("index.html"), readability)


LONG = FlaggedSentence(3, "Une phrase bien trop longue pour être lue d'un coup.",
                       (Signal("long_sentence", "17"), Signal("abbreviation", "HLM")))


def test_the_sites_options_make_the_default_target_and_falc_is_never_laxer() -> None:
    assert site_targets() == {"default": DEFAULT, "falc": FALC}
    targets = site_targets(12, 65)
    assert targets["default"] == Target("default", 12, 65.0)
    assert targets["falc"] == FALC
    stricter = site_targets(8, 85)
    assert stricter["falc"] == Target("falc", 8, 85.0)


@pytest.mark.parametrize(("value", "name"), [(True, "default"), ("default", "default"),
                                             ("falc", "falc"), ("FALC", "falc"),
                                             (" falc ", "falc"), (False, None)])
def test_the_front_matter_chooses_the_target(value: object, name: str | None) -> None:
    target = page_target(value, site_targets())
    assert (target.name if target else None) == name


@pytest.mark.parametrize("value", [None, "facile", 1, 0, ["falc"], {"target": "falc"}, ""])
def test_any_other_front_matter_value_is_refused(value: object) -> None:
    with pytest.raises(UnknownTargetError):
        page_target(value, site_targets())


def test_the_front_matter_line_is_found_inside_the_front_matter_only() -> None:
    assert front_matter_line("---\ntitle: A\nplain_language: falc\n---\n# A\n") == 3
    assert front_matter_line("---\ntitle: A\n---\nplain_language: falc\n") is None
    assert front_matter_line("# A\n\nplain_language: falc\n") is None
    assert front_matter_line("") is None


def test_the_report_is_sorted_and_written_the_same_each_time(tmp_path: Path) -> None:
    pages = [entry("faq.md", 58.06, flagged=(LONG,)), entry("index.md", 71.0),
             entry("facile.md", 84.5, target=FALC), entry("vide.md", None)]
    report = ReadabilityReport.of(pages, site_targets(), ["mentions.md"])
    again = ReadabilityReport.of(list(reversed(pages)), site_targets(), ["mentions.md"])
    report.write_json(tmp_path / "one.json")
    again.write_json(tmp_path / "two.json")
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
    data = json.loads((tmp_path / "one.json").read_text(encoding="utf-8"))
    assert data["targets"] == {"default": {"max_words": 15, "min_score": 60.0},
                               "falc": {"max_words": 10, "min_score": 80.0}}
    assert data["totals"] == {"pages": 4, "measured": 3, "below_target": ["faq.md"],
                              "flagged": 1}
    assert [page["source"] for page in data["pages"]] == [
        "facile.md", "faq.md", "index.md", "vide.md"]
    assert data["pages"][1] == {
        "source": "faq.md", "path": "faq/index.html", "url": "/faq/", "language": "fr",
        "target": "default", "score": 58.1, "below_target": True, "sentences": 10,
        "words": 80, "syllables": 120,
        "flagged": [{"line": 3, "text": LONG.text,
                     "signals": [{"kind": "long_sentence", "text": "17"},
                                 {"kind": "abbreviation", "text": "HLM"}]}]}
    assert (data["pages"][3]["score"], data["pages"][3]["below_target"]) == (None, False)
    assert data["skipped"] == ["mentions.md"]


def test_the_table_says_each_pages_score_target_and_sentences_to_simplify() -> None:
    pages = [entry("faq.md", 58.06, flagged=(LONG,)), entry("index.md", 71.0),
             entry("facile.md", 84.5, target=FALC), entry("vide.md", None)]
    with speaking("en"):
        table = ReadabilityReport.of(pages, site_targets(), ["mentions.md"]).table()
    assert table.splitlines() == [
        "page         language  score   target  sentences to simplify",
        "facile.md    fr         84.5  80 FALC                      0",
        "faq.md       fr         58.1       60                      1  below target",
        "index.md     fr         71.0       60                      0",
        "vide.md      fr            —       60                      0  not measured",
        "mentions.md                —        —                      —  left out by its front "
        "matter",
        "pages measured: 3; below their target: 1; sentences to simplify: 1. Target: a score "
        "of 60 or more, sentences of 15 words at most. `parole readability PAGE.md` shows "
        "each sentence and why."]


def test_a_big_site_shows_the_pages_most_in_need_first() -> None:
    pages = [entry(f"page-{number:02}.md", 40.0 + number) for number in range(61)]
    with speaking("en"):
        lines = ReadabilityReport.of(pages, site_targets()).table().splitlines()
    assert len(lines) == 1 + 30 + 2
    assert [line.split()[0] for line in lines[1:4]] == ["page-00.md", "page-01.md", "page-02.md"]
    assert lines[-2] == "... and 31 other pages: all 61 are in readability.json."
