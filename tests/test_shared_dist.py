"""Two builds sharing one dist: neither takes the other's editions for a user's files, and neither loses the
other's records. Each race is staged in one process, at the moment it matters, so that it happens every time
(test_atomic.py races real builds, in other processes, for as long as they take)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.build import state
from pipeline.build.builder import BuildReport, build
from pipeline.build.state import STATE_FILE
from pipeline.options import BuildOptions

from .conftest import FIXTURES

STORY = FIXTURES / "collection" / "night-ferry.txt"
#: The language given: no build here loads the language model (each would load it anew, half a second of CPU).
TEXT_ONLY = BuildOptions(formats=("txt",), language="en")


def _seeds(folder: Path, version: str) -> Path:
    """One short story named `story.txt`, in a version of its own: two folders give the same output names."""
    folder.mkdir()
    text = STORY.read_text(encoding="utf-8")
    (folder / "story.txt").write_text(text.replace("Night Ferry", f"Night Ferry, version {version}", 1),
                                      encoding="utf-8")
    return folder


def _build(seeds: Path, dist: Path) -> BuildReport:
    return build(seeds, dist, TEXT_ONLY, emit=lambda _line: None, jobs=1)


def _race_after_first_record(monkeypatch: pytest.MonkeyPatch, other: Path, dist: Path) -> list[BuildReport]:
    """Run a whole build of `other` into `dist` once, right after the running build has written and noted its
    first edition, before it saves its record: what a second build started a moment later does."""
    reports: list[BuildReport] = []
    record = state.BuildState.record

    def record_then_race(self: state.BuildState, output: Path, *args: object) -> None:
        record(self, output, *args)  # type: ignore[arg-type]
        if not reports:
            reports.append(BuildReport())  # the other build's own records do not start a third
            reports[0] = _build(other, dist)

    monkeypatch.setattr(state.BuildState, "record", record_then_race)
    return reports


def test_a_build_that_makes_the_dist_claims_its_editions_before_writing(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # The first build finds no dist and makes it as it writes; the second comes in before the first has saved. The
    # first build's edition must already be claimed in the record on disk, or the second refuses it as a user's
    # file (E501), as it once did under load in test_atomic.py.
    first, second = _seeds(tmp_path / "first", "one"), _seeds(tmp_path / "second", "two")
    dist = tmp_path / "dist"
    raced = _race_after_first_record(monkeypatch, second, dist)
    report = _build(first, dist)
    assert len(raced) == 1
    assert [str(r.error) for r in raced[0].failed] == []
    assert [str(r.error) for r in report.failed] == []
    outputs = json.loads((dist / STATE_FILE).read_bytes())["outputs"]
    assert set(outputs) == {"story.txt"} and "claimed" not in outputs["story.txt"]


def test_a_build_that_saves_meanwhile_keeps_its_records_and_the_other_keeps_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The other build loads, writes and saves while this one holds an older manifest in memory: this one's save
    # must add its records to the other's, not write its stale view over them.
    first, second = _seeds(tmp_path / "first", "one"), _seeds(tmp_path / "second", "two")
    (second / "story.txt").rename(second / "other.txt")
    dist = tmp_path / "dist"
    assert not _build(first, dist).failed
    (first / "story.txt").write_text(STORY.read_text(encoding="utf-8") + "\nA new last paragraph.\n",
                                     encoding="utf-8")
    raced = _race_after_first_record(monkeypatch, second, dist)
    report = _build(first, dist)
    assert len(raced) == 1 and not raced[0].failed and not report.failed
    monkeypatch.undo()
    outputs = json.loads((dist / STATE_FILE).read_bytes())["outputs"]
    assert set(outputs) == {"story.txt", "other.txt"}
    # Both records are whole: each build, run again, finds its edition up to date.
    assert [r.outputs for r in _build(first, dist).results] == []
    assert [r.outputs for r in _build(second, dist).results] == []
