"""Forms in the low-data edition (``site_builder.low_data``). An offline file cannot post, so an
open form's questions give way to a "how to answer" box: the online address, the paper version,
where paper answers go, the opening and last days, the help page, and the questions themselves
(to prepare one's answers, or to read them to someone). A closed form keeps its notice.

The box (``theme/low-data-form.html``, the core's autoescaping environment) goes into the page's
tree before the page is cleaned, so its links are rewritten with the page's own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from site_builder import calendar
from site_builder.forms.borrowed import Borrowed
from site_builder.forms.paper import organizer_place
from site_builder.forms.site_forms import PlacedForm, SiteForms
from site_builder.forms.templates import environment
from site_builder.i18n import Catalogue, base_language
from site_builder.low_data.cleaning import HEADINGS, Element, parse
from site_builder.site import SiteInfo
from site_builder.urls import relative_url

TEMPLATE = "low-data-form.html"
FORM_SECTION_PREFIX = "form-"
"""``site_builder.forms.render`` gives each form's ``<section>`` the id ``form-<form id>``."""
FORM_PAPER_LINK = "p-form__paper"
FORM_INTRO = "p-form__intro"


@dataclass(frozen=True)
class OfflineForm:
    """What the file says about a form instead of showing its inputs."""

    id: str
    page_url: str
    questions: tuple[tuple[str | Markup, bool], ...]
    """Each question's label (plain text; in a span of the form's own language when its
    translation lacks it, as on the form: ``Borrowed``) and whether it is required."""
    closed: bool
    paper_url: str | None
    """The paper version, relative to the site root (None once the form is closed)."""
    opens: date | None
    closes: date | None


def offline_forms(site_forms: SiteForms) -> list[OfflineForm]:
    """The forms of a build (``SiteForms`` after every page rendered), in the order they were
    met, as the low-data edition describes them."""
    consultation = site_forms.consultation
    forms = []
    for placed in _build_forms(site_forms):
        form = placed.form
        closed = site_forms.closed(form) is not None
        borrowed = Borrowed.of(form)
        forms.append(OfflineForm(
            id=form.id,
            page_url=placed.page_url,
            questions=tuple((borrowed.text(f"{field.id}/label",
                                           Markup(field.label_html).striptags()), field.required)
                            for field in form.fields),
            closed=closed,
            paper_url=None if closed else site_forms.paper_for(form),
            opens=consultation.opens,
            closes=calendar.closing_day(form.closes, consultation),
        ))
    return forms


def _build_forms(site_forms: SiteForms) -> list[PlacedForm]:
    """The forms this build's pages show, in its language: those it declares, then those
    another language's build declared and a page of this one shows (``SiteForms.show``)."""
    language = base_language(site_forms.catalogue.language)
    forms = [PlacedForm(placed.form.localized(language), placed.page_url)
             for placed in site_forms.placed.values()]
    for form_id in site_forms.foreign:
        shown = site_forms.shown.get(form_id, {}).get(language)
        if shown is not None:
            forms.append(PlacedForm(shown.form.localized(language), shown.page_url))
    return forms


def form_box(
    form: OfflineForm,
    *,
    catalogue: Catalogue,
    site: SiteInfo,
    online: Callable[[str], str | None],
    help_url: str | None,
    dropoff: Sequence[str],
    today: date,
) -> Element | None:
    """The "how to answer" box of an open form, as a tree to put in its page (its links are
    written from the form's page, like the page's own, and rewritten with them)."""
    if form.closed:
        return None
    html = environment().get_template(TEMPLATE).render(
        t=catalogue,
        site=site,
        form=form,
        online_url=online(form.page_url),
        paper_url=online(form.paper_url) if form.paper_url else None,
        dropoff=list(dropoff) or organizer_place(site, catalogue),
        opens=calendar.format_date(form.opens, catalogue)
        if form.opens and today < form.opens else None,
        closes=calendar.format_date(form.closes, catalogue) if form.closes else None,
        help_href=relative_url(help_url, form.page_url) if help_url is not None else None,
    )
    root = parse(html)
    return next(node for node in root.children if isinstance(node, Element))


def replace_form(root: Element, form_id: str, box: Element | None) -> bool:
    """In the section of the form ``form_id``, its questions and its paper link give way to
    ``box`` (after the intro, else after the title; a closed form's notice stays as it is).
    False when the form is not in ``root``."""
    section_id = f"{FORM_SECTION_PREFIX}{form_id}"
    section = next((node for node in root.walk()
                    if node.tag == "section" and node.attrs.get("id") == section_id), None)
    if section is None:
        return False
    kept = [child for child in section.children if not isinstance(child, Element)
            or (child.tag != "form" and FORM_PAPER_LINK not in child.classes())]
    if box is not None:
        after = [index for index, child in enumerate(kept, 1) if isinstance(child, Element)
                 and (FORM_INTRO in child.classes() or child.tag in HEADINGS)]
        kept.insert(after[-1] if after else 0, box)
    section.children = kept
    return True
