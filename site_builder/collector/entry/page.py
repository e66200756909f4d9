"""The mediators' area's pages: in the site's own layout (``views.generic_shell``), private
and with their own Content-Security-Policy like every collector page, words from the theme's
catalogues (``entry.*``), forms on GOV.UK patterns drawn with the theme's components.

Every page of a signed-in mediator starts with the same line: who is signed in, and a button
to sign out (a form, posted with the CSRF token: no link may sign anyone out).
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import HTMLResponse

from site_builder.collector import views
from site_builder.collector.entry import area_path
from site_builder.collector.responses import html_page
from site_builder.collector.settings import Collector, catalogue
from site_builder.forms.manifest import Manifest
from site_builder.forms.render import render_component
from site_builder.i18n import Catalogue

if TYPE_CHECKING:
    from site_builder.collector.entry.access import SignedIn

CODE_INPUT_ID = "entry-code"
"""The sign-in input's id, which the error summary links to."""
MESSAGE_KINDS = ("refused", "too_many", "coordinator_only")
"""The area's message pages: ``entry.<kind>.title``, ``.what`` and ``.next`` in every
catalogue."""


def text(words: Catalogue, key: str, **values: object) -> str:
    """A catalogue string, escaped for HTML text."""
    return escape(words(key, **values), quote=False)


def csrf_input(token: str) -> str:
    """The hidden input every form of the area carries (``access.checked_post`` checks it)."""
    return f'<input type="hidden" name="_csrf" value="{escape(token)}">'


def account_bar(signed: SignedIn) -> str:
    """"Signed in: NAME" and the sign-out button, first in every signed-in page."""
    words = catalogue(signed.manifest.language)
    return (
        '<div class="p-entry-account">\n'
        f'<p>{text(words, "entry.signed_in_as", name=signed.mediator.name)}</p>\n'
        f'<form method="post" action="{escape(signed.area)}/sign-out" accept-charset="utf-8">\n'
        f'{csrf_input(signed.csrf)}\n'
        f'<button class="p-form__submit" type="submit">{text(words, "entry.sign_out")}</button>\n'
        '</form>\n</div>'
    )


def area_page(
    collector: Collector,
    where: Request | Manifest,
    title: str,
    main_html: str,
    status: int = 200,
    *,
    headers: Mapping[str, str] | None = None,
    signed: SignedIn | None = None,
) -> HTMLResponse:
    """A page of the area: ``title`` (text), ``main_html`` (which starts with its h1) in the
    site's shell, preceded by ``account_bar`` when ``signed``. ``where``: the request (its
    area's site) or a form of the site."""
    found = None if isinstance(where, Manifest) else area_of(collector, where.url.path)
    manifest = where if isinstance(where, Manifest) else found[1] if found else None
    shell = views.generic_shell(collector, manifest)
    bar = f"{account_bar(signed)}\n" if signed is not None else ""
    return html_page(shell.page(title, bar + main_html), status, headers=headers)


def area_of(collector: Collector, path: str) -> tuple[str, Manifest] | None:
    """The area ``path`` is in, and a form of its site; None when it is in none."""
    for manifest in collector.manifests:
        area = area_path(manifest)
        if path == area or path.startswith(f"{area}/"):
            return area, manifest
    return None


class _Absent(dict[str, object]):
    """A component's parameters, those not given absent (None): the sign-in field uses the
    form's text field component, whose other parameters (a data-entry field's printed code,
    its spoiled box…) mean nothing here."""

    def __missing__(self, key: str) -> None:
        return None


def sign_in_page(collector: Collector, manifest: Manifest, area: str, *,
                 error: str | None = None, status: int = 200) -> HTMLResponse:
    """The sign-in form; with ``error``, the error summary first (focused, linked to the
    input), the error at the input, and "Error:" before the title. The code typed is never
    shown again."""
    words = catalogue(manifest.language)
    summary = ""
    if error:
        summary = render_component("error-summary", {
            "id": "entry-sign-in-errors", "focus": True,
            "messages": [{"text": error, "href": f"#{CODE_INPUT_ID}"}]}, words)
    field = render_component("field-text", _Absent({
        "id": CODE_INPUT_ID, "name": "code", "type": "text", "label": words("entry.sign_in.code"),
        "required": True, "hint": words("entry.sign_in.hint"), "hint_id": f"{CODE_INPUT_ID}-hint",
        "error": error, "error_id": f"{CODE_INPUT_ID}-error" if error else None,
        "describedby": f"{CODE_INPUT_ID}-hint {CODE_INPUT_ID}-error" if error
        else f"{CODE_INPUT_ID}-hint",
        "value": "", "input_type": "password", "maxlength": None, "inputmode": None,
        # a tablet's password manager may keep it: the mediator then types it once
        "autocomplete": "current-password", "spellcheck": False,
    }), words)
    main = (
        f"{summary.strip()}\n<h1>{text(words, 'entry.sign_in.title')}</h1>\n"
        f"<p>{text(words, 'entry.sign_in.intro')}</p>\n"
        f'<form class="p-form__form" method="post" action="{escape(area)}/sign-in" '
        'accept-charset="utf-8" novalidate>\n'
        f"{field.strip()}\n"
        f'<button class="p-form__submit" type="submit">{text(words, "entry.sign_in.submit")}'
        "</button>\n</form>\n"
        f"<p>{text(words, 'entry.sign_in.no_code')}</p>"
    )
    title = words("entry.sign_in.title")
    if error:
        title = f"{words('form.error_prefix')} {title}"
    return area_page(collector, manifest, title, main, status)


def message_page(collector: Collector, manifest: Manifest, kind: str, status: int, *,
                 signed: SignedIn | None = None, headers: Mapping[str, str] | None = None,
                 home_url: str | None = None, minutes: int | None = None) -> HTMLResponse:
    """A short page of the area (``MESSAGE_KINDS``): what happened, what to do, and a link to
    the area's home."""
    if kind not in MESSAGE_KINDS:
        raise ValueError(f"unknown area message {kind!r}; known: {', '.join(MESSAGE_KINDS)}")
    words = catalogue(manifest.language)
    duration = words("collector.minutes.some") if minutes is None \
        else words.count("collector.minutes", minutes)
    home = home_url or (f"{signed.area}/" if signed else None)
    main = (f"<h1>{text(words, f'entry.{kind}.title')}</h1>\n"
            f"<p>{text(words, f'entry.{kind}.what')}</p>\n"
            f"<p>{text(words, f'entry.{kind}.next', duration=duration)}</p>")
    if home:
        main += f'\n<p><a href="{escape(home)}">{text(words, "entry.home_link")}</a></p>'
    return area_page(collector, manifest, words(f"entry.{kind}.title"), main, status,
                     headers=headers, signed=signed)
