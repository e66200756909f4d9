"""Where ``parole results`` writes, and how it protects: read from the site's ``mkdocs.yml``.

The command writes into the docs folder (``docs_dir``, ``docs`` by default) and protects counts
with the ``min_count`` the site's build announces (``plugins: - parole: results: min_count:``),
so that the page and the file agree. It reads only those two keys, without MkDocs: the file is
read once more as plain YAML where any tag (``!ENV``, ``!!python/name:…``) is taken as written
(``forms.located.load_any_tags``), so a configuration made for other plugins never stops it.
Without a configuration file, ``--docs`` says where, and the default ``min_count`` applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from site_builder.config_lines import ConfigLines, load_config_document
from site_builder.errors import ConfigError, Problem
from site_builder.messages import say
from site_builder.results.protect import DEFAULT_MIN_COUNT

DEFAULT_CONFIG = "mkdocs.yml"
"""As ``parole build``: the configuration in the folder the command runs in."""
DEFAULT_DOCS_DIR = "docs"
"""MkDocs' own default ``docs_dir``."""
MIN_COUNT_FIELD = "plugins.parole.results.min_count"


@dataclass(frozen=True)
class ResultsSettings:
    docs_dir: Path
    min_count: int
    config_file: Path | None
    """The configuration read; None when there was none (``--docs`` alone)."""


def results_settings(config: str | None, docs: Path | None) -> ResultsSettings:
    """The docs folder and ``min_count`` from ``config`` (default ``mkdocs.yml``, which may be
    missing when ``docs`` is given), ``docs`` overriding the configuration's folder. Raises
    ``ConfigError`` naming the file, line and field of anything wrong."""
    path = Path(config or DEFAULT_CONFIG)
    if not path.is_file():
        if config is None and docs is not None:
            return ResultsSettings(docs, DEFAULT_MIN_COUNT, None)
        key = "results.command.no_config" if config is None else "results.command.config_missing"
        raise ConfigError([Problem(say(key, path=path.resolve()),
                                   say(f"{key}_fix", path=path))])
    document = load_config_document(path, "results.command.config_unreadable",
                                    "results.command.config_unreadable_fix")
    problems: list[Problem] = []
    lines = ConfigLines(document, "parole")
    min_count = _min_count(lines, path, problems)
    docs_dir = docs if docs is not None else _docs_dir(document, path, problems)
    if problems:
        raise ConfigError(problems)
    return ResultsSettings(docs_dir, min_count, path)


def _min_count(lines: ConfigLines, path: Path, problems: list[Problem]) -> int:
    options, _line = lines.options
    results = options.get("results") if isinstance(options, Mapping) else None
    if not isinstance(results, Mapping) or "min_count" not in results:
        return DEFAULT_MIN_COUNT
    value = results["min_count"]
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    problems.append(Problem(say("results.command.min_count", value=repr(value)),
                            say("results.command.min_count_fix", default=DEFAULT_MIN_COUNT),
                            file=str(path), line=lines.option(("results", "min_count")),
                            field=MIN_COUNT_FIELD))
    return DEFAULT_MIN_COUNT


def _docs_dir(document: Mapping[str, object], path: Path, problems: list[Problem]) -> Path:
    """``docs_dir``, relative to the configuration's folder as MkDocs takes it."""
    value = document.get("docs_dir", DEFAULT_DOCS_DIR)
    if isinstance(value, str) and value.strip():
        return path.parent / value
    problems.append(Problem(say("results.command.docs_dir", value=repr(value)),
                            say("results.command.docs_dir_fix"), file=str(path),
                            line=ConfigLines(document, "parole").top(("docs_dir",)),
                            field="docs_dir"))
    return path.parent / DEFAULT_DOCS_DIR
