"""Errors say what happened, where, and how to fix it; all problems at once."""

from __future__ import annotations

from site_builder.errors import ConfigError, ContentError, ParoleError, Problem


def test_a_problem_names_file_line_field_and_fix() -> None:
    problem = Problem("unknown page type 'faqs'", "write one of: faq", "faq.md", 2, "type")
    assert str(problem) == (
        "faq.md:2: [type] unknown page type 'faqs'\n    How to fix: write one of: faq")


def test_every_problem_is_listed_in_one_error() -> None:
    error = ContentError([Problem("first", "fix one", "a.md", 1), Problem("second", "fix two")])
    assert isinstance(error, ParoleError)
    text = str(error)
    assert text.startswith("parole found 2 content problems to fix:")
    assert "1. a.md:1: first" in text and "2. second" in text


def test_singular_wording_for_one_problem() -> None:
    assert str(ConfigError([Problem("bad", "good")])).startswith(
        "parole found 1 configuration problem to fix:")
