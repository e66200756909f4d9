"""A sheet typed on the entry form outside the entry screen: the third typing of a sheet sent
back (``GET|POST {area}/sheets/{receipt}/again``), and a coordinator's correction (read here,
stored by ``review_sheets``).

The form is the entry screen's (``render_form(paper_entry=True)``), checked by the same
``paper_check.check_sheet``; two typings agree when their ``batch_sheet.sheet_fingerprint``
is the same, whichever screen they came from. The third typing's form carries a typing key as
the entry screen does (``typing_key``): posted twice, it is stored once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from html import escape

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from site_builder.collector import views
from site_builder.collector.answers import expiry
from site_builder.collector.body import Refusal, shown
from site_builder.collector.entry.access import FormBody, SignedIn
from site_builder.collector.entry.batch_sheet import sheet_fingerprint
from site_builder.collector.entry.page import area_page
from site_builder.collector.entry.review_parts import text
from site_builder.collector.entry.review_sheet_page import SheetView
from site_builder.collector.entry.typing_key import (
    TYPING_NAME,
    new_typing_key,
    posted_typing_key,
)
from site_builder.collector.paper_check import check_sheet
from site_builder.collector.responses import private
from site_builder.collector.settings import Collector, catalogue
from site_builder.forms.manifest import Manifest
from site_builder.forms.posted import CSRF_NAME, FORM_ID_NAME, FORM_VERSION_NAME, SPOILED_NAME
from site_builder.forms.render import render_form
from site_builder.i18n import Catalogue
from site_builder.messages import say
from site_builder.storage.base import Marks, Values
from site_builder.storage.entry import Sheet, SheetEntry

log = logging.getLogger("parole.collector")


@dataclass(frozen=True)
class TypedSheet:
    """A sheet as typed on the entry form, checked."""

    values: Values
    """What to store (when there is no error)."""
    marks: Marks
    errors: dict[str, str] = field(default_factory=dict)
    values_as_entered: Values = field(default_factory=dict)
    """Every question as typed: the form shown again keeps it."""
    status: int = 400
    """The status of the form shown again: 400 for mistakes, 409 when the form changed."""


def typed_sheet(manifest: Manifest, body: FormBody, words: Catalogue,
                *, besides: tuple[str, ...] = ()) -> TypedSheet:
    """The entry form's body (less the ``besides`` fields of the page's own, such as a
    reason) checked against ``manifest``'s form. Raises ``Refusal`` for what the entry form
    cannot send (another form, an unknown question, a value that is no option)."""
    answers = body.answers()
    for name in besides:  # the CSRF token: ``checked_post`` left it out already
        answers.pop(name, None)
    spoiled = answers.pop(SPOILED_NAME, [])
    form_id = answers.pop(FORM_ID_NAME, [])
    version = answers.pop(FORM_VERSION_NAME, [])
    if form_id != [manifest.form.id] or len(version) != 1:
        raise Refusal(say("collector.refusal.unknown_form", form=shown(",".join(form_id))))
    if version != [manifest.version]:
        return TypedSheet({}, dict.fromkeys(spoiled, "spoiled"),
                          {"_version": words("collector.changed")}, answers, 409)
    checked = check_sheet(manifest.form, answers, spoiled, words)
    return TypedSheet(checked.values, checked.marks, dict(checked.errors),
                      checked.values_as_entered)


def refused(collector: Collector, refusal: Refusal) -> Response:
    """400: a body the entry form cannot send (a forged or outdated page)."""
    log.warning("%s", say("collector.log.refused", status=refusal.status, reason=refusal.reason))
    return views.message(collector, "refused", refusal.status)


def again_title(words: Catalogue, view: SheetView) -> str:
    number = view.sheet.number if view.sheet else 0
    batch = view.batch.id if view.batch else 0
    return words("review.again.title", number=number, batch=batch)


def again_page(signed: SignedIn, view: SheetView, typed: TypedSheet | None = None,
               key: str | None = None) -> Response:
    """The third typing's form: empty, focus on the first question, a new typing key; or as
    typed, with its errors and its key (``key``: the same typing)."""
    words = catalogue(view.manifest.language)
    errors = typed.errors if typed else {}
    form_html = render_form(
        view.manifest.form, catalogue=words, action=f"{view.path}/again",
        values=typed.values_as_entered if typed else {}, errors=errors, paper_entry=True,
        marks=typed.marks if typed else {},
        hidden_extra={CSRF_NAME: signed.csrf, TYPING_NAME: key or new_typing_key()},
        focus_first=not errors)
    title = again_title(words, view)
    main = (f"<h1>{escape(title, quote=False)}</h1>\n"
            f"<p>{text(words, 'review.again.explain')}</p>\n{form_html.strip()}\n"
            f'<p><a href="{escape(view.path)}">{text(words, "review.again.back")}</a></p>')
    if errors:
        title = f"{words('form.error_prefix')} {title}"
    return area_page(signed.collector, view.manifest, title, main,
                     typed.status if typed and errors else 200, signed=signed)


async def enter_again(request: Request, signed: SignedIn, body: FormBody,
                      view: SheetView) -> Response:
    """The third typing stored: it counts when it agrees with a set-aside typing; the sheet
    page then says which it did (``?done=counted|differs``)."""
    words = catalogue(view.manifest.language)
    try:
        key = posted_typing_key(body.answers(), view.manifest.form.id)
        typed = typed_sheet(view.manifest, body, words, besides=(TYPING_NAME,))
    except Refusal as refusal:
        return refused(signed.collector, refusal)
    if typed.errors:
        return again_page(signed, view, typed, key)
    collector = signed.collector
    now = collector.settings.now()
    entry = SheetEntry(
        batch_id=view.sheet.batch_id if view.sheet else 0, entered_by=signed.mediator.name,
        values=typed.values, marks=typed.marks, form_version=view.manifest.version,
        entered_at=now, expires_at=expiry(view.manifest, now),
        fingerprint=sheet_fingerprint(view.manifest, typed.values, typed.marks),
        typing_key=key)
    result = await run_in_threadpool(collector.storage.enter_sheet_again,
                                     view.answer.receipt, entry)
    return typed_again(view, result.sheet)


def stored_before(signed: SignedIn, body: FormBody, view: SheetView) -> bool:
    """The third typing's form posted again once stored (Save pressed twice, or again after
    a lost response): its key is among the sheet's typings by this mediator."""
    keys = body.answers().get(TYPING_NAME, [])
    return view.sheet is not None and len(keys) == 1 and any(
        entry.typing_key == keys[0] and entry.entered_by == signed.mediator.name
        for entry in view.sheet.entries)


def typed_again(view: SheetView, sheet: Sheet) -> Response:
    """303 to the sheet's page, saying whether the third typing made it count."""
    done = "counted" if sheet.state == "counted" else "differs"
    return private(RedirectResponse(f"{view.path}?done={done}", status_code=303))
