"""The product's tasks (build, collection, inspect, clean) and the `article-pipeline` command that runs them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from invoke import Collection, Context, Exit, Program, task

from pipeline import __version__
from pipeline.errors import Interrupted, PipelineError
from pipeline.options import DEFAULT_MAX_BYTES, BuildOptions, parse_jobs

HELP = {
    "seeds": "folder of seed articles (*.txt) to build (default: seeds)",
    "dist": "folder the editions are written to (default: dist)",
    "formats": "comma-separated editions to make: epub,pdf,txt (default: all three)",
    "paper": "PDF trim size: a4, letter, a5 or 6x9 (inches) (default: a4)",
    "bleed": "PDF bleed for a print shop, e.g. 3mm or 0.125in; adds crop marks (default: none)",
    "two-sided": "mirrored PDF margins (wider inside) for printing on both sides",
    "pdf-variant": "ua-1 (tagged, accessible), a-3b (archival) or x-4 (print shop) (default: ua-1)",
    "ascii": "write the text edition in ASCII only (quotes, dashes and accents transliterated)",
    "language": "language of seeds that do not say (default: detected from the text, else en)",
    "publisher": "publisher named in the EPUB's metadata",
    "strict": "treat every parser warning (no byline, no date, …) as an error",
    "max-bytes": f"refuse seeds larger than this many bytes (default: {DEFAULT_MAX_BYTES})",
    "jobs": "articles rendered at once, one process each (default: all cores)",
    "force": "rebuild every edition, even those whose inputs did not change",
    "scheduler": "address of a Dask scheduler (tcp://HOST:PORT) to render on instead of local processes",
}


def _options(formats: str, paper: str, language: str, publisher: str | None, strict: bool,
             max_bytes: int, **print_options: Any) -> BuildOptions:
    try:
        return BuildOptions.from_strings(formats=formats, paper=paper, language=language, publisher=publisher,
                                         strict=strict, max_bytes=max_bytes, **print_options)
    except PipelineError as exc:
        raise Exit(f"error: {exc}", code=exc.exit_code) from None


@task(help=HELP)
def build(c: Context, seeds: str = "seeds", dist: str = "dist", formats: str = "epub,pdf,txt", paper: str = "a4",
          language: str = "", publisher: str | None = None, strict: bool = False,
          max_bytes: int = DEFAULT_MAX_BYTES, bleed: str | None = None, two_sided: bool = False,
          pdf_variant: str = "ua-1", ascii: bool = False, jobs: str = "", force: bool = False,
          scheduler: str | None = None) -> None:
    """Build each seed whose EPUB, PDF or text edition in dist/ is missing or out of date, in parallel."""
    # Each task imports what it runs: `invoke` loads this module (through tasks.py) for every task, `--list` too.
    from pipeline.build import builder as pipeline_build

    options = _options(formats, paper, language, publisher, strict, max_bytes, bleed=bleed, two_sided=two_sided,
                       pdf_variant=pdf_variant, ascii=ascii)
    try:
        # `--jobs` is taken as text and checked here: Invoke's own conversion of `abc` ends in a traceback.
        processes = parse_jobs(jobs)
        report = pipeline_build.build(Path(seeds), Path(dist), options, jobs=processes, force=force,
                                      scheduler=scheduler, exiting=True)
    except Interrupted as exc:
        raise Exit(str(exc), code=exc.exit_code) from None
    except PipelineError as exc:
        raise Exit(f"error: {exc}", code=exc.exit_code) from None
    if report.failed:
        raise Exit(code=report.exit_code)


@task(help={"manifest": "the collection's manifest (collection.toml: title, editor, date, cover, seeds in order)",
            "dist": HELP["dist"], "formats": HELP["formats"], "paper": HELP["paper"], "language": HELP["language"],
            "publisher": "publisher named in the metadata when the manifest names none", "strict": HELP["strict"],
            "max-bytes": HELP["max-bytes"],
            "seeds": "folder the manifest's seeds may also come from, besides its own folder (default: seeds)"})
def collection(c: Context, manifest: str, dist: str = "dist", formats: str = "epub,pdf,txt", paper: str = "a4",
               language: str = "", publisher: str | None = None, strict: bool = False,
               max_bytes: int = DEFAULT_MAX_BYTES, seeds: str = "seeds") -> None:
    """Build several articles into one EPUB, PDF and text edition (a magazine issue or anthology)."""
    from pipeline.build import collection as pipeline_collection  # only this task needs it

    options = _options(formats, paper, language, publisher, strict, max_bytes)
    try:
        pipeline_collection.build_collection(Path(manifest), Path(dist), options, seeds_dir=Path(seeds))
    except KeyboardInterrupt:
        # The editions are written only once all are rendered, each renamed into place whole.
        raise Exit("interrupted; nothing partial left", code=130) from None
    except PipelineError as exc:
        raise Exit(f"error: {exc}", code=exc.exit_code) from None


@task(help={"seed": "the seed file to parse", "language": HELP["language"], "max-bytes": HELP["max-bytes"]})
def inspect(c: Context, seed: str, language: str = "", max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Print a seed's document tree as JSON (title, authors, date, photos, blocks, warnings)."""
    from pipeline.build import builder as pipeline_build

    options = _options("txt", "a4", language, None, False, max_bytes)
    try:
        print(pipeline_build.inspect(Path(seed), options))
    except KeyboardInterrupt:
        raise Exit("interrupted", code=130) from None
    except PipelineError as exc:
        raise Exit(f"error: {exc}", code=exc.exit_code) from None


@task(help={"dist": HELP["dist"]})
def clean(c: Context, dist: str = "dist") -> None:
    """Remove the editions the build recorded in dist/ (and its record); the folder and other files stay."""
    from pipeline.build import builder as pipeline_build

    try:
        removed = pipeline_build.clean(Path(dist))
    except OSError as exc:
        raise Exit(f"error: {dist}: E500 cannot clean: {exc.strerror or exc}", code=5) from None
    print(f"removed {len(removed)} files from {dist}")


@task(help={"dist": "folder of editions to validate (default: dist)",
            "seeds": "folder of the seeds they were built from, for the parser's findings (default: seeds)",
            "report": "write the visual report dist/report.html (default: on; --no-report to skip)",
            "ace": "run DAISY Ace on the EPUBs when it is installed (default: on; --no-ace to skip)"})
def check(c: Context, dist: str = "dist", seeds: str = "seeds", report: bool = True, ace: bool = True) -> None:
    """Validate every edition in dist/ (EPUBCheck, DAISY Ace, PDF and layout checks) and write dist/report.html."""
    from pipeline.check import editions  # only this task needs the validators

    try:
        checked = editions.check(Path(dist), Path(seeds), ace=ace)
    except PipelineError as exc:
        raise Exit(f"error: {exc}", code=exc.exit_code) from None
    for edition in checked.editions:
        print(edition.line())
        for problem in (p for v in edition.verdicts for p in v.problems):
            print(f"      {problem}")
    if report:
        from pipeline.check import report as check_report

        print(f"report: {check_report.write(checked)}")
    failed = len(checked.failed)
    print(f"{len(checked.editions) - failed} passed, {failed} failed")
    if failed:
        raise Exit(code=editions.EXIT_FAILED)


#: The installed command: Invoke's own command-line program over exactly these tasks ("reusing Invoke's CLI module
#: as a distinct binary"), so `article-pipeline build --seeds DIR --dist DIR` works from any folder.
program = Program(namespace=Collection.from_module(sys.modules[__name__]), name="article-pipeline",
                  binary="article-pipeline", version=__version__)
