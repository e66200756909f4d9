"""Numbers and counts as the results page says them: "1 234", "45 %", "moins de 5", "masqué",
"310 sur papier et 924 en ligne". Every word comes from the theme's catalogue (the page's
language), so an English or Arabic results page reads as naturally as the French one."""

from __future__ import annotations

from collections.abc import Sequence

from site_builder.i18n import Catalogue
from site_builder.results.protect import HIDDEN, SMALL, Count


def number(value: int, catalogue: Catalogue) -> str:
    """``1234`` → "1 234" (French groups thousands with a narrow no-break space)."""
    return f"{value:,}".replace(",", catalogue("chart.thousands"))


def count_text(count: Count, catalogue: Catalogue, min_count: int) -> str:
    """A published count in words: the number, "moins de 5" or "masqué"."""
    if count == SMALL:
        return catalogue("results.page.small", min_count=str(min_count))
    if count == HIDDEN:
        return catalogue("results.page.hidden")
    return number(count, catalogue)


def percent(count: Count, total: int, catalogue: Catalogue) -> str:
    """``count`` as a whole percentage of ``total`` ("45 %"); "" when it has none: a protected
    count (its percentage would give it back) or no answer at all. A count that rounds to 0
    says "moins de 1 %" rather than "0 %", which would read as nobody."""
    if not isinstance(count, int) or total <= 0:
        return ""
    share = round(100 * count / total)
    if share == 0 and count > 0:
        return catalogue("results.page.under_one_percent")
    return catalogue("results.page.percent", number=number(share, catalogue))


def with_percent(count: Count, total: int, catalogue: Catalogue, min_count: int) -> str:
    """"560 (45 %)", or the count alone when it has no percentage."""
    shown = count_text(count, catalogue, min_count)
    share = percent(count, total, catalogue)
    return catalogue("results.page.count_and_percent", count=shown, percent=share) if share \
        else shown


def answers_text(count: int, catalogue: Catalogue) -> str:
    """"1 234 réponses", "1 réponse", "aucune réponse"."""
    if count == 0:
        return catalogue("results.page.answers.none")
    return catalogue.count("results.page.answers", count, count=number(count, catalogue))


def listed(items: Sequence[str], catalogue: Catalogue) -> str:
    """"a, b et c" in the page's language ("أ، ب وج" in Arabic: ``Catalogue.joined``)."""
    if len(items) <= 1:
        return "".join(items)
    return catalogue("results.page.list", items=catalogue.joined(items[:-1]), last=items[-1])
