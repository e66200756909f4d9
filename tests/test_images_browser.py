"""The pictures sample site in the real Chromium: the file each picture downloads is the one the
page-weight report counts for the reference phone (360 CSS px at 2x), and a computer at 1x takes
the 660 px files the default widths promise it."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser

from site_builder.page_weight import REPORT_NAME
from tests import pa11y_support
from tests.support import SITES, serve_site

pytestmark = pytest.mark.browser

PICTURES_SITE = SITES / "pictures" / "mkdocs.yml"
PICTURE_SUFFIXES = (".jpg", ".png", ".webp", ".gif", ".svg")
DOWNLOADED = """async () => {
  const images = Array.from(document.images);
  images.forEach((img) => { img.loading = "eager"; });
  await Promise.all(images.map((img) => img.decode().catch(() => null)));
  return images.map((img) => img.currentSrc);
}"""


def _downloaded(browser: Browser, base_url: str, page_url: str, *, width: int,
                density: float) -> list[str]:
    """The site path of the file each picture of the page shows, on that screen."""
    context = browser.new_context(viewport={"width": width, "height": 740},
                                  device_scale_factor=density)
    try:
        page = context.new_page()
        page.goto(base_url + page_url.lstrip("/"))
        sources: list[str] = page.evaluate(DOWNLOADED)
    finally:
        context.close()
    return [unquote(urlsplit(source).path).lstrip("/") for source in sources]


@pytest.fixture(scope="module")
def pictures_site(request: pytest.FixtureRequest) -> Path:
    return pa11y_support.built_site(request, PICTURES_SITE)


def test_the_phone_downloads_what_the_report_counts(browser: Browser, pictures_site: Path) -> None:
    report = json.loads((pictures_site / REPORT_NAME).read_text(encoding="utf-8"))
    pages = [page for page in report["pages"] if page["images"]]
    assert len(pages) >= 2, "the sample site has pictures on two pages"
    with serve_site(pictures_site) as base_url:
        for page in pages:
            counted = sorted(name for name in page["resources"]
                             if name.endswith(PICTURE_SUFFIXES))
            shown = _downloaded(browser, base_url, page["url"], width=360, density=2)
            assert sorted(set(shown)) == counted, page["path"]


def test_a_computer_takes_the_660_pixel_files(browser: Browser, pictures_site: Path) -> None:
    with serve_site(pictures_site) as base_url:
        shown = _downloaded(browser, base_url, "/", width=1280, density=1)
    assert [path.rsplit("/", 1)[-1].split(".")[0] for path in shown] == ["marche-660w"]
    assert shown[0].endswith(".webp")
