"""The collector's secret (site_builder/collector/secret.py): where it comes from, what it
refuses, and what it derives."""

from __future__ import annotations

import stat
import threading
from datetime import date
from pathlib import Path

import pytest

from site_builder.collector.secret import (
    SECRET_FILE_VARIABLE,
    SECRET_VARIABLE,
    CollectorSecret,
    SecretError,
    load_secret,
    weakness,
)

GOOD = "kT3q9ZfVx0bR7mWc2LpN8sHd4YgJ6uAe1oQi5EzKtXw"
"""What ``secrets.token_urlsafe(32)`` prints: 43 characters, about 256 bits."""


@pytest.mark.parametrize("value", [
    GOOD,
    "3f9a1c7e5b2d8f0a6c4e1b9d7f3a5c2e",  # openssl rand -hex 16: 128 bits
    "test-token-0123456789abcdef",
    "3f9a1c7e5b2d8f0a6c4e1b9d7f3a5c23",  # 128 bits ending as it starts: not a repetition
])
def test_random_tokens_are_strong_enough(value: str) -> None:
    assert weakness(value, "PAROLE_ADMIN_TOKEN") is None


@pytest.mark.parametrize(("value", "said"), [
    ("a" * 16, "too easy to guess (16 characters, 1 different)"),
    ("ab" * 40, "too easy to guess (80 characters, 2 different)"),
    # Enough characters, all different, but repeated: worth one repetition (issue #13).
    ("abcdefgh" * 6, "too easy to guess (48 characters, 8 different)"),
    ("kT3q9ZfVx0bR" * 4 + "kT3", "too easy to guess"),  # cut short at the end too
    ("0123456789abcdef", "too easy to guess"),  # 64 bits of hex
    ("é" * 16, "other than visible ASCII (U+00E9)"),
    ("tab\tin" + GOOD, "U+0009"),
])
def test_weak_or_non_ascii_tokens_are_refused_with_how_to_fix(value: str, said: str) -> None:
    problem = weakness(value, "PAROLE_ADMIN_TOKEN")
    assert problem is not None
    assert problem.startswith("PAROLE_ADMIN_TOKEN ") and said in problem
    assert "secrets.token_urlsafe(32)" in problem


def test_the_environment_variable_comes_first(tmp_path: Path) -> None:
    secret, source = load_secret({SECRET_VARIABLE: GOOD,
                                  SECRET_FILE_VARIABLE: str(tmp_path / "unused")})
    again, _ = load_secret({SECRET_VARIABLE: GOOD})
    assert source == SECRET_VARIABLE and secret.check == again.check
    assert not (tmp_path / "unused").exists()
    with pytest.raises(SecretError, match="PAROLE_SECRET is too easy to guess"):
        load_secret({SECRET_VARIABLE: "x" * 40})


def test_the_file_is_made_once_readable_by_its_owner_alone(tmp_path: Path) -> None:
    path = tmp_path / "config" / "parole" / "secret"
    first, source = load_secret({SECRET_FILE_VARIABLE: str(path)})
    second, _ = load_secret({SECRET_FILE_VARIABLE: str(path)})
    assert source == str(path)
    assert first.check == second.check
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert weakness(path.read_text(encoding="ascii").strip(), "file") is None


def test_without_a_setting_the_file_is_in_the_users_config_folder(tmp_path: Path) -> None:
    _, source = load_secret({"XDG_CONFIG_HOME": str(tmp_path)})
    assert source == str(tmp_path / "parole" / "secret")


def test_collectors_starting_together_read_the_same_file(tmp_path: Path) -> None:
    path = str(tmp_path / "secret")
    checks: list[str] = []
    threads = [threading.Thread(target=lambda: checks.append(
        load_secret({SECRET_FILE_VARIABLE: path})[0].check)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checks) == 8 and len(set(checks)) == 1


def test_a_file_that_cannot_be_made_or_is_weak_says_how_to_fix(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="ascii")
    with pytest.raises(SecretError, match="cannot create the secret file") as raised:
        load_secret({SECRET_FILE_VARIABLE: str(blocker / "secret")})
    assert "How to fix: set PAROLE_SECRET" in str(raised.value)
    weak = tmp_path / "weak"
    weak.write_text("password\n", encoding="ascii")
    with pytest.raises(SecretError, match=f"the secret file {weak} is too easy to guess"):
        load_secret({SECRET_FILE_VARIABLE: str(weak)})


def test_what_the_secret_derives() -> None:
    one, other = CollectorSecret(), CollectorSecret()
    day = date(2027, 1, 10)
    assert one.client_key(day) == one.client_key(day) != one.client_key(date(2027, 1, 11))
    assert one.client_key(day) != other.client_key(day)
    key = one.receipt_key("ABCD1234")
    assert len(key) == 22 and key.replace("-", "").replace("_", "").isalnum()
    assert one.opens("ABCD1234", key)
    assert not one.opens("ABCD1235", key)
    assert not other.opens("ABCD1234", key)
    assert not one.opens("ABCD1234", key[:-1] + ("A" if key[-1] != "A" else "B"))
    assert not one.opens("ABCD1234", "é" * 22)
    assert one.check != other.check and len(one.check) == 64
    assert "key" not in repr(one) and one.key.hex() not in repr(one)
