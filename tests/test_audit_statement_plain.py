"""The accessibility statement's own sentences are plain (issue #18): measured as the build
measures every page, none is longer than the default target's 15 words, none has words in
parentheses, a semicolon joining two sentences or an abbreviation without its meaning, in
French and English, whatever the audit found. The RGAA and EU models' headings and sentences
a public body must use stay as they are (long words such as « accessibilité » or
« conformité » are theirs)."""

from __future__ import annotations

import pytest

from site_builder.audit.model import AuditedPage, AuditRun, Environment, PageResult
from site_builder.audit.review import Review
from site_builder.audit.statement import statement_markdown
from site_builder.plain_language import TARGETS, analyse_markdown
from tests.audit_statement_support import assessment_with

PLAIN_SIGNALS = {"long_sentence", "abbreviation", "parentheses", "semicolon"}
LEVEL_NAMES = {"AA"}
"""WCAG's level « AA » is a name, not an abbreviation: the EU model says it."""
CRITERIA_LINES = ("Critère ", "Criterion ")
"""A failing criterion is said in the RGAA's own words (« Dans le site web, des feuilles de
styles sont-elles utilisées… ? »), not the statement's."""
REVIEW = Review(auditor="Camille Martin", date="2026-12-07", criteria=(), derogations=(),
                exemptions=(), source="accessibility-review.yml")
STATES = {
    "complete, all met": {"compliant": 50, "not_applicable": 56, "review": REVIEW},
    "complete, half met": {"compliant": 20, "not_applicable": 56, "review": REVIEW,
                           "failing": dict.fromkeys([f"11.{n}" for n in range(1, 14)]
                                                    + [f"10.{n}" for n in range(1, 15)]
                                                    + [f"12.{n}" for n in range(1, 4)],
                                                    ("/",))},
    "incomplete": {"compliant": 40, "not_applicable": 3, "to_check": 63, "review": REVIEW},
    "automatic only": {"compliant": 40, "to_check": 66, "review": None},
}


def _run(language: str) -> AuditRun:
    pages = (PageResult(AuditedPage("/", "page", "Accueil"), present=frozenset({"7.1"})),
             PageResult(AuditedPage("/faq/", "page", "Questions")),
             PageResult(AuditedPage("/aide/", "page", "Aide"), failure="timed out"))
    return AuditRun(date="2026-12-05", site_title="Place du Marché", language=language,
                    environment=Environment(parole="0.1.0", browser="Chromium 156.0",
                                            axe_core="4.12.1", playwright="1.55.0",
                                            platform="Linux"),
                    results=pages, base_url="",
                    organizer={"name": "Ville de Belval", "email": "a@belval.example",
                               "phone": "01 84 60 12 34", "address": "1 place de la Mairie"})


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("state", sorted(STATES))
def test_the_statements_sentences_are_plain(language: str, state: str) -> None:
    assessment = assessment_with(**STATES[state])  # type: ignore[arg-type]
    text = statement_markdown(_run(language), assessment, report_link="audit/index.html")
    page = analyse_markdown(text, language, TARGETS["default"])
    to_rewrite = [(sentence.text, signal.kind, signal.text) for sentence in page.flagged
                  for signal in sentence.signals
                  if signal.kind in PLAIN_SIGNALS and signal.text not in LEVEL_NAMES
                  and not sentence.text.startswith(CRITERIA_LINES)]
    assert to_rewrite == []
