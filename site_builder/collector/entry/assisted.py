"""Assisted answers (issue #15, section 5): ``GET|POST {area}/assisted/{form_id}``.

A signed-in mediator helping someone answer opens the citizen's own form here: the same
``render_form`` as the public page, posting to this path with the session's CSRF token, under a
banner saying whose assistance is recorded. The answer is read and checked exactly as an online
one (``answers.check_dates``, ``answers.checked_answer``: same dates, same rules, same pages
for a mistake, a changed form or a refusal), then stored with channel ``assisted`` and the
mediator's name, and 303 to the ordinary receipt page, so the citizen sees their receipt on the
screen and can note its code or its address.

The answer records the language of the conversation (issue #18). The page stays in the
collector's language, as every mediator's page does, but a form published in several languages
shows a choice of them above it, each named in itself (links, as the site's language switcher:
``?language=ar``); the form then posts that language as its ``_language``, as the form's own
page in that language would, and it is read as the online form's is
(``collector.languages.chosen_language``: a language the form does not have is its own). The
receipt page is the citizen's: it speaks the language stored.

Unlike online answers, no client pseudonym is kept and no duplicate is looked for: a mediator
at a help desk may well record two people giving the same answers, and each counts. The
``parole_sent`` cookie is not set either: the tablet is shared, and its next citizen must not
be taken for this one.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial
from html import escape
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from site_builder.collector import views
from site_builder.collector.answers import (
    Answered,
    Arrival,
    check_dates,
    checked_answer,
    refusal_page,
    store_answer,
)
from site_builder.collector.body import Refusal, shown
from site_builder.collector.entry import area_path
from site_builder.collector.entry.access import SignedIn, signed_request
from site_builder.collector.entry.languages import form_languages, language_label
from site_builder.collector.entry.page import area_page
from site_builder.collector.entry.review_parts import text
from site_builder.collector.languages import chosen_language
from site_builder.collector.lookup import receipt_path
from site_builder.collector.paths import form_page_path, site_url
from site_builder.collector.responses import private
from site_builder.collector.settings import catalogue
from site_builder.collector.shell import absolute_urls
from site_builder.collector.validate import read_submission
from site_builder.forms.manifest import Manifest
from site_builder.forms.posted import CSRF_NAME
from site_builder.forms.render import render_form
from site_builder.i18n import Catalogue, text_direction
from site_builder.languages import language_name
from site_builder.messages import say
from site_builder.storage.base import Duplicates, Values

log = logging.getLogger("parole.collector")

LANGUAGE_QUERY = "language"
"""The query parameter of the page's address that says the conversation's language."""


def routes(area: str) -> list[BaseRoute]:
    return [Route(f"{area}/assisted/{{form_id}}", assisted, methods=["GET", "POST"])]


def assisted_path(area: str, form_id: str) -> str:
    return f"{area}/assisted/{form_id}"


async def assisted(request: Request) -> Response:
    """The form (GET), or the answer checked and stored (POST)."""
    found = await signed_request(request)
    if isinstance(found, Response):
        return found
    signed, body = found
    collector = signed.collector
    manifest = collector.site.manifest(request.path_params["form_id"])
    if manifest is None or area_path(manifest) != signed.area:
        return views.message(collector, "not_found", 404)
    try:
        check_dates(collector, manifest)
        if body is None:
            language = chosen_language(manifest, request.query_params.get(LANGUAGE_QUERY))
            return form_page(signed, manifest, {}, {}, 200, language=language)
        try:
            submission = read_submission(body.pairs)
        except Refusal as refusal:
            raise Answered(refusal_page(collector, refusal, manifest)) from None
        if submission.form_id != manifest.form.id:
            raise Answered(refusal_page(collector, Refusal(say(
                "collector.refusal.unknown_form", form=shown(submission.form_id))), manifest))
        language = chosen_language(manifest, submission.language)
        arrival = Arrival("assisted", partial(form_page, signed, language=language),
                          entered_by=signed.mediator.name)
        answer = replace(checked_answer(collector, manifest, submission, arrival),
                         language=language)
        result = await store_answer(collector, manifest, answer, Duplicates())
    except Answered as answered:
        return answered.response
    log.info("%s", say("collector.log.assisted", form=manifest.form.id))
    secret = collector.settings.secret
    return private(RedirectResponse(receipt_path(manifest, result.answer.receipt, secret),
                                    status_code=303))


def form_page(signed: SignedIn, manifest: Manifest, values: Values, errors: dict[str, str],
              status: int, *, language: str | None = None) -> Response:
    """The citizen's form under the assistance banner: empty, or again with the values typed
    and a message per question to correct (``answers.FormAgain``); ``language``: the
    conversation's (None: the form's own)."""
    title, main = assisted_main(manifest, signed.area, signed.mediator.name, signed.csrf,
                                values=values, errors=errors, language=language)
    return area_page(signed.collector, manifest, title, main, status, signed=signed)


def assisted_main(manifest: Manifest, area: str, mediator: str, csrf: str, *,
                  values: Values, errors: dict[str, str],
                  language: str | None = None) -> tuple[str, str]:
    """The page's title and the inside of its ``<main>``; ``language``: the conversation's."""
    words = catalogue(manifest.language)
    spoken = language or manifest.language
    path = assisted_path(area, manifest.form.id)
    # The form's words stay the mediator's; it posts the conversation's language, as the
    # form's page in that language does, and links to the paper version in it. Its own links
    # (a consent label's) are written for its page on the site.
    form_html = absolute_urls(render_form(
        manifest.form, catalogue=words, action=path, values=values, errors=errors,
        paper_url=site_url(manifest, manifest.paper_url_in(spoken)),
        help_url=site_url(manifest, manifest.help_url), hidden_extra={CSRF_NAME: csrf},
        posted_language=spoken), form_page_path(manifest))
    title = words("assisted.title", form=manifest.form.title)
    main = (f"<h1>{escape(title, quote=False)}</h1>\n"
            f'<p class="p-status">{text(words, "assisted.banner", name=mediator)}</p>\n'
            f"<p>{text(words, 'assisted.explain')}</p>\n"
            f"{_conversation_languages(manifest, path, spoken, words)}{form_html.strip()}")
    if errors:
        title = f"{words('form.error_prefix')} {title}"
    return title, main


def _conversation_languages(manifest: Manifest, path: str, spoken: str,
                            words: Catalogue) -> str:
    """The conversation's language and links to the others, each named in itself with its
    ``lang``, ``hreflang`` and ``dir``, the current one marked ``aria-current`` (the site's
    language switcher); "" for a form in one language."""
    languages = form_languages(manifest)
    if len(languages) < 2:
        return ""
    links = []
    for language in languages:
        attributes = f'lang="{escape(language)}" dir="{text_direction(language)}"'
        name = escape(language_name(language), quote=False)
        if language == spoken:
            links.append(f'<span class="p-nav__link" {attributes} aria-current="true">'
                         f"{name}</span>")
        else:
            href = f"{path}?{LANGUAGE_QUERY}={quote(language)}"
            links.append(f'<a class="p-nav__link" href="{escape(href)}" {attributes}'
                         f' hreflang="{escape(language)}">{name}</a>')
    said = text(words, "assisted.language", language="\x00").replace(
        "\x00", language_label(spoken))
    return (f"<p>{said} {text(words, 'assisted.language_hint')}</p>\n"
            f'<nav class="p-languages" aria-label="{escape(words("assisted.language_nav"))}">\n'
            + "\n".join(links) + "\n</nav>\n")
