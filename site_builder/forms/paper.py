"""The paper version of a form: a questionnaire to print on A4, from the same model as the online
form, so that every question carries the code (``form id / field id``) a mediator types the
paper answer in with, and paper and online answers count the same.

``render_paper`` builds a small view of each question (number, code, label, instruction in
words, boxes or ruled lines) and ``theme/paper.html`` lays it out; the page is a standalone,
accessible HTML page with its own print-first stylesheet. No MkDocs import: the build calls it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape, unescape
from html.parser import HTMLParser

from markupsafe import Markup

from site_builder import calendar
from site_builder.forms.borrowed import Borrowed
from site_builder.forms.model import DEFAULT_MAX_LENGTH, Field, Form
from site_builder.forms.templates import environment
from site_builder.forms.translations import option_path
from site_builder.forms.wording import instruction
from site_builder.i18n import Catalogue
from site_builder.site import SiteInfo

TEMPLATE = "paper.html"
# Handwriting is wider than type: about this many characters fit on one ruled line of the A4
# text column (180 mm), and a field gets at most this many lines, so one question always fits
# on one page (a question never breaks across pages).
CHARS_PER_LINE = {"text": 60, "textarea": 70}
MAX_LINES = {"text": 4, "textarea": 20}
# More options than this are laid out in two columns, so long lists (select) stay on one page.
LONG_LIST = 8
# Inline markup a consent label may hold besides links (rendered inline markdown).
INLINE_TAGS = frozenset({"em", "strong", "code", "b", "i"})


@dataclass(frozen=True)
class Question:
    """One field as the paper page shows it."""

    number: int
    field: Field
    code: str
    """``form id / field id``: what a mediator looks for in the online form."""
    label: Markup
    """The label, links printed as their text followed by their address."""
    instruction: str | None
    """How to answer, in words ("Une seule réponse : cochez une case.")."""
    lines: int
    """Ruled lines to write on (text, textarea, email); 0 for the other types."""
    hint: str | Markup | None = None
    """The organizer's hint; this and the words below are in a span of the form's own
    language when its translation lacks them (``Borrowed``), like the online form's."""
    options: tuple[str | Markup, ...] = ()
    """The options' labels, in order (choice, choices, select)."""
    min_label: str | Markup | None = None
    max_label: str | Markup | None = None

    @property
    def long_list(self) -> bool:
        return len(self.field.options) > LONG_LIST


def render_paper(
    form: Form,
    *,
    catalogue: Catalogue,
    site: SiteInfo,
    online_url: str | None,
    help_url: str | None,
    dropoff: Sequence[str],
    closes: date | None,
    format_date: Callable[[date], str] | None = None,
    link_address: Callable[[str], str] | None = None,
) -> str:
    """The paper page of ``form``, as a complete HTML document.

    ``online_url`` and ``help_url`` are the links back to the online form and to the help page,
    as the page should write them (relative to the paper page, or absolute). ``dropoff`` lists
    where paper answers can be left; when empty, the organizer (and its address) is named.
    ``closes`` is the last day answers are accepted; ``format_date`` writes it in words
    (``calendar.format_date`` in the catalogue's language by default).

    Links in the intro and in a consent label were written for the online form's page;
    ``link_address`` turns such an ``href`` into an address valid from anywhere (an absolute URL
    when the site's URL is known, else a path from the site root). A consent link is printed
    as its text followed by that address (``mailto:`` removed); an intro link points to it.
    By default addresses are kept as written.
    """
    write_date = format_date or (lambda day: calendar.format_date(day, catalogue))
    rebase = link_address or _as_written
    borrowed = Borrowed.of(form)  # words a translation lacks: each says its language
    questions = [
        Question(
            number=number,
            field=field,
            code=form.code(field),
            label=borrowed.html(f"{field.id}/label", paper_label(field.label_html, rebase)),
            instruction=instruction(field, catalogue),
            lines=ruled_lines(field),
            hint=borrowed.words(field, "hint"),
            options=tuple(borrowed.text(option_path(field.id, option.value), option.label)
                          for option in field.options),
            min_label=borrowed.words(field, "min_label"),
            max_label=borrowed.words(field, "max_label"),
        )
        for number, field in enumerate(form.fields, 1)
    ]
    template = environment().get_template(TEMPLATE)
    return template.render(
        t=catalogue,
        site=site,
        form=form,
        title=borrowed.text("title", form.title),
        intro=borrowed.block("intro", paper_intro(form.intro_html, rebase))
        if form.intro_html else None,
        questions=questions,
        online_url=online_url,
        help_url=help_url,
        dropoff=list(dropoff) or organizer_place(site, catalogue),
        closes=write_date(closes) if closes else None,
    )


# --- what each question says and shows ----------------------------------------------------------

def ruled_lines(field: Field) -> int:
    """Lines to write an answer on: one per ``CHARS_PER_LINE`` characters of ``max_length``,
    at least 1, at most ``MAX_LINES``; an email address gets one line; other types none."""
    if field.type == "email":
        return 1
    if field.type not in CHARS_PER_LINE:
        return 0
    length = field.max_length or DEFAULT_MAX_LENGTH[field.type]
    needed = math.ceil(length / CHARS_PER_LINE[field.type])
    return max(1, min(MAX_LINES[field.type], needed))


# --- words: links -----------------------------------------------------------------

def _as_written(href: str) -> str:
    return href


_HREF = re.compile(r'\shref="([^"]*)"')


def paper_intro(intro_html: str, rebase: Callable[[str], str]) -> Markup:
    """The form's intro (rendered markdown, trusted), its links pointed through ``rebase``:
    the paper page is not where the online form is, so a relative link would lead nowhere."""

    def point(match: re.Match[str]) -> str:
        return f' href="{escape(rebase(unescape(match.group(1))))}"'

    return Markup(_HREF.sub(point, intro_html))


def organizer_place(site: SiteInfo, catalogue: Catalogue) -> list[str]:
    """Where to leave answers when the consultation names no place: the organizer's name and
    address, separated as the language they are written in does (the page's ``catalogue``, or
    the default language's when ``mkdocs.yml`` gives them in no other)."""
    language = site.translated_words.get("organizer.name", site.words_language)
    words = catalogue if language in (None, site.language) \
        else Catalogue.for_language(language)
    place = words.joined(part for part in (site.organizer_name, site.organizer_address)
                         if part)
    return [place] if place else []


def paper_label(label_html: str, rebase: Callable[[str], str]) -> Markup:
    """The label for paper: a link's text followed by its address in brackets (a printed link
    cannot be clicked; ``mailto:`` left out), inline emphasis kept, anything else reduced to its
    escaped text."""
    reader = _PaperLabel(rebase)
    reader.feed(label_html)
    reader.close()
    return Markup("".join(reader.out))


class _PaperLabel(HTMLParser):
    def __init__(self, rebase: Callable[[str], str]) -> None:
        super().__init__(convert_charrefs=True)
        self.rebase = rebase
        self.out: list[str] = []
        self.links: list[str | None] = []  # the href of each open <a>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs).get("href"))
        elif tag in INLINE_TAGS:
            self.out.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            href = self.links.pop()
            if href:
                printed = escape(self.rebase(href).removeprefix("mailto:"))
                self.out.append(f' (<span class="p-paper__address" dir="ltr">{printed}</span>)')
        elif tag in INLINE_TAGS:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data, quote=False))
