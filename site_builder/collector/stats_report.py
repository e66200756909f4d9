"""``parole stats``'s plain text report of the counts ``stats`` takes: one block per form, words
left-aligned and numbers right-aligned in columns, in the organizer's language.

A form that took paper sheets gets two more tables, made to reconcile the counts: its batches
(place, date collected, sheets counted by hand, sheets entered, the difference, where the sheets
stand, closed or open), with a line for each batch whose counts differ saying by how much; and
every question's blank and spoiled count, apart from its options'.
"""

from __future__ import annotations

from collections.abc import Sequence

from site_builder.collector.stats import FormStats, OptionCount
from site_builder.messages import say, say_count
from site_builder.storage.entry import BatchProgress

WAITING_STATES = ("awaiting_second", "differs", "awaiting_third")
"""The sheet states that keep a batch from closing, in the order the report names them."""

Row = Sequence[str | int]


def stats_text(stats: FormStats | Sequence[FormStats]) -> str:
    """A plain text report for the terminal, one block per form, numbers right-aligned."""
    forms = [stats] if isinstance(stats, FormStats) else list(stats)
    if not forms:
        return say("stats.empty") + "\n"
    return "\n".join(_form_text(form) for form in forms)


def _form_text(stats: FormStats) -> str:
    heading = (say("stats.form_titled", form=stats.form_id, title=stats.title) if stats.title
               else say("stats.form", form=stats.form_id))
    lines = [heading, *_table(
        [(say("stats.answers"), stats.answers), (say("stats.quarantined"), stats.quarantined)],
        indent=2)]
    lines += ["", "  " + say("stats.per_day"), *_table(
        [(day.isoformat(), count) for day, count in stats.per_day.items()])]
    lines += ["", "  " + say("stats.per_channel"), *_table(list(stats.per_channel.items()))]
    lines += ["", "  " + say("stats.per_language"), *_table(list(stats.per_language.items()))]
    if stats.batches:
        lines += ["", "  " + say("stats.batches"), *_batches_text(stats.batches)]
    for question in stats.questions:
        line = say("stats.question", field=question.field_id, type=question.type,
                   label=question.label)
        lines += ["", f"  {line}", *_table(
            [(option.value, _label_text(option), option.count) for option in question.options])]
    if stats.paper:
        header = [say("stats.marks.question"), say("stats.marks.blank"),
                  say("stats.marks.spoiled")]
        lines += ["", "  " + say("stats.marks"), *_table(
            [(marks.field_id, marks.blank, marks.spoiled) for marks in stats.marks],
            header=header)]
    return "\n".join(lines) + "\n"


def _batches_text(batches: Sequence[BatchProgress]) -> list[str]:
    header = [say(f"stats.batch.{name}") for name in
              ("number", "place", "collected", "by_hand", "entered", "difference", "state")]
    rows = [(progress.batch.id, progress.batch.place, progress.batch.collected_on.isoformat(),
             progress.batch.sheets_counted, progress.entered, progress.difference,
             _batch_state(progress)) for progress in batches]
    lines = _table(rows, header=header)
    for progress in batches:
        if progress.difference:
            key = "stats.batch.missing" if progress.difference > 0 else "stats.batch.extra"
            lines.append("    " + say_count(key, abs(progress.difference),
                                            number=progress.batch.id,
                                            place=progress.batch.place))
    return lines


def _batch_state(progress: BatchProgress) -> str:
    """``closed``; or ``open``, then the sheets that keep it open, or that it is ready to
    close."""
    if progress.batch.closed_at is not None:
        return say("stats.batch.closed")
    waiting = [say_count(f"stats.batch.sheets.{state}", progress.sheets[state])
               for state in WAITING_STATES if progress.sheets.get(state)]
    if waiting:
        return say("stats.batch.open_waiting", waiting=", ".join(waiting))
    if progress.complete:
        return say("stats.batch.ready")
    return say("stats.batch.open")


def _label_text(option: OptionCount) -> str:
    if option.label is None:
        return say("stats.no_longer_offered")
    return "" if option.label == option.value else option.label


def _table(rows: Sequence[Row], *, indent: int = 4, header: Sequence[str] = ()) -> list[str]:
    """Rows of words and counts in columns: words left-aligned, counts right-aligned (and
    their heading with them)."""
    if not rows:
        return [" " * indent + say("stats.none")]
    numeric = [isinstance(cell, int) for cell in rows[0]]
    every = [*([header] if header else []), *rows]
    widths = [max(len(str(row[column])) for row in every) for column in range(len(rows[0]))]
    return [
        (" " * indent + "  ".join(
            f"{cell:>{width}}" if right else f"{cell:<{width}}"
            for cell, width, right in zip(row, widths, numeric, strict=True)
        )).rstrip()
        for row in every
    ]
