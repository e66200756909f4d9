"""Small counts are never published (``results.min_count``, 5 by default).

A breakdown (answers per channel, per day, per option of a question, per moderation outcome)
shows any count below ``min_count`` as "fewer than N", 0 included: telling 0 from 3 apart in a
small town can say who answered what. That alone is not enough when the breakdown's total is
published: with exactly one count hidden, the total minus the others gives it back. So, as
statistical offices do (INSEE's *secret statistique*, "secondary suppression"), the smallest
other count is hidden too, and said to be hidden for that reason, never as "fewer than N", which
would not be true.

Counts are protected once, by ``parole results``, before anything is written: the results file,
the results page and the open data hold only protected counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, TypeVar

DEFAULT_MIN_COUNT = 5
SMALL: Literal["small"] = "small"
"""A count below ``min_count``: shown as "fewer than N"."""
HIDDEN: Literal["hidden"] = "hidden"
"""A count of ``min_count`` or more, hidden so that a count below it cannot be deduced."""

Count = int | Literal["small", "hidden"]
"""A published count: a number, or why it is not shown."""

Key = TypeVar("Key")


def protect(counts: Mapping[Key, int], min_count: int) -> dict[Key, Count]:
    """``counts`` (one breakdown, in its order) with every count below ``min_count`` replaced by
    ``SMALL``, and, when that leaves exactly one of them, the smallest other count by ``HIDDEN``
    (the first in order among equals). ``min_count`` 0 or 1 protects nothing."""
    if min_count <= 1:
        return dict(counts)
    protected: dict[Key, Count] = {
        key: SMALL if count < min_count else count for key, count in counts.items()}
    small = [key for key, count in protected.items() if count == SMALL]
    if len(small) == 1:
        shown = [(count, index, key) for index, (key, count) in enumerate(counts.items())
                 if protected[key] != SMALL]
        if shown:
            protected[min(shown)[2]] = HIDDEN
    return protected


def shown_number(count: Count) -> int | None:
    """The number, when it is shown."""
    return count if isinstance(count, int) else None
