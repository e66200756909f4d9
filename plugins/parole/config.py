"""Options of the ``parole`` plugin, as an organizer writes them under ``plugins: - parole:``.

Each option has one line and a docstring; the README's configuration reference must name every
one of them (``tests/test_docs.py`` fails otherwise).
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from site_builder.calendar import DEFAULT_RETENTION_DAYS
from site_builder.images import DEFAULT_CACHE_DIR, DEFAULT_QUALITY, DEFAULT_WIDTHS
from site_builder.plain_language import TARGETS
from site_builder.results.open_data import DEFAULT_LICENCE, LICENCES
from site_builder.results.protect import DEFAULT_MIN_COUNT


class CheckedByCalendar(base.BaseConfigOption[object]):
    """Keeps the YAML value as it is: ``site_builder.calendar_options.parse_calendar`` checks the
    calendar options together and reports every problem at once with its field path, whereas
    MkDocs stops at the first wrong option and names types ("<class 'datetime.date'>")."""

    def run_validation(self, value: object) -> object:
        return value


class CheckedByLanguages(base.BaseConfigOption[object]):
    """Keeps the YAML value as it is: ``site_builder.language_words_check.read_languages``
    checks the ``languages`` entries (a code, or a mapping of that language's words) and
    reports every problem at once with its line and field path."""

    def run_validation(self, value: object) -> object:
        return value


class OrganizerConfig(base.Config):
    """Who runs the consultation."""

    name = c.Type(str, default="")
    """Name shown in the header and the footer, e.g. "Ville de Belval"."""
    email = c.Optional(c.Type(str))
    """Contact email address shown in the footer."""
    phone = c.Optional(c.Type(str))
    """Contact phone number shown in the footer, written as people read it ("01 84 60 12 34")."""
    address = c.Optional(c.Type(str))
    """Postal address shown in the footer."""


class PageWeightConfig(base.Config):
    """The page-weight report and budget."""

    enabled = c.Type(bool, default=True)
    """Measure every page after the build, print the table and write ``page-weight.json``."""
    budget = c.Type(int, default=14)
    """Largest transferred size of a page, in KiB (1 KiB = 1024 bytes): the first TCP round trip.
    A page over it is a warning, hence an error in strict mode."""


class ImagesConfig(base.Config):
    """How pictures are resized and recompressed (``site_builder.images``)."""

    widths = c.ListOfItems(c.Type(int), default=list(DEFAULT_WIDTHS))
    """Widths in pixels each picture is published in (never wider than the picture itself)."""
    quality = c.Type(int, default=DEFAULT_QUALITY)
    """JPEG quality of the resized pictures, 1 to 95; their WebP versions use 10 less."""
    cache_dir = c.Type(str, default=DEFAULT_CACHE_DIR)
    """Folder keeping resized pictures between builds, from the folder of ``mkdocs.yml``."""


class PaperEntryConfig(base.Config):
    """How mediators type paper answers in (the collector's data-entry area)."""

    double = c.Type(bool, default=False)
    """Every paper sheet is typed twice, by two different mediators; only sheets whose two
    typings agree count, the others wait for a coordinator."""


class ResultsConfig(base.Config):
    """How results are published (``type: results`` pages and the open data)."""

    min_count = c.Type(int, default=DEFAULT_MIN_COUNT)
    """Any count below it in a breakdown is shown as "fewer than N" (``parole results`` reads
    it from here), so that no figure identifies someone."""
    licence = c.Choice(LICENCES, default=DEFAULT_LICENCE)
    """Licence of the open data: ``etalab-2.0`` (Licence Ouverte 2.0) or ``odbl-1.0``."""


class PlainLanguageConfig(base.Config):
    """How readable each page must be (``site_builder.plain_language``, docs/plain-language.md)."""

    enabled = c.Type(bool, default=True)
    """Measure every French and English page, print the table and write ``readability.json``."""
    max_words = c.Type(int, default=TARGETS["default"].max_words)
    """A sentence of more words is flagged (a ``plain_language: falc`` page: 10 at most)."""
    min_score = c.Type(int, default=round(TARGETS["default"].min_score))
    """Lowest readability score a page must reach (Kandel & Moles in French, Flesch in English:
    the higher, the easier); a page below it is a warning."""
    strict = c.Type(bool, default=False)
    """``true``: a page below its target is a warning that stops a strict build; ``false``: it
    is shown as a warning, and the build goes on."""


class ParoleConfig(base.Config):
    """Options of the ``parole`` plugin."""

    title = c.Optional(c.Type(str))
    """The consultation's title in every page's header; defaults to ``site_name``."""
    organizer = c.SubConfig(OrganizerConfig)
    """Who runs the consultation (``name``, ``email``, ``phone``, ``address``)."""
    help_page = c.Type(str, default="aide.md")
    """Page on getting help in person, linked from every footer; ``""`` leaves the link out."""
    accessibility_page = c.Type(str, default="accessibilite.md")
    """Accessibility statement, linked from every footer; ``""`` leaves the link out."""
    privacy_page = c.Type(str, default="confidentialite.md")
    """Privacy page, linked from every footer; ``""`` leaves the link out."""
    site_map = c.Type(bool, default=True)
    """Generate a site map page listing every page, linked from every page."""
    journal = c.Type(bool, default=True)
    """When the site has a form, generate the page explaining the public journal of answers
    (``journal/``, in each language) and publish the standalone verifier in it."""
    faq = c.Type(bool, default=True)
    """Render pages whose front matter says ``type: faq`` as questions and answers."""
    low_data = c.Type(bool, default=True)
    """Write the low-data edition: the whole consultation in one small HTML file to read offline
    and pass around, linked from every page's footer."""
    precompress = c.Type(bool, default=True)
    """Write a ``.gz`` beside every HTML, CSS, JS, JSON, SVG, XML, text and CSV file of the site."""
    page_weight = c.SubConfig(PageWeightConfig)
    """Page-weight report and budget (``enabled``, ``budget``)."""
    plain_language = c.SubConfig(PlainLanguageConfig)
    """How readable each page must be (``enabled``, ``max_words``, ``min_score``, ``strict``)."""
    images = c.SubConfig(ImagesConfig)
    """How pictures are resized and recompressed (``widths``, ``quality``, ``cache_dir``)."""
    opens = CheckedByCalendar()
    """First day answers are taken (``YYYY-MM-DD``); with ``closes``, turns the status banner on."""
    closes = CheckedByCalendar()
    """Last day answers are taken (``YYYY-MM-DD``): forms close at the end of that day."""
    phases = CheckedByCalendar()
    """Steps of the consultation, in order: ``name``, ``start``, ``end``, ``description``."""
    results_page = c.Optional(c.Type(str))
    """Page of the results (``resultats.md``); once closed, the banner links to it."""
    response_due = CheckedByCalendar()
    """Day by which the organizer promises to say what came of the answers (``YYYY-MM-DD``):
    once closed, the banner and the closed forms say "réponse attendue avant le …"."""
    results = c.SubConfig(ResultsConfig)
    """How results are published (``min_count``, ``licence``)."""
    collector_url = c.Type(str, default="/collect")
    """Address the forms send answers to."""
    retention_days = c.Type(int, default=DEFAULT_RETENTION_DAYS)
    """How many days answers are kept after ``closes``, then deleted."""
    paper_dropoff = c.ListOfItems(c.Type(str), default=[])
    """Places where paper answers can be dropped off, one line each."""
    paper_entry = c.SubConfig(PaperEntryConfig)
    """How paper answers are typed in (``double``)."""
    languages = CheckedByLanguages()
    """The consultation's languages (``[fr, ar, en]``), ``theme.language`` being the default:
    ``page.ar.md`` is the Arabic version of ``page.md``, published under ``ar/`` with a switcher
    on every page; a page not translated shows the default language's text with a note. An
    entry may be a mapping, ``- locale: ar`` with that language's ``site_name``,
    ``site_description``, ``title``, ``organizer`` (``name``, ``address``), ``phases``,
    ``paper_dropoff`` and ``nav_translations`` (docs/languages.md)."""
    time_zone = CheckedByCalendar()
    """Time zone of the times in the exports, an IANA name (``Europe/Paris``, ``Indian/Reunion``);
    default ``Europe/Paris`` for a French site, else ``UTC``."""
