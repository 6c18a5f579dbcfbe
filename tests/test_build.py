"""The build: bad seeds get one clear line and a non-zero exit; good seeds still build; nothing is lost."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.build.builder import build, output_path, safe_stem
from pipeline.options import BuildOptions

from .conftest import ROOT, SEED

BAD_SEEDS: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "E101 the file is empty"),
    "blank": ("  \n\u00a0\n\t\u3000\n".encode(), "E101 the file is empty"),
    "binary": (bytes(range(256)) * 40, "E102 the file is binary data, not text"),
    "headline-only": (b"Just a headline\n", "E104 no body"),
    "leftovers-only": (b"Leave a Reply\nYour email address will not be published.\n", "E103 no headline"),
}


def _invoke(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    for name, (data, _message) in BAD_SEEDS.items():
        (folder / f"{name}.txt").write_bytes(data)
    return folder


def test_bad_seeds_get_one_line_each_and_the_good_one_builds(seeds: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    result = _invoke("build", "--seeds", str(seeds), "--dist", str(dist), "--formats", "txt,epub")
    assert result.returncode == 2, result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert len(errors) == len(BAD_SEEDS)
    for name, (_data, message) in BAD_SEEDS.items():
        (line,) = [e for e in errors if f"{name}.txt" in e]
        assert message in line
    assert "Traceback" not in result.stdout + result.stderr
    # The good seed was built; nothing at all was written for the bad ones, and no temporary file remains.
    assert sorted(p.name for p in dist.iterdir()) == [".build-state.json", f"{SEED.stem}.epub", f"{SEED.stem}.txt"]


def test_earlier_good_outputs_survive_a_failed_rebuild(tmp_path: Path) -> None:
    seeds, dist = tmp_path / "seeds", tmp_path / "dist"
    seeds.mkdir()
    seed = seeds / "story.txt"
    shutil.copy(SEED, seed)
    assert not build(seeds, dist, BuildOptions(formats=("txt",)), emit=lambda _l: None).failed
    good = (dist / "story.txt").read_bytes()
    seed.write_bytes(b"")  # the user breaks the seed
    report = build(seeds, dist, BuildOptions(formats=("txt",)), emit=lambda _l: None)
    assert report.failed and report.exit_code == 2
    assert (dist / "story.txt").read_bytes() == good
    assert sorted(os.listdir(dist)) == [".build-state.json", "story.txt"]


def test_strict_turns_guesses_into_errors(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "undated.txt").write_text("A headline\n\nBy Ann Lee\n\nThe only paragraph of the story.\n")
    report = build(seeds, tmp_path / "dist", BuildOptions(formats=("txt",), strict=True), emit=lambda _l: None)
    (result,) = report.failed
    assert "W102 no date found" in str(result.error)
    assert not (tmp_path / "dist").exists()


def test_unknown_format_and_paper_are_refused(tmp_path: Path) -> None:
    for args, message in ((("--formats", "docx"), "unknown format docx"), (("--paper", "a3"), "unknown paper")):
        result = _invoke("build", "--seeds", str(tmp_path), "--dist", str(tmp_path / "d"), *args)
        assert result.returncode == 3 and message in result.stderr


def test_missing_seeds_folder(tmp_path: Path) -> None:
    result = _invoke("build", "--seeds", str(tmp_path / "nowhere"), "--dist", str(tmp_path / "d"))
    assert result.returncode == 3
    assert result.stderr.strip().splitlines() == [f"error: E200 the seeds folder {tmp_path / 'nowhere'} does not exist"]


def test_output_names_stay_inside_dist(tmp_path: Path) -> None:
    for name in ("../../etc/passwd", "a/b\\c:d*e?f", "con", "x" * 300, "é" * 200, " . "):
        path = output_path(tmp_path, Path(f"{name}.txt"), "epub")
        assert path.parent == tmp_path
        assert len(path.name.encode("utf-8")) <= 255
    assert safe_stem("con") == "_con"


def test_clean_removes_only_recorded_editions_and_keeps_the_folder(tmp_path: Path) -> None:
    seeds, dist = tmp_path / "seeds", tmp_path / "dist"
    seeds.mkdir()
    shutil.copy(SEED, seeds / "s.txt")
    assert _invoke("build", "--seeds", str(seeds), "--dist", str(dist), "--formats", "txt").returncode == 0
    (dist / "NOTES.txt").write_bytes(b"n\n")
    (dist / "mine.pdf").write_bytes(b"%PDF-my own")
    result = _invoke("clean", "--dist", str(dist))
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(dist)) == ["NOTES.txt", "mine.pdf"]
    assert (dist / "NOTES.txt").read_bytes() == b"n\n"


def test_clean_on_a_folder_the_build_never_wrote_deletes_nothing(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    before = {"a.txt": b"seed a\n", "b.epub": b"not ours", ".build-state.json.bak": b"x"}
    for name, data in before.items():
        (seeds / name).write_bytes(data)
    assert _invoke("clean", "--dist", str(seeds)).returncode == 0
    assert {p.name: p.read_bytes() for p in seeds.iterdir()} == before


def test_dist_that_is_the_seeds_folder_is_refused_and_the_seeds_stay(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    shutil.copy(SEED, folder / "s.txt")
    (tmp_path / "link").symlink_to(folder)
    for dist in (folder, tmp_path / "link", tmp_path / "x" / "." ):
        result = _invoke("build", "--seeds", str(folder), "--dist", str(dist))
        assert result.returncode == 3, result.stdout + result.stderr
        (line,) = (result.stdout + result.stderr).strip().splitlines()
        assert "E200" in line and "seeds folder" in line
        assert sorted(os.listdir(folder)) == ["s.txt"] and (folder / "s.txt").read_bytes() == SEED.read_bytes()


def test_a_user_file_with_an_editions_name_is_never_overwritten(tmp_path: Path) -> None:
    seeds, dist = tmp_path / "seeds", tmp_path / "dist"
    seeds.mkdir()
    dist.mkdir()
    shutil.copy(SEED, seeds / "s.txt")
    (dist / "s.txt").write_bytes(b"my notes, not an edition\n")
    result = _invoke("build", "--seeds", str(seeds), "--dist", str(dist), "--formats", "txt,epub")
    assert result.returncode == 5, result.stdout + result.stderr
    (line,) = [x for x in result.stdout.splitlines() if x.startswith("error:")]
    assert "s.txt" in line and "E501" in line
    assert (dist / "s.txt").read_bytes() == b"my notes, not an edition\n"
    assert not (dist / "s.epub").exists()


@pytest.mark.parametrize("names", [("a:b.txt", "a_b.txt"), ("caf\u00e9.txt", "cafe\u0301.txt"),
                                   ("Story.txt", "story.txt")])
def test_seeds_that_map_to_one_output_name_are_an_error_naming_both(tmp_path: Path, names: tuple[str, str]) -> None:
    seeds, dist = tmp_path / "seeds", tmp_path / "dist"
    seeds.mkdir()
    for name in names:
        shutil.copy(SEED, seeds / name)
    result = _invoke("build", "--seeds", str(seeds), "--dist", str(dist), "--formats", "txt")
    assert result.returncode == 2, result.stdout + result.stderr
    errors = [x for x in result.stdout.splitlines() if x.startswith("error:")]
    assert len(errors) == 2 and all("E107" in e for e in errors)
    for name in names:
        assert any(name in e and "same name" in e for e in errors)
    assert not [p for p in dist.iterdir() if p.suffix == ".txt"] if dist.exists() else True


def test_a_state_file_that_is_a_folder_gives_one_line_not_a_traceback(tmp_path: Path) -> None:
    seeds, dist = tmp_path / "seeds", tmp_path / "dist"
    seeds.mkdir()
    shutil.copy(SEED, seeds / "s.txt")
    (dist / ".build-state.json").mkdir(parents=True)
    result = _invoke("build", "--seeds", str(seeds), "--dist", str(dist), "--formats", "txt")
    assert result.returncode == 5, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    (line,) = [x for x in result.stdout.splitlines() if x.startswith("error:")]
    assert "E500" in line and ".build-state.json" in line




#: Modules a plain build of one article must not load whatever it makes: the developer's tasks, collections, the
#: checks, and fontTools' subsetter and variable-font instancer (WeasyPrint's fallbacks: it subsets with HarfBuzz,
#: and the fonts are static).
NEVER_FOR_ONE_ARTICLE = ("bench", "pipeline.build.collection", "pipeline.render.collection", "pipeline.check",
                         "fontTools.subset", "fontTools.varLib")
#: The process pool: one article is made in the build's own process, but for its print layout, which a helper
#: makes beside it when there is a second core.
POOL = ("concurrent.futures.process", "multiprocessing")
#: What the build's own process must not load, by formats and `--jobs`: the text edition needs no renderer library
#: and the EPUB alone no WeasyPrint, and neither needs a helper; with a second core, WeasyPrint is the helper's.
NOT_LOADED = {("txt", "2"): ("weasyprint", "PIL", "ebooklib", "pipeline.render.pdf", "pipeline.render.epub", *POOL),
              ("epub", "2"): ("weasyprint", "pipeline.render.pdf", *POOL),
              ("epub,pdf,txt", "1"): POOL,
              ("epub,pdf,txt", "2"): ("weasyprint",)}


@pytest.mark.parametrize(("formats", "jobs"), list(NOT_LOADED))
def test_a_build_of_one_article_loads_only_what_its_formats_need(tmp_path: Path, formats: str, jobs: str) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    # `invoke build` as a user runs it (tasks.py found in the project folder), listing the modules at exit.
    script = f"""
import atexit, json, sys
atexit.register(lambda: print("MODULES " + json.dumps(sorted(sys.modules))))
from invoke.main import program
program.run(["invoke", "build", "--seeds", {str(seeds)!r}, "--dist", {str(tmp_path / "dist")!r},
             "--formats", {formats!r}, "--jobs", {jobs!r}])
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "1 built" in result.stdout
    modules = json.loads(result.stdout.rsplit("MODULES ", 1)[1])
    forbidden = NEVER_FOR_ONE_ARTICLE + NOT_LOADED[formats, jobs]
    assert [m for m in modules if m.startswith(forbidden)] == []
    if (formats, jobs) == ("epub,pdf,txt", "2"):
        assert "concurrent.futures.process" in modules  # the helper made the print edition
