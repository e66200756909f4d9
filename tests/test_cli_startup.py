"""What ``parole collect`` and ``parole serve`` check before they listen (issue #13), each
refusal a message saying what is wrong and how to fix it, never a traceback: a database used
with another collector secret (and ``--new-secret`` to adopt this one), a database the web
server would publish, and a database this user cannot write."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest

from site_builder.cli import main
from site_builder.collector import run, startup
from site_builder.collector.secret import CollectorSecret, SecretError, load_secret
from site_builder.storage import open_storage
from site_builder.storage.base import Storage, StorageError, StorageUnavailable
from tests.export_support import MemoryStorage
from tests.storage_support import raw_sql
from tests.support import form_site, write_site


@pytest.fixture
def site(example_site: Path, tmp_path: Path) -> Path:
    """An English site: its collector speaks English (the French ones: test_cli_language)."""
    return form_site(example_site, tmp_path / "site")


@pytest.fixture
def listened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Collectors that got as far as listening (``run._run`` replaced: nothing listens)."""
    started: list[str] = []
    monkeypatch.setattr(run, "_run", lambda collector, **_: started.append("listening"))
    yield started


def collect(site: Path, database: str, *extra: str) -> int:
    return main(["collect", "--site", str(site), "--db", database, "--port", "1", *extra])


def the_secret_check() -> str:
    """The check of the secret the collectors of this test session use (conftest.py)."""
    return load_secret()[0].check


# -- the collector's secret ----------------------------------------------------------------------

def test_a_database_used_with_another_secret_is_refused(
        site: Path, tmp_path: Path, listened: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    with_other_secret = open_storage(url)
    with_other_secret.bind_secret(CollectorSecret().check)
    with_other_secret.close()

    assert collect(site, url) == 1
    err = capsys.readouterr().err
    assert listened == []
    assert "was used with another collector secret than this one" in err
    assert "How to fix: give this collector the same secret" in err
    assert "PAROLE_SECRET" in err
    assert "PAROLE_SECRET_FILE" in err
    assert "--new-secret" in err
    assert "receipt codes still work for `parole delete`" in err
    assert "Traceback" not in err


def test_new_secret_adopts_this_collectors_secret(
        site: Path, tmp_path: Path, listened: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    with_lost_secret = open_storage(url)
    with_lost_secret.bind_secret(CollectorSecret().check)
    with_lost_secret.close()

    assert collect(site, url, "--new-secret") == 0
    assert raw_sql(url, "SELECT digest FROM secret_check") == [(the_secret_check(),)]
    assert "receipt links given before no longer open" in capsys.readouterr().err
    assert collect(site, url) == 0  # from now on, without the flag
    assert listened == ["listening", "listening"]


def test_the_first_collector_binds_its_secret_and_the_next_one_matches(
        site: Path, tmp_path: Path, listened: list[str]) -> None:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    assert collect(site, url) == 0
    assert raw_sql(url, "SELECT digest FROM secret_check") == [(the_secret_check(),)]
    assert collect(site, url) == 0
    assert listened == ["listening", "listening"]


def test_serve_tells_to_run_itself_with_new_secret(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    storage = open_storage(f"sqlite:///{tmp_path / 'preview.db'}")
    try:
        storage.bind_secret(CollectorSecret().check)
        with pytest.raises(SecretError, match=r"`parole serve --new-secret`"):
            startup.bind_secret(storage, CollectorSecret(), "sqlite:///preview.db",
                                command="serve")
    finally:
        storage.close()
    passed: list[bool] = []
    monkeypatch.setattr(run, "serve", lambda *_, new_secret, **__: passed.append(new_secret))
    config = write_site(tmp_path / "preview", {"index.md": "# Accueil\n"})
    database = f"sqlite:///{tmp_path / 'preview.db'}"
    assert main(["serve", "-f", str(config), "--db", database, "--new-secret"]) == 0
    assert main(["serve", "-f", str(config), "--db", database]) == 0
    assert passed == [True, False]


def test_a_database_that_cannot_be_written_at_start_is_an_error_for_people() -> None:
    class Unreachable(MemoryStorage):
        def bind_secret(self, check: str, *, replace: bool = False) -> bool:
            raise StorageUnavailable("PostgreSQL database parole on db:5432: connection refused")

    with pytest.raises(StorageError, match=r"(?s)could not be written at start.*How to fix"):
        # Only bind_secret is called: the rest of the Storage protocol is not needed here.
        startup.bind_secret(cast(Storage, Unreachable()), CollectorSecret(),
                            "postgresql://db/parole")


# -- a database the web server would publish -----------------------------------------------------

@pytest.mark.parametrize("inside", ["answers.db", "deep/answers.db", "../site/answers.db",
                                    "link/answers.db"])
def test_a_database_inside_the_site_is_refused(
        site: Path, tmp_path: Path, listened: list[str], capsys: pytest.CaptureFixture[str],
        *, monkeypatch: pytest.MonkeyPatch, inside: str) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "link").symlink_to(site)
    monkeypatch.chdir(tmp_path / "elsewhere")
    database = f"{os.path.relpath(site, tmp_path / 'elsewhere')}/{inside}" \
        if not inside.startswith("link") else inside

    assert collect(site, f"sqlite:///{database}") == 1
    err = capsys.readouterr().err
    assert f"the database {database} is inside the site folder given with --site" in err
    assert "answers.db-wal" in err
    assert "How to fix: keep the database outside" in err
    assert listened == []
    assert not list(site.rglob("*.db*")), "the database was created in the site anyway"


def test_a_database_next_to_the_site_is_fine(site: Path, tmp_path: Path,
                                             listened: list[str]) -> None:
    assert collect(site, f"sqlite:///{tmp_path / 'site-answers.db'}") == 0  # a prefix, not inside
    assert listened == ["listening"]


@pytest.mark.parametrize(("folder", "what"), [
    ("docs", "the pages folder (docs_dir)"), ("built", "the site folder (site_dir)"),
])
def test_serve_refuses_a_database_in_the_pages_or_the_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        folder: str, what: str) -> None:
    config = write_site(tmp_path, {"index.md": "# Accueil\n"}, site_dir="built",
                        theme={"name": "parole", "language": "en"})
    monkeypatch.setattr(run, "serve", lambda *_, **__: pytest.fail("serve started"))
    database = tmp_path / folder / "preview.db"
    assert main(["serve", "-f", str(config), "--db", f"sqlite:///{database}"]) == 1
    err = capsys.readouterr().err
    assert f"is inside {what}" in err
    assert "How to fix" in err


# -- a database this user cannot write ----------------------------------------------------------

@pytest.fixture
def immutable_database(tmp_path: Path) -> Iterator[Path]:
    """A parole database made immutable (``chattr +i``): even root cannot write it, as with a
    read-only mount, whereas chmod does not stop root (the tests run as root)."""
    path = tmp_path / "db" / "answers.db"
    open_storage(f"sqlite:///{path}").close()
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True,
                          check=False)
    if made.returncode != 0:
        pytest.skip(f"chattr +i is not possible here: {made.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_database_says_what_to_fix(
        site: Path, immutable_database: Path, listened: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    assert collect(site, f"sqlite:///{immutable_database}") == 1
    err = capsys.readouterr().err
    assert f"the SQLite database {immutable_database} cannot be written by this collector" in err
    assert "How to fix: let this user write the file and its folder" in err
    assert "chattr -i" in err
    assert "Traceback" not in err
    assert listened == []


def test_a_read_only_database_still_opens_for_reading(immutable_database: Path) -> None:
    """``parole export`` or ``stats`` on a copy one may only read must keep working."""
    url = f"sqlite:///{immutable_database}"
    storage = open_storage(url)
    try:
        assert list(storage.answers("budget")) == []
        with pytest.raises(StorageError, match="cannot be written by this collector"):
            startup.bind_secret(storage, CollectorSecret(), url)
    finally:
        storage.close()
