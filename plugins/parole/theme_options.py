"""The parole theme's own options in a build: its ``stylesheet`` mode checked (``on_config``),
and the theme files no page loads left out of the site (``on_files``)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from site_builder.errors import ConfigError, Problem
from site_builder.messages import say

STYLESHEET = "assets/parole.css"
STYLESHEET_MODES = ("inline", "link")


def check_theme_options(config: MkDocsConfig, *, file: str) -> None:
    """Stop the build when ``theme.stylesheet`` is none of ``STYLESHEET_MODES`` (``file``: the
    config file's name, for the error)."""
    stylesheet = config.theme.get("stylesheet")
    if stylesheet not in STYLESHEET_MODES:
        raise PluginError(str(ConfigError([Problem(
            message=say("plugin.stylesheet", value=stylesheet),
            fix=say("plugin.stylesheet.fix", modes=", ".join(STYLESHEET_MODES)),
            file=file,
            field="theme.stylesheet",
        )])))


def unpublished_theme_files(files: Files, config: MkDocsConfig) -> list[File]:
    """Theme files MkDocs would copy into the site but no page loads: component sources, and
    the stylesheet when it is inlined in every page."""
    theme_dirs = {Path(folder) for folder in config.theme.dirs}
    unused = ["components/"]
    if config.theme.get("stylesheet") != "link":
        unused.append(STYLESHEET)
    return [file for file in files
            if file.src_dir and Path(file.src_dir) in theme_dirs
            and file.src_uri.startswith(tuple(unused))]
