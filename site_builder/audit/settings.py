"""What ``parole audit`` reads from the site's ``mkdocs.yml``: where the site is built
(``site_dir``), where its pages are written (``docs_dir``, for ``--statement``), the
accessibility statement's page, the organizer, the site's name, address and language.

As ``parole results`` (``results.settings``), the file is read as plain YAML where any tag
(``!ENV``, ``!!python/name:…``) is taken as written, without MkDocs: a configuration made for
other plugins never stops the audit, and every problem names its file, line and field. Without
a configuration file the audit still runs on a built site (``--site``): the language, title and
organizer then come from the site itself (``command``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.config_lines import ConfigLines, load_config_document
from site_builder.errors import ConfigError, Problem
from site_builder.messages import say

DEFAULT_CONFIG = "mkdocs.yml"
"""As ``parole build``: the configuration in the folder the command runs in."""
DEFAULT_DOCS_DIR = "docs"
DEFAULT_SITE_DIR = "site"
"""MkDocs' own defaults."""
DEFAULT_ACCESSIBILITY_PAGE = "accessibilite.md"
"""The parole plugin's default (``plugins.parole.accessibility_page``)."""
ORGANIZER_KEYS = ("name", "email", "phone", "address")


@dataclass(frozen=True)
class AuditSettings:
    """The configuration's answers, each with MkDocs' or parole's default when not written."""

    config_file: Path | None
    """The configuration read; None when there was none (``--site`` alone)."""
    site_dir: Path
    docs_dir: Path
    accessibility_page: str
    """Relative to ``docs_dir``; ``""`` when the site has no accessibility page."""
    site_name: str = ""
    site_url: str = ""
    language: str | None = None
    """``theme.language``; None when not written (the site's own then decides)."""
    organizer: dict[str, str] = field(default_factory=dict)


def audit_settings(config: str | None) -> AuditSettings:
    """The settings of ``config`` (default ``mkdocs.yml``, which may be missing: then MkDocs'
    defaults and nothing else). Raises ``ConfigError`` naming the file, line and field of
    anything wrong, or the file given with ``--config`` that is not there."""
    path = Path(config or DEFAULT_CONFIG)
    if not path.is_file():
        if config is None:
            return AuditSettings(None, Path(DEFAULT_SITE_DIR), Path(DEFAULT_DOCS_DIR),
                                 DEFAULT_ACCESSIBILITY_PAGE)
        raise ConfigError([Problem(say("audit.command.config_missing", path=path.resolve()),
                                   say("audit.command.config_missing_fix"))])
    document = load_config_document(path, "audit.command.config_unreadable",
                                    "audit.command.config_unreadable_fix")
    reader = _Reader(document, path)
    options, _line = ConfigLines(document, "parole").options
    plugin = options if isinstance(options, Mapping) else {}
    settings = AuditSettings(
        config_file=path,
        site_dir=path.parent / reader.folder("site_dir", DEFAULT_SITE_DIR),
        docs_dir=path.parent / reader.folder("docs_dir", DEFAULT_DOCS_DIR),
        accessibility_page=reader.plugin_text(plugin, "accessibility_page",
                                              DEFAULT_ACCESSIBILITY_PAGE),
        site_name=reader.text(document, ("site_name",)),
        site_url=reader.text(document, ("site_url",)),
        language=reader.language(),
        organizer=reader.organizer(plugin),
    )
    if reader.problems:
        raise ConfigError(reader.problems)
    return settings


class _Reader:
    """Reads values of one document, noting a located problem for each wrong one."""

    def __init__(self, document: Mapping[str, object], path: Path) -> None:
        self.document = document
        self.path = path
        self.lines = ConfigLines(document, "parole")
        self.problems: list[Problem] = []

    def _wrong(self, field_name: str, value: object, line: int | None) -> None:
        self.problems.append(Problem(say("audit.command.config_not_text", value=repr(value)),
                                     say("audit.command.config_not_text_fix"),
                                     file=str(self.path), line=line, field=field_name))

    def folder(self, key: str, default: str) -> str:
        value = self.document.get(key, default)
        if isinstance(value, str) and value.strip():
            return value
        self._wrong(key, value, self.lines.top((key,)))
        return default

    def text(self, data: Mapping[str, object], keys: tuple[str, ...], *,
             plugin: bool = False) -> str:
        value = data.get(keys[-1])
        if value is None:
            return ""
        if isinstance(value, str):
            return value.strip()
        line = self.lines.option(keys) if plugin else self.lines.top(keys)
        self._wrong(".".join(("plugins.parole", *keys) if plugin else keys), value, line)
        return ""

    def plugin_text(self, plugin: Mapping[str, object], key: str, default: str) -> str:
        if key not in plugin:
            return default
        return self.text(plugin, (key,), plugin=True)

    def language(self) -> str | None:
        theme = self.document.get("theme")
        if not isinstance(theme, Mapping):
            return None
        return self.text(theme, ("theme", "language")) or None

    def organizer(self, plugin: Mapping[str, object]) -> dict[str, str]:
        organizer = plugin.get("organizer")
        if not isinstance(organizer, Mapping):
            return {}
        found = {key: self.text(organizer, ("organizer", key), plugin=True)
                 for key in ORGANIZER_KEYS}
        return {key: value for key, value in found.items() if value}
