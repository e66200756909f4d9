"""The moderation pages (issue #16): an organizer reads, in a browser, the free-text answers
whose author agreed to be quoted, one by one, and approves, approves with words hidden, or
rejects each, with a reason and optionally a theme. The same queue and verdicts as ``parole
moderate`` (``results.moderation``, ``Storage.record_verdict``): who decided, when and why is
stored with every verdict, and nothing is deleted.

Under ``/admin/moderation/``, and only when ``PAROLE_ADMIN_TOKEN`` is set (without it, every
path answers 404, as the other admin routes). Its modules:

- ``access``: signing in with the admin token and a name, the session cookie (``session``),
  CSRF tokens and other sites' requests (the mediators' area's checks, ``entry.access``);
- ``views``: the home (the forms and their counts) and a form's page (the next answer, the
  verdict); ``verdict_form`` checks what a verdict says, ``verdict_page`` draws it;
- ``queue``: what waits, read with ``results.moderation``;
- ``pages``: the frame of every page (the site's own, like the collector's other pages).
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from site_builder.collector.moderation import access, views


def routes() -> list[BaseRoute]:
    """Every route of the moderation pages, the fixed ones before ``/admin/moderation/<form>``
    (which would take ``sign-in`` for a form's id)."""
    return [*access.routes(), *views.routes()]
