"""What was decided (issue #16, section 3): the ``decisions`` of a results page, and the
"Ce qui a été décidé" section they make.

``read_decisions`` (``decisions_reading``) reads them from the page's front matter or a file
beside it and reports every problem with its file, line and field; ``decisions_html`` renders
them: each decision's title, its status in words ("Décision : adoptée") with a mark that is not
a colour, its date in words, its reason, and links to the figures and quotes it answers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from site_builder.calendar import format_date
from site_builder.i18n import Catalogue
from site_builder.results import anchors
from site_builder.results.decisions_reading import (
    KEYS,
    REFERENCE_KINDS,
    STATUSES,
    Decision,
    Reference,
    question_labels,
    read_decisions,
)
from site_builder.results.file import ResultsFile

__all__ = ["KEYS", "MARKS", "REFERENCE_KINDS", "STATUSES", "Decision", "Reference",
           "decisions_html", "read_decisions"]

MARKS = {"adopted": "+", "adapted": "\u00b1", "rejected": "\u00d7", "under study": "\u2026"}
"""A text mark beside each status's words (plus, plus-minus, times, ellipsis): the status
never rests on a colour (the words say it; the mark repeats it for a quick look, hidden from
screen readers). Not check and cross marks: axe cannot measure the contrast of dingbats, and
pa11y counts that as an error."""


# --- on the page --------------------------------------------------------------------------------

def decisions_html(decisions: Sequence[Decision], *, catalogue: Catalogue,
                   results: ResultsFile | None) -> str:
    """The "Ce qui a été décidé" section, or "" without decisions (the page then says nothing
    about them). Links lead to the figures and quotes of the same page; with ``results`` None
    (no figures on the page) the references are said without links."""
    if not decisions:
        return ""
    decided = anchors.DECIDED
    parts = [f'<section class="p-decisions" aria-labelledby="{decided}">',
             f'<h2 id="{decided}">{_e(catalogue("decisions.title"))}</h2>']
    parts += [_decision(decision, catalogue, results) for decision in decisions]
    parts.append("</section>")
    return "\n".join(parts) + "\n"


def _e(text: str) -> str:
    """Text between tags: ``<`` ``>`` ``&`` escaped (an attribute's value uses ``_attribute``)."""
    return escape(text, quote=False)


def _attribute(text: str) -> str:
    return escape(text, quote=True)


def _decision(decision: Decision, catalogue: Catalogue, results: ResultsFile | None) -> str:
    key = decision.status.replace(" ", "_")
    status = catalogue("decisions.status", status=catalogue(f"decisions.status.{key}"))
    when = catalogue("decisions.since" if decision.status == "under study" else "decisions.on",
                     date=format_date(decision.day, catalogue))
    lines = [f'<article class="p-decision p-decision--{key.replace("_", "-")}">',
             f"<h3>{_e(decision.title)}</h3>",
             f'<p class="p-decision__status"><strong><span aria-hidden="true">'
             f"{MARKS[decision.status]}\u00a0</span>{_e(status)}</strong>{_e(when)}</p>"]
    lines += [f"<p>{_e(' '.join(paragraph.split()))}</p>"
              for paragraph in re.split(r"\n\s*\n", decision.reason) if paragraph.strip()]
    if decision.about:
        links = _e(catalogue("list.separator")).join(
            _reference(reference, catalogue, results) for reference in decision.about)
        lines.append(f'<p class="p-decision__about">{_e(catalogue("decisions.about"))} '
                     f"{links}</p>")
    lines.append("</article>")
    return "\n".join(lines)


def question_targets(results: ResultsFile) -> set[str]:
    """The questions the results page gives an ``id`` (``anchors.question_anchor``): every
    closed question (its figure), and a free-text question whose quotes are grouped under it
    (those without a theme; themed quotes are under their theme's heading)."""
    return ({question.id for question in results.questions}
            | {quote.question for quote in results.quotes if not quote.theme})


def _reference(reference: Reference, catalogue: Catalogue, results: ResultsFile | None) -> str:
    """A link to what the decision answers on the page; words alone when it is not there."""
    target: str | None = None
    if reference.kind == "participation":
        words = catalogue("decisions.about_participation")
        target = anchors.PARTICIPATION if results is not None else None
    elif reference.kind == "theme":
        words = catalogue("decisions.about_theme", theme=reference.name)
        target = anchors.theme_anchors(results).get(reference.name) if results is not None else None
    else:
        labels = question_labels(results) if results is not None else {}
        label = labels.get(reference.name, reference.name)
        # A label that is a quotation already («Il faut plus d'arbres.») keeps its own marks.
        quoted = label.startswith("«") and label.endswith("»")
        words = (catalogue("decisions.about_quoted_question", label=label) if quoted
                 else catalogue("decisions.about_question", label=label))
        if results is not None and reference.name in question_targets(results):
            target = anchors.question_anchor(reference.name)
    return f'<a href="#{_attribute(target)}">{_e(words)}</a>' if target else _e(words)
