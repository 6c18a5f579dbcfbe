"""The PDF's fonts cover every supported script, and a character no font covers stops the build clearly."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.build.builder import build
from pipeline.options import BuildOptions
from pipeline.render.fonts import uncovered

from .conftest import SEED
from .test_language import SAMPLES


def test_every_supported_language_is_covered() -> None:
    for lang, sample in SAMPLES.items():
        assert uncovered(sample) == [], lang
    assert uncovered("Emoji 👩🏽‍💻 👨‍👩‍👧‍👦 🇪🇺 1️⃣, French «\u00a0guillemets\u202f» and ½ ≠ ∞") == []


def test_uncovered_character_is_an_error_not_a_box(tmp_path: Path) -> None:
    seeds, dist = tmp_path / "seeds", tmp_path / "dist"
    seeds.mkdir()
    shutil.copy(SEED, seeds / "good.txt")
    (seeds / "odd.txt").write_text("A headline\n\nBy Ann Lee\n\nA private-use character \ue000 in the text.\n",
                                   encoding="utf-8")
    lines: list[str] = []
    report = build(seeds, dist, BuildOptions(formats=("pdf", "txt")), emit=lines.append)
    (failed,) = report.failed
    assert str(failed.error) == f"{seeds / 'odd.txt'}: E301 no font covers U+E000 unnamed character: " \
                                "no font the project knows covers it"
    assert report.exit_code == 4
    assert sorted(p.name for p in dist.iterdir() if not p.name.startswith(".")) == ["good.pdf", "good.txt"]
