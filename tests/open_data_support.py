"""Results files for the open data tests (tests/test_open_data*.py), built the way ``parole
results`` builds them: raw counts protected by ``protect`` (so small and hidden counts appear
where they would), and the helpers that read the written files back."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from site_builder.i18n import Catalogue
from site_builder.results.file import (
    FreeTextResult,
    OptionResult,
    QuestionResult,
    Quote,
    ResultsFile,
)
from site_builder.results.open_data import write_open_data
from site_builder.results.protect import protect
from site_builder.site import SiteInfo
from site_builder.storage.moderation import OTHER_REASON, REJECT_REASONS
from tests import support

MIN_COUNT = 5
FORMULA_QUOTES = ("=HYPERLINK(\"https://piege.example\";\"clic\")", "+33 6 12 34 56 78",
                  "-5 % de voitures, ce serait bien", "@maire", "\tdécalé", "'déjà entre '",
                  "\uff1d1+1")
"""Approved quotes a spreadsheet would run (or, the last but one, one that starts with the
``'`` the rule adds)."""


def _question(field_id: str, label: str, kind: str, options: dict[str, int], *,
              labels: dict[str, str | None], missing: tuple[int, int, int]) -> QuestionResult:
    """``missing``: the skipped, blank and spoiled counts."""
    skipped, blank, spoiled = missing
    counts = protect({**options, "\0skipped": skipped, "\0blank": blank,
                      "\0spoiled": spoiled}, MIN_COUNT)
    return QuestionResult(
        id=field_id, label=label, type=kind,
        options=tuple(OptionResult(value, labels[value], counts[value]) for value in options),
        skipped=counts["\0skipped"], blank=counts["\0blank"], spoiled=counts["\0spoiled"])


def place_results() -> ResultsFile:
    """Form ``avis``: 42 answers over five days, on every channel, two closed questions (one
    taking several answers, one with a value an older version offered), a free-text question
    with its moderation figures and approved quotes, formula-looking ones among them."""
    days = [date(2027, 2, 1) + timedelta(days=number) for number in range(5)]
    rejected = dict(zip((*REJECT_REASONS, OTHER_REASON), (6, 0, 1, 0, 0), strict=True))
    moderation = protect({"consented": 30, "not_consented": 10}, MIN_COUNT)
    outcomes = protect({"approved": 22, **rejected, "to_moderate": 1}, MIN_COUNT)
    quotes = (
        Quote("idee", "Des bancs à l\u2019ombre, près de la fontaine.", "Mobilier"),
        Quote("idee", "Plus d\u2019arbres, « vraiment »\nsur deux lignes, avec des \"guillemets\".",
              "Arbres"),
        Quote("idee", "Le marché du jeudi, comme M. […] l\u2019a proposé.", None),
        *(Quote("idee", text, "Pièges") for text in FORMULA_QUOTES),
    )
    return ResultsFile(
        form_id="avis", title="Votre avis sur la place",
        computed_at=datetime(2027, 3, 1, 9, 30, tzinfo=UTC), min_count=MIN_COUNT, answers=42,
        per_channel=protect({"online": 31, "paper": 9, "assisted": 2}, MIN_COUNT),
        per_day=protect(dict(zip(days, (12, 0, 20, 3, 7), strict=True)), MIN_COUNT),
        questions=(
            _question("usages", "Que faites-vous sur la place ?", "choices",
                      {"marche": 22, "passage": 15, "+65": 4, "terrasse": 11},
                      labels={"marche": "Marché", "passage": "Passage", "+65": "+ de 65 ans",
                              "terrasse": "Terrasse"}, missing=(3, 0, 1)),
            _question("accord", "Êtes-vous d\u2019accord avec le projet ?", "scale",
                      {"1": 2, "2": 5, "3": 10, "4": 12, "5": 8, "6": 0},
                      labels={"1": "1", "2": "2", "3": "3", "4": "4", "5": "5", "6": None},
                      missing=(4, 0, 1)),
        ),
        free_text=(FreeTextResult(
            id="idee", label="Une idée pour la place ?", answered=40,
            consented=moderation["consented"], not_consented=moderation["not_consented"],
            approved=outcomes["approved"],
            rejected={reason: outcomes[reason] for reason in rejected},
            to_moderate=outcomes["to_moderate"]),),
        quotes=quotes, publish_consent="accord-citation")


def empty_results() -> ResultsFile:
    """Form ``velo``: closed before anyone answered; no free text, so no quote."""
    return ResultsFile(
        form_id="velo", title=None, computed_at=datetime(2027, 3, 1, 9, 0, tzinfo=UTC),
        min_count=MIN_COUNT, answers=0,
        per_channel=protect({"online": 0, "paper": 0, "assisted": 0}, MIN_COUNT),
        per_day=protect({date(2027, 2, 1): 0, date(2027, 2, 2): 0}, MIN_COUNT),
        questions=(_question("trajet", "Comment venez-vous ?", "choice",
                             {"velo": 0, "pied": 0}, labels={"velo": "À vélo", "pied": "À pied"},
                             missing=(0, 0, 0)),))


def site_info(language: str = "fr") -> SiteInfo:
    return SiteInfo(title="Réaménager la place du marché", organizer_name="Ville d\u2019Essai",
                    organizer_email="mairie@essai.example", organizer_phone=None,
                    organizer_address=None, language=language, direction="ltr",
                    footer_links=(), site_map_url=None)


def write(site_dir: Path, results: list[ResultsFile] | None = None, *, language: str = "fr",
          licence: str = "etalab-2.0", site_url: str | None = "https://essai.example/") \
        -> list[Path]:
    return write_open_data(site_dir, [place_results(), empty_results()] if results is None
                           else results, licence=licence,
                           catalogue=Catalogue.for_language(language),
                           site=site_info(language), site_url=site_url)


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file as the open data writes it (BOM, header row)."""
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode()), path.name
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def assert_bytes_golden(name: str, actual: bytes, request: pytest.FixtureRequest) -> None:
    """``actual`` equals ``tests/goldens/open_data/<name>`` byte for byte."""
    support.assert_bytes_golden(f"open_data/{name}", actual, request)
