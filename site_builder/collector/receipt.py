"""The receipt page: what a person sees once their answer is stored, and again at its address.

It says that the answer is saved, gives the receipt code and why to keep it, shows the answers
as the person saw them in the form (option labels, not the values the database keeps), and says
what happens next: until when the consultation runs, where the results will be, and when the
answer will be deleted. Everything a person typed is escaped: an answer may hold ``<script>``.

Contact details are masked (``m•••@exemple.fr``, ``•••78``): the page is the person's own, but
it is printed, left open on a shared computer, reached again from the browser's history. The
person knows what they typed; the organizer's exports keep the full values.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from site_builder.calendar import format_date, is_past
from site_builder.collector.journal_pages import AnswerInJournal, journal_section
from site_builder.collector.paths import form_page_path, site_path, site_url
from site_builder.collector.shell import Shell, absolute_urls
from site_builder.forms.manifest import Manifest
from site_builder.forms.model import Field
from site_builder.forms.posted import CONSENT_VALUE
from site_builder.forms.render import AUTOCOMPLETE
from site_builder.i18n import Catalogue
from site_builder.storage.base import StoredAnswer
from site_builder.storage.receipts import format_receipt

PRINT_BUTTON_ID = "p-print"
PRINT_SCRIPT = (
    f'(function(){{var b=document.getElementById("{PRINT_BUTTON_ID}");b.hidden=!1;'
    'b.addEventListener("click",function(){window.print()})})()'
)
"""Shows the print button, which exists only where a script can print; the sentence beside it
says how to print without it. Allowed by its hash in the page's CSP."""
MASK = "\u2022\u2022\u2022"
"""Stands for the hidden part of a contact detail: three bullets."""


def receipt_page(
    shell: Shell,
    manifest: Manifest,
    answer: StoredAnswer,
    catalogue: Catalogue,
    *,
    today: date | None = None,
    journal: AnswerInJournal | None = None,
) -> str:
    """The receipt of ``answer`` in the site's layout. ``today`` (default: today) decides
    whether the consultation is described as still open; ``journal``, the answer's place in
    the public journal of answers, is said under the code (nothing when not given)."""
    def text(key: str, **params: object) -> str:
        return escape(catalogue(key, **params), quote=False)

    code = escape(format_receipt(answer.receipt))
    heading = catalogue("collector.receipt.heading")
    received = text("collector.receipt.received",
                    date=format_date(answer.received_at.date(), catalogue))
    body = [
        f"<h1>{escape(heading, quote=False)}</h1>",
        f'<p>{text("collector.receipt.code")}<br>\n<strong class="p-receipt" dir="ltr" '
        f'translate="no">{code}</strong></p>',
        f"<p>{text('collector.receipt.keep')}</p>",
        *(journal_section(journal, catalogue) if journal else []),
        f"<h2>{text('collector.receipt.answers')}</h2>",
        f"<p>{received}</p>",
        answers_list(manifest, answer, catalogue),
        f"<h2>{text('collector.receipt.next')}</h2>",
        *_next_steps(manifest, answer, catalogue, today or date.today()),
        f"<p>{text('collector.receipt.print')}</p>",
        f'<p><button class="p-form__submit p-print" type="button" id="{PRINT_BUTTON_ID}" '
        f'hidden>{text("collector.receipt.print_button")}</button></p>',
        f"<script>{PRINT_SCRIPT}</script>",
        f'<p><a href="{escape(site_path(manifest))}">{text("collector.home")}</a></p>',
    ]
    return shell.page(catalogue("collector.receipt.title"), "\n".join(body))


def answers_list(manifest: Manifest, answer: StoredAnswer, catalogue: Catalogue) -> str:
    """The answers as a description list: each question's label, then the answer as the form
    showed it. Values for questions the form no longer has come last, under their id."""
    page = form_page_path(manifest)
    items: list[str] = []
    fields = manifest.form.fields
    for field in fields:
        label = absolute_urls(field.label_html, page)
        shown = _answer(field, answer.values.get(field.id, []), catalogue)
        items.append(f"<dt>{label}</dt>\n<dd>{shown}</dd>")
    known = {field.id for field in fields}
    for field_id, values in answer.values.items():
        if field_id not in known:
            # a question the form no longer has: its type is unknown, so anything that looks
            # like an e-mail address is masked as one
            shown = "<br>\n".join(_lines(mask_email(value) if "@" in value else value)
                                   for value in values if value) or escape(
                catalogue("collector.receipt.no_answer"), quote=False)
            items.append(f"<dt>{escape(field_id)}</dt>\n<dd>{shown}</dd>")
    return '<dl class="p-answers">\n' + "\n".join(items) + "\n</dl>"


def _answer(field: Field, values: Sequence[str], catalogue: Catalogue) -> str:
    """One answer as HTML: option labels, a scale step with its end label, "Oui" for a ticked
    consent, line breaks kept, "Pas de réponse" for nothing."""
    given = [value for value in values if value.strip()]
    if not given:
        return escape(catalogue("collector.receipt.no_answer"), quote=False)
    if field.type == "consent":
        key = "collector.receipt.yes" if CONSENT_VALUE in given else "collector.receipt.no_answer"
        return escape(catalogue(key), quote=False)
    if field.type == "email":
        given = [mask_email(value) for value in given]
    elif field.type == "text" and AUTOCOMPLETE.get(field.id) == "tel":
        given = [mask_phone(value) for value in given]
    shown = [_lines(option_label(field, value)) for value in given]
    if field.multiple and len(shown) > 1:
        return "<ul>\n" + "\n".join(f"<li>{item}</li>" for item in shown) + "\n</ul>"
    return "<br>\n".join(shown)


def mask_email(value: str) -> str:
    """``marie.dupont@exemple.fr`` → ``m•••@exemple.fr``: the first character and the domain,
    enough for a person to recognise their address, not enough to write to them."""
    local, at, domain = value.strip().rpartition("@")
    if not at:
        return f"{domain[:1]}{MASK}"
    return f"{local[:1]}{MASK}@{domain}"


def mask_phone(value: str) -> str:
    """``06 12 34 56 78`` → ``•••78``: the last two digits only."""
    digits = [character for character in value if character.isdigit()]
    return f"{MASK}{''.join(digits[-2:])}"


def option_label(field: Field, value: str) -> str:
    """What the form showed for ``value``: the option's label, or the scale step (with its
    end label: "5 — Tout à fait d'accord"); the value itself for free text."""
    if field.type == "scale":
        steps = [str(step) for step in field.steps]
        ends = {steps[0]: field.min_label, steps[-1]: field.max_label} if steps else {}
        end = ends.get(value)
        return f"{value} — {end}" if end else value
    option = next((option for option in field.options if option.value == value), None)
    return option.label if option else value


def _lines(text: str) -> str:
    """Escaped text whose line breaks show as such (a textarea's paragraphs)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>\n".join(escape(line, quote=False) for line in lines)


def _next_steps(
    manifest: Manifest, answer: StoredAnswer, catalogue: Catalogue, today: date
) -> list[str]:
    def text(key: str, **params: object) -> str:
        return escape(catalogue(key, **params), quote=False)

    steps = []
    if manifest.closes is not None:
        key = "calendar.closed" if is_past(manifest.closes, today) else "calendar.open"
        steps.append(f"<p>{text(key, date=format_date(manifest.closes, catalogue))}</p>")
    results = site_url(manifest, manifest.results_url)
    if results:
        steps.append(f"<p>{text('collector.receipt.results_at')} <a href=\"{escape(results)}\">"
                     f"{text('collector.receipt.results_page')}</a></p>")
    else:
        steps.append(f"<p>{text('collector.receipt.results')}</p>")
    deletion = [text("collector.receipt.deleted",
                     date=format_date(answer.expires_at.date(), catalogue))
                ] if answer.expires_at else []
    deletion.append(text("collector.receipt.delete_sooner"))
    steps.append(f"<p>{' '.join(deletion)}</p>")
    return steps
