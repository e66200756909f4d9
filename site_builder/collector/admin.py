"""Routes for organizers: ``/admin/export/<form>.csv|.xlsx|.json`` and ``/admin/stats``.

They exist only when ``PAROLE_ADMIN_TOKEN`` is set, and answer 401 to any request without
``Authorization: Bearer <that token>``. The token is compared in constant time, so response times
say nothing about how much of a guess was right, and wrong tokens count against the client
(``settings.ADMIN_MISS_LIMIT`` a minute): past the limit, every request from it gets 429 for the
rest of the minute, the right token too, so that a guess cannot be confirmed either.
"""

from __future__ import annotations

import hmac
import json
import tempfile
from collections.abc import Iterator
from typing import IO

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from site_builder.collector import export, stats
from site_builder.collector.export_xlsx import write_xlsx
from site_builder.collector.lookup import client_pseudonyms
from site_builder.collector.responses import private
from site_builder.collector.settings import Collector
from site_builder.messages import say
from site_builder.storage.base import Storage

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
XLSX_CHUNK = 64 * 1024


def routes() -> list[Route]:
    return [
        Route("/admin/export/{name}", export_answers, methods=["GET"]),
        Route("/admin/stats", show_stats, methods=["GET"]),
    ]


def _authorised(request: Request) -> bool:
    collector: Collector = request.app.state.collector
    token = collector.settings.admin_token
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if token is None or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8"))


def _refusal(request: Request) -> Response | None:
    """None when the request carries the token, else the answer: 401, or 429 once the client
    has sent too many wrong tokens this minute."""
    collector: Collector = request.app.state.collector
    # The client's pseudonym of the day, as for answers: no address is kept, even here.
    client = client_pseudonyms(request, collector)[0]
    wait = collector.admin_misses.waiting(client)
    if wait is None and _authorised(request):
        return None
    if wait is None:
        wait = collector.admin_misses.retry_after(client)
        if wait is None:
            return _unauthorised()
    return private(JSONResponse(
        {"error": say("collector.admin.too_many_tokens", seconds=wait)},
        status_code=429, headers={"Retry-After": str(wait)}))


def _unauthorised() -> Response:
    return private(JSONResponse(
        {"error": say("collector.admin.needs_token",
                      header="Authorization: Bearer <PAROLE_ADMIN_TOKEN>")},
        status_code=401, headers={"WWW-Authenticate": 'Bearer realm="parole"'},
    ))


async def export_answers(request: Request) -> Response:
    if (refused := _refusal(request)) is not None:
        return refused
    collector: Collector = request.app.state.collector
    form_id, _, extension = request.path_params["name"].rpartition(".")
    if extension not in EXPORT_TYPES or not form_id:
        return private(JSONResponse(
            {"error": say("collector.admin.export_path")}, status_code=404))
    known = await run_in_threadpool(collector.storage.form_ids)
    if form_id not in known:
        return private(JSONResponse({"error": say("collector.admin.no_form", form=form_id),
                                     "forms": known}, status_code=404))
    if extension == "xlsx":
        encoded: Iterator[bytes] = _file_chunks(
            await run_in_threadpool(_workbook, collector.storage, form_id))
    else:
        chunks = (export.iter_csv if extension == "csv" else export.iter_json)(
            collector.storage, form_id)
        encoded = (chunk.encode("utf-8") for chunk in chunks)
    disposition = f'attachment; filename="{form_id}.{extension}"'
    return private(StreamingResponse(encoded, media_type=EXPORT_TYPES[extension],
                                     headers={"Content-Disposition": disposition}))


def _workbook(storage: Storage, form_id: str) -> IO[bytes]:
    """The form's workbook in an anonymous temporary file (a zip is written with seeks, so it
    cannot be streamed as it is made), rewound."""
    workbook = tempfile.TemporaryFile()  # noqa: SIM115 (closed by _file_chunks)
    try:
        write_xlsx(storage, form_id, workbook)
    except BaseException:
        workbook.close()
        raise
    workbook.seek(0)
    return workbook


def _file_chunks(workbook: IO[bytes]) -> Iterator[bytes]:
    with workbook:
        while chunk := workbook.read(XLSX_CHUNK):
            yield chunk


async def show_stats(request: Request) -> Response:
    if (refused := _refusal(request)) is not None:
        return refused
    collector: Collector = request.app.state.collector
    report = await run_in_threadpool(stats.all_stats, collector.storage)
    body = json.dumps([stats.stats_json(form) for form in report], ensure_ascii=False, indent=2)
    return private(Response(body, media_type="application/json"))
