"""The consultations the comparison benchmark builds: the example one, and bigger ones made from it.

A generated consultation of ``n`` pages is the example's eight pages (brief, form page, FAQ, two
explainers, help, accessibility, privacy) plus ``n - 8`` explainer pages in sections of
:data:`SECTION_SIZE` under "Explications", listed in an explicit ``nav:`` as an organizer would.
Their text is the example's own French prose: each page takes a topic title and
:data:`SECTIONS_PER_PAGE` ``##`` sections of the example's explainers and help page, chosen
deterministically, so the same ``n`` always gives the same bytes. Links inside borrowed sections
are reduced to their text (they were relative to another folder); each page ends with a real link
to the form page, as explainers do. The brief, the FAQ and the form page are the same files at
every size, so their weight can be compared from 10 to 1000 pages.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_CONFIG = REPO / "mkdocs.yml"
EXAMPLE_DOCS = REPO / "content"
EXAMPLE_PAGES = 9
"""Markdown pages of the example consultation (``content/``)."""
SIZES = (10, 200, 1000)
"""Sizes of the generated consultations, in markdown pages."""
SECTION_SIZE = 20
SECTIONS_PER_PAGE = 4
SOURCES = ("explications/budget.md", "explications/votre-avis.md", "aide.md", "index.md",
           "confidentialite.md")
"""Pages of the example whose ``##`` sections the generated pages borrow."""
TOPICS = (
    "Les arbres et l'ombre", "Le stationnement", "L'aire de jeux", "Les bancs",
    "L'éclairage de la place", "Le marché du samedi", "La fontaine", "Les trottoirs",
    "Les vélos", "La sécurité près de l'école", "Les commerces", "Le bruit",
    "La propreté", "Les fêtes de quartier", "Les arrêts de bus", "Les personnes âgées",
)
FORM_PAGE = "donner-mon-avis.md"
_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")


def borrowed_sections(docs: Path = EXAMPLE_DOCS) -> list[str]:
    """Every ``##`` section (heading and text) of the :data:`SOURCES` pages, links reduced to
    their text; in file order, so the choice is deterministic."""
    sections: list[str] = []
    for name in SOURCES:
        text = (docs / name).read_text(encoding="utf-8")
        for part in re.split(r"^(?=## )", text, flags=re.MULTILINE)[1:]:
            sections.append(_LINK.sub(r"\1", part).strip())
    return sections


def page_text(number: int, topic: str, sections: list[str]) -> str:
    """Generated explainer ``number`` (1-based) on ``topic``, in a folder one level below the
    docs folder's ``explications/``."""
    start = (number * SECTIONS_PER_PAGE) % len(sections)
    chosen = [sections[(start + index) % len(sections)] for index in range(SECTIONS_PER_PAGE)]
    return "\n\n".join([
        f"# {topic} : fiche {number}",
        f"Cette fiche explique un point du projet : {topic.lower()}.\n"
        "Elle est écrite en mots simples.",
        *chosen,
        f"## Donner votre avis\n\nPour dire ce que vous en pensez, allez sur la page "
        f"[donner mon avis](../../{FORM_PAGE}).",
    ]) + "\n"


def example_config() -> dict[str, Any]:
    with EXAMPLE_CONFIG.open(encoding="utf-8") as source:
        config: dict[str, Any] = yaml.safe_load(source)
    return config


def write_consultation(folder: Path, pages: int | None) -> tuple[Path, list[Any]]:
    """Write the docs of the example (``pages`` None) or of a generated consultation of
    ``pages`` markdown pages into ``folder/docs``; returns that folder and the ``nav:``."""
    docs = folder / "docs"
    shutil.copytree(EXAMPLE_DOCS, docs)
    nav: list[Any] = example_config()["nav"]
    if pages is None:
        return docs, nav
    if pages < EXAMPLE_PAGES:
        raise ValueError(f"a generated consultation has at least {EXAMPLE_PAGES} pages")
    sections = borrowed_sections(docs)
    generated: list[dict[str, list[dict[str, str]]]] = []
    for index in range(pages - EXAMPLE_PAGES):
        section, position = divmod(index, SECTION_SIZE)
        topic = TOPICS[section % len(TOPICS)]
        title = topic if section < len(TOPICS) else f"{topic} ({section // len(TOPICS) + 1})"
        if position == 0:
            generated.append({title: []})
        src = f"explications/theme-{section + 1:02d}/fiche-{position + 1:02d}.md"
        path = docs / src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page_text(index + 1, topic, sections), encoding="utf-8")
        generated[-1][title].append({f"{topic} : fiche {index + 1}": src})
    for entry in nav:
        if isinstance(entry, dict) and "Explications" in entry:
            entry["Explications"] = [*entry["Explications"], *generated]
    return docs, nav


def count_pages(docs: Path) -> int:
    return sum(1 for _ in docs.rglob("*.md"))
