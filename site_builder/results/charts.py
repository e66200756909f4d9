"""parole's own small SVG charts (issue #16): horizontal bars and a day-by-day line.

Why our own renderer rather than a library: ``bench/results/charts.md`` measured pygal and
matplotlib on the same two charts: three to twelve times the gzipped bytes, colours of their own,
ids that two charts on a page share or that change every build, a script (pygal), 1 MB (pygal)
or 160 MB (matplotlib and numpy) installed, and neither marks a chart ``aria-hidden`` beside
its table. A results page needs two shapes, which this module draws in some 150 lines.

What every chart promises (the results page puts it, in ``inert``'s ``<div>``, in a
``<figure>`` whose table, in a ``<details>``, is the accessible version):

- ``aria-hidden="true" focusable="false"``: screen readers read the table, not the drawing;
- its colour is ``currentColor`` only, written on the chart itself, so it follows the page's
  text colour (dark mode, and black on white in print) even under a stylesheet that knows
  nothing of charts (the low-data edition's); no colour carries meaning: direct labels do;
- no width of its own (theme/assets/parole.css sizes ``.p-chart``), a ``viewBox`` so it
  scales, and text that wraps onto more lines rather than being cut, so it reads at 320 px;
- ``direction="ltr"``: its coordinates run left to right, so on a right-to-left page its text
  is still anchored where it is drawn (the labels themselves keep their own direction);
- no script, no id, no external reference: several charts may share a page, and the page
  budget (14 KiB) pays for every byte, so coordinates have one decimal at most.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from ..i18n import Catalogue

WIDTH = 300
"""The ``viewBox`` width. parole.css shows a chart at most 24rem (384 px) wide, so 14 units of
text are 18 px at most and about 13 px on a 320 px phone (288 px of content)."""
FONT = 14
LINE = 17
"""Distance between two lines of a wrapped label."""
CHAR = 8.5
"""A character's width, estimated high (DejaVu Sans, a common system font, has 8.9-unit digits
at 14): the room the day chart's y labels need."""
BOLD_CHAR = 10
"""The same in bold (DejaVu Sans Bold: 9.7-unit digits): the room the text after a bar needs."""
LABEL_BUDGET = 32
"""Characters per label line: a longer label wraps at its spaces, a longer word is split.
In DejaVu Sans (wide; Linux's usual system font) 32 French characters take about 285 of the
300 units (tests/test_charts_browser.py measures every golden chart's text in Chromium)."""
BAR = 14
GAP = 10
"""Space under each bar, before the next label."""
DAY_PLOT = 110
"""Height of the day chart's plot area, between its maximum and its baseline."""
X_LABELS = 4
"""Day labels under the day chart at most: first day, last day, two between."""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="p-chart" \
aria-hidden="true" focusable="false" fill="currentColor" font-size="{font}" direction="ltr">'
_BREAK = re.compile(r"[ \t\r\n]+")
"""Where a label may wrap: ordinary spaces only, never the no-break spaces of French
typography ("45\u00a0%", "«\u00a0oui\u00a0»")."""


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: its ``label`` (written above the bar), its ``value`` (None when
    the count is protected: no bar is drawn), and ``text``, written in bold right after the
    bar's end ("45 % (120)"), or where the bar would start ("moins de 5", "masqué")."""

    label: str
    value: int | None
    text: str


@dataclass(frozen=True)
class DayValue:
    """One day of the consultation and its count; None when the count is protected (no value
    is invented: the line breaks there)."""

    day: date
    value: int | None


def bar_chart(bars: Sequence[Bar]) -> str:
    """Horizontal bars, one per row, each label above its bar, lengths proportional to the
    values (the largest value spans the room the texts leave); no bar, or only zeros and
    protected counts, gives a chart without a bar."""
    largest = max((bar.value for bar in bars if bar.value), default=0)
    room = _bar_room(bars)
    parts, figures, y = [], [], 0
    for bar in bars:
        lines = wrap(bar.label)
        for line in lines:
            y += LINE
            parts.append(f'<text y="{y - 3}">{escape(line)}</text>')
        top = y + 1
        end = 0.0
        if bar.value and largest:
            end = round(room * bar.value / largest, 1)
            parts.append(f'<rect y="{top}" width="{_n(end)}" height="{BAR}"/>')
        x = f' x="{_n(end + 4)}"' if end else ""
        figures.append(f'<text{x} y="{top + 11}">{escape(bar.text)}</text>')
        y = top + BAR + GAP
    if figures:  # in bold: "moins de 5" under a label must not read as the label's end
        parts.append(f'<g font-weight="bold">{"".join(figures)}</g>')
    return _svg(max(y - GAP, 1), parts)


def day_chart(days: Sequence[DayValue], *, catalogue: Catalogue) -> str:
    """The count of each day as a line over the consultation: the y axis says 0 and the
    maximum, the x axis the first and last days and a few between, in the page's language
    (``date.short``). A protected day breaks the line and is marked by a hollow ring resting on
    the baseline; a day alone between two protected ones is a dot."""
    if not days:
        return _svg(1, [])
    days = sorted(days, key=lambda item: item.day)
    first, last = days[0].day, days[-1].day
    span = (last - first).days
    highest = max((item.value for item in days if item.value is not None), default=0)
    top, bottom = 8, 8 + DAY_PLOT
    left = len(_count(highest, catalogue)) * CHAR + 6
    plot = WIDTH - left - 4

    def x(day: date) -> float:
        return left + plot / 2 if span == 0 else left + plot * (day - first).days / span

    def y(value: int) -> float:
        return bottom - DAY_PLOT * value / highest if highest else bottom

    parts = [f'<text x="{_n(left - 5)}" y="{bottom + 5}" text-anchor="end">0</text>']
    if highest:
        parts.append(f'<text x="{_n(left - 5)}" y="{top + 5}" text-anchor="end">'
                     f"{escape(_count(highest, catalogue))}</text>")
    labelled = _labelled(len(days))
    ticks = "".join(f"M{_n(x(days[index].day))} {bottom}v4" for index in labelled)
    parts.append(f'<path d="M{_n(left)} {bottom}H{WIDTH - 4}{ticks}" fill="none" '
                 'stroke="currentColor"/>')
    line, dots = _line(days, x, y)
    if line:
        parts.append(f'<path d="{line}" fill="none" stroke="currentColor" stroke-width="2" '
                     'stroke-linejoin="round"/>')
    parts += [f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="3"/>' for cx, cy in dots]
    gaps = [f'<circle cx="{_n(x(item.day))}" cy="{bottom - 3}" r="2.5"/>'
            for item in days if item.value is None]
    if gaps:
        parts.append(f'<g fill="none" stroke="currentColor">{"".join(gaps)}</g>')
    for index in labelled:
        anchor = ("middle" if len(labelled) == 1 or 0 < index < len(days) - 1
                  else "" if index == 0 else "end")  # start, the default, is not written
        position = WIDTH - 4 if anchor == "end" else x(days[index].day)
        anchored = f' text-anchor="{anchor}"' if anchor else ""
        parts.append(f'<text x="{_n(position)}" y="{bottom + 19}"{anchored}>'
                     f"{escape(short_date(days[index].day, catalogue))}</text>")
    return _svg(bottom + 23, parts)


def inert(svg: str) -> str:
    """A chart as a page holds it: inside ``<div inert>``.

    axe-core cannot tell the contrast of text drawn in an SVG (dequelabs/axe-core#1819: any
    text over an ``<svg>`` is "needs review"), and pa11y, as parole runs it, counts that as an
    error. ``inert`` (allowed on an HTML element, not on ``<svg>``: the Nu checker refuses it
    there) takes the drawing out of that rule, and out of the accessibility tree and the tab
    order, where ``aria-hidden`` and ``focusable`` already keep it. The contrast is checked
    instead by tests/test_charts_browser.py: a chart's ink is the page's text colour, on the
    page's background, which tests/test_theme.py holds to 4.5:1."""
    return f"<div inert>{svg}</div>"


def short_date(day: date, catalogue: Catalogue) -> str:
    """The day as a chart's axis says it ("1er janv.", "Jan 1"), from the catalogue's
    ``date.short`` and ``date.short_month.*`` strings, as ``calendar.format_date`` does."""
    number = catalogue("date.first_day") if day.day == 1 else str(day.day)
    return catalogue("date.short", day=number,
                     month=catalogue(f"date.short_month.{day.month}"))


def wrap(label: str, budget: int = LABEL_BUDGET) -> list[str]:
    """``label`` on lines of at most ``budget`` characters, broken at its spaces; a word longer
    than a line is split, since a chart must never cut a label short. Always one line or more."""
    lines: list[str] = []
    current = ""
    for whole in _BREAK.split(label.strip()):
        word = whole
        while len(word) > budget:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:budget])
            word = word[budget:]
        if current and len(current) + 1 + len(word) > budget:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return lines


def escape(text: str) -> str:
    """``text`` safe inside an SVG (XML) element: ``&``, ``<`` and ``>`` as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _bar_room(bars: Sequence[Bar]) -> float:
    """How long the largest bar may be: the width, less the longest text written after a bar
    (4 units apart), but never less than half the width."""
    longest = max((len(bar.text) for bar in bars if bar.value), default=0)
    return max(WIDTH - longest * BOLD_CHAR - 4, WIDTH / 2)


def _line(days: Sequence[DayValue], x: Callable[[date], float],
          y: Callable[[int], float]) -> tuple[str, list[tuple[float, float]]]:
    """The path through each run of days with a value (``M`` starts a run after a gap; the
    points after it are implicit line-tos), and
    the days that stand alone, drawn as dots since a one-point path shows nothing."""
    runs: list[list[tuple[float, float]]] = [[]]
    for item in days:
        if item.value is None:
            runs.append([])
        else:
            runs[-1].append((x(item.day), y(item.value)))
    path = "".join("M" + " ".join(f"{_n(px)} {_n(py)}" for px, py in run)
                   for run in runs if len(run) > 1)
    return path, [run[0] for run in runs if len(run) == 1]


def _labelled(count: int) -> list[int]:
    """Indices of the days the x axis names: the first, the last and evenly spaced ones."""
    shown = min(count, X_LABELS)
    if shown == 1:
        return [0]
    return sorted({round(step * (count - 1) / (shown - 1)) for step in range(shown)})


def _count(value: int, catalogue: Catalogue) -> str:
    """A count with its thousands grouped as the page's language does ("1 234", "1,234")."""
    return f"{value:,}".replace(",", catalogue("chart.thousands"))


def _svg(height: int | float, parts: list[str]) -> str:
    return SVG.format(width=WIDTH, height=_n(height), font=FONT) + "".join(parts) + "</svg>"


def _n(value: float) -> str:
    """A coordinate with one decimal at most, and none when it is whole."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
