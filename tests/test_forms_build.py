"""Forms in a real build: rendered in their page, manifests, paper versions, closing, errors."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from site_builder.forms.manifest import read_manifest
from tests.support import REPO, SITES, build_site, write_site

FORMS_SITE = SITES / "forms" / "mkdocs.yml"
FORM = """```form
id: {form_id}
title: Votre avis
fields:
  - id: avis
    type: textarea
    label: Votre avis
```
"""


@pytest.fixture(scope="module")
def forms_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(FORMS_SITE, tmp_path_factory.mktemp("forms") / "site")


def _read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def _errors(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)


def test_a_form_renders_in_its_page_and_posts_to_the_collector(forms_site: Path) -> None:
    page = _read(forms_site, "questionnaire/index.html")
    section = re.search(r'<section class="p-form" id="form-jardin".*?</section>', page, re.S)
    assert section is not None
    form = section.group(0)
    assert 'method="post"' in form and 'action="/collect"' in form
    assert 'name="_form" value="jardin"' in form
    for field in ("nom_du_jardin", "souhaits", "courriel", "heures", "venue", "cultures",
                  "quartier", "priorite", "accord"):
        assert f'name="{field}"' in form, field
    assert 'href="../confidentialite/"' in form  # the intro's markdown link, resolved


def test_the_manifest_holds_every_field_and_the_page(forms_site: Path) -> None:
    manifest = read_manifest(forms_site / "forms" / "jardin.json")
    assert manifest.page_url == "questionnaire/"
    assert manifest.language == "fr"
    assert [field.id for field in manifest.form.fields] == [
        "nom_du_jardin", "souhaits", "courriel", "heures", "venue", "cultures", "quartier",
        "priorite", "accord"]
    page = _read(forms_site, "questionnaire/index.html")
    assert f'name="_version" value="{manifest.version}"' in page


def test_the_manifest_of_a_french_site_is_in_paris_time_by_default(forms_site: Path) -> None:
    assert read_manifest(forms_site / "forms" / "jardin.json").time_zone == "Europe/Paris"


def test_the_manifest_carries_the_consultations_time_zone(tmp_path: Path) -> None:
    config_file = write_site(tmp_path, {"index.md": "# A\n\n" + FORM.format(form_id="avis")},
                             plugins=[{"parole": {"time_zone": "America/Cayenne"}}])
    site = build_site(config_file, tmp_path / "site")
    assert read_manifest(site / "forms" / "avis.json").time_zone == "America/Cayenne"


def test_the_manifest_carries_the_paper_places_and_double_entry(tmp_path: Path) -> None:
    options = {"paper_dropoff": ["Mairie, accueil", "Bibliothèque"],
               "paper_entry": {"double": True}}
    config_file = write_site(tmp_path, {"index.md": "# A\n\n" + FORM.format(form_id="avis")},
                             plugins=[{"parole": options}])
    manifest = read_manifest(build_site(config_file, tmp_path / "site") / "forms" / "avis.json")
    assert manifest.paper_dropoff == ("Mairie, accueil", "Bibliothèque")
    assert manifest.double_entry is True


def test_by_default_sheets_are_typed_once(forms_site: Path) -> None:
    assert read_manifest(forms_site / "forms" / "jardin.json").double_entry is False


def test_a_mistyped_time_zone_stops_the_build_naming_the_closest(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config_file = write_site(tmp_path, {"index.md": "# A\n\n" + FORM.format(form_id="avis")},
                             plugins=[{"parole": {"time_zone": "europe/paris"}}])
    with pytest.raises(Abort):
        build_site(config_file, tmp_path / "site")
    errors = _errors(caplog)
    lines = config_file.read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, 1) if "time_zone:" in text)
    assert f"mkdocs.yml:{line}: [plugins.parole.time_zone] time_zone vaut 'europe/paris'" in errors
    assert "les plus proches du vôtre : Europe/Paris" in errors


def test_the_paper_version_is_linked_and_links_back(forms_site: Path) -> None:
    page = _read(forms_site, "questionnaire/index.html")
    assert 'href="../papier/jardin/"' in page
    paper = _read(forms_site, "papier/jardin/index.html")
    assert 'href="../../questionnaire/"' in paper
    assert "jardin / venue" in paper
    assert "Local de l&#39;association" in paper or "Local de l'association" in paper


def test_a_form_from_its_own_file(forms_site: Path) -> None:
    page = _read(forms_site, "inscription/index.html")
    assert 'id="form-inscription-atelier"' in page and "M&#39;inscrire" in page
    source = read_manifest(forms_site / "forms" / "inscription-atelier.json").form.source
    assert source.startswith("forms/inscription.yml")


def test_a_form_past_its_closing_date_renders_no_form(forms_site: Path) -> None:
    page = _read(forms_site, "ancien-sondage/index.html")
    assert "<form" not in page
    assert "Ce questionnaire est fermé." in page and "30" in page and "juin 2020" in page
    assert not (forms_site / "papier" / "horaires-2020").exists()
    manifest = json.loads(_read(forms_site, "forms/horaires-2020.json"))
    assert manifest["closes"] == "2020-06-30"  # the collector answers 410 from it


def test_the_consultation_closing_date_closes_the_example_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAROLE_BUILD_DATE", "2027-03-01")
    site = build_site(REPO / "mkdocs.yml", tmp_path / "site")
    page = _read(site, "donner-mon-avis/index.html")
    assert "<form" not in page and "Ce questionnaire est fermé." in page
    monkeypatch.setenv("PAROLE_BUILD_DATE", "2027-02-28")  # open all of its last day
    site = build_site(REPO / "mkdocs.yml", tmp_path / "open")
    assert 'method="post"' in _read(site, "donner-mon-avis/index.html")


def test_the_example_manifest_holds_every_field_of_the_content(example_site: Path) -> None:
    source = (REPO / "content" / "donner-mon-avis.md").read_text(encoding="utf-8")
    declared = re.findall(r"^  - id: (\S+)$", source, re.M)
    manifest = read_manifest(example_site / "forms" / "avis-place.json")
    assert [field.id for field in manifest.form.fields] == declared
    assert {field.type for field in manifest.form.fields} == {
        "text", "textarea", "email", "number", "choice", "choices", "select", "scale", "consent"}


def test_duplicate_form_ids_across_the_site_name_both_places(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pages = {"index.md": "# Accueil\n", "a.md": "# A\n\n" + FORM.format(form_id="avis"),
             "b.md": "# B\n\nTexte.\n\n" + FORM.format(form_id="avis")}
    with pytest.raises(Abort):
        build_site(write_site(tmp_path, pages), tmp_path / "site")
    assert ("b.md:5: [avis] l'id de formulaire « avis » est déjà pris par le formulaire de "
            "a.md:3") in _errors(caplog)


@pytest.mark.parametrize(("language", "said"), [
    ("fr", ["2 problèmes de contenu", "b.md:8: [avis/avis/type] type inconnu « paragraph » pour "
            "la question « avis »", "Pour corriger : vouliez-vous dire « textarea » ?",
            "c.md:7: [Avis/id] l'id « Avis » ne convient pas pour le formulaire",
            "Pour corriger : écrivez-le avec des minuscules"]),
    ("en", ["2 content problems", "b.md:8: [avis/avis/type] unknown type 'paragraph' for the "
            "question 'avis'", "How to fix: did you mean 'textarea'?",
            "c.md:7: [Avis/id] the id 'Avis' of the form is not valid",
            "How to fix: write it with lowercase letters"])])
def test_every_broken_form_of_the_site_is_listed_with_file_line_and_fix(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, language: str, said: list[str]
) -> None:
    broken = FORM.format(form_id="avis").replace("type: textarea", "type: paragraph")
    other = "---\ntitle: C\n---\n# C\n\n" + FORM.format(form_id="Avis")
    with pytest.raises(Abort):
        build_site(write_site(tmp_path, {"index.md": "# A\n", "b.md": "# B\n\n" + broken,
                                         "c.md": other},
                              theme={"name": "parole", "language": language}),
                   tmp_path / "site")
    errors = _errors(caplog)
    assert [text for text in said if text not in errors] == []
    assert errors.count(said[-1].split(":")[0]) == 2  # one fix for each problem


def test_a_rebuild_does_not_see_its_own_forms_twice(tmp_path: Path) -> None:
    """``mkdocs serve`` builds again with the same plugin: ids seen before are not duplicates."""
    config_file = write_site(tmp_path, {"index.md": "# A\n\n" + FORM.format(form_id="avis")})
    config = load_config(str(config_file), strict=True, site_dir=str(tmp_path / "site"))
    mkdocs_build(config)
    mkdocs_build(config)
    forms = [e for e in config.markdown_extensions if type(e).__name__ == "FormsExtension"]
    assert len(forms) == 1


def test_forms_render_with_material(tmp_path: Path) -> None:
    config = write_site(tmp_path, {"index.md": "# A\n\n" + FORM.format(form_id="avis")},
                        theme={"name": "material"},
                        plugins=[{"parole": {"page_weight": {"enabled": False}}}])
    site = build_site(config, tmp_path / "site")
    page = _read(site, "index.html")
    assert '<section class="p-form" id="form-avis"' in page and 'name="avis"' in page
    assert (site / "forms" / "avis.json").exists()
    assert (site / "paper" / "avis" / "index.html").exists()  # material's language: en


FIVE_MISTAKES = """# Accueil

Voir [la page](absente.md).

![](photo.jpg)

```form
id: avis
title: Votre avis
fields:
  - id: avis
    type: textarea
     label: Votre avis
```

```form
id: autre
title: Autre
fields:
  - id: q
    type: texte
    label: Question
```
"""


def test_the_first_build_reports_every_mistake_with_file_and_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A YAML indentation error in one form does not hide a misspelt type in the next, nor a
    date in words in mkdocs.yml, a missing alt text or a broken link (issue #14)."""
    config = write_site(tmp_path, {"index.md": FIVE_MISTAKES},
                        plugins=[{"parole": {"opens": "2027-01-04", "closes": "4 février 2027"}}])
    with pytest.raises(Abort):
        build_site(config, tmp_path / "site")
    text = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)
    closes = config.read_text("utf-8").splitlines().index("    closes: 4 février 2027") + 1
    for where in (
        f"mkdocs.yml:{closes}: [plugins.parole.closes] closes vaut '4 février 2027', qui n'est "
        "pas une date écrite AAAA-MM-JJ",
        "index.md:13: ce formulaire n'est pas du YAML valide : cette ligne est plus décalée que "
        "celle du dessus",
        "index.md:21: [autre/q/type] type inconnu « texte »",
        "index.md:3: ",  # the link to a missing page
        "index.md:5: ",  # the picture without alt text
    ):
        assert where in text
    assert text.count("Pour corriger :") >= 5
