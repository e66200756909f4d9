"""Assessments stated in one line for the statement's tests: "40 criteria compliant, 3 not
applicable, these failing on these pages, the rest to check", built from the real 106 RGAA
criteria and ``audit.verdicts``'s own classes (``assess`` needs a whole audit to reach a given
mix; the statement only reads the verdicts)."""

from __future__ import annotations

from collections.abc import Mapping

from site_builder.audit.criteria import criteria
from site_builder.audit.review import Review
from site_builder.audit.verdicts import Assessment, CriterionStatus, CriterionVerdict


def assessment_with(*, compliant: int = 0, not_applicable: int = 0, to_check: int = 0,
                    failing: Mapping[str, tuple[str, ...]] | None = None,
                    notes: Mapping[str, str] | None = None,
                    review: Review | None = None) -> Assessment:
    """The 106 criteria: those of ``failing`` not compliant on its pages (found by the audit,
    or by the review when ``notes`` has a note for it), then in RGAA's order ``compliant``
    compliant, ``not_applicable`` not applicable and ``to_check`` to check."""
    failing = failing or {}
    notes = notes or {}
    mix: tuple[tuple[CriterionStatus, int], ...] = (
        ("compliant", compliant), ("not_applicable", not_applicable), ("to_check", to_check))
    statuses = [status for status, count in mix for _ in range(count)]
    every = criteria()
    assert len(statuses) + len(failing) == len(every) == 106
    others = iter(statuses)
    verdicts = []
    for criterion in every:
        if criterion.number in failing:
            automatic = criterion.number not in notes
            verdicts.append(CriterionVerdict(
                criterion, "not_compliant", "automatic" if automatic else "review",
                failing[criterion.number], 2 if automatic else 0, 0,
                notes.get(criterion.number, "")))
        else:
            status = next(others)
            verdicts.append(CriterionVerdict(criterion, status,
                                             "none" if status == "to_check" else "automatic",
                                             (), 0, 0, ""))
    return Assessment(tuple(verdicts), review)
