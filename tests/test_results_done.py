"""Issue #16's "Done means", end to end, with the processes people run: a consultation closes;
the organizer runs ``parole moderate``, writes three decisions, runs ``parole results`` then
``parole build``; a citizen on a phone reads what was heard and decided, with charts and tables,
within the page budget; the open data validates. Then a late paper batch changes the figures.

The consultation is a copy of the example (``mkdocs.yml`` and ``content/``), without its
committed results file and decisions: its figures come only from the answers sent here. Online
answers go through a real ``parole collect`` (HTTP POST, as a browser sends the form), paper
sheets through ``parole import``. Every command runs in the consultation's folder as README.md
and docs/collector.md write it (``parole moderate avis-place``, ``parole results``,
``parole build``), on the default database ``parole-data/answers.db``; ``PAROLE_BUILD_DATE``
says which day it is. The citizen is Chromium without JavaScript on a 360 x 640 phone, then at
320 px.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.collector_support import PAROLE, hidden_fields, running_collector
from tests.support import REPO, serve_site

pytestmark = pytest.mark.browser

FORM_ID = "avis-place"
OPEN_DAY, CLOSED_DAY, RESULTS_DAY, AFTER = "2027-01-20", "2027-03-01", "2027-03-02", "2027-06-01"
THEME = "Arbres et ombre"
ASSISTED = "avec l\u2019aide d\u2019un médiateur."
APPROVED = "Des bancs à l'ombre des platanes, face à la fontaine."
THEMED = "Plantez des tilleuls : ils font de l'ombre et ils sentent bon en juin."
NAMED = "Demandez à Mme Tartempion, elle connaît chaque arbre de la place."
NAMED_QUOTED = "Demandez à […], elle connaît chaque arbre de la place."
REJECTED = "Ce projet est nul et ceux qui l'ont fait aussi."
NOT_CONSENTED = "Ne me citez pas : une fontaine pour les chiens près du kiosque."
PAPER_IDEA = "Une idée écrite sur papier, sans la case cochée : un kiosque à musique."
PRIVATE = ("Tartempion", REJECTED, NOT_CONSENTED, PAPER_IDEA, "Rue des Glycines",
           "voisin@exemple.fr")
"""Texts that must never reach the site: a hidden name, a rejected answer, answers whose
author did not agree to be quoted, a district and an email address."""
MODERATION_KEYS = "\n".join([
    "a",  # APPROVED as it is
    "t", THEME,  # THEMED under a theme
    "e", "Mme Tartempion", "1", "", "a",  # NAMED, the name hidden as personal data
    "r", "3",  # REJECTED: insulting
]) + "\n"
DECISIONS = """decisions:
  - title: Planter vingt arbres
    status: adopted
    date: 2027-05-17
    reason: Presque toutes les personnes veulent plus d'ombre.
    about:
      - question: ombre
      - theme: Arbres et ombre
  - title: Garder 40 places de stationnement
    status: adapted
    date: 2027-05-17
    reason: Les avis sont partagés. Nous gardons 40 places, et le samedi reste aux piétons.
    about:
      - question: stationnement
  - title: Fermer la place aux voitures
    status: rejected
    date: 2027-05-17
    reason: Les livraisons du marché n'auraient plus d'accès.
    about:
      - participation
"""
HEADER = ("frequence,usages,ombre,stationnement,jeux,idee,age,quartier,courriel,citation,"
          "accord,spoiled\n")
MARKET_SHEETS = [  # eight sheets from the market stall: blanks, one spoiled, one idea
    "Chaque semaine,marche; promenade,5,40,fontaine,,67,,,,yes,",
    "Tous les jours,marche,4,20,ecole,,,,,,yes,",
    "Chaque semaine,marche,5,40,,,71,,,,yes,jeux",
    "Chaque mois,,3,60,fontaine,,,,,,,",
    f'Chaque semaine,marche; enfants,5,40,ecole,"{PAPER_IDEA}",35,,,,yes,',
    "Tous les jours,passage,4,,fontaine,,,,,,yes,",
    ",marche,5,40,fontaine,,58,,,,yes,",
    "Chaque semaine,marche,5,20,ecole,,44,,,,yes,",
]
ASSISTED_SHEETS = [  # five answers a mediator of the social centre recorded with the person
    "Chaque semaine,marche,5,40,fontaine,,77,,,,yes,",
    "Tous les jours,promenade,4,20,ecole,,81,,,,yes,",
    "Chaque semaine,marche,5,40,fontaine,,69,,,,yes,",
    "Chaque mois,marche,3,60,ecole,,,,,,yes,",
    "Chaque semaine,marche; enfants,4,40,fontaine,,38,,,,yes,",
]
LIBRARY_SHEETS = [  # six more, from the library, typed in late
    "Tous les jours,marche,5,40,fontaine,,80,,,,yes,",
    "Chaque semaine,promenade,4,40,ecole,,29,,,,yes,",
    "Chaque semaine,marche,5,20,fontaine,,,,,,yes,",
    "Rarement ou jamais,,2,60,,,,,,,yes,",
    "Chaque semaine,marche,5,40,fontaine,,63,,,,yes,",
    "Tous les jours,marche; passage,4,0,ecole,,52,,,,yes,",
]
WIDTHS = """() => ({scroll: document.documentElement.scrollWidth,
  client: document.documentElement.clientWidth,
  wider: [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                    || el.getBoundingClientRect().left < -1)
    .map((el) => el.tagName + (el.id ? "#" + el.id : "")).slice(0, 5)})"""
QUOTES = """() => [...document.querySelectorAll("#citations ~ h4, #citations ~ blockquote")]
  .map((el) => [el.tagName, el.textContent.trim()])"""
"""The quotes' headings (themes, questions) and quotes, in page order."""
FIGURES = """() => [...document.querySelectorAll("main figure")].map((figure) => ({
  id: figure.id, caption: figure.querySelector("figcaption")?.textContent ?? "",
  svg: figure.querySelectorAll("svg").length, hidden: figure.querySelector("svg")
    ?.getAttribute("aria-hidden"), table: figure.querySelectorAll("table").length,
  rows: [...figure.querySelectorAll("tbody tr")].map(
    (row) => [...row.cells].map((cell) => cell.textContent.replace(/\\s+/g, " ").trim()))}))"""


@dataclass
class Story:
    """The consultation's folder, its built site, and what the organizer's commands said."""

    folder: Path
    moderated: str
    computed: str

    @property
    def site(self) -> Path:
        return self.folder / "site"


def parole(folder: Path, day: str, *args: str, keys: str | None = None) -> str:
    """``parole ARGS`` run in ``folder`` on ``day``; its output (it must succeed)."""
    environment = {**os.environ, "LANG": "C.UTF-8", "PAROLE_BUILD_DATE": day}
    done = subprocess.run([str(PAROLE), *args], cwd=folder, input=keys, capture_output=True,
                          text=True, timeout=300, check=False, env=environment)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout + done.stderr


def consultation(folder: Path) -> Path:
    """The example copied without its results: a results page with no decision yet."""
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(REPO / "content", folder / "content",
                    ignore=shutil.ignore_patterns("parole-results"))
    page = folder / "content" / "resultats.md"
    body = page.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    page.write_text(f"---\ntype: results\nform: {FORM_ID}\n---\n{body}", encoding="utf-8")
    (folder / "parole-data").mkdir()
    return folder


def online_answers() -> list[list[tuple[str, str]]]:
    """Fourteen answers, the first four agreeing to have their idea quoted (oldest first: the
    order ``parole moderate`` shows them in)."""
    common = [("frequence", "semaine"), ("usages", "marche"), ("ombre", "5"),
              ("stationnement", "40"), ("jeux", "fontaine"), ("accord", "yes")]
    answers = [[*common, ("idee", idea), ("citation", "yes")]
               for idea in (APPROVED, THEMED, NAMED, REJECTED)]
    answers.append([*common, ("idee", NOT_CONSENTED), ("quartier", "Rue des Glycines"),
                    ("courriel", "voisin@exemple.fr")])
    for number in range(9):
        answers.append([("frequence", "jour" if number % 2 else "semaine"),
                        ("usages", "promenade"), ("ombre", str(4 + number % 2)),
                        ("stationnement", "20" if number % 3 else "60"),
                        ("jeux", "ecole"), ("age", str(30 + number)), ("accord", "yes")])
    return answers


def import_sheets(folder: Path, name: str, sheets: list[str], place: str, day: str,
                  *channel: str) -> str:
    """``parole import`` of ``sheets`` typed in a spreadsheet, as docs/collector.md says."""
    (folder / name).write_text(HEADER + "\n".join(sheets) + "\n", encoding="utf-8")
    return parole(folder, CLOSED_DAY, "import", FORM_ID, name, "--batch-place", place,
                  "--batch-date", day, *channel)


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    folder = consultation(tmp_path_factory.mktemp("done"))
    parole(folder, OPEN_DAY, "build")
    database = f"sqlite:///{folder / 'parole-data' / 'answers.db'}"
    with running_collector(folder / "site", database, folder, day=OPEN_DAY) as collector:
        for number, values in enumerate(online_answers()):
            reply = collector.post([*hidden_fields(folder / "site"), *values],
                                   headers={"X-Forwarded-For": f"192.0.2.{number + 1}"})
            assert reply.status == 303, reply.text
    # The consultation has closed (28 February). The market's box is typed in a spreadsheet.
    assert "8 answers imported" in import_sheets(folder, "feuilles-marche.csv", MARKET_SHEETS,
                                                 "Marché du samedi", "2027-02-27")
    assert "5 answers imported" in import_sheets(
        folder, "aides-tilleuls.csv", ASSISTED_SHEETS, "Centre social des Tilleuls",
        "2027-02-20", "--channel", "assisted")
    moderated = parole(folder, RESULTS_DAY, "moderate", FORM_ID, keys=MODERATION_KEYS)
    page = folder / "content" / "resultats.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "---\n#", DECISIONS + "---\n#", 1), encoding="utf-8")
    computed = parole(folder, RESULTS_DAY, "results")
    parole(folder, AFTER, "build")
    return Story(folder, moderated, computed)


@pytest.fixture(scope="module")
def base_url(story: Story) -> Iterator[str]:
    with serve_site(story.site) as url:
        yield url


def read_page(browser: Browser, url: str, width: int) -> dict[str, Any]:
    """What a phone ``width`` px wide without JavaScript shows at ``url``: headings, text,
    figures, and whether anything sticks out sideways, tables closed then opened."""
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": width, "height": 640})
    try:
        page = context.new_page()
        page.goto(url)
        closed = page.evaluate(WIDTHS)
        for summary in page.locator("main figure summary").all():
            summary.click()
        return {"h2": page.locator("main h2").all_inner_texts(),
                "text": " ".join(page.inner_text("main").split()),
                "banner": " ".join(page.inner_text("p.p-status").split()),
                "figures": page.evaluate(FIGURES), "quotes": page.evaluate(QUOTES),
                "closed": closed,
                "opened": page.evaluate(WIDTHS),
                "tables_shown": all(table.is_visible()
                                    for table in page.locator("main figure table").all())}
    finally:
        context.close()


def test_the_organizer_moderates_counts_and_builds_with_the_documented_commands(
        story: Story) -> None:
    assert "Answer 1 of 4" in story.moderated and "Answer 4 of 4" in story.moderated
    assert NOT_CONSENTED not in story.moderated  # never shown: no consent
    assert f"The quote will read:\n    {NAMED_QUOTED}" in story.moderated
    assert story.moderated.rstrip().endswith("Done: 3 approved, 1 rejected, 0 left to read.")
    assert "avis-place: 27 answers counted (online 14, paper 8, assisted 5)" in story.computed
    results = json.loads((story.folder / "content" / "parole-results" / f"{FORM_ID}.json")
                         .read_text(encoding="utf-8"))
    assert [(quote["text"], quote["theme"]) for quote in results["quotes"]] == [
        (APPROVED, None), (THEMED, THEME), (NAMED_QUOTED, None)]


@pytest.mark.parametrize("width", [360, 320])
def test_a_citizen_on_a_phone_reads_what_was_heard_and_decided(
        browser: Browser, base_url: str, width: int) -> None:
    seen = read_page(browser, base_url + "resultats/", width)
    assert seen["h2"][:2] == ["En bref", "Ce que nous avons entendu"]
    assert "Ce qui a été décidé" in seen["h2"]
    assert "ce qui a été décidé" in seen["banner"]  # concluded
    text = seen["text"]
    assert f"27 réponses, dont 14 en ligne, 8 sur papier et 5 {ASSISTED}" in text
    figures = seen["figures"]
    assert [figure["id"] for figure in figures] == [
        "participation-canaux", "participation-jours", "question-frequence", "question-usages",
        "question-ombre", "question-stationnement", "question-jeux"]
    for figure in figures:  # every figure: a chart hidden from screen readers, and its table
        assert figure["svg"] == 1 and figure["hidden"] == "true", figure["id"]
        assert figure["table"] == 1 and figure["rows"], figure["id"]
    for status in ("Décision : adoptée", "Décision : adaptée", "Décision : non retenue"):
        assert status in text
    for title in ("Planter vingt arbres", "Garder 40 places de stationnement",
                  "Fermer la place aux voitures"):
        assert title in text
    assert seen["quotes"][:5] == [  # by theme, then the quotes without one by question
        ["H4", THEME], ["BLOCKQUOTE", THEMED],
        ["H4", "Avez-vous une autre idée pour la place ?"], ["BLOCKQUOTE", APPROVED],
        ["BLOCKQUOTE", NAMED_QUOTED]]
    assert ["H4", "Comment les citations ont été choisies"] in seen["quotes"]
    for private in PRIVATE:
        assert private not in text, private
    assert seen["closed"]["scroll"] <= width and seen["closed"]["wider"] == [], seen["closed"]
    assert seen["opened"]["scroll"] <= width and seen["opened"]["wider"] == [], seen["opened"]
    assert seen["tables_shown"]


def test_the_results_page_is_within_the_page_budget(story: Story) -> None:
    report = json.loads((story.site / "page-weight.json").read_text(encoding="utf-8"))
    [page] = [page for page in report["pages"] if page["path"] == "resultats/index.html"]
    assert page["total"] <= report["budget"] == 14 * 1024 and not page["over_budget"], page


def test_the_closed_form_and_every_page_lead_to_the_results(story: Story) -> None:
    form = (story.site / "donner-mon-avis" / "index.html").read_text(encoding="utf-8")
    assert "Ce questionnaire est fermé" in form and 'name="frequence"' not in form
    assert "Découvrir ce que nous avons entendu et ce qui a été décidé" in form
    home = (story.site / "index.html").read_text(encoding="utf-8")
    assert '<a href="resultats/">découvrez ce que nous avons entendu et ce qui a été décidé' \
        in home


def test_nothing_private_reaches_the_site(story: Story) -> None:
    for path in story.site.rglob("*"):
        if path.suffix in {".html", ".json", ".csv", ".txt", ".xml"}:
            text = path.read_text(encoding="utf-8")
            for private in PRIVATE:
                assert private not in text, (path, private)


def test_the_open_data_validates_with_frictionless(story: Story,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import frictionless  # noqa: PLC0415 (the dev extras' library, as a reuser would check)

    def offline(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("frictionless tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", offline)
    package = story.site / "donnees" / "datapackage.json"
    report = frictionless.validate(str(package))
    assert report.valid, report.flatten(["type", "note"])
    quotes = (story.site / "donnees" / f"{FORM_ID}-quotes.csv").read_text(encoding="utf-8-sig")
    assert APPROVED in quotes and THEMED in quotes and NAMED_QUOTED in quotes
    assert (story.site / "donnees" / f"{FORM_ID}-quotes.csv.gz").is_file()


def test_a_late_paper_batch_changes_the_figures_on_the_page(
        browser: Browser, story: Story, base_url: str) -> None:
    """Last: it adds answers to the story's database."""
    before = read_page(browser, base_url + "resultats/", 360)
    assert "6 answers imported" in import_sheets(
        story.folder, "feuilles-mediatheque.csv", LIBRARY_SHEETS, "Médiathèque", "2027-02-26")
    computed = parole(story.folder, RESULTS_DAY, "results")
    assert "33 answers counted (online 14, paper 14, assisted 5)" in computed
    parole(story.folder, AFTER, "build")
    after = read_page(browser, base_url + "resultats/", 360)
    assert f"33 réponses, dont 14 en ligne, 14 sur papier et 5 {ASSISTED}" in after["text"]
    channels = {figure["id"]: figure["rows"] for figure in before["figures"]}
    channels_after = {figure["id"]: figure["rows"] for figure in after["figures"]}
    assert ["Sur papier", "8"] in [row[:2] for row in channels["participation-canaux"]]
    assert ["Sur papier", "14"] in [row[:2] for row in channels_after["participation-canaux"]]
    assert channels["question-ombre"] != channels_after["question-ombre"]
