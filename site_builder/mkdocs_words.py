"""MkDocs' own lines in a ``parole build`` or ``parole serve``, said in the organizer's language.

MkDocs writes a few lines of its own around every build ("Building documentation to directory:
…", "Documentation built in 0.52 seconds") and says why it stopped ("Aborted with 3 warnings in
strict mode!"). They are f-strings, so no template is left to look up: :class:`MkDocsInOurWords`
and :func:`abort_message` match the few they know, whole, and say them with parole's catalogue.
A line MkDocs words differently one day is shown as MkDocs wrote it, never lost.
"""

from __future__ import annotations

import logging
import re

from site_builder.messages import say, say_count

_LINES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Cleaning site directory"), "mkdocs.cleaning"),
    (re.compile(r"Building documentation to directory: (?P<folder>.+)"), "mkdocs.building"),
    (re.compile(r"Documentation built in (?P<seconds>[\d.]+) seconds"), "mkdocs.built"),
)
_STRICT_ABORT = re.compile(r"Aborted with (?P<counts>.+) in strict mode!")
_COUNT = re.compile(r"(?P<count>\d+) (?P<level>warning|error)s")


class MkDocsInOurWords(logging.Filter):
    """Rewrites MkDocs' own build lines in the current organizer language."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("mkdocs.") and not record.name.startswith("mkdocs.plugins"):
            text = record.getMessage()
            for pattern, key in _LINES:
                match = pattern.fullmatch(text)
                if match:
                    record.msg, record.args = say(key, **match.groupdict()), None
                    break
        return True


def abort_message(message: str) -> str:
    """Why MkDocs aborted ("Aborted with 2 warnings, 1 errors in strict mode!", "Aborted with a
    BuildError!") in parole's words; any other message as it is."""
    if message == "Aborted with a BuildError!":
        return say("mkdocs.build_error")
    match = _STRICT_ABORT.fullmatch(message)
    if not match:
        return message
    counts = {found["level"]: int(found["count"]) for found in _COUNT.finditer(match["counts"])}
    parts = [say_count(f"mkdocs.strict.{level}", counts[level])
             for level in ("error", "warning") if level in counts]
    if not parts:
        return message
    return say("mkdocs.strict", counts=say("mkdocs.strict.and", first=parts[0], last=parts[1])
               if len(parts) == 2 else parts[0])
