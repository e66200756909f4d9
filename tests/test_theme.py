"""The parole theme: templates (goldens), languages, stylesheet, and what Chromium shows.

A tiny consultation is built once per module (French, the default) and once per other language;
each test states one promise of DESIGN.md ("What citizens' pages promise").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml
from playwright.sync_api import Browser, FloatRect, Locator, Page

from site_builder.site import tel_uri
from tests.plural_support import counted_keys, plural_base, uncounted
from tests.support import (
    REPO,
    assert_golden,
    build_site,
    serve_site,
    write_site,
)

THEME = REPO / "theme"
CSS = THEME / "assets" / "parole.css"
LOCALES = THEME / "locales"
ARTEFACTS = REPO / "tests" / "artefacts" / "theme"
LANGUAGES = ("fr", "en", "ar")
# Keys the parole plugin asks the catalogue for (plugins/parole/plugin.py).
PLUGIN_KEYS = {"site_map.slug", "site_map.title", "site_map.intro",
               "footer.help", "footer.accessibility", "footer.privacy"}

FAQ = """# Questions

""" + "Une introduction assez longue pour pousser les questions vers le bas.\n\n" * 12 + """
<div class="p-faq">
<details class="p-faq__item">
<summary class="p-faq__question"><h2 class="p-faq__title">Faut-il un compte ?</h2></summary>
<div class="p-faq__answer" id="faut-il-un-compte"><p>Non. Vous répondez sans compte.</p></div>
</details>
<details class="p-faq__item">
<summary class="p-faq__question"><h2 class="p-faq__title">Qui peut répondre ?</h2></summary>
<div class="p-faq__answer" id="qui-peut-repondre"><p>Toutes les personnes qui habitent ici.</p>
</div>
</details>
</div>
"""

BUDGET_PDF = ("https://www.essai.example/deliberations/2027/conseil-municipal/"
              "budget-primitif-place-du-marche-annexe-financiere.pdf")
PAGES = {
    "index.md": "# Bienvenue\n\nDonnez votre avis. "
                "[Écrire à la mairie](mailto:mairie@essai.example).\n",
    "projet/budget.md": (
        "# Le budget & les travaux\n\n"
        f"Le détail est sur <{BUDGET_PDF}>.\n\n"
        "Un mot long : anticonstitutionnellementanticonstitutionnellement.\n\n"
        "| Poste | Montant | Ce que cela paie |\n|---|---|---|\n"
        "| Arbres et bancs | 120 000 € | La plantation de vingt arbres et douze bancs |\n"
        "| Voirie | 480 000 € | Le sol de la place, les trottoirs, les passages piétons |\n\n"
        "## Qui paie ?\n\nLa ville.\n"
    ),
    "projet/calendrier.md": "# Le calendrier\n\nDu 4 janvier au 28 février.\n",
    "projet/questions.md": FAQ,
    # No h1 of its own: the template writes the page title as the h1.
    "confidentialite.md": "## Ce que nous gardons\n\nVos réponses, rien d'autre.\n",
}

CONFIG: dict[str, Any] = {
    "site_description": "Une consultation pour essayer le thème.",
    "plugins": [{"parole": {
        "title": "Réaménager le square",
        "organizer": {"name": "Ville d'Essai", "email": "mairie@essai.example",
                      "phone": "01 23 45 67 89", "address": "1 place de la Mairie, 00000 Essai"},
    }}],
    "nav": [
        {"Accueil": "index.md"},
        {"Le projet": ["projet/budget.md", "projet/calendrier.md",
                       {"Questions": "projet/questions.md"}]},
        {"Se faire aider": "aide.md"},
        {"Accessibilité": "accessibilite.md"},
        {"Vos données": "confidentialite.md"},
    ],
}


def _build(folder: Path, **theme: str) -> Path:
    config_file = write_site(folder, PAGES, **{**CONFIG, "theme": {"name": "parole", **theme}})
    return build_site(config_file, folder / "site")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny consultation in French, the default language, with the default stylesheet."""
    return _build(tmp_path_factory.mktemp("theme"))


@pytest.fixture(scope="module")
def arabic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("theme-ar"), language="ar")


def _html(site_dir: Path, page: str) -> str:
    return (site_dir / page).read_text(encoding="utf-8")


def _pages(site_dir: Path) -> list[str]:
    return sorted(str(path.relative_to(site_dir)) for path in site_dir.rglob("*.html"))


def _catalogue(language: str) -> dict[str, str]:
    data = yaml.safe_load((LOCALES / f"{language}.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return {str(key): str(value) for key, value in data.items()}


# --- templates ---------------------------------------------------------------------------------

STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)


@pytest.mark.parametrize(("page", "golden"), [
    ("index.html", "theme-home.html"),
    ("projet/budget/index.html", "theme-section-page.html"),
    ("404.html", "theme-404.html"),
])
def test_pages_match_their_goldens(
    site: Path, page: str, golden: str, request: pytest.FixtureRequest
) -> None:
    # The stylesheet has its own tests; CSS edits must not churn the goldens.
    html = STYLE.sub("<style>/* theme/assets/parole.css */</style>", _html(site, page))
    assert_golden(golden, html, request)


def test_every_page_has_exactly_one_h1_and_a_two_part_title(site: Path) -> None:
    for page in _pages(site):
        html = _html(site, page)
        assert html.count("<h1") == 1, page
        assert re.search(r"<title>[^<]+ — Réaménager le square</title>", html), page
    assert "<h1>Vos données</h1>" in _html(site, "confidentialite/index.html")


def test_text_from_pages_and_configuration_is_escaped_once(site: Path) -> None:
    html = _html(site, "projet/budget/index.html")
    assert "<title>Le budget &amp; les travaux — Réaménager le square</title>" in html
    assert "Ville d&#39;Essai" in html
    assert "&amp;amp;" not in html


def test_the_current_page_and_its_section_are_marked(site: Path) -> None:
    html = _html(site, "projet/calendrier/index.html")
    assert '<a class="p-nav__link" href="../budget/" aria-current="true">Le projet</a>' in html
    assert '<li><a href="./" aria-current="page">Le calendrier</a></li>' in html  # breadcrumb
    assert html.count('aria-current="page"') == 2  # breadcrumb and "in this section"
    site_map = _html(site, "plan-du-site/index.html")
    assert '<a class="p-nav__link" href="./" aria-current="page">Plan du site</a>' in site_map


def test_left_out_menu_entries_and_pages_point_to_the_site_map(tmp_path: Path) -> None:
    top = {f"rubrique-{n}.md": f"# Rubrique {n}\n" for n in range(10)}
    section = {f"section/page-{n:02}.md": f"# Page {n}\n" for n in range(14)}
    config_file = write_site(tmp_path, {"index.md": "# Accueil\n", **top, **section})
    html = _html(build_site(config_file, tmp_path / "site"), "section/page-05/index.html")
    assert ">Toutes les rubriques (plan du site)</a></li>" in html
    assert ('<li><a href="../../plan-du-site/">Toutes les pages de cette rubrique sont dans le '
            "plan du site</a></li>") in html


def test_the_footer_holds_the_contact_and_the_footer_links(site: Path) -> None:
    footer = _html(site, "projet/budget/index.html").split("<footer", 1)[1]
    for expected in (
        '<a href="mailto:mairie@essai.example">mairie@essai.example</a>',
        '<a href="tel:+33123456789" dir="ltr">01 23 45 67 89</a>',
        "1 place de la Mairie, 00000 Essai",
        '<a href="../../aide/">Se faire aider près de chez vous</a>',
        '<a href="../../accessibilite/">Accessibilité</a>',
        '<a href="../../confidentialite/">Vos données personnelles</a>',
        '<a href="../../plan-du-site/">Plan du site</a>',
    ):
        assert expected in footer


@pytest.mark.parametrize(("written", "uri"), [
    ("01 84 60 12 34", "tel:+33184601234"),
    ("01.84.60.12.34", "tel:+33184601234"),
    ("+33 (0)1 84 60 12 34", "tel:+33184601234"),
    ("0033 1 84 60 12 34", "tel:+33184601234"),
    ("+44 20 7946 0000", "tel:+442079460000"),
    ("3939", None),
    ("01 84 60", None),
    ("la mairie, aux heures d'ouverture", None),
])
def test_phone_numbers_get_one_tel_address_in_e164(written: str, uri: str | None) -> None:
    """One form everywhere (the footer, the statement): two links to the same number on one
    page must not look like two destinations."""
    assert tel_uri(written) == uri


def test_a_phone_number_without_international_form_is_shown_without_a_link(
        tmp_path: Path) -> None:
    organizer = {**CONFIG["plugins"][0]["parole"]["organizer"], "phone": "3939"}
    config = {**CONFIG, "plugins": [{"parole": {**CONFIG["plugins"][0]["parole"],
                                                "organizer": organizer}}],
              "theme": {"name": "parole"}}
    site_dir = build_site(write_site(tmp_path, PAGES, **config), tmp_path / "site")
    footer = _html(site_dir, "index.html").split("<footer", 1)[1]
    assert '<span dir="ltr">3939</span>' in footer
    assert "tel:" not in footer


def test_the_404_page_links_home_site_map_and_help_with_absolute_urls(site: Path) -> None:
    html = _html(site, "404.html")
    assert '<h1>Page introuvable</h1>' in html
    for href in ('href="/."', 'href="/plan-du-site/"', 'href="/aide/"'):
        assert html.count(href) >= 2  # in the menu or footer, and in the page's own list
    assert 'href="../' not in html


def test_the_details_script_is_small_and_only_where_there_are_details(site: Path) -> None:
    scripts = re.findall(r"<script>(.*?)</script>", _html(site, "projet/questions/index.html"),
                         re.DOTALL)
    assert len(scripts) == 1
    assert len(scripts[0].strip().encode()) < 400
    assert "<script" not in _html(site, "projet/budget/index.html")


def test_sitemap_xml_is_still_written(site: Path) -> None:
    assert (site / "sitemap.xml").read_text(encoding="utf-8").startswith("<?xml")


# --- languages ---------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "ar"])
def test_other_languages_set_lang_dir_and_strings(
    language: str, tmp_path: Path, arabic_site: Path
) -> None:
    site_dir = arabic_site if language == "ar" else _build(tmp_path, language=language)
    strings = _catalogue(language)
    html = _html(site_dir, "projet/budget/index.html")
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    for key in ("skip_link", "nav.label", "breadcrumb.label", "pager.next", "footer.help"):
        assert strings[key] in html, key
    assert f'href="../../{strings["site_map.slug"]}/"' in html


def test_french_is_the_default_language(site: Path) -> None:
    html = _html(site, "projet/budget/index.html")
    assert '<html lang="fr" dir="ltr">' in html
    assert '<a class="p-skip" href="#contenu">Aller au contenu</a>' in html
    assert '<nav class="p-breadcrumb p-wrap" aria-label="Fil d\u2019Ariane">' in html
    assert "Page suivante\u00a0:" in html


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    """Counted strings have the plural forms of their language instead (test_plurals.py)."""
    catalogues = {language: _catalogue(language) for language in LANGUAGES}
    english = catalogues["en"]
    counted = counted_keys(english)
    for language, strings in catalogues.items():
        assert uncounted(strings, counted) == uncounted(english, counted), language
        for key, text in strings.items():
            if plural_base(key, counted) is None:
                assert re.findall(r"{\w+}", text) == re.findall(r"{\w+}", english[key]), key
            # Strings are written into HTML unescaped, attributes included.
            assert not set(text) & set('<>"&'), (language, key)


def test_every_key_the_templates_and_plugin_use_is_in_english() -> None:
    used = set(PLUGIN_KEYS)
    counted = set()
    for template in THEME.rglob("*.html"):
        used |= set(re.findall(r"""\bt\(['"]([\w.]+)['"]""", template.read_text("utf-8")))
        counted |= set(re.findall(r"""\bt\.count\(['"]([\w.]+)['"]""",
                                  template.read_text("utf-8")))
    assert len(used) > len(PLUGIN_KEYS)
    assert used <= _catalogue("en").keys()
    assert counted and counted <= counted_keys(_catalogue("en"))
    assert _catalogue("fr")["site_map.slug"] == "plan-du-site"
    assert _catalogue("ar")["site_map.slug"] == "site-map"


# --- stylesheet --------------------------------------------------------------------------------

def test_inline_stylesheet_needs_no_request(site: Path) -> None:
    html = _html(site, "index.html")
    assert 'rel="stylesheet"' not in html
    assert CSS.read_text(encoding="utf-8").strip() in html


def test_link_stylesheet_points_at_the_file(tmp_path: Path) -> None:
    site_dir = _build(tmp_path, stylesheet="link")
    html = _html(site_dir, "projet/budget/index.html")
    assert '<link rel="stylesheet" href="../../assets/parole.css">' in html
    assert "<style>" not in html
    assert (site_dir / "assets" / "parole.css").read_bytes() == CSS.read_bytes()


def test_no_motion_and_none_at_all_when_less_is_asked_for() -> None:
    """WCAG 2.3.3: nothing moves; the reduced-motion query turns off anything that would."""
    text = CSS.read_text(encoding="utf-8")
    query = re.search(r"@media \(prefers-reduced-motion:reduce\)\{(.*?\})\}", text)
    assert query is not None
    for declaration in ("animation:none", "transition:none", "scroll-behavior:auto"):
        assert declaration in query.group(1)
    outside = text.replace(query.group(0), "")
    assert not re.search(r"scroll-behavior|transition|animation", outside)


def test_stylesheet_is_small_and_safe_to_inline() -> None:
    text = CSS.read_text(encoding="utf-8")
    # Inlined in every page: 8 KiB raw is about 2.7 KB gzip, a fifth of the 14 KiB budget
    # (the form styles take a quarter of it; the results page's, issue #16, a twentieth).
    assert len(text.encode()) <= 8192
    # Inline mode includes the file as a Jinja template.
    assert not re.search(r"{[#{%]", text)


def test_stylesheet_uses_logical_properties_only() -> None:
    text = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.DOTALL)
    physical = re.findall(
        r"\b(?:left|right)\b|\b(?:top|bottom)\s*:|-(?:top|bottom)\b|\bfloat\s*:|"
        r"(?<![-\w])(?:width|height)\s*:", text)
    assert physical == []


def test_no_web_font_image_or_external_url_in_the_stylesheet() -> None:
    text = CSS.read_text(encoding="utf-8")
    assert not re.search(r"@font-face|@import|url\(", text)


# Colour pairs: --p-[region-]ROLE is drawn on --p-[region-]bg.
CONTRAST = {"text": 4.5, "link": 4.5, "visited": 4.5, "focus": 3.0, "border": 3.0}
COLOUR = re.compile(r"--p-(?:([a-z]+)-)?([a-z]+)\s*:\s*(#[0-9a-fA-F]{3,6})\b")


def _colours(block: str) -> dict[tuple[str, str], str]:
    return {(region or "", role): value for region, role, value in COLOUR.findall(block)}


def _schemes() -> dict[str, dict[tuple[str, str], str]]:
    text = CSS.read_text(encoding="utf-8")
    light = re.search(r"^:root\{(.*?)\}", text, re.DOTALL | re.MULTILINE)
    dark = re.search(r"prefers-color-scheme:\s*dark\)\s*\{\s*:root\{(.*?)\}", text, re.DOTALL)
    printed = re.search(r"@media print\{\s*:root\{(.*?)\}", text, re.DOTALL)
    assert light and dark and printed, "parole.css needs :root colours, dark and print overrides"
    base = _colours(light.group(1))
    return {"light": base, "dark": _colours(dark.group(1)),
            "print": {**base, **_colours(printed.group(1))}}


def _luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_helper_matches_known_ratios() -> None:
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("scheme", ["light", "dark", "print"])
def test_every_colour_pair_has_enough_contrast(scheme: str) -> None:
    schemes = _schemes()
    colours = schemes[scheme]
    assert schemes["dark"].keys() == schemes["light"].keys(), "dark must redefine every colour"
    checked = []
    for (region, role), value in colours.items():
        if role == "bg" or (scheme == "print" and CONTRAST.get(role) != 4.5):
            continue  # on paper, only text matters
        assert role in CONTRAST, f"--p-{region}-{role}: unknown role, name it after {CONTRAST}"
        background = colours.get((region, "bg"))
        assert background, f"--p-{region}-{role} has no --p-{region}-bg to be drawn on"
        ratio = contrast(value, background)
        assert ratio >= CONTRAST[role], f"{scheme}: --p-{region}-{role} on bg is {ratio:.2f}:1"
        checked.append((region, role))
    assert len(checked) >= (4 if scheme == "print" else 10)


# --- in Chromium -------------------------------------------------------------------------------

TARGETS = (".p-header__menu, .p-nav a, .p-breadcrumb a, .p-footer a, .p-pager a, .p-local a, "
           ".p-faq__question")
SMALL_TARGETS = f"""() => Array.from(document.querySelectorAll({TARGETS!r}))
  .filter((el) => el.checkVisibility())  // a phone hides the breadcrumb's last crumb
  .map((el) => [el.textContent.trim(), el.getBoundingClientRect().height])
  .filter(([, height]) => height < 44)"""
VISIBLE = "(selector) => document.querySelector(selector).checkVisibility()"


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve_site(site) as url:
        yield url


Scheme = Literal["light", "dark"]
SCHEMES: list[Scheme] = ["light", "dark"]


def _box(locator: Locator) -> FloatRect:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not displayed"
    return box


def _shoot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
def test_pages_reflow_at_320_px_with_44_px_targets(
    browser: Browser, site: Path, base_url: str, scheme: Scheme
) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640}, color_scheme=scheme)
    page = context.new_page()
    overflowing, small = {}, {}
    for path in _pages(site):
        page.goto(base_url + path.removesuffix("index.html"))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            overflowing[path] = width
        if found := page.evaluate(SMALL_TARGETS):
            small[path] = found
        _shoot(page, f"{path.replace('/', '_')}-320-{scheme}")
    context.close()
    assert overflowing == {}
    assert small == {}


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_desktop_page_is_a_single_request(
    browser: Browser, base_url: str, scheme: Scheme
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base_url + "projet/budget/")
    assert requests == [base_url + "projet/budget/"]  # no CSS, font, icon or script file
    _shoot(page, f"budget-1280-{scheme}")
    page.goto(base_url + "projet/questions/#qui-peut-repondre")
    _shoot(page, f"questions-1280-{scheme}")
    context.close()


@pytest.mark.browser
def test_skip_link_shows_when_focused(browser: Browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(base_url + "projet/budget/")
    skip = page.locator(".p-skip")
    assert _box(skip)["y"] + _box(skip)["height"] <= 0
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "p-skip"
    box = _box(skip)
    assert box["y"] >= 0 and box["height"] >= 24
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    _shoot(page, "skip-link-focused")
    page.close()


@pytest.mark.browser
def test_the_menu_link_leads_by_keyboard_to_the_menu_after_the_content(
    browser: Browser, base_url: str
) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 640},
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "projet/budget/")
    order = page.evaluate("""Array.from(document.querySelectorAll('header, #p-menu, main, footer'))
        .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''))""")
    assert order == ["header", "main#contenu", "nav#p-menu", "footer"]
    focused = []
    for _ in range(3):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert focused == ["Aller au contenu", "Réaménager le square", "Menu"]
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#p-menu"
    assert _box(page.locator("#p-menu h2"))["y"] == pytest.approx(0, abs=1)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Accueil"
    _shoot(page, "menu-360")
    context.close()


@pytest.mark.browser
def test_print_hides_navigation_and_opens_answers_without_javascript(
    browser: Browser, base_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False, color_scheme="dark")
    page = context.new_page()
    page.goto(base_url + "projet/questions/")
    assert not page.evaluate(VISIBLE, "#qui-peut-repondre")
    page.emulate_media(media="print")
    for hidden in (".p-skip", ".p-header__menu", ".p-nav", ".p-breadcrumb", ".p-pager", ".p-local",
                   ".p-footer__links"):
        assert not page.evaluate(VISIBLE, hidden), hidden
    assert page.evaluate(VISIBLE, "#qui-peut-repondre")
    colours = page.evaluate("[getComputedStyle(document.body).color, "
                            "getComputedStyle(document.body).backgroundColor]")
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    _shoot(page, "questions-print")
    page.goto(base_url + "projet/budget/")
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.p-main a[href^=\"https\"]'), '::after')"
        ".content")
    assert after == f'" ({BUDGET_PDF})"'
    _shoot(page, "budget-print")
    context.close()


@pytest.mark.browser
def test_linked_answers_open_and_every_answer_opens_before_printing(
    browser: Browser, base_url: str
) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(base_url + "projet/questions/#qui-peut-repondre")
    opened = "Array.from(document.querySelectorAll('details')).map((d) => d.open)"
    assert page.evaluate(opened) == [False, True]
    question = page.locator("#qui-peut-repondre").locator("xpath=..").locator("summary")
    assert page.evaluate("scrollY") > 0
    assert _box(question)["y"] >= 0  # the question stays in view above its answer
    page.evaluate("dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate(opened) == [True, True]
    page.close()


@pytest.mark.browser
def test_a_phone_leaves_out_the_crumb_that_repeats_the_h1(
    browser: Browser, base_url: str
) -> None:
    """Under 30em the breadcrumb keeps one 44 px row: its last crumb, the page itself, is the
    h1 just below (tests/test_first_screen.py measures the room this gives)."""
    crumbs = """Array.from(document.querySelectorAll('.p-breadcrumb li'),
        (li) => [li.textContent.trim(), li.checkVisibility()])"""
    for width, last_shown in ((320, False), (480, False), (481, True), (1280, True)):
        page = browser.new_page(viewport={"width": width, "height": 640})
        page.goto(base_url + "projet/budget/")
        *up, (last, shown) = page.evaluate(crumbs)
        assert up and all(visible for _, visible in up)
        assert (last, shown) == (page.locator("main h1").inner_text(), last_shown), width
        page.close()


@pytest.mark.browser
def test_right_to_left_mirrors_the_layout(browser: Browser, arabic_site: Path) -> None:
    with serve_site(arabic_site) as url:
        for width in (320, 1280):
            page = browser.new_page(viewport={"width": width, "height": 800})
            page.goto(url + "projet/budget/")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            title = _box(page.locator(".p-header__title a"))
            main = _box(page.locator("main"))
            # The title starts at the right edge of the page's column.
            assert title["x"] + title["width"] == pytest.approx(main["x"] + main["width"] - 16,
                                                                abs=1)
            _shoot(page, f"budget-ar-{width}")
            page.close()
