"""The W3C Nu HTML checker (``vnu.jar``, from npm's ``vnu-jar``, run by the system Java) over
every built page of the example and of each sample site in tests/sites/ (the paper versions,
the low-data edition, the 404 and 429 pages and the site map included: every ``*.html`` the
build wrote), and over every kind of page the collector sends: 0 errors.

The checker takes seconds to start, so one Java process reads every file at once (the
``checked`` fixture); each test then looks at its own files. Warnings are not failures; the
checker reports none on these pages today. Organizers never need Java: only these tests do.
Run it by hand on a built site with
``java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only site/``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.collector_support import Reply, collector_pages
from tests.pa11y_support import EXAMPLE_CONFIG, built_site, save_pages, site_params
from tests.support import REPO

pytestmark = pytest.mark.nu

VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL_HINT = (
    "Install the HTML checker (scripts/check does both):\n"
    "  command -v java >/dev/null || apt-get install -y default-jre-headless   # as root\n"
    "  PUPPETEER_SKIP_DOWNLOAD=1 npm ci      # in the repository root: vnu-jar, with pa11y\n"
    "A skipped check is a hidden one, so these tests fail instead of skipping."
)
COLLECTOR = "collector"
"""The name the collector's pages are checked under, beside the sites' names."""


# --- the checker --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """One error of the checker: the file, where in it, what is wrong, and the text around."""

    file: Path
    line: int | None
    column: int | None
    message: str
    extract: str

    def describe(self, root: Path) -> str:
        where = ":".join(str(part) for part in (self.line, self.column) if part is not None)
        name = self.file.relative_to(root) if self.file.is_relative_to(root) else self.file
        extract = " ".join(self.extract.split())
        return f"{name}:{where}: {self.message}" + (f"\n    {extract}" if extract else "")


def require_checker() -> str:
    """The ``java`` to run the checker with; fails (never skips) when Java or the jar is
    missing."""
    java = shutil.which("java")
    missing = [] if java else ["Java (java on PATH)"]
    if not VNU_JAR.is_file():
        missing.append(f"the Nu HTML checker at {VNU_JAR}")
    if missing or java is None:
        pytest.fail(f"missing: {', '.join(missing)}.\n{INSTALL_HINT}", pytrace=False)
    return java


def check_html(files: Sequence[Path]) -> list[Finding]:
    """Run the checker once over ``files``; its errors, and what kept it from reading a file
    (``non-document-error``).

    Fails the test, with the checker's output, when the checker itself did not run (an exit
    code other than 0 and 1, no JSON report, or exit 1 without an error): a broken harness,
    not a finding.
    """
    java = require_checker()
    missing = [str(file) for file in files if not file.is_file()]
    if missing or not files:  # the checker passes a file it cannot find, without a word
        pytest.fail(f"nothing to check at: {', '.join(missing) or '(no file given)'}",
                    pytrace=False)
    command = [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout",
               *(str(file) for file in files)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False,
                              timeout=120 + 2 * len(files))
    except subprocess.TimeoutExpired as error:
        pytest.fail(f"the Nu checker timed out after {error.timeout:.0f} s on {len(files)} "
                    "files", pytrace=False)
    try:
        report: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError:
        report = {}
    findings = [_finding(item) for item in report.get("messages", [])
                if item.get("type") in ("error", "non-document-error")]
    if done.returncode not in (0, 1) or not report or (done.returncode == 1 and not findings):
        pytest.fail(
            f"the Nu checker did not run (exit code {done.returncode}): "
            f"`java -jar {VNU_JAR.relative_to(REPO)} …` over {len(files)} files\n"
            f"--- stderr ---\n{done.stderr.strip()[:2000]}\n"
            f"--- stdout ---\n{done.stdout.strip()[:2000]}",
            pytrace=False,
        )
    return findings


def _finding(item: dict[str, Any]) -> Finding:
    line = item.get("lastLine")
    column = item.get("firstColumn")
    return Finding(
        file=Path(unquote(urlsplit(str(item.get("url", ""))).path)),
        line=int(line) if line is not None else None,
        column=int(column) if column is not None else None,
        message=str(item.get("message", "")),
        extract=str(item.get("extract", "")),
    )


def describe(findings: Sequence[Finding], checked: int, root: Path) -> str:
    """A readable list: how many errors in how many files, then each with file, line, column,
    message and the text around it."""
    files = {finding.file for finding in findings}
    lines = [f"Nu HTML checker: {len(findings)} error(s) in {len(files)} of {checked} file(s)"]
    lines += [finding.describe(root) for finding in findings]
    return "\n".join(lines)


def assert_pages_are_valid_html(pages: Iterable[tuple[str, int, Reply]], folder: Path) -> None:
    """The Nu checker over a collector's pages, saved into ``folder`` (made here): 0 errors."""
    folder.mkdir()
    files = save_pages(pages, folder)
    findings = check_html(files)
    assert not findings, describe(findings, len(files), folder)


# --- every page, checked in one run -------------------------------------------------------------

@dataclass(frozen=True)
class Checked:
    """The files checked under each name (a site, or the collector) and the errors found."""

    files: dict[str, list[Path]]
    roots: dict[str, Path]
    findings: list[Finding]

    def of(self, name: str) -> list[Finding]:
        files = {file.resolve() for file in self.files[name]}
        return [finding for finding in self.findings if finding.file.resolve() in files]


def _site_name(config_file: Path) -> str:
    return "example" if config_file == EXAMPLE_CONFIG else config_file.parent.name


@pytest.fixture(scope="module")
def checked(request: pytest.FixtureRequest, example_site: Path,
            tmp_path_factory: pytest.TempPathFactory) -> Checked:
    """Every site built once (shared with the pa11y tests), the collector's pages saved as
    files, then one run of the checker over them all."""
    require_checker()
    roots: dict[str, Path] = {}
    for param in site_params():
        config_file: Path = param.values[0]
        roots[_site_name(config_file)] = built_site(request, config_file)
    work = tmp_path_factory.mktemp("collector-pages")
    pages = work / "pages"
    pages.mkdir()
    save_pages(collector_pages(example_site, work), pages)
    roots[COLLECTOR] = pages
    files = {name: sorted(root.rglob("*.html")) for name, root in roots.items()}
    every_file = [file for group in files.values() for file in group]
    findings = check_html(every_file)
    known = {file.resolve() for file in every_file}
    elsewhere = [finding for finding in findings if finding.file.resolve() not in known]
    assert not elsewhere, describe(elsewhere, len(every_file), Path("/"))
    return Checked(files, roots, findings)


@pytest.mark.parametrize("config_file", site_params())
def test_every_built_page_is_valid_html(config_file: Path, checked: Checked) -> None:
    name = _site_name(config_file)
    root = checked.roots[name]
    names = {file.relative_to(root).as_posix() for file in checked.files[name]}
    assert {"index.html", "404.html", "429.html"} <= names, names
    findings = checked.of(name)
    assert not findings, describe(findings, len(names), root)


def test_every_collector_page_is_valid_html(checked: Checked) -> None:
    findings = checked.of(COLLECTOR)
    files = checked.files[COLLECTOR]
    assert {"receipt.html", "errors.html", "closed.html"} <= {file.name for file in files}
    assert not findings, describe(findings, len(files), checked.roots[COLLECTOR])


def test_the_low_data_editions_and_paper_versions_are_checked(checked: Checked) -> None:
    example = {file.relative_to(checked.roots["example"]).as_posix()
               for file in checked.files["example"]}
    assert {"consultation-hors-ligne.html", "papier/avis-place/index.html",
            "plan-du-site/index.html"} <= example, example
    gallery = checked.roots["components"] / "consultation-hors-ligne.html"
    assert gallery in checked.files["components"]


# --- the harness itself: proof that the check can fail -----------------------------------------

VALID_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A valid page</title></head>
<body><main><h1>Valid</h1><p>Nothing wrong here.</p></main></body></html>
"""

INVALID_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>An invalid page</title></head>
<body><main><h1>Invalid</h1>
<label for="gone">A label whose input went</label>
<p id="twice">one</p><p id="twice">two</p>
</main></body></html>
"""


def test_the_harness_reports_each_error_with_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "valid.html").write_text(VALID_PAGE, encoding="utf-8")
    (tmp_path / "invalid.html").write_text(INVALID_PAGE, encoding="utf-8")
    findings = check_html([tmp_path / "valid.html", tmp_path / "invalid.html"])
    assert {finding.file.name for finding in findings} == {"invalid.html"}
    message = describe(findings, 2, tmp_path)
    assert "error(s) in 1 of 2 file(s)" in message
    assert "invalid.html:4:" in message
    assert "“for” attribute of the “label” element" in message
    assert "invalid.html:5:" in message and "Duplicate ID “twice”" in message


def test_without_java_or_the_checker_the_test_fails_saying_how_to_install_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(f"{__name__}.VNU_JAR", tmp_path / "vnu.jar")
    with pytest.raises(pytest.fail.Exception) as failure:
        require_checker()
    message = str(failure.value)
    assert "Java (java on PATH)" in message and str(tmp_path / "vnu.jar") in message
    assert "apt-get install -y default-jre-headless" in message and "npm ci" in message


def test_the_harness_refuses_a_file_that_is_not_there(tmp_path: Path) -> None:
    """The checker itself says nothing of a file it cannot find: a silent pass."""
    (tmp_path / "valid.html").write_text(VALID_PAGE, encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match=r"missing\.html"):
        check_html([tmp_path / "valid.html", tmp_path / "missing.html"])
