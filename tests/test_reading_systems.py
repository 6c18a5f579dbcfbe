"""Every corpus EPUB opened by real reading systems: epub.js in Debian's Chromium (one browser for all books, and the
check report in it too), and Calibre's conversion to AZW3, the Kindle format, read back with `ebook-meta`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from pipeline.check.accounting import fold
from pipeline.check.editions import chromium
from pipeline.model import Heading, Notes

from .conftest import CORPUS, ROOT, SEED, Editions, Run, corpus_id, editions

READER = ROOT / "tools" / "reader"
CALIBRE_SCRIPT = Path(__file__).resolve().parent / "tools" / "calibre_read.py"


@dataclass(frozen=True)
class Browsed:
    books: dict[str, dict[str, Any]]
    report: dict[str, Any]
    report_screenshot: Path


def _non_blank(png: Path) -> float:
    """The share of the screenshot's pixels that are not white."""
    with Image.open(png) as image:
        histogram = image.convert("L").histogram()
    return sum(histogram[:240]) / sum(histogram)


@pytest.fixture(scope="session")
def browsed(corpus: dict[Path, Editions | str], calibre_started: CalibreRun, checked_seed: tuple[Path, Run],
            tmp_path_factory: pytest.TempPathFactory) -> Browsed:
    """One Chromium: every corpus EPUB in epub.js (cover and first section shown, screenshots saved), then the
    report `invoke check` wrote for the seed's editions. Calibre works on the same books meanwhile."""
    browser = chromium()
    if browser is None:
        pytest.fail("Chromium is not installed (Debian package `chromium`)")
    if shutil.which("node") is None or not (READER / "node_modules" / "epubjs").is_dir():
        pytest.fail("epub.js is not installed: run `npm ci --prefix tools/reader` (see the README)")
    shots = tmp_path_factory.mktemp("screens")
    books = [{"path": str(e.epub), "shots": str(shots / e.epub.stem)} for e in corpus.values()
             if isinstance(e, Editions)]
    report = checked_seed[0] / "report.html"
    job = shots / "job.json"
    job.write_text(json.dumps({"browser": browser, "books": books,
                               "pages": [{"path": str(report), "screenshot": str(shots / "report.png")}]}))
    proc = subprocess.run(["node", str(READER / "read.mjs"), str(job)], capture_output=True, text=True, timeout=900,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    print(f"epub.js screenshots: {shots}")
    return Browsed(out["books"], out["pages"][str(report)], shots / "report.png")


@pytest.mark.parametrize("seed", CORPUS, ids=corpus_id)
def test_epubjs_opens_the_book(seed: Path, corpus: dict[Path, Editions | str], browsed: Browsed) -> None:
    built = editions(corpus, seed)
    seen = browsed.books[str(built.epub)]
    assert "failure" not in seen, seen.get("failure")
    assert seen["errors"] == []
    doc = built.doc
    assert (fold(seen["title"]), fold(seen["language"])) == (fold(doc.title), fold(doc.meta.language))
    assert seen["cover"], "epub.js finds no cover image"
    # The table of contents: the article, then each of its headings.
    toc = [fold(label) for label in seen["toc"]]
    assert toc[0] == fold(doc.title)
    for heading in (b for b in doc.blocks if isinstance(b, Heading)):
        assert fold(heading.text) in toc, f"{heading.text!r} is not in the table of contents {seen['toc']}"
    # The page list: the PDF's page numbers, in order, each pointing into the article.
    pages = [p["page"] for p in seen["pages"]]
    assert pages and pages == list(range(1, len(pages) + 1)), seen["pages"]
    cover, first = seen["screens"]
    assert cover["images"] == 1 and cover["brokenImages"] == []
    assert first["textLength"] > 100 and fold(first["headings"][0]) == fold(doc.title)
    assert first["brokenImages"] == []
    for screen in (cover, first):
        assert _non_blank(Path(screen["screenshot"])) > 0.005, f"{screen['screenshot']} is blank"


def test_the_report_in_chromium(browsed: Browsed, corpus: dict[Path, Editions | str]) -> None:
    """The seed's report loads without a console error, holds no script, shows its thumbnails and dropped lines."""
    page = browsed.report
    assert page["errors"] == [] and page["scripts"] == 0
    (article,) = page["articles"]
    assert article["title"].startswith(editions(corpus, SEED).doc.title)
    assert article["headings"] == ["Metadata", "Photos", "Parser warnings", "Dropped lines", "Parser notes",
                                   "Editions", "Validators"]
    assert [row[0] for row in article["dropped"]] == ["5", "7", "59", "61"]
    assert "0 comments" in article["dropped"][1][1] and article["dropped"][3][1].startswith("Your email address")
    images = article["images"]
    assert [i["alt"].split(" (")[0] for i in images] == ["EPUB cover", "EPUB screen 2", "EPUB screen 3", "PDF page 1",
                                                         "PDF page 2"]
    assert all(i["data"] and i["width"] > 100 for i in images)
    assert [row[1:3] for row in article["verdicts"]] == [["EPUBCheck", "pass"], ["Ace", "pass"], ["PDF", "pass"],
                                                         ["layout", "pass"], ["text", "pass"]]
    assert _non_blank(browsed.report_screenshot) > 0.05


@dataclass
class CalibreRun:
    process: subprocess.Popen[str]
    originals: list[Path]


@pytest.fixture(scope="session")
def calibre_started(corpus: dict[Path, Editions | str],
                    tmp_path_factory: pytest.TempPathFactory) -> Iterator[CalibreRun]:
    """Every corpus EPUB through Calibre's `ebook-convert` to AZW3 and back to text, and `ebook-meta` on the AZW3,
    in one Calibre process started in the background (it runs while the browser reads the same books)."""
    if shutil.which("calibre-debug") is None:
        pytest.fail("Calibre is not installed (Debian package `calibre`)")
    folder = tmp_path_factory.mktemp("calibre")
    originals = [e.epub for e in corpus.values() if isinstance(e, Editions)]
    books = [folder / f"{n}.epub" for n in range(len(originals))]
    for original, book in zip(originals, books, strict=True):
        shutil.copyfile(original, book)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(["calibre-debug", "-e", str(CALIBRE_SCRIPT), "--", *map(str, books)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    run = CalibreRun(process, originals)
    yield run
    if process.poll() is None:  # a run that selected no Calibre test
        process.kill()
        process.communicate()


@pytest.fixture(scope="session")
def calibre(calibre_started: CalibreRun) -> dict[str, dict[str, Any]]:
    """Calibre's results, one per corpus EPUB."""
    stdout, stderr = calibre_started.process.communicate(timeout=900)
    results = [json.loads(line[7:]) for line in stdout.splitlines() if line.startswith("RESULT ")]
    assert len(results) == len(calibre_started.originals), stderr[-3000:]
    return {str(original): result for original, result in zip(calibre_started.originals, results, strict=True)}


def _words(text: str) -> str:
    return " ".join(fold(text).split())


@pytest.mark.parametrize("seed", CORPUS, ids=corpus_id)
def test_calibre_converts_to_azw3(seed: Path, corpus: dict[Path, Editions | str],
                                  calibre: dict[str, dict[str, Any]]) -> None:
    built = editions(corpus, seed)
    result = calibre[str(built.epub)]
    assert (result["convert"], result.get("meta"), result.get("back")) == (0, 0, 0), result
    doc = built.doc
    # Calibre joins an EPUB 3 subtitle (title-type subtitle) to the title with a colon.
    subtitle = f": {doc.meta.subtitle}" if doc.meta.subtitle else ""
    assert fold(result["title"]) == fold(doc.title + subtitle)
    assert [fold(a) for a in result["authors"]] == ([fold(a) for a in doc.author_names] or ["unknown"])
    assert result["languages"][:1] == [doc.meta.language.split("-")[0]]
    assert result["cover"] is not None
    with Image.open(result["cover"]) as cover:
        assert cover.width > 300 and cover.height > cover.width
    # The text survives complete: every block of the article is in the Kindle book's text, in order.
    text = _words(Path(result["text"]).read_text(encoding="utf-8"))
    at = 0
    for block in doc.blocks:
        # Footnote markers are links showing the note's number; the notes are listed by number.
        parts = [n.text for n in block.items] if isinstance(block, Notes) else block.text.split("\n")
        for part in parts:
            words = _words(re.sub(r"\[(\d{1,3})\]", r"\1", part))
            found = text.find(words, at)
            assert found >= 0, f"lost in AZW3: {part[:80]!r}"
            at = found
