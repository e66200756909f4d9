"""A citizen's receipt checked with the standalone verifier, every step a real process
(issue #19: "the standalone verifier run on a real receipt").

A citizen answers through a running ``parole collect``; the receipt page they get gives their
number in the journal and the leaf hash. The organizer makes a key, signs a checkpoint and
publishes the journal with ``parole log``. The citizen then runs the published
``parole_verifier.py`` with Python's isolated mode (nothing but the standard library) on the
numbers copied from their receipt page: it says their answer is in the signed journal. With
another answer's number, or one character of the hash changed, it refuses.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from tests.collector_language_support import FORM_ID, bilingual_site, the_form
from tests.collector_support import PAROLE, RunningCollector, running_collector

NUMBER = re.compile(r"votre réponse porte le numéro (\d+)\.")
HASH = re.compile(r'<code class="p-hash" dir="ltr" translate="no">([0-9a-f ]+)</code>')
ORIGIN = "quartier.example.org/journal"


def _parole(*args: str, cwd: Path) -> str:
    done = subprocess.run([str(PAROLE), *args], cwd=cwd, capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, f"parole {' '.join(args)}: {done.stderr}"
    return done.stdout


def _answer(collector: RunningCollector, idea: str) -> tuple[int, str]:
    """Answer the form as a citizen does; the number and leaf hash the receipt page shows."""
    reply = collector.post([("_form", FORM_ID), ("_version", the_form().version),
                            ("_language", "fr"), ("frequence", "jour"), ("idee", idea)])
    assert reply.status == 303, reply.text
    receipt = collector.request("GET", reply.headers["location"])
    assert receipt.status == 200
    text = unescape(receipt.text)
    number, shown_hash = NUMBER.search(text), HASH.search(receipt.text)
    assert number and shown_hash, "the receipt page should give the number and the hash"
    return int(number.group(1)), shown_hash.group(1).replace(" ", "")


def _verify(journal: Path, public_key: Path, index: int, leaf_hash: str) -> \
        subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-I", "-S", str(journal / "parole_verifier.py"), "--journal",
         str(journal), "--key-file", str(public_key), "--index", str(index),
         "--leaf-hash", leaf_hash], capture_output=True, text=True, check=False, timeout=60)


@pytest.mark.slow
def test_a_citizen_checks_their_receipt_with_the_published_verifier(tmp_path: Path) -> None:
    site = bilingual_site(tmp_path / "site")
    database_url = f"sqlite:///{tmp_path / 'answers.db'}"
    with running_collector(site, database_url, tmp_path) as collector:
        receipts = [_answer(collector, idea) for idea in
                    ("Des bancs à l'ombre", "Un jardin partagé", "Moins de voitures")]
    assert [index for index, _hash in receipts] == [0, 1, 2]

    key = tmp_path / "journal.key"
    _parole("log", "keygen", "--key", str(key), "--origin", ORIGIN, cwd=tmp_path)
    _parole("log", "checkpoint", "--db", database_url, "--key", str(key), cwd=tmp_path)
    journal = site / "journal"
    _parole("log", "publish", "--db", database_url, "--key", f"{key}.pub", "--output",
            str(journal), cwd=tmp_path)

    public_key = Path(f"{key}.pub")
    index, leaf_hash = receipts[1]
    checked = _verify(journal, public_key, index, leaf_hash)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"Votre réponse n° {index} est bien dans le journal" in checked.stdout, checked.stdout
    assert "(3 réponses)" in checked.stdout, checked.stdout

    wrong_place = _verify(journal, public_key, 2, leaf_hash)
    assert wrong_place.returncode == 1, wrong_place.stdout + wrong_place.stderr
    altered = leaf_hash[:-1] + ("0" if leaf_hash[-1] != "0" else "1")
    wrong_hash = _verify(journal, public_key, index, altered)
    assert wrong_hash.returncode == 1, wrong_hash.stdout + wrong_hash.stderr
