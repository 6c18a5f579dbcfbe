"""Build every seed: read and check them all first, then render each into memory and write it atomically."""

from __future__ import annotations

import json
import os
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import ConfigError, OutputError, PipelineError, RenderError, SeedError
from .fsutil import is_part, write_atomic, writing_into
from .model import Diagnostic, Document
from .options import BuildOptions
from .parse import parse
from .sidecar import apply_sidecar, read_sidecar, sidecar_path
from .source import read_seed

Emit = Callable[[str], None]

#: File-name extension of each format.
EXTENSIONS: dict[str, str] = {"epub": "epub", "pdf": "pdf", "txt": "txt"}

# Characters no output name may hold on Windows, macOS or Linux.
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
# Device names Windows reserves, with any extension after them (`con.txt`), digits and superscripts included.
_RESERVED_NAMES = frozenset({"con", "prn", "aux", "nul", "conin$", "conout$",
                             *(f"{port}{n}" for port in ("com", "lpt") for n in "0123456789¹²³")})
#: Bytes allowed for an output's stem, leaving room for `.epub` and the temporary suffix within 255.
MAX_STEM_BYTES = 200


@dataclass(frozen=True)
class SeedResult:
    """What became of one seed: its outputs, or the error that stopped it, and the parser's notes."""

    seed: Path
    outputs: tuple[Path, ...] = ()
    error: PipelineError | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class BuildReport:
    """The outcome of a build, seed by seed."""

    results: tuple[SeedResult, ...] = ()
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @property
    def failed(self) -> tuple[SeedResult, ...]:
        return tuple(r for r in self.results if r.error is not None)

    @property
    def exit_code(self) -> int:
        return max((r.error.exit_code for r in self.failed if r.error), default=0)


def safe_stem(name: str) -> str:
    """A file-name stem safe on every common file system, at most MAX_STEM_BYTES bytes of UTF-8."""
    stem = unicodedata.normalize("NFC", name)
    stem = _UNSAFE_NAME.sub("_", stem).strip(" .") or "article"
    if stem.split(".")[0].rstrip(" ").lower() in _RESERVED_NAMES:  # Windows ignores `con .txt`'s space
        stem = f"_{stem}"
    encoded = stem.encode("utf-8")[:MAX_STEM_BYTES]
    return encoded.decode("utf-8", errors="ignore").rstrip(" .") or "article"


def output_path(dist: Path, seed: Path, fmt: str) -> Path:
    """Where the `fmt` edition of `seed` goes: always directly inside `dist`."""
    return dist / f"{safe_stem(seed.stem)}.{EXTENSIONS[fmt]}"


def gather(seeds_dir: Path) -> list[Path]:
    """The seeds to build: every `*.txt` file in `seeds_dir`, in name order."""
    if not seeds_dir.is_dir():
        raise ConfigError(f"the seeds folder {seeds_dir} does not exist")
    return sorted(p for p in seeds_dir.glob("*.txt") if p.is_file())


def check(doc: Document, seed: Path, *, strict: bool = False) -> None:
    """Refuse a tree that is not an article: it needs a headline and at least one paragraph."""
    if not doc.meta.title:
        raise SeedError("no headline: the file holds no text besides site leftovers", path=seed, code="E103")
    if not doc.paragraphs:
        raise SeedError("no body: an article needs a headline and at least one paragraph", path=seed, code="E104")
    if strict:
        guesses = [d for d in doc.diagnostics if d.severity == "warning" and d.code.startswith("W")]
        if guesses:
            first = guesses[0]
            where = f" (line {first.line})" if first.line else ""
            raise SeedError(f"--strict: {first.code} {first.message}{where}", path=seed, code="E110")


def read(seed: Path, options: BuildOptions) -> Document:
    """Read, decode and parse one seed, with its sidecar laid over it when there is one."""
    car_path = sidecar_path(seed)
    car = read_sidecar(car_path) if car_path.is_file() else None
    source = read_seed(seed, max_bytes=options.max_bytes)
    language = (car.language if car else None) or options.language
    doc = parse(source.text, source=seed.name, language=language, notes=source.diagnostics)
    if car is not None:
        doc = apply_sidecar(doc, car)
    return replace(doc, origin=str(seed.parent.resolve()))


def load(seed: Path, options: BuildOptions) -> Document:
    """Read and check one seed: a `Document` ready to render, or `SeedError`."""
    doc = read(seed, options)
    check(doc, seed, strict=options.strict)
    return doc


def render(doc: Document, fmt: str, options: BuildOptions) -> bytes:
    """One edition of `doc` as bytes; renderers are imported only when their format is asked for."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    source_date_epoch = int(epoch) if epoch and epoch.isdigit() else None
    if fmt == "epub":
        from .render_epub import render_epub

        if "pdf" not in options.formats:
            # No print edition is made, so none is cited: the EPUB goes without page numbers, and without
            # paying for a PDF layout.
            return render_epub(doc, publisher=options.publisher, source_date_epoch=source_date_epoch)
        from .render_pdf import edition_name, print_pages

        # The EPUB carries the page numbers of the PDF built beside it (the layout is shared, so laid out once).
        pages = print_pages(doc, paper=options.paper, bleed_mm=options.bleed_mm, two_sided=options.two_sided,
                            variant=options.pdf_variant)
        return render_epub(doc, publisher=options.publisher, source_date_epoch=source_date_epoch, pages=pages,
                           print_edition=edition_name(doc, paper=options.paper))
    if fmt == "pdf":
        from .render_pdf import render_pdf

        return render_pdf(doc, paper=options.paper, bleed_mm=options.bleed_mm, two_sided=options.two_sided,
                          variant=options.pdf_variant, source_date_epoch=source_date_epoch)
    if fmt == "txt":
        from .render_text import render_text

        return render_text(doc, ascii=options.ascii)
    raise ConfigError(f"unknown format {fmt!r}")


def build_one(seed: Path, doc: Document, dist: Path, options: BuildOptions) -> SeedResult:
    """Render every requested edition in memory, then write them; a failure writes nothing for this seed."""
    editions: list[tuple[Path, bytes]] = []
    for fmt in options.formats:
        try:
            editions.append((output_path(dist, seed, fmt), render(doc, fmt, options)))
        except PipelineError as exc:
            if exc.path is None:
                exc.path = seed
            return SeedResult(seed, error=exc, diagnostics=doc.diagnostics)
        except Exception as exc:  # a renderer's own failure must not stop the other seeds
            error = RenderError(f"the {fmt} renderer failed: {type(exc).__name__}: {exc}", path=seed)
            return SeedResult(seed, error=error, diagnostics=doc.diagnostics)
    target = dist
    try:
        with writing_into(dist):
            for target, data in editions:
                write_atomic(target, data)
    except OSError as exc:
        failed = OutputError(f"cannot write {exc.filename or target}: {exc.strerror or exc}", path=seed)
        return SeedResult(seed, error=failed, diagnostics=doc.diagnostics)
    return SeedResult(seed, outputs=tuple(p for p, _ in editions), diagnostics=doc.diagnostics)


def build(seeds_dir: Path, dist: Path, options: BuildOptions, emit: Emit = print) -> BuildReport:
    """Build every seed of `seeds_dir` into `dist`, reporting each seed's outcome through `emit`."""
    started = time.perf_counter()
    seeds = gather(seeds_dir)
    if not seeds:
        emit(f"no seeds (*.txt) in {seeds_dir}")
    loaded: list[tuple[Path, Document | PipelineError]] = []
    for seed in seeds:
        try:
            loaded.append((seed, load(seed, options)))
        except PipelineError as exc:
            loaded.append((seed, exc))
    results: list[SeedResult] = []
    for seed, item in loaded:
        if isinstance(item, PipelineError):
            result = SeedResult(seed, error=item)
        else:
            for note in item.diagnostics:
                if note.severity == "warning":
                    where = f" (line {note.line})" if note.line else ""
                    emit(f"{seed}: {note.code} {note.message}{where}")
            result = build_one(seed, item, dist, options)
        if result.error is not None:
            emit(f"error: {result.error}")
        else:
            emit(f"built {seed} -> {', '.join(str(p) for p in result.outputs)}")
        results.append(result)
    report = BuildReport(tuple(results), time.perf_counter() - started)
    emit(f"{len(results) - len(report.failed)} built, {len(report.failed)} failed in {report.seconds:.1f} s")
    return report


def inspect(seed: Path, options: BuildOptions) -> str:
    """The seed's tree as indented JSON, warnings included; unreadable files raise `SeedError`."""
    return json.dumps(read(seed, options).as_dict(), ensure_ascii=False, indent=2)


def clean(dist: Path) -> None:
    """Delete the editions a build writes (and stray temporary files) from `dist`, then `dist` if empty."""
    if not dist.is_dir():
        return
    for path in dist.iterdir():
        if path.is_file() and (path.suffix.lstrip(".") in EXTENSIONS.values() or is_part(path.name)):
            path.unlink()
    if not any(dist.iterdir()):
        dist.rmdir()
