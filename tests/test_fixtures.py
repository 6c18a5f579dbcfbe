"""The parser on a corpus of varied article dumps: each whole tree against its golden JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.build.builder import read
from pipeline.options import BuildOptions

from .conftest import UPDATE_GOLDEN

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "parse"
DUMPS = sorted(FIXTURES.glob("*.txt"))


def tree_of(seed: Path) -> str:
    return json.dumps(read(seed, BuildOptions()).as_dict(), ensure_ascii=False, indent=2) + "\n"


def test_corpus_is_large_enough() -> None:
    assert len(DUMPS) >= 20


@pytest.mark.parametrize("seed", DUMPS, ids=[p.stem for p in DUMPS])
def test_tree_matches_golden(seed: Path) -> None:
    golden = seed.with_suffix(".json")
    actual = tree_of(seed)
    if UPDATE_GOLDEN:
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden tree for {seed.name}: run with UPDATE_GOLDEN=1 and review it"
    assert actual == golden.read_text(encoding="utf-8")
