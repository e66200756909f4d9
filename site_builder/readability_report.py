"""How readable each page of a consultation is, gathered: the targets a site sets, a page's
front matter (``plain_language:``), the table printed after the build and ``readability.json``
written beside ``page-weight.json``. ``site_builder.plain_language`` measures one page; this
module only chooses targets, sorts and writes, so the build and ``parole readability`` agree.

Why: many residents a consultation speaks to find administrative French hard. After every build
the writer sees which pages are below their target and how many sentences to rewrite;
``parole readability PAGE.md`` then shows those sentences and why.

Targets. ``default`` holds every page unless its front matter says otherwise; the site's
``plain_language.max_words`` and ``min_score`` set it. ``falc`` (front matter
``plain_language: falc``: easy-to-read pages, *facile à lire et à comprendre*) is
``plain_language.TARGETS["falc"]``, never laxer than the site's default (the shorter sentences
and the higher score of the two). ``plain_language: false`` leaves a page out (text that is not
prose meant for everyone, e.g. a legal notice).

``readability.json`` (:data:`REPORT_NAME`, written in the site; stable: sorted, no date, so
reproducible builds stay byte-identical)::

    {
      "version": 1,
      "targets": {"default": {"max_words": 15, "min_score": 60.0},
                  "falc": {"max_words": 10, "min_score": 70.0}},
      "totals": {"pages": 6, "measured": 5, "below_target": ["faq.md"], "flagged": 12},
      "pages": [
        {"source": "faq.md", "path": "faq/index.html", "url": "/faq/", "language": "fr",
         "target": "default", "score": 58.1, "below_target": true, "sentences": 41,
         "words": 402, "syllables": 613,
         "flagged": [{"line": 12, "text": "Pour donner votre avis, vous pouvez …",
                      "signals": [{"kind": "long_sentence", "text": "…"}]}]},
        ...
      ],
      "skipped": ["mentions-legales.md"]
    }

``source`` is the page's markdown file from the docs folder (what the writer edits, and what
``parole readability`` takes); ``path`` and ``url`` name the built page as ``page-weight.json``
does. ``score`` is rounded to one decimal; it is ``null`` for a page without prose or in a
language parole does not measure (French and English are), and such a page is never below its
target. ``flagged`` lists the sentences with at least one signal, in the order of the page, each
at its line in ``source``; ``signals[].kind`` is one of ``plain_language.Signal``'s kinds and
``text`` the words concerned, as written. ``sentences``, ``words`` and ``syllables`` are the
counts the score comes from. Pages are sorted by ``source``; ``skipped`` lists the pages whose
front matter says ``plain_language: false``; ``totals.measured`` counts the pages with a score.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from site_builder.errors import Problem
from site_builder.messages import say
from site_builder.plain_language import TARGETS, PageReadability, Target

REPORT_NAME = "readability.json"
FRONT_MATTER_KEY = "plain_language"
"""The front matter key that sets a page's target (``falc``) or leaves it out (``false``)."""
TARGET_NAMES = ("default", "falc")
TABLE_LIMIT = 60  # above this many pages, the table shows only the hardest ones
TABLE_HARDEST = 30


def site_targets(max_words: int | None = None, min_score: float | None = None,
                 ) -> dict[str, Target]:
    """The targets of a site whose options say ``max_words`` and ``min_score`` (None: the
    default target's own): ``default`` with them, ``falc`` never laxer than it."""
    default = TARGETS["default"]
    default = replace(
        default, max_words=default.max_words if max_words is None else max_words,
        min_score=default.min_score if min_score is None else float(min_score))
    falc = TARGETS["falc"]
    falc = replace(falc, max_words=min(falc.max_words, default.max_words),
                   min_score=max(falc.min_score, default.min_score))
    return {"default": default, "falc": falc}


class UnknownTargetError(ValueError):
    """A page's front matter asks for a target that does not exist."""


def page_target(value: object, targets: Mapping[str, Target]) -> Target | None:
    """The target a page's ``plain_language:`` asks for: ``True`` (not written) or
    ``default`` → the default target, ``falc`` → the easy-to-read one (any case), ``false`` →
    None: the page is not measured. Anything else raises :class:`UnknownTargetError`."""
    if value is True:
        return targets["default"]
    if value is False:
        return None
    if isinstance(value, str) and value.strip().lower() in targets:
        return targets[value.strip().lower()]
    raise UnknownTargetError(value)


def target_problem(value: object, *, file: str, line: int | None) -> Problem:
    """The error for a front matter ``plain_language:`` that :func:`page_target` refuses."""
    return Problem(say("readability.front_matter", value=repr(value)),
                   say("readability.front_matter.fix"), file=file, line=line,
                   field=FRONT_MATTER_KEY)


def front_matter_line(text: str, key: str = FRONT_MATTER_KEY) -> int | None:
    """The line (from 1) of ``text``'s front matter that sets ``key``, or None."""
    lines = text.splitlines()
    if not lines or lines[0].rstrip() != "---":
        return None
    for number, line in enumerate(lines[1:], 2):
        if line.rstrip() in ("---", "..."):
            return None
        if line.split(":", 1)[0].strip() == key and ":" in line:
            return number
    return None


def format_score(score: float | None) -> str:
    """``58.06`` → ``"58.1"``; no score → ``"—"``."""
    return "—" if score is None else f"{score:.1f}"


@dataclass(frozen=True)
class PageEntry:
    """One measured page: its markdown file, its built page, and what was measured."""

    source: str
    path: str
    url: str
    readability: PageReadability

    @property
    def below_target(self) -> bool:
        return self.readability.below_target


@dataclass(frozen=True)
class ReadabilityReport:
    """Every measured page of a site, sorted by source, the targets, the pages left out."""

    pages: Sequence[PageEntry]
    targets: Mapping[str, Target]
    skipped: Sequence[str] = field(default_factory=list)

    @classmethod
    def of(cls, pages: Sequence[PageEntry], targets: Mapping[str, Target],
           skipped: Sequence[str] = ()) -> ReadabilityReport:
        """The report, its pages and skipped pages sorted (the order pages were built in
        varies with ``mkdocs serve`` and with plugins)."""
        return cls(sorted(pages, key=lambda page: page.source), targets, sorted(skipped))

    def below_target(self) -> list[PageEntry]:
        return [page for page in self.pages if page.below_target]

    @property
    def flagged(self) -> int:
        return sum(len(page.readability.flagged) for page in self.pages)

    def table(self) -> str:
        """The report as plain text in aligned columns, then the totals."""
        if not self.pages and not self.skipped:
            return say("readability.no_pages")
        shown = list(self.pages)
        if len(shown) > TABLE_LIMIT:  # the pages most in need of rewriting first
            shown = sorted(shown, key=_hardest_first)[:TABLE_HARDEST]
        headers = [say("readability.column.page"), say("readability.column.language"),
                   say("readability.column.score"), say("readability.column.target"),
                   say("readability.column.flagged"), ""]
        rows = [headers]
        for page in shown:
            readability = page.readability
            target = readability.target
            rows.append([
                page.source, readability.language, format_score(readability.score),
                _target_cell(target), str(len(readability.flagged)),
                say("readability.below_target") if page.below_target
                else say("readability.not_measured") if readability.score is None else ""])
        if len(shown) == len(self.pages):
            rows += [[source, "", "—", "—", "—", say("readability.skipped")]
                     for source in self.skipped]
        widths = [max(len(row[column]) for row in rows) for column in range(len(headers))]
        lines = ["  ".join(cell.rjust(width) if column in (2, 3, 4) else cell.ljust(width)
                           for column, (cell, width) in enumerate(zip(row, widths, strict=True)))
                 .rstrip() for row in rows]
        if len(shown) < len(self.pages):
            lines.append(say("readability.other_pages", count=len(self.pages) - len(shown),
                             pages=len(self.pages) + len(self.skipped), report=REPORT_NAME))
        default = self.targets["default"]
        lines.append(say(
            "readability.totals", measured=sum(page.readability.score is not None
                                               for page in self.pages),
            below=len(self.below_target()), flagged=self.flagged,
            min_score=_number(default.min_score), max_words=default.max_words))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "targets": {name: {"max_words": target.max_words, "min_score": target.min_score}
                        for name, target in sorted(self.targets.items())},
            "totals": {
                "pages": len(self.pages),
                "measured": sum(page.readability.score is not None for page in self.pages),
                "below_target": [page.source for page in self.below_target()],
                "flagged": self.flagged,
            },
            "pages": [_page_dict(page) for page in self.pages],
            "skipped": list(self.skipped),
        }

    def write_json(self, path: Path) -> None:
        """Write the report as JSON (format in the module docstring), the same bytes each time."""
        text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False)
        path.write_text(text + "\n", encoding="utf-8")


def _page_dict(page: PageEntry) -> dict[str, Any]:
    readability = page.readability
    return {
        "source": page.source, "path": page.path, "url": page.url,
        "language": readability.language, "target": readability.target.name,
        "score": None if readability.score is None else round(readability.score, 1),
        "below_target": page.below_target, "sentences": readability.sentences,
        "words": readability.words, "syllables": readability.syllables,
        "flagged": [{"line": sentence.line, "text": sentence.text,
                     "signals": [{"kind": signal.kind, "text": signal.text}
                                 for signal in sentence.signals]}
                    for sentence in readability.flagged],
    }


def _hardest_first(page: PageEntry) -> tuple[bool, float, str]:
    """Below target first, then by score (lowest first), unmeasured pages last."""
    score = page.readability.score
    return (not page.below_target, float("inf") if score is None else score, page.source)


def _target_cell(target: Target) -> str:
    """``60`` for the default target, ``70 FALC`` for the easy-to-read one."""
    score = _number(target.min_score)
    return score if target.name == "default" else f"{score} {target.name.upper()}"


def _number(value: float) -> str:
    """``60.0`` → ``"60"``; ``62.5`` → ``"62.5"``."""
    return f"{value:g}"
