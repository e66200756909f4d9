"""The ``parole log`` command group: ``keygen``, ``checkpoint``, ``publish``, ``prove``,
``verify`` and ``audit`` (``site_builder.cli`` adds it with ``add_log_command`` and hands it
over to ``run_log_command``).

Like the data commands, those that read the database take ``--db`` (or
``$PAROLE_DATABASE_URL``) and never create one. Errors are said in the organizer's language on
standard error, without a traceback; the exit status is 0 when all is well, 1 when something
is refused or fails, 2 for a wrong command line or (``verify``) a journal that could not be
read, as the standalone verifier says it.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from site_builder.answer_log_commands import keys
from site_builder.answer_log_commands.audit import audit_log
from site_builder.answer_log_commands.audit_results import audit_results
from site_builder.answer_log_commands.errors import CANNOT_CHECK, REFUSED, LogCommandError
from site_builder.answer_log_commands.head import log_contents, sign_head
from site_builder.answer_log_commands.journal import Journal
from site_builder.answer_log_commands.prove import proof_json, proof_text, prove
from site_builder.answer_log_commands.publish import CHECKPOINT_LIMIT, publish_journal
from site_builder.answer_log_commands.verify import Saved, verify_journal
from site_builder.collector.data_commands import (
    database_help,
    database_url,
    open_existing_storage,
)
from site_builder.errors import ParoleError
from site_builder.messages import say, say_count
from site_builder.storage.base import Storage, StorageUnavailable
from site_builder.storage.common import redact_url

COMMAND = "log"
DEFAULT_CONFIG = "mkdocs.yml"


def add_log_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Add ``parole log`` and its actions to ``parole``'s subcommands."""
    log = commands.add_parser(COMMAND, help=say("log.help"),
                              description=say("log.help_description"))
    actions = log.add_subparsers(dest="action", required=True, metavar="ACTION",
                                 help=say("log.help.action"))

    def action(name: str) -> argparse.ArgumentParser:
        return actions.add_parser(name, help=say(f"log.help.{name}"),
                                  description=say(f"log.help.{name}_description"))

    keygen = action("keygen")
    keygen.add_argument("--key", type=Path, required=True, metavar="FILE",
                        help=say("log.help.keygen_key"))
    keygen.add_argument("--origin", metavar="ORIGIN", help=say("log.help.origin"))
    keygen.add_argument("--config", type=Path, default=Path(DEFAULT_CONFIG), metavar="FILE",
                        help=say("log.help.config", default=DEFAULT_CONFIG))
    checkpoint = action("checkpoint")
    checkpoint.add_argument("--key", type=Path, required=True, metavar="FILE",
                            help=say("log.help.signing_key"))
    publish = action("publish")
    publish.add_argument("--output", type=Path, required=True, metavar="DIR",
                         help=say("log.help.output"))
    publish.add_argument("--key", type=Path, required=True, metavar="FILE",
                         help=say("log.help.public_key"))
    proof = action("prove")
    proof.add_argument("receipt", metavar="RECEIPT", help=say("log.help.receipt"))
    proof.add_argument("--json", action="store_true", help=say("log.help.json"))
    verify = action("verify")
    verify.add_argument("--site", required=True, metavar="URL-or-DIR",
                        help=say("log.help.site"))
    verify.add_argument("--from", dest="saved", type=Path, metavar="CHECKPOINT-FILE",
                        help=say("log.help.from"))
    verify.add_argument("--key", type=Path, metavar="FILE", help=say("log.help.verify_key"))
    audit = action("audit")
    audit.add_argument("--key", type=Path, metavar="FILE", help=say("log.help.audit_key"))
    audit.add_argument("--results", type=Path, metavar="FILE",
                       help=say("log.help.audit_results"))
    for command in (checkpoint, publish, proof, audit):
        command.add_argument("--db", metavar="URL", help=database_help())
    return log


def run_log_command(arguments: argparse.Namespace) -> int:
    """Run ``parole log <action>``; return the exit status."""
    try:
        if arguments.action == "keygen":
            return _keygen(arguments)
        if arguments.action == "verify":
            return _verify(arguments)
        return _open_database(arguments)
    except LogCommandError as error:
        sys.stdout.flush()
        print(say("data.error", error=error), file=sys.stderr)
        return error.status
    except ParoleError as error:
        sys.stdout.flush()
        print(say("data.error", error=error), file=sys.stderr)
        return REFUSED
    except KeyboardInterrupt:
        return 130


def _open_database(arguments: argparse.Namespace) -> int:
    url = database_url(arguments.db)
    try:
        storage = open_existing_storage(url)
        try:
            return _with_database(arguments, storage, url)
        finally:
            storage.close()
    except StorageUnavailable as error:
        print(say("data.unavailable", url=redact_url(url), error=error), file=sys.stderr)
        return REFUSED


def _keygen(arguments: argparse.Namespace) -> int:
    origin = arguments.origin if arguments.origin is not None else \
        keys.default_origin(arguments.config)
    key = keys.write_new_key(arguments.key, origin)
    print(say("log.keygen.written", path=arguments.key, origin=key.name))
    print(say("log.keygen.public", path=keys.public_key_path(arguments.key),
              key=key.verifier.text))
    return 0


def _with_database(arguments: argparse.Namespace, storage: Storage, url: str) -> int:
    if arguments.action == "checkpoint":
        signer = keys.read_signer(arguments.key)
        signed = sign_head(storage, signer, datetime.now(UTC))
        key = "log.checkpoint.signed" if signed.new else "log.checkpoint.unchanged"
        print(say_count(key, signed.checkpoint.size, url=redact_url(url)))
        print(signed.checkpoint.note, end="")
        return 0
    if arguments.action == "publish":
        return _publish(arguments, storage)
    if arguments.action == "prove":
        found = prove(storage, arguments.receipt)
        print(proof_json(found) if arguments.json else proof_text(found), end="")
        return 0 if found.checkpoint is not None else REFUSED
    return _audit(arguments, storage)


def _audit(arguments: argparse.Namespace, storage: Storage) -> int:
    report = audit_log(storage, keys.read_verifier(arguments.key) if arguments.key else None)
    print(say("log.audit.summary", leaves=report.leaves, answers=report.answers,
              deleted=report.deleted, checked=report.replaced_checked,
              unchecked=report.replaced_unchecked, checkpoints=report.checkpoints))
    if report.problems:
        print(say_count("log.audit.problems", len(report.problems)), file=sys.stderr)
        _listed(report.problems)
    elif arguments.results is None:
        print(say("log.audit.all_good"))
    if arguments.results is None:
        return REFUSED if report.problems else 0
    results = audit_results(storage, arguments.results)
    if not results.problems:
        print(say_count("log.audit.results.all_good", results.counted, path=arguments.results,
                        form=results.form_id, size=results.size))
        return REFUSED if report.problems else 0
    print(say_count("log.audit.results.problems", len(results.problems),
                    path=arguments.results, size=results.size), file=sys.stderr)
    _listed(results.problems)
    if results.changed:
        print(say_count("log.audit.results.changed", len(results.changed)), file=sys.stderr)
        for line in results.changed:
            print(f"  - {line}", file=sys.stderr)
    return REFUSED


def _listed(problems: list[str]) -> None:
    for number, problem in enumerate(problems, 1):
        print(f"  {number}. {problem}", file=sys.stderr)


def _publish(arguments: argparse.Namespace, storage: Storage) -> int:
    key = keys.read_verifier(arguments.key)
    checkpoints = storage.checkpoints()
    if not checkpoints:
        raise LogCommandError("log.publish.no_checkpoint")
    contents = log_contents(storage, checkpoints[-1].size)
    done = publish_journal(arguments.output, contents, checkpoints, key)
    print(say_count("log.publish.done", done.size, folder=arguments.output,
                    written=done.written, kept=done.kept))
    return 0


def _verify(arguments: argparse.Namespace) -> int:
    key = None
    if arguments.key is not None:
        try:
            key = keys.read_verifier(arguments.key)
        except ParoleError as error:  # the auditor's own key: a mistake on this side
            raise LogCommandError("log.verify.bad_key", error=error,
                                  status=CANNOT_CHECK) from None
    saved = None
    if arguments.saved is not None:
        saved = Saved(str(arguments.saved), _read_saved(arguments.saved))
    verify_journal(Journal(arguments.site), key, saved, print)
    print(say("log.verify.all_good"))
    return 0


def _read_saved(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(CHECKPOINT_LIMIT + 1)
    except OSError as error:
        raise LogCommandError("log.verify.saved_unreadable", path=path,
                              reason=error.strerror or str(error), status=CANNOT_CHECK) from None
