"""The unit of work, one article's editions from (seed, options), and the executors that run it: inline, a process
pool or a Dask cluster."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import BrokenExecutor, Executor, Future
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from pipeline.errors import ConfigError, PipelineError, RenderError
from pipeline.model import Diagnostic, Document
from pipeline.options import BuildOptions

if TYPE_CHECKING:  # the parser, its rules and the process pool are loaded only by a build with work to do
    from concurrent.futures import ProcessPoolExecutor

    from pipeline.read.language import Guess
    from pipeline.read.sidecar import Sidecar
    from pipeline.render.pagemap import PageMap

#: Most blocks an article may have, and the longest block and headline: past these a PDF takes minutes and
#: gigabytes (50,000 one-word paragraphs: 106 s and 1.24 GB; a headline of 40,000 words: over 600 s and 3.5 GB).
MAX_BLOCKS = 25_000
MAX_BLOCK_CHARS = 100_000
MAX_TITLE_CHARS = 1_000

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Job:
    """Everything one article's editions are made from; no paths to read, so any machine can run it."""

    path: str
    data: bytes
    formats: tuple[str, ...]
    options: BuildOptions
    source_date_epoch: int | None
    #: The environment digests the planner expects per format: a worker with other code or assets refuses the job.
    env: tuple[tuple[str, str], ...] = ()
    #: The seed's sidecar, when it has one, already read with the images it names.
    sidecar: Sidecar | None = None
    #: The language the planner detected in the seed's text, as a 1-tuple (the guess may be None: no letters), or
    #: empty when it detected none (the language was given): a worker then never loads the language model, which
    #: is half a second to load and most of a worker's memory.
    guess: tuple[Guess | None, ...] = ()


@dataclass(frozen=True)
class JobResult:
    """The editions made, by format, or the error that stopped the article."""

    path: str
    editions: tuple[tuple[str, bytes], ...] = ()
    error: PipelineError | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


def check(doc: Document, path: str, *, strict: bool = False) -> None:
    """Refuse a tree that is not an article: it needs a headline and at least one paragraph."""
    from pipeline.errors import SeedError

    if not doc.meta.title:
        raise SeedError("no headline: the file holds no text besides site leftovers", path=path, code="E103")
    if not doc.paragraphs:
        raise SeedError("no body: an article needs a headline and at least one paragraph", path=path, code="E104")
    if len(doc.meta.title) > MAX_TITLE_CHARS:
        raise SeedError(f"the headline is {len(doc.meta.title):,} characters long; at most {MAX_TITLE_CHARS:,} are "
                        "allowed", path=path, code="E108")
    if len(doc.blocks) > MAX_BLOCKS:
        raise SeedError(f"the article has {len(doc.blocks):,} blocks; at most {MAX_BLOCKS:,} are allowed", path=path,
                        code="E108")
    longest = max((len(block.text) for block in doc.blocks), default=0)
    if longest > MAX_BLOCK_CHARS:
        raise SeedError(f"a block is {longest:,} characters long; at most {MAX_BLOCK_CHARS:,} are allowed",
                        path=path, code="E108")
    if strict:
        guesses = [d for d in doc.diagnostics if d.severity == "warning" and d.code.startswith("W")]
        if guesses:
            first = guesses[0]
            where = f" (line {first.line})" if first.line else ""
            raise SeedError(f"--strict: {first.code} {first.message}{where}", path=path, code="E110")


def read_document(path: str, data: bytes, options: BuildOptions, *, sidecar: Sidecar | None = None,
                  detect: Callable[[str], Guess | None] | None = None) -> Document:
    """Decode and parse a seed's bytes, with its sidecar laid over; `path` names it in messages and `source`, and
    `detect` tells its language when it is not given (`parse`)."""
    from pipeline.parse.parser import parse
    from pipeline.read.sidecar import apply_sidecar
    from pipeline.read.source import check_bytes

    source = check_bytes(data, path, max_bytes=options.max_bytes)
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    language = (sidecar.language if sidecar else None) or options.language
    doc = parse(source.text, source=name, language=language, notes=source.diagnostics, detect=detect)
    return apply_sidecar(doc, sidecar) if sidecar is not None else doc


def load_bytes(path: str, data: bytes, options: BuildOptions, *, sidecar: Sidecar | None = None,
               detect: Callable[[str], Guess | None] | None = None) -> Document:
    """Decode, parse and check a seed's bytes: a `Document` ready to render, or `SeedError`."""
    doc = read_document(path, data, options, sidecar=sidecar, detect=detect)
    check(doc, path, strict=options.strict)
    return doc


def guarded(fmt: str, path: Path | str, make: Callable[[], T]) -> T:
    """`make()`, the `fmt` edition of what `path` names; a renderer's own failure (a bug, a missing library)
    becomes one `RenderError` line instead of a traceback, and an error naming no file names `path`."""
    try:
        return make()
    except PipelineError as exc:
        if exc.path is None:
            exc.path = Path(path)
        raise
    except BrokenExecutor:  # the helper making the print layout died: the builder retries the article alone
        raise
    except Exception as exc:
        raise RenderError(f"the {fmt} renderer failed: {type(exc).__name__}: {exc}", path=path) from exc


def render_editions(doc: Document, path: Path | str, formats: tuple[str, ...], options: BuildOptions,
                    source_date_epoch: int | None = None) -> tuple[tuple[str, bytes], ...]:
    """Every requested edition of a checked document, in memory; the first failure raises `PipelineError`."""
    return tuple((fmt, guarded(fmt, path, partial(render, doc, fmt, options, source_date_epoch))) for fmt in formats)


def _epub(doc: Document, options: BuildOptions, source_date_epoch: int | None,
          pages: Callable[[], PageMap] | None = None) -> bytes:
    """The EPUB; `pages` gives the print edition's page map when another process lays that edition out."""
    from pipeline.render.cover import CoverImage, cover_alt, draw_cover
    from pipeline.render.epub import render_epub

    # The sidecar's cover is used (it travels in the tree, checked as it was read); else one is drawn, first: with
    # a helper, while it lays the print edition out.
    cover = (CoverImage(doc.cover_image, doc.cover_type or "image/jpeg", cover_alt(doc)) if doc.cover_image
             else draw_cover(doc, publisher=options.publisher))
    if "pdf" not in options.formats:
        # No print edition is made, so none is cited: the EPUB goes without page numbers, and without paying for
        # a PDF layout.
        return render_epub(doc, publisher=options.publisher, source_date_epoch=source_date_epoch, cover=cover)
    from pipeline.render.pdf import edition_name

    # The EPUB carries the page numbers of the PDF built beside it (the layout is shared, so laid out once).
    page_map = pages() if pages is not None else _print_pages(doc, options, source_date_epoch)
    return render_epub(doc, publisher=options.publisher, source_date_epoch=source_date_epoch, pages=page_map,
                       print_edition=edition_name(doc, paper=options.paper), cover=cover)


def _print_pages(doc: Document, options: BuildOptions, source_date_epoch: int | None) -> PageMap:
    """Where each page of the PDF `_pdf` makes of `doc` begins in it: the EPUB's page numbers."""
    from pipeline.render.pdf import print_pages

    return print_pages(doc, paper=options.paper, bleed_mm=options.bleed_mm, two_sided=options.two_sided,
                       variant=options.pdf_variant, source_date_epoch=source_date_epoch)


def _pdf(doc: Document, options: BuildOptions, source_date_epoch: int | None) -> bytes:
    from pipeline.render.pdf import render_pdf

    return render_pdf(doc, paper=options.paper, bleed_mm=options.bleed_mm, two_sided=options.two_sided,
                      variant=options.pdf_variant, source_date_epoch=source_date_epoch)


def _txt(doc: Document, options: BuildOptions, source_date_epoch: int | None) -> bytes:
    from pipeline.render.text import render_text

    return render_text(doc, ascii=options.ascii)


#: The renderer of each format, by the name `--formats` uses; each imports its libraries only when called.
#: A new output format is one function here (and its module in pipeline/render/).
RENDERERS: dict[str, Callable[[Document, BuildOptions, int | None], bytes]] = {"epub": _epub, "pdf": _pdf,
                                                                               "txt": _txt}


def render(doc: Document, fmt: str, options: BuildOptions, source_date_epoch: int | None = None) -> bytes:
    """One edition of `doc` as bytes, made by the format's renderer in `RENDERERS`."""
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise ConfigError(f"unknown format {fmt!r}")
    return renderer(doc, options, source_date_epoch)


def run_job(job: Job) -> JobResult:
    """Make the article's editions in memory; any failure is returned, never raised, so other articles go on."""
    try:
        if job.env:
            from pipeline.build.state import environment

            here = environment(job.options, job.source_date_epoch)
            if any(here.get(fmt) != env for fmt, env in job.env):
                raise ConfigError("this worker runs other pipeline code, templates, styles or fonts than the "
                                  "build's: install the same version on every node", path=job.path)
        guess = job.guess
        doc = load_bytes(job.path, job.data, job.options, sidecar=job.sidecar,
                         detect=(lambda _text: guess[0]) if guess else None)
    except PipelineError as exc:
        return JobResult(job.path, error=exc)
    return render_job(job, doc)


def tree_job(job: Job, tree: bytes) -> JobResult:
    """`run_job` for the tree the planner parsed and checked from the job's seed, pickled: a worker of the same
    installation (a process pool's) renders it without parsing the seed again (the parse is some 25 ms of an
    article's 350, and the planner's process would otherwise spend as much again beside the workers)."""
    import pickle

    return render_job(job, pickle.loads(tree))


def render_job(job: Job, doc: Document) -> JobResult:
    """`run_job` for a tree already parsed and checked from the job's seed (by the planner, in this process)."""
    try:
        editions = render_editions(doc, job.path, job.formats, job.options, job.source_date_epoch)
    except PipelineError as exc:  # one article's failure must not stop the others
        return JobResult(job.path, error=exc, diagnostics=doc.diagnostics)
    finally:
        settle()
    return JobResult(job.path, editions, diagnostics=doc.diagnostics)


def needs_print(formats: tuple[str, ...], options: BuildOptions) -> bool:
    """Whether making `formats` lays out the print edition: the PDF itself, or the EPUB citing its pages."""
    return "pdf" in formats or ("epub" in formats and "pdf" in options.formats)


def print_pages_job(job: Job, tree: bytes) -> PageMap:
    """In the helper: the page map of the print edition of the job's tree (pickled), for the EPUB made beside it;
    the layout stays cached for `print_job`."""
    import pickle

    return guarded("epub", job.path, partial(_print_pages, pickle.loads(tree), job.options, job.source_date_epoch))


def print_job(job: Job, tree: bytes) -> bytes:
    """In the helper: the PDF of the job's tree (pickled), from the layout `print_pages_job` made, if it ran."""
    import pickle

    try:
        return guarded("pdf", job.path, partial(render, pickle.loads(tree), "pdf", job.options,
                                                job.source_date_epoch))
    finally:
        settle()


def render_beside(helper: Executor, job: Job, doc: Document) -> JobResult:
    """`render_job` for one article, with its print edition laid out and written by `helper`, a pool of one
    worker that loaded WeasyPrint while this process parsed; the other editions are made here meanwhile.

    The editions are those `render_job` makes, byte for byte, and so are the errors: the first failing format in
    `job.formats` order. A helper that dies raises `BrokenExecutor`, for the builder to retry the article alone."""
    import pickle

    from pipeline.render import parts

    options = job.options
    pages: Future[PageMap] | None = None
    printed: Future[bytes] | None = None
    cites = "epub" in job.formats and "pdf" in options.formats
    if parts.is_long(doc):
        # A long text is laid out in parts by turns here and in the helper (`long_edition`), before the rest.
        from pipeline.render.pdf import PrintSetup, long_edition

        edition = InlineExecutor().submit(guarded, "epub" if cites else "pdf", job.path,
                                          partial(long_edition, doc, PrintSetup.of(options), job.source_date_epoch,
                                                  helper))
        pages = InlineExecutor().submit(lambda: edition.result().pages) if cites else None
        printed = InlineExecutor().submit(lambda: edition.result().pdf) if "pdf" in job.formats else None
    else:
        tree = pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)
        pages = helper.submit(print_pages_job, job, tree) if cites else None
        printed = helper.submit(print_job, job, tree) if "pdf" in job.formats else None
    made: dict[str, bytes] = {}
    failed: dict[str, PipelineError] = {}
    # The print edition last: it is what the helper is still making.
    for fmt in sorted(job.formats, key=lambda name: name == "pdf"):
        try:
            if fmt == "pdf" and printed is not None:
                made[fmt] = printed.result()
            elif fmt == "epub" and pages is not None:
                made[fmt] = guarded(fmt, job.path, partial(_epub, doc, options, job.source_date_epoch, pages.result))
            else:
                made[fmt] = guarded(fmt, job.path, partial(render, doc, fmt, options, job.source_date_epoch))
        except PipelineError as exc:
            failed[fmt] = exc
    first = next((failed[fmt] for fmt in job.formats if fmt in failed), None)
    if first is not None:
        return JobResult(job.path, error=first, diagnostics=doc.diagnostics)
    return JobResult(job.path, tuple((fmt, made[fmt]) for fmt in job.formats), diagnostics=doc.diagnostics)


def settle() -> None:
    """Let go of the article's layout, kept for the EPUB's page numbers and of no use to the next article. (A full
    garbage collection as well would free WeasyPrint's box trees sooner, but costs 50-70 ms an article for some
    3 MB; the waves of `ProcessPool` bound a worker's size instead.)"""
    pdf = sys.modules.get("pipeline.render.pdf")
    if pdf is not None:
        pdf.layout.cache_clear()


def ignore_interrupts() -> None:
    """Leave Ctrl-C to the main process: a terminal sends it to every worker too, and each would print a
    traceback; the main process stops the workers itself and prints one line."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def warm_up(options: BuildOptions) -> None:
    """Pay WeasyPrint's import and set-up (fonts, parsed style sheets) once, as a worker starts."""
    ignore_interrupts()
    if "pdf" in options.formats:
        from pipeline.render.pdf import PrintSetup, stylesheets

        # Without the emoji face: most articles have no emoji, and one that has declares it as it is laid out.
        stylesheets(PrintSetup.of(options), emoji=False)


def _ready() -> None:
    """A no-op task: submitting one per worker starts them all while the planner still checks seeds."""


class InlineExecutor(Executor):
    """Runs each task at once in this process: `--jobs 1`, or a single article, needs no pool."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


#: Articles a worker renders before a fresh one takes its place. WeasyPrint and the libraries under it (Pango,
#: fontconfig, HarfBuzz) keep some memory per document that no cache clearing gives back (0.2 MB an article,
#: measured with every Python-level cache emptied), so a worker grows with each article it renders; a fresh
#: process every 50 articles keeps each worker within some 10 MB of its size at its tenth. Each wave costs time,
#: though: the cores wait for a wave's last article, and the fresh workers load WeasyPrint again (100 articles on
#: 2 cores: 15.4 s in waves of 20 articles a worker, 14.0 s in one wave of 50).
ARTICLES_PER_WORKER = 50


class ProcessPool(Executor):
    """`workers` warm worker processes, replaced all at once by fresh ones at `recycle()`: a build submits
    `wave` articles, takes their results, recycles, and goes on.

    The first workers are forked as the build starts (the planner is small then, and what a fork inherits counts
    in the worker's size); later ones come from a fork server, a small process of their own, since by then the
    planner holds the parser, its data and NumPy (the language model's) and would hand all that down."""

    def __init__(self, workers: int, options: BuildOptions) -> None:
        self.workers = workers
        self.options = options
        self.wave = workers * ARTICLES_PER_WORKER
        self._pool = self._start()

    def _start(self, context: Any = None) -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context, initializer=warm_up,
                                   initargs=(self.options,))
        for _ in range(self.workers):
            pool.submit(_ready)
        return pool

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        return self._pool.submit(fn, *args, **kwargs)

    def recycle(self) -> None:
        """Let the workers finish (their articles' results are all taken) and start fresh ones."""
        import multiprocessing

        self._pool.shutdown(wait=True)
        context = None  # where there is no fork server (Windows), the default start method already spawns
        if "forkserver" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["pipeline.build.workers"])
        self._pool = self._start(context)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)

    def stop(self) -> None:
        stop(self._pool)


@contextlib.contextmanager
def executor(*, jobs: int, tasks: int, options: BuildOptions, scheduler: str | None = None,
             helper: bool = False) -> Iterator[Executor]:
    """A `concurrent.futures` executor for `tasks` jobs: the Dask cluster at `scheduler`, else a process pool
    of at most `jobs` workers, else (one worker is enough) this very process; with `helper`, one task and a second
    core, a pool of one worker for its print edition (`render_beside`)."""
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise ConfigError("--scheduler needs Dask: pip install -e '.[dask]'") from None
        try:
            client: Any = Client(scheduler, timeout="10s")  # type: ignore[no-untyped-call]  # Dask is untyped
        except OSError as exc:
            raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        try:
            # Jobs are pure: the same seed and options give the same bytes, so Dask may share equal results.
            with client.get_executor(pure=True) as dask_executor:
                yield dask_executor
        finally:
            client.close()
        return
    workers = max(1, min(jobs, tasks))
    if workers == 1 and not helper:
        with InlineExecutor() as inline:
            yield inline
        return
    with ProcessPool(workers, options) as pool:
        try:
            yield pool
        except KeyboardInterrupt:
            pool.stop()
            raise


def stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now: shutting down would wait for every running article,
    and workers only compute (the main process writes), so ending them leaves no file behind."""
    # The pool keeps its processes in a private table (emptied by shutdown); there is no public way to end a
    # running task.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:  # gone when this returns (a terminated worker ends at once: it holds no lock of ours)
        process.join(STOP_SECONDS)


#: How long `stop` waits for each terminated worker to end.
STOP_SECONDS = 5
