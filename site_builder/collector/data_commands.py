"""The data commands of ``parole``: ``export``, ``stats``, ``purge``, ``delete``, ``import``,
``mediators``, and ``results`` and ``moderate`` (``site_builder.results``).

They work on the database the collector writes to, never on the site, so an organizer can run
them anywhere the database is reachable. ``site_builder.cli`` adds them with
``add_data_commands`` and hands them over to ``run_data_command``.

None of them creates a database: a mistyped ``--db`` path (or running in the wrong folder) must
say so, not quietly create an empty database and report that it holds no answers.
``parole mediators add``, often run before the collector ever was, is the exception
(``mediator_commands``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from site_builder.collector.export import FORMATS, iter_export
from site_builder.collector.export_xlsx import write_xlsx
from site_builder.collector.import_command import add_import_command, run_import
from site_builder.collector.mediator_commands import add_mediator_commands, run_mediators
from site_builder.collector.stats import all_stats
from site_builder.collector.stats_report import stats_text
from site_builder.collector.terminal import for_terminal
from site_builder.errors import ParoleError
from site_builder.messages import say, say_count
from site_builder.results.command import add_results_command, run_results
from site_builder.results.moderate_command import add_moderate_command, run_moderate
from site_builder.storage import DEFAULT_DATABASE_URL, open_storage
from site_builder.storage.base import Storage, StorageUnavailable
from site_builder.storage.common import redact_url
from site_builder.storage.receipts import format_receipt, normalise_receipt

DATA_COMMANDS = ("export", "stats", "purge", "delete", "import", "mediators", "results",
                 "moderate")
DATABASE_ENV = "PAROLE_DATABASE_URL"
"""Read when ``--db`` is not given, so that a server's environment names its database once."""
_SQLITE_PREFIX = "sqlite:///"


def database_help() -> str:
    """What ``--db`` takes, in the organizer's language (``collect`` has it too)."""
    return say("data.help.database", variable=DATABASE_ENV, default=DEFAULT_DATABASE_URL)


class DataCommandError(ParoleError):
    """A data command cannot do what was asked: the message says why and how to fix it."""


def add_data_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add the four data commands to ``parole``'s subcommands."""
    export = commands.add_parser(
        "export", help=say("data.help.export"), description=say("data.help.export_description"))
    export.add_argument("form_id", metavar="FORM_ID", help=say("data.help.form_id"))
    export.add_argument("--format", choices=FORMATS, default="csv", help=say("data.help.format"))
    export.add_argument("--labels", action="store_true",
                        help=say("data.help.labels"))
    export.add_argument("--wide", action="store_true",
                        help=say("data.help.wide"))
    export.add_argument("--time-zone", metavar="ZONE",
                        help=say("data.help.time_zone"))
    export.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help=say("data.help.output"))
    stats = commands.add_parser("stats", help=say("data.help.stats"),
                                description=say("data.help.stats_description"))
    purge = commands.add_parser("purge", help=say("data.help.purge"),
                                description=say("data.help.purge_description"))
    delete = commands.add_parser("delete", help=say("data.help.delete"),
                                 description=say("data.help.delete_description"))
    delete.add_argument("receipt", metavar="RECEIPT", help=say("data.help.receipt"))
    imported = add_import_command(commands)
    results = add_results_command(commands)
    moderate = add_moderate_command(commands)
    for command in (export, stats, purge, delete, imported, results, moderate):
        command.add_argument("--db", metavar="URL", help=database_help())
    add_mediator_commands(commands, database_help())


def run_data_command(arguments: argparse.Namespace) -> int:
    """Run the data command ``arguments.command``; return the exit code. Errors for people are
    printed on standard error (no traceback) and exit with 1."""
    url = database_url(arguments.db)
    try:
        if arguments.command == "mediators":  # add creates the database (mediator_commands)
            return run_mediators(arguments, url, open_existing_storage)
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
        if arguments.format != "csv" and (arguments.labels or arguments.wide):
            raise _csv_only(arguments.format)
        if arguments.format == "xlsx":
            return _export_xlsx(arguments, storage)
        chunks = iter_export(storage, arguments.form_id, arguments.format,
                             labels=arguments.labels, wide=arguments.wide,
                             zone_name=arguments.time_zone)
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
    elif arguments.command == "import":
        return run_import(arguments, storage)
    elif arguments.command == "results":
        return run_results(arguments, storage)
    elif arguments.command == "moderate":
        return run_moderate(arguments, storage)
    elif arguments.command == "purge":
        count = storage.purge(datetime.now(UTC))
        print(say_count("data.purged", count, url=redact_url(url)))
    else:
        return _delete(storage, arguments.receipt, url)
    return 0


def _export_xlsx(arguments: argparse.Namespace, storage: Storage) -> int:
    form_id, output = arguments.form_id, arguments.output
    if output is None and sys.stdout.isatty():
        raise _refusal("export.xlsx_not_to_terminal")

    def write(target: IO[bytes]) -> None:
        write_xlsx(storage, form_id, target, zone_name=arguments.time_zone)

    if output is None:
        # A workbook is a zip file, written with seeks: made in a temporary file, then copied.
        with tempfile.TemporaryFile() as workbook:
            write(workbook)
            workbook.seek(0)
            shutil.copyfileobj(workbook, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return 0
    write_file_atomically(output, write)
    print(say("data.exported", form=form_id, path=output))
    return 0


def _csv_only(export_format: str) -> DataCommandError:
    return _refusal("export.csv_only", format=export_format)


def _refusal(key: str, **values: str) -> DataCommandError:
    """The error said by ``key``, with the fix said by ``key``'s ``_fix``."""
    return DataCommandError(say(key, **values) + "\n    "
                            + say("problem.how_to_fix", fix=say(f"{key}_fix")))


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
    """Write ``chunks`` (UTF-8) to ``path`` as ``write_file_atomically`` does."""

    def write(target: IO[bytes]) -> None:
        for chunk in chunks:
            target.write(chunk.encode("utf-8"))

    write_file_atomically(path, write)


def write_file_atomically(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Have ``write`` fill a temporary file next to ``path``, then rename it to ``path``: a
    failure halfway leaves the old file (or none), never half an export. The file is readable
    by its owner alone (the temporary file's mode), as it holds personal data."""
    try:
        temporary = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, then renamed)
            "wb", dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False)
    except OSError as error:
        raise _cannot_write(path, error) from error
    try:
        with temporary:
            write(temporary)
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
