"""Collections: one EPUB, PDF and text edition of several articles, EPUBCheck clean, nested by article."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from pipeline.build.builder import load
from pipeline.build.collection import build_collection
from pipeline.model import Document
from pipeline.options import BuildOptions

from .conftest import ROOT, CheckResult
from .epubtools import NS, epub_xml

MANIFEST = Path(__file__).resolve().parent / "fixtures" / "collection" / "collection.toml"
SEEDS = ("../../../seeds/000_ce7740ea781b237b.txt", "harbour-lights.txt", "quiet-bees.txt", "night-ferry.txt")


@dataclass(frozen=True)
class Book:
    epub: Path
    pdf: Path
    txt: Path
    docs: tuple[Document, ...]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    dist = tmp_path_factory.mktemp("collection")
    paths = build_collection(MANIFEST, dist, BuildOptions(), emit=lambda _l: None)
    assert [p.name for p in paths] == ["harbour-and-hive.epub", "harbour-and-hive.pdf", "harbour-and-hive.txt"]
    docs = tuple(load(MANIFEST.parent / s, BuildOptions()) for s in SEEDS)
    return Book(*paths, docs=docs)


def test_epubcheck_reports_nothing(book: Book, epubcheck: Callable[[Path], CheckResult]) -> None:
    result = epubcheck(book.epub)
    assert (result.fatals, result.errors, result.warnings) == (0, 0, 0), result.messages


def test_metadata_names_every_author_once_and_the_editor(book: Book) -> None:
    meta = epub_xml(book.epub, "EPUB/content.opf").find("opf:metadata", NS)
    assert meta is not None
    assert [e.text for e in meta.findall("dc:title", NS)] == ["Harbour and Hive", "Dispatches from a small town"]
    creators = [e.text for e in meta.findall("dc:creator", NS)]
    assert creators == ["Stephen R. Nagy", "Tomas Brandt", "Amara Okafor", "Lena Vogt"]
    roles = {e.get("refines"): e.text for e in meta.findall("opf:meta", NS) if e.get("property") == "role"}
    (editor,) = [e for e in meta.findall("dc:contributor", NS) if roles.get(f"#{e.get('id')}") == "edt"]
    assert editor.text == "Mira Solberg"
    photographers = [e.text for e in meta.findall("dc:contributor", NS) if roles.get(f"#{e.get('id')}") == "pht"]
    assert photographers == ["Korean Central News Agency/Korea News Service via AP", "Ines Marlow", "Jonas Petrak"]
    assert [e.text for e in meta.findall("dc:date", NS)] == ["2024-05-01"]
    assert [e.text for e in meta.findall("dc:publisher", NS)] == ["Example Press"]
    manifest = epub_xml(book.epub, "EPUB/content.opf").find("opf:manifest", NS)
    assert manifest is not None
    assert [i.get("href") for i in manifest if "cover-image" in (i.get("properties") or "")] == ["images/cover.png"]


def test_nav_is_nested_by_article_then_section(book: Book) -> None:
    toc = epub_xml(book.epub, "EPUB/nav.xhtml").find(".//x:nav[@epub:type='toc']/x:ol", NS)
    assert toc is not None
    items = toc.findall("x:li", NS)
    assert [li.find("x:a", NS).text for li in items] == [d.meta.title for d in book.docs]  # type: ignore[union-attr]
    for n, (li, doc) in enumerate(zip(items, book.docs, strict=True), start=1):
        links = li.findall("x:ol/x:li/x:a", NS)
        assert [a.text for a in links] == [h.text for h in doc.headings]
        assert all(a.get("href", "").startswith(f"article-{n:02d}.xhtml#") for a in links)
    ncx = epub_xml(book.epub, "EPUB/toc.ncx")
    points = ncx.findall("ncx:navMap/ncx:navPoint", NS)
    assert [len(p.findall("ncx:navPoint", NS)) for p in points] == [len(d.headings) for d in book.docs]


def test_each_article_keeps_its_byline_date_and_photo_credits(book: Book) -> None:
    contents = "".join(epub_xml(book.epub, "EPUB/contents.xhtml").itertext())
    for n, doc in enumerate(book.docs, start=1):
        page = epub_xml(book.epub, f"EPUB/article-{n:02d}.xhtml")
        text = "".join(page.itertext())
        assert doc.meta.title in text and all(name in text for name in doc.author_names)
        time = page.find(".//x:time", NS)
        assert time is not None and doc.meta.date is not None and time.get("datetime") == doc.meta.date.isoformat()
        for photo in doc.photos:
            assert photo.caption in text and photo.credit is not None and photo.credit in text
        assert doc.meta.title in contents and all(name in contents for name in doc.author_names)


def test_pdf_bookmarks_are_nested_by_article(book: Book) -> None:
    with pikepdf.open(book.pdf) as pdf, pdf.open_outline() as outline:
        top = list(outline.root)
        assert [t.title for t in top] == [d.meta.title for d in book.docs]
        for item, doc in zip(top, book.docs, strict=True):
            assert [c.title for c in item.children] == [h.text for h in doc.headings]
        assert str(pdf.docinfo["/Title"]) == "Harbour and Hive"
        assert str(pdf.docinfo["/Author"]) == "Stephen R. Nagy, Tomas Brandt, Amara Okafor, Lena Vogt"


def test_pdf_pages_number_on_across_articles_and_the_contents_says_where(book: Book) -> None:
    reader = PdfReader(book.pdf)
    pages = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    assert [p.split()[-1] for p in pages] == [str(n) for n in range(1, len(pages) + 1)]
    starts = [next(n for n, p in enumerate(pages, start=1) if f"BY {doc.author_names[0].upper()}" in p
                   and doc.meta.title.split(":")[0][:20] in p) for doc in book.docs]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    contents = pages[1]
    for start in starts:
        assert f" {start} " in f" {contents} "
    for doc in book.docs:
        assert all(p.caption.split()[0] in " ".join(pages) for p in doc.photos)


def test_text_edition_lists_then_holds_every_article(book: Book) -> None:
    text = book.txt.read_text(encoding="utf-8")
    assert text.startswith("Harbour and Hive\n================\n")
    assert "Edited by Mira Solberg" in text
    positions = [text.index(f"\n{d.meta.title}\n{'=' * len(d.meta.title)}\n") for d in book.docs if
                 len(d.meta.title) <= 72]
    assert positions == sorted(positions)
    assert text.count("* * *") == len(book.docs)


def test_a_bad_manifest_entry_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    manifest = tmp_path / "collection.toml"
    (tmp_path / "empty.txt").write_text("")
    manifest.write_text('title = "Broken"\nseeds = ["empty.txt", "missing.txt"]\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "invoke", "collection", str(manifest), "--dist",
                             str(tmp_path / "dist")], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 2
    assert "E101 the file is empty" in result.stderr and "missing.txt: E106" in result.stderr
    assert not (tmp_path / "dist").exists()
