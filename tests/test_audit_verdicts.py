"""From findings and a review to the 106 RGAA verdicts, the rate and the conformity status:
synthetic audit runs, no browser."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

import pytest

from site_builder.audit.criteria import criteria, criterion
from site_builder.audit.model import AuditedPage, AuditRun, Environment, Finding, PageResult
from site_builder.audit.review import Result, Review, ReviewedCriterion
from site_builder.audit.verdicts import assess
from site_builder.messages import speaking

ENVIRONMENT = Environment("1.0", "Chromium 1", "4.12.1", "1.65", "Linux")
EVERY_PAGE = frozenset({"axe:html-has-lang", "axe:document-title", "parole:skip-link",
                        "axe:link-name"})
"""The rules that decide the "full" criteria, as they run on an ordinary page with links."""
ORDINARY = frozenset({"6.1", "6.2", "10.6"})
"""Criteria present on an ordinary page: it has links, and nothing else that applies_to names."""


def page(path: str, *findings: Finding, applicable: Iterable[str] = EVERY_PAGE,
         present: Iterable[str] = ORDINARY, failure: str | None = None) -> PageResult:
    return PageResult(AuditedPage(path, "page", path), tuple(findings), frozenset(applicable),
                      frozenset(present), failure)


def finding(rule: str) -> Finding:
    return Finding(rule, "default", "main img", "<img src=a.jpg>", "wrong", "serious")


def run(*results: PageResult) -> AuditRun:
    return AuditRun("2026-12-05", "Consultation", "fr", ENVIRONMENT, tuple(results))


def review(results: dict[str, Result], note: str = "") -> Review:
    items = tuple(ReviewedCriterion(number, result, ("/faq/",) if result == "not_compliant"
                                    else (), note or ("Ça ne va pas." if result ==
                                                      "not_compliant" else ""))
                  for number, result in results.items())
    return Review("Camille Martin", "2026-12-05", items, (), (), "accessibility-review.yml")


def test_a_failure_on_any_page_fails_the_criterion() -> None:
    found = assess(run(page("/"), page("/faq/", finding("axe:image-alt"),
                                       finding("axe:image-alt")), page("/a/")), None)
    verdict = found.verdict("1.1")
    assert (verdict.status, verdict.source, verdict.pages, verdict.findings) == (
        "not_compliant", "automatic", ("/faq/",), 2)
    assert len(found.verdicts) == 106
    assert [item.criterion for item in found.verdicts] == list(criteria())


def test_warnings_are_leads_not_failures() -> None:
    found = assess(run(page("/", finding("axe:heading-order"), finding("parole:single-h1"))),
                   None)
    verdict = found.verdict("9.1")
    assert (verdict.status, verdict.findings, verdict.leads) == ("to_check", 0, 2)


def test_full_criteria_pass_only_when_their_rules_ran_on_every_page() -> None:
    found = assess(run(page("/"), page("/faq/")), None)
    for number in ("6.2", "8.3", "8.5", "12.7"):
        assert (found.verdict(number).status, found.verdict(number).source) == (
            "compliant", "automatic"), number
    assert found.verdict("8.6").status == "to_check"  # a title's relevance: a person
    partly = assess(run(page("/"), page("/faq/", applicable={"axe:document-title"})), None)
    assert partly.verdict("8.5").status == "compliant"
    assert partly.verdict("8.3").status == "to_check"


def test_a_page_that_failed_leaves_criteria_to_check() -> None:
    found = assess(run(page("/"), page("/faq/", applicable=(), present=(),
                                       failure="timed out")), None)
    assert found.verdict("8.5").status == "to_check"
    assert found.verdict("5.1").status == "to_check"  # the page might have had a table
    assert assess(run(), None).verdict("5.1").status == "to_check"  # nothing audited


def test_not_applicable_when_no_page_has_the_elements() -> None:
    found = assess(run(page("/"), page("/faq/", present={"5.1"})), None)
    assert found.verdict("2.1").status == "not_applicable"  # no frame anywhere
    assert found.verdict("5.1").status == "to_check"         # a table on /faq/
    assert found.verdict("6.2").status == "compliant"        # links: present and decided
    assert found.verdict("3.2").status == "to_check"         # applies to every page


def test_review_results_are_used_where_the_audit_found_nothing() -> None:
    found = assess(run(page("/")), review({"7.1": "not_applicable", "9.1": "not_compliant",
                                           "8.6": "compliant", "8.5": "not_compliant"}))
    assert (found.verdict("7.1").status, found.verdict("7.1").source) == (
        "not_applicable", "review")
    nine = found.verdict("9.1")
    assert (nine.status, nine.pages, nine.note) == ("not_compliant", ("/faq/",),
                                                    "Ça ne va pas.")
    assert found.verdict("8.6").status == "compliant"
    assert found.verdict("8.5").status == "not_compliant"  # a person may find more


def test_a_review_never_overrules_an_automatic_error() -> None:
    with speaking("fr"):
        found = assess(run(page("/a/", finding("axe:color-contrast"))),
                       review({"3.2": "compliant"}, note="Vérifié à l'œil."))
    verdict = found.verdict("3.2")
    assert (verdict.status, verdict.source, verdict.pages) == (
        "not_compliant", "automatic", ("/a/",))
    assert "compliant" in verdict.note and "non conforme" in verdict.note
    assert "Vérifié à l'œil." in verdict.note
    both = assess(run(page("/a/", finding("axe:color-contrast"))), review({"3.2":
                                                                           "not_compliant"}))
    assert both.verdict("3.2").pages == ("/a/", "/faq/")


def _complete(compliant: int, failing: int) -> Review:
    """A review giving a result to every criterion: ``compliant`` compliant, ``failing`` not
    compliant, the rest not applicable."""
    numbers = [item.number for item in criteria()]
    results: dict[str, Result] = {}
    for index, number in enumerate(numbers):
        results[number] = ("compliant" if index < compliant else "not_compliant"
                           if index < compliant + failing else "not_applicable")
    return review(results)


@pytest.mark.parametrize(("compliant", "failing", "rate", "conformity"), [
    (50, 0, Fraction(1), "total"),
    (40, 10, Fraction(4, 5), "partial"),
    (25, 25, Fraction(1, 2), "partial"),
    (20, 30, Fraction(2, 5), "none"),
])
def test_rate_and_conformity(compliant: int, failing: int, rate: Fraction,
                             conformity: str) -> None:
    reviewed = _complete(compliant, failing)
    found = assess(run(page("/")), reviewed)
    assert found.complete and found.count("to_check") == 0
    assert (found.count("compliant"), found.count("not_compliant")) == (compliant, failing)
    assert (found.rate, found.conformity) == (rate, conformity)


def test_an_incomplete_audit_has_no_rate_and_no_conformity() -> None:
    found = assess(run(page("/")), review({"7.1": "compliant"}))
    assert not found.complete and found.rate is None and found.conformity == "none"
    remaining = found.count("to_check")
    assert remaining == 106 - 1 - 4 - found.count("not_applicable")  # 7.1, the four full ones
    assert remaining + sum(found.count(status) for status in (
        "compliant", "not_compliant", "not_applicable")) == 106


def test_an_automated_audit_alone_never_yields_total_conformity() -> None:
    found = assess(run(page("/"), page("/faq/")), None)
    assert found.conformity == "none" and found.rate is None
    assert found.count("to_check") == 43  # 106 - 4 full - 59 not applicable
    assert found.count("not_applicable") == 59


def test_unknown_criterion_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        assess(run(page("/")), None).verdict("14.1")
    assert criterion("1.1").automatic == "partial"
