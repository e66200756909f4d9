"""``parole moderate`` against texts that would drive the terminal, and against a database that
changes while a moderator reads (another moderator, a coordinator's correction), and Ctrl-C."""

from __future__ import annotations

import argparse
import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.forms.model import Field
from site_builder.results.moderate_command import INTERRUPTED, run_moderate
from site_builder.results.moderate_dialog import occurrences
from site_builder.storage import open_storage
from site_builder.storage.base import Storage, StoredAnswer
from site_builder.storage.entry import NewBatch, SheetEntry
from site_builder.storage.moderation import NewVerdict, Verdict, text_digest
from tests.moderate_support import FORM, T0, answer, register
from tests.storage_support import record_over_newest
from tests.test_moderate_command import moderate, verdicts

DRIVING = {
    "\x1b[2J": "\\u001b[2J",  # clears the screen
    "\x1b]0;pwned\x07": "\\u001b]0;pwned\\u0007",  # sets the window's title
    "\x9b31m": "\\u009b31m",  # CSI in one character
    "\u202e": "\\u202e",  # right-to-left override ("Trojan Source")
    "\u2066": "\\u2066",  # left-to-right isolate
    "\u2028": "\\u2028",  # line separator
    "Vrai\rFaux": "Vrai\\u000dFaux",  # a carriage return hides what came before
}
OBEYED = ("\x1b", "\x9b", "\x07", "\u202e", "\u2066", "\u2028", "\r")


@pytest.fixture
def hostile_url(storage_url: str) -> str:
    """A form whose question label, answers and an earlier theme hold what drives a
    terminal."""
    idees = dataclasses.replace(FORM.fields[0], label="Vos idées \x1b[31m\u202eici")
    form = dataclasses.replace(FORM, fields=(idees, *FORM.fields[1:]))
    storage = open_storage(storage_url)
    try:
        register(storage, form)
        first = answer(storage, 0, idees="Déjà décidé.")
        record_over_newest(storage, NewVerdict(
            form_id=FORM.id, receipt=first, field_id="idees", outcome="approved",
            text_digest=text_digest("Déjà décidé."), decided_by="web", decided_at=T0,
            theme="Thème \x1b[5mclignotant"))
        answer(storage, 1, idees="Avant " + "".join(DRIVING) + " après\ndeuxième ligne")
    finally:
        storage.close()
    return storage_url


def test_texts_shown_never_drive_the_terminal(hostile_url: str) -> None:
    script = "\x1b[31m\ne\n\x1b[9m\n\nt\n1\nq\n"
    result = moderate(hostile_url, script, "--by", "Claire\x1b[8m")
    out = result.stdout
    for character in OBEYED:
        assert character not in out, repr(character)
    for escaped in DRIVING.values():
        assert escaped in out
    assert "Question: Vos idées \\u001b[31m\\u202eici" in out
    assert "    Avant " in out and "\n    deuxième ligne" in out  # one indented line each
    assert "“\\u001b[31m” is not one of the choices" in out
    assert "“\\u001b[9m” is not in the answer" in out
    assert "[1] Thème \\u001b[5mclignotant" in out
    assert "as made by Claire\\u001b[8m" in out
    [_, made] = verdicts(hostile_url)
    assert made.theme == "Thème \x1b[5mclignotant"  # stored as given, escaped where shown


# -- in-process: the database changes while the moderator reads -----------------------------

@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    opened = open_storage(f"sqlite:///{tmp_path / 'answers.db'}")
    register(opened)
    yield opened
    opened.close()


def run(storage: Storage, script: str | Interrupting, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    stdin = io.StringIO(script) if isinstance(script, str) else script
    monkeypatch.setattr("sys.stdin", stdin)
    code = run_moderate(argparse.Namespace(form_id=FORM.id, by="Claire"), storage)
    return code, capsys.readouterr().out


class Meanwhile:
    """A storage where something happens just before an answer is read, or a verdict saved."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.before_get: dict[str, object] = {}
        self.before_record: list[object] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self.storage, name)

    def get(self, receipt: str) -> StoredAnswer | None:
        happening = self.before_get.pop(receipt, None)
        if callable(happening):
            happening()
        return self.storage.get(receipt)

    def record_verdict(self, verdict: NewVerdict, *, supersedes: int | None) -> Verdict:
        if self.before_record:
            happening = self.before_record.pop(0)
            assert callable(happening)
            happening()
        return self.storage.record_verdict(verdict, supersedes=supersedes)


def test_an_answer_decided_elsewhere_meanwhile_is_not_shown(
    storage: Storage, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    answer(storage, 0, idees="Premier.")
    second = answer(storage, 1, idees="Décidé sur la page web.")
    answer(storage, 2, idees="Troisième.")
    meanwhile = Meanwhile(storage)
    meanwhile.before_get[second] = lambda: record_over_newest(storage, NewVerdict(
        form_id=FORM.id, receipt=second, field_id="idees", outcome="rejected",
        reason="duplicate", text_digest=text_digest("Décidé sur la page web."),
        decided_by="web", decided_at=T0))
    code, out = run(meanwhile, "a\na\n", monkeypatch, capsys)  # type: ignore[arg-type]
    assert code == 0
    assert "Décidé sur la page web." not in out
    assert "Answer 1 of 3" in out and "Answer 3 of 3" in out and "Answer 2 of 3" not in out
    assert [(v.decided_by, v.outcome) for v in storage.verdicts(FORM.id)] == [
        ("Claire", "approved"), ("web", "rejected"), ("Claire", "approved")]


def test_an_answer_corrected_while_shown_is_not_saved_and_says_so(
    storage: Storage, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    batch = storage.create_batch(NewBatch(form_id=FORM.id, place="Mairie",
                                          collected_on=T0.date(), sheets_counted=1,
                                          created_by="alice", created_at=T0))
    values = {"idees": ["Des bancs pres du lac."], "citation": ["yes"]}
    receipt = storage.enter_sheet(SheetEntry(
        batch_id=batch.id, entered_by="alice", values=values, marks={},
        form_version=FORM.version, entered_at=T0, expires_at=None, fingerprint="p"),
        double=False).sheet.receipt
    meanwhile = Meanwhile(storage)
    meanwhile.before_record.append(lambda: storage.correct_answer(
        receipt, {**values, "idees": ["Des bancs près du lac."]}, {}, "carol", T0))
    code, out = run(meanwhile, "a\n", monkeypatch, capsys)  # type: ignore[arg-type]
    assert code == 0
    assert "Received on 2027-03-01 (on paper)" in out
    assert ("Not saved: the answer " in out
            and "was corrected since it was shown: read it again before deciding" in out)
    assert out.rstrip().endswith("Done: 0 approved, 0 rejected, 1 left to read.")
    assert list(storage.verdicts(FORM.id)) == []


def test_an_answer_whose_consent_was_withdrawn_meanwhile_is_not_shown(
    storage: Storage, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    first = answer(storage, 0, idees="Premier.")
    meanwhile = Meanwhile(storage)
    meanwhile.before_get[first] = lambda: storage.delete(first)
    code, out = run(meanwhile, "a\n", monkeypatch, capsys)  # type: ignore[arg-type]
    assert code == 0
    assert "Premier." not in out
    assert list(storage.verdicts(FORM.id)) == []


class Interrupting:
    """Standard input where the moderator presses Ctrl-C after the given lines."""

    def __init__(self, lines: str) -> None:
        self.lines = io.StringIO(lines)

    def readline(self) -> str:
        line = self.lines.readline()
        if not line:
            raise KeyboardInterrupt
        return line


def test_ctrl_c_keeps_what_was_decided_and_says_so(
    storage: Storage, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    answer(storage, 0, idees="Premier.")
    answer(storage, 1, idees="Second.")
    code, out = run(storage, Interrupting("a\n"), monkeypatch, capsys)
    assert code == INTERRUPTED
    assert out.rstrip().endswith("Done: 1 approved, 0 rejected, 1 left to read.")
    assert len(list(storage.verdicts(FORM.id))) == 1


def test_only_free_text_questions_are_read(
    storage: Storage, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    answer(storage, 0, age="41", titre="Bancs")
    code, out = run(storage, "a\n", monkeypatch, capsys)
    assert code == 0
    assert "Question: Votre idée en un mot" in out and "41" not in out
    assert isinstance(FORM.fields[2], Field) and FORM.fields[2].type == "number"


def test_words_to_hide_match_across_line_breaks_and_runs_of_spaces() -> None:
    text = "Voisin : M.\nMartin, et M.  Martin encore ; pas m. martin."
    assert occurrences(text, "M. Martin") == [(9, 18), (23, 33)]
    assert occurrences(text, "  ") == []
    assert occurrences(text, "Martin\u202e") == []
