"""Incremental builds: changing one input rebuilds exactly the editions made from it; a no-op build reads no more
than bytes and never loads a renderer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

from pipeline.build import state, workers
from pipeline.build.builder import build
from pipeline.model import Document
from pipeline.options import BuildOptions
from pipeline.read import language
from pipeline.render.assets import FONT_FACES, STYLES, TEMPLATES

from .conftest import ROOT, SEED, Built

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "collection" / "night-ferry.txt"
EVERYTHING = {f"{stem}.{fmt}" for stem in ("a", "b") for fmt in ("epub", "pdf", "txt")}


@dataclass
class Project:
    """A build's inputs in a temporary folder: seeds, and copies of the templates, styles, fonts and code that
    the manifest digests (the renderers keep using the real ones; only rebuild decisions are under test)."""

    seeds: Path
    dist: Path
    root: Path

    def run(self, **kwargs: object) -> set[str]:
        """Build and return the names of the editions that were written."""
        options = kwargs.pop("options", BuildOptions())
        assert isinstance(options, BuildOptions)
        report = build(self.seeds, self.dist, options, emit=lambda _l: None, jobs=1, **kwargs)  # type: ignore[arg-type]
        assert not report.failed, [str(r.error) for r in report.failed]
        return {p.name for r in report.results for p in r.outputs}


def _fake_render(doc: Document, fmt: str, options: BuildOptions, source_date_epoch: int | None = None) -> bytes:
    # Rendering is tested elsewhere; here each edition only has to be a distinct file, made fast.
    return f"{fmt} {doc.meta.title} {options} {source_date_epoch}".encode()


def _use(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the manifest digest the copies under `root`, render fakes, and keep the language model between builds
    (a build lets it go once every seed's language is known, and the next loads it again: half a second of CPU, and
    these tests run many builds in one process, where only their rebuild decisions are under test)."""
    monkeypatch.setattr(state, "TEMPLATES", root / "templates")
    monkeypatch.setattr(state, "STYLES", root / "styles")
    monkeypatch.setattr(state, "PIPELINE", root / "pipeline")
    monkeypatch.setattr(state, "FONT_FACES", tuple(SimpleNamespace(path=root / "fonts" / f.file) for f in FONT_FACES))
    monkeypatch.setattr(workers, "render", _fake_render)
    monkeypatch.setattr(language, "release", lambda: None)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    state.code_and_assets.cache_clear()


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the project's inputs (`project/`: copies of the templates, styles, fonts and code; `seeds/`)
    and the `dist/` built from them, once per session: each test starts from a copy."""
    base = tmp_path_factory.mktemp("incremental")
    root = base / "project"
    shutil.copytree(TEMPLATES, root / "templates")
    shutil.copytree(STYLES, root / "styles")
    shutil.copytree(state.PIPELINE, root / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "fonts").mkdir()
    for face in FONT_FACES:
        shutil.copy(face.path, root / "fonts" / face.file)
    seeds = base / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / "a.txt")
    shutil.copy(FIXTURE, seeds / "b.txt")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _use(root, monkeypatch)
        proj = Project(seeds, base / "dist", root)
        assert proj.run() == EVERYTHING
        assert proj.run() == set()
    state.code_and_assets.cache_clear()
    return base


@pytest.fixture
def project(built_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    # Copied with their times (what the manifest's records check, besides their digests), the editions are up to
    # date in their new place too; the seeds and the code, met under new paths, are read and digested again.
    shutil.copytree(built_project, tmp_path, dirs_exist_ok=True)
    _use(tmp_path / "project", monkeypatch)
    proj = Project(tmp_path / "seeds", tmp_path / "dist", tmp_path / "project")
    assert proj.run() == set()
    yield proj
    state.code_and_assets.cache_clear()


def _append(path: Path, text: str = "\n/* changed */\n") -> Callable[[], None]:
    def change() -> None:
        with path.open("a", encoding="utf-8") as f:
            f.write(text)
        state.code_and_assets.cache_clear()  # a new build is a new process: its digests start afresh

    return change


# An EPUB built beside its PDF carries the PDF's page numbers (and its cover is drawn in the project's fonts):
# what moves the PDF's pages rebuilds the EPUBs too.
PRINTED = {"a.pdf", "b.pdf", "a.epub", "b.epub"}

ASSET_CHANGES: dict[str, tuple[str, set[str]]] = {
    "print.css": ("styles/print.css", PRINTED),
    "ebook.css": ("styles/ebook.css", {"a.epub", "b.epub"}),
    "text template": ("templates/text/article.txt.j2", {"a.txt", "b.txt"}),
    "shared article markup": ("templates/shared/article.html.j2", {"a.epub", "b.epub", "a.pdf", "b.pdf"}),
    "PDF template": ("templates/pdf/article.html.j2", PRINTED),
    "EPUB nav template": ("templates/epub/nav.xhtml.j2", {"a.epub", "b.epub"}),
    "a font": ("fonts/SourceSansPro-Regular.ttf", PRINTED),
    "PDF renderer code": ("pipeline/render/pdf.py", PRINTED),
    "text renderer code": ("pipeline/render/text.py", {"a.txt", "b.txt"}),
    "parser code": ("pipeline/parse/parser.py", EVERYTHING),
    "the labels (data beside the code)": ("pipeline/render/data/labels.toml", EVERYTHING),
}


@pytest.mark.parametrize("what", list(ASSET_CHANGES))
def test_changing_an_asset_rebuilds_exactly_its_editions(project: Project, what: str) -> None:
    relative, expected = ASSET_CHANGES[what]
    _append(project.root / relative)()
    assert project.run() == expected
    assert project.run() == set()


def test_code_that_makes_no_edition_rebuilds_nothing(project: Project) -> None:
    for module in ("build/progress.py", "check/pdf.py", "check/layout.py", "render/collection.py"):
        _append(project.root / "pipeline" / module, "\n# changed\n")()
    assert project.run() == set()


def test_the_seed_rebuilds_its_own_three_editions(project: Project) -> None:
    _append(project.seeds / "a.txt", "\nOne more paragraph at the end of the story.\n")()
    assert project.run() == {"a.epub", "a.pdf", "a.txt"}


def test_a_new_modification_time_alone_rebuilds_nothing(project: Project) -> None:
    os.utime(project.seeds / "a.txt", ns=(1, 1))  # digests of the bytes decide, not the clock
    assert project.run() == set()


def _no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("the build read a seed or digested the code it should have known by its status")

    monkeypatch.setattr(state.BuildState, "read_inputs", refuse)
    monkeypatch.setattr(state, "_tree_digest", refuse)  # what digesting the code and assets would call
    state.code_and_assets.cache_clear()


def test_files_read_before_are_known_by_their_status(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state, "RACY_NS", 0)  # the copies were just made: let them be remembered at once
    assert project.run() == set()  # reads and remembers the seeds and the code (the manifest is saved once)
    _no_reading(monkeypatch)
    assert project.run() == set()


def test_an_edit_that_keeps_the_size_and_the_time_is_still_seen(project: Project,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state, "RACY_NS", 0)
    assert project.run() == set()
    seed = project.seeds / "a.txt"
    before = seed.stat()
    time.sleep(0.05)  # past the clock tick of the status change the build saw
    text = seed.read_bytes()
    seed.write_bytes(text.replace(b"Summit", b"Sommet", 1))
    os.utime(seed, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert seed.stat().st_size == before.st_size and seed.stat().st_mtime_ns == before.st_mtime_ns
    assert project.run() == {"a.epub", "a.pdf", "a.txt"}


def test_a_seed_changed_moments_ago_is_read_again_next_time(project: Project) -> None:
    reads = []
    read = state.BuildState.read_inputs

    def counted(self: state.BuildState, seed: Path, max_bytes: int) -> tuple[bytes | None, state.Inputs]:
        reads.append(seed.name)
        return read(self, seed, max_bytes)

    state.BuildState.read_inputs = counted  # type: ignore[method-assign]
    try:
        _append(project.seeds / "a.txt", "\nOne more paragraph at the end of the story.\n")()
        assert project.run() == {"a.epub", "a.pdf", "a.txt"}
        assert project.run() == set()
    finally:
        state.BuildState.read_inputs = read  # type: ignore[method-assign]
    # Changed within the last two seconds: its status could hide the next change, so it is read every time.
    assert reads.count("a.txt") == 2


def test_a_changed_asset_is_seen_when_the_manifest_knows_the_code(project: Project,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state, "RACY_NS", 0)
    assert project.run() == set()
    time.sleep(0.05)
    _append(project.root / "styles" / "print.css")()
    assert project.run() == PRINTED
    time.sleep(0.05)
    _append(project.root / "pipeline" / "render" / "text.py", "\n# changed\n")()
    assert project.run() == {"a.txt", "b.txt"}


def test_the_sidecar_is_an_input_when_it_exists(project: Project) -> None:
    sidecar = project.seeds / "b.toml"
    sidecar.write_text('title = "Night Ferry"\n', encoding="utf-8")
    assert project.run() == {"b.epub", "b.pdf", "b.txt"}
    assert project.run() == set()
    sidecar.write_text('title = "The Night Ferry"\n', encoding="utf-8")
    assert project.run() == {"b.epub", "b.pdf", "b.txt"}
    sidecar.unlink()
    assert project.run() == {"b.epub", "b.pdf", "b.txt"}


@pytest.mark.parametrize(("options", "expected"), [
    (BuildOptions(paper="letter"), PRINTED),
    (BuildOptions(publisher="Example Press"), {"a.epub", "b.epub"}),
    (BuildOptions(language="fr"), EVERYTHING),
    (BuildOptions(max_bytes=1 << 20), EVERYTHING),
    (BuildOptions(formats=("txt",)), set()),
])
def test_build_options_rebuild_the_editions_they_shape(project: Project, options: BuildOptions,
                                                       expected: set[str]) -> None:
    assert project.run(options=options) == expected
    assert project.run(options=options) == set()


def test_strict_rebuilds_everything(project: Project) -> None:
    assert project.run(options=BuildOptions(strict=True)) == EVERYTHING


def test_source_date_epoch_rebuilds_the_epubs(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert project.run() == {"a.epub", "b.epub"}


def test_a_deleted_or_edited_output_is_rebuilt(project: Project) -> None:
    (project.dist / "a.pdf").unlink()
    (project.dist / "b.txt").write_bytes(b"edited by hand, a little longer")
    assert project.run() == {"a.pdf", "b.txt"}


def test_new_formats_build_only_what_is_missing(project: Project) -> None:
    for path in project.dist.glob("*.pdf"):
        path.unlink()
    assert project.run(options=BuildOptions(formats=("txt",))) == set()
    assert project.run() == {"a.pdf", "b.pdf"}


def test_without_the_pdf_the_epub_does_not_follow_the_print_styles(project: Project) -> None:
    # Built alone, an EPUB cites no print edition: it drops the page numbers once, then ignores print changes.
    epub_only = BuildOptions(formats=("epub",))
    assert project.run(options=epub_only) == {"a.epub", "b.epub"}
    _append(project.root / "styles" / "print.css")()
    assert project.run(options=epub_only) == set()


def test_force_rebuilds_everything(project: Project) -> None:
    assert project.run(force=True) == EVERYTHING


def test_a_damaged_manifest_touches_nothing_it_cannot_prove_is_its_own(project: Project,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # The build learns the seeds' status and the code's digests (as it does whenever they were made more than two
    # seconds before: this test once failed so under load), and must not write them over the damaged manifest.
    monkeypatch.setattr(state, "RACY_NS", 0)
    (project.dist / state.STATE_FILE).write_bytes(b"{not json")
    before = {p.name: p.read_bytes() for p in project.dist.iterdir()}
    report = build(project.seeds, project.dist, BuildOptions(), emit=lambda _l: None, jobs=1)
    assert {r.error.code for r in report.failed if r.error} == {"E501"} and len(report.failed) == 2
    assert {p.name: p.read_bytes() for p in project.dist.iterdir()} == before
    for path in project.dist.iterdir():  # the user moves the old files away: everything is built anew
        path.unlink()
    assert project.run() == EVERYTHING


#: What a no-op build must not load: the parser (and the language model under it), the renderers and their
#: libraries, the process pool.
NOT_FOR_A_NO_OP = ("pipeline.parse", "pipeline.render.pdf", "pipeline.render.epub", "pipeline.render.cover",
                   "pipeline.render.text", "pipeline.read.sidecar", "weasyprint", "ebooklib", "PIL", "py3langid",
                   "numpy", "concurrent.futures.process")


def test_a_no_op_build_never_parses_nor_loads_a_renderer(built: Built, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    shutil.copytree(built.dist, dist)
    script = f"""
import json, sys
from pathlib import Path
import pipeline.build.builder
from pipeline.options import BuildOptions
report = pipeline.build.builder.build(Path({str(SEED.parent)!r}), Path({str(dist)!r}), BuildOptions(),
                                      emit=lambda _l: None)
print(json.dumps({{"unchanged": len(report.unchanged), "results": len(report.results),
                  "modules": sorted(m for m in sys.modules if m.startswith({NOT_FOR_A_NO_OP!r}))}}))
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"unchanged": 1, "results": 0, "modules": []}
