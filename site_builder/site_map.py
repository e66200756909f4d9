"""The site map page: every page of the site, as nested markdown lists.

RGAA 12.1 asks for two ways to find a page; the menu is one, this page is the other. It is the
only page that lists everything, so other pages stay small however large the site grows.
"""

from __future__ import annotations

from collections.abc import Iterable


def site_map_markdown(
    title: str, intro: str, entries: Iterable[tuple[int, str, str | None]]
) -> str:
    """Markdown of the site map; ``entries`` are ``(depth, title, link target or None)``."""
    lines = [f"# {title}", "", intro, ""]
    for depth, entry_title, target in entries:
        text = entry_title.replace("[", r"\[").replace("]", r"\]")
        item = f"[{text}](<{target}>)" if target else text
        lines.append(f"{'    ' * depth}- {item}")
    return "\n".join(lines) + "\n"
