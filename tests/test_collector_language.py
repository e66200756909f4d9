"""One form, several languages, through a real collector (issue #18): answers from the Arabic and
the French page land in one export with their language, on SQLite and on PostgreSQL; the
collector answers each in its page's language (receipt, errors, closed and not-open pages); a
``_language`` that is none of the form's is the form's own, never a refusal, never stored."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.i18n import Catalogue
from tests.collector_language_support import FORM_ID, SITE_NAMES, bilingual_site, the_form
from tests.collector_support import ADMIN_TOKEN, Reply, RunningCollector, running_collector
from tests.reliability.hostile_cases import fullwidth
from tests.support import assert_golden

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
ARABIC, FRENCH = Catalogue.for_language("ar"), Catalogue.for_language("fr")
HTML_ROOT = re.compile(r"<html\b([^>]*)>")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bilingual_site(tmp_path_factory.mktemp("bilingual"))


@pytest.fixture(scope="module")
def collector(site: Path, module_storage_url: str,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCollector]:
    with running_collector(site, module_storage_url, tmp_path_factory.mktemp("log"),
                           args=["--rate-limit", "0"]) as running:
        yield running


def post(collector: RunningCollector, idea: str, *extra: tuple[str, str],
         language: str | None = None, frequence: str | None = "jour") -> Reply:
    """An answer to ``avis`` (``idea`` makes each one another answer), from the page in
    ``language`` (None: a page that sends no ``_language``)."""
    form = the_form()
    pairs = [("_form", FORM_ID), ("_version", form.version)]
    if language is not None:
        pairs.append(("_language", language))
    pairs += [("frequence", frequence)] if frequence is not None else []
    pairs += [("idee", idea), *extra]
    return collector.post(pairs)


def root(reply: Reply) -> str:
    found = HTML_ROOT.search(reply.text)
    assert found, reply.text[:300]
    return found.group(1)


def export_rows(collector: RunningCollector) -> dict[str, dict[str, object]]:
    """The JSON export over HTTP, each answer by its idea."""
    reply = collector.request("GET", f"/admin/export/{FORM_ID}.json", headers=ADMIN)
    assert reply.status == 200, reply.text
    return {answer["values"]["idee"][0]: answer for answer in json.loads(reply.text)["answers"]
            if answer["values"].get("idee")}


def test_answers_from_the_arabic_and_the_french_page_land_in_one_export(
        collector: RunningCollector) -> None:
    arabic = post(collector, "Des bancs", language="ar")
    french = post(collector, "Des arbres", language="fr")
    assert (arabic.status, french.status) == (303, 303), arabic.text
    rows = export_rows(collector)
    assert (rows["Des bancs"]["language"], rows["Des arbres"]["language"]) == ("ar", "fr")
    assert list(rows["Des bancs"])[:4] == ["receipt", "received_at", "channel", "language"]
    # one form, one version: the Arabic answer is an answer to the same questions
    assert rows["Des bancs"]["form_version"] == rows["Des arbres"]["form_version"]
    assert rows["Des bancs"]["values"] == {"frequence": ["jour"], "idee": ["Des bancs"]}
    stats = json.loads(collector.request("GET", "/admin/stats", headers=ADMIN).text)
    [form] = stats  # one object per form
    assert form["per_language"]["ar"] >= 1 and form["per_language"]["fr"] >= 1
    assert next(iter(form["per_language"])) == "fr", "the form's own language first"


def test_the_receipt_is_in_the_language_of_the_page(collector: RunningCollector) -> None:
    sent = post(collector, "Un kiosque", language="ar")
    receipt = collector.request("GET", sent.headers["location"])
    assert receipt.status == 200
    assert root(receipt) == ' lang="ar" dir="rtl"'
    assert ARABIC("collector.receipt.heading") in receipt.text
    assert SITE_NAMES["ar"] in receipt.text, "framed by the Arabic page"
    assert "كل يوم" in receipt.text, "the answers as the Arabic form showed them"
    french = collector.request("GET", post(collector, "Un kiosque à journaux", language="fr")
                               .headers["location"])
    assert root(french) == ' lang="fr" dir="ltr"'
    assert FRENCH("collector.receipt.heading") in french.text


def test_the_form_comes_back_with_its_errors_in_arabic(
        collector: RunningCollector, request: pytest.FixtureRequest) -> None:
    reply = post(collector, "", language="ar", frequence=None)
    assert reply.status == 400
    assert root(reply) == ' lang="ar" dir="rtl"'
    assert SITE_NAMES["ar"] in reply.text
    assert ARABIC("form.error_prefix") in reply.text
    assert 'name="_language" value="ar"' in reply.text, "sent again from the Arabic page"
    assert_golden("collector/errors-ar.html", reply.text, request)


@pytest.mark.parametrize(("name", "given"), {
    "no _language (a page built before parole sent it)": None,
    "an empty language": "", "the tag in capitals": "AR", "a region": "ar-MA",
    "an underscore": "ar_MA", "a space before": " ar", "a language the form lacks": "en",
    "a path": "../ar", "an HTML tag": "<script>alert(1)</script>",
    "CR LF and a fake log line": "ar\r\nINFO answer stored", "full-width letters":
    fullwidth("ar"), "a zero-width space": "ar\u200b", "a 60 KB value": "a" * 60_000,
}.items())
def test_a_language_the_form_does_not_have_is_the_form_s_own(
        collector: RunningCollector, name: str, given: str | None) -> None:
    idea = f"Hostile : {name}"
    reply = post(collector, idea, language=given)
    assert reply.status == 303, reply.text[:500]
    assert export_rows(collector)[idea]["language"] == "fr"
    assert root(collector.request("GET", reply.headers["location"])) == ' lang="fr" dir="ltr"'


def test_a_language_sent_twice_is_refused(collector: RunningCollector) -> None:
    reply = post(collector, "Deux langues", ("_language", "fr"), language="ar")
    assert reply.status == 400
    assert "Deux langues" not in export_rows(collector)


@pytest.mark.parametrize("case", [
    ("2027-03-05", 410, "collector.closed.prefix"),
    ("2027-01-02", 403, "collector.not_open.prefix"),
])
def test_closed_and_not_yet_open_pages_speak_the_page_s_language(
        site: Path, module_storage_url: str, tmp_path: Path, case: tuple[str, int, str],
) -> None:
    day, status, key = case
    with running_collector(site, module_storage_url, tmp_path, day=day,
                           args=["--rate-limit", "0"]) as other_day:
        arabic = post(other_day, "Trop tard", language="ar")
        french = post(other_day, "Trop tard", language="fr")
    assert (arabic.status, french.status) == (status, status)
    assert root(arabic) == ' lang="ar" dir="rtl"'
    assert ARABIC(key) in arabic.text and SITE_NAMES["ar"] in arabic.text
    assert root(french) == ' lang="fr" dir="ltr"'
    assert FRENCH(key) in french.text
