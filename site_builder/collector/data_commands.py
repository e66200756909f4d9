"""The data commands of ``parole``: ``export``, ``stats``, ``purge`` and ``delete``.

They work on the database the collector writes to, never on the site, so an organizer can run
them anywhere the database is reachable. ``site_builder.cli`` adds them with
``add_data_commands`` and hands them over to ``run_data_command``.

None of them creates a database: a mistyped ``--db`` path (or running in the wrong folder) must
say so, not quietly create an empty database and report that it holds no answers.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from site_builder.collector.export import FORMATS, iter_export
from site_builder.collector.stats import all_stats, stats_text
from site_builder.collector.terminal import for_terminal
from site_builder.errors import ParoleError
from site_builder.messages import say, say_count
from site_builder.storage import DEFAULT_DATABASE_URL, open_storage
from site_builder.storage.base import Storage, StorageUnavailable
from site_builder.storage.common import redact_url
from site_builder.storage.receipts import format_receipt, normalise_receipt

DATA_COMMANDS = ("export", "stats", "purge", "delete")
DATABASE_ENV = "PAROLE_DATABASE_URL"
"""Read when ``--db`` is not given, so that a server's environment names its database once."""
_SQLITE_PREFIX = "sqlite:///"
DATABASE_HELP = (f"the database: sqlite:///relative/path.db, sqlite:////absolute/path.db or "
            f"postgresql://user:password@host/database (default: ${DATABASE_ENV} if set, "
            f"else {DEFAULT_DATABASE_URL})")


class DataCommandError(ParoleError):
    """A data command cannot do what was asked: the message says why and how to fix it."""


def add_data_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add the four data commands to ``parole``'s subcommands."""
    export = commands.add_parser(
        "export", help="write a form's answers as CSV (for spreadsheets) or JSON",
        description="Write the answers of one form, oldest first, to standard output or a file. "
                    "In CSV, a ' is put before any cell a spreadsheet would run as a formula "
                    "(one starting with =, +, -, @), so that it shows as text.")
    export.add_argument("form_id", metavar="FORM_ID",
                        help="the form's id (parole stats lists them)")
    export.add_argument("--format", choices=FORMATS, default="csv", help="default: csv")
    export.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write to FILE (replaced only once the export is complete; readable "
                             "by you alone, as it holds personal data) instead of standard output")
    stats = commands.add_parser("stats", help="count the answers of every form",
                                description="Count answers per form, day, channel and option.")
    purge = commands.add_parser(
        "purge", help="delete the answers past their retention period",
        description="Delete every answer kept longer than its form's retention period.")
    delete = commands.add_parser(
        "delete", help="delete one answer, by the receipt code its author was given",
        description="Delete the answer whose receipt code is RECEIPT (a citizen asked for it).")
    delete.add_argument("receipt", metavar="RECEIPT",
                        help="the code, as the citizen gives it (ABCD-EFGH, any case)")
    for command in (export, stats, purge, delete):
        command.add_argument("--db", metavar="URL", help=DATABASE_HELP)


def run_data_command(arguments: argparse.Namespace) -> int:
    """Run the data command ``arguments.command``; return the exit code. Errors for people are
    printed on standard error (no traceback) and exit with 1."""
    url = database_url(arguments.db)
    try:
        storage = open_existing_storage(url)
        try:
            return _run(arguments, storage, url)
        finally:
            storage.close()
    except ParoleError as error:
        print(say("data.error", error=error), file=sys.stderr)
    except StorageUnavailable as error:
        print(say("data.unavailable", url=redact_url(url), error=error), file=sys.stderr)
    return 1


def database_url(given: str | None) -> str:
    """``--db`` if given, else ``$PAROLE_DATABASE_URL`` if set, else the default."""
    return given or os.environ.get(DATABASE_ENV) or DEFAULT_DATABASE_URL


def open_existing_storage(url: str) -> Storage:
    """Open the database at ``url``, refusing a SQLite file that does not exist yet."""
    if not url.startswith(_SQLITE_PREFIX):
        return open_storage(url)
    name = url.removeprefix(_SQLITE_PREFIX)
    if not name or name.endswith("/") or "?" in name or name == ":memory:":
        return open_storage(url)  # which refuses these URLs with its own explanation
    path = Path(name)
    if not path.exists():
        raise DataCommandError(say("data.no_database", path=path.resolve(), variable=DATABASE_ENV))
    return open_storage(url)


def _run(arguments: argparse.Namespace, storage: Storage, url: str) -> int:
    if arguments.command == "export":
        chunks = iter_export(storage, arguments.form_id, arguments.format)
        if arguments.output is None:
            # To a terminal, what would drive it (escapes, CR, bidi controls) is shown escaped;
            # to a pipe or a file, every value stays verbatim.
            shown = for_terminal if sys.stdout.isatty() else str
            for chunk in chunks:
                sys.stdout.buffer.write(shown(chunk).encode("utf-8"))
            sys.stdout.buffer.flush()
        else:
            write_atomically(arguments.output, chunks)
            print(say("data.exported", form=arguments.form_id, path=arguments.output))
    elif arguments.command == "stats":
        # A report to read, wherever it goes: labels and values that would drive a terminal
        # are shown escaped (an option no longer offered is a stored value, as sent).
        print(for_terminal(stats_text(all_stats(storage))), end="")
    elif arguments.command == "purge":
        count = storage.purge(datetime.now(UTC))
        print(say_count("data.purged", count, url=redact_url(url)))
    else:
        return _delete(storage, arguments.receipt, url)
    return 0


def _delete(storage: Storage, typed: str, url: str) -> int:
    receipt = normalise_receipt(typed)
    if receipt is None:
        raise DataCommandError(say("data.not_a_receipt", typed=typed))
    if not storage.delete(receipt):
        raise DataCommandError(
            say("data.no_such_receipt", receipt=format_receipt(receipt), url=redact_url(url)))
    print(say("data.deleted", receipt=format_receipt(receipt)))
    return 0


def write_atomically(path: Path, chunks: Iterable[str]) -> None:
    """Write ``chunks`` (UTF-8) to a temporary file next to ``path``, then rename it to
    ``path``: a failure halfway leaves the old file (or none), never half an export. The file is
    readable by its owner alone (the temporary file's mode), as it holds personal data."""
    try:
        temporary = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, then renamed)
            "wb", dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False)
    except OSError as error:
        raise _cannot_write(path, error) from error
    try:
        with temporary:
            for chunk in chunks:
                temporary.write(chunk.encode("utf-8"))
            temporary.flush()
            os.fsync(temporary.fileno())
        Path(temporary.name).replace(path)
    except OSError as error:
        Path(temporary.name).unlink(missing_ok=True)
        raise _cannot_write(path, error) from error
    except BaseException:
        Path(temporary.name).unlink(missing_ok=True)
        raise


def _cannot_write(path: Path, error: OSError) -> DataCommandError:
    return DataCommandError(say("data.cannot_write", path=path, reason=error.strerror or error,
                                folder=path.parent.resolve()))
