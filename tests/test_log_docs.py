"""docs/answer-log.md's "Commands" table documents every ``parole log`` action and option, as
docs/collector.md's does for the data commands (tests/test_docs.py)."""

from __future__ import annotations

import argparse
import re

import pytest

from site_builder.cli import _parser, subcommands
from tests.support import REPO

ANSWER_LOG_DOCS = (REPO / "docs" / "answer-log.md").read_text(encoding="utf-8")


def _actions() -> dict[str, argparse.ArgumentParser]:
    return subcommands(subcommands(_parser())["log"])


@pytest.mark.parametrize("action", ["keygen", "checkpoint", "publish", "prove", "verify",
                                    "audit"])
def test_every_log_action_and_option_is_in_the_commands_table(action: str) -> None:
    assert set(_actions()) == {"keygen", "checkpoint", "publish", "prove", "verify", "audit"}
    table = re.search(r"^## Commands\n(.*?)^## ", ANSWER_LOG_DOCS, re.M | re.S)
    assert table, "docs/answer-log.md has no '## Commands' section"
    row = next((line for line in table.group(1).splitlines()
                if line.startswith(f"| `parole log {action}")), None)
    assert row, f"parole log {action} is missing from docs/answer-log.md's command table"
    for option in _actions()[action]._actions:
        longest = max(option.option_strings, key=len, default=None)
        if longest and longest != "--help":
            assert longest in row, f"parole log {action} {longest} is not documented"


def test_the_guide_no_longer_says_the_commands_are_being_built() -> None:
    assert "Being built" not in ANSWER_LOG_DOCS
