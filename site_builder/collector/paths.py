"""Where a form's site publishes its pages, as absolute paths for links in collector pages.

Manifests give URLs relative to the site's root (``donner-mon-avis/``); the site's root is the
path of its ``site_url`` (``https://example.org/consultation/`` → ``/consultation/``), or ``/``.
"""

from __future__ import annotations

import urllib.parse

from site_builder.forms.manifest import Manifest


def site_path(manifest: Manifest) -> str:
    """The site's root as an absolute path, ending in ``/``."""
    path = urllib.parse.urlsplit(manifest.site_url or "").path or "/"
    return path if path.endswith("/") else f"{path}/"


def site_url(manifest: Manifest, url: str | None) -> str | None:
    """``url`` (relative to the site's root, as manifests write them) as an absolute path."""
    return urllib.parse.urljoin(site_path(manifest), url) if url else None


def form_page_path(manifest: Manifest) -> str:
    """Where the form's page is published: ``/consultation/donner-mon-avis/``."""
    return urllib.parse.urljoin(site_path(manifest), manifest.page_url)


def action_path(manifest: Manifest) -> str:
    """The path the form posts to (its action may be a full address), without a final ``/``."""
    path = urllib.parse.urlsplit(manifest.action).path or "/"
    return path.rstrip("/") or "/"


def origin(url: str | None) -> str | None:
    """``scheme://host[:port]`` of a full address; None for a path or nothing."""
    parts = urllib.parse.urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None
