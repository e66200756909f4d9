"""Errors for people: what happened, where (file, line, field) and how to fix it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from site_builder.messages import say, say_count


class ParoleError(Exception):
    """Base of every error parole reports to an organizer."""


@dataclass(frozen=True)
class Problem:
    """One thing to fix, located as precisely as the source allows."""

    message: str
    fix: str
    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        line = str(self.line) if self.line else None
        where = ":".join(part for part in (self.file, line) if part)
        located = f"{where}: " if where else ""
        field = f"[{self.field}] " if self.field else ""
        return f"{located}{field}{self.message}\n    {say('problem.how_to_fix', fix=self.fix)}"


class _ProblemsError(ParoleError):
    """An error carrying every problem found, so an organizer fixes them all in one go."""

    kind = "generic"
    """Which ``problems.<kind>`` message introduces the list."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        body = "\n".join(f"  {index}. {problem}" for index, problem in enumerate(self.problems, 1))
        heading = say_count(f"problems.{self.kind}", len(self.problems))
        super().__init__(f"{heading}\n{body}")


class ConfigError(_ProblemsError):
    """The configuration (mkdocs.yml, plugin options) is wrong."""

    kind = "config"


class ContentError(_ProblemsError):
    """A content file (markdown page, front matter) is wrong."""

    kind = "content"
