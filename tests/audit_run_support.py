"""``parole audit`` run as organizers run it, for the end-to-end tests, the CI check of the
example and the sample sites, the benchmark and the kill rounds: a real process, in the site's
own folder (its ``mkdocs.yml`` gives the language, the organizer, the docs folder), on a built
site, its report read back from ``audit.json`` as a tool in CI would read it.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.collector_support import PAROLE
from tests.support import REPO

AUDIT_SITES = REPO / "tests" / "audit_sites"
BROKEN = AUDIT_SITES / "broken"
CLEAN = AUDIT_SITES / "clean"
AUDIT_JSON = "audit.json"
REPORT_HTML = "index.html"
TIMEOUT = 1800
"""Seconds a whole run may take: the example's pages on a busy two-core machine take minutes."""


@dataclass(frozen=True)
class AuditOutcome:
    """One finished run: its exit status, what it printed, how long it took, and its
    ``audit.json`` (empty when it wrote none)."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    document: dict[str, Any] = field(default_factory=dict)

    def page(self, path: str) -> dict[str, Any]:
        """The report's entry for the page at ``path``; fails, naming the pages, when none."""
        pages = {page["path"]: page for page in self.document.get("pages", [])}
        assert path in pages, f"{path} was not audited; pages: {sorted(pages)}"
        found: dict[str, Any] = pages[path]
        return found


def audit_command(site_dir: Path, output: Path, *options: str) -> list[str]:
    """The command line: ``parole audit --site DIR --output DIR`` and ``options``."""
    return [str(PAROLE), "audit", "--site", str(site_dir), "--output", str(output), *options]


def audit_environment() -> dict[str, str]:
    return {**os.environ, "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1"}


def run_audit(site_dir: Path, output: Path, *options: str, cwd: Path) -> AuditOutcome:
    """``parole audit`` on the built ``site_dir`` from the source folder ``cwd``, to its end."""
    started = time.monotonic()
    done = subprocess.run(audit_command(site_dir, output, *options), cwd=cwd,
                          capture_output=True, text=True, env=audit_environment(),
                          timeout=TIMEOUT, check=False)
    seconds = time.monotonic() - started
    report = output / AUDIT_JSON
    document = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else {}
    return AuditOutcome(done.returncode, done.stdout, done.stderr, seconds, document)


@dataclass(frozen=True)
class Problem:
    """One finding of the report, as a person reads it in a failed test."""

    page: str
    rule: str
    severity: str
    condition: str
    selector: str
    message: str
    wcag: tuple[str, ...]
    rgaa: tuple[str, ...]


def problems(document: dict[str, Any], *, severity: str | None = None) -> list[Problem]:
    """Every finding of ``document`` (``severity``: only those), page by page; a page that
    could not be checked is one problem of rule ``page-failed``."""
    found = []
    for page in document.get("pages", []):
        if page.get("failure"):
            found.append(Problem(page["path"], "page-failed", "error", "", "",
                                 str(page["failure"]), (), ()))
        for rule in page["rules"]:
            if severity is not None and rule["severity"] != severity:
                continue
            found += [Problem(page["path"], rule["rule"], rule["severity"], item["condition"],
                              item["selector"], item["message"], tuple(rule["wcag"]),
                              tuple(rule["rgaa"]))
                      for item in rule["findings"]]
    return [problem for problem in found
            if severity is None or problem.severity == severity]


def describe(found: Sequence[Problem], outcome: AuditOutcome, site: str) -> str:
    """What a failed check says: each problem by page, rule, condition, selector and message,
    then the end of what the command printed."""
    lines = [f"parole audit on {site}: exit {outcome.code}, {len(found)} problem(s)"]
    page = None
    for problem in found:
        if problem.page != page:
            page = problem.page
            lines.append(f"{page}")
        lines.append(f"  - {problem.rule} [{problem.severity}, {problem.condition or '-'}] "
                     f"{problem.selector}")
        lines.append(f"      {' '.join(problem.message.split())[:300]}")
    tail = (outcome.stdout + outcome.stderr).strip().splitlines()[-15:]
    lines += ["--- parole audit printed (end) ---", *tail]
    return "\n".join(lines)
