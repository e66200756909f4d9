"""Issue #15's "Done means", following only docs/paper.md, the mediators' guide.

The organizer's steps are the guide's own command lines (read from its code blocks by
``guide_support``, so the guide and this test cannot drift), run as real ``parole`` processes in
a fresh folder, in French, on the database they create there (``parole-data/answers.db``, the
default). The site is the example consultation built with the guide's ``mkdocs.yml`` lines
(double entry), served with a real ``parole collect`` behind one origin as nginx would.

In the real Chromium, JavaScript off, with the keyboard as the guide says (Tab, Space, the
arrows, Enter): Awa, who coordinates, signs in, opens a batch of 20 sheets counted by hand and
types them, writing each receipt code on its sheet; two sheets have a question left blank and
one spoiled. Bruno types the same stack, checks each sheet's code against the screen's, and
reads one answer differently. Awa settles that difference, closes the batch. A citizen answers
online, Bruno helps someone answer (assisted). The guide's ``parole stats`` then shows online,
paper and assisted side by side, the batch with 20 entered of 20 counted, difference 0, closed,
and the blanks and spoiled per question. Revoking Bruno's code with the guide's command ends
his session: nothing can be typed without a valid code. Last, the guide's ``parole import``
line stores two sheets typed in a spreadsheet as a batch of their own, and only once.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from tests.collector_browser_support import (
    FORM_PAGE,
    Browsing,
    Site,
    fill_the_form,
    receipt_code,
    send,
    site_and_collector,
)
from tests.collector_support import OPEN_DAY, PAROLE
from tests.entry_browser_support import (
    focused,
    sign_in,
    sign_in_and_open_a_batch,
    status_line,
    tab_to,
)
from tests.guide_support import guide_command, guide_plugin_options
from tests.support import REPO, build_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AREA = "/collect/saisie"
SHEETS = 20
FREQUENCE = ["Tous les jours", "Chaque semaine", "Chaque mois", "Rarement ou jamais"]
FREQUENCE_VALUES = ["jour", "semaine", "mois", "rarement"]
QUARTIERS = ["Centre", "Les Tilleuls", "La Gare"]
CODE_PRINTED = re.compile(r"^ {4}([0-9A-Z]{4}(?:-[0-9A-Z]{1,4})+)$", re.M)
BATCH_ROW = re.compile(r"(\d+) (.+) (\d{4}-\d\d-\d\d) (\d+) (\d+) (-?\d+) (.+)")
"""A batch's row in ``parole stats``: number, place, collected, hand count, entered,
difference, state."""
RECEIPT = re.compile(r"code de réponse ([0-9A-Z]{4}-[0-9A-Z]{4})")


@dataclass
class PaperSheet:
    """One paper sheet of the stack: what the person wrote, and the code written on it."""

    number: int
    frequence: int
    """The option ticked, 0 to 3."""
    ombre: int | None
    """1 to 5; None: two boxes ticked, spoiled."""
    age: int | None
    """None: left blank; -1: unreadable, spoiled."""
    quartier: str
    """"": left blank."""
    code: str = ""


def the_stack() -> list[PaperSheet]:
    """20 sheets; sheet 7 leaves the district blank and has an unreadable age, sheet 13 leaves
    the age blank and has two boxes ticked on the one-answer scale."""
    stack = [PaperSheet(number, (number - 1) % 4, (number - 1) % 5 + 1, 20 + number,
                        QUARTIERS[number % 3]) for number in range(1, SHEETS + 1)]
    stack[6].quartier, stack[6].age = "", -1
    stack[12].age, stack[12].ombre = None, None
    return stack


# --- the organizer: the guide's commands, in a fresh folder --------------------------------------

def run_guide(command: list[str], folder: Path) -> str:
    """One of the guide's command lines, as its reader types it in ``folder``, in French."""
    assert command[0] == "parole"
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("PAROLE_DATABASE_URL", "LC_ALL", "LC_MESSAGES")}
    # French, on the day the collector runs at (an open day of the example consultation)
    environment.update(LANG="fr_FR.UTF-8", PAROLE_BUILD_DATE=OPEN_DAY)
    done = subprocess.run([str(PAROLE), *command[1:]], cwd=folder, env=environment,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, (command, done.stdout, done.stderr)
    return done.stdout + done.stderr


def guide_site(folder: Path) -> Path:
    """The example consultation with the guide's mkdocs.yml lines under ``- parole:``."""
    shutil.copytree(REPO / "content", folder / "content")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    [plugin] = [entry for entry in config["plugins"] if isinstance(entry, dict)
                and "parole" in entry]
    plugin["parole"].update(guide_plugin_options())
    config_file = folder / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return build_site(config_file, folder / "site")


@pytest.fixture
def organizer(tmp_path: Path) -> Path:
    """The organizer's folder, where the guide's commands run."""
    folder = tmp_path / "organizer"
    folder.mkdir()
    return folder


@pytest.fixture
def browsing(browser: Browser) -> Iterator[Browsing]:
    browsing = Browsing(browser)
    yield browsing
    browsing.close()


# --- the mediators: typing a sheet with the keyboard, as section 8 says ---------------------------

def choose(page: Page, option: int) -> None:
    """On a radio group with focus on its first option: Space for it, else the Down arrow."""
    if option == 0:
        page.keyboard.press("Space")
    for _ in range(option):
        page.keyboard.press("ArrowDown")


def type_sheet(page: Page, sheet: PaperSheet, *, frequence: int | None = None) -> str:
    """Type ``sheet`` on the entry screen (focus already on the first question) and save it
    with Enter; the status line the screen comes back with. ``frequence``: what the typist
    reads for the first question, when not what is written."""
    assert focused(page) == "f-avis-place-frequence-1"
    choose(page, sheet.frequence if frequence is None else frequence)
    if sheet.ombre is None:
        tab_to(page, "#f-avis-place-ombre-spoiled")
        page.keyboard.press("Space")
    else:
        tab_to(page, "#f-avis-place-ombre-1")
        choose(page, sheet.ombre - 1)
    if sheet.age == -1:
        tab_to(page, "#f-avis-place-age-spoiled")
        page.keyboard.press("Space")
    elif sheet.age is not None:
        tab_to(page, "#f-avis-place-age")
        page.keyboard.type(str(sheet.age))
    tab_to(page, "#f-avis-place-quartier")
    page.keyboard.type(sheet.quartier)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return status_line(page)


def heading(page: Page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def open_my_batch(page: Page, site: Site, batch: int) -> None:
    """Section 9, step 3: from the home, "Saisir les feuilles du lot n° 1", by keyboard."""
    page.goto(f"{site.url}{AREA}/")
    tab_to(page, f'a[href="{AREA}/batches/{batch}/sheet"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_following_the_paper_guide_every_count_is_reconciled(
    tmp_path: Path, organizer: Path, browsing: Browsing
) -> None:
    site_dir = guide_site(tmp_path / "consultation")
    codes = organizer_adds_two_mediators(organizer)
    (awa_name, awa_code), (bruno_name, bruno_code) = codes.items()
    database = f"sqlite:///{organizer / 'parole-data' / 'answers.db'}"
    stack = the_stack()
    with site_and_collector(site_dir, database, tmp_path) as site:
        awa, bruno = browsing.page(), browsing.page()
        batch = first_typing(awa, site, awa_code, stack)
        sign_in(bruno, site, bruno_code)
        second_typing(bruno, site, batch, stack)
        settle_and_close(awa, site, batch, stack[8], awa_name)
        online_and_assisted(browsing.page(), bruno, site, bruno_name)
        # Section 4: a lost tablet. Revoking Bruno's code ends his session at once.
        [revoke] = guide_command("mediators", "revoke")
        assert revoke[3] == bruno_name
        run_guide(revoke, organizer)
        bruno.goto(f"{site.url}{AREA}/batches/{batch}/sheet")
        expect(bruno.get_by_role("heading", level=1)).to_have_text("Se connecter à la saisie")
        bruno.get_by_label(re.compile("^Votre code personnel")).press_sequentially(bruno_code)
        with bruno.expect_navigation():
            bruno.keyboard.press("Enter")
        expect(bruno.get_by_role("main")).to_contain_text("Ce code ne fonctionne pas.")
        assert not browsing.leaving
    # Section 15: every count reconciled, side by side.
    [stats_command] = guide_command("stats")
    check_stats(run_guide(stats_command, organizer), batch, stack)
    # Section 14: sheets typed in a spreadsheet become a batch of their own, once.
    [import_command] = guide_command("import")
    write_spreadsheet(organizer / import_command[3])
    said = [run_guide(import_command, organizer) for _ in range(2)]
    assert "2 réponses importées dans le lot" in said[0]
    assert "rien n'a été importé" in said[1] and "déjà été importé" in said[1]
    stats = run_guide(stats_command, organizer)
    assert section(stats, "Par canal") == ["online 1", "paper 22", "assisted 1"]
    rows = [BATCH_ROW.fullmatch(row) for row in section(stats, "Lots de feuilles papier")[1:]]
    assert [row.groups()[1:-1] if row else None for row in rows] == [
        ("Hôtel de ville, à l\u2019accueil, 1 place de la Mairie", "2027-01-10", "20", "20", "0"),
        ("Marché du samedi", "2027-01-09", "2", "2", "0")]


def organizer_adds_two_mediators(organizer: Path) -> dict[str, str]:
    """Section 4: a coordinator and a mediator, each code printed once; name → code."""
    add_awa, add_bruno = guide_command("mediators", "add")
    assert "--coordinator" in add_awa and "--coordinator" not in add_bruno
    codes = {}
    for command in (add_awa, add_bruno):
        printed = CODE_PRINTED.findall(run_guide(command, organizer))
        assert len(printed) == 1
        codes[command[3]] = printed[0]
    [list_command] = guide_command("mediators", "list")
    listed = run_guide(list_command, organizer)
    assert all(name in listed for name in codes)
    assert not any(code in listed for code in codes.values())
    return codes


def first_typing(awa: Page, site: Site, code: str, stack: list[PaperSheet]) -> int:
    """Sections 6 to 8: Awa signs in, opens the batch of 20 sheets, types them and writes each
    receipt code on its sheet; the batch's number."""
    sign_in_and_open_a_batch(awa, site, code, SHEETS)
    opened = re.search(rf"{AREA}/batches/(\d+)/sheet", awa.url)
    assert opened, awa.url
    for sheet in stack:
        assert heading(awa) == f"Vous saisissez la feuille {sheet.number} sur {SHEETS}"
        line = type_sheet(awa, sheet)
        assert line.startswith(f"Feuille {sheet.number} sur {SHEETS} enregistrée"), line
        assert line.endswith("Elle comptera quand une autre personne l\u2019aura saisie "
                             "à son tour."), line
        found = RECEIPT.search(line)
        assert found, line
        sheet.code = found.group(1)  # written on the sheet, in "Réservé à l'équipe"
    assert heading(awa) == "Vous avez saisi toutes les feuilles de ce lot"
    return int(opened.group(1))


def second_typing(bruno: Page, site: Site, batch: int, stack: list[PaperSheet]) -> None:
    """Section 9: Bruno types the same stack, checking each sheet's code first; he reads
    sheet 9's first answer one option further down."""
    open_my_batch(bruno, site, batch)
    lines = []
    for sheet in stack:
        second = bruno.locator("p", has_text="Seconde saisie").inner_text()
        assert second.replace("\u2011", "-").endswith(sheet.code), (second, sheet.code)
        misread = (sheet.frequence + 1) % 4 if sheet.number == 9 else None
        lines.append(type_sheet(bruno, sheet, frequence=misread))
    assert heading(bruno) == "Vous avez saisi toutes les feuilles de ce lot"
    for sheet, line in zip(stack, lines, strict=True):
        said = ("votre saisie diffère de la première" if sheet.number == 9
                else "votre saisie est identique à la première. La feuille compte.")
        assert line.startswith(f"Feuille {sheet.number} sur {SHEETS}, code {sheet.code}")
        assert said in line, line


def settle_and_close(awa: Page, site: Site, batch: int, differing: PaperSheet,
                     name: str) -> None:
    """Sections 10 and 12: Awa keeps her own typing of the sheet that differs, sees no
    difference left between the hand count and the sheets, and closes the batch."""
    awa.goto(f"{site.url}{AREA}/")
    with awa.expect_navigation():
        awa.get_by_role("link", name=f"Voir le lot n\u00b0\u00a0{batch}").click()
    expect(awa.get_by_role("row", name=re.compile(
        rf"{differing.code}.*Saisies différentes"))).to_be_visible()
    with awa.expect_navigation():
        awa.get_by_role("link", name=differing.code).click()
    expect(awa.get_by_role("table", name="Les saisies ne correspondent pas")
           ).to_contain_text("À trancher")
    awa.get_by_label(f"Saisie A ({name})\u00a0: {FREQUENCE[differing.frequence]}").check()
    with awa.expect_navigation():
        awa.get_by_role("button", name="Garder ces valeurs").click()
    expect(awa.get_by_role("status")).to_have_text(
        "Les valeurs choisies sont enregistrées. La feuille compte.")
    with awa.expect_navigation():
        awa.get_by_role("link", name=f"Retour au lot n\u00b0\u00a0{batch}").click()
    expect(awa.get_by_role("main")).to_contain_text(
        "Aucune. Toutes les feuilles comptées à la main sont saisies.")
    with awa.expect_navigation():
        awa.get_by_role("button", name="Fermer le lot").click()
    expect(awa.get_by_role("status")).to_have_text("Le lot est fermé.")


def online_and_assisted(citizen: Page, bruno: Page, site: Site, name: str) -> None:
    """A citizen answers online; section 13: Bruno helps someone answer (assisted)."""
    citizen.goto(site.url + FORM_PAGE)
    fill_the_form(citizen)
    assert send(citizen).status == 200 and receipt_code(citizen)
    bruno.goto(f"{site.url}{AREA}/")
    with bruno.expect_navigation():
        bruno.get_by_role("link", name="Votre avis sur la place du Marché").click()
    expect(bruno.get_by_role("main")).to_contain_text(
        f"Réponse accompagnée, enregistrée par {name}.")
    fill_the_form(bruno, quartier="La Gare")
    assert send(bruno).status == 200 and receipt_code(bruno)


def write_spreadsheet(path: Path) -> None:
    """Two sheets typed in a spreadsheet as section 14 says: a column per question headed by
    its id, an empty cell where the sheet is blank, a choice as the label ticked."""
    path.write_text(
        "frequence,usages,ombre,stationnement,jeux,idee,age,quartier,courriel,citation,accord\n"
        "Chaque semaine,,4,,,,67,Centre,,,\n"
        "Tous les jours,,2,,,,,La Gare,,,\n", encoding="utf-8")


def check_stats(stats: str, batch: int, stack: list[PaperSheet]) -> None:
    """Online, paper and assisted side by side; the batch: 20 entered of 20 counted by hand,
    difference 0, closed; what the sheets said as typed (sheet 9 as Awa kept it), with the
    online and assisted answers (each "Chaque semaine", and 4 on the scale); blanks and
    spoiled per question."""
    assert section(stats, "Par canal") == ["online 1", "paper 20", "assisted 1"]
    [_, row] = section(stats, "Lots de feuilles papier")
    found = BATCH_ROW.fullmatch(row)
    assert found, row
    assert found.groups() == (str(batch), "Hôtel de ville, à l\u2019accueil, 1 place de la Mairie",
                              "2027-01-10", "20", "20", "0", "clos")
    assert "pas encore saisie" not in stats and "recomptez" not in stats
    frequence = [sheet.frequence for sheet in stack] + [1, 1]
    assert section(stats, "frequence (choice)") == [
        f"{value} {label} {frequence.count(index)}"
        for index, (value, label) in enumerate(zip(FREQUENCE_VALUES, FREQUENCE, strict=True))]
    ombre = [sheet.ombre for sheet in stack] + [4, 4]
    assert [line.split()[-1] for line in section(stats, "ombre (scale)")] == [
        str(ombre.count(value)) for value in range(1, 6)]
    marks = {line.split()[0]: tuple(line.split()[1:]) for line in section(
        stats, "Laissées en blanc ou nulles sur papier, par question")[1:]}
    # sheet 7: district blank, age spoiled; sheet 13: age blank, scale spoiled; the questions
    # never typed are blank on all 20
    assert marks == {
        "frequence": ("0", "0"), "usages": ("20", "0"), "ombre": ("0", "1"),
        "stationnement": ("20", "0"), "jeux": ("20", "0"), "idee": ("20", "0"),
        "age": ("1", "1"), "quartier": ("1", "0"), "courriel": ("20", "0"),
        "citation": ("20", "0"), "accord": ("20", "0")}


def section(stats: str, title: str) -> list[str]:
    """The lines under ``title`` in ``parole stats``' output, up to the next blank line, their
    spaces collapsed."""
    lines = stats.splitlines()
    start = next(index for index, line in enumerate(lines) if line.strip().startswith(title))
    under = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        under.append(" ".join(line.split()))
    return under
