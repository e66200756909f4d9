"""The calendar options of the plugin (``opens``, ``closes``, ``phases``…), read and checked
all at once: every mistake is reported in one ConfigError, each with its field path
(``plugins.parole.phases[2].end``), because MkDocs' own validation stops at the first one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from itertools import pairwise
from typing import Any

from .calendar import (
    DATE_FORMAT,
    DEFAULT_RETENTION_DAYS,
    Calendar,
    Phase,
    build_date,
    iso_date,
)
from .errors import ConfigError, Problem

PHASE_KEYS = ("name", "start", "end", "description")


def load(
    options: Mapping[str, Any], *, file: str = "mkdocs.yml",
    environ: Mapping[str, str] | None = None,
) -> tuple[Calendar, date]:
    """The calendar and the build date, or one ConfigError listing every problem of both."""
    problems: list[Problem] = []
    calendar = Calendar()
    today = date.today()
    try:
        calendar = parse_calendar(options, file=file)
    except ConfigError as error:
        problems += error.problems
    try:
        today = build_date(environ)
    except ConfigError as error:
        problems += error.problems
    if problems:
        raise ConfigError(problems)
    return calendar, today


def parse_calendar(
    options: Mapping[str, Any], *, file: str = "mkdocs.yml", prefix: str = "plugins.parole"
) -> Calendar:
    """The calendar from the plugin's options as YAML gave them; raises one ConfigError that
    lists every problem found, each with its field path under ``prefix``."""
    reader = _Reader(file, prefix)
    opens = reader.day(options.get("opens"), "opens")
    closes = reader.day(options.get("closes"), "closes")
    reader.check_dates(options, opens, closes)
    calendar = Calendar(
        opens=opens,
        closes=closes,
        phases=reader.phases(options.get("phases")),
        results_page=reader.text(options.get("results_page"), "results_page"),
        retention_days=reader.retention(options.get("retention_days", DEFAULT_RETENTION_DAYS)),
        paper_dropoff=reader.places(options.get("paper_dropoff")),
    )
    if reader.problems:
        raise ConfigError(reader.problems)
    return calendar


def front_matter_problem(value: object, calendar: Calendar) -> Problem | None:
    """The problem with a page's ``calendar:`` front matter, if any (file and line added by the
    caller). ``calendar: true`` shows the phases after the page's text."""
    if not isinstance(value, bool):
        return Problem(message=f"calendar is {value!r} in the front matter",
                       fix="write 'calendar: true' to show the consultation's phases on this "
                       "page, or remove the line", field="calendar")
    if value and not calendar.phases:
        return Problem(message="this page shows the calendar, but mkdocs.yml lists no phase",
                       fix="add the phases under plugins.parole.phases in mkdocs.yml, or remove "
                       "'calendar: true'", field="calendar")
    return None


class _Reader:
    """Reads option values, collecting a Problem for each wrong one instead of stopping."""

    def __init__(self, file: str, prefix: str) -> None:
        self.file = file
        self.prefix = prefix
        self.problems: list[Problem] = []

    def add(self, field: str, message: str, fix: str) -> None:
        self.problems.append(Problem(message=message, fix=fix, file=self.file,
                                     field=f"{self.prefix}.{field}"))

    def day(self, value: object, field: str) -> date | None:
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        day = iso_date(value) if isinstance(value, str) else None
        if day is None:
            shown = value.isoformat(" ") if isinstance(value, datetime) else repr(value)
            self.add(field, f"{field} is {shown}, not a date written {DATE_FORMAT}",
                     f"write the day alone as {DATE_FORMAT}, for example 2027-01-04 for "
                     "4 January 2027")
        return day

    def check_dates(self, options: Mapping[str, Any], opens: date | None,
                    closes: date | None) -> None:
        for present, missing in (("opens", "closes"), ("closes", "opens")):
            if options.get(present) is not None and options.get(missing) is None:
                self.add(missing, f"{present} is set but {missing} is not",
                         f"set both opens and closes ({DATE_FORMAT}), or neither for a site "
                         "without a status banner")
        if opens and closes and closes < opens:
            self.add("closes", f"closes ({closes}) is before opens ({opens})",
                     "correct one of the two dates: the consultation closes on or after the "
                     "day it opens")

    def text(self, value: object, field: str) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self.add(field, f"{field} is {value!r}, not a page",
                     "write the page's path under the docs folder, such as resultats.md")
            return None
        return value

    def retention(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.add("retention_days", f"retention_days is {value!r}",
                     "write a whole number of days, 0 or more (365 keeps answers one year "
                     "after the consultation closes)")
            return DEFAULT_RETENTION_DAYS
        return value

    def places(self, value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
            return tuple(v.strip() for v in value)
        self.add("paper_dropoff", "paper_dropoff is not a list of places",
                 "write one '- Place, address, hours' line per place")
        return ()

    def phases(self, value: object) -> tuple[Phase, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.add("phases", "phases is not a list",
                     "write one '- name: …' item per phase, each with start and end")
            return ()
        read = [(index, self.phase(item, f"phases[{index}]")) for index, item in enumerate(value)]
        valid = [(index, phase) for index, phase in read if phase is not None]
        for (_, before), (index, phase) in pairwise(valid):
            self.check_order(before, phase, f"phases[{index}].start")
        return tuple(phase for _, phase in valid)

    def phase(self, item: object, path: str) -> Phase | None:
        if not isinstance(item, Mapping):
            self.add(path, f"{path} is {item!r}, not a phase",
                     "write the phase as 'name:', 'start:', 'end:' and an optional "
                     "'description:'")
            return None
        count = len(self.problems)
        unknown = sorted(str(key) for key in item if key not in PHASE_KEYS)
        if unknown:
            self.add(path, f"{path} has unknown keys: {', '.join(unknown)}",
                     f"use only {', '.join(PHASE_KEYS)} (check the spelling)")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            self.add(f"{path}.name", f"{path} has no name",
                     "give the phase a short name people understand, such as 'Information'")
        description = item.get("description", "")
        if not isinstance(description, str):
            self.add(f"{path}.description", f"{path}.description is not text",
                     "write the description as one or two plain sentences")
        start, end = (self.required_date(item, path, key) for key in ("start", "end"))
        if start and end and end < start:
            self.add(f"{path}.end", f"{path} ends ({end}) before it starts ({start})",
                     "correct the start or the end date")
        if len(self.problems) > count or start is None or end is None:
            return None
        return Phase(str(name).strip(), start, end, str(description).strip())

    def required_date(self, item: Mapping[str, Any], path: str, key: str) -> date | None:
        if item.get(key) is None:
            self.add(f"{path}.{key}", f"{path} has no {key} date",
                     f"add '{key}: {DATE_FORMAT}' to the phase")
            return None
        return self.day(item[key], f"{path}.{key}")

    def check_order(self, before: Phase, phase: Phase, field: str) -> None:
        if phase.start < before.start:
            self.add(field, f"phase {phase.name!r} starts ({phase.start}) before the phase "
                     f"listed above it, {before.name!r} ({before.start})",
                     "list the phases in the order they happen")
        elif phase.start <= before.end:
            self.add(field, f"phase {phase.name!r} starts ({phase.start}) before phase "
                     f"{before.name!r} ends ({before.end})",
                     f"phases follow one another: start {phase.name!r} after {before.end}, "
                     f"or end {before.name!r} earlier")
