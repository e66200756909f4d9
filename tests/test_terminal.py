"""What reaches an organizer's terminal (issue #13): ``parole stats`` and ``parole export`` to a
terminal show escaped whatever would drive the terminal instead of being shown (escape
sequences, CR, bidi controls, line separators), while an export to a pipe or a file keeps every
value verbatim. The answers are stored directly, as answers collected before the collector
refused control characters may be."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import termios
from pathlib import Path

import pytest

from site_builder.collector.terminal import for_terminal
from site_builder.storage import open_storage
from site_builder.storage.base import Duplicates, NewAnswer
from tests.export_support import FORM_ID, NEW_FORM, at, fill
from tests.test_cli_data import PAROLE_SCRIPT

HOSTILE = ("Effacé\x1b[2J\x9b31m, \rcaché, \u202eesrevne'l à, \u2028coupé, \x85NEL, \x7fDEL, "
           "\u2066isolé\u2069, ligne\r\nsuivante\tcolonne")
"""Everything a terminal obeys, and CRLF and tab, which only lay text out."""
SHOWN = ("Effacé\\u001b[2J\\u009b31m, \\u000dcaché, \\u202eesrevne'l à, \\u2028coupé, "
         "\\u0085NEL, \\u007fDEL, \\u2066isolé\\u2069, ligne\r\nsuivante\tcolonne")


@pytest.mark.parametrize(("text", "shown"), [
    (HOSTILE, SHOWN),
    ("Texte ordinaire, « accents » et 😀 emoji\n", "Texte ordinaire, « accents » et 😀 emoji\n"),
    ("\u200dzéro\u200b largeur", "\u200dzéro\u200b largeur"),  # joiners: emoji need them
    ("fin\r", "fin\\u000d"),
    ("\x00\x08\x0b\x0c\x0e\x1f\x80\x9f\u061c\u200e\u200f\u202a\u2029",
     "\\u0000\\u0008\\u000b\\u000c\\u000e\\u001f\\u0080\\u009f\\u061c\\u200e\\u200f\\u202a"
     "\\u2029"),
])
def test_what_a_terminal_would_obey_is_escaped(text: str, shown: str) -> None:
    assert for_terminal(text) == shown


def test_escapes_inside_json_are_the_same_json_string() -> None:
    document = json.dumps({"idees": [HOSTILE.replace("\r\n", "\n")]}, ensure_ascii=False)
    assert json.loads(for_terminal(document)) == json.loads(document)


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    storage = open_storage(url)
    try:
        fill(storage)
        storage.store(NewAnswer(
            form_id=FORM_ID, form_version=NEW_FORM.version, channel="online",
            values={"nom": [HOSTILE], "quartier": ["\x1b]0;titre\x07"], "idees": [HOSTILE]},
            received_at=at(16, 9), expires_at=None, fingerprint="hostile"), Duplicates())
    finally:
        storage.close()
    return url


def _run_on_a_terminal(*arguments: str) -> str:
    """Run ``parole`` with its standard output on a pseudo-terminal; what it printed."""
    main, secondary = pty.openpty()
    # No output processing (LF to CRLF): the test reads the bytes parole wrote.
    attributes = termios.tcgetattr(secondary)
    attributes[1] &= ~termios.OPOST
    termios.tcsetattr(secondary, termios.TCSANOW, attributes)
    try:
        process = subprocess.Popen([str(PAROLE_SCRIPT), *arguments], stdout=secondary,
                                   stderr=subprocess.PIPE)
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # EIO: the process closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        _, error = process.communicate(timeout=60)
        assert process.returncode == 0, error.decode()
    finally:
        os.close(main)
    return b"".join(chunks).decode("utf-8")


def test_export_to_a_terminal_shows_control_characters_escaped(database: str) -> None:
    shown_as = {export_format: _run_on_a_terminal("export", FORM_ID, "--db", database,
                                                  "--format", export_format)
                for export_format in ("csv", "json")}
    for export_format, shown in shown_as.items():
        assert "\\u001b[2J\\u009b31m" in shown, export_format
        assert "\\u202eesrevne" in shown and "\\u2028coupé" in shown, export_format
        for raw in ("\x1b", "\x9b", "\x85", "\x7f", "\u202e", "\u2028", "\u2066"):
            assert raw not in shown, (export_format, raw)
        assert "\r" not in shown.replace("\r\n", ""), export_format  # only CSV's CRLF
    assert "\tcolonne" in shown_as["csv"]  # JSON escapes a tab itself
    document = json.loads(shown_as["json"])
    assert document["answers"][-1]["values"]["nom"] == [HOSTILE]  # the same JSON data


def test_export_to_a_pipe_keeps_every_value_verbatim(database: str) -> None:
    document = subprocess.run([str(PAROLE_SCRIPT), "export", FORM_ID, "--db", database,
                               "--format", "json"], capture_output=True, check=True).stdout
    assert json.loads(document)["answers"][-1]["values"]["nom"] == [HOSTILE]
    assert "\x9b31m, \rcaché".encode() not in document  # JSON's own escapes: \r
    assert "\x9b31m".encode() in document and "\u202e".encode() in document  # raw
    csv = subprocess.run([str(PAROLE_SCRIPT), "export", FORM_ID, "--db", database],
                         capture_output=True, check=True).stdout
    assert HOSTILE.encode() in csv and b"\x1b]0;titre\x07" in csv


def test_stats_show_control_characters_escaped_wherever_they_go(database: str) -> None:
    # The stored value of a choice question, no longer offered, is listed in the report.
    for shown in (_run_on_a_terminal("stats", "--db", database),
                  subprocess.run([str(PAROLE_SCRIPT), "stats", "--db", database],
                                 capture_output=True, check=True, text=True).stdout):
        assert "\\u001b]0;titre\\u0007" in shown
        assert "\x1b" not in shown and "\x07" not in shown
