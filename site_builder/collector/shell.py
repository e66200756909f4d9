"""A built page of the site used as the frame of the collector's pages.

The collector answers at its own URLs (``/collect``, ``/collect/<code>/<key>``), yet its pages must
look like the site: same header, menu, footer, stylesheet, language and direction. So it takes a
page the build made (the form's page, or ``404.html``), keeps everything but the title and the
inside of ``<main>``, and fills those. Relative URLs are made absolute paths against where the
page is published, once, when the shell is read: a ``<base>`` element would do it too but would
also send the error summary's ``#field`` links to the form's page instead of down this one.

Reading a page is strict and fails safe: without exactly one ``<main>`` or without a
``<title>``, ``Shell.from_html`` raises ``ValueError`` and the collector uses ``Shell.minimal``.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from dataclasses import dataclass

from site_builder.collector.markup import element_span, rewrite_attributes, start_tags
from site_builder.i18n import Catalogue, text_direction

URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "poster",
                            "xlink:href"})
SEPARATOR = " — "
"""Between a page's own title and the site's, as theme/base.html writes them."""
ROBOTS = '<meta name="robots" content="noindex, nofollow">'
"""Receipts and error pages must never be indexed: a receipt page holds someone's answers."""
_KEEP = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|[#/]")
"""URLs left alone: with a scheme (``https:``, ``data:``, ``mailto:``, ``tel:``), absolute
paths (and ``//host``), and fragments, which must stay in the document."""
_TITLE = re.compile(r"(<title\b[^>]*>)(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_MAIN_END = re.compile(r"</main\s*>", re.IGNORECASE)
_HOME = re.compile(r'class="p-header__title"><a href="([^"]*)"')
_MINIMAL_CSS = (
    ":root{color-scheme:light dark}"
    "body{max-inline-size:42rem;margin:0 auto;padding-inline:1rem;"
    "font:1.125rem/1.6 system-ui,sans-serif;overflow-wrap:anywhere}"
    ":focus-visible{outline:3px solid #c2410c;outline-offset:2px}"
    ".p-skip{position:absolute;inset-inline-start:-100rem}.p-skip:focus{position:static}"
    "button{min-block-size:2.75rem;font:inherit}"
)


@dataclass(frozen=True)
class Shell:
    """A page cut in three around its title and the inside of its ``<main>``. Every piece is
    HTML from the build (trusted, URLs already absolute); ``title_html`` is escaped text."""

    before_title: str
    """Up to and including ``<title>``."""
    title_html: str
    between: str
    """From just after ``</title>`` to the end of the ``<main>`` start tag."""
    main_html: str
    """The inside of ``<main>``."""
    after: str
    """From ``</main>`` to the end."""
    page_path: str
    """Where the page is published (``/donner-mon-avis/``)."""
    language: str
    direction: str
    home_url: str | None = None
    """The site's home page, from the theme's header link, when found."""

    @classmethod
    def from_html(cls, document: str, page_path: str) -> Shell:
        """The shell made from a built page published at ``page_path`` (an absolute path)."""
        if not page_path.startswith("/"):
            raise ValueError(f"the page path {page_path!r} must start with '/'")
        document = absolute_urls(document, page_path)
        tags = list(start_tags(document))
        mains = [tag for tag in tags if tag.name == "main"]
        if len(mains) != 1:
            raise ValueError(f"the page has {len(mains)} <main> elements, expected one")
        main = mains[0]
        main_end = _MAIN_END.search(document, main.end)
        title = _TITLE.search(document, 0, main.start)
        if main_end is None or title is None:
            raise ValueError("the page has no </main> or no <title> before its <main>")
        root = next((tag for tag in tags if tag.name == "html"), None)
        language = root.get("lang") if root else None
        if not language:
            raise ValueError("the page's <html> element has no lang attribute")
        direction = (root.get("dir") if root else None) or text_direction(language)
        home = _HOME.search(document)
        return cls(
            before_title=document[:title.end(1)],
            title_html=title.group(2),
            between=document[title.end():main.end],
            main_html=document[main.end:main_end.start()],
            after=document[main_end.start():],
            page_path=page_path,
            language=language,
            direction=direction,
            home_url=html.unescape(home.group(1)) if home else None,
        )

    @classmethod
    def minimal(cls, language: str) -> Shell:
        """A plain page of our own, for a site with no page to borrow (built with another
        theme, or not found): a skip link, a ``<main>`` and a few lines of inline CSS."""
        catalogue = Catalogue.for_language(language)
        lang = html.escape(language)
        direction = text_direction(language)
        return cls(
            before_title=(f'<!doctype html>\n<html lang="{lang}" dir="{direction}">\n'
                          '<head>\n<meta charset="utf-8">\n<meta name="viewport" '
                          'content="width=device-width, initial-scale=1">\n<title>'),
            title_html="",
            between=(f"\n<style>{_MINIMAL_CSS}</style>\n</head>\n<body>\n"
                     f'<a class="p-skip" href="#contenu">{html.escape(catalogue("skip_link"))}'
                     '</a>\n<main id="contenu">'),
            main_html="\n",
            after="</main>\n</body>\n</html>\n",
            page_path="/",
            language=language,
            direction=direction,
        )

    @property
    def site_title_html(self) -> str | None:
        """The site's part of the title (after the last separator): the whole title when it
        has no separator, None for the minimal shell."""
        if not self.title_html:
            return None
        return self.title_html.rpartition(SEPARATOR)[2]

    def full_title(self, title: str) -> str:
        """``title — <site title>`` as escaped HTML."""
        site = self.site_title_html
        own = html.escape(title, quote=False)
        return f"{own}{SEPARATOR}{site}" if site else own

    def page(self, title: str, main_html: str) -> str:
        """A page of its own: ``title`` (text), and ``main_html`` (which starts with its h1) as
        the whole of ``<main>``. The link to the borrowed page is no longer "this page"."""
        return self.compose(self.full_title(title), f"\n{main_html.strip()}\n", same_page=False)

    def compose(self, title_html: str, main_html: str, *, same_page: bool) -> str:
        """The shell with its title and the inside of ``<main>`` replaced. ``same_page`` is
        True when the result is still the borrowed page (the form shown again with errors), so
        the menu's ``aria-current="page"`` stays; otherwise it becomes "true" (the section)."""
        frame = [self.before_title, self.between, self.after]
        if not same_page:
            frame = [part.replace(' aria-current="page"', ' aria-current="true"')
                     for part in frame]
        before_title, between, after = frame
        return (f"{before_title}{title_html}</title>\n{ROBOTS}{between}{main_html}{after}")

    def replace_element(
        self, name: str, element_id: str, new_html: str
    ) -> str | None:
        """The inside of ``<main>`` with the element ``<name id="element_id">`` replaced by
        ``new_html``; None when ``<main>`` has no such element."""
        span = element_span(self.main_html, name, element_id)
        if span is None:
            return None
        start, end = span
        return f"{self.main_html[:start]}{new_html.strip()}{self.main_html[end:]}"


def absolute_urls(document: str, page_path: str) -> str:
    """``document`` with every relative URL in ``href``, ``src``, ``srcset``, ``action``… made
    an absolute path (or URL) as seen from ``page_path``; fragments, absolute paths and URLs
    with a scheme are left alone. Script and style text is never touched."""

    def rewrite(name: str, raw: str) -> str | None:
        if name == "srcset":
            return ", ".join(_srcset_candidate(candidate.strip(), page_path)
                             for candidate in raw.split(","))
        return _absolute(raw, page_path)

    return rewrite_attributes(document, URL_ATTRIBUTES, rewrite)


def _absolute(url: str, page_path: str) -> str | None:
    stripped = url.strip()
    if _KEEP.match(stripped):
        return None
    return urllib.parse.urljoin(page_path, stripped)


def _srcset_candidate(candidate: str, page_path: str) -> str:
    url, _, descriptor = candidate.partition(" ")
    absolute = _absolute(url, page_path) or url
    return f"{absolute} {descriptor.strip()}" if descriptor.strip() else absolute
