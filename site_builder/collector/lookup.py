"""Receipt pages: ``GET <action>/<code>/<key>``, its proof in the public journal of answers
(``<action>/<code>/<key>/preuve``, or ``/proof``: ``journal_pages``), and what the short code
alone gets.

The receipt code (8 symbols, 40 bits) is for people: read out, written on paper, given to the
organizer to have an answer deleted. 40 bits is not a lock when an attacker can change address
for every guess, so the page that shows an answer is at ``<action>/<code>/<key>``, where
``key`` is 128 bits derived from the code by the collector's secret (``CollectorSecret``). A
link whose key does not open its code is refused before any database access: it cannot be
guessed, and a stolen database cannot make one. The code alone (``<action>/<code>``) shows a
page saying so, the same for every code, so it tells nobody whether an answer exists.

Failed lookups (a wrong key, or a right one whose answer is gone) count against the client's
limit (``Collector.receipt_misses``) and against one limit shared by every client
(``Collector.everyones_receipt_misses``); past either, failed lookups get 429. A link that
opens its receipt is served whatever the counts: nobody can forge one, so an attacker cannot
deny people theirs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from site_builder.answer_log_commands.prove import AnswerProof, prove
from site_builder.collector import pages, views
from site_builder.collector.journal_pages import (
    AnswerInJournal,
    current_leaf,
    explanation_path,
    next_checkpoint_due,
    proof_name,
    proof_page,
)
from site_builder.collector.languages import in_language
from site_builder.collector.log_checkpoints import TICK_SECONDS
from site_builder.collector.paths import action_path
from site_builder.collector.responses import html_page
from site_builder.collector.secret import CollectorSecret
from site_builder.collector.settings import Collector, catalogue
from site_builder.forms.manifest import Manifest
from site_builder.messages import say
from site_builder.storage.answer_log import LogLeaf
from site_builder.storage.base import StorageUnavailable, StoredAnswer
from site_builder.storage.receipts import normalise_receipt

log = logging.getLogger("parole.collector")

RETRY_AFTER_UNAVAILABLE = 60
"""Seconds a citizen is asked to wait when the database could not take an answer."""
EVERYONE = "*"
"""The one key of ``Collector.everyones_receipt_misses``: every client counts together."""


def receipt_path(manifest: Manifest, code: str, secret: CollectorSecret) -> str:
    """The address of the receipt page of ``code``: ``/collect/ABCDEFGH/<key>``."""
    return f"{action_path(manifest)}/{code}/{secret.receipt_key(code)}"


@dataclass(frozen=True)
class _Found:
    """An answer found by a receipt link: its code, the answer, its leaves in the journal, and
    the manifest of its form."""

    code: str
    answer: StoredAnswer
    leaves: list[LogLeaf]
    own: Manifest


async def _look_up(request: Request, collector: Collector) -> _Found | Response:
    """The answer whose code and key are in the address, or the page of a failed lookup (a
    wrong key, an answer gone or past its deletion day, the database unavailable)."""
    code = normalise_receipt(request.path_params["code"])
    if code is None or not collector.settings.secret.opens(code, request.path_params["key"]):
        return _missed(request, collector)
    try:
        answer, leaves = await run_in_threadpool(_answer_and_leaves, collector, code)
    except StorageUnavailable as error:
        return _unavailable(collector, error)
    own = collector.site.manifest(answer.form_id) if answer else None
    if answer is None or own is None or expired(answer, collector):
        return _missed(request, collector)
    return _Found(code, answer, leaves, own)


async def show_receipt(request: Request) -> Response:
    """The receipt page of the answer whose code and key are in the address."""
    collector: Collector = request.app.state.collector
    found = await _look_up(request, collector)
    if isinstance(found, Response):
        return found
    manifest = in_language(found.own, found.answer.language)  # the language it was given in
    shell = views.form_shell(collector, manifest)
    journal = AnswerInJournal(current_leaf(found.leaves),
                              f"{request.url.path.rstrip('/')}/{proof_name(found.own)}",
                              explanation_path(collector.site.root, manifest))
    html = pages.receipt_page(shell, manifest, found.answer, catalogue(manifest.language),
                              today=collector.settings.today(), journal=journal)
    return html_page(html, 200)


async def show_proof(request: Request) -> Response:
    """The proof page of the answer whose code and key are in the address: the same lookup,
    refusals and headers as its receipt page."""
    collector: Collector = request.app.state.collector
    looked_up = await _look_up(request, collector)
    if isinstance(looked_up, Response):
        return looked_up
    code, answer, own = looked_up.code, looked_up.answer, looked_up.own
    try:
        found = await run_in_threadpool(_proof, collector, code) \
            if current_leaf(looked_up.leaves) else None
    except StorageUnavailable as error:
        return _unavailable(collector, error)
    manifest = in_language(own, answer.language)
    next_due = None
    if found is not None and found.checkpoint is None and collector.settings.log_signer:
        newest = await run_in_threadpool(collector.storage.checkpoints)
        next_due = next_checkpoint_due(newest[-1].signed_at if newest else None,
                                       collector.settings.now(),
                                       collector.settings.log_checkpoint_minutes, TICK_SECONDS)
    html = proof_page(views.form_shell(collector, manifest), manifest, found,
                      catalogue(manifest.language), receipt=code,
                      explained_at=explanation_path(collector.site.root, manifest),
                      next_due=next_due)
    return html_page(html, 200)


def _answer_and_leaves(collector: Collector, code: str) -> tuple[StoredAnswer | None,
                                                                 list[LogLeaf]]:
    answer = collector.storage.get(code)
    return answer, collector.storage.answer_leaves(code) if answer else []


def _proof(collector: Collector, code: str) -> AnswerProof:
    """The answer's proof against the newest checkpoint covering its leaf (blocking)."""
    return prove(collector.storage, code)


def _unavailable(collector: Collector, error: StorageUnavailable) -> Response:
    log.error("%s", say("collector.log.receipt_unavailable", error=error))
    return views.message(collector, "error", 503,
                         headers={"Retry-After": str(RETRY_AFTER_UNAVAILABLE)})


async def code_alone(request: Request) -> Response:
    """``<action>/<code>``: a page saying that the code alone opens nothing and how to see the
    receipt again, the same whether or not the code exists (404: no answer at this address).
    Anything that cannot be a code is the plain not-found page."""
    collector: Collector = request.app.state.collector
    if normalise_receipt(request.path_params["code"]) is None:
        return views.message(collector, "not_found", 404)
    return views.message(collector, "code_alone", 404)


def _missed(request: Request, collector: Collector) -> Response:
    """A failed lookup: 404, or 429 once this client, or every client together, failed too
    often in the last minute."""
    client = client_pseudonyms(request, collector)[0]
    wait = collector.receipt_misses.retry_after(client)
    if wait is not None:
        return views.message(collector, "too_many_codes", 429,
                             headers={"Retry-After": str(wait)},
                             minutes=max(1, -(-wait // 60)))
    wait = collector.everyones_receipt_misses.retry_after(EVERYONE)
    if wait is not None:
        return views.message(collector, "too_many_links", 429,
                             headers={"Retry-After": str(wait)},
                             minutes=max(1, -(-wait // 60)))
    return views.message(collector, "not_found", 404)


def client_pseudonyms(request: Request, collector: Collector) -> tuple[str, str]:
    """The client's pseudonyms of today and yesterday (HMACs keyed by the secret: no database
    access)."""
    address = request.client.host if request.client else "unknown"
    return collector.pseudonyms.recent(address, collector.settings.now().date())


def expired(answer: StoredAnswer, collector: Collector) -> bool:
    """Whether the answer's deletion day (the one its receipt announced) has come, whether or
    not ``parole purge`` has deleted it yet."""
    expires = answer.expires_at
    return expires is not None and (expires.date() <= collector.settings.today()
                                     or expires <= collector.settings.now())
