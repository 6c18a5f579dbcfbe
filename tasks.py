"""Tasks: the product's (build, collection, inspect, check, clean, from `pipeline/cli.py`, installed as the command
`article-pipeline`) and the developer's (score, bench, test, lint)."""

from __future__ import annotations

import sys
from pathlib import Path

from invoke import Context, task

from pipeline.cli import build, check, clean, collection, inspect

__all__ = ["bench", "build", "check", "clean", "collection", "inspect", "lint", "score", "test"]


@task(positional=["folder"],
      help={"folder": "a folder of labelled dumps, NAME.txt with NAME.json (the project's: tests/corpus/dev)",
            "quiet": "print only the per-field table, not each miss",
            "wrap": "hard-wrap every long line at this many columns first, as an e-mail or a PDF copy would "
                    "(a stress test of unwrapping; default: 0, as the dumps are)"})
def score(c: Context, folder: str, quiet: bool = False, wrap: int = 0) -> None:
    """Score the parser on a labelled corpus: per-field accuracy, and each miss as expected against found."""
    from pipeline.check import corpus

    print(corpus.report(corpus.score_folder(Path(folder), wrap=wrap), misses=not quiet))


@task(help={"runs": "timed runs per measure; each figure is their median (default: 3)",
            "out": "folder the results are saved to as results.md and results.json (default: bench)",
            "only": "comma-separated measures to run: stages,cold,builds,noop,hostile,parse (default: all)"})
def bench(c: Context, runs: int = 3, out: str = "bench", only: str = "") -> None:
    """Benchmark builds (per format, cold, 1/10/100 articles, no-op of 1,000) against WeasyPrint and pandoc."""
    from bench import harness as pipeline_bench  # a developer tool: not loaded for the product's tasks

    measures = tuple(m.strip() for m in only.split(",") if m.strip()) or pipeline_bench.MEASURES
    results = pipeline_bench.run(Path(out), runs=runs, only=measures)
    print(pipeline_bench.markdown(results))


@task(help={"k": "only run tests whose name matches this pytest expression",
            "fast": "leave out the tests marked slow (Java, Chromium, PDF layout, whole builds): seconds, not minutes",
            "jobs": "pytest worker processes (pytest-xdist; default: all cores; 1: one process)"})
def test(c: Context, k: str = "", fast: bool = False, jobs: str = "") -> None:
    """Run the test suite (EPUBCheck, PDF and text checks, golden files) on every core."""
    from pipeline.build.workers import default_jobs
    from pipeline.options import parse_jobs

    # One worker per core: half the suite's CPU is one process at a time (a build, a checker), so a single pytest
    # left the second core of a 2-core machine idle. `loadgroup` keeps each corpus-wide checker run, and each
    # module-scoped fixture, on one worker (the groups are given in tests/conftest.py).
    # The fast tests too: on a quiet 2-core machine they took 61 s in one process and 37 s in two.
    workers = parse_jobs(jobs) or default_jobs()
    parallel = f" -n {workers} --dist loadgroup" if workers > 1 else ""
    selector = f" -k {k!r}" if k else ""
    marker = " -m 'not slow'" if fast else ""
    c.run(f"{sys.executable} -m pytest -q{parallel}{marker}{selector}", pty=False)


@task
def lint(c: Context) -> None:
    """Check the code with ruff and mypy."""
    c.run(f"{sys.executable} -m ruff check pipeline tasks.py tests bench")
    c.run(f"{sys.executable} -m mypy")
