"""MkDocs' own lines in ``parole build`` (building, built, why it stopped) are said in the site's
language like parole's, and a line MkDocs words otherwise is kept as it is."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.messages import speaking
from site_builder.mkdocs_words import MkDocsInOurWords, abort_message
from tests.support import write_site

PAROLE = Path(sys.executable).parent / "parole"


def _build(folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(PAROLE), "build", *arguments], cwd=folder, capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.mark.parametrize(("language", "built", "stopped"), [
    ("fr", "Site construit en ", "Le site n'a pas été construit : 1 avertissement dans une "
     "construction stricte."),
    ("en", "Documentation built in ", "The site was not built: 1 warning in a strict build."),
])
def test_a_build_speaks_the_site_s_language_to_the_end(
        tmp_path: Path, language: str, built: str, stopped: str) -> None:
    write_site(tmp_path, {"index.md": "# Accueil\n\nBonjour.\n"},
               theme={"name": "parole", "language": language})
    good = _build(tmp_path)
    assert good.returncode == 0, good.stderr
    assert built in good.stderr
    if language == "fr":
        assert "Building documentation" not in good.stderr, good.stderr
    (tmp_path / "docs" / "index.md").write_text("# Accueil\n\n[Règlement](reglement.md)\n",
                                                encoding="utf-8")
    bad = _build(tmp_path)
    assert bad.returncode == 1
    assert stopped in bad.stderr
    assert "Aborted with" not in bad.stderr


def test_a_line_mkdocs_words_otherwise_is_kept() -> None:
    record = logging.LogRecord("mkdocs.commands.build", logging.INFO, __file__, 1,
                               "Something new in MkDocs %s", ("2.0",), None)
    assert MkDocsInOurWords().filter(record)
    assert record.getMessage() == "Something new in MkDocs 2.0"
    assert abort_message("Aborted for a new reason") == "Aborted for a new reason"


def test_errors_and_warnings_are_both_counted() -> None:
    with speaking("fr"):
        assert abort_message("Aborted with 2 warnings, 1 errors in strict mode!").startswith(
            "Le site n'a pas été construit : 1 erreur et 2 avertissements dans")
        assert abort_message("Aborted with a BuildError!").startswith(
            "Le site n'a pas été construit : corrigez les problèmes ci-dessus")
    with speaking("en"):
        assert abort_message("Aborted with 3 warnings in strict mode!").startswith(
            "The site was not built: 3 warnings in a strict build.")


def test_parole_s_own_plugin_lines_are_left_alone() -> None:
    record = logging.LogRecord("mkdocs.plugins.parole", logging.INFO, __file__, 1,
                               "Cleaning site directory", None, None)
    MkDocsInOurWords().filter(record)
    assert record.getMessage() == "Cleaning site directory"
