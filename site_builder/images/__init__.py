"""Pictures made frugal: every raster picture of the docs folder is published as a few resized,
recompressed, metadata-free files with content-hashed names, made once and kept in a cache.

What a picture ``docs/place/plan.jpg`` becomes in the site (the encoding itself, with the reasons
for each step, is ``site_builder.images.encoding``):

- ``place/plan-240w.1a2b3c4d5e.jpg``, ``-360w.…``, … ``-1000w.…``: one file per configured
  width smaller than the picture, plus the picture's own width when it is narrower than the
  widest; never upscaled; a file that weighs as much as a wider one is left out. The hash is
  that of the file's bytes: a server may let browsers keep them forever (``Cache-Control:
  immutable``), a changed picture gets new names.
- ``place/plan-240w.….webp`` and so on: the same widths as WebP, offered first in a
  ``<picture>`` (``site_builder.images.markup``); browsers without WebP (KaiOS 2.5 phones) take
  the JPEG or PNG. They are dropped when they are not at least 10 % lighter in total.
- ``place/plan.jpg`` itself stays, full size, without its metadata, for links to it.

**Widths.** Browsers take the narrowest file at least as wide as the picture's box times the
screen's density (Chromium 156, measured: ``tests/test_images_browser.py``). The theme's column
is ``100vw - 2rem`` on phones, 328 CSS px on the 360 px screen of most cheap Android phones, so
the defaults are what common screens need: 240 (KaiOS phones, 240 px at 1x), 360 (328 at 1x),
500 (1.5x), 660 (2x, the commonest; also the 640 px column of a computer at 1x), 1000 (360 px
phones at 3x and 412 px ones at 2.6x). With 320/640/960 instead, that commonest phone would
download the 960 px file, twice the pixels of the 660 px one.

Formats, measured on a real photo (720 x 477 px, a circuit board, 253 KiB as shot), each
variant compared with the resized original by SSIM on luma (higher is sharper):

=========  ======================  ======================  ==================
width      JPEG q70 progressive    WebP q60 (q70 - 10)     AVIF q50
=========  ======================  ======================  ==================
320 px     19.0 KiB, SSIM 0.948    16.2 KiB, SSIM 0.965    10.3 KiB, 0.934
640 px     60.0 KiB, SSIM 0.964    44.7 KiB, SSIM 0.964    29.6 KiB, 0.947
=========  ======================  ======================  ==================

So WebP at ten points below the JPEG quality is as sharp and 25 % lighter, in every current
browser; the JPEG stays as the fallback (4:2:0 chroma subsampling, progressive: a blurred whole
picture comes first on 2G; q75 would add 9 % for SSIM +0.005). AVIF would save another third, but
encodes 3.5 times slower than WebP (220 ms against 60 ms at 640 px) and decodes slowly on cheap
phones; not offered.

PNG (screenshots, plans) stays lossless: Pillow's 256-colour quantisers (its wheels lack
libimagequant) band gradients and no metric here says when they stay faithful, so a palette is
used only when exact. Lossless WebP beside it measured 60 % lighter on a 640 px screenshot
(19.4 KiB against 48.4 KiB) and 21-49 % on four other drawings, with no loss at all.

**Cache.** Results live in ``.cache/parole-images/`` beside ``mkdocs.yml`` (option
``images.cache_dir``), one folder per source picture, keyed by the SHA-256 of its bytes, the
settings, this pipeline's version and Pillow's version: a rebuild (``parole serve``) only reads
and hashes the pictures. Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import PIL

from site_builder.errors import Problem
from site_builder.images.encoding import Encoded, EncodedFile, UnusablePictureError, encode
from site_builder.images.svg_size import svg_size
from site_builder.messages import say

PIPELINE_VERSION = 1
"""Bump when the encoding changes, so cached results are made again."""
RASTER_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
DRAWING_SUFFIXES = (".svg",)
DEFAULT_WIDTHS = (240, 360, 500, 660, 1000)
DEFAULT_QUALITY = 70
DEFAULT_CACHE_DIR = ".cache/parole-images"
WEBP_MIN_SAVING = 0.10
MAX_WORKERS = 4  # Pillow releases the GIL while it decodes, resizes and encodes
HASH_LENGTH = 10


@dataclass(frozen=True)
class ImageSettings:
    """How pictures are resized and recompressed (``images`` options of the plugin)."""

    widths: tuple[int, ...] = DEFAULT_WIDTHS
    quality: int = DEFAULT_QUALITY

    def problems(self, field: str, file: str | None = None) -> list[Problem]:
        """What is wrong with these settings (``field`` is the options' path, for messages)."""
        found = []
        if not self.widths or any(width < 16 or width > 4096 for width in self.widths):
            found.append(Problem(
                message=say("images.widths", field=field, widths=list(self.widths)),
                fix=say("images.widths.fix"),
                file=file, field=f"{field}.widths"))
        if not 1 <= self.quality <= 95:
            found.append(Problem(
                message=say("images.quality", field=field, quality=self.quality),
                fix=say("images.quality.fix"),
                file=file, field=f"{field}.quality"))
        return found

    def fingerprint(self) -> str:
        """Everything that changes the files made from a picture."""
        return json.dumps([PIPELINE_VERSION, PIL.__version__, sorted(set(self.widths)),
                           self.quality])


@dataclass(frozen=True)
class Variant:
    """One published file of a picture: ``name`` is its file name in the site, ``cached`` the
    file the site's copy is made from."""

    name: str
    width: int
    height: int
    media_type: str
    size: int
    cached: Path


@dataclass(frozen=True)
class Picture:
    """A raster picture of the docs folder, ready to publish."""

    src_uri: str
    width: int
    height: int
    fallback: tuple[Variant, ...]
    webp: tuple[Variant, ...]
    original: Path
    """The full-size copy without metadata, published under ``src_uri``."""

    def site_path(self, variant: Variant) -> str:
        """Where ``variant`` is in the site: beside the source picture."""
        return posixpath.join(posixpath.dirname(self.src_uri), variant.name)


@dataclass(frozen=True)
class Drawing:
    """An SVG of the docs folder, published as it is; its size when the file says it."""

    src_uri: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Unusable:
    """A picture that cannot be published; its problem is reported once, by ``prepare``."""

    src_uri: str


Prepared = Picture | Drawing | Unusable


def is_picture(src_uri: str) -> bool:
    return src_uri.lower().endswith(RASTER_SUFFIXES + DRAWING_SUFFIXES)


def prepare(sources: Mapping[str, Path], settings: ImageSettings,
            cache_dir: Path) -> tuple[dict[str, Prepared], list[Problem]]:
    """Make (or find in the cache) the files of every picture in ``sources`` (docs path → file);
    returns what each became and the problems, sorted by file."""
    prepared: dict[str, Prepared] = {}
    problems: list[Problem] = []
    rasters = sorted(uri for uri in sources if uri.lower().endswith(RASTER_SUFFIXES))
    for uri in sorted(set(sources) - set(rasters)):
        if uri.lower().endswith(DRAWING_SUFFIXES):
            prepared[uri] = _drawing(uri, sources[uri])
    workers = min(MAX_WORKERS, os.cpu_count() or 1, len(rasters) or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(lambda uri: _picture(uri, sources[uri], settings, cache_dir), rasters)
        for uri, result in zip(rasters, results, strict=True):
            if isinstance(result, Problem):
                problems.append(result)
                prepared[uri] = Unusable(uri)
            else:
                prepared[uri] = result
    return prepared, problems


def _picture(uri: str, source: Path, settings: ImageSettings,
             cache_dir: Path) -> Picture | Problem:
    try:
        data = source.read_bytes()
    except OSError as error:
        return Problem(message=say("images.unreadable_file", error=error),
                       fix=say("images.unreadable_file.fix"), file=uri)
    key = hashlib.sha256(data + settings.fingerprint().encode()).hexdigest()
    entry = cache_dir / key[:2] / key
    manifest = _read_manifest(entry)
    if manifest is None:
        try:
            encoded = encode(data, settings.widths, settings.quality)
        except UnusablePictureError as error:
            return Problem(message=str(error), fix=error.fix, file=uri)
        manifest = _write_entry(entry, encoded, PurePosixPath(uri).suffix.lower())
    return _from_manifest(uri, entry, manifest)


def _file_name(file: EncodedFile) -> str:
    digest = hashlib.sha256(file.data).hexdigest()[:HASH_LENGTH]
    return f"{file.width}w.{digest}.{file.extension}"


def _write_entry(entry: Path, encoded: Encoded, suffix: str) -> dict[str, object]:
    """Store ``encoded`` in the cache folder ``entry`` (written aside, then renamed: a build
    stopped halfway, or two at once, never leave half an entry)."""
    fallback, webp = _lighter_than_wider(encoded.fallback), _lighter_than_wider(encoded.webp)
    if sum(len(file.data) for file in webp) > (1 - WEBP_MIN_SAVING) * sum(
            len(file.data) for file in fallback):
        webp = ()
    manifest: dict[str, object] = {
        "width": encoded.width, "height": encoded.height, "original": f"original{suffix}",
        "fallback": [_describe(file) for file in fallback],
        "webp": [_describe(file) for file in webp],
    }
    entry.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=entry.parent, prefix=".partial-"))
    try:
        for file in (*fallback, *webp):
            (folder / _file_name(file)).write_bytes(file.data)
        (folder / f"original{suffix}").write_bytes(encoded.original.data)
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        folder.replace(entry)
    except OSError:
        if not entry.is_dir():  # not another build's entry that arrived first
            raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return manifest


def _lighter_than_wider(files: tuple[EncodedFile, ...]) -> tuple[EncodedFile, ...]:
    """``files`` (narrowest first) without those that weigh as much as a wider one: a drawing
    resized gains in-between colours (antialiasing) and can outweigh its full-size self."""
    kept: list[EncodedFile] = []
    for file in reversed(files):
        if not kept or len(file.data) < len(kept[-1].data):
            kept.append(file)
    return tuple(reversed(kept))


def _describe(file: EncodedFile) -> dict[str, object]:
    return {"file": _file_name(file), "width": file.width, "height": file.height,
            "media_type": file.media_type}


def _read_manifest(entry: Path) -> dict[str, object] | None:
    try:
        manifest = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _from_manifest(uri: str, entry: Path, manifest: dict[str, object]) -> Picture:
    stem = slug(PurePosixPath(uri).stem)

    def variants(key: str) -> tuple[Variant, ...]:
        described = manifest[key]
        assert isinstance(described, list)
        return tuple(Variant(name=f"{stem}-{item['file']}", width=item["width"],
                             height=item["height"], media_type=item["media_type"],
                             size=(entry / item["file"]).stat().st_size,
                             cached=entry / item["file"])
                     for item in described)

    width, height = manifest["width"], manifest["height"]
    assert isinstance(width, int) and isinstance(height, int)
    return Picture(src_uri=uri, width=width, height=height, fallback=variants("fallback"),
                   webp=variants("webp"), original=entry / str(manifest["original"]))


def slug(stem: str) -> str:
    """A file name part safe in ``srcset`` and URLs: ``Plan de la Place`` → ``plan-de-la-place``."""
    ascii_only = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9_]+", "-", ascii_only.lower()).strip("-") or "image"


def _drawing(uri: str, source: Path) -> Drawing:
    size = svg_size(source)
    return Drawing(uri, *size) if size else Drawing(uri)
