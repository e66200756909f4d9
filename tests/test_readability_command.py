"""``parole readability`` as organizers run it, a real process: each flagged sentence at its
``file:line`` with why, the page's score against its target, the target from the front matter,
``mkdocs.yml`` and the command line, the exit status (0 reached, 1 below, 2 could not check),
French and English, and every hostile input a person can give it (a missing file, a folder,
a picture, bytes that are not UTF-8, a huge file, a pipe…) with a clear message, no traceback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from site_builder.readability_command import MAX_BYTES
from tests.collector_support import PAROLE
from tests.reliability.hostile_cases import INVALID_UTF8, LONE_SURROGATES, OVERLONG

EASY = """\
# Le marché

Le marché a lieu le samedi matin.
Il y a des fruits et des légumes.
Venez avec vos voisins.
"""
LONG = ("Pour donner votre avis sur le projet de la place, vous pouvez remplir le questionnaire "
        "en ligne ou sur papier à la mairie.")
"""A sentence of 23 words: over the default target's 15."""
HARD = f"""\
---
description: Une page difficile.
---
# Le projet

{LONG}
La réhabilitation patrimoniale nécessite une concertation institutionnelle approfondie.
"""
"""The long sentence is at line 6 of the file: the front matter counts."""


def readability(*args: str, cwd: Path, language: str = "C.UTF-8",
                ) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("LC_ALL", "LC_MESSAGES")}
    return subprocess.run([str(PAROLE), "readability", *args], cwd=cwd, capture_output=True,
                          text=True, env={**environment, "LANG": language}, timeout=120,
                          check=False)


def page(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return name


def site_config(folder: Path, options: str = "", language: str = "fr") -> None:
    (folder / "mkdocs.yml").write_text(
        f"site_name: Test\ntheme:\n  name: parole\n  language: {language}\nplugins:\n"
        f"  - parole:\n      title: Test\n{options}", encoding="utf-8")


def test_a_page_that_reaches_its_target_exits_0(tmp_path: Path) -> None:
    done = readability(page(tmp_path, "easy.md", EASY), cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    (line,) = done.stdout.splitlines()
    assert line.startswith("easy.md: readability ")
    assert line.endswith(", target of 60 (default) reached; 0 sentences to simplify.")


def test_each_flagged_sentence_at_its_line_with_why(tmp_path: Path) -> None:
    done = readability(page(tmp_path, "hard.md", HARD), cwd=tmp_path)
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0] == f"hard.md:6: {LONG}"
    assert lines[1] == "    - sentence of 23 words, more than 15: cut it in two"
    assert any(line.startswith("hard.md:7: La réhabilitation") for line in lines)
    assert any(line.startswith("    - long, uncommon word: “") for line in lines)
    assert lines[-1].startswith("hard.md: readability ")
    if done.returncode == 1:
        assert "below the target of 60 (default)" in lines[-1]
    else:
        assert done.returncode == 0


def test_the_sites_language_and_options_come_from_mkdocs_yml(tmp_path: Path) -> None:
    """The site is French: messages in French whatever the environment; its
    ``plain_language.max_words`` flags a sentence of 7 words."""
    site_config(tmp_path, "      plain_language:\n        max_words: 5\n")
    name = page(tmp_path, "content/court.md", "# Court\n\nLe marché a lieu le samedi matin.\n")
    done = readability(name, cwd=tmp_path)
    assert done.stderr == ""
    assert done.stdout.splitlines()[:2] == [
        "content/court.md:3: Le marché a lieu le samedi matin.",
        "    - phrase de 7 mots, plus de 5 : coupez-la en deux"]
    assert " : lisibilité " in done.stdout.splitlines()[-1]
    again = readability(name, "--max-words", "10", cwd=tmp_path)
    assert "coupez-la" not in again.stdout


def test_falc_from_the_front_matter_and_from_the_command_line(tmp_path: Path) -> None:
    falc = page(tmp_path, "falc.md", "---\nplain_language: falc\n---\n" + EASY)
    done = readability(falc, cwd=tmp_path)
    assert "(falc)" in done.stdout.splitlines()[-1]
    done = readability(falc, "--target", "default", cwd=tmp_path)
    assert "(default)" in done.stdout.splitlines()[-1]
    done = readability(page(tmp_path, "easy.md", EASY), "--target", "falc", cwd=tmp_path)
    assert "(falc)" in done.stdout.splitlines()[-1]


def test_a_page_left_out_by_its_front_matter(tmp_path: Path) -> None:
    name = page(tmp_path, "mentions.md", "---\nplain_language: false\n---\n" + HARD)
    done = readability(name, cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == ("mentions.md: not measured, its front matter says "
                           "`plain_language: false`.\n")


def test_an_unknown_target_in_the_front_matter_names_its_line(tmp_path: Path) -> None:
    name = page(tmp_path, "page.md", "---\ntitle: Page\nplain_language: facile\n---\n" + EASY)
    done = readability(name, cwd=tmp_path)
    assert done.returncode == 2
    assert "page.md:3: [plain_language] `plain_language` is 'facile': parole has no such " \
           "target" in done.stderr
    assert "`plain_language: falc`" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_wrong_option_in_mkdocs_yml_names_its_line(tmp_path: Path) -> None:
    site_config(tmp_path, "      plain_language:\n        max_words: quinze\n", language="en")
    done = readability(page(tmp_path, "easy.md", EASY), cwd=tmp_path)
    assert done.returncode == 2
    assert ("mkdocs.yml:9: [plugins.parole.plain_language.max_words] `max_words` must be a "
            "number") in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("arguments", [[], ["a.md", "--max-words", "0"],
                                       ["a.md", "--max-words", "beaucoup"],
                                       ["a.md", "--language", "de"],
                                       ["a.md", "--target", "facile"]])
def test_usage_errors_exit_2(tmp_path: Path, arguments: list[str]) -> None:
    done = readability(*arguments, cwd=tmp_path)
    assert done.returncode == 2
    assert "usage: parole readability" in done.stderr
    assert "Traceback" not in done.stderr


def test_text_that_would_drive_the_terminal_is_shown_escaped(tmp_path: Path) -> None:
    name = page(tmp_path, "page.md", "# Page\n\n" + LONG.replace("projet", "projet\x1b[2J\u202e")
                + "\n")
    done = readability(name, cwd=tmp_path)
    assert "\x1b" not in done.stdout and "\u202e" not in done.stdout
    assert "projet\\u001b[2J\\u202e" in done.stdout


def test_a_page_in_a_language_parole_does_not_measure(tmp_path: Path) -> None:
    site_config(tmp_path, language="ar")
    arabic = "# السوق\n\nالسوق يوم السبت.\n"  # noqa: RUF001
    done = readability(page(tmp_path, "index.md", arabic), cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert "index.md: not measured, parole measures pages in fr, en and this one is in ar" \
        in done.stdout
    english = readability("index.md", "--language", "en", cwd=tmp_path)
    assert "not measured" not in english.stdout


def test_a_page_named_page_en_md_is_measured_in_english(tmp_path: Path) -> None:
    """The suffix layout of multilingual sites: ``faq.en.md`` is English in a French site."""
    site_config(tmp_path)
    name = page(tmp_path, "faq.en.md", "# Questions\n\nYou can answer online or on paper. "
                "Everybody who lives in the town can answer the questions.\n")
    english = readability(name, "--language", "en", cwd=tmp_path)
    assert readability(name, cwd=tmp_path).stdout == english.stdout
    assert readability(name, "--language", "fr", cwd=tmp_path).stdout != english.stdout


def hostile_files(folder: Path) -> dict[str, str]:
    """Every hostile page, by its name, with what the command must say of it (English)."""
    expected = {"missing.md": "this file does not exist", "folder": "this is a folder, not a page",
                "photo.png": "this file is not text (it holds NUL bytes): a picture, a PDF or a "
                              "word-processor file?",
                "huge.md": "this file is 1.0 MiB: a page is less than 1 MiB",
                "pipe.md": "this is not a file (a device or a pipe)",
                "locked.md": "this file cannot be read (Permission denied)"}
    (folder / "folder").mkdir()
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "huge.md").write_bytes(b"# Long\n\n" + b"Une phrase. " * (MAX_BYTES // 12 + 1))
    os.mkfifo(folder / "pipe.md")  # opened, it would wait for a writer for ever
    (folder / "locked.md").write_text(EASY, encoding="utf-8")
    (folder / "locked.md").chmod(0)
    bad = {**INVALID_UTF8, **LONE_SURROGATES, **OVERLONG}
    raw = [data for data in bad.values() if b"%" not in data]  # the bytes as they are
    assert len(raw) >= 6
    for number, data in enumerate(raw):
        name = f"bytes-{number}.md"
        (folder / name).write_bytes(b"# Titre\n\nUne phrase.\n" + data + b" fin.\n")
        expected[name] = "line 4 is not written in UTF-8"
    return expected


def test_hostile_pages_each_get_a_clear_message_and_no_traceback(tmp_path: Path) -> None:
    expected = hostile_files(tmp_path)
    if os.geteuid() == 0:  # root reads any file
        (tmp_path / "locked.md").unlink()
        del expected["locked.md"]
    page(tmp_path, "front-matter-only.md", "---\ntitle: Rien\n---\n")
    page(tmp_path, "empty.md", "")
    page(tmp_path, "bom.md", "\ufeff" + EASY)
    names = [*expected, "front-matter-only.md", "empty.md", "bom.md"]
    done = readability(*names, cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    for name, message in expected.items():
        assert f"{name}: {message}\n    How to fix: " in done.stderr, name
    assert "front-matter-only.md: no sentence to measure." in done.stdout
    assert "empty.md: no sentence to measure." in done.stdout
    assert "bom.md: readability " in done.stdout
    assert done.stdout.splitlines()[-1] == f"Pages that reach their target: 3 of {len(names)}."


def test_hostile_messages_are_french_for_a_french_organizer(tmp_path: Path) -> None:
    (tmp_path / "dossier").mkdir()
    done = readability("absent.md", "dossier", cwd=tmp_path, language="fr_FR.UTF-8")
    assert done.returncode == 2
    assert "absent.md: ce fichier n'existe pas\n    Pour corriger : " in done.stderr
    assert ("dossier: c'est un dossier, pas une page\n    Pour corriger : nommez les pages "
            "qu'il contient : parole readability dossier/*.md") in done.stderr
