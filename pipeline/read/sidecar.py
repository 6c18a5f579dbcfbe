"""Read a seed's sidecar (`NAME.toml` beside `NAME.txt`): metadata that overrides or adds to what the parser found.

Example::

    title = "A better headline"
    subtitle = "The dek"
    authors = ["Ann Lee", "Bo Chan"]
    date = 2019-02-25
    language = "en"
    publisher = "Example Press"
    keywords = ["Korea", "diplomacy"]
    rights = "© 2019 Example Press"
    cover = "cover.jpg"

    [[photos]]
    caption = "Kim Jong-un leaving Pyongyang Station."   # matches the parsed caption it replaces, or adds one
    credit = "KCNA via AP"
    image = "kim.jpg"
    alt = "A man waves from the door of a green train."
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.errors import SeedError
from pipeline.model import Byline, Document, Photo
from pipeline.options import is_language_tag
from pipeline.read.files import Refused, read_within, within

#: Image types a sidecar may name, by file extension, with their media type.
IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
               ".webp": "image/webp"}
#: Image types a sidecar's cover may have.
COVER_TYPES = {".jpg", ".jpeg", ".png"}
#: Largest image file a sidecar may name.
MAX_IMAGE_BYTES = 20 * 1024 * 1024
#: Most pixels an image may hold: a 20000 x 20000 PNG of a few kilobytes would take 1.6 GB once decoded (a
#: decompression bomb); 40 megapixels is more than any print photo needs.
MAX_IMAGE_PIXELS = 40_000_000
#: Largest sidecar file: metadata is a few hundred bytes.
MAX_SIDECAR_BYTES = 256 * 1024
#: Longest value of each kind: a title of 40,000 words took the PDF past 600 s and 3.5 GB (the title is set on
#: the first page, in every running head and on the cover); no real title, caption or name comes near these.
MAX_CHARS = {"title": 500, "subtitle": 1000, "authors": 200, "publisher": 200, "keywords": 100, "rights": 500,
             "cover": 255, "language": 35, "caption": 2000, "credit": 300, "image": 255, "alt": 2000}
#: Most entries of a list (authors, keywords, photos).
MAX_ENTRIES = 100

_TOP_KEYS = {"title", "subtitle", "authors", "date", "language", "publisher", "keywords", "rights", "photos", "cover"}
_PHOTO_KEYS = {"caption", "credit", "image", "alt"}


@dataclass(frozen=True)
class Sidecar:
    """The sidecar's settings, checked; None where the sidecar says nothing."""

    path: Path
    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] | None = None
    date: dt.date | None = None
    language: str | None = None
    publisher: str | None = None
    keywords: tuple[str, ...] | None = None
    rights: str | None = None
    cover: str | None = None
    #: The cover image's bytes and media type, read and checked with the sidecar.
    cover_data: bytes | None = field(default=None, repr=False)
    cover_type: str | None = None
    photos: tuple[Photo, ...] = field(default=())


def sidecar_path(seed: Path) -> Path:
    """Where the sidecar of `seed` would be."""
    return seed.with_suffix(".toml")


def _line_of(text: str, key: str, occurrence: int = 0) -> int | None:
    """The 1-based line where `key` is set, for error messages (tomllib reports only syntax errors' lines)."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if re.match(rf"\s*{re.escape(key)}\s*=", line)]
    return hits[occurrence] if occurrence < len(hits) else (hits[-1] if hits else None)


class _Checker:
    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text

    def fail(self, key: str, message: str, occurrence: int = 0) -> SeedError:
        line = _line_of(self.text, key.split(".")[-1], occurrence)
        where = f"line {line}, " if line else ""
        return SeedError(f"sidecar {where}key `{key}`: {message}", path=self.path, code="E120")

    def string(self, data: dict[str, Any], key: str, label: str, occurrence: int = 0) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(label, "must be a non-empty string", occurrence)
        return self.bounded(" ".join(value.split()), key, label, occurrence)

    def bounded(self, value: str, key: str, label: str, occurrence: int = 0) -> str:
        limit = MAX_CHARS[key]
        if len(value) > limit:
            raise self.fail(label, f"is {len(value):,} characters long; at most {limit:,} are allowed", occurrence)
        return value

    def strings(self, data: dict[str, Any], key: str) -> tuple[str, ...] | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, "must be a list of non-empty strings")
        if len(value) > MAX_ENTRIES:
            raise self.fail(key, f"has {len(value):,} entries; at most {MAX_ENTRIES} are allowed")
        return tuple(self.bounded(" ".join(v.split()), key, key) for v in value)

    def file(self, relative: str, key: str, occurrence: int = 0) -> Path:
        base = self.path.parent
        # Images must sit in the seed's folder or below, be regular files and real images of a type an EPUB may
        # hold: resolved and checked before they are opened, so a sidecar cannot make the build read other files.
        if Path(relative).suffix.lower() not in IMAGE_TYPES:
            raise self.fail(key, f"{relative!r} is not a JPEG, PNG, GIF or WebP image", occurrence)
        try:
            target = within(base / relative, (base,))
            data = read_within(target, (base,), MAX_IMAGE_BYTES)
        except Refused as exc:
            if exc.too_large:
                exc.reason = f"is larger than {MAX_IMAGE_BYTES // 2**20} MiB"
            raise self.fail(key, f"{relative!r} {exc.reason}", occurrence) from None
        problem = image_problem(data, IMAGE_TYPES[Path(relative).suffix.lower()])
        if problem:
            raise self.fail(key, f"{relative!r} {problem}", occurrence)
        return target

    def cover(self, relative: str) -> Path:
        # The EPUB's cover-image may only be a JPEG or a PNG (EPUB 3 core media types readers show as covers).
        if Path(relative).suffix.lower() not in COVER_TYPES:
            raise self.fail("cover", f"{relative!r} is not a JPEG or PNG image")
        return self.file(relative, "cover")


#: Pillow's names of the formats an EPUB may hold, with their media types.
_PILLOW_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


def image_problem(data: bytes, media_type: str) -> str | None:
    """What is wrong with `data` as an image of `media_type` (None when nothing): the type is read from the
    content, not the name; the pixel count is bounded before anything is decoded; Pillow verifies the file."""
    import io
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(_PILLOW_TYPES)) as image:
                found = _PILLOW_TYPES.get(image.format or "")
                width, height = image.size
                if found is None:
                    return "is not a JPEG, PNG, GIF or WebP image"
                if found != media_type:
                    return f"holds a {image.format} image under another type's name; rename it"
                if width * height > MAX_IMAGE_PIXELS or not width or not height:
                    return (f"is {width} x {height} pixels; at most {MAX_IMAGE_PIXELS // 1_000_000} million "
                            "pixels are allowed")
                image.verify()
    except UnidentifiedImageError:
        return "is not an image (only JPEG, PNG, GIF and WebP are; SVG is refused)"
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return f"has more than {MAX_IMAGE_PIXELS // 1_000_000} million pixels"
    except Exception as exc:  # Pillow's verify raises what the damaged file's format gives it
        return f"is a damaged image ({type(exc).__name__}: {exc})"
    return None


def sidecar_text(path: Path) -> str:
    """The sidecar file's text, once it is known to be a regular file in its seed's folder; unreadable, too large
    or not UTF-8 raises `SeedError` naming the sidecar."""
    try:
        return read_within(path, (path.parent,), MAX_SIDECAR_BYTES).decode("utf-8-sig")
    except Refused as exc:
        raise SeedError(f"the sidecar {exc.reason}", path=path, code="E120") from None
    except UnicodeDecodeError as exc:
        raise SeedError(f"the sidecar is not UTF-8 text (byte {exc.start})", path=path, code="E120") from None


def has_sidecar(seed: Path) -> bool:
    """Whether `seed` has a sidecar, or something in its place (a link, a folder) that must be refused."""
    return os.path.lexists(sidecar_path(seed))


def read_sidecar(path: Path) -> Sidecar:
    """Read and check the sidecar at `path`; any mistake raises `SeedError` naming the file, line and key."""
    return parse_sidecar(sidecar_text(path), path)


def parse_sidecar(text: str, path: Path) -> Sidecar:
    """Check the sidecar `text` read from `path` (images are looked for beside it)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(f"sidecar is not valid TOML: {exc}", path=path, code="E120") from None
    check = _Checker(path, text)
    for key in data:
        if key not in _TOP_KEYS:
            raise check.fail(key, f"unknown key; known keys: {', '.join(sorted(_TOP_KEYS))}")
    date = data.get("date")
    if date is not None:
        if isinstance(date, str):
            try:
                date = dt.date.fromisoformat(date)
            except ValueError:
                raise check.fail("date", "must be a date such as 2019-02-25") from None
        elif isinstance(date, dt.datetime):
            date = date.date()
        elif not isinstance(date, dt.date):
            raise check.fail("date", "must be a date such as 2019-02-25")
    language = check.string(data, "language", "language")
    if language is not None and not is_language_tag(language):
        raise check.fail("language", f"{language!r} is not a language tag such as en, fr or pt-BR")
    cover = check.string(data, "cover", "cover")
    photos: list[Photo] = []
    raw_photos = data.get("photos", [])
    if not isinstance(raw_photos, list) or not all(isinstance(p, dict) for p in raw_photos):
        raise check.fail("photos", "must be an array of tables: [[photos]]")
    if len(raw_photos) > MAX_ENTRIES:
        raise check.fail("photos", f"has {len(raw_photos):,} entries; at most {MAX_ENTRIES} are allowed")
    for n, entry in enumerate(raw_photos):
        for key in entry:
            if key not in _PHOTO_KEYS:
                raise check.fail(f"photos.{key}", f"unknown key; known keys: {', '.join(sorted(_PHOTO_KEYS))}", n)
        caption = check.string(entry, "caption", "photos.caption", n)
        if caption is None:
            raise SeedError(f"sidecar key `photos` (photo {n + 1}): needs a caption", path=path, code="E120")
        image = check.string(entry, "image", "photos.image", n)
        alt = check.string(entry, "alt", "photos.alt", n)
        image_data = media_type = None
        if image is not None:
            target = check.file(image, "photos.image", n)
            # The image travels in the tree: renderers, and workers on other machines, never open the file.
            try:
                image_data = read_within(target, (path.parent,), MAX_IMAGE_BYTES)
            except Refused as exc:
                raise check.fail("photos.image", f"{image!r} {exc.reason}", n) from None
            media_type = IMAGE_TYPES[target.suffix.lower()]
        photos.append(Photo(caption=caption, credit=check.string(entry, "credit", "photos.credit", n),
                            image=image, alt=alt, data=image_data, media_type=media_type))
    return Sidecar(
        path=path,
        title=check.string(data, "title", "title"),
        subtitle=check.string(data, "subtitle", "subtitle"),
        authors=check.strings(data, "authors"),
        date=date,
        language=language,
        publisher=check.string(data, "publisher", "publisher"),
        keywords=check.strings(data, "keywords"),
        rights=check.string(data, "rights", "rights"),
        cover=cover,
        cover_data=_image_bytes(check, check.cover(cover), path) if cover is not None else None,
        cover_type=IMAGE_TYPES[Path(cover).suffix.lower()] if cover is not None else None,
        photos=tuple(photos),
    )


def _image_bytes(check: _Checker, target: Path, sidecar: Path) -> bytes:
    """An image the checker let through, read again within the sidecar's folder (never following a link)."""
    try:
        return read_within(target, (sidecar.parent,), MAX_IMAGE_BYTES)
    except Refused as exc:
        raise check.fail("cover", f"{target.name!r} {exc.reason}") from None


def _same_caption(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"\W+", "", s).casefold()

    return norm(a) == norm(b) or norm(a).startswith(norm(b)) or norm(b).startswith(norm(a))


def apply_sidecar(doc: Document, car: Sidecar) -> Document:
    """`doc` with the sidecar's settings laid over it: its values win; its photos replace or add to the parsed."""
    meta = doc.meta
    meta = replace(
        meta,
        title=car.title or meta.title,
        subtitle=car.subtitle or meta.subtitle,
        authors=tuple(Byline(a) for a in car.authors) if car.authors is not None else meta.authors,
        date=car.date or meta.date,
        language=car.language or meta.language,
        publisher=car.publisher or meta.publisher,
        keywords=car.keywords if car.keywords is not None else meta.keywords,
        rights=car.rights or meta.rights,
        cover=car.cover or meta.cover,
    )
    photos = list(doc.photos)
    for extra in car.photos:
        match = next((i for i, p in enumerate(photos) if _same_caption(p.caption, extra.caption)), None)
        if match is None:
            photos.append(extra)
        else:
            old = photos[match]
            photos[match] = Photo(caption=old.caption, credit=extra.credit or old.credit, image=extra.image,
                                  alt=extra.alt, data=extra.data, media_type=extra.media_type)
    # The parser's guesses about what the sidecar now supplies no longer apply.
    settled = {"W101": bool(car.authors), "W104": bool(car.authors), "W102": car.date is not None}
    diagnostics = tuple(d for d in doc.diagnostics if not settled.get(d.code, False))
    return replace(doc, meta=meta, photos=tuple(photos), diagnostics=diagnostics,
                   cover_image=car.cover_data or doc.cover_image, cover_type=car.cover_type or doc.cover_type)

