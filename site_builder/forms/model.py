"""The typed model of a consultation form, and its manifest form (JSON).

Field types and the keys each accepts are the public contract organizers write (issue #3); the
parser enforces them and the renderer, the manifest and the collector read only this model.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from dataclasses import field as attribute
from datetime import date

from site_builder.i18n import DEFAULT_LANGUAGE

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
FORM_KEYS = ("id", "title", "intro", "submit", "closes", "publish_consent", "fields",
             "translations", "translation_fallback")
MANIFEST_FORMAT = 6
ANSWER_COLUMNS = ("receipt", "received_at", "channel", "language", "form_version", "batch",
                  "place", "entered_by", "blank", "spoiled")
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
class FieldWords:
    """One question's words in one language: everything of a ``Field`` a reader reads, nothing
    an answer is checked against (ids, option values, limits stay the form's own)."""

    label: str
    """Plain text; for ``consent`` markdown, as ``Field.label``."""
    label_html: str
    hint: str | None = None
    min_label: str | None = None
    max_label: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    """(value, label) of each option, in the form's order."""

    @classmethod
    def of(cls, field: Field) -> FieldWords:
        """The words ``field`` is written with."""
        return cls(label=field.label, label_html=field.label_html, hint=field.hint,
                   min_label=field.min_label, max_label=field.max_label,
                   options=tuple((option.value, option.label) for option in field.options))

    def apply(self, field: Field) -> Field:
        """``field`` in these words; an option these words do not name keeps its label."""
        labels = dict(self.options)
        return replace(field, label=self.label, label_html=self.label_html, hint=self.hint,
                       min_label=self.min_label, max_label=self.max_label,
                       options=tuple(Option(option.value, labels.get(option.value, option.label))
                                     for option in field.options))


@dataclass(frozen=True)
class Translation:
    """A form's words in one language (its ``translations:`` block for that language, complete:
    the parser refuses a translation missing a string, or fills it from the form's own language
    when the form allows ``translation_fallback``)."""

    language: str
    title: str
    fields: tuple[tuple[str, FieldWords], ...]
    """(field id, words) of every question, in the form's order."""
    intro: str | None = attribute(default=None, compare=False)
    """The intro as written (markdown): rendered again with each page's links. Not compared:
    what a translation says is its HTML."""
    intro_html: str | None = None
    submit: str | None = None
    borrowed: frozenset[str] = frozenset()
    """The strings this translation lacks, the form's own shown in their place
    (``translation_fallback``), by path: ``title``, ``intro``, ``submit``, ``<field id>/label``
    (``hint``, ``min_label``, ``max_label``), ``<field id>/options/<value>``. Shown, each says
    its language (``render``)."""

    def words(self, field_id: str) -> FieldWords | None:
        """The words of question ``field_id``, or None."""
        return next((words for name, words in self.fields if name == field_id), None)

    @classmethod
    def of(cls, form: Form) -> Translation:
        """The words ``form`` is written with, in its own language."""
        return cls(language=form.language, title=form.title, intro=form.intro,
                   intro_html=form.intro_html, submit=form.submit,
                   fields=tuple((field.id, FieldWords.of(field)) for field in form.fields))


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
    language: str = DEFAULT_LANGUAGE
    """The base language (``fr``) of the strings above: the page's that declares the form."""
    intro: str | None = attribute(default=None, compare=False)
    """The intro as written (markdown), to render it again for another page (``relink``);
    None when unknown (a form read from its manifest, which keeps its HTML). Not compared: the
    form says what ``intro_html`` says."""
    translations: tuple[Translation, ...] = ()
    """The form's words in its other languages, ids and option values shared: answers in every
    language are answers to one form. Not part of ``version``."""
    translation_fallback: bool = False
    """A translation missing a string takes the form's own (a warning, not an error)."""
    declared_version: str | None = None
    """Set on a copy in other words (``localized``, ``relink``): the version of the form as
    declared, which answers sent through the copy count toward."""
    borrowed: frozenset[str] = frozenset()
    """Set on a copy in other words (``localized``): its strings still in ``borrowed_from``,
    the language the form was declared in (``Translation.borrowed``)."""
    borrowed_from: str | None = None

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the form can be shown in: its own first, then its translations'."""
        return (self.language, *(translation.language for translation in self.translations))

    def translation(self, language: str) -> Translation | None:
        """The words of ``language`` (its own language included), or None."""
        if language == self.language:
            return Translation.of(self)
        return next((words for words in self.translations if words.language == language), None)

    def localized(self, language: str) -> Form:
        """The same form (id, ``version``, questions, option values) in the words of
        ``language``. A language it has no words for gives the form in its own language: a
        page built before translations, or a hostile ``_language``, must still get a form (the
        collector checks ``languages`` when it matters)."""
        words = self.translation(language)
        if words is None or language == self.language:
            return self
        others = tuple(translation for translation in self.translations
                       if translation.language != language)
        return replace(
            self, title=words.title, intro=words.intro, intro_html=words.intro_html,
            submit=words.submit, language=language,
            fields=tuple(_apply(words.words(field.id), field) for field in self.fields),
            translations=(Translation.of(self), *others), declared_version=self.version,
            borrowed=words.borrowed, borrowed_from=self.language if words.borrowed else None)

    @property
    def version(self) -> str:
        """Hash of what answers are validated against (id and fields) and, when the form names
        one, of the consent that lets them be quoted, so the collector can tell an answer to
        yesterday's questions from one to today's. A form without ``publish_consent`` keeps the
        version it had before the key existed. Translations are no part of it: an answer from
        the Arabic page and one from the French page answer the same version; a copy in other
        words answers to ``declared_version``."""
        if self.declared_version is not None:
            return self.declared_version
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


def _apply(words: FieldWords | None, field: Field) -> Field:
    return words.apply(field) if words is not None else field
