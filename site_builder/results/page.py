"""The generated part of a results page (``type: results``, ``form: <id>``): what parole adds
after the organizer's own introduction, from the form's results file.

Before the form is closed, only a notice saying when the results will come: figures of a
consultation still running would sway those who have not answered yet. Once it is closed, in
this order, so that the page reads from the answer to the detail:

1. "En bref": how many answered, in which ways, how many decisions, which signed state of the
   public journal of answers the figures count (``journal_html``), links to the parts below;
2. "Ce que nous avons entendu" (``anchors.HEARD``): participation, one figure per closed
   question (``figures``), then the quotes and how they were chosen (``quotes``);
3. "Ce qui a été décidé" (``anchors.DECIDED``): the decisions, as ``decisions`` renders them;
4. the open data (``anchors.OPEN_DATA``): where to download every number of the page.

Plain HTML (no script, no theme template): the same page builds with mkdocs-material, and the
collector or another engine could show it. Every text is escaped here, once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from site_builder import calendar
from site_builder.calendar import Calendar, format_date
from site_builder.i18n import Catalogue, base_language
from site_builder.results import anchors
from site_builder.results.decisions import STATUSES
from site_builder.results.figures import (
    channel_name,
    escape,
    per_channel_figure,
    per_day_figure,
    question_figure,
)
from site_builder.results.file import ResultsFile
from site_builder.results.labels import in_language
from site_builder.results.protect import HIDDEN, SMALL, Count
from site_builder.results.quotes import quotes_section
from site_builder.results.words import answers_text, count_text, listed, number

BRIEF = "en-bref"
QUESTIONS = "questions"


def results_html(results: ResultsFile | None, *, catalogue: Catalogue, consultation: Calendar,
                 today: date, closes: date | None = None, decisions_html: str = "",
                 decision_statuses: Sequence[str] = (),
                 open_data_links: Sequence[tuple[str, str]] = (),
                 licence: str | None = None, journal_url: str | None = None) -> str:
    """What parole appends to a results page on ``today`` (the build date).

    ``closes`` is the form's own closing day, if it has one (else the consultation's counts);
    ``decisions_html`` the "Ce qui a été décidé" section and ``decision_statuses`` the status
    of each decision, for the summary; ``open_data_links`` the open data's files as (URL
    relative to this page, what it is in words), none when it is not published, under
    ``licence``: the files themselves, since a static server shows no page for their folder.
    ``journal_url``: the site's page explaining the journal, relative to this page (None: the
    site has none). ``results`` may be None only while the form is open (the notice needs no
    figures)."""
    closing = calendar.closing_day(closes, consultation)
    if closing is not None and not calendar.is_past(closing, today):
        return notice_html(closing, catalogue)
    assert results is not None, "a closed form's results page needs its results file"
    results = in_language(results, base_language(catalogue.language))  # its page's words
    parts = [brief_html(results, catalogue, decisions=bool(decisions_html),
                        statuses=decision_statuses, open_data=bool(open_data_links),
                        journal_url=journal_url),
             heard_html(results, catalogue)]
    if decisions_html:
        parts.append(decisions_html)
    if open_data_links:
        parts.append(open_data_html(open_data_links, licence, catalogue))
    return '<div class="p-results">\n' + "\n".join(parts) + "\n</div>\n"


def notice_html(closing: date, catalogue: Catalogue) -> str:
    """Before closing: when the results will come, nothing else."""
    words = catalogue("results.page.notice", date=format_date(closing, catalogue))
    return f'<div class="p-results">\n<p class="p-status">{escape(words)}</p>\n</div>\n'


# --- En bref -----------------------------------------------------------------------------------

def brief_html(results: ResultsFile, catalogue: Catalogue, *, decisions: bool,
               statuses: Sequence[str], open_data: bool, journal_url: str | None = None) -> str:
    """The page in three lines, the journal's signed state they count, and links to its
    parts."""
    items = [participation_sentence(results, catalogue)]
    if statuses:
        items.append(decisions_sentence(statuses, catalogue))
    computed = "results.page.computed" if results.checkpoint is None else \
        "results.page.computed_signed"
    items.append(catalogue(computed, date=format_date(results.computed_at.date(), catalogue)))
    links = [(anchors.HEARD, "results.page.heard"), (anchors.PARTICIPATION,
                                                     "results.page.participation")]
    if results.questions:
        links.append((QUESTIONS, "results.page.questions"))
    if results.free_text or results.quotes:
        links.append((anchors.QUOTES, "results.page.quotes"))
    if decisions:
        links.append((anchors.DECIDED, "results.page.decided"))
    if open_data:
        links.append((anchors.OPEN_DATA, "results.page.open_data"))
    listed_items = "\n".join(f"<li>{escape(item)}</li>" for item in items)
    listed_links = "\n".join(f'<li><a href="#{anchor}">{escape(catalogue(key))}</a></li>'
                             for anchor, key in links)
    return (f'<h2 id="{BRIEF}">{escape(catalogue("results.page.brief"))}</h2>\n'
            f"<ul>\n{listed_items}\n</ul>\n"
            + journal_html(results, catalogue, journal_url)
            + f"<p>{escape(catalogue('results.page.contents'))}</p>\n"
            f'<ul>\n{listed_links}\n</ul>')


def journal_html(results: ResultsFile, catalogue: Catalogue, journal_url: str | None) -> str:
    """"Ces chiffres comptent les 1 234 réponses inscrites dans le journal public des réponses.
    Le journal a été signé quand il comptait 1 250 réponses. L'empreinte de tout le journal
    signé : 0a2b 3c4d …", and the link to the page that explains how to check it; "" when the
    file names no checkpoint. The fingerprint is the checkpoint's root, in groups of 4 as the
    receipt and proof pages write hashes, to be read aloud and compared."""
    checkpoint = results.checkpoint
    if checkpoint is None:
        return ""
    root = checkpoint.root.hex()
    grouped = " ".join(root[start:start + 4] for start in range(0, len(root), 4))
    counted = catalogue.count("results.page.journal.counted", results.answers,
                              count=number(results.answers, catalogue))
    signed = catalogue.count("results.page.journal.signed", checkpoint.size,
                             count=number(checkpoint.size, catalogue))
    link = (f' <a href="{escape(journal_url)}">'
            f'{escape(catalogue("collector.journal.explained_link"))}</a>'
            if journal_url is not None else "")
    return (f'<p class="p-journal">{escape(counted)} {escape(signed)} '
            f'{escape(catalogue("results.page.journal.root"))} '
            f'<code class="p-hash" dir="ltr" translate="no">{grouped}</code>.{link}</p>\n')


def participation_sentence(results: ResultsFile, catalogue: Catalogue) -> str:
    """"1 234 réponses, dont 310 sur papier et 924 en ligne." Channels without any answer are
    left out when that is certain (an exact 0); a protected count is said as such."""
    total = answers_text(results.answers, catalogue)
    ways = [catalogue("results.page.by_hidden" if count == HIDDEN else "results.page.by",
                      count=count_text(count, catalogue, results.min_count),
                      channel=_channel_words(channel, catalogue))
            for channel, count in results.per_channel.items() if count != 0]
    if results.answers == 0 or not ways:
        return catalogue("results.page.answers.total", answers=total)
    return catalogue("results.page.answers.ways", answers=total, ways=listed(ways, catalogue))


def _channel_words(channel: str, catalogue: Catalogue) -> str:
    key = f"results.page.channel_words.{channel}"
    return catalogue(key) if key in catalogue.strings else channel_name(channel, catalogue)


def decisions_sentence(statuses: Sequence[str], catalogue: Catalogue) -> str:
    """"3 décisions : 1 adoptée, 1 adaptée et 1 rejetée." in the order of ``STATUSES``."""
    counted = Counter(statuses)
    order = [status for status in STATUSES if counted[status]]
    order += [status for status in counted if status not in order]
    parts = []
    for status in order:
        key = f"results.page.status.{status.replace(' ', '_')}"
        words = (catalogue.count(key, counted[status], count=str(counted[status]))
                 if f"{key}.other" in catalogue.strings else f"{counted[status]} {status}")
        parts.append(words)
    return catalogue.count("results.page.decisions", len(statuses), count=str(len(statuses)),
                           statuses=listed(parts, catalogue))


# --- Ce que nous avons entendu -----------------------------------------------------------------

def heard_html(results: ResultsFile, catalogue: Catalogue) -> str:
    """Participation, the closed questions, the quotes."""
    parts = [f'<h2 id="{anchors.HEARD}">{escape(catalogue("results.page.heard"))}</h2>']
    if rule := protection_sentence(results, catalogue):
        parts.append(f"<p>{escape(rule)}</p>")
    parts.append(f'<h3 id="{anchors.PARTICIPATION}">'
                 f'{escape(catalogue("results.page.participation"))}</h3>')
    parts.append(per_channel_figure(results, catalogue))
    parts.append(per_day_figure(results, catalogue))
    if results.questions:
        parts.append(f'<h3 id="{QUESTIONS}">{escape(catalogue("results.page.questions"))}</h3>')
        parts += [question_figure(question, results, catalogue)
                  for question in results.questions]
    if quotes := quotes_section(results, catalogue):
        parts.append(quotes)
    return "\n".join(parts)


def protection_sentence(results: ResultsFile, catalogue: Catalogue) -> str:
    """The small-count rule, said once, with the file's own ``min_count``; the "masqué" half
    only when the page hides a count that way. "" when nothing is protected."""
    counts = _every_count(results)
    if not any(count == SMALL for count in counts):
        return ""
    rule = catalogue("results.page.protected", min_count=str(results.min_count))
    if any(count == HIDDEN for count in counts):
        rule += " " + catalogue("results.page.protected.hidden")
    return rule


def _every_count(results: ResultsFile) -> list[Count]:
    counts: list[Count] = [*results.per_channel.values(), *results.per_day.values()]
    for question in results.questions:
        counts += [option.count for option in question.options]
        counts += [question.skipped, question.blank, question.spoiled]
    for text in results.free_text:
        counts += [text.consented, text.not_consented, text.approved, text.to_moderate,
                   *text.rejected.values()]
    return counts


# --- open data ---------------------------------------------------------------------------------

def open_data_html(links: Sequence[tuple[str, str]], licence: str | None,
                   catalogue: Catalogue) -> str:
    """Where every number of the page can be downloaded, file by file, and under which
    licence."""
    licence_words = (catalogue(f"results.page.licence.{licence}")
                     if licence and f"results.page.licence.{licence}" in catalogue.strings
                     else licence or "")
    text = catalogue("results.page.open_data.text", licence=licence_words)
    items = "\n".join(f'<li><a href="{escape(url)}">{escape(words)}</a></li>'
                      for url, words in links)
    return (f'<h2 id="{anchors.OPEN_DATA}">{escape(catalogue("results.page.open_data"))}</h2>\n'
            f"<p>{escape(text)}</p>\n<ul>\n{items}\n</ul>")
