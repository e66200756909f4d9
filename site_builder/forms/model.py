"""The typed model of a consultation form, and its manifest form (JSON).

Field types and the keys each accepts are the public contract organizers write (issue #3); the
parser enforces them and the renderer, the manifest and the collector read only this model.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date

FIELD_TYPES = ("text", "textarea", "email", "number", "choice", "choices", "select", "scale",
               "consent")
COMMON_KEYS = ("id", "type", "label", "hint", "required")
TYPE_KEYS: dict[str, tuple[str, ...]] = {
    "text": ("max_length",),
    "textarea": ("max_length",),
    "email": (),
    "number": ("min", "max", "integer"),
    "choice": ("options",),
    "choices": ("options", "min", "max"),
    "select": ("options",),
    "scale": ("min", "max", "min_label", "max_label"),
    "consent": (),
}
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 2000}
FORM_KEYS = ("id", "title", "intro", "submit", "closes", "publish_consent", "fields")
MANIFEST_FORMAT = 5
ANSWER_COLUMNS = ("receipt", "received_at", "channel", "form_version", "batch", "place",
                  "entered_by", "blank", "spoiled")
"""What every stored answer carries besides its questions' values: the export's last columns,
so no question may take one of these ids. The last five say where a paper or assisted answer
came from (its batch of sheets, the batch's place, who typed it in) and which questions the
paper sheet left blank or spoiled."""
DEFAULT_ACTION = "/collect"
"""Where forms post their answers unless the site says otherwise (``collector_url``)."""


@dataclass(frozen=True)
class Option:
    """One answer of a choice, choices or select field: ``value`` is what is submitted."""

    value: str
    label: str


@dataclass(frozen=True)
class Field:
    """One question. Keys that do not apply to the field's type keep their defaults."""

    id: str
    type: str
    label: str
    """Plain text; for ``consent`` it may hold markdown links (see ``label_html``)."""
    label_html: str
    """The label as HTML (escaped text, or inline markdown rendered for ``consent``)."""
    hint: str | None = None
    required: bool = False
    max_length: int | None = None
    """text, textarea: the longest answer, in characters."""
    min: int | float | None = None
    """number: smallest value; choices: fewest selections; scale: first step."""
    max: int | float | None = None
    """number: largest value; choices: most selections; scale: last step."""
    integer: bool = True
    """number: whole numbers only."""
    options: tuple[Option, ...] = ()
    min_label: str | None = None
    """scale: what the first step means ("Pas du tout d'accord")."""
    max_label: str | None = None
    """scale: what the last step means ("Tout à fait d'accord")."""

    @property
    def multiple(self) -> bool:
        """True when the field submits several values (a checkbox group)."""
        return self.type == "choices"

    @property
    def steps(self) -> tuple[int, ...]:
        """scale: every integer from ``min`` to ``max``."""
        if self.type != "scale" or self.min is None or self.max is None:
            return ()
        return tuple(range(int(self.min), int(self.max) + 1))


@dataclass(frozen=True)
class Form:
    """A form as declared in one page's ```form block (or its ``src`` file)."""

    id: str
    title: str
    fields: tuple[Field, ...]
    intro_html: str | None = None
    submit: str | None = None
    closes: date | None = None
    publish_consent: str | None = None
    """The id of the form's ``consent`` question by which a person agrees to be quoted: only
    their free-text answers may ever be published (after moderation). None: the form's free
    text is never quoted. Part of ``version`` when set: the collector stores each version's
    manifest once, so a form that stops asking for this consent must be a new version, or
    ``parole results`` would still read the old manifest and quote."""
    source: str = ""
    """Where the form was declared ("avis.md:12"), for messages."""

    @property
    def version(self) -> str:
        """Hash of what answers are validated against (id and fields) and, when the form names
        one, of the consent that lets them be quoted, so the collector can tell an answer to
        yesterday's questions from one to today's. A form without ``publish_consent`` keeps the
        version it had before the key existed."""
        schema: dict[str, object] = {"id": self.id, "fields": [asdict(f) for f in self.fields]}
        if self.publish_consent is not None:
            schema["publish_consent"] = self.publish_consent
        canonical = json.dumps(schema, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]

    def get(self, field_id: str) -> Field | None:
        """The field called ``field_id``, or None."""
        return next((f for f in self.fields if f.id == field_id), None)

    def code(self, field: Field) -> str:
        """``form id / field id``: the code the paper version prints beside ``field``, and the
        data-entry form shows, so a mediator typing a sheet finds each question."""
        return f"{self.id} / {field.id}"
