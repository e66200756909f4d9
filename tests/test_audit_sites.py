"""In CI, the check organizers run: ``parole audit`` on the example consultation and on every
sample site under ``tests/sites/``, each built in strict mode, fails on any error (and on any
page it could not check), listing each by page, rule, condition and selector.

pa11y (``tests/test_pa11y.py``) checks the same pages with axe and HTML_CodeSniffer in their
default state; ``parole audit`` adds what pa11y does not see: dark mode and forced colours, 320
px, text at 200 %, the keyboard, touch targets, link texts, and the collector's own pages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audit_run_support import describe, problems, run_audit
from tests.pa11y_support import EXAMPLE_CONFIG, built_site, site_params

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("config_file", site_params())
def test_parole_audit_finds_no_error(request: pytest.FixtureRequest, config_file: Path,
                                     tmp_path: Path) -> None:
    site = built_site(request, config_file)
    outcome = run_audit(site, tmp_path / "report", cwd=config_file.parent)
    name = "the example" if config_file == EXAMPLE_CONFIG else \
        f"tests/sites/{config_file.parent.name}"
    assert outcome.document, (
        f"parole audit wrote no audit.json (exit {outcome.code}):\n{outcome.stderr[-3000:]}")
    errors = problems(outcome.document, severity="error")
    assert not errors and outcome.code == 0, describe(errors, outcome, name)
    assert outcome.document["totals"]["pages"] >= len(list(site.rglob("*.html")))
