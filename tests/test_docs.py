"""The docs stay true: every option, page type and command the code has is documented."""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from datetime import date

import pytest
import yaml
from mkdocs.config import base
from mkdocs.config import config_options as c

# Imported from the source tree (mypy cannot follow the wheel's remapping to
# site_builder.plugins); only constants are read, so the second module object is harmless.
from plugins.parole.config import ParoleConfig
from plugins.parole.page_checks import PAGE_TYPES
from site_builder.calendar_options import parse_calendar
from site_builder.cli import _parser, subcommands
from tests.guide_support import PAPER_GUIDE, guide_commands, guide_plugin_options
from tests.reliability import report as reliability_report
from tests.support import REPO, TEST_DAY

README = (REPO / "README.md").read_text(encoding="utf-8")
# Keys MkDocs itself reads from mkdocs_theme.yml; they are not options an organizer sets.
MKDOCS_THEME_KEYS = {"static_templates", "extends", "locale", "include_search_page",
                     "search_index_only"}


def _section(title: str) -> str:
    match = re.search(rf"^### {re.escape(title)}\n(.*?)(?=^#{{2,3}} )", README, re.M | re.S)
    assert match, f"README.md has no '### {title}' section"
    return match.group(1)


def _documented(section: str) -> set[str]:
    return set(re.findall(r"^\| `([^`]+)` \|", section, re.M))


def _option_names(config: type[base.Config], prefix: str = "") -> Iterator[str]:
    for name, option in config._schema:
        if isinstance(option, c.SubConfig):
            yield from _option_names(option.config_class, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}"


def test_every_plugin_option_is_in_the_readme_reference() -> None:
    options = set(_option_names(ParoleConfig))
    documented = _documented(_section("Plugin options"))
    assert options - documented == set(), "options missing from README's reference"
    assert documented - options == set(), "README documents options that do not exist"


def test_every_plugin_option_has_a_docstring() -> None:
    source = REPO / "plugins" / "parole" / "config.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    undocumented = []
    for cls in (node for node in tree.body if isinstance(node, ast.ClassDef)):
        body = cls.body
        for index, node in enumerate(body):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                following = body[index + 1] if index + 1 < len(body) else None
                is_doc = isinstance(following, ast.Expr) and isinstance(
                    following.value, ast.Constant) and isinstance(following.value.value, str)
                if not is_doc:
                    undocumented.append(f"{cls.name}.{ast.unparse(node.targets[0])}")
    assert undocumented == []


def test_every_theme_option_is_in_the_readme_reference() -> None:
    theme = yaml.safe_load((REPO / "theme" / "mkdocs_theme.yml").read_text(encoding="utf-8"))
    options = set(theme) - MKDOCS_THEME_KEYS
    documented = _documented(_section("Theme options"))
    assert options - documented == set(), "theme options missing from README's reference"
    assert documented - options == set(), "README documents theme options that do not exist"


def test_every_page_type_is_documented() -> None:
    pages = _section("Pages")
    for page_type in PAGE_TYPES:
        assert f"`{page_type}`" in pages


def test_every_component_is_a_complete_documented_folder() -> None:
    for folder in sorted((REPO / "theme" / "components").glob("*/")):
        for part in ("template.html", "macro.html", "README.md", "examples.yml"):
            assert (folder / part).is_file(), f"{folder.name} lacks {part}"
        assert f"`{folder.name}`" in README, f"component {folder.name} not in README"


@pytest.mark.parametrize("script", ["scripts/demo", "scripts/check"])
def test_the_readme_commands_exist_and_run(script: str) -> None:
    assert f"\n{script}\n" in README
    assert os.access(REPO / script, os.X_OK), f"{script} is not executable"


def test_the_demo_and_the_tests_see_the_example_consultation_open() -> None:
    """Both run as of a fixed open day of the example (``PAROLE_BUILD_DATE``), not the real day:
    once the consultation closed, the demo's form refused every answer and tests failed."""
    options = next(plugin["parole"] for plugin in
                   yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["plugins"]
                   if isinstance(plugin, dict) and "parole" in plugin)
    calendar = parse_calendar(options)
    demo = re.search(r'PAROLE_BUILD_DATE="\$\{PAROLE_BUILD_DATE:-([0-9-]+)\}"',
                     (REPO / "scripts" / "demo").read_text(encoding="utf-8"))
    assert demo, "scripts/demo does not set PAROLE_BUILD_DATE"
    for day in (demo.group(1), TEST_DAY):
        assert calendar.opens is not None and calendar.closes is not None
        assert calendar.opens <= date.fromisoformat(day) <= calendar.closes, day


def test_ci_runs_the_readme_test_command_and_nothing_else() -> None:
    lines = [line.strip() for line in (REPO / ".ci" / "run").read_text().splitlines()]
    commands = [line for line in lines if line and not line.startswith("#")]
    assert any("scripts/check" in line for line in commands)
    assert all(
        "scripts/check" in line or line.startswith(("set ", "cd ")) for line in commands
    ), commands


def test_changelog_follows_keep_a_changelog() -> None:
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "keepachangelog.com" in text
    assert "## [Unreleased]" in text


COLLECTOR_DOCS = (REPO / "docs" / "collector.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["collect", "serve", "export", "stats", "purge", "delete",
                                     "import", "moderate", "results"])
def test_every_collector_command_and_flag_is_in_the_collector_reference(command: str) -> None:
    table = re.search(r"^## Commands\n(.*?)^## ", COLLECTOR_DOCS, re.M | re.S)
    assert table, "docs/collector.md has no '## Commands' section"
    row = next((line for line in table.group(1).splitlines()
                if line.startswith(f"| `parole {command}")), None)
    assert row, f"parole {command} is missing from docs/collector.md's command table"
    for action in subcommands(_parser())[command]._actions:
        longest = max(action.option_strings, key=len, default=None)
        if longest and longest != "--help":
            assert longest in row, f"parole {command} {longest} is not documented"


def test_reliability_page_comes_from_a_complete_run() -> None:
    """docs/RELIABILITY.md's figures are written by ``python -m tests.reliability``, which
    rewrites them only after a complete, passing run (so this check lives outside the suites)."""
    text = (REPO / "docs" / "RELIABILITY.md").read_text(encoding="utf-8")
    assert reliability_report.MARKER in text, (
        "run .venv/bin/python -m tests.reliability to write the figures")
    generated = text.split(reliability_report.MARKER, 1)[1]
    for suite in reliability_report.SUITES:
        assert f"### {suite.title}" in generated, f"no table for {suite.key}"


# --- docs/paper.md, the mediators' guide: its commands run, its screen words are the screens' ---

QUOTED = re.compile(r"«([^«»]*)»")
"""Words between « and » (an empty pair, « », is the guide naming the marks themselves)."""
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _one_line(words: str) -> str:
    """Spaces as a reader sees them: no-break and narrow ones, and line breaks, as one space."""
    return " ".join(words.replace("\u00a0", " ").replace("\u202f", " ").split())


def _catalogue_words() -> list[str]:
    """What the mediators' screens (theme) and parole's commands (CLI) can say, in French."""
    values: list[str] = []
    for path in (REPO / "theme" / "locales" / "fr.yml",
                 REPO / "site_builder" / "locales" / "fr.yml"):
        values += [_one_line(str(value))
                   for value in yaml.safe_load(path.read_text(encoding="utf-8")).values()]
    return values


def _says(catalogue: list[str], quoted: str) -> bool:
    """Whether ``quoted`` is a whole catalogue string, its ``{placeholders}`` filled in; a quote
    ending with "…" is the start of one."""
    if quoted.endswith("…"):
        stem = quoted.removesuffix("…").rstrip()
        return any(value.startswith(stem) for value in catalogue)
    for value in catalogue:
        parts = PLACEHOLDER.split(value)
        # A string that is mostly placeholders ("{state} : {count}") would take any quote.
        if sum(character.isalpha() for part in parts for character in part) < MIN_LETTERS:
            continue
        if re.fullmatch(".+?".join(re.escape(part) for part in parts), quoted):
            return True
    return False


MIN_LETTERS = 4
"""Letters a catalogue string must hold besides its placeholders to vouch for a quote."""


def test_a_quote_no_screen_says_is_caught_even_beside_placeholder_strings() -> None:
    catalogue = _catalogue_words()
    assert any(PLACEHOLDER.fullmatch(value.split(" : ")[0]) for value in catalogue
               if " : " in value)  # the loose strings this guards against exist
    assert not _says(catalogue, "Bouton imaginaire : 3")
    assert _says(catalogue, "Sans réponse (vide)")


def test_the_paper_guide_has_commands_and_screen_words_to_check() -> None:
    assert {command[1] for command in guide_commands()} >= {"mediators", "import", "stats"}
    assert len(QUOTED.findall(PAPER_GUIDE)) > 40


def test_the_paper_guide_asks_for_double_entry_with_a_plugin_option() -> None:
    options = guide_plugin_options()
    assert set(options) <= set(_option_names(ParoleConfig)) | {"paper_entry"}
    assert {f"paper_entry.{name}" for name in options["paper_entry"]} <= set(
        _option_names(ParoleConfig))


@pytest.mark.parametrize("command", guide_commands(), ids=" ".join)
def test_every_command_of_the_paper_guide_parses(
    command: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO)  # where an mkdocs.yml is, as when the guide's reader runs it
    try:
        _parser().parse_args(command[1:])
    except SystemExit:
        pytest.fail(f"docs/paper.md: {' '.join(command)!r} does not parse: "
                    f"{capsys.readouterr().err}")


def test_every_screen_word_quoted_in_the_paper_guide_is_on_a_screen() -> None:
    """The guide quotes buttons, labels and messages between « »: each must be what a screen
    (theme/locales/fr.yml) or a command (site_builder/locales/fr.yml) says, word for word, so a
    screen changed without its guide fails here."""
    catalogue = _catalogue_words()
    unknown = [quoted for quoted in map(_one_line, QUOTED.findall(PAPER_GUIDE))
               if quoted and not _says(catalogue, quoted)]
    assert unknown == [], "docs/paper.md quotes words no screen says"


def test_the_paper_guide_is_linked_from_the_readme_and_the_collector_reference() -> None:
    assert "docs/paper.md" in README
    mediators = re.search(r"^## Mediators\n(.*?)^## ", COLLECTOR_DOCS, re.M | re.S)
    assert mediators and "(paper.md)" in mediators.group(1)
