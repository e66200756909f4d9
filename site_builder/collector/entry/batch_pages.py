"""The entry screen's other pages and pieces (``batch_sheet``): a short page for a batch that
takes no sheet (unknown, closed, imported) or a typing refused, the 503 screen that keeps a
typing the database did not take, the links back, and a receipt code as the typist copies it.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from starlette.responses import Response

from site_builder.collector.entry import area_path
from site_builder.collector.entry.access import FormBody, SignedIn
from site_builder.collector.entry.batch_common import batch_title, links_html, text
from site_builder.collector.entry.page import area_page
from site_builder.collector.entry.typing_key import TYPING_NAME, new_typing_key
from site_builder.collector.lookup import RETRY_AFTER_UNAVAILABLE
from site_builder.collector.settings import Collector, catalogue
from site_builder.forms.posted import (
    CSRF_NAME,
    FORM_ID_NAME,
    FORM_VERSION_NAME,
    SPOILED,
    SPOILED_NAME,
)
from site_builder.forms.render import render_form
from site_builder.i18n import Catalogue
from site_builder.storage.entry import Batch
from site_builder.storage.receipts import format_receipt

NO_BREAK_HYPHEN = "\u2011"
SHEET_NAME = "_sheet"
"""The entry form's hidden input: the number of the sheet the screen showed (``batch_sheet``)."""


def shown_receipt(code: str) -> str:
    """A receipt code as the typist copies it onto the sheet: bold, left to right, its hyphen
    one that never breaks the line (``7KQ2-`` above ``M9XD`` would be misread); the lookup
    ignores that hyphen as it does any (``receipts.normalise_receipt``)."""
    shown = format_receipt(code).replace("-", NO_BREAK_HYPHEN)
    return f'<strong dir="ltr">{escape(shown)}</strong>'


def area_links(signed: SignedIn, batch: Batch | None, words: Catalogue) -> list[tuple[str, str]]:
    """Back to the area's home, and to the batch's page (every mediator reads it)."""
    links = [(f"{signed.area}/", text(words, "entry.home_link"))]
    if batch is not None:
        links.append((f"{signed.area}/batches/{batch.id}",
                      text(words, "batches.batch_link", number=batch.id)))
    return links


def plain_page(collector: Collector, signed: SignedIn, words: Catalogue, kind: str,
               status: int, *, batch: Batch | None = None, reason: str = "",
               headers: Mapping[str, str] | None = None) -> Response:
    """A short page: the batch is unknown (404), closed or imported (409), the typing was
    refused, or the database is unavailable (503)."""
    title = words(f"batches.sheet.{kind}.title")
    parts = [f"<h1>{escape(title, quote=False)}</h1>"]
    if batch is not None:
        manifest = collector.site.manifest(batch.form_id)
        parts.append(f"<p>{batch_title(words, batch, manifest)}</p>")
    parts.append(f"<p>{escape(reason, quote=False) or text(words, f'batches.sheet.{kind}.what')}"
                 "</p>")
    parts.append(links_html(area_links(signed, batch, words)))
    return area_page(collector, signed.manifest, title, "\n".join(parts), status=status,
                     headers=headers, signed=signed)


def not_saved_screen(collector: Collector, signed: SignedIn, path: str,
                     body: FormBody) -> Response | None:
    """503: the typing in ``body`` was not stored, shown again as it was sent (every value and
    "unreadable or spoiled" box) under the message saying so, drawn from the posted form and
    the site's manifest alone; None when the post names no form of the area."""
    answers = body.answers()
    form_id = answers.pop(FORM_ID_NAME, [""])[0]
    manifest = collector.site.manifest(form_id)
    if manifest is None or area_path(manifest) != signed.area:
        return None
    for name in (CSRF_NAME, FORM_VERSION_NAME):
        answers.pop(name, None)
    spoiled = answers.pop(SPOILED_NAME, [])
    shown_sheet = answers.pop(SHEET_NAME, [""])[0]
    # The same typing: Save sends it again with its key, stored once whatever happened.
    key = answers.pop(TYPING_NAME, [])[:1] or [new_typing_key()]
    words = catalogue(manifest.language)
    title = words("batches.sheet.refused.title")
    form_html = render_form(
        manifest.form, catalogue=words, action=path, values=answers,
        errors={"_storage": words("batches.sheet.unavailable")}, paper_entry=True,
        marks=dict.fromkeys(spoiled, SPOILED),
        hidden_extra={CSRF_NAME: signed.csrf, SHEET_NAME: shown_sheet, TYPING_NAME: key[0]})
    main = f"<h1>{escape(title, quote=False)}</h1>\n{form_html}\n" + links_html(
        area_links(signed, None, words))
    return area_page(collector, manifest, f"{words('form.error_prefix')} {title}", main,
                     status=503, headers={"Retry-After": str(RETRY_AFTER_UNAVAILABLE)},
                     signed=signed)
