"""The collector as an ASGI application (Starlette): its routes, error pages and headers.

``create_app`` takes a ``Collector`` whose site has been loaded (``Collector.load_site``), so
the routes follow the forms' action paths (``collector_url``, ``/collect`` by default):

- ``POST <action>``: an answer (``answers.receive_answer``);
- ``GET <action>/<receipt code>/<key>``: its receipt (``lookup``), and ``…/<key>/preuve``
  (``/proof``) its proof in the public journal of answers; ``GET <action>/<code>``:
  a page saying that the code alone opens nothing;
- ``<action>/saisie/…`` (``/data-entry/`` in other languages than French): the mediators'
  area (``entry``);
- ``/admin/…`` when ``PAROLE_ADMIN_TOKEN`` is set (``admin``);
- with ``serve_site`` (``parole serve``), every other path is a file of the built site.

With the answer log's key (``Settings.log_signer``), the app also signs checkpoints while it
runs (``log_checkpoints``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from site_builder.collector import admin, answers, lookup, moderation, views
from site_builder.collector.entry import routing as entry_routing
from site_builder.collector.journal_pages import DEFAULT_PROOF_NAME, PROOF_NAMES
from site_builder.collector.log_checkpoints import periodic_checkpoints
from site_builder.collector.paths import action_path
from site_builder.collector.responses import SecurityHeaders
from site_builder.collector.settings import Collector
from site_builder.forms.model import DEFAULT_ACTION
from site_builder.messages import say
from site_builder.storage.base import StorageUnavailable

log = logging.getLogger("parole.collector")


def create_app(collector: Collector) -> Starlette:
    # the mediators' area first: the receipts' <action>/{code}/{key} would take its paths
    routes: list[BaseRoute] = entry_routing.routes(collector)
    paths = {action_path(manifest) for manifest in collector.manifests}
    if collector.settings.serve_site:
        paths.add(DEFAULT_ACTION)  # a form may be added while the preview runs
    for path in sorted(paths):
        routes.append(Route(path, answers.receive_answer, methods=["POST"]))
        routes.append(Route(path + "/{code}/{key}", lookup.show_receipt, methods=["GET"]))
        for name in {*PROOF_NAMES.values(), DEFAULT_PROOF_NAME}:  # every language's
            routes.append(Route(f"{path}/{{code}}/{{key}}/{name}", lookup.show_proof,
                                methods=["GET"]))
        routes.append(Route(path + "/{code}", lookup.code_alone, methods=["GET"]))
    if collector.settings.admin_token:
        routes.extend([*admin.routes(), *moderation.routes()])
    if collector.settings.serve_site:
        routes.append(Mount("/", app=SiteFiles(collector)))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        checkpoints = periodic_checkpoints(collector)  # None without the journal's key
        signing = asyncio.create_task(checkpoints.run()) if checkpoints else None
        try:
            yield
        finally:
            if checkpoints and signing:  # a checkpoint being signed is finished first
                checkpoints.stop()
                await signing
            collector.storage.close()

    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={HTTPException: _http_error, StorageUnavailable: _unavailable,
                            Exception: _server_error},
        lifespan=lifespan,
    )
    app.state.collector = collector
    return app


async def _http_error(request: Request, error: Exception) -> Response:
    """404 and 405 as a page of the site, saying what to do."""
    assert isinstance(error, HTTPException)  # the only exception this handler is registered for
    collector: Collector = request.app.state.collector
    return views.message(collector, "not_found", error.status_code,
                         headers=dict(error.headers or {}))


async def _unavailable(request: Request, error: Exception) -> Response:
    """The database could not be read or written (down, full, busy too long) where a route does
    not say more itself (the mediators' area looking up a session): 503, try again shortly,
    never a 500 that reads as a bug."""
    log.error("%s", say("collector.log.unavailable", method=request.method,
                        path=request.url.path, error=error))
    collector: Collector = request.app.state.collector
    return views.message(collector, "unavailable", 503,
                         headers={"Retry-After": str(lookup.RETRY_AFTER_UNAVAILABLE)})


async def _server_error(request: Request, error: Exception) -> Response:
    """Anything unexpected: logged with its traceback (no client address in it), and an
    apology that says the answer may not have been saved."""
    log.error("%s", say("collector.log.unexpected", method=request.method,
                        path=request.url.path), exc_info=error)
    collector: Collector = request.app.state.collector
    return views.message(collector, "error", 500)


class SiteFiles:
    """The built site's files (``parole serve``), read from wherever the latest build is."""

    def __init__(self, collector: Collector) -> None:
        self.collector = collector
        self._files: dict[Path, StaticFiles] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        root = self.collector.site.root
        files = self._files.get(root)
        if files is None:
            files = self._files[root] = StaticFiles(directory=root, html=True)
        await files(scope, receive, send)
