"""The three-language sample site (tests/sites/multilingual, built strict) behind a real
collector (issue #18): each language's page posts the same form and version with its own
``_language``, the three answers land in one export with their language, and an answer sent
with a mistake from the Arabic page comes back inside the built Arabic page, in Arabic."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.i18n import Catalogue
from tests.collector_support import ADMIN_TOKEN, Reply, RunningCollector, running_collector
from tests.support import REPO, build_site

FORM_ID = "jardin-oliviers"
PAGES = {"fr": "donner-mon-avis", "ar": "ar/donner-mon-avis", "en": "en/donner-mon-avis"}
HIDDEN = re.compile(r'<input type="hidden" name="(_form|_version|_language)" value="([^"]*)">')
ROOT = re.compile(r"<html\b([^>]*)>")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(REPO / "tests/sites/multilingual/mkdocs.yml",
                      tmp_path_factory.mktemp("multilingual") / "site")


@pytest.fixture(scope="module")
def collector(site: Path, module_storage_url: str,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCollector]:
    with running_collector(site, module_storage_url, tmp_path_factory.mktemp("log"),
                           args=["--rate-limit", "0"]) as running:
        yield running


def hidden_fields(site: Path, language: str) -> list[tuple[str, str]]:
    """The hidden fields the built page in ``language`` sends with its form."""
    page = (site / PAGES[language] / "index.html").read_text(encoding="utf-8")
    return HIDDEN.findall(page)


def post(collector: RunningCollector, site: Path, language: str,
         *answers: tuple[str, str]) -> Reply:
    return collector.post([*hidden_fields(site, language), *answers])


def test_each_language_s_page_posts_one_form_with_its_language(site: Path) -> None:
    sent = {language: dict(hidden_fields(site, language)) for language in PAGES}
    assert {fields["_language"] for fields in sent.values()} == set(PAGES)
    assert all(fields["_language"] == language for language, fields in sent.items())
    assert len({(fields["_form"], fields["_version"]) for fields in sent.values()}) == 1


def test_answers_from_three_pages_land_in_one_export_with_their_language(
        collector: RunningCollector, site: Path) -> None:
    for language in PAGES:
        reply = post(collector, site, language, ("envie", "oui"),
                     ("idees", f"Une idée envoyée de la page {language}"))
        assert reply.status == 303, reply.text[:500]
        receipt = collector.request("GET", reply.headers["location"])
        assert ROOT.search(receipt.text).group(1).startswith(  # type: ignore[union-attr]
            f' lang="{language}"')
    export = collector.request("GET", f"/admin/export/{FORM_ID}.json",
                               headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    answers = json.loads(export.text)["answers"]
    by_idea = {answer["values"]["idees"][0]: answer["language"] for answer in answers}
    assert by_idea == {f"Une idée envoyée de la page {language}": language
                       for language in PAGES}
    assert len({answer["form_version"] for answer in answers}) == 1


def test_a_mistake_from_the_arabic_page_comes_back_in_the_built_arabic_page(
        collector: RunningCollector, site: Path) -> None:
    reply = post(collector, site, "ar", ("idees", "بدون جواب"))  # the required question left
    assert reply.status == 400
    assert ROOT.search(reply.text).group(1) == ' lang="ar" dir="rtl"'  # type: ignore[union-attr]
    assert Catalogue.for_language("ar")("form.error_prefix") in reply.text
    assert "هل تريدون الزراعة في الحديقة؟" in reply.text, "the question in Arabic"
    built = (site / PAGES["ar"] / "index.html").read_text(encoding="utf-8")
    titles = [re.search(r"<title>(.*?)</title>", page, re.DOTALL) for page in (built, reply.text)]
    site_title = [found.group(1).rpartition(" — ")[2] for found in titles if found]
    assert len(site_title) == 2 and site_title[0] == site_title[1], "framed by the Arabic page"
    assert 'name="_language" value="ar"' in reply.text
