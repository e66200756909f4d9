"""What every page template knows about the consultation site (header, footer, language)."""

from __future__ import annotations

from dataclasses import dataclass


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

    @property
    def phone_uri(self) -> str | None:
        """``tel:`` address of the organizer's phone (digits and a leading +)."""
        if not self.organizer_phone:
            return None
        digits = "".join(ch for ch in self.organizer_phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}"
