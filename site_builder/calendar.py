"""The consultation's calendar: when it opens and closes, its phases, and what pages say about it.

Everything is decided for one day, the build date (today, or ``PAROLE_BUILD_DATE``), because a
parole site is static. A day counts whole: the consultation, and every form, is open from the
start of ``opens`` to the END of ``closes``. The banner, the forms and the collector share the
functions below so that they always agree on what "open" means.

The calendar options are read here rather than by MkDocs' option types: MkDocs stops at the first
wrong option, whereas an organizer should see every problem, each with its field path
(``plugins.parole.phases[2].end``), in one go. This module never imports MkDocs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from .errors import ConfigError, Problem
from .i18n import Catalogue
from .messages import say

BUILD_DATE_VARIABLE = "PAROLE_BUILD_DATE"
DATE_FORMAT = "YYYY-MM-DD"
DEFAULT_RETENTION_DAYS = 365
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

StatusKind = Literal["upcoming", "open", "closed", "results", "concluded"]
"""GOV.UK's lifecycle: before ``opens``; until the end of ``closes``; closed, answers being read;
what was heard is published (a results page exists); concluded (that page says what was
decided)."""


@dataclass(frozen=True)
class Phase:
    """One step of the consultation ("Information", "Contributions", "Analyse"…)."""

    name: str
    start: date
    end: date
    description: str = ""
    """Plain text, one or two sentences."""

    def includes(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Calendar:
    """The consultation's dates and what depends on them. Without ``opens`` and ``closes`` a
    site has no status banner, which is valid (an information-only site)."""

    opens: date | None = None
    closes: date | None = None
    phases: tuple[Phase, ...] = ()
    """In order, never overlapping (``parse_calendar`` checks it)."""
    results_page: str | None = None
    """The results page as configured (a path under the docs folder: ``resultats.md``)."""
    results_url: str | None = None
    """Its URL relative to the site root, set once the build has found the page."""
    retention_days: int = DEFAULT_RETENTION_DAYS
    """How many days answers are kept after ``closes``."""
    paper_dropoff: tuple[str, ...] = ()
    """Places where paper answers can be dropped off, as people read them."""
    time_zone: str | None = None
    """The consultation's time zone (``Europe/Paris``), for the times in the exports; None for
    the default of the site's language (``time_zones.default_time_zone``)."""
    response_due: date | None = None
    """The day by which the organizer promises to say what came of the answers (after
    ``closes``): until the results page has decisions, closed pages say "réponse attendue avant
    le …"."""
    decisions: int = 0
    """How many decisions the results page states (``with_decisions``): with one or more the
    consultation is concluded."""

    @property
    def deletion_date(self) -> date | None:
        """The day answers are deleted: ``closes`` plus ``retention_days``."""
        return self.closes + timedelta(days=self.retention_days) if self.closes else None

    def with_results_url(self, url: str | None) -> Calendar:
        return replace(self, results_url=url)

    def with_decisions(self, count: int) -> Calendar:
        """The calendar once the results page's decisions are read (the results adapter calls
        it): with ``count`` > 0 and a results page, a closed consultation is concluded."""
        return replace(self, decisions=count)


@dataclass(frozen=True)
class Status:
    """Where the consultation stands on one day. ``date`` is ``opens`` when it is upcoming and
    ``closes`` otherwise; ``phase`` is the index of the current phase, if any."""

    kind: StatusKind
    date: date
    phase: int | None = None
    results_url: str | None = None


@dataclass(frozen=True)
class ClosedInfo:
    """What a closed form's notice says: since when, where the results are (if published), by
    when the organizer promised an answer, and whether the results page says what was decided."""

    closed_on: date
    results_url: str | None = None
    response_due: date | None = None
    """Said only while nothing is decided yet (``concluded`` False)."""
    concluded: bool = False
    """The results page has decisions: the notice's link says so."""


# --- on a given day -----------------------------------------------------------------------------

def is_past(closes: date, today: date) -> bool:
    """True once the whole ``closes`` day is over: the one rule for banner, forms and collector."""
    return today > closes


def current_phase(calendar: Calendar, today: date) -> int | None:
    """Index of the phase ``today`` falls in (both ends included), or None between phases."""
    for index, phase in enumerate(calendar.phases):
        if phase.includes(today):
            return index
    return None


def status(calendar: Calendar, today: date) -> Status | None:
    """The status banner's state on ``today``; None when the calendar has no dates."""
    if calendar.opens is None or calendar.closes is None:
        return None
    phase = current_phase(calendar, today)
    if today < calendar.opens:
        return Status("upcoming", calendar.opens, phase)
    if not is_past(calendar.closes, today):
        return Status("open", calendar.closes, phase)
    if calendar.results_url is not None:
        kind: StatusKind = "concluded" if calendar.decisions > 0 else "results"
        return Status(kind, calendar.closes, phase, calendar.results_url)
    return Status("closed", calendar.closes, phase)


def concluded(calendar: Calendar) -> bool:
    """True when the results page is known and states decisions: nothing is "due" any more."""
    return calendar.results_url is not None and calendar.decisions > 0


def closing_day(form_closes: date | None, calendar: Calendar | None) -> date | None:
    """A form's closing day: its own ``closes``, else the consultation's, else none."""
    if form_closes is not None:
        return form_closes
    return calendar.closes if calendar is not None else None


def form_is_closed(form_closes: date | None, calendar: Calendar | None, today: date) -> bool:
    """True when the form no longer takes answers: its closing day (see ``closing_day``) is
    over. A form takes answers until the end of its closing day."""
    closes = closing_day(form_closes, calendar)
    return closes is not None and is_past(closes, today)


def closed_info(
    form_closes: date | None, calendar: Calendar | None, today: date
) -> ClosedInfo | None:
    """What the closed notice replacing a form shows, or None when the form is still open."""
    closes = closing_day(form_closes, calendar)
    if closes is None or not is_past(closes, today):
        return None
    if calendar is None:
        return ClosedInfo(closes)
    done = concluded(calendar)
    return ClosedInfo(closes, calendar.results_url, None if done else calendar.response_due, done)


def build_date(environ: Mapping[str, str] | None = None) -> date:
    """The day the site is built for: ``PAROLE_BUILD_DATE`` (YYYY-MM-DD) when set, so tests and
    previews can show the site as it will be on another day; today's local date otherwise."""
    raw = (os.environ if environ is None else environ).get(BUILD_DATE_VARIABLE, "").strip()
    if not raw:
        return date.today()
    day = iso_date(raw)
    if day is None:
        raise ConfigError([Problem(
            message=say("calendar.build_date_variable", variable=BUILD_DATE_VARIABLE, value=raw,
                        format=DATE_FORMAT),
            fix=say("calendar.build_date_variable.fix", variable=BUILD_DATE_VARIABLE),
            field=BUILD_DATE_VARIABLE,
        )])
    return day


def iso_date(text: str) -> date | None:
    """``2027-01-04`` as a date; None for any other text, an impossible day included."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:  # 2027-02-30
        return None


# --- in words -----------------------------------------------------------------------------------

def format_date(day: date, catalogue: Catalogue) -> str:
    """The day as people say it in the page's language ("lundi 4 janvier 2027"), from the
    catalogue's ``date.*`` strings: no locale database needed, the same on every server."""
    number = catalogue("date.first_day") if day.day == 1 else str(day.day)
    return catalogue(
        "date.format",
        weekday=catalogue(f"date.weekday.{day.weekday()}"),  # 0 is Monday, as in Python
        day=number,
        month=catalogue(f"date.month.{day.month}"),
        year=str(day.year),
    )


@dataclass(frozen=True)
class PhaseView:
    """A phase as the calendar partial shows it."""

    name: str
    description: str
    dates: str
    """"Du lundi 4 janvier 2027 au dimanche 17 janvier 2027", or one day."""
    current: bool


@dataclass(frozen=True)
class CalendarView:
    """The calendar as templates get it (``parole_calendar``): computed once per build."""

    today: date
    status: Status | None
    status_date: str
    """The status's date in words; empty without a status."""
    phases: tuple[PhaseView, ...]
    results_url: str | None
    retention_days: int
    deletion_date: str
    """The day answers are deleted, in words; empty without ``closes``."""
    paper_dropoff: tuple[str, ...]
    response_due: str = ""
    """``response_due`` in words, for "Réponse attendue avant le …": only while the consultation
    is closed and nothing is decided yet (status ``closed`` or ``results``); empty otherwise."""


def view(calendar: Calendar, today: date, catalogue: Catalogue) -> CalendarView:
    """Everything the status banner, the calendar partial and the privacy page need, in words."""
    now = status(calendar, today)
    current = current_phase(calendar, today)
    deletion = calendar.deletion_date
    return CalendarView(
        today=today,
        status=now,
        status_date=format_date(now.date, catalogue) if now else "",
        phases=tuple(
            PhaseView(phase.name, phase.description, _phase_dates(phase, catalogue),
                      index == current)
            for index, phase in enumerate(calendar.phases)
        ),
        results_url=calendar.results_url,
        retention_days=calendar.retention_days,
        deletion_date=format_date(deletion, catalogue) if deletion else "",
        paper_dropoff=calendar.paper_dropoff,
        response_due=(format_date(calendar.response_due, catalogue)
                      if calendar.response_due and now and now.kind in ("closed", "results")
                      else ""),
    )


def _phase_dates(phase: Phase, catalogue: Catalogue) -> str:
    if phase.start == phase.end:
        return catalogue("calendar.phase_day", date=format_date(phase.start, catalogue))
    return catalogue("calendar.phase_dates", start=format_date(phase.start, catalogue),
                     end=format_date(phase.end, catalogue))
