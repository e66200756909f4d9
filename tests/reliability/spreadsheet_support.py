"""LibreOffice Calc for the tests: open a CSV file the way an organizer would, headless, and read
back every cell of the result (its text, and whether it holds a formula).

``convert_to_fods`` runs ``soffice --headless --convert-to fods`` with a CSV import mode (the
CSV filter's options string) and a fresh user profile per run, so that a stale profile or a
lock left by another run can never block it. ``read_sheet`` reads the flat OpenDocument
spreadsheet (``.fods``, plain XML) that LibreOffice writes: a cell's formula is its
``table:formula`` attribute, its text the paragraphs it shows (one per line).

Reusable by any test that needs to know what a spreadsheet makes of a file.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pytest

INSTALL_HINT = ("Install LibreOffice Calc (scripts/check does it): apt-get install -y "
                "libreoffice-calc. A skipped spreadsheet check is a hidden one, so this test "
                "fails instead of skipping.")
CONVERSION_TIMEOUT = 180

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


@dataclass(frozen=True)
class ImportMode:
    """One way to open a CSV file: LibreOffice's CSV filter options (a comma-separated token
    string, see the help page "CSV Filter Options")."""

    name: str
    """What the figures call it."""
    filter_options: str


DEFAULT_IMPORT = ImportMode("default options (only comma, quote, UTF-8, from line 1)",
                            "44,34,76,1")
"""What a person must say about the file, and LibreOffice's defaults for everything else.
Tokens: 1 field separator (44 ``,``), 2 text delimiter (34 ``"``), 3 character set (76
UTF-8), 4 first line to read."""
EVALUATE_FORMULAS = ImportMode(
    "Evaluate formulas on, Detect special numbers on",
    "44,34,76,1,,0,false,true,false,false,false,-1,true",
)
"""The worst case an organizer can pick: tokens 1-4 as above, 5 column formats (none), 6
language (0: the user interface's), 7 quoted field as text (false), 8 detect special
numbers (true), 9-12 export-only or spaces (false, false, false, -1), 13 evaluate formulas
(true)."""
IMPORT_MODES = (DEFAULT_IMPORT, EVALUATE_FORMULAS)


@dataclass(frozen=True)
class Cell:
    """A cell as LibreOffice holds it after the import."""

    text: str
    """What it shows: its paragraphs (lines) joined by ``\\n``, tabs and spaces kept."""
    formula: str | None
    """The formula LibreOffice would compute (``of:=1+1``), or None for a value."""
    value_type: str | None
    """``string``, ``float``, ``date``… (``office:value-type``); None for an empty cell."""
    value: str | None = field(default=None, compare=False)
    """A number's or a date's value as stored (``office:value``, ``office:date-value``:
    ``2025-03-14T10:26:53``), whatever its format shows; None for text. Not compared, so a
    cell equals what it shows, its formula and its type."""


def soffice() -> str:
    """The ``soffice`` command; fails the test, with how to install it, when it is missing."""
    found = shutil.which("soffice")
    if found is None:
        pytest.fail(f"LibreOffice's soffice is not on PATH.\n{INSTALL_HINT}", pytrace=False)
    return found


def libreoffice_version() -> str:
    """``LibreOffice 7.4.7.2 40(Build:2)`` → ``7.4.7.2``."""
    done = subprocess.run([soffice(), "--version"], capture_output=True, text=True, timeout=60,
                          check=True)
    found = re.search(r"LibreOffice (\S+)", done.stdout)
    return found.group(1) if found else done.stdout.strip()


def convert_to_fods(csv_file: Path, workdir: Path, mode: ImportMode | None) -> Path:
    """``csv_file`` opened with ``mode`` and saved as a flat OpenDocument spreadsheet in a
    folder of ``workdir``; returns the ``.fods`` file. With ``mode`` None, the file is not CSV
    and LibreOffice opens it by its type (an xlsx workbook)."""
    slug = re.sub(r"[^a-z0-9]+", "-", mode.name.lower() if mode else "by-type").strip("-")
    profile = workdir / f"profile-{slug}"
    out_dir = workdir / f"converted-{slug}"
    infilter = [f"--infilter=CSV:{mode.filter_options}"] if mode else []
    command = [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--norestore", *infilter, "--convert-to", "fods",
               "--outdir", str(out_dir), str(csv_file)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=CONVERSION_TIMEOUT,
                          check=False)
    converted = out_dir / f"{csv_file.stem}.fods"
    if done.returncode != 0 or not converted.is_file():
        pytest.fail(f"LibreOffice did not convert {csv_file.name} (exit {done.returncode}):\n"
                    f"{' '.join(command)}\n{done.stdout}\n{done.stderr}", pytrace=False)
    return converted


def read_sheet(fods: Path) -> list[list[Cell]]:
    """The first sheet's rows, each a list of cells (repeated cells spelled out, trailing
    empty ones dropped)."""
    return next(iter(read_sheets(fods).values()))


def read_sheets(fods: Path) -> dict[str, list[list[Cell]]]:
    """Every sheet's rows, as ``read_sheet`` reads them, by sheet name, in order."""
    root = ElementTree.parse(fods).getroot()
    return {table.get(f"{{{TABLE}}}name", ""): _rows(table)
            for table in root.iter(f"{{{TABLE}}}table")}


def _rows(table: ElementTree.Element) -> list[list[Cell]]:
    rows = []
    for row in table.iter(f"{{{TABLE}}}table-row"):
        cells: list[Cell] = []
        for element in row:
            if element.tag not in (f"{{{TABLE}}}table-cell", f"{{{TABLE}}}covered-table-cell"):
                continue
            repeat = int(element.get(f"{{{TABLE}}}number-columns-repeated", "1"))
            cells += [_cell(element)] * repeat
        while cells and cells[-1] == Cell("", None, None):
            cells.pop()
        rows.append(cells)
    return rows


def formula_cells(fods: Path) -> list[str]:
    """Every formula anywhere in the document (all sheets), as ``table:formula`` says it."""
    root = ElementTree.parse(fods).getroot()
    return [formula for element in root.iter(f"{{{TABLE}}}table-cell")
            if (formula := element.get(f"{{{TABLE}}}formula")) is not None]


def _cell(element: ElementTree.Element) -> Cell:
    lines = [_text_of(paragraph) for paragraph in element.findall(f"{{{TEXT}}}p")]
    value = element.get(f"{{{OFFICE}}}value") or element.get(f"{{{OFFICE}}}date-value")
    return Cell("\n".join(lines), element.get(f"{{{TABLE}}}formula"),
                element.get(f"{{{OFFICE}}}value-type"), value)


def _text_of(element: ElementTree.Element) -> str:
    """A paragraph's text as shown: ``<text:s text:c="3"/>`` is three spaces, ``<text:tab/>`` a
    tab, ``<text:line-break/>`` a line break; spans and links give their text."""
    parts = [element.text or ""]
    for child in element:
        name = child.tag.rsplit("}", 1)[-1]
        if name == "s":
            parts.append(" " * int(child.get(f"{{{TEXT}}}c", "1")))
        elif name == "tab":
            parts.append("\t")
        elif name == "line-break":
            parts.append("\n")
        else:
            parts.append(_text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)
