"""The open data's description (site_builder/results/open_data_package.py): ``datapackage.json``
validated by the ``frictionless`` library, as a reuser would check it, offline; its licence,
publisher and dates; the read-me in the site's language."""

from __future__ import annotations

import importlib
import json
import socket
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.open_data_support import assert_bytes_golden, empty_results, place_results, write

INSTALL_HINT = ("the frictionless library is missing: .venv/bin/pip install frictionless==5.21.0 "
                "(it is in pyproject.toml's dev extras: pip install -e '.[dev]')")


def _frictionless() -> ModuleType:
    """The library, or a failure that says how to install it (never a skip)."""
    try:
        return importlib.import_module("frictionless")
    except ImportError:
        pytest.fail(INSTALL_HINT)


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No connection: validating must not fetch anything (a reuser may be offline, and the
    package's profile is a standard one frictionless knows)."""

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("frictionless tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _errors(package: Path) -> list[list[str]]:
    report = _frictionless().validate(str(package))
    return [list(error) for error in report.flatten(["type", "note"])]


@pytest.mark.usefixtures("offline")
@pytest.mark.parametrize(("language", "licence"), [("fr", "etalab-2.0"), ("en", "odbl-1.0"),
                                                   ("ar", "etalab-2.0")])
def test_frictionless_finds_the_package_valid(tmp_path: Path, language: str,
                                              licence: str) -> None:
    write(tmp_path, language=language, licence=licence)
    package = next(tmp_path.iterdir()) / "datapackage.json"
    assert _errors(package) == []
    report = _frictionless().validate(str(package))
    assert [task.name for task in report.tasks] == [
        "avis-participation", "avis-questions", "avis-moderation", "avis-quotes",
        "avis-results", "velo-participation", "velo-questions", "velo-moderation",
        "velo-quotes", "velo-results", "readme"]
    assert all(task.valid for task in report.tasks)


@pytest.mark.usefixtures("offline")
def test_frictionless_finds_a_changed_file_or_a_wrong_cell(tmp_path: Path) -> None:
    """The validation checks something: a changed byte breaks the hash, a word in a count
    column breaks the schema."""
    write(tmp_path)
    folder = tmp_path / "donnees"
    participation = folder / "avis-participation.csv"
    participation.write_bytes(participation.read_bytes().replace(b",31,", b",32,"))
    assert [error[0] for error in _errors(folder / "datapackage.json")] == ["hash-count"]
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        del resource["hash"], resource["bytes"]
    participation.write_bytes(participation.read_bytes().replace(b",32,", b",trente,"))
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    assert [error[0] for error in _errors(folder / "datapackage.json")] == ["type-error"]


def test_the_package_names_title_licence_publisher_and_date(tmp_path: Path) -> None:
    write(tmp_path, licence="odbl-1.0")
    package = json.loads((tmp_path / "donnees" / "datapackage.json").read_text("utf-8"))
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert (package["name"], package["title"]) == ("reamenager-la-place-du-marche",
                                                   "Réaménager la place du marché")
    assert package["licenses"] == [{
        "name": "ODbL-1.0", "path": "https://opendatacommons.org/licenses/odbl/1-0/",
        "title": "Open Data Commons Open Database License (ODbL) v1.0"}]
    assert package["contributors"] == [{"title": "Ville d\u2019Essai", "roles": ["publisher"],
                                        "email": "mairie@essai.example"}]
    assert package["created"] == "2027-03-01T09:30:00Z"  # the newest results file's
    assert package["homepage"] == "https://essai.example/"
    assert "Aucun nombre inférieur à 5" in package["description"]


def test_every_csv_resource_has_a_typed_schema(tmp_path: Path) -> None:
    write(tmp_path)
    package = json.loads((tmp_path / "donnees" / "datapackage.json").read_text("utf-8"))
    tables = [resource for resource in package["resources"] if resource["format"] == "csv"]
    assert len(tables) == 8
    for resource in tables:
        assert (resource["type"], resource["mediatype"], resource["encoding"]) == (
            "table", "text/csv", "utf-8")
        schema = resource["schema"]
        assert schema["missingValues"] == [""]
        fields = {field["name"]: field for field in schema["fields"]}
        assert all(field["description"] for field in fields.values())
        if "count" in fields:
            assert fields["count"]["type"] == "integer"
            assert fields["protected"]["constraints"]["enum"] == ["small", "hidden"]
    [readme] = [resource for resource in package["resources"] if resource["name"] == "readme"]
    assert (readme["path"], readme["mediatype"]) == ("LISEZMOI.txt", "text/plain")


@pytest.mark.parametrize(("language", "licence"), [("fr", "odbl-1.0"), ("en", "etalab-2.0")])
def test_the_readme_matches_its_golden(tmp_path: Path, language: str, licence: str,
                                       request: pytest.FixtureRequest) -> None:
    write(tmp_path, language=language, licence=licence, site_url=None)
    [readme] = (tmp_path).glob("*/*.txt")
    assert_bytes_golden(f"readme-{language}-{licence}.txt", readme.read_bytes(), request)


def test_the_readme_names_the_protection_threshold_of_every_form(tmp_path: Path) -> None:
    """Forms protected with different thresholds: the read-me promises the lowest."""
    strict = replace(place_results(), min_count=10)
    write(tmp_path, [strict, empty_results()], language="en")
    text = (tmp_path / "data" / "README.txt").read_text(encoding="utf-8-sig")
    assert "A count below 5 is never published" in text
    write(tmp_path, [replace(empty_results(), min_count=1)], language="en")
    text = (tmp_path / "data" / "README.txt").read_text(encoding="utf-8-sig")
    assert "Counts are published as they are" in text
