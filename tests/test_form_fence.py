"""The ```form block in pages: which fences count, src files, line numbers, YAML errors.

Pages are converted with a bare ``markdown.Markdown`` and a stub renderer (rendering is tested
with the form components); the plugin's part (front matter, links, manifests) is tested with it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import markdown
import pytest

from site_builder.forms.fence import FormsExtension
from site_builder.forms.model import Form
from site_builder.messages import speaking

PAGE = "consultation/place-du-marche.md"

AVIS = """\
id: avis-place
title: Donnez votre avis
fields:
  - id: frequence
    type: choice
    label: À quelle fréquence passez-vous sur la place ?
    options: [Tous les jours, Chaque semaine, Plus rarement]
"""

QUARTIER = """\
id: votre-quartier
title: Votre quartier
fields:
  - {id: quartier, type: select, label: "Où habitez-vous ?", options: [Centre, Gare, Écoles]}
"""


def stub(form: Form) -> str:
    return f'<form class="p-form" data-form="{form.id}">{len(form.fields)} question(s)</form>'


def extension(docs_dir: Path | None = None, line_offset: int = 0) -> FormsExtension:
    ext = FormsExtension()
    ext.render = stub
    ext.active_page_file = PAGE
    ext.line_offset = line_offset
    if docs_dir is not None:
        ext.docs_dir = docs_dir
    return ext


def convert(text: str, ext: FormsExtension, *extensions: str) -> str:
    return markdown.Markdown(extensions=[*extensions, "fenced_code", ext]).convert(text)


def block(body: str, fence: str = "```") -> str:
    return f"{fence}form\n{body}{fence}\n"


# -- which fences --------------------------------------------------------------------------

@pytest.mark.parametrize("opening, closing", [
    ("```", "```"),
    ("~~~", "~~~"),
    ("````", "````"),
    ("```", "`````"),  # a longer closing fence closes (CommonMark)
    ("~~~~~", "~~~~~"),
])
def test_backtick_and_tilde_fences_of_any_length_hold_a_form(opening: str, closing: str) -> None:
    ext = extension()
    html = convert(f"# Votre avis\n\n{opening}form\n{AVIS}{closing}\n\nMerci !\n", ext)
    assert html == ('<h1>Votre avis</h1>\n'
                    '<form class="p-form" data-form="avis-place">1 question(s)</form>\n'
                    "<p>Merci !</p>")
    assert [form.id for form in ext.forms] == ["avis-place"]
    assert ext.problems == []


def test_a_shorter_or_other_fence_does_not_close_the_block() -> None:
    ext = extension()
    body = AVIS.replace("title: Donnez votre avis",
                        "title: Donnez votre avis\nintro: |\n  ```\n  ~~~~\n  Merci.")
    convert(f"````form\n{body}````\n", ext)
    assert ext.problems == []
    assert ext.forms[0].intro_html == "<p>```\n~~~~\nMerci.</p>"  # the block went on


def test_a_form_directly_after_a_paragraph_is_not_inside_it() -> None:
    html = convert(f"Répondez ici :\n{block(AVIS)}Merci.\n", extension())
    assert html == ('<p>Répondez ici :</p>\n'
                    '<form class="p-form" data-form="avis-place">1 question(s)</form>\n'
                    "<p>Merci.</p>")


@pytest.mark.parametrize("page", [
    # how to write a form, shown as code
    f"Écrivez :\n\n````markdown\n{block(AVIS)}````\n",
    f"~~~markdown\n{block(AVIS)}~~~\n",
    f"```yaml\n{AVIS}```\n\n```text\n{block(AVIS, '~~~')}```\n",
    f"```formulaire\n{AVIS}```\n",
    f"```form yaml\n{AVIS}```\n",
    f"    ```form\n    {AVIS.replace(chr(10), chr(10) + '    ')}```\n",  # indented code
])
def test_other_blocks_and_forms_shown_as_code_are_left_alone(page: str) -> None:
    ext = extension()
    plain = markdown.Markdown(extensions=["fenced_code"]).convert(page)
    assert convert(page, ext) == plain
    assert ext.forms == []
    assert ext.problems == []


def test_a_page_without_form_blocks_is_byte_identical() -> None:
    page = ("# La place du marché\n\nLe conseil municipal   propose\r\ntrois pistes.\t\n\n"
            "```python\nprint('form')\n```\n\n~~~\n```form\n~~~\n")
    md = markdown.Markdown(extensions=["fenced_code", extension()])
    lines = page.split("\n")
    assert md.preprocessors["parole_forms"].run(list(lines)) == lines
    assert convert(page, extension()) == markdown.Markdown(
        extensions=["fenced_code"]).convert(page)


def test_two_forms_on_one_page_in_order() -> None:
    ext = extension()
    html = convert(f"# Deux questionnaires\n\n{block(AVIS)}\nEt aussi :\n\n"
                   f"{block(QUARTIER, '~~~')}", ext)
    assert [form.id for form in ext.forms] == ["avis-place", "votre-quartier"]
    assert html.index('data-form="avis-place"') < html.index('data-form="votre-quartier"')


def test_works_with_pymdownx_superfences() -> None:
    ext = extension()
    html = convert(f"{block(AVIS)}\n```python\nx = 1\n```\n", ext, "pymdownx.superfences")
    assert 'data-form="avis-place"' in html
    assert "x = 1" in html


def test_each_page_starts_without_forms_or_problems() -> None:
    ext = extension()
    convert(block(AVIS) + block("id: Avis\ntitle: Sans questions\n"), ext)
    assert ext.forms and ext.problems
    convert("# Une page sans formulaire\n", ext)
    assert (ext.forms, ext.problems) == ([], [])
    convert(block(AVIS), ext)
    convert("", ext)  # MkDocs converts empty pages too; no preprocessor runs on them
    assert (ext.forms, ext.problems) == ([], [])


def test_one_converter_used_for_two_pages_reports_only_the_last() -> None:
    ext = extension()
    md = markdown.Markdown(extensions=["fenced_code", ext])
    md.convert(block(AVIS))
    md.convert(block(QUARTIER))
    assert [form.id for form in ext.forms] == ["votre-quartier"]


def test_a_line_of_inline_code_opens_no_block() -> None:
    ext = extension()
    html = convert(f"```le`code``` en ligne\n\n{block(AVIS)}", ext)
    assert [form.id for form in ext.forms] == ["avis-place"]
    assert "<code>le`code</code>" in html


def test_a_renderer_is_required() -> None:
    with pytest.raises(RuntimeError, match="render is not set"):
        markdown.Markdown(extensions=[FormsExtension()]).convert(block(AVIS))


def test_the_default_closing_date_and_links_come_from_the_extension() -> None:
    ext = extension()
    ext.default_closes = date(2026, 11, 30)
    ext.resolve_link = lambda href: "../" + href.removesuffix(".md") + "/"
    convert(block(AVIS.replace("fields:", "intro: Voir [le projet](projet.md).\nfields:")), ext)
    assert ext.forms[0].closes == date(2026, 11, 30)
    assert ext.forms[0].intro_html == '<p>Voir <a href="../projet/">le projet</a>.</p>'


# -- problems and their lines --------------------------------------------------------------

def test_problems_name_the_page_and_the_line_after_front_matter() -> None:
    ext = extension(line_offset=4)  # "---", "title: …", "type: …", "---" stripped by MkDocs
    page = "# Votre avis\n\n" + block(AVIS.replace("type: choice", "type: radio"))
    html = convert(page, ext)
    assert ext.forms == []
    [problem] = ext.problems
    # fence on line 3 of the markdown, line 7 of the file; 'type' is the block's 5th line
    assert (problem.file, problem.line, problem.field) == (PAGE, 12, "avis-place/frequence/type")
    assert "<form" not in html


def test_invalid_yaml_is_reported_at_the_line_yaml_names() -> None:
    ext = extension(line_offset=2)
    convert("Intro.\n\n" + block(AVIS.replace("label: À quelle", "label: Votre avis : à quelle")),
            ext)
    [problem] = ext.problems
    assert problem.message.startswith("this form is not valid YAML: this line is indented more "
                                      "than the line above it, or its text holds `: `")
    assert "put a text that holds `: ` in quotes" in problem.fix
    assert (problem.file, problem.line) == (PAGE, 2 + 3 + 6)


@pytest.mark.parametrize(("body", "line", "cause", "fix"), [
    (AVIS.replace("    label:", "     label:"), 7, "is indented more than the line above",
     "the same spaces as the other keys"),
    (AVIS.replace("    label:", "   label:"), 7, "is not indented like the lines around it",
     "line each key up"),
    (AVIS.replace("title: Donnez", "title:Donnez"), 3, "a space is missing after ':'",
     "put a space after the ':'"),
    (AVIS.replace("title: Donnez votre avis", 'title: "Donnez votre avis'), 3,
     "a quote opened on this line is never closed", "close the quote"),
    (AVIS.replace("title: Donnez votre avis", 'title: "Donnez" votre avis'), 3,
     "words follow a closing quote on this line", "put the whole text in the quotes"),
])
def test_a_yaml_mistake_is_explained_at_the_line_to_correct(
    body: str, line: int, cause: str, fix: str
) -> None:
    """Line 1 is the fence: the YAML's line n is the page's line n + 1."""
    ext = extension()
    with speaking("en"):
        convert(block(body), ext)
    [problem] = ext.problems
    assert cause in problem.message
    assert fix in problem.fix
    assert problem.line == line


def test_a_yaml_mistake_is_explained_in_french_for_french_sites() -> None:
    ext = extension()
    with speaking("fr"):
        convert(block(AVIS.replace("title: Donnez", "title:Donnez")), ext)
    [problem] = ext.problems
    assert problem.message.startswith("ce formulaire n'est pas du YAML valide : une ligne n'a "
                                      "pas la forme `clé: valeur`")
    assert problem.fix.startswith("mettez une espace après les deux-points")


def test_a_yaml_mistake_hides_no_other_form_of_the_page() -> None:
    ext = extension()
    convert(block(AVIS.replace("    label:", "     label:"))
            + "\n" + block(QUARTIER.replace("type: select", "type: selct")), ext)
    assert [problem.line for problem in ext.problems] == [7, 15]
    assert "selct" in ext.problems[1].message


def test_a_key_that_is_a_list_is_invalid_yaml() -> None:
    ext = extension()
    convert(block("? [id, title]\n: avis\n"), ext)
    [problem] = ext.problems
    assert "found a key that is a list or a mapping" in problem.message
    assert problem.line == 2


def test_an_unclosed_form_block_is_reported() -> None:
    ext = extension(line_offset=1)
    convert("# Avis\n\n```form\n" + AVIS, ext)
    [problem] = ext.problems
    assert (problem.message, problem.line) == ("this form block is never closed", 4)
    assert "```" in problem.fix
    assert ext.forms == []


def test_an_unclosed_form_block_is_said_in_french_for_a_french_site() -> None:
    ext = extension(line_offset=1)
    with speaking("fr"):
        convert("# Avis\n\n```form\n" + AVIS, ext)
    [problem] = ext.problems
    assert problem.message == "ce bloc de formulaire n'est jamais fermé"
    assert problem.fix == "terminez-le par une ligne qui ne contient que ```"


def test_an_empty_form_block_is_reported_at_its_fence() -> None:
    ext = extension()
    convert("Texte.\n\n```form\n```\n", ext)
    [problem] = ext.problems
    assert (problem.message, problem.line) == ("the form block is empty", 3)


# -- src files -----------------------------------------------------------------------------

@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    (folder / "forms").mkdir(parents=True)
    (folder / "forms" / "avis.yml").write_text(AVIS, encoding="utf-8")
    return folder


def test_a_form_can_live_in_its_own_file(docs: Path) -> None:
    ext = extension(docs)
    html = convert("# Avis\n\n" + block("src: forms/avis.yml\n"), ext)
    assert 'data-form="avis-place"' in html
    assert ext.problems == []
    assert ext.forms[0].source == "forms/avis.yml"


def test_problems_in_a_form_file_name_that_file_and_its_lines(docs: Path) -> None:
    (docs / "forms" / "avis.yml").write_text(AVIS.replace("type: choice", "type: radio"),
                                             encoding="utf-8")
    ext = extension(docs, line_offset=3)
    convert(block("src: forms/avis.yml\n"), ext)
    [problem] = ext.problems
    assert (problem.file, problem.line) == ("forms/avis.yml", 5)


def test_a_tab_in_a_form_file_is_explained(docs: Path) -> None:
    """Python-Markdown turns a page's tabs into spaces; a form file keeps them."""
    (docs / "forms" / "avis.yml").write_text(AVIS.replace("    type:", "\ttype:"), "utf-8")
    ext = extension(docs)
    with speaking("en"):
        convert(block("src: forms/avis.yml\n"), ext)
    [problem] = ext.problems
    assert "a tab indents this line" in problem.message
    assert (problem.file, problem.line) == ("forms/avis.yml", 5)


def test_invalid_yaml_in_a_form_file_names_that_file(docs: Path) -> None:
    (docs / "forms" / "avis.yml").write_text("id: avis\ntitle: [Avis\n", encoding="utf-8")
    ext = extension(docs)
    convert(block("src: forms/avis.yml\n"), ext)
    [problem] = ext.problems
    assert problem.file == "forms/avis.yml"
    assert problem.line == 3  # where YAML noticed the missing ']'


def test_a_missing_form_file_names_the_page_the_line_and_the_path_looked_for(
    docs: Path,
) -> None:
    ext = extension(docs, line_offset=2)
    convert("# Avis\n\n" + block("# le questionnaire\nsrc: forms/avsi.yml\n"), ext)
    [problem] = ext.problems
    assert (problem.file, problem.line) == (PAGE, 2 + 3 + 2)
    assert "src: forms/avsi.yml does not exist" in problem.message
    assert str(docs.resolve() / "forms" / "avsi.yml") in problem.message
    assert "starts from the docs folder" in problem.fix


@pytest.mark.parametrize("src", ["../secret.yml", "forms/../../secret.yml", "/etc/hostname"])
def test_a_form_file_outside_the_docs_folder_is_refused(docs: Path, src: str) -> None:
    (docs.parent / "secret.yml").write_text(AVIS, encoding="utf-8")
    ext = extension(docs)
    convert(block(f"src: {src}\n"), ext)
    [problem] = ext.problems
    assert f"src: {src} is outside the docs folder" in problem.message
    assert ext.forms == []


def test_a_symlink_out_of_the_docs_folder_is_refused(docs: Path) -> None:
    (docs.parent / "secret.yml").write_text(AVIS, encoding="utf-8")
    (docs / "forms" / "lien.yml").symlink_to(docs.parent / "secret.yml")
    ext = extension(docs)
    convert(block("src: forms/lien.yml\n"), ext)
    assert "outside the docs folder" in ext.problems[0].message


@pytest.mark.parametrize("body, message", [
    ("src: forms/avis.yml\ntitle: Avis\n", "holds nothing else, but this one also has title"),
    ("src: 3\n", "src: must be the path of a YAML file"),
    ("src:\n", "src: must be the path of a YAML file"),
])
def test_src_is_alone_and_a_path(docs: Path, body: str, message: str) -> None:
    ext = extension(docs)
    convert(block(body), ext)
    [problem] = ext.problems
    assert message in problem.message
    assert problem.line == 2


def test_a_form_file_that_is_not_utf8_is_reported(docs: Path) -> None:
    (docs / "forms" / "avis.yml").write_bytes(AVIS.encode("latin-1"))
    ext = extension(docs)
    convert(block("src: forms/avis.yml\n"), ext)
    [problem] = ext.problems
    assert "cannot read the form file" in problem.message
    assert "UTF-8" in problem.fix
