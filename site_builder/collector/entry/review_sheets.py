"""A sheet's page and what a coordinator does with it (issue #15, sections 2 and 3).

- ``GET {area}/sheets/{receipt}``: a paper sheet (or an assisted answer) with its answers per
  question; when its typings differ, a table question by question with each typing, and for
  each difference radios to keep one typing's value (``POST …/resolve``), or ``POST
  …/send-back`` for a third typing.
- ``GET|POST …/again``: that third typing, by any mediator, on the entry form
  (``Storage.enter_sheet_again``).
- ``POST …/correct`` (the entry form filled with the sheet's answers, and a reason) and
  ``POST …/delete`` (a confirmation and a reason): a coordinator's, refused once the batch is
  closed.

Every change lands in the audit trail (the storage writes it), which the page shows.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from site_builder.collector import views
from site_builder.collector.body import Refusal
from site_builder.collector.entry import area_path
from site_builder.collector.entry.access import FormBody, SignedIn, checked_post, signed_in
from site_builder.collector.entry.page import area_page
from site_builder.collector.entry.review_batch_page import batch_path
from site_builder.collector.entry.review_parts import text
from site_builder.collector.entry.review_sheet_page import (
    CORRECT_REASON,
    DELETE_CONFIRM,
    DELETE_REASON,
    KEEP,
    RESOLVE_REASON,
    SheetFeedback,
    SheetView,
    correctable,
    differing,
    sheet_main,
    sheet_title,
)
from site_builder.collector.entry.review_typing import (
    again_page,
    enter_again,
    refused,
    stored_before,
    typed_again,
    typed_sheet,
)
from site_builder.collector.entry.review_words import questions
from site_builder.collector.lookup import RETRY_AFTER_UNAVAILABLE
from site_builder.collector.responses import private
from site_builder.collector.settings import Collector, catalogue
from site_builder.messages import say
from site_builder.storage.base import Marks, StorageUnavailable, Values
from site_builder.storage.entry import EntryError
from site_builder.storage.receipts import normalise_receipt

log = logging.getLogger("parole.collector")

ENTERED_CHANNELS = ("paper", "assisted")
"""The answers a mediator's area shows and a coordinator may correct or delete."""


def routes(area: str) -> list[BaseRoute]:
    sheet = f"{area}/sheets/{{receipt}}"
    return [
        Route(sheet, show_sheet, methods=["GET"]),
        Route(f"{sheet}/resolve", resolve, methods=["POST"]),
        Route(f"{sheet}/send-back", send_back, methods=["POST"]),
        Route(f"{sheet}/again", again, methods=["GET", "POST"]),
        Route(f"{sheet}/correct", correct, methods=["POST"]),
        Route(f"{sheet}/delete", delete, methods=["POST"]),
    ]


def read_sheet(collector: Collector, area: str, code: str) -> SheetView | None:
    """The paper sheet or assisted answer ``code`` of one of ``area``'s forms, with its batch
    and trail; None when there is none."""
    receipt = normalise_receipt(code)
    storage = collector.storage
    answer = storage.get(receipt) if receipt else None
    if receipt is None or answer is None or answer.channel not in ENTERED_CHANNELS:
        return None
    manifest = collector.site.manifest(answer.form_id)
    if manifest is None or area_path(manifest) != area:
        return None
    batch = storage.batch(answer.batch_id) if answer.batch_id is not None else None
    return SheetView(answer, manifest, storage.sheet(receipt), batch,
                     storage.changes(receipt=receipt), area)


async def show_sheet(request: Request) -> Response:
    signed = await signed_in(request)
    if isinstance(signed, Response):
        return signed
    return await sheet_page(request, signed, SheetFeedback(done=request.query_params.get("done")))


async def sheet_page(request: Request, signed: SignedIn, feedback: SheetFeedback,
                     status: int = 200) -> Response:
    collector = signed.collector
    view = await run_in_threadpool(read_sheet, collector, signed.area,
                                   request.path_params["receipt"])
    if view is None:
        return views.message(collector, "not_found", 404)
    words = catalogue(view.manifest.language)
    main = sheet_main(words, view, coordinator=signed.mediator.coordinator, csrf=signed.csrf,
                      feedback=feedback)
    title = sheet_title(words, view)
    if feedback.errors:
        title = f"{words('form.error_prefix')} {title}"
    return area_page(collector, view.manifest, title, main, status, signed=signed)


def back_to_sheet(view: SheetView, done: str) -> Response:
    return private(RedirectResponse(f"{view.path}?done={quote(done)}", status_code=303))


Action = Callable[[Request, SignedIn, FormBody, SheetView], Awaitable[Response]]


async def _act(request: Request, action: Action, *, coordinator: bool = True) -> Response:
    """The post checked (signed in, a coordinator unless said otherwise, its CSRF token), the
    sheet read, then ``action``. A sheet of a closed batch is refused with the reason (409),
    and so is a change the database refuses (the sheet changed meanwhile)."""
    checked = await checked_post(request, coordinator=coordinator)
    if isinstance(checked, Response):
        return checked
    signed, body = checked
    view = await run_in_threadpool(read_sheet, signed.collector, signed.area,
                                   request.path_params["receipt"])
    if view is None:
        return views.message(signed.collector, "not_found", 404)
    words = catalogue(view.manifest.language)
    if not view.editable:
        return await _refusal(request, signed, words("review.sheet.closed"))
    try:
        return await action(request, signed, body, view)
    except (StorageUnavailable, Refusal, EntryError) as error:
        return await _failed(request, signed, error)


async def _failed(request: Request, signed: SignedIn,
                  error: StorageUnavailable | Refusal | EntryError) -> Response:
    """A database that could not write (503), a body no page of ours sends (400), or a change
    the database refuses because the sheet changed meanwhile (409)."""
    if isinstance(error, StorageUnavailable):
        return not_saved(request, signed, error)
    if isinstance(error, Refusal):
        return refused(signed.collector, error)
    return await _refusal(request, signed, str(error))


def not_saved(request: Request, signed: SignedIn, error: StorageUnavailable) -> Response:
    """503: the database could not take the change (a full disk, an unreachable server);
    nothing changed, and the mediator is told to try again in a minute."""
    log.error("%s", say("collector.log.entry_not_saved", path=request.url.path, error=error))
    words = catalogue(signed.manifest.language)
    title = words("review.unavailable.title")
    main = (f"<h1>{text(words, 'review.unavailable.title')}</h1>\n"
            f"<p>{text(words, 'review.unavailable.what')}</p>\n"
            f"<p>{text(words, 'review.unavailable.next')}</p>")
    return area_page(signed.collector, signed.manifest, title, main, 503,
                     headers={"Retry-After": str(RETRY_AFTER_UNAVAILABLE)}, signed=signed)


async def _refusal(request: Request, signed: SignedIn, reason: str) -> Response:
    return await sheet_page(request, signed, SheetFeedback(errors={"": reason}), 409)


async def resolve(request: Request) -> Response:
    return await _act(request, _resolve)


async def _resolve(request: Request, signed: SignedIn, body: FormBody,
                   view: SheetView) -> Response:
    """The values that count: for each difference, the typing chosen; for every other
    question, the value the typings agree on."""
    words = catalogue(view.manifest.language)
    sheet = view.sheet
    if sheet is None or sheet.state != "differs":
        return await _refusal(request, signed, words("review.resolve.not_differing"))
    entries = {str(entry.id): entry for entry in sheet.entries}
    different = differing(view, sheet)
    errors = {f"{KEEP}{question.id}": words("review.resolve.choose", question=(
        question.field.label if question.field else question.id))
        for question in different if body.get(f"{KEEP}{question.id}") not in entries}
    reason = body.get("reason").strip()
    if errors:
        return await sheet_page(request, signed, SheetFeedback(
            errors=errors, values={RESOLVE_REASON: reason}), 400)
    chosen = {question.id: entries[body.get(f"{KEEP}{question.id}")] for question in different}
    values: Values = {}
    marks: Marks = {}
    for question in questions(view.manifest, *((entry.values, entry.marks)
                                               for entry in sheet.entries)):
        source = chosen.get(question.id, sheet.entries[0])
        if question.id in source.marks:
            marks[question.id] = source.marks[question.id]
        elif question.id in source.values:
            values[question.id] = source.values[question.id]
    collector = signed.collector
    await run_in_threadpool(collector.storage.resolve_sheet, view.answer.receipt, values, marks,
                            signed.mediator.name, collector.settings.now(), reason)
    return back_to_sheet(view, "resolved")


async def send_back(request: Request) -> Response:
    return await _act(request, _send_back)


async def _send_back(request: Request, signed: SignedIn, body: FormBody,
                     view: SheetView) -> Response:
    words = catalogue(view.manifest.language)
    if view.sheet is None or view.sheet.state != "differs":
        return await _refusal(request, signed, words("review.resolve.not_differing"))
    collector = signed.collector
    await run_in_threadpool(collector.storage.send_back_sheet, view.answer.receipt,
                            signed.mediator.name, collector.settings.now(),
                            body.get("reason").strip())
    return back_to_sheet(view, "sent_back")


async def again(request: Request) -> Response:
    """The third typing's form (GET), or the typing stored (POST), by any mediator."""
    if request.method == "POST":
        return await _act(request, _again, coordinator=False)
    signed = await signed_in(request)
    if isinstance(signed, Response):
        return signed
    view = await run_in_threadpool(read_sheet, signed.collector, signed.area,
                                   request.path_params["receipt"])
    if view is None:
        return views.message(signed.collector, "not_found", 404)
    if view.sheet is None or view.sheet.state != "awaiting_third" or not view.editable:
        return private(RedirectResponse(view.path, status_code=303))
    return again_page(signed, view)


async def _again(request: Request, signed: SignedIn, body: FormBody,
                 view: SheetView) -> Response:
    if view.sheet is None or view.sheet.state != "awaiting_third":
        if view.sheet is not None and stored_before(signed, body, view):
            return typed_again(view, view.sheet)  # the same typing, already stored
        words = catalogue(view.manifest.language)
        return await _refusal(request, signed, words("review.again.not_waiting"))
    return await enter_again(request, signed, body, view)


async def correct(request: Request) -> Response:
    return await _act(request, _correct)


async def _correct(request: Request, signed: SignedIn, body: FormBody,
                   view: SheetView) -> Response:
    """New values for a counted paper sheet, and why: the old ones go to the trail."""
    words = catalogue(view.manifest.language)
    if not correctable(view):
        return await _refusal(request, signed, words("review.correct.not_counted"))
    typed = typed_sheet(view.manifest, body, words, besides=("reason",))
    reason = body.get("reason").strip()
    errors = dict(typed.errors)
    if not reason:
        errors[CORRECT_REASON] = words("review.correct.reason_error")
    if errors:
        return await sheet_page(request, signed, SheetFeedback(
            errors=errors, values={CORRECT_REASON: reason},
            correction=(typed.values_as_entered, typed.marks)), typed.status)
    collector = signed.collector
    await run_in_threadpool(collector.storage.correct_answer, view.answer.receipt,
                            typed.values, typed.marks, signed.mediator.name,
                            collector.settings.now(), reason)
    return back_to_sheet(view, "corrected")


async def delete(request: Request) -> Response:
    return await _act(request, _delete)


async def _delete(request: Request, signed: SignedIn, body: FormBody,
                  view: SheetView) -> Response:
    """The sheet deleted once confirmed, with the reason; back to its batch (or the home)."""
    words = catalogue(view.manifest.language)
    reason = body.get("reason").strip()
    errors = {}
    if body.get("confirm") != "yes":
        errors[DELETE_CONFIRM] = words("review.delete.confirm_error")
    if not reason:
        errors[DELETE_REASON] = words("review.delete.reason_error")
    if errors:
        return await sheet_page(request, signed, SheetFeedback(
            errors=errors, values={DELETE_REASON: reason}), 400)
    collector = signed.collector
    await run_in_threadpool(collector.storage.delete_entered_answer, view.answer.receipt,
                            signed.mediator.name, collector.settings.now(), reason)
    where = (f"{batch_path(view.area, view.batch.id)}?done=deleted" if view.batch
             else f"{view.area}/")
    return private(RedirectResponse(where, status_code=303))
