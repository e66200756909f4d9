"""What a citizen sees of the public journal of answers (issue #19): the receipt's number and
leaf hash with links to the proof and explanation pages, and the proof page
(``<action>/<code>/<key>/preuve``) before and after a checkpoint covers the answer, in the
answer's language, on SQLite and PostgreSQL; an answer without a leaf (pending, quarantined)
reads the same whatever the reason."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path

import pytest

from site_builder.answer_log.checkpoint import Checkpoint, sign_checkpoint
from site_builder.answer_log.entry import AnswerFields, answer_entry
from site_builder.answer_log.merkle import MemoryTree, inclusion_proof, leaf_hash, verify_inclusion
from site_builder.answer_log.note import generate_key
from site_builder.answer_log_commands.head import sign_head
from site_builder.answer_log_commands.prove import AnswerProof
from site_builder.collector.journal_pages import (
    AnswerInJournal,
    next_checkpoint_due,
    proof_page,
)
from site_builder.collector.lookup import receipt_path
from site_builder.collector.pages import receipt_page
from site_builder.collector.settings import Collector, Settings
from site_builder.collector.shell import Shell
from site_builder.forms.manifest import Manifest, read_manifest
from site_builder.forms.posted import HONEYPOT_NAME
from site_builder.i18n import Catalogue
from site_builder.storage import open_storage
from site_builder.storage.answer_log import LogLeaf, StoredCheckpoint
from site_builder.storage.base import Storage, StoredAnswer
from tests.collector_language_support import FORM_ID, bilingual_site, the_form
from tests.collector_support import RunningCollector, collector_in_thread
from tests.support import assert_golden

ORIGIN = "consultation.example.org/journal"
SIGNER = generate_key(ORIGIN, seed=bytes(range(32)))
NOW = datetime(2027, 1, 20, 9, 30, tzinfo=UTC)
HASH_GROUPS = re.compile(r'<code class="p-hash" dir="ltr" translate="no">([0-9a-f ]+)</code>')
MAIN = re.compile(r"<main\b.*?</main>", re.DOTALL)


# --- the pages, rendered with fixed values (goldens) -----------------------------------------

def _leaves(count: int) -> list[LogLeaf]:
    leaves = []
    for index in range(count):
        fields = AnswerFields(form="avis", version="v1", values={"idee": [f"idée {index}"]},
                              channel="online", received=NOW, language="fr", marks={})
        entry = answer_entry(fields, bytes([index]) * 16)
        leaves.append(LogLeaf(index, f"CODE{index:04d}", entry, leaf_hash(entry), "current",
                              bytes([index]) * 16, NOW))
    return leaves


def _proof(size: int, index: int) -> AnswerProof:
    leaves = _leaves(size)
    tree = MemoryTree([leaf.leaf_hash for leaf in leaves])
    note = sign_checkpoint(Checkpoint(ORIGIN, size, tree.root()), SIGNER)
    stored = StoredCheckpoint(size, tree.root(), note, NOW)
    return AnswerProof(leaves[index].receipt, leaves[index], stored,
                       tuple(inclusion_proof(index, size, tree.hash_at)))


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    site = bilingual_site(tmp_path_factory.mktemp("journal-pages"))
    return read_manifest(site / "forms" / f"{FORM_ID}.json")


def _page(manifest: Manifest, found: AnswerProof | None, language: str, *,
          next_due: datetime | None = None) -> str:
    html = proof_page(Shell.minimal(language), manifest, found, Catalogue.for_language(language),
                      receipt="ABCDEFGH", explained_at="/journal/", next_due=next_due)
    found_main = MAIN.search(html)
    assert found_main
    return found_main.group(0) + "\n"


def test_the_proof_page_matches_its_golden(manifest: Manifest,
                                           request: pytest.FixtureRequest) -> None:
    found = _proof(5, 3)
    html = _page(manifest, found, "fr")
    assert_golden("collector-proof-fr.html", html, request)
    shown = [bytes.fromhex(group.replace(" ", "")) for group in HASH_GROUPS.findall(html)]
    assert shown[0] == found.leaf.leaf_hash
    assert found.checkpoint is not None
    assert shown[1] == found.checkpoint.root
    verify_inclusion(shown[0], 3, 5, shown[2:], shown[1])  # what the page shows holds
    assert unescape(found.checkpoint.note) in unescape(html)
    assert (f"python3 parole_verifier.py --journal https://{ORIGIN}/ --index 3 --leaf-hash "
            f"{found.leaf.leaf_hash.hex()}") in html


def test_a_proof_not_signed_yet_says_when_in_arabic(manifest: Manifest,
                                                   request: pytest.FixtureRequest) -> None:
    found = replace(_proof(5, 4), checkpoint=None, proof=())
    html = _page(manifest, found, "ar", next_due=NOW + timedelta(minutes=61))
    assert_golden("collector-proof-ar-unsigned.html", html, request)
    assert Catalogue.for_language("ar")("collector.proof.not_signed") in html
    assert "parole_verifier.py" not in html


def test_the_only_answer_is_the_root(manifest: Manifest) -> None:
    html = _page(manifest, _proof(1, 0), "en")
    assert Catalogue.for_language("en")("collector.proof.alone") in html
    assert "<ol" not in html


def test_the_receipt_says_the_number_and_hash_by_groups_of_four(
        manifest: Manifest, request: pytest.FixtureRequest) -> None:
    leaf = replace(_leaves(1)[0], index=1234)
    answer = StoredAnswer("ABCDEFGH", FORM_ID, manifest.version, {"frequence": ["jour"]},
                          "online", NOW, None, language="fr")
    journal = AnswerInJournal(leaf, "/collect/ABCDEFGH/key/preuve", "/journal/")
    html = receipt_page(Shell.minimal("fr"), manifest, answer, Catalogue.for_language("fr"),
                        today=NOW.date(), journal=journal)
    found = MAIN.search(html)
    assert found
    assert_golden("collector-receipt-journal-fr.html", found.group(0) + "\n", request)
    assert "porte le numéro 1\u202f234." in html or "porte le numéro 1 234." in html
    [shown] = HASH_GROUPS.findall(html)
    assert [len(group) for group in shown.split(" ")] == [4] * 16
    assert shown.replace(" ", "") == leaf.leaf_hash.hex()


@pytest.mark.parametrize(("newest", "due"), [
    (None, NOW + timedelta(minutes=1)),
    (NOW - timedelta(minutes=10), NOW + timedelta(minutes=51)),
    (NOW - timedelta(minutes=90), NOW + timedelta(minutes=1)),
    (NOW - timedelta(minutes=10, seconds=20), NOW + timedelta(minutes=51)),
])
def test_the_next_checkpoint_is_due_a_look_after_the_interval(
        newest: datetime | None, due: datetime) -> None:
    assert next_checkpoint_due(newest, NOW, 60, 60.0) == due


# --- a real collector, on both databases --------------------------------------------------------

@pytest.fixture
def served(tmp_path: Path, storage_url: str) -> Iterator[tuple[RunningCollector, Collector]]:
    site = bilingual_site(tmp_path / "site")
    for folder in ("journal", "ar/journal"):  # as the build writes them (test_journal_page)
        (site / folder).mkdir(parents=True)
        (site / folder / "index.html").write_text("<!doctype html>", encoding="utf-8")
    settings = Settings(site_dir=site, log_signer=SIGNER, log_checkpoint_minutes=60,
                        now=lambda: NOW, today=NOW.date, rate_limit=0)
    collector = Collector(settings, open_storage(storage_url))
    with collector_in_thread(collector, tmp_path) as running:
        yield running, collector
    collector.storage.close()


def _post(running: RunningCollector, idea: str, language: str,
          *extra: tuple[str, str]) -> str:
    form = the_form()
    reply = running.post([("_form", FORM_ID), ("_version", form.version),
                          ("_language", language), ("frequence", "jour"), ("idee", idea),
                          *extra])
    assert reply.status == 303, reply.text
    return reply.headers["location"]


def _code(location: str) -> str:
    return location.split("/")[2]


def test_a_receipt_leads_to_its_proof_before_and_after_a_checkpoint(
        served: tuple[RunningCollector, Collector]) -> None:
    running, collector = served
    storage: Storage = collector.storage
    _post(running, "Des bancs", "fr")
    location = _post(running, "Des arbres", "fr")
    [leaf] = storage.answer_leaves(_code(location))
    receipt = running.request("GET", location)
    assert receipt.status == 200
    assert f"votre réponse porte le numéro {leaf.index}." in receipt.text
    [shown] = HASH_GROUPS.findall(receipt.text)
    assert shown.replace(" ", "") == leaf.leaf_hash.hex()
    assert f'href="{location}/preuve"' in receipt.text
    assert 'href="/journal/"' in receipt.text

    before = running.request("GET", f"{location}/preuve")
    assert before.status == 200
    assert Catalogue.for_language("fr")("collector.proof.not_signed") in before.text
    # Paris time, at the collector's next look
    assert "le mercredi 20\u00a0janvier 2027, vers 10:31." in before.text
    for name in ("cache-control", "x-robots-tag", "referrer-policy", "x-frame-options"):
        assert before.headers[name] == receipt.headers[name], name  # personal, like the receipt
    assert before.headers["cache-control"] == "private, no-store"
    assert "script-src" in before.headers["content-security-policy"]

    sign_head(storage, SIGNER, NOW)
    after = running.request("GET", f"{location}/preuve")
    shown_hashes = [bytes.fromhex(group.replace(" ", ""))
                    for group in HASH_GROUPS.findall(after.text)]
    assert shown_hashes[0] == leaf.leaf_hash
    verify_inclusion(leaf.leaf_hash, leaf.index, 2, shown_hashes[2:], shown_hashes[1])
    assert f"--index {leaf.index} --leaf-hash {leaf.leaf_hash.hex()}" in after.text
    assert running.request("GET", f"{location}/proof").text == after.text


def test_the_proof_is_in_the_answers_language(
        served: tuple[RunningCollector, Collector]) -> None:
    running, _collector = served
    location = _post(running, "فكرة", "ar")
    page = running.request("GET", f"{location}/preuve")
    assert page.status == 200
    assert '<html lang="ar" dir="rtl">' in page.text
    assert Catalogue.for_language("ar")("collector.proof.title") in page.text
    assert 'href="/ar/journal/"' in page.text
    assert 'href="/ar/journal/"' in running.request("GET", location).text


def test_a_wrong_key_or_the_code_alone_finds_no_proof(
        served: tuple[RunningCollector, Collector]) -> None:
    running, collector = served
    location = _post(running, "Une fontaine", "fr")
    code = _code(location)
    wrong = running.request("GET", f"/collect/{code}/{'A' * 22}/preuve")
    assert wrong.status == 404
    assert Catalogue.for_language("fr")("collector.not_found.title") in wrong.text
    assert running.request("GET", f"/collect/{code}/preuve").status == 404
    manifest = collector.site.manifest(FORM_ID)
    assert manifest is not None
    assert receipt_path(manifest, code, collector.settings.secret) == location


def test_a_quarantined_answer_reads_like_any_answer_without_a_leaf(
        served: tuple[RunningCollector, Collector]) -> None:
    running, collector = served
    location = _post(running, "Un robot", "fr", (HONEYPOT_NAME, "http://spam.example"))
    code = _code(location)
    stored = collector.storage.get(code)
    assert stored is not None and stored.quarantined
    assert collector.storage.answer_leaves(code) == []
    receipt = running.request("GET", location)
    section = receipt.text.split("<h2>Le journal public des réponses</h2>")[1].split("<h2>")[0]
    said = Catalogue.for_language("fr")("collector.journal.not_yet")
    assert section == (f"\n<p>{said}</p>\n"
                       '<p><a href="/journal/">Comprendre le journal public, et le vérifier '
                       "vous-même</a></p>\n")
    proof = running.request("GET", f"{location}/preuve")
    assert proof.status == 200 and said in proof.text
    assert "quarant" not in receipt.text.lower() + proof.text.lower()
