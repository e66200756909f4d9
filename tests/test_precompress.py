"""Precompressed ``.gz`` files: complete, faithful, reproducible, never stale."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import zlib
from pathlib import Path

import pytest

from site_builder.messages import speaking
from site_builder.precompress import COMPRESSIBLE, BackgroundGzips, gzip_bytes, precompress_site
from tests.support import build_site, write_site

TEXT = "Bienvenue sur la consultation de Belval. " * 20


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for path in ("index.html", "faq/index.html", "assets/parole.css", "assets/app.js",
                 "assets/module.mjs", "forms/avis.json", "img/logo.svg", "sitemap.xml",
                 "robots.txt", "assets/app.js.map", "assets/OLD.CSS", "donnees/avis.csv"):
        file = site / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(f"{path}\n{TEXT}", encoding="utf-8")
    (site / "img/plan.png").write_bytes(TEXT.encode())  # compressible bytes, but an image
    (site / "download.csv.gz").write_bytes(gzip.compress(TEXT.encode()))
    return site


def eligible(site: Path) -> list[Path]:
    return sorted(file for file in site.rglob("*")
                  if file.is_file() and file.suffix.lower() in COMPRESSIBLE)


def test_every_eligible_file_gets_a_faithful_gz(site: Path) -> None:
    sent = precompress_site(site)
    files = eligible(site)
    assert len(files) == 12
    assert sorted(sent) == [file.relative_to(site).as_posix() for file in files]
    for file in files:
        compressed = file.with_name(file.name + ".gz").read_bytes()
        assert gzip.decompress(compressed) == file.read_bytes()
        assert sent[file.relative_to(site).as_posix()] == len(compressed)
    assert not (site / "img/plan.png.gz").exists()
    assert not list(site.rglob("*.gz.gz"))
    # a .gz without its file may be a download put there on purpose: left as it was
    assert gzip.decompress((site / "download.csv.gz").read_bytes()) == TEXT.encode()


def test_gz_header_is_reproducible(site: Path) -> None:
    precompress_site(site)
    header = (site / "index.html.gz").read_bytes()[:10]
    assert header[:3] == b"\x1f\x8b\x08"
    assert header[3] == 0  # no file name, no comment, no extra field
    assert header[4:8] == b"\0\0\0\0"  # modification time 0
    assert header[9] == 255  # operating system "unknown", the same on every platform


def test_same_site_gives_byte_identical_gz(site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    os.utime(copy / "index.html", (1, 1))  # another date, another folder: the same bytes
    precompress_site(site)
    precompress_site(copy)
    first = {file.relative_to(site): file.read_bytes() for file in site.rglob("*.gz")}
    second = {file.relative_to(copy): file.read_bytes() for file in copy.rglob("*.gz")}
    assert len(first) == 13  # 12 written + the download.csv.gz of the fixture
    assert first == second
    precompress_site(site)
    assert first == {file.relative_to(site): file.read_bytes() for file in site.rglob("*.gz")}


def test_stale_gz_is_replaced(site: Path) -> None:
    stale = site / "assets/parole.css.gz"
    stale.write_bytes(gzip.compress(b"body { color: red }"))
    precompress_site(site)
    assert gzip.decompress(stale.read_bytes()) == (site / "assets/parole.css").read_bytes()
    assert not list(site.rglob("*.tmp"))


def test_tiny_file_keeps_no_gz(site: Path) -> None:
    tiny = site / "tiny.txt"
    tiny.write_text("ok", encoding="utf-8")
    (site / "tiny.txt.gz").write_bytes(gzip_bytes(b"an older, longer version of tiny.txt"))
    assert len(gzip_bytes(b"ok")) > 2  # gzip would make it bigger
    sent = precompress_site(site)
    assert not (site / "tiny.txt.gz").exists()  # the server would send the stale one otherwise
    assert sent["tiny.txt"] == 2  # the file itself is sent
    assert len(list(site.rglob("*.gz"))) == 13  # 12 written + the download.csv.gz


def test_pages_gzipped_in_the_background_are_not_gzipped_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    compressed: list[int] = []
    real_compress = zlib.compress

    def counting_compress(data: bytes, /, level: int = -1, wbits: int = 15) -> bytes:
        compressed.append(len(data))
        return real_compress(data, level=level, wbits=wbits)

    monkeypatch.setattr(zlib, "compress", counting_compress)
    pages = [f"{number} {os.urandom(8).hex()} {TEXT}".encode() for number in range(5)]
    gzips = BackgroundGzips(pending=2)  # fewer slots than pages: add() waits, never drops one
    for page in pages:
        gzips.add(page)
    gzips.finish()
    assert sorted(compressed) == sorted(len(page) for page in pages)
    assert [gzip.decompress(gzip_bytes(page)) for page in pages] == pages
    assert len(compressed) == len(pages), "the report's and the .gz pass's gzip found in memory"


def test_a_gz_written_while_rendering_is_kept_while_its_page_is_the_same(
        tmp_path: Path) -> None:
    site = tmp_path / "site"
    page = site / "nouvelle" / "index.html"  # its folder does not exist yet
    data = TEXT.encode()
    gzips = BackgroundGzips()
    gzips.add(data, page)
    gzips.add(b"ok", site / "tiny.html")  # gzip would make it bigger: no .gz
    page.parent.mkdir(parents=True, exist_ok=True)  # as MkDocs writes the page after handing
    page.write_bytes(data)  # it to the plugin
    (site / "tiny.html").write_bytes(b"ok")
    gzips.finish()
    target = site / "nouvelle" / "index.html.gz"
    assert gzip.decompress(target.read_bytes()) == data
    assert not (site / "tiny.html.gz").exists()
    before = target.stat()
    sent = precompress_site(site, gzips.written)
    assert sent == {"nouvelle/index.html": before.st_size, "tiny.html": 2}
    assert target.stat().st_ino == before.st_ino  # kept, not written again


def test_a_page_changed_after_its_gz_was_written_gets_a_new_one(tmp_path: Path) -> None:
    """Another plugin may rewrite pages after the build (MkDocs' on_post_build, before
    parole's): the .gz written while rendering is then stale and must be replaced."""
    page = tmp_path / "site" / "index.html"
    gzips = BackgroundGzips()
    gzips.add(TEXT.encode(), page)
    gzips.finish()
    changed = (TEXT + "Version 2.").encode()
    page.write_bytes(changed)
    precompress_site(tmp_path / "site", gzips.written)
    assert gzip.decompress((tmp_path / "site" / "index.html.gz").read_bytes()) == changed


def test_an_error_in_a_background_gzip_stops_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_compress(data: bytes, /, level: int = -1, wbits: int = 15) -> bytes:
        raise MemoryError("no memory left")

    monkeypatch.setattr(zlib, "compress", failing_compress)
    gzips = BackgroundGzips()
    gzips.add(os.urandom(64))
    with pytest.raises(MemoryError, match="no memory left"):
        gzips.finish()


@pytest.mark.parametrize(("language", "said"), [
    ("en", "Build the site first (parole build), or set plugins.parole.precompress to false"),
    ("fr", "Construisez d'abord le site (parole build), ou mettez plugins.parole.precompress à "
           "false")])
def test_missing_site_folder_says_what_to_do(tmp_path: Path, language: str, said: str) -> None:
    with speaking(language), pytest.raises(FileNotFoundError, match=re.escape(said)):
        precompress_site(tmp_path / "nowhere")


def test_example_site_is_precompressed(example_site: Path) -> None:
    files = eligible(example_site)
    assert files
    lacking = [str(file.relative_to(example_site)) for file in files
               if len(gzip_bytes(file.read_bytes())) < file.stat().st_size
               and not file.with_name(file.name + ".gz").is_file()]
    assert not lacking, f"files without their .gz: {lacking}"
    stale = [str(file.relative_to(example_site)) for file in files
             if file.with_name(file.name + ".gz").is_file() and gzip.decompress(
                 file.with_name(file.name + ".gz").read_bytes()) != file.read_bytes()]
    assert not stale, f".gz files that are not their file: {stale}"
    assert (example_site / "page-weight.json.gz").is_file()  # written after the others


def test_a_page_another_plugin_rewrites_after_the_build_gets_a_faithful_gz(
        tmp_path: Path) -> None:
    hook = tmp_path / "version.py"
    hook.write_text(
        "from pathlib import Path\n\n"
        "def on_post_build(config):  # runs before parole's, which comes last\n"
        "    page = Path(config.site_dir) / 'index.html'\n"
        "    page.write_text(page.read_text().replace('VERSION', '2.0.1'))\n",
        encoding="utf-8")
    config = write_site(tmp_path, {"index.md": "# Accueil\n\nVersion VERSION.\n"},
                        hooks=[str(hook)])
    site = build_site(config, tmp_path / "site")
    page = (site / "index.html").read_bytes()
    assert b"2.0.1" in page
    assert gzip.decompress((site / "index.html.gz").read_bytes()) == page
