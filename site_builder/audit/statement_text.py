"""The small pieces of text the accessibility statement is made of: its words in French or
English, escaped markdown, dates, percentages, and the organizer's contact as links.

Apart from ``audit.statement`` so that each file reads in one sitting. Everything here is pure
and deterministic: the same inputs give the same bytes, on every machine (no locale database,
no clock).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote

import yaml

from site_builder.i18n import base_language
from site_builder.plurals import plural_key
from site_builder.site import tel_uri

STATEMENT_LANGUAGES = ("fr", "en")
"""French follows the RGAA model; English the EU model (Decision 2018/1523); any other site
language gets English."""

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#|])")
"""What Python-Markdown (with the tables extension MkDocs turns on) lets a backslash escape and
what could otherwise start emphasis, code, a link, an image, a heading, an attribute list or a
table cell (parentheses need no escape: with ``[`` escaped, no link can reach them). ``<``,
``>`` and ``&`` become entities instead: a backslash does not escape ``<``."""
_LINE_START = re.compile(r"^(\d+)\.|^[-+]")
"""Only meaningful at the start of a line: an ordered list ("1.") or a bullet."""
_URL_SAFE = "/:?#@!$&'*+,;=%-._~"
"""What a link's address keeps as is; spaces, parentheses and angle brackets are encoded."""
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def statement_language(language: str) -> str:
    """``fr`` for a French site (``fr``, ``fr-BE``…), ``en`` for any other."""
    code = base_language(language or "en")
    return code if code in STATEMENT_LANGUAGES else "en"


@cache
def _catalogue(language: str) -> dict[str, str]:
    path = resources.files("site_builder.audit") / "locales" / f"statement.{language}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(key): str(value) for key, value in data.items()}


class Words:
    """The statement's sentences in one language (``locales/statement.<language>.yml``)."""

    def __init__(self, language: str) -> None:
        self.language = statement_language(language)
        self.strings = _catalogue(self.language)

    def __call__(self, key: str, /, **values: Any) -> str:
        """The text ``key``, its ``{placeholders}`` filled with ``values`` (already markdown)."""
        text = self.strings[key]
        return text.format_map(values) if values else text

    def count(self, key: str, count: int, /, **values: Any) -> str:
        """The plural form of ``key`` for ``count`` (CLDR's rule: ``key.one`` for 0 and 1 in
        French, for 1 in English)."""
        return self(plural_key(key, count, self.language, self.strings), count=count, **values)

    def day(self, iso: str) -> str:
        """``2026-12-05`` as people write it: "5 décembre 2026", "5 December 2026"; text
        that is not an ISO day is shown as given (escaped)."""
        try:
            day = date.fromisoformat(iso.strip())
        except ValueError:
            return escape(iso)
        number = self("date.first_day") if day.day == 1 else str(day.day)
        return self("date.format", day=number, month=self(f"month.{day.month}"),
                    year=str(day.year))

    def percent(self, rate: Fraction) -> str:
        """The rate as a percentage rounded DOWN to one decimal ("82,3 %"): a statement never
        shows 50 % for 49.99 %, nor 100 % for anything less."""
        tenths = (rate * 1000).numerator // (rate * 1000).denominator
        whole, tenth = divmod(tenths, 10)
        number = str(whole) if tenth == 0 else f"{whole}{self('decimal')}{tenth}"
        return self("percent", number=number)

    def bullets(self, items: Sequence[str]) -> str:
        """A markdown list, each item ended as the language punctuates lists ("a ;", "b.")."""
        last = len(items) - 1
        return "\n".join(f"- {item}{self('list.last' if index == last else 'list.middle')}"
                         for index, item in enumerate(items))


def escape(text: str, *, start: bool = True) -> str:
    """``text`` (from the review file, a page title, the organizer's settings) as markdown
    that shows exactly these characters: no link, picture, emphasis, heading, list, HTML or
    attribute list can come out of it. Whitespace runs (line breaks included) become one space,
    so nothing in it starts a line but its beginning; ``start=False`` when that beginning is
    mid-sentence (a version number: "4.12.1" needs no escaped dot there)."""
    flat = " ".join(text.split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    flat = _MARKDOWN_SPECIAL.sub(r"\\\1", flat)
    if not start:
        return flat
    return _LINE_START.sub(lambda match: (f"{match.group(1)}\\." if match.group(1)
                                          else f"\\{match.group(0)}"), flat)


def link(text: str, target: str) -> str:
    """A markdown link whose text is ``text`` escaped and whose address cannot end early
    (spaces, parentheses and angle brackets percent-encoded)."""
    return f"[{escape(text)}]({quote(target, safe=_URL_SAFE)})"


def email_link(address: str) -> str:
    """The address as a ``mailto:`` link; anything that is not one address, as plain text."""
    address = address.strip()
    if _EMAIL.fullmatch(address) and not any(char in address for char in "()<>[]`\\"):
        return link(address, f"mailto:{address}")
    return escape(address)


def phone_link(number: str) -> str:
    """The number as written, linked to its ``tel:`` address (``site.tel_uri``) when it has one;
    anything else as plain text."""
    uri = tel_uri(number)
    return link(number.strip(), uri) if uri else escape(number)


def address_text(address: str) -> str:
    """A postal address on one line: its lines joined by commas, escaped."""
    lines = [" ".join(line.split()) for line in address.splitlines() if line.strip()]
    return escape(", ".join(lines))
