"""The batch page's HTML: a batch's counts and states, its sheets, the coordinator's forms
(close, recount) and its audit trail. ``review`` serves it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from site_builder.calendar import format_date
from site_builder.collector.entry.languages import language_label, shown_batch_language
from site_builder.collector.entry.review_parts import (
    error_summary,
    facts,
    post_form,
    status_line,
    table,
    text,
    text_input,
)
from site_builder.collector.entry.review_words import (
    close_refusal,
    difference,
    state,
    trail,
    when,
)
from site_builder.forms.manifest import Manifest
from site_builder.i18n import Catalogue
from site_builder.storage.entry import SHEET_STATES, BatchProgress, Change, Sheet
from site_builder.storage.receipts import format_receipt

DONE = ("recounted", "closed", "deleted")
"""What a coordinator's action on a batch can report on the page it comes back to."""
RECOUNT_ID = "recount"
"""The stem of the recount form's controls' ids."""


def batch_path(area: str, batch_id: int) -> str:
    return f"{area}/batches/{batch_id}"


def sheet_path(area: str, receipt: str) -> str:
    return f"{area}/sheets/{receipt}"


@dataclass(frozen=True)
class BatchView:
    """What the batch page shows, as read from the database."""

    manifest: Manifest
    progress: BatchProgress
    sheets: Sequence[Sheet]
    changes: Sequence[Change]
    area: str


@dataclass(frozen=True)
class Feedback:
    """What the page says about the request that led to it: an action done, or the errors of
    a form (message by control id, in the page's order) and the values typed in it."""

    done: str | None = None
    errors: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, str] = field(default_factory=dict)


def batch_title(words: Catalogue, view: BatchView) -> str:
    batch = view.progress.batch
    return words("review.batch.title", number=batch.id, place=batch.place)


def batch_main(words: Catalogue, view: BatchView, *, coordinator: bool, csrf_html: str,
               feedback: Feedback) -> str:
    """The inside of ``<main>``: h1, feedback, facts, sheets, actions, trail."""
    progress = view.progress
    batch = progress.batch
    parts = [f"<h1>{escape(batch_title(words, view), quote=False)}</h1>"]
    if feedback.errors:
        parts.append(error_summary(words, "review-errors",
                                   [(message, control or None)
                                    for control, message in feedback.errors.items()]))
    elif feedback.done in DONE:
        parts.append(status_line(words(f"review.done.{feedback.done}")))
    parts.append(facts(_facts(words, view)))
    if batch.closed_at is None:
        entry = f"{batch_path(view.area, batch.id)}/sheet"
        parts.append(f'<p><a href="{escape(entry)}">{text(words, "review.batch.enter")}</a></p>')
    parts.append(_sheets(words, view))
    if batch.closed_at is None:
        parts.append(_actions(words, view, coordinator=coordinator, csrf_html=csrf_html,
                              feedback=feedback))
    parts.append(trail(words, view.changes, view.manifest, sheet_path(view.area, "{receipt}")))
    parts.append(f'<p><a href="{escape(view.area)}/">{text(words, "review.home")}</a></p>')
    return "\n".join(parts)


def _facts(words: Catalogue, view: BatchView) -> list[tuple[str, str]]:
    progress = view.progress
    batch = progress.batch
    rows = [
        (words("review.batch.form"), escape(view.manifest.form.title, quote=False)),
        *((words("review.batch.language"), language_label(language))
          for language in filter(None, [shown_batch_language(batch, view.manifest)])),
        (words("review.batch.place"), escape(batch.place, quote=False)),
        (words("review.batch.collected_on"), escape(format_date(batch.collected_on, words))),
        (words("review.batch.opened_by"),
         text(words, "review.batch.by", name=batch.created_by,
              moment=when(words, batch.created_at, view.manifest))),
        (words("review.batch.hand_count"), str(batch.sheets_counted)),
        (words("review.batch.entered"), str(progress.entered)),
        (words("review.batch.counted"), str(progress.counted)),
        (words("review.batch.difference"), escape(difference(words, progress), quote=False)),
    ]
    waiting = [each for each in SHEET_STATES
               if each != "counted" and progress.sheets.get(each, 0)]
    if view.manifest.double_entry or waiting:
        rows.append((words("review.batch.double"), _double_entry(words, progress)))
    if batch.closed_at is None:
        status = text(words, "review.batch.open")
    else:
        status = text(words, "review.batch.closed", name=batch.closed_by or "",
                      moment=when(words, batch.closed_at, view.manifest))
    rows.append((words("review.batch.status"), status))
    return rows


def _double_entry(words: Catalogue, progress: BatchProgress) -> str:
    """Sheets per double-entry state, in words (a list), or that none waits."""
    items = [f"<li>{text(words, 'review.batch.in_state', state=state(words, each), count=count)}"
             "</li>" for each in SHEET_STATES if each != "counted"
             if (count := progress.sheets.get(each, 0))]
    if not items:
        return text(words, "review.batch.none_waiting")
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


def _sheets(words: Catalogue, view: BatchView) -> str:
    heading = f"<h2>{text(words, 'review.sheets.title')}</h2>"
    if not view.sheets:
        return f"{heading}\n<p>{text(words, 'review.sheets.none')}</p>"
    rows = []
    for sheet in view.sheets:
        link = (f'<a href="{escape(sheet_path(view.area, sheet.receipt))}" translate="no">'
                f"{escape(format_receipt(sheet.receipt))}</a>")
        rows.append([str(sheet.number), link, _state_cell(words, view, sheet),
                     typed_by(words, sheet)])
    headers = [words(f"review.sheets.{column}")
               for column in ("number", "receipt", "state", "typed_by")]
    return f"{heading}\n{table(words('review.sheets.title'), headers, rows)}"


def _state_cell(words: Catalogue, view: BatchView, sheet: Sheet) -> str:
    """The sheet's state; a sheet sent back for a third typing also links to that typing,
    which any mediator may do: they reach it from here, without typing an address."""
    shown = escape(state(words, sheet.state))
    if sheet.state != "awaiting_third":
        return shown
    again = f"{sheet_path(view.area, sheet.receipt)}/again"
    return (f'{shown}<br>\n<a href="{escape(again)}">'
            f"{text(words, 'review.sheets.again', number=sheet.number)}</a>")


def typed_by(words: Catalogue, sheet: Sheet) -> str:
    """Who typed the sheet, oldest first; a typing set aside says so."""
    return escape(words.joined(words("review.sheets.set_aside", name=entry.entered_by)
                               if entry.discarded else entry.entered_by
                               for entry in sheet.entries), quote=False)


def _actions(words: Catalogue, view: BatchView, *, coordinator: bool, csrf_html: str,
             feedback: Feedback) -> str:
    """A coordinator's forms: close the batch, count the stack again. Others are told who
    can."""
    if not coordinator:
        return f"<p>{text(words, 'review.coordinators_only')}</p>"
    path = batch_path(view.area, view.progress.batch.id)
    refusal = close_refusal(words, view.progress)
    close_text = text(words, "review.close.explain")
    if refusal:
        close_text += f"</p>\n<p>{escape(refusal, quote=False)}"
    close = post_form(f"{path}/close", csrf_html, f"<p>{close_text}</p>\n",
                      words("review.close.submit"))
    count_id, reason_id = f"{RECOUNT_ID}-count", f"{RECOUNT_ID}-reason"
    recount_fields = (
        text_input(words, count_id, "sheets_counted", words("review.recount.count"),
                   value=feedback.values.get(count_id, ""),
                   error=feedback.errors.get(count_id), number=True, maxlength=6,
                   hint=words("review.recount.hint", count=view.progress.batch.sheets_counted))
        + "\n"
        + text_input(words, reason_id, "reason", words("review.recount.reason"),
                     value=feedback.values.get(reason_id, ""),
                     error=feedback.errors.get(reason_id))
        + "\n")
    recount = post_form(f"{path}/recount", csrf_html, recount_fields,
                        words("review.recount.submit"))
    return (f"<h2>{text(words, 'review.close.title')}</h2>\n{close}\n"
            f"<h2>{text(words, 'review.recount.title')}</h2>\n{recount}")
