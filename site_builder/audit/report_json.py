"""``audit.json``: everything one run of ``parole audit`` found, for programs and for later.

The HTML report is for people; this file is for tools (a CI step, a tracker) and for parole
itself: ``parole audit --statement`` can write the accessibility statement again from a
committed ``audit.json`` (``report_read.read_audit_json``) without running the browser, so the
statement's figures can be checked by anyone against the data they come from.

The document is stable: keys in a fixed order, lists in a fixed order (pages as audited, rules
by id, findings by condition then selector), nothing random and no clock read here (the run's
date is given by the command, which honours ``SOURCE_DATE_EPOCH``). Its format is documented,
key by key, in docs/audit.md; ``FORMAT`` changes whenever a key changes meaning or goes away.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from site_builder.audit.model import CONDITIONS, AuditRun, Finding, PageResult
from site_builder.audit.report_words import report_language
from site_builder.audit.rules import rule

if TYPE_CHECKING:
    from site_builder.audit.review import Review
    from site_builder.audit.verdicts import Assessment, CriterionStatus

FORMAT = 1
AUDIT_JSON = "audit.json"
STATUSES: tuple[CriterionStatus, ...] = ("compliant", "not_compliant", "not_applicable",
                                         "to_check")
"""The statuses of a criterion, in the order the report counts them."""


def audit_document(run: AuditRun, assessment: Assessment) -> dict[str, Any]:
    """What ``audit.json`` holds (format 1): the run, the pages and their findings grouped by
    rule, the totals, the 106 criteria, the review, the rate and the conformity it supports.

    Rules' summaries and fixes are written in the report's language (French for French sites,
    English otherwise), as the report shows them."""
    language = report_language(run.language)
    return {
        "format": FORMAT,
        "run": {
            "date": run.date,
            "site_title": run.site_title,
            "language": run.language,
            "base_url": run.base_url,
            "organizer": {key: run.organizer[key] for key in sorted(run.organizer)},
            "environment": {
                "parole": run.environment.parole,
                "browser": run.environment.browser,
                "axe_core": run.environment.axe_core,
                "playwright": run.environment.playwright,
                "platform": run.environment.platform,
            },
        },
        "totals": totals(run),
        "pages": [_page(result, language) for result in run.results],
        "counts": {status: assessment.count(status) for status in STATUSES},
        "criteria": [
            {
                "number": verdict.criterion.number,
                "title": verdict.criterion.title,
                "status": verdict.status,
                "source": verdict.source,
                "pages": list(verdict.pages),
                "findings": verdict.findings,
                "leads": verdict.leads,
                "note": verdict.note,
            }
            for verdict in assessment.verdicts
        ],
        "review": review_document(assessment.review),
        "rate": rate_document(assessment),
        "remaining": assessment.count("to_check"),
        "conformity": assessment.conformity,
    }


def totals(run: AuditRun) -> dict[str, int]:
    """Pages audited, error and warning findings (each element in each condition counts once),
    and pages that could not be checked at all (they count as errors for the exit code)."""
    severities = [rule(finding.rule).severity
                  for result in run.results for finding in result.findings]
    return {
        "pages": len(run.results),
        "errors": severities.count("error"),
        "warnings": severities.count("warning"),
        "pages_failed": sum(1 for result in run.results if result.failure is not None),
    }


def percent(rate: Fraction) -> float:
    """The rate as a percentage rounded down to one decimal (4/7 → 57.1, 2/3 → 66.6, 999/1000
    → 99.9): the report never shows more than was verified (no 99.96 % shown as 100.0 %), and
    says what the statement says."""
    tenths = (rate * 1000) // 1
    return float(Fraction(tenths, 10))


def rate_document(assessment: Assessment) -> dict[str, Any] | None:
    """``{"fraction": "92/115", "percent": 80.0}``: compliant criteria over applicable ones
    (compliant + not compliant), as counted, not reduced; None while criteria remain to check
    (the RGAA method gives no rate for an incomplete audit)."""
    if assessment.rate is None:
        return None
    compliant = assessment.count("compliant")
    applicable = compliant + assessment.count("not_compliant")
    return {"fraction": f"{compliant}/{applicable}", "percent": percent(assessment.rate)}


def review_document(review: Review | None) -> dict[str, Any] | None:
    """The auditor's review as read from their file, whole: enough to decide the criteria
    again (``report_read``) and to write the statement's derogations and exemptions."""
    if review is None:
        return None
    return {
        "auditor": review.auditor,
        "date": review.date,
        "source": review.source,
        "criteria": [{"criterion": item.number, "result": item.result,
                      "pages": list(item.pages), "note": item.note}
                     for item in review.criteria],
        "derogations": [{"content": item.content, "reason": item.reason}
                        for item in review.derogations],
        "exemptions": [{"content": item.content, "reason": item.reason}
                       for item in review.exemptions],
    }


def rule_groups(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by rule, rules by id, each rule's findings in a fixed order (condition
    as ``CONDITIONS`` lists them, then selector, extract, message): the same findings give the
    same document, whatever order the browser's checks finished in."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.rule, []).append(finding)
    return [(rule_id, sorted(groups[rule_id], key=finding_order)) for rule_id in sorted(groups)]


def finding_order(finding: Finding) -> tuple[int, str, str, str, str]:
    """Where a finding stands among its rule's findings."""
    return (CONDITIONS.index(finding.condition), finding.selector, finding.html,
            finding.message, finding.impact or "")


def _page(result: PageResult, language: str) -> dict[str, Any]:
    rules = []
    for rule_id, findings in rule_groups(result.findings):
        known = rule(rule_id)
        rules.append({
            "rule": rule_id,
            "severity": known.severity,
            "wcag": list(known.wcag),
            "rgaa": list(known.rgaa),
            "rgaa_none": known.rgaa_none,
            "summary": known.summary.get(language, known.summary.get("en", "")),
            "fix": known.fix.get(language, known.fix.get("en", "")),
            "findings": [{"selector": finding.selector, "html": finding.html,
                          "condition": finding.condition, "message": finding.message,
                          "impact": finding.impact}
                         for finding in findings],
        })
    return {
        "path": result.page.path,
        "kind": result.page.kind,
        "label": result.page.label,
        "failure": result.failure,
        "seconds": round(result.seconds, 2),
        "applicable": sorted(result.applicable),
        "present": sorted(result.present, key=criterion_order),
        "rules": rules,
    }


def criterion_order(number: str) -> tuple[int, ...]:
    """``"10.2"`` after ``"9.1"``: criteria numbers sort as numbers (text that is not a number
    sorts first)."""
    try:
        return tuple(int(part) for part in number.split("."))
    except ValueError:
        return (-1,)
