"""Lists are written with the separator of their language (issue #18): "a, b" in French and
English, "a، b" in Arabic (the Arabic comma), from the theme catalogue's ``list.separator``
(``Catalogue.joined``), wherever a list reaches a page: the results page's lists, a decision's
references, the mediators' "typed by" and the moderators' chosen themes, and the organizer's
name and address where paper answers go."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from site_builder.collector.entry.review_batch_page import typed_by
from site_builder.forms.paper import organizer_place
from site_builder.i18n import Catalogue
from site_builder.results.words import listed
from site_builder.site import SiteInfo
from site_builder.storage.entry import Sheet, StoredEntry

FR = Catalogue.for_language("fr")
EN = Catalogue.for_language("en")
AR = Catalogue.for_language("ar")
ARABIC_COMMA = "\u060c"
SITE_AR = SiteInfo(title="الساحة", organizer_name="بلدية بلفال", organizer_email=None,
                   organizer_phone=None, organizer_address="ساحة البلدية 1", language="ar",
                   direction="rtl", footer_links=(), site_map_url=None)


@pytest.mark.parametrize(("catalogue", "joined"), [
    (FR, "jardin, place, gare"), (EN, "jardin, place, gare"),
    (AR, f"jardin{ARABIC_COMMA} place{ARABIC_COMMA} gare")])
def test_each_language_joins_a_list_with_its_own_separator(catalogue: Catalogue,
                                                           joined: str) -> None:
    assert catalogue.joined(["jardin", "place", "gare"]) == joined
    assert catalogue.joined(iter(["seul"])) == "seul"


def test_a_results_list_in_arabic_uses_the_arabic_comma() -> None:
    assert listed(["الحديقة", "الساحة", "المحطة"], AR) == "الحديقة، الساحة والمحطة"
    assert listed(["jardin", "place", "gare"], FR) == "jardin, place et gare"
    assert listed(["أ", "ب"], AR) == "أ وب"  # two items: no separator at all


def test_who_typed_a_sheet_is_listed_with_the_arabic_comma() -> None:
    typed = datetime(2027, 2, 1, 10, 0)
    sheet = Sheet(batch_id=1, number=1, receipt="ABCD", state="differs", entries=(
        StoredEntry(1, "Awa", typed, {}, {}, discarded=True),
        StoredEntry(2, "Karim", typed, {}, {}),
        StoredEntry(3, "Lina", typed, {}, {})))
    assert typed_by(AR, sheet).count(ARABIC_COMMA) == 2
    assert typed_by(AR, sheet).endswith("، Karim، Lina")
    assert typed_by(FR, sheet).endswith(", Karim, Lina")


def test_the_organizer_place_is_separated_as_its_words_are_written() -> None:
    """Arabic words (given in Arabic, or a site written in Arabic) take the Arabic comma; the
    default language's words on an Arabic page keep theirs (a French comma in French text)."""
    assert organizer_place(SITE_AR, AR) == ["بلدية بلفال، ساحة البلدية 1"]
    french_words = replace(SITE_AR, organizer_name="Ville de Belval",
                           organizer_address="1 place de la Mairie", words_language="fr")
    assert organizer_place(french_words, AR) == ["Ville de Belval, 1 place de la Mairie"]
    given_in_arabic = replace(SITE_AR, words_language="fr",
                              translated_words={"organizer.name": "ar",
                                                "organizer.address": "ar"})
    assert organizer_place(given_in_arabic, AR) == ["بلدية بلفال، ساحة البلدية 1"]
    assert organizer_place(replace(SITE_AR, organizer_address=None), AR) == ["بلدية بلفال"]
