"""The calendar options of the plugin (``opens``, ``closes``, ``phases``, ``response_due``…),
read and checked all at once: every mistake is reported, each with its line in ``mkdocs.yml``
and its field path (``plugins.parole.phases[2].end`` for the second phase: positions count
from 1, as people count), because MkDocs' own validation stops at the first one and keeps no
line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from itertools import pairwise
from typing import Any

from .calendar import DEFAULT_RETENTION_DAYS, Calendar, Phase, build_date, iso_date
from .config_lines import OptionPath
from .errors import ConfigError, Problem
from .messages import say
from .time_zones import time_zone, time_zone_fix

PHASE_KEYS = ("name", "start", "end", "description")

LineOf = Callable[[OptionPath], int | None]
"""The line of an option in the configuration file (``ConfigLines.option``)."""


def _no_line(path: OptionPath) -> int | None:
    return None


def load(
    options: Mapping[str, Any], *, file: str = "mkdocs.yml", line_of: LineOf = _no_line,
    environ: Mapping[str, str] | None = None,
) -> tuple[Calendar, date, list[Problem]]:
    """The calendar (its valid parts), the build date and every problem of both, so a build
    can go on and report them with the pages' problems."""
    calendar, problems = read_calendar(options, file=file, line_of=line_of)
    today = date.today()
    try:
        today = build_date(environ)
    except ConfigError as error:
        problems += error.problems
    return calendar, today, problems


def parse_calendar(
    options: Mapping[str, Any], *, file: str = "mkdocs.yml", line_of: LineOf = _no_line,
) -> Calendar:
    """The calendar from the plugin's options as YAML gave them; raises one ConfigError that
    lists every problem found."""
    calendar, problems = read_calendar(options, file=file, line_of=line_of)
    if problems:
        raise ConfigError(problems)
    return calendar


def read_calendar(
    options: Mapping[str, Any], *, file: str = "mkdocs.yml", line_of: LineOf = _no_line,
) -> tuple[Calendar, list[Problem]]:
    """The calendar made of the options that are right, and a Problem for each wrong one (with
    ``file``, the line ``line_of`` finds and the field path under ``plugins.parole``)."""
    reader = _Reader(file, line_of)
    opens = reader.day(options.get("opens"), ("opens",))
    closes = reader.day(options.get("closes"), ("closes",))
    reader.check_dates(options, opens, closes)
    response_due = reader.day(options.get("response_due"), ("response_due",))
    reader.check_response_due(options, closes, response_due)
    calendar = Calendar(
        opens=opens,
        closes=closes,
        phases=reader.phases(options.get("phases")),
        results_page=reader.text(options.get("results_page"), "results_page"),
        retention_days=reader.retention(options.get("retention_days", DEFAULT_RETENTION_DAYS)),
        paper_dropoff=reader.places(options.get("paper_dropoff")),
        time_zone=reader.zone(options.get("time_zone")),
        response_due=response_due,
    )
    return calendar, reader.problems


def front_matter_problem(value: object, calendar: Calendar) -> Problem | None:
    """The problem with a page's ``calendar:`` front matter, if any (file and line added by the
    caller). ``calendar: true`` shows the phases after the page's text."""
    if not isinstance(value, bool):
        return Problem(message=say("calendar.front_matter", value=repr(value)),
                       fix=say("calendar.front_matter.fix"), field="calendar")
    if value and not calendar.phases:
        return Problem(message=say("calendar.front_matter_no_phase"),
                       fix=say("calendar.front_matter_no_phase.fix"), field="calendar")
    return None


def field_path(path: OptionPath) -> str:
    """``("phases", 2, "end")`` → ``plugins.parole.phases[3].end``: positions as people count."""
    text = "plugins.parole"
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else f".{part}"
    return text


class _Reader:
    """Reads option values, collecting a Problem for each wrong one instead of stopping."""

    def __init__(self, file: str, line_of: LineOf) -> None:
        self.file = file
        self.line_of = line_of
        self.problems: list[Problem] = []

    def add(self, path: OptionPath, message: str, fix: str, *,
            written: OptionPath | None = None) -> None:
        """A problem with the option at ``path``, on the line of ``written`` if given (the
        option that is there when ``path`` is missing)."""
        self.problems.append(Problem(message=message, fix=fix, file=self.file,
                                     line=self.line_of(written or path), field=field_path(path)))

    def day(self, value: object, path: OptionPath, what: str | None = None) -> date | None:
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        day = iso_date(value) if isinstance(value, str) else None
        if day is None:
            shown = value.isoformat(" ") if isinstance(value, datetime) else repr(value)
            self.add(path, say("calendar.not_a_date", what=what or str(path[-1]), value=shown),
                     say("calendar.not_a_date.fix"))
        return day

    def check_dates(self, options: Mapping[str, Any], opens: date | None,
                    closes: date | None) -> None:
        for present, missing in (("opens", "closes"), ("closes", "opens")):
            if options.get(present) is not None and options.get(missing) is None:
                self.add((missing,), say("calendar.one_date", present=present, missing=missing),
                         say("calendar.one_date.fix"), written=(present,))
        if opens and closes and closes < opens:
            self.add(("closes",), say("calendar.closes_before_opens", opens=opens,
                                      closes=closes), say("calendar.closes_before_opens.fix"))

    def check_response_due(self, options: Mapping[str, Any], closes: date | None,
                           due: date | None) -> None:
        """The promised answer comes after the consultation closes: without ``closes`` no page
        ever says it, and a day on or before ``closes`` is a typo."""
        if options.get("response_due") is not None and options.get("closes") is None:
            self.add(("response_due",), say("calendar.response_due_no_closes"),
                     say("calendar.response_due_no_closes.fix"))
        elif closes and due and due <= closes:
            self.add(("response_due",), say("calendar.response_due_not_after", due=due,
                                            closes=closes),
                     say("calendar.response_due_not_after.fix", closes=closes))

    def text(self, value: object, field: str) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self.add((field,), say("calendar.not_a_page", field=field, value=repr(value)),
                     say("calendar.not_a_page.fix"))
            return None
        return value

    def retention(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.add(("retention_days",), say("calendar.retention", value=repr(value)),
                     say("calendar.retention.fix"))
            return DEFAULT_RETENTION_DAYS
        return value

    def zone(self, value: object) -> str | None:
        if value is None or (isinstance(value, str) and time_zone(value) is not None):
            return value
        self.add(("time_zone",), say("export.time_zone_option", value=repr(value)),
                 time_zone_fix(value if isinstance(value, str) else ""))
        return None

    def places(self, value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
            return tuple(v.strip() for v in value)
        self.add(("paper_dropoff",), say("calendar.places"), say("calendar.places.fix"))
        return ()

    def phases(self, value: object) -> tuple[Phase, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.add(("phases",), say("calendar.phases_not_a_list"),
                     say("calendar.phases_not_a_list.fix"))
            return ()
        read = [(index, self.phase(item, index)) for index, item in enumerate(value)]
        valid = [(index, phase) for index, phase in read if phase is not None]
        for (_, before), (index, phase) in pairwise(valid):
            self.check_order(before, phase, ("phases", index, "start"))
        return tuple(phase for _, phase in valid)

    def phase(self, item: object, index: int) -> Phase | None:
        path: OptionPath = ("phases", index)
        if not isinstance(item, Mapping):
            self.add(path, say("calendar.phase_not_a_mapping", number=index + 1,
                               value=repr(item)), say("calendar.phase_not_a_mapping.fix"))
            return None
        count = len(self.problems)
        name = item.get("name")
        named = isinstance(name, str) and bool(name.strip())
        what = (say("calendar.phase_named", name=str(name).strip()) if named
                else say("calendar.phase_number", number=index + 1))
        unknown = sorted(str(key) for key in item if key not in PHASE_KEYS)
        if unknown:
            self.add(path, say("calendar.phase_unknown_keys", phase=what, keys=", ".join(unknown)),
                     say("calendar.phase_unknown_keys.fix", keys=", ".join(PHASE_KEYS)))
        if not named:
            self.add((*path, "name"), say("calendar.phase_no_name", phase=what),
                     say("calendar.phase_no_name.fix"))
        description = item.get("description", "")
        if not isinstance(description, str):
            self.add((*path, "description"), say("calendar.phase_description", phase=what),
                     say("calendar.phase_description.fix"))
        start, end = (self.required_date(item, path, key, what) for key in ("start", "end"))
        if start and end and end < start:
            self.add((*path, "end"), say("calendar.phase_ends_first", phase=what, start=start,
                                          end=end), say("calendar.phase_ends_first.fix"))
        if len(self.problems) > count or start is None or end is None:
            return None
        return Phase(str(name).strip(), start, end, str(description).strip())

    def required_date(self, item: Mapping[str, Any], path: OptionPath, key: str,
                      what: str) -> date | None:
        if item.get(key) is None:
            self.add((*path, key), say("calendar.phase_no_date", phase=what, option=key),
                     say("calendar.phase_no_date.fix", option=key))
            return None
        return self.day(item[key], (*path, key), say("calendar.phase_date", phase=what, option=key))

    def check_order(self, before: Phase, phase: Phase, path: OptionPath) -> None:
        names = {"name": phase.name, "start": phase.start, "before": before.name}
        if phase.start < before.start:
            self.add(path, say("calendar.phase_order", **names, before_start=before.start),
                     say("calendar.phase_order.fix"))
        elif phase.start <= before.end:
            self.add(path, say("calendar.phase_overlap", **names, before_end=before.end),
                     say("calendar.phase_overlap.fix", **names, before_end=before.end))
