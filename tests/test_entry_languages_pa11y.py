"""pa11y over the two mediators' pages that name languages (issue #18), in French and in Arabic,
as test_entry_batches_pa11y.py checks the other batch pages: the new-batch page asking which
language's paper version the stack is (each language named in itself, with its ``lang`` and
``dir``) and the assisted page with the conversation's language as links.

The mediators' pages speak the language of the site's forms: French on the three-language
sample site (tests/sites/multilingual), Arabic on a site written here whose form is declared in
Arabic with a French translation. A collector in this process serves them to a signed-in
mediator; they are saved into a copy of the built site and pa11y-ci runs once over them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from site_builder.storage import open_storage
from tests.batch_support import AREA, MediatorSession, add_mediator, collector_in_process
from tests.collector_support import Reply
from tests.pa11y_support import assert_pages_pass_pa11y
from tests.support import REPO, build_site, write_site

DAY = date(2027, 1, 10)
"""An open day of both consultations (2027-01-04 → 2027-02-28)."""
ARABIC_FORM = """# أعطوا رأيكم

```form
id: hadiqa
title: رأيكم في الحديقة
submit: أرسلوا رأيكم
fields:
  - id: envie
    type: choice
    label: هل تريدون الزراعة في الحديقة؟
    required: true
    options:
      - {value: oui, label: نعم}
      - {value: non, label: لا}
  - id: idees
    type: textarea
    label: أفكاركم للحديقة
translations:
  fr:
    title: Votre avis sur le jardin
    submit: Envoyer mon avis
    fields:
      envie:
        label: Voulez-vous jardiner ?
        options: {oui: Oui, non: Non}
      idees: {label: Vos idées pour le jardin}
```
"""
ARABIC_PAGES = {
    "index.md": "# الرئيسية\n\nحديقة مشتركة.\n",
    "index.fr.md": "# Accueil\n\nUn jardin partagé.\n",
    "avis.md": ARABIC_FORM,
    "avis.fr.md": "# Donner mon avis\n\n```form\nid: hadiqa\n```\n",
}
SITES = {"fr": "jardin-oliviers", "ar": "hadiqa"}
"""Each language's site, by the form its mediators' pages are about."""


def _site(language: str, folder: Path) -> Path:
    if language == "fr":
        return build_site(REPO / "tests/sites/multilingual/mkdocs.yml", folder / "site")
    config = write_site(folder, ARABIC_PAGES, site_name="حديقة الحي",
                        site_url="https://hadiqa.example/",
                        theme={"name": "parole", "language": "ar"},
                        plugins=[{"parole": {"languages": ["ar", "fr"],
                                             "opens": "2027-01-04", "closes": "2027-02-28"}}])
    return build_site(config, folder / "site")


@pytest.fixture(scope="module", params=sorted(SITES))
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> tuple[str, Path]:
    language: str = request.param
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAROLE_BUILD_DATE", DAY.isoformat())
        return language, _site(language, tmp_path_factory.mktemp(f"entry-{language}"))


def language_pages(site_dir: Path, form_id: str, other: str, database: Path
                   ) -> Iterator[tuple[str, int, Reply]]:
    """``(file name, expected status, reply)``: the new-batch page and the assisted page in
    the form's ``other`` language (its links then name the form's own as the one to go back
    to)."""
    url = f"sqlite:///{database}"
    code = add_mediator(url, "Awa")
    storage = open_storage(url)
    try:
        with collector_in_process(site_dir, storage) as up:
            awa = MediatorSession(up, area=AREA_OF[form_id])
            awa.sign_in(code)
            yield "new-batch-languages.html", 200, awa.get(f"{AREA_OF[form_id]}/batches/new")
            yield "assisted-languages.html", 200, awa.get(
                f"{AREA_OF[form_id]}/assisted/{form_id}?language={other}")
    finally:
        storage.close()


AREA_OF = {"jardin-oliviers": AREA, "hadiqa": "/collect/data-entry"}
OTHER = {"fr": "ar", "ar": "fr"}
OTHER_NAME = {"fr": ('lang="ar" dir="rtl"', "العربية"), "ar": ('lang="fr" dir="ltr"', "Français")}
"""The other language's attributes and name, as each site's mediators' pages write it."""


def test_the_mediators_pages_speak_their_language_and_name_the_other_in_itself(
        site: tuple[str, Path], tmp_path: Path) -> None:
    """What pa11y then checks is what the mediators of each site see: their own language on
    the page, the other language's name marked in it."""
    language, site_dir = site
    pages = {name: reply for name, status, reply in language_pages(
        site_dir, SITES[language], OTHER[language], tmp_path / "answers.db")
        if reply.status == status}
    assert len(pages) == 2, "a page did not answer as expected"
    direction = "rtl" if language == "ar" else "ltr"
    other_name = OTHER_NAME[language]
    for reply in pages.values():
        assert f'<html lang="{language}" dir="{direction}"' in reply.text
    new_batch = pages["new-batch-languages.html"].text
    assert f'<span {other_name[0]}>{other_name[1]}</span>' in new_batch
    assert f'name="language" value="{language}" checked' in new_batch  # the form's own
    assisted = pages["assisted-languages.html"].text
    assert f'{other_name[0]} aria-current="true">{other_name[1]}</span>' in assisted


@pytest.mark.pa11y
def test_the_language_pages_pass_pa11y(site: tuple[str, Path], tmp_path: Path) -> None:
    language, site_dir = site
    assert_pages_pass_pa11y(site_dir, language_pages(
        site_dir, SITES[language], OTHER[language], tmp_path / "answers.db"),
        "entry-language-pages", tmp_path)
