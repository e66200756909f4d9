"""The HTML of a published picture: ``<img>`` with ``srcset``/``sizes``, in a ``<picture>`` when
WebP variants exist.

- ``src`` is the narrowest variant (what a browser ignoring ``srcset`` gets: old phones);
  ``srcset`` lists every variant with its ``w`` width.
- ``sizes`` says how wide the picture shows, from the parole theme's text column
  (``theme/assets/parole.css``: ``.p-wrap`` is at most 42rem wide with 1rem of padding each side,
  so the column is ``min(100vw - 2rem, 40rem)``), or the picture's own width when narrower.
  Browsers pick the variant from it before the stylesheet arrives.
- ``width`` and ``height`` give the intrinsic ratio: the page does not jump when the picture
  arrives (the theme's ``img{max-inline-size:100%;block-size:auto}`` scales it down).
- ``loading="lazy"`` and ``decoding="async"``; ``site_builder.images.extension`` removes the first
  from a page's first picture, which readers see at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape

from site_builder.images import Drawing, Picture, Variant

COLUMN_REM = 40
GUTTER_REM = 2  # the padding either side of the column, together
ROOT_FONT_PX = 16  # 1rem in a media query: the browser's default font size
OURS = ("src", "srcset", "sizes", "width", "height", "alt")


def sizes(display_width: int) -> str:
    """The ``sizes`` of a picture shown at most ``display_width`` CSS pixels wide."""
    gutter = f"calc(100vw - {GUTTER_REM}rem)"
    if display_width >= COLUMN_REM * ROOT_FONT_PX:
        return f"(min-width: {COLUMN_REM + GUTTER_REM}rem) {COLUMN_REM}rem, {gutter}"
    breakpoint = display_width + GUTTER_REM * ROOT_FONT_PX
    return f"(min-width: {breakpoint}px) {display_width}px, {gutter}"


def display_size(width: int, height: int, attributes: Mapping[str, str]) -> tuple[int, int]:
    """The picture's box: its own size, or the ``width`` (or ``height``) an author wrote, the
    other side following the picture's ratio."""
    wanted_width, wanted_height = (_pixels(attributes.get(name)) for name in ("width", "height"))
    if wanted_width:
        return wanted_width, max(1, round(wanted_width * height / width))
    if wanted_height:
        return max(1, round(wanted_height * width / height)), wanted_height
    return width, height


def picture_html(picture: Picture, *, alt: str, url: Callable[[Variant], str],
                 attributes: Mapping[str, str]) -> tuple[str, str]:
    """(the HTML of ``picture``, its ``<img>`` tag alone). ``url`` gives a variant's address as
    the page writes it; ``attributes`` are the author's others (``title``, ``class``…)."""
    largest = picture.fallback[-1]
    width, height = display_size(largest.width, largest.height, attributes)
    own = {"src": url(picture.fallback[0])}
    size_list = sizes(width)
    if len(picture.fallback) > 1:
        own["srcset"] = _srcset(picture.fallback, url)
        own["sizes"] = size_list
    img = _img(own, width, height, alt, attributes)
    if not picture.webp:
        return img, img
    source = {"type": "image/webp", "srcset": _srcset(picture.webp, url), "sizes": size_list}
    return f"<picture><source{_attributes(source)}>{img}</picture>", img


def drawing_html(drawing: Drawing, *, alt: str, url: str,
                 attributes: Mapping[str, str]) -> str:
    """The ``<img>`` of an SVG, published as it is."""
    if drawing.width and drawing.height:
        width, height = display_size(drawing.width, drawing.height, attributes)
        return _img({"src": url}, width, height, alt, attributes)
    kept = {name: value for name, value in attributes.items() if name in ("width", "height")}
    return _img({"src": url, **kept}, None, None, alt, attributes)


def _img(own: dict[str, str], width: int | None, height: int | None, alt: str,
         attributes: Mapping[str, str]) -> str:
    values = dict(own)
    if width and height:
        values |= {"width": str(width), "height": str(height)}
    values["alt"] = alt
    values |= {name: value for name, value in attributes.items() if name not in OURS}
    values.setdefault("loading", "lazy")
    values.setdefault("decoding", "async")
    return f"<img{_attributes(values)}>"


def _srcset(variants: tuple[Variant, ...], url: Callable[[Variant], str]) -> str:
    return ", ".join(f"{url(variant)} {variant.width}w" for variant in variants)


def _attributes(values: Mapping[str, str]) -> str:
    return "".join(f' {name}="{escape(value, quote=True)}"' for name, value in values.items())


def _pixels(value: str | None) -> int | None:
    value = (value or "").strip().removesuffix("px")
    return int(value) if value.isdigit() and int(value) > 0 else None
