"""What a browser fetches to show one HTML page, read with the standard library's ``html.parser``.

Used by ``page_weight``. Counted, each as a :class:`Fetch` with a category:

- ``css``: ``<link rel="stylesheet" href>`` (alternate and ``media="print"`` ones too: browsers
  download them, only later; not ``disabled`` ones); ``<link rel="preload" as="style">``.
- ``js``: ``<script src>`` (classic and module, not ``nomodule``, which current browsers skip);
  ``<link rel="modulepreload">``, ``<link rel="preload" as="script">``.
- ``images``: ``<img src srcset>``, ``<input type="image" src>``, ``<picture>`` with its
  ``<source srcset>``, ``<video poster>``, ``<link rel="icon" href>``, ``<link rel="preload"
  as="image">``. An image with several candidates (``srcset``, a ``<picture>``'s sources) is
  **one** fetch: the browser loads exactly one of them, which one depends on the screen. Its
  cost is the candidate the reference phone of ``site_builder.images.choice`` downloads (360 CSS
  pixels at 2x: a cheap Android phone), its ``phone`` URL; when the markup says something that
  module does not evaluate, the *largest* candidate, so the budget holds whatever the choice.
  Pictures with ``loading="lazy"`` count too: on 2G and 3G, Chromium fetches them as soon as
  they are within 2500 px of the screen, which on a phone is most of a page.
- ``other``: ``<link rel="manifest">``, any other ``preload``, ``<iframe src>``, ``<embed src>``,
  ``<object data>``.

Out of scope (not fetched with the page, or not knowable without a layout engine): ``url()`` in
stylesheets and in ``style=""`` attributes (fetched only when a rule applies), ``<audio>`` and
``<video>`` media (loaded on play, in ranges), ``<base href>``, the ``/favicon.ico`` a browser may
ask for when a page declares no icon, and links (``<a href>``): they cost nothing until followed.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from enum import Enum
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from site_builder.images.choice import phone_choice, srcset_candidates


@dataclass(frozen=True)
class Fetch:
    """One download the page triggers: the browser loads one of ``urls`` (as written)."""

    category: str
    urls: tuple[str, ...]
    phone: str | None = None
    """The one of ``urls`` the reference phone downloads, when known (images only)."""


class Kind(Enum):
    """What a URL written in a page points at."""

    LOCAL = "local"  # a file of the site (it may be missing)
    EXTERNAL = "external"  # another site: ``https://…`` or ``//host/…``
    OUTSIDE = "outside"  # a relative path climbing above the site's root
    IGNORED = "ignored"  # ``data:`` (already inside the page), ``#top``, ``javascript:``, …


_PRELOAD_CATEGORIES = {"style": "css", "script": "js", "image": "images"}


def srcset_urls(srcset: str) -> list[str]:
    """The URLs of a ``srcset`` ("a.png 1x, b.png 2x" → a.png, b.png), commas in URLs kept."""
    return [candidate.url for candidate in srcset_candidates(srcset)]


class _ResourceParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fetches: list[Fetch] = []
        self._picture: list[str] | None = None  # candidates of the <picture> being read
        self._sources: list[dict[str, str]] = []  # its <source> elements
        self._phone: str | None = None  # the candidate the reference phone takes in it

    def _add(self, category: str, *urls: str | None, phone: str | None = None) -> None:
        found = tuple(url.strip() for url in urls if url and url.strip())
        if found:
            self.fetches.append(Fetch(category, found, phone))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        get = attributes.get
        if tag == "link":
            self._link(attributes)
        elif tag == "script" and "nomodule" not in attributes:
            self._add("js", get("src"))
        elif tag == "img" or (tag == "input" and get("type", "").lower() == "image"):
            candidates = [*srcset_urls(get("srcset", "")), get("src", "")]
            if self._picture is not None and tag == "img":
                self._picture.extend(candidates)
                self._phone = phone_choice(attributes, self._sources)
            else:
                self._add("images", *candidates, phone=phone_choice(attributes))
        elif tag == "source" and self._picture is not None:
            self._picture.extend(srcset_urls(get("srcset", "")))
            self._sources.append(attributes)
        elif tag == "picture":
            self._close_picture()
            self._picture, self._sources, self._phone = [], [], None
        elif tag == "video":
            self._add("images", get("poster"))
        elif tag in ("iframe", "embed"):
            self._add("other", get("src"))
        elif tag == "object":
            self._add("other", get("data"))

    def _link(self, attributes: dict[str, str]) -> None:
        rel = set(attributes.get("rel", "").lower().split())
        href = attributes.get("href")
        if "stylesheet" in rel:
            if "disabled" not in attributes:  # a disabled stylesheet is not downloaded
                self._add("css", href)
        elif "icon" in rel:
            self._add("images", href)
        elif "modulepreload" in rel:
            self._add("js", href)
        elif "preload" in rel:
            self._add(_PRELOAD_CATEGORIES.get(attributes.get("as", "").lower(), "other"), href)
        elif "manifest" in rel:
            self._add("other", href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "picture":
            self._close_picture()

    def _close_picture(self) -> None:
        if self._picture is not None:
            self._add("images", *self._picture, phone=self._phone)
            self._picture = None

    def close(self) -> None:
        super().close()
        self._close_picture()


def page_fetches(html: str) -> list[Fetch]:
    """Every download ``html`` triggers, in document order (duplicates included)."""
    parser = _ResourceParser()
    parser.feed(html)
    parser.close()
    return parser.fetches


def resolve(site_dir: Path, page_path: str, url: str, site_path: str = "/") -> tuple[Kind, str]:
    """Classify ``url`` written in the page at ``page_path`` (site-relative, ``a/index.html``).

    For a ``LOCAL`` URL the second item is the site-relative file it names: relative to the page
    (``../``), or to the site's root when it starts with ``/``; without query or fragment,
    percent-decoded, and ``x/`` (or a folder) read as ``x/index.html``, as web servers do. For
    the other kinds it is ``url`` itself. ``site_path`` is where the site is published on its
    host (the path of ``site_url``, e.g. ``/consultation/``): MkDocs writes it at the start of
    the 404 page's URLs.
    """
    parts = urlsplit(url)
    if parts.netloc or parts.scheme in ("http", "https"):
        return Kind.EXTERNAL, url
    if parts.scheme or not parts.path:
        return Kind.IGNORED, url
    path = unquote(parts.path)
    base = posixpath.dirname(page_path)
    if path.startswith("/"):
        root = "/" + site_path.strip("/") + "/" if site_path.strip("/") else "/"
        if not path.startswith(root):
            return Kind.OUTSIDE, url
        base, path = "", path.removeprefix(root)
    target = posixpath.normpath(posixpath.join(base, path))
    if target == ".." or target.startswith("../"):
        return Kind.OUTSIDE, url
    if target == ".":
        target = "index.html"
    elif path.endswith("/") or site_dir.joinpath(*target.split("/")).is_dir():
        target += "/index.html"
    return Kind.LOCAL, target
