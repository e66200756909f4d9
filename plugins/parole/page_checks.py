"""What the plugin checks in a page's own source: its front matter (``type``, ``calendar``, a
results page's ``form``) and, for a FAQ page, that it has questions and each question an answer.
Each problem is located at the line of the page's source that holds it."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace
from typing import Any

from mkdocs.structure.pages import Page

from site_builder import calendar, calendar_options, faq
from site_builder.errors import Problem
from site_builder.messages import say
from site_builder.results.file import FOLDER

PAGE_TYPES = ("faq", "results")


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


def results_form_problem(form: Any, *, src_uri: str, text: str, forms: Collection[str],
                         unreadable: Collection[str], closed: bool) -> Problem | None:
    """A results page (``type: results``) whose ``form:`` is missing, is not a form id, or
    names a form without a results file once results are due (``closed``: before that, the
    page only says when they will come). A form whose file exists but cannot be read is left to
    that file's own problems."""
    line = _line_of(text, _front_matter_key("form"))
    if form is None:
        return Problem(message=say("results.page.no_form"),
                       fix=say("results.page.no_form.fix"), file=src_uri,
                       line=_line_of(text, _front_matter_key("type")), field="form")
    if not isinstance(form, str) or not form:
        return Problem(message=say("results.page.form_not_text", form=str(form)),
                       fix=say("results.page.no_form.fix"), file=src_uri, line=line,
                       field="form")
    if not closed or form in forms or form in unreadable:
        return None
    return Problem(message=say("results.page.unknown_form", form=form,
                               path=f"{FOLDER}/{form}.json"),
                   fix=say("results.page.unknown_form.fix", form=form), file=src_uri,
                   line=line, field="form")


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
    return _line_of(page.file.content_string, matches)


def _line_of(text: str, matches: Callable[[str], bool]) -> int:
    """Number of the first line of ``text`` that ``matches``, or 1."""
    for number, line in enumerate(text.splitlines(), 1):
        if matches(line):
            return number
    return 1
