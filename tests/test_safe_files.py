"""``safe_files.replace_file``: the file is replaced at once, readable as any new file is, and
what killed runs left behind is cleaned up. (Killing at random moments is the reliability
suites' work: tests/reliability/test_kill_commands.py, test_kill_audit.py.)"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.safe_files import PARTIAL, replace_file


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("umask_022")
def test_the_new_file_gets_the_permissions_of_any_new_file(tmp_path: Path) -> None:
    """A temporary file is private (0600): a web server running as another user could not
    read a published audit report written that way."""
    path = tmp_path / "index.html"
    replace_file(path, "<p>rapport</p>")
    assert path.read_text(encoding="utf-8") == "<p>rapport</p>"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_stricter_umask_is_respected(tmp_path: Path) -> None:
    previous = os.umask(0o077)
    try:
        replace_file(tmp_path / "secret.json", "{}")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "secret.json").stat().st_mode) == 0o600


def test_it_replaces_and_leaves_no_partial_file(tmp_path: Path) -> None:
    path = tmp_path / "audit.json"
    path.write_text("old", encoding="utf-8")
    left = tmp_path / f".audit.json.k1ll3d{PARTIAL}"
    left.write_text("cut off", encoding="utf-8")
    os.utime(left, (0, 0))
    replace_file(path, "new")
    assert path.read_text(encoding="utf-8") == "new"
    assert sorted(item.name for item in tmp_path.iterdir()) == ["audit.json"]


def test_a_failed_write_keeps_the_old_file_and_no_partial(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "accessibilite.md"
    path.write_text("old", encoding="utf-8")

    def power_cut(descriptor: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", power_cut)
    with pytest.raises(OSError, match="Input/output"):
        replace_file(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert sorted(item.name for item in tmp_path.iterdir()) == ["accessibilite.md"]


def test_a_folder_in_the_way_is_an_is_a_directory_error(tmp_path: Path) -> None:
    (tmp_path / "index.html").mkdir()
    with pytest.raises(IsADirectoryError):
        replace_file(tmp_path / "index.html", "x")
    assert [item.name for item in tmp_path.iterdir()] == ["index.html"]
