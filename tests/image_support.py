"""Pictures for the image tests, made with Pillow (deterministic: same bytes on every run), and
what to inspect in the files a build writes."""

from __future__ import annotations

import io
import random
import struct

from PIL import Image, ImageDraw, ImageFilter

GPS_IFD = 0x8825
ORIENTATION = 0x0112
ROTATE_90_CLOCKWISE = 6  # EXIF: the camera was turned; show the picture turned a quarter right
SRGB_PRIMARIES = {"red": (0.4361, 0.2225, 0.0139), "green": (0.3851, 0.7169, 0.0971),
                  "blue": (0.1431, 0.0606, 0.7141)}  # D50-adapted, as in ICC profiles


def photo(width: int = 1200, height: int = 800, seed: int = 6) -> Image.Image:
    """A photo-like picture: a sky gradient, a square with stalls, grain, a little blur."""
    picture = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    horizon = height * 11 // 20
    for y in range(height):
        if y < horizon:
            shade = y / horizon
            colour = (int(90 + 100 * shade), int(150 + 70 * shade), int(230 - 20 * shade))
        else:
            shade = (y - horizon) / (height - horizon)
            colour = (int(170 - 60 * shade), int(150 - 50 * shade), int(120 - 40 * shade))
        draw.line([(0, y), (width, y)], fill=colour)
    chance = random.Random(seed)
    for stall in range(7):
        left = stall * width // 7 + chance.randrange(width // 40)
        top = horizon - chance.randrange(height // 10, height // 4)
        right, bottom = left + width // 9, horizon + height // 12
        canvas = (chance.randrange(120, 255), chance.randrange(40, 200), chance.randrange(40, 120))
        draw.rectangle([left, top + height // 20, right, bottom], fill=(120, 90, 60))
        draw.polygon([(left - 8, top + height // 20), ((left + right) // 2, top),
                      (right + 8, top + height // 20)], fill=canvas)
    grain = Image.frombytes("L", (width, height), chance.randbytes(width * height)).convert("RGB")
    return Image.blend(picture, grain, 0.06).filter(ImageFilter.GaussianBlur(0.8))


def drawing(width: int = 900, height: int = 600) -> Image.Image:
    """A plan-like picture: flat colours and lines, few colours (a PNG's usual content)."""
    plan = Image.new("RGB", (width, height), (246, 243, 235))
    draw = ImageDraw.Draw(plan)
    draw.rectangle([width // 10, height // 10, width * 9 // 10, height * 9 // 10],
                   outline=(40, 40, 40), width=6)
    for row in range(3):
        for column in range(4):
            left = width // 5 + column * width // 6
            top = height // 4 + row * height // 5
            draw.rectangle([left, top, left + width // 10, top + height // 12],
                           fill=(200, 80, 60) if (row + column) % 2 else (60, 120, 180))
    draw.ellipse([width // 2 - 40, height // 2 - 40, width // 2 + 40, height // 2 + 40],
                 fill=(70, 150, 80))
    return plan


def jpeg(picture: Image.Image, *, orientation: int | None = None, gps: bool = False,
         icc_profile: bytes | None = None, quality: int = 90) -> bytes:
    """``picture`` as a JPEG, with the EXIF a phone would write (orientation, GPS position,
    camera) and an ICC profile when asked."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 8.0)})
    buffer = io.BytesIO()
    options: dict[str, object] = {"exif": exif.tobytes(), "quality": quality}
    if icc_profile is not None:
        options["icc_profile"] = icc_profile
    picture.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def png(picture: Image.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def rgb_profile(primaries: dict[str, tuple[float, float, float]]) -> bytes:
    """A minimal ICC v2 RGB display profile (matrix and gamma 2.2), with the given primaries:
    swapping two of them gives a profile under which pure red means pure green, which proves a
    conversion to sRGB happened."""
    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(values: tuple[float, float, float]) -> bytes:
        return b"XYZ \0\0\0\0" + b"".join(s15(value) for value in values)

    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(2.2 * 256)) + b"\0\0"
    description = b"desc\0\0\0\0" + struct.pack(">I", 5) + b"test\0" + b"\0" * 79
    tags = [(b"desc", description), (b"wtpt", xyz((0.9642, 1.0, 0.8249))),
            (b"rXYZ", xyz(primaries["red"])), (b"gXYZ", xyz(primaries["green"])),
            (b"bXYZ", xyz(primaries["blue"])), (b"rTRC", curve), (b"gTRC", curve),
            (b"bTRC", curve)]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        padded = body + b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += padded
    size = offset + len(data)
    header = (struct.pack(">I", size) + b"lcms" + struct.pack(">I", 0x02100000) + b"mntr"
              + b"RGB " + b"XYZ " + b"\0" * 12 + b"acsp" + b"\0" * 28
              + s15(0.9642) + s15(1.0) + s15(0.8249) + b"\0" * 48)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data
