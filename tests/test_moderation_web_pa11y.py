"""pa11y over every moderation page, as test_entry_access_pa11y.py checks the mediators'
sign-in: WCAG2AA, runners htmlcs and axe (``.pa11yci.json``'s defaults), 0 errors.

A real ``parole collect`` serves them over HTTP (the sign-in form and each of its errors, the
wrong-token limit, the home, a form's page fresh, with mistakes, after a verdict, with nothing
left, a form without consent, the refusals); they are saved into a copy of the built site, so
that what they link to resolves, and pa11y-ci runs once over them. The pages' size is checked
too: within the 14 KiB a first round trip carries, compressed.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.collector.settings import ADMIN_MISS_LIMIT
from tests.collector_support import Reply, running_collector
from tests.moderation_support import (
    HOME,
    OTHER_FORM,
    PAGE,
    Moderator,
    moderation_site,
    quoted,
    send_answer,
)
from tests.pa11y_support import assert_pages_pass_pa11y

pytestmark = pytest.mark.pa11y

PAGES_FOLDER = "moderation-pages"
PAGE_BUDGET = 14 * 1024


def moderation_pages(site_dir: Path, log_dir: Path) -> Iterator[tuple[str, int, Reply]]:
    """``(file name, expected status, reply)`` for every kind of moderation page."""
    database = f"sqlite:///{log_dir / 'answers.db'}"
    with running_collector(site_dir, database, log_dir) as up:
        send_answer(up, site_dir, quoted("Des bancs. Appelez Jean Dupont.", "Le manège"))
        send_answer(up, site_dir, [("remarque", "Trop de bruit")], OTHER_FORM)
        visitor = Moderator(up)
        yield "sign-in.html", 200, visitor.send("GET", HOME)
        yield "sign-in-empty.html", 400, visitor.sign_in(token="", name="")
        for _ in range(ADMIN_MISS_LIMIT - 1):
            visitor.sign_in(token="devine")
        yield "sign-in-wrong.html", 400, visitor.sign_in(token="devine")
        yield "too-many-tokens.html", 429, visitor.sign_in()
        awa = Moderator(up)
        awa.sign_in()
        yield "home.html", 200, awa.send("GET", HOME)
        yield "form.html", 200, awa.send("GET", PAGE)
        yield "form-mistakes.html", 400, awa.decide([
            ("verdict", "redact"), ("hide_1", "Durand"), ("hide_reason_1", "other")])
        yield "form-no-choice.html", 400, awa.decide([("theme", "Ombre")])
        awa.decide([("verdict", "redact"), ("hide_1", "Jean Dupont"),
                    ("hide_reason_1", "personal data"), ("theme", "Bancs")])
        yield "form-after-a-verdict.html", 200, awa.send("GET", f"{PAGE}?fait=redacted")
        awa.decide([("verdict", "reject"), ("reason", "off-topic")])
        yield "form-all-done.html", 200, awa.send("GET", f"{PAGE}?fait=rejected")
        yield "form-stale.html", 200, awa.send("GET", f"{PAGE}?fait=stale")
        yield "form-without-consent.html", 200, awa.send("GET", f"{HOME}{OTHER_FORM}")
        yield "refused.html", 403, awa.send("POST", PAGE, [("_csrf", "0" * 64)])
        yield "unreadable.html", 400, awa.send("POST", PAGE, [("_csrf", awa.csrf()),
                                                              ("verdict", "approve")])
        yield "unknown-form.html", 404, awa.send("GET", f"{HOME}inconnu")


def test_every_moderation_page_passes_pa11y(tmp_path: Path) -> None:
    site = moderation_site(tmp_path / "consultation")
    assert_pages_pass_pa11y(site, moderation_pages(site, tmp_path), PAGES_FOLDER, tmp_path)


def test_every_moderation_page_is_within_the_budget_and_needs_no_script(
        tmp_path: Path) -> None:
    site = moderation_site(tmp_path / "consultation")
    linked = site / "assets" / "parole.css"  # the stylesheet, when not inlined in the page
    css = len(gzip.compress(linked.read_bytes())) if linked.exists() else 0
    for name, _, reply in moderation_pages(site, tmp_path):
        size = len(gzip.compress(reply.body)) + css
        assert size <= PAGE_BUDGET, f"{name}: {size} bytes with the stylesheet, compressed"
        assert "<script" not in reply.text.split("<main", 1)[1], name
