"""A coordinator's review of the batches (issue #15, sections 2 and 3).

- ``GET {area}/batches/{id}``: a batch's form, place, date, hand count, sheets entered and
  counted, the difference in words, the double-entry states, its sheets and its audit trail.
  Any signed-in mediator may see it; only a coordinator acts on it (others get the 403 page
  from ``access.checked_post``).
- ``POST …/recount``: a new hand count, with the reason (the stack was counted again).
- ``POST …/close``: refused, with the reason in words, unless every sheet counted by hand is
  entered and counts.

Each action answers 303 back to the batch page, which says what was done (``?done=…``); a
form with a mistake comes back at once with the error summary (400), a refusal of the
database's with its reason (409). The sheets' own pages are ``review_sheets``'.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from site_builder.collector import views
from site_builder.collector.entry.access import SignedIn, checked_post, signed_in
from site_builder.collector.entry.batch_common import batch_manifest
from site_builder.collector.entry.page import area_page, csrf_input
from site_builder.collector.entry.review_batch_page import (
    RECOUNT_ID,
    BatchView,
    Feedback,
    batch_main,
    batch_path,
    batch_title,
)
from site_builder.collector.entry.review_sheets import not_saved
from site_builder.collector.entry.review_sheets import routes as sheet_routes
from site_builder.collector.entry.review_words import close_refusal
from site_builder.collector.responses import private
from site_builder.collector.settings import Collector, catalogue
from site_builder.storage.base import StorageUnavailable
from site_builder.storage.entry import EntryError

MAX_HAND_COUNT = 10_000
"""The largest hand count a recount takes (``batch_common.MAX_SHEETS``, the new batch's)."""


def routes(area: str) -> list[BaseRoute]:
    return [
        Route(f"{area}/batches/{{batch_id:int}}", show_batch, methods=["GET"]),
        Route(f"{area}/batches/{{batch_id:int}}/recount", recount, methods=["POST"]),
        Route(f"{area}/batches/{{batch_id:int}}/close", close, methods=["POST"]),
        *sheet_routes(area),
    ]


async def show_batch(request: Request) -> Response:
    signed = await signed_in(request)
    if isinstance(signed, Response):
        return signed
    done = request.query_params.get("done")
    return await batch_page(request, signed, Feedback(done=done))


async def batch_page(request: Request, signed: SignedIn, feedback: Feedback,
                     status: int = 200) -> Response:
    """The batch page of ``batch_id`` (404 when it is no batch of this area)."""
    collector = signed.collector
    view = await run_in_threadpool(read_batch, collector, signed.area,
                                   request.path_params["batch_id"])
    if view is None:
        return views.message(collector, "not_found", 404)
    words = catalogue(view.manifest.language)
    main = batch_main(words, view, coordinator=signed.mediator.coordinator,
                      csrf_html=csrf_input(signed.csrf), feedback=feedback)
    title = batch_title(words, view)
    if feedback.errors:
        title = f"{words('form.error_prefix')} {title}"
    return area_page(collector, view.manifest, title, main, status, signed=signed)


def read_batch(collector: Collector, area: str, batch_id: int) -> BatchView | None:
    """A batch of ``area`` with its progress, sheets and trail (one thread, several reads)."""
    storage = collector.storage
    batch = storage.batch(batch_id)
    manifest = batch_manifest(collector, area, batch) if batch else None
    if batch is None or manifest is None:
        return None
    progress = next(each for each in storage.batches(batch.form_id) if each.batch.id == batch_id)
    return BatchView(manifest, progress, storage.sheets(batch_id),
                     storage.changes(batch_id=batch_id), area)


def back_to_batch(signed: SignedIn, batch_id: int, done: str) -> Response:
    return private(RedirectResponse(f"{batch_path(signed.area, batch_id)}?done={done}",
                                    status_code=303))


async def recount(request: Request) -> Response:
    """A new hand count: a whole number of sheets, and why (both required)."""
    checked = await checked_post(request, coordinator=True)
    if isinstance(checked, Response):
        return checked
    signed, body = checked
    words = catalogue(signed.manifest.language)
    count_id, reason_id = f"{RECOUNT_ID}-count", f"{RECOUNT_ID}-reason"
    typed = {count_id: body.get("sheets_counted"), reason_id: body.get("reason")}
    errors: dict[str, str] = {}
    count = typed[count_id].strip()
    if not count.isascii() or not count.isdigit() or int(count) > MAX_HAND_COUNT:
        errors[count_id] = words("review.recount.count_error", most=MAX_HAND_COUNT)
    if not typed[reason_id].strip():
        errors[reason_id] = words("review.recount.reason_error")
    if errors:
        return await batch_page(request, signed, Feedback(errors=errors, values=typed), 400)
    batch_id = request.path_params["batch_id"]
    collector = signed.collector
    try:
        await run_in_threadpool(collector.storage.recount_batch, batch_id, int(count),
                                signed.mediator.name, collector.settings.now(),
                                typed[reason_id].strip())
    except StorageUnavailable as error:
        return not_saved(request, signed, error)
    except EntryError as error:
        return await refused(request, signed, {"": str(error)}, typed)
    return back_to_batch(signed, batch_id, "recounted")


async def close(request: Request) -> Response:
    """Close the batch when it is complete; else the page again, saying why not (409)."""
    checked = await checked_post(request, coordinator=True)
    if isinstance(checked, Response):
        return checked
    signed, _ = checked
    collector = signed.collector
    batch_id = request.path_params["batch_id"]
    view = await run_in_threadpool(read_batch, collector, signed.area, batch_id)
    if view is None:
        return views.message(collector, "not_found", 404)
    words = catalogue(view.manifest.language)
    refusal = close_refusal(words, view.progress)
    if view.progress.batch.closed_at is not None:
        refusal = words("review.close.already")
    if refusal is not None:
        return await refused(request, signed, {"": refusal})
    try:
        await run_in_threadpool(collector.storage.close_batch, batch_id,
                                signed.mediator.name, collector.settings.now())
    except StorageUnavailable as error:
        return not_saved(request, signed, error)
    except EntryError as error:  # a sheet typed meanwhile, on another tablet
        return await refused(request, signed, {"": str(error)})
    return back_to_batch(signed, batch_id, "closed")


async def refused(request: Request, signed: SignedIn, errors: Mapping[str, str],
                  values: Mapping[str, str] | None = None) -> Response:
    """409: the batch page with the reason the action cannot be done now."""
    return await batch_page(request, signed, Feedback(errors=errors, values=values or {}), 409)
