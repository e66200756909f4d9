"""The plain-language measure's shortcuts change its speed, never its results.

``prose.SKIP_BY_HINTS`` lets a line skip the markup it cannot hold (no ``[``: no link) and a
sentence without capitals skip the search for acronyms and numerals (bench/readability.py
measured the measure at about 10 % of a 200-page build; the shortcuts take a quarter of it
off). Off, every step runs on every line: every page of the repository, the bench's generated
pages and tricky lines must come out the same both ways, in French and English.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.sites import write_consultation
from site_builder.plain_language import TARGETS, PageReadability, analyse_markdown, prose
from tests.support import REPO

TRICKY = """\
# Chapitre IV : le XXe siècle

Ier étage. V pour victoire. I think. Louis XIV y vint. Les HLM (habitations à loyer modéré).
Voir WWW.Belval.example pour en savoir plus.
Voir www.belval.example pour en savoir plus.
Voir https://belval.example/page pour en savoir plus.
Écrivez à <https://x.example> ou à <a@b.example>.
Un texte \\*échappé\\* et un crochet \\[ échappé.
Du `code` dans la phrase.
Une ![image du plan](plan.png "Le plan") dans la phrase.
Un [lien](page.md) et un [lien par référence][ref].
Une note[^1] dans la phrase.
Une ligne<br>coupée en deux.
Un <b>gras</b> HTML.
La page /accessibilite/ et la page /collect/avis-place/receipt.html.
Une phrase avec ses attributs {: .classe }.
Du __gras__ et du _penché_.
Du *texte* en **gras**.
Du ~~barré~~, du ==surligné== et de l'^^inséré^^.
Du &amp; et du &eacute;.
ÉCOLE FERMÉE. Élection du CM2 à l'ONU ; la CNIL, Commission nationale de l'informatique.
H.L.M. et etc. 23 % des gens. IP means Internet Protocol.
I. Introduction
X marque l'endroit.

| Colonne | Autre |
|---|---|
| Cellule [lien](x.md) | *emphase* |

*[ONU]: Organisation des Nations unies
"""


def _corpus(tmp_path: Path) -> list[tuple[str, str]]:
    files = [*sorted((REPO / "content").rglob("*.md")), *sorted((REPO / "docs").rglob("*.md")),
             *sorted((REPO / "tests" / "sites").rglob("*.md")), REPO / "README.md"]
    docs, _nav = write_consultation(tmp_path, 40)
    files += sorted(docs.glob("explications/theme-*/*.md"))
    return [(str(path), path.read_text(encoding="utf-8")) for path in files]


def _measured(markdown: str) -> tuple[PageReadability, PageReadability]:
    return (analyse_markdown(markdown, "fr", TARGETS["default"]),
            analyse_markdown(markdown, "en", TARGETS["falc"]))


def test_the_shortcuts_change_no_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = [*_corpus(tmp_path), ("tricky", TRICKY)]
    assert len(corpus) > 100
    quick = [_measured(markdown) for _name, markdown in corpus]
    monkeypatch.setattr(prose, "SKIP_BY_HINTS", False)
    every_step = [_measured(markdown) for _name, markdown in corpus]
    different = [name for (name, _), one, other in zip(corpus, quick, every_step, strict=True)
                 if one != other]
    assert different == []
    assert sum(len(french.flagged) for french, _ in quick) > 100  # the corpus has work in it


@pytest.mark.parametrize("line", TRICKY.splitlines())
def test_each_line_reads_the_same_both_ways(line: str, monkeypatch: pytest.MonkeyPatch) -> None:
    quick = prose.inline_text(line)
    monkeypatch.setattr(prose, "SKIP_BY_HINTS", False)
    assert prose.inline_text(line) == quick
