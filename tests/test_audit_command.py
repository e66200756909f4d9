"""``parole audit`` as organizers run it: a real process on small built sites, the real
Chromium for the runs that check pages (exit 0, 1 and ``--strict``, where the report goes, the
progress line on a terminal and off it, ``SOURCE_DATE_EPOCH``, ``--statement`` and the build
after it), and every error a person can meet, in French and in English, with no traceback."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from site_builder.audit.settings import audit_settings
from site_builder.cli import _parser, subcommands
from site_builder.errors import ConfigError
from site_builder.page_weight import measure_site
from tests.collector_support import PAROLE
from tests.support import SITES, build_site

TEMPLATE = """<!doctype html>
<html lang="{lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — Petit site</title>
<style>body{{font:1.125rem/1.5 sans-serif;margin:0 auto;max-width:40rem;padding:1rem;
color:#111;background:#fff}} a{{color:#0b4f9c}} a:focus{{outline:3px solid #c2410c}}
.skip{{position:absolute;left:-100rem}} .skip:focus{{position:static}}
@media (prefers-color-scheme: dark){{body{{color:#eee;background:#111}} a{{color:#9cc7ff}}}}
</style></head>
<body>
<a class="skip" href="#contenu">{skip}</a>
<main id="contenu" tabindex="-1">
<h1>{title}</h1>
{body}
</main>
</body>
</html>
"""
CLEAN = "<p>Bienvenue sur ce petit site.</p>"
MISSING_ALT = '<p>Bienvenue.</p><p><img src="photo.png"></p>'
DUPLICATE_LINKS = ('<p><a href="/a.html">Le compte rendu</a> et '
                   '<a href="/b.html">le compte rendu</a>.</p>')
"""Two links saying the same to different places: a warning only (parole:link-text-duplicate)."""
EPOCH = "1800000000"
"""2027-01-15 08:00 UTC."""


def small_site(folder: Path, body: str, *, language: str = "fr") -> Path:
    """A built site of two hand-written pages (home and 404), no form: a run takes seconds."""
    skip = "Aller au contenu" if language == "fr" else "Skip to content"
    folder.mkdir(parents=True, exist_ok=True)
    for name, title, text in (("index.html", "Accueil", body),
                              ("404.html", "Page introuvable", '<p><a href="/">Accueil</a></p>')):
        (folder / name).write_text(TEMPLATE.format(lang=language, title=title, body=text,
                                                   skip=skip), encoding="utf-8")
    return folder


def environment(**extra: str) -> dict[str, str]:
    base = {key: value for key, value in os.environ.items()
            if key not in ("SOURCE_DATE_EPOCH", "LC_ALL", "LC_MESSAGES")}
    return {**base, "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1", **extra}


def parole(*args: str, cwd: Path, env: dict[str, str] | None = None,
           ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(PAROLE), "audit", *args], cwd=cwd, capture_output=True,
                          text=True, env=env or environment(), timeout=900, check=False)


def progress_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"\d+/\d+ pages", line)]


# --- runs in Chromium ---------------------------------------------------------------------------

@pytest.mark.browser
def test_a_clean_site_exits_0_with_its_report_in_audit_report(tmp_path: Path) -> None:
    small_site(tmp_path / "built", CLEAN)
    done = parole("--site", "built", "--jobs", "1", cwd=tmp_path,
                  env=environment(SOURCE_DATE_EPOCH=EPOCH))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    document = json.loads((tmp_path / "audit-report" / "audit.json").read_text("utf-8"))
    assert (tmp_path / "audit-report" / "index.html").is_file()
    assert not (tmp_path / "built" / "audit").exists()
    run = document["run"]
    assert (run["date"], run["language"], run["site_title"]) == ("2027-01-15", "fr", "Petit site")
    assert [page["path"] for page in document["pages"]] == ["/", "/404.html"]
    # off a terminal: no carriage return, one line per page, in the site's language
    assert "\r" not in done.stderr and "\x1b" not in done.stderr
    assert progress_lines(done.stderr) == ["1/2 pages — 0 erreur jusqu\u2019ici — /",
                                           "2/2 pages — 0 erreur jusqu\u2019ici — /404.html"]
    assert "2 pages vérifiées." in done.stdout
    assert "Rapport : audit-report/index.html" in done.stdout
    assert "Pas encore de taux de conformité" in done.stdout


@pytest.mark.browser
def test_an_error_exits_1_and_publish_puts_the_report_in_the_site(tmp_path: Path) -> None:
    """On a terminal the progress line is rewritten in place; the summary names the rule."""
    site = small_site(tmp_path / "built", MISSING_ALT, language="en")
    leader, follower = pty.openpty()
    shown = bytearray()

    def read() -> None:
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        process = subprocess.run([str(PAROLE), "audit", "--site", str(site), "--publish",
                                  "--jobs", "1"], cwd=tmp_path, stdout=subprocess.PIPE,
                                 stderr=follower, text=True, env=environment(), timeout=900,
                                 check=False)
    finally:
        os.close(follower)
        reader.join(timeout=10)
        os.close(leader)
    terminal = shown.decode("utf-8")
    assert process.returncode == 1, terminal + process.stdout
    assert (site / "audit" / "audit.json").is_file() and (site / "audit" / "index.html").is_file()
    assert not (tmp_path / "audit-report").exists()
    line = "\r1/2 pages — 1 error so far — /\x1b[K\r2/2 pages — 1 error so far — /404.html\x1b[K"
    assert line in terminal, repr(terminal)
    assert terminal.endswith("\x1b[K\r\n")  # the line ended once, at the end
    assert "1 error\n  axe:image-alt: 1\n0 warnings\n" in process.stdout
    assert f"Report: {site / 'audit' / 'index.html'}" in process.stdout


@pytest.mark.browser
def test_a_warning_fails_only_with_strict(tmp_path: Path) -> None:
    small_site(tmp_path / "built", DUPLICATE_LINKS)
    lenient = parole("--site", "built", "--output", "lenient", "--jobs", "1", cwd=tmp_path)
    assert lenient.returncode == 0, lenient.stderr
    assert "1 avertissement\n  parole:link-text-duplicate: 1" in lenient.stdout
    assert progress_lines(lenient.stderr)[-1].startswith("2/2 pages — 0 erreur")
    strict = parole("--site", "built", "--output", "strict", "--strict", "--jobs", "1",
                    cwd=tmp_path)
    assert strict.returncode == 1, strict.stderr
    assert progress_lines(strict.stderr)[-1].startswith("2/2 pages — 1 erreur")
    assert "--strict : les avertissements comptent comme des erreurs." in strict.stdout


@pytest.mark.browser
def test_statement_writes_page_and_report_for_the_next_build(tmp_path: Path) -> None:
    """In the site's folder: the statement in docs/accessibilite.md, the report in docs/audit/;
    the next (strict) build publishes both, the statement's link opens the report, and the
    report, an auditor's document, is held to no page budget."""
    folder = shutil.copytree(SITES / "minimal", tmp_path / "minimal")
    build_site(folder / "mkdocs.yml", folder / "site")
    done = parole("--statement", "--jobs", "2", cwd=folder,
                  env=environment(SOURCE_DATE_EPOCH=EPOCH))
    assert done.returncode == 0, done.stderr
    statement = (folder / "docs" / "accessibilite.md").read_text("utf-8")
    assert "](audit/index.html)" in statement
    assert (folder / "docs" / "audit" / "audit.json").is_file()
    assert "Construisez de nouveau le site (parole build) pour les publier." in done.stdout
    assert (folder / "audit-report" / "index.html").is_file()
    build_site(folder / "mkdocs.yml", folder / "site")
    published = (folder / "site" / "accessibilite" / "index.html").read_text("utf-8")
    link = re.search(r'href="([^"]*audit/(?:index\.html)?)"', published)
    assert link, published
    href = link.group(1) + ("index.html" if link.group(1).endswith("/") else "")
    target = (folder / "site" / "accessibilite" / href).resolve()
    assert target == (folder / "site" / "audit" / "index.html").resolve() and target.is_file()
    weights = json.loads((folder / "site" / "page-weight.json").read_text("utf-8"))
    assert "audit/index.html" not in [page["path"] for page in weights["pages"]]
    assert "audit/index.html" in [download["path"] for download in weights["downloads"]]


# --- errors for people --------------------------------------------------------------------------

def site_folder(tmp_path: Path, language: str, *, built: bool = True) -> Path:
    """A consultation's folder whose mkdocs.yml says ``language``; its site built by hand."""
    folder = tmp_path / language
    folder.mkdir()
    (folder / "mkdocs.yml").write_text(yaml.safe_dump({
        "site_name": "Petit site", "theme": {"name": "parole", "language": language},
        "plugins": [{"parole": {"organizer": {"name": "Ville"}}}]}), encoding="utf-8")
    (folder / "docs").mkdir()
    if built:
        small_site(folder / "site", CLEAN, language=language)
    return folder


ERRORS = {
    # name: (arguments, status, French words, English words)
    "no site": (["--site", "nowhere"], 1, "il n\u2019y a pas de dossier de site",
                "there is no site folder"),
    "not built": (["--site", "docs"], 1,
                  "n\u2019est pas un site construit : il n\u2019a pas de index.html",
                  "is not a built site: it has no index.html"),
    "no Chromium": (["--browser", "/nowhere/chromium"], 1,
                    "parole audit n\u2019a pas pu lancer le navigateur /nowhere/chromium",
                    "parole audit could not start the browser /nowhere/chromium"),
    "output not writable": (["--output", "mkdocs.yml/report"], 1,
                            "le rapport ne peut pas être écrit dans",
                            "the report cannot be written to"),
    "no review file": (["--review", "revue.yml"], 2, "il n\u2019y a pas de fichier de revue",
                       "there is no review file"),
    "no config file": (["--config", "autre.yml"], 2, "pas de fichier de configuration",
                       "no configuration file"),
    "bad jobs": (["--jobs", "deux"], 2, "--jobs attend un nombre entier",
                 "--jobs takes a whole number"),
}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("case", ERRORS)
def test_each_error_says_what_and_how_to_fix_without_traceback(
    tmp_path: Path, case: str, language: str,
) -> None:
    arguments, status, french, english = ERRORS[case]
    folder = site_folder(tmp_path, language)
    env = environment(LANG="fr_FR.UTF-8" if language == "fr" else "C.UTF-8")
    done = parole(*arguments, cwd=folder, env=env)
    assert done.returncode == status, done.stderr
    assert (french if language == "fr" else english) in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    if status == 1:
        assert ("Pour corriger" if language == "fr" else "How to fix") in done.stderr
    assert not (folder / "audit-report").exists()  # nothing left behind


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_wrong_review_file_is_located(tmp_path: Path, language: str) -> None:
    folder = site_folder(tmp_path, language)
    (folder / "revue.yml").write_text("auditor: Camille\ncriteria: beaucoup\n", encoding="utf-8")
    done = parole("--review", "revue.yml", cwd=folder)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "revue.yml" in done.stderr
    assert ("Pour corriger" if language == "fr" else "How to fix") in done.stderr


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_wrong_source_date_epoch_is_said(tmp_path: Path, language: str) -> None:
    folder = site_folder(tmp_path, language)
    done = parole(cwd=folder, env=environment(SOURCE_DATE_EPOCH="demain"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "SOURCE_DATE_EPOCH" in done.stderr and "date +%s" in done.stderr


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_audit_extra_missing_says_what_to_install(tmp_path: Path, language: str) -> None:
    folder = site_folder(tmp_path, language)
    blocked = ("import sys\nfor name in ('playwright', 'playwright.async_api', "
               "'axe_playwright_python', 'axe_playwright_python.base'):\n"
               "    sys.modules[name] = None\n"
               "from site_builder.cli import main\nsys.exit(main(['audit']))\n")
    done = subprocess.run([sys.executable, "-c", blocked], cwd=folder, capture_output=True,
                          text=True, env=environment(), timeout=300, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "pip install 'parole[audit]'" in done.stderr


def test_without_a_configuration_the_environment_speaks(tmp_path: Path) -> None:
    french = parole("--site", "nowhere", cwd=tmp_path, env=environment(LANG="fr_FR.UTF-8"))
    english = parole("--site", "nowhere", cwd=tmp_path)
    assert "il n\u2019y a pas de dossier de site" in french.stderr
    assert "there is no site folder" in english.stderr


# --- the command line and the settings ----------------------------------------------------------

def test_parole_help_audit_describes_every_option(tmp_path: Path) -> None:
    shown = subprocess.run([str(PAROLE), "help", "audit"], cwd=tmp_path, capture_output=True,
                           text=True, env=environment(), timeout=120, check=False)
    assert shown.returncode == 0, shown.stderr
    for option in ("--site", "--config", "--output", "--publish", "--review", "--statement",
                   "--strict", "--browser", "--jobs"):
        assert option in shown.stdout
    assert "audit" in subcommands(_parser())


def test_the_settings_come_from_mkdocs_yml(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: Place du Marché\nsite_url: https://exemple.fr/consultation/\n"
        "docs_dir: content\nsite_dir: public\ntheme:\n  name: parole\n  language: en\n"
        "  custom: !ENV [THEME, x]\nplugins:\n  - search\n  - parole:\n"
        "      accessibility_page: a11y.md\n      organizer:\n        name: Ville\n"
        "        email: a@b.fr\n", encoding="utf-8")
    settings = audit_settings(str(config))
    assert (settings.site_dir, settings.docs_dir) == (tmp_path / "public", tmp_path / "content")
    assert (settings.accessibility_page, settings.language) == ("a11y.md", "en")
    assert settings.site_url == "https://exemple.fr/consultation/"
    assert settings.organizer == {"name": "Ville", "email": "a@b.fr"}
    assert settings.site_name == "Place du Marché"


def test_wrong_settings_are_located(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nsite_dir: [a]\nplugins:\n  - parole:\n"
                      "      accessibility_page: 3\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        audit_settings(str(config))
    text = str(raised.value)
    assert f"{config}:2: [site_dir]" in text
    assert f"{config}:5: [plugins.parole.accessibility_page]" in text


def test_without_mkdocs_yml_the_defaults_apply(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = audit_settings(None)
    assert settings.config_file is None
    assert (settings.site_dir, settings.docs_dir) == (Path("site"), Path("docs"))


def test_a_published_report_is_held_to_no_page_budget(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", CLEAN)
    report = site / "audit" / "index.html"
    report.parent.mkdir()
    report.write_text("<!doctype html><title>Rapport</title>" + os.urandom(40_000).hex(),
                      encoding="utf-8")
    alone = measure_site(site, 14 * 1024)
    assert [page.path for page in alone.over_budget()] == ["audit/index.html"]
    (site / "audit" / "audit.json").write_text("{}", encoding="utf-8")
    beside_its_data = measure_site(site, 14 * 1024)
    assert beside_its_data.over_budget() == []
    assert [download.path for download in beside_its_data.downloads] == ["audit/index.html"]
