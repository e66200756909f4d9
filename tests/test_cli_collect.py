"""``parole collect`` refuses, before listening, what it cannot work with: each time a message
saying what is wrong and how to fix it, and exit status 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from site_builder.cli import main
from tests.support import form_site


def collect(site: Path, tmp_path: Path, *extra: str) -> int:
    return main(["collect", "--site", str(site), "--db", f"sqlite:///{tmp_path / 'a.db'}",
                 "--port", "1", *extra])


@pytest.fixture
def built_copy(example_site: Path, tmp_path: Path) -> Path:
    """An English site: its collector speaks English (the French ones: test_cli_language)."""
    return form_site(example_site, tmp_path / "site")


def test_a_missing_site_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert collect(tmp_path / "nowhere", tmp_path) == 1
    err = capsys.readouterr().err
    assert "no site folder at" in err
    assert "build the site first" in err


def test_a_site_without_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "site").mkdir()
    assert collect(tmp_path / "site", tmp_path) == 1
    err = capsys.readouterr().err
    assert "has no form manifests" in err


def test_a_manifest_changed_by_hand(
    built_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = built_copy / "forms" / "avis-place.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["fields"][0]["required"] = False
    path.write_text(json.dumps(data), encoding="utf-8")
    assert collect(built_copy, tmp_path) == 1
    err = capsys.readouterr().err
    assert "avis-place.json" in err
    assert "does not match the fields" in err
    assert "build the site again" in err


def test_a_database_url_it_does_not_know(
    built_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["collect", "--site", str(built_copy), "--db", "mysql://x/y"]) == 1
    err = capsys.readouterr().err
    assert "sqlite:///" in err
    assert "postgresql://" in err


@pytest.mark.parametrize(("token", "said"), [
    ("secret", "PAROLE_ADMIN_TOKEN is too easy to guess (6 characters"),
    ("a" * 16, "PAROLE_ADMIN_TOKEN is too easy to guess (16 characters, 1 different)"),
    ("0123456789abcdef", "PAROLE_ADMIN_TOKEN is too easy to guess"),  # 64 bits
    # Would start, but the right token, sent in a header, would never match it (issue #13).
    ("é" * 16, "PAROLE_ADMIN_TOKEN holds characters other than visible ASCII (U+00E9)"),
])
def test_an_admin_token_easy_to_guess_or_not_ascii_is_refused(
    built_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, *, token: str, said: str,
) -> None:
    monkeypatch.setenv("PAROLE_ADMIN_TOKEN", token)
    assert collect(built_copy, tmp_path) == 1
    err = capsys.readouterr().err
    assert said in err
    assert "token_urlsafe" in err and "How to fix: set PAROLE_ADMIN_TOKEN" in err


def test_a_rate_limit_that_is_not_a_number(
    built_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        collect(built_copy, tmp_path, "--rate-limit", "beaucoup")
    assert "not a whole number of answers per minute" in capsys.readouterr().err
