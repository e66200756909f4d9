"""Interface strings: French by default, English fallback, direction by language."""

from __future__ import annotations

import pytest

from site_builder.i18n import Catalogue, available_languages, base_language, text_direction


@pytest.mark.parametrize(("language", "direction"), [
    ("ar", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("fa-IR", "rtl"), ("fr", "ltr"), ("en_GB", "ltr")])
def test_direction_follows_the_language(language: str, direction: str) -> None:
    assert text_direction(language) == direction


def test_region_is_ignored_for_catalogues() -> None:
    assert base_language("fr_BE") == "fr"
    assert Catalogue.for_language("fr-BE")("site_map.title") == Catalogue.for_language("fr")(
        "site_map.title")


def test_french_and_english_catalogues_ship() -> None:
    assert {"fr", "en"} <= set(available_languages())
    assert Catalogue.for_language("fr")("site_map.slug") == "plan-du-site"
    assert Catalogue.for_language("en")("site_map.slug") == "site-map"


def test_a_language_without_catalogue_falls_back_to_english() -> None:
    german = Catalogue.for_language("de")
    assert not german.complete
    assert german("site_map.title") == Catalogue.for_language("en")("site_map.title")


def test_an_unknown_key_says_where_strings_live() -> None:
    with pytest.raises(KeyError, match=r"theme/locales/en\.yml"):
        Catalogue.for_language("fr")("no.such.key")
