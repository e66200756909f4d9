"""``parole help``, ``parole help COMMAND``, and a description for every command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from site_builder.cli import _parser, subcommands

PAROLE = [sys.executable, "-m", "site_builder.cli"]


def parole(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PAROLE, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False, env={"PATH": "/usr/bin:/bin", "LANG": "C"})


def test_every_command_has_a_description() -> None:
    commands = subcommands(_parser())
    assert {"build", "serve", "collect", "export", "stats", "purge", "delete", "new", "audit",
            "help"} <= set(commands)
    for name, command in commands.items():
        assert (command.description or "").strip(), f"parole {name} --help has no description"


def test_parole_help_lists_the_commands(tmp_path: Path) -> None:
    result = parole("help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == parole("--help", cwd=tmp_path).stdout
    for name in subcommands(_parser()):
        assert name in result.stdout


def test_parole_help_command_says_what_command_help_says(tmp_path: Path) -> None:
    for name in ("new", "build", "export"):
        result = parole("help", name, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout == parole(name, "--help", cwd=tmp_path).stdout
    assert "TODO marker" in parole("help", "new", cwd=tmp_path).stdout


def test_parole_help_of_an_unknown_command_names_those_that_exist(tmp_path: Path) -> None:
    result = parole("help", "publish", cwd=tmp_path)
    assert result.returncode == 2
    assert "parole has no command 'publish'" in result.stderr
    assert "build, serve, collect" in result.stderr and "new, help" in result.stderr
