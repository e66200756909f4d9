"""What a YAML syntax error in a form usually means, in the organizer's words.

PyYAML says "mapping values are not allowed here" or "could not find expected ':'"; an organizer
needs the usual cause (a line indented too far, a missing space after ':', a tab, a quote never
closed, words after a closing quote) and the line where to look, which is not always the line
PyYAML stopped at: a missing space after ':' is noticed one line later, an unclosed quote at the
end of the block.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from site_builder.messages import say


@dataclass(frozen=True)
class YamlMistake:
    """A YAML error explained: the line to look at (0-based, in the YAML text, when known), what
    is wrong and how to fix it."""

    line: int | None
    message: str
    fix: str


def explain(error: yaml.YAMLError) -> YamlMistake:
    """The likely cause of ``error`` and where it is."""
    problem = str(getattr(error, "problem", None) or error)
    context = str(getattr(error, "context", None) or "")
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    at = problem_mark or context_mark
    cause = _cause(problem, context)
    if cause in ("no_space", "quote") and context_mark is not None:
        at = context_mark  # where the key or the quote began, not where YAML gave up
    line = at.line if at is not None else None
    if cause is None:
        return YamlMistake(line, say("forms.invalid_yaml", problem=problem),
                           say("forms.invalid_yaml.fix"))
    return YamlMistake(line, say("forms.invalid_yaml", problem=say(f"formcheck.yaml.{cause}")),
                       say(f"formcheck.yaml.{cause}.fix"))


def _cause(problem: str, context: str) -> str | None:
    """Which ``formcheck.yaml.<cause>`` explains PyYAML's ``problem`` and ``context``."""
    causes = (
        ("tab", "'\\t'" in problem),
        ("no_space", context.startswith("while scanning a simple key")),
        ("quote", context.startswith("while scanning a quoted scalar")),
        ("indented_more", problem.startswith("mapping values are not allowed")),
        ("after_quote", problem.endswith("found '<scalar>'")),  # title: "Votre" avis
        ("indentation", problem.startswith(("expected <block end>", "did not find expected"))),
    )
    return next((cause for cause, found in causes if found), None)
