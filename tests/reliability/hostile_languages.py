"""Hostile values of the languages a mediator gives (issue #18), as ``hostile_cases.py`` writes
its corpus: data, one distinct hostile thing per case, with the status the docs promise and a
phrase of the page (French: the mediators' pages are in the collector's language).

Three categories, sent by ``test_hostile_languages.py`` with a signed-in mediator's cookie and
CSRF token to the three-language sample site (fr, ar, en):

- **the batch form's language** (``batch_cases``): the paper version's language, anything but
  one of the form's languages as the manifest writes it (unknown, empty, in capitals, a region,
  full-width, 60 000 characters, markup, twice): the form again saying so at the question
  (400), the "not from this page" refusal for a name sent twice (400), the body's refusal for
  a NUL (400); no batch opened;
- **the assisted answer's ``_language``** (``assisted_cases``): read as the online form's is, so
  anything but one of the form's languages is the form's own and the answer is stored (303),
  in French; sent twice or with a NUL, refused (400). The test then checks every stored
  language is one of the form's;
- **the assisted page's ``?language=``** (``address_cases``): the page (200) with the form's own
  language chosen, whatever the address says.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from tests.reliability.hostile_cases import (
    FORM_TYPE,
    REFUSED,
    Case,
    Outcome,
    RawRequest,
    encoded,
    fullwidth,
)

AREA = "/collect/saisie"
FORM_ID = "jardin-oliviers"
NEW_BATCH = f"{AREA}/batches/new"
ASSISTED = f"{AREA}/assisted/{FORM_ID}"
NOT_A_LANGUAGE = "Choisissez la langue des feuilles parmi celles du questionnaire."
UNREADABLE = "Nous n\u2019avons pas pu lire ce formulaire"
ASSISTED_TITLE = "Réponse accompagnée"
BATCH_CATEGORY = "batch form's language"
ASSISTED_CATEGORY = "assisted answer's language"
ADDRESS_CATEGORY = "assisted page's language in its address"
HOSTILE_LANGUAGES = {
    "an unknown language": "de",
    "an empty language": "",
    "a language in capitals": "AR",
    "a language with a region": "ar-MA",
    "a language in full-width letters": fullwidth("ar"),
    "a language of 60,000 characters": "a" * 60_000,
    "markup as the language": "<script>alert(1)</script>",
    "a language name instead of its code": "العربية",
    "spaces around a language": " ar ",
}
"""What a hostile client may send as a language instead of one of the form's codes. A NUL is
the body's business: refused before the value is read (``body.parse_body``, 400)."""


def _headers(cookie: str) -> tuple[tuple[str, str], ...]:
    return (("Content-Type", FORM_TYPE), ("Cookie", f"parole_entry={cookie}"))


def batch_cases(cookie: str, csrf: str) -> list[Case]:
    """Posts of the batch form whose other answers are sound."""
    sound = [("_csrf", csrf), ("form", FORM_ID), ("place_other", "Marché des Oliviers"),
             ("collected_on", "10/01/2027"), ("sheets_counted", "3")]

    def case(name: str, pairs: Sequence[tuple[str, str]], phrase: str) -> Case:
        return Case(BATCH_CATEGORY, name, RawRequest(encoded(pairs), target=NEW_BATCH,
                                                     headers=_headers(cookie)), 400, phrase)

    cases = [case(f"{what} for the paper version", [*sound, ("language", value)],
                  NOT_A_LANGUAGE) for what, value in HOSTILE_LANGUAGES.items()]
    cases.append(case("a language then a NUL for the paper version",
                      [*sound, ("language", "ar\x00")], REFUSED))
    cases.append(case("two languages for one batch",
                      [*sound, ("language", "ar"), ("language", "fr")], UNREADABLE))
    cases.append(case("the same language twice", [*sound, ("language", "ar"),
                                                   ("language", "ar")], UNREADABLE))
    cases.append(case("the online form's _language instead of language",
                      [*sound, ("_language", "ar")], UNREADABLE))
    return cases


def assisted_cases(cookie: str, hidden: Sequence[tuple[str, str]]) -> list[Case]:
    """Posts of the assisted form (``hidden``: its ``_csrf``, ``_form`` and ``_version``)
    answering its one required question, each a different answer's words."""
    def case(name: str, languages: Sequence[str], number: int, status: int, *,
             outcome: Outcome, phrase: str | None) -> Case:
        pairs = [*hidden, *(("_language", language) for language in languages),
                 ("envie", "oui"), ("idees", f"Idée {number}")]
        return Case(ASSISTED_CATEGORY, name, RawRequest(
            encoded(pairs), target=ASSISTED, headers=_headers(cookie)), status, phrase,
            outcome)

    cases = [case(f"{what} for the conversation (stored in French)", [value], number, 303,
                  outcome=Outcome.STORED, phrase=None)
             for number, (what, value) in enumerate(HOSTILE_LANGUAGES.items())]
    cases.append(case("a language then a NUL for the conversation", ["ar\x00"], 89, 400,
                      outcome=Outcome.PAGE, phrase=REFUSED))
    cases.append(case("two languages for one conversation", ["ar", "fr"], 90, 400,
                      outcome=Outcome.PAGE, phrase=REFUSED))
    cases.append(case("the same language twice", ["ar", "ar"], 91, 400,
                      outcome=Outcome.PAGE, phrase=REFUSED))
    return cases


def address_cases(cookie: str) -> list[Case]:
    """The assisted page asked for with a hostile ``?language=``."""
    queries = {what: f"language={quote(value)}" for what, value in HOSTILE_LANGUAGES.items()
               if len(value) < 1000}  # an address of 60,000 characters is the server's limit
    queries["two languages"] = "language=ar&language=de"
    queries["a language without a value"] = "language"
    queries["an encoded NUL as the language"] = "language=%00"
    queries["an undecodable byte as the language"] = "language=%FF"
    return [Case(ADDRESS_CATEGORY, f"{what} in the address", RawRequest(
        b"", method="GET", target=f"{ASSISTED}?{query}",
        headers=(("Cookie", f"parole_entry={cookie}"),)), 200, ASSISTED_TITLE)
        for what, query in queries.items()]
