"""``parole import FORM_ID FILE.csv --batch-place P --batch-date D``: answers typed into a
spreadsheet stored as one batch of paper (or assisted) answers, all rows or none (issue #15).

Each answer is stored in the language of the paper version it was typed from (issue #18): its
row's ``language`` cell when the file has that column, else ``--language``, else the form's own
language; each one of the form's languages. The batch is in the language its rows share (None
when they differ: each answer keeps its own).

The form is the newest version the database keeps (``Storage.form_schemas``): an import needs
the database, not the site. The file is read and every row checked by ``import_csv``; any
problem, and nothing is stored, every problem being listed. The same file imported again
(same bytes: its SHA-256) stores nothing and names the batch that holds it.
"""

from __future__ import annotations

import argparse
import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

from site_builder.calendar import build_date
from site_builder.collector.answers import expiry, fingerprint
from site_builder.collector.body import shown
from site_builder.collector.columns import check_known, merge_versions
from site_builder.collector.import_csv import read_answers
from site_builder.collector.settings import catalogue
from site_builder.errors import ParoleError
from site_builder.forms.manifest import Manifest, manifest_from_text
from site_builder.messages import current_language, say, say_count, speaking
from site_builder.storage.base import FormSchema, NewAnswer, Storage
from site_builder.storage.entry import Batch, NewBatch

CHANNELS = ("paper", "assisted")
"""What ``--channel`` takes: how the imported answers reached the organizer."""
IMPORTED_BY = "import:"
"""Before the file's name, in ``entered_by`` and ``created_by``: who typed them in."""


class CannotImportError(ParoleError):
    """The import cannot go ahead: the message says why and how to fix it."""


def add_import_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Add ``parole import`` (without ``--db``, which the data commands add to each)."""
    command = commands.add_parser("import", help=say("import.help"),
                                  description=say("import.help_description"))
    command.add_argument("form_id", metavar="FORM_ID", help=say("data.help.form_id"))
    command.add_argument("file", metavar="FILE.csv", type=Path, help=say("import.help_file"))
    command.add_argument("--batch-place", required=True, metavar="PLACE",
                         help=say("import.help_place"))
    command.add_argument("--batch-date", required=True, metavar="YYYY-MM-DD", type=_day,
                         help=say("import.help_date"))
    command.add_argument("--channel", choices=CHANNELS, default="paper",
                         help=say("import.help_channel"))
    command.add_argument("--language", metavar="LANGUAGE", help=say("import.help_language"))
    return command


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(say("import.not_a_date", text=text)) from None


def run_import(arguments: argparse.Namespace, storage: Storage) -> int:
    """Import ``arguments.file`` into ``storage``; the exit code (problems raise)."""
    form_id, path, channel = arguments.form_id, arguments.file, arguments.channel
    place, collected_on = arguments.batch_place.strip(), arguments.batch_date
    schemas = _stored_versions(storage, form_id)
    newest = schemas[-1]
    manifest = manifest_from_text(newest.manifest, say("import.stored_version",
                                                       version=newest.version, form=form_id))
    _check_batch(place, collected_on, manifest.closes)
    default_language = _language(arguments.language, manifest)
    data = _read(path)
    digest = hashlib.sha256(data).hexdigest()
    known = _batch_of(storage, form_id, digest)
    if known is not None:
        return _already(path, known)
    asked = {question.id for question in manifest.form.fields}
    older = [name for question in merge_versions(form_id, schemas).questions
             if question.id not in asked for name in (question.id, question.label)]
    language = current_language()
    with speaking(language):  # read the environment once, not at each of the file's messages
        read = read_answers(data, manifest, catalogue(language), older)
    if read.problems:
        lines = [say_count("import.problems", len(read.problems), file=path)]
        for problem in read.problems:
            where = (say("import.at_cell", row=problem.row, column=problem.column)
                     if problem.row and problem.column is not None
                     else say("import.at_row", row=problem.row) if problem.row
                     else say("import.at_file"))
            lines.append(f"  {say('import.problem', where=where, what=problem.what)}\n"
                         f"      {say('problem.how_to_fix', fix=problem.fix)}")
        raise CannotImportError("\n".join(lines))
    if not read.sheets:
        raise CannotImportError(say("import.no_rows", file=path) + "\n    "
                            + say("problem.how_to_fix", fix=say("import.no_rows_fix")))
    now = datetime.now(UTC)
    by = f"{IMPORTED_BY}{path.name}"
    answers = [NewAnswer(form_id=form_id, form_version=manifest.version, values=sheet.values,
                         channel=channel, received_at=now, expires_at=expiry(manifest, now),
                         fingerprint=fingerprint(manifest, sheet.values), client=None,
                         entered_by=by, marks=sheet.marks,
                         language=sheet.language or default_language)
               for sheet in read.sheets]
    languages = {answer.language for answer in answers}
    batch, created = storage.import_batch(
        NewBatch(form_id=form_id, place=place, collected_on=collected_on,
                 sheets_counted=len(answers), created_by=by, created_at=now,
                 source_digest=digest,
                 language=languages.pop() if len(languages) == 1 else None), answers)
    if not created:  # another import of the same file won the race
        return _already(path, batch)
    print(say_count("import.imported", len(answers), batch=batch.id, place=batch.place,
                    date=batch.collected_on.isoformat()))
    if read.empty_rows:
        print(say_count("import.empty_rows", read.empty_rows))
    return 0


def _stored_versions(storage: Storage, form_id: str) -> list[FormSchema]:
    """The form's stored versions, oldest first; ``UnknownForm`` for a form the database does
    not know, ``CannotImportError`` when it knows only answers to it (from before parole stored the
    versions)."""
    check_known(storage, form_id)
    schemas = storage.form_schemas(form_id)
    if not schemas:
        raise CannotImportError(say("import.no_version", form=form_id) + "\n    "
                            + say("problem.how_to_fix", fix=say("import.no_version_fix")))
    return schemas


def _language(given: str | None, manifest: Manifest) -> str:
    """``--language``, when it is one of the form's languages (exactly as the manifest writes
    it), else a refusal naming them; the form's own language when not given."""
    if given is None:
        return manifest.language
    languages = manifest.form.languages
    if given.strip() not in languages:
        raise CannotImportError(
            say("import.unknown_language", language=shown(given), form=manifest.form.id)
            + "\n    " + say("problem.how_to_fix", fix=say(
                "import.unknown_language_fix", languages=", ".join(languages))))
    return given.strip()


def _check_batch(place: str, collected_on: date, closes: date | None) -> None:
    if not place:
        raise _refusal("import.no_place")
    if collected_on > build_date():  # PAROLE_BUILD_DATE, as the collector checks dates
        raise _refusal("import.date_to_come", date=collected_on.isoformat())
    if closes is not None and collected_on > closes:
        raise _refusal("import.date_after_closing", date=collected_on.isoformat(),
                       closes=closes.isoformat())


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CannotImportError(say("import.unreadable", file=path,
                                reason=error.strerror or error) + "\n    "
                            + say("problem.how_to_fix", fix=say("import.unreadable_fix"))
                            ) from error


def _batch_of(storage: Storage, form_id: str, digest: str) -> Batch | None:
    """The batch an earlier import of the same file made, if any."""
    return next((progress.batch for progress in storage.batches(form_id)
                 if progress.batch.source_digest == digest), None)


def _already(path: Path, batch: Batch) -> int:
    print(say("import.already", file=path, batch=batch.id, place=batch.place,
              date=batch.collected_on.isoformat(), by=batch.created_by))
    return 0


def _refusal(key: str, **values: str) -> CannotImportError:
    return CannotImportError(say(key, **values) + "\n    "
                         + say("problem.how_to_fix", fix=say(f"{key}_fix")))

