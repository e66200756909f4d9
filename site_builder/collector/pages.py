"""The pages the collector answers with, in the site's own layout (``Shell``): the form shown
again with its errors, a closed or not yet open form, the receipt (``receipt.py``) and short
messages for every other outcome (refused, too large, too many, unavailable…).

Each page says in plain words, from the locale catalogues, what happened to the person's answer
and what to do next. Every function returns the whole HTML page; the collector adds the status
code and ``content_security_policy(page)`` as headers. Text from people is escaped here; HTML
from the build (form markup, labels) is trusted, and its relative links are made absolute since
these pages are served from the collector's URLs.
"""

from __future__ import annotations

import re
from html import escape, unescape
from typing import Literal

from site_builder.calendar import ClosedInfo, format_date
from site_builder.collector.csp import content_security_policy
from site_builder.collector.paths import form_page_path, site_path, site_url
from site_builder.collector.receipt import receipt_page
from site_builder.collector.shell import Shell, absolute_urls
from site_builder.forms.manifest import Manifest
from site_builder.forms.render import render_form
from site_builder.i18n import Catalogue

__all__ = [
    "MessageKind",
    "Shell",
    "closed_page",
    "content_security_policy",
    "form_page_path",
    "form_with_errors",
    "message_page",
    "not_open_page",
    "receipt_page",
    "sent_already_page",
    "site_path",
    "site_url",
]

MessageKind = Literal["refused", "forbidden", "not_found", "too_large", "unsupported",
                      "too_many", "too_many_codes", "too_many_links", "code_alone",
                      "unavailable", "error"]
"""The messages ``message_page`` knows; each has ``collector.<kind>.title``, ``.what``
(what happened to the answer) and ``.next`` (what to do) in every catalogue."""
_FORM_TITLE = re.compile(r'<h2 class="p-form__title"[^>]*>(.*?)</h2>', re.DOTALL)
"""The form's title in the form component's markup (escaped text)."""
_STATUS = re.compile(r'<p class="p-status\b[^"]*">.*?</p>\n?', re.DOTALL)
"""The status banner of theme/partials/status.html."""
MESSAGE_KINDS: tuple[MessageKind, ...] = ("refused", "forbidden", "not_found", "too_large",
                                          "unsupported", "too_many", "too_many_codes",
                                          "too_many_links", "code_alone", "unavailable",
                                          "error")
_MESSAGE_PARAMS = frozenset({"form_url", "home_url", "help_url", "minutes"})


def form_with_errors(
    shell: Shell,
    form_id: str,
    form_html: str,
    catalogue: Catalogue,
    *,
    page_path: str | None = None,
) -> str:
    """The form's page with the form replaced by ``form_html`` (``render_form`` with the values
    and errors), the rest of the page kept, and "Erreur :" before the title (GOV.UK).

    ``page_path`` is where the form's page is published, against which the form's relative
    links (a consent label's) are resolved: the shell's own path by default, which is right
    unless the shell is another page (the form's page was not found)."""
    return _form_page(shell, form_id, form_html, catalogue("form.error_prefix"), page_path)


def sent_already_page(
    shell: Shell,
    form_id: str,
    form_html: str,
    catalogue: Catalogue,
    *,
    page_path: str | None = None,
) -> str:
    """The form's page when an identical answer was just sent from the same connection by
    another browser: a notice saying that, if it was this person, the answer is saved, and if
    it was someone else, to send theirs too; then ``form_html`` (the form with every value and
    ``_again``). Nothing of the earlier answer is shown: it may be another person's."""
    heading_id = f"form-{form_id}-sent"
    notice = (
        # autofocus, like the error summary: the browser scrolls here and screen readers
        # start here, with no script
        f'<div class="p-status" role="region" aria-labelledby="{escape(heading_id)}" '
        f'tabindex="-1" autofocus>\n'
        f'<h2 id="{escape(heading_id)}">{_text(catalogue, "collector.sent.heading")}</h2>\n'
        f'<p>{_text(catalogue, "collector.sent.yours")}</p>\n'
        f'<p>{_text(catalogue, "collector.sent.other")}</p>\n</div>\n'
    )
    return _form_page(shell, form_id, notice + form_html, catalogue("collector.sent.prefix"),
                      page_path)


def _form_page(shell: Shell, form_id: str, form_html: str, prefix: str,
               page_path: str | None) -> str:
    """The form's page with its form replaced by ``form_html``, whose relative links are
    resolved against ``page_path`` (the shell's own by default), and ``prefix`` before the
    title, which is the form's own."""
    form_html = absolute_urls(form_html, page_path or shell.page_path)
    title = _FORM_TITLE.search(form_html)
    return _replace_form(shell, form_id, unescape(title.group(1)) if title else form_id,
                         form_html, prefix)


def closed_page(shell: Shell, manifest: Manifest, catalogue: Catalogue) -> str:
    """The form's page with the closed notice in place of the form (answer 410): since when,
    where the results are, where to get help. Raises ``ValueError`` if the form never closes."""
    if manifest.closes is None:
        raise ValueError(f"the form {manifest.form.id!r} has no closing day: it cannot be closed")
    results = site_url(manifest, manifest.results_url)
    notice = render_form(manifest.form, catalogue=catalogue, action=manifest.action,
                         closed=ClosedInfo(manifest.closes, results),
                         help_url=site_url(manifest, manifest.help_url))
    prefix = catalogue("collector.closed.prefix")
    return _replace_form(shell, manifest.form.id, manifest.form.title, notice, prefix,
                         drop_status=True)


def not_open_page(shell: Shell, manifest: Manifest, catalogue: Catalogue) -> str:
    """The form's page saying that the form opens later, and on which day (answer 403)."""
    form = manifest.form
    lines = [f"<strong>{_text(catalogue, 'collector.not_open.notice')}</strong>"]
    if manifest.opens is not None:
        lines.append(_text(catalogue, "collector.not_open.opens",
                           date=format_date(manifest.opens, catalogue)))
    help_url = site_url(manifest, manifest.help_url)
    help_line = (f'\n<p>{_text(catalogue, "form.closed_help")} <a href="{escape(help_url)}">'
                 f'{_text(catalogue, "footer.help")}</a></p>' if help_url else "")
    notice = (
        f'<section class="p-form" id="form-{escape(form.id)}" '
        f'aria-labelledby="form-{escape(form.id)}-title">\n'
        f'<h2 class="p-form__title" id="form-{escape(form.id)}-title">{escape(form.title)}</h2>\n'
        f'<div class="p-form-closed">\n<p>{" ".join(lines)}</p>{help_line}\n</div>\n</section>'
    )
    prefix = catalogue("collector.not_open.prefix")
    return _replace_form(shell, form.id, form.title, notice, prefix, drop_status=True)


def message_page(shell: Shell, catalogue: Catalogue, kind: str, **params: object) -> str:
    """A short page saying what happened and what to do: an h1, two paragraphs, then links.

    ``kind`` is one of ``MESSAGE_KINDS``. ``params`` (each optional): ``form_url``,
    ``home_url`` (else the shell's home link) and ``help_url`` are linked when given;
    ``minutes`` says how long to wait (``too_many``, ``too_many_codes``,
    ``too_many_links``). Raises
    ``ValueError`` for an unknown kind or parameter: a programming error, not something a
    person did."""
    if kind not in MESSAGE_KINDS:
        raise ValueError(f"unknown message {kind!r}; known: {', '.join(MESSAGE_KINDS)}")
    unknown = sorted(set(params) - _MESSAGE_PARAMS)
    if unknown:
        raise ValueError(f"unknown message parameter(s) {', '.join(unknown)}; known: "
                         f"{', '.join(sorted(_MESSAGE_PARAMS))}")
    title = catalogue(f"collector.{kind}.title")
    minutes = params.get("minutes")
    duration = _minutes(catalogue, minutes if isinstance(minutes, int) else None)
    body = [f"<h1>{escape(title, quote=False)}</h1>",
            f"<p>{_text(catalogue, f'collector.{kind}.what')}</p>",
            f"<p>{_text(catalogue, f'collector.{kind}.next', duration=duration)}</p>"]
    links = [(str(url), key) for url, key in ((params.get("form_url"), "collector.link.form"),
                                              (params.get("home_url") or shell.home_url,
                                               "not_found.home"),
                                              (params.get("help_url"), "not_found.help")) if url]
    if links:
        body.append(f"<p>{_text(catalogue, 'not_found.next')}</p>")
        body.append("<ul>\n" + "\n".join(
            f'<li><a href="{escape(url)}">{_text(catalogue, key)}</a></li>' for url, key in links
        ) + "\n</ul>")
    return shell.page(title, "\n".join(body))


# --- helpers ------------------------------------------------------------------------------------

def _replace_form(
    shell: Shell,
    form_id: str,
    form_title: str,
    section_html: str,
    prefix: str,
    *,
    drop_status: bool = False,
) -> str:
    """The shell with the form's section replaced by ``section_html`` and ``prefix`` before
    its title: still the form's page, so its menu link stays "this page". A page of its own
    (the form's title as h1) when the shell has no such form.
    ``drop_status`` removes the theme's status banner, written on the day the site was built:
    a form found closed (or not yet open) by the collector means that banner is out of date."""
    main = shell.replace_element("section", f"form-{form_id}", section_html)
    if main is not None and drop_status:
        main = _STATUS.sub("", main, count=1)
    own_prefix = escape(prefix, quote=False)
    if main is not None:
        return shell.compose(f"{own_prefix} {shell.title_html}", main, same_page=True)
    main = f"\n<h1>{escape(form_title, quote=False)}</h1>\n{section_html.strip()}\n"
    return shell.compose(f"{own_prefix} {shell.full_title(form_title)}", main, same_page=False)


def _minutes(catalogue: Catalogue, minutes: int | None) -> str:
    if minutes is None or minutes < 1:
        return catalogue("collector.minutes.some")
    return catalogue.count("collector.minutes", minutes)


def _text(catalogue: Catalogue, key: str, **params: object) -> str:
    """A catalogue string with its parameters, escaped for HTML text."""
    return escape(catalogue(key, **params), quote=False)
