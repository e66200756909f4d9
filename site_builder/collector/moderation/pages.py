"""The moderation pages' frame and their small pages: sign-in, refusals, the signed-in line.

Like the mediators' area (``entry.page``), every page is a page of the site (``views.
generic_shell``: the site's own 404 page, its header, footer and stylesheet, its language),
private, never indexed, with its own Content-Security-Policy (``responses.html_page``), words
from the theme's catalogues (``moderation.*``), forms drawn with the theme's components.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from starlette.responses import HTMLResponse

from site_builder.collector import views
from site_builder.collector.entry.page import csrf_input, text
from site_builder.collector.moderation.session import NAME_MAX_LENGTH, Moderator
from site_builder.collector.responses import html_page
from site_builder.collector.settings import Collector
from site_builder.forms.render import render_component
from site_builder.i18n import Catalogue

MODERATION_PATH = "/admin/moderation"
"""Where the moderation pages are; their home is this path with a final ``/``."""
HOME = f"{MODERATION_PATH}/"
TOKEN_ID = "moderation-token"
NAME_ID = "moderation-name"
MESSAGE_KINDS = ("refused", "too_many", "unreadable")
"""The short pages: ``moderation.<kind>.title``, ``.what`` and ``.next``."""


def words_of(collector: Collector) -> Catalogue:
    """The catalogue of the pages' language: the site's (its 404 page's, else its first
    form's)."""
    return views.language_of(views.generic_shell(collector), None)


def moderation_page(collector: Collector, title: str, main_html: str, status: int = 200, *,
                    moderator: Moderator | None = None,
                    headers: Mapping[str, str] | None = None) -> HTMLResponse:
    """A moderation page: ``title`` (text), ``main_html`` (from its h1) in the site's shell,
    after the signed-in line when there is a ``moderator``."""
    shell = views.generic_shell(collector)
    bar = f"{account_bar(words_of(collector), moderator)}\n" if moderator else ""
    return html_page(shell.page(title, bar + main_html), status, headers=headers)


def account_bar(words: Catalogue, moderator: Moderator) -> str:
    """Who is signed in, and the sign-out button (a form with the CSRF token: no link may
    sign anyone out). The theme styles it as the mediators' area's."""
    return (
        '<div class="p-entry-account">\n'
        f'<p>{text(words, "moderation.signed_in_as", name=moderator.name)}</p>\n'
        f'<form method="post" action="{MODERATION_PATH}/sign-out" accept-charset="utf-8">\n'
        f"{csrf_input(moderator.csrf)}\n"
        f'<button class="p-form__submit" type="submit">{text(words, "moderation.sign_out")}'
        "</button>\n</form>\n</div>"
    )


def field(component: str, words: Catalogue, **params: Any) -> str:
    """One of the theme's field components, with the parameters the citizens' form gives them;
    those not given are absent (None, False, empty)."""
    control = params["id"]
    hint, error = params.get("hint"), params.get("error")
    described = " ".join(part for part, shown in ((f"{control}-hint", hint),
                                                  (f"{control}-error", error)) if shown)
    full: dict[str, Any] = {
        "type": "text", "required": False, "hint": None, "error": None, "value": "",
        "options": [], "input_type": "text", "maxlength": None, "inputmode": None,
        "autocomplete": None, "spellcheck": False, "code": None, "spoiled": None,
        "blank": None, "autofocus": False, "checked": False,
        "hint_id": f"{control}-hint" if hint else None,
        "error_id": f"{control}-error" if error else None,
        "describedby": described or None,
        **params,
    }
    return render_component(component, full, words).strip()


def options(control: str, choices: Sequence[tuple[str, str]], chosen: str) -> list[dict[str, Any]]:
    """Radio or select options: ``(value, label)`` pairs, ``chosen`` checked (every key the
    components read, as ``forms.render`` gives them: the labels are the page's language)."""
    return [{"id": f"{control}-{number}", "value": value, "label": label,
             "checked": value == chosen, "end": None, "lang": None, "dir": None}
            for number, (value, label) in enumerate(choices, start=1)]


def error_summary(words: Catalogue, messages: Sequence[tuple[str, str]]) -> str:
    """The theme's error summary, focused when the page loads: ``(message, control id)``."""
    return render_component("error-summary", {
        "id": "moderation-errors", "focus": True,
        "messages": [{"text": message, "href": f"#{control}"} for message, control in messages],
    }, words).strip()


def sign_in_page(collector: Collector, *, errors: Mapping[str, str] | None = None,
                 name: str = "", status: int = 200) -> HTMLResponse:
    """The sign-in form: the admin token (never shown again) and the moderator's name (kept
    after a mistake). ``errors``: message by control id (``TOKEN_ID``, ``NAME_ID``)."""
    words = words_of(collector)
    errors = errors or {}
    summary = error_summary(words, [(message, control) for control, message
                                    in errors.items()]) + "\n" if errors else ""
    token = field("field-text", words, id=TOKEN_ID, name="token", required=True,
                  label=words("moderation.sign_in.token"),
                  hint=words("moderation.sign_in.token_hint"), error=errors.get(TOKEN_ID),
                  input_type="password", autocomplete="current-password")
    who = field("field-text", words, id=NAME_ID, name="name", required=True,
                label=words("moderation.sign_in.name"),
                hint=words("moderation.sign_in.name_hint"), error=errors.get(NAME_ID),
                value=name, maxlength=NAME_MAX_LENGTH, autocomplete="name", spellcheck=True)
    main = (
        f"{summary}<h1>{text(words, 'moderation.sign_in.title')}</h1>\n"
        f"<p>{text(words, 'moderation.sign_in.intro')}</p>\n"
        f'<form class="p-form__form" method="post" action="{MODERATION_PATH}/sign-in" '
        'accept-charset="utf-8" novalidate>\n'
        f"{token}\n{who}\n"
        f'<button class="p-form__submit" type="submit">{text(words, "moderation.sign_in.submit")}'
        "</button>\n</form>"
    )
    title = words("moderation.sign_in.title")
    if errors:
        title = f"{words('form.error_prefix')} {title}"
    return moderation_page(collector, title, main, status)


def message_page(collector: Collector, kind: str, status: int, *,
                 moderator: Moderator | None = None, headers: Mapping[str, str] | None = None,
                 minutes: int | None = None) -> HTMLResponse:
    """A short page (``MESSAGE_KINDS``): what happened, what to do, a link to the home."""
    if kind not in MESSAGE_KINDS:
        raise ValueError(f"unknown moderation message {kind!r}; known: "
                         f"{', '.join(MESSAGE_KINDS)}")
    words = words_of(collector)
    duration = words("collector.minutes.some") if minutes is None \
        else words.count("collector.minutes", minutes)
    main = (f"<h1>{text(words, f'moderation.{kind}.title')}</h1>\n"
            f"<p>{text(words, f'moderation.{kind}.what')}</p>\n"
            f"<p>{text(words, f'moderation.{kind}.next', duration=duration)}</p>\n"
            f'<p><a href="{HOME}">{text(words, "moderation.home_link")}</a></p>')
    return moderation_page(collector, words(f"moderation.{kind}.title"), main, status,
                           moderator=moderator, headers=headers)
