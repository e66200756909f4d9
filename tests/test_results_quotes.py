"""Quotes in the results file, as ``parole results`` writes them (a process, on SQLite and
PostgreSQL): only answers whose author agreed to be quoted, whose newest verdict approves the
text they hold now, redactions applied. No verdict can make an answer without consent quoted;
a rejected, a superseded or a stale verdict (the text corrected since) gives no quote."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from site_builder.storage import open_storage
from site_builder.storage.base import Storage
from site_builder.storage.moderation import NewVerdict, Redaction, text_digest
from tests.results_command_support import (
    FORM,
    FORM_ID,
    fill,
    idea,
    manifest_text,
    results,
    site_folder,
    written,
)
from tests.storage_support import record_over_newest

DECIDED = datetime(2025, 3, 20, 10, tzinfo=UTC)


def verdict(storage: Storage, receipt: str, text: str, outcome: str, *, reason: str = "",
            redactions: tuple[Redaction, ...] = (), theme: str | None = None,
            later: int = 0) -> None:
    record_over_newest(storage, NewVerdict(
        FORM_ID, receipt, "idee", outcome, text_digest(text), "Chloé",
        DECIDED + timedelta(minutes=later), reason=reason, redactions=redactions, theme=theme))


def moderated(url: str) -> None:
    """``fill``, then the verdicts: see each line's comment (consented: the even online ideas
    and the two paper ones)."""
    receipts = fill(url)
    ideas, paper = receipts["ideas"], receipts["paper"]
    storage = open_storage(url)
    try:
        start = idea(0).index("bancs")
        verdict(storage, ideas[0], idea(0), "approved", theme="Mobilier",
                redactions=(Redaction(start, start + len("bancs"), "personal data"),))
        verdict(storage, ideas[1], idea(1), "approved", theme="Mobilier")  # no consent
        verdict(storage, ideas[2], idea(2), "rejected", reason="off-topic")
        verdict(storage, ideas[4], idea(4), "approved")
        verdict(storage, ideas[4], idea(4), "rejected", reason="insulting", later=1)  # newest
        verdict(storage, ideas[6], idea(6), "rejected", reason="duplicate")
        verdict(storage, ideas[6], idea(6), "approved", later=1)  # newest
        verdict(storage, ideas[8], idea(8), "rejected", reason="hors délai")  # own words
        verdict(storage, paper[0], "Idée papier 0", "approved")
        verdict(storage, paper[1], "Idée papier 1", "approved")
        # a coordinator corrects sheet 1: the approval was made on another text
        storage.correct_answer(paper[0], {"quartier": ["sud"], "accord": ["2"],
                                          "idee": ["Idée papier 0, relue"],
                                          "citation": ["yes"]},
                               {"services": "blank"}, "Awa", DECIDED + timedelta(hours=1),
                               "mal lu")
    finally:
        storage.close()


def test_only_consented_answers_approved_as_they_stand_are_quoted(
        storage_url: str, tmp_path: Path) -> None:
    moderated(storage_url)
    site = site_folder(tmp_path / "site", min_count=1)
    done = results(storage_url, site, "--form", FORM_ID)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    data = written(site)
    assert data["quotes"] == [
        {"question": "idee", "text": "Idée 0 : plus de […] près de l'école", "theme": "Mobilier"},
        {"question": "idee", "text": idea(6), "theme": None},
        {"question": "idee", "text": "Idée papier 1", "theme": None},
    ]
    assert data["free_text"] == [{
        "id": "idee", "label": "Votre idée", "answered": 14, "consented": 8,
        "not_consented": 6, "approved": 3,
        "rejected": {"off-topic": 1, "personal data": 0, "insulting": 1, "duplicate": 0,
                     "other": 1},
        "to_moderate": 2}]  # the tenth online idea, and the corrected sheet
    text = (site / "docs" / "parole-results" / f"{FORM_ID}.json").read_text(encoding="utf-8")
    for unquoted in (idea(1), "Idée 1 ", idea(2), idea(4), idea(8), idea(10), "Idée papier 0",
                     "relue", "hors délai", "Chloé", "mal lu"):
        assert unquoted not in text, unquoted


def test_without_a_consent_question_no_verdict_makes_a_quote(
        storage_url: str, tmp_path: Path) -> None:
    """The form's newest version no longer names its consent question: the approvals stay in
    the database, and nothing is quoted."""
    moderated(storage_url)
    newer = dataclasses.replace(FORM, publish_consent=None, fields=(
        *FORM.fields[:3], dataclasses.replace(FORM.fields[3], label="Une idée ?"),
        *FORM.fields[4:]))
    storage = open_storage(storage_url)
    try:
        storage.register_form(FORM_ID, newer.version, manifest_text(newer))
    finally:
        storage.close()
    site = site_folder(tmp_path / "site", min_count=1)
    assert results(storage_url, site, "--form", FORM_ID).returncode == 0
    data = written(site)
    assert (data["quotes"], data["publish_consent"]) == ([], None)
    (idee,) = data["free_text"]
    assert (idee["answered"], idee["consented"], idee["approved"]) == (14, 0, 0)
    assert "Idée" not in json.dumps(data, ensure_ascii=False)

    # Nobody could agree, nor be moderated: those zeros are known to anyone and stay exact,
    # rather than "fewer than 5" beside a "hidden" every reader can work out.
    protected = site_folder(tmp_path / "protected")
    assert results(storage_url, protected, "--form", FORM_ID).returncode == 0
    (idee,) = written(protected)["free_text"]
    assert (idee["answered"], idee["consented"], idee["not_consented"]) == (14, 0, 14)
    assert (idee["approved"], idee["to_moderate"], set(idee["rejected"].values())) == (0, 0, {0})
