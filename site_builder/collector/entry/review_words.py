"""How the review pages say things: a batch's difference and states in words, a sheet's
answers question by question (marks as "vide" / "illisible ou nul"), and the audit trail.

Values are shown in full, unmasked (unlike the citizen's receipt): a coordinator compares them
with the paper sheet in their hands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from site_builder.calendar import format_date
from site_builder.collector.entry.review_parts import table, text
from site_builder.collector.receipt import option_label
from site_builder.forms.manifest import Manifest
from site_builder.forms.model import Field
from site_builder.i18n import Catalogue
from site_builder.storage.base import Marks, Values
from site_builder.storage.entry import BatchProgress, Change
from site_builder.storage.receipts import format_receipt
from site_builder.time_zones import time_zone


@dataclass(frozen=True)
class Question:
    """A question as the review pages show it: its id, its label (HTML from the build), and
    the form's field when the current form still has it."""

    id: str
    label_html: str
    field: Field | None


def questions(manifest: Manifest, *answers: tuple[Values, Marks]) -> list[Question]:
    """The form's questions in order, then any question an answer holds that the form no
    longer has (under its id)."""
    listed = [Question(field.id, field.label_html, field) for field in manifest.form.fields]
    known = {question.id for question in listed}
    for values, marks in answers:
        for field_id in [*values, *marks]:
            if field_id not in known:
                known.add(field_id)
                listed.append(Question(field_id, escape(field_id), None))
    return listed


def shown_answer(words: Catalogue, question: Question, values: Values, marks: Marks) -> str:
    """One question's answer as HTML: its mark in words, the options' labels, the text typed
    (line breaks kept), or "Pas de réponse"."""
    mark = marks.get(question.id)
    if mark is not None:
        return f"<em>{text(words, f'review.mark.{mark}')}</em>"
    given = [value for value in values.get(question.id, []) if value.strip()]
    if not given:
        return text(words, "collector.receipt.no_answer")
    field = question.field
    shown = [option_label(field, value) if field else value for value in given]
    return "<br>\n".join("<br>\n".join(escape(line, quote=False) for line in value.split("\n"))
                         for value in shown)


def plain_answer(words: Catalogue, question: Question, values: Values, marks: Marks) -> str:
    """One question's answer as plain text, for the audit trail and the radios' labels."""
    mark = marks.get(question.id)
    if mark is not None:
        return words(f"review.mark.{mark}")
    given = [value for value in values.get(question.id, []) if value.strip()]
    if not given:
        return words("collector.receipt.no_answer")
    field = question.field
    return " ; ".join(option_label(field, value) if field else value for value in given)


def difference(words: Catalogue, progress: BatchProgress) -> str:
    """Hand count against sheets entered, in words: "2 feuilles manquantes"."""
    missing = progress.difference
    if missing == 0:
        return words("review.difference.none")
    count = abs(missing)
    kind = "missing" if missing > 0 else "extra"
    return words.count(f"review.difference.{kind}", count)


def close_refusal(words: Catalogue, progress: BatchProgress) -> str | None:
    """Why the batch cannot be closed yet, in words; None when it can."""
    if progress.difference > 0:
        return words("review.close.missing", difference=difference(words, progress))
    if progress.difference < 0:
        return words("review.close.extra", difference=difference(words, progress))
    waiting = progress.entered - progress.counted
    if waiting:
        return words.count("review.close.waiting", waiting)
    return None


def state(words: Catalogue, sheet_state: str) -> str:
    return words(f"review.state.{sheet_state}")


def when(words: Catalogue, moment: datetime, manifest: Manifest) -> str:
    """A moment of the trail, as the consultation's clocks say it (its ``time_zone``, as in
    the exports): the day in words and the time, ``samedi 9 janvier 2027, 10:30``."""
    zone = time_zone(manifest.time_zone)
    local = moment.astimezone(zone) if zone else moment
    return f"{format_date(local.date(), words)}, {local:%H:%M}" + ("" if zone else " UTC")


def trail(words: Catalogue, changes: Sequence[Change], manifest: Manifest,
          sheet_path: str | None = None) -> str:
    """The audit trail as a table (or a sentence when there is none): when, who, what, and
    why; what a correction or a decision changed, question by question. ``sheet_path`` links
    each sheet's receipt code to its page (``{receipt}`` in it)."""
    heading = f"<h2>{text(words, 'review.trail.title')}</h2>"
    if not changes:
        return f"{heading}\n<p>{text(words, 'review.trail.none')}</p>"
    rows = []
    for change in changes:
        what = text(words, f"review.action.{change.action}")
        if change.receipt:
            code = escape(format_receipt(change.receipt))
            shown = (f'<a href="{escape(sheet_path.format(receipt=change.receipt))}">{code}</a>'
                     if sheet_path and change.action != "deleted" else code)
            what += f" ({text(words, 'review.trail.sheet')} {shown})"
        what += _changed(words, change, manifest)
        rows.append([escape(when(words, change.changed_at, manifest)),
                     escape(change.changed_by), what, escape(change.reason)])
    headers = [words(f"review.trail.{column}") for column in ("when", "who", "what", "reason")]
    return f"{heading}\n{table(words('review.trail.title'), headers, rows)}"


def _changed(words: Catalogue, change: Change, manifest: Manifest) -> str:
    """What a change did, as a list: a recount's two numbers, a sheet's questions whose answer
    changed (old → new). A deletion keeps nothing to show."""
    before, after = change.before or {}, change.after or {}
    if change.action == "recounted":
        return "<br>\n" + text(words, "review.trail.recount", before=before.get("sheets_counted"),
                               after=after.get("sheets_counted"))
    if "values" not in before or "values" not in after:
        return ""
    old = (_values(before.get("values")), _marks(before.get("marks")))
    new = (_values(after.get("values")), _marks(after.get("marks")))
    lines = []
    for question in questions(manifest, old, new):
        was, now = plain_answer(words, question, *old), plain_answer(words, question, *new)
        if was != now:
            label = question.field.label if question.field else question.id
            lines.append("<li>" + text(words, "review.trail.changed", question=label,
                                       before=was, after=now) + "</li>")
    return "\n<ul>\n" + "\n".join(lines) + "\n</ul>" if lines else ""


def _values(found: object) -> Values:
    """The values out of a change's JSON (anything else: none)."""
    if not isinstance(found, dict):
        return {}
    return {str(key): [str(value) for value in given]
            for key, given in found.items() if isinstance(given, list)}


def _marks(found: object) -> Marks:
    if not isinstance(found, dict):
        return {}
    return {str(key): mark for key, mark in found.items() if isinstance(mark, str)}
