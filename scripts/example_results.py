"""Regenerate ``content/parole-results/avis-place.json``: the results file of the example
consultation, as the town of Belval would have it after its consultation closed.

Belval is fictional, and so are its 800 or so answers: drawn here with a seeded random
generator (the same file every run), plausible for a small town's market square. Nothing is
written by hand into the results file; everything goes the way a real consultation's answers go:

1. ``parole build`` builds a copy of the example as it is while open (``PAROLE_BUILD_DATE``),
   and its form manifest ``forms/avis-place.json`` is registered in a temporary SQLite database, as
   ``parole collect`` does when it starts.
2. Answers are stored through the ``Storage`` API: online ones and those recorded with a
   mediator (assisted) checked by the collector's own ``validate.check``; paper sheets in
   batches from the four ``paper_dropoff`` places, each sheet checked by the mediators' entry
   screen's ``paper_check.check_sheet`` (a question left empty is marked blank; some are
   spoiled), collected on the day the box was emptied.
3. A moderator reads every written answer whose author agreed to be quoted (``citation``) and
   records a verdict (``Storage.record_verdict``): ten ideas approved (eight with a theme, one
   with a name and an address hidden), the others set aside with each reason. The ``citation``
   box speaks of the person's *idea*: the district they wrote (``quartier``) is never quoted,
   so those answers are set aside as personal data.
4. ``parole results --db … --docs content --form avis-place`` runs as a process, exactly as an
   organizer runs it, the day after closing.

Run it from the repository (``.venv/bin/python scripts/example_results.py``) after changing the
example's form, then commit the results file with the content. The quotes are invented and kind;
no name in them is a real person's.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from site_builder.collector.answers import expiry, fingerprint  # noqa: E402
from site_builder.collector.paper_check import check_sheet  # noqa: E402
from site_builder.collector.validate import check  # noqa: E402
from site_builder.forms.manifest import Manifest, manifest_path, read_manifest  # noqa: E402
from site_builder.i18n import Catalogue  # noqa: E402
from site_builder.storage import open_storage  # noqa: E402
from site_builder.storage.base import Duplicates, NewAnswer, Storage  # noqa: E402
from site_builder.storage.entry import NewBatch, SheetEntry  # noqa: E402
from site_builder.storage.moderation import NewVerdict, Redaction, text_digest  # noqa: E402

FORM_ID = "avis-place"
SEED = 2027
PAROLE = [sys.executable, "-m", "site_builder.cli"]
OPEN_DAY = "2027-01-10"
"""The day the example is built to read its form manifest (the consultation is open)."""
RESULTS_DAY = "2027-03-02"
"""The day the organizer runs ``parole results``, after ``closes`` (2027-02-28)."""
COMPUTED_AT = datetime(2027, 3, 2, 9, 30, tzinfo=UTC)
"""When the figures are computed: given to ``parole results`` as ``SOURCE_DATE_EPOCH`` (the
reproducible-builds variable), so that the file is the same every run; a parole that does not
read it writes the time of the run, and the script says so."""
ONLINE, ASSISTED = 560, 32
MODERATOR = "Service Participation citoyenne"
MEDIATORS = ("Médiatrice de la médiathèque", "Médiateur du centre social")
PARIS = ZoneInfo("Europe/Paris")

APPROVED: list[tuple[str, str | None]] = [
    ("Des arbres qui font de l'ombre l'été, avec des bancs dessous. En juillet, on ne peut "
     "pas rester sur la place à midi.", "Arbres et ombre"),
    ("Planter des arbres le long du trottoir de l'école, pour que les enfants marchent à "
     "l'ombre.", "Arbres et ombre"),
    ("Une fontaine d'eau potable près des bancs, pour les jours de chaleur.", "Arbres et ombre"),
    ("Le marché du samedi fait vivre la place. Il faut des prises électriques et un point d'eau "
     "pour les commerçants.", "Marché"),
    ("Mettre les stands autour de la fontaine, avec une allée assez large pour les poussettes "
     "et les fauteuils.", "Marché"),
    ("Un petit marché le mercredi en fin de journée, avec les producteurs du coin.", "Marché"),
    ("Garder quelques places près du marché pour les personnes âgées qui viennent en voiture.",
     "Stationnement"),
    ("Un abri pour les vélos près de la médiathèque, et des arceaux devant les commerces.",
     "Stationnement"),
    ("Des toilettes publiques propres et accessibles à tous.", None),
]
HIDDEN_WORDS = "Mme Perrin, du 4 rue des Écoles"
REDACTED_IDEA = (f"Comme le dit {HIDDEN_WORDS}, il manque un passage piéton bien visible devant "
                 "l'école.")
SET_ASIDE: list[tuple[str, str]] = [  # (reason, text): each reason, some below min_count
    *[("off-topic", text) for text in (
        "Il faudrait refaire la route de la zone artisanale.",
        "Quand est-ce que la piscine rouvre ?",
        "Les bus ne passent pas assez souvent le dimanche.",
        "Il faut plus de places en crèche à Belval.",
        "La fibre n'arrive toujours pas dans ma rue.",
        "Le site de la mairie est difficile à trouver.",
        "Il faut un médecin de plus dans le quartier de la Gare.")],
    *[("personal data", text) for text in (
        "Appelez-moi au 06 00 00 00 00, j'ai beaucoup d'idées pour la place.",
        "Je suis la voisine du numéro 12, mon fils peut aider pour les plantations.",
        "Écrivez-moi à mon adresse, je tiens le stand de fromages du samedi.")],
    *[("insulting", text) for text in (
        "Encore un projet pour rien, les élus n'écoutent jamais.",
        "Ceux qui ont fait la place actuelle ne savaient pas travailler.",
        "C'est toujours les mêmes qui décident, c'est n'importe quoi.",
        "Vous nous prenez pour des idiots avec ce questionnaire.",
        "Les voitures des gens du centre, ça suffit, qu'ils marchent.")],
    ("Ne parle pas de la place : transmis au service Voirie.",
     "Le trottoir de la rue Haute est abîmé devant le numéro 8."),
    ("Question posée au service Participation, réponse faite par courrier.",
     "Comment sera choisi le projet final ?"),
]
COMMON_IDEAS = (
    "Plus d'arbres et plus d'ombre.", "Plus de bancs, s'il vous plaît.",
    "Des arbres, des bancs et moins de voitures.", "Un point d'eau pour boire l'été.",
    "Des toilettes publiques.", "Garder le marché du samedi comme il est.",
    "Une aire de jeux à l'ombre.", "Moins de voitures sur la place.",
    "Des places de parking pour les commerces.", "Un passage piéton devant l'école.",
    "Des fleurs et de l'herbe.", "Des arceaux pour les vélos.",
    "Plus de lumière le soir.", "Des poubelles de tri.",
)
DISTRICTS = ("Centre", "Les Tilleuls", "La Gare", "Le Moulin", "Centre-ville", "Les Tilleuls",
             "Quartier de la Gare", "Le Moulin, près du stade")
BATCHES: list[tuple[int, str]] = [  # (paper_dropoff index, the day its box was emptied)
    (3, "2027-01-09"), (3, "2027-01-16"), (2, "2027-01-22"), (3, "2027-01-23"),
    (0, "2027-01-29"), (3, "2027-01-30"), (1, "2027-02-05"), (3, "2027-02-06"),
    (3, "2027-02-13"), (2, "2027-02-19"), (3, "2027-02-20"), (0, "2027-02-26"),
    (1, "2027-02-26"), (3, "2027-02-27"),
]


@dataclass
class Person:
    """One answer before it is stored: what the person answered, how, and when."""

    channel: str
    values: dict[str, list[str]]
    spoiled: list[str] = field(default_factory=list)
    wrote_idea: bool = False
    consents: bool = False
    received_at: datetime | None = None
    batch: int | None = None
    receipt: str = ""


def closed_answers(draw: random.Random, paper: bool) -> tuple[dict[str, list[str]], list[str]]:
    """The closed questions of one answer (options weighted as a town might answer), and on
    paper the questions whose boxes could not be read."""
    values: dict[str, list[str]] = {}
    spoiled: list[str] = []
    weights = {
        "frequence": (("jour", 34), ("semaine", 41), ("mois", 15), ("rarement", 10)),
        "ombre": (("1", 4), ("2", 7), ("3", 15), ("4", 32), ("5", 42)),
        "stationnement": (("60", 24), ("40", 31), ("20", 20), ("0", 11), ("sans-avis", 14)),
        "jeux": (("fontaine", 44), ("ecole", 41), ("pas-de-jeux", 15)),
    }
    for question, options in weights.items():
        left_out = draw.random() < (0.09 if paper else 0.05)
        if question == "frequence" and not paper:
            left_out = False  # required online
        if paper and draw.random() < 0.03:
            spoiled.append(question)
        elif not left_out:
            values[question] = draw.choices([value for value, _ in options],
                                            [weight for _, weight in options])
    chosen = [value for value, share in (("marche", 0.7), ("promenade", 0.45),
                                         ("voiture", 0.3), ("passage", 0.5),
                                         ("enfants", 0.2)) if draw.random() < share]
    if paper and draw.random() < 0.02:
        spoiled.append("usages")
    elif chosen and draw.random() > 0.05:
        values["usages"] = chosen
    return values, spoiled


def person(draw: random.Random, channel: str, number: int) -> Person:
    """One answer's values; its idea is written later (``write_ideas``)."""
    paper = channel == "paper"
    values, spoiled = closed_answers(draw, paper)
    if draw.random() < 0.85:
        values["age"] = [str(min(95, max(12, round(draw.gauss(48, 18)))))]
    if draw.random() < 0.55:
        values["quartier"] = [draw.choice(DISTRICTS)]
    if draw.random() < (0.06 if paper else 0.2):
        values["courriel"] = [f"habitant.{number}@exemple.fr"]
    wrote = draw.random() < (0.18 if paper else 0.22)
    consents = draw.random() < (0.55 if wrote else 0.12)
    if consents:
        values["citation"] = ["yes"]
    if not paper or draw.random() < 0.96:
        values["accord"] = ["yes"]
    return Person(channel, values, spoiled, wrote, consents)


def write_ideas(draw: random.Random, people: list[Person]) -> dict[int, tuple[str, ...]]:
    """Each person's idea; the moderator's verdict planned for every consenting one (index →
    ("approved", theme) / ("redacted", "") / ("rejected", reason)), oldest first."""
    ideas = [index for index, one in enumerate(people) if one.wrote_idea]
    quoted = [index for index in ideas if people[index].consents]
    picked = draw.sample(quoted, len(APPROVED) + 1 + len(SET_ASIDE))
    plan: dict[int, tuple[str, ...]] = {}
    for index, (text, theme) in zip(picked, APPROVED, strict=False):
        people[index].values["idee"] = [text]
        plan[index] = ("approved", theme or "")
    people[picked[len(APPROVED)]].values["idee"] = [REDACTED_IDEA]
    plan[picked[len(APPROVED)]] = ("redacted", "")
    for index, (reason, text) in zip(picked[len(APPROVED) + 1:], SET_ASIDE, strict=True):
        people[index].values["idee"] = [text]
        plan[index] = ("rejected", reason)
    for index in ideas:
        if index not in plan:
            people[index].values["idee"] = [draw.choice(COMMON_IDEAS)]
            if people[index].consents:
                plan[index] = ("rejected", "duplicate")  # said already by an approved idea
    return plan


def online_times(draw: random.Random, count: int, opens: date, closes: date) -> list[datetime]:
    """When online answers arrived: many in the first days and the last ones, a rise after the
    public meeting (day 24), every day between, in Belval's daytime."""
    days = [opens + timedelta(days=offset) for offset in range((closes - opens).days + 1)]
    weights = [1 + 2 * (offset < 3) + 1.5 * (23 <= offset <= 26)
               + 2 * (offset >= len(days) - 3) + 0.3 * (day.weekday() >= 5)
               for offset, day in enumerate(days)]
    times = []
    for day in draw.choices(days, weights, k=count):
        local = datetime(day.year, day.month, day.day, draw.randint(7, 21), draw.randint(0, 59),
                         draw.randint(0, 59), tzinfo=PARIS)
        times.append(local.astimezone(UTC))
    return sorted(times)


def built_manifest(folder: Path) -> tuple[Manifest, str]:
    """The example built as it is while open; its form's manifest, and the manifest's text.
    Built from a copy without its results file, which may be the one being replaced (older
    than this parole's format)."""
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(REPO / "content", folder / "content",
                    ignore=shutil.ignore_patterns("parole-results"))
    site = folder / "site"
    subprocess.run([*PAROLE, "build", "--quiet"], cwd=folder, check=True,
                   env={**os.environ, "PAROLE_BUILD_DATE": OPEN_DAY})
    path = manifest_path(site, FORM_ID)
    return read_manifest(path), path.read_text(encoding="utf-8")


def store(storage: Storage, manifest: Manifest, people: list[Person]) -> None:
    """Every answer through the Storage API, checked as the collector and the entry screen
    check them; sets each person's receipt."""
    words = Catalogue.for_language(manifest.language)
    for number, one in enumerate(people):
        if one.channel == "paper":
            continue
        checked = check(manifest.form, one.values, words)
        assert checked.ok, checked.errors
        assert one.received_at is not None
        one.receipt = storage.store(NewAnswer(
            FORM_ID, manifest.version, checked.values, one.channel, one.received_at,
            expiry(manifest, one.received_at), fingerprint(manifest, checked.values),
            entered_by=MEDIATORS[number % 2] if one.channel == "assisted" else None,
        ), Duplicates()).answer.receipt
    for number, (place, day) in enumerate(BATCHES):
        sheets = [one for one in people if one.batch == number]
        collected = date.fromisoformat(day)
        typed = datetime(collected.year, collected.month, collected.day, 15,
                         tzinfo=PARIS).astimezone(UTC) + timedelta(days=2)
        mediator = MEDIATORS[number % 2]
        batch = storage.create_batch(NewBatch(FORM_ID, manifest.paper_dropoff[place], collected,
                                              len(sheets), mediator, typed))
        for sheet_number, one in enumerate(sheets):
            sheet = check_sheet(manifest.form, one.values, one.spoiled, words)
            assert sheet.ok, sheet.errors
            at = typed + timedelta(minutes=2 * sheet_number)
            one.receipt = storage.enter_sheet(SheetEntry(
                batch.id, mediator, sheet.values, sheet.marks, manifest.version, at,
                expiry(manifest, at), fingerprint(manifest, sheet.values)),
                double=False).sheet.receipt
        storage.close_batch(batch.id, mediator, typed + timedelta(hours=2))


def moderate(storage: Storage, people: list[Person], plan: dict[int, tuple[str, ...]]) -> None:
    """The moderator's verdicts, in March, on every consenting person's idea and district."""
    decided_at = datetime(2027, 3, 1, 8, tzinfo=UTC)
    for index, one in enumerate(people):
        if not one.consents:
            continue
        decisions: list[tuple[str, tuple[str, ...]]] = []
        if index in plan:
            decisions.append(("idee", plan[index]))
        if "quartier" in one.values:
            decisions.append(("quartier", ("rejected", "personal data")))
        for field_id, (outcome, detail) in decisions:
            text = one.values[field_id][0]
            decided_at += timedelta(minutes=3)
            hidden: tuple[Redaction, ...] = ()
            if outcome == "redacted":
                start = text.index(HIDDEN_WORDS)
                hidden = (Redaction(start, start + len(HIDDEN_WORDS), "personal data"),)
            storage.record_verdict(NewVerdict(
                FORM_ID, one.receipt, field_id,
                "rejected" if outcome == "rejected" else "approved", text_digest(text),
                MODERATOR, decided_at, reason=detail if outcome == "rejected" else "",
                redactions=hidden, theme=(detail or None) if outcome == "approved" else None),
                supersedes=None)  # the first verdict on that answer's question


def main() -> int:
    draw = random.Random(SEED)
    with tempfile.TemporaryDirectory(prefix="parole-example-results-") as name:
        folder = Path(name)
        manifest, text = built_manifest(folder)
        assert manifest.opens is not None and manifest.closes is not None
        people = [person(draw, "online", number) for number in range(ONLINE)]
        for one, at in zip(people, online_times(draw, ONLINE, manifest.opens, manifest.closes),
                           strict=True):
            one.received_at = at
        for number, at in enumerate(online_times(draw, ASSISTED, manifest.opens,
                                                 manifest.closes)):
            people.append(person(draw, "assisted", ONLINE + number))
            people[-1].received_at = at
        for batch, (place, _day) in enumerate(BATCHES):
            for _ in range(draw.randint(8, 14) + 6 * (place == 3)):
                people.append(person(draw, "paper", len(people)))
                people[-1].batch = batch
        plan = write_ideas(draw, people)
        url = f"sqlite:///{folder / 'answers.db'}"
        storage = open_storage(url)
        try:
            storage.register_form(FORM_ID, manifest.version, text)
            store(storage, manifest, people)
            moderate(storage, people, plan)
        finally:
            storage.close()
        epoch = str(int(COMPUTED_AT.timestamp()))
        code = subprocess.run(
            [*PAROLE, "results", "--db", url, "--docs", "content", "--form", FORM_ID],
            cwd=REPO, check=False,
            env={**os.environ, "PAROLE_BUILD_DATE": RESULTS_DAY, "SOURCE_DATE_EPOCH": epoch},
        ).returncode
    written = json.loads((REPO / "content" / "parole-results" / f"{FORM_ID}.json")
                         .read_text(encoding="utf-8"))
    if code == 0 and written["computed_at"] != COMPUTED_AT.strftime("%Y-%m-%dT%H:%M:%SZ"):
        print(f"Note: this parole results ignores SOURCE_DATE_EPOCH; the file says it was "
              f"computed at {written['computed_at']}, not on {RESULTS_DAY}.", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
