"""What an audit is made of: the pages audited, what the browser found on each, and the run.

These are plain data, shared by every part of ``parole audit``: the browser stage
(``audit.browser``) fills them, the verdicts (``audit.verdicts``) turn them into the RGAA
criteria's results, the report (``audit.report_json``, ``audit.report_html``) and the statement
(``audit.statement``) show them. Nothing here knows about Chromium, files or languages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PageKind = Literal["page", "paper", "site_map", "low_data", "not_found", "collector", "report"]
"""What a page is to the organizer: a page of the site, a form's paper version, the site map,
the low-data edition, the 404 page, a page the collector answers with (receipt, errors, closed,
not yet open, not found), or the published audit report itself."""

Condition = Literal["default", "dark", "forced_colors", "narrow", "large_text", "keyboard"]
"""The state the page was in when a finding was made: as loaded (1280 by 800 px, light), with
``prefers-color-scheme: dark``, with forced colours, 320 CSS px wide, text at 200 %, or while
tabbing through it."""

CONDITIONS: tuple[Condition, ...] = ("default", "dark", "forced_colors", "narrow",
                                     "large_text", "keyboard")

Impact = Literal["critical", "serious", "moderate", "minor"]
"""axe-core's impact scale; parole's own checks use it too."""

Severity = Literal["error", "warning"]
"""An error makes ``parole audit`` exit with 1; a warning only with ``--strict``."""


@dataclass(frozen=True)
class AuditedPage:
    """One page the audit checks.

    ``path`` is the address from the site's root as the audit's server serves it (``/faq/``,
    ``/papier/avis-place/``, ``/collect/avis-place/recu.html``); ``label`` is how the report
    names it to a person (the page's title, or "Collector: receipt (avis-place)")."""

    path: str
    kind: PageKind
    label: str


@dataclass(frozen=True)
class Finding:
    """One problem on one element of one page.

    ``rule`` is namespaced: ``axe:<axe rule id>`` for axe-core's rules, ``parole:<check>`` for
    parole's own checks (``audit.rules`` lists every rule with its WCAG and RGAA criteria, its
    severity and how to fix it). ``selector`` finds the element again (CSS, from axe or built
    the same way); ``html`` is an extract of its markup (at most 300 characters); ``message``
    says what is wrong on this element, in English (axe's words, or parole's)."""

    rule: str
    condition: Condition
    selector: str
    html: str
    message: str
    impact: Impact | None = None


@dataclass(frozen=True)
class PageResult:
    """What the browser found on one page.

    ``applicable`` holds the rules that found something to check on the page (passed or not);
    ``present`` the RGAA criteria whose elements exist on the page (``audit.criteria``'s
    ``applies_to`` selectors), so that a criterion with no element on any page is "not
    applicable" automatically. ``failure`` says why the page could not be checked at all (it
    did not load, it timed out): such a page has no findings and counts as an error."""

    page: AuditedPage
    findings: tuple[Finding, ...] = ()
    applicable: frozenset[str] = frozenset()
    present: frozenset[str] = frozenset()
    failure: str | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class Environment:
    """What the audit ran with, for the report and the statement's "test environment"."""

    parole: str
    browser: str
    """As the browser says it, e.g. "Chromium 156.0.8078.73"."""
    axe_core: str
    playwright: str
    platform: str
    """The system and the processor, e.g. "Linux x86_64": the statement publishes it, so not the
    kernel's exact version."""


@dataclass(frozen=True)
class AuditRun:
    """One run of ``parole audit`` over one built site.

    ``date`` is the day of the run in ISO form (``SOURCE_DATE_EPOCH`` fixes it, for
    reproducible reports); ``language`` is the site's (``fr``, ``en``…), in which the report and
    the statement are written; ``site_title`` and ``organizer`` come from the built site (the
    forms' manifests, the home page)."""

    date: str
    site_title: str
    language: str
    environment: Environment
    results: tuple[PageResult, ...]
    organizer: dict[str, str] = field(default_factory=dict)
    """The organizer's contact as the site gives it: keys among ``name``, ``email``, ``phone``,
    ``address``; the statement's feedback contact."""
    base_url: str = ""
    """The site's public address (``site_url``) when known, else empty."""
