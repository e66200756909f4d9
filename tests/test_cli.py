"""The ``parole`` command, run as organizers run it: a real process, its exit code, its output."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from site_builder import __version__
from tests.support import SITES, free_port

PAROLE = [sys.executable, "-m", "site_builder.cli"]
SITE_NAME = "Un nom pour la nouvelle médiathèque"  # tests/sites/minimal/mkdocs.yml
BROKEN_LINK = "page-qui-n-existe-pas.md"


def parole(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PAROLE, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A writable copy of the minimal sample site."""
    copy = tmp_path / "consultation"
    shutil.copytree(SITES / "minimal", copy, ignore=shutil.ignore_patterns("site"))
    return copy


@pytest.fixture
def site_with_warning(site: Path) -> Path:
    """The minimal site with a link to a page that does not exist: a warning, not an error."""
    index = site / "docs" / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8") + f"\nVoir aussi [le calendrier]({BROKEN_LINK}).\n",
        encoding="utf-8",
    )
    return site


def test_version(tmp_path: Path) -> None:
    result = parole("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"parole {__version__}"


def test_build_without_a_configuration_names_the_path_and_the_fix(tmp_path: Path) -> None:
    result = parole("build", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert str((tmp_path / "mkdocs.yml").resolve()) in result.stderr
    assert "--config-file" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_writes_the_site(site: Path) -> None:
    result = parole("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert (site / "site" / "index.html").is_file()
    assert (site / "site" / "faq" / "index.html").is_file()


def test_build_is_strict_a_warning_fails_it(site_with_warning: Path) -> None:
    result = parole("build", cwd=site_with_warning)
    assert result.returncode == 1, result.stderr
    assert BROKEN_LINK in result.stderr, "the warning itself must be printed"
    assert "Traceback" not in result.stderr


def test_build_no_strict_publishes_despite_warnings(site_with_warning: Path) -> None:
    result = parole("build", "--no-strict", cwd=site_with_warning)
    assert result.returncode == 0, result.stderr
    assert BROKEN_LINK in result.stderr, "the warning is still printed"
    assert (site_with_warning / "site" / "index.html").is_file()


def test_build_site_dir_writes_where_asked(site: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "published"
    result = parole("build", "-d", str(elsewhere), cwd=site)
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "index.html").is_file()
    assert not (site / "site").exists()


def test_build_config_file_option_builds_from_another_folder(site: Path, tmp_path: Path) -> None:
    result = parole("build", "-f", str(site / "mkdocs.yml"), "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (site / "site" / "index.html").is_file()
    assert "INFO" not in result.stderr, "--quiet prints only warnings and errors"



def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:  # not listening yet, or closed while rebuilding
        return 0, ""


def _wait_for(
    url: str, check: Callable[[int, str], bool], process: subprocess.Popen[str], what: str
) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"parole serve exited with {process.returncode}"
        if check(*_get(url)):
            return
        time.sleep(0.2)
    pytest.fail(f"parole serve: {what} within 60 s at {url}")


@pytest.fixture
def served(site: Path, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``parole serve`` on a free port, as a real process; stopped with Ctrl+C (SIGINT)."""
    port = free_port()
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    # A shell without job control (CI, `cmd &`) starts jobs with SIGINT ignored, and an ignored
    # signal stays ignored across exec; a handled one is reset. So give parole back its Ctrl+C.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    process = subprocess.Popen(
        [*PAROLE, "serve", "--port", str(port)],
        cwd=site,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    signal.signal(signal.SIGINT, previous)
    try:
        yield f"http://127.0.0.1:{port}/", process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def test_serve_serves_and_rebuilds_on_change(
    served: tuple[str, subprocess.Popen[str]], site: Path, tmp_path: Path
) -> None:
    url, process = served
    _wait_for(
        url,
        lambda status, body: status == 200 and SITE_NAME in body,
        process,
        "no page with the site's title",
    )

    marker = "Les résultats seront lus à voix haute le 1er juillet."
    index = site / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
    _wait_for(
        url,
        lambda status, body: status == 200 and marker in body,
        process,
        "the edited page was not rebuilt",
    )

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) in (0, 130), "Ctrl+C stops parole serve cleanly"
    # The site is French: so is what serve says, the watcher thread's lines too, whatever the
    # environment's language (issue #14).
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "Le site et ses formulaires sont servis sur http://127.0.0.1:" in log
    assert "Un fichier a changé : nouvelle construction du site" in log
