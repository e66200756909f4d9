"""``parole moderate`` as a process fed by a pipe, on SQLite and on PostgreSQL: every choice and
every reason, quitting, and the messages when there is nothing (or no way) to moderate.
Hostile texts and the in-process cases are in test_moderate_command_hostile.py."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.storage import open_storage
from site_builder.storage.base import Storage
from site_builder.storage.moderation import Redaction, Verdict
from tests.moderate_support import FORM, answer, register

PAROLE = [sys.executable, "-m", "site_builder.cli"]
MARTIN = "Mon voisin M. Martin veut des bancs, M. Martin a raison."
IDEAS = [
    "Plus d'arbres le long du lac.",  # [a]
    "Des bancs à l'ombre.",  # [t] theme
    MARTIN,  # [e] hide "M. Martin" (personal data), then "veut" (a reason of one's own)
    "Le stade est trop loin.",  # [r] 1 off-topic
    "Appelez-moi au 06 12 34 56 78.",  # [r] 2 personal data
    "Tous des incapables !",  # [r] 3 insulting
    "Plus d'arbres le long du lac !",  # [r] 4 duplicate
    "Rien à voir avec le parc : la gare.",  # [r] 5 own words
    "Une aire de jeux.",  # [s]
]
SCRIPT = "\n".join([
    "a",
    "t", "Bancs et ombre",
    "e", "M. Martin", "1", "veut", "on ne sait jamais", "", "a",
    "r", "1",
    "r", "2",
    "r", "3",
    "r", "4",
    "r", "5", "Parle de la gare, pas du parc",
    "s",
]) + "\n"


@pytest.fixture
def url(storage_url: str) -> Iterator[str]:
    """A database of either backend holding ``FORM`` and the ideas above, all consented, plus
    one answer whose author did not agree to be quoted."""
    storage = open_storage(storage_url)
    try:
        register(storage)
        for minute, idea in enumerate(IDEAS):
            answer(storage, minute, idees=idea)
        answer(storage, 30, consent=False, idees="Ne me citez pas, Jeanne Dupont.")
    finally:
        storage.close()
    yield storage_url


def moderate(url: str, script: str, *args: str, lang: str = "C.UTF-8",
             form: str = FORM.id) -> subprocess.CompletedProcess[str]:
    """``parole moderate`` run as a process, ``script`` on its standard input."""
    environment = {"PATH": "/usr/bin:/bin", "LANG": lang, "HOME": str(Path.cwd())}
    return subprocess.run([*PAROLE, "moderate", form, "--db", url, *args], input=script,
                          capture_output=True, text=True, timeout=120, check=False,
                          env=environment)


def verdicts(url: str) -> list[Verdict]:
    storage: Storage = open_storage(url)
    try:
        return list(storage.verdicts(FORM.id))
    finally:
        storage.close()


def test_every_choice_and_every_reason_is_saved_as_made(url: str) -> None:
    result = moderate(url, SCRIPT, "--by", "Claire")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Form 'avis-parc': 9 written answers to read." in out
    assert "as made by Claire" in out
    assert "Answer 1 of 9" in out and "Answer 9 of 9" in out
    assert "Question: Que changeriez-vous dans le parc ?" in out
    assert "Received on 2027-03-01 (online)" in out
    assert "    Plus d'arbres le long du lac." in out
    assert "Jeanne Dupont" not in out  # no consent: never shown
    # The redaction: every place the words appear, a reason each, previewed before saving.
    assert "Hidden in 2 places." in out and "Hidden in 1 place." in out
    assert "The quote will read:\n    Mon voisin […] […] des bancs, […] a raison." in out
    assert out.rstrip().endswith("Done: 3 approved, 5 rejected, 1 left to read.")
    made = verdicts(url)
    assert [(v.outcome, v.reason, v.theme) for v in made] == [
        ("approved", "", None),
        ("approved", "", "Bancs et ombre"),
        ("approved", "", None),
        ("rejected", "off-topic", None),
        ("rejected", "personal data", None),
        ("rejected", "insulting", None),
        ("rejected", "duplicate", None),
        ("rejected", "Parle de la gare, pas du parc", None),
    ]
    first, second, wants = (MARTIN.index("M. Martin"), MARTIN.rindex("M. Martin"),
                            MARTIN.index("veut"))
    assert made[2].redactions == (Redaction(first, first + 9, "personal data"),
                                  Redaction(wants, wants + 4, "on ne sait jamais"),
                                  Redaction(second, second + 9, "personal data"))
    assert {v.decided_by for v in made} == {"Claire"}
    assert {v.field_id for v in made} == {"idees"}
    # Next time, only the answer left for later waits.
    again = moderate(url, "q\n", "--by", "Claire")
    assert "1 written answer to read." in again.stdout
    assert "    Une aire de jeux." in again.stdout


def test_quitting_keeps_every_decision_made_and_the_rest_waits(url: str) -> None:
    result = moderate(url, "a\nr\n3\nq\n", "--by", "Claire")
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("Done: 1 approved, 1 rejected, 7 left to read.")
    assert len(verdicts(url)) == 2
    # The end of the input is a quit too.
    ended = moderate(url, "a\n", "--by", "Claire")
    assert ended.returncode == 0
    assert "Answer 1 of 7" in ended.stdout
    assert ended.stdout.rstrip().endswith("Done: 1 approved, 0 rejected, 6 left to read.")


def test_the_decider_is_the_account_running_parole_by_default(url: str) -> None:
    assert moderate(url, "a\nq\n").returncode == 0
    [made] = verdicts(url)
    assert made.decided_by == pwd.getpwuid(os.getuid()).pw_name


def test_a_key_that_is_no_choice_says_which_keys_work(url: str) -> None:
    result = moderate(url, "x\nyes\n\nr\n9\n\na\nq\n", "--by", "Claire")
    out = result.stdout
    assert "“x” is not one of the choices: type a, t, e, r, s or q." in out
    assert "“yes” is not one of the choices" in out
    assert "Type a number from 1 to 5, or an empty line to go back." in out
    assert [v.outcome for v in verdicts(url)] == ["approved"]


def test_hiding_words_says_what_it_cannot_hide_and_can_be_cancelled(url: str) -> None:
    script = "\n".join([
        "s", "s",
        "e", "m. martin", "M. Martin", "2", "Martin veut", "", "c",  # cancel: nothing saved
        "q"]) + "\n"
    out = moderate(url, script, "--by", "Claire").stdout
    assert "“m. martin” is not in the answer: type the words exactly as they are written." in out
    assert "“Martin veut” overlaps words already hidden" in out
    assert "    Mon voisin […] veut des bancs, […] a raison." in out
    assert verdicts(url) == []


def test_a_theme_already_used_is_offered_by_its_number(url: str) -> None:
    moderate(url, "t\nBancs et ombre\nq\n", "--by", "Claire")
    out = moderate(url, "t\n1\nt\n7\nArbres\nq\n", "--by", "Claire").stdout
    assert "Themes already used in this form:\n    [1] Bancs et ombre" in out
    assert "There is no theme number 7." in out
    assert [v.theme for v in verdicts(url)] == ["Bancs et ombre", "Bancs et ombre", "Arbres"]


def test_the_moderator_hears_french_on_a_french_system(url: str) -> None:
    result = moderate(url, "r\n5\nHors du parc\nq\n", "--by", "Claire", lang="fr_FR.UTF-8")
    out = result.stdout
    assert "Formulaire « avis-parc » : 9 réponses écrites à lire." in out
    assert "Réponse 1 sur 9" in out
    assert "[5] Un autre motif, avec vos mots" in out
    assert out.rstrip().endswith("Terminé. Approuvées : 0 ; refusées : 1 ; restant à lire : 8.")


def test_nothing_to_moderate_is_not_an_error(url: str) -> None:
    moderate(url, "\n".join(["a"] * 9) + "\n", "--by", "Claire")
    result = moderate(url, "", "--by", "Claire")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("Nothing to moderate in form 'avis-parc': every written answer "
                             "whose author agreed to be quoted has a decision (9 approved, "
                             "0 rejected so far).\n")


def test_an_unknown_form_is_an_error_naming_the_known_ones(url: str) -> None:
    result = moderate(url, "", form="avis-parcs")
    assert result.returncode == 1
    assert "no form 'avis-parcs' in this database (forms it knows: avis-parc)" in result.stderr
    assert result.stdout == ""


def test_a_form_that_names_no_consent_question_says_how_to_ask_for_one(
    storage_url: str,
) -> None:
    storage = open_storage(storage_url)
    try:
        register(storage, FORM.__class__(**{**FORM.__dict__, "publish_consent": None}))
        answer(storage, idees="Des bancs.")
    finally:
        storage.close()
    result = moderate(storage_url, "a\n")
    assert result.returncode == 1
    assert ("form 'avis-parc' names no consent question for quoting (publish_consent): none "
            "of its written answers can ever be published") in result.stderr
    assert "How to fix: add to the form a consent question asking whether" in result.stderr
    assert verdicts(storage_url) == []


def test_help_says_what_it_does() -> None:
    result = subprocess.run([*PAROLE, "moderate", "--help"], capture_output=True, text=True,
                            timeout=60, check=False, env={"PATH": "/usr/bin:/bin", "LANG": "C"})
    assert result.returncode == 0
    assert "--by NAME" in result.stdout and "--db URL" in result.stdout
    assert "only approved answers are quoted" in " ".join(result.stdout.split())
