"""Build every seed: read and check them all first, then render each into memory and write it atomically."""

from __future__ import annotations

import contextlib
import fnmatch
import gc
import json
import os
import pickle
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import BrokenExecutor, Executor, Future, as_completed
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.build.fsutil import write_all, writing_into
from pipeline.build.progress import Progress
from pipeline.build.state import STATE_FILE, BuildState, Inputs, environment
from pipeline.build.workers import (
    InlineExecutor,
    Job,
    JobResult,
    ProcessPool,
    check,
    default_jobs,
    executor,
    ignore_interrupts,
    load_bytes,
    needs_print,
    read_document,
    render_beside,
    render_job,
    run_job,
    stop,
    tree_job,
)
from pipeline.errors import ConfigError, Interrupted, OutputError, PipelineError, RenderError, SeedError, printable
from pipeline.model import Diagnostic, Document
from pipeline.options import BuildOptions
from pipeline.read.source import seed_bytes

if TYPE_CHECKING:
    from pipeline.read.language import Guess
    from pipeline.read.sidecar import Sidecar

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
    #: Seeds whose every requested edition was already up to date.
    unchanged: tuple[Path, ...] = ()

    @property
    def failed(self) -> tuple[SeedResult, ...]:
        return tuple(r for r in self.results if r.error is not None)

    @property
    def exit_code(self) -> int:
        return max((r.error.exit_code for r in self.failed if r.error), default=0)


@lru_cache(maxsize=4096)  # the planner asks for each seed's stem once per format and once for collisions
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
    # `glob("*.txt")` and `is_file()`, from one listing: a directory entry knows its type without a `stat`
    # (links are still followed, as `is_file` does), which is most of the time of a no-op build of an archive.
    with os.scandir(seeds_dir) as entries:
        return sorted(seeds_dir / e.name for e in entries if fnmatch.fnmatch(e.name, "*.txt") and e.is_file())


def check_folders(seeds_dir: Path, dist: Path) -> None:
    """Refuse a `dist` whose editions would land on the seeds themselves (E200), or that is not a folder (E500)."""
    if dist.resolve() == seeds_dir.resolve():
        raise ConfigError(f"--dist {dist} is the seeds folder: the text editions would overwrite the seeds; "
                          "choose another folder")
    if dist.exists() and not dist.is_dir():
        raise OutputError(f"--dist {dist} is a file, not a folder")


def name_key(name: str) -> str:
    """An output name as file systems that fold case and Unicode forms (macOS, Windows) compare it."""
    return unicodedata.normalize("NFC", name).casefold()


def collisions(seeds: list[Path]) -> dict[Path, Path]:
    """Seeds whose editions would share a name with another seed's: each mapped to the first seed it clashes with."""
    first: dict[str, Path] = {}
    clash: dict[Path, Path] = {}
    for seed in seeds:
        key = name_key(safe_stem(seed.stem))
        if key in first:
            clash[seed] = first[key]
            clash.setdefault(first[key], seed)
        else:
            first[key] = seed
    return clash


def sidecar_of(seed: Path) -> Sidecar | None:
    """The seed's sidecar with the images it names, or None when it has none; a bad one raises `SeedError`."""
    from pipeline.read.sidecar import has_sidecar, read_sidecar, sidecar_path

    return read_sidecar(sidecar_path(seed)) if has_sidecar(seed) else None


def read(seed: Path, options: BuildOptions, folders: tuple[Path, ...] | None = None) -> Document:
    """Read, decode and parse one seed, with its sidecar laid over it when there is one; the seed must resolve
    inside `folders` (its own folder by default)."""
    source_bytes = seed_bytes(seed, max_bytes=options.max_bytes, folders=folders)
    return read_document(str(seed), source_bytes, options, sidecar=sidecar_of(seed))


def load(seed: Path, options: BuildOptions, folders: tuple[Path, ...] | None = None) -> Document:
    """Read and check one seed: a `Document` ready to render, or `SeedError`."""
    doc = read(seed, options, folders)
    check(doc, str(seed), strict=options.strict)
    return doc


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH, read once by the planner so that every worker, local or remote, stamps the same time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return int(epoch) if epoch and epoch.isdigit() else None


@dataclass
class _Planned:
    seed: Path
    data: bytes | None
    inputs: Inputs
    formats: tuple[str, ...]
    sidecar: Sidecar | None = None
    guess: tuple[Guess | None, ...] = ()
    #: The tree the planner parsed and checked, pickled, for a process pool's worker (see `workers.tree_job`).
    tree: bytes | None = None


def _plan(seeds: list[Path], dist: Path, options: BuildOptions, state: BuildState, env: dict[str, str],
          force: bool) -> tuple[list[_Planned], list[Path], list[SeedResult]]:
    """Split the seeds into those with an edition to make and those whose editions are all up to date; hashes
    bytes, parses nothing."""
    todo: list[_Planned] = []
    unchanged: list[Path] = []
    failed: list[SeedResult] = []
    clash = collisions([seed for seed in seeds if _decodable(seed.name)])
    folder = os.fspath(dist)
    for seed in seeds:
        if not _decodable(seed.name):
            failed.append(SeedResult(seed, error=SeedError(
                "its name is not valid UTF-8, so no edition can be named after it; rename it", path=seed,
                code="E106")))
            continue
        if seed in clash:
            failed.append(SeedResult(seed, error=SeedError(
                f"its editions would have the same name as those of {clash[seed]}; rename one of the two",
                path=seed, code="E107")))
            continue
        # A seed whose status has not moved since it was last read is known without reading it; when one of its
        # editions is to be made, its bytes are read (and hashed) after all.
        # Output paths as strings: this loop runs once per seed of an archive, and paths as objects cost more
        # than the `stat` calls it makes.
        stem = safe_stem(seed.stem)
        outputs = {fmt: os.path.join(folder, f"{stem}.{EXTENSIONS[fmt]}") for fmt in options.formats}
        known = None if force else state.known_inputs(seed, options.max_bytes)
        if known is not None and all(state.fresh(outputs[fmt], known, env[fmt]) for fmt in options.formats):
            unchanged.append(seed)
            continue
        try:
            data, inputs = state.read_inputs(seed, options.max_bytes)
        except SeedError as exc:
            failed.append(SeedResult(seed, error=exc))
            continue
        stale = tuple(fmt for fmt in options.formats if force or not state.fresh(outputs[fmt], inputs, env[fmt]))
        if stale:
            todo.append(_Planned(seed, data, inputs, stale))
        else:
            unchanged.append(seed)
    return todo, unchanged, failed


def write_editions(seed: Path, editions: tuple[tuple[str, bytes], ...], dist: Path, diagnostics: tuple[Diagnostic, ...],
                   written: Callable[[Path, str], None] = lambda _path, _fmt: None) -> SeedResult:
    """Write one article's editions into `dist` (telling `written` of each file and its format) and report it."""
    formats = {output_path(dist, seed, fmt): fmt for fmt, _data in editions}
    try:
        outputs = write_all(dist, ((output_path(dist, seed, fmt), data) for fmt, data in editions), source=seed,
                            written=lambda path: written(path, formats[path]))
    except OutputError as exc:
        return SeedResult(seed, error=exc, diagnostics=diagnostics)
    return SeedResult(seed, outputs=outputs, diagnostics=diagnostics)


def _decodable(name: str) -> bool:
    # Undecodable bytes of a file name arrive as lone surrogates (surrogateescape) and cannot be encoded again.
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _write(planned: _Planned, result: JobResult, dist: Path, state: BuildState, env: dict[str, str],
           written: list[Path]) -> SeedResult:
    seed = planned.seed
    if result.error is not None:
        if result.error.path is None:
            result.error.path = seed
        return SeedResult(seed, error=result.error, diagnostics=result.diagnostics)
    # Checked last, after the seed proved good: a file of an edition's name that no build recorded is the user's.
    try:
        foreign = state.claim([output_path(dist, seed, fmt) for fmt, _data in result.editions], seed)
    except OSError as exc:
        error = OutputError(f"cannot update the build's record {printable(state.path)}: {exc.strerror or exc}",
                            path=seed)
        return SeedResult(seed, error=error, diagnostics=result.diagnostics)
    if foreign:
        error = OutputError(f"{printable(foreign[0])} exists and is not an edition this build recorded; move it "
                            "away or choose another --dist", path=seed, code="E501")
        return SeedResult(seed, error=error, diagnostics=result.diagnostics)

    def record(path: Path, fmt: str) -> None:
        state.record(path, seed, planned.inputs, env[fmt])
        written.append(path)

    return write_editions(seed, result.editions, dist, result.diagnostics, record)


def build(seeds_dir: Path, dist: Path, options: BuildOptions, emit: Emit = print, *, jobs: int | None = None,
          force: bool = False, scheduler: str | None = None, progress: Progress | None = None,
          exiting: bool = False) -> BuildReport:
    """Build the seeds of `seeds_dir` whose editions in `dist` are missing or out of date (all with `force`),
    on `jobs` processes or the Dask cluster at `scheduler`, reporting through `emit`.

    `exiting`: the process ends with the build (the command line), so the garbage it leaves need not be collected:
    the collector is kept still while a single article is made here, and what is alive at the end is set aside, so
    that the interpreter does not walk it all once more on its way out (half a second of a cold build)."""
    started = time.perf_counter()
    progress = progress or Progress.for_output(emit)
    check_folders(seeds_dir, dist)
    seeds = gather(seeds_dir)
    if not seeds:
        emit(f"no seeds (*.txt) in {seeds_dir}")
    epoch = source_date_epoch()
    if dist.is_dir():
        with writing_into(dist):  # sweeps what killed builds left, even when nothing is to be rebuilt
            pass
    state = BuildState.load(dist)
    env = environment(options, epoch, state.code_and_assets())
    todo, unchanged, results = _plan(seeds, dist, options, state, env, force)
    for result in results:
        progress.note(f"error: {result.error}")
    written: list[Path] = []
    try:
        if todo:
            with _collector_paused(exiting and len(todo) == 1 and scheduler is None):
                results += _render_all(todo, dist, options, state, env, epoch, jobs or default_jobs(), scheduler,
                                       progress, written)
    except KeyboardInterrupt:
        # Each edition is renamed into place whole and its temporary file removed on the way out, so what was
        # written is complete and nothing else is left; the record below keeps those editions known.
        interrupted = True
    else:
        interrupted = False
    finally:
        if dist.is_dir():
            try:
                state.save()
            except OSError as exc:
                unsaved = OutputError(f"cannot save the build's record {state.path}: {exc.strerror or exc}; the "
                                      "editions were written, but the next build cannot tell them from yours")
                progress.note(f"error: {unsaved}")
                results.append(SeedResult(seeds_dir, error=unsaved))
    if interrupted:
        raise Interrupted(f"interrupted; {len(written)} editions written, nothing partial left")
    order = {seed: n for n, seed in enumerate(seeds)}
    order.setdefault(seeds_dir, len(order))
    results.sort(key=lambda r: order[r.seed])
    if exiting:
        gc.freeze()
    report = BuildReport(tuple(results), time.perf_counter() - started, unchanged=tuple(unchanged))
    built = len(results) - len(report.failed)
    progress.finish(f"{built} built, {len(unchanged)} unchanged, {len(report.failed)} failed "
                    f"in {report.seconds:.1f} s")
    return report


@contextlib.contextmanager
def _collector_paused(paused: bool) -> Iterator[None]:
    """When `paused`, keep Python's cyclic garbage collector still while one article is parsed and rendered in a
    process that ends with the build, and leave that article's garbage to the end of the process.

    The collector's passes walk the whole heap (modules, fonts, style sheets, the parser's rules) and free next to
    nothing meanwhile: the article's tree and layout live until its editions are written. Memory that reference
    counting frees is freed as ever (the peak of a cold build moves by 1 MB). After the article, what is alive is
    set aside (`gc.freeze`) rather than walked once more, and the collector resumes for anything that follows."""
    if not paused or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def _render_all(todo: list[_Planned], dist: Path, options: BuildOptions, state: BuildState, env: dict[str, str],
                epoch: int | None, jobs: int, scheduler: str | None, progress: Progress,
                written: list[Path]) -> list[SeedResult]:
    results: list[SeedResult] = []
    # One article whose editions need the print layout, with a core to spare: a helper process (a pool of one)
    # loads WeasyPrint while this one parses, then lays out and writes the PDF while this one makes the others.
    helper = scheduler is None and len(todo) == 1 and jobs > 1 and needs_print(todo[0].formats, options)
    with executor(jobs=jobs, tasks=len(todo), options=options, scheduler=scheduler, helper=helper) as pool:
        # Every seed to build is read and checked before anything is written; the pool's workers start meanwhile.
        checked: list[_Planned] = []
        # One article rendered in this very process is rendered from the tree checked here, not parsed twice;
        # a process pool's workers get it pickled (see below).
        single = len(todo) == 1 and (isinstance(pool, InlineExecutor) or helper)
        parsed: Document | None = None
        # A process pool's first wave starts rendering while the planner checks the seeds after it: its workers
        # would otherwise wait for every seed to be parsed here (a tenth of a hundred articles' time). Nothing is
        # written before every seed is checked: results are taken only below.
        early: dict[Future[JobResult], tuple[_Planned, Job]] = {}
        for planned in todo:
            try:
                if planned.data is None:
                    seed_bytes(planned.seed, max_bytes=options.max_bytes)  # raises the size error
                    raise SeedError("the file changed while it was read", path=planned.seed, code="E106")
                planned.sidecar = sidecar_of(planned.seed)
                guesses: list[Guess | None] = []
                doc = load_bytes(str(planned.seed), planned.data, options, sidecar=planned.sidecar,
                                 detect=partial(_detected, kept=guesses))
                planned.guess = tuple(guesses)
            except PipelineError as exc:
                results.append(SeedResult(planned.seed, error=exc))
                continue
            for note in doc.diagnostics:
                if note.severity == "warning":
                    where = f" (line {note.line})" if note.line else ""
                    progress.note(f"{printable(planned.seed)}: {note.code} {note.message}{where}")
            if single:
                parsed = doc
            elif isinstance(pool, ProcessPool):
                # The pool's workers run this installation's code: they take the tree as it was checked here,
                # pickled (about the size of the seed), and do not parse it again. (A Dask worker, which may run
                # other code, parses the bytes itself.)
                planned.tree = pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)
            del doc  # do not hold every tree of a large build at once
            checked.append(planned)
            if not single and isinstance(pool, ProcessPool) and len(early) < pool.wave:
                job = _job(planned, options, epoch, env, scheduler)
                early[_submit(pool, planned, job)] = (planned, job)
        # Every language is known now, and goes to the workers with their jobs: the model is let go before this
        # process renders anything (it does with one worker), as it is most of a process's memory.
        from pipeline.read.language import release

        release()
        if helper and not checked and isinstance(pool, ProcessPool):
            # The article failed its checks: the helper has nothing to make. It only computes, so it is ended now
            # rather than waited for (loading WeasyPrint, half a second of a build that has already failed).
            pool.stop()
        progress.start(len(todo))
        for result in results:
            progress.item(f"error: {result.error}", ok=False)
        broken: list[tuple[_Planned, Job]] = []
        # A process pool takes its articles in waves, with fresh workers for each (`workers.ProcessPool`).
        wave = pool.wave if isinstance(pool, ProcessPool) else max(1, len(checked))
        for start in range(0, len(checked), wave):
            if start and isinstance(pool, ProcessPool):
                pool.recycle()
            futures: dict[Future[JobResult], tuple[_Planned, Job]] = dict(early) if not start else {}
            for planned in checked[start + (len(early) if not start else 0):start + wave]:
                job = _job(planned, options, epoch, env, scheduler)
                if parsed is not None and helper:
                    futures[InlineExecutor().submit(render_beside, pool, job, parsed)] = (planned, job)
                elif parsed is not None:
                    futures[pool.submit(render_job, job, parsed)] = (planned, job)
                else:
                    futures[_submit(pool, planned, job)] = (planned, job)
            for future in as_completed(futures):
                planned, job = futures[future]
                try:
                    outcome = future.result()
                except BrokenExecutor:
                    # A worker died (killed, out of memory, a crash in a C library) and took the pool's queue with
                    # it: those articles are retried one by one below, so only the culprit fails.
                    broken.append((planned, job))
                    continue
                except Exception as exc:
                    outcome = _worker_failed(planned, exc)
                results.append(_finish(planned, outcome, dist, state, env, progress, written))
    if broken:
        from concurrent.futures import ProcessPoolExecutor  # only a build whose pool broke needs another
    for planned, job in broken:
        try:
            with ProcessPoolExecutor(max_workers=1, initializer=ignore_interrupts) as alone:
                try:
                    outcome = alone.submit(run_job, job).result()
                except KeyboardInterrupt:
                    stop(alone)
                    raise
        except Exception as exc:
            outcome = _worker_failed(planned, exc)
        results.append(_finish(planned, outcome, dist, state, env, progress, written))
    return results


def _submit(pool: Executor, planned: _Planned, job: Job) -> Future[JobResult]:
    """Send a job to a pool: with the planner's tree when it has one, else with the seed's bytes alone."""
    if planned.tree is not None:
        tree, planned.tree = planned.tree, None  # the pool holds it now, until a worker takes it
        return pool.submit(tree_job, job, tree)
    return pool.submit(run_job, job)


def _job(planned: _Planned, options: BuildOptions, epoch: int | None, env: dict[str, str],
         scheduler: str | None) -> Job:
    assert planned.data is not None
    return Job(str(planned.seed), planned.data, planned.formats, options, epoch,
               env=tuple((fmt, env[fmt]) for fmt in planned.formats) if scheduler else (),
               sidecar=planned.sidecar, guess=planned.guess)


def _detected(text: str, kept: list[Guess | None]) -> Guess | None:
    """The language of `text` (`language.identify`), kept for the worker that parses the same text again."""
    from pipeline.read.language import identify

    guess = identify(text)
    kept.append(guess)
    return guess


def _finish(planned: _Planned, outcome: JobResult, dist: Path, state: BuildState, env: dict[str, str],
            progress: Progress, written: list[Path]) -> SeedResult:
    """Write one article's editions and report it."""
    result = _write(planned, outcome, dist, state, env, written)
    if result.error is not None:
        progress.item(f"error: {result.error}", ok=False)
    else:
        progress.item(f"built {printable(planned.seed)} -> {', '.join(printable(p) for p in result.outputs)}", ok=True)
    return result


def _worker_failed(planned: _Planned, exc: BaseException) -> JobResult:
    return JobResult(str(planned.seed), error=RenderError(
        f"the worker rendering it failed: {type(exc).__name__}: {exc}", path=planned.seed))


def inspect(seed: Path, options: BuildOptions) -> str:
    """The seed's tree as indented JSON, warnings included; unreadable files raise `SeedError`."""
    doc = read(seed, options)
    tree = doc.as_dict()
    # What the parser decided besides the tree: how sure it is of the language, and every line it left out.
    tree["language_confidence"] = round(doc.language_confidence, 3) if doc.language_confidence is not None else None
    tree["dropped"] = [d.as_dict() for d in doc.dropped]
    return json.dumps(tree, ensure_ascii=False, indent=2)


def clean(dist: Path) -> list[Path]:
    """Delete from `dist` the editions its build record lists (as the build left them), the build's temporary
    files and the record itself; nothing else, and never the folder. Return what was deleted."""
    if not dist.is_dir():
        return []
    state = BuildState.load(dist)
    removed = []
    with writing_into(dist):
        for name in sorted(state.outputs):
            path = dist / name
            if state.owns(path) and path.is_file() and not path.is_symlink():
                path.unlink()
                removed.append(path)
        record = dist / STATE_FILE
        if record.is_file() and not record.is_symlink():
            record.unlink()
            removed.append(record)
    return removed
