"""The Invoke tasks as a user meets them: help for each, `inspect` as JSON other tools can read."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipeline.cli import program

from .conftest import ROOT, SEED


def _invoke(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)


def test_list_shows_a_line_of_help_for_each_task() -> None:
    out = _invoke("--list").stdout
    for name in ("build", "inspect", "clean", "test"):
        line = next(line for line in out.splitlines() if line.strip().startswith(name + " "))
        assert len(line.split(None, 1)[1]) > 10


def test_build_options_have_help() -> None:
    out = _invoke("--help", "build").stdout
    for option in ("--seeds", "--dist", "--formats", "--paper", "--strict", "--bleed", "--two-sided", "--pdf-variant",
                   "--ascii"):
        line = next(line for line in out.splitlines() if option in line)
        assert len(line.strip()) > len(option) + 10


def test_inspect_prints_the_tree(capsys: pytest.CaptureFixture[str]) -> None:
    # The task as the installed command runs it, in this process: a fresh interpreter would import the parser and
    # load the language model again for this one seed (the tests around start one for each of the other tasks).
    program.run(["article-pipeline", "inspect", str(SEED)], exit=False)
    printed = capsys.readouterr()
    assert printed.err == ""  # an error (`Exit`) is printed there, and the run goes on with nothing on stdout
    tree = json.loads(printed.out)
    assert tree["title"].startswith("The 2nd Trump-Kim Summit")
    assert tree["subtitle"] is None
    assert tree["authors"] == ["Stephen R. Nagy"]
    assert tree["date"] == "2019-02-25"
    assert tree["language"] == "en"
    assert tree["photos"] == [{
        "caption": "North Korean leader Kim Jong-un leaving Pyongyang Station, North Korea, for Vietnam.",
        "credit": "Korean Central News Agency/Korea News Service via AP", "image": None, "alt": None}]
    blocks = tree["blocks"]
    assert [b["text"] for b in blocks if b["type"] == "heading"] == [
        "Suitability of “Vietnam Model”", "Real Progress since the First Trump-Kim Summit?",
        "Prospects for an Agreement?"]
    paragraphs = [b["text"] for b in blocks if b["type"] == "paragraph"]
    assert len(paragraphs) == 22
    assert paragraphs[0].startswith("The Hanoi Summit between North Korean leader")
    assert paragraphs[-1].endswith("strategic nuclear deterrent more concrete.")


def test_inspect_of_a_missing_file_is_one_line() -> None:
    result = _invoke("inspect", "seeds/nope.txt")
    assert result.returncode == 2
    expected = "error: seeds/nope.txt: E106 the file does not exist"
    assert result.stderr.strip().splitlines() == [expected]
