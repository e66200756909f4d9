"""The ``parole`` command: ``new`` (a consultation's first files,
``site_builder.new_consultation``), ``build`` and ``serve`` (which wrap MkDocs, today's engine, so
organizers learn one command), ``collect`` (the collector), the data commands ``export``,
``stats``, ``purge`` and ``delete`` (``site_builder.collector.data_commands``), ``audit`` (the
site's accessibility checked in Chromium, ``site_builder.audit.command``), ``log`` (the public
answer log, ``site_builder.answer_log_commands``), ``readability``
(which sentences of a page to simplify, ``site_builder.readability_command``) and ``help``.

``build`` is strict by default: a warning (a missing page, a page over its weight budget) stops
the build, so nothing broken is published by accident. ``serve`` is a preview: it builds the
site, serves it with its forms working (answers go to a preview database), and builds again when
a file changes.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError

from site_builder import __version__
from site_builder.answer_log_commands.command import add_log_command, run_log_command
from site_builder.answer_log_commands.keys import read_signer
from site_builder.audit.command import add_audit_command, run_audit
from site_builder.collector import run
from site_builder.collector.body import Limits
from site_builder.collector.data_commands import (
    DATA_COMMANDS,
    add_data_commands,
    database_help,
    database_url,
    run_data_command,
)
from site_builder.collector.secret import CollectorSecret, load_secret
from site_builder.collector.settings import (
    DEFAULT_LOG_CHECKPOINT_MINUTES,
    DEFAULT_RATE_LIMIT,
    Settings,
    admin_token_from_environment,
)
from site_builder.collector.site import PublishedSite, SiteError
from site_builder.collector.startup import (
    NEW_SECRET_OPTION,
    check_database_place,
)
from site_builder.errors import ParoleError
from site_builder.i18n import DEFAULT_LANGUAGE
from site_builder.messages import say, use_language
from site_builder.mkdocs_words import MkDocsInOurWords, abort_message
from site_builder.new_consultation import add_new_command, run_new
from site_builder.readability_command import add_readability_command, run_readability
from site_builder.site_clean import clean_site, without_dirty_notes

log = logging.getLogger("parole")

DEFAULT_CONFIG = "mkdocs.yml"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
PREVIEW_DATABASE_URL = "sqlite:///parole-data/preview.db"
"""Where ``parole serve`` keeps the answers sent while trying a site out: apart from the real
ones (``parole collect``'s database)."""


def _config_file(value: str) -> str:
    path = Path(value)
    if not path.is_file():
        raise argparse.ArgumentTypeError(say("cli.no_config_file", path=path.resolve()))
    return str(path)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parole",
        description=say("cli.help.description"),
    )
    parser.add_argument("--version", action="version", version=f"parole {__version__}",
                        help=say("cli.help.version"))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser(
        "build", help=say("cli.help.build"), description=say("cli.help.build_description"))
    build.add_argument("-f", "--config-file", type=_config_file, default=DEFAULT_CONFIG,
                       help=say("cli.help.config_file"))
    build.add_argument("-d", "--site-dir", help=say("cli.help.site_dir"))
    build.add_argument("--no-strict", dest="strict", action="store_false",
                       help=say("cli.help.no_strict"))
    build.add_argument("-q", "--quiet", action="store_true", help=say("cli.help.quiet"))

    serve = commands.add_parser(
        "serve", help=say("cli.help.serve"), description=say("cli.help.serve_description"))
    serve.add_argument("-f", "--config-file", type=_config_file, default=DEFAULT_CONFIG,
                       help=say("cli.help.config_file"))
    _add_address(serve)
    serve.add_argument("--db", help=say("cli.help.serve_db", default=PREVIEW_DATABASE_URL))
    serve.add_argument(NEW_SECRET_OPTION, action="store_true",
                       help=say("startup.help.new_secret"))

    collect = commands.add_parser(
        "collect", help=say("cli.help.collect"),
        description=say("cli.help.collect_description"))
    collect.add_argument("--site", required=True, type=Path, metavar="DIR",
                         help=say("cli.help.site"))
    collect.add_argument("--db", metavar="URL", help=database_help())
    _add_address(collect)
    collect.add_argument("--rate-limit", type=_rate_limit, default=DEFAULT_RATE_LIMIT,
                         metavar="N", help=say("cli.help.rate_limit", default=DEFAULT_RATE_LIMIT))
    collect.add_argument("--allow-origin", action="append", default=[], metavar="ORIGIN",
                         help=say("cli.help.allow_origin"))
    collect.add_argument(NEW_SECRET_OPTION, action="store_true",
                         help=say("startup.help.new_secret"))
    collect.add_argument("--log-key", type=Path, metavar="FILE", help=say("log.help.log_key"))
    collect.add_argument("--log-checkpoint-minutes", type=_minutes,
                         default=DEFAULT_LOG_CHECKPOINT_MINUTES, metavar="N",
                         help=say("log.help.log_checkpoint_minutes",
                                  default=DEFAULT_LOG_CHECKPOINT_MINUTES))
    add_data_commands(commands)
    add_audit_command(commands)
    add_readability_command(commands)
    add_log_command(commands)
    add_new_command(commands)
    help_command = commands.add_parser(
        "help", help=say("cli.help.help"), description=say("cli.help.help_description"))
    help_command.add_argument("topic", nargs="?", metavar="COMMAND", help=say("cli.help.topic"))
    return parser


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """``parole``'s commands by name, each with its own parser."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _help(parser: argparse.ArgumentParser, topic: str | None) -> int:
    commands = subcommands(parser)
    if topic is None:
        parser.print_help()
    elif topic in commands:
        commands[topic].print_help()
    else:
        print(say("help.unknown", command=topic, commands=", ".join(commands)), file=sys.stderr)
        return 2
    return 0


def _add_address(command: argparse.ArgumentParser) -> None:
    command.add_argument("--host", default=DEFAULT_HOST,
                         help=say("cli.help.host", default=DEFAULT_HOST))
    command.add_argument("--port", type=int, default=DEFAULT_PORT,
                         help=say("cli.help.port", default=DEFAULT_PORT))


def _minutes(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(say("log.not_minutes", value=value))
    return int(value)


def _rate_limit(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(say("cli.not_a_rate_limit", value=value))
    return int(value)


def _setup_logging(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.addFilter(MkDocsInOurWords())
    for name in ("mkdocs", "parole", "uvicorn"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING if quiet else logging.INFO)
        logger.propagate = False


def build(config_file: str, *, site_dir: str | None = None, strict: bool = True) -> None:
    """Build the site described by ``config_file``; raises MkDocs' ``Abort`` on failure."""
    options = {"site_dir": site_dir} if site_dir else {}
    config = load_config(config_file, strict=strict, **options)
    _speak_the_language_of(config)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        # MkDocs would empty site_dir, the published journal included: clean_site spares it.
        clean_site(Path(config.site_dir))
        with without_dirty_notes():
            mkdocs_build(config, dirty=True)
    finally:
        config.plugins.on_shutdown()


def serve(config_file: str, *, host: str, port: int, database: str,
          new_secret: bool = False) -> None:
    """Build, serve the site and its forms on http://host:port/, and build again whenever a
    page, the configuration or the theme changes."""
    config = load_config(config_file)
    _speak_the_language_of(config)
    watched = [Path(config.docs_dir), Path(config_file), *map(Path, config.theme.dirs)]
    # MkDocs copies every file of docs_dir into the site, and site_dir is what a server serves.
    check_database_place(database, {say("cli.pages_folder"): Path(config.docs_dir),
                                    say("cli.site_folder"): Path(config.site_dir)})
    settings = Settings(site_dir=Path(), admin_token=admin_token_from_environment(),
                        preview=True, secret=_secret())
    run.serve(lambda folder: build(config_file, site_dir=str(folder), strict=False),
              lambda: watched, settings, database, host=host, port=port, new_secret=new_secret)


def _speak_the_language_of(config: MkDocsConfig) -> None:
    """Say what follows in the site's ``theme.language`` (French by default, as the build)."""
    use_language(str(config.theme.get("language") or DEFAULT_LANGUAGE))


def _secret() -> CollectorSecret:
    secret, source = load_secret()
    log.info("%s", say("cli.secret_from", source=source))
    return secret


def collect(arguments: argparse.Namespace) -> None:
    # The built site's language, from its forms' manifests; none readable: the environment's.
    use_language(PublishedSite(arguments.site).language())
    settings = Settings(
        site_dir=arguments.site, limits=Limits(), rate_limit=arguments.rate_limit,
        admin_token=admin_token_from_environment(),
        allowed_origins=tuple(origin.rstrip("/") for origin in arguments.allow_origin),
        secret=_secret(),
        log_signer=read_signer(arguments.log_key) if arguments.log_key else None,
        log_checkpoint_minutes=arguments.log_checkpoint_minutes,
    )
    url = database_url(arguments.db)
    check_database_place(url, {say("cli.site_folder_given"): arguments.site})
    run.collect(settings, url, host=arguments.host, port=arguments.port,
                new_secret=arguments.new_secret)


def main(argv: Sequence[str] | None = None) -> int:
    use_language(None)  # the environment's, until a command knows its site
    parser = _parser()
    arguments = parser.parse_args(argv)
    if arguments.command == "help":
        return _help(parser, arguments.topic)
    on_their_own = {"new": run_new, "audit": run_audit, "readability": run_readability,
                    "log": run_log_command,
                    **dict.fromkeys(DATA_COMMANDS, run_data_command)}
    if arguments.command in on_their_own:  # each sets its language and reports its errors
        return on_their_own[arguments.command](arguments)
    _setup_logging(getattr(arguments, "quiet", False))
    try:
        if arguments.command == "build":
            build(arguments.config_file, site_dir=arguments.site_dir, strict=arguments.strict)
        elif arguments.command == "collect":
            collect(arguments)
        else:
            serve(arguments.config_file, host=arguments.host, port=arguments.port,
                  database=arguments.db or PREVIEW_DATABASE_URL, new_secret=arguments.new_secret)
    except (Abort, ConfigurationError, ParoleError, SiteError, ValueError) as error:
        log.error("%s", abort_message(str(error)) if isinstance(error, Abort) else error)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
