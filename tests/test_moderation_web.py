"""Moderating on the web (issue #16), end to end: answers sent to a real ``parole collect``
(SQLite, and PostgreSQL for the verdicts' storage), an organizer signed in at
``/admin/moderation/`` approves, approves hiding words, rejects with each reason and one of
their own, chooses themes; ``Storage.verdicts`` then holds each decision with who, when and
why. Mistakes come back GOV.UK-style; an answer whose author did not agree to be quoted is never
shown."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from site_builder.storage.moderation import Redaction
from tests.collector_support import RunningCollector, running_collector
from tests.moderation_support import (
    HOME,
    OTHER_FORM,
    PAGE,
    main_text,
    moderation_site,
    quoted,
    send_answer,
    signed_in,
    verdicts,
)
from tests.postgres_support import PostgresServer

SECRET_SHOWN = "réponse sans accord"
"""In an answer whose author did not agree to be quoted: no page may show it."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return moderation_site(tmp_path_factory.mktemp("moderation-site"))


@dataclass
class Running:
    collector: RunningCollector
    site: Path
    url: str


@pytest.fixture(params=["sqlite", "postgresql"])
def running(request: pytest.FixtureRequest, site: Path, tmp_path: Path) -> Iterator[Running]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'answers.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres")
        url = server.new_database()
    with running_collector(site, url, tmp_path) as up:
        yield Running(up, site, url)


@pytest.fixture
def sqlite_running(site: Path, tmp_path: Path) -> Iterator[Running]:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    with running_collector(site, url, tmp_path) as up:
        yield Running(up, site, url)


@pytest.fixture(scope="module")
def one_waiting(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """A collector with one answer waiting, and one of a form without consent; the tests
    using it store nothing."""
    folder = tmp_path_factory.mktemp("one-waiting")
    url = f"sqlite:///{folder / 'answers.db'}"
    with running_collector(site, url, folder) as up:
        send_answer(up, site, quoted("Appelez Jean Dupont, il sait."))
        send_answer(up, site, [("remarque", SECRET_SHOWN)], OTHER_FORM)
        yield Running(up, site, url)


REDACTED = "Mettez des bancs. Appelez Jean Dupont au 06 12 34 56 78 ; Jean\r\nDupont sait."
FLOW = [
    # (idee, what the moderator decides, what is stored: outcome, reason, theme)
    (REDACTED, [("verdict", "redact"), ("hide_1", "Jean Dupont"),
                ("hide_reason_1", "personal data"), ("hide_2", "06 12 34 56 78"),
                ("hide_reason_2", "other"), ("hide_other_2", "un numéro de téléphone"),
                ("theme", "  Ombre   et bancs ")], ("approved", "", "Ombre et bancs")),
    ("Une aire de jeux près de la fontaine.", [("verdict", "approve"), ("theme", "Jeux")],
     ("approved", "", "Jeux")),
    ("Le prix du pain a augmenté.", [("verdict", "reject"), ("reason", "off-topic")],
     ("rejected", "off-topic", None)),
    ("J'habite au 3 rue des Lilas.", [("verdict", "reject"), ("reason", "personal data")],
     ("rejected", "personal data", None)),
    ("Le maire est un idiot.", [("verdict", "reject"), ("reason", "insulting")],
     ("rejected", "insulting", None)),
    ("Une aire de jeux près de la fontaine !", [("verdict", "reject"), ("reason", "duplicate")],
     ("rejected", "duplicate", None)),
    ("Faites une piscine olympique.", [("verdict", "reject"), ("reason", "other"),
                                       ("reason_other", "Hors du périmètre du projet")],
     ("rejected", "Hors du périmètre du projet", None)),
    ("Rien à dire.", [("verdict", "approve"), ("theme", "")], ("approved", "", None)),
]


def test_every_verdict_is_stored_with_who_when_and_why(running: Running) -> None:
    up, url = running.collector, running.url
    receipts = [send_answer(up, running.site, quoted(idee)) for idee, _, _ in FLOW]
    send_answer(up, running.site, [("idee", SECRET_SHOWN), ("souvenir", SECRET_SHOWN)])
    send_answer(up, running.site, [("remarque", SECRET_SHOWN)], OTHER_FORM)
    started = datetime.now(UTC)
    with signed_in(up, "Awa Diallo") as awa:
        index = main_text(awa.send("GET", HOME))
        assert re.search(r"La place du Marché 8 0 0", index), index
        assert "Le marché du samedi (ne demande pas l\u2019accord pour citer)" in index
        for number, (idee, fields, _) in enumerate(FLOW, start=1):
            page = awa.send("GET", PAGE)
            shown = main_text(page)
            assert f"Réponse {number} sur {len(FLOW)}" in shown, shown
            assert "Quelle idée avez-vous pour la place ?" in shown
            assert " ".join(idee.split()) in shown, shown
            assert SECRET_SHOWN not in page.text
            decided = awa.decide(fields)
            assert decided.status == 303, main_text(decided)
            done = {"redact": "redacted", "approve": "approved", "reject": "rejected"}
            assert decided.headers["location"] == f"{PAGE}?fait={done[fields[0][1]]}"
            assert decided.headers["cache-control"] == "private, no-store"
        last = awa.send("GET", f"{PAGE}?fait=approved")
        shown = main_text(last)
        assert "Réponse enregistrée : approuvée." in shown
        assert '<h1 tabindex="-1" autofocus>' in last.text
        assert "Plus aucune réponse à modérer" in shown and "3 approuvées, 5 rejetées" in shown
        assert re.search(r"La place du Marché 0 3 5", main_text(awa.send("GET", HOME)))
    stored = verdicts(url)
    assert [verdict.receipt for verdict in stored] == receipts
    for verdict, (_, _, (outcome, reason, theme)) in zip(stored, FLOW, strict=True):
        assert (verdict.outcome, verdict.reason, verdict.theme) == (outcome, reason, theme)
        assert verdict.decided_by == "Awa Diallo" and verdict.field_id == "idee"
        assert started - timedelta(seconds=5) <= verdict.decided_at <= datetime.now(UTC)
    text = REDACTED.replace("\r\n", "\n")  # as stored
    assert stored[0].redactions == (
        Redaction(text.index("Jean"), text.index(" au"), "personal data"),
        Redaction(text.index("06"), text.index(" ;"), "un numéro de téléphone"),
        Redaction(text.rindex("Jean"), text.index(" sait"), "personal data"))
    assert all(not verdict.redactions for verdict in stored[1:])
    assert not verdicts(url, OTHER_FORM)


def test_a_second_question_of_the_same_answer_comes_next(sqlite_running: Running) -> None:
    up = sqlite_running.collector
    receipt = send_answer(up, sqlite_running.site, quoted("Des arbres.", "Le manège de 1990"))
    with signed_in(up, "Bruno") as bruno:
        assert "Quelle idée avez-vous" in main_text(bruno.send("GET", PAGE))
        assert bruno.decide([("verdict", "approve")]).status == 303
        shown = main_text(bruno.send("GET", PAGE))
        assert "Réponse 2 sur 2 Un souvenir de la place ? Le manège de 1990" in shown
        assert bruno.decide([("verdict", "reject"), ("reason", "off-topic")]).status == 303
    assert [(verdict.receipt, verdict.field_id, verdict.outcome)
            for verdict in verdicts(sqlite_running.url)] == [
        (receipt, "idee", "approved"), (receipt, "souvenir", "rejected")]


MISTAKES = [
    ([], ["Choisissez votre décision"], "#moderation-verdict-1"),
    ([("verdict", "reject")], ["Choisissez pourquoi vous rejetez cette réponse"],
     "#moderation-reason-1"),
    ([("verdict", "reject"), ("reason", "other"), ("reason_other", "   ")],
     ["Écrivez la raison du rejet"], "#moderation-reason-other"),
    ([("verdict", "redact")], ["Écrivez les mots à masquer"], "#moderation-hide-1"),
    ([("verdict", "redact"), ("hide_1", "Jean Durand"), ("hide_reason_1", "personal data")],
     ["Ces mots ne sont pas dans la réponse"], "#moderation-hide-1"),
    ([("verdict", "redact"), ("hide_2", "jean dupont"), ("hide_reason_2", "insulting")],
     ["Ces mots ne sont pas dans la réponse"], "#moderation-hide-2"),
    ([("verdict", "redact"), ("hide_3", "Jean Dupont")], ["Choisissez pourquoi masquer"],
     "#moderation-hide-reason-3"),
    ([("verdict", "redact"), ("hide_1", "Jean Dupont"), ("hide_reason_1", "other")],
     ["Écrivez pourquoi masquer ces mots"], "#moderation-hide-other-1"),
    ([("verdict", "approve"), ("hide_1", "Jean Dupont"), ("hide_reason_1", "personal data")],
     ["Vous avez écrit des mots à masquer"], "#moderation-verdict-1"),
    ([("verdict", "approve"), ("theme", "T" * 81)], ["Raccourcissez ce texte : 80 caractères"],
     "#moderation-theme"),
]


@pytest.mark.parametrize(("fields", "messages", "link"), MISTAKES)
def test_a_mistake_shows_the_form_again_with_its_message_and_every_value(
    one_waiting: Running, fields: list[tuple[str, str]], messages: list[str], link: str
) -> None:
    up = one_waiting.collector
    with signed_in(up) as awa:
        wrong = awa.decide([*fields, ("theme", "Des <b>arbres</b>")] if not any(
            name == "theme" for name, _ in fields) else fields)
        assert wrong.status == 400
        text = wrong.text
        assert re.search(r"<title>Erreur\s*: Modérer\s*: La place du Marché", text), text[:600]
        summary = text.index('class="p-error-summary"')
        assert summary < text.index("<h1"), "the error summary comes first"
        assert 'autofocus' in text[summary:summary + 120]
        for message in messages:
            assert message in main_text(wrong), main_text(wrong)
        assert f'href="{link}"' in text and f'id="{link[1:]}"' in text
        assert 'aria-invalid="true"' in text
        for name, value in fields:  # every value kept
            if name in ("verdict", "reason", "hide_reason_1", "hide_reason_2", "hide_reason_3"):
                assert re.search(rf'name="{name}" value="{re.escape(value)}"\s*(checked|selected)'
                                 rf'|value="{re.escape(value)}" selected', text), name
            elif value.strip():
                assert f'value="{value}"' in text, name
        if not any(name == "theme" for name, _ in fields):
            assert 'value="Des &lt;b&gt;arbres&lt;/b&gt;"' in text
    assert verdicts(one_waiting.url) == [], "nothing is stored after a mistake"


def test_a_verdict_on_a_text_changed_or_decided_meanwhile_stores_nothing(
    sqlite_running: Running
) -> None:
    up = sqlite_running.collector
    send_answer(up, sqlite_running.site, quoted("Des fleurs."))
    with signed_in(up, "Awa") as awa, signed_in(up, "Bruno") as bruno:
        shown_to_awa = awa.shown()
        assert bruno.decide([("verdict", "approve")]).status == 303
        late = awa.send("POST", PAGE, [*shown_to_awa.items(), ("verdict", "reject"),
                                       ("reason", "duplicate")])
        assert late.status == 303 and late.headers["location"] == f"{PAGE}?fait=stale"
        stale = awa.send("GET", late.headers["location"])
        assert "Rien n\u2019a été enregistré" in main_text(stale)
        send_answer(up, sqlite_running.site, quoted("Des bancs."))
        forged = {**awa.shown(), "digest": "0" * 64}
        assert awa.send("POST", PAGE, [*forged.items(), ("verdict", "approve")]).headers[
            "location"] == f"{PAGE}?fait=stale"
    assert [(verdict.decided_by, verdict.outcome) for verdict in verdicts(
        sqlite_running.url)] == [("Bruno", "approved")]


def test_an_unknown_form_is_404_and_a_form_without_consent_has_nothing_to_moderate(
    one_waiting: Running
) -> None:
    up = one_waiting.collector
    with signed_in(up) as awa:
        assert awa.send("GET", "/admin/moderation/inconnu").status == 404
        page = awa.send("GET", f"/admin/moderation/{OTHER_FORM}")
        assert page.status == 200 and SECRET_SHOWN not in page.text
        assert "il n\u2019y a rien à modérer" in main_text(page) and "<form class" not in page.text
