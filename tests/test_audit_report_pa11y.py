"""The audit report passes the accessibility checks it reports on: pa11y (HTML_CodeSniffer and
axe) finds no error on the French and English reports of the synthetic run (hostile extracts,
a failed page, a problem shared by two pages, the review)."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.audit.report_html import write_report
from tests.audit_report_support import synthetic_assessment, synthetic_run
from tests.pa11y_support import describe_failures, require_tools, run_pa11y_ci
from tests.support import serve_site

pytestmark = pytest.mark.pa11y


def test_the_report_passes_pa11y(tmp_path: Path) -> None:
    require_tools(pa11y=True)
    served = tmp_path / "served"
    for language in ("fr", "en"):
        run = synthetic_run(language)
        write_report(served / f"report-{language}", run, synthetic_assessment(run))
    with serve_site(served) as base_url:
        urls = {f"{base_url}report-{language}/": f"report-{language}/index.html"
                for language in ("fr", "en")}
        reports = run_pa11y_ci(list(urls), tmp_path)
    assert not any(report.failed for report in reports.values()), \
        describe_failures(list(reports.values()), lambda url: urls[url])
