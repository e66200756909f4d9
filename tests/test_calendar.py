"""The consultation's calendar: status on a given day, dates in words, options checked all at
once, and the banner and phases every built page shows."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort

from site_builder import calendar, calendar_options
from site_builder.calendar import Calendar, ClosedInfo, Phase, Status
from site_builder.errors import ConfigError
from site_builder.i18n import Catalogue
from site_builder.messages import speaking
from tests.pa11y_support import describe_failures, require_tools, run_pa11y_ci
from tests.support import REPO, assert_golden, build_site, serve_site, write_site

OPENS, CLOSES = date(2027, 1, 4), date(2027, 2, 28)
PHASES = (
    Phase("Information", date(2027, 1, 4), date(2027, 1, 17), "La ville présente le projet."),
    Phase("Contributions", date(2027, 1, 18), date(2027, 2, 28)),
    Phase("Analyse", date(2027, 3, 1), date(2027, 3, 31)),
)
BELVAL = Calendar(opens=OPENS, closes=CLOSES, phases=PHASES)
NBSP = "\u00a0"


# --- status on a given day ----------------------------------------------------------------------

@pytest.mark.parametrize(("today", "expected"), [
    (date(2027, 1, 3), Status("upcoming", OPENS, None)),
    (OPENS, Status("open", CLOSES, 0)),  # the opening day is open
    (date(2027, 1, 18), Status("open", CLOSES, 1)),
    (CLOSES, Status("open", CLOSES, 1)),  # the closing day is open until its end
    (date(2027, 3, 1), Status("closed", CLOSES, 2)),
    (date(2027, 6, 1), Status("closed", CLOSES, None)),
])
def test_status_on_every_kind_of_day(today: date, expected: Status) -> None:
    assert calendar.status(BELVAL, today) == expected


def test_once_closed_a_results_page_makes_the_status_results() -> None:
    published = BELVAL.with_results_url("resultats/")
    assert calendar.status(published, date(2027, 3, 1)) == Status(
        "results", CLOSES, 2, "resultats/")
    assert calendar.status(published, CLOSES).kind == "open"  # type: ignore[union-attr]


def test_a_calendar_without_dates_has_no_status() -> None:
    assert calendar.status(Calendar(phases=PHASES), OPENS) is None


@pytest.mark.parametrize(("today", "index"), [
    (date(2027, 1, 3), None), (date(2027, 1, 17), 0), (date(2027, 1, 18), 1),
    (date(2027, 3, 31), 2), (date(2027, 4, 1), None)])
def test_current_phase_includes_both_ends(today: date, index: int | None) -> None:
    assert calendar.current_phase(BELVAL, today) == index


@pytest.mark.parametrize(("own", "today", "closed"), [
    (None, CLOSES, False),
    (None, date(2027, 3, 1), True),
    (date(2027, 1, 31), date(2027, 1, 31), False),  # a form's own date wins, whole day included
    (date(2027, 1, 31), date(2027, 2, 1), True),
    (date(2027, 3, 15), date(2027, 3, 1), False),
])
def test_a_form_closes_after_its_closing_day(own: date | None, today: date, closed: bool) -> None:
    assert calendar.form_is_closed(own, BELVAL, today) is closed


def test_a_form_without_any_closing_date_never_closes() -> None:
    assert not calendar.form_is_closed(None, None, date(2099, 1, 1))
    assert not calendar.form_is_closed(None, Calendar(), date(2099, 1, 1))


def test_closed_info_says_since_when_and_where_the_results_are() -> None:
    published = BELVAL.with_results_url("resultats/")
    assert calendar.closed_info(None, published, CLOSES) is None
    assert calendar.closed_info(None, published, date(2027, 3, 1)) == ClosedInfo(
        CLOSES, "resultats/")
    assert calendar.closed_info(date(2027, 1, 31), BELVAL, date(2027, 2, 1)) == ClosedInfo(
        date(2027, 1, 31), None)


def test_deletion_date_is_closes_plus_retention() -> None:
    assert BELVAL.deletion_date == date(2028, 2, 28)
    assert Calendar(closes=CLOSES, retention_days=0).deletion_date == CLOSES
    assert Calendar().deletion_date is None


# --- build date ---------------------------------------------------------------------------------

def test_build_date_is_today_unless_overridden() -> None:
    assert calendar.build_date({}) == date.today()
    assert calendar.build_date({"PAROLE_BUILD_DATE": ""}) == date.today()
    assert calendar.build_date({"PAROLE_BUILD_DATE": "2027-03-01"}) == date(2027, 3, 1)


@pytest.mark.parametrize("value", ["1 mars 2027", "2027-3-1", "2027-02-30", "20270301"])
def test_a_malformed_build_date_says_the_variable_and_the_format(value: str) -> None:
    with pytest.raises(ConfigError) as error:
        calendar.build_date({"PAROLE_BUILD_DATE": value})
    text = str(error.value)
    assert f"[PAROLE_BUILD_DATE] the environment variable PAROLE_BUILD_DATE is {value!r}" in text
    assert "YYYY-MM-DD" in text


def test_a_malformed_build_date_is_said_in_french_for_a_french_site() -> None:
    with speaking("fr"), pytest.raises(ConfigError) as error:
        calendar.build_date({"PAROLE_BUILD_DATE": "20270301"})
    assert ("la variable d'environnement PAROLE_BUILD_DATE vaut « 20270301 », ce n'est pas une "
            "date écrite YYYY-MM-DD") in str(error.value)
    assert "Pour corriger : donnez-lui un jour comme `PAROLE_BUILD_DATE=2027-01-04`" in str(
        error.value)


# --- dates in words -----------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "day", "words"), [
    ("fr", date(2027, 1, 4), f"lundi 4{NBSP}janvier 2027"),
    ("fr", date(2027, 2, 28), f"dimanche 28{NBSP}février 2027"),
    ("fr", date(2027, 3, 1), f"lundi 1er{NBSP}mars 2027"),
    ("en", date(2027, 1, 4), f"Monday 4{NBSP}January 2027"),
    ("en", date(2027, 8, 1), f"Sunday 1{NBSP}August 2027"),
    ("ar", date(2027, 1, 4), f"الاثنين 4{NBSP}يناير 2027"),
    ("ar", date(2027, 12, 31), f"الجمعة 31{NBSP}ديسمبر 2027"),
])
def test_dates_are_written_in_the_page_language(language: str, day: date, words: str) -> None:
    assert calendar.format_date(day, Catalogue.for_language(language)) == words


def test_the_view_puts_dates_in_words_and_marks_the_current_phase() -> None:
    view = calendar.view(BELVAL, date(2027, 1, 20), Catalogue.for_language("fr"))
    assert view.status_date == f"dimanche 28{NBSP}février 2027"
    assert [phase.current for phase in view.phases] == [False, True, False]
    assert view.phases[0].dates == (f"Du lundi 4{NBSP}janvier 2027 au "
                                    f"dimanche 17{NBSP}janvier 2027")
    assert view.deletion_date == f"lundi 28{NBSP}février 2028"
    one_day = Calendar(phases=(Phase("Réunion", OPENS, OPENS),))
    assert calendar.view(one_day, OPENS, Catalogue.for_language("en")).phases[0].dates == (
        f"On Monday 4{NBSP}January 2027")


# --- reading the options ------------------------------------------------------------------------

RAW_PHASES: list[dict[str, Any]] = [
    {"name": "Information", "start": OPENS, "end": date(2027, 1, 17)},
    {"name": "Contributions", "start": date(2027, 1, 18), "end": CLOSES,
     "description": "Donnez votre avis."},
]


def test_valid_options_give_the_calendar() -> None:
    parsed = calendar_options.parse_calendar({
        "opens": OPENS, "closes": "2027-02-28", "phases": RAW_PHASES,
        "results_page": "resultats.md", "retention_days": 30, "paper_dropoff": ["Mairie "],
    })
    assert parsed == Calendar(
        opens=OPENS, closes=CLOSES,
        phases=(Phase("Information", OPENS, date(2027, 1, 17)),
                Phase("Contributions", date(2027, 1, 18), CLOSES, "Donnez votre avis.")),
        results_page="resultats.md", retention_days=30, paper_dropoff=("Mairie",))


def test_no_dates_at_all_is_a_valid_calendar() -> None:
    assert calendar_options.parse_calendar({}) == Calendar()


def test_a_date_in_words_names_the_option_and_the_format() -> None:
    with speaking("fr"), pytest.raises(ConfigError) as error:
        calendar_options.parse_calendar({"opens": "4 janvier", "closes": CLOSES})
    (problem,) = error.value.problems
    assert str(problem).startswith("mkdocs.yml: [plugins.parole.opens] opens vaut '4 janvier', "
                                   "qui n'est pas une date écrite AAAA-MM-JJ")
    assert "2027-01-04" in problem.fix
    with speaking("en"):
        (problem,) = calendar_options.read_calendar({"opens": "4 janvier", "closes": CLOSES})[1]
    assert problem.message == "opens is '4 janvier', not a date written YYYY-MM-DD"
    assert problem.fix.startswith("write the day alone as YYYY-MM-DD")


def test_every_calendar_problem_is_reported_at_once_with_its_field_path() -> None:
    options = {
        "opens": date(2027, 3, 1),
        "closes": CLOSES,  # before opens
        "phases": [
            {"name": "Information", "start": OPENS, "end": date(2027, 1, 17)},
            {"name": "Contributions", "start": date(2027, 1, 10), "end": CLOSES},  # overlaps
            {"name": "Analyse", "start": date(2027, 3, 31), "end": date(2027, 3, 1)},
            {"start": "mars", "end": date(2027, 4, 1), "descripton": "typo"},
            "Résultats",
        ],
        "retention_days": -1,
    }
    with speaking("fr"), pytest.raises(ConfigError) as error:
        calendar_options.parse_calendar(options, file="belval.yml")
    with speaking("fr"):
        text = str(error.value)
    fields = [problem.field for problem in error.value.problems]
    assert fields == [  # positions count from 1, as people count
        "plugins.parole.closes",
        "plugins.parole.phases[3].end",
        "plugins.parole.phases[4]",
        "plugins.parole.phases[4].name",
        "plugins.parole.phases[4].start",
        "plugins.parole.phases[5]",
        "plugins.parole.phases[2].start",
        "plugins.parole.retention_days",
    ]
    assert "parole a trouvé 8 problèmes de configuration à corriger" in text
    assert "closes (2027-02-28) est avant opens (2027-03-01)" in text
    assert ("la phase « Contributions » commence (2027-01-10) avant la fin de la phase "
            "« Information » (2027-01-17)") in text
    assert "la phase « Analyse » finit (2027-03-01) avant de commencer (2027-03-31)" in text
    assert "la phase 4 a des clés inconnues : descripton" in text
    assert "« start » de la phase 4 vaut 'mars'" in text
    assert "la phase 5 vaut 'Résultats', qui n'est pas une phase" in text
    assert all(problem.file == "belval.yml" for problem in error.value.problems)


def test_phases_out_of_order_are_an_error() -> None:
    phases = [RAW_PHASES[1], RAW_PHASES[0]]
    with pytest.raises(ConfigError) as error:
        calendar_options.parse_calendar({"phases": phases})
    (problem,) = error.value.problems
    assert problem.field == "plugins.parole.phases[2].start"
    assert "list the phases in the order they happen" in problem.fix


@pytest.mark.parametrize(("options", "field"), [
    ({"opens": OPENS}, "plugins.parole.closes"),
    ({"closes": CLOSES}, "plugins.parole.opens"),
    ({"opens": datetime(2027, 1, 4, 9, 0), "closes": CLOSES}, "plugins.parole.opens"),
    ({"phases": {"name": "x"}}, "plugins.parole.phases"),
    ({"phases": [{"name": "x", "start": OPENS}]}, "plugins.parole.phases[1].end"),
    ({"results_page": 3}, "plugins.parole.results_page"),
    ({"retention_days": True}, "plugins.parole.retention_days"),
    ({"paper_dropoff": [""]}, "plugins.parole.paper_dropoff"),
])
def test_each_wrong_option_is_named(options: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigError) as error:
        calendar_options.parse_calendar(options)
    assert [problem.field for problem in error.value.problems] == [field]


def test_load_reports_option_and_build_date_problems_together() -> None:
    calendar, _, problems = calendar_options.load(
        {"opens": "demain", "closes": CLOSES}, environ={"PAROLE_BUILD_DATE": "hier"})
    assert [problem.field for problem in problems] == [
        "plugins.parole.opens", "PAROLE_BUILD_DATE"]
    assert calendar == Calendar(closes=CLOSES)  # what is right is kept: the build goes on


@pytest.mark.parametrize(("value", "phases", "problem"), [
    (True, PHASES, None),
    (False, (), None),
    ("yes", PHASES, "calendar vaut 'yes' dans l'en-tête de la page"),
    (True, (), "cette page montre le calendrier, mais mkdocs.yml n'indique aucune phase"),
])
def test_front_matter_calendar_is_checked(
    value: object, phases: tuple[Phase, ...], problem: str | None
) -> None:
    with speaking("fr"):
        found = calendar_options.front_matter_problem(value, Calendar(phases=phases))
    assert (found.message if found else None) == problem


# --- built pages --------------------------------------------------------------------------------

PAGES = {
    "index.md": "# Accueil\n\nBienvenue.\n",
    "etapes.md": "---\ncalendar: true\n---\n# Les étapes\n\nVoici le calendrier.\n",
    "resultats.md": "# Les résultats\n\nMerci.\n",
}
OPTIONS: dict[str, Any] = {
    "opens": OPENS, "closes": CLOSES,
    "phases": [{"name": p.name, "start": p.start, "end": p.end,
                **({"description": p.description} if p.description else {})} for p in PHASES],
}
BANNER = re.compile(r'<p class="p-status.*?</p>', re.DOTALL)
CALENDAR = re.compile(r'<div class="p-calendar">.*?</div>', re.DOTALL)


def _build(
    folder: Path, monkeypatch: pytest.MonkeyPatch, day: str | None, *,
    language: str = "fr", pages: dict[str, str] = PAGES, **options: Any,
) -> Path:
    if day is None:
        monkeypatch.delenv("PAROLE_BUILD_DATE", raising=False)
    else:
        monkeypatch.setenv("PAROLE_BUILD_DATE", day)
    config = write_site(folder, pages, theme={"name": "parole", "language": language},
                        plugins=[{"parole": {**OPTIONS, **options}}])
    return build_site(config, folder / "site")


def _banner(site: Path, page: str = "index.html") -> str:
    found = BANNER.search((site / page).read_text(encoding="utf-8"))
    assert found, f"{page} has no status banner"
    return found.group(0)


@pytest.mark.parametrize(("day", "state", "options"), [
    ("2027-01-03", "upcoming", {}),
    ("2027-02-28", "open", {}),
    ("2027-03-01", "closed", {}),
    ("2027-03-01", "results", {"results_page": "resultats.md"}),
])
def test_banner_in_each_state_matches_its_golden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, *,
    day: str, state: str, options: dict[str, Any],
) -> None:
    site = _build(tmp_path, monkeypatch, day, **options)
    assert_golden(f"calendar-status-{state}.html", _banner(site) + "\n", request)
    assert f'class="p-status p-status--{state}"' in _banner(site, "resultats/index.html")


def test_the_build_date_override_changes_every_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _build(tmp_path / "a", monkeypatch, "2027-01-03")
    during = _build(tmp_path / "b", monkeypatch, "2027-01-04")
    assert "ouvrira le lundi 4\u00a0janvier 2027" in _banner(before)
    assert "ouverte jusqu\u2019au dimanche 28\u00a0février 2027 inclus" in _banner(during)
    for page in ("etapes/index.html", "plan-du-site/index.html", "404.html"):
        assert "ouverte jusqu\u2019au" in _banner(during, page), page


def test_the_banner_is_the_first_thing_in_main(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = (_build(tmp_path, monkeypatch, "2027-01-04") / "index.html").read_text("utf-8")
    assert '<main id="contenu" class="p-main p-wrap">\n<p class="p-status' in html
    assert 'role="status"' not in html and 'role="alert"' not in html


def test_a_site_without_dates_has_no_banner(tmp_path: Path) -> None:
    site = build_site(write_site(tmp_path, {"index.md": "# Accueil\n"}), tmp_path / "site")
    assert "p-status" not in (site / "index.html").read_text("utf-8").split("</style>")[1]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_banner_follows_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    site = _build(tmp_path, monkeypatch, "2027-02-01", language=language)
    strings = Catalogue.for_language(language)
    words = strings("calendar.open", date=calendar.format_date(CLOSES, strings))
    assert f">{words}</p>" in _banner(site)
    assert "28\u00a0" in words


def test_the_calendar_marks_the_current_phase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    site = _build(tmp_path, monkeypatch, "2027-01-20")
    html = (site / "etapes/index.html").read_text("utf-8")
    found = CALENDAR.search(html)
    assert found
    assert_golden("calendar-phases.html", found.group(0) + "\n", request)
    assert found.group(0).count('aria-current="step"') == 1
    assert ('<li aria-current="step">\n<h3><span class="p-calendar__now">Étape en cours\u00a0:'
            "</span> Contributions</h3>") in found.group(0)
    assert html.index("Voici le calendrier.") < found.start()  # after the page's text
    assert "p-calendar" not in (site / "index.html").read_text("utf-8").split("</style>")[1]


def test_between_phases_no_phase_is_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _build(tmp_path, monkeypatch, "2027-05-01")
    assert 'aria-current="step"' not in (site / "etapes/index.html").read_text("utf-8")


def test_every_configuration_problem_stops_the_build_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(Abort):
        _build(tmp_path, monkeypatch, "2027 01 04", opens="4 janvier",
               phases=[{"name": "A", "start": CLOSES, "end": OPENS}])
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "parole a trouvé 3 problèmes de configuration" in text
    lines = (tmp_path / "mkdocs.yml").read_text("utf-8").splitlines()
    opens = lines.index("    opens: 4 janvier") + 1
    end = lines.index("    - end: 2027-01-04") + 1  # keys sorted: end, name, start
    for where in (f"mkdocs.yml:{opens}: [plugins.parole.opens] opens vaut '4 janvier'",
                  f"mkdocs.yml:{end}: [plugins.parole.phases[1].end] la phase « A » finit",
                  "[PAROLE_BUILD_DATE]"):
        assert where in text


def test_a_missing_results_page_is_a_warning_naming_the_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(Abort):
        _build(tmp_path, monkeypatch, "2027-03-01", results_page="bilan.md")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("plugins.parole.results_page vaut « bilan.md » mais cette page n'existe pas"
               in w for w in warnings)  # the site is French


def test_a_calendar_page_without_phases_is_a_content_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(Abort):
        _build(tmp_path, monkeypatch, None, phases=None)
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "etapes.md:2: [calendar] cette page montre le calendrier" in text


@pytest.mark.pa11y
def test_banner_and_calendar_pass_pa11y(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The example shows only the "upcoming" banner; here are the link and the current phase."""
    require_tools(pa11y=True)
    site = _build(tmp_path, monkeypatch, "2027-03-10", results_page="resultats.md")
    with serve_site(site) as base_url:
        urls = [base_url, base_url + "etapes/"]
        reports = run_pa11y_ci(urls, tmp_path)
    assert not any(report.failed for report in reports.values()), describe_failures(
        list(reports.values()), str)


def test_the_example_home_page_shows_the_current_phase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAROLE_BUILD_DATE", "2027-01-20")
    site = build_site(REPO / "mkdocs.yml", tmp_path / "site")
    home = (site / "index.html").read_text(encoding="utf-8")
    current = re.findall(r'<li aria-current="step">\s*<h3>(.*?)</h3>', home, re.S)
    assert len(current) == 1 and "Contributions" in current[0]
