"""The moderation pages in the access suite (``test_access.py``, ``test_access_moderation.py``):
which of their routes need what, and the cookies a visitor may bring.

Every route of the pages is one line of ``MODERATION_ENDPOINTS``: its endpoint and its kind.
``test_access.py`` classifies the router's routes with it (a route missing fails
``test_every_route_is_known``); ``test_access_moderation.py`` then checks each route, by each
method it answers, without a session, with made-up, ended, altered or another token's cookies,
and (for posts) without the CSRF token, with a wrong one, another session's, from another site;
and that none exists without ``PAROLE_ADMIN_TOKEN``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from site_builder.collector.moderation import access, views

MODERATION = "/admin/moderation"
MODERATION_DOOR = "moderation pages door"
"""Open to anyone while the admin token is set: the home (the sign-in form), signing in."""
MODERATION_SIGNED = "moderation pages"
"""A signed-in moderator only; a post also needs the session's CSRF token."""
MODERATION_KINDS = (MODERATION_DOOR, MODERATION_SIGNED)

MODERATION_ENDPOINTS: dict[Callable[..., Any], str] = {
    views.home: MODERATION_DOOR,
    access.to_home: MODERATION_DOOR,
    access.sign_in: MODERATION_DOOR,
    access.sign_out: MODERATION_SIGNED,
    views.form_page: MODERATION_SIGNED,
}
"""Every endpoint of the moderation pages and its kind: one line per endpoint."""
MODERATION_PATH_EXAMPLES = {"form_id": "avis-place"}
"""A value for each path parameter: the example site's form (refusals come before any lookup)."""
PRIVATE_MARKS = ("Session de modération", 'name="_csrf"', "Modérer")
"""What only a signed-in moderator's page shows."""
CSRF = re.compile(r'name="_csrf" value="([0-9a-f]+)"')
