"""The open data of a consultation's results (issue #16, section 4): ``site/donnees/``
(``data/`` in English) with the aggregates (CSV and JSON), the approved quotes (CSV) and a
Frictionless data package (``datapackage.json``) describing them under the site's licence.

Per form ``<id>``: ``<id>-participation.csv``, ``<id>-questions.csv``, ``<id>-moderation.csv``,
``<id>-quotes.csv`` (``open_data_tables``) and ``<id>.json``; for the whole site,
``datapackage.json`` and a read-me (``open_data_package``). Everything comes from the results
files, whose counts ``parole results`` has already protected: nothing here sees an answer.

``<id>.json`` is the results file itself (``file.results_data``, the same bytes as
``parole-results/<id>.json``): it holds only protected counts, exact totals and approved quotes,
in the one format docs/results.md documents, so that anyone can redo the page's figures from
the data it was built from. A key added to the results file one day is published with it:
tests/test_open_data.py lists the published keys and fails on a new one, for a person to decide.

The same results give the same bytes (files in form order, no build time written anywhere), so
that a site builds reproducibly and the hashes in ``datapackage.json`` stay put.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from site_builder.collector.export import BOM
from site_builder.i18n import Catalogue
from site_builder.results.file import ResultsFile, results_data
from site_builder.results.open_data_package import (
    PACKAGE_FILE,
    DataFile,
    descriptor,
    readme_text,
)
from site_builder.results.open_data_tables import csv_bytes, tables
from site_builder.site import SiteInfo

LICENCES = ("etalab-2.0", "odbl-1.0")
DEFAULT_LICENCE = "etalab-2.0"


def folder_name(catalogue: Catalogue) -> str:
    """The open data's folder in the site: ``donnees`` on a French site, ``data`` otherwise
    (the theme's ``open_data.slug``)."""
    return catalogue("open_data.slug")


def open_data_url(catalogue: Catalogue) -> str:
    """The folder's URL relative to the site root (``donnees/``). A static server shows no
    page there: link the files themselves (``form_files``) or the read-me."""
    return f"{folder_name(catalogue)}/"


def readme_name(catalogue: Catalogue) -> str:
    """``LISEZMOI.txt`` on a French site, ``README.txt`` otherwise."""
    return catalogue("open_data.readme_file")


def form_files(results: ResultsFile, catalogue: Catalogue) -> list[tuple[str, str]]:
    """The files of one form as (URL relative to the site root, what it is in words), for a
    page to link them: the four CSV files, then the JSON file."""
    folder = open_data_url(catalogue)
    names = [(f"{results.form_id}-{table}.csv", table)
             for table in ("participation", "questions", "moderation", "quotes")]
    names.append((f"{results.form_id}.json", "json"))
    return [(folder + name, catalogue(f"open_data.title.{kind}", form=_form_title(results)))
            for name, kind in names]


def _form_title(results: ResultsFile) -> str:
    return results.title or results.form_id


def data_files(results: Sequence[ResultsFile], catalogue: Catalogue) -> list[DataFile]:
    """Every form's files, forms in id order, each form's in ``form_files`` order."""
    files: list[DataFile] = []
    for item in sorted(results, key=lambda item: item.form_id):
        form = _form_title(item)
        for table in tables(item, catalogue):
            files.append(DataFile(f"{item.form_id}-{table.name}",
                                  f"{item.form_id}-{table.name}.csv", table.name,
                                  csv_bytes(table), form, table))
        files.append(DataFile(f"{item.form_id}-results", f"{item.form_id}.json", "json",
                              json_bytes(item), form))
    return files


def json_bytes(results: ResultsFile) -> bytes:
    """The results file's data, written as ``write_results`` writes it."""
    return (json.dumps(results_data(results), ensure_ascii=False, indent=2)
            + "\n").encode("utf-8")


def write_open_data(site_dir: Path, results: Sequence[ResultsFile], *, licence: str,
                    catalogue: Catalogue, site: SiteInfo,
                    site_url: str | None) -> list[Path]:
    """Write the open data of ``results`` into ``site_dir``'s open data folder and return the
    files written (the forms' files, the read-me, then ``datapackage.json``). No results: no
    folder, and an empty list. ``licence`` is one of ``LICENCES``; ``catalogue`` is the site's
    (its language names the folder and words the read-me, notes and descriptions)."""
    if licence not in LICENCES:
        raise ValueError(f"unknown open data licence {licence!r}: one of {', '.join(LICENCES)}")
    if not results:
        return []
    folder = site_dir / folder_name(catalogue)
    address = None
    if site_url:
        address = site_url.rstrip("/") + "/" + open_data_url(catalogue)
    files = data_files(results, catalogue)
    readme = readme_text(files, results, licence=licence, catalogue=catalogue,
                         title=site.title, organizer=site.organizer_name, address=address)
    files.append(DataFile("readme", readme_name(catalogue), "readme",
                          (BOM + readme).encode("utf-8")))
    package = descriptor(files, results, licence=licence, catalogue=catalogue,
                         title=site.title, organizer=site.organizer_name,
                         organizer_email=site.organizer_email, site_url=site_url)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for file in files:
        path = folder / file.path
        path.write_bytes(file.content)
        written.append(path)
    package_path = folder / PACKAGE_FILE
    package_path.write_bytes(
        (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    written.append(package_path)
    return written
