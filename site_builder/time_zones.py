"""The consultation's time zone: the one its answers' times are written in by the exports.

A consultation happens somewhere: an organizer in Lyon reads "10:26" for an answer sent at
10:26 in Lyon, not the UTC time the database keeps. The zone is a plugin option
(``plugins.parole.time_zone``, an IANA name such as ``Europe/Paris``), written into every form's
manifest, which the database keeps with the answers, so the exports find it without the site;
``parole export --time-zone`` overrides it. Without the option, a French site is in
``Europe/Paris`` and any other in ``UTC``: a guess for the sites parole is first made for, and
UTC rather than a wrong local zone elsewhere.
"""

from __future__ import annotations

import difflib
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from site_builder.i18n import base_language
from site_builder.messages import say

FRENCH_DEFAULT = "Europe/Paris"
OTHER_DEFAULT = "UTC"


def default_time_zone(language: str | None) -> str:
    """The zone of a site written in ``language`` that names none: Paris for French, UTC else."""
    return FRENCH_DEFAULT if language and base_language(language) == "fr" else OTHER_DEFAULT


def time_zone(name: str) -> ZoneInfo | None:
    """The zone called ``name`` (``Europe/Paris``, ``UTC``), or None if there is no such zone."""
    if not name or name != name.strip():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def closest_names(name: str) -> list[str]:
    """Zone names close to a mistyped ``name`` (``europe/paris`` → ``Europe/Paris``), best first."""
    names = _names()
    folded = {known.casefold(): known for known in names}
    if name.strip().casefold() in folded:
        return [folded[name.strip().casefold()]]
    return difflib.get_close_matches(name.strip(), sorted(names), n=3, cutoff=0.6)


def time_zone_fix(name: str) -> str:
    """How to write a time zone, with the names closest to the mistyped ``name``."""
    suggestions = closest_names(name)
    if suggestions:
        return say("export.time_zone_fix_close", names=", ".join(suggestions))
    return say("export.time_zone_fix")


@cache
def _names() -> frozenset[str]:
    return frozenset(available_timezones())
