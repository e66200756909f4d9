"""What the collector stores with an answer: when it expires, and what makes two posts one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from site_builder.calendar import Calendar
from site_builder.collector.answers import expiry, fingerprint
from site_builder.forms.manifest import Manifest
from tests.test_form_parse import EXPECTED

MANIFEST = Manifest(form=EXPECTED, page_url="avis/", language="fr", closes=date(2027, 2, 28),
                    version=EXPECTED.version, retention_days=365)
NOW = datetime(2027, 1, 10, 15, 30, tzinfo=UTC)


def test_an_answer_expires_on_the_deletion_day_the_site_announces() -> None:
    announced = Calendar(closes=date(2027, 2, 28), retention_days=365).deletion_date
    assert expiry(MANIFEST, NOW) == datetime(2028, 2, 28, tzinfo=UTC)
    assert announced == expiry(MANIFEST, NOW).date()


def test_without_a_closing_day_an_answer_is_kept_retention_days_from_its_arrival() -> None:
    assert expiry(replace(MANIFEST, closes=None), NOW) == datetime(2028, 1, 10, 15, 30,
                                                                    tzinfo=UTC)


def test_the_fingerprint_changes_with_any_value_and_keeps_order() -> None:
    first = fingerprint(MANIFEST, {"frequence": ["jour"], "usages": ["a", "b"]})
    assert first == fingerprint(MANIFEST, {"frequence": ["jour"], "usages": ["a", "b"]})
    assert first != fingerprint(MANIFEST, {"frequence": ["jour"], "usages": ["b", "a"]})
    assert first != fingerprint(MANIFEST, {"frequence": ["semaine"], "usages": ["a", "b"]})
    assert first != fingerprint(replace(MANIFEST, version="0" * 16),
                                {"frequence": ["jour"], "usages": ["a", "b"]})
