"""Where an option is written in ``mkdocs.yml``, so configuration problems name its line.

MkDocs reads its configuration without keeping lines; this reads the file once more with
``forms.located`` (any tag accepted: ``!ENV``, ``!relative``…). A file that cannot be read, or a
plugin whose options are not written in it (``INHERIT``), gives no line rather than a wrong one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from site_builder.errors import ConfigError, Problem
from site_builder.forms import located
from site_builder.messages import say


def load_config_document(path: Path, unreadable: str, fix: str) -> Mapping[str, Any]:
    """``path`` (an existing ``mkdocs.yml``) read as plain YAML, any tag taken as written, for
    the commands that need a few of its keys without MkDocs (``parole results``, ``parole
    audit``). Unreadable: ``ConfigError`` with the command's messages ``unreadable`` (given
    ``{error}``) and ``fix``; not a mapping: empty, so every key takes its default."""
    try:
        document = located.load_any_tags(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ConfigError([Problem(say(unreadable, error=error), say(fix),
                                   file=str(path))]) from error
    return document if isinstance(document, Mapping) else {}


OptionPath = Sequence[str | int]
"""Keys and 0-based list positions from a plugin's options: ``("phases", 2, "end")``."""


class ConfigLines:
    """The lines of one plugin's options in the configuration file (numbered from 1)."""

    def __init__(self, document: object, plugin: str) -> None:
        self.document = document
        self.options = _plugin_options(document, plugin)

    @classmethod
    def read(cls, config_file: str | Path | None, plugin: str) -> ConfigLines:
        """The lines of ``plugin``'s options in ``config_file`` (none when it cannot be read)."""
        try:
            text = Path(config_file).read_text(encoding="utf-8") if config_file else ""
            document = located.load_any_tags(text)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            document = None
        return cls(document, plugin)

    def option(self, path: OptionPath) -> int | None:
        """Line of the option at ``path`` under the plugin, or of the nearest enclosing key
        written (a missing ``end`` of a phase: the phase's line)."""
        return _deepest_line(self.options, path)

    def top(self, path: OptionPath) -> int | None:
        """Line of an option outside the plugin (``("theme", "stylesheet")``)."""
        return _deepest_line((self.document, None), path)


def _plugin_options(document: object, plugin: str) -> tuple[object, int | None]:
    """(the plugin's options, the line of its name), from ``plugins:`` as a list or a mapping."""
    plugins = document.get("plugins") if isinstance(document, Mapping) else None
    if isinstance(plugins, Mapping) and plugin in plugins:
        return plugins[plugin], _number(located.key_line(plugins, plugin))
    if isinstance(plugins, list):
        for index, item in enumerate(plugins):
            if item == plugin:
                return None, _number(located.item_line(plugins, index))
            if isinstance(item, Mapping) and plugin in item:
                return item[plugin], _number(located.key_line(item, plugin))
    return None, None


def _deepest_line(start: tuple[object, int | None], path: OptionPath) -> int | None:
    data, line = start
    for part in path:
        if isinstance(part, str) and isinstance(data, Mapping) and part in data:
            line, data = _number(located.key_line(data, part)) or line, data[part]
        elif isinstance(part, int) and isinstance(data, list) and 0 <= part < len(data):
            line, data = _number(located.item_line(data, part)) or line, data[part]
        else:
            break
    return line


def _number(line: int | None) -> int | None:
    """located's 0-based line as people count lines."""
    return None if line is None else line + 1
