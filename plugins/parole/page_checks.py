"""What the plugin checks in a page's own source: its front matter (``type``, ``calendar``) and,
for a FAQ page, that it has questions and each question an answer. Each problem is located at
the line of the page's source that holds it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from mkdocs.structure.pages import Page

from site_builder import calendar, calendar_options, faq
from site_builder.errors import Problem
from site_builder.messages import say

PAGE_TYPES = ("faq",)


def front_matter_problems(page: Page, consultation: calendar.Calendar) -> list[Problem]:
    """An unknown ``type``, and a ``calendar`` request the consultation cannot answer."""
    problems = []
    page_type = page.meta.get("type")
    if page_type is not None and page_type not in PAGE_TYPES:
        problems.append(Problem(
            message=say("plugin.page_type", type=page_type),
            fix=say("plugin.page_type.fix", types=", ".join(PAGE_TYPES)),
            file=page.file.src_uri,
            line=_source_line(page, _front_matter_key("type")),
            field="type",
        ))
    if "calendar" in page.meta:
        problem = calendar_options.front_matter_problem(page.meta["calendar"], consultation)
        if problem is not None:
            problems.append(replace(problem, file=page.file.src_uri,
                                    line=_source_line(page, _front_matter_key("calendar"))))
    return problems


def faq_problems(page: Page, questions: list[faq.Question]) -> list[Problem]:
    """A FAQ page without any question, and each question without an answer."""
    problems = []
    if not questions:
        problems.append(Problem(
            message=say("faq.no_question"),
            fix=say("faq.no_question.fix"),
            file=page.file.src_uri,
            line=_source_line(page, _front_matter_key("type")),
            field="type",
        ))
    for question in questions:
        if not question.answer:
            problems.append(Problem(
                message=say("faq.no_answer", question=question.name),
                fix=say("faq.no_answer.fix"),
                file=page.file.src_uri,
                line=_source_line(page, _heading(question.name)),
            ))
    return problems


def _front_matter_key(key: str) -> Callable[[str], bool]:
    """Matches the line that sets ``key`` in front matter."""
    return lambda line: line.split(":", 1)[0].strip() == key


def _heading(text: str) -> Callable[[str], bool]:
    """Matches the level-2 heading line that holds ``text``."""
    return lambda line: line.startswith("## ") and text in line


def _source_line(page: Page, matches: Callable[[str], bool]) -> int:
    """Number of the first line of the page's source that ``matches``, or 1."""
    for number, line in enumerate(page.file.content_string.splitlines(), 1):
        if matches(line):
            return number
    return 1
