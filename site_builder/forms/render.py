"""A form as HTML: the theme's form components (``theme/components/``) filled from the form model.

The build renders each ```form block with ``render_form``; the collector calls the same function
with what a citizen entered and the error messages, so a form shown again after a mistake is the
same markup plus the errors (DESIGN.md: one source of truth). No MkDocs here: the collector runs
without it.

The markup lives in the components' ``template.html``; this module only works out what each
component needs (its ``params``: ids, hints in words, which options are checked), so the HTML
can change in the theme without touching Python, and the Python is tested without HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from site_builder.calendar import ClosedInfo, format_date
from site_builder.errors import ContentError, Problem
from site_builder.forms.borrowed import NOTHING_BORROWED, Borrowed, section_language
from site_builder.forms.model import DEFAULT_ACTION, DEFAULT_MAX_LENGTH, Field, Form
from site_builder.forms.posted import (
    AGAIN_NAME,
    AGAIN_VALUE,
    BLANK,
    BLANK_VALUE,
    CONSENT_VALUE,
    FORM_ID_NAME,
    FORM_LANGUAGE_NAME,
    FORM_VERSION_NAME,
    HONEYPOT_NAME,
    SPOILED,
    SPOILED_NAME,
)
from site_builder.forms.templates import environment
from site_builder.forms.wording import format_number, instruction
from site_builder.i18n import Catalogue
from site_builder.messages import say

RADIO_TYPES = frozenset({"choice", "scale"})
"""Types shown as radios: in the data-entry form they end with the "No answer (blank)" radio."""
COMPONENTS = {
    "text": "field-text", "email": "field-text", "number": "field-text",
    "textarea": "field-textarea", "choice": "field-choice", "scale": "field-choice",
    "choices": "field-choices", "select": "field-select", "consent": "field-consent",
}
"""The component that renders each field type."""
GROUPS = frozenset({"choice", "scale", "choices"})
"""Types whose inputs sit in a fieldset: the error summary links to the first of them."""

AUTOCOMPLETE = {
    "nom": "family-name", "prenom": "given-name", "nom_complet": "name", "nom-complet": "name",
    "name": "name", "code_postal": "postal-code", "code-postal": "postal-code",
    "postcode": "postal-code", "ville": "address-level2", "commune": "address-level2",
    "telephone": "tel", "tel": "tel", "phone": "tel",
}
"""A text field whose id says it asks about the person gets the matching ``autocomplete``
token (WCAG 1.3.5), so browsers can fill it in; a telephone number also gets ``type="tel"``."""

Values = Mapping[str, Sequence[str]]
Params = dict[str, Any]


def render_form(
    form: Form,
    *,
    catalogue: Catalogue,
    action: str = DEFAULT_ACTION,
    values: Values | None = None,
    errors: Mapping[str, str] | None = None,
    closed: ClosedInfo | None = None,
    paper_url: str | None = None,
    help_url: str | None = None,
    focus_errors: bool = True,
    again: bool = False,
    paper_entry: bool = False,
    marks: Mapping[str, str] | None = None,
    hidden_extra: Mapping[str, str] | None = None,
    focus_first: bool = False,
    posted_language: str | None = None,
) -> str:
    """The HTML section of ``form``: a ``<section class="p-form" id="form-<id>">``.

    ``values`` holds what was entered, by field id (the collector's parsed body); ``errors`` the
    message for each field id, already in the page's language (a key that is no field id shows in
    the error summary without a link, for errors about the whole answer). ``closed`` replaces the
    form by the closed notice; ``help_url`` is then where to get help. ``paper_url`` adds the link
    to the paper version. ``focus_errors`` moves focus to the error summary when the page loads
    (the collector's answer to a submission); a page showing errors for another reason (the
    component gallery) turns it off, so that its skip link stays the first stop of Tab.
    ``again`` adds the hidden ``_again`` input: the collector's "send yours too" form. Raises
    ``ContentError`` when two questions would share an HTML id.

    ``paper_entry`` makes it the mediators' data-entry form (see ``entry_params``): ``marks``
    (field id → ``spoiled`` or ``blank``) ticks the "unreadable or spoiled" boxes and chooses
    the "No answer (blank)" radios. ``hidden_extra`` adds hidden inputs (name → value: the CSRF
    token). ``focus_first`` gives the first question's first control ``autofocus`` (the next
    sheet), unless the error summary takes focus. ``posted_language`` is the ``_language`` the
    form posts when it is not the form's own (a mediator's assisted answer in another language).
    """
    params = form_params(form, catalogue=catalogue, action=action, values=values or {},
                         errors=errors or {}, closed=closed, paper_url=paper_url,
                         help_url=help_url, focus_errors=focus_errors)
    params["hidden_extra"] = [{"name": name, "value": value}
                              for name, value in (hidden_extra or {}).items()]
    if posted_language:
        params["hidden"]["language"]["value"] = posted_language
    if paper_entry:
        entry_params(params, form, catalogue, marks or {}, values or {})
    if focus_first and params["fields"] and not (errors and focus_errors):
        params["fields"][0]["autofocus"] = True
    if again:
        params["hidden"]["again"] = {"name": AGAIN_NAME, "value": AGAIN_VALUE}
    return render_component("form", params, catalogue)


def render_component(name: str, params: Params, catalogue: Catalogue) -> str:
    """``theme/components/<name>/template.html`` rendered with ``params`` (autoescaped)."""
    template = environment().get_template(f"components/{name}/template.html")
    return template.render(params=params, t=catalogue)


# --- params of each component ------------------------------------------------------------------

def form_params(
    form: Form,
    *,
    catalogue: Catalogue,
    action: str,
    values: Values,
    errors: Mapping[str, str],
    closed: ClosedInfo | None,
    paper_url: str | None,
    help_url: str | None,
    focus_errors: bool = True,
) -> Params:
    """What ``components/form`` needs."""
    clashes = id_clashes(form)
    if clashes:
        raise ContentError(clashes)
    borrowed = Borrowed.of(form)  # words a translation lacks: each says its language
    return {
        "section_id": f"form-{form.id}",
        "title_id": f"form-{form.id}-title",
        "title": borrowed.text("title", form.title),
        **section_language(form, catalogue),
        "intro": borrowed.block("intro", Markup(form.intro_html)) if form.intro_html else None,
        "action": action,
        "paper_url": paper_url,
        "hidden": {
            "form_id": {"name": FORM_ID_NAME, "value": form.id},
            "version": {"name": FORM_VERSION_NAME, "value": form.version},
            "language": {"name": FORM_LANGUAGE_NAME, "value": form.language},
        },
        "hidden_extra": [],
        "honeypot": {"id": f"f-{form.id}-{HONEYPOT_NAME}", "name": HONEYPOT_NAME},
        "entry_hint": None,
        "submit": borrowed.text("submit", form.submit) if form.submit
        else catalogue("form.submit"),
        "errors": error_summary_params(form, errors, focus=focus_errors) if closed is None
        else None,
        "closed": closed_params(closed, catalogue, help_url) if closed is not None else None,
        "fields": [] if closed is not None else [
            field_params(field, form_id=form.id, catalogue=catalogue,
                         values=values.get(field.id, ()), error=errors.get(field.id),
                         borrowed=borrowed)
            for field in form.fields
        ],
    }


def field_params(
    field: Field,
    *,
    form_id: str,
    catalogue: Catalogue,
    values: Sequence[str] = (),
    error: str | None = None,
    borrowed: Borrowed = NOTHING_BORROWED,
) -> Params:
    """What the field's component needs (see its README.md). ``values`` is what was entered;
    ``borrowed`` the form's words in another language than the page's."""
    control = control_id(form_id, field.id)
    hints: list[str | Markup] = list(hint_texts(field, catalogue))
    if field.hint:  # the organizer's, first; the rules after it are the page's words
        hints[0] = borrowed.words(field, "hint") or field.hint
    hint_id = f"{control}-hint" if hints else None
    error_id = f"{control}-error" if error else None
    described = " ".join(part for part in (hint_id, error_id) if part)
    chosen = set(values)
    return {
        "component": COMPONENTS[field.type],
        "type": field.type,
        "id": control,
        "name": field.id,
        "label": borrowed.html(f"{field.id}/label", Markup(field.label_html)),
        "required": field.required,
        "hint": Markup("<br>").join(hints) if hints else None,
        "hint_id": hint_id,
        "error": error,
        "error_id": error_id,
        "describedby": described or None,
        "value": CONSENT_VALUE if field.type == "consent" else next(iter(values), ""),
        "checked": field.type == "consent" and CONSENT_VALUE in chosen,
        "options": _options(field, control, chosen, borrowed),
        **_input_attributes(field),
        "code": None,
        "spoiled": None,
        "blank": None,
        "autofocus": False,
    }


def entry_params(
    params: Params, form: Form, catalogue: Catalogue, marks: Mapping[str, str],
    values: Values | None = None,
) -> None:
    """Turn ``form_params`` into the data-entry form's, in place. A typist copies a paper sheet,
    and paper may leave anything blank: no "(obligatoire)" or "(facultatif)" (each question
    shows its printed code instead, inside its label so it is read with it), one line telling
    to leave empty what the sheet leaves empty in place of the citizens' intro and the link to
    the paper version, after each question's inputs an "unreadable or spoiled" checkbox, no
    honeypot (mediators are signed in), and a button that saves the sheet. Sheets come in after
    the form closes too: the caller renders it open (no ``closed``). ``values``: what was
    typed, to choose the "No answer (blank)" radio again."""
    params.update(intro=None, paper_url=None, honeypot=None, submit=catalogue("sheet.save"),
                  entry_hint=catalogue("sheet.hint"))
    params["hidden"].pop("language", None)  # a sheet's language is the batch's business
    typed = values or {}
    for field, question in zip(form.fields, params["fields"], strict=False):
        enter_field(question, form, field, marks.get(field.id), typed.get(field.id, ()))


def enter_field(params: Params, form: Form, field: Field, mark: str | None = None,
                values: Sequence[str] = ()) -> None:
    """Turn ``field_params`` into the data-entry form's, in place: the printed code, the
    "unreadable or spoiled" box, ticked when ``mark`` is ``spoiled``, and no autofill (the
    browser would offer the mediator's own name or address for the citizen's). A radio group
    ends with a "No answer (blank)" radio (``BLANK_VALUE``), chosen when ``mark`` is ``blank``
    (a sheet to correct) or ``values`` is it (a typing shown again): nothing is chosen
    beforehand, as online. A select says the same words on its empty first option."""
    control = control_id(form.id, field.id)
    params["code"] = form.code(field)
    if params["autocomplete"]:
        params["autocomplete"] = "off"
    params["spoiled"] = {"id": f"{control}-spoiled", "name": SPOILED_NAME,
                         "value": field.id, "checked": mark == SPOILED}
    if field.type in RADIO_TYPES or field.type == "select":
        params["blank"] = {"id": f"{control}-blank", "value": BLANK_VALUE,
                           "checked": mark == BLANK or list(values) == [BLANK_VALUE]}


def error_summary_params(
    form: Form, errors: Mapping[str, str], *, focus: bool = True
) -> Params | None:
    """What ``components/error-summary`` needs: errors about the whole answer first, then each
    field's in the order of the form, linked to its input. None when there is no error."""
    if not errors:
        return None
    general = [{"text": text, "href": None}
               for key, text in errors.items() if form.get(key) is None]
    by_field = [{"text": errors[field.id], "href": f"#{error_target(form.id, field)}"}
                for field in form.fields if field.id in errors]
    return {"id": f"form-{form.id}-errors", "messages": general + by_field, "focus": focus}


def closed_params(closed: ClosedInfo, catalogue: Catalogue, help_url: str | None) -> Params:
    """What ``components/form-closed`` needs."""
    return {
        "date": format_date(closed.closed_on, catalogue),
        "response_due": (format_date(closed.response_due, catalogue)
                         if closed.response_due and not closed.concluded else None),
        "results_url": closed.results_url,
        "concluded": closed.concluded,
        "help_url": help_url,
    }


# --- ids ---------------------------------------------------------------------------------------

def control_id(form_id: str, field_id: str) -> str:
    """The id of a field's input (or the stem of its options' ids): ``f-<form>-<field>``."""
    return f"f-{form_id}-{field_id}"


def error_target(form_id: str, field: Field) -> str:
    """Where the error summary's link for ``field`` goes: its input, or its first option."""
    control = control_id(form_id, field.id)
    return f"{control}-1" if field.type in GROUPS else control


def field_ids(form_id: str, field: Field) -> list[str]:
    """Every id the field's markup may hold."""
    control = control_id(form_id, field.id)
    options = len(field.steps) if field.type == "scale" else len(field.options)
    if field.type in GROUPS:
        own = [f"{control}-{number}" for number in range(1, options + 1)]
        if field.type in RADIO_TYPES:
            own.append(f"{control}-blank")  # the data-entry form's "No answer (blank)"
    else:
        own = [control]
    return [*own, f"{control}-hint", f"{control}-error", f"{control}-spoiled"]


def id_clashes(form: Form) -> list[Problem]:
    """Problems for questions whose HTML ids would collide (``q`` with options makes ``f-x-q-1``,
    as would a question ``q-1``): a label would then point at another question's input."""
    owners: dict[str, list[str]] = {}
    for field in form.fields:
        for html_id in field_ids(form.id, field):
            owners.setdefault(html_id, []).append(field.id)
    owners.setdefault(f"f-{form.id}-{HONEYPOT_NAME}", []).append(HONEYPOT_NAME)
    problems = []
    for html_id, fields in owners.items():
        if len(fields) > 1:
            first, second = fields[0], fields[1]
            problems.append(Problem(
                message=say("forms.html_id_clash", first=first, second=second, html_id=html_id,
                            form=form.id),
                fix=say("forms.html_id_clash.fix", second=second),
                file=form.source or None,
                field=f"{form.id}/{second}",
            ))
    return problems


# --- hints, options, attributes ----------------------------------------------------------------

def hint_texts(field: Field, catalogue: Catalogue) -> list[str]:
    """The organizer's hint, then the rules a person cannot guess, in words: the longest text,
    the kind and range of a number, how many boxes to tick (the same words as on paper)."""
    texts = [field.hint] if field.hint else []
    if field.type in DEFAULT_MAX_LENGTH:
        limit = field.max_length or DEFAULT_MAX_LENGTH[field.type]
        texts.append(catalogue.count("form.max_length", limit,
                                     count=format_number(limit, catalogue)))
    elif field.type in ("number", "choices"):
        rule = instruction(field, catalogue)
        if rule:
            texts.append(rule)
    return texts


def _options(field: Field, control: str, chosen: set[str], borrowed: Borrowed
             ) -> list[Params]:
    pairs: list[tuple[str, str, str | Markup | None]]
    if field.type == "scale":
        steps = [str(step) for step in field.steps]
        ends = {0: "min_label", len(steps) - 1: "max_label"}
        pairs = [(step, step, borrowed.words(field, ends.get(index)))
                 for index, step in enumerate(steps)]
    else:
        pairs = [(option.value, option.label, None) for option in field.options]
    return [
        {"id": f"{control}-{number}", "value": value, "label": label, "end": end,
         "checked": value in chosen, **borrowed.option(field.id, value)}
        for number, (value, label, end) in enumerate(pairs, 1)
    ]


def _input_attributes(field: Field) -> Params:
    """type, maxlength, inputmode, autocomplete and spellcheck of a one-line input."""
    attributes: Params = {"input_type": "text", "maxlength": None, "inputmode": None,
                          "autocomplete": None, "spellcheck": True}
    if field.type in DEFAULT_MAX_LENGTH:
        attributes["maxlength"] = field.max_length or DEFAULT_MAX_LENGTH[field.type]
    if field.type == "text":
        attributes["autocomplete"] = AUTOCOMPLETE.get(field.id)
        if attributes["autocomplete"] == "tel":
            attributes["input_type"] = "tel"
    elif field.type == "email":
        attributes.update(input_type="email", autocomplete="email", spellcheck=False)
    elif field.type == "number":
        # type="number" is avoided (GOV.UK): it rounds, scrolls away and is badly announced.
        # A numeric keypad has no minus sign on some phones: keep the full keyboard when the
        # answer may be negative.
        negative = field.min is not None and field.min < 0
        keypad = "numeric" if field.integer else "decimal"
        attributes.update(inputmode=None if negative else keypad, spellcheck=False)
    return attributes
