"""Per-page navigation stays bounded whatever the size of the site."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import markdown

from site_builder.navigation import (
    MENU_LIMIT,
    SIBLING_LIMIT,
    NavLink,
    first_link,
    local_nav,
    walk,
)
from site_builder.site_map import SiteMapEntry, site_map_markdown


@dataclass(eq=False)
class Item:
    """A stand-in for MkDocs' Page / Section objects (the NavItem protocol)."""

    title: str | None
    url: str | None = None
    children: list[Item] | None = None
    parent: Item | None = None
    is_page: bool = field(init=False)
    is_section: bool = field(init=False)

    def __post_init__(self) -> None:
        self.is_section = self.children is not None
        self.is_page = not self.is_section and self.url is not None
        for child in self.children or ():
            child.parent = self


def page(title: str) -> Item:
    return Item(title, url=title.lower().replace(" ", "-") + "/")


def section(title: str, children: Sequence[Item]) -> Item:
    return Item(title, children=list(children))


def test_first_link_of_a_section_is_its_first_page_titled_by_the_section() -> None:
    empty = section("Empty", [])
    nested = section("Outer", [empty, section("Inner", [page("Deep")])])
    assert first_link(nested) == NavLink("Outer", "deep/")
    assert first_link(empty) is None


def test_each_link_says_when_its_title_is_in_another_language() -> None:
    """In another language's build: a page not translated yet keeps its French title, and a
    section's title comes from mkdocs.yml, in French; the links say so, the others do not."""
    home, untranslated, target = page("Home"), page("Explications"), page("Budget")
    tree = [home, untranslated, section("Sections", [page("Intro"), target])]
    french = {id(untranslated), id(tree[2])}
    nav = local_nav(tree, target, home,
                    title_language=lambda item: "fr" if id(item) in french else None)
    assert [(link.title, link.language) for link in nav.menu] == [
        ("Home", None), ("Explications", "fr"), ("Sections", "fr")]
    assert [(link.title, link.language) for link in nav.breadcrumb] == [
        ("Home", None), ("Sections", "fr"), ("Budget", None)]
    assert nav.section_title == "Sections" and nav.section_language == "fr"  # local menu's h2
    assert all(link.language is None for link in local_nav(tree, target, home).menu)
    assert local_nav(tree, target, home).section_language is None


def test_breadcrumb_goes_home_then_sections_then_the_current_page() -> None:
    home = page("Home")
    target = page("Budget")
    tree = [home, section("Explainers", [page("Intro"), target])]
    nav = local_nav(tree, target, home)
    assert nav.breadcrumb == (
        NavLink("Home", "home/"),
        NavLink("Explainers", "intro/"),
        NavLink("Budget", "budget/", current=True),
    )
    assert nav.section_title == "Explainers"
    assert [link.title for link in nav.siblings] == ["Intro", "Budget"]
    assert [link.current for link in nav.siblings] == [False, True]


def test_a_section_whose_first_page_is_this_page_is_text_in_the_breadcrumb() -> None:
    home = page("Home")
    first = page("Intro")
    nav = local_nav([home, section("Explainers", [first, page("Budget")])], first, home)
    assert nav.breadcrumb == (
        NavLink("Home", "home/"),
        NavLink("Explainers", None),
        NavLink("Intro", "intro/", current=True),
    )


def test_the_home_page_breadcrumb_is_only_itself() -> None:
    home = page("Home")
    nav = local_nav([home, page("Faq")], home, home)
    assert nav.breadcrumb == (NavLink("Home", "home/", current=True),)
    assert nav.siblings == ()  # top-level pages have the menu, not a section list


def test_menu_marks_the_section_holding_the_current_page() -> None:
    target = page("Budget")
    tree = [page("Home"), section("Explainers", [page("Intro"), target])]
    nav = local_nav(tree, target, tree[0])
    assert [(link.title, link.current) for link in nav.menu] == [
        ("Home", False), ("Explainers", True)]


def test_navigation_size_does_not_grow_with_the_site() -> None:
    pages = [page(f"Page {number}") for number in range(1000)]
    tree = [page("Home"), section("Archive", pages), *[page(f"Top {n}") for n in range(50)]]
    for current in (pages[0], pages[500], pages[999]):
        nav = local_nav(tree, current, tree[0])
        assert len(nav.menu) == MENU_LIMIT
        assert nav.menu_hidden == len(tree) - MENU_LIMIT
        assert len(nav.siblings) == SIBLING_LIMIT
        assert nav.siblings_hidden == 1000 - SIBLING_LIMIT
        assert any(link.current for link in nav.siblings), "the window holds the current page"


def test_the_sibling_window_is_centred_on_the_current_page_and_clamped() -> None:
    pages = [page(f"P{number}") for number in range(40)]
    tree = [section("S", pages)]
    titles = [link.title for link in local_nav(tree, pages[20], None).siblings]
    assert titles == [f"P{number}" for number in range(14, 26)]
    last = [link.title for link in local_nav(tree, pages[39], None).siblings]
    assert last == [f"P{number}" for number in range(28, 40)]


def test_walk_lists_everything_with_depth_for_the_site_map() -> None:
    tree = [page("Home"), section("S", [page("A"), section("T", [page("B")])])]
    assert [(depth, item.title) for depth, item in walk(tree)] == [
        (0, "Home"), (0, "S"), (1, "A"), (1, "T"), (2, "B")]


def test_site_map_markdown_nests_and_escapes_titles() -> None:
    text = site_map_markdown("Plan du site", "Toutes les pages.", [
        SiteMapEntry(0, "Accueil", "index.md"), SiteMapEntry(0, "Section [1]"),
        SiteMapEntry(1, "Page (a)", "s/a b.md")])
    assert text == (
        "# Plan du site\n\nToutes les pages.\n\n"
        "- [Accueil](<index.md>)\n"
        "- Section \\[1\\]\n"
        "    - [Page \\(a\\)](<s/a b.md>)\n"
    )


def test_site_map_titles_render_as_written_and_say_their_language() -> None:
    """A title's markdown and HTML characters show as themselves; a title in another language
    than the site map's is in a span with its lang and dir, whatever characters it holds."""
    tricky = "R&D <b>1.</b> *vite* _x_ [lien](y) `z` #2 </span>"
    text = site_map_markdown("Plan du site", "Toutes les pages.", [
        SiteMapEntry(0, tricky, "a.md"), SiteMapEntry(0, tricky, "b.md", language="fr"),
        SiteMapEntry(0, "مشاريع", None, language="ar"), SiteMapEntry(1, "Sans lien", None)])
    html = markdown.markdown(text)
    shown = ("R&amp;D &lt;b&gt;1.&lt;/b&gt; *vite* _x_ [lien](y) `z` #2 &lt;/span&gt;")
    assert f'<li><a href="a.md">{shown}</a></li>' in html
    assert f'<li><a href="b.md"><span lang="fr" dir="ltr">{shown}</span></a></li>' in html
    assert '<span lang="ar" dir="rtl">مشاريع</span>' in html
    assert "<li>Sans lien</li>" in html
    assert html.count("<span") == 2 and html.count("</span>") == 2
