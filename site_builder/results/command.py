"""``parole results``: the answers of every form, counted and protected, into results files.

GROUNDWORK: the helper "results command" replaces this module's body, keeping this interface.
"""

from __future__ import annotations

import argparse

from site_builder.storage.base import Storage


def add_results_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Add ``parole results``; ``data_commands`` adds ``--db``."""
    return commands.add_parser("results")


def run_results(arguments: argparse.Namespace, storage: Storage) -> int:
    raise NotImplementedError
