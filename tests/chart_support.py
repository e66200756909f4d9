"""The charts every chart test draws (tests/test_charts.py compares them with their goldens,
tests/test_charts_browser.py shows the goldens in Chromium and pa11y), and a page holding them.

Each case keeps the data it draws, so a page can put the chart's table beside it, as the
results page does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from site_builder.i18n import Catalogue
from site_builder.results.charts import Bar, DayValue, bar_chart, day_chart, inert
from tests.support import GOLDENS, REPO

CHARTS = GOLDENS / "charts"
FR, EN, AR = (Catalogue.for_language(language) for language in ("fr", "en", "ar"))
NNBSP = "\u202f"


def percent(value: int, total: int) -> str:
    return f"{round(100 * value / total)}\u00a0% ({value})"


FIVE = (
    Bar("Oui, tout à fait", 120, percent(120, 266)),
    Bar("Plutôt oui", 80, percent(80, 266)),
    Bar("Plutôt non", 39, percent(39, 266)),
    Bar("Pas du tout", None, "moins de 5"),
    Bar("Sans réponse", 27, percent(27, 266)),
)
"""A closed question as the results page draws it: four options, one protected."""

LONG_LABELS = (
    "Aménager des jeux pour les enfants de moins de six ans près de la fontaine",
    "Planter des arbres d\u2019essences locales & résistantes à la sécheresse",
    "Des bancs <à l\u2019ombre> pour les personnes âgées",
    "Anticonstitutionnellementanticonstitutionnellement",
    "Une piste cyclable séparée des voitures",
)


def forty() -> tuple[Bar, ...]:
    """A question with 40 options, long French labels among them (one word longer than a
    line, markup-looking text), small counts protected and one count hidden."""
    bars = []
    for index in range(40):
        label = f"{LONG_LABELS[index % len(LONG_LABELS)]} ({index + 1})"
        value = (index * 37) % 90
        if value < 5:
            bars.append(Bar(label, None, "moins de 5"))
        elif index == 17:
            bars.append(Bar(label, None, "masqué"))
        else:
            bars.append(Bar(label, value, percent(value, 1800)))
    return tuple(bars)


ZEROS = (Bar("Oui", 0, "0\u00a0% (0)"), Bar("Non", 0, "0\u00a0% (0)"),
         Bar("Sans réponse", None, "moins de 5"))
"""A form nobody answered yet: every count zero (or protected)."""

OPENS = date(2027, 1, 4)


def with_gaps() -> tuple[DayValue, ...]:
    """60 days: quiet days protected (None, the line breaks), a day alone between two
    protected ones (a dot), a busy last week."""
    days = []
    for offset in range(60):
        value: int | None = (offset * 17) % 45 + (120 if offset >= 53 else 0)
        if offset % 9 == 4 or offset in (20, 22):
            value = None
        days.append(DayValue(OPENS + timedelta(days=offset), value))
    return tuple(days)


ONE_DAY = (DayValue(date(2027, 3, 1), 1234),)
ALL_PROTECTED = tuple(DayValue(OPENS + timedelta(days=offset), None) for offset in range(5))


@dataclass(frozen=True)
class Case:
    """One golden chart: its file under tests/goldens/charts/, and how it is drawn."""

    name: str
    draw: Callable[[], str]
    bars: tuple[Bar, ...] = ()
    days: tuple[DayValue, ...] = ()
    catalogue: Catalogue = FR


def _bars(name: str, bars: tuple[Bar, ...]) -> Case:
    return Case(name, lambda: bar_chart(bars), bars=bars)


def _days(name: str, days: tuple[DayValue, ...], catalogue: Catalogue) -> Case:
    return Case(name, lambda: day_chart(days, catalogue=catalogue), days=days,
                catalogue=catalogue)


CASES = (
    _bars("bars-none", ()),
    _bars("bars-five", FIVE),
    _bars("bars-forty-long-labels", forty()),
    _bars("bars-all-zero", ZEROS),
    _days("days-with-gaps", with_gaps(), FR),
    _days("days-one", ONE_DAY, EN),
    _days("days-all-protected", ALL_PROTECTED, AR),
    _days("days-none", (), FR),
)


def golden(case: Case) -> str:
    """The committed SVG of ``case`` (without the final line break goldens end with)."""
    return (CHARTS / f"{case.name}.svg").read_text(encoding="utf-8").removesuffix("\n")


def _table(case: Case) -> str:
    if case.bars:
        rows = [(bar.label, bar.text) for bar in case.bars]
    else:
        rows = [(item.day.isoformat(), "masqué" if item.value is None else str(item.value))
                for item in case.days]
    body = "".join(f"<tr><th scope=\"row\">{escape(label)}</th><td>{escape(text)}</td></tr>"
                   for label, text in rows)
    return (f"<details><summary>Voir les chiffres (tableau)</summary><table><thead><tr>"
            f"<th scope=\"col\">Réponse</th><th scope=\"col\">Nombre</th></tr></thead>"
            f"<tbody>{body}</tbody></table></details>")


FIGURE_STYLE = "figure{margin-inline:0}"
"""What the results page's figures need of their own (a browser's figure has 40 px margins
each side, which would leave a chart 208 px of a 320 px phone)."""


def charts_page(*, language: str = "fr", direction: str = "ltr", wrapped: bool = True,
                cases: tuple[Case, ...] = CASES) -> str:
    """One page with every golden chart (or ``cases``), each in a figure with its caption and
    its table, in the theme's own stylesheet (inlined, as parole's pages are); ``wrapped``:
    each chart in ``charts.inert``'s ``<div inert>``, as pages hold them."""
    css = (REPO / "theme" / "assets" / "parole.css").read_text(encoding="utf-8") + FIGURE_STYLE
    figures = "".join(
        f"<figure><figcaption>{case.name}</figcaption>"
        f"{inert(golden(case)) if wrapped else golden(case)}{_table(case)}</figure>"
        for case in cases)
    return (f'<!doctype html><html lang="{language}" dir="{direction}"><head>'
            '<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
            f"<title>Graphiques</title><style>{css}</style></head><body>"
            f'<main class="p-main p-wrap"><h1>Graphiques</h1>{figures}</main></body></html>')
