"""The wheel is the product: build it, install it in a fresh virtual environment, and build a
small consultation with it in a folder outside this repository (DESIGN.md, "Where things live").

Real processes throughout: ``python -m build``, ``python -m venv``, ``pip install`` (the
dependencies come from PyPI) and the installed ``parole`` command.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from site_builder import __version__
from tests.support import REPO

pytestmark = pytest.mark.slow

# What `python -m build` needs of the repository; the rest (.venv, node_modules, builds, caches)
# is left out so the wheel is built from a clean copy, never from a stale build/ folder.
LEFT_OUT = {
    ".git",
    ".venv",
    "node_modules",
    "site",
    "build",
    "dist",
    "tests",
    "bench",
    "content",
    "docs",
    "parole-data",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
}
DIST_INFO = f"parole-{__version__}.dist-info"
PAGES = {
    "index.md": "# Un nouveau nom pour la piscine\n\nDonnez votre avis avant le 30 juin.\n",
    "faq.md": "---\ntype: faq\n---\n\n# Questions fréquentes\n\n## Qui peut répondre ?\n\n"
    "Tout le monde.\n\n## Jusqu'à quand ?\n\nJusqu'au 30 juin.\n",
    "aide.md": "# Se faire aider\n\nL'accueil de la mairie vous aide, du lundi au vendredi.\n",
    "accessibilite.md": "# Accessibilité\n\nCe site vise le niveau AA des WCAG 2.2.\n",
    "confidentialite.md": "# Vos données\n\nCe site ne dépose aucun cookie.\n",
}
MKDOCS_YML = """\
site_name: La piscine des Sablons
theme:
  name: parole
plugins:
  - parole
"""


def _run(command: list[str | Path], cwd: Path, timeout: float = 600) -> str:
    """Run ``command`` with nothing of this repository's environment, or fail with its output."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
    }
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"{command} exited with {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result.stdout + result.stderr


def _source_files(folder: str) -> set[str]:
    """Files of the repository's ``folder`` (no caches), as paths relative to the repository."""
    return {
        path.relative_to(REPO).as_posix()
        for path in (REPO / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for entry in REPO.iterdir():
        if entry.name in LEFT_OUT or entry.name.endswith(".egg-info"):
            continue
        if entry.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(entry, source / entry.name, ignore=ignore)
        else:
            shutil.copy2(entry, source / entry.name)
    dist = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", dist, source], cwd=source)
    (built,) = dist.glob("parole-*.whl")
    return built


@pytest.fixture(scope="module")
def venv_bin(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", venv], cwd=venv)
    pip: list[str | Path] = [venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check"]
    _run([*pip, "install", "--quiet", wheel], cwd=venv)
    return venv / "bin"


@pytest.fixture(scope="module")
def consultation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("consultation")
    assert not folder.resolve().is_relative_to(REPO), "the site must be outside the repository"
    (folder / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (folder / "docs").mkdir()
    for name, text in PAGES.items():
        (folder / "docs" / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built_site(venv_bin: Path, consultation: Path) -> Path:
    _run([venv_bin / "parole", "build"], cwd=consultation)  # strict by default
    return consultation / "site"


def test_the_wheel_holds_the_theme_the_plugins_and_the_core(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    shipped = {
        *_source_files("site_builder"),
        *(f"site_builder/{path}" for path in _source_files("plugins")),
        *(f"site_builder/{path}" for path in _source_files("theme")),
    }
    missing = sorted(shipped - names)
    assert missing == [], (
        "files missing from the wheel: add their package or pattern to [tool.setuptools] "
        f"packages / package-data in pyproject.toml: {missing}"
    )
    for must in (
        "site_builder/theme/mkdocs_theme.yml",
        "site_builder/theme/base.html",
        "site_builder/theme/locales/fr.yml",
        "site_builder/theme/locales/en.yml",
    ):
        assert must in names
    assert any(name.startswith("site_builder/theme/assets/") for name in names)
    assert {name.split("/")[0] for name in names} == {"site_builder", DIST_INFO}, (
        "the wheel must install nothing but site_builder (no top-level plugins/ or theme/)"
    )


def test_the_wheel_declares_the_theme_the_plugin_and_the_command(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        entry_points = archive.read(f"{DIST_INFO}/entry_points.txt").decode()
    assert "parole = site_builder.cli:main" in entry_points
    assert "parole = site_builder.theme" in entry_points
    assert "parole = site_builder.plugins.parole.plugin:ParolePlugin" in entry_points


def test_only_site_builder_is_importable(venv_bin: Path, consultation: Path) -> None:
    # -I: isolated mode, so neither the current folder nor PYTHON* variables add to sys.path.
    python = venv_bin / "python"
    for generic in ("plugins", "theme"):
        result = subprocess.run(
            [python, "-I", "-c", f"import {generic}"],
            cwd=consultation,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode != 0, f"'import {generic}' works: a generic name was installed"
        assert "ModuleNotFoundError" in result.stderr
    where = _run(
        [
            python,
            "-I",
            "-c",
            "import site_builder.theme, site_builder.plugins.parole.plugin, site_builder;"
            "print(site_builder.__file__)",
        ],
        cwd=consultation,
    )
    assert Path(where.strip()).is_relative_to(venv_bin.parent), "imported from outside the venv"


def test_the_installed_parole_builds_a_site_outside_the_repository(built_site: Path) -> None:
    for page in (
        "index.html",
        "faq/index.html",
        "aide/index.html",
        "accessibilite/index.html",
        "confidentialite/index.html",
    ):
        assert (built_site / page).is_file(), f"{page} was not built"
    index = (built_site / "index.html").read_text(encoding="utf-8")
    assert "La piscine des Sablons" in index
    stylesheets = list(built_site.glob("assets/*.css"))
    assert "<style" in index or ('rel="stylesheet"' in index and stylesheets), (
        "the page has neither the theme's inline style nor its stylesheet"
    )


def test_the_installed_parole_measures_and_compresses(built_site: Path) -> None:
    report = built_site / "page-weight.json"
    assert report.is_file(), "page-weight.json was not written"
    json.loads(report.read_text(encoding="utf-8"))
    assert (built_site / "index.html.gz").is_file()
    assert (built_site / "faq" / "index.html.gz").is_file()


def test_the_installed_parole_starts_a_consultation_that_builds(
    venv_bin: Path, tmp_path: Path
) -> None:
    """``parole new`` takes its drafts from the installed package (package data), for every
    language; its TODO markers are warnings, so a lenient build publishes them."""
    for language in ("fr", "en", "ar"):
        _run([venv_bin / "parole", "new", language, "--language", language], cwd=tmp_path)
        _run([venv_bin / "parole", "build", "--no-strict", "-q"], cwd=tmp_path / language)
        assert (tmp_path / language / "site" / "faq" / "index.html").is_file()
