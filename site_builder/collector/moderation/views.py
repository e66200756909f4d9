"""The moderation pages a signed-in moderator uses: the home (the forms and their counts) and
one form's page (the next answer waiting, and the verdict form).

A verdict is stored only on the answer and text the page showed: the form sends back the
answer's receipt code, the question and the text's digest, and the post looks the answer up
among those still waiting. Decided by someone else meanwhile, or corrected since: nothing is
stored, and the page says so. Stored: 303 back to the form's page, which says what was stored
and shows the next answer (POST, redirect, GET: reloading never decides twice).
"""

from __future__ import annotations

import logging
from html import escape
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from site_builder.collector import views as collector_views
from site_builder.collector.columns import UnknownForm
from site_builder.collector.entry.access import FormBody
from site_builder.collector.entry.page import text
from site_builder.collector.entry.review_parts import table
from site_builder.collector.moderation import access, pages, queue
from site_builder.collector.moderation import verdict_form as form
from site_builder.collector.moderation.pages import HOME, MODERATION_PATH
from site_builder.collector.moderation.queue import FormState
from site_builder.collector.moderation.session import Moderator
from site_builder.collector.moderation.verdict_page import (
    DONE,
    form_page_html,
    page_path,
    title_of,
)
from site_builder.collector.settings import Collector
from site_builder.messages import say
from site_builder.storage.moderation import ModerationError, NewVerdict

log = logging.getLogger("parole.collector")
NOTHING = "\N{EN DASH}"
"""A count that means nothing: a form that quotes no answer."""


def routes() -> list[BaseRoute]:
    return [
        Route(HOME, home, methods=["GET"]),
        Route(f"{MODERATION_PATH}/{{form_id}}", form_page, methods=["GET", "POST"]),
    ]


async def home(request: Request) -> Response:
    """``GET /admin/moderation/``: the sign-in form, or the forms with their counts."""
    collector: Collector = request.app.state.collector
    found = access.visitor(request)
    if isinstance(found, Response):
        return found
    if found is None:
        return pages.sign_in_page(collector)
    states = await run_in_threadpool(_every_form, collector)
    return pages.moderation_page(collector, pages.words_of(collector)("moderation.index.title"),
                                 _index_html(collector, states), moderator=found)


def _every_form(collector: Collector) -> list[FormState]:
    storage = collector.storage
    return [queue.form_state(storage, form_id) for form_id in storage.form_ids()]


def _index_html(collector: Collector, states: list[FormState]) -> str:
    words = pages.words_of(collector)
    parts = [f"<h1>{text(words, 'moderation.index.title')}</h1>",
             f"<p>{text(words, 'moderation.index.intro')}</p>"]
    if not states:
        parts.append(f"<p>{text(words, 'moderation.index.none')}</p>")
        return "\n".join(parts)
    rows = []
    for state in states:
        link = f'<a href="{escape(page_path(quote(state.form_id)))}">{escape(state.title)}</a>'
        if state.consent:
            rows.append([link, str(state.waiting), str(state.approved), str(state.rejected)])
        else:
            rows.append([f"{link} ({text(words, 'moderation.index.no_consent')})",
                         *[NOTHING] * 3])
    parts.append(table(words("moderation.index.caption"), [
        words(f"moderation.index.{column}")
        for column in ("form", "waiting", "approved", "rejected")], rows))
    return "\n".join(parts)


async def form_page(request: Request) -> Response:
    """``GET|POST /admin/moderation/<form>``: the next answer waiting, or a verdict on one."""
    collector: Collector = request.app.state.collector
    found = await access.signed_request(request)
    if isinstance(found, Response):
        return found
    moderator, body = found
    form_id = request.path_params["form_id"]
    if body is not None:
        return await _decide(request, collector, moderator, form_id, body)
    done = request.query_params.get("fait")
    state = await _state(collector, form_id)
    if state is None:
        return collector_views.message(collector, "not_found", 404)
    return _page(collector, state, moderator, done=done if done in DONE else None)


async def _decide(request: Request, collector: Collector, moderator: Moderator, form_id: str,
                  body: FormBody) -> Response:
    """A verdict sent: stored and 303 to the form's page; its mistakes (400); or a refusal."""
    try:
        values = form.read(list(body))
    except form.Unreadable as refusal:
        log.warning("%s", say("moderation.web.log.unreadable", path=request.url.path,
                              reason=str(refusal)))
        return pages.message_page(collector, "unreadable", 400, moderator=moderator)
    try:
        decided = await run_in_threadpool(_decide_now, collector, moderator, form_id, values)
    except UnknownForm:
        return collector_views.message(collector, "not_found", 404)
    back = page_path(quote(form_id))
    if isinstance(decided, str):
        if decided != "stale":
            log.info("%s", say("moderation.web.log.verdict", form=form_id,
                                outcome="rejected" if decided == "rejected" else "approved"))
        return access.see_other(f"{back}?fait={decided}")
    state, checked = decided
    words = pages.words_of(collector)
    errors = {name: words(key, max=form.LIMITS.get(name, 0))
              for name, key in checked.errors.items()}
    return _page(collector, state, moderator, item=state.found, values=values, errors=errors,
                 status=400)


def _decide_now(collector: Collector, moderator: Moderator, form_id: str,
                values: dict[str, str]) -> str | tuple[FormState, form.Checked]:
    """Store the verdict ``values`` say if the answer still waits with the text shown: what
    ``?fait=`` will say (``stale`` when nothing was stored); or the state and the mistakes
    to show again. ``UnknownForm`` for a form the database does not have.

    Two moderators may send a verdict on the same answer at the same moment, from two
    collectors or a collector and ``parole moderate``: the database stores a verdict only
    while the newest one on the answer is the one seen here (``supersedes``), so the second
    is told someone decided meanwhile."""
    state = queue.form_state(collector.storage, form_id,
                             (values[form.RECEIPT], values[form.FIELD]))
    item = state.found
    if item is None or item.digest != values[form.DIGEST]:
        return "stale"
    checked = form.check(values, item.text)
    decision = checked.decision
    if decision is None:
        return state, checked
    try:
        collector.storage.record_verdict(NewVerdict(
            form_id=form_id, receipt=item.receipt, field_id=item.field_id,
            outcome=decision.outcome, text_digest=item.digest, decided_by=moderator.name,
            decided_at=collector.settings.now(), reason=decision.reason,
            redactions=decision.redactions, theme=decision.theme),
            supersedes=item.newest_verdict)
    except ModerationError:  # decided by someone else, corrected or deleted a moment ago
        return "stale"
    return "rejected" if decision.outcome == "rejected" else \
        "redacted" if decision.redactions else "approved"


async def _state(collector: Collector, form_id: str,
                 find: tuple[str, str] | None = None) -> FormState | None:
    try:
        return await run_in_threadpool(queue.form_state, collector.storage, form_id, find)
    except UnknownForm:
        return None


def _page(collector: Collector, state: FormState, moderator: Moderator, *,
          done: str | None = None, item: queue.Waiting | None = None,
          values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
          status: int = 200) -> Response:
    words = pages.words_of(collector)
    main = form_page_html(words, state, moderator, done=done, item=item, values=values,
                          errors=errors)
    return pages.moderation_page(collector, title_of(words, state, errors or {}), main, status,
                                 moderator=moderator)
