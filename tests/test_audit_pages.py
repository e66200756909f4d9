"""The pages ``parole audit`` checks: every page of the built site with its kind and title
(``site_pages``), and the collector's pages rendered in-process (``collector_pages``), each the
very page a running collector sends in the same situation."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from site_builder.answer_log.merkle import verify_inclusion
from site_builder.audit.collector_pages import (
    RECEIPT_CODE,
    collector_pages,
    sample_answer,
)
from site_builder.audit.site_pages import page_path, site_language, site_pages
from site_builder.collector.settings import catalogue
from site_builder.collector.validate import check
from site_builder.forms.manifest import read_manifest
from site_builder.messages import speaking
from site_builder.storage.receipts import format_receipt, normalise_receipt
from tests.collector_support import hidden_fields, running_collector
from tests.support import SITES, build_site

FORM = "avis-place"
KINDS = ("receipt", "proof", "errors", "closed", "not-open")


@pytest.fixture(scope="module")
def english_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(SITES / "english" / "mkdocs.yml",
                      tmp_path_factory.mktemp("english") / "site")


@pytest.fixture(scope="module")
def forms_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(SITES / "forms" / "mkdocs.yml", tmp_path_factory.mktemp("forms") / "site")


# --- site_pages ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("relative", "path"), [
    ("index.html", "/"), ("faq/index.html", "/faq/"), ("a/b/index.html", "/a/b/"),
    ("404.html", "/404.html"), ("faq.html", "/faq.html"), ("not-index.html", "/not-index.html"),
    ("papier/avis/index.html", "/papier/avis/")])
def test_an_index_is_asked_as_its_folder(relative: str, path: str) -> None:
    assert page_path(relative) == path


def test_every_page_of_the_example_with_its_kind_and_title(example_site: Path) -> None:
    pages = site_pages(example_site)
    assert [page.path for page in pages] == sorted(page.path for page in pages)
    html_files = sorted(example_site.rglob("*.html"))
    assert len(pages) == len(html_files)
    kinds = {page.path: page.kind for page in pages}
    assert kinds["/"] == "page" and kinds["/faq/"] == "page"
    assert kinds["/404.html"] == "not_found"
    assert kinds["/papier/avis-place/"] == "paper"
    assert kinds["/plan-du-site/"] == "site_map"
    assert kinds["/consultation-hors-ligne.html"] == "low_data"
    # The example publishes its own audit's report beside its statement (content/audit/).
    assert kinds["/audit/"] == "report" and "collector" not in kinds.values()
    labels = {page.path: page.label for page in pages}
    assert labels["/faq/"] == "Questions fréquentes — Réaménager la place du Marché"
    assert labels["/papier/avis-place/"].startswith("Votre avis sur la place du Marché")


def test_the_kinds_follow_the_site_language(english_site: Path) -> None:
    kinds = {page.path: page.kind for page in site_pages(english_site)}
    assert site_language(english_site) == "en"
    assert kinds["/low-data.html"] == "low_data"
    assert kinds["/site-map/"] == "site_map"
    assert kinds["/404.html"] == "not_found"
    assert "paper" not in kinds.values()  # no form, no paper version
    assert kinds["/costs/"] == "page"


def test_a_published_report_is_a_report_and_files_in_progress_are_no_pages(
    example_site: Path, tmp_path: Path,
) -> None:
    site = shutil.copytree(example_site, tmp_path / "site")
    (site / "audit").mkdir(exist_ok=True)
    (site / "audit" / "index.html").write_text(
        "<!doctype html><html lang=fr><title>Rapport d\u2019audit</title>", encoding="utf-8")
    (site / ".index.html.partial.html").write_text("x", encoding="utf-8")
    (site / ".cache").mkdir()
    (site / ".cache" / "page.html").write_text("x", encoding="utf-8")
    (site / "untitled.html").write_text("<p>no title</p>", encoding="utf-8")
    pages = {page.path: page for page in site_pages(site)}
    assert pages["/audit/"].kind == "report" and pages["/audit/"].label == "Rapport d\u2019audit"
    assert not [path for path in pages if "/." in path]
    assert pages["/untitled.html"].label == "/untitled.html"


def test_the_language_comes_from_the_home_page_without_forms(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<!doctype html><html lang="ar" dir="rtl">',
                                         encoding="utf-8")
    assert site_language(tmp_path) == "ar"
    assert site_language(tmp_path / "nowhere") is None


# --- collector_pages ----------------------------------------------------------------------------

def test_every_kind_of_collector_page_for_every_form(example_site: Path) -> None:
    with speaking("fr"):
        pages = collector_pages(example_site)
    expected = [f"/collect/{FORM}/{name}.html" for name in KINDS] + ["/collect/not-found.html"]
    assert sorted(pages) == sorted(expected)
    for path, (page, html) in pages.items():
        assert page.path == path and page.kind == "collector"
        assert html.startswith("<!doctype html>") and '<html lang="fr"' in html
        assert '<meta name="robots" content="noindex, nofollow">' in html
    labels = {path: page.label for path, (page, _html) in pages.items()}
    assert labels[f"/collect/{FORM}/receipt.html"] == f"Collecteur : reçu ({FORM})"
    assert labels["/collect/not-found.html"] == "Collecteur : page introuvable"


def test_a_form_without_opening_day_has_no_not_open_page(forms_site: Path) -> None:
    pages = collector_pages(forms_site)
    manifests = [read_manifest(path) for path in sorted((forms_site / "forms").glob("*.json"))]
    assert manifests
    for manifest in manifests:
        folder = f"/collect/{manifest.form.id}"
        assert f"{folder}/receipt.html" in pages
        assert (f"{folder}/closed.html" in pages) == (manifest.closes is not None)
        assert (f"{folder}/not-open.html" in pages) == (manifest.opens is not None)


def test_a_site_without_forms_has_no_collector_page(english_site: Path) -> None:
    assert collector_pages(english_site) == {}


def test_the_sample_answer_is_one_the_validator_takes_whole(
    example_site: Path, forms_site: Path,
) -> None:
    for site in (example_site, forms_site):
        for path in sorted((site / "forms").glob("*.json")):
            manifest = read_manifest(path)
            answer = sample_answer(manifest.form, manifest.language)
            checked = check(manifest.form, answer, catalogue(manifest.language))
            assert checked.ok, (path.name, checked.errors)
            assert set(answer) == {field.id for field in manifest.form.fields}, path.name


def test_the_receipt_code_is_a_valid_one() -> None:
    assert normalise_receipt(RECEIPT_CODE) == RECEIPT_CODE


# --- the same pages as a running collector's ----------------------------------------------------

@pytest.fixture(scope="module")
def rendered(example_site: Path) -> dict[str, str]:
    with speaking("fr"):
        return {path: html for path, (_page, html) in collector_pages(example_site).items()}


def _post_pairs(site: Path, values: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [*hidden_fields(site), *((name, value) for name, given in values.items()
                                    for value in given)]


def test_closed_not_open_and_errors_are_what_the_collector_sends(
    example_site: Path, rendered: dict[str, str], tmp_path: Path,
) -> None:
    database = f"sqlite:///{tmp_path / 'answers.db'}"
    manifest = read_manifest(example_site / "forms" / f"{FORM}.json")
    mistaken = [*hidden_fields(example_site), ("courriel", "pas-une-adresse"),
                ("age", "deux cents"), ("stationnement", "deux cents")]
    mistaken = [pair for pair in mistaken
                if pair[0].startswith("_") or pair[0] in
                {field.id for field in manifest.form.fields
                 if field.type in ("email", "number")}]
    with running_collector(example_site, database, tmp_path, day="2027-03-05") as closed:
        reply = closed.post(_post_pairs(example_site, {}))
        assert reply.status == 410
        assert reply.text == rendered[f"/collect/{FORM}/closed.html"]
    with running_collector(example_site, database, tmp_path, day="2026-12-01") as early:
        reply = early.post(_post_pairs(example_site, {}))
        assert reply.status == 403
        assert reply.text == rendered[f"/collect/{FORM}/not-open.html"]
    with running_collector(example_site, database, tmp_path, day="2027-01-10") as open_:
        reply = open_.post(mistaken)
        assert reply.status == 400
        assert reply.text == rendered[f"/collect/{FORM}/errors.html"]
        reply = open_.request("GET", "/collect/nowhere")
        assert reply.status == 404
        assert reply.text == rendered["/collect/not-found.html"]


def test_the_receipt_is_what_the_collector_shows(
    example_site: Path, rendered: dict[str, str], tmp_path: Path,
) -> None:
    """The same answer sent to a collector on the opening day: the same page, but for the
    receipt code, the day it was received (the collector's clock), the leaf hash (its salt is
    random) and the proof page's address (the audit publishes its own)."""
    database = f"sqlite:///{tmp_path / 'answers.db'}"
    manifest = read_manifest(example_site / "forms" / f"{FORM}.json")
    values = sample_answer(manifest.form, manifest.language)
    with running_collector(example_site, database, tmp_path, day="2027-01-04") as collector:
        stored = collector.post(_post_pairs(example_site, values))
        assert stored.status == 303, stored.text
        page = collector.request("GET", stored.headers["location"]).text
    code = stored.headers["location"].rsplit("/", 2)[1]
    ours = rendered[f"/collect/{FORM}/receipt.html"]
    varying = (re.compile(r"<p>Réponse reçue le [^<]*</p>"),
               re.compile(r'(<code class="p-hash"[^>]*>)[0-9a-f ]+(</code>)'),
               re.compile(r'(<a href=")/collect/[^"]+/(?:preuve|proof(?:\.html)?)(">)'))

    def same_parts(html: str, code: str) -> str:
        html = html.replace(format_receipt(code), "CODE")
        for pattern in varying:
            assert pattern.search(html), pattern.pattern
            html = pattern.sub(r"\1\2" if pattern.groups else "", html)
        return html

    assert same_parts(page, code) == same_parts(ours, RECEIPT_CODE)
    assert "Tous les jours" in ours  # an option's label, not its value
    assert "n\u2022\u2022\u2022@exemple.fr" in ours  # masked, as the collector masks it


def test_the_proof_page_shows_a_signed_journal_whose_proof_holds(
        rendered: dict[str, str]) -> None:
    """The audit's proof page (issue #19) reads as a citizen's does once a checkpoint covers
    their answer: the number and hash, the signed checkpoint, proof steps that really lead to
    its root, and the verifier's command; the receipt links to it."""
    html = rendered[f"/collect/{FORM}/proof.html"]
    hashes = [bytes.fromhex(found.replace(" ", "")) for found in re.findall(
        r'<code class="p-hash"[^>]*>([0-9a-f ]+)</code>', html)]
    leaf, root, *steps = hashes
    assert len(steps) == 2  # leaf 0 of 3
    verify_inclusion(leaf, 0, 3, steps, root)
    assert "consultation.example/journal\n3\n" in html  # the signed note, in a <pre>
    assert "--index 0 --leaf-hash " + leaf.hex() in html
    assert f'href="/collect/{FORM}/proof.html"' in rendered[f"/collect/{FORM}/receipt.html"]
