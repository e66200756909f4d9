"""pa11y over the pages of signing in to the mediators' area, as test_collector_pa11y.py checks
the collector's: WCAG2AA, runners htmlcs and axe (``.pa11yci.json``'s defaults), 0 errors.

A real ``parole collect`` serves them over HTTP (the sign-in form, with each of its errors, the
wrong-code limit, the signed-in home, the area's refusals under the signed-in line); they are
saved into a copy of the built site, so that what they link to resolves, and pa11y-ci runs once
over them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.collector.settings import CODE_MISS_LIMIT
from tests.collector_support import Reply, running_collector
from tests.pa11y_support import assert_pages_pass_pa11y
from tests.reliability.access_area import AREA, Visitor, add_mediator

pytestmark = pytest.mark.pa11y

PAGES_FOLDER = "entry-access-pages"


def access_pages(site_dir: Path, log_dir: Path) -> Iterator[tuple[str, int, Reply]]:
    """``(file name, expected status, reply)`` for every page of signing in."""
    database = f"sqlite:///{log_dir / 'answers.db'}"
    code = add_mediator(database, "Awa")
    with running_collector(site_dir, database, log_dir) as up:
        visitor = Visitor(up, "198.51.100.7")
        yield "sign-in.html", 200, visitor.send("GET", f"{AREA}/")
        yield "sign-in-no-code.html", 400, visitor.send("POST", f"{AREA}/sign-in",
                                                        [("code", "")])
        for _ in range(CODE_MISS_LIMIT - 1):
            visitor.send("POST", f"{AREA}/sign-in", [("code", "A" * 26)])
        yield "sign-in-wrong.html", 400, visitor.send("POST", f"{AREA}/sign-in",
                                                      [("code", "A" * 26)])
        yield "too-many-codes.html", 429, visitor.send("POST", f"{AREA}/sign-in",
                                                       [("code", code)])
        awa = Visitor(up, "198.51.100.8")
        awa.sign_in(code)
        yield "signed-in-home.html", 200, awa.send("GET", f"{AREA}/")
        yield "refused.html", 403, awa.send("POST", f"{AREA}/sign-out", [("_csrf", "0" * 64)])
        yield "coordinators-only.html", 403, awa.send(
            "POST", f"{AREA}/batches/1/close", [("_csrf", awa.csrf)])


def test_every_sign_in_page_passes_pa11y(example_site: Path, tmp_path: Path) -> None:
    assert_pages_pass_pa11y(example_site, access_pages(example_site, tmp_path), PAGES_FOLDER,
                            tmp_path)
