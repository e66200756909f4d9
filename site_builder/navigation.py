"""Navigation that stays the same size whatever the size of the site.

A page carries the top-level menu (at most ``MENU_LIMIT`` entries), its breadcrumb, and a window
of at most ``SIBLING_LIMIT`` pages of its own section; the site map page lists everything. So a
page of a 1000-page site weighs what it weighs in a 10-page site (mkdocs-material repeats the
whole navigation on every page: about 256 KB of HTML per page at 1000 pages).

The functions take MkDocs' navigation objects but only through the small ``NavItem`` protocol,
so another engine can feed them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

MENU_LIMIT = 8
SIBLING_LIMIT = 12


class NavItem(Protocol):
    """What navigation needs of a page, section or link (MkDocs' objects fit)."""

    @property
    def title(self) -> str | None: ...
    @property
    def parent(self) -> NavItem | None: ...
    @property
    def children(self) -> Sequence[NavItem] | None: ...
    @property
    def is_page(self) -> bool: ...
    @property
    def is_section(self) -> bool: ...


@dataclass(frozen=True)
class NavLink:
    """A link as templates render it; ``url`` is relative to the site root, or None for a
    breadcrumb entry shown as text (a section whose first page is the current page)."""

    title: str
    url: str | None
    current: bool = False
    language: str | None = None
    """The language of ``title`` when it is not the page's (in another language's build, a page
    not translated yet keeps its own title); None: the page's language."""


@dataclass(frozen=True)
class LocalNav:
    """Everything a page shows to move around, bounded in size."""

    menu: tuple[NavLink, ...]
    menu_hidden: int
    breadcrumb: tuple[NavLink, ...]
    section_title: str | None
    siblings: tuple[NavLink, ...]
    siblings_hidden: int
    section_language: str | None = None
    """The language of ``section_title`` when it is not the page's (``NavLink.language``)."""


def _url(item: NavItem) -> str | None:
    return getattr(item, "url", None)


TitleLanguage = Callable[[NavItem], str | None]
"""The language of an item's title when it differs from the page's (``NavLink.language``)."""


def _same_language(item: NavItem) -> str | None:
    """Every title in the page's language: a site in one language."""
    return None


def first_link(item: NavItem, title_language: TitleLanguage = _same_language) -> NavLink | None:
    """The link that stands for ``item``: itself, or the first page or link inside a section."""
    if item.is_section:
        for child in item.children or ():
            link = first_link(child, title_language)
            if link is not None:
                if item.title:
                    return NavLink(item.title, link.url, language=title_language(item))
                return link
        return None
    url = _url(item)
    return None if url is None else NavLink(item.title or url, url,
                                            language=title_language(item))


def _ancestors(item: NavItem) -> list[NavItem]:
    chain: list[NavItem] = []
    parent = item.parent
    while parent is not None:
        chain.insert(0, parent)
        parent = parent.parent
    return chain


def _contains(item: NavItem, page: NavItem) -> bool:
    return item is page or any(item is ancestor for ancestor in _ancestors(page))


def _window(items: Sequence[NavItem], page: NavItem, limit: int) -> tuple[list[NavItem], int]:
    """At most ``limit`` items around the one holding ``page``, and how many were left out."""
    if len(items) <= limit:
        return list(items), 0
    index = next((i for i, item in enumerate(items) if _contains(item, page)), 0)
    start = max(0, min(index - limit // 2, len(items) - limit))
    return list(items[start : start + limit]), len(items) - limit


def _links(items: Sequence[NavItem], page: NavItem,
           title_language: TitleLanguage) -> tuple[NavLink, ...]:
    links = []
    for item in items:
        link = first_link(item, title_language)
        if link is not None:
            links.append(replace(link, current=_contains(item, page)))
    return tuple(links)


def local_nav(top_level: Sequence[NavItem], page: NavItem, home: NavItem | None, *,
              title_language: TitleLanguage = _same_language) -> LocalNav:
    """The navigation of ``page`` within the site whose top-level items are ``top_level``;
    ``title_language`` says which titles are in another language than the page's."""
    menu, menu_hidden = _window(top_level, page, MENU_LIMIT)
    own = first_link(page, title_language)
    crumbs: list[NavLink] = []
    home_link = first_link(home, title_language) if home is not None else None
    if home_link is not None and home is not page:
        crumbs.append(home_link)
    for ancestor in _ancestors(page):
        link = first_link(ancestor, title_language)
        if link is None or link in crumbs:
            continue
        # A second link to the page itself would read as another destination.
        crumbs.append(replace(link, url=None) if own and link.url == own.url else link)
    if own is not None:
        crumbs.append(replace(own, current=True))
    section = page.parent
    neighbours = section.children or () if section is not None else top_level
    siblings, siblings_hidden = _window(neighbours, page, SIBLING_LIMIT)
    return LocalNav(
        menu=_links(menu, page, title_language),
        menu_hidden=menu_hidden,
        breadcrumb=tuple(crumbs),
        section_title=section.title if section is not None else None,
        siblings=_links(siblings, page, title_language) if section is not None else (),
        siblings_hidden=siblings_hidden if section is not None else 0,
        section_language=title_language(section) if section is not None else None,
    )


def walk(items: Sequence[NavItem], depth: int = 0) -> Iterator[tuple[int, NavItem]]:
    """Every item of the navigation with its depth, in reading order (for the site map)."""
    for item in items:
        yield depth, item
        if item.is_section:
            yield from walk(item.children or (), depth + 1)
