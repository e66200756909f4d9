"""The ways the comparison benchmark builds one consultation, and how a build is timed.

Every build uses the same markdown. The ```` ```form ```` block and ``type: faq`` need parole's
plugin, so the mkdocs-material and ``mkdocs``-theme builds run it too (the same pages, forms that
work); only :data:`BARE` leaves it out, to measure what the plugin adds to a build. Each theme is
taken as a new user gets it, in French like the content: mkdocs-material's defaults load Google
Fonts and run its search plugin; "lean" is ``font: false`` without search; MkDocs' own theme comes
with MkDocs' default ``search`` plugin.

A build runs ``mkdocs build`` in a child process (``bench/build_child.py``; not strict: a
material page over parole's 14 KiB budget is a warning), with ``PAROLE_BUILD_DATE`` set to a day
the consultation is open, so that forms are shown. Its wall time is the whole command, imports
included, as an organizer waits for it; its peak memory is the child's own (``VmHWM``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench.sites import REPO, example_config

BUILD_DATE = "2027-01-10"
"""A day the example consultation takes answers (it runs from 2027-01-04 to 2027-02-28)."""


@dataclass(frozen=True)
class Build:
    """One way of building the consultation."""

    name: str
    label: str
    theme: dict[str, Any]
    search: bool
    parole_plugin: bool = True
    loaded: bool = True
    """Loaded in the browser: a build without the plugin has no form to measure."""
    note: str = ""
    plugin_options: dict[str, Any] = field(default_factory=dict)
    """Set over the example's options of parole's plugin."""


PAROLE = Build("parole", "parole", {"name": "parole", "language": "fr"}, search=False,
               note="parole's theme and plugin, as in the example's `mkdocs.yml`")
MATERIAL = Build("material", "mkdocs-material, defaults", {"name": "material", "language": "fr"},
                 search=True,
                 note="`theme: material` (Google Fonts), `search` plugin, parole's plugin")
MATERIAL_LEAN = Build("material-lean", "mkdocs-material, lean",
                      {"name": "material", "language": "fr", "font": False}, search=False,
                      note="`font: false`, no search, parole's plugin")
MKDOCS = Build("mkdocs", "MkDocs' `mkdocs` theme", {"name": "mkdocs", "language": "fr"},
               search=True, note="MkDocs' defaults (`search` plugin), parole's plugin")
BARE = Build("mkdocs-bare", "`mkdocs` theme, no parole plugin",
             {"name": "mkdocs", "language": "fr"}, search=True, parole_plugin=False, loaded=False,
             note="as above without parole's plugin: forms and FAQ stay plain markdown")
NO_CHECKS = Build("mkdocs-no-checks", "`mkdocs` theme, plugin without page weight and `.gz`",
                  {"name": "mkdocs", "language": "fr"}, search=True, loaded=False,
                  note="as MkDocs' theme above, with `page_weight: {enabled: false}` and "
                  "`precompress: false`: where the plugin's time goes",
                  plugin_options={"page_weight": {"enabled": False}, "precompress": False})
BUILDS = (PAROLE, MATERIAL, MATERIAL_LEAN, MKDOCS, BARE, NO_CHECKS)


def parole_options() -> dict[str, Any]:
    """The example's ``plugins: - parole:`` options."""
    for plugin in example_config()["plugins"]:
        if isinstance(plugin, dict) and "parole" in plugin:
            options: dict[str, Any] = plugin["parole"]
            return options
    return {}


def config(build: Build, docs: Path, nav: list[Any]) -> dict[str, Any]:
    """The example's ``mkdocs.yml`` with ``build``'s theme and plugins, over ``docs``."""
    settings = example_config()
    settings.pop("site_dir", None)
    plugins: list[Any] = ["search"] if build.search else []
    if build.parole_plugin:
        plugins.append({"parole": {**parole_options(), **build.plugin_options}})
    settings.update(docs_dir=str(docs), nav=nav, theme=dict(build.theme), plugins=plugins)
    return settings


def write_config(folder: Path, build: Build, docs: Path, nav: list[Any]) -> Path:
    """Write ``folder/<build>.yml``; returns its path."""
    path = folder / f"{build.name}.yml"
    path.write_text(yaml.safe_dump(config(build, docs, nav), allow_unicode=True,
                                   sort_keys=False), encoding="utf-8")
    return path


@dataclass(frozen=True)
class BuildRun:
    """One build: wall time in seconds and peak resident memory in KiB."""

    seconds: float
    max_rss_kib: int


def run_build(config_file: Path, site_dir: Path) -> BuildRun:
    """Build ``config_file`` into ``site_dir`` in a child process (``bench/build_child.py``:
    ``mkdocs build``, then its peak memory); fails on a failed build, showing its log."""
    log_path = site_dir.with_name(site_dir.name + ".log")
    peak_path = site_dir.with_name(site_dir.name + ".peak")
    command = [sys.executable, "-m", "bench.build_child", str(peak_path), "--quiet", "--clean",
               "-f", str(config_file), "-d", str(site_dir)]
    environment = {**os.environ, "PAROLE_BUILD_DATE": BUILD_DATE,
                   "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    with log_path.open("wb") as log:
        start = time.perf_counter()
        finished = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT,
                                  env=environment, check=False)
        seconds = time.perf_counter() - start
    if finished.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"{' '.join(command)} failed ({finished.returncode}):\n{tail}")
    return BuildRun(seconds, int(peak_path.read_text(encoding="ascii")))
