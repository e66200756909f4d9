"""The example consultation's results (issue #16, section 5): the results file committed with
it (``content/parole-results/avis-place.json``, written by ``scripts/example_results.py``
through the real ``parole results``) still fits the example's form and holds only protected
counts; built before ``closes`` its results page shows only a notice, built after (as
``PAROLE_BUILD_DATE=2027-06-01 parole build``) the whole site is concluded: the banner, the
closed form's notice, the results page with figures, quotes and decisions, and the open data.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.forms.manifest import manifest_path, read_manifest
from site_builder.forms.model import Field
from site_builder.results.file import COUNTED_TYPES, FREE_TEXT_TYPES, ResultsFile, read_results
from site_builder.results.protect import HIDDEN, SMALL, Count
from tests import pa11y_support
from tests.collector_support import PAROLE
from tests.support import REPO, serve_site

RESULTS = REPO / "content" / "parole-results" / "avis-place.json"
BEFORE, AFTER = "2027-02-10", "2027-06-01"
BUDGET = 14 * 1024


def read(path: Path) -> str:
    """A built page, its no-break spaces (French typography) as plain spaces."""
    return path.read_text(encoding="utf-8").replace("\u00a0", " ").replace("\u202f", " ")


def build(folder: Path, day: str) -> Path:
    """The example built by ``parole build`` on ``day`` into ``folder/site``."""
    site = folder / "site"
    done = subprocess.run([str(PAROLE), "build", "--site-dir", str(site)], cwd=REPO,
                          capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "LANG": "C.UTF-8", "PAROLE_BUILD_DATE": day})
    assert done.returncode == 0, done.stderr
    return site


@pytest.fixture(scope="module")
def before(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("example-open"), BEFORE)


@pytest.fixture(scope="module")
def after(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("example-concluded"), AFTER)


@pytest.fixture(scope="module")
def results() -> ResultsFile:
    found, problems = read_results(RESULTS, "parole-results/avis-place.json")
    assert found is not None, [str(problem) for problem in problems]
    return found


def counts(results: ResultsFile) -> Iterator[tuple[str, Count]]:
    """Every protected count of the file, with where it is (not the exact totals)."""
    yield from (("per_channel." + key, count) for key, count in results.per_channel.items())
    yield from ((f"per_day.{day}", count) for day, count in results.per_day.items())
    for question in results.questions:
        for option in question.options:
            yield f"{question.id}.{option.value}", option.count
        for key in ("skipped", "blank", "spoiled"):
            yield f"{question.id}.{key}", getattr(question, key)
    for free in results.free_text:
        for key in ("consented", "not_consented", "approved", "to_moderate"):
            yield f"{free.id}.{key}", getattr(free, key)
        yield from ((f"{free.id}.rejected.{reason}", count)
                    for reason, count in free.rejected.items())


def offered(field: Field) -> list[str]:
    if field.type == "scale":
        assert field.min is not None and field.max is not None
        return [str(step) for step in range(int(field.min), int(field.max) + 1)]
    return [option.value for option in field.options]


def test_the_committed_results_file_fits_the_example_form(
        results: ResultsFile, before: Path) -> None:
    """Change the example's form, and this fails until scripts/example_results.py is run."""
    form = read_manifest(manifest_path(before, "avis-place")).form
    assert results.form_id == form.id and results.title == form.title
    assert results.publish_consent == form.publish_consent == "citation"
    closed = [field for field in form.fields if field.type in COUNTED_TYPES]
    assert [(question.id, question.label, question.type) for question in results.questions] \
        == [(field.id, field.label, field.type) for field in closed]
    for question, field in zip(results.questions, closed, strict=True):
        assert [option.value for option in question.options] == offered(field), field.id
        if field.type != "scale":
            assert [option.label for option in question.options] \
                == [option.label for option in field.options]
    assert [free.id for free in results.free_text] \
        == [field.id for field in form.fields if field.type in FREE_TEXT_TYPES]
    assert {quote.question for quote in results.quotes} == {"idee"}
    assert results.answers == sum(count for count in results.per_channel.values()
                                  if isinstance(count, int)) == 786
    assert sorted(results.per_day) == sorted(set(results.per_day))
    assert min(results.per_day).isoformat() == "2027-01-04"
    assert max(results.per_day).isoformat() == "2027-02-28"


def test_the_committed_results_file_holds_no_count_below_min_count(
        results: ResultsFile) -> None:
    found = list(counts(results))
    assert len(found) > 100
    low = [(where, count) for where, count in found
           if isinstance(count, int) and count < results.min_count]
    assert low == []
    assert {count for _, count in found if not isinstance(count, int)} <= {SMALL, HIDDEN}
    assert any(count == SMALL for _, count in found)  # the example shows the rule at work


def test_before_closing_the_results_page_only_says_when_results_come(before: Path) -> None:
    page = read(before / "resultats" / "index.html")
    assert "Les résultats seront publiés sur cette page après la fin de la consultation, " \
        "le dimanche 28 février 2027." in page
    assert "<figure" not in page and "Ce qui a été décidé" not in page
    assert "Des toilettes publiques" not in page
    assert not (before / "donnees").exists()
    form = (before / "donner-mon-avis" / "index.html").read_text(encoding="utf-8")
    assert 'name="citation"' in form and "onze questions" in form


def test_after_closing_the_example_is_concluded(after: Path, results: ResultsFile) -> None:
    for path in ("index.html", "resultats/index.html", "faq/index.html"):
        page = (after / path).read_text(encoding="utf-8")
        assert 'class="p-status p-status--concluded"' in page, path
    form = (after / "donner-mon-avis" / "index.html").read_text(encoding="utf-8")
    assert "Ce questionnaire est fermé" in form and 'name="citation"' not in form
    assert '<a href="../resultats/">Découvrir ce que nous avons entendu et ce qui a été décidé' \
        in form
    page = read(after / "resultats" / "index.html")
    assert page.count("<figure") == 2 + len(results.questions)
    assert page.count("<blockquote>") == len(results.quotes) == 10
    assert "Comme le dit […], il manque un passage piéton" in page and "Perrin" not in page
    for status in ("adoptée", "adaptée", "à l\u2019étude"):
        assert f"Décision : {status}" in page, status
    assert "786 réponses, dont 560 en ligne, 194 sur papier et 32 avec l\u2019aide" in page
    assert (after / "donnees" / "datapackage.json").is_file()
    assert (after / "donnees" / "avis-place-quotes.csv.gz").is_file()


@pytest.mark.parametrize("path", ["resultats/index.html", "donner-mon-avis/index.html"])
def test_within_the_page_budget_open_and_concluded(before: Path, after: Path,
                                                   path: str) -> None:
    for site in (before, after):
        report = json.loads((site / "page-weight.json").read_text(encoding="utf-8"))
        [page] = [page for page in report["pages"] if page["path"] == path]
        assert page["total"] <= BUDGET and not page["over_budget"], (site, page)


def test_the_example_s_open_data_validates_with_frictionless(after: Path) -> None:
    import frictionless  # noqa: PLC0415 (the dev extras' library, as a reuser would check)

    report = frictionless.validate(str(after / "donnees" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])


@pytest.mark.pa11y
def test_the_concluded_example_passes_pa11y(after: Path, tmp_path: Path) -> None:
    pages = ("resultats/", "", "donner-mon-avis/")
    with serve_site(after) as base:
        urls = {base + page: page or "index.html" for page in pages}
        reports = pa11y_support.run_pa11y_ci(list(urls), tmp_path)
    failed = [report for report in reports.values() if report.failed]
    assert not failed, pa11y_support.describe_failures(list(reports.values()),
                                                       lambda url: urls[url])
