"""The quotes of a results page and how they were chosen.

Only what the results file holds is shown: quotes a moderator approved from answers whose
author agreed to be quoted (``parole results`` never writes any other), redacted spans already
replaced by "[…]". They are grouped by the theme chosen during moderation, in the order the
themes first appear; quotes without a theme are grouped by the question they answer. Then, for
every free-text question, the moderation figures: how many written answers, how many whose
author agreed to be quoted, how many published, set aside (per reason) and not yet read, so
that a reader can see what was left out and why, not only what was kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from site_builder.i18n import Catalogue
from site_builder.results import anchors
from site_builder.results.figures import escape, table
from site_builder.results.file import FreeTextResult, Quote, ResultsFile
from site_builder.results.protect import Count
from site_builder.results.words import count_text

MODERATION = "relecture"


def quotes_section(results: ResultsFile, catalogue: Catalogue) -> str:
    """The "Citations" part (an ``<h3>``); "" for a form without free-text questions."""
    if not results.free_text and not results.quotes:
        return ""
    parts = [f'<h3 id="{anchors.QUOTES}">{escape(catalogue("results.page.quotes"))}</h3>']
    if results.publish_consent is None:
        parts.append(f"<p>{escape(catalogue('results.page.quotes.no_consent'))}</p>")
    elif not results.quotes:
        parts.append(f"<p>{escape(catalogue('results.page.quotes.none'))}</p>")
    else:
        parts.append(f"<p>{escape(catalogue('results.page.quotes.intro'))}</p>")
        parts += _groups(results, catalogue)
    if results.free_text:
        parts.append(moderation_figures(results, catalogue))
    return "\n".join(parts)


def _groups(results: ResultsFile, catalogue: Catalogue) -> list[str]:
    """A heading and its quotes for each theme (question by question, in form order), then for
    each question's quotes without one."""
    labels = {text.id: text.label for text in results.free_text}
    themes: dict[str, list[Quote]] = {}
    by_question: dict[str, list[Quote]] = {}
    for quote in results.quotes:
        if quote.theme:
            themes.setdefault(quote.theme, []).append(quote)
        else:
            by_question.setdefault(quote.question, []).append(quote)
    several = len({quote.question for quote in results.quotes}) > 1
    order = [text.id for text in results.free_text]
    order += [quote.question for quote in results.quotes if quote.question not in order]
    theme_ids = anchors.theme_anchors(results)
    parts = []
    for theme, quotes in themes.items():
        parts.append(_heading(theme_ids[theme], theme))
        in_form_order = sorted(quotes, key=lambda quote: order.index(quote.question))
        parts += _quotes(in_form_order, labels, catalogue, say_question=several)
    for question in order:
        if question in by_question:
            label = labels.get(question, question)
            parts.append(_heading(anchors.question_anchor(question), label))
            parts += _quotes(by_question[question], labels, catalogue, say_question=False)
    return parts


def _heading(anchor: str, text: str) -> str:
    return f'<h4 id="{escape(anchor)}">{escape(text)}</h4>'


def _quotes(quotes: Iterable[Quote], labels: dict[str, str], catalogue: Catalogue, *,
            say_question: bool) -> list[str]:
    """Each quote as a ``<blockquote>``; within a theme whose quotes answer several questions,
    a line before each question's quotes says which one."""
    parts = []
    current: str | None = None
    for quote in quotes:
        if say_question and quote.question != current:
            current = quote.question
            label = labels.get(quote.question, quote.question)
            parts.append(f"<p>{escape(catalogue('results.page.quotes.about', question=label))}"
                         "</p>")
        parts.append(f"<blockquote>{_paragraphs(quote.text)}</blockquote>")
    return parts


def _paragraphs(text: str) -> str:
    """A quote's own paragraphs and line breaks, escaped."""
    paragraphs = [part.strip() for part in text.replace("\r\n", "\n").split("\n\n")]
    return "".join("<p>" + "<br>".join(escape(line) for line in part.split("\n")) + "</p>"
                   for part in paragraphs if part)


# --- moderation figures ------------------------------------------------------------------------

def moderation_figures(results: ResultsFile, catalogue: Catalogue) -> str:
    """How the written answers were read: one table per free-text question."""
    parts = [f'<h4 id="{MODERATION}">{escape(catalogue("results.page.moderation"))}</h4>',
             f"<p>{escape(catalogue('results.page.moderation.intro'))}</p>"]
    columns = (catalogue("results.page.column.moderation"),
               catalogue("results.page.column.count"))
    for text in results.free_text:
        rows = [(label, count_text(count, catalogue, results.min_count))
                for label, count in moderation_rows(text, results, catalogue)]
        parts.append(table(text.label, columns, rows))
    return "\n".join(parts)


def moderation_rows(text: FreeTextResult, results: ResultsFile,
                    catalogue: Catalogue) -> list[tuple[str, Count]]:
    """Written answers, then (only when the form asks for consent) consented, published, set
    aside per reason, and not yet read."""
    rows: list[tuple[str, Count]] = [(catalogue("results.page.moderation.answered"),
                                      text.answered)]
    if results.publish_consent is None:
        return rows
    rows += [(catalogue("results.page.moderation.consented"), text.consented),
             (catalogue("results.page.moderation.approved"), text.approved)]
    rows += [(_reason(reason, catalogue), count) for reason, count in text.rejected.items()]
    rows.append((catalogue("results.page.moderation.to_moderate"), text.to_moderate))
    return rows


def _reason(reason: str, catalogue: Catalogue) -> str:
    """"Écartées : hors sujet"; a reason this parole does not know is shown as written."""
    key = f"results.page.rejected.{reason.replace(' ', '_').replace('-', '_')}"
    words = catalogue(key) if key in catalogue.strings else reason
    return catalogue("results.page.moderation.rejected", reason=words)
