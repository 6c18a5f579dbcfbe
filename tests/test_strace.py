"""Seen from the kernel: a build whose seeds and sidecars name files outside their folders opens none of them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SEED

STRACE = shutil.which("strace")


def _traceable() -> bool:
    if STRACE is None:
        return False
    probe = subprocess.run([STRACE, "-f", "-qq", "-e", "trace=openat", "-o", "/dev/null", "true"],
                           capture_output=True, check=False)
    return probe.returncode == 0  # a container without ptrace rights cannot trace


pytestmark = pytest.mark.skipif(not _traceable(), reason="strace is missing or may not trace here")


def test_a_build_opens_no_file_its_seeds_and_sidecars_name_outside(tmp_path: Path) -> None:
    seeds, dist, outside = tmp_path / "seeds", tmp_path / "dist", tmp_path / "outside"
    seeds.mkdir()
    outside.mkdir()
    for name in ("secret.png", "secret.txt", "secret.toml", "cover.png"):
        shutil.copy(SEED, outside / name)
    shutil.copy(SEED, seeds / "story.txt")
    shutil.copy(SEED, seeds / "good.txt")
    # A sidecar naming an absolute path and a path leading up and out, a seed and a sidecar that are links out.
    (seeds / "story.toml").write_text(f'[[photos]]\ncaption = "A"\nimage = "{outside / "secret.png"}"\n',
                                      encoding="utf-8")
    shutil.copy(SEED, seeds / "covered.txt")
    (seeds / "covered.toml").write_text('cover = "../outside/cover.png"\n', encoding="utf-8")
    (seeds / "leak.txt").symlink_to(outside / "secret.txt")
    shutil.copy(SEED, seeds / "linked.txt")
    (seeds / "linked.toml").symlink_to(outside / "secret.toml")
    log = tmp_path / "strace.log"
    command = ["-m", "invoke", "build", "--seeds", str(seeds), "--dist", str(dist), "--formats", "txt,epub"]
    result = subprocess.run([STRACE or "strace", "-f", "-qq", "-e", "trace=open,openat,openat2,creat", "-o",
                             str(log), sys.executable, *command], cwd=ROOT, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 2, result.stderr
    errors = sorted(line for line in result.stdout.splitlines() if line.startswith("error:"))
    assert errors == [
        f"error: {seeds / 'covered.toml'}: E120 sidecar line 1, key `cover`: '../outside/cover.png' is outside "
        f"{seeds}",
        f"error: {seeds / 'leak.txt'}: E106 the file is a link leading outside {seeds}",
        f"error: {seeds / 'linked.toml'}: E120 the sidecar is a link leading outside {seeds}",
        f"error: {seeds / 'story.toml'}: E120 sidecar line 3, key `photos.image`: '{outside / 'secret.png'}' is "
        f"outside {seeds}",
    ]
    opened = re.findall(r'open(?:at2?)?\((?:AT_FDCWD|\d+), "([^"]*)"|creat\("([^"]*)"', log.read_text())
    paths = [a or b for a, b in opened]
    # The trace does see the build's own reads and writes: the good seed is read and its editions written.
    assert str(seeds / "good.txt") in paths
    assert sorted(p.name for p in dist.iterdir()) == [".build-state.json", "good.epub", "good.txt"]
    assert [p for p in paths if "outside" in p] == []
