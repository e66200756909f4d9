"""The report's sections, each a function returning HTML: findings (shared, then page by page),
the 106 criteria, the review, the pages audited, the environment and method.

Everything that comes from the audited pages (selectors, HTML extracts, axe's messages, titles,
paths) or from the organizer (site title, review notes) is escaped here with ``html.escape``,
attributes included: an extract is markup, and may hold ``</pre><script>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from site_builder.audit.model import AuditedPage, AuditRun, Finding, PageResult
from site_builder.audit.report_groups import SharedElement
from site_builder.audit.report_wcag import SUCCESS_CRITERIA, understanding_url
from site_builder.audit.report_words import Words
from site_builder.audit.rules import Rule, rule

if TYPE_CHECKING:
    from site_builder.audit.criteria import Criterion
    from site_builder.audit.review import Review
    from site_builder.audit.verdicts import Assessment

MARKERS = {"compliant": "+", "not_compliant": "\u00d7", "not_applicable": "\u2013",
           "to_check": "?"}
"""A text marker beside each status's words, so that no status is told by colour alone. Plain
characters every text font has: check marks (U+2713, U+2717) fall back to an emoji font on
some systems, where axe cannot measure their contrast."""
MANY_PAGES = 5
"""Above this many pages, a shared problem's pages are folded in a ``<details>``."""


def page_anchor(index: int) -> str:
    return f"page-{index}"


def page_link(run: AuditRun, page: AuditedPage) -> str:
    """The page's path, as a link to the page on the site when its address is known."""
    if not run.base_url:
        return f"<code>{escape(page.path)}</code>"
    url = run.base_url.rstrip("/") + page.path
    return f'<a href="{escape(url)}"><code>{escape(page.path)}</code></a>'


def english(text: str, words: Words) -> str:
    """Text written in English (axe's messages, WCAG's titles), marked so in a French report."""
    return f'<span lang="en">{escape(text)}</span>' if words.language != "en" else escape(text)


def wcag_list(numbers: Sequence[str], words: Words) -> str:
    items = []
    for number in numbers:
        title = SUCCESS_CRITERIA.get(number, ("", ""))[0]
        label = f"{escape(number)} {english(title, words)}" if title else escape(number)
        url = understanding_url(number)
        items.append(f'<a href="{escape(url)}">{label}</a>' if url else label)
    return ", ".join(items) or words("none")


def rgaa_list(known: Rule, criteria: dict[str, Criterion], words: Words) -> str:
    if not known.rgaa:
        reason = f" ({english(known.rgaa_none, words)})" if known.rgaa_none else ""
        return words("rgaa.none") + reason
    items = []
    for number in known.rgaa:
        found = criteria.get(number)
        title = f" {escape(found.title)}" if found else ""
        items.append(f"{escape(number)}{title}")
    return "; ".join(items)


def rule_facts(known: Rule, criteria: dict[str, Criterion], words: Words) -> str:
    """The rule's summary, severity, criteria and fix, as a definition list."""
    severity = words(f"severity.{known.severity}")
    rows = [
        (words("rule.severity"), escape(severity)),
        (words("rule.wcag"), wcag_list(known.wcag, words)),
        (words("rule.rgaa"), rgaa_list(known, criteria, words)),
        (words("rule.fix"), escape(text_in(known.fix, words))),
        (words("rule.id"), f"<code>{escape(known.id)}</code>"),
    ]
    items = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    return f'<dl class="facts">{items}</dl>'


def text_in(texts: dict[str, str], words: Words) -> str:
    return texts.get(words.language) or texts.get("en", "")


def rule_heading(known: Rule, level: int, words: Words) -> str:
    heading = words("rule.heading", severity=words(f"severity.{known.severity}"),
                    summary=text_in(known.summary, words))
    return f'<h{level} class="{known.severity}">{escape(heading)}</h{level}>'


def element(finding: Finding, words: Words, pages: str = "") -> str:
    """One element: condition, impact, selector, message, HTML extract (all escaped)."""
    facts = [escape(words(f"condition.{finding.condition}"))]
    if finding.impact:
        facts.append(escape(words("impact", impact=words(f"impact.{finding.impact}"))))
    return (f"<li><p>{' · '.join(facts)}</p>"
            f"<p><code>{escape(finding.selector)}</code></p>"
            f"<p>{english(finding.message, words)}</p>"
            f"<pre><code>{escape(finding.html)}</code></pre>{pages}</li>")


def shared_section(run: AuditRun, groups: list[tuple[str, list[SharedElement]]],
                   criteria: dict[str, Criterion], words: Words) -> str:
    parts = [f'<section aria-labelledby="shared"><h2 id="shared">{words("shared.title")}</h2>',
             f"<p>{words('shared.intro')}</p>"]
    for rule_id, elements in groups:
        known = rule(rule_id)
        items = []
        for shared in elements:
            count = words.count("shared.on_pages", len(shared.pages))
            links = "".join(f"<li>{page_link(run, page)}</li>" for page in shared.pages)
            pages = (f"<details><summary>{count}</summary><ul>{links}</ul></details>"
                     if len(shared.pages) > MANY_PAGES else f"<p>{count}</p><ul>{links}</ul>")
            items.append(element(shared.finding, words, pages))
        parts.append(f'<div class="rule">{rule_heading(known, 3, words)}'
                     f"{rule_facts(known, criteria, words)}"
                     f'<ol class="elements">{"".join(items)}</ol></div>')
    parts.append("</section>")
    return "".join(parts)


def page_section(run: AuditRun, index: int, result: PageResult,
                 own: list[tuple[str, list[Finding]]], *, criteria: dict[str, Criterion],
                 words: Words) -> str:
    parts = [f'<section aria-labelledby="{page_anchor(index)}">'
             f'<h3 id="{page_anchor(index)}">{escape(result.page.label)}</h3>'
             f"<p>{page_link(run, result.page)}</p>"]
    if result.failure is not None:
        parts.append(f'<p class="error">{escape(words("page.failed"))} '
                     f"{english(result.failure, words)}</p>")
    for rule_id, findings in own:
        known = rule(rule_id)
        items = "".join(element(finding, words) for finding in findings)
        parts.append(f'<div class="rule">{rule_heading(known, 4, words)}'
                     f"{rule_facts(known, criteria, words)}"
                     f'<ol class="elements">{items}</ol></div>')
    parts.append("</section>")
    return "".join(parts)


def criteria_section(assessment: Assessment, words: Words) -> str:
    rows = []
    for verdict in assessment.verdicts:
        status = (f'<span aria-hidden="true">{MARKERS[verdict.status]}</span> '
                  f"{escape(words(f'status.{verdict.status}'))}")
        pages = ", ".join(f"<code>{escape(path)}</code>" for path in verdict.pages)
        note = f'<br><span class="note">{escape(verdict.note)}</span>' if verdict.note else ""
        rows.append(f'<tr class="{verdict.status}"><th scope="row">'
                    f"{escape(verdict.criterion.number)}</th>"
                    f"<td>{escape(verdict.criterion.title)}</td><td>{status}{note}</td>"
                    f"<td>{escape(words(f'source.{verdict.source}'))}</td><td>{pages}</td></tr>")
    head = "".join(f'<th scope="col">{words(f"criteria.column.{name}")}</th>'
                   for name in ("number", "title", "status", "source", "pages"))
    return (f'<section aria-labelledby="criteria"><h2 id="criteria">'
            f'{words("criteria.title")}</h2><p>{words("criteria.intro")}</p>'
            f'<table><caption>{words("criteria.caption")}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></section>")


def review_section(review: Review | None, words: Words) -> str:
    if review is None:
        return (f'<section aria-labelledby="review"><h2 id="review">{words("review.title")}'
                f'</h2><p>{words("review.none")}</p></section>')
    parts = [f'<section aria-labelledby="review"><h2 id="review">{words("review.title")}</h2>',
             f"<p>{escape(words('review.by', auditor=review.auditor, day=words.day(review.date)))}"
             f" {escape(words.count('review.criteria', len(review.criteria)))}</p>"]
    for name, items in (("derogations", review.derogations), ("exemptions", review.exemptions)):
        parts.append(f"<h3>{words(f'review.{name}')}</h3>")
        if not items:
            parts.append(f"<p>{words('review.nothing')}</p>")
            continue
        listed = "".join(f"<li><p>{escape(item.content)}</p><p>{escape(item.reason)}</p></li>"
                         for item in items)
        parts.append(f"<ul>{listed}</ul>")
    parts.append("</section>")
    return "".join(parts)


def pages_section(run: AuditRun, counts: dict[str, tuple[int, int]], words: Words) -> str:
    rows = []
    for result in run.results:
        errors, warnings = counts[result.page.path]
        if result.failure is not None:
            outcome = words("page.not_checked")
        elif errors or warnings:
            outcome = (words.count("count.errors", errors) + ", "
                       + words.count("count.warnings", warnings))
        else:
            outcome = words("page.clean")
        rows.append(f"<tr><td>{page_link(run, result.page)}</td>"
                    f"<td>{escape(result.page.label)}</td>"
                    f"<td>{escape(words(f'kind.{result.page.kind}'))}</td>"
                    f"<td>{escape(outcome)}</td></tr>")
    head = "".join(f'<th scope="col">{words(f"pages.column.{name}")}</th>'
                   for name in ("path", "label", "kind", "outcome"))
    return (f'<section aria-labelledby="audited"><h2 id="audited">{words("pages.title")}</h2>'
            f'<table><caption>{words("pages.caption")}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></section>")


def method_section(run: AuditRun, words: Words) -> str:
    environment = run.environment
    rows = [(words("method.date"), words.day(run.date)),
            (words("method.parole"), environment.parole),
            (words("method.browser"), environment.browser),
            (words("method.axe"), environment.axe_core),
            (words("method.playwright"), environment.playwright),
            (words("method.platform"), environment.platform)]
    items = "".join(f"<dt>{name}</dt><dd>{escape(value)}</dd>" for name, value in rows)
    conditions = "".join(f"<li>{words(f'method.condition.{name}')}</li>"
                         for name in ("default", "dark", "forced_colors", "narrow",
                                      "large_text", "keyboard"))
    return (f'<section aria-labelledby="method"><h2 id="method">{words("method.title")}</h2>'
            f'<dl class="facts">{items}</dl><p>{words("method.intro")}</p><ul>{conditions}</ul>'
            f'<p>{words("method.limits")}</p></section>')
