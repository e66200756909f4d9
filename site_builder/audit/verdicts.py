"""From what the audit found (and what a person reviewed) to the 106 RGAA criteria's results.

RGAA's method: a criterion fails when it fails on any audited page, and the compliance rate is
compliant ÷ (compliant + not compliant), not applicable ones left out. :func:`assess` decides
each criterion in this order, and never claims more than was verified:

1. an error finding of a rule mapped to it (``audit.rules``) on any page: **not compliant**,
   whatever the review says (when the review said otherwise, the verdict's note says so);
2. else the review's result, if the review has one;
3. else **not applicable** when its ``applies_to`` selector matched on no page (and every page
   could be checked: a page that failed to load might have held a table);
4. else **compliant** only when the audit decides it alone (``automatic: full``) and the rules
   that decide it ran on every page it applies to;
5. else **to check** by a person.

The rate exists only when no criterion is left to check; the conformity status follows RGAA's
statement model: total at 100 %, partial from 50 %, none below 50 % or without a complete audit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from site_builder.audit.criteria import Criterion, criteria
from site_builder.audit.model import AuditRun, PageResult
from site_builder.audit.review import Review
from site_builder.audit.rules import rule
from site_builder.messages import say

CriterionStatus = Literal["compliant", "not_compliant", "not_applicable", "to_check"]
STATUSES: tuple[CriterionStatus, ...] = ("compliant", "not_compliant", "not_applicable",
                                         "to_check")
Conformity = Literal["total", "partial", "none"]


@dataclass(frozen=True)
class CriterionVerdict:
    criterion: Criterion
    status: CriterionStatus
    source: Literal["automatic", "review", "none"]
    pages: tuple[str, ...]
    """Paths of the pages where it fails (found by the audit, or named by the review)."""
    findings: int
    """Error findings of the rules mapped to it, on every page."""
    leads: int
    """Warnings mapped to it: places a person should look at."""
    note: str
    """The reviewer's note, or why the review's result was not taken; "" otherwise."""


@dataclass(frozen=True)
class Assessment:
    verdicts: tuple[CriterionVerdict, ...]
    """The 106 criteria, in RGAA's order."""
    review: Review | None

    def count(self, status: CriterionStatus) -> int:
        return sum(1 for verdict in self.verdicts if verdict.status == status)

    def verdict(self, number: str) -> CriterionVerdict:
        """The verdict of criterion ``number``; KeyError when RGAA 4.1 has none."""
        found = next((verdict for verdict in self.verdicts
                      if verdict.criterion.number == number), None)
        if found is None:
            raise KeyError(f"RGAA 4.1 has no criterion {number!r}")
        return found

    @property
    def complete(self) -> bool:
        """Every criterion has a result: the rate can be computed."""
        return self.count("to_check") == 0

    @property
    def rate(self) -> Fraction | None:
        """compliant ÷ applicable; None while criteria remain to check (or none applies)."""
        compliant, failing = self.count("compliant"), self.count("not_compliant")
        if not self.complete or compliant + failing == 0:
            return None
        return Fraction(compliant, compliant + failing)

    @property
    def conformity(self) -> Conformity:
        """What the statement may claim: ``total`` only for a complete audit at 100 %."""
        rate = self.rate
        if rate is None:
            return "none"
        if rate == 1:
            return "total"
        return "partial" if rate >= Fraction(1, 2) else "none"


@dataclass
class _Found:
    """What the findings say of one criterion."""

    pages: list[str]
    findings: int = 0
    leads: int = 0


def assess(run: AuditRun, review: Review | None) -> Assessment:
    """The 106 verdicts of ``run``, with ``review``'s results where the audit found no error."""
    found = _findings(run.results)
    checked = bool(run.results) and all(result.failure is None for result in run.results)
    verdicts = []
    for item in criteria():
        seen = found.get(item.number, _Found([]))
        reviewed = review.result(item.number) if review else None
        status: CriterionStatus
        source: Literal["automatic", "review", "none"] = "automatic"
        pages, note = tuple(seen.pages), ""
        if seen.pages:
            status = "not_compliant"
            if reviewed is not None:
                pages = tuple(_union(seen.pages, reviewed.pages if reviewed.result ==
                                     "not_compliant" else ()))
                note = reviewed.note if reviewed.result == "not_compliant" else " ".join(
                    part for part in (say("audit.verdicts.review_overruled",
                                          result=reviewed.result), reviewed.note) if part)
        elif reviewed is not None:
            status, source, note = reviewed.result, "review", reviewed.note
            pages = reviewed.pages if reviewed.result == "not_compliant" else ()
        elif checked and item.applies_to and not any(
                item.number in result.present for result in run.results):
            status = "not_applicable"
        elif checked and item.automatic == "full" and _decided(item, run.results):
            status = "compliant"
        else:
            status, source = "to_check", "none"
        verdicts.append(CriterionVerdict(item, status, source, pages, seen.findings,
                                         seen.leads, note))
    return Assessment(tuple(verdicts), review)


def _findings(results: Iterable[PageResult]) -> dict[str, _Found]:
    """Criterion number → the pages its error findings are on, and how many of each kind."""
    found: dict[str, _Found] = {}
    for result in results:
        for finding in result.findings:
            known = rule(finding.rule)
            for number in known.rgaa:
                entry = found.setdefault(number, _Found([]))
                if known.severity == "error":
                    entry.findings += 1
                    if result.page.path not in entry.pages:
                        entry.pages.append(result.page.path)
                else:
                    entry.leads += 1
    return found


def _decided(item: Criterion, results: Iterable[PageResult]) -> bool:
    """The rules that decide ``item`` ran on every page it applies to."""
    pages = [result for result in results
             if item.applies_to is None or item.number in result.present]
    return bool(pages) and all(set(item.decided_by) <= result.applicable for result in pages)


def _union(first: Iterable[str], second: Iterable[str]) -> list[str]:
    merged: list[str] = []
    for page in (*first, *second):
        if page not in merged:
            merged.append(page)
    return merged
