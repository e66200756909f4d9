"""``parole moderate FORM_ID``: the free-text answers one may quote, one by one, in a terminal.

GROUNDWORK: the helper "moderation" replaces this module's body, keeping this interface.
"""

from __future__ import annotations

import argparse

from site_builder.storage.base import Storage


def add_moderate_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Add ``parole moderate``; ``data_commands`` adds ``--db``."""
    return commands.add_parser("moderate")


def run_moderate(arguments: argparse.Namespace, storage: Storage) -> int:
    raise NotImplementedError
