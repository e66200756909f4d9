"""What the batch pages share: the forms of an area and which take new batches, a batch's
place in its area, how its progress is said, and the small HTML pieces every page repeats.

A batch is a stack of paper sheets from one place (issue #15). A mediator opens one, then types
its sheets in, one screen per sheet (``batch_sheet``); the home (``batches.home``) lists them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

from site_builder.calendar import format_date
from site_builder.collector.entry import area_path
from site_builder.collector.entry.languages import paper_language_html
from site_builder.collector.settings import Collector, catalogue
from site_builder.forms.manifest import Manifest
from site_builder.i18n import Catalogue
from site_builder.storage import sheet_rules
from site_builder.storage.entry import Batch, BatchProgress, EntryError, Sheet

_HOURS = re.compile(r"\s*:\s")
"""Where a drop-off line's place ends and its opening hours start ("10:30" is no such place)."""
MAX_SHEETS = 10_000
"""The largest hand count of one batch: a stack bigger than that is split in several."""


def dropoff_places(manifest: Manifest) -> list[str]:
    """The drop-off places of the site (``paper_dropoff``) as a batch names them: each line's
    place, without the opening hours a line may give after a colon ("Médiathèque, 12 rue des
    Écoles : le mardi, de 14 h à 18 h" is "Médiathèque, 12 rue des Écoles"). Once each."""
    places: list[str] = []
    for line in manifest.paper_dropoff:
        name = _HOURS.split(line, maxsplit=1)[0].strip() or line.strip()
        if name and name not in places:
            places.append(name)
    return places


def area_manifests(collector: Collector, area: str) -> list[Manifest]:
    """The site's forms served under the mediators' area ``area``, in the site's order."""
    return [manifest for manifest in collector.manifests if area_path(manifest) == area]


def batch_manifest(collector: Collector, area: str, batch: Batch) -> Manifest | None:
    """The form of ``batch``, when it is a form of ``area`` (else the batch is none of this
    area's business: 404)."""
    manifest = collector.site.manifest(batch.form_id)
    if manifest is None or area_path(manifest) != area:
        return None
    return manifest


def has_opened(collector: Collector, manifest: Manifest, today: date) -> bool:
    """Whether the form has opened (any day in a preview, where organizers try their forms)."""
    return collector.settings.preview or manifest.opens is None or manifest.opens <= today


def takes_batches(collector: Collector, manifest: Manifest, today: date) -> bool:
    """Whether a new batch of sheets may be opened for ``manifest`` today.

    A form that has not opened yet takes none. A closed form still does: ballot boxes are
    emptied on the last day and their sheets typed in during the days after, and a mediator
    holding those sheets expects to enter them (the date they were collected, checked in
    ``batch_new``, must then be the closing day or earlier: a sheet dropped after it is late).
    Once the answers' deletion day has come (``retention_days`` after closing) no batch is
    opened: its answers would be deleted at once."""
    if not has_opened(collector, manifest, today):
        return False
    if manifest.closes is None:
        return True
    return today < manifest.closes + timedelta(days=manifest.retention_days)


def takes_answers_online(collector: Collector, manifest: Manifest, today: date) -> bool:
    """Whether the form takes answers today: a mediator can then help someone answer it."""
    return has_opened(collector, manifest, today) and (
        manifest.closes is None or today <= manifest.closes)


def words_for(manifests: Sequence[Manifest], fallback: Manifest) -> Catalogue:
    """The area's words: its forms share a language (the area's path says which)."""
    return catalogue((manifests[0] if manifests else fallback).language)


def text(words: Catalogue, key: str, **params: object) -> str:
    """A catalogue string with its parameters, escaped for HTML text."""
    return escape(words(key, **{name: str(value) for name, value in params.items()}),
                  quote=False)


def batch_title(words: Catalogue, batch: Batch, manifest: Manifest | None) -> str:
    """"Lot n° 3 : Votre avis sur la place — Mairie" as escaped HTML."""
    title = manifest.form.title if manifest else batch.form_id
    return text(words, "batches.batch_title", number=batch.id, form=title, place=batch.place)


def batch_facts(words: Catalogue, batch: Batch, manifest: Manifest | None) -> str:
    """The batch in one paragraph: its number, which form, where and when the sheets were
    collected, and in which language's paper version when the form has several."""
    title = manifest.form.title if manifest else batch.form_id
    facts = text(words, "batches.facts", number=batch.id, form=title, place=batch.place,
                 date=format_date(batch.collected_on, words))
    language = paper_language_html(words, batch, manifest)
    return f"<p>{facts} {language}</p>" if language else f"<p>{facts}</p>"


def progress_html(words: Catalogue, progress: BatchProgress, manifest: Manifest) -> str:
    """When the batch's sheets were collected (in which language's paper version, when the
    form has several), how far it is (sheets entered against the hand count) and its state
    (with double entry, how many sheets wait for a second typing or a coordinator's
    decision)."""
    batch = progress.batch
    double = manifest.double_entry
    lines = [text(words, "batches.collected", date=format_date(batch.collected_on, words)),
             paper_language_html(words, batch, manifest),
             text(words, "batches.progress", entered=progress.entered,
                  counted=batch.sheets_counted)]
    lines = [line for line in lines if line]
    if batch.closed_at is not None:
        lines.append(text(words, "batches.state.closed",
                          date=format_date(batch.closed_at.date(), words)))
    else:
        lines.append(text(words, f"batches.state.{batch_state(progress)}"))
    if double or progress.counted != progress.entered:
        sheets = progress.sheets
        lines.append(text(words, "batches.state.sheets", counted=sheets.get("counted", 0),
                          awaiting_second=sheets.get("awaiting_second", 0),
                          differs=sheets.get("differs", 0),
                          awaiting_third=sheets.get("awaiting_third", 0)))
    return "<p>" + "<br>\n".join(lines) + "</p>"


def batch_state(progress: BatchProgress) -> str:
    """``entering`` (sheets still to type), ``waiting`` (every sheet typed, some do not count
    yet), ``complete`` (it can be closed) or ``over`` (more sheets typed than counted)."""
    if progress.difference < 0:
        return "over"
    if progress.difference > 0:
        return "entering"
    return "complete" if progress.complete else "waiting"


def typed_by(sheets: Sequence[Sheet], name: str) -> list[Sheet]:
    """The sheets ``name`` has typed (a set-aside typing included: they typed that sheet)."""
    return [sheet for sheet in sheets if any(entry.entered_by == name for entry in sheet.entries)]


def next_sheet(batch: Batch, sheets: Sequence[Sheet], name: str, *, double: bool) -> int | None:
    """The number of the sheet ``name`` types next, by the storage's own rule
    (``sheet_rules.next_sheet``: single entry numbers the stack whoever types it, double entry
    each mediator's run through it); None when every sheet counted by hand is typed."""
    typed = {sheet.number for sheet in sheets}
    again: set[int] = set()
    if double:
        typed = {sheet.number for sheet in sheets if any(
            entry.entered_by == name and not entry.again for entry in sheet.entries)}
        again = {sheet.number for sheet in sheets if any(
            entry.entered_by == name and entry.again for entry in sheet.entries)}
    try:
        return sheet_rules.next_sheet(batch, typed, double=double, typed_again=again)
    except EntryError:  # every sheet typed (or the batch closed meanwhile)
        return None


def links_html(links: Sequence[tuple[str, str]]) -> str:
    """A list of ``(url, escaped text)`` links."""
    items = "\n".join(f'<li><a href="{escape(url)}">{label}</a></li>' for url, label in links)
    return f"<ul>\n{items}\n</ul>"


def day_as_typed(day: date) -> str:
    """A day as the date field shows it: ``10/01/2027``."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
