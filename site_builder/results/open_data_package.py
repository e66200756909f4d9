"""What describes the open data (``open_data``): ``datapackage.json`` for programs and the
read-me (``LISEZMOI.txt``, ``README.txt``) for people.

The descriptor follows the Frictionless Data Package standard, version 2 (datapackage.org,
which reads version 1 descriptors too): the site's title, the licence, the organizer as
publisher, when the figures were computed, and one resource per file with its size and SHA-256
(anyone can check that a copy is the one published) and, for a CSV, its Table Schema, made from
the same column list the file is written from (``open_data_tables``). Words are in the site's
language (``theme/locales``, ``open_data.*``); names, column names and machine values are not,
so that a program reads every site's files the same way.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from site_builder.i18n import Catalogue
from site_builder.results.file import ResultsFile
from site_builder.results.open_data_tables import Column, Table

PACKAGE_FILE = "datapackage.json"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


@dataclass(frozen=True)
class Licence:
    key: str
    """Its words in the read-me: the catalogue's ``open_data.readme.licence.<key>``."""
    name: str
    """The SPDX identifier (also the Open Definition's)."""
    title: str
    path: str


LICENCE_TERMS = {
    "etalab-2.0": Licence("etalab", "etalab-2.0", "Licence Ouverte / Open Licence version 2.0",
                          "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"),
    "odbl-1.0": Licence("odbl", "ODbL-1.0", "Open Data Commons Open Database License (ODbL) v1.0",
                        "https://opendatacommons.org/licenses/odbl/1-0/"),
}
"""The ``results.licence`` choices (``open_data.LICENCES``), as the descriptor names them."""


@dataclass(frozen=True)
class DataFile:
    """One file of the open data, written or about to be."""

    name: str
    """The resource's name in the descriptor (``avis-participation``)."""
    path: str
    """Its file name in the open data folder."""
    kind: str
    """``participation``, ``questions``, ``moderation``, ``quotes``, ``json`` or ``readme``:
    its words are the catalogue's ``open_data.file.<kind>`` and ``open_data.title.<kind>``."""
    content: bytes
    form: str | None = None
    """The form's title (or id) it belongs to; None for the read-me."""
    table: Table | None = None

    @property
    def format(self) -> str:
        return self.path.rsplit(".", 1)[1]


MEDIA_TYPES = {"csv": "text/csv", "json": "application/json", "txt": "text/plain"}


def package_name(title: str) -> str:
    """A descriptor ``name`` (lower case, digits, ``-``) from the site's title."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "consultation"


def computed_at(results: Sequence[ResultsFile]) -> str:
    """When the newest of the figures was computed, ISO 8601 in UTC (``…Z``)."""
    newest = max(item.computed_at for item in results).astimezone(UTC)
    return newest.isoformat().replace("+00:00", "Z")


def smallest_min_count(results: Sequence[ResultsFile]) -> int:
    """The ``min_count`` every form was protected with at least (what may be promised)."""
    return min(item.min_count for item in results)


def descriptor(files: Sequence[DataFile], results: Sequence[ResultsFile], *, licence: str,
               catalogue: Catalogue, title: str, organizer: str, organizer_email: str | None,
               site_url: str | None) -> dict[str, Any]:
    """``datapackage.json``'s content, keys in a fixed order (the file is the same bytes for the
    same results)."""
    terms = LICENCE_TERMS[licence]
    publisher: dict[str, Any] = {"title": organizer, "roles": ["publisher"]}
    if organizer_email:
        publisher["email"] = organizer_email
    package: dict[str, Any] = {
        "$schema": PROFILE,
        "name": package_name(title),
        "title": title,
        "description": catalogue("open_data.package.description", title=title,
                                 count=smallest_min_count(results)),
    }
    if site_url:
        package["homepage"] = site_url
    package.update({
        "created": computed_at(results),
        "licenses": [{"name": terms.name, "path": terms.path, "title": terms.title}],
        "contributors": [publisher],
        "sources": [{"title": catalogue("open_data.package.source", title=title)}],
        "resources": [_resource(file, catalogue) for file in files],
    })
    return package


def _resource(file: DataFile, catalogue: Catalogue) -> dict[str, Any]:
    resource: dict[str, Any] = {"name": file.name}
    if file.table is not None:
        resource["type"] = "table"
    resource.update({
        "path": file.path,
        "title": catalogue(f"open_data.title.{file.kind}", form=file.form or ""),
        "description": catalogue(f"open_data.file.{file.kind}"),
        "format": file.format,
        "mediatype": MEDIA_TYPES[file.format],
        "encoding": "utf-8",
        "bytes": len(file.content),
        "hash": "sha256:" + hashlib.sha256(file.content).hexdigest(),
    })
    if file.table is not None:
        resource["dialect"] = {"header": True, "delimiter": ",", "lineTerminator": "\r\n",
                               "quoteChar": '"', "doubleQuote": True}
        schema: dict[str, Any] = {
            "fields": [_field(column, catalogue) for column in file.table.columns],
            "missingValues": [""],
        }
        if file.table.primary_key:
            schema["primaryKey"] = list(file.table.primary_key)
        resource["schema"] = schema
    return resource


def _field(column: Column, catalogue: Catalogue) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "type": column.type,
                             "description": catalogue(f"open_data.field.{column.name}")}
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if column.minimum is not None:
        constraints["minimum"] = column.minimum
    if constraints:
        field["constraints"] = constraints
    return field


# --- the read-me -------------------------------------------------------------------------------

WIDTH = 78


def readme_text(files: Sequence[DataFile], results: Sequence[ResultsFile], *, licence: str,
                catalogue: Catalogue, title: str, organizer: str,
                address: str | None) -> str:
    """The read-me in plain words: what the files are, where the figures come from, the
    small-count rule, the spreadsheet rule, the licence and how to check the files."""
    t = catalogue  # the site's words: the read-me is published with it
    moment = computed_at(results)
    lines = _heading(t("open_data.readme.title", title=title), "=")
    lines += _paragraph(t("open_data.readme.intro", title=title, organizer=organizer))
    lines += _paragraph(t("open_data.readme.computed", day=moment[:10],
                            time=moment[11:16]))
    if address:
        lines += _paragraph(t("open_data.readme.address", url=address))
    lines += _heading(t("open_data.readme.files"), "-")
    form = None
    for file in files:
        if file.form is None:
            continue
        if file.form != form:
            form = file.form
            lines.append(t("open_data.readme.form", form=form))
        lines += _item(t("open_data.readme.item", file=file.path,
                           text=t(f"open_data.file.{file.kind}")))
    lines.append("")
    lines += _paragraph(t("open_data.readme.package", file=PACKAGE_FILE))
    lines += _heading(t("open_data.readme.small.title"), "-")
    count = smallest_min_count(results)
    lines += _paragraph(t("open_data.readme.small", count=count) if count > 1
                        else t("open_data.readme.exact"))
    lines += _heading(t("open_data.readme.spreadsheet.title"), "-")
    lines += _paragraph(t("open_data.readme.spreadsheet"))
    lines += _heading(t("open_data.readme.licence.title"), "-")
    terms = LICENCE_TERMS[licence]
    lines += _paragraph(t("open_data.readme.licence", title=terms.title, name=terms.name,
                            url=terms.path))
    lines += _paragraph(t(f"open_data.readme.licence.{terms.key}", organizer=organizer))
    lines += _heading(t("open_data.readme.check.title"), "-")
    lines += _paragraph(t("open_data.readme.check", file=PACKAGE_FILE))
    lines += [f"    frictionless validate {PACKAGE_FILE}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _heading(text: str, underline: str) -> list[str]:
    return [text, underline * len(text), ""]


def _paragraph(text: str) -> list[str]:
    return [*textwrap.wrap(text, WIDTH, break_long_words=False, break_on_hyphens=False), ""]


def _item(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent="- ", subsequent_indent="  ",
                         break_long_words=False, break_on_hyphens=False)
