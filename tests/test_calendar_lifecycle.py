"""The consultation's lifecycle after it closes (issue #16, GOV.UK's): closed, with the day the
answer is due (``response_due``); results (what was heard is published); concluded (the
results page says what was decided). The status, the option, the banner, the closed forms and
the low-data edition."""

from __future__ import annotations

import importlib
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort
from mkdocs.structure.files import Files

from site_builder import calendar, calendar_options
from site_builder.calendar import Calendar, ClosedInfo, Status
from site_builder.config_lines import OptionPath
from site_builder.errors import ConfigError
from site_builder.i18n import Catalogue
from site_builder.low_data import EditionPage, render_low_data
from site_builder.messages import speaking
from site_builder.results.decisions import decisions_html
from site_builder.site import SiteInfo
from tests.pa11y_support import describe_failures, require_tools, run_pa11y_ci
from tests.support import assert_golden, build_site, serve_site, write_site
from tests.test_decisions import PAGE as DECISIONS_PAGE
from tests.test_decisions import _read

OPENS, CLOSES, DUE = date(2027, 1, 4), date(2027, 2, 28), date(2027, 4, 15)
AFTER = date(2027, 3, 1)
BELVAL = Calendar(opens=OPENS, closes=CLOSES, response_due=DUE)
FR = Catalogue.for_language("fr")
NBSP = "\u00a0"
DUE_WORDS = f"Réponse attendue avant le jeudi 15{NBSP}avril 2027."


# --- status on a given day ----------------------------------------------------------------------

def test_closed_then_results_then_concluded() -> None:
    published = BELVAL.with_results_url("resultats/")
    assert calendar.status(BELVAL, AFTER) == Status("closed", CLOSES)
    assert calendar.status(published, AFTER) == Status("results", CLOSES, None, "resultats/")
    assert calendar.status(published.with_decisions(3), AFTER) == Status(
        "concluded", CLOSES, None, "resultats/")
    assert calendar.status(published.with_decisions(0), AFTER).kind == "results"  # type: ignore[union-attr]


def test_decisions_change_nothing_before_the_end_nor_without_a_results_page() -> None:
    assert calendar.status(BELVAL.with_results_url("r/").with_decisions(2), CLOSES).kind == "open"  # type: ignore[union-attr]
    assert calendar.status(BELVAL.with_decisions(2), AFTER).kind == "closed"  # type: ignore[union-attr]


def test_the_closed_notice_says_the_day_due_until_something_is_decided() -> None:
    assert calendar.closed_info(None, BELVAL, AFTER) == ClosedInfo(CLOSES, None, DUE)
    published = BELVAL.with_results_url("resultats/")
    assert calendar.closed_info(None, published, AFTER) == ClosedInfo(
        CLOSES, "resultats/", DUE)
    assert calendar.closed_info(None, published.with_decisions(1), AFTER) == ClosedInfo(
        CLOSES, "resultats/", None, concluded=True)
    assert calendar.closed_info(None, BELVAL, CLOSES) is None
    assert calendar.closed_info(date(2027, 1, 31), None, AFTER) == ClosedInfo(date(2027, 1, 31))


@pytest.mark.parametrize(("consultation", "today", "words"), [
    (BELVAL, AFTER, f"jeudi 15{NBSP}avril 2027"),
    (BELVAL.with_results_url("r/"), AFTER, f"jeudi 15{NBSP}avril 2027"),
    (BELVAL.with_results_url("r/").with_decisions(1), AFTER, ""),  # the answer is given
    (BELVAL, CLOSES, ""),  # still open
    (Calendar(opens=OPENS, closes=CLOSES), AFTER, ""),
])
def test_the_view_says_the_day_due_only_while_closed_and_undecided(
    consultation: Calendar, today: date, words: str,
) -> None:
    assert calendar.view(consultation, today, FR).response_due == words


# --- the option ---------------------------------------------------------------------------------

@pytest.mark.parametrize("due", [DUE, "2027-04-15"])
def test_response_due_is_read_as_a_day(due: object) -> None:
    parsed = calendar_options.parse_calendar({"opens": OPENS, "closes": CLOSES,
                                              "response_due": due})
    assert parsed == BELVAL


LINES: dict[tuple[str | int, ...], int] = {("closes",): 7, ("response_due",): 9}


def _lines(path: OptionPath) -> int | None:
    return LINES.get(tuple(path))


@pytest.mark.parametrize(("options", "message", "fix"), [
    ({"opens": OPENS, "closes": CLOSES, "response_due": "15 avril"},
     "response_due vaut '15 avril', qui n'est pas une date écrite AAAA-MM-JJ",
     "écrivez le jour seul sous la forme AAAA-MM-JJ"),
    ({"response_due": DUE},
     "response_due est indiqué, mais pas closes",
     "indiquez aussi closes (le dernier jour des réponses), ou retirez response_due"),
    ({"opens": OPENS, "closes": CLOSES, "response_due": CLOSES},
     "response_due (2027-02-28) n'est pas après closes (2027-02-28)",
     "donnez le jour où vous publierez ce qui a été décidé, après le 2027-02-28"),
    ({"opens": OPENS, "closes": CLOSES, "response_due": date(2027, 2, 1)},
     "response_due (2027-02-01) n'est pas après closes (2027-02-28)", "après le 2027-02-28"),
])
def test_a_wrong_response_due_is_named_with_its_line_and_a_fix(
    options: dict[str, Any], message: str, fix: str,
) -> None:
    with speaking("fr"):
        _, problems = calendar_options.read_calendar(options, file="site.yml", line_of=_lines)
    (problem,) = problems
    assert (problem.file, problem.line, problem.field) == (
        "site.yml", 9, "plugins.parole.response_due")
    assert problem.message == message
    assert problem.fix.startswith(fix) or fix in problem.fix


def test_a_wrong_response_due_is_said_in_english_too() -> None:
    with speaking("en"), pytest.raises(ConfigError) as error:
        calendar_options.parse_calendar({"opens": OPENS, "closes": CLOSES,
                                         "response_due": CLOSES})
    (problem,) = error.value.problems
    assert problem.message == "response_due (2027-02-28) is not after closes (2027-02-28)"
    assert problem.fix.startswith("give the day by which you will publish what was decided")


# --- built pages --------------------------------------------------------------------------------

FORM = """\
# Votre avis

```form
id: avis
title: Donnez votre avis
fields:
  - id: frequence
    type: choice
    label: À quelle fréquence passez-vous sur la place ?
    options: [Tous les jours, Plus rarement]
```
"""
PAGES = {
    "index.md": "# Accueil\n\nBienvenue.\n",
    "avis.md": FORM,
    "resultats.md": "# Les résultats\n\nMerci.\n",
}
ADAPTER = importlib.import_module("site_builder.plugins.parole.results").ResultsAdapter
"""The results adapter the built plugin uses: plugins/parole/results.py as the wheel names it
(``plugins.parole.results`` would be a second module object, which MkDocs never calls)."""
BANNER = re.compile(r'<p class="p-status.*?</p>', re.DOTALL)
NOTICE = re.compile(r'<div class="p-form-closed">.*?</div>', re.DOTALL)


def _build(folder: Path, monkeypatch: pytest.MonkeyPatch, *, decisions: int = 0,
           pages: dict[str, str] = PAGES, **options: Any) -> Path:
    """The site on 1 March 2027, the day after it closed; ``decisions``: as many as the
    results page would state (the results adapter reads them: here it says so directly)."""
    monkeypatch.setenv("PAROLE_BUILD_DATE", AFTER.isoformat())
    if decisions:
        def on_files(self: object, files: Files, consultation: Calendar) -> Calendar:
            return consultation.with_decisions(decisions)
        monkeypatch.setattr(ADAPTER, "on_files", on_files)
    config = write_site(folder, pages, theme={"name": "parole", "language": "fr"},
                        plugins=[{"parole": {"opens": OPENS, "closes": CLOSES, **options}}])
    return build_site(config, folder / "site")


def _found(pattern: re.Pattern[str], site: Path, page: str) -> str:
    found = pattern.search((site / page).read_text(encoding="utf-8"))
    assert found, f"{page}: nothing matches {pattern.pattern}"
    return found.group(0)


def test_closed_with_a_day_due_matches_its_golden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    site = _build(tmp_path, monkeypatch, response_due=DUE)
    banner = _found(BANNER, site, "index.html")
    assert_golden("calendar-status-closed-response-due.html", banner + "\n", request)
    notice = _found(NOTICE, site, "avis/index.html")
    assert f"<p>{DUE_WORDS}</p>" in notice and "résultats" not in notice


def test_with_results_the_banner_and_the_form_still_say_the_day_due(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _build(tmp_path, monkeypatch, response_due=DUE, results_page="resultats.md")
    banner = _found(BANNER, site, "avis/index.html")
    assert banner == (
        '<p class="p-status p-status--results">La consultation s\u2019est terminée le dimanche '
        f"28{NBSP}février 2027. {DUE_WORDS} Ce que nous avons entendu est publié{NBSP}: "
        '<a href="../resultats/">Lire les résultats</a></p>')
    notice = _found(NOTICE, site, "avis/index.html")
    assert f"<p>{DUE_WORDS}</p>" in notice
    assert '<a href="../resultats/">Lire les résultats de la consultation</a>' in notice


def test_concluded_matches_its_golden_and_the_forms_link_the_decisions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    site = _build(tmp_path, monkeypatch, decisions=3, response_due=DUE,
                  results_page="resultats.md")
    banner = _found(BANNER, site, "index.html")
    assert_golden("calendar-status-concluded.html", banner + "\n", request)
    assert "attendue" not in banner  # the answer is given
    assert 'href="../resultats/"' in _found(BANNER, site, "avis/index.html")
    notice = _found(NOTICE, site, "avis/index.html")
    assert ('<a href="../resultats/">Découvrir ce que nous avons entendu et ce qui a été '
            "décidé</a>") in notice
    assert "attendue" not in notice


def test_the_results_adapter_is_what_concludes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without decisions from the results page, the same site stays at "results"."""
    site = _build(tmp_path, monkeypatch, results_page="resultats.md")
    assert 'class="p-status p-status--results"' in _found(BANNER, site, "index.html")


def test_a_wrong_response_due_stops_the_build_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(Abort):
        _build(tmp_path, monkeypatch, response_due="2027-02-10")
    text = "\n".join(record.getMessage() for record in caplog.records)
    lines = (tmp_path / "mkdocs.yml").read_text("utf-8").splitlines()
    number = lines.index("    response_due: '2027-02-10'") + 1
    assert (f"mkdocs.yml:{number}: [plugins.parole.response_due] response_due (2027-02-10) "
            "n'est pas après closes (2027-02-28)") in text


# --- the low-data edition -----------------------------------------------------------------------

SITE = SiteInfo(title="Belval", organizer_name="Ville de Belval", organizer_email=None,
                organizer_phone=None, organizer_address=None, language="fr", direction="ltr",
                footer_links=(), site_map_url=None)
RESULTS = EditionPage("resultats.md", "resultats/", "Résultats", "<p>Merci.</p>")
HOME = EditionPage("index.md", "", "Accueil", "<p>Bienvenue.</p>")


def _edition(consultation: Calendar) -> str:
    html = render_low_data([HOME, RESULTS], catalogue=FR, site=SITE,
                           consultation=calendar.view(consultation, AFTER, FR), today=AFTER)
    found = re.search(r'<p class="ld-status">.*?</p>', html, re.DOTALL)
    assert found
    return found.group(0)


def test_the_low_data_edition_says_the_day_due_and_then_what_was_decided() -> None:
    assert _edition(BELVAL) == (
        f'<p class="ld-status">La consultation s\u2019est terminée le dimanche 28{NBSP}février '
        f"2027. {DUE_WORDS}</p>")
    published = BELVAL.with_results_url("resultats/")
    assert DUE_WORDS in _edition(published)
    assert '<a href="#page-resultats">Lire les résultats</a>' in _edition(published)
    assert _edition(published.with_decisions(2)) == (
        f'<p class="ld-status">La consultation s\u2019est terminée le dimanche 28{NBSP}février '
        f'2027{NBSP}: <a href="#page-resultats">découvrez ce que nous avons entendu et ce qui '
        "a été décidé</a>.</p>")


# --- accessibility ------------------------------------------------------------------------------

@pytest.mark.pa11y
def test_a_concluded_site_passes_pa11y(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The concluded banner, a closed form's notice linking to the decisions, and the "Ce qui a
    été décidé" section itself (written into the results page as the results page appends it)."""
    require_tools(pa11y=True)
    decided = decisions_html(_read(DECISIONS_PAGE, tmp_path)[0], catalogue=FR, results=None)
    pages = {**PAGES, "resultats.md": f"# Les résultats\n\nMerci.\n\n{decided}\n"}
    site = _build(tmp_path / "site", monkeypatch, decisions=4, pages=pages,
                  results_page="resultats.md")
    assert 'p-status--concluded' in _found(BANNER, site, "index.html")
    assert "Ce qui a été décidé" in (site / "resultats/index.html").read_text("utf-8")
    with serve_site(site) as base_url:
        urls = [base_url, base_url + "avis/", base_url + "resultats/"]
        reports = run_pa11y_ci(urls, tmp_path)
    assert not any(report.failed for report in reports.values()), describe_failures(
        list(reports.values()), str)
