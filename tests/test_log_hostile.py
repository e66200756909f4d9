"""``parole log`` given what people get wrong, and what an attacker serves: each gets an
explanation in words (and the right exit status), never a traceback. Also ``keygen``'s files
and the journal verified over HTTP. SQLite only: nothing here depends on the backend."""

from __future__ import annotations

import http.server
import stat
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from site_builder.answer_log.checkpoint import Checkpoint, sign_checkpoint
from site_builder.answer_log.note import generate_key
from site_builder.storage import open_storage
from tests.log_command_support import (
    ORIGIN,
    fails,
    keygen,
    parole_log,
    store_answers,
    succeeds,
)
from tests.storage_support import new_batch, sheet_entry


def test_keygen_writes_a_private_key_for_its_owner_alone_and_never_over_a_file(
    tmp_path: Path,
) -> None:
    key, public = keygen(tmp_path)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_text().startswith(f"PRIVATE+KEY+{ORIGIN}+")
    assert public.read_text().startswith(f"{ORIGIN}+")
    before = key.read_bytes()
    refusal = fails(1, "keygen", "--origin", ORIGIN, "--key", key, cwd=tmp_path)
    assert "exists already: parole never replaces a key" in refusal
    assert key.read_bytes() == before
    public.unlink()  # the public key alone missing: still no new private key
    assert "exists already" in fails(1, "keygen", "--origin", ORIGIN, "--key", key,
                                     cwd=tmp_path)
    assert not public.exists()
    assert "does not exist" in fails(1, "keygen", "--origin", ORIGIN, "--key",
                                     tmp_path / "nowhere" / "k", cwd=tmp_path)


def test_keygen_names_the_journal_after_the_site(tmp_path: Path) -> None:
    assert "no --origin given, and no configuration" in fails(
        1, "keygen", "--key", tmp_path / "a.key", cwd=tmp_path)
    (tmp_path / "mkdocs.yml").write_text("site_name: Parc\n")
    assert "has no site_url" in fails(1, "keygen", "--key", tmp_path / "a.key", cwd=tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Parc\nsite_url: https://ville.example.fr/parc/\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:x.y\n")
    said = succeeds("keygen", "--key", tmp_path / "a.key", cwd=tmp_path)
    assert "Private key of the journal ville.example.fr/parc/journal written" in said
    assert "use --origin ville.example.fr/journal" in fails(
        1, "keygen", "--origin", "https://ville.example.fr/journal", "--key",
        tmp_path / "b.key", cwd=tmp_path)
    assert "cannot name a journal" in fails(1, "keygen", "--origin", "a b", "--key",
                                            tmp_path / "b.key", cwd=tmp_path)


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    store_answers(url, 4)
    return url


@pytest.mark.parametrize(("content", "mode", "said"), [
    (b"PRIVATE+KEY+x+00000000+AAAA\n", 0o644, "can be read by others (permissions 0644)"),
    (b"not a key at all\n", 0o600, "does not hold a key"),
    (b"\xff\xfe\x00binary", 0o600, "does not hold a key"),
    (b"", 0o600, "does not hold a key"),
    (b"x" * 20_000, 0o600, "does not hold a key"),
    (b"PRIVATE+KEY+x+nothex!+AAAA\n", 0o600, "does not hold a signing key"),
    (b"PRIVATE+KEY+x+00000000+AAAA\n", 0o600, "parole signs and checks Ed25519 keys only"),
])
def test_a_bad_signing_key_is_explained(tmp_path: Path, database: str, content: bytes,
                                        mode: int, said: str) -> None:
    key = tmp_path / "bad.key"
    key.write_bytes(content)
    key.chmod(mode)
    assert said in fails(1, "checkpoint", "--db", database, "--key", key, cwd=tmp_path)


def test_the_public_key_or_no_key_cannot_sign(tmp_path: Path, database: str) -> None:
    _key, public = keygen(tmp_path)
    assert "holds a public key; signing needs the private key" in fails(
        1, "checkpoint", "--db", database, "--key", public, cwd=tmp_path)
    assert "no key file at" in fails(1, "checkpoint", "--db", database, "--key",
                                     tmp_path / "missing.key", cwd=tmp_path)
    assert "no database at" in fails(1, "checkpoint", "--db",
                                     f"sqlite:///{tmp_path / 'typo.db'}", "--key", public,
                                     cwd=tmp_path)
    assert not (tmp_path / "typo.db").exists()


def test_prove_explains_each_answer_it_cannot_prove(tmp_path: Path, database: str) -> None:
    key, _public = keygen(tmp_path)
    answer = store_answers(database, 1, first=10)[0]
    not_yet = parole_log("prove", answer.receipt, "--db", database, cwd=tmp_path)
    assert not_yet.returncode == 1
    assert "No signed checkpoint covers leaf no. 4 yet" in not_yet.stdout
    assert "no answer of this database ever had the receipt code" in fails(
        1, "prove", "ABCD-EFGH", "--db", database, cwd=tmp_path)
    assert "is not a receipt code" in fails(1, "prove", "<script>", "--db", database,
                                            cwd=tmp_path)
    storage = open_storage(database)
    batch = storage.create_batch(new_batch())
    pending = storage.enter_sheet(sheet_entry(batch.id), double=True).sheet.receipt
    storage.close()
    assert "has no leaf in the log: it does not count (yet)" in fails(
        1, "prove", pending, "--db", database, cwd=tmp_path)
    succeeds("checkpoint", "--db", database, "--key", key, cwd=tmp_path)
    proved = succeeds("prove", answer.receipt.lower(), "--db", database, cwd=tmp_path)
    assert "leaf no. 4 of the journal (the answer as it counts)" in proved


def test_publish_explains_what_it_cannot_do(tmp_path: Path, database: str) -> None:
    key, public = keygen(tmp_path)
    assert "holds no signed checkpoint" in fails(1, "publish", "--db", database, "--key",
                                                 public, "--output", tmp_path / "j",
                                                 cwd=tmp_path)
    succeeds("checkpoint", "--db", database, "--key", key, cwd=tmp_path)
    assert "does not exist" in fails(1, "publish", "--db", database, "--key", public,
                                     "--output", tmp_path / "no" / "journal", cwd=tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    _other_key, other_public = keygen(other)
    assert "is not signed by the key" in fails(1, "publish", "--db", database, "--key",
                                               other_public, "--output", tmp_path / "j",
                                               cwd=tmp_path)


@pytest.fixture
def journal(tmp_path: Path, database: str) -> tuple[Path, Path]:
    """A published journal of 4 answers, and its public key file."""
    key, public = keygen(tmp_path)
    succeeds("checkpoint", "--db", database, "--key", key, cwd=tmp_path)
    folder = tmp_path / "journal"
    succeeds("publish", "--db", database, "--key", public, "--output", folder, cwd=tmp_path)
    return folder, public


@pytest.mark.parametrize(("content", "said"), [
    (b"", "no signature lines"),
    (b"garbage\n", "no signature lines"),
    (b"\x00\xff" * 100, "not UTF-8"),
    (sign_checkpoint(Checkpoint(ORIGIN, 2, bytes(32)), generate_key(ORIGIN)).encode(),
     "not signed by the key you trust"),
])
def test_a_malformed_saved_checkpoint_is_refused(tmp_path: Path, journal: tuple[Path, Path],
                                                 content: bytes, said: str) -> None:
    folder, public = journal
    saved = tmp_path / "saved"
    saved.write_bytes(content)
    refusal = fails(1, "verify", "--site", folder, "--key", public, "--from", saved,
                    cwd=tmp_path)
    assert f"{saved} is refused" in refusal and said in refusal, refusal


@pytest.mark.parametrize(("site", "said"), [
    ("ftp://example.org/journal", "is neither an http:// or https:// address nor a folder"),
    ("file:///etc", "is neither an http:// or https:// address nor a folder"),
    ("javascript:alert(1)", "is neither an http:// or https:// address nor a folder"),
    ("no-such-folder", "there is no folder no-such-folder"),
])
def test_verify_refuses_what_is_no_journal_address(tmp_path: Path, site: str, said: str) -> None:
    assert said in fails(2, "verify", "--site", site, cwd=tmp_path)


def test_verify_says_when_it_could_not_check(tmp_path: Path,
                                             journal: tuple[Path, Path]) -> None:
    folder, public = journal
    assert "cannot read the saved checkpoint" in fails(
        2, "verify", "--site", folder, "--from", tmp_path / "missing", cwd=tmp_path)
    assert "the key given with --key cannot be used" in fails(
        2, "verify", "--site", folder, "--key", tmp_path / "missing.pub", cwd=tmp_path)
    said = succeeds("verify", "--site", folder, cwd=tmp_path)
    assert said.startswith("Warning: no --key given")
    (folder / "tile" / "entries" / "000.p" / "4").unlink()
    assert "is missing" in fails(2, "verify", "--site", folder, "--key", public, cwd=tmp_path)


class _Journal(http.server.SimpleHTTPRequestHandler):
    """The journal's folder, and an address that redirects away from http."""

    def do_GET(self) -> None:
        if self.path.startswith("/away/"):
            self.send_response(302)
            self.send_header("Location", "ftp://example.org/journal/checkpoint")
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served(journal: tuple[Path, Path]) -> Iterator[str]:
    folder, _public = journal
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             partial(_Journal, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_verify_over_http(tmp_path: Path, journal: tuple[Path, Path], served: str) -> None:
    _folder, public = journal
    said = succeeds("verify", "--site", f"{served}/", "--key", public, cwd=tmp_path)
    assert "All 1 tiles and 4 entries hash up to the signed tree head of 4 answers" in said
    succeeds("verify", "--site", f"{served}/checkpoint", "--key", public, cwd=tmp_path)
    assert "is neither an http:// or https:// address" in fails(
        2, "verify", "--site", f"{served}/away/", "--key", public, cwd=tmp_path)
    assert "is missing" in fails(2, "verify", "--site", f"{served}/nothing/", "--key", public,
                                 cwd=tmp_path)


def test_messages_are_in_french_for_a_french_organizer(tmp_path: Path) -> None:
    result = parole_log("verify", "--site", "ftp://x", cwd=tmp_path, language="fr_FR.UTF-8")
    assert result.returncode == 2
    assert "n'est ni une adresse http:// ou https:// ni un dossier" in result.stderr
