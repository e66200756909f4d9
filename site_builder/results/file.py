"""The results file: one form's results as ``parole results`` writes them into the docs folder
(``<docs>/parole-results/<form id>.json``) and ``parole build`` reads them back.

It holds aggregates only, already protected (``protect``): counts per channel, per day, per
option of every closed question, the moderation figures of every free-text question, and the
quotes a moderator approved from answers whose author agreed to be quoted; and the answer log's
checkpoint they were counted from. No receipt code, no email, no other free text. The format is
documented in docs/results.md.

What it holds is in ``model``, how it is read back (strictly: a file that is not what ``parole
results`` writes is refused with its path, the key at fault and what to do) in
``file_reading``; this module writes it, and is where the rest of parole imports all three from.
"""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path
from typing import Any

from site_builder.results.file_reading import load_results_folder, read_results
from site_builder.results.labels import words_data
from site_builder.results.model import (
    COUNTED_TYPES,
    FOLDER,
    FORMAT,
    FREE_TEXT_TYPES,
    READABLE_FORMATS,
    CountedCheckpoint,
    FreeTextResult,
    OptionResult,
    QuestionResult,
    Quote,
    ResultsFile,
    results_path,
)
from site_builder.safe_files import replace_file

__all__ = [
    "COUNTED_TYPES", "FOLDER", "FORMAT", "FREE_TEXT_TYPES", "READABLE_FORMATS",
    "CountedCheckpoint", "FreeTextResult", "OptionResult", "QuestionResult", "Quote",
    "ResultsFile", "checkpoint_data", "load_results_folder", "read_results", "results_data",
    "results_path", "write_results",
]


# --- writing -----------------------------------------------------------------------------------

def results_data(results: ResultsFile) -> dict[str, Any]:
    """The file's JSON-ready data, keys in the documented order."""
    return {
        "format": FORMAT,
        "form": results.form_id,
        "title": results.title,
        "computed_at": results.computed_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "checkpoint": checkpoint_data(results.checkpoint),
        "min_count": results.min_count,
        "answers": results.answers,
        "per_channel": dict(results.per_channel),
        "per_day": {day.isoformat(): count for day, count in results.per_day.items()},
        "questions": [
            {"id": question.id, "label": question.label, "type": question.type,
             "options": [{"value": option.value, "label": option.label, "count": option.count}
                         for option in question.options],
             "skipped": question.skipped, "blank": question.blank, "spoiled": question.spoiled}
            for question in results.questions
        ],
        "free_text": [
            {"id": text.id, "label": text.label, "answered": text.answered,
             "consented": text.consented, "not_consented": text.not_consented,
             "approved": text.approved, "rejected": dict(text.rejected),
             "to_moderate": text.to_moderate}
            for text in results.free_text
        ],
        "quotes": [{"question": quote.question, "text": quote.text, "theme": quote.theme}
                   for quote in results.quotes],
        "publish_consent": results.publish_consent,
        "closes": results.closes.isoformat() if results.closes else None,
        **({"translations": words_data(results.translations)} if results.translations else {}),
    }


def write_results(results: ResultsFile, docs_dir: Path) -> Path:
    """Write ``results`` beside the other results files, replacing the form's last one at once:
    a build reading meanwhile, a crash or a power cut leave the old file or the new one, never
    half of one (``safe_files.replace_file``: the partial name starts with a dot, which MkDocs
    never publishes, and does not end in ``.json``, which the build never reads)."""
    path = results_path(docs_dir, results.form_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, json.dumps(results_data(results), ensure_ascii=False, indent=2) + "\n")
    return path


def checkpoint_data(checkpoint: CountedCheckpoint | None) -> dict[str, Any] | None:
    if checkpoint is None:
        return None
    return {"origin": checkpoint.origin, "size": checkpoint.size, "root": checkpoint.root.hex()}
