"""The EPUB's cover: an image given with the article (a sidecar's), or a typographic one drawn here.

The drawn cover sets the title, authors, date and publication name in the project's own typefaces
(`assets.FONT_FACES`) with Pillow, at 1600 × 2560 pixels: the 1:1.6 shape and the size Kindle and Kobo ask for.
It depends on nothing but the document, so the same article always gives the same PNG bytes.

The type is drawn as coverage masks, one per ink, and the PNG is a palette image of those inks' tints over the
paper: a quarter of the RGB image's bytes to compress, which makes the cover some ten times cheaper to encode.
"""

from __future__ import annotations

import struct
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont, features

try:  # zlib-ng deflates the cover's runs of paper five times faster than zlib, to the same bytes
    from zlib_ng import zlib_ng as _deflate
except ImportError:  # an installation without it (it is a declared dependency)
    _deflate = zlib  # type: ignore[misc]

from pipeline.model import Document
from pipeline.render.assets import FONT_FACES, FontFace
from pipeline.render.html import direction
from pipeline.render.labels import join_names, labels
from pipeline.render.templating import human_date

WIDTH, HEIGHT = 1600, 2560
MARGIN = 150
PAPER = (244, 240, 232)
INK = (20, 23, 26)
GREY = (92, 96, 102)
ACCENT = (166, 38, 26)

# Palette: 128 tints of INK over the paper (index 0 is the paper itself), 127 of GREY, then ACCENT. Pillow
# blends anti-aliased type as a coverage of 0..255; halving it to 128 steps moves no pixel by more than one
# level of one channel, so the picture is the one an RGB image would hold.
_TINTS = 127
_ACCENT_INDEX = 2 * _TINTS + 1


def _tint(ink: tuple[int, int, int], step: int) -> list[int]:
    return [round(p + (i - p) * step / _TINTS) for p, i in zip(PAPER, ink, strict=True)]


_PALETTE = [v for step in range(_TINTS + 1) for v in _tint(INK, step)] + \
    [v for step in range(1, _TINTS + 1) for v in _tint(GREY, step)] + list(ACCENT)
# The GREY mask's steps land after INK's: 0 stays 0 (no grey there), step k becomes index 127 + k.
_GREY_INDEX = [0] + [min(_TINTS + k, 2 * _TINTS) for k in range(1, 256)]

#: Media types a cover may have, with the file extension each is stored under.
COVER_TYPES: dict[str, str] = {"image/jpeg": "jpg", "image/png": "png"}


@dataclass(frozen=True)
class CoverImage:
    """A cover as the EPUB stores it: the image's bytes and media type, and its text alternative."""

    data: bytes
    media_type: str
    alt: str | None = None

    def __post_init__(self) -> None:
        if self.media_type not in COVER_TYPES:
            raise ValueError(f"a cover must be JPEG or PNG, not {self.media_type}")

    @property
    def extension(self) -> str:
        return COVER_TYPES[self.media_type]


def cover_alt(doc: Document) -> str:
    """The cover's text alternative: what it says, since it is all type."""
    names = join_names(doc.author_names, doc.meta.language)
    words = labels(doc.meta.language)
    return (words["cover_alt_by"] if names else words["cover_alt"]).format(title=doc.meta.title, names=names)


@lru_cache(maxsize=1)
def _faces() -> tuple[tuple[FontFace, str, frozenset[int]], ...]:
    """Each of the project's faces with its file and the code points it maps, looked up once per process."""
    from pipeline.render.fonts import cmap  # the coverage check reads the same faces: each is read once

    return tuple((face, str(face.path), cmap(str(face.path))) for face in FONT_FACES)


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    """The code points some face of the project's draws."""
    return frozenset().union(*(cmap for _face, _file, cmap in _faces()))


def _face(text: str, family: str, weight: int, style: str = "normal") -> tuple[FontFace, str, frozenset[int]]:
    """The face closest to the one asked for that has every character of `text` (scripts beyond Latin), with its
    file and code points."""
    needed = {ord(c) for c in text if not c.isspace()}

    def distance(entry: tuple[FontFace, str, frozenset[int]]) -> tuple[bool, bool, int, bool]:
        face, _file, cmap = entry
        return (not needed <= cmap, face.family != family, abs(face.weight - weight), face.style != style)

    return min(_faces(), key=distance)


@lru_cache(maxsize=1)
def _layout_engine() -> ImageFont.Layout:
    # Raqm shapes Arabic and Indic scripts and orders right-to-left text; Pillow's basic layout cannot.
    return ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC


@lru_cache(maxsize=64)
def _truetype(file: str, size: int, index: int = 0) -> ImageFont.FreeTypeFont:
    """A font object per file, size and face: loading the face is a tenth of a cover, and the object draws alike
    every time (the cover sets no variation or other state on it)."""
    return ImageFont.truetype(file, size, index=index, layout_engine=_layout_engine())


# The face of Noto's CJK collection for each language (the collection holds JP, KR, SC, TC and HK faces).
_CJK_FACE = {"ja": 0, "ko": 1, "zh": 2}


def _fallback(text: str, language: str) -> tuple[str, int] | None:
    """A Noto font file (and face index) that draws every character of `text`, for scripts our faces lack."""
    from pipeline.render.fonts import cmap, fallback_files

    needed = {ord(c) for c in text if not c.isspace()}
    for file in _outline_fallbacks(fallback_files()):
        if needed <= cmap(file):
            return file, _CJK_FACE.get(language.split("-")[0], 0) if file.endswith(".ttc") else 0
    return None


@lru_cache(maxsize=4)
def _outline_fallbacks(files: tuple[str, ...]) -> tuple[str, ...]:
    """The fallback fonts Pillow can draw at any size: colour emoji fonts hold bitmaps of one size only (sifted
    once per list of files: a cover in a script our faces lack asks for every size it tries, and the list holds
    every Noto font)."""
    return tuple(f for f in files if "Emoji" not in Path(f).name or "Color" not in Path(f).name)


def drawable(text: str, language: str = "en") -> str:
    """`text` without the characters no face the cover can scale draws (colour emoji): left out, not boxes."""
    from pipeline.render.fonts import cmap, fallback_files

    covered = _covered()
    missing = {c for c in text if not c.isspace() and ord(c) not in covered}
    if not missing:
        return text
    for file in _outline_fallbacks(fallback_files()):
        found = cmap(file)
        missing = {c for c in missing if ord(c) not in found}
        if not missing:
            return text
    # The joiners and presentation selectors that built the emoji go with them.
    kept = "".join(c for c in text if c not in missing and c not in "\ufe0f\ufe0e\u200d")
    return " ".join(kept.split())


def _font(text: str, family: str, weight: int, size: int, style: str = "normal",
          language: str = "en") -> ImageFont.FreeTypeFont:
    _chosen, file, cmap = _face(text, family, weight, style)
    if not {ord(c) for c in text if not c.isspace()} <= cmap and (found := _fallback(text, language)):
        return _truetype(found[0], size, found[1])
    return _truetype(file, size)


@lru_cache(maxsize=1024)
def _advance(font: ImageFont.FreeTypeFont, char: str) -> float:
    """The advance of one character: letter-spaced lines are set a character at a time, in capitals and figures
    that recur from cover to cover (fonts come from `_truetype`, so the same object stands for the same font)."""
    return font.getlength(char)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy line breaking at spaces (between characters in CJK text, which has none); a word wider than the
    line gets a line of its own."""
    lines: list[str] = []
    words = text.split()
    if len(words) == 1 and any(unicodedata.east_asian_width(c) in "WF" for c in text):
        words = list(text)
    for word in words:
        joiner = "" if len(word) == 1 and unicodedata.east_asian_width(word) in "WF" else " "
        if lines and font.getlength(f"{lines[-1]}{joiner}{word}") <= width:
            lines[-1] = f"{lines[-1]}{joiner}{word}"
        else:
            lines.append(word)
    return lines


def _fit(text: str, family: str, weight: int, sizes: range, width: int, height: int,
         leading: float, language: str = "en") -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size in `sizes` at which `text` fits the box, with its lines."""
    for size in sizes:
        font = _font(text, family, weight, size, language=language)
        lines = _wrap(text, font, width)
        widest = max(font.getlength(line) for line in lines)
        if len(lines) * size * leading <= height and widest <= width:
            return font, lines
    font = _font(text, family, weight, sizes[-1], language=language)
    return font, _wrap(text, font, width)


def draw_cover(doc: Document, *, publisher: str | None = None) -> CoverImage:
    """The typographic cover of `doc` as a PNG."""
    meta = doc.meta
    rtl = direction(meta.language) == "rtl"
    measure = WIDTH - 2 * MARGIN
    # One coverage mask per ink, drawn at full strength _TINTS: Pillow blends the type's edges into it exactly as
    # it would into an RGB image, so each pixel's value is its tint step of that ink. The grey type (masthead,
    # subtitle, date) is drawn in bands of the page, one per group of lines: a whole page's second mask, and
    # merging it, were a third of the cover's time.
    image = Image.new("L", (WIDTH, HEIGHT), 0)
    ink_pen = ImageDraw.Draw(image)
    bands: list[tuple[int, Image.Image]] = []

    def grey(first: float, last: float, size: float) -> tuple[ImageDraw.ImageDraw, int]:
        """A pen for grey lines set from `first` to `last` (their tops) at `size`, in a band of the page with room
        above and below for marks and descenders; and the band's first row."""
        top, bottom = max(0, int(first - size)), min(HEIGHT, int(last + 3 * size))
        band = Image.new("L", (WIDTH, bottom - top), 0)
        bands.append((top, band))
        return ImageDraw.Draw(band), top

    def line(y: float, text: str, font: ImageFont.FreeTypeFont, spacing: float = 0,
             band: tuple[ImageDraw.ImageDraw, int] | None = None) -> None:
        """A line of type: in INK, or in GREY in `band` (at the same position less a whole number of rows: the
        type's fraction of a pixel, and so its rendering, are unchanged)."""
        pen, top = band if band is not None else (ink_pen, 0)
        y -= top
        if spacing and not rtl:  # letter-spaced small capitals, drawn a character at a time
            x = float(MARGIN)
            for char in text:
                pen.text((x, y), char, font=font, fill=_TINTS)
                x += _advance(font, char) + spacing
            return
        x = WIDTH - MARGIN - font.getlength(text) if rtl else MARGIN
        pen.text((x, y), text, font=font, fill=_TINTS, direction="rtl" if rtl else None,
                 language=meta.language if _layout_engine() == ImageFont.Layout.RAQM else None)

    def caps(text: str) -> str:
        return text if rtl else text.upper()

    # The masthead: publication name, then a heavy rule.
    top = 190
    if publisher := meta.publisher or publisher:
        font = _font(publisher, "Source Sans Pro", 600, 46, language=meta.language)
        line(top, caps(publisher), font, spacing=6, band=grey(top, top, font.size))
    accent_rule = (MARGIN, 300, WIDTH - MARGIN, 316)

    # The title takes the upper two thirds, as large as it fits; what no scalable face draws (colour emoji) is
    # left out of the picture (the cover's text alternative keeps the whole title).
    title = drawable(meta.title, meta.language)
    title_font, title_lines = _fit(title or "·", "Source Serif Pro", 700, range(170, 59, -6), measure, 1300, 1.12,
                                   meta.language)
    y = 420.0
    for text in title_lines:
        line(y, text, title_font)
        y += title_font.size * 1.12
    if subtitle := drawable(meta.subtitle or "", meta.language):
        sub_font, sub_lines = _fit(subtitle, "Source Serif Pro", 400, range(64, 35, -4), measure, 360, 1.3,
                                   meta.language)
        y += 50
        pen = grey(y, y + sub_font.size * 1.3 * (len(sub_lines[:5]) - 1), sub_font.size)
        for text in sub_lines[:5]:
            line(y, text, sub_font, band=pen)
            y += sub_font.size * 1.3

    # Authors and date at the foot, above a hairline.
    bottom = HEIGHT - 260
    ink_pen.rectangle((MARGIN, bottom + 120, WIDTH - MARGIN, bottom + 124), fill=_TINTS)
    if meta.date:
        date = human_date(meta.date, meta.language)
        font = _font(date, "Source Sans Pro", 400, 46, language=meta.language)
        line(bottom + 20, caps(date), font, spacing=5, band=grey(bottom + 20, bottom + 20, font.size))
    names = drawable(join_names(doc.author_names, meta.language), meta.language)
    if names:
        font, lines = _fit(caps(names), "Source Sans Pro", 700, range(72, 35, -4), measure, 220, 1.2,
                           meta.language)
        y = bottom - len(lines) * font.size * 1.2 - 10
        for text in lines:
            line(y, text, font, spacing=4)
            y += font.size * 1.2

    # The masks as palette indices (grey's steps after ink's: type of the two inks never overlaps), grey only
    # where it was drawn, and the red rule on top.
    for top, band in bands:
        if box := band.getbbox():
            left, upper, right, lower = box
            region = (left, top + upper, right, top + lower)
            image.paste(ImageChops.lighter(image.crop(region), band.crop(box).point(_GREY_INDEX)), region[:2])
    ink_pen.rectangle(accent_rule, fill=_ACCENT_INDEX)
    return CoverImage(palette_png(image, _PALETTE), "image/png", cover_alt(doc))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def palette_png(indices: Image.Image, palette: list[int]) -> bytes:
    """A PNG of an 8-bit palette image, from its indices (mode `L`) and its palette (RGB triples): the file
    Pillow writes (`save(format="PNG", compress_level=6, compress_type=zlib.Z_RLE)`), byte for byte: IHDR, PLTE,
    the IDAT chunks of 64 KiB, IEND; the rows unfiltered, as Pillow leaves a palette image's.

    The rows are deflated with the run-length strategy (Z_RLE): long runs of paper and few tints compress within a
    few per cent of the default strategy, at half its time. zlib-ng does it five times faster than zlib, to the
    same bytes (the strategy only ever repeats the byte before); without zlib-ng, zlib does it."""
    width, height = indices.size
    packer = _deflate.compressobj(6, _deflate.DEFLATED, 15, 9, _deflate.Z_RLE)
    pieces = []
    # A band of rows at a time, each behind its filter byte (0: none): small buffers, used again and again,
    # rather than two copies of the whole image (a fresh 4 MB of memory is itself a millisecond).
    for top in range(0, height, _BAND_ROWS):
        raw = memoryview(indices.crop((0, top, width, min(height, top + _BAND_ROWS))).tobytes())
        pieces.append(packer.compress(b"\0" + b"\0".join([raw[at:at + width] for at in range(0, len(raw), width)])))
    pixels = b"".join(pieces) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)  # 8 bits, palette, deflate, no filter, no interlace
    data = b"".join(_chunk(b"IDAT", pixels[at:at + _IDAT_BYTES]) for at in range(0, len(pixels), _IDAT_BYTES))
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"PLTE", bytes(palette)) + data
            + _chunk(b"IEND", b""))


#: The most bytes of an IDAT chunk: Pillow's, whose PNG files these are byte for byte.
_IDAT_BYTES = 65536
#: Rows of pixels handed to the compressor at a time.
_BAND_ROWS = 32
