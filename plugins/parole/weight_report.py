"""After the build: the page-weight report written into the site, its table in the log, and a
warning for each page over its budget and each resource fetched from elsewhere or missing."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig

from site_builder import page_weight, precompress
from site_builder.messages import say, say_count

log = logging.getLogger("mkdocs.plugins.parole")

LISTED_PAGES = 5
"""Pages named in a warning about many pages; the page-weight report lists them all."""


def report_page_weight(config: MkDocsConfig, budget: int, *, downloads: Sequence[str],
                       sent: dict[str, int] | None, markup: dict[str, str]) -> None:
    """Measure the built site against ``budget`` bytes a page, write the report (and its .gz
    when ``sent`` says the site is precompressed) and log the table and the warnings."""
    site_dir = Path(config.site_dir)
    site_path = urlsplit(config.site_url or "/").path
    report = page_weight.measure_site(site_dir, budget, site_path=site_path,
                                      downloads=list(downloads), sent=sent, markup=markup)
    report.write_json(site_dir / page_weight.REPORT_NAME)
    if sent is not None:  # written after the others: its own .gz now
        precompress.precompress_file(site_dir / page_weight.REPORT_NAME)
    log.info("%s\n%s", say("weight.heading"), report.table())
    over = report.over_budget()
    for page_report in over[:LISTED_PAGES]:
        log.warning(say("weight.page_over_budget", path=page_report.path,
                        total=page_weight.kib(page_report.total),
                        budget=page_weight.kib(budget)))
    if len(over) > LISTED_PAGES:
        log.warning(say("weight.more_over_budget", count=len(over) - LISTED_PAGES,
                        budget=page_weight.kib(budget), report=page_weight.REPORT_NAME))
    _warn_about_resources(report, config)


def _warn_about_resources(report: page_weight.SiteReport, config: MkDocsConfig) -> None:
    """One warning per resource, naming the pages that load it (a theme that loads a file
    from a CDN on every page would otherwise print one warning per page)."""
    external: dict[str, list[str]] = {}
    missing: dict[str, list[str]] = {}
    for page_report in report.pages:
        for url in page_report.external:
            external.setdefault(url, []).append(page_report.path)
        for target in page_report.missing:
            missing.setdefault(target, []).append(page_report.path)
    for url, paths in sorted(external.items()):
        log.warning(say_count("weight.external", len(paths), pages=_pages(paths), url=url,
                              docs=config.docs_dir))
    for target, paths in sorted(missing.items()):
        log.warning(say_count("weight.missing", len(paths), pages=_pages(paths),
                              target=target, docs=config.docs_dir))


def _pages(paths: list[str]) -> str:
    """``a.html``; ``a.html and b.html``; or the first :data:`LISTED_PAGES` and how many more."""
    if len(paths) == 1:
        return paths[0]
    if len(paths) <= LISTED_PAGES:
        return say("weight.pages_and", first=", ".join(paths[:-1]), last=paths[-1])
    return say("weight.pages_and_more", first=", ".join(paths[:LISTED_PAGES]),
               count=len(paths) - LISTED_PAGES)
