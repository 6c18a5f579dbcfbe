"""The parser on the blind-written development corpus: its score does not fall, and `invoke score` reports misses."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.check.corpus import FIELDS, hard_wrapped, report, score_article

from .conftest import ROOT

DEV = Path(__file__).resolve().parent / "corpus" / "dev"
#: The development set's floor: issue 13 asks 99% (384 dumps scored 99.97% when round 10 ended, see docs/parsing.md).
DEV_FLOOR = 0.995


#: The development set is scored in this many parts, one for each of the suite's workers on a 2-core machine (each
#: part compiles the rule tables of the languages it meets once).
PARTS = 2


@pytest.mark.parametrize("part", range(PARTS))
def test_the_development_set_keeps_its_score(part: int) -> None:
    seeds = sorted(DEV.glob("*.txt"))[part::PARTS]
    scores = [score_article(seed, json.loads(seed.with_suffix(".json").read_text("utf-8"))) for seed in seeds]
    assert len(scores) >= 60 // PARTS
    right = sum(s.right for s in scores) / (len(scores) * len(FIELDS))
    assert right >= DEV_FLOOR, report(scores)
    assert not [s.name for s in scores if s.error], report(scores)
    assert not [s.name for s in scores if s.leaked], report(scores)


@pytest.mark.slow  # charset detection on some 200 files
def test_every_legacy_encoded_dump_reads_as_its_writer_encoded_it() -> None:
    """Issue 13: encodings right on every legacy-encoded corpus article (Windows-1250/1251/1252/1256, ISO-8859-2,
    Shift-JIS, GB18030, EUC-KR): the text read is the text its writer encoded, character for character."""
    from pipeline.read.source import clean_text, decode

    wrong, codecs = [], set()
    for labels in sorted(DEV.glob("*.json")):
        codec = json.loads(labels.read_text("utf-8")).get("encoding", "utf-8")
        if codec in ("utf-8", "utf-8-sig"):
            continue
        codecs.add(codec)
        data = labels.with_suffix(".txt").read_bytes()
        if decode(data).text != clean_text(data.decode(codec)):
            wrong.append((labels.stem, codec, decode(data).encoding))
    assert {"cp1250", "cp1251", "cp1252", "cp1256", "iso-8859-2", "shift_jis", "gb18030", "euc-kr"} <= codecs
    assert not wrong


def test_every_dump_of_the_development_set_has_its_labels() -> None:
    # The parts above score the dumps by their text files: one without labels would go unscored.
    assert sorted(p.stem for p in DEV.glob("*.txt")) == sorted(p.stem for p in DEV.glob("*.json"))


def test_a_wrong_label_is_reported_as_a_miss(tmp_path: Path) -> None:
    seed = next(iter(sorted(DEV.glob("*.txt"))))
    labels = json.loads(seed.with_suffix(".json").read_text("utf-8"))
    good = score_article(seed, labels)
    labels["title"] = "A headline this article never had"
    labels["must_not_contain"] = [labels.get("first_paragraph_starts") or "x"]
    bad = score_article(seed, labels)
    assert bad.right == good.right - (0 if any(m[0] == "title" for m in good.misses) else 1)
    assert any(m[0] == "title" and m[1] == "A headline this article never had" for m in bad.misses)
    assert bad.leaked  # the article's own opening is in its text edition, so a label forbidding it is broken


def test_invoke_score_prints_the_table_and_the_misses(tmp_path: Path) -> None:
    folder = tmp_path / "two"
    folder.mkdir()
    for seed in sorted(DEV.glob("*.txt"))[:2]:
        shutil.copy(seed, folder / seed.name)
        shutil.copy(seed.with_suffix(".json"), folder / seed.with_suffix(".json").name)
    result = subprocess.run([sys.executable, "-m", "invoke", "score", str(folder)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    for field in FIELDS:
        assert field in result.stdout
    assert "all fields" in result.stdout and "/20" in result.stdout


def test_a_hard_wrapped_dump_is_scored_against_the_same_labels() -> None:
    text = "Headline\n\n" + " ".join(["word"] * 40) + "\nA short line.\n"
    wrapped = hard_wrapped(text, 72).splitlines()
    assert wrapped[:2] == ["Headline", ""] and wrapped[-1] == "A short line."
    assert len(wrapped) == 6 and all(len(line) <= 72 for line in wrapped)
    assert " ".join(wrapped[2:5]) == " ".join(["word"] * 40)
    # An article whose body is one line a paragraph parses, wrapped, into the same fields.
    seed = DEV / "c000.txt"
    labels = json.loads(seed.with_suffix(".json").read_text("utf-8"))
    assert score_article(seed, labels, wrap=72).right == score_article(seed, labels).right == len(FIELDS)


def test_a_numbered_list_ending_the_body_is_read_with_its_numbers(tmp_path: Path) -> None:
    # The guide reads a list's text as its lines joined: `1) …` keeps its number; a bullet is no text.
    body = "\n\n".join(f"The council met on Tuesday evening to hear the residents of the old quarter about {w}."
                       for w in ("the harbour", "the market", "the school"))
    seed = tmp_path / "n.txt"
    seed.write_text(f"Harbour Plan Debated\n\nBy Ann Lee\n\n{body}\n\n1) The first note.\n2) The last note.\n",
                    encoding="utf-8")
    labels = {"last_paragraph_ends": "1) The first note. 2) The last note."[-40:]}
    assert not [m for m in score_article(seed, labels).misses if m[0] == "last_paragraph_ends"]
