"""``parole mediators add|list|revoke``: who may sign in to the collector's mediators' area
(``collector.entry.access``).

``add`` prints the new mediator's personal code once, on standard output, and nowhere else:
the database keeps only its digest (``entry.codes``), and no log line holds it. Unlike the other
data commands, ``add`` creates a SQLite database that does not exist yet: adding the mediators
is often the first thing an organizer does, before ``parole collect`` has ever run (it then
opens the same database); the message names the file it created, so a mistyped ``--db`` shows.
``list`` and ``revoke`` refuse a missing database like ``export`` does: there is nothing in it.
"""

from __future__ import annotations

import argparse
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from site_builder.collector.entry import codes
from site_builder.collector.terminal import for_terminal
from site_builder.errors import ParoleError
from site_builder.messages import say
from site_builder.storage import open_storage
from site_builder.storage.base import Storage
from site_builder.storage.common import redact_url

COMMAND = "mediators"
ACTIONS = ("add", "list", "revoke")
NAME_LIMIT = 60
"""Characters in a mediator's name: room for a full name, short enough for a table's column."""
SQLITE_PREFIX = "sqlite:///"


class MediatorError(ParoleError):
    """A mediators command cannot do what was asked: the message says why and how to fix it."""


def add_mediator_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], database_help: str,
) -> argparse.ArgumentParser:
    """Add ``parole mediators`` and its actions (each with ``--db``) to ``parole``'s
    subcommands; return the ``mediators`` parser."""
    mediators = commands.add_parser(COMMAND, help=say("mediators.help"),
                                    description=say("mediators.help_description"))
    actions = mediators.add_subparsers(dest="action", required=True, metavar="ACTION",
                                       help=say("mediators.help.action"))
    add = actions.add_parser("add", help=say("mediators.help.add"),
                             description=say("mediators.help.add_description"))
    add.add_argument("name", metavar="NAME", help=say("mediators.help.name", limit=NAME_LIMIT))
    add.add_argument("--coordinator", action="store_true",
                     help=say("mediators.help.coordinator"))
    listed = actions.add_parser("list", help=say("mediators.help.list"),
                                description=say("mediators.help.list_description"))
    revoke = actions.add_parser("revoke", help=say("mediators.help.revoke"),
                                description=say("mediators.help.revoke_description"))
    revoke.add_argument("name", metavar="NAME", help=say("mediators.help.name",
                                                         limit=NAME_LIMIT))
    for action in (add, listed, revoke):
        action.add_argument("--db", metavar="URL", help=database_help)
    return mediators


def checked_name(typed: str) -> str:
    """``typed`` without surrounding spaces, if it can be a mediator's name; else
    ``MediatorError`` saying what is wrong with it."""
    name = typed.strip()
    if not name:
        raise MediatorError(say("mediators.empty_name"))
    for character in name:
        # control, format (bidi overrides…), separators other than the space, unassigned:
        # a name is shown in pages and in a terminal, and must look like what it is
        if not (character.isprintable() or character == " ") or \
                unicodedata.category(character) in ("Cf", "Co", "Cn"):
            raise MediatorError(say("mediators.unprintable_name", name=name,
                                    character=f"U+{ord(character):04X}"))
    if len(name) > NAME_LIMIT:
        raise MediatorError(say("mediators.long_name", name=name, length=len(name),
                                limit=NAME_LIMIT))
    return name


def open_for(action: str, url: str, open_existing: Callable[[str], Storage]) -> Storage:
    """The database at ``url``: created when missing for ``add`` (saying so), else opened by
    ``open_existing``, which refuses a missing SQLite file
    (``data_commands.open_existing_storage``)."""
    if action != "add" or not url.startswith(SQLITE_PREFIX):
        return open_existing(url)
    path = Path(url.removeprefix(SQLITE_PREFIX))
    created = bool(path.name) and not path.exists()
    storage = open_storage(url)
    if created:
        print(say("mediators.created_database", path=path.resolve()))
    return storage


def run_mediators(arguments: argparse.Namespace, url: str,
                  open_existing: Callable[[str], Storage]) -> int:
    """Run ``parole mediators ACTION`` on the database at ``url``; ``ParoleError`` and
    ``StorageUnavailable`` are the caller's to report (``data_commands.run_data_command``)."""
    if arguments.action == "add":
        name = checked_name(arguments.name)  # before any database is opened or created
        storage = open_for("add", url, open_existing)
        try:
            return _add(storage, name, arguments.coordinator, url)
        finally:
            storage.close()
    storage = open_for(arguments.action, url, open_existing)
    try:
        if arguments.action == "list":
            return _list(storage, url)
        return _revoke(storage, arguments.name.strip(), url)
    finally:
        storage.close()


def _add(storage: Storage, name: str, coordinator: bool, url: str) -> int:
    role = "coordinator" if coordinator else "mediator"
    code = codes.new_code()
    storage.add_mediator(name, role, codes.digest(code), datetime.now(UTC))
    print(say("mediators.added", name=name, role=say(f"mediators.role.{role}"),
              url=redact_url(url)))
    print(f"\n    {codes.format_code(code)}\n")
    print(say("mediators.code_next", name=name))
    return 0


def _list(storage: Storage, url: str) -> int:
    mediators = storage.mediators()
    if not mediators:
        print(say("mediators.none", url=redact_url(url)))
        return 0
    rows = [[say(f"mediators.column.{column}")
             for column in ("name", "role", "added", "revoked")]]
    rows += [[for_terminal(mediator.name), say(f"mediators.role.{mediator.role}"),
              _moment(mediator.created_at),
              _moment(mediator.revoked_at) if mediator.revoked_at else say("mediators.active")]
             for mediator in mediators]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
              .rstrip())
    return 0


def _moment(moment: datetime) -> str:
    """A time in the organizer's zone, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _revoke(storage: Storage, name: str, url: str) -> int:
    if not storage.revoke_mediator(name, datetime.now(UTC)):
        raise MediatorError(say("mediators.no_such", name=name, url=redact_url(url)))
    print(say("mediators.revoked", name=name))
    return 0
