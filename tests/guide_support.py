"""docs/paper.md, the mediators' guide, as tests read it: its ``parole`` command lines and its
``mkdocs.yml`` lines, taken from its code blocks, so that the guide and the tests that follow it
(tests/test_docs.py, tests/test_paper_guide.py) cannot say different things."""

from __future__ import annotations

import re
import shlex
import textwrap
from typing import Any

import yaml

from tests.support import REPO

PAPER_GUIDE = (REPO / "docs" / "paper.md").read_text(encoding="utf-8")


def _blocks(language: str, text: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.M | re.S)


def guide_commands(text: str = PAPER_GUIDE) -> list[list[str]]:
    """Every ``parole …`` line of the guide's ``sh`` code blocks, split as a shell would."""
    return [shlex.split(line) for block in _blocks("sh", text) for line in block.splitlines()
            if line.startswith("parole ")]


def guide_command(*words: str, text: str = PAPER_GUIDE) -> list[list[str]]:
    """The guide's command lines that start with ``parole`` and ``words``."""
    found = [command for command in guide_commands(text)
             if command[1:1 + len(words)] == list(words)]
    assert found, f"docs/paper.md has no 'parole {' '.join(words)}' line"
    return found


def guide_plugin_options(text: str = PAPER_GUIDE) -> dict[str, Any]:
    """The parole plugin options the guide's ``yaml`` block adds to ``mkdocs.yml``."""
    [block] = _blocks("yaml", text)
    options = yaml.safe_load(textwrap.dedent(block))
    assert isinstance(options, dict), block
    return options
