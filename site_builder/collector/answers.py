"""Receiving an answer (``POST`` to the forms' action) and showing its receipt.

The order of the checks is the order of their cost and of what a person can do about them:
where the post comes from, what kind of body it is and how big, how often this client posts,
whether the body is readable, which form it answers and whether that form takes answers today,
and only then what the person wrote. Nothing is stored before every check has passed, and the
303 to the receipt leaves only once the storage's transaction has committed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import partial
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import RedirectResponse, Response

from site_builder.collector import pages, views
from site_builder.collector.body import Refusal, parse_body, shown
from site_builder.collector.languages import in_language
from site_builder.collector.lookup import RETRY_AFTER_UNAVAILABLE, client_pseudonyms, receipt_path
from site_builder.collector.paths import action_path, form_page_path, origin, site_url
from site_builder.collector.responses import html_page, private
from site_builder.collector.sent import remember_sent, sent_receipts
from site_builder.collector.settings import Collector, catalogue
from site_builder.collector.validate import (
    Submission,
    check,
    over_bounds,
    read_submission,
)
from site_builder.forms.manifest import Manifest
from site_builder.forms.render import render_form
from site_builder.messages import say
from site_builder.storage.base import (
    DUPLICATE_WINDOW,
    Duplicates,
    NewAnswer,
    StorageUnavailable,
    StoreResult,
    Values,
)

log = logging.getLogger("parole.collector")

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
FormAgain = Callable[[Manifest, Values, dict[str, str], int], Response]
"""Shows a form again: ``(manifest, values entered, message per question, status)``."""


class TooLargeError(Exception):
    """The body is longer than the limit."""


class Answered(Exception):  # noqa: N818 - not an error: a check that has the answer already
    """A check has settled the request: ``response`` is what the client gets."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


async def receive_answer(request: Request) -> Response:
    collector: Collector = request.app.state.collector
    try:
        submission, clients = await _read_request(request, collector)
        manifest = collector.site.manifest(submission.form_id)
        if manifest is None or action_path(manifest) != request.url.path.rstrip("/"):
            raise Answered(refusal_page(
                collector, Refusal(say("collector.refusal.unknown_form",
                                       form=shown(submission.form_id))), None))
        # The page's language, when the form has it: every page from here on speaks it.
        manifest = in_language(manifest, submission.language)
        check_dates(collector, manifest)
        online = Arrival("online", partial(form_again, collector), client=clients[0])
        answer = checked_answer(collector, manifest, submission, online)
        return await _store(request, collector, manifest, answer,
                            () if submission.again else clients)
    except Answered as answered:
        return answered.response


async def _read_request(
    request: Request, collector: Collector
) -> tuple[Submission, tuple[str, str]]:
    """Where the post comes from, its kind, size and rate, then its body, read as a
    submission; raises ``Answered`` with a 4xx page at the first that fails."""
    if not _origin_allowed(request, collector):
        log.warning("%s", say("collector.log.other_site",
                              origin=shown(request.headers.get("origin", ""))))
        raise Answered(views.message(collector, "forbidden", 403))
    if not is_form_body(request.headers.get("content-type", "")):
        raise Answered(views.message(collector, "unsupported", 415))
    try:
        body = await read_body(request, collector.settings.limits.max_body_bytes)
    except TooLargeError:
        raise Answered(views.message(collector, "too_large", 413)) from None
    except ClientDisconnect:
        raise Answered(Response(status_code=400)) from None
    clients = client_pseudonyms(request, collector)
    wait = collector.limiter.retry_after(clients[0])
    if wait is not None:
        raise Answered(views.message(collector, "too_many", 429,
                                     headers={"Retry-After": str(wait)},
                                     minutes=max(1, -(-wait // 60))))
    try:
        return read_submission(parse_body(body, collector.settings.limits)), clients
    except Refusal as refusal:
        raise Answered(refusal_page(collector, refusal, None)) from None


@dataclass(frozen=True)
class Arrival:
    """How an answer reached the collector: online from the citizen's own browser, or
    ``assisted``, recorded by a mediator with the citizen (``entry.assisted``). Both are
    checked by the same ``check_dates`` and ``checked_answer``; only what is stored about the
    sender, and the page that shows the form again, differ."""

    channel: str
    """One of ``storage.base.CHANNELS``."""
    form_again: FormAgain
    """The form again with the values entered and a message per question to correct."""
    client: str | None = None
    """The client's pseudonym of the day (online: recognises an answer sent twice)."""
    entered_by: str | None = None
    """The mediator who recorded it (assisted)."""


def check_dates(collector: Collector, manifest: Manifest) -> None:
    """403 before the form opens (except in a preview), 410 once it has closed."""
    today = collector.settings.today()
    words = catalogue(manifest.language)
    if manifest.opens is not None and today < manifest.opens and not collector.settings.preview:
        shell = views.form_shell(collector, manifest)
        raise Answered(html_page(pages.not_open_page(shell, manifest, words), 403))
    if manifest.closes is not None and today > manifest.closes:
        shell = views.form_shell(collector, manifest)
        raise Answered(html_page(pages.closed_page(shell, manifest, words), 410))


def checked_answer(
    collector: Collector, manifest: Manifest, submission: Submission, arrival: Arrival
) -> NewAnswer:
    """The answer to store; raises ``Answered`` with the form again when the person has
    something to correct (409 if the form changed meanwhile), or 400 for nonsense."""
    words = catalogue(manifest.language)
    if submission.version != manifest.version:
        salvaged = _salvage(manifest, submission.answers)
        raise Answered(arrival.form_again(manifest, salvaged,
                                          {"_version": words("collector.changed")}, 409))
    try:
        checked = check(manifest.form, submission.answers, words)
    except Refusal as refusal:
        raise Answered(refusal_page(collector, refusal, manifest)) from None
    # A robot that fills the honeypot is answered like a person, whatever it wrote, so that it
    # learns nothing; what it sent is kept apart (never silently dropped) for the organizer,
    # within the lengths a person's answer is held to (a person gets the form again then, and
    # so does the robot: a quarantine is no place to store 60 000 characters).
    quarantined = bool(submission.honeypot)
    if not checked.ok and (not quarantined
                           or over_bounds(manifest.form, checked.values_as_entered)):
        raise Answered(arrival.form_again(manifest, submission.answers, checked.errors, 400))
    values = checked.values if checked.ok else {
        name: list(given) for name, given in checked.values_as_entered.items() if any(given)}
    now = collector.settings.now()
    return NewAnswer(
        form_id=manifest.form.id, form_version=manifest.version, values=values,
        channel=arrival.channel, received_at=now, expires_at=expiry(manifest, now),
        fingerprint=fingerprint(manifest, values), client=arrival.client,
        quarantined=quarantined, entered_by=arrival.entered_by, language=manifest.language,
    )


async def _store(
    request: Request,
    collector: Collector,
    manifest: Manifest,
    answer: NewAnswer,
    clients: tuple[str, ...],
) -> Response:
    """Store the answer, or find an identical one from ``clients`` (none: the person said
    theirs is another answer), then 303 to its receipt; but an identical answer this browser
    was not sent the receipt of is never revealed (``sent``): the form comes back, saying so."""
    duplicates = Duplicates(clients=clients, since=answer.received_at - DUPLICATE_WINDOW)
    result = await store_answer(collector, manifest, answer, duplicates)
    secret = collector.settings.secret
    code = result.answer.receipt
    ours = result.created or code in sent_receipts(request, secret)
    what = ("quarantined" if answer.quarantined and result.created else "stored"
            if result.created else "sent_again" if ours else "asked_to_confirm")
    log.info("%s", say(f"collector.log.{what}", form=manifest.form.id))
    if not ours:
        return form_again(collector, manifest, answer.values, {}, 409, sent_already=True)
    redirect = RedirectResponse(receipt_path(manifest, code, secret), status_code=303)
    return private(remember_sent(redirect, request, code, secret, action_path(manifest)))


async def store_answer(collector: Collector, manifest: Manifest, answer: NewAnswer,
                       duplicates: Duplicates) -> StoreResult:
    """``answer`` stored (the form's version remembered first, so that exports know its
    questions); raises ``Answered`` with the 503 page when the database could not take it."""
    try:
        await run_in_threadpool(collector.remember_form, manifest)
        return await run_in_threadpool(collector.storage.store, answer, duplicates)
    except StorageUnavailable as error:
        raise Answered(_unavailable(collector, manifest, error)) from None


# -- answers -------------------------------------------------------------------------------------

def expiry(manifest: Manifest, now: datetime) -> datetime:
    """When the answer is deleted: ``retention_days`` after the form closes (or after it arrived,
    for a form without a closing date). The site announces that day as the deletion date
    (``Calendar.deletion_date``), so the answer expires as that day begins."""
    retention = timedelta(days=manifest.retention_days)
    if manifest.closes is None:
        return now + retention
    return datetime.combine(manifest.closes + retention, time.min, UTC)


def fingerprint(manifest: Manifest, values: Values) -> str:
    """What makes two submissions the same answer: the form, its version and every value."""
    canonical = json.dumps([manifest.form.id, manifest.version, values], ensure_ascii=False,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _salvage(manifest: Manifest, answers: dict[str, list[str]]) -> Values:
    """What of an answer to an older version of the form still fits the current one, so the
    person does not type it again: values of questions that still exist and still offer it."""
    kept: Values = {}
    for field in manifest.form.fields:
        given = answers.get(field.id, [])
        if field.options:
            allowed = {option.value for option in field.options}
            given = [value for value in given if value in allowed]
        kept[field.id] = given if field.multiple else given[:1]
    return kept


# -- pages ---------------------------------------------------------------------------------------

def form_again(
    collector: Collector,
    manifest: Manifest,
    values: dict[str, list[str]],
    errors: dict[str, str],
    status: int,
    *,
    sent_already: bool = False,
) -> Response:
    """The form's page again, with the errors and every value entered (400, or 409 when the
    form changed since the person opened it); or, ``sent_already`` (409), with every value
    and the notice that an identical answer was just sent from this connection, the form
    carrying ``_again`` so that sending it stores this one too. 409: nothing was stored, and
    the person's confirmation is needed, as when the form changed."""
    words = catalogue(manifest.language)
    form_html = render_form(
        manifest.form, catalogue=words, action=manifest.action, values=values, errors=errors,
        paper_url=site_url(manifest, manifest.paper_url),
        help_url=site_url(manifest, manifest.help_url), again=sent_already,
    )
    shell = views.form_shell(collector, manifest)
    if sent_already:
        html = pages.sent_already_page(shell, manifest.form.id, form_html, words,
                                       page_path=form_page_path(manifest))
    else:
        html = pages.form_with_errors(shell, manifest.form.id, form_html, words,
                                      page_path=form_page_path(manifest))
    return html_page(html, status, form_origins=_form_origins(manifest))


def _unavailable(collector: Collector, manifest: Manifest | None,
                 error: StorageUnavailable) -> Response:
    """503: the database could not take the answer; the person is asked to send it again."""
    if manifest:
        log.error("%s", say("collector.log.not_stored", form=manifest.form.id, error=error))
    else:
        log.error("%s", say("collector.log.not_stored_unread", error=error))
    return views.message(collector, "unavailable", 503, manifest=manifest,
                         headers={"Retry-After": str(RETRY_AFTER_UNAVAILABLE)})


def refusal_page(collector: Collector, refusal: Refusal, manifest: Manifest | None) -> Response:
    log.warning("%s", say("collector.log.refused", status=refusal.status, reason=refusal.reason))
    kind = "too_large" if refusal.status == 413 else "refused"
    return views.message(collector, kind, refusal.status, manifest=manifest)


def _form_origins(manifest: Manifest) -> tuple[str, ...]:
    """Where the form posts, when that is another origin than the page's (a full address)."""
    action = origin(manifest.action)
    return (action,) if action else ()


# -- requests ------------------------------------------------------------------------------------

def _origin_allowed(request: Request, collector: Collector) -> bool:
    """Whether a post comes from the site itself: browsers say where a post comes from
    (``Sec-Fetch-Site``, ``Origin``); a request that says nothing (an old browser, a script
    of the organizer's) is let through, the body checks still apply."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site == "cross-site":
        return False
    if fetch_site == "same-origin":
        # The browser vouches for it. Origin is then "null" when the form came from one of our
        # own pages (Referrer-Policy: no-referrer), e.g. the form shown again with its errors.
        return True
    origin = request.headers.get("origin")
    if origin is None or (origin == "null" and fetch_site is None):
        # Browsers too old to send Sec-Fetch-Site (Safari before 16.4) post our own pages'
        # forms with "Origin: null" too: refusing them would lock out a person correcting a
        # mistake. A forged post gains nothing the public form does not already allow.
        return True
    try:
        host = urlsplit(origin).netloc
    except ValueError:  # "http://[": no browser sends that
        return False
    return host == request.headers.get("host") or origin in collector.origins


def is_form_body(content_type: str) -> bool:
    """A URL-encoded form, in UTF-8 when it names a charset (the only body a form here sends)."""
    kind, _, parameters = content_type.partition(";")
    if kind.strip().lower() != FORM_CONTENT_TYPE:
        return False
    for parameter in parameters.split(";"):
        name, _, value = parameter.strip().partition("=")
        if name.lower() == "charset" and value.strip('"').lower() not in ("utf-8", "utf8"):
            return False
    return True


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refusing to read past ``limit`` bytes (whatever Content-Length claims)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLargeError
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLargeError
        chunks.append(chunk)
    return b"".join(chunks)
