"""The command line speaks French to French organizers and English otherwise (issue #14):
commands without a site follow the environment (LC_ALL, LC_MESSAGES, LANG), ``collect`` its
built site's language and ``serve`` its configuration's ``theme.language``, whatever the
environment says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.collector import run
from site_builder.collector.body import Limits, Refusal, parse_body
from site_builder.collector.secret import CollectorSecret
from site_builder.messages import speaking
from site_builder.storage import open_storage
from site_builder.storage.receipts import format_receipt
from tests.export_support import FORM_ID, filled_database
from tests.support import form_site, write_site

FRENCH = "fr_FR.UTF-8"
ENGLISH = "C.UTF-8"
PAROLE_SCRIPT = Path(sys.executable).parent / "parole"


@pytest.fixture
def speak(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The environment's language is LANG alone (``speak.setenv("LANG", …)``)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "PAROLE_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def database(tmp_path: Path) -> str:
    return filled_database(tmp_path / "answers.db")


# -- commands without a site: the environment's language ----------------------------------------

@pytest.mark.parametrize(("lang", "said"), [
    (FRENCH, "Erreur : aucun formulaire 'nope' dans cette base (formulaires connus : atelier, "
             "avis)\n    Pour corriger : utilisez l'un de ces identifiants"),
    (ENGLISH, "Error: no form 'nope' in this database (forms it knows: atelier, avis)\n"
              "    How to fix: use one of those ids"),
])
def test_an_unknown_form(database: str, speak: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str], lang: str, said: str) -> None:
    speak.setenv("LANG", lang)
    assert main(["export", "nope", "--db", database]) == 1
    assert capsys.readouterr().err.startswith(said)


@pytest.mark.parametrize(("lang", "said", "fix"), [
    (FRENCH, "Erreur : aucune base de données à ", "Pour corriger : lancez d'abord `parole "
                                                     "collect`"),
    (ENGLISH, "Error: no database at ", "How to fix: run `parole collect` first"),
])
def test_a_missing_database(tmp_path: Path, speak: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str], *, lang: str, said: str,
                            fix: str) -> None:
    speak.setenv("LANG", lang)
    assert main(["stats", "--db", f"sqlite:///{tmp_path / 'missing.db'}"]) == 1
    error = capsys.readouterr().err
    assert error.startswith(said) and fix in error
    assert "--db" in error and "PAROLE_DATABASE_URL" in error  # identifiers stay as they are


@pytest.mark.parametrize(("lang", "bad", "unknown", "deleted"), [
    (FRENCH, "'ABC-123' n'est pas un code d'accusé de réception\n    Pour corriger : un code a "
             "8 lettres et chiffres, comme ABCD-EFGH",
     "Erreur : aucune réponse n'a le code d'accusé de réception {code}",
     "Réponse au code d'accusé de réception {code} supprimée.\n"),
    (ENGLISH, "'ABC-123' is not a receipt code\n    How to fix: a code has 8 letters and "
              "digits, like ABCD-EFGH",
     "Error: no answer has the receipt code {code}",
     "Deleted the answer with receipt code {code}.\n"),
])
def test_receipt_codes(database: str, speak: pytest.MonkeyPatch,
                       capsys: pytest.CaptureFixture[str], *, lang: str, bad: str,
                       unknown: str, deleted: str) -> None:
    speak.setenv("LANG", lang)
    assert main(["delete", "ABC-123", "--db", database]) == 1
    assert bad in capsys.readouterr().err
    storage = open_storage(database)
    code = format_receipt(next(iter(storage.answers(FORM_ID))).receipt)
    storage.close()
    assert main(["delete", code, "--db", database]) == 0
    assert capsys.readouterr().out == deleted.format(code=code)
    assert main(["delete", code, "--db", database]) == 1
    assert capsys.readouterr().err.startswith(unknown.format(code=code))


def test_stats_headings_in_french(database: str, speak: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    speak.setenv("LANG", FRENCH)
    assert main(["stats", "--db", database]) == 0
    report = capsys.readouterr().out
    assert "Formulaire avis — Votre avis sur la médiathèque\n" in report
    # Columns still line up with the longer French words.
    assert "  réponses                       4\n  en quarantaine (piège à spam)  1\n" in report
    assert "\n  Par jour (UTC)\n    2025-03-14  2\n" in report
    assert "\n  Par canal\n    online    2\n" in report  # channels are stored identifiers
    assert "  quartier (choice) : Votre quartier\n" in report
    assert "    est     (plus proposée)  1\n" in report


def test_stats_headings_in_english(database: str, speak: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    speak.setenv("LANG", ENGLISH)
    assert main(["stats", "--db", database]) == 0
    report = capsys.readouterr().out
    assert "Form avis — Votre avis sur la médiathèque\n" in report
    assert "\n  Per day (UTC)\n" in report and "\n  Per channel\n" in report
    assert "  quartier (choice): Votre quartier\n" in report


@pytest.mark.parametrize(("lang", "said"), [
    (FRENCH, "0 réponse supprimée de "), (ENGLISH, "Deleted 0 answers past their retention"),
])
def test_purge_counts_in_the_environments_language(
        tmp_path: Path, speak: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        lang: str, said: str) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    open_storage(url).close()
    speak.setenv("LANG", lang)
    assert main(["purge", "--db", url]) == 0
    assert capsys.readouterr().out.startswith(said)


def test_lc_all_and_lc_messages_come_before_lang(
        tmp_path: Path, speak: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    missing = f"sqlite:///{tmp_path / 'missing.db'}"
    speak.setenv("LANG", ENGLISH)
    speak.setenv("LC_MESSAGES", FRENCH)
    assert main(["stats", "--db", missing]) == 1
    assert capsys.readouterr().err.startswith("Erreur : ")
    speak.setenv("LC_ALL", "en_GB.UTF-8")
    assert main(["stats", "--db", missing]) == 1
    assert capsys.readouterr().err.startswith("Error: ")


def test_an_argument_error_before_any_site(tmp_path: Path, speak: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    speak.setenv("LANG", FRENCH)
    with pytest.raises(SystemExit):
        main(["collect", "--site", str(tmp_path), "--rate-limit", "beaucoup"])
    assert "'beaucoup' n'est pas un nombre entier de réponses par minute" in \
        capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["build", "-f", str(tmp_path / "mkdocs.yml")])
    assert "aucun fichier de configuration à " in capsys.readouterr().err


def test_the_installed_script_reads_the_environment(tmp_path: Path) -> None:
    """As an organizer runs it: a process whose environment says French."""
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("LC_ALL", "LC_MESSAGES", "PAROLE_DATABASE_URL")}
    for lang, said in [(FRENCH, "Erreur : aucune base de données à "),
                       (ENGLISH, "Error: no database at ")]:
        result = subprocess.run(
            [PAROLE_SCRIPT, "stats", "--db", "sqlite:///missing.db"], capture_output=True,
            text=True, cwd=tmp_path, env={**environment, "LANG": lang}, timeout=60, check=False)
        assert result.returncode == 1
        assert result.stderr.startswith(said), result.stderr


# -- commands with a site: the site's language, whatever the environment's ----------------------

@pytest.mark.parametrize(("environment", "language", "said"), [
    (ENGLISH, "fr", [
        "Le secret du collecteur (pseudonymes, liens des accusés de réception) vient de",
        "la base de données {database} est dans le dossier du site donné par --site",
        "Pour corriger : gardez la base hors des dossiers qu'un serveur publie"]),
    (FRENCH, "en", ["is inside the site folder given with --site"]),
], ids=["french-site-english-environment", "english-site-french-environment"])
def test_collect_speaks_its_sites_language_whatever_the_environments(
        *, example_site: Path, tmp_path: Path, speak: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], environment: str, language: str,
        said: list[str]) -> None:
    speak.setenv("LANG", environment)
    site = form_site(example_site, tmp_path / "site", language=language)
    speak.setattr(run, "_run", lambda *_, **__: pytest.fail("the collector listened"))
    database = f"sqlite:///{site / 'answers.db'}"
    assert main(["collect", "--site", str(site), "--db", database]) == 1
    error = capsys.readouterr().err
    for line in said:
        assert line.format(database=site / "answers.db") in error


def test_collect_without_a_site_follows_the_environment(
        tmp_path: Path, speak: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    speak.setenv("LANG", FRENCH)
    assert main(["collect", "--site", str(tmp_path / "nowhere"), "--db",
                 f"sqlite:///{tmp_path / 'a.db'}"]) == 1
    assert f"aucun dossier de site à {tmp_path / 'nowhere'} : construisez d'abord le site" \
        in capsys.readouterr().err


def test_collect_refuses_another_secret_in_its_sites_language(
        example_site: Path, tmp_path: Path, speak: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    speak.setenv("LANG", ENGLISH)
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    with_other_secret = open_storage(url)
    with_other_secret.bind_secret(CollectorSecret().check)
    with_other_secret.close()
    speak.setattr(run, "_run", lambda *_, **__: pytest.fail("the collector listened"))
    site = form_site(example_site, tmp_path / "site", language="fr")
    assert main(["collect", "--site", str(site), "--db", url]) == 1
    error = capsys.readouterr().err
    assert "a servi avec un autre secret de collecteur que celui-ci" in error
    assert "Pour corriger : donnez à ce collecteur le même secret qu'aux autres : le même " \
           "PAROLE_SECRET" in error
    assert "`parole collect --new-secret`" in error


@pytest.mark.parametrize(("language", "said"), [
    ("fr", "est dans le dossier des pages (docs_dir)"),
    ("en", "is inside the pages folder (docs_dir)"),
])
def test_serve_speaks_the_theme_language(
        tmp_path: Path, speak: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        language: str, said: str) -> None:
    speak.setenv("LANG", FRENCH if language == "en" else ENGLISH)
    config = write_site(tmp_path, {"index.md": "# Accueil\n"},
                        theme={"name": "parole", "language": language})
    speak.setattr(run, "serve", lambda *_, **__: pytest.fail("serve started"))
    database = tmp_path / "docs" / "preview.db"
    assert main(["serve", "-f", str(config), "--db", f"sqlite:///{database}"]) == 1
    assert said in capsys.readouterr().err


# -- the commands' help: the environment's language, argparse's own words aside ------------------

@pytest.mark.parametrize(("lang", "said"), [
    (FRENCH, ["le site construit (le dossier écrit par parole build, par exemple site)",
              "réponses par minute d'un même client, 0 pour aucune limite (par défaut : 20)",
              "la base de données : sqlite:///chemin/relatif.db"]),
    (ENGLISH, ["the built site (the folder parole build wrote, e.g. site)",
               "answers per minute from one client, 0 for no limit (default: 20)",
               "the database: sqlite:///relative/path.db"]),
])
def test_collect_help(speak: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                      lang: str, said: list[str]) -> None:
    speak.setenv("LANG", lang)
    with pytest.raises(SystemExit):
        main(["collect", "--help"])
    shown = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert all(words in shown for words in said), shown
    assert shown.startswith("usage: parole collect")  # argparse's own word, left to Python


def test_every_command_is_listed_in_french(speak: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    speak.setenv("LANG", FRENCH)
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = " ".join(capsys.readouterr().out.split())
    for words in ("Construire et servir des sites de consultation",
                  "build construire le site dans le dossier du site",
                  "stats compter les réponses de chaque formulaire",
                  "new commencer une consultation",
                  "--version afficher le numéro de version de parole et quitter"):
        assert words in shown, shown
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "FORM_ID l'identifiant du formulaire (parole stats les liste)" in shown
    assert "--format {csv,json,xlsx} par défaut : csv" in shown
    with pytest.raises(SystemExit):
        main(["new", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "FOLDER où écrire la consultation (créé si besoin)" in shown


# -- the collector's log: why an answer was refused, in the site's language ---------------------

@pytest.mark.parametrize(("language", "reason"), [
    ("fr", "caractère de contrôle U+001B dans la valeur de 'idees'"),
    ("en", "control character U+001B in the value of 'idees'"),
])
def test_a_refusal_says_why_in_the_sites_language(language: str, reason: str) -> None:
    with speaking(language), pytest.raises(Refusal) as refused:
        parse_body(b"idees=%1B%5B2J", Limits())
    assert refused.value.reason == reason
