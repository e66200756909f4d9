"""Results files for the results page's tests, as ``parole results`` writes them (counts
already protected), and a consultation site holding one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from site_builder.results.file import (
    FreeTextResult,
    OptionResult,
    QuestionResult,
    Quote,
    ResultsFile,
    write_results,
)
from site_builder.results.protect import HIDDEN, SMALL, Count
from tests.support import write_site

OPENS = date(2027, 1, 4)
CLOSES = date(2027, 2, 28)
AFTER = "2027-03-10"
"""A build date after ``CLOSES``: the results are due."""
COMPUTED = datetime(2027, 3, 2, 9, 30, tzinfo=UTC)
REASONS = ("off-topic", "personal data", "insulting", "duplicate", "other")


def days(counts: list[Count]) -> dict[date, Count]:
    return {OPENS + timedelta(days=index): count for index, count in enumerate(counts)}


def empty(form_id: str = "avis") -> ResultsFile:
    """A form nobody answered (every count 0, so "moins de 5")."""
    return ResultsFile(
        form_id=form_id, title="Votre avis", computed_at=COMPUTED, min_count=5, answers=0,
        per_channel={"online": SMALL, "paper": SMALL, "assisted": SMALL},
        per_day=days([SMALL] * 3),
        questions=(QuestionResult(
            "frequence", "À quelle fréquence passez-vous sur la place ?", "choice",
            (OptionResult("jour", "Tous les jours", SMALL),
             OptionResult("semaine", "Chaque semaine", SMALL)), SMALL, SMALL, SMALL),),
        free_text=(FreeTextResult("idee", "Avez-vous une autre idée ?", 0, SMALL, SMALL, SMALL,
                                  dict.fromkeys(REASONS, SMALL), SMALL),),
        publish_consent="accord")


def protected() -> ResultsFile:
    """A small town's form: small counts everywhere, one count hidden beside each lone small
    one, an option older versions offered, paper marks, a several-answers question."""
    return ResultsFile(
        form_id="avis", title="Votre avis", computed_at=COMPUTED, min_count=5, answers=47,
        per_channel={"online": 31, "paper": HIDDEN, "assisted": SMALL},
        per_day=days([12, SMALL, 0, 20, HIDDEN]),
        questions=(
            QuestionResult("frequence", "À quelle fréquence passez-vous sur la place ?",
                           "choice",
                           (OptionResult("jour", "Tous les jours", 21),
                            OptionResult("semaine", "Chaque semaine", 12),
                            OptionResult("mois", "Chaque mois", SMALL),
                            OptionResult("rarement", None, HIDDEN)),
                           SMALL, SMALL, 5),
            QuestionResult("usages", "Que faites-vous sur la place ?", "choices",
                           (OptionResult("marche", "Je vais au marché du samedi", 30),
                            OptionResult("voiture", "Je gare ma voiture", 30),
                            OptionResult("jeux", "Mes enfants y jouent <souvent> & \"fort\"",
                                         SMALL)),
                           SMALL, SMALL, SMALL),
        ),
        free_text=(FreeTextResult("idee", "Avez-vous une autre idée ?", 40, 30, 10, 12,
                                  {"off-topic": 6, "personal data": SMALL, "insulting": 0,
                                   "duplicate": HIDDEN, "other": SMALL}, 5),),
        quotes=(Quote("idee", "Des bancs à l'ombre."),),
        publish_consent="accord")


def forty_options() -> ResultsFile:
    """A question with 40 options (a list of streets), most of them small; no paper."""
    counts: list[Count] = [120, 64, 33, 20, 9, 7, 6, 5]
    counts += [SMALL] * 32
    options = tuple(OptionResult(f"rue-{index}", f"Rue numéro {index + 1} du quartier",
                                 count) for index, count in enumerate(counts))
    return ResultsFile(
        form_id="rues", title="Votre rue", computed_at=COMPUTED, min_count=5, answers=380,
        per_channel={"online": 380, "paper": SMALL, "assisted": SMALL},
        per_day=days([100, 180, 100]),
        questions=(QuestionResult("rue", "Dans quelle rue habitez-vous ?", "select", options,
                                  HIDDEN, SMALL, SMALL),))


def quotes(*, themes: bool) -> ResultsFile:
    """Two free-text questions and their approved quotes, with themes (two of which share an
    anchor) or without; nothing protected (``min_count`` 1)."""
    texts = [
        Quote("idee", "Plus d'arbres,\net des bancs.\n\nEt de l'eau <pour les chiens>.",
              "Vélos et piétons"),
        Quote("quartier", "Les Tilleuls, près de [\u2026].", "Stationnement"),
        Quote("idee", "Un parking à vélos couvert.", "Vélos et piétons"),
        Quote("idee", "Moins de voitures le samedi.", "Stationnement"),
        Quote("idee", "Une fontaine qui marche.", "velos et pietons"),
        Quote("quartier", "La Gare."),
    ]
    if not themes:
        texts = [replace(quote, theme=None) for quote in texts]
    off_topic: dict[str, Count] = dict.fromkeys(REASONS, 0)
    off_topic["off-topic"] = 40
    free = (FreeTextResult("idee", "Avez-vous une autre idée ?", 120, 80, 40, 30,
                           {"off-topic": 10, "personal data": 3, "insulting": 0,
                            "duplicate": 6, "other": 2}, 19),
            FreeTextResult("quartier", "Dans quel quartier habitez-vous ?", 90, 60, 30, 20,
                           off_topic, 0))
    return ResultsFile(
        form_id="avis", title="Votre avis", computed_at=COMPUTED, min_count=1, answers=140,
        per_channel={"online": 100, "paper": 30, "assisted": 10},
        per_day=days([40, 60, 40]), free_text=free, quotes=tuple(texts),
        publish_consent="accord")


def ten_questions(form_id: str = "avis") -> ResultsFile:
    """A 10-question form as a real consultation's: eight closed questions of five options
    (long labels), two free-text questions with a dozen quotes, 56 days of answers, every
    channel. The page budget's worst realistic case."""
    five: list[Count] = [412, 377, 140, 61, SMALL]
    questions = tuple(
        QuestionResult(
            f"question-{number}",
            f"Question {number} : que pensez-vous de ce changement sur la place du Marché ?",
            "choices" if number % 3 == 0 else "choice",
            tuple(OptionResult(f"option-{index}",
                               f"Réponse {index} à la question {number}, en quelques mots",
                               count)
                  for index, count in enumerate(five, 1)),
            HIDDEN, 8, 6)
        for number in range(1, 9))
    per_day = days([(17 * index) % 90 + 5 for index in range(56)])
    free = tuple(FreeTextResult(f"libre-{number}", f"Question libre {number} : votre idée ?",
                                600, 400, 200, 60, {"off-topic": 40, "personal data": 12,
                                                     "insulting": 7, "duplicate": 30,
                                                     "other": SMALL}, 251)
                 for number in (9, 10))
    quoted = tuple(Quote(f"libre-{9 + index % 2}",
                         f"Une idée numéro {index} : des arbres, des bancs et de l'ombre pour "
                         "l'été, et moins de voitures le samedi matin.",
                         ("Nature en ville", "Stationnement", None)[index % 3])
                   for index in range(12))
    return ResultsFile(
        form_id=form_id, title="Votre avis", computed_at=COMPUTED, min_count=5, answers=1000,
        per_channel={"online": 690, "paper": 270, "assisted": 40}, per_day=per_day,
        questions=questions, free_text=free, quotes=quoted, publish_consent="accord")


RESULTS_PAGE = """---
type: results
form: {form}
---
# Ce que vous avez dit

Merci aux {answers} personnes qui ont répondu.
"""


def results_site(folder: Path, results: ResultsFile | None, *,
                 page: str | None = None, pages: dict[str, str] | None = None,
                 **config: Any) -> Path:
    """A consultation (opens ``OPENS``, closes ``CLOSES``) with a results page
    (``resultats.md``) and ``results`` written into its docs folder; returns its config.
    ``parole`` gives more plugin options; other keywords are mkdocs.yml settings."""
    text = page if page is not None else RESULTS_PAGE.format(
        form=results.form_id if results else "avis", answers=results.answers if results else 0)
    options = {"opens": OPENS.isoformat(), "closes": CLOSES.isoformat(),
               **config.pop("parole", {})}
    config_file = write_site(
        folder, {"index.md": "# Accueil\n\nLa consultation.\n", "resultats.md": text,
                 **(pages or {})},
        theme=config.pop("theme", {"name": "parole", "language": "fr"}),
        plugins=[{"parole": options}], **config)
    if results is not None:
        write_results(results, folder / "docs")
    return config_file
