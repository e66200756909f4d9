"""``parole results [--db URL] [--docs DIR] [--config FILE] [--form FORM_ID]``: the answers of
every form (or of one), counted and protected, into results files in the docs folder.

Run it once the consultation has closed and the free-text answers are moderated, and the answer
log signed (``parole log checkpoint``, or the collector at the close), then ``parole build``:
the build draws the results page from these files. The figures count the answers the newest
stored checkpoint signed (``logged``), and the file records it; the command says which, or that
there is none and how to make one. Each form's answers are
read once, streamed (``compute``); each file is written whole or not at all
(``file.write_results``), and holds aggregates only (no receipt, no email, no free text but the
approved quotes). The docs folder and ``min_count`` come from the site's configuration
(``settings``), so that the file and the page the build makes from it agree.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from site_builder.calendar import build_date
from site_builder.errors import ParoleError
from site_builder.messages import say, say_count
from site_builder.results.compute import Computed, form_results
from site_builder.results.file import write_results
from site_builder.results.logged import LoggedAnswers, newest_logged_answers
from site_builder.results.protect import DEFAULT_MIN_COUNT
from site_builder.results.settings import DEFAULT_CONFIG, results_settings
from site_builder.storage.base import Storage


class ResultsCommandError(ParoleError):
    """The results cannot be written where asked: the message says why and how to fix it."""


def add_results_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Add ``parole results``; ``data_commands`` adds ``--db``."""
    command = commands.add_parser("results", help=say("results.command.help"),
                                  description=say("results.command.help_description"))
    command.add_argument("--docs", type=Path, metavar="DIR",
                         help=say("results.command.help_docs"))
    command.add_argument("--config", metavar="FILE",
                         help=say("results.command.help_config", default=DEFAULT_CONFIG))
    command.add_argument("--form", metavar="FORM_ID", help=say("results.command.help_form"))
    return command


def run_results(arguments: argparse.Namespace, storage: Storage) -> int:
    """Write the results file of every form of the database (or of ``--form``); one line per
    form. Raises ``ParoleError`` (``UnknownForm``, ``ConfigError``…) for the data commands to
    report."""
    settings = results_settings(arguments.config, arguments.docs)
    if settings.config_file is None:
        print(say("results.command.default_min_count", min_count=DEFAULT_MIN_COUNT,
                  config=DEFAULT_CONFIG))
    if not settings.docs_dir.is_dir():
        raise ResultsCommandError(
            say("results.command.no_docs", path=settings.docs_dir.resolve()) + "\n    "
            + say("problem.how_to_fix", fix=say("results.command.no_docs_fix")))
    form_ids = [arguments.form] if arguments.form is not None else storage.form_ids()
    if not form_ids:
        print(say("results.command.no_forms"))
        return 0
    computed_at, today = computation_time(), build_date()
    logged = newest_logged_answers(storage)
    print(_checkpoint_used(logged))
    for form_id in form_ids:
        computed = form_results(storage, form_id, min_count=settings.min_count,
                                computed_at=computed_at, today=today, logged=logged)
        try:
            path = write_results(computed.results, settings.docs_dir)
        except OSError as error:
            raise ResultsCommandError(
                say("results.command.cannot_write", form=form_id, error=error) + "\n    "
                + say("problem.how_to_fix", fix=say("results.command.cannot_write_fix",
                                                    path=settings.docs_dir.resolve()))
            ) from error
        print(_written(computed, path))
        if computed.left_out:
            print("    " + say_count("results.command.left_out", computed.left_out))
    return 0


def _checkpoint_used(logged: LoggedAnswers | None) -> str:
    """Which signed state of the answer log the figures count, or how to make one."""
    if logged is None:
        return say("results.command.no_checkpoint") + "\n    " + say(
            "problem.how_to_fix", fix=say("results.command.make_checkpoint"))
    checkpoint = logged.checkpoint
    used = say_count("results.command.checkpoint", checkpoint.size, origin=checkpoint.origin,
                     root=checkpoint.root.hex(),
                     signed_at=logged.signed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M"))
    if not logged.later_leaves:
        return used
    return used + "\n    " + say_count("results.command.after_checkpoint",
                                        logged.later_leaves) + "\n    " + say(
        "problem.how_to_fix", fix=say("results.command.make_checkpoint"))


def _written(computed: Computed, path: Path) -> str:
    """``avis: 42 answers counted (online 30, paper 10, assisted 2), written to
    docs/parole-results/avis.json``: the exact counts, for the organizer (the file holds them
    protected)."""
    channels = ", ".join(f"{channel} {count}" for channel, count in computed.channels.items())
    return say_count("results.command.written", computed.results.answers,
                     form=computed.results.form_id, channels=channels, path=path,
                     min_count=computed.results.min_count)


SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
"""The reproducible-builds convention (reproducible-builds.org): when set, the moment the
results say they were computed, in seconds since 1970 (UTC), so that the same answers give the
same file byte for byte."""


def computation_time(environ: Mapping[str, str] | None = None) -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when it is set (a wrong value is an error that says so)."""
    raw = (os.environ if environ is None else environ).get(SOURCE_DATE_EPOCH, "").strip()
    if not raw:
        return datetime.now(UTC)
    if not raw.isdigit():
        raise ResultsCommandError(
            say("results.command.bad_epoch", variable=SOURCE_DATE_EPOCH, value=raw) + "\n    "
            + say("problem.how_to_fix", fix=say("results.command.bad_epoch_fix",
                                                variable=SOURCE_DATE_EPOCH)))
    return datetime.fromtimestamp(int(raw), UTC)
