"""The EPUB: EPUBCheck clean, its OPF metadata, its nav and XHTML, and reproducible bytes."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from pipeline.model import Document
from pipeline.render.assets import STYLES
from pipeline.render.epub import render_epub

from .conftest import Built, CheckResult, golden
from .epubtools import NS, epub_xml


def test_epubcheck_reports_nothing(built: Built, epubcheck: Callable[[Path], CheckResult]) -> None:
    result = epubcheck(built.epub)
    assert (result.fatals, result.errors, result.warnings) == (0, 0, 0), result.messages


def test_zip_layout(built: Built) -> None:
    with zipfile.ZipFile(built.epub) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/epub+zip"
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_opf_metadata(built: Built) -> None:
    opf = epub_xml(built.epub, "EPUB/content.opf")
    meta = opf.find("opf:metadata", NS)
    assert meta is not None

    def dc(name: str) -> list[str]:
        return [e.text or "" for e in meta.findall(f"dc:{name}", NS)]

    def refines(target: str, prop: str) -> list[str]:
        return [e.text or "" for e in meta.findall("opf:meta", NS)
                if e.get("refines") == f"#{target}" and e.get("property") == prop]

    assert dc("title") == ["The 2nd Trump-Kim Summit: Incremental Progress towards Needed Diplomacy"]
    assert dc("language") == ["en"]
    assert dc("date") == ["2019-02-25"]
    creators = meta.findall("dc:creator", NS)
    assert [c.text for c in creators] == ["Stephen R. Nagy"]
    cid = creators[0].get("id")
    assert cid and refines(cid, "role") == ["aut"] and refines(cid, "file-as") == ["Nagy, Stephen R."]
    contributors = meta.findall("dc:contributor", NS)
    assert [c.text for c in contributors] == ["Korean Central News Agency/Korea News Service via AP"]
    pid = contributors[0].get("id")
    assert pid and refines(pid, "role") == ["pht"]
    (description,) = dc("description")
    assert description.startswith("The Hanoi Summit between North Korean leader")
    (identifier,) = dc("identifier")
    assert identifier.startswith("urn:uuid:")
    modified = [e.text for e in meta.findall("opf:meta", NS) if e.get("property") == "dcterms:modified"]
    assert modified == ["2019-02-25T00:00:00Z"]


def test_identifier_is_derived_from_the_article(seed_doc: Document) -> None:
    first, second = render_epub(seed_doc), render_epub(seed_doc)
    assert first == second  # byte for byte: no clock, no randomness
    assert render_epub(seed_doc, publisher="Example Press") != first


def test_publisher_when_configured(seed_doc: Document, tmp_path: Path) -> None:
    book = tmp_path / "p.epub"
    book.write_bytes(render_epub(seed_doc, publisher="Example Press"))
    opf = epub_xml(book, "EPUB/content.opf")
    assert [e.text for e in opf.iter(f"{{{NS['dc']}}}publisher")] == ["Example Press"]


def test_nav_lists_sections_and_landmarks(built: Built, seed_doc: Document) -> None:
    nav = epub_xml(built.epub, "EPUB/nav.xhtml")
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    assert toc is not None
    entries = [a.text for a in toc.iter(f"{{{NS['x']}}}a")]
    assert entries == [seed_doc.meta.title, *(h.text for h in seed_doc.headings)]
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
    assert landmarks is not None
    kinds = [a.get(f"{{{NS['epub']}}}type") for a in landmarks.iter(f"{{{NS['x']}}}a")]
    assert kinds == ["cover", "toc", "bodymatter"]
    with zipfile.ZipFile(built.epub) as z:
        assert b"navMap" in z.read("EPUB/toc.ncx")


def test_chapter_xhtml(built: Built) -> None:
    page = epub_xml(built.epub, "EPUB/article.xhtml")
    assert page.get("lang") == "en"
    assert page.find(".//x:h1", NS) is not None
    time = page.find(".//x:time", NS)
    assert time is not None and time.get("datetime") == "2019-02-25" and time.text == "February 25, 2019"
    byline = "".join(page.find(".//x:p[@class='byline']", NS).itertext())  # type: ignore[union-attr]
    assert byline == "By Stephen R. Nagy"
    caption = page.find(".//x:figure/x:figcaption", NS)
    assert caption is not None
    assert page.find(".//x:figure/x:img", NS) is None  # the seed has no image: none is invented
    text = "".join(caption.itertext())
    assert "leaving Pyongyang Station" in text and "Korean Central News Agency/Korea News Service via AP" in text
    assert [h.text for h in page.iter(f"{{{NS['x']}}}h2")] == [
        "Suitability of “Vietnam Model”", "Real Progress since the First Trump-Kim Summit?",
        "Prospects for an Agreement?"]


def test_chapter_xhtml_matches_golden(built: Built) -> None:
    with zipfile.ZipFile(built.epub) as z:
        actual = z.read("EPUB/article.xhtml").decode("utf-8")
    assert actual == golden("000_ce7740ea781b237b.xhtml", actual)


def test_no_leftovers_in_epub(built: Built) -> None:
    with zipfile.ZipFile(built.epub) as z:
        blob = b"".join(z.read(n) for n in z.namelist())
    for leftover in (b"Leave a Reply", b"Your email address", b"0 comments"):
        assert leftover not in blob


def test_ebook_css_uses_relative_units_and_no_font_family() -> None:
    css = re.sub(r"/\*.*?\*/", "", (STYLES / "ebook.css").read_text(encoding="utf-8"), flags=re.S)
    assert "font-family" not in css
    assert not re.search(r"\d(px|pt|cm|mm|in)\b", css.replace("1px solid", ""))
