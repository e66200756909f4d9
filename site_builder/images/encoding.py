"""One source picture in, the files a site publishes for it out (Pillow, in memory, no cache).

Why each step (the measurements behind the formats are in ``site_builder.images``):

- **Orientation** from EXIF is applied to the pixels: phones store photos sideways with a tag
  saying how to turn them, and the tag goes with the rest of the metadata.
- **Metadata is dropped** (EXIF with its GPS position and camera serial, XMP, IPTC, comments):
  a published photo must not say where the organizer lives. Only a palette's transparency stays.
- **Colours are converted to sRGB** when the picture carries another ICC profile (phones shoot in
  Display P3): without its profile, a wide-gamut photo would look dull.
- **Never upscaled**: each configured width smaller than the picture, then the picture's own width
  (capped at the largest configured one).
- An opaque picture saved with an alpha channel loses the channel; a PNG becomes a palette PNG
  only when that is exact (verified pixel by pixel).
- Animated pictures are refused (:class:`UnusablePictureError`): they move with no way to stop them
  (WCAG 2.2.2) and weigh far more than a still frame.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageCms, ImageOps, JpegImagePlugin, UnidentifiedImageError

from site_builder.messages import say

OUTPUT_FORMAT = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "PNG", "WEBP": "WEBP"}
"""Format of the resized variants for each source format: a still GIF becomes a PNG."""
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
WEBP_QUALITY_OFFSET = 10
"""WebP at ``quality - 10`` is as sharp as JPEG at ``quality`` (SSIM, see ``images``)."""
WEBP_EFFORT = 6  # lossy: the slowest, 4 % smaller than 4 on a photo (60 ms for 640 px, cached)
WEBP_LOSSLESS_EFFORT = 4  # lossless: 6 is 20 times slower for the same bytes
ORIGINAL_WEBP_QUALITY = 90
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class UnusablePictureError(Exception):
    """A picture parole cannot publish; ``fix`` says what the organizer can do."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


@dataclass(frozen=True)
class EncodedFile:
    """One encoded picture file."""

    width: int
    height: int
    format: str  # Pillow's name: JPEG, PNG, GIF, WEBP
    data: bytes

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


@dataclass(frozen=True)
class Encoded:
    """What one source picture becomes: resized variants, narrowest first, in the source's family
    (``fallback``) and as WebP (``webp``, empty when WebP is the source's own format), and the
    full-size ``original`` in the source's format, without metadata."""

    width: int
    height: int
    fallback: tuple[EncodedFile, ...]
    webp: tuple[EncodedFile, ...]
    original: EncodedFile


def candidate_widths(width: int, widths: tuple[int, ...]) -> list[int]:
    """The widths to publish a picture ``width`` pixels wide in: never wider than the picture."""
    largest = max(widths)
    return sorted({*(w for w in widths if w < width), min(width, largest)})


def encode(data: bytes, widths: tuple[int, ...], quality: int) -> Encoded:
    """Encode the picture held in ``data``; raises :class:`UnusablePictureError`."""
    source = _open(data)
    source_format = str(source.format)
    jpeg_tables = _jpeg_tables(source)
    icc = source.info.get("icc_profile")
    oriented = ImageOps.exif_transpose(source) or source
    picture = _working_copy(_to_srgb(oriented, icc if isinstance(icc, bytes) else None))
    output = OUTPUT_FORMAT[source_format]
    fallback, webp = [], []
    for width in candidate_widths(picture.width, widths):
        height = max(1, round(picture.height * width / picture.width))
        resized = picture if width == picture.width else picture.resize(
            (width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        fallback.append(_save(resized, output, quality, lossless=False))
        if output != "WEBP":
            webp.append(_save(resized, "WEBP", quality, lossless=output == "PNG"))
    return Encoded(width=picture.width, height=picture.height, fallback=tuple(fallback),
                   webp=tuple(webp), original=_original(oriented, picture, source_format,
                                                        jpeg_tables))


def _open(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError as error:
        raise UnusablePictureError(
            say("images.too_large", error=error), say("images.too_large.fix")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise UnusablePictureError(
            say("images.unreadable", error=error), say("images.unreadable.fix")) from None
    if image.format not in OUTPUT_FORMAT:
        raise UnusablePictureError(
            say("images.format", format=image.format), say("images.format.fix"))
    if getattr(image, "n_frames", 1) > 1:
        raise UnusablePictureError(
            say("images.animated"), say("images.animated.fix"))
    return image


def _jpeg_tables(image: Image.Image) -> tuple[object, int] | None:
    """The quantization tables and subsampling of a JPEG, to re-encode its full-size copy at the
    quality it was saved with, not a new one."""
    if isinstance(image, JpegImagePlugin.JpegImageFile) and image.mode != "CMYK":
        return image.quantization, JpegImagePlugin.get_sampling(image)
    return None


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    if image.mode == "CMYK" and not icc:
        return image.convert("RGB")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "sRGB" in ImageCms.getProfileDescription(profile):
            return image.convert("RGB") if image.mode == "CMYK" else image
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, profile, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError):  # a broken profile: keep the pixels as they are
        return image.convert("RGB") if image.mode == "CMYK" else image
    assert converted is not None
    if image.mode == "RGBA":  # LittleCMS transforms the colours; the alpha channel is kept
        converted.putalpha(image.getchannel("A"))
    return converted


def _working_copy(image: Image.Image) -> Image.Image:
    """The picture in RGB, RGBA or L, with no metadata: what every variant is made from."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        alpha = image.getchannel("A").getextrema()
        if alpha == (255, 255):  # an alpha channel that hides nothing
            image = image.convert("RGB")
    elif image.mode not in ("RGB", "L"):
        image = image.convert("L" if image.mode in ("1", "I", "I;16", "F") else "RGB")
    else:
        image = image.copy()
    image.info = {}
    return image


def _save(image: Image.Image, output: str, quality: int, *, lossless: bool) -> EncodedFile:
    buffer = io.BytesIO()
    if output == "JPEG":
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True,
                   subsampling="4:2:0")
    elif output == "WEBP":
        options: dict[str, object] = (
            {"lossless": True, "quality": 100, "method": WEBP_LOSSLESS_EFFORT} if lossless
            else {"quality": max(1, quality - WEBP_QUALITY_OFFSET), "method": WEBP_EFFORT})
        image.save(buffer, "WEBP", **options)
    else:
        _exact_palette(image).save(buffer, "PNG", optimize=True)
    return EncodedFile(image.width, image.height, output, buffer.getvalue())


def _exact_palette(image: Image.Image) -> Image.Image:
    """A palette version of ``image`` when it has 256 colours or fewer and the palette keeps every
    pixel as it was; ``image`` itself otherwise (PNG stays lossless)."""
    if image.mode == "L" or image.getcolors(256) is None:
        return image
    method = Image.Quantize.FASTOCTREE if image.mode == "RGBA" else Image.Quantize.MEDIANCUT
    palette = image.quantize(256, method=method)
    palette.info = {}
    if ImageChops.difference(palette.convert(image.mode), image).getbbox() is not None:
        return image
    return palette


def _original(oriented: Image.Image, picture: Image.Image, source_format: str,
              jpeg_tables: tuple[object, int] | None) -> EncodedFile:
    """The full-size picture, for links to it, in its own format and quality, without metadata."""
    buffer = io.BytesIO()
    if source_format == "JPEG":
        options: dict[str, object] = {"quality": 90}
        if jpeg_tables is not None and picture.mode == oriented.mode:
            options = {"qtables": jpeg_tables[0], "subsampling": jpeg_tables[1]}
        picture.save(buffer, "JPEG", optimize=True, progressive=True, **options)
    elif source_format == "GIF":
        still = oriented.copy()
        still.info = {key: value for key, value in oriented.info.items()
                      if key == "transparency"}
        still.save(buffer, "GIF", optimize=True)
    elif source_format == "WEBP":
        picture.save(buffer, "WEBP", quality=ORIGINAL_WEBP_QUALITY, method=WEBP_EFFORT)
    else:
        _exact_palette(picture).save(buffer, "PNG", optimize=True)
    return EncodedFile(picture.width, picture.height, source_format, buffer.getvalue())
