"""``parole mediators add|list|revoke``, run as an organizer runs them (real processes), on
both storage backends: a code printed once and kept only as a digest, names checked, a revoked
code gone, in English and in French."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from pathlib import Path

import pytest

from site_builder.collector.entry.codes import normalise_code
from site_builder.collector.mediator_commands import NAME_LIMIT
from tests.collector_support import PAROLE
from tests.storage_support import raw_sql

CODE_LINE = re.compile(r"^ {4}([0-9A-Z]{4}(?:-[0-9A-Z]{1,4})+)$", re.M)
"""The code as ``add`` prints it: alone on its line, in groups of four."""


def mediators(*args: str, url: str, language: str = "C.UTF-8",
              cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("LC_ALL", "LC_MESSAGES", "LANG", "PAROLE_DATABASE_URL")}
    return subprocess.run([str(PAROLE), "mediators", *args, "--db", url], capture_output=True,
                          text=True, timeout=60, check=False, cwd=cwd,
                          env={**environment, "LANG": language})


def printed_code(output: str) -> str:
    found: list[str] = CODE_LINE.findall(output)
    assert len(found) == 1, output
    return found[0]


def test_add_prints_a_code_once_and_keeps_only_its_digest(storage_url: str) -> None:
    added = mediators("add", "Awa Diallo", url=storage_url)
    assert added.returncode == 0, added.stderr
    code = printed_code(added.stdout)
    assert "Awa Diallo" in added.stdout and "(mediator)" in added.stdout
    normalised = normalise_code(code)
    assert normalised is not None and len(normalised) * 5 >= 128, code
    stored = raw_sql(storage_url, "SELECT name, role, code_digest FROM mediators")
    assert stored == [("Awa Diallo", "mediator",
                       hashlib.sha256(normalised.encode()).hexdigest())]
    second = mediators("add", "Bruno", "--coordinator", url=storage_url)
    assert second.returncode == 0, second.stderr
    assert printed_code(second.stdout) != code
    listed = mediators("list", url=storage_url)
    assert listed.returncode == 0, listed.stderr
    assert code not in listed.stdout and normalised not in listed.stdout
    assert not CODE_LINE.search(listed.stdout)
    rows = listed.stdout.splitlines()
    assert rows[0].split() == ["name", "role", "added", "revoked"]
    assert re.match(r"Awa Diallo +mediator +\d{4}-\d\d-\d\d \d\d:\d\d +-$", rows[1]), rows
    assert re.match(r"Bruno +coordinator +\d{4}-\d\d-\d\d \d\d:\d\d +-$", rows[2]), rows


def test_the_code_is_nowhere_in_the_database_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    code = normalise_code(printed_code(mediators("add", "Awa", url=url).stdout))
    assert code is not None
    for path in tmp_path.iterdir():  # the database, its WAL and shared-memory files
        assert code.encode() not in path.read_bytes(), path


def test_add_creates_a_missing_database_and_says_so(tmp_path: Path) -> None:
    database = tmp_path / "data.db"
    added = mediators("add", "Awa", url=f"sqlite:///{database}")
    assert added.returncode == 0, added.stderr
    assert database.exists()
    assert f"There was no database at {database}: created it." in added.stdout
    again = mediators("add", "Bruno", url=f"sqlite:///{database}")
    assert "There was no database" not in again.stdout


@pytest.mark.parametrize("action", [["list"], ["revoke", "Awa"]])
def test_list_and_revoke_refuse_a_missing_database(tmp_path: Path, action: list[str]) -> None:
    database = tmp_path / "nowhere.db"
    refused = mediators(*action, url=f"sqlite:///{database}")
    assert refused.returncode == 1
    assert f"no database at {database}" in refused.stderr
    assert not database.exists()


def test_list_says_when_there_is_no_mediator(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    assert mediators("add", "Awa", url=url).returncode == 0
    raw_sql(url, "DELETE FROM mediators")
    listed = mediators("list", url=url)
    assert listed.returncode == 0
    assert listed.stdout.startswith("No mediator in ")
    assert "parole mediators add NAME" in listed.stdout


def test_a_name_is_taken_once_even_after_revocation(storage_url: str) -> None:
    assert mediators("add", "Awa", url=storage_url).returncode == 0
    duplicate = mediators("add", "Awa", "--coordinator", url=storage_url)
    assert duplicate.returncode == 1
    assert duplicate.stdout == ""  # no code printed for a mediator who was not added
    assert "Awa" in duplicate.stderr and "Traceback" not in duplicate.stderr
    assert mediators("revoke", "Awa", url=storage_url).returncode == 0
    assert mediators("add", "  Awa ", url=storage_url).returncode == 1
    assert len(raw_sql(storage_url, "SELECT name FROM mediators")) == 1


def test_revoke(storage_url: str) -> None:
    assert mediators("add", "Awa", url=storage_url).returncode == 0
    revoked = mediators("revoke", "Awa", url=storage_url)
    assert revoked.returncode == 0, revoked.stderr
    assert revoked.stdout.startswith("Revoked the code of 'Awa'")
    row = mediators("list", url=storage_url).stdout.splitlines()[1]
    assert re.match(r"Awa +mediator +\S+ \S+ +\d{4}-\d\d-\d\d \d\d:\d\d$", row), row
    assert raw_sql(storage_url, "SELECT revoked_at FROM mediators")[0][0] is not None
    for name in ("Awa", "Nobody", "awa"):
        again = mediators("revoke", name, url=storage_url)
        assert again.returncode == 1, name
        assert f"no active mediator is called {name!r}" in again.stderr
        assert "How to fix: parole mediators list" in again.stderr


@pytest.mark.parametrize(("name", "said"), [
    ("", "a mediator's name cannot be empty"),
    ("   ", "a mediator's name cannot be empty"),
    ("A" * (NAME_LIMIT + 1), f"is {NAME_LIMIT + 1} characters long, longer than {NAME_LIMIT}"),
    ("Awa\x1b[2J", "holds a character that cannot be shown (U+001B)"),
    ("Awa\u202eidaD", "holds a character that cannot be shown (U+202E)"),
    ("Awa\nDiallo", "holds a character that cannot be shown (U+000A)"),
])
def test_names_that_cannot_be_are_refused_before_any_database(
        tmp_path: Path, name: str, said: str) -> None:
    database = tmp_path / "answers.db"
    refused = mediators("add", name, url=f"sqlite:///{database}")
    assert refused.returncode == 1
    assert said in refused.stderr and "How to fix:" in refused.stderr
    assert not CODE_LINE.search(refused.stdout)
    assert not database.exists()


def test_a_name_of_the_limit_with_accents_and_spaces_is_taken(tmp_path: Path) -> None:
    name = "Éloïse N'Guessan-Müller " + "x" * (NAME_LIMIT - 24)
    assert len(name) == NAME_LIMIT
    added = mediators("add", name, url=f"sqlite:///{tmp_path / 'answers.db'}")
    assert added.returncode == 0, added.stderr


def test_french_organizers_read_french(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    added = mediators("add", "Awa", "--coordinator", url=url, language="fr_FR.UTF-8")
    assert added.returncode == 0, added.stderr
    assert "Il n'y avait pas de base de données" in added.stdout
    assert "'Awa' ajouté (coordination)" in added.stdout
    assert "Remettez-le à Awa en main propre" in added.stdout
    printed_code(added.stdout)
    listed = mediators("list", url=url, language="fr_FR.UTF-8")
    assert listed.stdout.splitlines()[0].split() == ["nom", "rôle", "ajouté", "le", "révoqué",
                                                     "le"]
    unknown = mediators("revoke", "Bruno", url=url, language="fr_FR.UTF-8")
    assert "aucun médiateur actif ne s'appelle 'Bruno'" in unknown.stderr
    assert "Pour corriger :" in unknown.stderr
    assert mediators("revoke", "Awa", url=url, language="fr_FR.UTF-8").stdout.startswith(
        "Code de 'Awa' révoqué")


def test_parole_help_mediators(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(PAROLE), *args], capture_output=True, text=True, timeout=60,
                              check=False, cwd=tmp_path, env={"PATH": "/usr/bin:/bin",
                                                              "LANG": "C"})

    helped = run("help", "mediators")
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout == run("mediators", "--help").stdout
    for action in ("add", "list", "revoke"):
        assert action in helped.stdout
    add_help = run("mediators", "add", "--help").stdout
    assert "--coordinator" in add_help and "--db" in add_help
