"""Parallel builds: a process pool and a Dask cluster make the same bytes as one process; one article's failure,
even a dead worker, never stops the others; progress is a bar on a terminal and lines elsewhere."""

from __future__ import annotations

import io
import multiprocessing
import os
import shutil
import time
from pathlib import Path

import pytest

from pipeline.build import workers
from pipeline.build.builder import build
from pipeline.build.progress import Progress
from pipeline.model import Document
from pipeline.options import BuildOptions

from .conftest import SEED, Built

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "collection"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("seeds")
    shutil.copy(SEED, folder / SEED.name)
    for fixture in FIXTURES.glob("*.txt"):
        shutil.copy(fixture, folder / fixture.name)
    return folder


def _files(dist: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(dist.iterdir()) if not p.name.startswith(".")}


@pytest.fixture(scope="module")
def pool_build(seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    dist = tmp_path_factory.mktemp("pool")
    report = build(seeds, dist, BuildOptions(), emit=lambda _l: None, jobs=2)
    assert not report.failed, [str(r.error) for r in report.failed]
    return _files(dist)


def test_a_process_pool_makes_the_same_bytes_as_one_process(pool_build: dict[str, bytes], built: Built) -> None:
    assert len(pool_build) == 4 * 3
    for path in (built.epub, built.pdf, built.txt):
        assert pool_build[path.name] == path.read_bytes(), path.name


def test_a_dask_cluster_makes_the_same_bytes(seeds: Path, pool_build: dict[str, bytes], tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    # One thread per worker: WeasyPrint's per-process font set-up is not meant to be shared between threads.
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, host="127.0.0.1", protocol="tcp",
                                  dashboard_address=":0") as cluster:
        report = build(seeds, tmp_path, BuildOptions(), emit=lambda _l: None, scheduler=cluster.scheduler_address)
    assert not report.failed, [str(r.error) for r in report.failed]
    assert _files(tmp_path) == pool_build  # EPUB, PDF and text, byte for byte


def test_one_failing_article_does_not_stop_the_others(seeds: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    real = workers.render

    def fragile(doc: Document, fmt: str, options: BuildOptions, source_date_epoch: int | None = None) -> bytes:
        if doc.source == "night-ferry.txt":
            raise RuntimeError("boom")
        if doc.source == "quiet-bees.txt":
            os._exit(9)  # the worker process dies outright, taking its pool's queue with it
        return real(doc, fmt, options, source_date_epoch)

    monkeypatch.setattr(workers, "render", fragile)  # inherited by the pool's forked workers
    lines: list[str] = []
    report = build(seeds, tmp_path, BuildOptions(formats=("txt",)), emit=lines.append, jobs=2)
    failed = {r.seed.name: str(r.error) for r in report.failed}
    assert set(failed) == {"night-ferry.txt", "quiet-bees.txt"}
    assert "E300 the txt renderer failed: RuntimeError: boom" in failed["night-ferry.txt"]
    assert "worker rendering it failed" in failed["quiet-bees.txt"]
    assert report.exit_code == 4
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == [f"{SEED.stem}.txt", "harbour-lights.txt"]
    assert lines[-1].startswith("2 built, 0 unchanged, 2 failed in ")


def test_progress_is_a_bar_on_a_terminal(seeds: Path, tmp_path: Path) -> None:
    screen = io.StringIO()
    lines: list[str] = []
    build(seeds, tmp_path, BuildOptions(formats=("txt",)), emit=lines.append, jobs=1,
          progress=Progress(lines.append, stream=screen))
    assert "\r[" + "#" * 30 + "] 4/4" in screen.getvalue()
    assert not [line for line in lines if line.startswith("built ")]  # the bar replaces the per-article lines
    assert lines[-1].startswith("4 built, 0 unchanged, 0 failed in ")


def test_progress_is_plain_lines_elsewhere(seeds: Path, tmp_path: Path) -> None:
    lines: list[str] = []
    build(seeds, tmp_path, BuildOptions(formats=("txt",)), emit=lines.append, jobs=1)
    assert len([line for line in lines if line.startswith("built ")]) == 4
    assert not any("\r" in line for line in lines)
    lines.clear()
    build(seeds, tmp_path, BuildOptions(formats=("txt",)), emit=lines.append, jobs=1)
    assert lines == [lines[-1]] and lines[-1].startswith("0 built, 4 unchanged, 0 failed in ")


def test_workers_are_replaced_after_their_share_of_articles(seeds: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # WeasyPrint's libraries keep memory per document: a worker renders ARTICLES_PER_WORKER articles, then fresh
    # workers (from a fork server) take the next wave. With one article each, four articles take two pools of two
    # workers, and make the bytes one process makes.
    starts: list[object] = []
    start = workers.ProcessPool._start

    def counted(self: workers.ProcessPool, context: object = None) -> object:
        starts.append(context)
        return start(self, context)

    monkeypatch.setattr(workers, "ARTICLES_PER_WORKER", 1)
    monkeypatch.setattr(workers.ProcessPool, "_start", counted)
    options = BuildOptions(formats=("txt",))
    report = build(seeds, tmp_path / "waves", options, emit=lambda _l: None, jobs=2)
    assert not report.failed and len(starts) == 2
    build(seeds, tmp_path / "one", options, emit=lambda _l: None, jobs=1)
    assert _files(tmp_path / "waves") == _files(tmp_path / "one")


def _model_render(doc: Document, fmt: str, options: BuildOptions, source_date_epoch: int | None = None) -> bytes:
    from pipeline.read import language

    return f"{doc.meta.language} {language.loaded()}".encode()


@pytest.mark.parametrize("jobs", [1, 2])
def test_no_renderer_holds_the_language_model(seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              jobs: int) -> None:
    # The planner detects each seed's language and sends it with the job: a worker parses without the model (half
    # a second to load, some 90 MB), and with one worker the build lets the model go before it renders.
    from pipeline.read import language

    language.release()  # this test process may hold it from other tests: the workers would inherit it
    monkeypatch.setattr(workers, "render", _model_render)
    report = build(seeds, tmp_path, BuildOptions(formats=("txt",)), emit=lambda _l: None, jobs=jobs)
    assert not report.failed
    assert {p.read_text() for p in tmp_path.glob("*.txt")} == {"en False"}


def test_each_seed_is_parsed_once_in_a_process_pool(seeds: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # The planner parses and checks every seed before anything is written; the pool's workers render that very
    # tree (sent pickled) instead of parsing the seed a second time, and make the bytes one process makes.
    from pipeline.parse import parser

    parses = tmp_path / "parses"
    parses.mkdir()
    original = parser.parse

    def counted(*args: object, **kwargs: object) -> Document:
        (parses / f"{os.getpid()}-{len(list(parses.iterdir()))}").touch()
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parser, "parse", counted)
    options = BuildOptions(formats=("txt", "epub"))
    report = build(seeds, tmp_path / "pool", options, emit=lambda _l: None, jobs=2)
    assert not report.failed
    assert sorted(p.name.split("-")[0] for p in parses.iterdir()) == [str(os.getpid())] * 4
    monkeypatch.setattr(parser, "parse", original)
    build(seeds, tmp_path / "one", options, emit=lambda _l: None, jobs=1)
    assert _files(tmp_path / "pool") == _files(tmp_path / "one")


@pytest.fixture()
def one_seed(tmp_path: Path) -> Path:
    folder = tmp_path / "one-seed"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    return folder


def test_one_article_with_a_second_core_has_its_print_edition_made_beside_it(
        one_seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A helper process (a pool of one, forked as the build starts) loads WeasyPrint while this process parses, then
    # lays out the print edition and writes the PDF while this one makes the text and the EPUB; the EPUB's page
    # numbers come from the helper's layout. The bytes are those of one process.
    from pipeline.render import pdf

    calls = tmp_path / "calls"
    calls.mkdir()
    real_render, real_pages = workers.render, pdf.print_pages

    def mark(what: str) -> None:
        (calls / f"{what}-{os.getpid()}").touch()

    def render(doc: Document, fmt: str, options: BuildOptions, source_date_epoch: int | None = None) -> bytes:
        mark(fmt)
        return real_render(doc, fmt, options, source_date_epoch)

    def print_pages(*args: object, **kwargs: object) -> object:
        mark("pages")
        return real_pages(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(workers, "render", render)  # inherited by the forked helper
    monkeypatch.setattr(pdf, "print_pages", print_pages)
    report = build(one_seed, tmp_path / "beside", BuildOptions(), emit=lambda _l: None, jobs=2)
    assert not report.failed, [str(r.error) for r in report.failed]
    here = str(os.getpid())
    where = dict(p.name.split("-") for p in calls.iterdir())
    assert where["txt"] == here and where["pdf"] != here and where["pages"] == where["pdf"]
    assert "epub" not in where  # the EPUB is made here, by its own renderer, from the helper's page map
    monkeypatch.setattr(workers, "render", real_render)
    monkeypatch.setattr(pdf, "print_pages", real_pages)
    report = build(one_seed, tmp_path / "alone", BuildOptions(), emit=lambda _l: None, jobs=1)
    assert not report.failed
    assert _files(tmp_path / "beside") == _files(tmp_path / "alone")


@pytest.mark.parametrize(("failure", "message"), [("raise", "E300 the pdf renderer failed: RuntimeError: boom"),
                                                  ("die", "worker rendering it failed")])
def test_a_failing_helper_fails_its_article_in_one_line_and_writes_nothing(
        one_seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str, message: str) -> None:
    real = workers.render

    def fragile(doc: Document, fmt: str, options: BuildOptions, source_date_epoch: int | None = None) -> bytes:
        if fmt == "pdf":
            if failure == "die":
                os._exit(9)  # the helper dies outright: the article is tried once more alone, and dies again
            raise RuntimeError("boom")
        return real(doc, fmt, options, source_date_epoch)

    monkeypatch.setattr(workers, "render", fragile)
    dist = tmp_path / "dist"
    report = build(one_seed, dist, BuildOptions(formats=("txt", "pdf")), emit=lambda _l: None, jobs=2)
    (failed,) = report.failed
    assert message in str(failed.error) and SEED.name in str(failed.error)
    assert report.exit_code == 4
    assert [p.name for p in dist.iterdir() if not p.name.startswith(".")] == [] if dist.exists() else True


def test_a_helper_whose_article_fails_its_checks_is_ended_not_waited_for(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # The helper starts loading WeasyPrint as the build starts; when the one article fails its checks (no body),
    # the build reports it at once and ends the helper instead of waiting for its start-up to finish.
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "headline-only.txt").write_text("Just a headline\n", encoding="utf-8")
    warmed = tmp_path / "warmed"

    def slow_warm_up(options: BuildOptions) -> None:  # inherited by the forked helper
        workers.ignore_interrupts()
        time.sleep(30)
        warmed.touch()

    monkeypatch.setattr(workers, "warm_up", slow_warm_up)
    report = build(seeds, tmp_path / "dist", BuildOptions(), emit=lambda _l: None, jobs=2)
    (failed,) = report.failed
    assert "E104" in str(failed.error)
    assert not warmed.exists()  # ended before its start-up was done, not waited for
    assert multiprocessing.active_children() == []


def test_an_epub_rebuilt_alone_takes_its_page_numbers_from_the_helper(one_seed: Path, tmp_path: Path) -> None:
    # Only the EPUB is out of date: the helper lays the print edition out for its page numbers and writes no PDF;
    # the EPUB is the one a full build made.
    dist = tmp_path / "dist"
    assert not build(one_seed, dist, BuildOptions(), emit=lambda _l: None, jobs=2).failed
    epub = dist / f"{SEED.stem}.epub"
    made, pdf_made = epub.read_bytes(), (dist / f"{SEED.stem}.pdf").stat().st_mtime_ns
    epub.unlink()
    lines: list[str] = []
    report = build(one_seed, dist, BuildOptions(), emit=lines.append, jobs=2)
    assert not report.failed and [p.name for p in report.results[0].outputs] == [epub.name]
    assert epub.read_bytes() == made and (dist / f"{SEED.stem}.pdf").stat().st_mtime_ns == pdf_made
