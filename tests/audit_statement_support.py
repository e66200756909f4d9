"""Small stand-ins for the verdicts and the review (``audit.verdicts``, ``audit.review``) with
the same shape, so the statement's tests can state any assessment in one line: "40 criteria
compliant, 3 not applicable, these failing on these pages, the rest to check"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

CRITERIA_PER_TOPIC = (9, 2, 3, 13, 8, 2, 5, 10, 4, 14, 13, 11, 12)
"""How many criteria each of the RGAA 4.1's 13 topics has: 106 in all."""
TOPICS = ("Images", "Cadres", "Couleurs", "Multimédia", "Tableaux", "Liens", "Scripts",
          "Éléments obligatoires", "Structuration de l'information",
          "Présentation de l'information", "Formulaires", "Navigation", "Consultation")


@dataclass(frozen=True)
class Criterion:
    number: str
    topic: str
    title: str
    wcag: tuple[str, ...] = ()
    automatic: Literal["full", "partial", "none"] = "none"
    applies_to: str | None = None


@dataclass(frozen=True)
class ReviewedCriterion:
    number: str
    result: str
    pages: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class ReviewItem:
    content: str
    reason: str


@dataclass(frozen=True)
class Review:
    auditor: str
    date: str
    criteria: tuple[ReviewedCriterion, ...]
    derogations: tuple[ReviewItem, ...]
    exemptions: tuple[ReviewItem, ...]
    source: str


@dataclass(frozen=True)
class CriterionVerdict:
    criterion: Criterion
    status: str
    source: str
    pages: tuple[str, ...]
    findings: int
    leads: int
    note: str


@dataclass(frozen=True)
class Assessment:
    """As ``audit.verdicts.Assessment`` defines ``complete``, ``rate`` and ``conformity``."""

    verdicts: tuple[CriterionVerdict, ...]
    review: Review | None

    def count(self, status: str) -> int:
        return sum(verdict.status == status for verdict in self.verdicts)

    @property
    def complete(self) -> bool:
        return not self.count("to_check")

    @property
    def rate(self) -> Fraction | None:
        applicable = self.count("compliant") + self.count("not_compliant")
        if not self.complete or not applicable:
            return None
        return Fraction(self.count("compliant"), applicable)

    @property
    def conformity(self) -> str:
        rate = self.rate
        if rate is None:
            return "none"
        return "total" if rate == 1 else "partial" if rate >= Fraction(1, 2) else "none"


def all_criteria() -> list[Criterion]:
    return [Criterion(f"{topic}.{n}", TOPICS[topic - 1], f"Titre du critère {topic}.{n}")
            for topic, size in enumerate(CRITERIA_PER_TOPIC, 1) for n in range(1, size + 1)]


def assessment_with(*, compliant: int = 0, not_applicable: int = 0, to_check: int = 0,
                    failing: Mapping[str, tuple[str, ...]] | None = None,
                    notes: Mapping[str, str] | None = None,
                    review: Review | None = None) -> Assessment:
    """The 106 criteria: those of ``failing`` not compliant on its pages, then in order
    ``compliant`` compliant, ``not_applicable`` not applicable, ``to_check`` to check."""
    failing = failing or {}
    notes = notes or {}
    statuses = ["compliant"] * compliant + ["not_applicable"] * not_applicable + \
        ["to_check"] * to_check
    criteria = all_criteria()
    assert len(statuses) + len(failing) == len(criteria) == 106
    others = iter(statuses)
    verdicts = []
    for criterion in criteria:
        if criterion.number in failing:
            automatic = criterion.number not in notes
            verdicts.append(CriterionVerdict(
                criterion, "not_compliant", "automatic" if automatic else "review",
                failing[criterion.number], 2 if automatic else 0, 0,
                notes.get(criterion.number, "")))
        else:
            verdicts.append(CriterionVerdict(criterion, next(others), "automatic", (), 0, 0, ""))
    return Assessment(tuple(verdicts), review)
