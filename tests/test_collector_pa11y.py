"""pa11y over the collector's pages, as test_pa11y.py checks the static ones: WCAG2AA, runners
htmlcs and axe, ``.pa11yci.json``'s defaults, 0 errors.

The pages are asked of a real collector (``parole collect`` on the example site) over HTTP, the
way a person gets them, then saved as ``.html`` files into a copy of the built site, so that
everything they link to (``/…`` paths are absolute) resolves when the copy is served. pa11y-ci
then runs once over them all.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from site_builder.collector.settings import DEFAULT_RECEIPT_MISS_LIMIT
from tests.collector_support import (
    VALID_ANSWER,
    Reply,
    RunningCollector,
    hidden_fields,
    running_collector,
)
from tests.pa11y_support import describe_failures, require_tools, run_pa11y_ci
from tests.support import serve_site

pytestmark = pytest.mark.pa11y

PAGES_FOLDER = "collector-pages"
WRONG_LINK = "/collect/ZZZZZZZZ/" + "A" * 22
"""A receipt link whose key opens nothing."""
FORM_BODY = {"Content-Type": "application/x-www-form-urlencoded"}


def answer(site_dir: Path, *changes: tuple[str, str],
           drop: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The example's valid answer with ``changes`` in place of the fields they name."""
    replaced = set(drop) | {name for name, _ in changes}
    kept = [pair for pair in VALID_ANSWER if pair[0] not in replaced]
    return [*hidden_fields(site_dir), *kept, *changes]


def collector_pages(site_dir: Path, log_dir: Path) -> Iterator[tuple[str, int, Reply]]:
    """``(file name, expected status, reply)`` for every kind of page the collector sends:
    the receipt, the form again with errors, the form again after an identical answer from the
    same connection, a receipt code alone, an unknown receipt, the form closed, the form not
    yet open, and message pages (answer too large, too many answers, too many wrong links from
    one client or from all of them)."""
    database = f"sqlite:///{log_dir / 'answers.db'}"
    with ExitStack() as stack:
        def collector(day: str | None = None, rate_limit: int = 0) -> RunningCollector:
            args = ["--rate-limit", str(rate_limit)]
            if day is None:
                return stack.enter_context(running_collector(site_dir, database, log_dir,
                                                             args=args))
            return stack.enter_context(running_collector(site_dir, database, log_dir,
                                                         day=day, args=args))

        open_ = collector()
        stored = open_.post(answer(site_dir, ("quartier", "pa11y")))
        assert stored.status == 303, stored.text
        yield "receipt.html", 200, open_.request("GET", stored.headers["location"])
        mistakes = answer(site_dir, ("age", "deux cents"), ("courriel", "pas-un-mail"),
                          drop=("frequence",))
        yield "errors.html", 400, open_.post(mistakes)
        yield "sent-already.html", 409, open_.post(answer(site_dir, ("quartier", "pa11y")))
        yield "code-alone.html", 404, open_.request("GET", "/collect/ZZZZZZZZ")
        yield "unknown-receipt.html", 404, open_.request("GET", WRONG_LINK)
        yield "too-large.html", 413, open_.request("POST", "/collect", b"idee=" + b"a" * 70_000,
                                                   FORM_BODY)
        yield "closed.html", 410, collector("2027-03-05").post(answer(site_dir))
        yield "not-open.html", 403, collector("2026-12-01").post(answer(site_dir))
        limited = collector(rate_limit=1)
        assert limited.post(answer(site_dir, ("quartier", "une"))).status == 303
        yield "too-many-answers.html", 429, limited.post(answer(site_dir, ("quartier", "deux")))
        assert limited.request("GET", WRONG_LINK).status == 404
        yield "too-many-codes.html", 429, limited.request("GET", WRONG_LINK)
        # the limit every client shares (120 a minute): many addresses, one page past it
        for number in range(DEFAULT_RECEIPT_MISS_LIMIT):
            open_.request("GET", WRONG_LINK, headers={"X-Forwarded-For": f"198.51.100.{number}"})
        yield "too-many-links.html", 429, open_.request("GET", WRONG_LINK)


def test_every_collector_page_passes_pa11y(example_site: Path, tmp_path: Path) -> None:
    require_tools(pa11y=True)
    site_copy = tmp_path / "site"
    shutil.copytree(example_site, site_copy)
    folder = site_copy / PAGES_FOLDER
    folder.mkdir()
    statuses = {}
    for name, expected, reply in collector_pages(example_site, tmp_path):
        statuses[name] = (expected, reply.status)
        (folder / name).write_text(reply.text, encoding="utf-8")
    assert all(expected == got for expected, got in statuses.values()), statuses

    with serve_site(site_copy) as base_url:
        urls = {f"{base_url}{PAGES_FOLDER}/{name}": name for name in statuses}
        reports = run_pa11y_ci(list(urls), tmp_path)
    failed = [report for report in reports.values() if report.failed]
    assert not failed, describe_failures(list(reports.values()), lambda url: urls[url])
