"""Interface strings from the theme's locale catalogues (``theme/locales/<language>.yml``).

French is the default language of parole and English the fallback for any string a catalogue
lacks, so a partial translation still renders every string. The core reads the catalogues itself
(not through MkDocs) because the collector re-renders pages without MkDocs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from site_builder.plurals import plural_key

DEFAULT_LANGUAGE = "fr"
FALLBACK_LANGUAGE = "en"
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ps", "ur", "yi"})


def base_language(language: str) -> str:
    """``fr-BE`` → ``fr``: catalogues and text direction depend on the language, not the region."""
    return language.replace("_", "-").split("-")[0].lower()


def text_direction(language: str) -> str:
    """``rtl`` for right-to-left languages, ``ltr`` otherwise."""
    return "rtl" if base_language(language) in RIGHT_TO_LEFT else "ltr"


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it: about twenty times faster than the pure-Python
one, and catalogues are read by every build and every ``parole`` command (its help texts)."""


def read_catalogue(package: str, language: str) -> dict[str, str]:
    """The flat ``key: text`` catalogue ``locales/<language>.yml`` of ``package``, or {}."""
    path = resources.files(package) / "locales" / f"{language}.yml"
    if not path.is_file():
        return {}
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
    return {str(key): str(value) for key, value in data.items()}


@cache
def _load(language: str) -> dict[str, str]:
    return read_catalogue("site_builder.theme", language)


def available_languages() -> list[str]:
    """Languages that have a catalogue in the theme."""
    folder = resources.files("site_builder.theme") / "locales"
    return sorted(entry.name.removesuffix(".yml") for entry in folder.iterdir()
                  if entry.name.endswith(".yml"))


@dataclass(frozen=True)
class Catalogue:
    """The interface strings of one language."""

    language: str
    strings: dict[str, str]

    @classmethod
    def for_language(cls, language: str) -> Catalogue:
        code = base_language(language)
        return cls(language=language, strings={**_load(FALLBACK_LANGUAGE), **_load(code)})

    @property
    def complete(self) -> bool:
        """True when the language has its own catalogue (no fallback to English needed)."""
        return bool(_load(base_language(self.language)))

    @property
    def direction(self) -> str:
        return text_direction(self.language)

    def __call__(self, key: str, **values: Any) -> str:
        """The string for ``key``, with ``{name}`` placeholders filled from ``values``."""
        try:
            text = self.strings[key]
        except KeyError:
            raise KeyError(f"no interface string {key!r} in theme/locales/en.yml") from None
        return text.format_map(values) if values else text

    def joined(self, items: Iterable[str]) -> str:
        """``items`` separated as the language writes a list ("a, b" in French, "a، b" in
        Arabic: ``list.separator``)."""
        return self("list.separator").join(items)

    def count(self, key: str, number: int, /, **values: Any) -> str:
        """The plural form of ``key`` for ``number`` (``key.one``, ``key.few``…, by CLDR's
        rule for the language the strings are written in; ``key.other`` when a form is left
        out). ``{count}`` is ``number`` unless ``values`` gives it written otherwise
        (``count="1\u202f234"``). Templates: ``t.count('collector.minutes', 1)``."""
        own = base_language(self.language)
        language = own if _load(own) else FALLBACK_LANGUAGE
        return self(plural_key(key, number, language, self.strings), **{"count": number, **values})
