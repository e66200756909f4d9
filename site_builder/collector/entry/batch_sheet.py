"""The entry screen of a batch: ``GET|POST {area}/batches/{batch_id}/sheet``.

The screen is the form itself (``render_form(paper_entry=True)``: each question with its printed
code and an "unreadable or spoiled" box), under a line saying which batch and which sheet this
is. Saving stores one typing of the mediator's next sheet (``Storage.enter_sheet``), then 303 to
the same screen with ``?saved=<receipt>``: empty again, a status line naming the sheet saved and
its receipt code (to write on the paper), and focus on the first question (``autofocus``, no
script), so that a stack is typed with the keyboard alone and without scrolling back.

A hidden ``_typing`` holds the typing's key (``typing_key``), drawn with the screen: the same
screen posted twice (Save pressed twice, a reload, Back then Save after a lost response), to
this collector or to another on the same database, finds its sheet already stored and shows it
saved instead of storing it a second time as the next sheet. A hidden ``_sheet`` says which
sheet the screen was showing (read by people and by test drivers; saving goes by the batch's
next sheet).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from site_builder.collector.answers import expiry
from site_builder.collector.body import Refusal, shown
from site_builder.collector.entry.access import FormBody, SignedIn, signed_request
from site_builder.collector.entry.batch_common import (
    batch_facts,
    batch_manifest,
    links_html,
    next_sheet,
    text,
    typed_by,
)
from site_builder.collector.entry.batch_pages import (
    SHEET_NAME,
    area_links,
    not_saved_screen,
    plain_page,
    shown_receipt,
)
from site_builder.collector.entry.page import area_page
from site_builder.collector.entry.typing_key import (
    TYPING_NAME,
    new_typing_key,
    posted_typing_key,
)
from site_builder.collector.lookup import RETRY_AFTER_UNAVAILABLE
from site_builder.collector.paper_check import CheckedSheet, check_sheet
from site_builder.collector.responses import private
from site_builder.collector.settings import Collector, catalogue
from site_builder.forms.manifest import Manifest
from site_builder.forms.posted import (
    CSRF_NAME,
    FORM_ID_NAME,
    FORM_VERSION_NAME,
    SPOILED,
    SPOILED_NAME,
)
from site_builder.forms.render import render_form
from site_builder.i18n import Catalogue
from site_builder.messages import say
from site_builder.storage.base import Marks, StorageUnavailable, Values
from site_builder.storage.entry import Batch, EntryError, Sheet, SheetEntry
from site_builder.storage.receipts import normalise_receipt

log = logging.getLogger("parole.collector")

RECEIPT_SLOT = "\x00receipt\x00"
"""Where the receipt goes in a status line, once the catalogue's words are escaped."""


async def sheet_screen(request: Request) -> Response:
    """The entry screen (GET), or one sheet typed in (POST)."""
    collector: Collector = request.app.state.collector
    found = await signed_request(request)
    if isinstance(found, Response):
        return found
    signed, body = found
    try:
        return await _screen(request, collector, signed, body)
    except StorageUnavailable as error:
        # Nothing was stored. A typing comes back as it was sent, drawn without the database
        # (which is what failed): Save sends it again once the database is back.
        path = request.url.path
        log.error("%s", say("collector.log.entry_not_saved", path=path, error=error) if body
                  else say("collector.log.unavailable", method=request.method, path=path,
                           error=error))
        words = catalogue(signed.manifest.language)
        retry = {"Retry-After": str(RETRY_AFTER_UNAVAILABLE)}
        kept = not_saved_screen(collector, signed, path, body) if body else None
        return kept or plain_page(collector, signed, words, "down", 503, headers=retry)


async def _screen(request: Request, collector: Collector, signed: SignedIn,
                  body: FormBody | None) -> Response:
    words = catalogue(signed.manifest.language)
    batch_id = int(request.path_params["batch_id"])
    batch = await run_in_threadpool(collector.storage.batch, batch_id)
    manifest = batch_manifest(collector, signed.area, batch) if batch else None
    if batch is None or manifest is None:
        return plain_page(collector, signed, words, "not_found", 404)
    if batch.closed_at is not None or batch.source_digest is not None:
        # closed: it takes no more sheets; imported: its answers came from a file
        kind = "closed" if batch.closed_at is not None else "imported"
        return plain_page(collector, signed, words, kind, 409, batch=batch)
    screen = Screen(collector, signed, batch, manifest, catalogue(manifest.language))
    if body is None:
        saved = normalise_receipt(request.query_params.get("saved", ""))
        return await screen.show(saved=saved)
    return await screen.save(body)


@dataclass(frozen=True)
class Typing:
    """A sheet as posted: the answers, the questions ticked spoiled, the form version and
    the key of the screen it was typed in (None: a post without one)."""

    answers: dict[str, list[str]]
    spoiled: list[str]
    version: str
    key: str | None

    @property
    def marks(self) -> Marks:
        """The spoiled boxes as marks, to tick them again on the screen."""
        return dict.fromkeys(self.spoiled, SPOILED)


class Screen:
    """One mediator's entry screen of one open batch."""

    def __init__(self, collector: Collector, signed: SignedIn, batch: Batch,
                 manifest: Manifest, words: Catalogue) -> None:
        self.collector = collector
        self.signed = signed
        self.batch = batch
        self.manifest = manifest
        self.words = words
        self.path = f"{signed.area}/batches/{batch.id}/sheet"

    async def show(
        self,
        *,
        saved: str | None = None,
        values: Mapping[str, Sequence[str]] | None = None,
        marks: Marks | None = None,
        errors: Mapping[str, str] | None = None,
        typing_key: str | None = None,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """The screen for the mediator's next sheet; ``saved``: the receipt of the sheet just
        typed (its status line); ``values``, ``marks``, ``errors`` and ``typing_key``: a typing
        to correct (the same typing: its key is kept; a new screen draws a new one)."""
        sheets = await run_in_threadpool(self.collector.storage.sheets, self.batch.id)
        me = self.signed.mediator.name
        double = self.manifest.double_entry
        number = next_sheet(self.batch, sheets, me, double=double)
        just_saved = next((sheet for sheet in typed_by(sheets, me) if sheet.receipt == saved),
                          None)
        status_line = self._status_line(just_saved) if just_saved else ""
        if number is None:
            return self._all_typed(status_line, len(typed_by(sheets, me) if double else sheets))
        words = self.words
        counted = self.batch.sheets_counted
        title = words("batches.sheet.title", number=number, count=counted)
        heading = [f"<h1>{text(words, 'batches.sheet.heading', number=number, count=counted)}"
                   "</h1>", status_line, batch_facts(words, self.batch, self.manifest)]
        first_typing = next((sheet for sheet in sheets if sheet.number == number), None)
        if self.manifest.double_entry and first_typing is not None:
            heading.append(
                f"<p>{text(words, 'batches.sheet.second_typing')} "
                f"{shown_receipt(first_typing.receipt)}</p>")
        if errors:
            title = f"{words('form.error_prefix')} {title}"
        form_html = render_form(
            self.manifest.form, catalogue=words, action=self.path,
            values={name: list(given) for name, given in (values or {}).items()},
            errors=dict(errors or {}), paper_entry=True, marks=dict(marks or {}),
            focus_first=not errors,
            hidden_extra={CSRF_NAME: self.signed.csrf, SHEET_NAME: str(number),
                          TYPING_NAME: typing_key or new_typing_key()},
        )
        main = "\n".join(part for part in (*heading, form_html, self._links()) if part)
        return area_page(self.collector, self.manifest, title, main, status=status,
                         headers=headers, signed=self.signed)

    async def save(self, body: FormBody) -> Response:
        """Check a typed sheet and store it; the screen again when it has mistakes."""
        typing = self._typing(body)
        if isinstance(typing, Response):
            return typing
        if typing.version != self.manifest.version:
            return await self.show(values=typing.answers, marks=typing.marks, status=409,
                                   errors={"_version": self.words("collector.changed")},
                                   typing_key=typing.key)
        try:
            checked = check_sheet(self.manifest.form, typing.answers, typing.spoiled,
                                  self.words)
        except Refusal as refusal:
            return self._refused(refusal.reason)
        if checked.errors:
            return await self.show(values=checked.values_as_entered, marks=typing.marks,
                                   errors=checked.errors, status=400, typing_key=typing.key)
        return await self._store(checked, typing.key)

    def _typing(self, body: FormBody) -> Typing | Response:
        """The typing a post holds, or the refusal of a post this screen cannot send."""
        answers = body.answers()
        spoiled = answers.pop(SPOILED_NAME, [])
        form_id = answers.pop(FORM_ID_NAME, [])
        version = answers.pop(FORM_VERSION_NAME, [])
        shown_sheet = answers.pop(SHEET_NAME, [])
        if form_id != [self.manifest.form.id] or len(version) != 1 or len(shown_sheet) > 1:
            return self._refused(say("collector.refusal.unknown_form",
                                     form=shown(form_id[0] if form_id else "")))
        try:
            key = posted_typing_key(answers, self.manifest.form.id)
        except Refusal as refusal:
            return self._refused(refusal.reason)
        return Typing(answers, spoiled, version[0], key)

    async def _store(self, checked: CheckedSheet, key: str | None) -> Response:
        """Store the sheet, then 303 to the screen of the next one; 409 when the batch takes no
        more sheets (``StorageUnavailable`` goes up: ``sheet_screen`` answers 503). A typing
        whose key is stored already (its screen posted twice) stores nothing: the 303 names
        the sheet it went into, as the first post's did."""
        entry = self._entry(checked.values, checked.marks, key)
        try:
            await run_in_threadpool(self.collector.remember_form, self.manifest)
            result = await run_in_threadpool(
                functools.partial(self.collector.storage.enter_sheet, entry,
                                  double=self.manifest.double_entry))
        except EntryError as error:
            return plain_page(self.collector, self.signed, self.words, "refused", 409,
                          batch=self.batch, reason=str(error))
        return self._saved(result.sheet.receipt)

    def _entry(self, values: Values, marks: Marks, key: str | None) -> SheetEntry:
        now = self.collector.settings.now()
        return SheetEntry(
            batch_id=self.batch.id, entered_by=self.signed.mediator.name, values=values,
            marks=marks, form_version=self.manifest.version, entered_at=now,
            expires_at=expiry(self.manifest, now),
            fingerprint=sheet_fingerprint(self.manifest, values, marks), typing_key=key)

    def _saved(self, receipt: str) -> Response:
        return private(RedirectResponse(f"{self.path}?saved={quote(receipt)}",
                                        status_code=303))

    def _status_line(self, sheet: Sheet) -> str:
        """What happened to the sheet just typed: saved with its receipt to write on it; with
        double entry, waiting for the second typing, or whether the two typings agree."""
        words = self.words
        params = {"number": sheet.number, "count": self.batch.sheets_counted,
                  "receipt": RECEIPT_SLOT}
        live = [entry for entry in sheet.entries if not entry.discarded]
        first = bool(live) and live[0].entered_by == self.signed.mediator.name
        if not self.manifest.double_entry:
            key = "saved"
        elif first:
            key = "saved_first"
        else:
            key = {"counted": "agrees", "differs": "differs"}.get(sheet.state, "saved_first")
        line = text(words, f"batches.sheet.{key}", **params)
        return (f'<p class="p-status" role="status">'
                f"{line.replace(RECEIPT_SLOT, shown_receipt(sheet.receipt))}</p>")

    def _all_typed(self, status_line: str, typed: int) -> Response:
        """Every sheet counted by hand is typed: by anyone (single entry), or by this mediator
        in their run through the stack (double entry)."""
        words = self.words
        done = "done" if self.manifest.double_entry else "all_in"
        title = words(f"batches.sheet.{done}_title")
        count = self.batch.sheets_counted
        main = "\n".join(part for part in (
            f"<h1>{escape(title, quote=False)}</h1>", status_line,
            batch_facts(words, self.batch, self.manifest),
            f"<p>{text(words, f'batches.sheet.{done}', typed=typed, count=count)}</p>",
            self._links()) if part)
        return area_page(self.collector, self.manifest, title, main, signed=self.signed)

    def _links(self) -> str:
        return links_html(area_links(self.signed, self.batch, self.words))

    def _refused(self, reason: str) -> Response:
        log.warning("%s", say("collector.log.refused", status=400, reason=reason))
        return plain_page(self.collector, self.signed, self.words, "unreadable", 400,
                      batch=self.batch)


def sheet_fingerprint(manifest: Manifest, values: Values, marks: Marks) -> str:
    """What makes two typings of a sheet the same (``answers.fingerprint``, marks included):
    the form, its version, every value and every mark."""
    canonical = json.dumps([manifest.form.id, manifest.version, values, marks],
                           ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
