"""Telling counted strings (``key.one``, ``key.few``…) from the other keys of a catalogue."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from site_builder.plurals import CATEGORIES


def counted_keys(english: Mapping[str, str]) -> set[str]:
    """The counted strings of an English catalogue: ``key.one`` beside ``key.other`` (so
    ``moderation.reason.other``, "another reason", is not one)."""
    return {key.removesuffix(".one") for key in english
            if key.endswith(".one") and f"{key.removesuffix('.one')}.other" in english}


def plural_base(key: str, counted: set[str]) -> str | None:
    """``collector.minutes`` for ``collector.minutes.few``; None for a key not a plural form."""
    base, _, category = key.rpartition(".")
    return base if category in CATEGORIES and base in counted else None


def uncounted(keys: Iterable[str], counted: set[str]) -> set[str]:
    """The keys that are not plural forms of a counted string."""
    return {key for key in keys if plural_base(key, counted) is None}
