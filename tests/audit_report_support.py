"""A fixed synthetic audit for the report's tests: four pages, findings on three (one problem
shared by two pages, one hostile HTML extract), one page that could not be checked, and an
auditor's review with a derogation and an exemption."""

from __future__ import annotations

from site_builder.audit.model import AuditedPage, AuditRun, Environment, Finding, PageResult
from site_builder.audit.review import Review, ReviewedCriterion, ReviewItem
from site_builder.audit.verdicts import Assessment, assess

HOSTILE = '<p title="x">a</pre><script>alert("pwned")</script><!--'
"""An extract that would end the report's ``<pre>`` and run a script if it were not escaped."""
HOSTILE_SELECTOR = 'a[href="\'><img src=x onerror=alert(1)>"]'

ENVIRONMENT = Environment(parole="0.17.0", browser="Chromium 140.0.7339.0", axe_core="4.12.1",
                          playwright="1.55.0", platform="Linux-6.1.0-x86_64-with-glibc2.36")

HOME = AuditedPage("/", "page", "Accueil")
FAQ = AuditedPage("/faq/", "page", "Questions fréquentes")
PAPER = AuditedPage("/papier/avis-place/", "paper", "Avis sur la place, version papier")
RECEIPT = AuditedPage("/collect/avis-place/recu.html", "collector",
                      "Collecteur : reçu (avis-place)")

MENU_CONTRAST = Finding(
    rule="axe:color-contrast", condition="dark", selector="nav > a[aria-current]",
    html='<a href="/" aria-current="page">Accueil</a>',
    message="Element has insufficient color contrast of 3.2 (foreground color: #777777, "
            "background color: #121212, font size: 12.0pt (16px), font weight: normal). "
            "Expected contrast ratio of 4.5:1", impact="serious")


def synthetic_run(language: str = "fr", base_url: str = "https://exemple.fr/consultation/",
                  ) -> AuditRun:
    """The run every report test starts from (French unless asked otherwise)."""
    return AuditRun(
        date="2026-12-05", site_title="Ville d'Exemple <Avis> & Co", language=language,
        environment=ENVIRONMENT, base_url=base_url,
        organizer={"name": "Mairie d'Exemple", "email": "accessibilite@exemple.fr"},
        results=(
            PageResult(HOME, findings=(
                Finding("axe:image-alt", "default", "main > img:nth-child(2)",
                        '<img src="/images/place.jpg">',
                        "Element does not have an alt attribute", "critical"),
                MENU_CONTRAST,
                Finding("parole:target-size", "default", "form button", HOSTILE,
                        "The target is 40 by 40 px, smaller than 44 by 44 px", None),
            ), applicable=frozenset({"axe:image-alt", "axe:color-contrast",
                                     "parole:target-size"}),
                present=frozenset({"1.1", "10.11", "3.2"}), seconds=1.25),
            PageResult(FAQ, findings=(
                MENU_CONTRAST,
                Finding("parole:link-text-duplicate", "default", HOSTILE_SELECTOR,
                        '<a href="/aide/">En savoir plus</a>',
                        'Two links say "En savoir plus" and lead to /aide/ and /faq/', "moderate"),
            ), applicable=frozenset({"axe:color-contrast", "parole:link-text-duplicate"}),
                present=frozenset({"3.2", "6.1"}), seconds=0.75),
            PageResult(PAPER, findings=(
                Finding("parole:heading-order", "default", "h4", "<h4>Question 2</h4>",
                        "The heading level jumps from h2 to h4", "moderate"),
                Finding("parole:heading-order", "default", "h5", "<h5>Détails</h5>",
                        "The heading level jumps from h3 to h5", "moderate"),
            ), applicable=frozenset({"parole:heading-order"}), present=frozenset({"9.1"}),
                seconds=0.5),
            PageResult(RECEIPT, failure="Timeout 30000ms exceeded while loading the page",
                       seconds=30.0),
        ),
    )


def synthetic_review() -> Review:
    return Review(
        auditor="Association Exemple, Camille Martin", date="2026-12-07",
        criteria=(
            ReviewedCriterion("1.2", "compliant", (), ""),
            ReviewedCriterion("8.7", "not_compliant", ("/faq/",),
                              "Le mot anglais « newsletter » n'a pas de lang=\"en\" <b>."),
            ReviewedCriterion("4.1", "not_applicable", (), "Aucune vidéo."),
        ),
        derogations=(ReviewItem("Les plans PDF de 2019", "Refaits en 2027 <avec> le PLU"),),
        exemptions=(ReviewItem("La carte interactive du cadastre",
                               "Contenu de tiers, ni financé ni développé par la ville"),),
        source="accessibility-review.yml")


def synthetic_assessment(run: AuditRun, *, review: bool = True) -> Assessment:
    return assess(run, synthetic_review() if review else None)
