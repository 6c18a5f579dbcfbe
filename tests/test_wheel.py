"""The wheel: built, installed (not editable) into a fresh virtual environment, and its `article-pipeline` command
building the seed from an empty folder into an EPUB that EPUBCheck passes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import GOLDEN, ROOT, SEED, CheckResult


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    (found,) = out.glob("article_pipeline-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment holding the wheel; its libraries are this environment's, so nothing is
    downloaded (a .pth line names our site-packages: its own .pth files, the editable install's, are not run)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "libraries.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                    "--no-index", str(wheel)], check=True, capture_output=True, timeout=600)
    return venv


def test_the_wheel_holds_the_package_and_its_assets_but_no_developer_tools(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = {p.relative_to(ROOT).as_posix() for p in ROOT.joinpath("pipeline").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert sources <= names, sorted(sources - names)
    for folder in ("templates", "styles"):
        assets = {f"pipeline/{p.relative_to(ROOT).as_posix()}" for p in ROOT.joinpath(folder).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts}
        assert assets <= names, sorted(assets - names)
    assert not [n for n in names if n.startswith(("tests/", "bench/", "tasks.py", "seeds/"))]


def test_the_installed_command_builds_the_seed_from_an_empty_folder(installed: Path, tmp_path: Path,
                                                                    epubcheck: Callable[[Path], CheckResult]) -> None:
    work = tmp_path / "empty"
    work.mkdir()
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    command = installed / "bin" / "article-pipeline"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    found = subprocess.run([str(installed / "bin" / "python"), "-c", "import pipeline; print(pipeline.__file__)"],
                           cwd=work, env=env, check=True, capture_output=True, text=True).stdout
    assert found.startswith(str(installed)), found  # the wheel's copy, not the checkout's

    helped = subprocess.run([str(command), "build", "--help"], cwd=work, env=env, capture_output=True, text=True,
                            check=True, timeout=120)
    assert "--seeds" in helped.stdout and "--dist" in helped.stdout
    built = subprocess.run([str(command), "build", "--seeds", str(seeds), "--dist", "out", "--jobs", "1"], cwd=work,
                           env=env, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    stem = SEED.stem
    assert {p.name for p in (work / "out").iterdir()} >= {f"{stem}.epub", f"{stem}.pdf", f"{stem}.txt"}
    assert (work / "out" / f"{stem}.txt").read_bytes() == (GOLDEN / f"{stem}.txt").read_bytes()
    verdict = epubcheck(work / "out" / f"{stem}.epub")
    assert (verdict.fatals, verdict.errors, verdict.warnings) == (0, 0, 0), verdict.messages
