"""``parole audit`` finds each problem seeded in ``tests/audit_sites/broken``, on its page, with
the right rule, WCAG success criterion and RGAA 4.1 criterion; the same site mended
(``tests/audit_sites/clean``) reports no error.

The command runs for real: built sites (strict), a real process in the site's folder, the
system Chromium. The expected criteria are written here from the standards themselves, not
read from the audit's own mapping (``site_builder/audit/data/rules.yml``), so that a wrong
mapping fails here:

- an image of information with no text alternative fails WCAG 1.1.1 (Non-text Content);
  RGAA 1.1 "Chaque image porteuse d'information a-t-elle une alternative textuelle ?" (its
  test 1.1.5 is the ``<svg role="img">`` seeded here);
- a level-2 heading followed by a level-4 one fails WCAG 1.3.1 (Info and Relationships: the
  structure given by headings); RGAA 9.1 "l'information est-elle structurée par l'utilisation
  appropriée de titres ?" (test 9.1.1, the hierarchy between headings);
- text under 4.5:1 fails WCAG 1.4.3 (Contrast (Minimum)); RGAA 3.2;
- horizontal scrolling at 320 CSS px fails WCAG 1.4.10 (Reflow); RGAA 10.11;
- a focus indicator removed fails WCAG 2.4.7 (Focus Visible); RGAA 10.7;
- a link with no name fails WCAG 2.4.4 (Link Purpose (In Context)); RGAA 6.2 "chaque lien
  a-t-il un intitulé ?";
- two links with the same words to different places is a link purpose problem, WCAG 2.4.4
  (its context may still tell them apart: a warning, for a person to judge); RGAA 6.1
  "Chaque lien est-il explicite ?".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.audit_run_support import BROKEN, CLEAN, AuditOutcome, describe, problems, run_audit
from tests.support import build_site

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Seeded:
    """One seeded problem: where it is and what the report must say of it."""

    page: str
    rule: str
    condition: str
    wcag: str
    rgaa: str
    severity: str
    selector: str
    """Words the finding's selector contains (the element seeded, not a neighbour)."""


SEEDED = (
    Seeded("/image-sans-alternative/", "axe:svg-img-alt", "default", "1.1.1", "1.1", "error",
           "svg"),
    Seeded("/titres-sautes/", "parole:heading-order", "default", "1.3.1", "9.1", "error",
           "preparer-la-terre"),
    Seeded("/contraste-sombre/", "axe:color-contrast", "dark", "1.4.3", "3.2", "error",
           "mot-jardiniers"),
    Seeded("/tableau-large/", "parole:reflow", "narrow", "1.4.10", "10.11", "error",
           "horaires"),
    Seeded("/focus-invisible/", "parole:focus-visible", "keyboard", "2.4.7", "10.7", "error",
           "bouton-inscription"),
    Seeded("/lien-vide/", "axe:link-name", "default", "2.4.4", "6.2", "error",
           "confidentialite"),
    Seeded("/liens-identiques/", "parole:link-text-duplicate", "default", "2.4.4", "6.1",
           "warning", "a"),
)
CLEAN_PAGES = ("/", "/aide/", "/accessibilite/", "/confidentialite/")
"""Pages of the broken site with nothing seeded: the problems must stay on their own pages."""


def _audited(tmp_path_factory: pytest.TempPathFactory, source: Path) -> AuditOutcome:
    folder = tmp_path_factory.mktemp(f"audit-{source.name}")
    site = build_site(source / "mkdocs.yml", folder / "site")
    return run_audit(site, folder / "report", cwd=source)


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> AuditOutcome:
    return _audited(tmp_path_factory, BROKEN)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> AuditOutcome:
    return _audited(tmp_path_factory, CLEAN)


@pytest.mark.parametrize("seeded", SEEDED, ids=[item.page.strip("/") for item in SEEDED])
def test_each_seeded_problem_is_found_on_its_page_with_its_criteria(
    broken: AuditOutcome, seeded: Seeded,
) -> None:
    page = broken.page(seeded.page)
    rules = {rule["rule"]: rule for rule in page["rules"]}
    assert seeded.rule in rules, (
        f"{seeded.rule} not reported on {seeded.page}; it has {sorted(rules)}\n"
        + describe(problems(broken.document), broken, "tests/audit_sites/broken"))
    rule = rules[seeded.rule]
    assert seeded.wcag in rule["wcag"], rule
    assert seeded.rgaa in rule["rgaa"], rule
    assert rule["severity"] == seeded.severity, rule
    found = [item for item in rule["findings"] if item["condition"] == seeded.condition]
    assert found, f"{seeded.rule} on {seeded.page} not in condition {seeded.condition}: {rule}"
    assert any(seeded.selector in item["selector"] or seeded.selector in item["html"]
               for item in found), f"not on the seeded element ({seeded.selector}): {found}"


def test_the_broken_site_fails_and_its_other_pages_stay_clean(broken: AuditOutcome) -> None:
    assert broken.code == 1, broken.stdout + broken.stderr
    assert broken.document["totals"]["errors"] >= sum(
        1 for item in SEEDED if item.severity == "error")
    for path in CLEAN_PAGES:
        errors = [problem for problem in problems(broken.document, severity="error")
                  if problem.page == path]
        assert not errors, describe(errors, broken, "tests/audit_sites/broken")


def test_low_contrast_in_dark_mode_only_is_found_in_dark_mode_only(broken: AuditOutcome) -> None:
    contrast = [problem for problem in problems(broken.document)
                if problem.page == "/contraste-sombre/" and problem.rule == "axe:color-contrast"
                and "mot-jardiniers" in problem.selector]
    assert {problem.condition for problem in contrast} == {"dark"}, contrast


def test_each_seeded_page_fails_its_rgaa_criterion(broken: AuditOutcome) -> None:
    """The criteria the errors fail are "not compliant", with the seeded page among theirs."""
    criteria = {item["number"]: item for item in broken.document["criteria"]}
    for seeded in SEEDED:
        if seeded.severity == "error":
            verdict = criteria[seeded.rgaa]
            assert verdict["status"] == "not_compliant", verdict
            assert seeded.page in verdict["pages"], verdict


def test_the_mended_site_reports_no_error(clean: AuditOutcome) -> None:
    errors = problems(clean.document, severity="error")
    assert clean.code == 0 and not errors, describe(errors, clean, "tests/audit_sites/clean")
    assert clean.document["totals"]["errors"] == 0
    assert clean.document["totals"]["pages_failed"] == 0
    warnings = problems(clean.document, severity="warning")
    assert not warnings, describe(warnings, clean, "tests/audit_sites/clean")
