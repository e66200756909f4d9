"""Emptying the site's folder before a build, but never the published journal (issue #19).

MkDocs empties ``site_dir`` before it builds (all but hidden files). The answer log's journal is
published into ``site/journal/`` by ``parole log publish``, not by the build: emptied, the site
would serve no journal until the next publish, and a verifier holding an older checkpoint could
find the partial tiles it needs gone for good (a publish writes only the tiles of the sizes it
signs). Moving the journal aside and back would leave it missing during the build, and for good
if the build were killed in between; so ``parole build`` empties the folder itself, leaving the
journal's published files where they are, and then lets MkDocs build without emptying it, as
Jekyll's ``keep_files`` keeps what other tools publish into its destination. The journal is thus
never absent from the site, whatever happens to the build.

Kept: ``journal/checkpoint``, ``journal/checkpoints/``, ``journal/tile/``, ``journal/key.txt``
(what only ``parole log publish`` writes) and, as MkDocs does, every name starting with a dot
(the publish lock, a publish's partial files, ``.git``). The journal's page and
``parole_verifier.py`` are the build's own, written again by each build.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from site_builder.answer_log_commands.publish import CHECKPOINT, CHECKPOINTS, KEY_FILE
from site_builder.journal_page import JOURNAL_FOLDER

TILES = "tile"
"""The tiles' and entry bundles' folder in the journal (C2SP tlog-tiles: ``tile/…``)."""
PUBLISHED = frozenset({CHECKPOINT, CHECKPOINTS, TILES, KEY_FILE})
"""The names in ``journal/`` that ``parole log publish`` writes and no build does."""


def clean_site(site_dir: Path) -> None:
    """Remove what ``site_dir`` holds, as MkDocs' own cleaning does, except the published
    journal's files (``PUBLISHED`` in ``journal/``) and hidden names (``.git``)."""
    if not site_dir.is_dir():
        return
    # said as MkDocs says it when it cleans (mkdocs_words gives it in the organizer's language)
    logging.getLogger("mkdocs.commands.build").info("Cleaning site directory")
    for entry in site_dir.iterdir():
        if entry.name.startswith("."):
            continue
        if entry.name == JOURNAL_FOLDER and entry.is_dir():
            for inside in entry.iterdir():
                if not inside.name.startswith(".") and inside.name not in PUBLISHED:
                    _remove(inside)
        else:
            _remove(entry)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)  # as MkDocs: what cannot go is overwritten
    else:
        path.unlink(missing_ok=True)


class _DirtyNotes(logging.Filter):
    """Drops MkDocs' notes about a build into a folder it did not empty: ``clean_site`` did.
    (A warning would stop a strict build.)"""

    NOTES = ("A 'dirty' build is being performed", "The directory contains stale files")

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.NOTES)


@contextmanager
def without_dirty_notes() -> Iterator[None]:
    """While MkDocs builds with ``dirty=True`` after ``clean_site``."""
    logger = logging.getLogger("mkdocs.commands.build")
    notes = _DirtyNotes()
    logger.addFilter(notes)
    try:
        yield
    finally:
        logger.removeFilter(notes)
