"""Messages for organizers (build errors and warnings, the page-weight table, command-line
messages): in French for French sites, in English otherwise.

Citizens' strings live in the theme (``theme/locales``, ``site_builder.i18n``); organizers'
strings live here, in ``site_builder/locales/<language>.yml``: one flat ``key: text`` catalogue
per language, ``{name}`` placeholders filled by :func:`say` (``str.format`` rules, so ``{name!r}``
quotes a value as Python does). English is complete; French must have the same keys and the same
placeholders (a test checks both).

The language is chosen once per run: a build takes it from ``theme.language`` (the plugin calls
:func:`use_language`), a command without a site from the environment (``LC_ALL``,
``LC_MESSAGES``, ``LANG``, as POSIX orders them). Anything else falls back to English.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

from site_builder.i18n import base_language, read_catalogue
from site_builder.plurals import plural_key

ORGANIZER_LANGUAGES = ("en", "fr")
"""The languages organizers' messages are written in; English is the fallback."""
FALLBACK = "en"
_ENVIRONMENT = ("LC_ALL", "LC_MESSAGES", "LANG")

_current: ContextVar[str | None] = ContextVar("parole_organizer_language", default=None)
"""The language of a :func:`speaking` block (None outside)."""
_run: list[str | None] = [None]
"""The language :func:`use_language` chose for the run: every thread's, since a build's worker
threads (pictures, pages) start with an empty context and must speak it too."""


def organizer_language(language: str | None) -> str:
    """The catalogue for a site or locale written ``language``: ``fr_FR.UTF-8`` → ``fr``;
    a language parole has no organizer messages in → English."""
    code = base_language((language or "").split(".")[0]) if language else FALLBACK
    return code if code in ORGANIZER_LANGUAGES else FALLBACK


def environment_language(environ: Mapping[str, str] | None = None) -> str:
    """The organizer language the environment asks for (the first of ``LC_ALL``,
    ``LC_MESSAGES``, ``LANG`` that is set and not ``C``/``POSIX``)."""
    environ = os.environ if environ is None else environ
    for name in _ENVIRONMENT:
        value = environ.get(name, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return organizer_language(value)
    return FALLBACK


def current_language() -> str:
    """The language messages are said in now."""
    return _current.get() or _run[0] or environment_language()


def use_language(language: str | None) -> None:
    """Say every following message in ``language`` (a site's ``theme.language``, a locale, or
    None for the environment's), in every thread."""
    _run[0] = organizer_language(language) if language else None


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Within the block, say messages in ``language``; the previous language afterwards."""
    token = _current.set(organizer_language(language) if language else None)
    try:
        yield
    finally:
        _current.reset(token)


@cache
def catalogue(language: str) -> dict[str, str]:
    """The messages of ``language`` (``en`` or ``fr``), as written in its catalogue."""
    return read_catalogue("site_builder", language)


def say(key: str, /, **values: Any) -> str:
    """The message ``key`` in the current language, its ``{placeholders}`` filled (one may be
    called ``{key}``: ``key`` is positional only)."""
    language = current_language()
    text = catalogue(language).get(key)
    if text is None:
        text = catalogue(FALLBACK).get(key)
    if text is None:
        raise KeyError(f"no organizer message {key!r} in site_builder/locales/{FALLBACK}.yml")
    return text.format_map(values) if values else text


def say_count(key: str, count: int, /, **values: Any) -> str:
    """The plural form of ``key`` for ``count`` by CLDR's rule (:mod:`site_builder.plurals`:
    ``key.one`` for 0 and 1 in French, for 1 in English; ``key.other`` otherwise or when a
    form is left out), with ``{count}`` filled too."""
    language = current_language()
    return say(plural_key(key, count, language, catalogue(language)), count=count, **values)
