"""Opening a batch: ``GET|POST {area}/batches/new``.

A mediator says which form the sheets answer, in which language's paper version when the form
is published in several (issue #18: each sheet typed in the batch is stored in it), where they
were collected (a drop-off place of the site's ``paper_dropoff``, or another typed in), the day
they were collected and how many sheets the stack holds, counted by hand. Mistakes come back
GOV.UK-style (error summary first, a message at each question, every value kept); once the
batch is stored, 303 to the screen where its sheets are typed in (``batch_sheet``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from site_builder.calendar import format_date
from site_builder.collector.entry.access import FormBody, SignedIn, signed_request
from site_builder.collector.entry.batch_common import (
    MAX_SHEETS,
    area_manifests,
    day_as_typed,
    dropoff_places,
    takes_batches,
    text,
)
from site_builder.collector.entry.languages import (
    form_languages,
    language_label,
    several_languages,
)
from site_builder.collector.entry.page import area_page, csrf_input
from site_builder.collector.lookup import RETRY_AFTER_UNAVAILABLE
from site_builder.collector.responses import private
from site_builder.collector.settings import Collector, catalogue
from site_builder.collector.validate import parse_number
from site_builder.forms.manifest import Manifest
from site_builder.forms.model import Field, Form, Option
from site_builder.forms.render import error_summary_params, field_params, render_component
from site_builder.forms.wording import format_number
from site_builder.i18n import Catalogue
from site_builder.messages import say
from site_builder.storage.base import StorageUnavailable
from site_builder.storage.entry import NewBatch

FORM = "form"
LANGUAGE = "language"
PLACE = "place"
PLACE_TYPED = "place_other"
COLLECTED_ON = "collected_on"
SHEETS = "sheets_counted"
NAMES = frozenset({FORM, LANGUAGE, PLACE, PLACE_TYPED, COLLECTED_ON, SHEETS})
"""What the batch form sends; anything else is not from this page (400)."""
STORAGE = "_storage"
"""The error about the whole form: the database did not take the batch."""
OTHER_PLACE = "_other"
"""The value of the "another place" radio (a drop-off place is its own name)."""
PLACE_MAX_LENGTH = 200
_DAY_FIRST = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})")
_YEAR_FIRST = re.compile(r"(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})")
log = logging.getLogger("parole.collector")

BATCH_FORM_ID = "batch"
"""The stem of the fields' HTML ids: ``f-batch-place-1``."""


@dataclass
class BatchForm:
    """What was typed into the batch form, and what is wrong with it."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


async def new_batch(request: Request) -> Response:
    """The batch form (GET), or a batch opened from it (POST)."""
    collector: Collector = request.app.state.collector
    found = await signed_request(request)
    if isinstance(found, Response):
        return found
    signed, body = found
    if body is not None:
        return await _open_batch(collector, signed, body)
    today = collector.settings.today()
    manifests = batch_forms(collector, signed.area)
    values = {COLLECTED_ON: day_as_typed(today)}
    if len(manifests) == 1:
        values[FORM] = manifests[0].form.id
    if several_languages(manifests):  # the area's language: the forms' own, most sheets'
        values[LANGUAGE] = manifests[0].language
    return _page(collector, signed, manifests, BatchForm(values))


def batch_forms(collector: Collector, area: str) -> list[Manifest]:
    """The forms of ``area`` that take a new batch today (``takes_batches``)."""
    today = collector.settings.today()
    return [manifest for manifest in area_manifests(collector, area)
            if takes_batches(collector, manifest, today)]


async def _open_batch(collector: Collector, signed: SignedIn, body: FormBody) -> Response:
    """Store the batch the form describes and go to its entry screen; or the form again."""
    words = catalogue(signed.manifest.language)
    manifests = batch_forms(collector, signed.area)
    pairs = list(body)
    if any(name not in NAMES for name, _ in pairs) or len(pairs) != len(dict(pairs)):
        return area_page(collector, signed.manifest, words("batches.new.unreadable.title"),
                         _unreadable(signed, words), status=400, signed=signed)
    typed = BatchForm(dict(pairs))
    batch = _checked(typed, manifests, collector.settings.today(), words)
    if batch is None:
        return _page(collector, signed, manifests, typed, status=400)
    manifest, language, place, collected_on, sheets = batch
    new = NewBatch(form_id=manifest.form.id, place=place, collected_on=collected_on,
                   sheets_counted=sheets, created_by=signed.mediator.name,
                   created_at=collector.settings.now(), language=language)
    try:
        stored = await run_in_threadpool(collector.storage.create_batch, new)
    except StorageUnavailable as error:
        log.error("%s", say("collector.log.entry_not_saved", path=f"{signed.area}/batches/new",
                            error=error))
        typed.errors[STORAGE] = words("batches.new.unavailable")
        return _page(collector, signed, manifests, typed, status=503,
                     headers={"Retry-After": str(RETRY_AFTER_UNAVAILABLE)})
    return private(RedirectResponse(f"{signed.area}/batches/{stored.id}/sheet", status_code=303))


# --- checking --------------------------------------------------------------------------------

def _checked(
    typed: BatchForm, manifests: Sequence[Manifest], today: date, words: Catalogue
) -> tuple[Manifest, str, str, date, int] | None:
    """The batch to open (form, language of its paper version, place, day collected, hand
    count), or None with ``typed.errors`` filled, one message per question, in the form's
    order."""
    values, errors = typed.values, typed.errors
    manifest = next((m for m in manifests if m.form.id == values.get(FORM)), None)
    if manifest is None:
        errors[FORM] = words("batches.new.error.form")
    language = _language(values, manifest, errors, words)
    place = _place(values, manifest or (manifests[0] if manifests else None), errors, words)
    collected_on = _collected_on(values.get(COLLECTED_ON, ""), manifest, today, errors, words)
    sheets = _sheets(values.get(SHEETS, ""), errors, words)
    if (errors or manifest is None or language is None or place is None
            or collected_on is None or sheets is None):
        return None
    return manifest, language, place, collected_on, sheets


def _language(values: Mapping[str, str], manifest: Manifest | None, errors: dict[str, str],
              words: Catalogue) -> str | None:
    """The language of the batch's paper version: one of the form's languages, as chosen; the
    form's own when the page asked nothing (every form has one language). Tags are compared
    as the manifest writes them, like the online form's ``_language``."""
    if manifest is None:
        return None
    chosen = values.get(LANGUAGE)
    if chosen is None:
        return manifest.language
    if chosen not in form_languages(manifest):
        errors[LANGUAGE] = words("batches.new.error.language")
        return None
    return chosen


def _place(values: Mapping[str, str], manifest: Manifest | None, errors: dict[str, str],
           words: Catalogue) -> str | None:
    """A drop-off place chosen, or the place typed (with "another place", or alone)."""
    places = dropoff_places(manifest) if manifest else []
    chosen = values.get(PLACE, "")
    typed = values.get(PLACE_TYPED, "").strip()
    if len(typed) > PLACE_MAX_LENGTH:
        errors[PLACE_TYPED] = words.count("batches.new.error.place_long", PLACE_MAX_LENGTH,
                                          count=format_number(PLACE_MAX_LENGTH, words))
        return None
    if chosen and chosen != OTHER_PLACE and chosen in places:
        if typed:
            errors[PLACE] = words("batches.new.error.place_both")
            return None
        return chosen
    if typed:
        return typed
    if chosen == OTHER_PLACE or not places:
        errors[PLACE_TYPED] = words("batches.new.error.place_typed" if places
                                    else "batches.new.error.place_alone")
    else:
        errors[PLACE] = words("batches.new.error.place")
    return None


def read_day(typed: str) -> date | None:
    """The day in ``typed`` as people write it: ``10/01/2027``, ``10/1/27``, ``10.01.2027``,
    ``2027-01-10`` (any script's digits, spaces around the separators); None otherwise."""
    typed = typed.strip()
    if match := _YEAR_FIRST.fullmatch(typed):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DAY_FIRST.fullmatch(typed):
        day, month, year = (int(part) for part in match.groups())
        if year < 100:
            year += 2000
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:  # 31/02: no such day
        return None


def _collected_on(typed: str, manifest: Manifest | None, today: date,
                  errors: dict[str, str], words: Catalogue) -> date | None:
    """The day the sheets were collected: not after today, and within the form's dates (a
    sheet collected after the closing day is late: it does not count)."""
    example = day_as_typed(today)
    day = read_day(typed)
    opens = manifest.opens if manifest else None
    closes = manifest.closes if manifest else None
    problems = (
        (not typed.strip(), "date_missing", {"example": example}),
        (day is None, "date_unreadable", {"example": example}),
        (day is not None and day > today, "date_future", {"today": format_date(today, words)}),
        (day is not None and opens is not None and day < opens, "date_early",
         {"opens": format_date(opens, words) if opens else ""}),
        (day is not None and closes is not None and day > closes, "date_late",
         {"closes": format_date(closes, words) if closes else ""}),
    )
    for found, key, params in problems:
        if found:
            errors[COLLECTED_ON] = words(f"batches.new.error.{key}", **params)
            return None
    return day


def _sheets(typed: str, errors: dict[str, str], words: Catalogue) -> int | None:
    if not typed.strip():
        errors[SHEETS] = words("batches.new.error.sheets_missing")
        return None
    number = parse_number(typed)
    if number is None or number != number.to_integral_value() or any(
            mark in typed for mark in ",.\u066b"):
        errors[SHEETS] = words("batches.new.error.sheets_whole")
        return None
    if not 1 <= number <= MAX_SHEETS:
        errors[SHEETS] = words("batches.new.error.sheets_range",
                               max=format_number(MAX_SHEETS, words))
        return None
    return int(number)


# --- the page --------------------------------------------------------------------------------

def _fields(manifests: Sequence[Manifest], today: date, words: Catalogue) -> list[Field]:
    """The batch form's questions, as form fields, so the form components draw them."""
    def ask(id_: str, type_: str, label: str, **more: object) -> Field:
        return Field(id=id_, type=type_, label=label, label_html=escape(label, quote=False),
                     **more)  # type: ignore[arg-type]

    options = tuple(Option(m.form.id, _form_label(m, today, words)) for m in manifests)
    places = dropoff_places(manifests[0]) if manifests else []
    fields = [ask(FORM, "choice", words("batches.new.form"), required=True, options=options)]
    languages = several_languages(manifests)
    if languages:
        fields.append(ask(LANGUAGE, "choice", words("batches.new.language"),
                          hint=words("batches.new.language_hint"), required=True,
                          options=tuple(Option(language, language) for language in languages)))
    if places:
        fields.append(ask(PLACE, "choice", words("batches.new.place"), required=True,
                          options=(*(Option(place, place) for place in places),
                                   Option(OTHER_PLACE, words("batches.new.place_other")))))
        fields.append(ask(PLACE_TYPED, "text", words("batches.new.place_typed"),
                          hint=words("batches.new.place_typed_hint"),
                          max_length=PLACE_MAX_LENGTH))
    else:
        fields.append(ask(PLACE_TYPED, "text", words("batches.new.place"), required=True,
                          max_length=PLACE_MAX_LENGTH))
    fields.append(ask(COLLECTED_ON, "text", words("batches.new.date"),
                      hint=words("batches.new.date_hint", example=day_as_typed(today)),
                      required=True))
    fields.append(ask(SHEETS, "number", words("batches.new.sheets"),
                      hint=words("batches.new.sheets_hint"), required=True, min=1,
                      max=MAX_SHEETS))
    return fields


def _form_label(manifest: Manifest, today: date, words: Catalogue) -> str:
    if manifest.closes is not None and manifest.closes < today:
        return words("batches.new.form_closed", form=manifest.form.title,
                     date=format_date(manifest.closes, words))
    return manifest.form.title


def _field_html(question: Field, typed: BatchForm, words: Catalogue) -> str:
    value = typed.values.get(question.id)
    params = field_params(question, form_id=BATCH_FORM_ID, catalogue=words,
                          values=[value] if value else [], error=typed.errors.get(question.id))
    if question.id == COLLECTED_ON:
        # a day, not a text: no "200 characters" hint, no spelling check
        params.update(hint=Markup(escape(question.hint or "")), maxlength=20, spellcheck=False,
                      autocomplete="off")
    if question.id == PLACE_TYPED:
        params["autocomplete"] = "off"
    if question.id == LANGUAGE:  # each language named in itself, with its lang and dir
        for option in params["options"]:
            option["label"] = language_label(option["value"])
    return render_component(str(params["component"]), params, words)


def _page(
    collector: Collector,
    signed: SignedIn,
    manifests: Sequence[Manifest],
    typed: BatchForm,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The batch form with what was typed and its errors (none when it is new)."""
    words = catalogue(signed.manifest.language)
    title = words("batches.new.title")
    home = f"{signed.area}/"
    if not manifests:
        main = (f"<h1>{escape(title, quote=False)}</h1>\n"
                f"<p>{text(words, 'batches.new.no_form')}</p>\n"
                f'<p><a href="{escape(home)}">{text(words, "entry.home_link")}</a></p>')
        return area_page(collector, signed.manifest, title, main, status=status, signed=signed)
    today = collector.settings.today()
    fields = _fields(manifests, today, words)
    form = Form(id=BATCH_FORM_ID, title=title, fields=tuple(fields))
    summary = ""
    if typed.errors:
        params = error_summary_params(form, typed.errors)
        summary = render_component("error-summary", params or {}, words) + "\n"
        title = f"{words('form.error_prefix')} {title}"
    body = "\n".join(_field_html(question, typed, words) for question in fields)
    main = (
        f"<h1>{text(words, 'batches.new.title')}</h1>\n{summary}"
        f"<p>{text(words, 'batches.new.intro')}</p>\n"
        f'<form class="p-form__form" method="post" action="{escape(signed.area)}/batches/new" '
        f'accept-charset="utf-8" novalidate>\n{csrf_input(signed.csrf)}\n{body}\n'
        f'<button class="p-form__submit" type="submit">{text(words, "batches.new.submit")}'
        f"</button>\n</form>\n"
        f'<p><a href="{escape(home)}">{text(words, "entry.home_link")}</a></p>'
    )
    return area_page(collector, signed.manifest, title, main, status=status, headers=headers,
                     signed=signed)


def _unreadable(signed: SignedIn, words: Catalogue) -> str:
    return (f"<h1>{text(words, 'batches.new.unreadable.title')}</h1>\n"
            f"<p>{text(words, 'batches.new.unreadable.what')}</p>\n"
            f'<p><a href="{escape(signed.area)}/batches/new">'
            f"{text(words, 'batches.new.again')}</a></p>")
