"""``parole new``: a new organizer's first files, the TODO markers the strict build lists until
they are replaced, and files that are never overwritten. Run as organizers run it: a real
``parole`` process, on a pseudo-terminal when it asks questions."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser

from site_builder.cli import _parser, subcommands
from site_builder.new_consultation import run_new
from site_builder.new_questions import email_problem
from tests.pa11y_support import built_pages, describe_failures, require_tools, run_pa11y_ci
from tests.support import REPO, build_site, serve_site
from tests.test_first_screen import FOLD, below_the_fold

PAROLE = [sys.executable, "-m", "site_builder.cli"]
PAGES = {
    "fr": ["index.md", "faq.md", "donner-mon-avis.md", "aide.md", "accessibilite.md",
           "confidentialite.md"],
    "en": ["index.md", "faq.md", "have-your-say.md", "help.md", "accessibility.md", "privacy.md"],
    "ar": ["index.md", "faq.md", "have-your-say.md", "help.md", "accessibility.md", "privacy.md"],
}
OPTIONS = ["--title", "Jardin partagé : les Tilleuls", "--organizer", "Ville de Belval",
           "--email", "participation@belval.example", "--phone", "01 84 60 12 34",
           "--opens", "2027-01-04", "--closes", "2027-02-28"]


def parole(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``parole`` with no terminal on standard input (as in a script or CI)."""
    return subprocess.run([*PAROLE, *args], cwd=cwd, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120, check=False)


def marker_lines(folder: Path) -> list[str]:
    """``file:line`` of every line holding TODO in the folder's files (the drafts hold none in
    code, so here every one is a marker)."""
    found = []
    for path in [folder / "mkdocs.yml", *sorted((folder / "docs").glob("*.md"))]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "TODO" in line:
                found.append(f"{path.relative_to(folder).as_posix()}:{number}")
    return found


def fill_in(folder: Path) -> None:
    """Do what every TODO asks, as an organizer would: values after a ``# TODO`` comment are
    uncommented, the comment deleted; a TODO in a value or a page becomes written text."""
    config = folder / "mkdocs.yml"
    lines: list[str] = []
    uncommenting = False
    for line in config.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("# TODO"):
            uncommenting = True
            continue
        if uncommenting and re.match(r"\s*#\s{3}", line):  # the comment's second line
            continue
        key = re.match(r"(\s*)# (\w+: .*)", line)
        if uncommenting and key:
            lines.append(key.group(1) + key.group(2))
            continue
        uncommenting = False
        lines.append(re.sub(r":\s*.*TODO.*", ": Écrit par l'organisateur", line))
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for page in (folder / "docs").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"^## TODO.*$", "## Mairie", text, flags=re.MULTILINE)
        page.write_text(re.sub(r"TODO.*$", "Écrit.", text, flags=re.MULTILINE), encoding="utf-8")


def test_new_writes_the_configuration_from_the_options(tmp_path: Path) -> None:
    result = parole("new", "consultation", *OPTIONS, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "consultation"
    config = yaml.safe_load((folder / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Jardin partagé : les Tilleuls"
    assert config["theme"] == {"name": "parole", "language": "fr"}
    options = config["plugins"][0]["parole"]
    assert options["organizer"] == {"name": "Ville de Belval", "phone": "01 84 60 12 34",
                                    "email": "participation@belval.example"}
    assert (options["opens"], options["closes"]) == (date(2027, 1, 4), date(2027, 2, 28))
    assert (options["help_page"], options["accessibility_page"], options["privacy_page"]) == (
        "aide.md", "accessibilite.md", "confidentialite.md")
    assert sorted(next(iter(item.values())) for item in config["nav"]) == sorted(PAGES["fr"])
    assert sorted(path.name for path in (folder / "docs").iterdir()) == sorted(PAGES["fr"])
    assert "Écrits dans consultation :" in result.stdout  # said in the pages' language
    assert "cd consultation" in result.stdout and "parole build" in result.stdout


def test_the_next_step_is_a_command_to_copy(tmp_path: Path) -> None:
    result = parole("new", "ma consultation", "--language", "en", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "(cd 'ma consultation')" in result.stdout
    assert (tmp_path / "ma consultation" / "mkdocs.yml").is_file()


def test_the_strict_build_lists_every_todo_until_replaced(tmp_path: Path) -> None:
    assert parole("new", "consultation", *OPTIONS, cwd=tmp_path).returncode == 0
    folder = tmp_path / "consultation"
    markers = marker_lines(folder)
    assert len(markers) > 10 and any(m.startswith("mkdocs.yml:") for m in markers)
    result = parole("build", cwd=folder)
    assert result.returncode == 1
    reported = re.findall(r"WARNING\s+-\s+(\S+:\d+) : il reste un marqueur TODO", result.stderr)
    assert sorted(reported) == sorted(markers)
    assert f"{len(markers)} avertissements dans une construction stricte" in result.stderr

    fill_in(folder)
    assert marker_lines(folder) == []
    result = parole("build", cwd=folder)
    assert result.returncode == 0, result.stderr
    site = folder / "site"
    for page in PAGES["fr"]:
        built = site / ("index.html" if page == "index.md" else f"{page[:-3]}/index.html")
        assert built.is_file(), page
    assert (site / "forms" / "avis.json").is_file(), "the form page's form was built"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Jardin partagé : les Tilleuls" in index and "01 84 60 12 34" in index


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_every_language_builds_once_filled_in(tmp_path: Path, language: str) -> None:
    result = parole("new", "site", "--language", language, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "site"
    assert ("Written in" in result.stdout) is (language != "fr")
    lenient = build_site(folder / "mkdocs.yml", tmp_path / "lenient", strict=False)
    assert "TODO" in (lenient / "index.html").read_text(encoding="utf-8")
    fill_in(folder)
    site = build_site(folder / "mkdocs.yml", tmp_path / "built")
    index = (site / "index.html").read_text(encoding="utf-8")
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in index
    config = yaml.safe_load((folder / "mkdocs.yml").read_text(encoding="utf-8"))
    for option in ("help_page", "accessibility_page", "privacy_page"):
        page = config["plugins"][0]["parole"][option]
        assert f'href="{page[:-3]}/"' in index, f"the footer links {option}"
    assert list(site.glob("forms/*.json")), "the form page has a working form"
    privacy = site / config["plugins"][0]["parole"]["privacy_page"][:-3] / "index.html"
    assert 'href="../journal/"' in privacy.read_text(encoding="utf-8"), "it names the journal"
    assert (site / "journal" / "index.html").is_file()


def test_without_a_terminal_nothing_is_asked_and_todos_stand_in(tmp_path: Path) -> None:
    result = parole("new", "consultation", "--language", "en", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "title:" not in result.stdout, "no question is asked without a terminal"
    text = (tmp_path / "consultation" / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)  # every TODO leaves it valid YAML
    assert config["site_name"].startswith("TODO: ")
    assert config["plugins"][0]["parole"]["organizer"]["name"].startswith("TODO: ")
    assert "opens" not in config["plugins"][0]["parole"], "no made-up date"
    assert "      # opens: 2027-01-15\n      # closes: 2027-02-28\n" in text
    assert "# email: " in text and "# phone: " in text


def test_one_date_alone_waits_commented_with_its_value(tmp_path: Path) -> None:
    result = parole("new", "consultation", "--opens", "2027-03-01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "consultation" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      # opens: 2027-03-01\n      # closes: 2027-02-28\n" in text
    assert "opens" not in yaml.safe_load(text)["plugins"][0]["parole"]


def test_an_existing_file_is_kept_byte_for_byte(tmp_path: Path) -> None:
    folder = tmp_path / "consultation"
    (folder / "docs").mkdir(parents=True)
    mine = "# Ma page à moi\r\n\r\nÉcrite avant.\r\n".encode()
    (folder / "docs" / "faq.md").write_bytes(mine)
    result = parole("new", "consultation", *OPTIONS, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (folder / "docs" / "faq.md").read_bytes() == mine
    kept = result.stdout.split("Déjà là, gardés tels quels")[1]
    assert "docs/faq.md" in kept and "docs/aide.md" not in kept
    assert (folder / "docs" / "aide.md").is_file() and (folder / "mkdocs.yml").is_file()


def test_when_every_file_is_there_nothing_is_written(tmp_path: Path) -> None:
    assert parole("new", "consultation", cwd=tmp_path).returncode == 0
    folder = tmp_path / "consultation"
    before = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    result = parole("new", "consultation", *OPTIONS, cwd=tmp_path)
    assert result.returncode == 1
    assert "rien n'a été écrit" in result.stderr and "Traceback" not in result.stderr
    assert {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()} == before


def test_a_file_in_place_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mes notes", encoding="utf-8")
    result = parole("new", "notes.txt", "--language", "en", cwd=tmp_path)
    assert result.returncode == 1
    assert "notes.txt is a file, not a folder" in result.stderr
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mes notes"


@pytest.mark.parametrize(("option", "said"), [
    (["--opens", "4 janvier 2027"], "--opens « 4 janvier 2027 » n'est pas une date écrite"),
    (["--opens", "2027-02-01", "--closes", "2027-01-31"], "le dernier jour (2027-01-31) est"),
    (["--email", "belval.example"], "« belval.example » n'est pas une adresse électronique"),
])
def test_a_wrong_option_writes_nothing(tmp_path: Path, option: list[str], said: str) -> None:
    result = parole("new", "consultation", *option, cwd=tmp_path)
    assert result.returncode == 2
    assert said in result.stderr
    assert not (tmp_path / "consultation").exists()


def _read_until(fd: int, expected: str, seen: list[str]) -> None:
    """Read the terminal until ``expected`` has appeared in it (or fail, after 60 s)."""
    while expected not in "".join(seen):
        ready, _, _ = select.select([fd], [], [], 60)
        assert ready, f"parole new never said {expected!r}; it said: {''.join(seen)!r}"
        try:
            seen.append(os.read(fd, 4096).decode("utf-8", errors="replace"))
        except OSError:  # the process ended: the terminal is closed
            pytest.fail(f"parole new ended before saying {expected!r}: {''.join(seen)!r}")


def test_on_a_terminal_it_asks_and_asks_again_after_a_mistake(tmp_path: Path) -> None:
    controller, terminal = pty.openpty()
    process = subprocess.Popen([*PAROLE, "new", "consultation", "--language", "en",
                                "--phone", "020 7946 0000"], cwd=tmp_path,
                               stdin=terminal, stdout=terminal, stderr=terminal)
    os.close(terminal)
    seen: list[str] = []
    exchange = [
        ("The consultation's title:", "Riverside: new bridge"),
        ("Who runs it", "Riverside Borough Council"),
        ("Contact email address:", "haveyoursay at riverside"),
        ("'haveyoursay at riverside' is not an email address", "haveyoursay@riverside.example"),
        ("First day answers are taken (YYYY-MM-DD):", "15/01/2027"),
        ("'15/01/2027' is not a date written YYYY-MM-DD", "2027-01-15"),
        ("Last day answers are taken (YYYY-MM-DD):", "2027-01-14"),
        ("the last day (2027-01-14) is before the first day (2027-01-15)", "2027-03-31"),
    ]
    try:
        for question, answer in exchange:
            _read_until(controller, question, seen)
            os.write(controller, f"{answer}\n".encode())
        _read_until(controller, "Written in consultation:", seen)
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()
        process.wait()
        os.close(controller)
    said = "".join(seen)
    assert "Contact phone number:" not in said, "what an option gave is not asked"
    config = yaml.safe_load((tmp_path / "consultation" / "mkdocs.yml").read_text("utf-8"))
    assert config["site_name"] == "Riverside: new bridge"
    options = config["plugins"][0]["parole"]
    assert options["organizer"] == {"name": "Riverside Borough Council",
                                    "email": "haveyoursay@riverside.example",
                                    "phone": "020 7946 0000"}
    assert (options["opens"], options["closes"]) == (date(2027, 1, 15), date(2027, 3, 31))


class _Terminal(io.StringIO):
    """Typed answers, as a terminal gives them (``parole new`` asks only a terminal)."""

    def isatty(self) -> bool:
        return True


class _Interrupted(_Terminal):
    def readline(self, size: int = -1, /) -> str:  # type: ignore[override]  # as typeshed's
        raise KeyboardInterrupt


def _new(folder: Path, typed: io.StringIO, *options: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    arguments = _parser().parse_args(["new", str(folder), "--language", "en", *options])
    return run_new(arguments, stdin=typed, stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_enter_leaves_a_question_for_later_and_end_of_input_all_the_rest(tmp_path: Path) -> None:
    code, said, _ = _new(tmp_path / "c", _Terminal("My title\n\nhelp@town.example\n"))
    assert code == 0
    assert "Press Enter to leave one for later" in said
    assert "Contact phone number:" in said, "asked until the input ended"
    assert "First day answers are taken" not in said, "not after it ended"
    config = yaml.safe_load((tmp_path / "c" / "mkdocs.yml").read_text(encoding="utf-8"))
    organizer = config["plugins"][0]["parole"]["organizer"]
    assert config["site_name"] == "My title"
    assert organizer["name"].startswith("TODO: ") and organizer["email"] == "help@town.example"
    assert "phone" not in organizer and "opens" not in config["plugins"][0]["parole"]


def test_ctrl_c_during_the_questions_writes_nothing(tmp_path: Path) -> None:
    code, _, err = _new(tmp_path / "c", _Interrupted())
    assert code == 130
    assert "nothing was written" in err
    assert not (tmp_path / "c").exists()


def test_with_mkdocs_yml_kept_nothing_is_asked(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "mkdocs.yml").write_text("site_name: Mine\n", encoding="utf-8")
    code, said, _ = _new(tmp_path / "c", _Terminal("never read\n"))
    assert code == 0
    assert "title:" not in said, "the answers would only go into mkdocs.yml"
    assert "check that its menu (nav)" in said
    assert (tmp_path / "c" / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: Mine\n"


def test_every_option_of_parole_new_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Start a consultation of your own\n")[1].split("\n### ")[0]
    for action in subcommands(_parser())["new"]._actions:
        longest = max(action.option_strings, key=len, default=None)
        if longest and longest != "--help":
            assert longest in section, f"parole new {longest} is not in the README"


@pytest.mark.pa11y
def test_the_drafts_filled_in_pass_pa11y_in_every_language(tmp_path: Path) -> None:
    require_tools(pa11y=True)
    names: dict[str, str] = {}
    with ExitStack() as servers:
        for language in PAGES:
            assert parole("new", language, "--language", language, *OPTIONS[:8],
                          cwd=tmp_path).returncode == 0
            fill_in(tmp_path / language)
            site = build_site(tmp_path / language / "mkdocs.yml", tmp_path / f"{language}-site")
            base_url = servers.enter_context(serve_site(site))
            names.update({page.url(base_url): f"{language}: {page.file}"
                          for page in built_pages(site)})
        reports = run_pa11y_ci(list(names), tmp_path)
    failed = [report for report in reports.values() if report.failed]
    assert not failed, describe_failures(list(reports.values()), lambda url: names[url])


@pytest.mark.browser
@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_the_drafts_filled_in_keep_the_first_screen(
    browser: Browser, tmp_path: Path, language: str
) -> None:
    """What an organizer gets from ``parole new`` passes tests/test_first_screen.py's measure:
    h1, first words and the form's first question end above the fold at 360 and 320 px."""
    assert parole("new", "draft", "--language", language, *OPTIONS, cwd=tmp_path).returncode == 0
    fill_in(tmp_path / "draft")
    site = build_site(tmp_path / "draft" / "mkdocs.yml", tmp_path / "site")
    problems = below_the_fold(browser, site)
    if problems:
        pytest.fail(f"past y={FOLD}:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.mark.parametrize("typed", ["nom", "a@b", "a@b..fr", "a@.b.fr", "a b@c.fr"])
def test_an_address_the_forms_would_refuse_is_not_an_email(typed: str) -> None:
    assert email_problem(typed)
    assert not email_problem("participation@ville.fr")
