"""Form manifests: the model of each form written as ``site/forms/<id>.json`` by the build and
read back by the collector, which validates answers against it and re-renders the form.

The format is documented in docs/forms.md. Reading is strict: a manifest from another format
version, with a missing or unexpected key, a value of the wrong kind or a version that does not
match its fields is refused with a ``ManifestError`` naming the file and what is wrong, because
the collector must never validate answers against a form it half understands.
"""

from __future__ import annotations

import dataclasses
import json
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from site_builder.calendar import DEFAULT_RETENTION_DAYS
from site_builder.errors import ParoleError
from site_builder.forms.manifest_translations import read_translations, translations_data
from site_builder.forms.model import (
    DEFAULT_ACTION,
    FIELD_TYPES,
    MANIFEST_FORMAT,
    Field,
    Form,
    Option,
)
from site_builder.messages import say
from site_builder.time_zones import OTHER_DEFAULT, default_time_zone, time_zone

FOLDER = "forms"
"""Manifests live in ``site/<FOLDER>/<id>.json``."""
TOP_KEYS = ("format", "id", "version", "title", "source", "page_url", "language", "opens",
            "closes", "action", "site_url", "results_url", "help_url", "paper_url",
            "page_urls", "paper_urls", "retention_days", "time_zone", "paper_dropoff",
            "double_entry", "publish_consent", "submit", "intro_html", "fields", "translations")
"""The keys of a manifest, in the order they are written."""
FIELD_KEYS = tuple(attribute.name for attribute in dataclasses.fields(Field))
_FIELD_HINTS = typing.get_type_hints(Field)
_TOP_KINDS: dict[str, tuple[type, ...]] = {
    "id": (str,), "version": (str,), "title": (str,), "source": (str,), "page_url": (str,),
    "language": (str,), "opens": (str, type(None)), "closes": (str, type(None)),
    "action": (str,), "site_url": (str, type(None)), "results_url": (str, type(None)),
    "help_url": (str, type(None)), "paper_url": (str, type(None)), "page_urls": (dict,),
    "paper_urls": (dict,), "retention_days": (int,),
    "time_zone": (str,), "paper_dropoff": (list,), "double_entry": (bool,),
    "publish_consent": (str, type(None)),
    "submit": (str, type(None)), "intro_html": (str, type(None)), "fields": (list,),
    "translations": (dict,),
}


class ManifestError(ParoleError):
    """A form manifest the collector cannot trust: which file, and what is wrong with it."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = path
        """The file, or where a manifest's text came from (a stored form version)."""
        self.reason = reason
        fix = say("problem.how_to_fix", fix=say("manifest.fix"))
        super().__init__(f"{path}: {reason}\n    {fix}")


@dataclass(frozen=True)
class Manifest:
    """A form as published, with where and how it is published."""

    form: Form
    page_url: str
    """The page showing the form, relative to the site's root (``consultation/avis/``)."""
    language: str
    closes: date | None
    """The last day answers are taken (the form's own, or the consultation's)."""
    version: str
    opens: date | None = None
    """The first day answers are taken (the consultation's ``opens``)."""
    action: str = DEFAULT_ACTION
    """Where the form posts its answers (the plugin's ``collector_url``)."""
    site_url: str | None = None
    """The site's public address (MkDocs' ``site_url``), if known: the collector accepts
    answers posted from its origin and serves its pages under its path."""
    results_url: str | None = None
    """The results page, relative to the site's root; shown once the form is closed."""
    help_url: str | None = None
    """The page on getting help, relative to the site's root."""
    paper_url: str | None = None
    """The form's paper version, relative to the site's root (none once the form is closed)."""
    retention_days: int = DEFAULT_RETENTION_DAYS
    """How many days after ``closes`` answers are kept."""
    time_zone: str = OTHER_DEFAULT
    """The consultation's time zone (IANA name): the exports write times in it."""
    paper_dropoff: tuple[str, ...] = ()
    """Where paper answers are dropped off (the plugin's ``paper_dropoff``): the places a
    mediator picks from when starting a batch of sheets."""
    double_entry: bool = False
    """Whether every paper sheet is typed twice by two mediators (``paper_entry.double``)."""
    format: int = MANIFEST_FORMAT
    page_urls: tuple[tuple[str, str], ...] = ()
    """(language, page) of each page showing the form, its own language's first."""
    paper_urls: tuple[tuple[str, str], ...] = ()
    """(language, paper version) of each language the form is printed in."""

    def page_url_in(self, language: str) -> str:
        """The page showing the form in ``language`` (the collector frames its answer to a post
        from that page in it), or the form's own page."""
        return dict(self.page_urls).get(language, self.page_url)

    def paper_url_in(self, language: str) -> str | None:
        """The form's paper version in ``language``, or in its own language, or None."""
        return dict(self.paper_urls).get(language, self.paper_url)


def manifest_path(site_dir: Path, form_id: str) -> Path:
    return site_dir / FOLDER / f"{form_id}.json"


def manifest_data(
    form: Form,
    *,
    page_url: str,
    language: str,
    closes: date | None,
    opens: date | None = None,
    action: str = DEFAULT_ACTION,
    site_url: str | None = None,
    results_url: str | None = None,
    help_url: str | None = None,
    paper_url: str | None = None,
    retention_days: int = DEFAULT_RETENTION_DAYS,
    time_zone: str | None = None,
    paper_dropoff: Sequence[str] = (),
    double_entry: bool = False,
    page_urls: Mapping[str, str] | None = None,
    paper_urls: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The manifest as JSON-ready data, keys in the documented order. Without ``time_zone``,
    the default for ``language`` (``time_zones.default_time_zone``). ``page_urls`` and
    ``paper_urls``: each language's page and paper version (by default, ``page_url`` and
    ``paper_url`` in ``language``)."""
    return {
        "format": MANIFEST_FORMAT,
        "id": form.id,
        "version": form.version,
        "title": form.title,
        "source": form.source,
        "page_url": page_url,
        "language": language,
        "opens": opens.isoformat() if opens else None,
        "closes": closes.isoformat() if closes else None,
        "action": action,
        "site_url": site_url,
        "results_url": results_url,
        "help_url": help_url,
        "paper_url": paper_url,
        "page_urls": dict(page_urls) if page_urls is not None else {language: page_url},
        "paper_urls": (dict(paper_urls) if paper_urls is not None
                       else {language: paper_url} if paper_url else {}),
        "retention_days": retention_days,
        "time_zone": time_zone or default_time_zone(language),
        "paper_dropoff": list(paper_dropoff),
        "double_entry": double_entry,
        "publish_consent": form.publish_consent,
        "submit": form.submit,
        "intro_html": form.intro_html,
        "fields": [_field_data(field) for field in form.fields],
        "translations": translations_data(form),
    }


def _field_data(field: Field) -> dict[str, Any]:
    data = {name: getattr(field, name) for name in FIELD_KEYS}
    data["options"] = [{"value": option.value, "label": option.label} for option in field.options]
    return data


def write_manifest(form: Form, *, site_dir: Path, **publication: Any) -> Path:
    """Write ``site_dir/forms/<id>.json`` and return its path. ``publication`` holds the keyword
    arguments of ``manifest_data``: where the form is published and when it takes answers."""
    path = manifest_path(site_dir, form.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = manifest_data(form, **publication)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def read_manifest(path: Path) -> Manifest:
    """The manifest at ``path``; raises ``ManifestError`` when it cannot be trusted."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ManifestError(path, say("manifest.unreadable", error=error.strerror)) from error
    except UnicodeDecodeError as error:
        raise ManifestError(path, say("manifest.not_utf8")) from error
    return _read(text, path, (MANIFEST_FORMAT,))


def manifest_from_text(text: str, where: Path | str) -> Manifest:
    """The manifest whose JSON is ``text``: one stored with a form version in the database
    (``Storage.form_schemas``), read as strictly as a file; ``where`` names its origin in the
    ``ManifestError`` raised when it cannot be trusted. A stored manifest may be of an earlier
    format, kept from before an upgrade (the database keeps a version's first manifest, and no
    build can write it anew): it reads with the defaults of the keys added since
    (``UPGRADES``)."""
    return _read(text, where, (*UPGRADES, MANIFEST_FORMAT))


UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    2: lambda data: {**data, "format": 3,
                     "time_zone": default_time_zone(str(data.get("language", "")))},
    3: lambda data: {**data, "format": 4, "paper_dropoff": [], "double_entry": False},
    4: lambda data: {**data, "format": 5, "publish_consent": None},
    5: lambda data: {**data, "format": 6, "page_urls": {}, "paper_urls": {}, "translations": {}},
}
"""Earlier formats a stored manifest may have, each to the next: the keys that format added,
with the value an earlier build meant (the language's time zone, no place, single entry, no
free text to quote, one language: the form's own page and paper version)."""


def _read(text: str, where: Path | str, formats: tuple[int, ...]) -> Manifest:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ManifestError(where, say("manifest.not_json", line=error.lineno,
                                       error=error.msg)) from error
    if not isinstance(data, dict):
        raise ManifestError(where, say("manifest.not_object"))
    if data.get("format") not in formats or isinstance(data.get("format"), bool):
        raise ManifestError(where, say("manifest.format", format=data.get("format"),
                                       expected=MANIFEST_FORMAT))
    while data["format"] in UPGRADES:
        data = UPGRADES[data["format"]](data)
    _check_keys(where, data, TOP_KEYS, say("manifest.where.manifest"))
    for key, kinds in _TOP_KINDS.items():
        if not isinstance(data[key], kinds):
            names = [_json_kind_name(kind) for kind in kinds]
            expected = names[0] if len(names) == 1 else say("manifest.or", first=names[0],
                                                            second=names[1])
            raise ManifestError(where, say("manifest.wrong_kind", key=key,
                                           kind=_json_kind(data[key]), expected=expected))
    closes = _date(where, "closes", data["closes"])
    form = Form(
        id=data["id"],
        title=data["title"],
        fields=tuple(_field(where, item, index) for index, item in enumerate(data["fields"])),
        intro_html=data["intro_html"],
        submit=data["submit"],
        closes=closes,
        publish_consent=data["publish_consent"],
        source=data["source"],
        language=data["language"],
    )
    try:
        form = replace(form, translations=read_translations(data["translations"], form))
        page_urls = _urls(data["page_urls"])
        paper_urls = _urls(data["paper_urls"])
    except ValueError as error:
        raise ManifestError(where, str(error)) from error
    consent = form.get(data["publish_consent"]) if data["publish_consent"] else None
    if data["publish_consent"] is not None and (consent is None or consent.type != "consent"):
        raise ManifestError(where, say("manifest.publish_consent", id=data["publish_consent"]))
    if form.version != data["version"]:
        raise ManifestError(where, say("manifest.version", version=data["version"],
                                       computed=form.version))
    if isinstance(data["retention_days"], bool) or data["retention_days"] < 0:
        raise ManifestError(where, say("manifest.retention", value=data["retention_days"]))
    if not all(isinstance(place, str) for place in data["paper_dropoff"]):
        raise ManifestError(where, say("manifest.places"))
    return Manifest(form=form, page_url=data["page_url"], language=data["language"],
                    closes=closes, version=data["version"],
                    opens=_date(where, "opens", data["opens"]), action=data["action"],
                    site_url=data["site_url"], results_url=data["results_url"],
                    help_url=data["help_url"], paper_url=data["paper_url"],
                    retention_days=data["retention_days"],
                    time_zone=_zone(where, data["time_zone"]),
                    paper_dropoff=tuple(data["paper_dropoff"]),
                    double_entry=data["double_entry"], format=data["format"],
                    page_urls=page_urls, paper_urls=paper_urls)


def _check_keys(
    origin: Path | str, data: dict[str, Any], expected: tuple[str, ...], where: str
) -> None:
    missing = [key for key in expected if key not in data]
    if missing:
        raise ManifestError(origin, say("manifest.lacks", where=where,
                                        keys=", ".join(map(repr, missing))))
    unexpected = [key for key in data if key not in expected]
    if unexpected:
        raise ManifestError(origin, say("manifest.unknown_keys", where=where,
                                        keys=", ".join(map(repr, unexpected))))


def _zone(origin: Path | str, name: str) -> str:
    if time_zone(name) is None:
        raise ManifestError(origin, say("manifest.time_zone", name=name))
    return name


def _date(origin: Path | str, key: str, value: str | None) -> date | None:
    if value is None:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ManifestError(origin, say("manifest.date", key=key, value=value))


def _field(origin: Path | str, data: object, index: int) -> Field:
    where = say("manifest.where.field_number", number=index + 1)
    if not isinstance(data, dict):
        raise ManifestError(origin, say("manifest.field_not_object", where=where,
                                        kind=_json_kind(data)))
    if isinstance(data.get("id"), str):
        where = say("manifest.where.field", id=data["id"])
    _check_keys(origin, data, FIELD_KEYS, where)
    for name, hint in _FIELD_HINTS.items():
        if name != "options" and not _conforms(data[name], hint):
            raise ManifestError(origin, say("manifest.field_kind", where=where, name=name,
                                            kind=_json_kind(data[name])))
    if data["type"] not in FIELD_TYPES:
        raise ManifestError(origin, say("manifest.field_type", where=where, type=data["type"]))
    options = data["options"]
    if not isinstance(options, list) or not all(
        isinstance(option, dict) and set(option) == {"value", "label"}
        and all(isinstance(text, str) for text in option.values())
        for option in options
    ):
        raise ManifestError(origin, say("manifest.options", where=where,
                                        example='{"value": …, "label": …}'))
    return Field(**{**data, "options": tuple(Option(**option) for option in options)})


def _conforms(value: object, hint: object) -> bool:
    """Whether a JSON value fits a (simple) annotation of ``Field``."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return any(_conforms(value, arm) for arm in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(hint, type) and isinstance(value, hint)


_JSON_KINDS = ((type(None), "null"), (bool, "boolean"), (int, "number"), (float, "number"),
               (str, "string"), (list, "list"), (dict, "object"))
"""The kinds of JSON value, each said by the message ``manifest.kind.<name>``."""


def _json_kind(value: object) -> str:
    name = next((name for kind, name in _JSON_KINDS if isinstance(value, kind)), "unknown")
    return say(f"manifest.kind.{name}")


def _json_kind_name(kind: type) -> str:
    name = next((name for known, name in _JSON_KINDS if known is kind), None)
    return say(f"manifest.kind.{name}") if name else kind.__name__


def _urls(data: dict[Any, Any]) -> tuple[tuple[str, str], ...]:
    """``page_urls`` or ``paper_urls``: language → address, both text."""
    if not all(isinstance(key, str) and isinstance(value, str) for key, value in data.items()):
        raise ValueError(say("manifest.urls"))
    return tuple(data.items())
