"""Form manifests (``site/forms/<id>.json``): exact round trip, stable format, strict reading."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from site_builder.errors import ParoleError
from site_builder.forms import located
from site_builder.forms.manifest import (
    FIELD_KEYS,
    TOP_KEYS,
    Manifest,
    ManifestError,
    manifest_data,
    manifest_from_text,
    read_manifest,
    write_manifest,
)
from site_builder.forms.model import Form
from site_builder.forms.parse import parse_form
from site_builder.messages import speaking
from tests.support import REPO
from tests.test_form_parse import EXPECTED

DOCS = (REPO / "docs" / "forms.md").read_text(encoding="utf-8")


def write(site: Path, form: Form = EXPECTED, **changes: Any) -> Path:
    options: dict[str, Any] = {"page_url": "consultation/place-du-marche/", "language": "fr",
                               "closes": form.closes, **changes}
    return write_manifest(form, site_dir=site, **options)


def test_round_trip_is_exact(tmp_path: Path) -> None:
    path = write(tmp_path)
    manifest = read_manifest(path)
    assert manifest == Manifest(form=EXPECTED, page_url="consultation/place-du-marche/",
                                language="fr", closes=date(2026, 12, 31),
                                version=EXPECTED.version, time_zone="Europe/Paris", format=6,
                                page_urls=(("fr", "consultation/place-du-marche/"),))


@pytest.mark.parametrize(("language", "given", "written"), [
    ("fr", None, "Europe/Paris"), ("fr-CA", None, "Europe/Paris"), ("en", None, "UTC"),
    ("fr", "America/Martinique", "America/Martinique"), ("en", "Asia/Tokyo", "Asia/Tokyo"),
])
def test_the_time_zone_is_the_sites_or_its_languages_default(
    tmp_path: Path, language: str, given: str | None, written: str
) -> None:
    path = write(tmp_path, language=language, time_zone=given)
    assert json.loads(path.read_text(encoding="utf-8"))["time_zone"] == written
    assert read_manifest(path).time_zone == written


def test_paper_places_and_double_entry_round_trip(tmp_path: Path) -> None:
    places = ("Hôtel de ville, accueil", "Médiathèque Jules-Verne")
    path = write(tmp_path, paper_dropoff=list(places), double_entry=True)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["paper_dropoff"] == list(places)
    assert data["double_entry"] is True
    manifest = read_manifest(path)
    assert manifest.paper_dropoff == places
    assert manifest.double_entry is True


def test_without_paper_options_no_place_and_single_entry(tmp_path: Path) -> None:
    data = json.loads(write(tmp_path).read_text(encoding="utf-8"))
    assert data["paper_dropoff"] == []
    assert data["double_entry"] is False


def test_a_manifest_text_reads_as_its_file(tmp_path: Path) -> None:
    path = write(tmp_path, paper_dropoff=["Mairie"])
    text = path.read_text(encoding="utf-8")
    assert manifest_from_text(text, "avis-place 347afc05") == read_manifest(path)


def _older(tmp_path: Path, format_: int, *dropped: str) -> dict[str, Any]:
    data = json.loads(write(tmp_path, language="en").read_text(encoding="utf-8"))
    for key in dropped:
        del data[key]
    return {**data, "format": format_}


ONE_LANGUAGE = ("page_urls", "paper_urls", "translations")
"""What format 6 added: a manifest of an earlier format has one language."""


@pytest.mark.parametrize(("format_", "dropped"), [
    (5, ONE_LANGUAGE),
    (4, ("publish_consent", *ONE_LANGUAGE)),
    (3, ("paper_dropoff", "double_entry", "publish_consent", *ONE_LANGUAGE)),
    (2, ("paper_dropoff", "double_entry", "publish_consent", "time_zone", *ONE_LANGUAGE)),
])
def test_a_stored_manifest_of_an_earlier_format_reads_with_the_defaults_of_its_day(
    tmp_path: Path, format_: int, dropped: tuple[str, ...]
) -> None:
    # The database keeps a form version's first manifest: an upgrade cannot rebuild it.
    current = read_manifest(write(tmp_path, language="en"))
    older = json.dumps(_older(tmp_path, format_, *dropped))
    upgraded = manifest_from_text(older, "avis-place 347afc05")
    assert upgraded.page_urls == () and upgraded.form.translations == ()
    assert upgraded.page_url_in("en") == current.page_url_in("en")
    assert dataclasses.replace(upgraded, page_urls=current.page_urls) == current
    assert current.paper_dropoff == () and current.double_entry is False
    assert current.form.publish_consent is None  # before format 5, no free text was quoted
    assert current.time_zone == "UTC"
    # A file of the site is built anew instead.
    path = tmp_path / "older.json"
    path.write_text(older, encoding="utf-8")
    with pytest.raises(ManifestError, match=f"unknown manifest format {format_}; this parole "
                                            "reads format 6"):
        read_manifest(path)


def test_a_stored_manifest_is_as_strict_as_a_file_naming_where_it_came_from(
    tmp_path: Path,
) -> None:
    where = "the database's form avis-place"
    with pytest.raises(ManifestError) as raised:
        manifest_from_text(json.dumps(_older(tmp_path, 1)), where)
    assert str(raised.value).startswith(f"{where}: unknown manifest format 1; this parole reads "
                                        "format 6")
    with pytest.raises(ManifestError, match="the manifest has unknown 'couleur'"):
        manifest_from_text(json.dumps({**_older(tmp_path, 3, "paper_dropoff", "double_entry"),
                                       "couleur": "bleu"}), where)
    with pytest.raises(ManifestError, match="the manifest lacks 'double_entry'"):
        manifest_from_text(json.dumps(_older(tmp_path, 4, "double_entry", "publish_consent")),
                           where)
    with pytest.raises(ManifestError, match="the manifest lacks 'publish_consent'"):
        manifest_from_text(json.dumps(_older(tmp_path, 5, "publish_consent")), where)
    with pytest.raises(ManifestError, match="not valid JSON"):
        manifest_from_text("{", where)


def test_the_consent_to_be_quoted_round_trips_and_makes_a_new_version(tmp_path: Path) -> None:
    quoted = dataclasses.replace(EXPECTED, publish_consent="donnees")
    assert quoted.version != EXPECTED.version  # stored once per version: it must tell them apart
    path = write(tmp_path, quoted)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["publish_consent"] == "donnees"
    assert list(data).index("publish_consent") == list(data).index("double_entry") + 1
    assert read_manifest(path).form == quoted
    assert json.loads(write(tmp_path).read_text(encoding="utf-8"))["publish_consent"] is None


def test_round_trip_without_closing_date_or_optional_text(tmp_path: Path) -> None:
    form = Form(id="court", title="Court", fields=EXPECTED.fields[:1])
    assert read_manifest(write(tmp_path, form)).form == form


def test_the_file_is_forms_id_json_readable_and_stable(tmp_path: Path) -> None:
    path = write(tmp_path)
    assert path == tmp_path / "forms" / "avis-place.json"
    text = path.read_text(encoding="utf-8")
    assert "Donnez votre avis sur la place du marché" in text  # not \u00e9 escapes
    assert text.startswith('{\n  "format": 6,\n  "id": "avis-place",\n')
    assert text.endswith("}\n")
    data = json.loads(text)
    assert list(data) == list(TOP_KEYS)
    assert all(list(field) == list(FIELD_KEYS) for field in data["fields"])
    assert data["fields"][5]["options"][0] == {"value": "jour", "label": "Tous les jours"}
    assert data["closes"] == "2026-12-31"
    assert write(tmp_path).read_text(encoding="utf-8") == text  # same form, same bytes


def test_the_docs_show_the_manifest_of_their_example() -> None:
    form_yaml = re.search(r"^```yaml\n(id: avis-place\n.*?)^```$", DOCS, re.M | re.S)
    manifest_json = re.search(r"^```json\n(.*?)^```$", DOCS, re.M | re.S)
    assert form_yaml and manifest_json
    documented = json.loads(manifest_json.group(1))
    page, line = documented["source"].split(":")
    # the page is at the root of the docs folder, so confidentialite.md is ../confidentialite/
    form, problems = parse_form(
        located.load(form_yaml.group(1)), file=page, line=int(line),
        resolve_link=lambda href: "../" + href.removesuffix(".md") + "/",
    )
    assert problems == []
    assert form is not None
    publication = {key: documented[key] for key in ("page_url", "language", "action",
                                                    "site_url", "results_url", "help_url",
                                                    "paper_url", "retention_days",
                                                    "time_zone", "paper_dropoff",
                                                    "double_entry")}
    assert manifest_data(form, **publication, opens=date.fromisoformat(documented["opens"]),
                         closes=form.closes) == documented
    for key in (*TOP_KEYS, *FIELD_KEYS):
        assert re.search(rf"^\| `{key}` \|", DOCS, re.M), f"manifest key {key} undocumented"


# -- reading refuses what it cannot trust ----------------------------------------------------

def edited(tmp_path: Path, change: Any) -> Path:
    path = write(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _field(data: dict[str, Any], key: str, value: object) -> None:
    data["fields"][0][key] = value


BROKEN: dict[str, tuple[Any, str]] = {
    "older format": (lambda d: d.update(format=4),
                     "unknown manifest format 4; this parole reads format 6"),
    "no format": (lambda d: d.pop("format"), "unknown manifest format None"),
    "missing key": (lambda d: d.pop("page_url"), "the manifest lacks 'page_url'"),
    "unknown key": (lambda d: d.update(couleur="bleu"), "the manifest has unknown 'couleur'"),
    "title not text": (lambda d: d.update(title=3), "'title' is a number, expected a string"),
    "fields not a list": (lambda d: d.update(fields={}), "'fields' is an object, expected a list"),
    "bad closes": (lambda d: d.update(closes="31/12/2026"),
                   "'closes' is '31/12/2026', expected a date as YYYY-MM-DD or null"),
    "field not an object": (lambda d: d["fields"].insert(0, "prenom"),
                            "field 1 is a string, expected an object"),
    "field lacks a key": (lambda d: d["fields"][0].pop("label_html"),
                          "field 'prenom' lacks 'label_html'"),
    "field has an unknown key": (lambda d: _field(d, "placeholder", "Jean"),
                                 "field 'prenom' has unknown 'placeholder'"),
    "required not a boolean": (lambda d: _field(d, "required", "yes"),
                               "field 'prenom': 'required' is a string"),
    "max_length not a number": (lambda d: _field(d, "max_length", "60"),
                                "field 'prenom': 'max_length' is a string"),
    "max_length a boolean": (lambda d: _field(d, "max_length", True),
                             "field 'prenom': 'max_length' is true/false"),
    "places not a list": (lambda d: d.update(paper_dropoff="Mairie"),
                          "'paper_dropoff' is a string, expected a list"),
    "a place not text": (lambda d: d.update(paper_dropoff=["Mairie", 3]),
                         "'paper_dropoff' must be a list of places, each a string"),
    "double_entry not a boolean": (lambda d: d.update(double_entry="yes"),
                                   "'double_entry' is a string, expected true/false"),
    "without double_entry": (lambda d: d.pop("double_entry"),
                             "the manifest lacks 'double_entry'"),
    "publish_consent not text": (lambda d: d.update(publish_consent=True),
                                 "'publish_consent' is true/false, expected a string or null"),
    "publish_consent of no question": (
        lambda d: d.update(publish_consent="citation"),
        "'publish_consent' is 'citation', which is not a consent question of this form"),
    "publish_consent of a text question": (
        lambda d: d.update(publish_consent="prenom"),
        "'publish_consent' is 'prenom', which is not a consent question of this form"),
    "without publish_consent": (lambda d: d.pop("publish_consent"),
                                "the manifest lacks 'publish_consent'"),
    "unknown time zone": (lambda d: d.update(time_zone="Europe/Pariss"),
                          "'time_zone' is 'Europe/Pariss', which is not a time zone"),
    "unknown field type": (lambda d: _field(d, "type", "date"),
                           "field 'prenom' has the unknown type 'date'"),
    "malformed options": (lambda d: d["fields"][5].update(options=["jour"]),
                          "field 'frequence': 'options' must be a list of"),
    "version of other fields": (lambda d: _field(d, "label", "Votre nom"),
                                "does not match the fields"),
}


@pytest.mark.parametrize("change, message", BROKEN.values(), ids=BROKEN.keys())
def test_a_manifest_that_cannot_be_trusted_is_refused(
    tmp_path: Path, change: Any, message: str
) -> None:
    path = edited(tmp_path, change)
    with pytest.raises(ManifestError) as raised:
        read_manifest(path)
    assert message in raised.value.reason
    assert str(raised.value).startswith(f"{path}: ")
    assert "build the site again" in str(raised.value)


@pytest.mark.parametrize("content, message", [
    (b'{"format": 1,', "the manifest is not valid JSON (line 1:"),
    (b"[1, 2]", "the manifest must be a JSON object"),
    ("{}".encode("utf-16"), "not UTF-8"),
])
def test_a_manifest_that_is_not_a_json_object_is_refused(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "avis.json"
    path.write_bytes(content)
    with pytest.raises(ManifestError, match=re.escape(message)):
        read_manifest(path)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["fields"][0].pop("label_html"), "il manque 'label_html' dans le champ « prenom »"),
    (lambda d: d.update(title=3), "« title » est un nombre ; attendu : une chaîne de caractères"),
    (lambda d: d.update(fields={}), "« fields » est un objet ; attendu : une liste"),
], ids=["field lacks a key", "title not text", "fields not a list"])
def test_a_french_site_hears_why_its_manifest_is_refused_in_french(
    tmp_path: Path, change: Any, message: str
) -> None:
    path = edited(tmp_path, change)
    with speaking("fr"), pytest.raises(ManifestError) as raised:
        read_manifest(path)
    assert message in raised.value.reason
    assert "Pour corriger : construisez de nouveau le site (mkdocs build)" in str(raised.value)


def test_a_missing_manifest_is_a_parole_error(tmp_path: Path) -> None:
    with pytest.raises(ParoleError, match="cannot read the manifest"):
        read_manifest(tmp_path / "forms" / "absent.json")
