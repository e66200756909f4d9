"""The pages the collector answers with, rendered for every form of a built site, so that the
audit checks them as citizens get them.

They are made by the collector's own code, in this process, along the paths a real request
takes: ``answers.check_dates`` for the form closed (on the day after it closes) and not yet
open (the day before it opens), ``answers.checked_answer`` with the real validator for the
form shown again with its errors, ``receipt.receipt_page`` for the receipt of an answer made
for the audit, and ``views.message`` for the "page not found" message. A ``Collector`` is
made for it without a database: none of these pages reads one.

Where the audit's server publishes them (``AuditedPage.path``), under the forms' address
(``/collect`` unless the site says otherwise):

- ``<action>/<form>/receipt.html``: the receipt, with a plausible answer to every question;
- ``<action>/<form>/proof.html``: that answer's proof page in the public journal of answers,
  as a checkpoint covering it shows it (``journal_samples``);
- ``<action>/<form>/errors.html``: the form again with its errors (every required question
  left empty, an e-mail address and a number written wrong), when the form can have errors;
- ``<action>/<form>/closed.html`` and ``<action>/<form>/not-open.html``: when the form has a
  closing day, an opening day;
- ``<action>/not-found.html``: what the collector says at an address that opens nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import cast

from site_builder.audit.journal_samples import sample_proof
from site_builder.audit.model import AuditedPage
from site_builder.collector import answers, pages, views
from site_builder.collector.answers import Answered, Arrival
from site_builder.collector.journal_pages import AnswerInJournal, explanation_path, proof_page
from site_builder.collector.paths import action_path
from site_builder.collector.settings import Collector, Settings, catalogue
from site_builder.collector.site import PublishedSite
from site_builder.collector.validate import Submission, check
from site_builder.forms.manifest import Manifest
from site_builder.forms.model import Field, Form
from site_builder.forms.posted import CONSENT_VALUE
from site_builder.messages import say
from site_builder.storage.base import Storage, StoredAnswer

RECEIPT_CODE = "A7D1T2K9"
"""The receipt code the audit's receipt shows (a valid code: ``storage.receipts.ALPHABET``)."""
PAGE_NAMES = {"receipt": "receipt.html", "proof": "proof.html", "errors": "errors.html",
              "closed": "closed.html", "not_open": "not-open.html"}
NOT_FOUND_NAME = "not-found.html"
SAMPLE_TEXT = {
    "fr": ("Réponse d\u2019exemple",
           "Plus de bancs à l\u2019ombre.\nEt des arbres le long du marché.",
           "nom@exemple.fr"),
    "en": ("A sample answer", "More benches in the shade.\nAnd trees along the market.",
           "name@example.org"),
}
"""(one line, several lines, an e-mail address) for the audit's answers, by language."""
WRONG_EMAIL = "pas-une-adresse"
WRONG_NUMBER = "deux cents"


class _NoStorage:
    """The database of the audit's collector: there is none, and asking it is a mistake."""

    def __getattr__(self, name: str) -> object:
        raise RuntimeError(f"the audit renders the collector's pages without a database "
                           f"(Storage.{name} was asked)")


@dataclass(frozen=True)
class _Rendered:
    kind: str
    html: str


def collector_pages(site_dir: Path, *,
                    today: date | None = None) -> dict[str, tuple[AuditedPage, str]]:
    """``path → (page, html)`` for every page the collector answers with, for every form of the
    site in ``site_dir`` (none for a site without forms). ``today`` is the day a receipt is
    written on when the form has no opening day. Raises ``ManifestError`` for a manifest the
    collector would refuse too."""
    site = PublishedSite(site_dir)
    manifests = site.check(require_forms=False)
    found: dict[str, tuple[AuditedPage, str]] = {}
    for manifest in manifests:
        for rendered in _form_pages(site_dir, manifest, today or date.today()):
            path = _page_path(manifest, rendered.kind)
            label = say(f"audit.command.page.{rendered.kind}", form=manifest.form.id)
            found[path] = (AuditedPage(path, "collector", label), rendered.html)
        path = f"{action_path(manifest).rstrip('/')}/{NOT_FOUND_NAME}"
        if path not in found:
            collector = _collector(site_dir, manifests, lambda: today or date.today())
            html = _body(views.message(collector, "not_found", 404))
            found[path] = (AuditedPage(path, "collector", say("audit.command.page.not_found")),
                           html)
    return dict(sorted(found.items()))


def _form_pages(site_dir: Path, manifest: Manifest, today: date) -> list[_Rendered]:
    rendered = []
    open_day = manifest.opens or (manifest.closes if manifest.closes and manifest.closes < today
                                  else today)
    collector = _collector(site_dir, [manifest], lambda: open_day)
    words = catalogue(manifest.language)
    received = datetime.combine(open_day, time(10, 0), UTC)
    answer = StoredAnswer(
        receipt=RECEIPT_CODE, form_id=manifest.form.id, form_version=manifest.version,
        values=sample_answer(manifest.form, manifest.language), channel="online",
        received_at=received, expires_at=answers.expiry(manifest, received))
    proof = sample_proof(answer)
    explained_at = explanation_path(site_dir, manifest)
    journal = AnswerInJournal(proof.leaf, _page_path(manifest, "proof"), explained_at)
    shell = views.form_shell(collector, manifest)
    rendered.append(_Rendered("receipt", pages.receipt_page(
        shell, manifest, answer, words, today=open_day, journal=journal)))
    rendered.append(_Rendered("proof", proof_page(
        shell, manifest, proof, words, receipt=RECEIPT_CODE, explained_at=explained_at,
        next_due=None)))
    errors = _answered(lambda: answers.checked_answer(
        collector, manifest, _mistaken(manifest),
        Arrival("online", partial(answers.form_again, collector))))
    if errors is not None:
        rendered.append(_Rendered("errors", errors))
    if manifest.closes is not None:
        after = manifest.closes + timedelta(days=1)
        rendered.append(_Rendered("closed", _dated(site_dir, manifest, after)))
    if manifest.opens is not None:
        before = manifest.opens - timedelta(days=1)
        rendered.append(_Rendered("not_open", _dated(site_dir, manifest, before)))
    return rendered


def _page_path(manifest: Manifest, kind: str) -> str:
    """Where the audit's server publishes the form's page of ``kind`` (``PAGE_NAMES``)."""
    return f"{action_path(manifest).rstrip('/')}/{manifest.form.id}/{PAGE_NAMES[kind]}"


def _dated(site_dir: Path, manifest: Manifest, day: date) -> str:
    """What the collector answers a post on ``day``, when the form is closed or not open."""
    collector = _collector(site_dir, [manifest], lambda: day)
    html = _answered(lambda: answers.check_dates(collector, manifest))
    if html is None:
        raise RuntimeError(f"the collector took answers to {manifest.form.id!r} on {day}")
    return html


def _collector(site_dir: Path, manifests: list[Manifest], today: Callable[[], date]) -> Collector:
    collector = Collector(Settings(site_dir=site_dir, today=today),
                          cast(Storage, _NoStorage()))
    collector.manifests = manifests
    return collector


def _answered(step: Callable[[], object]) -> str | None:
    """The page of the response ``step`` settles the request with; None when it passes."""
    try:
        step()
    except Answered as answered:
        return _body(answered.response)
    return None


def _body(response: object) -> str:
    body = getattr(response, "body", b"")
    return bytes(body).decode("utf-8")


def _mistaken(manifest: Manifest) -> Submission:
    """A submission as a person in a hurry sends it: every question left empty, but an e-mail
    address and a number written wrong, so that every kind of message shows."""
    wrong: dict[str, list[str]] = {}
    for field in manifest.form.fields:
        if field.type == "email":
            wrong[field.id] = [WRONG_EMAIL]
        elif field.type == "number":
            wrong[field.id] = [WRONG_NUMBER]
    return Submission(form_id=manifest.form.id, version=manifest.version, honeypot="",
                      answers=wrong)


def sample_answer(form: Form, language: str) -> dict[str, list[str]]:
    """A plausible answer to every question of ``form``, as the validator stores it (a value
    it would refuse is left out)."""
    line, lines, email = SAMPLE_TEXT.get(language[:2], SAMPLE_TEXT["en"])
    given = {field.id: _sample(field, line, lines, email) for field in form.fields}
    checked = check(form, given, catalogue(language))
    return {field_id: values for field_id, values in checked.values.items()
            if field_id not in checked.errors}


def _sample(field: Field, line: str, lines: str, email: str) -> list[str]:
    options = [option.value for option in field.options]
    steps = field.steps
    fixed: dict[str, list[str]] = {
        "choice": options[:1], "select": options[:1],
        "choices": options[:max(int(field.min or 0), min(2, int(field.max or 2)))],
        "scale": [str(steps[len(steps) // 2])] if steps else [],
        "consent": [CONSENT_VALUE], "email": [email],
    }
    if field.type in fixed:
        return fixed[field.type]
    if field.type == "number":
        return [_number(field)]
    text = lines if field.type == "textarea" else line
    return [text[: field.max_length] if field.max_length else text]


def _number(field: Field) -> str:
    value: float = 42
    if field.min is not None:
        value = max(value, field.min)
    if field.max is not None:
        value = min(value, field.max)
    return str(int(value)) if field.integer or float(value).is_integer() else str(value)

