"""Photos without their hidden details: decoded and encoded again (or, for JPEG, copied
without the segments that carry metadata), so that what is stored says nothing of where or
with what it was taken."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from amparo.registry.models import Attachment

# Images are opened only in these formats (never EPS, which would start Ghostscript, nor the
# rarer decoders; JPEG opens MPO too): what opens is decoded and encoded again without its
# hidden details.
DECODED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "HEIF")
# What each becomes: photos stay photos (JPEG keeps its own quality tables), drawings PNG.
ENCODED_AS = {"JPEG": "JPEG", "MPO": "JPEG", "HEIF": "JPEG", "WEBP": "WEBP"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",)}
# Bytes a pixel takes while decoding: 4 in Pillow; HEIF decodes into libheif's buffer first.
DECODING_BYTES = {"HEIF": 8}
JPEG_MODES, PNG_MODES = {"L", "RGB", "CMYK"}, {"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"}
ORIENTATION = 0x0112


@dataclass
class Cleaned:
    """An image encoded again without its hidden details, or why it could not be."""

    data: io.BytesIO | None = None  # the new bytes, when cleaned
    size: int = 0
    format: str = ""
    metadata: str = Attachment.Metadata.KEPT


@functools.cache
def _register_heif() -> None:
    """HEIC/HEIF photos (iPhones, many Android phones) open like any other image."""
    import pillow_heif

    pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)


def without_metadata(source: Any) -> Cleaned:
    """Whatever the file's own bytes are (never what the sender said): an image Pillow opens
    is decoded and encoded again from its pixels alone, so that nothing else survives — no GPS
    position, no camera or phone model, no date (EXIF, XMP, IPTC, comments, ICC); only the
    orientation is written back, so that the photo stands the right way up.

    Its size and mode are read from the header before anything is decoded: a JPEG over
    AMPARO_IMAGE_MAX_PIXELS is cleaned without decoding (`_jpeg_without_segments`); any other
    image over it (or over Pillow's own bomb limit), a moving image, or one that does not
    decode is not cleaned — the caller keeps it as sent, with a note to the desk. Decoding
    costs about 4 bytes a pixel (8 for HEIF), hence the budget; see settings.py."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    _register_heif()
    budget = settings.AMPARO_IMAGE_MAX_PIXELS * 4
    try:
        with warnings.catch_warnings():
            # Over Pillow's warning threshold is over ours too: refused below, quietly.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(source, formats=DECODED_FORMATS)  # the header only
    except Image.DecompressionBombError:  # over Pillow's own hard limit: far over ours
        return Cleaned(metadata=Attachment.Metadata.KEPT_LARGE)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return Cleaned(metadata=Attachment.Metadata.KEPT)
    with image:
        fmt = image.format or ""
        width, height = image.size
        moving = fmt != "MPO" and getattr(image, "is_animated", False)  # MPO: a photo and its preview
        if width * height * DECODING_BYTES.get(fmt, 4) > budget:
            if fmt in ("JPEG", "MPO"):  # too large to decode, but its segments can be sorted
                return _jpeg_without_segments(source, image.getexif().get(ORIENTATION, 1))
            return Cleaned(metadata=Attachment.Metadata.KEPT_LARGE)
        target = ENCODED_AS.get(fmt, "PNG")
        if target == "JPEG" and image.mode not in JPEG_MODES:
            target = "PNG"
        if moving or image.mode not in JPEG_MODES | PNG_MODES or target == "WEBP" and image.mode \
                not in {"RGB", "RGBA"}:
            return Cleaned(metadata=Attachment.Metadata.KEPT)
        try:
            orientation = image.getexif().get(ORIENTATION, 1)
            image.load()  # decoded once, in place: no copy of the pixels is made
            # Whatever the file said beside its pixels is forgotten before it is written again.
            image.info.clear()
            exif = Image.Exif()
            if orientation in range(2, 9):
                exif[ORIENTATION] = orientation
            out = io.BytesIO()
            options: dict[str, Any] = {"exif": exif.tobytes()} if len(exif) else {}
            if target == "JPEG":
                options["quality"] = "keep" if fmt in ("JPEG", "MPO") else 92
            elif target == "WEBP":
                options["quality"] = 90
            image.save(out, format=target, **options)
        except (OSError, ValueError, SyntaxError, MemoryError, Image.DecompressionBombError):
            return Cleaned(metadata=Attachment.Metadata.KEPT)
    size = out.tell()
    out.seek(0)
    return Cleaned(data=out, size=size, format=target, metadata=Attachment.Metadata.REMOVED)


# JPEG segments a photo needs: frame, tables, restart interval, scans, and the JFIF and Adobe
# headers (colour). Everything else (APP1 EXIF and XMP, APP2 ICC and MPF, APP13 IPTC, COM…)
# is left out, and so is whatever follows the picture's end (a second picture, a trailer).
JPEG_KEPT = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF, 0xC4, 0xCC, 0xDB,
             0xDD, 0xDA}
JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}


def _orientation_segment(orientation: int) -> bytes:
    """An APP1 segment holding only the orientation (none for the upright 1 or a wrong value)."""
    if orientation not in range(2, 9):
        return b""
    from PIL import Image

    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    body = b"Exif\0\0" + exif.tobytes()
    return b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body


def _kept(marker: int, segment: bytes) -> bool:
    header = segment[2:7]
    return marker in JPEG_KEPT or (marker == 0xE0 and header == b"JFIF\0") or (
        marker == 0xEE and header.startswith(b"Adobe"))


def _scan_end(data: bytes, pos: int) -> int:
    """Where a compressed scan starting at `pos` ends: the next marker that is not data."""
    while True:
        pos = data.index(b"\xff", pos)
        following = data[pos + 1]
        if following == 0 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            pos += 1 if following == 0xFF else 2
            continue
        return pos


def _copy_segments(data: bytes, out: io.BytesIO) -> None:
    """Copy the segments a picture needs, up to its end; ValueError or IndexError when the
    file is not a whole JPEG."""
    pos, end = 2, len(data)
    while pos < end:
        if data[pos] != 0xFF:
            raise ValueError("not a marker")
        while data[pos] == 0xFF:  # fill bytes
            pos += 1
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # the picture's end: nothing after it is kept
            out.write(b"\xff\xd9")
            return
        if marker in JPEG_STANDALONE:
            out.write(bytes((0xFF, marker)))
            continue
        length = int.from_bytes(data[pos:pos + 2], "big")
        segment = data[pos:pos + length]
        if length < 2 or len(segment) != length:
            raise ValueError("cut short")
        pos += length
        if _kept(marker, segment):
            out.write(bytes((0xFF, marker)) + segment)
        if marker == 0xDA:  # the compressed scan runs to the next marker that is not data
            scan, pos = pos, _scan_end(data, pos)
            out.write(data[scan:pos])
    raise ValueError("no end")


def _jpeg_without_segments(source: Any, orientation: int) -> Cleaned:
    """A JPEG too large to decode, cleaned without decoding: the same compressed pixels (not a
    bit of the picture changes), with only the segments a picture needs; the orientation is
    written back. Memory: the file and its copy, never its pixels."""
    source.seek(0)
    data = source.read()
    if data[:2] != b"\xff\xd8":
        return Cleaned(metadata=Attachment.Metadata.KEPT_LARGE)
    out = io.BytesIO()
    out.write(b"\xff\xd8" + _orientation_segment(orientation))
    try:
        _copy_segments(data, out)
    except (ValueError, IndexError):
        return Cleaned(metadata=Attachment.Metadata.KEPT_LARGE)
    size = out.tell()
    out.seek(0)
    return Cleaned(data=out, size=size, format="JPEG", metadata=Attachment.Metadata.REMOVED)
