"""The reference phone of the page-weight report (360 CSS px at 2x): which candidate of a
responsive picture it downloads, and how a page's report counts it."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.images.choice import (
    Candidate,
    length_px,
    media_matches,
    phone_choice,
    source_size,
    srcset_candidates,
)
from site_builder.page_weight import measure_site

COLUMN = "(min-width: 42rem) 40rem, calc(100vw - 2rem)"
WIDTHS_SRCSET = "a-240.jpg 240w, a-360.jpg 360w, a-500.jpg 500w, a-660.jpg 660w, a-1000.jpg 1000w"


def test_srcset_candidates_keep_their_descriptors() -> None:
    assert srcset_candidates(" a.png 480w,b,c.png 800w , d.png") == [
        Candidate("a.png", "480w"), Candidate("b,c.png", "800w"), Candidate("d.png", "")]
    assert srcset_candidates("a.png, b.png 2x") == [Candidate("a.png"), Candidate("b.png", "2x")]


@pytest.mark.parametrize(("text", "pixels"), [
    ("40rem", 640.0), ("100vw", 360.0), ("12px", 12.0), ("0", 0.0),
    ("calc(100vw - 2rem)", 328.0), ("calc(50vw + 10px * 2)", 200.0),
    ("min(40rem, calc(100vw - 2rem))", 328.0), ("max(10px, 1em)", 16.0),
    ("calc((100vw - 2rem) / 2)", 164.0),
    ("50%", None), ("10", None), ("calc(100vw - 10ch)", None), ("attr(x)", None),
])
def test_lengths_on_the_reference_phone(text: str, pixels: float | None) -> None:
    assert length_px(text) == pixels


@pytest.mark.parametrize(("media", "matches"), [
    ("(min-width: 42rem)", False), ("(max-width: 600px)", True),
    ("screen and (min-width: 300px) and (max-width: 400px)", True),
    ("(orientation: portrait)", None), ("(min-width: 10%)", None),
])
def test_media_on_the_reference_phone(media: str, matches: bool | None) -> None:
    assert media_matches(media) is matches


@pytest.mark.parametrize(("sizes", "width"), [
    (COLUMN, 328.0), ("(min-width: 332px) 300px, calc(100vw - 2rem)", 300.0),
    ("(min-width: 800px) 50vw", 360.0), ("", 360.0), ("(hover: hover) 10px, 100vw", None),
])
def test_sizes_on_the_reference_phone(sizes: str, width: float | None) -> None:
    assert source_size(sizes) == width


@pytest.mark.parametrize(("img", "chosen"), [
    ({"src": "a-240.jpg", "srcset": WIDTHS_SRCSET, "sizes": COLUMN}, "a-660.jpg"),
    # without sizes, 100vw: 720 device px needed, 1000 is the first that has them
    ({"src": "a-240.jpg", "srcset": WIDTHS_SRCSET}, "a-1000.jpg"),
    ({"srcset": "a-240.jpg 240w, a-500.jpg 500w", "sizes": COLUMN}, "a-500.jpg"),  # the densest
    ({"src": "1.png", "srcset": "2.png 2x, 3.png 3x"}, "2.png"),
    ({"src": "1.png", "srcset": "1b.png 1x, 1.5.png 1.5x"}, "1.5.png"),
    ({"src": "only.png"}, "only.png"),
    ({"src": "a.png", "srcset": "b.png 100h"}, None),
    ({"src": "a.png", "srcset": "b.png 100w", "sizes": "(hover: hover) 10px"}, None),
])
def test_the_phone_takes_the_first_candidate_dense_enough(
        img: dict[str, str], chosen: str | None) -> None:
    assert phone_choice(img) == chosen


def test_in_a_picture_the_first_source_the_phone_can_use() -> None:
    img = {"src": "a-240.jpg", "srcset": WIDTHS_SRCSET, "sizes": COLUMN}
    webp = {"type": "image/webp", "srcset": WIDTHS_SRCSET.replace(".jpg", ".webp"),
            "sizes": COLUMN}
    jxl = {"type": "image/jxl", "srcset": "a.jxl"}
    wide = {"media": "(min-width: 60rem)", "srcset": "wide.jpg"}
    assert phone_choice(img, [jxl, wide, webp]) == "a-660.webp"
    assert phone_choice(img, [jxl, wide]) == "a-660.jpg"
    assert phone_choice(img, [{"media": "(prefers-color-scheme: dark)", "srcset": "d.jpg"}]) is None


def test_the_report_counts_the_phones_candidate_else_the_largest(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "img").mkdir(parents=True)
    for width, size in ((240, 100), (360, 200), (500, 300), (660, 400), (1000, 900)):
        (site / "img" / f"a-{width}.webp").write_bytes(b"w" * size)
        (site / "img" / f"a-{width}.jpg").write_bytes(b"j" * size * 2)
    srcset = WIDTHS_SRCSET.replace("a-", "img/a-")
    picture = (f'<picture><source type="image/webp" srcset="{srcset.replace(".jpg", ".webp")}" '
               f'sizes="{COLUMN}"><img src="img/a-240.jpg" srcset="{srcset}" sizes="{COLUMN}" '
               'alt="" loading="lazy"></picture>')
    unknown = f'<img src="img/a-240.jpg" srcset="{srcset}" sizes="(hover: hover) 10px" alt="">'
    (site / "phone.html").write_text(f"<p>{picture}</p>", encoding="utf-8")
    (site / "unknown.html").write_text(f"<p>{unknown}</p>", encoding="utf-8")
    pages = {page.path: page for page in measure_site(site, 10**6).pages}
    assert pages["phone.html"].resources == {"img/a-660.webp": 400}  # lazy counts too
    assert pages["unknown.html"].resources == {"img/a-1000.jpg": 1800}
