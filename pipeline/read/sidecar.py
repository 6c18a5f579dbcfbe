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
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.errors import SeedError
from pipeline.model import Byline, Document, Photo

#: Image types a sidecar may name, by file extension, with their media type.
IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
               ".webp": "image/webp"}
#: Largest image file a sidecar may name.
MAX_IMAGE_BYTES = 20 * 1024 * 1024

_TOP_KEYS = {"title", "subtitle", "authors", "date", "language", "publisher", "keywords", "rights", "photos", "cover"}
_PHOTO_KEYS = {"caption", "credit", "image", "alt"}
_LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")


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
        return " ".join(value.split())

    def strings(self, data: dict[str, Any], key: str) -> tuple[str, ...] | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, "must be a list of non-empty strings")
        return tuple(" ".join(v.split()) for v in value)

    def file(self, relative: str, key: str, occurrence: int = 0) -> Path:
        base = self.path.parent.resolve()
        target = (base / relative).resolve()
        # Images must sit in the seed's folder or below: a sidecar cannot make the build read other files.
        if base not in target.parents:
            raise self.fail(key, f"{relative!r} is outside the seed's folder", occurrence)
        if target.suffix.lower() not in IMAGE_TYPES:
            raise self.fail(key, f"{relative!r} is not a JPEG, PNG, GIF or WebP image", occurrence)
        if not target.is_file():
            raise self.fail(key, f"{relative!r} does not exist", occurrence)
        if target.stat().st_size > MAX_IMAGE_BYTES:
            raise self.fail(key, f"{relative!r} is larger than {MAX_IMAGE_BYTES // 2**20} MiB", occurrence)
        return target


def sidecar_text(path: Path) -> str:
    """The sidecar file's text; unreadable or not UTF-8 raises `SeedError`."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedError(f"cannot read the sidecar: {exc}", path=path, code="E120") from None


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
    if language is not None and not _LANGUAGE_TAG.match(language):
        raise check.fail("language", f"{language!r} is not a language tag such as en, fr or pt-BR")
    cover = check.string(data, "cover", "cover")
    photos: list[Photo] = []
    raw_photos = data.get("photos", [])
    if not isinstance(raw_photos, list) or not all(isinstance(p, dict) for p in raw_photos):
        raise check.fail("photos", "must be an array of tables: [[photos]]")
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
                image_data = target.read_bytes()
            except OSError as exc:
                raise check.fail("photos.image", f"{image!r} cannot be read: {exc.strerror}", n) from None
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
        cover=cover if cover is None or check.file(cover, "cover") else None,
        photos=tuple(photos),
    )


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
    return replace(doc, meta=meta, photos=tuple(photos), diagnostics=diagnostics)

