"""What ``parole audit`` says while it runs and when it ends.

On a terminal, one progress line rewritten in place as each page is done ("12/40 pages — 3
errors so far"); elsewhere (a CI log, a file) no carriage return and one line per page, so that
a log reads top to bottom. At the end: pages checked, errors and warnings by rule, the RGAA
criteria by status and the compliance rate, or how many criteria a person has to check.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from site_builder.audit.model import AuditRun, PageResult
from site_builder.messages import current_language, say, say_count

if TYPE_CHECKING:
    from site_builder.audit.verdicts import Assessment

CLEAR_TO_END = "\x1b[K"
"""ANSI "erase to the end of the line": a shorter line leaves nothing of the longer one."""


def severity_of(rule_id: str) -> str:
    """``error`` or ``warning``, as ``audit.rules`` says."""
    from site_builder.audit.rules import rule  # noqa: PLC0415 - imported when an audit runs

    return rule(rule_id).severity


def error_count(result: PageResult, *, strict: bool) -> int:
    """The errors of one page: error findings (every finding with ``strict``), and the page
    itself when it could not be checked."""
    found = sum(1 for finding in result.findings
                if strict or severity_of(finding.rule) == "error")
    return found + (result.failure is not None)


class Progress:
    """The progress line of a run over ``total`` pages, on ``stream`` (standard error)."""

    def __init__(self, total: int, *, strict: bool, stream: TextIO | None = None) -> None:
        self.total = total
        self.strict = strict
        self.stream = stream or sys.stderr
        self.terminal = self.stream.isatty()
        self.done = 0
        self.errors = 0
        self._shown = False

    def page_done(self, result: PageResult) -> None:
        """Count ``result`` and show where the run is."""
        self.done += 1
        self.errors += error_count(result, strict=self.strict)
        line = say_count("audit.command.progress", self.errors, done=self.done,
                         total=self.total, path=result.page.path)
        if result.failure is not None:
            failed = say("audit.command.page_failed", path=result.page.path,
                         reason=result.failure)
            line = f"{line}\n{failed}" if not self.terminal else line
            if self.terminal:
                self.stream.write(f"\r{failed}{CLEAR_TO_END}\n")
        self.stream.write(f"\r{line}{CLEAR_TO_END}" if self.terminal else f"{line}\n")
        self.stream.flush()
        self._shown = True

    def finish(self) -> None:
        """End the line rewritten in place, so that what follows starts on a line of its own."""
        if self.terminal and self._shown:
            self.stream.write("\n")
            self.stream.flush()


def summary_lines(run: AuditRun, assessment: Assessment, *, strict: bool) -> list[str]:
    """The run's summary, for the organizer: pages, errors and warnings by rule, criteria."""
    results = run.results
    lines = [say_count("audit.command.summary.pages", len(results))]
    failed = [result.page.path for result in results if result.failure is not None]
    if failed:
        lines.append(say("audit.command.summary.failed", pages=", ".join(failed)))
    by_severity: dict[str, Counter[str]] = {"error": Counter(), "warning": Counter()}
    for result in results:
        for finding in result.findings:
            by_severity[severity_of(finding.rule)][finding.rule] += 1
    for severity, key in (("error", "audit.command.summary.errors"),
                          ("warning", "audit.command.summary.warnings")):
        counts = by_severity[severity]
        lines.append(say_count(key, sum(counts.values())))
        lines += _by_rule(counts.items())
    if strict and by_severity["warning"]:
        lines.append(say("audit.command.summary.strict"))
    lines.append(say("audit.command.summary.criteria",
                     compliant=assessment.count("compliant"),
                     not_compliant=assessment.count("not_compliant"),
                     not_applicable=assessment.count("not_applicable"),
                     to_check=assessment.count("to_check")))
    rate = assessment.rate
    if rate is not None:
        lines.append(say("audit.command.summary.rate", rate=percent(float(rate))))
    else:
        lines.append(say_count("audit.command.summary.no_rate", assessment.count("to_check")))
    return lines


def _by_rule(counts: Iterable[tuple[str, int]]) -> list[str]:
    return [f"  {rule_id}: {count}" for rule_id, count
            in sorted(counts, key=lambda item: (-item[1], item[0]))]


def percent(rate: float) -> str:
    """``0.8125`` → ``81.3`` (``81,3`` in French); ``1`` → ``100``."""
    text = f"{rate * 100:.1f}".removesuffix(".0")
    return text.replace(".", ",") if current_language() == "fr" else text
