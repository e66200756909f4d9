"""``parole audit``: the organizer's own built site checked in Chromium, page by page, into a
report an auditor can work from, and, with ``--statement``, the accessibility statement.

The run, in order: the settings (``settings``: the site and docs folders, the language, the
organizer), every page (``site_pages``, ``collector_pages``), everything that can stop the run
checked before the browser starts (the site built, the review file, the report's folder
writable, the [audit] extra), the pages served on 127.0.0.1 (``server``) and checked
(``browser``), the criteria decided (``verdicts``), the report written (``report_json``,
``report_html``) and the statement (``statement``). The other parts are imported when the
command runs: ``parole --help`` must work without the [audit] extra.

Exit status: 0 when no error was found, 1 when any error finding or any page could not be
checked (``--strict``: any warning too) or when the run could not be made, 2 when the command
line is wrong (argparse's own convention, which the other commands follow).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from site_builder.audit.collector_pages import collector_pages
from site_builder.audit.model import AuditRun, Environment, PageResult
from site_builder.audit.progress import Progress, summary_lines
from site_builder.audit.server import serve
from site_builder.audit.settings import DEFAULT_CONFIG, AuditSettings, audit_settings
from site_builder.audit.site_pages import (
    INDEX,
    REPORT_FOLDER,
    page_title,
    site_language,
    site_pages,
)
from site_builder.collector.site import PublishedSite, SiteError
from site_builder.errors import ParoleError
from site_builder.i18n import DEFAULT_LANGUAGE
from site_builder.messages import say, use_language
from site_builder.results.command import computation_time
from site_builder.safe_files import replace_file

if TYPE_CHECKING:
    from site_builder.audit.browser import BrowserOptions
    from site_builder.audit.review import Review
    from site_builder.audit.verdicts import Assessment

CheckPages = Callable[..., tuple[Environment, list[PageResult]]]
"""``browser.check_pages``."""

DEFAULT_OUTPUT = "audit-report"
"""Where the report goes unless told: beside the site, not in it (a report names problems an
organizer may not want published before fixing them)."""
SEPARATOR = " — "
"""Between a page's own title and the site's, as the theme writes them."""
USAGE_ERROR = 2


class AuditCommandError(ParoleError):
    """The audit cannot run as asked: the message says what, where, and how to fix it."""

    def __init__(self, key: str, *, status: int = 1, **values: object) -> None:
        super().__init__(say(key, **values) + "\n    "
                         + say("problem.how_to_fix", fix=say(f"{key}_fix", **values)))
        self.status = status


def add_audit_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    command = commands.add_parser("audit", help=say("audit.command.help"),
                                  description=say("audit.command.help_description"))
    command.add_argument("--site", type=Path, metavar="DIR", help=say("audit.command.help_site"))
    command.add_argument("--config", metavar="FILE",
                         help=say("audit.command.help_config", default=DEFAULT_CONFIG))
    command.add_argument("--output", type=Path, metavar="DIR",
                         help=say("audit.command.help_output", default=DEFAULT_OUTPUT))
    command.add_argument("--publish", action="store_true",
                         help=say("audit.command.help_publish"))
    command.add_argument("--review", type=Path, metavar="FILE",
                         help=say("audit.command.help_review"))
    command.add_argument("--statement", action="store_true",
                         help=say("audit.command.help_statement"))
    command.add_argument("--strict", action="store_true", help=say("audit.command.help_strict"))
    command.add_argument("--browser", type=Path, metavar="PATH",
                         help=say("audit.command.help_browser"))
    command.add_argument("--jobs", type=_jobs, default=0, metavar="N",
                         help=say("audit.command.help_jobs"))
    return command


def _jobs(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(say("audit.command.not_jobs", value=value))
    return int(value)


@dataclass(frozen=True)
class _Site:
    """What the run knows of the site, from its configuration or, without one, from itself."""

    folder: Path
    language: str | None
    """``theme.language``, else the built site's; None when neither says (no site)."""
    title: str
    organizer: dict[str, str]
    url: str


def run_audit(arguments: argparse.Namespace) -> int:
    """The whole run; messages on the terminal, the exit status returned (never a traceback
    for something a person can fix)."""
    try:
        return _run(arguments)
    except AuditCommandError as error:
        print(error, file=sys.stderr)
        return error.status
    except (ParoleError, SiteError) as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _run(arguments: argparse.Namespace) -> int:
    if arguments.config is not None and not Path(arguments.config).is_file():
        raise AuditCommandError("audit.command.config_missing", status=USAGE_ERROR,
                                path=Path(arguments.config).resolve())
    settings = audit_settings(arguments.config)
    site = _site(settings, arguments.site)
    use_language(site.language)  # None: the environment's, until the site is found
    _check_built(site.folder)
    day = computation_time().date().isoformat()
    check_pages, options = _browser(arguments)
    review = _review(arguments.review)
    output = arguments.output or (site.folder / REPORT_FOLDER if arguments.publish
                                  else Path(DEFAULT_OUTPUT))
    statement_path = _statement_path(settings) if arguments.statement else None
    folders = [output] + ([settings.docs_dir / REPORT_FOLDER] if statement_path else [])
    made = [folder for folder in folders if not folder.exists()]
    try:
        for folder in folders:
            _check_writable(folder)
        run, assessment, errors = _audit(arguments, site, day, check_pages=check_pages,
                                         options=options, review=review)
        _write_report(output, run, assessment)
    except BaseException:
        for folder in made:  # what this run made and left empty: as it was
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    for line in summary_lines(run, assessment, strict=arguments.strict):
        print(line)
    print(say("audit.command.report_written", path=output / INDEX))
    if statement_path is not None:
        _write_statement(settings.docs_dir, statement_path, run, assessment)
    return 1 if errors else 0


def _audit(arguments: argparse.Namespace, site: _Site, day: str, *, check_pages: CheckPages,
           options: BrowserOptions, review: Review | None,
           ) -> tuple[AuditRun, Assessment, int]:
    """Every page served and checked; the run, its criteria decided, and its error count."""
    from site_builder.audit.criteria import criteria  # noqa: PLC0415 - see the module's doc
    from site_builder.audit.verdicts import assess  # noqa: PLC0415

    extra = collector_pages(site.folder, today=date.fromisoformat(day))
    pages = site_pages(site.folder) + [page for page, _html in extra.values()]
    progress = Progress(len(pages), strict=arguments.strict)
    selectors = {known.number: known.applies_to for known in criteria() if known.applies_to}
    prefix = urllib.parse.urlsplit(site.url).path or "/"
    with serve(site.folder, {path: html for path, (_page, html) in extra.items()},
               prefix=prefix) as base_url:
        try:
            environment, results = check_pages(base_url, pages, options, selectors,
                                               on_page=progress.page_done)
        finally:
            progress.finish()
    run = AuditRun(date=day, site_title=site.title, language=site.language or DEFAULT_LANGUAGE,
                   environment=environment, results=tuple(results),
                   organizer=site.organizer, base_url=site.url)
    return run, assess(run, review), progress.errors


def _browser(arguments: argparse.Namespace) -> tuple[CheckPages, BrowserOptions]:
    """The browser stage and its options; the [audit] extra missing is said here, before any
    work, with how to install it (``check_pages`` says it too, and that Chromium is missing)."""
    try:
        from site_builder.audit.browser import (  # noqa: PLC0415 - needs the [audit] extra
            BrowserOptions,
            check_pages,
        )
    except ImportError as error:
        raise AuditCommandError("audit.command.no_extra", error=error) from error
    options = BrowserOptions(jobs=arguments.jobs) if arguments.browser is None else \
        BrowserOptions(executable=arguments.browser, jobs=arguments.jobs)
    return check_pages, options


def _site(settings: AuditSettings, given: Path | None) -> _Site:
    folder = given if given is not None else settings.site_dir
    language = settings.language or site_language(folder)
    if language is None and settings.config_file is not None and folder.is_dir():
        language = DEFAULT_LANGUAGE  # parole build's, when mkdocs.yml does not say
    manifests_url = _manifests_site_url(folder)
    return _Site(folder=folder, language=language,
                 title=settings.site_name or _home_title(folder),
                 organizer=dict(settings.organizer), url=settings.site_url or manifests_url)


def _home_title(folder: Path) -> str:
    """The site's name as its home page's title ends (``Accueil — Place du Marché``)."""
    title = page_title(folder / INDEX) or ""
    return title.rpartition(SEPARATOR)[2]


def _manifests_site_url(folder: Path) -> str:
    try:
        manifests = PublishedSite(folder).check(require_forms=False)
    except (ParoleError, SiteError, OSError):
        return ""
    return next((manifest.site_url for manifest in manifests if manifest.site_url), "")


def _check_built(folder: Path) -> None:
    if not folder.is_dir():
        raise AuditCommandError("audit.command.no_site", path=folder.resolve())
    if not (folder / INDEX).is_file():
        raise AuditCommandError("audit.command.not_built", path=folder.resolve())


def _review(path: Path | None) -> Review | None:
    if path is None:
        return None
    if not path.is_file():
        raise AuditCommandError("audit.command.no_review", status=USAGE_ERROR,
                                path=path.resolve())
    from site_builder.audit.review import read_review  # noqa: PLC0415 - see the module's doc

    return read_review(path)


def _statement_path(settings: AuditSettings) -> Path:
    if not settings.accessibility_page:
        raise AuditCommandError("audit.command.no_statement_page",
                                config=settings.config_file or DEFAULT_CONFIG)
    if not settings.docs_dir.is_dir():
        raise AuditCommandError("audit.command.no_docs", path=settings.docs_dir.resolve())
    return settings.docs_dir / settings.accessibility_page


def _check_writable(folder: Path) -> None:
    """Fail now, not after the browser's minutes, when the report cannot be written there."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise AuditCommandError("audit.command.cannot_write", path=folder.resolve(),
                                error=error.strerror or error) from error


def _write_report(folder: Path, run: AuditRun, assessment: Assessment) -> None:
    from site_builder.audit.report_html import write_report  # noqa: PLC0415 - see module's doc

    try:
        write_report(folder, run, assessment)
    except OSError as error:
        raise AuditCommandError("audit.command.cannot_write", path=folder.resolve(),
                                error=error.strerror or error) from error


def _write_statement(docs: Path, page: Path, run: AuditRun, assessment: Assessment) -> None:
    """The statement as ``<docs>/<accessibility_page>`` and the report in ``<docs>/audit/``,
    linked from it, both published by the next build."""
    from site_builder.audit.statement import statement_markdown  # noqa: PLC0415

    report = docs / REPORT_FOLDER
    _write_report(report, run, assessment)
    link = Path(os.path.relpath(report / INDEX, page.parent)).as_posix()
    text = statement_markdown(run, assessment, report_link=link)
    try:
        page.parent.mkdir(parents=True, exist_ok=True)
        replace_file(page, text)  # a build reading it meanwhile gets the old one or the new
    except OSError as error:
        raise AuditCommandError("audit.command.cannot_write", path=page.resolve(),
                                error=error.strerror or error) from error
    print(say("audit.command.statement_written", path=page, report=report / INDEX))

