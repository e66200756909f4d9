"""The ``parole`` command: ``parole build`` and ``parole serve``.

Both wrap MkDocs (today's engine) so organizers learn one command. ``build`` is strict by default:
a warning (a missing page, a page over its weight budget) stops the build, so nothing broken is
published by accident.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from site_builder import __version__

log = logging.getLogger("parole")

DEFAULT_CONFIG = "mkdocs.yml"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _config_file(value: str) -> str:
    path = Path(value)
    if not path.is_file():
        raise argparse.ArgumentTypeError(
            f"no configuration file at {path.resolve()}: run parole in the folder that holds "
            f"mkdocs.yml, or name it with --config-file"
        )
    return str(path)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parole",
        description="Build and serve accessible, low-bandwidth consultation sites.",
    )
    parser.add_argument("--version", action="version", version=f"parole {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the site into the site folder")
    build.add_argument("-f", "--config-file", type=_config_file, default=DEFAULT_CONFIG,
                       help="the site's configuration (default: mkdocs.yml)")
    build.add_argument("-d", "--site-dir", help="where to write the site (default: site/)")
    build.add_argument("--no-strict", dest="strict", action="store_false",
                       help="publish even when there are warnings (not recommended)")
    build.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")

    serve = commands.add_parser("serve", help="build, serve, and rebuild when a file changes")
    serve.add_argument("-f", "--config-file", type=_config_file, default=DEFAULT_CONFIG,
                       help="the site's configuration (default: mkdocs.yml)")
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address (default: {DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT,
                       help=f"port (default: {DEFAULT_PORT})")
    return parser


def _setup_logging(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    for name in ("mkdocs", "parole"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING if quiet else logging.INFO)
        logger.propagate = False


def build(config_file: str, *, site_dir: str | None = None, strict: bool = True) -> None:
    """Build the site described by ``config_file``; raises MkDocs' ``Abort`` on failure."""
    options = {"site_dir": site_dir} if site_dir else {}
    config = load_config(config_file, strict=strict, **options)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


def serve(config_file: str, *, host: str, port: int) -> None:
    """Build, serve on http://host:port/ and rebuild whenever a page or the theme changes."""
    mkdocs_serve(config_file=config_file, dev_addr=f"{host}:{port}", watch_theme=True)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    _setup_logging(getattr(arguments, "quiet", False))
    try:
        if arguments.command == "build":
            build(arguments.config_file, site_dir=arguments.site_dir, strict=arguments.strict)
        else:
            serve(arguments.config_file, host=arguments.host, port=arguments.port)
    except (Abort, ConfigurationError) as error:
        log.error("%s", error)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
