"""What every page template knows about the consultation site (header, footer, language)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from markupsafe import Markup

from .language_words import lang_attributes

_FRENCH_PHONE = re.compile(r"(?:0|\+33|0033)([1-9]\d{8})")
_INTERNATIONAL_PHONE = re.compile(r"\+[1-9]\d{6,14}")


def tel_uri(number: str) -> str | None:
    """The ``tel:`` address of a phone number as an organizer writes it, in E.164 form: a French
    number (``01 84 60 12 34``, ``+33 (0)1 84 60 12 34`` → ``tel:+33184601234``) or one already
    international (``+44 20 7946 0000``). ``None`` for anything else (a short number such as
    3939 has no international form, and a ``tel:`` address without one is not valid): it is
    shown as written, without a link. One form everywhere, so that two links to the same number
    on a page are one destination."""
    compact = re.sub(r"[\s.\-/]|\(0\)", "", number)
    french = _FRENCH_PHONE.fullmatch(compact)
    if french:
        return f"tel:+33{french.group(1)}"
    if _INTERNATIONAL_PHONE.fullmatch(compact):
        return f"tel:{compact}"
    return None


@dataclass(frozen=True)
class FooterLink:
    """A link of the footer; ``url`` is relative to the site root (templates apply ``|url``)."""

    key: str
    label: str
    url: str


@dataclass(frozen=True)
class SiteInfo:
    """The consultation as the theme shows it: exposed to templates as ``parole``."""

    title: str
    organizer_name: str
    organizer_email: str | None
    organizer_phone: str | None
    organizer_address: str | None
    language: str
    direction: str
    footer_links: tuple[FooterLink, ...]
    site_map_url: str | None
    low_data_url: str | None = None
    """The low-data edition (``site_builder.low_data``), relative to the site root."""
    words_language: str | None = None
    """The language the words written in ``mkdocs.yml`` are in (the consultation's default
    language); None: the pages' ``language``."""
    translated_words: Mapping[str, str] = field(default_factory=dict, hash=False)
    """Those words given in another language under ``languages:`` (``language_words``), by
    key (``title``, ``organizer.name``, ``organizer.address``, ``phases[2].description``,
    ``paper_dropoff``) → that language."""

    def lang(self, word: str) -> Markup:
        """`` lang="fr" dir="ltr"`` when the word ``word`` of ``mkdocs.yml`` is shown in another
        language than the page's (an untranslated title on an Arabic page), else nothing."""
        language = self.translated_words.get(word, self.words_language)
        return lang_attributes(language if language != self.language else None)

    @property
    def phone_uri(self) -> str | None:
        """``tel:`` address of the organizer's phone (``tel_uri``), if it has one."""
        return tel_uri(self.organizer_phone) if self.organizer_phone else None
