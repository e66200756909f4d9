"""Batches of paper sheets in the mediators' area: the area's home once signed in, opening a
batch (``batch_new``) and the entry screen of its sheets (``batch_sheet``).

The home says who is signed in, lists the open batches of the area's forms with how far each
is (sheets typed against the hand count, and its state), links to open a new batch and, for
each form taking answers today, to help someone answer it online (recorded as assisted); and
each batch's page, which every mediator reads (a sheet to type a third time is linked there)
and only a coordinator acts on. Closed batches are listed apart.
"""

from __future__ import annotations

import logging
from html import escape

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from site_builder.collector.entry.access import SignedIn
from site_builder.collector.entry.batch_common import (
    area_manifests,
    batch_title,
    progress_html,
    takes_answers_online,
    text,
)
from site_builder.collector.entry.batch_new import new_batch
from site_builder.collector.entry.batch_pages import plain_page
from site_builder.collector.entry.batch_sheet import sheet_screen
from site_builder.collector.entry.page import area_page
from site_builder.collector.lookup import RETRY_AFTER_UNAVAILABLE
from site_builder.collector.settings import Collector, catalogue
from site_builder.forms.manifest import Manifest
from site_builder.i18n import Catalogue
from site_builder.messages import say
from site_builder.storage.base import StorageUnavailable
from site_builder.storage.entry import BatchProgress

__all__ = ["home", "routes"]

log = logging.getLogger("parole.collector")


def routes(area: str) -> list[BaseRoute]:
    """The batch routes of the area at ``area`` (``/collect/saisie``)."""
    return [
        Route(f"{area}/batches/new", new_batch, methods=["GET", "POST"]),
        Route(f"{area}/batches/{{batch_id:int}}/sheet", sheet_screen, methods=["GET", "POST"]),
    ]


async def home(request: Request, signed: SignedIn) -> Response:
    """The area's home for a signed-in mediator."""
    collector: Collector = request.app.state.collector
    manifests = {manifest.form.id: manifest
                 for manifest in area_manifests(collector, signed.area)}
    words = catalogue(signed.manifest.language)
    try:
        every_batch = await run_in_threadpool(collector.storage.batches)
    except StorageUnavailable as error:
        log.error("%s", say("collector.log.unavailable", method=request.method,
                            path=request.url.path, error=error))
        return plain_page(collector, signed, words, "down", 503,
                          headers={"Retry-After": str(RETRY_AFTER_UNAVAILABLE)})
    progress = [one for one in every_batch if one.batch.form_id in manifests]
    open_ = [one for one in progress if one.batch.closed_at is None]
    closed = [one for one in progress if one.batch.closed_at is not None]
    today = collector.settings.today()
    online = [manifest for manifest in manifests.values()
              if takes_answers_online(collector, manifest, today)]
    area = escape(signed.area)
    title = words("entry.title")
    parts = [
        f"<h1>{escape(title, quote=False)}</h1>",
        f"<h2>{text(words, 'batches.home.open')}</h2>",
        _batch_list(signed, open_, manifests, words) if open_
        else f"<p>{text(words, 'batches.home.none_open')}</p>",
        f'<p><a href="{area}/batches/new">{text(words, "batches.home.new")}</a></p>',
    ]
    if online:
        links = "\n".join(
            f'<li><a href="{area}/assisted/{escape(manifest.form.id)}">'
            f"{escape(manifest.form.title, quote=False)}</a></li>" for manifest in online)
        parts += [f"<h2>{text(words, 'batches.home.assisted')}</h2>",
                  f"<p>{text(words, 'batches.home.assisted_what')}</p>",
                  f"<ul>\n{links}\n</ul>"]
    if closed:
        parts += [f"<h2>{text(words, 'batches.home.closed')}</h2>",
                  _batch_list(signed, closed, manifests, words)]
    return area_page(collector, signed.manifest, title, "\n".join(parts), signed=signed)


def _batch_list(signed: SignedIn, batches: list[BatchProgress],
                manifests: dict[str, Manifest], words: Catalogue) -> str:
    """Each batch: its number, form and place as a heading, when its sheets were collected,
    its progress (sheets waiting for a third typing among it), and the links to type its
    sheets and to its page."""
    items = []
    for progress in batches:
        batch = progress.batch
        manifest = manifests[batch.form_id]
        links = []
        if batch.closed_at is None and batch.source_digest is None:  # imported: nothing to type
            links.append(f'<a href="{escape(signed.area)}/batches/{batch.id}/sheet">'
                         f"{text(words, 'batches.home.type', number=batch.id)}</a>")
        # everyone reads the batch page (its sheets, a third typing to do); only a
        # coordinator acts on it, which the page itself enforces
        links.append(f'<a href="{escape(signed.area)}/batches/{batch.id}">'
                     f"{text(words, 'batches.batch_link', number=batch.id)}</a>")
        link_lines = "".join(f"<p>{link}</p>\n" for link in links)
        items.append(f"<li>\n<h3>{batch_title(words, batch, manifest)}</h3>\n"
                     f"{progress_html(words, progress, manifest)}\n"
                     f"{link_lines}</li>")
    return "<ul>\n" + "\n".join(items) + "\n</ul>"
