"""Pictures made frugal, without MkDocs: what one source picture becomes (widths, orientation,
metadata, colours, formats), the cache, the names, SVG sizes and the markup."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from PIL import Image

from site_builder import images
from site_builder.images import ImageSettings, Picture, prepare, slug
from site_builder.images.encoding import UnusablePictureError, candidate_widths, encode
from site_builder.images.markup import display_size, sizes
from tests.image_support import (
    ROTATE_90_CLOCKWISE,
    SRGB_PRIMARIES,
    drawing,
    jpeg,
    photo,
    png,
    rgb_profile,
)

WIDTHS = (240, 360, 500, 660, 1000)


def opened(data: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(data))
    picture.load()
    return picture


@pytest.mark.parametrize(("width", "expected"), [
    (2400, [240, 360, 500, 660, 1000]),
    (1000, [240, 360, 500, 660, 1000]),
    (700, [240, 360, 500, 660, 700]),
    (300, [240, 300]),
    (200, [200]),
])
def test_widths_never_upscale_and_keep_the_pictures_own(width: int, expected: list[int]) -> None:
    assert candidate_widths(width, WIDTHS) == expected


def test_a_photo_becomes_progressive_jpegs_and_lighter_webps_at_each_width() -> None:
    encoded = encode(jpeg(photo(1200, 800)), WIDTHS, 70)
    assert (encoded.width, encoded.height) == (1200, 800)
    assert [(file.width, file.height) for file in encoded.fallback] == [
        (240, 160), (360, 240), (500, 333), (660, 440), (1000, 667)]
    assert [file.width for file in encoded.webp] == list(WIDTHS)
    for jpg, webp in zip(encoded.fallback, encoded.webp, strict=True):
        picture = opened(jpg.data)
        assert (picture.format, picture.size) == ("JPEG", (jpg.width, jpg.height))
        assert picture.info.get("progressive") == 1
        assert opened(webp.data).format == "WEBP"
        assert len(webp.data) < len(jpg.data)


def test_exif_orientation_is_applied_to_the_pixels() -> None:
    stored = photo(300, 200)
    stored.paste((255, 0, 0), (0, 0, 30, 30))  # a red corner, top left as stored
    encoded = encode(jpeg(stored, orientation=ROTATE_90_CLOCKWISE), (1000,), 90)
    assert (encoded.width, encoded.height) == (200, 300)
    for file in (*encoded.fallback, encoded.original):
        turned = opened(file.data).convert("RGB")
        assert turned.size == (200, 300)
        corner = turned.getpixel((190, 10))  # turned right: now top right
        assert isinstance(corner, tuple)
        assert corner[0] > 200 and corner[1] < 60, corner


def test_metadata_is_dropped_from_every_file() -> None:
    source = jpeg(photo(800, 500), orientation=1, gps=True,
                  icc_profile=rgb_profile(SRGB_PRIMARIES))
    assert b"PhoneMaker" in source and opened(source).getexif().get_ifd(0x8825)
    encoded = encode(source, WIDTHS, 70)
    for file in (*encoded.fallback, *encoded.webp, encoded.original):
        published = opened(file.data)
        assert not published.getexif(), file.width
        assert not {"exif", "icc_profile", "xmp", "photoshop", "comment"} & set(published.info)
        assert b"PhoneMaker" not in file.data and b"Exif" not in file.data


def test_colours_are_converted_to_srgb_from_the_pictures_profile() -> None:
    swapped = dict(SRGB_PRIMARIES, red=SRGB_PRIMARIES["green"], green=SRGB_PRIMARIES["red"])
    red = Image.new("RGB", (400, 300), (255, 0, 0))
    encoded = encode(jpeg(red, icc_profile=rgb_profile(swapped), quality=95), (240,), 90)
    shown = opened(encoded.fallback[0].data).convert("RGB").getpixel((100, 100))
    assert isinstance(shown, tuple)
    assert shown[1] > 200 and shown[0] < 60, "the profile says this red is green"


def test_a_drawing_stays_lossless_with_an_exact_palette() -> None:
    plan = drawing(900, 600)
    encoded = encode(png(plan), (1000,), 70)
    (full,) = encoded.fallback
    published = opened(full.data)
    assert published.mode == "P"  # few colours: a palette, exactly
    assert published.convert("RGB").tobytes() == plan.tobytes()
    assert opened(encoded.webp[0].data).convert("RGB").tobytes() == plan.tobytes()


def test_transparency_is_kept_and_an_alpha_channel_hiding_nothing_is_dropped() -> None:
    see_through = Image.new("RGBA", (400, 200), (20, 60, 200, 255))
    see_through.paste((0, 0, 0, 0), (0, 0, 200, 200))
    opaque = Image.new("RGBA", (400, 200), (20, 60, 200, 255))
    for file in encode(png(see_through), (240,), 70).fallback:
        pixel = opened(file.data).convert("RGBA").getpixel((10, 10))
        assert isinstance(pixel, tuple) and pixel[3] == 0
    assert opened(encode(png(opaque), (240,), 70).fallback[0].data).mode in ("RGB", "P")


def test_a_still_gif_becomes_png_and_an_animated_one_is_refused() -> None:
    still, animated = io.BytesIO(), io.BytesIO()
    drawing(400, 300).convert("P").save(still, "GIF")
    frames = [Image.new("RGB", (40, 40), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    frames[0].save(animated, "GIF", save_all=True, append_images=frames[1:], duration=100)
    encoded = encode(still.getvalue(), (240,), 70)
    assert [file.format for file in encoded.fallback] == ["PNG"]
    assert encoded.original.format == "GIF"
    with pytest.raises(UnusablePictureError, match="animated") as refused:
        encode(animated.getvalue(), (240,), 70)
    assert "still frame" in refused.value.fix


def test_a_file_that_is_not_a_picture_is_refused_with_a_fix() -> None:
    with pytest.raises(UnusablePictureError, match="cannot be read") as refused:
        encode(b"not a picture at all", WIDTHS, 70)
    assert "JPEG" in refused.value.fix
    bitmap = io.BytesIO()
    Image.new("RGB", (10, 10)).save(bitmap, "BMP")
    with pytest.raises(UnusablePictureError, match="BMP"):
        encode(bitmap.getvalue(), WIDTHS, 70)


# -- preparing a docs folder: cache, names, choices --------------------------------------------

def _prepare(tmp_path: Path, files: dict[str, bytes], cache: str = "cache",
             settings: ImageSettings | None = None) -> dict[str, images.Prepared]:
    sources = {}
    for uri, data in files.items():
        path = tmp_path / "docs" / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        sources[uri] = path
    prepared, problems = prepare(sources, settings or ImageSettings(), tmp_path / cache)
    assert problems == []
    return prepared


def _picture(prepared: images.Prepared) -> Picture:
    assert isinstance(prepared, Picture)
    return prepared


def test_names_are_content_hashes_stable_across_caches(tmp_path: Path) -> None:
    files = {"Photos du marché/Place Centrale.JPG": jpeg(photo(800, 500))}
    first = _picture(_prepare(tmp_path, files, "one")["Photos du marché/Place Centrale.JPG"])
    again = _picture(_prepare(tmp_path, files, "two")["Photos du marché/Place Centrale.JPG"])
    assert [v.name for v in first.fallback] == [v.name for v in again.fallback]
    name = first.fallback[0].name
    assert name.startswith("place-centrale-240w.") and name.endswith(".jpg")
    assert first.site_path(first.fallback[0]) == f"Photos du marché/{name}"
    other = _picture(_prepare(tmp_path, files, "three", ImageSettings(quality=50))[
        "Photos du marché/Place Centrale.JPG"])
    assert other.fallback[0].name != name


def test_a_second_build_takes_the_pictures_from_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"place.jpg": jpeg(photo(800, 500)), "plan.png": png(drawing())}
    first = _prepare(tmp_path, files)

    def no_encoding(*args: object) -> None:
        raise AssertionError("encoded again instead of read from the cache")

    monkeypatch.setattr(images, "encode", no_encoding)
    assert _prepare(tmp_path, files) == first
    assert _picture(first["place.jpg"]).original.read_bytes()[:2] == b"\xff\xd8"


def test_webp_is_left_out_when_it_is_not_lighter(tmp_path: Path) -> None:
    noise = Image.frombytes("RGB", (32, 32), random.Random(1).randbytes(32 * 32 * 3))
    assert _picture(_prepare(tmp_path, {"noise.png": png(noise)})["noise.png"]).webp == ()


def test_a_resized_file_heavier_than_a_wider_one_is_left_out(tmp_path: Path) -> None:
    plan = _picture(_prepare(tmp_path, {"plan.png": png(drawing(900, 600))})["plan.png"])
    assert [v.width for v in plan.fallback] == [900]  # antialiasing makes resized ones heavier


def test_unusable_pictures_are_reported_once_by_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.jpg"
    path.write_bytes(b"\xff\xd8 not really")
    prepared, problems = prepare({"img/broken.jpg": path}, ImageSettings(), tmp_path / "c")
    assert prepared == {"img/broken.jpg": images.Unusable("img/broken.jpg")}
    assert [(problem.file, "cannot be read" in problem.message) for problem in problems] == [
        ("img/broken.jpg", True)]


@pytest.mark.parametrize(("svg", "size"), [
    ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80px"/>', (120, 80)),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"/>', (300, 150)),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="60" viewBox="0,0,300,150"/>', (60, 30)),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="100%"/>', (None, None)),
    ("not xml", (None, None)),
])
def test_an_svgs_size_comes_from_its_root(tmp_path: Path, svg: str,
                                           size: tuple[int | None, int | None]) -> None:
    drawing_ = _prepare(tmp_path, {"logo.svg": svg.encode()})["logo.svg"]
    assert isinstance(drawing_, images.Drawing)
    assert (drawing_.width, drawing_.height) == size


def test_settings_are_checked() -> None:
    assert ImageSettings().problems("images") == []
    problems = ImageSettings(widths=(), quality=100).problems("plugins.parole.images", "m.yml")
    assert [problem.field for problem in problems] == [
        "plugins.parole.images.widths", "plugins.parole.images.quality"]
    assert all(problem.file == "m.yml" for problem in problems)


@pytest.mark.parametrize(("stem", "expected"), [
    ("Place Centrale", "place-centrale"), ("été_2027", "ete_2027"), ("???", "image")])
def test_slug(stem: str, expected: str) -> None:
    assert slug(stem) == expected


def test_sizes_follow_the_themes_column() -> None:
    css = (Path(__file__).parent.parent / "theme/assets/parole.css").read_text(encoding="utf-8")
    assert ".p-wrap{max-inline-size:42rem;margin-inline:auto;padding-inline:1rem}" in css, (
        "the theme's column changed: change COLUMN_REM and GUTTER_REM in image_markup")
    assert sizes(1000) == "(min-width: 42rem) 40rem, calc(100vw - 2rem)"
    assert sizes(300) == "(min-width: 332px) 300px, calc(100vw - 2rem)"


def test_an_authors_width_sets_the_box_and_keeps_the_ratio() -> None:
    assert display_size(1000, 500, {}) == (1000, 500)
    assert display_size(1000, 500, {"width": "300"}) == (300, 150)
    assert display_size(1000, 500, {"height": "100px"}) == (200, 100)
    assert display_size(1000, 500, {"width": "50%"}) == (1000, 500)
