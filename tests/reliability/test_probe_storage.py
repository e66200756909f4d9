"""Probed from outside (issue #13): the database's file under a running collector, and where it
may be.

- **Never a false receipt.** With the database's folder deleted while the collector runs
  (``rm -rf parole-data/``), answers got a 303 and a receipt page: they were written into a file
  nobody could open again, and lost when the process stopped. The same with the file replaced
  by another one. Now: 503 "not saved", and the log says why and how to recover.
- **A database the web server would publish** (``--db`` inside ``--site``, or for
  ``parole serve`` inside the pages folder MkDocs copies into the site): refused at start.
- **A read-only database**: refused at start with what to fix, not a Python traceback.
"""

from __future__ import annotations

import html
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path

import pytest

from site_builder.storage import open_storage
from tests.collector_support import (
    OPEN_DAY,
    PAROLE,
    VALID_ANSWER,
    RunningCollector,
    hidden_fields,
    running_collector,
)
from tests.reliability.figures import Figures
from tests.support import free_port, write_site

NOT_SAVED = "Votre réponse n\u2019a pas été enregistrée"
"""The title of the 503 page (theme/locales/fr.yml, ``collector.unavailable.title``)."""


def _post(collector: RunningCollector, site: Path, number: int) -> tuple[int, str]:
    answer = [(name, f"Quartier {number}" if name == "quartier" else value)
              for name, value in [*hidden_fields(site), *VALID_ANSWER]]
    reply = collector.post(answer)
    return reply.status, html.unescape(reply.text)


def _delete_folder(database: Path) -> None:
    shutil.rmtree(database.parent)  # rm -rf parole-data/


def _replace_file(database: Path) -> None:
    other = database.with_name("restored.db")
    with closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE answers (x)")
    other.replace(database)  # e.g. a backup put back with mv while the collector runs


@pytest.mark.parametrize(("change", "said", "finding"), [
    # The example site is French, and so is its collector's log (issue #14).
    (_delete_folder, "a été supprimé", "database folder deleted (rm -rf) while the collector runs"),
    (_replace_file, "a été remplacé par un autre fichier", "database file replaced while it runs"),
], ids=["folder-deleted", "file-replaced"])
def test_a_lost_database_file_gets_503_not_a_receipt(
        example_site: Path, tmp_path: Path, figures: Figures, *,
        change: Callable[[Path], None], said: str, finding: str) -> None:
    database = tmp_path / "parole-data" / "answers.db"
    with running_collector(example_site, f"sqlite:///{database}", tmp_path,
                           args=["--rate-limit", "0"]) as collector:
        assert _post(collector, example_site, 1)[0] == 303
        change(database)
        replies = [_post(collector, example_site, number) for number in range(2, 5)]
        log = collector.log()
    assert [status for status, _ in replies] == [503] * 3
    assert all(NOT_SAVED in text for _, text in replies)
    assert f"le fichier de base de données {database} {said}" in log
    assert "NON enregistrée (503)" in log
    assert "Pour corriger : relancez le collecteur" in log
    figures.add("probe", {
        "finding": finding,
        "probe": "a collector takes an answer (303), then its database file is "
                 f"{'deleted with its folder' if 'supprimé' in said else 'replaced (mv)'}, and 3 "
                 "more answers are posted",
        "result": "each gets 503 with the page saying the answer was not saved; the "
                  "log says the file was lost and how to recover; no receipt",
    })


def _parole(arguments: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``parole`` run to the end: a refusal ends it at once (a timeout means it listened)."""
    environment = {**os.environ, "PAROLE_BUILD_DATE": OPEN_DAY}
    return subprocess.run([str(PAROLE), *arguments], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env=environment, check=False)


def test_a_database_inside_the_site_is_refused(example_site: Path, tmp_path: Path,
                                               figures: Figures) -> None:
    site = tmp_path / "site"
    shutil.copytree(example_site, site)
    port = str(free_port())
    refused = _parole(["collect", "--site", "site", "--db", "sqlite:///site/answers.db",
                       "--port", port], tmp_path)
    assert refused.returncode == 1
    # The example site and the preview are French, and so are the refusals (issue #14).
    assert "la base de données site/answers.db est dans le dossier du site" in refused.stderr
    assert "Pour corriger" in refused.stderr
    assert not (site / "answers.db").exists()

    config = write_site(tmp_path / "preview", {"index.md": "# Accueil\n"})
    served = _parole(["serve", "-f", str(config), "--db", "sqlite:///docs/preview.db",
                      "--port", port], tmp_path / "preview")
    assert served.returncode == 1
    assert "est dans le dossier des pages (docs_dir)" in served.stderr
    assert not (tmp_path / "preview" / "docs" / "preview.db").exists()
    figures.add("probe", {
        "finding": "a database inside the published site (GET /preview.db-wal gave the answers)",
        "probe": "parole collect --db inside --site, and parole serve --db inside the pages "
                 "folder that MkDocs copies into the site",
        "result": "both refuse to start, saying the web server would hand out the answers and "
                  "where to put the database instead; no file is created",
    })


def test_a_read_only_database_says_what_to_fix(example_site: Path, tmp_path: Path,
                                               figures: Figures) -> None:
    database = tmp_path / "db" / "answers.db"
    open_storage(f"sqlite:///{database}").close()
    # chattr +i: read-only even for root (the tests run as root, whom chmod does not stop),
    # like a read-only mount; the first write fails, not the opening.
    made = subprocess.run(["chattr", "+i", str(database)], capture_output=True, text=True,
                          check=False)
    if made.returncode != 0:
        pytest.skip(f"chattr +i is not possible here: {made.stderr.strip()}")
    try:
        refused = _parole(["collect", "--site", str(example_site), "--db",
                           f"sqlite:///{database}", "--port", str(free_port())], tmp_path)
    finally:
        subprocess.run(["chattr", "-i", str(database)], check=True)
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    # The example site is French, and so are its collector's refusals (issue #14).
    assert f"la base SQLite {database} ne peut pas être écrite" in refused.stderr
    assert "Pour corriger : permettez à cet utilisateur d'écrire le fichier et son dossier" \
        in refused.stderr
    figures.add("probe", {
        "finding": "a read-only database printed a Python traceback",
        "probe": "parole collect on a database file made immutable (chattr +i)",
        "result": "refused at start: the file cannot be written, check owner, permissions, "
                  "chattr -i or a read-only mount",
    })
