"""The figures of a results page: participation (per channel, per day) and one per closed
question. Every figure has the same shape (DESIGN16.md), so that a reader who met one knows
them all:

    <figure id=…>
      <figcaption><strong>title</strong> one sentence of what it shows</figcaption>
      <div inert><svg aria-hidden="true" …>   the chart, with its own direct labels
                                          (``charts.inert``: axe cannot read SVG text)
      <details><summary>Voir les chiffres (tableau)</summary>
        <table> caption, <th scope> …     the accessible version, every number in it
      </details>
    </figure>

The chart is for the eye (and prints, black on white, with its numbers written beside each
bar); the table is what screen readers read. Counts come already protected from the results
file: a protected count is written "moins de 5" or "masqué", has no percentage and no bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape as _escape

from site_builder.calendar import format_date
from site_builder.i18n import Catalogue
from site_builder.results import anchors
from site_builder.results.charts import Bar, DayValue, bar_chart, day_chart, inert
from site_builder.results.file import QuestionResult, ResultsFile
from site_builder.results.protect import SMALL, Count, shown_number
from site_builder.results.words import answers_text, count_text, listed, percent, with_percent
from site_builder.storage.base import CHANNELS

PER_CHANNEL = "participation-canaux"
PER_DAY = "participation-jours"


def escape(text: str) -> str:
    """``text`` safe in an element's content or a double-quoted attribute (``'`` is left as
    it is: French text is full of them, and each entity costs bytes of the page budget)."""
    return _escape(text, quote=False).replace('"', "&quot;")


@dataclass(frozen=True)
class Row:
    """One line of a figure: what it counts, and how many."""

    label: str
    count: Count


def figure(anchor: str, title: str, *, summary: str, chart: str, data: str,
           catalogue: Catalogue) -> str:
    """One figure, as every figure of the page is made (see the module's docstring)."""
    return (f'<figure id="{escape(anchor)}" class="p-figure">\n'
            f"<figcaption><strong>{escape(title)}</strong><br>{escape(summary)}</figcaption>\n"
            f"{inert(chart)}\n"
            f"<details><summary>{escape(catalogue('results.page.table'))}</summary>\n"
            f"{data}\n</details>\n</figure>")


def table(caption: str, columns: Sequence[str], rows: Sequence[Sequence[str]], *,
          hidden_caption: bool = False) -> str:
    """A table with its caption, column headers and a row header starting each row. In a
    figure the caption repeats the figure's title just above it: screen readers still read it
    (a table is reached on its own), eyes need not read it twice."""
    head = "".join(f'<th scope="col">{escape(column)}</th>' for column in columns)
    body = "\n".join(
        f'<tr><th scope="row">{escape(row[0])}</th>'
        + "".join(f"<td>{escape(cell)}</td>" for cell in row[1:]) + "</tr>"
        for row in rows)
    hidden = ' class="p-visually-hidden"' if hidden_caption else ""
    return (f"<table><caption{hidden}>{escape(caption)}</caption>\n"
            f"<thead><tr>{head}</tr></thead>\n"
            f"<tbody>\n{body}\n</tbody></table>")


def counted_figure(anchor: str, title: str, *, summary: str, rows: Sequence[Row],
                   results: ResultsFile, catalogue: Catalogue, first_column: str) -> str:
    """Bars and a table of ``rows``, each with its share of every answer."""
    total, min_count = results.answers, results.min_count
    bars = [Bar(row.label, shown_number(row.count),
                with_percent(row.count, total, catalogue, min_count)) for row in rows]
    cells = [(row.label, count_text(row.count, catalogue, min_count),
              percent(row.count, total, catalogue)) for row in rows]
    columns = (first_column, catalogue("results.page.column.count"),
               catalogue("results.page.column.percent"))
    return figure(anchor, title, summary=summary, chart=bar_chart(bars),
                  data=table(title, columns, cells, hidden_caption=True), catalogue=catalogue)


# --- participation -----------------------------------------------------------------------------

def channel_name(channel: str, catalogue: Catalogue) -> str:
    """"En ligne", "Sur papier", "Avec un médiateur"; another channel by its stored name."""
    return catalogue(f"results.page.channel.{channel}") if channel in CHANNELS else channel


def per_channel_figure(results: ResultsFile, catalogue: Catalogue) -> str:
    rows = [Row(channel_name(channel, catalogue), count)
            for channel, count in results.per_channel.items()]
    return counted_figure(PER_CHANNEL, catalogue("results.page.per_channel.title"),
                          summary=catalogue("results.page.per_channel.summary"), rows=rows,
                          results=results, catalogue=catalogue,
                          first_column=catalogue("results.page.column.channel"))


def per_day_figure(results: ResultsFile, catalogue: Catalogue) -> str:
    """The answers of each day as a line (days without answers included), and the table."""
    days = sorted(results.per_day.items())
    title = catalogue("results.page.per_day.title")
    chart = day_chart([DayValue(day, shown_number(count)) for day, count in days],
                      catalogue=catalogue)
    rows = [(format_date(day, catalogue), count_text(count, catalogue, results.min_count))
            for day, count in days]
    columns = (catalogue("results.page.column.day"), catalogue("results.page.column.answers"))
    return figure(PER_DAY, title, summary=_per_day_summary(results, catalogue), chart=chart,
                  data=table(title, columns, rows, hidden_caption=True), catalogue=catalogue)


def _per_day_summary(results: ResultsFile, catalogue: Catalogue) -> str:
    """"Du lundi 4 janvier au dimanche 28 février 2027. Le jour le plus actif : …"."""
    days = sorted(results.per_day)
    if not days:
        return catalogue("results.page.per_day.none")
    span = catalogue("results.page.per_day.span", first=format_date(days[0], catalogue),
                     last=format_date(days[-1], catalogue))
    shown = [(count, day) for day, count in results.per_day.items() if isinstance(count, int)]
    best = max((count for count, _ in shown), default=0)
    if not best:
        return span
    busiest = [format_date(day, catalogue) for count, day in sorted(shown, key=lambda x: x[1])
               if count == best]
    return catalogue("results.page.per_day.busiest", span=span, days=listed(busiest, catalogue),
                     answers=answers_text(best, catalogue))


# --- closed questions --------------------------------------------------------------------------

def question_rows(question: QuestionResult, results: ResultsFile,
                  catalogue: Catalogue) -> list[Row]:
    """Every option in form order, then the answers that chose none: left out ("Sans
    réponse"), left blank on paper, and spoiled on paper ("Illisible ou nul")."""
    rows = [Row(option.label if option.label is not None
                else catalogue("results.page.old_option", value=option.value), option.count)
            for option in question.options]
    rows.append(Row(catalogue("results.page.skipped"), question.skipped))
    if paper_marks_shown(question, results):
        rows += [Row(catalogue("results.page.blank"), question.blank),
                 Row(catalogue("results.page.spoiled"), question.spoiled)]
    return rows


def paper_marks_shown(question: QuestionResult, results: ResultsFile) -> bool:
    """Whether the paper rows ("case vide", "Illisible ou nul") are worth a line: not when no
    paper answer can be seen (no paper channel, or fewer than ``min_count``) and both rows would
    say "0" or "moins de 5" anyway, as on a consultation without paper."""
    nothing = (0, SMALL)
    return not (results.per_channel.get("paper", 0) in nothing
                and question.blank in nothing and question.spoiled in nothing)


def question_figure(question: QuestionResult, results: ResultsFile,
                    catalogue: Catalogue) -> str:
    rows = question_rows(question, results, catalogue)
    summary = _question_summary(rows[:len(question.options)], results, catalogue)
    if question.multiple:
        summary += " " + catalogue("results.page.multiple")
    return counted_figure(anchors.question_anchor(question.id), question.label,
                          summary=summary, rows=rows, results=results, catalogue=catalogue,
                          first_column=catalogue("results.page.column.answer"))


def _question_summary(options: Sequence[Row], results: ResultsFile,
                      catalogue: Catalogue) -> str:
    """"Le plus choisi : X (45 %)." — from the shown counts only: nothing is said of a
    protected count, not even that it is the largest."""
    if results.answers == 0:
        return catalogue("results.page.top.no_answer")
    shown = [(row.count, row.label) for row in options
             if isinstance(row.count, int) and row.count > 0]
    best = max((count for count, _ in shown), default=0)
    if not best:
        return catalogue("results.page.top.none")
    top = [label for count, label in shown if count == best]
    share = percent(best, results.answers, catalogue)
    quoted = [catalogue("results.page.quoted", text=label) for label in top]
    return catalogue.count("results.page.top", len(top), options=listed(quoted, catalogue),
                           percent=share)
