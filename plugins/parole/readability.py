"""Plain language in the build: each page measured as MkDocs reads it (its front matter chooses
its target), then, after the build, the readability table in the log right after the page-weight
one, ``readability.json`` in the site, and a warning for each page below its target.

Why a page below its target does not stop ``mkdocs build --strict`` unless
``plain_language.strict: true``: in strict mode MkDocs counts every record of level WARNING or
more that reaches the ``mkdocs`` logger (``mkdocs.commands.build``: a ``utils.CountHandler`` set
to WARNING, added to that logger for the build) and aborts after the build if it counted any. A
hard page is advice to its writer, not a broken site, so it is logged at :data:`ADVICE`, just
under WARNING: the counter, whose level is WARNING, never sees it, while every handler that
shows INFO does, and a filter on this module's logger names its level WARNING, so that the
writer reads it as one (MkDocs' and parole's formatters print ``levelname``). With
``strict: true`` it is an ordinary warning and a strict build stops. Weighed and left: a logger
outside ``mkdocs`` (``mkdocs build`` shows only the ``mkdocs`` logger's records), an INFO line
(reads as news, not as something to fix), removing MkDocs' counter (its business, not ours).

Why pages are measured :data:`FORK_BATCH` at a time in forked children: the measure is pure
Python, about a sixth of a 200-page build in the build's own thread (``bench/readability.py``).
MkDocs reads every page's markdown before it renders any, so each batch is measured on a spare
core (``site_builder.forked``) while MkDocs reads and converts the next pages; the report takes
the results. Where no fork is safe (``mkdocs serve``'s threads, one core), or for the last
pages, the measure runs in this process when the report is written: the same results.
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from site_builder import precompress
from site_builder.errors import Problem
from site_builder.forked import Forked
from site_builder.messages import say
from site_builder.page_weight import page_url
from site_builder.plain_language import Target, analyse_markdown
from site_builder.readability_report import (
    FRONT_MATTER_KEY,
    REPORT_NAME,
    PageEntry,
    ReadabilityReport,
    UnknownTargetError,
    format_score,
    front_matter_line,
    page_target,
    site_targets,
    target_problem,
)

from .config import PlainLanguageConfig
from .languages import page_language

log = logging.getLogger("mkdocs.plugins.parole.readability")

ADVICE = logging.WARNING - 5
"""A warning that MkDocs' strict mode does not count (see the module's docstring)."""
LISTED_PAGES = 5
"""Pages named one by one below their target; ``readability.json`` lists them all."""
FORK_BATCH = 20
"""Pages measured together in one forked child (see the module's docstring): a fork costs a
millisecond or two, twenty pages some tens."""


@dataclass(frozen=True)
class _PageSource:
    """What the measure of one page needs, read while MkDocs had the page in hand."""

    source: str
    built: str
    markdown: str
    language: str
    target: Target


def _measure(pages: list[_PageSource]) -> list[PageEntry]:
    return [PageEntry(page.source, page.built, page_url(page.built),
                      analyse_markdown(page.markdown, page.language, page.target))
            for page in pages]


class _ShownAsWarning(logging.Filter):
    """Names :data:`ADVICE` records WARNING: what they are to the writer."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == ADVICE:
            record.levelname = logging.getLevelName(logging.WARNING)
        return True


log.addFilter(_ShownAsWarning())


class ReadabilityAdapter:
    """One build's readability: made in ``on_config``, fed each page, reported at the end."""

    def __init__(self, options: PlainLanguageConfig | None = None) -> None:
        """``options`` None: measures nothing (the plugin's state before ``on_config``)."""
        self.enabled = options is not None and options.enabled
        self.strict = options is not None and options.strict
        self.targets = (site_targets(options.max_words, options.min_score)
                        if options is not None and self.enabled else {})
        self.waiting: list[_PageSource] = []
        self.batches: list[Forked[list[PageEntry]]] = []
        self.skipped: list[str] = []
        # A build that fails before its report leaves batches no one reads: their children
        # are stopped when this adapter goes (the next build's on_config, or the process's end).
        weakref.finalize(self, _stop, self.batches)

    def page(self, page: Page, config: MkDocsConfig) -> list[Problem]:
        """Measure ``page`` from its source as written (what ``parole readability`` reads, so
        both say the same lines); an unknown ``plain_language:`` is a problem at its line."""
        if not self.enabled or page.file.generated_by is not None:  # the site map: not prose
            return []
        source = page.file.content_string
        try:
            target = page_target(page.meta.get(FRONT_MATTER_KEY, True), self.targets)
        except UnknownTargetError as error:
            return [target_problem(error.args[0], file=page.file.src_uri,
                                   line=front_matter_line(source))]
        if target is None:
            self.skipped.append(page.file.src_uri)
            return []
        self.waiting.append(_PageSource(page.file.src_uri, page.file.dest_uri, source,
                                        page_language(page, config), target))
        if len(self.waiting) >= FORK_BATCH:
            self.batches.append(Forked(partial(_measure, self.waiting)))
            self.waiting = []
        return []

    def measured(self) -> list[PageEntry]:
        """Every page measured: the batches' results, then the pages still waiting."""
        pages = [entry for batch in self.batches for entry in batch.result()]
        self.batches.clear()
        pages += _measure(self.waiting)
        self.waiting = []
        return pages

    def report(self, config: MkDocsConfig, *, gzip: bool) -> None:
        """Write ``readability.json`` (and its ``.gz`` when the site is precompressed: written
        after the others), log the table and a warning for each page below its target."""
        if not self.enabled:
            return
        report = ReadabilityReport.of(self.measured(), self.targets, self.skipped)
        path = Path(config.site_dir) / REPORT_NAME
        report.write_json(path)
        if gzip:
            precompress.precompress_file(path)
        log.info("%s\n%s", say("readability.heading"), report.table())
        level = logging.WARNING if self.strict else ADVICE
        below = report.below_target()
        for entry in below[:LISTED_PAGES]:
            log.log(level, "%s", say(
                "readability.page_below_target", page=entry.source,
                score=format_score(entry.readability.score),
                target=f"{entry.readability.target.min_score:g}",
                command=f"parole readability {_docs_path(config, entry.source)}"))
        if len(below) > LISTED_PAGES:
            log.log(level, "%s", say("readability.more_below_target",
                                     count=len(below) - LISTED_PAGES, report=REPORT_NAME))


def _stop(batches: list[Forked[list[PageEntry]]]) -> None:
    for batch in batches:
        batch.close()


def _docs_path(config: MkDocsConfig, source: str) -> str:
    """``content/faq.md``: the page's file from the folder of ``mkdocs.yml``, where the
    organizer runs ``parole`` (the absolute path when the docs are elsewhere)."""
    docs = Path(config.docs_dir)
    base = Path(config.config_file_path or ".").parent.resolve()
    try:
        folder = docs.resolve().relative_to(base).as_posix()
    except ValueError:
        folder = docs.resolve().as_posix()
    return f"{folder}/{source}" if folder != "." else source
