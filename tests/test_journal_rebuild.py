"""``parole build`` over a site whose ``journal/`` holds the published answer log (issue #19):
the journal's files stay where they are, byte for byte, through a rebuild and through a build
killed at any moment, and ``parole log verify`` still accepts the journal; everything else the
folder held is gone, as MkDocs' own cleaning would have done."""

from __future__ import annotations

import logging
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from site_builder.site_clean import clean_site
from tests.collector_support import PAROLE
from tests.log_command_support import keygen, store_answers, succeeds
from tests.support import build_site, write_site

FORM = """# Donner mon avis

```form
id: avis-jardin
title: Votre avis
fields:
  - id: envie
    type: choice
    label: Voulez-vous jardiner ?
    options:
      - {value: oui, label: Oui}
      - {value: non, label: Non}
```
"""
PAGES = {"index.md": "# Accueil\n\nBienvenue.\n", "avis.md": FORM}
SITE_URL = "https://consultation.example.org/belval/"


def _journal_files(journal: Path) -> dict[str, bytes]:
    """The files of the journal that ``parole log publish`` writes and no build does."""
    return {path.relative_to(journal).as_posix(): path.read_bytes()
            for path in sorted(journal.rglob("*")) if path.is_file()
            and path.relative_to(journal).parts[0] in {"checkpoint", "checkpoints", "tile",
                                                       "key.txt"}}


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A built site (French and Arabic) whose journal has two checkpoints published, the
    first's partial tiles kept; returns the config file, the site and the public key."""
    config = write_site(tmp_path, PAGES, site_url=SITE_URL,
                        plugins=[{"parole": {"languages": ["fr", "ar"]}}])
    site = build_site(config, tmp_path / "site")
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    key, public = keygen(tmp_path)
    for first, count in ((0, 300), (300, 200)):
        store_answers(url, count, first=first)
        succeeds("checkpoint", "--db", url, "--key", key, cwd=tmp_path)
        succeeds("publish", "--db", url, "--key", public, "--output", site / "journal",
                 cwd=tmp_path)
    assert (site / "journal" / "tile/0/001.p/44").is_file()  # the first checkpoint's
    return config, site, public


def test_a_rebuild_keeps_the_published_journal(published: tuple[Path, Path, Path]) -> None:
    config, site, public = published
    before = _journal_files(site / "journal")
    assert len(before) > 10
    stale = [site / "ancienne-page.html", site / "ar" / "ancienne.html",
             site / "journal" / "ancienne.html", site / "dossier" / "page.html"]
    for path in stale:
        path.parent.mkdir(exist_ok=True)
        path.write_text("périmé", encoding="utf-8")
    (site / "journal" / "parole_verifier.py").write_text("# old verifier\n", encoding="utf-8")

    build_site(config, site)

    assert _journal_files(site / "journal") == before
    assert not [path for path in stale if path.exists()]
    assert (site / "journal" / "parole_verifier.py").read_text(encoding="utf-8") \
        != "# old verifier\n"  # the build's own file, written again
    assert (site / "journal" / "index.html").is_file()
    assert (site / "ar" / "journal" / "index.html").is_file()
    assert "The journal is verified." in succeeds(
        "verify", "--site", site / "journal", "--key", public, cwd=site.parent)


def test_clean_site_keeps_hidden_names_and_nothing_else(tmp_path: Path) -> None:
    kept = ["journal/checkpoint", "journal/checkpoints/7", "journal/tile/0/000.p/7",
            "journal/key.txt", "journal/.parole-publish.lock", ".git/HEAD"]
    removed = ["index.html", "index.html.gz", "journal/index.html", "journal/key.txt.gz",
               "journal/parole_verifier.py", "ar/journal/checkpoint", "tile/0/000"]
    for name in kept + removed:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name, encoding="utf-8")
    said: list[str] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = lambda record: said.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs.commands.build")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        clean_site(tmp_path)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert said == ["Cleaning site directory"]  # as MkDocs says it, in the organizer's words
    left = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")
                  if path.is_file())
    assert left == sorted(kept)
    clean_site(tmp_path / "nowhere")  # a site never built: nothing to do


def test_a_build_killed_at_any_moment_leaves_the_journal_whole(
        published: tuple[Path, Path, Path]) -> None:
    config, site, public = published
    before = _journal_files(site / "journal")
    chance = random.Random(int(os.environ.get("PAROLE_KILL_SEED", "19")))
    # the first kill lands once the build has emptied the folder (its pages gone), the others
    # after random delays over a build's length
    delays: list[float | None] = [None] + [chance.uniform(0.0, 3.0) for _ in range(4)]
    for delay in delays:
        build = subprocess.Popen([str(PAROLE), "build", "--quiet", "-f", str(config),
                                  "--site-dir", str(site)], cwd=site.parent,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env={**os.environ, "LANG": "C.UTF-8"})
        try:
            if delay is None:
                _wait_until_gone(site / "avis" / "index.html", build)
            else:
                time.sleep(delay)
        finally:
            build.send_signal(signal.SIGKILL)
            build.wait(timeout=30)
        assert _journal_files(site / "journal") == before, delay
        succeeds("verify", "--site", site / "journal", "--key", public, cwd=site.parent)
    build_site(config, site)
    assert _journal_files(site / "journal") == before
    assert (site / "avis" / "index.html").is_file()


def _wait_until_gone(path: Path, build: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while path.exists():
        assert build.poll() is None and time.monotonic() < deadline, "the build never cleaned"
        time.sleep(0.002)
