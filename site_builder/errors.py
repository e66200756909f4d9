"""Errors for people: what happened, where (file, line, field) and how to fix it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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
        return f"{located}{field}{self.message}\n    How to fix: {self.fix}"


class _ProblemsError(ParoleError):
    """An error carrying every problem found, so an organizer fixes them all in one go."""

    kind = "problem"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        plural = "s" if count > 1 else ""
        body = "\n".join(f"  {index}. {problem}" for index, problem in enumerate(self.problems, 1))
        super().__init__(f"parole found {count} {self.kind}{plural} to fix:\n{body}")


class ConfigError(_ProblemsError):
    """The configuration (mkdocs.yml, plugin options) is wrong."""

    kind = "configuration problem"


class ContentError(_ProblemsError):
    """A content file (markdown page, front matter) is wrong."""

    kind = "content problem"
