"""The size of an SVG picture, for the ``width`` and ``height`` of its ``<img>`` (so the page does
not jump when it arrives). SVG files are published as they are; only their root element is read."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


def svg_size(source: Path) -> tuple[int, int] | None:
    """(width, height) from the root's ``width`` and ``height`` in pixels, the missing one (or
    both) from its ``viewBox``; None when the file does not say (``width="100%"``)."""
    try:
        with source.open("rb") as file:
            root = next(element for _, element in ElementTree.iterparse(file, events=("start",)))
    except (OSError, ElementTree.ParseError, StopIteration):
        return None
    width, height = (_pixels(root.get(name)) for name in ("width", "height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if (width is None or height is None) and len(box) == 4:
        try:
            box_width, box_height = float(box[2]), float(box[3])
        except ValueError:
            return None
        if box_width > 0 and box_height > 0:
            if width is None and height is None:
                width = round(box_width)
            if width is not None:
                height = round(width * box_height / box_width)
            elif height is not None:
                width = round(height * box_width / box_height)
    return (width, height) if width and height else None


def _pixels(value: str | None) -> int | None:
    match = _LENGTH.match(value or "")
    return round(float(match.group(1))) if match else None
