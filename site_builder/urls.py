"""Site URLs as MkDocs writes them: relative to the site root, no leading slash ("faq/",
"explications/budget/", "" for the home page, "page.html" without directory URLs).

The core renders pages that live at one URL and link to another (a form to its paper version,
a paper page back to its form); links must be relative so a site works under any sub-path.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urljoin, urlsplit


def page_folder(url: str) -> str:
    """The folder a page's relative links start from: "faq/" → "faq", "a/b.html" → "a"."""
    folder = url if url.endswith("/") or not url else posixpath.dirname(url)
    return folder.strip("/") or "."


def relative_url(target: str, page: str) -> str:
    """``target`` as a link written in the page at ``page`` (both relative to the site root)."""
    if urlsplit(target).scheme or target.startswith(("/", "#")):
        return target
    path, hash_mark, fragment = target.partition("#")
    relative = posixpath.relpath(path.strip("/") or ".", page_folder(page))
    if path.endswith("/") or not path:
        relative = "./" if relative == "." else relative + "/"
    return relative + hash_mark + fragment


def absolute_url(href: str, page: str, site_url: str | None) -> str:
    """``href`` written in the page at ``page`` as an address valid from anywhere: absolute when
    the site's URL is known, else a path from the server's root."""
    base = site_url if site_url else "/"
    return urljoin(urljoin(base if base.endswith("/") else base + "/", page), href)
