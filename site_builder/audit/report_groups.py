"""How the report arranges findings so that a 200-page site stays readable.

A problem in the theme or a shared template shows on every page, on the same element: listed
page by page it would bury the rest. So a finding whose rule, condition and selector appear on
two pages or more is listed once, under "problems on several pages", with the pages it is on;
each page then lists only what is its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from site_builder.audit.model import AuditedPage, AuditRun, Condition, Finding, PageResult
from site_builder.audit.report_json import finding_order, rule_groups

Key = tuple[str, Condition, str]
"""A finding's rule, condition and selector: what makes it "the same problem" on two pages."""


def key(finding: Finding) -> Key:
    return (finding.rule, finding.condition, finding.selector)


@dataclass(frozen=True)
class SharedElement:
    """One element with the same problem on several pages; ``finding`` is the first page's
    (its extract and message stand for the others, which may differ in small ways)."""

    finding: Finding
    pages: tuple[AuditedPage, ...]


def shared_elements(run: AuditRun) -> list[tuple[str, list[SharedElement]]]:
    """The problems found on two pages or more, by rule (rules by id, elements in the order of
    ``finding_order``)."""
    seen: dict[Key, tuple[Finding, list[AuditedPage]]] = {}
    for result in run.results:
        for finding in result.findings:
            first, pages = seen.setdefault(key(finding), (finding, []))
            if result.page not in pages:
                pages.append(result.page)
    by_rule: dict[str, list[SharedElement]] = {}
    for first, pages in seen.values():
        if len(pages) > 1:
            by_rule.setdefault(first.rule, []).append(SharedElement(first, tuple(pages)))
    return [(rule_id, sorted(by_rule[rule_id], key=lambda element: finding_order(element.finding)))
            for rule_id in sorted(by_rule)]


def shared_keys(groups: list[tuple[str, list[SharedElement]]]) -> frozenset[Key]:
    return frozenset(key(element.finding) for _, elements in groups for element in elements)


def own_findings(result: PageResult, shared: frozenset[Key]) -> list[tuple[str, list[Finding]]]:
    """The page's findings that are its own (not listed among the shared ones), by rule."""
    return rule_groups(finding for finding in result.findings if key(finding) not in shared)
