"""TODO markers: what counts as one, and that the build reports each with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from site_builder.messages import speaking
from site_builder.todo_markers import config_markers, page_markers, warning
from tests.support import REPO, SITES, build_site, write_site


def _lines(text: str) -> list[int]:
    return [marker.line for marker in page_markers(text, "page.md")]


def test_a_marker_is_the_word_todo_in_capitals() -> None:
    text = "\n".join([
        "TODO: the address.",          # 1
        "Call us (TODO).",             # 2
        "todo: lower case is a word",  # 3
        "TODOS and MY_TODO and TODO_X are other words",  # 4
        "**Hours**: TODO",             # 5
        "<!-- TODO: a comment too -->",  # 6
    ])
    assert _lines(text) == [1, 2, 5, 6]


def test_code_is_not_searched_but_a_form_block_is() -> None:
    text = "\n".join([
        "---",                         # 1
        "description: TODO one line",  # 2 front matter counts
        "---",                         # 3
        "Write `TODO` in code: it stays.",  # 4
        "```python",                   # 5
        "# TODO inside code",          # 6
        "```",                         # 7
        "~~~~",                        # 8
        "```form",                     # 9 shown inside another block: code
        "title: TODO",                 # 10
        "~~~~",                        # 11
        "```form",                     # 12
        "id: avis",                    # 13
        "title: TODO the title",       # 14 a form is shown to citizens: counts
        "```",                         # 15
        "``TODO`` and then TODO",      # 16 the second one counts
    ])
    assert _lines(text) == [2, 14, 16]


def test_a_block_never_closed_is_code_to_the_end() -> None:
    assert _lines("TODO\n```\nTODO\nTODO") == [1]


def test_in_the_configuration_comments_count_too() -> None:
    markers = config_markers("site_name: x\n# TODO: the dates\n# opens: 2027-01-04\n",
                             "mkdocs.yml")
    assert [(m.file, m.line, m.text) for m in markers] == [("mkdocs.yml", 2, "# TODO: the dates")]


def test_the_warning_says_where_and_how_to_fix_in_the_sites_language() -> None:
    (marker,) = page_markers("# Aide\n\n**Adresse** : TODO: l'adresse.\n", "docs/aide.md")
    with speaking("fr"):
        text = warning(marker, in_config=False)
    assert text.startswith("docs/aide.md:3 : il reste un marqueur TODO : **Adresse** : TODO")
    assert "Pour corriger : écrivez à sa place ce qu'il demande" in text
    with speaking("en"):
        assert "How to fix: write what it asks for" in warning(marker, in_config=True)


def test_the_example_and_the_sample_sites_hold_no_marker() -> None:
    """They are built strictly; a TODO written there on purpose would stop them."""
    found = []
    for folder in [REPO, *sorted(path.parent for path in SITES.glob("*/mkdocs.yml"))]:
        config = folder / "mkdocs.yml"
        found += config_markers(config.read_text(encoding="utf-8"), str(config))
        docs = REPO / "content" if folder == REPO else folder / "docs"
        for page in sorted(docs.rglob("*.md")):
            found += page_markers(page.read_text(encoding="utf-8"), str(page))
    assert found == []


def test_a_strict_build_stops_on_a_marker_and_a_lenient_one_builds(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = write_site(tmp_path, {
        "index.md": "# Accueil\n\nBienvenue.\n\nTODO: le calendrier.\n\n```\nTODO\n```\n",
    })
    settings = config.read_text(encoding="utf-8")
    config.write_text(settings + "# TODO: les dates\n", encoding="utf-8")
    with pytest.raises(Abort):
        build_site(config, tmp_path / "strict")
    warnings = [record.getMessage() for record in caplog.records
                if record.levelname == "WARNING" and "TODO" in record.getMessage()]
    line = len(settings.splitlines()) + 1
    assert [text.splitlines()[0] for text in warnings] == [
        f"mkdocs.yml:{line} : il reste un marqueur TODO : # TODO: les dates",
        "docs/index.md:5 : il reste un marqueur TODO : TODO: le calendrier.",
    ]
    assert (build_site(config, tmp_path / "lenient", strict=False) / "index.html").is_file()
