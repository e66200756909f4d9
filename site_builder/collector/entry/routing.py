"""The mediators' area's routes, for every area of the site's forms (``entry.area_path``).

``app.create_app`` adds them before the answer routes, whose ``<action>/{code}/{key}`` would
otherwise take ``/collect/saisie/sign-in`` for a receipt link. Each module of the area gives
``routes(area)``; adding a module is adding it to ``AREA_MODULES``. The home (``{area}/``) is
here: the sign-in form for a visitor, the batches' home for a signed-in mediator.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from site_builder.collector.entry import access, area_path, assisted, batches, review
from site_builder.collector.settings import Collector

AREA_MODULES: tuple[Callable[[str], list[BaseRoute]], ...] = (
    access.routes, batches.routes, review.routes, assisted.routes)
"""Each module's ``routes``: one line per module of the area."""


def routes(collector: Collector) -> list[BaseRoute]:
    """The routes of every distinct area of the site's forms."""
    found: list[BaseRoute] = []
    for area in sorted({area_path(manifest) for manifest in collector.manifests}):
        found.append(Route(f"{area}/", home, methods=["GET"]))
        for module_routes in AREA_MODULES:
            found.extend(module_routes(area))
    return found


async def home(request: Request) -> Response:
    """``GET {area}/``: the sign-in form, or the signed-in mediator's home (404 when the area
    has no active mediator)."""
    found = await access.visitor(request)
    if isinstance(found, Response):
        return found
    if found is None:
        return await access.sign_in_form(request)
    return await batches.home(request, found)
