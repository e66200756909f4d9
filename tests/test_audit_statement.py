"""The accessibility statement written from an audit (``site_builder.audit.statement``): the RGAA
model in French, the EU model in English, a status that never claims more than was verified,
the organizer's contact as links, and review text that cannot inject markup."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import markdown
import pytest

from site_builder.audit.model import AuditedPage, AuditRun, Environment, Finding, PageResult
from site_builder.audit.report_json import AUDIT_JSON
from site_builder.audit.report_read import read_audit_json
from site_builder.audit.review import Review, ReviewedCriterion, ReviewItem, read_review
from site_builder.audit.statement import statement_markdown
from site_builder.audit.statement_text import Words, _catalogue, email_link, escape, phone_link
from site_builder.audit.verdicts import Assessment, assess
from tests.audit_statement_support import assessment_with
from tests.support import REPO, assert_golden, build_site, write_site

ENVIRONMENT = Environment(parole="0.17.0", browser="Chromium 156.0.8078.73",
                          axe_core="4.12.1", playwright="1.55.0",
                          platform="Linux-6.1.0-x86_64-with-glibc2.36")
HOME = AuditedPage("/", "page", "La consultation en bref")
FAQ = AuditedPage("/faq/", "page", "Questions fréquentes")
PAPER = AuditedPage("/papier/avis-place/", "paper", "Donner mon avis (version papier)")
RECEIPT = AuditedPage("/collect/avis-place/recu.html", "collector",
                      "Collecteur : accusé de réception (avis-place)")
ORGANIZER = {"name": "Ville de Belval", "email": "participation@belval.example",
             "phone": "01 84 60 12 34",
             "address": "Hôtel de ville\n1 place de la Mairie\n00000 Belval"}


def audit_run(language: str = "fr", *, scripts: bool = False, **changes: object) -> AuditRun:
    """A run over four pages: missing alternative text on the home page and the FAQ, a
    contrast failure in dark mode on the FAQ, a warning (never a non-compliance)."""
    image = Finding("axe:image-alt", "default", "main img", '<img src="plan.png">',
                    "Images must have alternative text", "critical")
    contrast = Finding("axe:color-contrast", "dark", "blockquote p", "<p>Citation</p>",
                       "Element has insufficient color contrast", "serious")
    target = Finding("parole:target-size", "default", "nav a", '<a href="/">Accueil</a>',
                     "Target smaller than 44 px")
    results = (
        PageResult(HOME, (image, target), present=frozenset({"1.1", "7.1"} if scripts
                                                           else {"1.1"})),
        PageResult(FAQ, (image, contrast)),
        PageResult(PAPER),
        PageResult(RECEIPT),
    )
    values: dict[str, object] = {
        "date": "2026-12-05", "site_title": "Place du Marché — Belval", "language": language,
        "environment": ENVIRONMENT, "results": results, "organizer": dict(ORGANIZER),
        "base_url": ""}
    values.update(changes)
    return AuditRun(**values)  # type: ignore[arg-type]


REVIEW = Review(
    auditor="Association Exemple, Camille Martin", date="2026-12-07",
    criteria=(ReviewedCriterion("4.1", "not_applicable", (), "Aucune vidéo ni aucun son."),
              ReviewedCriterion("11.1", "not_compliant", ("/papier/avis-place/",),
                                "Le champ « Quartier » du questionnaire papier n'a pas "
                                "d'étiquette.")),
    derogations=(ReviewItem("Le plan de la place en PDF", "Le refaire coûterait trop cher "
                            "cette année ; une description en texte est donnée."),),
    exemptions=(ReviewItem("Les vidéos du conseil municipal d'avant 2020",
                           "Contenus archivés, publiés avant le 23 septembre 2020."),),
    source="accessibility-review.yml")


def partial_assessment(review: Review | None = REVIEW) -> Assessment:
    """The golden's assessment: 1.1, 3.2 and 11.1 fail; 4.1 not applicable; 60 to check."""
    return assessment_with(
        compliant=40, not_applicable=3, to_check=60,
        failing={"1.1": ("/", "/faq/"), "3.2": ("/faq/",), "11.1": ("/papier/avis-place/",)},
        notes={"11.1": REVIEW.criteria[1].note}, review=review)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_golden_statement(language: str, request: pytest.FixtureRequest) -> None:
    text = statement_markdown(audit_run(language), partial_assessment(),
                              report_link="audit/index.html")
    assert_golden(f"audit/statement-{language}.md", text, request)
    assert text == statement_markdown(audit_run(language), partial_assessment(),
                                      report_link="audit/index.html")


def test_a_language_without_its_own_model_gets_english() -> None:
    text = statement_markdown(audit_run("ar"), partial_assessment(), report_link=None)
    assert text.startswith("# Accessibility statement\n")


STATUS_SENTENCES = {
    "fr": {"total": "Le site « Place du Marché — Belval » est **totalement conforme** au RGAA, "
                    "version 4.1.",
           "partial": "Le site « Place du Marché — Belval » est **partiellement conforme** au "
                      "RGAA, version 4.1.",
           "none": "Le site « Place du Marché — Belval » est **non conforme** au RGAA, "
                   "version 4.1."},
    "en": {"total": "This website is **fully compliant** with WCAG 2.1 level AA, as measured "
                    "by RGAA 4.1.",
           "partial": "This website is **partially compliant** with WCAG 2.1 level AA, as "
                      "measured by RGAA 4.1.",
           "none": "This website is **not compliant** with WCAG 2.1 level AA, as measured by "
                   "RGAA 4.1."},
}
"""The exact sentence of each status: a French public body's statement must use these words."""

def _failing(count: int) -> dict[str, tuple[str, ...]]:
    """``count`` failing criteria, taken from topics 10, 11 and 12 (14 + 13 + 11 of them)."""
    numbers = [f"10.{n}" for n in range(1, 15)] + [f"11.{n}" for n in range(1, 14)] + \
        [f"12.{n}" for n in range(1, 12)]
    return dict.fromkeys(numbers[:count], ("/faq/",))


CASES = {
    "full": ({"compliant": 50, "not_applicable": 56}, "total", "100"),
    "eighty": ({"compliant": 40, "not_applicable": 56, "failing": _failing(10)}, "partial", "80"),
    "forty": ({"compliant": 20, "not_applicable": 56, "failing": _failing(30)}, "none", "40"),
}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_status_follows_the_rate_of_a_complete_audit(language: str, case: str) -> None:
    counts, status, rate = CASES[case]
    assessment = assessment_with(review=REVIEW, **counts)  # type: ignore[arg-type]
    assert assessment.complete
    text = statement_markdown(audit_run(language), assessment, report_link=None)
    assert STATUS_SENTENCES[language][status] in text
    others = set(STATUS_SENTENCES[language].values()) - {STATUS_SENTENCES[language][status]}
    assert not any(sentence in text for sentence in others)
    percent = f"{rate}\u00a0%" if language == "fr" else f"{rate}%"
    assert percent in text
    if status == "none":
        assert ("Moins de la moitié" if language == "fr" else "Fewer than half") in text


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_incomplete_audit_declares_no_compliance_and_says_what_remains(language: str) -> None:
    assessment = assessment_with(compliant=100, to_check=6, review=REVIEW)
    text = statement_markdown(audit_run(language), assessment, report_link=None)
    assert STATUS_SENTENCES[language]["none"] in text
    if language == "fr":
        assert ("L'audit n'est pas fini : 6 critères sur 106 restent à vérifier par une "
                "personne.\nLe site n'est donc pas encore déclaré conforme.") in text
        assert "Le taux de conformité ne peut pas encore être calculé." in text
        assert "totalement conforme**" not in text and "partiellement" not in text
    else:
        assert ("The audit is not finished. A person still has to check 6 criteria out of "
                "106.\nSo we do not declare any compliance yet.") in text
        assert "The compliance rate cannot be worked out yet." in text
    one = assessment_with(compliant=105, to_check=1, review=REVIEW)
    assert ("1 critère sur 106" if language == "fr" else "1 criterion out of 106") in \
        statement_markdown(audit_run(language), one, report_link=None)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_automated_tests_alone_never_make_a_site_compliant(language: str) -> None:
    """Even if every criterion had an automatic result and all passed, no person checked."""
    assessment = assessment_with(compliant=50, not_applicable=56, review=None)
    assert assessment.conformity == "total"
    text = statement_markdown(audit_run(language), assessment, report_link=None)
    assert STATUS_SENTENCES[language]["none"] in text
    assert "totalement conforme**" not in text and "fully compliant**" not in text
    assert "100" not in text.split("## ", 3)[2]  # no rate in the status or the results
    incomplete = statement_markdown(audit_run(language), partial_assessment(review=None),
                                    report_link=None)
    assert STATUS_SENTENCES[language]["none"] in incomplete
    assert ("auto-évaluation, par des outils automatiques seulement" if language == "fr"
            else "self-assessment, by automated tools only") in incomplete


def test_non_compliant_criteria_are_said_in_plain_words_grouped_with_their_pages() -> None:
    text = statement_markdown(audit_run("fr"), partial_assessment(), report_link=None)
    section = text.split("## Contenus non accessibles", 1)[1].split("\n## ", 1)[0]
    assert section.index("#### Images") < section.index("#### Couleurs") < \
        section.index("#### Formulaires")
    assert ("- Critère 1.1 : Une image n\u2019a pas de texte de remplacement (alt). "
            "Pages concernées : La consultation en bref ; Questions fréquentes.") in section
    assert ("- Critère 3.2 : Le contraste entre le texte et son fond est trop faible "
            "(4,5:1 au moins, 3:1 pour le grand texte). Pages concernées : Questions "
            "fréquentes.") in section
    assert ("- Critère 11.1 : Le champ « Quartier » du questionnaire papier n'a pas "
            "d'étiquette. Pages concernées : Donner mon avis (version papier).") in section
    assert "44" not in section  # parole:target-size is a warning: a lead, not a non-compliance


def test_many_pages_are_named_up_to_five() -> None:
    paths = tuple(f"/page-{n}/" for n in range(8))
    assessment = assessment_with(compliant=40, to_check=65, failing={"1.1": paths},
                                 review=REVIEW)
    text = statement_markdown(audit_run("en"), assessment, report_link=None)
    assert "/page-4/ and 3 other pages." in text
    assert "/page-5/" not in text.split("## Non-accessible content")[1].split("\n## ")[0]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_derogations_and_exemptions_from_the_review_are_listed(language: str) -> None:
    text = statement_markdown(audit_run(language), partial_assessment(), report_link=None)
    derogation = ("Le plan de la place en PDF" + (" : " if language == "fr" else ": ")
                  + "Le refaire coûterait trop cher cette année ; une description en texte est "
                  "donnée")
    assert f"- {derogation}." in text
    assert "- Les vidéos du conseil municipal d'avant 2020" in text
    heading = "### Dérogations pour charge disproportionnée" if language == "fr" else \
        "### Disproportionate burden"
    assert text.index(heading) < text.index(derogation)
    none = statement_markdown(audit_run(language), partial_assessment(review=None),
                              report_link=None)
    assert ("Aucune dérogation n'est demandée." if language == "fr"
            else "We do not claim any disproportionate burden.") in none


def test_the_contact_is_linked_mail_phone_and_post() -> None:
    text = statement_markdown(audit_run("fr"), partial_assessment(), report_link=None)
    assert ("Contactez-nous :\n\n"
            "- par courriel : [participation@belval.example]"
            "(mailto:participation@belval.example) ;\n"
            "- par téléphone : [01 84 60 12 34](tel:+33184601234) ;\n"
            "- par courrier : Ville de Belval, Hôtel de ville, 1 place de la Mairie, "
            "00000 Belval.") in text


@pytest.mark.parametrize(("written", "expected"), [
    ("01 84 60 12 34", "[01 84 60 12 34](tel:+33184601234)"),
    ("01.84.60.12.34", "[01\\.84.60.12.34](tel:+33184601234)"),
    ("+33 (0)1 84 60 12 34", "[\\+33 (0)1 84 60 12 34](tel:+33184601234)"),
    ("0033 1 84 60 12 34", "[0033 1 84 60 12 34](tel:+33184601234)"),
    ("+44 20 7946 0000", "[\\+44 20 7946 0000](tel:+442079460000)"),
    ("3939", "3939"),
    ("ask the [desk](javascript:x)", "ask the \\[desk\\](javascript:x)"),
])
def test_phone_numbers_are_linked_in_e164_when_known(written: str, expected: str) -> None:
    assert phone_link(written) == expected


def test_an_email_that_is_not_one_address_is_plain_text() -> None:
    assert email_link("a@b.example") == "[a@b.example](mailto:a@b.example)"
    assert email_link("x@y.example](javascript:alert(1)") == \
        "x@y.example\\](javascript:alert(1)"


def test_a_site_with_scripts_says_javascript() -> None:
    without = statement_markdown(audit_run("fr"), partial_assessment(), report_link=None)
    with_scripts = statement_markdown(audit_run("fr", scripts=True), partial_assessment(),
                                      report_link=None)
    assert ("- HTML : le texte des pages et leur structure ;\n"
            "- CSS : la mise en page et les couleurs.\n") in without
    assert "JavaScript" not in without
    assert "- CSS : la mise en page et les couleurs ;\n- JavaScript : " in with_scripts


def test_the_report_link_and_the_public_address() -> None:
    text = statement_markdown(audit_run("fr", base_url="https://belval.example/place/"),
                              partial_assessment(), report_link="audit/rapport (1).html")
    assert "[rapport complet de l'audit](audit/rapport%20%281%29.html)" in text
    assert "- Questions fréquentes : https://belval.example/place/faq/ ;" in text
    assert "s'applique au site « Place du Marché — Belval », à l'adresse " \
        "https://belval.example/place/." in text
    assert "rapport complet" not in statement_markdown(audit_run("fr"), partial_assessment(),
                                                       report_link=None)


HOSTILE = ["<script>alert(1)</script>", "[clic](javascript:alert(1))",
           "# Titre injecté", "x\n# Titre sur une ligne", "![img](http://evil.example/a.png)",
           "*gras* _it_ `code` {: onclick=x}", "1. liste", "- puce", "> citation",
           "<http://evil.example>", "a | b", "&lt;b&gt; déjà échappé", "\\[x]"]


def test_hostile_review_text_is_neutralised() -> None:
    review = Review(
        auditor=HOSTILE[0], date="2026-12-07",
        criteria=tuple(ReviewedCriterion(f"10.{n}", "not_compliant", ("/",), text)
                       for n, text in enumerate(HOSTILE, 1)),
        derogations=tuple(ReviewItem(text, text) for text in HOSTILE),
        exemptions=(ReviewItem("# x", "](javascript:alert(1))"),), source="r.yml")
    failing = {f"10.{n}": ("/",) for n in range(1, len(HOSTILE) + 1)}
    notes = {f"10.{n}": text for n, text in enumerate(HOSTILE, 1)}
    run = audit_run("fr", site_title="<b>Place</b> [x](javascript:y)",
                    organizer={"name": "# Ville", "email": "<a@b>", "phone": "[1](x:y)",
                               "address": "<img src=x onerror=alert(1)>"},
                    results=(PageResult(AuditedPage("/", "page", "<i>Accueil</i> # 1")),))
    text = statement_markdown(run, assessment_with(compliant=40, to_check=53, failing=failing,
                                                   notes=notes, review=review),
                              report_link=None)
    html = markdown.markdown(text, extensions=["toc", "tables", "attr_list"])
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "<i>" not in html and "<blockquote" not in html and "<code" not in html
    assert "<em>" not in html and "<table" not in html and "onclick" not in html.replace(
        "{: onclick=x}", "")
    assert not re.search(r'href="(?!mailto:|tel:|https://formulaire\.defenseurdesdroits\.fr/)',
                         html)
    assert html.count("<h1") == 1 and "Titre" not in "".join(re.findall(r"<h\d.*?</h\d>", html))
    for text_shown in ["&lt;script&gt;alert(1)&lt;/script&gt;", "[clic](javascript:alert(1))",
                       "# Titre injecté", "a | b", "&amp;lt;b&amp;gt; déjà échappé"]:
        assert text_shown in html


def test_escape_keeps_plain_text_readable() -> None:
    plain = "Jean-Pierre, l'accueil : 9 h \u2013 12 h, « ici » ; 50 % ?"
    assert escape(plain) == plain
    assert escape("  deux\n  lignes ") == "deux lignes"
    assert escape("2026. Une année") == "2026\\. Une année"


@pytest.mark.parametrize(("rate", "french", "english"), [
    (Fraction(1), "100\u00a0%", "100%"), (Fraction(4, 5), "80\u00a0%", "80%"),
    (Fraction(9999, 20000), "49,9\u00a0%", "49.9%"), (Fraction(14, 17), "82,3\u00a0%", "82.3%")])
def test_the_rate_is_rounded_down(rate: Fraction, french: str, english: str) -> None:
    assert Words("fr").percent(rate) == french
    assert Words("en").percent(rate) == english


def test_both_catalogues_say_the_same_things() -> None:
    assert set(_catalogue("fr")) == set(_catalogue("en"))


def test_parole_builds_the_statement_strictly_hostile_text_included(tmp_path: Path) -> None:
    """The statement is a page of the site: parole's strict build takes it as written, and
    what a review file says shows as text, never as markup."""
    hostile = Review(auditor="Camille", date="2026-12-07", criteria=(),
                     derogations=(ReviewItem("<script>alert(1)</script>",
                                             "[lien](javascript:alert(1))"),),
                     exemptions=(), source="r.yml")
    text = statement_markdown(audit_run("fr"), assessment_with(
        compliant=40, to_check=63, failing={"1.1": ("/",), "3.2": ("/faq/",),
                                            "11.1": ("/papier/avis-place/",)},
        notes={"11.1": "# Titre <b>gras</b>"}, review=hostile), report_link="audit/")
    config = write_site(tmp_path, {"index.md": "# Accueil\n", "accessibilite.md": text},
                        theme={"name": "parole", "language": "fr"})
    page = (build_site(config, tmp_path / "site") / "accessibilite" / "index.html").read_text(
        encoding="utf-8")
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<script" not in main and "<b>" not in main and 'href="javascript' not in main
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in main
    assert "# Titre &lt;b&gt;gras&lt;/b&gt;" in main
    assert 'href="mailto:participation@belval.example"' in main
    assert 'href="tel:+33184601234"' in main
    assert re.findall(r"<h(\d)", main)[:4] == ["1", "2", "2", "2"]


def test_the_example_statement_is_generated_from_its_committed_audit_and_review() -> None:
    """content/accessibilite.md is what ``parole audit --review accessibility-review.yml
    --statement`` wrote: regenerated from the published audit.json and the committed review
    file, it is the same, byte for byte (anyone can check the statement this way)."""
    run, recorded = read_audit_json(REPO / "content" / "audit" / AUDIT_JSON)
    review = read_review(REPO / "accessibility-review.yml")
    assert recorded is not None
    assert (recorded.auditor, recorded.date, recorded.criteria, recorded.derogations,
            recorded.exemptions) == (review.auditor, review.date, review.criteria,
                                     review.derogations, review.exemptions)
    text = statement_markdown(run, assess(run, review), report_link="audit/index.html")
    committed = (REPO / "content" / "accessibilite.md").read_bytes()
    assert text.encode("utf-8") == committed
    assert STATUS_SENTENCES["fr"]["none"].replace("Place du Marché — Belval",
                                                  run.site_title) in text


def test_pages_that_could_not_be_checked_are_said_and_titles_lose_the_shared_part() -> None:
    pages = (PageResult(AuditedPage("/", "page", "Accueil — Place du Marché")),
             PageResult(AuditedPage("/faq/", "page", "FAQ — Place du Marché")),
             PageResult(AuditedPage("/leger.html", "low_data", "Version légère — Place du Marché"),
                        failure="timed out"))
    text = statement_markdown(audit_run("fr", results=pages), partial_assessment(),
                              report_link=None)
    assert ("Cette page n'a pas pu être contrôlée : Version légère. Elle compte comme une "
            "erreur.") in text
    assert "- Accueil : / ;\n- FAQ : /faq/ ;\n- Version légère : /leger.html.\n" in text
    paper = PageResult(AuditedPage("/papier/", "paper", "Papier — Place du Marché"),
                       failure="did not load")
    english = statement_markdown(audit_run("en", results=(*pages, paper)), partial_assessment(),
                                 report_link=None)
    assert "These pages could not be tested: Version légère; Papier. They count" in english
