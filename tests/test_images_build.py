"""Pictures in built sites: the markup pages get, the files the site holds, the errors an
organizer reads, the page-weight report, and mkdocs-material."""

from __future__ import annotations

import io
import json
import logging
import random
import re
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort
from PIL import Image

from site_builder import images
from site_builder.page_weight import REPORT_NAME
from tests.image_support import GPS_IFD, drawing, jpeg, photo, png
from tests.support import assert_golden, build_site, write_site

HOME = """# Accueil

Texte d'introduction.

![La place un samedi matin, sept étals sous un ciel bleu](photos/marche.jpg)

![Le plan des étals](photos/plan.png)
"""
SECTION_PAGE = """# Le plan

![""](../photos/motif.png)

Lien vers [le plan en grand](../photos/plan.png).

[![Le plan des étals](../photos/plan.png)](../photos/plan.png)

<img src="../photos/blason.svg" alt="Blason de Belval">

<p class="carte"><img src="/photos/marche.jpg" alt="La place" width="300" class="cadre"
  loading="eager"></p>
"""
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 140">'
       '<path d="M10 10h100v60z" fill="#12355b"/></svg>')


def _motif() -> Image.Image:
    return Image.new("RGB", (600, 24), (200, 80, 60))


def picture_site(folder: Path, pages: dict[str, str] | None = None, **config: Any) -> Path:
    """A consultation with a photo (turned, with a GPS position), a plan, a motif and an SVG."""
    config_file = write_site(folder, pages or {"index.md": HOME, "projet/plan.md": SECTION_PAGE},
                             **config)
    photos = folder / "docs" / "photos"
    photos.mkdir(exist_ok=True)
    (photos / "marche.jpg").write_bytes(jpeg(photo(1200, 800), orientation=1, gps=True))
    (photos / "plan.png").write_bytes(png(drawing(1400, 900)))
    (photos / "motif.png").write_bytes(png(_motif()))
    (photos / "blason.svg").write_text(SVG, encoding="utf-8")
    return config_file


def _main(html_file: Path) -> str:
    match = re.search(r"<main.*?</main>", html_file.read_text(encoding="utf-8"), re.S)
    assert match
    return match.group(0) + "\n"


def _errors(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)


def test_pages_get_responsive_pictures(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    site = build_site(picture_site(tmp_path), tmp_path / "site")
    assert_golden("images-section-page.html", _main(site / "projet/plan/index.html"), request)
    assert_golden("images-home.html", _main(site / "index.html"), request)


def test_only_the_first_picture_of_a_page_loads_at_once(tmp_path: Path) -> None:
    site = build_site(picture_site(tmp_path), tmp_path / "site")
    home = (site / "index.html").read_text(encoding="utf-8")
    tags = re.findall(r"<img [^>]*>", home)
    assert len(tags) == 2
    assert "loading" not in tags[0] and 'decoding="async"' in tags[0]
    assert 'loading="lazy"' in tags[1]
    section = (site / "projet/plan/index.html").read_text(encoding="utf-8")
    assert 'loading="eager"' in section, "an author's loading attribute is kept"


@pytest.mark.parametrize("directory_urls", [True, False])
def test_every_picture_address_works(tmp_path: Path, directory_urls: bool) -> None:
    site = build_site(picture_site(tmp_path, use_directory_urls=directory_urls),
                      tmp_path / "site")
    report = json.loads((site / REPORT_NAME).read_text(encoding="utf-8"))
    by_path = {page["path"]: page for page in report["pages"]}
    section = "projet/plan/index.html" if directory_urls else "projet/plan.html"
    assert not any(page["missing"] for page in report["pages"]), report
    assert any(name.startswith("photos/motif-") for name in by_path[section]["resources"])
    for tag in re.findall(r"(?:src|srcset)=\"([^\"]+)\"", (site / section).read_text("utf-8")):
        for url in re.findall(r"(\S+?)(?: \d+w)?(?:, |$)", tag):
            assert (site / section).parent.joinpath(url).resolve().is_file(), url


def test_the_site_holds_no_original_metadata(tmp_path: Path) -> None:
    site = build_site(picture_site(tmp_path), tmp_path / "site")
    published = sorted((site / "photos").glob("marche*"))
    assert published and all(not path.name.endswith(".gz") for path in published)
    for path in published:
        with Image.open(path) as picture:
            assert not picture.getexif().get_ifd(GPS_IFD), path.name
        assert b"PhoneMaker" not in path.read_bytes(), path.name
    with Image.open(site / "photos" / "marche.jpg") as full:
        assert full.size == (1200, 800), "the full-size picture stays for links to it"


def test_a_second_build_reads_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = picture_site(tmp_path)
    first = build_site(config, tmp_path / "first")
    cache = tmp_path / ".cache" / "parole-images"
    assert len(list(cache.glob("*/*/manifest.json"))) == 3

    def no_encoding(*args: object) -> None:
        raise AssertionError("a rebuild encoded a picture again")

    monkeypatch.setattr(images, "encode", no_encoding)
    second = build_site(config, tmp_path / "second")
    assert _main(second / "index.html") == _main(first / "index.html")


def test_cache_dir_is_an_option(tmp_path: Path) -> None:
    config = picture_site(tmp_path, plugins=[{"parole": {"images": {"cache_dir": "../cache"}}}])
    build_site(config, tmp_path / "site")
    assert list((tmp_path.parent / "cache").glob("*/*/manifest.json"))


def test_every_picture_problem_of_the_build_is_reported_at_once(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    pages = {"index.md": "# Accueil\n\n![](photos/marche.jpg)\n",
             "projet/plan.md": ("---\ndescription: Le plan.\n---\n# Le plan\n\n"
                                "![Plan](plan.png)\n\n![Carte](https://tiles.example/carte.png)\n"
                                '\n<img src="../photos/motif.png">\n\n![Film](../anime.gif)\n')}
    config = picture_site(tmp_path, pages)
    frames = [Image.new("RGB", (40, 40), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    animated = io.BytesIO()
    frames[0].save(animated, "GIF", save_all=True, append_images=frames[1:], duration=100)
    (tmp_path / "docs" / "anime.gif").write_bytes(animated.getvalue())
    with pytest.raises(Abort):
        build_site(config, tmp_path / "site")
    errors = _errors(caplog)
    assert "parole a trouvé 5 problèmes de contenu à corriger" in errors
    # A French site: its organizers read French.
    assert "index.md:3: l'image « marche.jpg » n'a pas de texte de remplacement" in errors
    assert '![""](photos/marche.jpg)' in errors
    assert ("projet/plan.md:6: l'image plan.png n'existe pas (cherchée sous projet/plan.png"
            in errors)  # line 6 of the file, front matter included
    assert "projet/plan.md:8: l'image https://tiles.example/carte.png est sur un autre" in errors
    assert "projet/plan.md:10: l'image « motif.png » n'a pas de texte de remplacement" in errors
    assert errors.index("plan.md:6:") < errors.index("plan.md:8:") < errors.index("plan.md:10:")
    assert 'ajoutez alt="ce que montre l\'image" à la balise <img>' in errors
    assert "anime.gif: cette image est animée" in errors
    assert "Doc file" not in errors + "".join(r.getMessage() for r in caplog.records), (
        "MkDocs must not report the missing picture a second time")


@pytest.mark.parametrize(("language", "said"), [
    ("fr", ["2 problèmes de configuration", "plugins.parole.images.widths vaut []",
            "Pour corriger : donnez une qualité JPEG entre 1 et 95"]),
    ("en", ["2 configuration problems", "plugins.parole.images.widths is []",
            "How to fix: give a JPEG quality between 1 and 95"])])
def test_wrong_image_options_stop_the_build(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, language: str, said: list[str]) -> None:
    config = picture_site(tmp_path, theme={"name": "parole", "language": language},
                          plugins=[{"parole": {"images": {"widths": [], "quality": 0}}}])
    with pytest.raises(Abort):
        build_site(config, tmp_path / "site")
    errors = _errors(caplog)
    assert [text for text in said if text not in errors] == []
    assert "mkdocs.yml: [plugins.parole.images.widths]" in errors
    assert "[plugins.parole.images.quality]" in errors


def test_pictures_count_in_the_page_weight_as_a_phone_fetches_them(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = picture_site(tmp_path)
    grain = Image.frombytes("RGB", (1200, 800), random.Random(2).randbytes(1200 * 800 * 3))
    (tmp_path / "docs/photos/marche.jpg").write_bytes(jpeg(grain))  # a photo full of detail
    site = build_site(config, tmp_path / "site", strict=False)
    report = json.loads((site / REPORT_NAME).read_text(encoding="utf-8"))
    home = next(page for page in report["pages"] if page["path"] == "index.html")
    counted = sorted(home["resources"])
    assert [name.split(".")[0] for name in counted] == ["photos/marche-660w", "photos/plan-660w"]
    assert home["images"] == sum(home["resources"].values())
    assert home["images"] > 14 * 1024 > home["html"], "the photo takes the page over the budget"
    assert any(record.levelno == logging.WARNING and record.getMessage().startswith(
        "index.html pèse") for record in caplog.records)


def test_pictures_with_mkdocs_material(tmp_path: Path) -> None:
    site = build_site(picture_site(tmp_path, theme={"name": "material"}), tmp_path / "site",
                      strict=False)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<source type="image/webp" srcset="photos/marche-240w.' in home
    assert 'alt="La place un samedi matin, sept étals sous un ciel bleu"' in home
