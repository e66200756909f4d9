"""The plugin's options as MkDocs checks them, reported the parole way: every wrong one at once,
with its line in mkdocs.yml, in the site's language; an unknown one is a warning."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from tests.support import build_site, write_site

PAGES = {"index.md": "# Accueil\n"}


def _line(config: Path, text: str) -> int:
    return config.read_text("utf-8").splitlines().index(text) + 1


def test_every_wrong_type_is_reported_with_its_line_and_the_build_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = write_site(tmp_path, {**PAGES, "b.md": "---\ntype: faqq\n---\n# B\n"},
                        plugins=[{"parole": {"page_weight": {"budget": "quatorze"},
                                             "site_map": "oui", "images": {"widths": [320, "x"]},
                                             "opens": "demain", "closes": "2027-02-01",
                                             "paper_dropoff": "Mairie"}}])
    with pytest.raises(Abort):
        build_site(config, tmp_path / "site")
    text = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    assert "parole a trouvé 5 problèmes de configuration à corriger" in text
    for expected in (
        f"mkdocs.yml:{_line(config, '      budget: quatorze')}: "
        "[plugins.parole.page_weight.budget] budget vaut 'quatorze', qui n'est pas un nombre "
        "entier\n    Pour corriger : écrivez un nombre entier, comme la valeur par défaut : 14",
        f"mkdocs.yml:{_line(config, '    site_map: oui')}: [plugins.parole.site_map] site_map "
        "vaut 'oui', qui n'est pas true ou false",
        f"mkdocs.yml:{_line(config, '      widths:')}: [plugins.parole.images.widths] widths "
        "vaut [320, 'x'], mais chacun de ses éléments doit être un nombre entier",
        f"mkdocs.yml:{_line(config, '    opens: demain')}: [plugins.parole.opens]",
        f"mkdocs.yml:{_line(config, '    paper_dropoff: Mairie')}: [plugins.parole.paper_dropoff] "
        "paper_dropoff vaut 'Mairie', qui n'est pas une liste",
        "b.md:2: [type]",  # the pages were built and checked too
    ):
        assert expected in text
    assert "<class" not in text


def test_options_are_said_in_english_for_an_english_site(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = write_site(tmp_path, PAGES, theme={"name": "parole", "language": "en"},
                        plugins=[{"parole": {"page_weight": {"budget": "fourteen"}}}])
    with pytest.raises(Abort):
        build_site(config, tmp_path / "site")
    text = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    assert ("[plugins.parole.page_weight.budget] budget is 'fourteen', not a whole number\n"
            "    How to fix: write a whole number, such as the default: 14") in text


def test_an_unknown_option_is_a_warning_with_its_line_and_the_nearest_name(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = write_site(tmp_path, PAGES, plugins=[{"parole": {
        "oppens": "2027-01-04", "page_weight": {"enabeld": False}}}])
    site = build_site(config, tmp_path / "site", strict=False)
    assert (site / "index.html").is_file()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    line = _line(config, "    oppens: '2027-01-04'")  # quoted by yaml.safe_dump
    assert (f"mkdocs.yml:{line}: [plugins.parole.oppens] "
            "parole n'a pas d'option « oppens » à cet endroit\n    Pour corriger : "
            "vouliez-vous dire « opens » ?") in "\n".join(warnings)
    assert any("[plugins.parole.page_weight.enabeld]" in w and "« enabled »" in w
               for w in warnings)
    assert not any("Unrecognised" in w for w in warnings)
    with pytest.raises(Abort):
        build_site(config, tmp_path / "strict")
