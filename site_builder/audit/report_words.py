"""The report's words: French for French sites, English for every other language.

They live in ``audit/locales/report.<language>.yml`` (flat ``key: text``, ``{name}``
placeholders), apart from organizers' messages (``site_builder/locales``), because they are
the report's content, read by auditors, not parole talking to the organizer; both catalogues
hold the same keys (a test checks it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from site_builder.i18n import base_language, read_catalogue
from site_builder.plurals import plural_key

REPORT_LANGUAGES = ("en", "fr")


def report_language(language: str) -> str:
    """``fr`` for a French site (``fr``, ``fr-BE``), ``en`` for any other."""
    return "fr" if base_language(language or "en") == "fr" else "en"


@cache
def catalogue(language: str) -> dict[str, str]:
    """The words of ``language`` (``fr`` or ``en``) as written in its catalogue."""
    return read_catalogue("site_builder.audit", f"report.{language}")


@dataclass(frozen=True)
class Words:
    """The report's words in one language, with its ways of writing numbers and dates."""

    language: str

    @classmethod
    def for_site(cls, language: str) -> Words:
        return cls(report_language(language))

    def __call__(self, key: str, /, **values: Any) -> str:
        """The text of ``key``, placeholders filled (KeyError naming the catalogue if none)."""
        try:
            text = catalogue(self.language)[key]
        except KeyError:
            raise KeyError(f"no report word {key!r} in site_builder/audit/locales/"
                           f"report.{self.language}.yml") from None
        return text.format_map(values) if values else text

    def count(self, key: str, count: int, /, **values: Any) -> str:
        """The plural form of ``key`` for ``count`` (CLDR's rule: ``key.one`` for 0 and 1 in
        French), ``{count}`` filled with the number as the language writes it."""
        chosen = plural_key(key, count, self.language, catalogue(self.language))
        return self(chosen, count=self.number(count), **values)

    def number(self, value: int) -> str:
        """``1 234`` in French (narrow no-break space), ``1,234`` in English."""
        text = f"{value:,}"
        return text.replace(",", "\u202f") if self.language == "fr" else text

    def percent(self, value: float) -> str:
        """``80,0 %`` in French (no-break space), ``80.0%`` in English."""
        text = f"{value:.1f}"
        return f"{text.replace('.', ',')}\u00a0%" if self.language == "fr" else f"{text}%"

    def day(self, iso: str) -> str:
        """``2026-12-05`` → ``5 décembre 2026`` / ``5 December 2026`` (as given if not a day)."""
        try:
            day = date.fromisoformat(iso)
        except ValueError:
            return iso
        month = self(f"month.{day.month}")
        first = self("day.first") if day.day == 1 else str(day.day)
        return f"{first} {month} {day.year}"
