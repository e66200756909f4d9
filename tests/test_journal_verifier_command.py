"""``parole_verifier.py`` as citizens, mediators and auditors run it: on a journal folder or
over HTTP, in French or English, saying in plain words what it proved or why it refuses
(exit 0 verified, 1 refused, 2 could not check)."""

from __future__ import annotations

import base64
import datetime
import gzip
import http.server
import os
import re
import shutil
import string
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from site_builder.journal_verifier import VERIFIER_FILE
from site_builder.journal_verifier import parole_verifier as verifier
from tests.journal_verifier_support import VERIFIER, Signer, answer, leaf, publish
from tests.support import REPO, free_port, http_server, serve_site

PUBLISHED = datetime.datetime(2026, 3, 3, 9, 30, tzinfo=datetime.UTC).timestamp()
ENTRIES = [answer(i) for i in range(1000)]


@pytest.fixture(autouse=True)
def _french_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")


@pytest.fixture(scope="module")
def signer() -> Signer:
    return Signer()


def _journal(folder: Path, signer: Signer, size: int = 1000,
             entries: list[bytes] = ENTRIES) -> Path:
    publish(folder, entries, signer, size=size)
    os.utime(folder / "checkpoint", (PUBLISHED, PUBLISHED))
    return folder


def _check(capsys: pytest.CaptureFixture[str], journal: Path | str, *args: str,
           signer: Signer | None = None) -> tuple[int, str, str]:
    key = ["--key", signer.verifier_key] if signer else []
    status = verifier.main(["--journal", str(journal), *key, *args])
    out, err = capsys.readouterr()
    return status, out, err


def _receipt(index: int, entry: bytes | None = None) -> list[str]:
    return ["--index", str(index), "--leaf-hash", leaf(entry or ENTRIES[index]).hex()]


# --- What a citizen is told -------------------------------------------------------------

@pytest.mark.parametrize(("size", "count"), [
    (1, "1 réponse"), (2, "2 réponses"), (3, "3 réponses"), (255, "255 réponses"),
    (256, "256 réponses"), (257, "257 réponses"), (1000, "1\u00a0000 réponses")])
def test_a_receipt_in_the_journal_is_confirmed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], signer: Signer, size: int,
        count: str) -> None:
    journal = _journal(tmp_path, signer, size)
    for index in sorted({0, size // 2, size - 1}):
        status, out, err = _check(capsys, journal, *_receipt(index), signer=signer)
        assert (status, err) == (0, "")
        assert out.splitlines() == [
            f"La signature du journal correspond à la clé {signer.verifier_key}.",
            f"Votre réponse n° {index} est bien dans le journal publié le 3 mars 2026 "
            f"({count}).",
        ]


def test_english_on_request_or_from_the_environment(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], signer: Signer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    journal = _journal(tmp_path, signer)
    expected = "Your answer no. 7 is in the journal published on 3 March 2026 (1,000 answers)."
    status, out, _ = _check(capsys, journal, *_receipt(7), "--language", "en", signer=signer)
    assert status == 0
    assert out.splitlines()[-1] == expected
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    status, out, _ = _check(capsys, journal, *_receipt(7), signer=signer)
    assert out.splitlines()[-1] == expected
    monkeypatch.setenv("LC_ALL", "C")  # says no language: LC_MESSAGES, then LANG decide
    monkeypatch.setenv("LC_MESSAGES", "fr_BE.UTF-8")
    status, out, _ = _check(capsys, journal, *_receipt(7), signer=signer)
    assert out.splitlines()[-1].startswith("Votre réponse n° 7 est bien")


def test_without_a_key_the_journals_own_is_used_and_the_citizen_told_to_compare_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], signer: Signer) -> None:
    journal = _journal(tmp_path / "journal", signer, 300)
    status, out, _ = _check(capsys, journal, *_receipt(299))
    assert status == 0
    assert out.splitlines()[1] == (
        "Attention : la clé a été lue dans le journal lui-même. Comparez-la à celle publiée "
        f"ailleurs (l'avis imprimé, le bulletin municipal) : {signer.verifier_key}")
    key_file = tmp_path / "cle.txt"
    key_file.write_text(signer.verifier_key + "\n")
    status, out, _ = _check(capsys, journal, *_receipt(299), "--key-file", str(key_file))
    assert status == 0
    assert "Attention" not in out


def test_a_receipt_typed_with_spaces_and_capitals_is_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], signer: Signer) -> None:
    journal = _journal(tmp_path, signer, 3)
    typed = " ".join(re.findall("....", leaf(ENTRIES[2]).hex().upper()))
    status, _, _ = _check(capsys, journal / "checkpoint", "--index", "2", "--leaf-hash", typed,
                          signer=signer)
    assert status == 0


def test_a_partial_tile_removed_once_the_full_one_exists_is_read_from_the_full_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], signer: Signer) -> None:
    journal = _journal(tmp_path, signer, 600)
    _journal(tmp_path, signer, 300)  # the checkpoint of 300 answers, 600 already tiled
    for partial in ("tile/0/001.p/44", "tile/entries/001.p/44"):
        (journal / partial).unlink()
    status, out, _ = _check(capsys, journal, *_receipt(299), signer=signer)
    assert status == 0
    assert "(300 réponses)" in out


# --- The auditor's check: nothing removed or rewritten since a saved checkpoint ----------

def test_a_journal_that_grew_extends_the_saved_checkpoint(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], signer: Signer) -> None:
    journal = _journal(tmp_path / "journal", signer, 257)
    saved = tmp_path / "checkpoint-257"
    shutil.copy(journal / "checkpoint", saved)
    _journal(journal, signer, 1000)
    status, out, _ = _check(capsys, journal, "--previous", str(saved), *_receipt(900),
                            signer=signer)
    assert status == 0
    assert out.splitlines()[1:] == [
        "Rien n'a été retiré ni réécrit depuis votre copie du journal (257 réponses) : le "
        "journal publié (1\u00a0000 réponses) la prolonge.",
        "Votre réponse n° 900 est bien dans le journal publié le 3 mars 2026 "
        "(1\u00a0000 réponses).",
    ]
    status, _, _ = _check(capsys, journal, "--previous", str(journal / "checkpoint"),
                          signer=signer)
    assert status == 0


@pytest.mark.parametrize(("saved_size", "rewritten_at", "words"), [
    (257, 5, "Le journal a été réécrit depuis votre copie (257 réponses)"),
    (257, 256, "Le journal a été réécrit depuis votre copie (257 réponses)"),
    (1000, 999, "Le journal a été réécrit depuis votre copie (1\u00a0000 réponses)"),
])
def test_a_rewritten_journal_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], signer: Signer, *, saved_size: int,
        rewritten_at: int, words: str) -> None:
    journal = _journal(tmp_path / "journal", signer, saved_size)
    saved = tmp_path / "saved"
    shutil.copy(journal / "checkpoint", saved)
    rewritten = [*ENTRIES[:rewritten_at], answer(rewritten_at, "changed"),
                 *ENTRIES[rewritten_at + 1 :]]
    shutil.rmtree(journal)
    _journal(journal, signer, 1000, rewritten)
    status, _, err = _check(capsys, journal, "--previous", str(saved), signer=signer)
    assert status == 1
    assert err.startswith(words)


def test_a_shorter_journal_or_another_journal_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], signer: Signer) -> None:
    journal = _journal(tmp_path / "journal", signer, 1000)
    saved = tmp_path / "saved"
    shutil.copy(journal / "checkpoint", saved)
    shutil.rmtree(journal)
    _journal(journal, signer, 257)
    status, _, err = _check(capsys, journal, "--previous", str(saved), signer=signer)
    assert status == 1
    assert err.startswith("Le journal publié (257 réponses) est plus court que votre copie "
                          "(1\u00a0000 réponses) : des réponses ont été retirées.")
    saved.write_bytes(signer.checkpoint(3, bytes(32), "autre.example/journal"))
    status, _, err = _check(capsys, journal, "--previous", str(saved), signer=signer)
    assert status == 1
    assert err.startswith("Votre copie est celle d'un autre journal (autre.example/journal)")
    saved.write_bytes(Signer().checkpoint(3, bytes(32)))
    status, _, err = _check(capsys, journal, "--previous", str(saved), signer=signer)
    assert status == 1
    assert err.startswith("Le journal n'est pas signé par la clé")


# --- Tampered, wrong or truncated: each refused with its message -------------------------

def _rewrite(file: str, change: Callable[[bytes], bytes]) -> Callable[[Path, Signer], None]:
    def tamper(journal: Path, signer: Signer) -> None:
        (journal / file).write_bytes(change((journal / file).read_bytes()))
    return tamper


def _flip_at(at: int) -> Callable[[bytes], bytes]:
    return lambda data: data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]


def _changed_size(journal: Path, signer: Signer) -> None:
    checkpoint = (journal / "checkpoint").read_bytes()
    (journal / "checkpoint").write_bytes(checkpoint.replace(b"\n1000\n", b"\n999\n", 1))


def _forged_signature(journal: Path, signer: Signer) -> None:
    text, _ = (journal / "checkpoint").read_bytes().split(b"\n\n")
    forged = base64.b64encode(signer.key_id + os.urandom(64))
    (journal / "checkpoint").write_bytes(
        text + b"\n\n" + f"\u2014 {signer.name} ".encode() + forged + b"\n")


def _signed_by_another_key(journal: Path, signer: Signer) -> None:
    text, _ = (journal / "checkpoint").read_bytes().split(b"\n\n")
    (journal / "checkpoint").write_bytes(Signer().note(text.decode() + "\n"))


TAMPERED = {
    "checkpoint's size changed": (_changed_size, 1, "La signature du journal ne correspond pas"
                                  " à la clé"),
    "forged signature": (_forged_signature, 1, "La signature du journal ne correspond pas"),
    "signed by another key": (_signed_by_another_key, 1, "Le journal n'est pas signé par la"),
    "checkpoint cut in half": (_rewrite("checkpoint", lambda d: d[: len(d) // 2]), 1,
                               "Le fichier {journal}/checkpoint n'est pas un journal signé"),
    "leaf tile changed at the answer": (_rewrite("tile/0/000", _flip_at(7 * 32)), 1,
                                        "Les fichiers du journal (dossier tile/) ne "
                                        "correspondent pas à sa signature"),
    "leaf tile changed elsewhere": (_rewrite("tile/0/000", _flip_at(200 * 32 + 5)), 1,
                                    "Les fichiers du journal (dossier tile/)"),
    "partial tile changed": (_rewrite("tile/0/003.p/232", _flip_at(0)), 1,
                             "Les fichiers du journal (dossier tile/)"),
    "level 1 tile changed": (_rewrite("tile/1/000.p/3", _flip_at(0)), 1,
                             "Les fichiers du journal (dossier tile/)"),
    "leaf tile truncated": (_rewrite("tile/0/000", lambda d: d[:-1]), 1,
                            "Le fichier {journal}/tile/0/000 est tronqué ou abîmé : 8191 octets "
                            "au lieu de 8192."),
    "leaf tile too long": (_rewrite("tile/0/000", lambda d: d + d), 1,
                           "Le fichier {journal}/tile/0/000 dépasse 8192 octets"),
    "entry bundle truncated": (_rewrite("tile/entries/000", lambda d: d[:-3]), 1,
                               "Le fichier {journal}/tile/entries/000 est tronqué ou abîmé : il "
                               "devrait contenir 256 réponses."),
    "entry bundle changed": (_rewrite("tile/entries/000", _flip_at(34 * 10 + 2 + 4)), 1,
                             "Le fichier {journal}/tile/entries/000 ne correspond pas aux "
                             "empreintes du journal"),
    "entry bundle with one entry more": (_rewrite("tile/entries/000", lambda d: d + d[:34]), 1,
                                         "Le fichier {journal}/tile/entries/000 est tronqué"),
    "leaf tile missing": (lambda journal, _: (journal / "tile/0/000").unlink(), 2,
                          "Le fichier {journal}/tile/0/000 est introuvable."),
    "checkpoint too large": (_rewrite("checkpoint", lambda d: d + b"x" * 100_000), 1,
                             "Le fichier {journal}/checkpoint dépasse 100000 octets"),
}


@pytest.mark.parametrize("case", TAMPERED)
def test_a_tampered_journal_is_refused_with_its_reason(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], signer: Signer, case: str) -> None:
    journal = _journal(tmp_path, signer)
    tamper, expected_status, words = TAMPERED[case]
    tamper(journal, signer)
    status, _, err = _check(capsys, journal, *_receipt(7), signer=signer)
    assert status == expected_status, err
    assert err.startswith(words.format(journal=journal)), err


@pytest.mark.parametrize(("receipt", "words"), [
    (_receipt(8, ENTRIES[7]), "À la place n° 8, le journal contient une autre réponse que la "
     "vôtre. Vérifiez le numéro et le code de votre reçu."),
    (_receipt(7, answer(7, "mistyped")), "À la place n° 7, le journal contient une autre"),
    (_receipt(1000, answer(1000)), "Le journal publié ne contient que 1\u00a0000 réponses : "
     "la réponse n° 1000 n'y est pas encore. Réessayez après la prochaine publication."),
])
def test_a_receipt_not_in_the_journal_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], signer: Signer,
        receipt: list[str], words: str) -> None:
    status, out, err = _check(capsys, _journal(tmp_path, signer), *receipt, signer=signer)
    assert status == 1
    assert out.startswith("La signature du journal correspond")  # what was proved, first
    assert err.startswith(words), err


@pytest.mark.parametrize(("args", "words"), [
    (["--journal", "file:///etc/", *_receipt(1)], "Adresse refusée : file:///etc/."),
    (["--journal", "ftp://example.org/journal", *_receipt(1)], "Adresse refusée"),
    (["--journal", "/nonexistent/journal", *_receipt(1)],
     "/nonexistent/journal n'est ni une adresse http(s) ni un dossier."),
    (["--journal", ".", "--index", "1", "--leaf-hash", "abc"],
     "Le code de réponse doit faire 64 caractères"),
    (["--journal", ".", "--index", "1"], "--index et --leaf-hash vont ensemble."),
    (["--journal", "."], "Indiquez --index et --leaf-hash (votre reçu), ou --previous"),
    (["--journal", ".", "--index", "-1", "--leaf-hash", "0" * 64],
     "--index attend un nombre positif : -1"),
    (["--journal", ".", *_receipt(1), "--timeout", "0"], "--timeout attend un nombre positif : 0"),
    (["--journal", ".", "--key", "mairie.example+00000000+AAAA", *_receipt(1)],
     "La clé ne se lit pas (ce n'est pas une clé Ed25519)."),
    (["--journal", ".", "--key-file", "/nonexistent/key", *_receipt(1)],
     "Impossible de lire /nonexistent/key"),
])
def test_wrong_arguments_are_explained(
        capsys: pytest.CaptureFixture[str], args: list[str], words: str) -> None:
    assert verifier.main(args) == 2
    assert capsys.readouterr().err.startswith(words)


def test_french_and_english_say_the_same_things() -> None:
    french, english = verifier.MESSAGES["fr"], verifier.MESSAGES["en"]
    assert set(french) == set(english)

    def placeholders(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key, text in english.items():
        assert placeholders(french[key]) == placeholders(text), key
        prose = re.sub(r"\{[^}]*\}|https?://\S*|\(s\)", "", french[key])
        assert not re.search(r"\w[:;?!]", prose), (key, french[key])  # a space before them
    source = VERIFIER.read_text(encoding="utf-8")
    for key in english:
        assert f'"{key}"' in source.split("MONTHS = {")[1], f"{key} is never said"


def test_the_documented_example_is_what_the_verifier_says() -> None:
    guide = (REPO / "docs" / "answer-log.md").read_text(encoding="utf-8")
    date = verifier.say("fr", "published_on", date="3 mars 2026")
    said = verifier.say("fr", "included", index=1234, date=date,
                        count=verifier.count_text("fr", 12345))
    assert said.replace("\u00a0", " ") in guide
    key = "consultation.example.org/journal+1a2b3c4d+AR\u2026"
    assert verifier.say("fr", "signature_ok", key=key) in guide


# --- Over HTTP, with nothing but the standard library ------------------------------------

def _run(*args: str) -> subprocess.CompletedProcess[str]:
    """The verifier in isolated mode without site-packages (-I -S): only the standard library
    can be imported, as on a citizen's computer."""
    environment = {"PATH": os.environ.get("PATH", ""), "LANG": "fr_FR.UTF-8"}
    return subprocess.run([sys.executable, "-I", "-S", str(VERIFIER_FILE), *args],
                          capture_output=True, text=True, env=environment, timeout=120,
                          check=False)


def test_the_published_file_checks_a_receipt_over_http(tmp_path: Path, signer: Signer) -> None:
    journal = _journal(tmp_path / "journal", signer)
    bundle = journal / "tile/entries/003.p/232"
    (journal / "tile/entries/003.p/232.gz").write_bytes(gzip.compress(bundle.read_bytes()))
    bundle.write_bytes(b"never sent: the server sends the .gz")
    with serve_site(tmp_path) as site:
        result = _run("--journal", site + "journal/", "--key", signer.verifier_key,
                      *_receipt(999))
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1] == (
            "Votre réponse n° 999 est bien dans le journal publié le 3 mars 2026 "
            "(1\u00a0000 réponses).")
        result = _run("--journal", site + "journal/", "--key", signer.verifier_key,
                      *_receipt(999, answer(998)), "--language", "en")
        assert result.returncode == 1
        assert result.stderr.startswith("At place no. 999, the journal holds another answer")
        result = _run("--journal", site + "elsewhere/", *_receipt(1))
        assert result.returncode == 2
        assert result.stderr.strip() == (
            f"Le fichier {site}elsewhere/key.txt est introuvable. Vérifiez l'adresse du journal.")
    help_text = _run("--help")
    assert help_text.returncode == 0
    assert "--leaf-hash HEX" in help_text.stdout
    assert "code de la réponse, 64 caractères (sur votre reçu)" in help_text.stdout


class _Failing(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/ailleurs/"):
            self.send_response(302)
            self.send_header("Location", "ftp://example.org/journal/checkpoint")
            self.end_headers()
            return
        self.send_error(503)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_server_and_network_errors_are_said_plainly(
        capsys: pytest.CaptureFixture[str], signer: Signer) -> None:
    with http_server(_Failing) as url:
        status, _, err = _check(capsys, url + "/journal/", *_receipt(1), signer=signer)
        assert status == 2
        assert err.strip() == (f"Le serveur a répondu 503 pour {url}/journal/checkpoint. "
                               "Réessayez plus tard.")
    port = free_port()
    status, _, err = _check(capsys, f"http://127.0.0.1:{port}/journal", *_receipt(1),
                            signer=signer)
    assert status == 2
    assert err.startswith(f"Impossible de lire http://127.0.0.1:{port}/journal/checkpoint : ")
    assert err.strip().endswith("Vérifiez l'adresse et la connexion.")


def test_a_redirect_to_another_scheme_is_refused(
        capsys: pytest.CaptureFixture[str], signer: Signer) -> None:
    with http_server(_Failing) as url:
        status, _, err = _check(capsys, url + "/ailleurs", *_receipt(1), signer=signer)
    assert status == 2
    assert err.startswith("Adresse refusée : ftp://example.org/journal/checkpoint.")
