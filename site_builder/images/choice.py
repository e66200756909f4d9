"""Which file of a responsive picture a phone downloads, for the page-weight report.

The **reference phone** is 360 CSS pixels wide at 2 device pixels per CSS pixel: the screen of
most cheap Android phones (720 x 1600). Its browser picks among a picture's candidates as
Chromium 156 does (``tests/test_images_browser.py`` checks it against the real one), which is also
what Firefox and the HTML standard suggest:

1. in a ``<picture>``, the first ``<source>`` whose ``type`` it knows and whose ``media`` matches,
   else the ``<img>``;
2. each candidate's density: ``2x`` as written, ``640w`` divided by the width ``sizes`` gives for
   a 360 px screen (``100vw`` without ``sizes``), ``1x`` without a descriptor; the ``src`` counts
   as ``1x`` unless ``srcset`` has a ``1x`` or uses ``w`` widths;
3. the candidate of smallest density at least 2; failing that, the densest.

When the page says something this module does not evaluate (a media query other than
``min-width``/``max-width``, a length in ``%`` or ``ch``, ``h`` descriptors), :func:`phone_choice`
answers None and the report counts the largest candidate instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

PHONE_WIDTH = 360
PHONE_DPR = 2.0
ROOT_FONT_PX = 16
KNOWN_TYPES = frozenset({"", "image/jpeg", "image/png", "image/gif", "image/webp", "image/avif",
                         "image/svg+xml", "image/apng"})
_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)"
_LENGTH = re.compile(rf"^({_NUMBER})(px|em|rem|vw)?$")
_FEATURE = re.compile(r"^\(\s*(min|max)-width\s*:\s*([^)]+?)\s*\)$")
_DESCRIPTOR = re.compile(rf"^({_NUMBER})([wx])$")


@dataclass(frozen=True)
class Candidate:
    """One entry of a ``srcset``: its URL as written and its descriptor (``"640w"``, ``"2x"``,
    ``""``)."""

    url: str
    descriptor: str = ""


def srcset_candidates(srcset: str) -> list[Candidate]:
    """The entries of a ``srcset`` ("a.png 1x, b.png 2x"), commas inside URLs kept."""
    candidates: list[Candidate] = []
    position, end = 0, len(srcset)
    while position < end:
        while position < end and (srcset[position].isspace() or srcset[position] == ","):
            position += 1
        start = position
        while position < end and not srcset[position].isspace():
            position += 1
        url, descriptor = srcset[start:position], ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            comma = srcset.find(",", position)
            stop = end if comma < 0 else comma
            descriptor = srcset[position:stop].strip()
            position = end if comma < 0 else comma + 1
        if url:
            candidates.append(Candidate(url, descriptor))
    return candidates


def phone_choice(img: Mapping[str, str],
                 sources: Sequence[Mapping[str, str]] = ()) -> str | None:
    """The URL the reference phone downloads for an ``<img>`` (its attributes), inside a
    ``<picture>`` with these ``<source>`` elements; None when this module cannot tell."""
    for source in sources:
        if source.get("type", "").strip().lower() not in KNOWN_TYPES:
            continue
        media = source.get("media", "").strip()
        matches = media_matches(media) if media else True
        if matches is None:
            return None
        if matches:
            return _choose(source.get("srcset", ""), source.get("sizes"), None)
    return _choose(img.get("srcset", ""), img.get("sizes"), img.get("src"))


def _choose(srcset: str, sizes: str | None, src: str | None) -> str | None:
    candidates = srcset_candidates(srcset)
    uses_widths = any(candidate.descriptor.endswith("w") for candidate in candidates)
    slot = source_size(sizes) if uses_widths and sizes is not None else float(PHONE_WIDTH)
    if slot is None or slot <= 0:
        return None
    densities: list[tuple[float, str]] = []
    for candidate in candidates:
        if not candidate.descriptor:
            densities.append((1.0, candidate.url))
            continue
        match = _DESCRIPTOR.match(candidate.descriptor)
        if match is None:
            return None
        value = float(match.group(1))
        densities.append((value / slot if match.group(2) == "w" else value, candidate.url))
    if src and src.strip() and not uses_widths and all(d != 1.0 for d, _ in densities):
        densities.append((1.0, src.strip()))
    if not densities:
        return None
    densities.sort(key=lambda pair: pair[0])  # stable: the first of equal densities wins
    return next((url for density, url in densities if density >= PHONE_DPR), densities[-1][1])


def source_size(sizes: str) -> float | None:
    """The width, in CSS pixels, that ``sizes`` gives on the reference phone's screen."""
    for written in _split(sizes, ","):
        entry = written.strip()
        if not entry:
            continue
        media, length = _media_and_length(entry)
        matches = media_matches(media) if media else True
        if matches is None:
            return None
        if matches:
            return length_px(length)
    return float(PHONE_WIDTH)  # no entry matched: 100vw


def media_matches(media: str) -> bool | None:
    """Whether ``media`` (``(min-width: 42rem)``, joined by ``and``) holds on the reference
    phone; None for anything else."""
    result = True
    for written in re.split(r"\s+and\s+", media.strip().lower()):
        part = written.removeprefix("only screen").removeprefix("screen").strip()
        if not part:
            continue
        match = _FEATURE.match(part)
        limit = length_px(match.group(2)) if match else None
        if match is None or limit is None:
            return None
        holds = limit <= PHONE_WIDTH if match.group(1) == "min" else limit >= PHONE_WIDTH
        result = result and holds
    return result


def length_px(text: str) -> float | None:
    """A CSS length on the reference phone, in pixels: ``px``, ``em``/``rem`` (16 px), ``vw``,
    ``calc()`` with ``+ - * /``, ``min()``, ``max()``; None for anything else."""
    text = text.strip().lower()
    function = re.match(r"^(calc|min|max|)\((.*)\)$", text, re.S)
    if function:
        return _function(*function.groups())
    match = _LENGTH.match(text)
    if match is None:
        return None
    number, unit = float(match.group(1)), match.group(2)
    if unit is None:
        return number if number == 0 else None
    scale = {"px": 1.0, "em": ROOT_FONT_PX, "rem": ROOT_FONT_PX, "vw": PHONE_WIDTH / 100}
    return number * scale[unit]


def _function(name: str, inner: str) -> float | None:
    """``calc(inner)``, ``(inner)`` inside a ``calc``, ``min(a, b)`` or ``max(a, b)``."""
    if name in ("calc", ""):
        return _calc(inner)
    values = [length_px(part) for part in _split(inner, ",")]
    known = [value for value in values if value is not None]
    if not known or len(known) < len(values):
        return None
    return min(known) if name == "min" else max(known)


def _calc(expression: str) -> float | None:
    """``a + b - c`` (spaces around + and -, as CSS requires), each term ``x * n`` or ``x / n``."""
    parts = _operators(expression, "+-")
    total = _product(parts[0])
    for operator, term in zip(parts[1::2], parts[2::2], strict=True):
        value = _product(term)
        if total is None or value is None:
            return None
        total = total + value if operator == "+" else total - value
    return total


def _product(term: str) -> float | None:
    parts = _operators(term, "*/")
    value = length_px(parts[0])
    for operator, factor in zip(parts[1::2], parts[2::2], strict=True):
        number = re.fullmatch(_NUMBER, factor.strip())
        if value is None or number is None or (operator == "/" and float(factor) == 0):
            return None
        value = value * float(factor) if operator == "*" else value / float(factor)
    return value


def _operators(expression: str, operators: str) -> list[str]:
    """``expression`` split at its top-level ``operators`` (kept between the parts); ``+`` and
    ``-`` only count with spaces around them, as in CSS."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(expression):
        depth += (char == "(") - (char == ")")
        spaced = char in "*/" or (0 < index < len(expression) - 1 and expression[index - 1]
                                  .isspace() and expression[index + 1].isspace())
        if depth == 0 and char in operators and spaced:
            parts += [expression[start:index].strip(), char]
            start = index + 1
    return [*parts, expression[start:].strip()]


def _media_and_length(entry: str) -> tuple[str, str]:
    """``(min-width: 42rem) 40rem`` → (``(min-width: 42rem)``, ``40rem``): the length is the
    last top-level token."""
    depth, cut = 0, 0
    for index, char in enumerate(entry):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char.isspace() and depth == 0:
            cut = index
    if cut == 0 or entry[cut + 1:].strip() == "":
        return "", entry
    return entry[:cut].strip(), entry[cut + 1:].strip()


def _split(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` outside parentheses."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts
