"""The audit report: audit.json (golden, round trip, strict reading), the HTML page (goldens in
French and English, escaping, structure), and how both are written (safely, clear errors)."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import string
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from site_builder.audit.model import AuditRun, PageResult
from site_builder.audit.report_html import (
    CSS,
    REPORT_HTML,
    ReportNotWrittenError,
    report_html,
    write_report,
)
from site_builder.audit.report_json import AUDIT_JSON, audit_document, percent, rule_groups
from site_builder.audit.report_read import AuditFileError, read_audit_json
from site_builder.audit.report_wcag import SUCCESS_CRITERIA, understanding_url
from site_builder.audit.report_words import REPORT_LANGUAGES, catalogue
from site_builder.audit.rules import known_rules
from site_builder.audit.verdicts import Assessment
from site_builder.messages import speaking
from tests.audit_report_support import (
    HOSTILE,
    HOSTILE_SELECTOR,
    synthetic_assessment,
    synthetic_review,
    synthetic_run,
)
from tests.support import assert_golden


def _json(run: AuditRun, assessment: Assessment) -> str:
    return json.dumps(audit_document(run, assessment), ensure_ascii=False, indent=2) + "\n"


def _in_document_order(run: AuditRun) -> AuditRun:
    """``run`` with each page's findings in the order audit.json lists them."""
    return dataclasses.replace(run, results=tuple(
        dataclasses.replace(result, findings=tuple(
            finding for _, findings in rule_groups(result.findings) for finding in findings))
        for result in run.results))


# --- audit.json ---------------------------------------------------------------------------------

def test_audit_json_holds_the_run_pages_findings_criteria_and_review(
        request: pytest.FixtureRequest) -> None:
    run = synthetic_run()
    assessment = synthetic_assessment(run)
    document = audit_document(run, assessment)
    assert list(document) == ["format", "run", "totals", "pages", "counts", "criteria", "review",
                              "rate", "remaining", "conformity"]
    assert document["totals"] == {"pages": 4, "errors": 5, "warnings": 2, "pages_failed": 1}
    assert len(document["criteria"]) == 106
    assert document["rate"] is None and document["conformity"] == "none"
    assert document["remaining"] == assessment.count("to_check") > 0
    home = document["pages"][0]
    assert [group["rule"] for group in home["rules"]] == [
        "axe:color-contrast", "axe:image-alt", "parole:target-size"]
    assert home["rules"][1]["rgaa"] == ["1.1"] and home["rules"][1]["wcag"] == ["1.1.1"]
    assert home["rules"][1]["summary"].startswith("Une image")  # the report's language
    assert document["pages"][3]["failure"].startswith("Timeout")
    assert document["review"]["derogations"] == [
        {"content": "Les plans PDF de 2019", "reason": "Refaits en 2027 <avec> le PLU"}]
    assert_golden("audit/audit.json", _json(run, assessment), request)


def test_audit_json_is_the_same_whatever_order_the_checks_finished_in() -> None:
    run = synthetic_run()
    shuffled = dataclasses.replace(run, results=tuple(
        dataclasses.replace(result, findings=result.findings[::-1]) for result in run.results))
    assert _json(shuffled, synthetic_assessment(shuffled)) == _json(run, synthetic_assessment(run))


def test_english_sites_get_english_summaries() -> None:
    run = synthetic_run("en")
    document = audit_document(run, synthetic_assessment(run))
    assert document["pages"][0]["rules"][1]["summary"].startswith("An image")


@pytest.mark.parametrize(("rate", "shown"), [
    (Fraction(4, 5), 80.0), (Fraction(4, 7), 57.1), (Fraction(1, 8), 12.5), (Fraction(1, 1), 100.0),
    (Fraction(2, 3), 66.6), (Fraction(1, 16), 6.2), (Fraction(9999, 10000), 99.9)])
def test_the_percentage_has_one_decimal_rounded_down(rate: Fraction, shown: float) -> None:
    assert percent(rate) == shown


def _complete(assessment: Assessment, failing: int) -> Assessment:
    """Every criterion decided: ``failing`` not compliant, the others compliant."""
    verdicts = tuple(dataclasses.replace(
        verdict, status="not_compliant" if index < failing else "compliant", source="review")
        for index, verdict in enumerate(assessment.verdicts))
    return dataclasses.replace(assessment, verdicts=verdicts)


def test_a_complete_audit_has_a_rate_and_the_status_it_supports() -> None:
    run = synthetic_run()
    assessment = _complete(synthetic_assessment(run), failing=21)
    document = audit_document(run, assessment)
    assert document["rate"] == {"fraction": "85/106", "percent": 80.1}
    assert document["remaining"] == 0 and document["conformity"] == "partial"
    page = report_html(run, assessment)
    assert ("Taux de conformité\u00a0: 80,1\u00a0% (85 critères conformes sur 106 "
            "applicables)") in page
    assert "site partiellement conforme au RGAA 4.1" in page


# --- reading it back ----------------------------------------------------------------------------

def test_audit_json_reads_back_into_the_same_run_and_review(tmp_path: Path) -> None:
    run = synthetic_run()
    assessment = synthetic_assessment(run)
    write_report(tmp_path, run, assessment)
    read, review = read_audit_json(tmp_path / AUDIT_JSON)
    assert read == _in_document_order(run)
    assert review == synthetic_review()
    assert _json(read, synthetic_assessment(read)) == _json(run, assessment)


def test_without_a_review_none_is_read_back(tmp_path: Path) -> None:
    run = synthetic_run("en", base_url="")
    write_report(tmp_path, run, synthetic_assessment(run, review=False))
    read, review = read_audit_json(tmp_path / AUDIT_JSON)
    assert read == _in_document_order(run) and review is None


def _written(tmp_path: Path) -> dict[str, Any]:
    run = synthetic_run()
    document: dict[str, Any] = audit_document(run, synthetic_assessment(run))
    return document


def _problems(tmp_path: Path, document: Any) -> str:
    path = tmp_path / AUDIT_JSON
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(AuditFileError) as raised:
        read_audit_json(path, "audit-report/audit.json")
    return str(raised.value)


def test_another_format_is_refused(tmp_path: Path) -> None:
    document = _written(tmp_path)
    document["format"] = 2
    with speaking("en"):
        text = _problems(tmp_path, document)
    assert "audit-report/audit.json: [format] this audit.json is in format 2" in text
    assert "this parole reads format 1" in text and "run “parole audit” again" in text


def test_every_missing_key_and_wrong_kind_is_named_by_its_path(tmp_path: Path) -> None:
    document = _written(tmp_path)
    del document["pages"][1]["rules"][0]["findings"][0]["selector"]
    document["pages"][0]["seconds"] = "fast"
    document["pages"][2]["rules"][0]["findings"][1]["condition"] = "sunny"
    document["run"]["date"] = "5/12/2026"
    document["run"]["environment"]["browser"] = 140
    document["review"]["criteria"][0]["result"] = "fine"
    document["criteria"][3]["findings"] = -1
    document["rate"] = {"fraction": "a/b", "percent": 180}
    del document["conformity"]
    with speaking("en"):
        text = _problems(tmp_path, document)
    assert text.startswith("parole found 10 problems to fix:")
    for expected in (
        "[pages[2].rules[1].findings[1].selector] the key pages[2].rules[1].findings[1]"
        ".selector is missing",
        '[pages[1].seconds] pages[1].seconds should be a number of seconds, 0 or more, '
        'and is "fast"',
        "[pages[3].rules[1].findings[2].condition] pages[3].rules[1].findings[2].condition "
        "should be one of default, dark, forced_colors, narrow, large_text, keyboard",
        "[run.date] '5/12/2026' is not a day written YYYY-MM-DD",
        "[run.environment.browser] run.environment.browser should be a text, and is 140",
        "[review.criteria[1].result] review.criteria[1].result should be one of compliant",
        "[criteria[4].findings] criteria[4].findings should be a whole number",
        "[rate.fraction]", "[rate.percent]", "[conformity] the key conformity is missing",
    ):
        assert expected in text, (expected, text)


def test_reading_problems_are_said_in_french_too(tmp_path: Path) -> None:
    document = _written(tmp_path)
    document["totals"] = []
    with speaking("fr"):
        text = _problems(tmp_path, document)
    assert "[totals] totals devrait être un objet, et vaut []" in text
    assert "Pour corriger : lancez à nouveau « parole audit »" in text


@pytest.mark.parametrize(("content", "expected"), [
    ("{not json", "this audit.json cannot be read"),
    ("[1, 2]", "this audit.json is not a JSON object"),
])
def test_a_file_that_is_not_an_audit_is_refused(tmp_path: Path, content: str,
                                                 expected: str) -> None:
    path = tmp_path / AUDIT_JSON
    path.write_text(content, encoding="utf-8")
    with speaking("en"), pytest.raises(AuditFileError, match=expected):
        read_audit_json(path)


# --- the HTML page ------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["fr", "en"])
def test_report_page_golden(language: str, request: pytest.FixtureRequest) -> None:
    run = synthetic_run(language)
    assert_golden(f"audit/report-{language}.html",
                  report_html(run, synthetic_assessment(run)), request)


class _Outline(HTMLParser):
    """The headings, the tags and the attributes of a page, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""


def _outline(page: str) -> _Outline:
    outline = _Outline()
    outline.feed(page)
    return outline


@pytest.mark.parametrize(("language", "lang"), [("fr", "fr"), ("fr-BE", "fr"), ("en", "en"),
                                                ("ar", "en")])
def test_one_h1_headings_in_order_lang_and_nothing_external(language: str, lang: str) -> None:
    run = synthetic_run(language)
    page = report_html(run, synthetic_assessment(run))
    outline = _outline(page)
    assert outline.lang == lang
    assert outline.headings.count(1) == 1 and outline.headings[0] == 1
    assert all(after <= before + 1 for before, after in zip(outline.headings,
                                                            outline.headings[1:], strict=False))
    assert "script" not in outline.tags and "img" not in outline.tags
    assert "link" not in outline.tags and "iframe" not in outline.tags
    assert not [name for name, _ in outline.attributes if name == "src" or name.startswith("on")]
    links = {value for name, value in outline.attributes if name == "href"}
    assert all(link.startswith(("#", "https://www.w3.org/WAI/WCAG22/Understanding/",
                                "https://exemple.fr/consultation/")) for link in links), links
    assert page.index('<a class="skip" href="#content">') < page.index('<main id="content">')
    # Published with the site, it has the landmarks of every page: one banner, one main, one
    # contentinfo.
    assert [outline.tags.count(tag) for tag in ("header", "main", "footer")] == [1, 1, 1]
    assert outline.tags.index("a") == outline.tags.index("body") + 1
    assert len(CSS.encode()) < 4096
    assert "prefers-color-scheme:dark" in CSS and "@media print" in CSS


def test_everything_from_the_pages_is_escaped() -> None:
    run = synthetic_run()
    page = report_html(run, synthetic_assessment(run))
    assert "<script" not in page and "onerror=" not in page.replace("onerror=alert", "")
    assert HOSTILE not in page and HOSTILE_SELECTOR not in page
    assert ("<pre><code>&lt;p title=&quot;x&quot;&gt;a&lt;/pre&gt;&lt;script&gt;alert(&quot;"
            "pwned&quot;)&lt;/script&gt;&lt;!--</code></pre>") in page
    assert "<code>a[href=&quot;&#x27;&gt;&lt;img src=x onerror=alert(1)&gt;&quot;]</code>" in page
    assert "Ville d&#x27;Exemple &lt;Avis&gt; &amp; Co" in page
    assert "Refaits en 2027 &lt;avec&gt; le PLU" in page
    assert "lang=&quot;en&quot; &lt;b&gt;" in page
    assert _outline(page).tags.count("pre") == 6


def test_a_problem_on_several_pages_is_listed_once_with_its_pages() -> None:
    run = synthetic_run()
    page = report_html(run, synthetic_assessment(run))
    assert page.count("nav &gt; a[aria-current]") == 1
    shared = page[page.index('id="shared"'):page.index('id="by-page"')]
    assert "Sur 2 pages\u00a0:" in shared
    assert '<a href="https://exemple.fr/consultation/"><code>/</code></a>' in shared
    assert '<a href="https://exemple.fr/consultation/faq/"><code>/faq/</code></a>' in shared


def test_many_pages_are_folded_and_problems_counted_on_each() -> None:
    run = synthetic_run("en", base_url="")
    extra = tuple(dataclasses.replace(run.results[1], page=dataclasses.replace(
        run.results[1].page, path=f"/page-{index}/", label=f"Page {index}"))
        for index in range(40))
    run = dataclasses.replace(run, results=run.results + extra)
    page = report_html(run, synthetic_assessment(run))
    assert "<details><summary>On 41 pages:</summary>" in page
    assert "<details><summary>On 42 pages:</summary>" in page  # the menu: home, FAQ, 40 more
    assert page.count("nav &gt; a[aria-current]") == 1
    assert '<a href="/faq/">' not in page and "<td><code>/page-39/</code></td>" in page
    assert "<td>Page 39</td><td>site page</td><td>1 error, 1 warning</td>" in page
    assert 'href="#page-43"' not in page  # nothing of its own: not in the contents
    assert 'href="#page-1"' in page and 'href="#page-2"' not in page


def test_the_summary_comes_first_and_says_what_remains() -> None:
    run = synthetic_run()
    assessment = synthetic_assessment(run)
    page = report_html(run, assessment)
    summary = page[page.index('id="summary"'):page.index('id="contents"')]
    remaining = assessment.count("to_check")
    assert "4 pages vérifiées, dont 1 qui n\u2019a pas pu l\u2019être" in summary
    assert "5 erreurs, 2 avertissements" in summary
    assert f"{remaining} critères restent à vérifier par une personne" in summary
    assert "site non conforme au RGAA 4.1, tant que chaque critère n\u2019a pas de résultat" \
        in summary
    assert page.index('id="summary"') < page.index('id="shared"') < page.index('id="criteria"')


def test_the_criteria_table_gives_each_status_in_words_and_a_marker() -> None:
    run = synthetic_run("en")
    page = report_html(run, synthetic_assessment(run))
    table = page[page.index('id="criteria"'):page.index('id="review"')]
    assert table.count("<tr class=") == 106
    assert '<span aria-hidden="true">\u00d7</span> Not compliant' in table
    assert '<span aria-hidden="true">+</span> Compliant' in table
    assert '<span aria-hidden="true">?</span> To check' in table
    assert "<td>a person&#x27;s review</td>" in table


# --- words --------------------------------------------------------------------------------------

def test_both_languages_have_every_word_with_the_same_placeholders() -> None:
    def placeholders(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    english = catalogue("en")
    for language in REPORT_LANGUAGES:
        other = catalogue(language)
        assert set(other) == set(english), (language, set(english) ^ set(other))
        assert all(placeholders(other[key]) == placeholders(text)
                   for key, text in english.items()), language


def test_every_success_criterion_a_rule_names_has_its_understanding_page() -> None:
    named = {number for known in known_rules() for number in known.wcag}
    assert named and named <= set(SUCCESS_CRITERIA), named - set(SUCCESS_CRITERIA)
    assert understanding_url("1.4.3") == (
        "https://www.w3.org/WAI/WCAG22/Understanding/contrast-minimum.html")
    assert understanding_url("9.9.9") is None
    assert all(re.fullmatch(r"[a-z-]+", slug) for _, slug in SUCCESS_CRITERIA.values())


# --- writing the files --------------------------------------------------------------------------

def test_write_report_makes_the_folder_and_leaves_no_partial_file(tmp_path: Path) -> None:
    run = synthetic_run()
    folder = tmp_path / "deep" / "audit-report"
    write_report(folder, run, synthetic_assessment(run))
    assert sorted(path.name for path in folder.iterdir()) == [AUDIT_JSON, REPORT_HTML]
    assert (folder / REPORT_HTML).read_text(encoding="utf-8") == report_html(
        run, synthetic_assessment(run))


def test_what_a_cut_off_run_left_is_removed_by_the_next(tmp_path: Path) -> None:
    run = synthetic_run()
    left = [tmp_path / ".audit.json.k1ll3d.partial", tmp_path / ".index.html.k1ll3d.partial"]
    for path in left:
        path.write_text("half a fi", encoding="utf-8")
        os.utime(path, (1_000_000_000, 1_000_000_000))
    other = tmp_path / ".faq.html.partial"  # not the report's: left alone
    other.write_text("", encoding="utf-8")
    write_report(tmp_path, run, synthetic_assessment(run))
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        ".faq.html.partial", AUDIT_JSON, REPORT_HTML]


def test_a_failed_write_leaves_the_previous_report_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = synthetic_run()
    write_report(tmp_path, run, synthetic_assessment(run))
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    changed = dataclasses.replace(run, results=(PageResult(run.results[0].page),))

    def power_cut(descriptor: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", power_cut)
    with speaking("en"), pytest.raises(ReportNotWrittenError, match="Input/output error"):
        write_report(tmp_path, changed, synthetic_assessment(changed))
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before


def test_a_file_in_the_way_is_said_clearly(tmp_path: Path) -> None:
    run = synthetic_run()
    (tmp_path / "audit-report").write_text("not a folder", encoding="utf-8")
    with speaking("en"), pytest.raises(ReportNotWrittenError) as raised:
        write_report(tmp_path / "audit-report", run, synthetic_assessment(run))
    assert str(raised.value).startswith(
        f"cannot write the audit report into {tmp_path / 'audit-report'}: a file has that name")
    assert "How to fix: give another folder with `--output DIR`" in str(raised.value)


def test_a_folder_where_a_report_file_goes_is_said_clearly(tmp_path: Path) -> None:
    run = synthetic_run()
    (tmp_path / REPORT_HTML).mkdir()
    with speaking("fr"), pytest.raises(ReportNotWrittenError) as raised:
        write_report(tmp_path, run, synthetic_assessment(run))
    assert str(raised.value).startswith(
        f"impossible d\u2019écrire le fichier du rapport d\u2019audit {tmp_path / REPORT_HTML}"
        " : un dossier porte ce nom")
    assert not list(tmp_path.glob(".*.partial"))


def test_a_folder_that_cannot_be_written_is_said_clearly() -> None:
    """/sys refuses new entries even to root (the tests may run as root, where modes do not
    stop anything)."""
    run = synthetic_run()
    with speaking("en"), pytest.raises(ReportNotWrittenError) as raised:
        write_report(Path("/sys/parole-audit-report"), run, synthetic_assessment(run))
    assert str(raised.value).startswith(
        "cannot write the audit report into /sys/parole-audit-report (Operation not permitted)")
    assert "change its permissions" in str(raised.value)
