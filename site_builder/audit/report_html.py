"""The HTML report: one self-contained page an auditor can work from, offline.

Inline CSS (system fonts, light and dark, print), no script, no request to anything: the report
may be read from a file, attached to a mail, or published beside the site (``--publish``),
where ``parole audit`` checks it like any other page. It reads top to bottom as an auditor
works: the summary and what the audit supports saying; the problems found on several pages
(usually the theme's or a template's, fixed once); each page's own problems; the 106 RGAA
criteria; the auditor's review; the pages audited; the environment and method.

``write_report`` writes both files, this page and ``audit.json``. A report is read while it is
written (an auditor's browser open on it, a web server publishing ``site/audit/``), and a run
may be killed: each file is written under a name of its own in the same folder, put on disk,
then renamed over the old one, so a reader finds the previous report or the new one, never
half a file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from site_builder.audit.model import AuditRun, PageResult
from site_builder.audit.report_groups import own_findings, shared_elements, shared_keys
from site_builder.audit.report_json import AUDIT_JSON, STATUSES, audit_document, percent
from site_builder.audit.report_sections import (
    criteria_section,
    method_section,
    page_anchor,
    page_section,
    pages_section,
    review_section,
    shared_section,
)
from site_builder.audit.report_words import Words
from site_builder.audit.rules import rule
from site_builder.errors import ParoleError
from site_builder.i18n import base_language, text_direction
from site_builder.messages import say
from site_builder.safe_files import replace_file

if TYPE_CHECKING:
    from site_builder.audit.verdicts import Assessment

REPORT_HTML = "index.html"


class ReportNotWrittenError(ParoleError):
    """The report's folder cannot be made or written: what is in the way, and what to do."""

CSS = """\
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--line:#949494;--link:#0b4fa8;\
--err:#a30000;--warn:#7a4a00;--code:#f2f2f2}
@media (prefers-color-scheme:dark){:root{--fg:#ececec;--bg:#121212;--line:#767676;\
--link:#9cc3ff;--err:#ffa3a3;--warn:#f2c46d;--code:#232323}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:62rem;padding:1rem;font:1rem/1.5 system-ui,-apple-system,\
"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:anywhere}
a{color:var(--link)}
a:focus,summary:focus{outline:3px solid var(--fg);outline-offset:2px}
.skip{position:absolute;left:-999rem}.skip:focus{position:static}
h1,h2,h3,h4{line-height:1.25}
h2{margin-top:2.5rem;border-bottom:2px solid var(--line)}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
pre{white-space:pre-wrap;background:var(--code);padding:.5rem;border-left:3px solid var(--line)}
.error{color:var(--err)}.warning{color:var(--warn)}
.rule{border-top:1px solid var(--line);margin-top:1.5rem}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
.facts dt{font-weight:bold}.facts dd{margin:0}
.elements>li{margin-bottom:1rem}.elements p{margin:.2rem 0}
nav a{display:block;min-height:2.75rem;padding:.6rem 0}
summary{min-height:2.75rem;padding:.6rem 0}
table{border-collapse:collapse;width:100%}
caption{text-align:start;font-weight:bold;padding:.3rem 0}
th,td{border:1px solid var(--line);padding:.3rem;text-align:start;vertical-align:top}
.not_compliant td:nth-child(3){color:var(--err);font-weight:bold}
.note{font-style:italic}
.conformity{border:3px solid var(--line);padding:.5rem 1rem}
@media (max-width:30rem){.facts{display:block}.facts dd{margin-bottom:.4rem}}
@media print{.skip{display:none}body{max-width:none;color:#000;background:#fff}\
a{color:#000}pre{background:none}.rule,tr,.elements>li{break-inside:avoid}}
"""
"""The report's whole style: under 4 KB, system fonts, light and dark, 320 px, print."""


def report_html(run: AuditRun, assessment: Assessment) -> str:
    """The report page, in French for a French site and in English otherwise."""
    words = Words.for_site(run.language)
    groups = shared_elements(run)
    shared = shared_keys(groups)
    criteria = {verdict.criterion.number: verdict.criterion for verdict in assessment.verdicts}
    counts = page_counts(run)
    own = [(index, result, own_findings(result, shared))
           for index, result in enumerate(run.results, 1)]
    listed = [(index, result, findings) for index, result, findings in own
              if findings or result.failure is not None]
    pages = "".join(page_section(run, index, result, findings, criteria=criteria, words=words)
                    for index, result, findings in listed)
    body = [
        f'<a class="skip" href="#content">{words("skip")}</a>',
        # A page of the site when published: a banner naming the site and a footer, as every
        # other page has.
        f"<header><p>{site_name(run, words)} · "
        f"{escape(words('dated', day=words.day(run.date)))}</p></header>",
        '<main id="content">',
        f"<h1>{words('title')}</h1>",
        summary(run, assessment, counts, words),
        contents(bool(groups), listed, counts, words),
        shared_section(run, groups, criteria, words) if groups else "",
        f'<section aria-labelledby="by-page"><h2 id="by-page">{words("by_page.title")}</h2>'
        + (pages or f"<p>{words('by_page.none')}</p>") + "</section>",
        criteria_section(assessment, words),
        review_section(assessment.review, words),
        pages_section(run, counts, words),
        method_section(run, words),
        "</main>",
        f"<footer><p>{escape(words('footer', version=run.environment.parole))}</p></footer>",
    ]
    title = escape(words("head_title", site=run.site_title))
    return (f'<!DOCTYPE html>\n<html lang="{words.language}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="color-scheme" content="light dark">\n'
            f"<title>{title}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(part for part in body if part) + "\n</body>\n</html>\n")


def site_name(run: AuditRun, words: Words) -> str:
    """The site's title, marked with its own language when the report speaks another."""
    title = f"<strong>{escape(run.site_title)}</strong>"
    language = base_language(run.language or words.language)
    if language == words.language:
        return title
    direction = text_direction(language)
    marks = f' dir="{direction}"' if direction == "rtl" else ""
    return f'<span lang="{escape(language)}"{marks}>{title}</span>'


def page_counts(run: AuditRun) -> dict[str, tuple[int, int]]:
    """Each page's errors and warnings (every finding, shared ones included), by path."""
    counts = {}
    for result in run.results:
        severities = [rule(finding.rule).severity for finding in result.findings]
        counts[result.page.path] = (severities.count("error"), severities.count("warning"))
    return counts


def summary(run: AuditRun, assessment: Assessment, counts: dict[str, tuple[int, int]],
            words: Words) -> str:
    failed = sum(1 for result in run.results if result.failure is not None)
    errors = sum(errors for errors, _ in counts.values())
    warnings = sum(warnings for _, warnings in counts.values())
    audited = words.count("summary.pages", len(run.results))
    if failed:
        audited += words.count("summary.failed", failed)
    statuses = ", ".join(words.count(f"summary.{status}", assessment.count(status))
                         for status in STATUSES)
    items = [audited,
             words.count("count.errors", errors) + ", " + words.count("count.warnings", warnings),
             words("summary.criteria", statuses=statuses), rate_words(assessment, words)]
    listed = "".join(f"<li>{escape(item)}</li>" for item in items)
    conformity = words(f"conformity.{assessment.conformity}"
                       + ("" if assessment.complete else "_incomplete"))
    return (f'<section aria-labelledby="summary"><h2 id="summary">{words("summary.title")}</h2>'
            f"<ul>{listed}</ul>"
            f'<p class="conformity"><strong>{words("conformity.heading")}</strong> '
            f"{escape(conformity)}</p></section>")


def rate_words(assessment: Assessment, words: Words) -> str:
    """The rate and its terms, or how many criteria a person must still check."""
    if assessment.rate is None:
        remaining = assessment.count("to_check")
        if remaining:
            return words.count("summary.remaining", remaining)
        return words("summary.no_rate")
    compliant = assessment.count("compliant")
    applicable = compliant + assessment.count("not_compliant")
    return words("summary.rate", percent=words.percent(percent(assessment.rate)),
                 compliant=words.number(compliant), applicable=words.number(applicable))


def contents(shared: bool, listed: Sequence[tuple[int, PageResult, object]],
             counts: dict[str, tuple[int, int]], words: Words) -> str:
    """Links to each section, and to each page with problems of its own."""
    pages = []
    for index, result, _ in listed:
        page = result.page
        errors, warnings = counts[page.path]
        status = (words("page.not_checked") if result.failure is not None else
                  words.count("count.errors", errors) + ", "
                  + words.count("count.warnings", warnings))
        pages.append(f'<li><a href="#{page_anchor(index)}">{escape(page.label)} '
                     f"<code>{escape(page.path)}</code> ({escape(status)})</a></li>")
    sublist = f"<ul>{''.join(pages)}</ul>" if pages else ""
    entries = [("shared", words("shared.title")) if shared else None,
               ("by-page", words("by_page.title")), ("criteria", words("criteria.title")),
               ("review", words("review.title")), ("audited", words("pages.title")),
               ("method", words("method.title"))]
    items = "".join(f'<li><a href="#{anchor}">{text}</a>{sublist if anchor == "by-page" else ""}'
                    "</li>" for anchor, text in filter(None, entries))
    return (f'<nav aria-labelledby="contents"><h2 id="contents">{words("contents")}</h2>'
            f"<ul>{items}</ul></nav>")


def write_report(folder: Path, run: AuditRun, assessment: Assessment) -> None:
    """Write ``audit.json`` then ``index.html`` into ``folder`` (made if missing), each safely.

    ``audit.json`` comes first: a run killed between the two leaves the new data beside the
    previous page, and the data is what the statement is written from."""
    document = json.dumps(audit_document(run, assessment), ensure_ascii=False, indent=2) + "\n"
    page = report_html(run, assessment)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ReportNotWrittenError(say("audit.report.not_a_folder", folder=str(folder))) from None
    except OSError as error:
        raise ReportNotWrittenError(say("audit.report.cannot_write", folder=str(folder),
                                        error=error.strerror or str(error))) from None
    if not folder.is_dir():
        raise ReportNotWrittenError(say("audit.report.not_a_folder", folder=str(folder)))
    for name, text in ((AUDIT_JSON, document), (REPORT_HTML, page)):
        _replace(folder / name, text)


def _replace(path: Path, text: str) -> None:
    """``replace_file``, its failures said in the organizer's words."""
    try:
        replace_file(path, text)
    except IsADirectoryError:
        raise ReportNotWrittenError(say("audit.report.file_is_folder", path=str(path))) from None
    except OSError as error:
        raise ReportNotWrittenError(say("audit.report.cannot_write", folder=str(path.parent),
                                        error=error.strerror or str(error))) from None
