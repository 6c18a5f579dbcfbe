"""Collections: read a `collection.toml` manifest, check every article in it, and write one EPUB, PDF and text
edition holding them all (a magazine issue or an anthology)."""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import partial
from pathlib import Path
from typing import Any

from pipeline.build.builder import Emit, load, safe_stem, source_date_epoch
from pipeline.build.fsutil import write_all
from pipeline.build.workers import guarded
from pipeline.errors import ConfigError, PipelineError, SeedError, printable
from pipeline.model import Collection, Document
from pipeline.options import BuildOptions, is_language_tag
from pipeline.read.files import Refused, read_within, within
from pipeline.read.sidecar import MAX_IMAGE_BYTES, image_problem

# Cover images the EPUB and PDF may carry, by file extension.
COVER_TYPES: dict[str, str] = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def _text(data: dict[str, Any], key: str, manifest: Path, *, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise ConfigError(f"the manifest has no {key!r}", path=manifest)
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{key!r} must be a non-empty string", path=manifest)
    return value.strip()


def _date(value: object, manifest: Path) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(f"'date' must be a date such as 2024-05-01, not {value!r}", path=manifest)


#: Keys a manifest may hold; any other is a warning (an error with --strict): a typo must not pass unseen.
MANIFEST_KEYS = frozenset({"name", "title", "subtitle", "editor", "date", "publisher", "cover", "language", "seeds"})
#: Largest manifest file: a list of seeds and a few names.
MAX_MANIFEST_BYTES = 256 * 1024


def read_manifest(manifest: Path, options: BuildOptions, *, seeds_dir: Path = Path("seeds"),
                  emit: Emit = print) -> Collection:
    """Read the manifest and load every article it lists; all are checked before anything is written, and the
    first problems of every bad article are reported together. Seeds must lie inside the manifest's folder or
    `seeds_dir`, the cover inside the manifest's folder: each is resolved and checked before it is opened."""
    try:
        raw = read_within(manifest, (manifest.parent,), MAX_MANIFEST_BYTES)
        data = tomllib.loads(raw.decode("utf-8"))
    except Refused as exc:
        raise ConfigError(f"the manifest {exc.reason}", path=manifest) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"the manifest is not valid TOML: {exc}", path=manifest) from None
    unknown = sorted(set(data) - MANIFEST_KEYS)
    if unknown:
        message = f"unknown key {', '.join(map(repr, unknown))}; known keys: {', '.join(sorted(MANIFEST_KEYS))}"
        if options.strict:
            raise ConfigError(f"--strict: {message}", path=manifest)
        emit(f"warning: {printable(manifest)}: W120 {message}")
    seeds = data.get("seeds")
    if not isinstance(seeds, list) or not seeds or not all(isinstance(s, str) for s in seeds):
        raise ConfigError("'seeds' must be a non-empty list of seed files, relative to the manifest", path=manifest)
    base = manifest.parent
    allowed = (base, seeds_dir)
    articles: list[Document] = []
    problems: list[str] = []
    for entry in seeds:
        try:
            articles.append(load(base / entry, options, allowed))
        except PipelineError as exc:
            problems.append(str(exc))
    if problems:
        raise SeedError("; ".join(problems), path=manifest, code="E130")
    cover = _text(data, "cover", manifest)
    cover_data = cover_type = None
    if cover is not None:
        if Path(cover).suffix.lower() not in COVER_TYPES:
            raise ConfigError(f"the cover must be a {', '.join(COVER_TYPES)} image", path=manifest)
        try:
            # Resolved and checked inside the manifest's folder before it is opened; it then travels in the tree.
            cover_data = read_within(within(base / cover, (base,)), (base,), MAX_IMAGE_BYTES)
        except Refused as exc:
            if exc.too_large:
                exc.reason = f"is larger than {MAX_IMAGE_BYTES // 2**20} MiB"
            raise ConfigError(f"the cover {cover!r} {exc.reason}", path=manifest) from None
        cover_type = COVER_TYPES[Path(cover).suffix.lower()]
        problem = image_problem(cover_data, cover_type)
        if problem:
            raise ConfigError(f"the cover {cover!r} {problem}", path=manifest)
    language = _text(data, "language", manifest)
    if language is not None and not is_language_tag(language):
        raise ConfigError(f"'language' {language!r} is not a language tag such as en, fr or pt-BR", path=manifest)
    default_name = manifest.parent.resolve().name if manifest.stem == "collection" else manifest.stem
    return Collection(
        name=safe_stem(_text(data, "name", manifest) or default_name),
        title=_text(data, "title", manifest, required=True) or "",
        subtitle=_text(data, "subtitle", manifest),
        editor=_text(data, "editor", manifest),
        date=_date(data.get("date"), manifest),
        publisher=_text(data, "publisher", manifest) or options.publisher,
        language=language,
        cover=cover_data,
        cover_type=cover_type,
        articles=tuple(articles),
    )


def build_collection(manifest: Path, dist: Path, options: BuildOptions, emit: Emit = print, *,
                     seeds_dir: Path = Path("seeds")) -> tuple[Path, ...]:
    """Write the collection's editions into `dist`: all rendered in memory first, then each written atomically."""
    from pipeline.render.collection import render_collection

    collection = read_manifest(manifest, options, seeds_dir=seeds_dir, emit=emit)
    epoch = source_date_epoch()
    editions = [(dist / f"{collection.name}.{fmt}",
                 guarded(fmt, manifest, partial(render_collection, collection, fmt, options, epoch)))
                for fmt in options.formats]
    paths = write_all(dist, editions, source=manifest)
    emit(f"built {manifest} ({len(collection.articles)} articles) -> {', '.join(str(p) for p in paths)}")
    return paths
